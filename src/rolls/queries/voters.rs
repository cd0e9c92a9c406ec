//! One voter: read for the edit form, checked against other rolls, saved, released,
//! transferred. The writes take the caller's transaction.

use serde_json::Value;
use sqlx::{PgConnection, PgPool};
use time::Date;

use crate::domain::nik::NikProblem;
use crate::domain::roll_file::VoterRow;
use crate::domain::vote_move::FormReason;
use crate::domain::voter::{LegalStatus, MaritalStatus, NikFlag, Sex, VoterList};
use crate::read::places::Place;

/// An active voter of the place, as the edit form shows it.
pub async fn active(pool: &PgPool, place: &Place, id: i64) -> sqlx::Result<Option<VoterRow>> {
    sqlx::query_as!(
        VoterRow,
        r#"select nik, nik_flag as "flag: NikFlag", nik_raw,
                  nik_problem as "nik_problem: NikProblem", name, birth_date, sex as "sex: Sex", legal_status as "legal_status: LegalStatus",
                  marital_status as "marital_status: MaritalStatus", home_region_code,
                  home_from_nik, rights_revoked, release_date, list as "list: VoterList",
                  birth_place, registration_no, disability, ktp_el, admitted_on, form_origin_tps,
                  form_origin_desa, form_date, form_reason as "form_reason: FormReason", kpu_tps
           from voters
           where id = $1 and facility_id = $2 and election_id = $3 and status = 'active'"#,
        id,
        place.facility_id,
        place.election.id
    )
    .fetch_optional(pool)
    .await
}

/// The facilities a voter may be transferred to (code, name), this province's first.
pub async fn destinations(pool: &PgPool, place: &Place) -> sqlx::Result<Vec<(String, String)>> {
    Ok(sqlx::query!(
        "select code, name from facilities where id <> $1 order by province_code = $2 desc, name",
        place.facility_id,
        place.province_code
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| (r.code, r.name))
    .collect())
}

/// A facility holding a NIK on its active roll.
pub struct Holder {
    pub id: i64,
    pub name: String,
    pub province_code: String,
}

/// The other facility where `nik` is active in this election, if any.
pub async fn nik_elsewhere(
    conn: &mut PgConnection,
    place: &Place,
    nik: &str,
) -> sqlx::Result<Option<Holder>> {
    sqlx::query_as!(
        Holder,
        "select f.id, f.name, f.province_code from voters v
         join facilities f on f.id = v.facility_id
         where v.election_id = $1 and v.nik = $2 and v.status = 'active' and v.facility_id <> $3",
        place.election.id,
        nik,
        place.facility_id
    )
    .fetch_optional(conn)
    .await
}

/// Whether another voter of this roll has the same identity (`row_key`).
pub async fn duplicate(
    conn: &mut PgConnection,
    place: &Place,
    row_key: &str,
    except_id: Option<i64>,
) -> sqlx::Result<bool> {
    Ok(sqlx::query_scalar!(
        r#"select id as "id!" from voters
           where election_id = $1 and facility_id = $2 and row_key = $3 and id <> $4"#,
        place.election.id,
        place.facility_id,
        row_key,
        except_id.unwrap_or(-1)
    )
    .fetch_optional(conn)
    .await?
    .is_some())
}

/// The active voter `id` as JSON, locked for the update (`None` when not on this roll).
pub async fn lock(conn: &mut PgConnection, place: &Place, id: i64) -> sqlx::Result<Option<Value>> {
    sqlx::query_scalar!(
        r#"select to_jsonb(v) as "v!" from voters v
           where id = $1 and facility_id = $2 and election_id = $3 and status = 'active'
           for update"#,
        id,
        place.facility_id,
        place.election.id
    )
    .fetch_optional(conn)
    .await
}

