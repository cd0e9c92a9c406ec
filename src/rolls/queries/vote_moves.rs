//! The pindah memilih worklist of a facility: the voters who still need a form, the voters
//! transferred out who stay registered here, and the election's deadlines.

use sqlx::PgPool;
use time::Date;

use crate::domain::vote_move::Deadlines;
use crate::domain::voter::{LegalStatus, VoterList, VoterStatus};
use crate::read::places::Place;

/// The election's pindah memilih settings.
pub struct Settings {
    pub deadlines: Deadlines,
    /// Whether DPK inmates vote at the TPS Loksus (else at the TPS of their KTP-el address).
    pub dpk_at_loksus: bool,
}

pub async fn settings(pool: &PgPool, place: &Place) -> sqlx::Result<Settings> {
    let e = sqlx::query!(
        "select transfer_deadline, detainee_transfer_deadline, dpk_at_loksus
         from elections where id = $1",
        place.election.id
    )
    .fetch_one(pool)
    .await?;
    Ok(Settings {
        deadlines: Deadlines {
            general: e.transfer_deadline,
            detainee: e.detainee_transfer_deadline,
        },
        dpk_at_loksus: e.dpk_at_loksus,
    })
}

/// A voter of the worklist: active without a form (on DPTb, or on no list), or transferred
/// out while still on a list here.
pub struct Entry {
    pub id: i64,
    pub name: String,
    pub nik: Option<String>,
    pub legal_status: LegalStatus,
    pub list: Option<VoterList>,
    pub status: VoterStatus,
    pub admitted_on: Option<Date>,
    /// Admitted after the deadline that applies; `None` when the admission date is unknown.
    pub late: Option<bool>,
    pub no_valid_nik: bool,
    /// Where an active voter came from (a transfer).
    pub from_id: Option<i64>,
    pub from_name: Option<String>,
    pub from_province: Option<String>,
    /// Where a departed voter went.
    pub to_id: Option<i64>,
    pub to_name: Option<String>,
    pub to_province: Option<String>,
}

/// The worklist's voters, by name: active voters who need a form (`needs_form` of the view:
/// those who cannot vote here whatever the form are left out), and voters transferred out.
pub async fn entries(pool: &PgPool, place: &Place) -> sqlx::Result<Vec<Entry>> {
    sqlx::query_as!(
        Entry,
        r#"select v.id as "id!", v.name as "name!", v.nik,
                  v.legal_status as "legal_status!: LegalStatus", v.list as "list: VoterList",
                  v.status as "status!: VoterStatus", v.admitted_on, v.late,
                  'no_valid_nik' = any(v.reasons) as "no_valid_nik!",
                  tf.id as "from_id?", tf.name as "from_name?",
                  tf.province_code as "from_province?", dt.id as "to_id?",
                  dt.name as "to_name?", dt.province_code as "to_province?"
           from voters_with_reasons v
           left join facilities tf on tf.id = v.transferred_from
           left join facilities dt on dt.id = v.departed_to
           where v.facility_id = $1 and v.election_id = $2
             and case v.status
                   when 'active' then v.needs_form
                   else v.departed_to is not null and v.list is not null
                 end
           order by v.name, v.id"#,
        place.facility_id,
        place.election.id
    )
    .fetch_all(pool)
    .await
}
