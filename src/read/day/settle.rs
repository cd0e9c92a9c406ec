//! Keeping `station_voting_day` right: each TPS's latest turnout report and whether its
//! ballot accounting balances, recomputed from the history tables inside the transaction of
//! every write that changes them (a turnout report, a ballot account) and of every figures
//! rebuild (which may change the ballot types a TPS has); and `province_voting_day`, the
//! same summed per province for the national dashboard.
//!
//! Every such transaction first locks the TPS's row ([`lock`], in id order), so two writers
//! of one TPS take turns and each computes from the other's committed rows: the latest
//! report is always the one saved last. Province rows are locked after TPS rows, in code
//! order, and counted only once locked.

use std::collections::{HashMap, HashSet};

use sqlx::PgConnection;
use time::OffsetDateTime;

use crate::domain::ballot_accounts::{self, Account};
use crate::domain::ballots::BallotType;
use crate::domain::turnout::Turnout;
use crate::http::error::Result;

/// Creates the voting-day rows of `ids` that do not exist and locks them all, in id order.
pub async fn lock(conn: &mut PgConnection, ids: &[i64]) -> Result<()> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    // An upsert that touches every row: it creates the missing ones and locks them all, in
    // id order, in one statement.
    sqlx::query!(
        "insert into station_voting_day (station_id)
         select id from unnest($1::bigint[]) as t (id) order by id
         on conflict (station_id) do update set station_id = excluded.station_id",
        &ids
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The latest turnout report of each of `ids` that has one, with its time.
pub async fn latest_turnout(
    conn: &mut PgConnection,
    ids: &[i64],
) -> Result<HashMap<i64, (Turnout, OffsetDateTime)>> {
    let rows = sqlx::query!(
        "select distinct on (station_id) station_id, voted_dpt, voted_dptb, voted_dpk,
                voted_men, voted_women, reported_at
         from turnout_reports where station_id = any($1)
         order by station_id, reported_at desc, id desc",
        ids
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let t = Turnout {
                dpt: r.voted_dpt.into(),
                dptb: r.voted_dptb.into(),
                dpk: r.voted_dpk.into(),
                men: r.voted_men.into(),
                women: r.voted_women.into(),
            };
            (r.station_id, (t, r.reported_at))
        })
        .collect())
}

/// The latest account of each ballot type of each of `ids`.
pub async fn latest_accounts(
    conn: &mut PgConnection,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<(BallotType, Account)>>> {
    let rows = sqlx::query!(
        "select distinct on (station_id, ballot_type) station_id, ballot_type, received, used,
                damaged, unused
         from ballot_accounts where station_id = any($1)
         order by station_id, ballot_type, recorded_at desc, id desc",
        ids
    )
    .fetch_all(conn)
    .await?;
    let mut out: HashMap<i64, Vec<(BallotType, Account)>> = HashMap::new();
    for r in rows {
        let Some(t) = BallotType::parse(&r.ballot_type) else {
            continue;
        };
        let a = Account {
            received: r.received.into(),
            used: r.used.into(),
            damaged: r.damaged.into(),
            unused: r.unused.into(),
        };
        out.entry(r.station_id).or_default().push((t, a));
    }
    Ok(out)
}

/// Recomputes the voting-day rows of `stations` (each with the ballot types it has), after
/// locking them.
pub async fn settle(conn: &mut PgConnection, stations: &[(i64, Vec<BallotType>)]) -> Result<()> {
    let ids: Vec<i64> = stations.iter().map(|(id, _)| *id).collect();
    lock(conn, &ids).await?;
    settle_locked(conn, stations).await
}

/// [`settle`] for a caller that already holds the TPS rows' locks ([`lock`]).
pub async fn settle_locked(
    conn: &mut PgConnection,
    stations: &[(i64, Vec<BallotType>)],
) -> Result<()> {
    if stations.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = stations.iter().map(|(id, _)| *id).collect();
    let turnout = latest_turnout(conn, &ids).await?;
    let accounts = latest_accounts(conn, &ids).await?;
    let mut cols: [Vec<i32>; 5] = Default::default();
    let mut times = Vec::with_capacity(ids.len());
    let mut balances = Vec::with_capacity(ids.len());
    for (id, types) in stations {
        let latest = turnout.get(id);
        let t = latest.map(|(t, _)| *t);
        // -1: no report yet (written as null).
        let values = t.map_or([-1; 5], |t| [t.dpt, t.dptb, t.dpk, t.men, t.women]);
        for (col, v) in cols.iter_mut().zip(values) {
            col.push(i32::try_from(v).unwrap_or(-1));
        }
        times.push(latest.map_or(OffsetDateTime::UNIX_EPOCH, |(_, at)| *at));
        let mine = accounts.get(id).map(Vec::as_slice).unwrap_or_default();
        balances.push(
            ballot_accounts::check(types, mine, t.as_ref())
                .balance
                .as_str()
                .to_owned(),
        );
    }
    let provinces = sqlx::query!(
        r#"with settled as (
               update station_voting_day d
               set voted_dpt = nullif(u.dpt, -1), voted_dptb = nullif(u.dptb, -1),
                   voted_dpk = nullif(u.dpk, -1), voted_men = nullif(u.men, -1),
                   voted_women = nullif(u.women, -1),
                   reported_at = case when u.dpt < 0 then null else u.reported_at end,
                   balance = u.balance
               from unnest($1::bigint[], $2::int[], $3::int[], $4::int[], $5::int[], $6::int[],
                           $7::timestamptz[], $8::text[])
                    as u (station_id, dpt, dptb, dpk, men, women, reported_at, balance)
               where d.station_id = u.station_id
               returning d.station_id
           )
           select distinct s.election_id, f.province_code
           from settled x
           join stations s on s.id = x.station_id
           join facilities f on f.id = s.facility_id"#,
        &ids,
        &cols[0],
        &cols[1],
        &cols[2],
        &cols[3],
        &cols[4],
        &times,
        &balances,
    )
    .fetch_all(&mut *conn)
    .await?;
    for p in provinces {
        recount_provinces(conn, p.election_id, &[p.province_code]).await?;
    }
    Ok(())
}

