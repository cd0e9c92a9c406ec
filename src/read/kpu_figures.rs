//! The reconciliation counts of each facility with a stored KPU list (`kpu_list_figures`),
//! pre-aggregated like [`facility_figures`](super::figures): rebuilt by
//! [`super::figures::rebuild`] for the facilities marked stale, with the matching rules of
//! `kpu_list_pairs` (migration `20261130000041`), so the KPU liaison's home page reads one
//! row per facility instead of matching every list on every render.

use sqlx::PgConnection;

use crate::http::error::Result;

/// Recounts the reconciliation groups of `facilities` for one election: a row for each one
/// with a KPU list, none for the others.
#[tracing::instrument(skip_all, fields(election_id = election_id, facilities = facilities.len()))]
pub async fn rebuild(conn: &mut PgConnection, election_id: i64, facilities: &[i64]) -> Result<()> {
    sqlx::query!(
        "delete from kpu_list_figures where election_id = $1 and facility_id = any($2)",
        election_id,
        facilities
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        r#"insert into kpu_list_figures
               (election_id, facility_id, kpu_only, roll_only, tps_differs, name_differs)
           select $1, l.facility_id, c.kpu_only, c.roll_only, c.tps_differs, c.name_differs
           from kpu_lists l
           cross join lateral (
               select count(*) filter (where p.kpu_only)::int as kpu_only,
                      count(*) filter (where p.roll_only)::int as roll_only,
                      count(*) filter (where p.tps_differs)::int as tps_differs,
                      count(*) filter (where p.name_differs)::int as name_differs
               from kpu_list_pairs($1, l.facility_id, l.id) p
           ) c
           where l.election_id = $1 and l.facility_id = any($2)"#,
        election_id,
        facilities
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}