/// Inserts the voter (`id` `None`) or overwrites voter `id`; returns the id and the row as
/// JSON. A unique violation is left to the caller.
pub async fn save(
    conn: &mut PgConnection,
    place: &Place,
    id: Option<i64>,
    row: &VoterRow,
) -> sqlx::Result<(i64, Value)> {
    let r = sqlx::query!(
        r#"insert into voters (id, election_id, facility_id, row_key, nik, nik_flag, name,
               birth_date, sex, legal_status, marital_status, home_region_code, home_from_nik,
               rights_revoked, release_date, list, birth_place, registration_no, disability, ktp_el,
               admitted_on, form_origin_tps, form_origin_desa, form_date, form_reason, kpu_tps,
               nik_raw, nik_problem)
           overriding system value
           values (coalesce($1, nextval(pg_get_serial_sequence('voters', 'id'))), $2, $3, $4, $5,
                   $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
                   $21, $22, $23, $24, $25, $26, $27, $28)
           on conflict (id) do update set
               row_key = excluded.row_key, nik = excluded.nik, nik_flag = excluded.nik_flag,
               nik_raw = excluded.nik_raw, nik_problem = excluded.nik_problem,
               name = excluded.name, birth_date = excluded.birth_date, sex = excluded.sex,
               legal_status = excluded.legal_status, marital_status = excluded.marital_status,
               home_region_code = excluded.home_region_code,
               home_from_nik = excluded.home_from_nik, rights_revoked = excluded.rights_revoked,
               release_date = excluded.release_date, list = excluded.list,
               birth_place = excluded.birth_place, registration_no = excluded.registration_no,
               disability = excluded.disability, ktp_el = excluded.ktp_el,
               admitted_on = excluded.admitted_on, form_origin_tps = excluded.form_origin_tps,
               form_origin_desa = excluded.form_origin_desa, form_date = excluded.form_date,
               form_reason = excluded.form_reason, kpu_tps = excluded.kpu_tps
           returning id, to_jsonb(voters) as "after!""#,
        id,
        place.election.id,
        place.facility_id,
        row.row_key(),
        row.nik,
        row.flag.map(|f| f.code()),
        row.name,
        row.birth_date,
        row.sex.as_str(),
        row.legal_status.as_str(),
        row.marital_status.as_str(),
        row.home_region_code,
        row.home_from_nik,
        row.rights_revoked,
        row.release_date,
        row.list.map(VoterList::as_str),
        row.birth_place,
        row.registration_no,
        row.disability,
        row.ktp_el,
        row.admitted_on,
        row.form_origin_tps,
        row.form_origin_desa,
        row.form_date,
        row.form_reason.map(FormReason::as_str),
        row.kpu_tps,
        row.nik_raw,
        row.nik_problem.map(NikProblem::code),
    )
    .fetch_one(conn)
    .await?;
    Ok((r.id, r.after))
}

/// A voter's row before and after a change, as JSON for the audit log.
pub struct Change {
    pub before: Value,
    pub after: Value,
}

/// Marks the active voter `id` departed on release; `None` when not on this roll.
pub async fn release(
    conn: &mut PgConnection,
    place: &Place,
    id: i64,
    date: Date,
) -> sqlx::Result<Option<Change>> {
    sqlx::query_as!(
        Change,
        r#"with before as (
               select to_jsonb(v) as b from voters v
               where id = $1 and facility_id = $2 and election_id = $3 and status = 'active'
           )
           update voters v set status = 'departed', release_date = $4,
                  departed_reason = 'bebas', departed_at = now()
           from before
           where v.id = $1 and v.facility_id = $2 and v.election_id = $3 and v.status = 'active'
           returning before.b as "before!", to_jsonb(v) as "after!""#,
        id,
        place.facility_id,
        place.election.id,
        date
    )
    .fetch_optional(conn)
    .await
}

/// Another facility, by code (never this one).
pub async fn other_facility(
    pool: &PgPool,
    place: &Place,
    code: &str,
) -> sqlx::Result<Option<Holder>> {
    sqlx::query_as!(
        Holder,
        "select id, name, province_code from facilities where code = $1 and id <> $2",
        code,
        place.facility_id
    )
    .fetch_optional(pool)
    .await
}

/// Moves the active voter `id` to facility `to`: departed here, active there (with where
/// they came from). The law keeps them registered at this facility's TPS: they arrive on no
/// list, without a pindah memilih form or an admission date, for the destination to record.
/// Returns this side's row after, and the id and row of the arrival; `None` when the voter
/// is not on this roll.
pub async fn transfer(
    conn: &mut PgConnection,
    place: &Place,
    id: i64,
    to: i64,
) -> sqlx::Result<Option<(Value, i64, Value)>> {
    let Some(moved) = sqlx::query!(
        r#"update voters v set status = 'departed', departed_reason = 'dipindahkan',
                  departed_to = $4, departed_at = now()
           where id = $1 and facility_id = $2 and election_id = $3 and status = 'active'
           returning to_jsonb(v) as "after!", row_key"#,
        id,
        place.facility_id,
        place.election.id,
        to
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let arrived = sqlx::query!(
        r#"insert into voters (election_id, facility_id, row_key, nik, nik_flag, nik_raw,
               nik_problem, name, birth_date,
               sex, legal_status, marital_status, home_region_code, home_from_nik, rights_revoked,
               release_date, list, birth_place, registration_no, disability, ktp_el,
               transferred_from)
           select election_id, $2, row_key, nik, nik_flag, nik_raw, nik_problem, name,
                  birth_date, sex, legal_status,
                  marital_status, home_region_code, home_from_nik, rights_revoked, release_date,
                  null, birth_place, registration_no, disability, ktp_el, facility_id
           from voters where id = $1
           on conflict (election_id, facility_id, row_key) do update set
               status = 'active', departed_reason = null, departed_at = null, departed_to = null,
               transferred_from = excluded.transferred_from, arrived_at = now(), list = null,
               admitted_on = null, form_origin_tps = null, form_origin_desa = null,
               form_date = null, form_reason = null
           returning id, to_jsonb(voters) as "after!""#,
        id,
        to
    )
    .fetch_one(conn)
    .await?;
    Ok(Some((moved.after, arrived.id, arrived.after)))
}
