//! The roll page's counts per filter (`roll_figures`), pre-aggregated like
//! [`facility_figures`](super::figures): rebuilt by [`super::figures::rebuild`] for the
//! facilities marked stale, read after `figures::ensure_fresh`, so a roll page reads one row
//! instead of counting the whole roll with its reasons.

use sqlx::{PgConnection, PgPool};

use crate::http::error::Result;

/// How many voters each filter of the roll list holds (active ones unless said otherwise).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Counts {
    pub active: i64,
    pub eligible: i64,
    pub under_age: i64,
    pub rights_revoked: i64,
    pub released: i64,
    pub no_valid_nik: i64,
    pub outside_region: i64,
    pub dpt: i64,
    pub dptb: i64,
    pub dpk: i64,
    pub unlisted: i64,
    pub no_nik: i64,
    pub nik_invalid: i64,
    pub nik_mismatch: i64,
    pub home_from_nik: i64,
    pub dpk_without_ktp: i64,
    pub late: i64,
    pub admission_unknown: i64,
    pub departed: i64,
}

/// Recounts the roll figures of `facilities` for one election (every one gets a row, zeros
/// for an empty roll).
#[tracing::instrument(skip_all, fields(election_id = election_id, facilities = facilities.len()))]
pub async fn rebuild(conn: &mut PgConnection, election_id: i64, facilities: &[i64]) -> Result<()> {
    sqlx::query!(
        r#"insert into roll_figures
           select $1, f.id, coalesce(c.active, 0), coalesce(c.eligible, 0),
                  coalesce(c.under_age, 0), coalesce(c.rights_revoked, 0),
                  coalesce(c.released, 0), coalesce(c.no_valid_nik, 0),
                  coalesce(c.outside_region, 0), coalesce(c.dpt, 0), coalesce(c.dptb, 0),
                  coalesce(c.dpk, 0), coalesce(c.unlisted, 0), coalesce(c.no_nik, 0),
                  coalesce(c.nik_invalid, 0), coalesce(c.nik_mismatch, 0),
                  coalesce(c.home_from_nik, 0), coalesce(c.dpk_without_ktp, 0),
                  coalesce(c.late, 0), coalesce(c.admission_unknown, 0), coalesce(c.departed, 0)
           from unnest($2::bigint[]) as f (id)
           left join (
               select facility_id,
                      count(*) filter (where a)::int as active,
                      count(*) filter (where a and cardinality(reasons) = 0)::int as eligible,
                      count(*) filter (where a and 'under_age' = any(reasons))::int as under_age,
                      count(*) filter (where a and 'rights_revoked' = any(reasons))::int
                          as rights_revoked,
                      count(*) filter (where a and 'released' = any(reasons))::int as released,
                      count(*) filter (where a and 'no_valid_nik' = any(reasons))::int
                          as no_valid_nik,
                      count(*) filter (where a and 'outside_region' = any(reasons))::int
                          as outside_region,
                      count(*) filter (where a and list = 'dpt')::int as dpt,
                      count(*) filter (where a and list = 'dptb')::int as dptb,
                      count(*) filter (where a and list = 'dpk')::int as dpk,
                      count(*) filter (where a and list is null)::int as unlisted,
                      count(*) filter (where a and nik_flag = 'no_nik')::int as no_nik,
                      count(*) filter (where a and nik_flag = 'nik_invalid')::int as nik_invalid,
                      count(*) filter (where a and nik_flag = 'nik_mismatch')::int
                          as nik_mismatch,
                      count(*) filter (where a and home_from_nik)::int as home_from_nik,
                      count(*) filter (where a and list = 'dpk' and ktp_el is false)::int
                          as dpk_without_ktp,
                      count(*) filter (where a and late)::int as late,
                      count(*) filter (where a and admitted_on is null)::int as admission_unknown,
                      count(*) filter (where status = 'departed')::int as departed
               from (select *, status = 'active' as a from voters_with_reasons
                     where election_id = $1 and facility_id = any($2)) v
               group by facility_id
           ) c on c.facility_id = f.id
           on conflict (election_id, facility_id) do update set
               active = excluded.active, eligible = excluded.eligible,
               under_age = excluded.under_age, rights_revoked = excluded.rights_revoked,
               released = excluded.released, no_valid_nik = excluded.no_valid_nik,
               outside_region = excluded.outside_region, dpt = excluded.dpt,
               dptb = excluded.dptb, dpk = excluded.dpk, unlisted = excluded.unlisted,
               no_nik = excluded.no_nik, nik_invalid = excluded.nik_invalid,
               nik_mismatch = excluded.nik_mismatch, home_from_nik = excluded.home_from_nik,
               dpk_without_ktp = excluded.dpk_without_ktp, late = excluded.late,
               admission_unknown = excluded.admission_unknown, departed = excluded.departed"#,
        election_id,
        facilities
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The counts of one facility's roll for one election, as last rebuilt: call
/// [`ensure_fresh`](super::figures::ensure_fresh) first.
pub async fn counts(pool: &PgPool, election_id: i64, facility_id: i64) -> Result<Counts> {
    let counts = sqlx::query_as!(
        Counts,
        r#"select active::int8 as "active!", eligible::int8 as "eligible!",
                  under_age::int8 as "under_age!", rights_revoked::int8 as "rights_revoked!",
                  released::int8 as "released!", no_valid_nik::int8 as "no_valid_nik!",
                  outside_region::int8 as "outside_region!", dpt::int8 as "dpt!",
                  dptb::int8 as "dptb!", dpk::int8 as "dpk!", unlisted::int8 as "unlisted!",
                  no_nik::int8 as "no_nik!", nik_invalid::int8 as "nik_invalid!",
                  nik_mismatch::int8 as "nik_mismatch!", home_from_nik::int8 as "home_from_nik!",
                  dpk_without_ktp::int8 as "dpk_without_ktp!", late::int8 as "late!",
                  admission_unknown::int8 as "admission_unknown!", departed::int8 as "departed!"
           from roll_figures where election_id = $1 and facility_id = $2"#,
        election_id,
        facility_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(counts.unwrap_or_default())
}
