//! Pending transfers: the list for a facility, a withdrawal, and the origin's decision
//! (in the caller's transaction).

use serde_json::json;
use sqlx::{PgConnection, PgPool};
use time::Date;
use time::OffsetDateTime;

use crate::db::audit::{self, Actor, Entry};
use crate::http::error::{AppError, Result};
use crate::read::places::Place;

/// What the origin decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Confirm,
    Refuse,
}

/// A pending transfer into or out of a facility.
pub struct Pending {
    pub id: i64,
    /// Into the facility (else out of it).
    pub arriving: bool,
    pub name: String,
    pub nik: Option<String>,
    pub birth_date: Date,
    /// The other side: the origin for an arrival, the destination for a departure.
    pub other_id: i64,
    pub other_name: String,
    pub other_province: String,
    pub requested_at: OffsetDateTime,
    pub by: String,
}

pub async fn pending(pool: &PgPool, place: &Place) -> sqlx::Result<Vec<Pending>> {
    sqlx::query_as!(
        Pending,
        r#"select t.id, t.to_facility_id = $2 as "arriving!", v.name, v.nik, v.birth_date,
                  o.id as other_id, o.name as other_name, o.province_code as other_province,
                  t.requested_at, coalesce(u.username, 'sistem') as "by!"
           from transfers t
           join voters v on v.id = t.voter_id
           join facilities o on o.id = case when t.to_facility_id = $2 then t.from_facility_id
                                            else t.to_facility_id end
           left join users u on u.id = t.requested_by
           where t.election_id = $1 and t.status = 'pending'
             and (t.to_facility_id = $2 or t.from_facility_id = $2)
           order by t.requested_at, t.id"#,
        place.election.id,
        place.facility_id
    )
    .fetch_all(pool)
    .await
}

/// Withdraws this facility's own pending request `id`; `None` when there is none.
pub async fn withdraw(
    conn: &mut PgConnection,
    place: &Place,
    id: i64,
    user_id: i64,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        "update transfers set status = 'cancelled', decided_by = $3, decided_at = now()
         where id = $1 and to_facility_id = $2 and status = 'pending' returning id",
        id,
        place.facility_id,
        user_id
    )
    .fetch_optional(conn)
    .await
}

/// Confirms or refuses the pending transfer `id` out of `origin`. `Ok(Err(message))` when it
/// can no longer be done (the inmate left the origin's roll meanwhile); nothing is written
/// then. 404 when there is no such pending transfer out of `origin`.
pub async fn apply_decision(
    conn: &mut PgConnection,
    origin: i64,
    id: i64,
    decision: Decision,
    actor: &Actor,
) -> Result<std::result::Result<(), String>> {
    let t = sqlx::query_as!(
        Claimed,
        r#"select t.voter_id, t.to_facility_id, t.election_id, ff.province_code as from_province,
                  tf.province_code as to_province
           from transfers t
           join facilities ff on ff.id = t.from_facility_id
           join facilities tf on tf.id = t.to_facility_id
           where t.id = $1 and t.from_facility_id = $2 and t.status = 'pending'
           for update of t"#,
        id,
        origin
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    let status = match decision {
        Decision::Confirm => "confirmed",
        Decision::Refuse => "refused",
    };
    sqlx::query!(
        "update transfers set status = $2, decided_by = $3, decided_at = now() where id = $1",
        id,
        status,
        actor.user_id
    )
    .execute(&mut *conn)
    .await?;
    if decision == Decision::Refuse {
        audit::record(
            conn,
            actor,
            Entry::new("transfer.refuse")
                .object("transfer", id)
                .province(Some(t.from_province))
                .facility(Some(origin)),
        )
        .await?;
        return Ok(Ok(()));
    }
    move_voter(conn, origin, id, &t, actor).await
}

/// The pending transfer being decided, locked.
struct Claimed {
    voter_id: i64,
    to_facility_id: i64,
    election_id: i64,
    from_province: String,
    to_province: String,
}

/// The confirmed transfer `id` of `t`: the voter leaves `origin`'s roll and arrives on the
/// destination's as its import row said (on no list unless DPTB with a form, see
/// `rolls::import`), both audited; `Ok(Err(message))` when the voter is no longer active there.
async fn move_voter(
    conn: &mut PgConnection,
    origin: i64,
    id: i64,
    t: &Claimed,
    actor: &Actor,
) -> Result<std::result::Result<(), String>> {
    let Some(left) = sqlx::query!(
        r#"with before as (select to_jsonb(v) as b from voters v where v.id = $1)
           update voters v
           set status = 'departed', departed_reason = 'dipindahkan', departed_to = $2,
               departed_at = now()
           from before
           where v.id = $1 and v.status = 'active'
           returning before.b as "before!", to_jsonb(v) as "after!""#,
        t.voter_id,
        t.to_facility_id
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(Err(
            "WBP ini sudah tidak aktif di daftar fasilitas asal; tolak permintaan ini.".into(),
        ));
    };
    let arrived = sqlx::query!(
        r#"insert into voters (election_id, facility_id, row_key, nik, nik_flag, name, birth_date,
               sex, legal_status, marital_status, home_region_code, home_from_nik, rights_revoked,
               release_date, list, birth_place, registration_no, disability, ktp_el,
               transferred_from, admitted_on, form_origin_tps, form_origin_desa, form_date)
           select $2, $3, a.row_key, a.nik, a.nik_flag, a.name, a.birth_date, a.sex,
                  a.legal_status, a.marital_status, a.home_region_code, a.home_from_nik,
                  a.rights_revoked, a.release_date, a.list, a.birth_place, a.registration_no,
                  a.disability, a.ktp_el, $4, a.admitted_on, a.form_origin_tps,
                  a.form_origin_desa, a.form_date
           from transfers t, jsonb_populate_record(null::public.roll_staging, t.arrival) a
           where t.id = $1
           on conflict (election_id, facility_id, row_key) do update set
               nik = excluded.nik, nik_flag = excluded.nik_flag, name = excluded.name,
               birth_date = excluded.birth_date, sex = excluded.sex,
               legal_status = excluded.legal_status, marital_status = excluded.marital_status,
               home_region_code = excluded.home_region_code,
               home_from_nik = excluded.home_from_nik, rights_revoked = excluded.rights_revoked,
               release_date = excluded.release_date, list = excluded.list,
               birth_place = excluded.birth_place, registration_no = excluded.registration_no,
               disability = excluded.disability, ktp_el = excluded.ktp_el,
               status = 'active', departed_reason = null, departed_at = null, departed_to = null,
               transferred_from = excluded.transferred_from, arrived_at = now(),
               admitted_on = excluded.admitted_on, form_origin_tps = excluded.form_origin_tps,
               form_origin_desa = excluded.form_origin_desa, form_date = excluded.form_date,
               form_reason = null
           returning id, to_jsonb(voters) as "after!""#,
        id,
        t.election_id,
        t.to_facility_id,
        origin
    )
    .fetch_one(&mut *conn)
    .await?;
    audit::record(
        conn,
        actor,
        Entry::new("voter.transfer_out")
            .object("voter", t.voter_id)
            .province(Some(t.from_province.clone()))
            .facility(Some(origin))
            .before(left.before)
            .after(left.after),
    )
    .await?;
    audit::record(
        conn,
        actor,
        Entry::new("voter.transfer_in")
            .object("voter", arrived.id)
            .province(Some(t.to_province.clone()))
            .facility(Some(t.to_facility_id))
            .after(json!({ "transfer": id, "voter": arrived.after })),
    )
    .await?;
    Ok(Ok(()))
}
