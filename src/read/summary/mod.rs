//! Everything known about a set of TPS, computed in a fixed handful of queries whatever their
//! number: official counts, voters placed, ballots needed and received, readiness. The TPS
//! page, the facility page, the province readiness matrix and `loksus export stations` all
//! read it, so they always agree.

mod build;
mod queries;

use sqlx::PgConnection;
use time::OffsetDateTime;

use crate::domain::ballots::{BallotType, Contest, Dapils};
use crate::domain::readiness::{self, Auto, Status};
use crate::http::error::Result;

/// The rules of an election that TPS figures depend on.
#[derive(Debug, Clone)]
pub struct Rules {
    pub election_id: i64,
    pub ballot_types: Vec<BallotType>,
    pub reserve_basis_points: i64,
    pub max_voters_per_tps: i64,
}

impl Rules {
    pub async fn load(conn: &mut PgConnection, election_id: i64) -> Result<Rules> {
        let r = sqlx::query!(
            "select ballot_types, reserve_basis_points, max_voters_per_tps
             from elections where id = $1",
            election_id
        )
        .fetch_one(&mut *conn)
        .await?;
        Ok(Rules {
            election_id,
            ballot_types: r
                .ballot_types
                .iter()
                .filter_map(|t| BallotType::parse(t))
                .collect(),
            reserve_basis_points: r.reserve_basis_points.into(),
            max_voters_per_tps: r.max_voters_per_tps.into(),
        })
    }
}

/// Which TPS to summarise (all filters optional, combined with "and").
#[derive(Debug, Clone, Copy, Default)]
pub struct Filter<'a> {
    pub province: Option<&'a str>,
    pub facility: Option<i64>,
    pub station: Option<i64>,
    /// Any of these facilities.
    pub facilities: Option<&'a [i64]>,
}

#[derive(Debug, Clone)]
pub struct BallotLine {
    pub ballot_type: BallotType,
    /// Voters placed on the TPS who receive this ballot.
    pub entitled: i64,
    pub reserve: i64,
    pub needed: i64,
    pub received: i64,
}

impl BallotLine {
    pub fn shortage(&self) -> i64 {
        (self.needed - self.received).max(0)
    }
}

#[derive(Debug, Clone)]
pub struct ItemState {
    pub item_id: i64,
    pub label: String,
    pub short_label: String,
    pub required: bool,
    pub auto: Option<Auto>,
    pub status: Status,
    pub note: String,
    pub actor: Option<String>,
    pub updated_at: Option<OffsetDateTime>,
}

#[derive(Debug, Clone)]
pub struct StationSummary {
    pub id: i64,
    pub facility_id: i64,
    pub facility_code: String,
    pub facility_name: String,
    pub province_code: String,
    pub tps_number: i32,
    pub name: Option<String>,
    pub location_code: Option<String>,
    pub dpt: i64,
    pub dptb: i64,
    pub dpk: i64,
    pub version: i32,
    /// Eligible voters placed on this TPS, and how many of them are on each list.
    pub voters: i64,
    pub roll_dpt: i64,
    pub roll_dptb: i64,
    pub roll_dpk: i64,
    /// Voters for whom some ballot could not be decided (missing dapil or home address).
    pub uncertain_voters: i64,
    pub ballots: Vec<BallotLine>,
    pub items: Vec<ItemState>,
}

impl StationSummary {
    pub fn ready_items(&self) -> usize {
        self.items
            .iter()
            .filter(|i| i.status == Status::Ready)
            .count()
    }

    pub fn ready(&self) -> bool {
        let items: Vec<(bool, Status)> =
            self.items.iter().map(|i| (i.required, i.status)).collect();
        readiness::is_ready(&items)
    }

    /// Required items that are not siap yet.
    pub fn missing(&self) -> impl Iterator<Item = &ItemState> {
        self.items
            .iter()
            .filter(|i| i.required && i.status != Status::Ready)
    }

    pub fn ballot(&self, t: BallotType) -> Option<&BallotLine> {
        self.ballots.iter().find(|b| b.ballot_type == t)
    }

    pub fn shortage(&self) -> i64 {
        self.ballots.iter().map(BallotLine::shortage).sum()
    }

    /// Whether the roll's lists differ from the official counts (only once voters are placed).
    pub fn differs_from_roll(&self) -> bool {
        self.voters > 0
            && (self.roll_dpt, self.roll_dptb, self.roll_dpk) != (self.dpt, self.dptb, self.dpk)
    }
}

/// The election's dapils in `provinces` (all when `None`), as the entitlement rule reads them.
/// A TPS only ever needs the dapils of its own province: a voter from elsewhere gets no
/// DPR or DPRD ballot whatever the dapils say.
pub async fn dapils(
    conn: &mut PgConnection,
    election_id: i64,
    provinces: Option<&[String]>,
) -> Result<Dapils> {
    let rows = sqlx::query!(
        "select r.contest, r.region_code, d.code
         from dapil_regions r join dapils d on d.id = r.dapil_id
         where r.election_id = $1 and ($2::text[] is null or left(r.region_code, 2) = any($2))",
        election_id,
        provinces
    )
    .fetch_all(conn)
    .await?;
    let mut d = Dapils::default();
    for r in rows {
        if let Some(c) = Contest::parse(&r.contest) {
            d.insert(c, r.region_code, r.code);
        }
    }
    Ok(d)
}

/// Summaries of the TPS `filter` selects, in province, facility and TPS order.
pub async fn load(
    conn: &mut PgConnection,
    rules: &Rules,
    filter: Filter<'_>,
) -> Result<Vec<StationSummary>> {
    let stations = queries::stations(conn, rules.election_id, &filter).await?;
    let ids: Vec<i64> = stations.iter().map(|s| s.id).collect();
    let voters = queries::eligible_voters(conn, &ids).await?;
    let provinces: Vec<String> = stations
        .iter()
        .filter_map(|s| s.location_code.as_ref().map(|l| l[..2].to_owned()))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let dapils = dapils(conn, rules.election_id, Some(&provinces)).await?;
    let facts = build::Facts {
        tallies: build::tally(&stations, &voters, rules, &dapils),
        received: queries::received(conn, &ids).await?,
        items: queries::items(conn, rules.election_id).await?,
        statuses: queries::statuses(conn, &ids).await?,
    };
    Ok(facts.summaries(stations, rules))
}
