//! Pre-aggregated figures per facility (`facility_figures`), kept exact: every write marks
//! the facilities it touches in `figures_stale` (statement triggers, same transaction), and
//! every report calls [`ensure_fresh`] first, which rebuilds exactly those rows from the
//! voters and TPS. Province totals (`province_figures`) are rebuilt with them, so the
//! national dashboard reads one row per province. Reading a fresh report costs one small
//! query per page.

use std::collections::{BTreeMap, HashMap, HashSet};

use sqlx::{PgConnection, PgPool};

pub use crate::domain::figures::Figures;
use crate::http::error::Result;
use crate::read::summary::{self, Filter, Rules};

mod by_facility;
pub use by_facility::{FacilityFigures, facilities};

/// Key of the advisory lock that serialises rebuilds.
const REBUILD_LOCK: i64 = 0x4c6f_6b73_7573; // "Loksus"

/// A rebuild of at least this many facilities' rows is followed by an `analyze` of the
/// figures tables: their statistics would otherwise lag until autovacuum comes by, and the
/// planner, taking a few rows for hundreds, reads the national figures with a nested loop
/// that costs ~50 ms instead of ~4 ms (550 facilities).
const ANALYZE_AFTER: usize = 50;

/// Rebuilds the figures of every facility marked stale. Cheap when nothing is marked.
pub async fn ensure_fresh(pool: &PgPool) -> Result<()> {
    let stale = sqlx::query_scalar!(r#"select exists (select 1 from figures_stale) as "stale!""#)
        .fetch_one(pool)
        .await?;
    rebuild_stale(pool, stale).await
}

/// [`ensure_fresh`] for a caller that already read whether anything is marked (`stale`),
/// in a query of its own.
#[tracing::instrument(skip(pool))]
pub async fn rebuild_stale(pool: &PgPool, stale: bool) -> Result<()> {
    if !stale {
        return Ok(());
    }
    let mut tx = pool.begin().await?;
    // A rebuild already running holds the lock; once it commits its markers are gone.
    sqlx::query!("select pg_advisory_xact_lock($1)", REBUILD_LOCK)
        .execute(&mut *tx)
        .await?;
    let marked = sqlx::query!("delete from figures_stale returning election_id, facility_id")
        .fetch_all(&mut *tx)
        .await?;
    let mut rebuilt = 0;
    let mut by_election: BTreeMap<i64, Option<HashSet<i64>>> = BTreeMap::new();
    for m in marked {
        let entry = by_election
            .entry(m.election_id)
            .or_insert_with(|| Some(HashSet::new()));
        match (entry.as_mut(), m.facility_id) {
            (Some(set), Some(f)) => {
                set.insert(f);
            }
            (_, None) => *entry = None,
            (None, Some(_)) => {}
        }
    }
    for (election_id, facilities) in by_election {
        let exists = sqlx::query_scalar!(
            r#"select exists (select 1 from elections where id = $1) as "e!""#,
            election_id
        )
        .fetch_one(&mut *tx)
        .await?;
        if !exists {
            continue;
        }
        let ids: Vec<i64> = match facilities {
            Some(set) => set.into_iter().collect(),
            None => {
                sqlx::query_scalar!("select id from facilities")
                    .fetch_all(&mut *tx)
                    .await?
            }
        };
        rebuild(&mut tx, election_id, &ids).await?;
        rebuild_provinces(&mut tx, election_id, &ids).await?;
        rebuilt += ids.len();
    }
    tx.commit().await?;
    if rebuilt >= ANALYZE_AFTER {
        sqlx::query!("analyze facility_figures, province_figures, roll_figures, kpu_list_figures")
            .execute(pool)
            .await?;
    }
    Ok(())
}

/// Recomputes the province totals of the provinces `facilities` lie in.
#[tracing::instrument(skip_all, fields(election_id = election_id))]
async fn rebuild_provinces(
    conn: &mut PgConnection,
    election_id: i64,
    facilities: &[i64],
) -> Result<()> {
    sqlx::query!(
        r#"with provinces as (
               select distinct province_code from facilities where id = any($2)
           ), totals as (
               select f.province_code, count(*)::int as facilities,
                      sum(case when coalesce(x.roll_voters, 0) > 0 then x.roll_voters
                               else f.inmates end)::bigint as inmates,
                      coalesce(sum(x.stations), 0)::int as stations,
                      coalesce(sum(x.stations_ready), 0)::int as stations_ready,
                      coalesce(sum(x.dpt), 0)::bigint as dpt,
                      coalesce(sum(x.dptb), 0)::bigint as dptb,
                      coalesce(sum(x.dpk), 0)::bigint as dpk,
                      coalesce(sum(x.shortage_stations), 0)::int as shortage_stations,
                      coalesce(sum(x.shortage_ballots), 0)::bigint as shortage_ballots,
                      coalesce(sum(x.roll_voters), 0)::bigint as roll_voters,
                      coalesce(sum(x.roll_eligible), 0)::bigint as roll_eligible,
                      coalesce(sum(x.roll_under_age), 0)::bigint as roll_under_age,
                      coalesce(sum(x.roll_rights_revoked), 0)::bigint as roll_rights_revoked,
                      coalesce(sum(x.roll_released), 0)::bigint as roll_released,
                      coalesce(sum(x.roll_no_valid_nik), 0)::bigint as roll_no_valid_nik,
                      coalesce(sum(x.roll_unregistered), 0)::bigint as roll_unregistered,
                      coalesce(sum(x.roll_unregistered_detainees), 0)::bigint
                          as roll_unregistered_detainees
               from facilities f
               left join facility_figures x on x.facility_id = f.id and x.election_id = $1
               where f.province_code in (select province_code from provinces)
               group by f.province_code
           ), gone as (
               delete from province_figures
               where election_id = $1 and province_code in (select province_code from provinces)
                 and province_code not in (select province_code from totals)
           )
           insert into province_figures
           select $1, t.* from totals t
           on conflict (election_id, province_code) do update set
               facilities = excluded.facilities, inmates = excluded.inmates,
               stations = excluded.stations, stations_ready = excluded.stations_ready,
               dpt = excluded.dpt, dptb = excluded.dptb, dpk = excluded.dpk,
               shortage_stations = excluded.shortage_stations,
               shortage_ballots = excluded.shortage_ballots,
               roll_voters = excluded.roll_voters, roll_eligible = excluded.roll_eligible,
               roll_under_age = excluded.roll_under_age,
               roll_rights_revoked = excluded.roll_rights_revoked,
               roll_released = excluded.roll_released,
               roll_no_valid_nik = excluded.roll_no_valid_nik,
               roll_unregistered = excluded.roll_unregistered,
               roll_unregistered_detainees = excluded.roll_unregistered_detainees"#,
        election_id,
        facilities
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Row {
    stations: i32,
    stations_ready: i32,
    dpt: i32,
    dptb: i32,
    dpk: i32,
    shortage_stations: i32,
    shortage_ballots: i64,
}

/// Recounts the figures of `facilities` for one election from the rows.
#[tracing::instrument(skip_all, fields(election_id = election_id, facilities = facilities.len()))]
pub async fn rebuild(conn: &mut PgConnection, election_id: i64, facilities: &[i64]) -> Result<()> {
    if facilities.is_empty() {
        return Ok(());
    }
    let rules = Rules::load(conn, election_id).await?;
    let stations = summary::load(
        conn,
        &rules,
        Filter {
            facilities: Some(facilities),
            ..Filter::default()
        },
    )
    .await?;
    // Which ballot types a TPS has may have changed: its ballot accounting is judged again.
    let types: Vec<_> = stations.iter().map(|s| (s.id, s.ballot_types())).collect();
    super::day::settle::settle_recorded(conn, &types).await?;
    super::day::settle::recount_kept(conn, election_id, facilities).await?;
    let mut rows: HashMap<i64, Row> = HashMap::new();
    for s in &stations {
        let r = rows.entry(s.facility_id).or_default();
        r.stations += 1;
        r.stations_ready += i32::from(s.ready());
        r.dpt += s.dpt as i32;
        r.dptb += s.dptb as i32;
        r.dpk += s.dpk as i32;
        // Counted once receipt is recorded (`StationSummary::shortage`).
        if s.shortage() > 0 {
            r.shortage_stations += 1;
            r.shortage_ballots += s.shortage();
        }
    }
    let mut ids = Vec::with_capacity(facilities.len());
    let mut cols: [Vec<i32>; 6] = Default::default();
    let mut shortage_ballots = Vec::with_capacity(facilities.len());
    for &f in facilities {
        let r = rows.remove(&f).unwrap_or_default();
        ids.push(f);
        for (col, v) in cols.iter_mut().zip([
            r.stations,
            r.stations_ready,
            r.dpt,
            r.dptb,
            r.dpk,
            r.shortage_stations,
        ]) {
            col.push(v);
        }
        shortage_ballots.push(r.shortage_ballots);
    }
    sqlx::query!(
        r#"insert into facility_figures (election_id, facility_id, stations, stations_ready,
               dpt, dptb, dpk, shortage_stations, shortage_ballots, roll_voters, roll_eligible,
               roll_under_age, roll_rights_revoked, roll_released, roll_no_valid_nik,
               roll_unregistered, roll_unregistered_detainees, refreshed_at)
           select $1, f.id, f.stations, f.ready, f.dpt, f.dptb, f.dpk, f.short, f.short_ballots,
                  coalesce(r.voters, 0), coalesce(r.eligible, 0), coalesce(r.under_age, 0),
                  coalesce(r.rights_revoked, 0), coalesce(r.released, 0),
                  coalesce(r.no_valid_nik, 0), coalesce(r.unregistered, 0),
                  coalesce(r.unregistered_detainees, 0), now()
           from unnest($2::bigint[], $3::int[], $4::int[], $5::int[], $6::int[], $7::int[],
                       $8::int[], $9::bigint[])
                    as f (id, stations, ready, dpt, dptb, dpk, short, short_ballots)
           left join (
               select x.facility_id,
                      count(*)::int as voters,
                      count(*) filter (where cardinality(x.r) = 0)::int as eligible,
                      count(*) filter (where 'under_age' = any(x.r))::int as under_age,
                      count(*) filter (where 'rights_revoked' = any(x.r))::int as rights_revoked,
                      count(*) filter (where 'released' = any(x.r))::int as released,
                      count(*) filter (where 'no_valid_nik' = any(x.r))::int as no_valid_nik,
                      count(*) filter (where cardinality(x.r) = 0 and x.list is null)::int
                          as unregistered,
                      count(*) filter (where cardinality(x.r) = 0 and x.list is null
                                       and x.legal_status = 'detainee')::int
                          as unregistered_detainees
               from (select v.facility_id, v.list, v.legal_status, v.reasons as r
                     from voters_with_reasons v
                     where v.election_id = $1 and v.facility_id = any($2)
                       and v.status = 'active') x
               group by x.facility_id
           ) r on r.facility_id = f.id
           on conflict (election_id, facility_id) do update set
               stations = excluded.stations, stations_ready = excluded.stations_ready,
               dpt = excluded.dpt, dptb = excluded.dptb, dpk = excluded.dpk,
               shortage_stations = excluded.shortage_stations,
               shortage_ballots = excluded.shortage_ballots,
               roll_voters = excluded.roll_voters, roll_eligible = excluded.roll_eligible,
               roll_under_age = excluded.roll_under_age,
               roll_rights_revoked = excluded.roll_rights_revoked,
               roll_released = excluded.roll_released,
               roll_no_valid_nik = excluded.roll_no_valid_nik,
               roll_unregistered = excluded.roll_unregistered,
               roll_unregistered_detainees = excluded.roll_unregistered_detainees,
               refreshed_at = excluded.refreshed_at"#,
        election_id,
        &ids,
        &cols[0],
        &cols[1],
        &cols[2],
        &cols[3],
        &cols[4],
        &cols[5],
        &shortage_ballots,
    )
    .execute(&mut *conn)
    .await?;
    super::roll_figures::rebuild(conn, election_id, facilities).await?;
    super::kpu_figures::rebuild(conn, election_id, facilities).await
}
