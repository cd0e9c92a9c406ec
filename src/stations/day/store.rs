//! The one write path of voting day, shared by the TPS page and the command line's imports:
//! turnout reports and ballot accounts are appended to their history (the latest counts),
//! audited row by row in the same statement, and `station_voting_day` is settled again, all
//! inside the caller's transaction. Callers check the figures first (`domain::turnout`).

use std::collections::BTreeMap;

use sqlx::PgConnection;

use crate::db::audit::Actor;
use crate::domain::ballot_accounts::Account;
use crate::domain::ballots::BallotType;
use crate::domain::turnout::Turnout;
use crate::http::error::Result;
use crate::read::day::{DayStation, settle};

/// A TPS a voting-day write is about: its id and the ballot types it has.
#[derive(Debug, Clone)]
pub struct Tps {
    pub id: i64,
    pub types: Vec<BallotType>,
}

impl Tps {
    pub fn of(s: &DayStation) -> Tps {
        Tps {
            id: s.id,
            types: s.types.clone(),
        }
    }
}

/// What a batch of writes did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Recorded {
    pub updated: usize,
    pub unchanged: usize,
}

/// Whether a report equal to the latest one is recorded again: a page's save is a report
/// at its own time (kept); an imported file's unchanged row changes nothing (skipped).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repeats {
    Record,
    Skip,
}

/// Appends a turnout report for each TPS (the latest then counts).
pub async fn record_turnout(
    conn: &mut PgConnection,
    actor: &Actor,
    reports: &[(Tps, Turnout)],
    repeats: Repeats,
) -> Result<Recorded> {
    let ids: Vec<i64> = reports.iter().map(|(t, _)| t.id).collect();
    settle::lock(conn, &ids).await?;
    let latest = match repeats {
        Repeats::Record => Default::default(),
        Repeats::Skip => settle::latest_turnout(conn, &ids).await?,
    };
    let (new, same): (Vec<_>, Vec<_>) = reports.iter().partition(|(t, v)| {
        repeats == Repeats::Record || latest.get(&t.id).is_none_or(|(l, _)| l != v)
    });
    let col = |f: fn(&Turnout) -> i64| -> Vec<i32> {
        new.iter()
            .map(|(_, v)| i32::try_from(f(v)).unwrap_or(i32::MAX))
            .collect()
    };
    let new_ids: Vec<i64> = new.iter().map(|(t, _)| t.id).collect();
    sqlx::query!(
        r#"with new as (
               insert into turnout_reports (station_id, voted_dpt, voted_dptb, voted_dpk,
                                            voted_men, voted_women, user_id, actor, reported_at)
               select u.id, u.dpt, u.dptb, u.dpk, u.men, u.women, $7, $8, clock_timestamp()
               from unnest($1::bigint[], $2::int[], $3::int[], $4::int[], $5::int[], $6::int[])
                    as u (id, dpt, dptb, dpk, men, women)
               returning station_id, voted_dpt, voted_dptb, voted_dpk, voted_men, voted_women
           )
           insert into audit_log (user_id, actor, client_addr, action, object_type, object_id,
                                  province_code, facility_id, before, after)
           select $7, $8, $9, 'turnout.report', 'station', n.station_id::text, f.province_code,
                  f.id,
                  (select jsonb_build_object('voted_dpt', d.voted_dpt, 'voted_dptb', d.voted_dptb,
                                             'voted_dpk', d.voted_dpk, 'voted_men', d.voted_men,
                                             'voted_women', d.voted_women)
                   from station_voting_day d
                   where d.station_id = n.station_id and d.reported_at is not null),
                  jsonb_build_object('voted_dpt', n.voted_dpt, 'voted_dptb', n.voted_dptb,
                                     'voted_dpk', n.voted_dpk, 'voted_men', n.voted_men,
                                     'voted_women', n.voted_women)
           from new n
           join stations s on s.id = n.station_id
           join facilities f on f.id = s.facility_id"#,
        &new_ids,
        &col(|v| v.dpt),
        &col(|v| v.dptb),
        &col(|v| v.dpk),
        &col(|v| v.men),
        &col(|v| v.women),
        actor.user_id,
        actor.name,
        actor.client_addr,
    )
    .execute(&mut *conn)
    .await?;
    let touched: Vec<(i64, Vec<BallotType>)> =
        new.iter().map(|(t, _)| (t.id, t.types.clone())).collect();
    settle::settle_locked(conn, &touched).await?;
    Ok(Recorded {
        updated: new.len(),
        unchanged: same.len(),
    })
}

