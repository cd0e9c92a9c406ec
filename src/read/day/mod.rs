//! Voting day as the pages and exports read it (issue 15): turnout and ballot accounting per
//! TPS (the latest of each, kept in `station_voting_day` by [`settle`]), their history, the
//! day's figures per facility, and the open incidents (the `incidents` table, read as it is).

pub mod settle;
mod stations;

use std::collections::HashMap;

use sqlx::PgPool;
use time::OffsetDateTime;

use crate::domain::ballot_accounts::{Account, Balance};
use crate::domain::ballots::BallotType;
use crate::domain::turnout::{DayFigures, Turnout};
use crate::http::error::Result;

pub use stations::{DayStation, station, stations};

/// A TPS's voting day as the reports see it.
#[derive(Debug, Clone, Default)]
pub struct StationDay {
    /// The latest turnout report.
    pub turnout: Option<Turnout>,
    pub balance: Balance,
}

/// The voting day of each of `ids` that has anything recorded.
pub async fn station_days(pool: &PgPool, ids: &[i64]) -> Result<HashMap<i64, StationDay>> {
    let rows = sqlx::query!(
        "select station_id, voted_dpt, voted_dptb, voted_dpk, voted_men, voted_women, balance
         from station_voting_day where station_id = any($1)",
        ids
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let turnout = match (
                r.voted_dpt,
                r.voted_dptb,
                r.voted_dpk,
                r.voted_men,
                r.voted_women,
            ) {
                (Some(dpt), Some(dptb), Some(dpk), Some(men), Some(women)) => Some(Turnout {
                    dpt: dpt.into(),
                    dptb: dptb.into(),
                    dpk: dpk.into(),
                    men: men.into(),
                    women: women.into(),
                }),
                _ => None,
            };
            let day = StationDay {
                turnout,
                balance: Balance::parse(&r.balance),
            };
            (r.station_id, day)
        })
        .collect())
}

/// One turnout report of a TPS.
pub struct TurnoutReport {
    pub turnout: Turnout,
    pub actor: String,
    pub reported_at: OffsetDateTime,
}

/// Every turnout report of a TPS, newest first (the latest counts).
pub async fn turnout_history(pool: &PgPool, station_id: i64) -> Result<Vec<TurnoutReport>> {
    Ok(sqlx::query!(
        "select voted_dpt, voted_dptb, voted_dpk, voted_men, voted_women, actor, reported_at
         from turnout_reports where station_id = $1
         order by reported_at desc, id desc",
        station_id
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| TurnoutReport {
        turnout: Turnout {
            dpt: r.voted_dpt.into(),
            dptb: r.voted_dptb.into(),
            dpk: r.voted_dpk.into(),
            men: r.voted_men.into(),
            women: r.voted_women.into(),
        },
        actor: r.actor,
        reported_at: r.reported_at,
    })
    .collect())
}

/// One recorded account of a ballot type.
pub struct AccountRecord {
    pub ballot_type: BallotType,
    pub account: Account,
    pub actor: String,
    pub recorded_at: OffsetDateTime,
}

/// Every ballot account of a TPS, newest first (the latest per type counts).
pub async fn account_history(pool: &PgPool, station_id: i64) -> Result<Vec<AccountRecord>> {
    Ok(sqlx::query!(
        "select ballot_type, received, used, damaged, unused, actor, recorded_at
         from ballot_accounts where station_id = $1
         order by recorded_at desc, id desc",
        station_id
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .filter_map(|r| {
        Some(AccountRecord {
            ballot_type: BallotType::parse(&r.ballot_type)?,
            account: Account {
                received: r.received.into(),
                used: r.used.into(),
                damaged: r.damaged.into(),
                unused: r.unused.into(),
            },
            actor: r.actor,
            recorded_at: r.recorded_at,
        })
    })
    .collect())
}

/// A facility and its voting-day figures.
#[derive(Debug, Clone)]
pub struct FacilityDay {
    pub code: String,
    pub name: String,
    pub province_code: String,
    pub province_name: String,
    pub figures: DayFigures,
}

/// Every facility in scope with its voting-day figures for the election, by province and
/// name: TPS and their official counts, the latest turnout reports summed, TPS that do not
/// balance, incidents not closed.
pub async fn facilities(
    pool: &PgPool,
    election_id: i64,
    province: Option<&str>,
    facility: Option<i64>,
) -> Result<Vec<FacilityDay>> {
    let rows = sqlx::query!(
        r#"with s as (
               select s.facility_id, count(*) as stations,
                      sum(s.dpt + s.dptb + s.dpk) as with_vote,
                      count(d.reported_at) as reported,
                      sum(d.voted_dpt + d.voted_dptb + d.voted_dpk) as voted,
                      sum(d.voted_men) as men, sum(d.voted_women) as women,
                      count(*) filter (where d.balance = 'unbalanced') as unbalanced
               from stations s left join station_voting_day d on d.station_id = s.id
               where s.election_id = $1
               group by s.facility_id
           ), i as (
               select facility_id, count(*) as open from incidents
               where election_id = $1 and status <> 'closed'
               group by facility_id
           )
           select f.code, f.name, f.province_code, p.name as province_name,
                  coalesce(s.stations, 0) as "stations!", coalesce(s.with_vote, 0) as "with_vote!",
                  coalesce(s.reported, 0) as "reported!", coalesce(s.voted, 0) as "voted!",
                  coalesce(s.men, 0) as "men!", coalesce(s.women, 0) as "women!",
                  coalesce(s.unbalanced, 0) as "unbalanced!", coalesce(i.open, 0) as "open!"
           from facilities f
           join regions p on p.code = f.province_code
           left join s on s.facility_id = f.id
           left join i on i.facility_id = f.id
           where ($2::text is null or f.province_code = $2) and ($3::bigint is null or f.id = $3)
           order by f.province_code, f.name"#,
        election_id,
        province,
        facility
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| FacilityDay {
            code: r.code,
            name: r.name,
            province_code: r.province_code,
            province_name: r.province_name,
            figures: DayFigures {
                facilities: 1,
                stations: r.stations,
                with_vote: r.with_vote,
                stations_reported: r.reported,
                voted: r.voted,
                men: r.men,
                women: r.women,
                stations_unbalanced: r.unbalanced,
                incidents_open: r.open,
            },
        })
        .collect())
}