/// Recounts the province totals of `provinces` in the election from their TPS rows, after
/// locking them (in code order, creating the missing ones): a writer in the same province
/// waits, then counts this one's rows too.
pub async fn recount_provinces(
    conn: &mut PgConnection,
    election_id: i64,
    provinces: &[String],
) -> Result<()> {
    let mut codes = provinces.to_vec();
    codes.sort_unstable();
    codes.dedup();
    // Creates the missing rows and locks them all, in code order (see `lock`).
    sqlx::query!(
        "insert into province_voting_day (election_id, province_code)
         select $1, code from unnest($2::text[]) as t (code) order by code
         on conflict (election_id, province_code) do update
         set province_code = excluded.province_code",
        election_id,
        &codes
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "update province_voting_day p
         set stations_reported = coalesce(x.reported, 0), voted = coalesce(x.voted, 0),
             voted_men = coalesce(x.men, 0), voted_women = coalesce(x.women, 0),
             stations_unbalanced = coalesce(x.unbalanced, 0)
         from unnest($2::text[]) as c (code)
         left join (
             select f.province_code, count(d.reported_at)::int as reported,
                    sum(d.voted_dpt + d.voted_dptb + d.voted_dpk)::bigint as voted,
                    sum(d.voted_men)::bigint as men, sum(d.voted_women)::bigint as women,
                    (count(*) filter (where d.balance = 'unbalanced'))::int as unbalanced
             from station_voting_day d
             join stations s on s.id = d.station_id
             join facilities f on f.id = s.facility_id
             where s.election_id = $1 and f.province_code = any($2)
             group by f.province_code
         ) x on x.province_code = c.code
         where p.election_id = $1 and p.province_code = c.code",
        election_id,
        &codes
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// [`settle`] for those of `stations` that have anything recorded for voting day (what a
/// figures rebuild calls: the ballot types of a TPS may have changed).
pub async fn settle_recorded(
    conn: &mut PgConnection,
    stations: &[(i64, Vec<BallotType>)],
) -> Result<()> {
    let ids: Vec<i64> = stations.iter().map(|(id, _)| *id).collect();
    let recorded: HashSet<i64> = sqlx::query_scalar!(
        "select station_id from station_voting_day where station_id = any($1)",
        &ids
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .collect();
    let some: Vec<(i64, Vec<BallotType>)> = stations
        .iter()
        .filter(|(id, _)| recorded.contains(id))
        .cloned()
        .collect();
    settle(conn, &some).await
}

/// Recounts the province totals already kept for the provinces of `facilities` (a TPS
/// deleted or moved leaves them otherwise unchanged).
pub async fn recount_kept(
    conn: &mut PgConnection,
    election_id: i64,
    facilities: &[i64],
) -> Result<()> {
    let kept = sqlx::query_scalar!(
        "select p.province_code from province_voting_day p
         where p.election_id = $1 and p.province_code in (
             select province_code from facilities where id = any($2))",
        election_id,
        facilities
    )
    .fetch_all(&mut *conn)
    .await?;
    if kept.is_empty() {
        return Ok(());
    }
    recount_provinces(conn, election_id, &kept).await
}