/// One ballot type's account for a TPS.
#[derive(Debug, Clone)]
pub struct Entry {
    pub tps: Tps,
    pub ballot_type: BallotType,
    pub account: Account,
}

impl Entry {
    /// The account of `ballot_type` at TPS `s`: received, used, damaged, unused.
    pub fn new(s: &DayStation, ballot_type: BallotType, counts: [i64; 4]) -> Entry {
        let [received, used, damaged, unused] = counts;
        Entry {
            tps: Tps::of(s),
            ballot_type,
            account: Account {
                received,
                used,
                damaged,
                unused,
            },
        }
    }
}

/// Appends the accounts that differ from the latest of their TPS and type (an unchanged one
/// is never recorded again), then judges each TPS's balance again.
pub async fn record_accounts(
    conn: &mut PgConnection,
    actor: &Actor,
    entries: &[Entry],
) -> Result<Recorded> {
    let ids: Vec<i64> = entries.iter().map(|e| e.tps.id).collect();
    settle::lock(conn, &ids).await?;
    let latest = settle::latest_accounts(conn, &ids).await?;
    let (new, same): (Vec<&Entry>, Vec<&Entry>) = entries.iter().partition(|e| {
        let before = latest
            .get(&e.tps.id)
            .and_then(|l| l.iter().find(|(t, _)| *t == e.ballot_type));
        before.is_none_or(|(_, a)| *a != e.account)
    });
    let col = |f: fn(&Account) -> i64| -> Vec<i32> {
        new.iter()
            .map(|e| i32::try_from(f(&e.account)).unwrap_or(i32::MAX))
            .collect()
    };
    let new_ids: Vec<i64> = new.iter().map(|e| e.tps.id).collect();
    let types: Vec<String> = new
        .iter()
        .map(|e| e.ballot_type.as_str().to_owned())
        .collect();
    sqlx::query!(
        r#"with new as (
               insert into ballot_accounts (station_id, ballot_type, received, used, damaged,
                                            unused, user_id, actor, recorded_at)
               select u.id, u.ballot_type, u.received, u.used, u.damaged, u.unused, $7, $8,
                      clock_timestamp()
               from unnest($1::bigint[], $2::text[], $3::int[], $4::int[], $5::int[], $6::int[])
                    as u (id, ballot_type, received, used, damaged, unused)
               returning station_id, ballot_type, received, used, damaged, unused
           )
           insert into audit_log (user_id, actor, client_addr, action, object_type, object_id,
                                  province_code, facility_id, before, after)
           select $7, $8, $9, 'ballot_account.record', 'station', n.station_id::text,
                  f.province_code, f.id,
                  (select jsonb_build_object('ballot_type', b.ballot_type, 'received', b.received,
                                             'used', b.used, 'damaged', b.damaged,
                                             'unused', b.unused)
                   from ballot_accounts b
                   where b.station_id = n.station_id and b.ballot_type = n.ballot_type
                   order by b.recorded_at desc, b.id desc limit 1),
                  jsonb_build_object('ballot_type', n.ballot_type, 'received', n.received,
                                     'used', n.used, 'damaged', n.damaged, 'unused', n.unused)
           from new n
           join stations s on s.id = n.station_id
           join facilities f on f.id = s.facility_id"#,
        &new_ids,
        &types,
        &col(|a| a.received),
        &col(|a| a.used),
        &col(|a| a.damaged),
        &col(|a| a.unused),
        actor.user_id,
        actor.name,
        actor.client_addr,
    )
    .execute(&mut *conn)
    .await?;
    let touched: BTreeMap<i64, Vec<BallotType>> = new
        .iter()
        .map(|e| (e.tps.id, e.tps.types.clone()))
        .collect();
    settle::settle_locked(conn, &touched.into_iter().collect::<Vec<_>>()).await?;
    Ok(Recorded {
        updated: new.len(),
        unchanged: same.len(),
    })
}