/// An open incident of severity `emergency`: shown on every dashboard above it at once.
pub struct Emergency {
    pub facility_code: String,
    pub facility_name: String,
    pub tps_number: Option<i32>,
    pub description: String,
    pub occurred_at: OffsetDateTime,
}

/// The open emergencies of the election in scope, newest first (at most 50).
pub async fn emergencies(
    pool: &PgPool,
    election_id: i64,
    province: Option<&str>,
    facility: Option<i64>,
) -> Result<Vec<Emergency>> {
    Ok(sqlx::query_as!(
        Emergency,
        r#"select f.code as facility_code, f.name as facility_name,
                  s.tps_number as "tps_number?", i.description, i.occurred_at
           from incidents i
           join facilities f on f.id = i.facility_id
           left join stations s on s.id = i.station_id
           where i.election_id = $1 and i.severity = 'emergency' and i.status <> 'closed'
             and ($2::text is null or f.province_code = $2) and ($3::bigint is null or f.id = $3)
           order by i.occurred_at desc, i.id desc
           limit 50"#,
        election_id,
        province,
        facility
    )
    .fetch_all(pool)
    .await?)
}

/// The incidents of a facility not closed, counted per TPS (`None`: the facility's own).
pub async fn open_incidents_by_station(
    pool: &PgPool,
    election_id: i64,
    facility_id: i64,
) -> Result<HashMap<Option<i64>, i64>> {
    Ok(sqlx::query!(
        r#"select station_id, count(*) as "open!" from incidents
           where election_id = $1 and facility_id = $2 and status <> 'closed'
           group by station_id"#,
        election_id,
        facility_id
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| (r.station_id, r.open))
    .collect())
}

/// The day's figures kept per province (`province_voting_day`: TPS reporting, voted, TPS not
/// balanced) with the incidents not closed, for the provinces in scope that have any. The
/// TPS and their official counts are the province's figures (`read::figures`).
pub async fn provinces(
    pool: &PgPool,
    election_id: i64,
    province: Option<&str>,
) -> Result<HashMap<String, DayFigures>> {
    let rows = sqlx::query!(
        r#"with p as (
               select * from province_voting_day
               where election_id = $1 and ($2::text is null or province_code = $2)
           ), i as (
               select f.province_code, count(*) as open
               from incidents i join facilities f on f.id = i.facility_id
               where i.election_id = $1 and i.status <> 'closed'
                 and ($2::text is null or f.province_code = $2)
               group by f.province_code
           )
           select coalesce(p.province_code, i.province_code) as "code!",
                  coalesce(p.stations_reported, 0) as "reported!",
                  coalesce(p.voted, 0) as "voted!", coalesce(p.voted_men, 0) as "men!",
                  coalesce(p.voted_women, 0) as "women!",
                  coalesce(p.stations_unbalanced, 0) as "unbalanced!",
                  coalesce(i.open, 0) as "open!"
           from p full join i on i.province_code = p.province_code"#,
        election_id,
        province
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let f = DayFigures {
                stations_reported: r.reported.into(),
                voted: r.voted,
                men: r.men,
                women: r.women,
                stations_unbalanced: r.unbalanced.into(),
                incidents_open: r.open,
                ..DayFigures::default()
            };
            (r.code, f)
        })
        .collect())
}
