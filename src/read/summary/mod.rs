//! Everything known about a set of TPS, computed in a fixed handful of queries whatever their
//! number: official counts, voters placed, ballots needed and received, readiness. The TPS
//! page, the facility page, the province readiness matrix and `loksus export stations` all
//! read it, so they always agree.

mod build;
mod queries;

use sqlx::PgConnection;
use time::OffsetDateTime;

use crate::domain::ballots::{BallotType, Contest, Dapils, Need};
use crate::domain::readiness::{self, Auto, Status};
use crate::http::error::Result;

/// The rules of an election that TPS figures depend on.
#[derive(Debug, Clone)]
pub struct Rules {
    pub election_id: i64,
    pub ballot_types: Vec<BallotType>,
    /// A Pilkada's contests: where each contest ballot exists.
    pub contests: Vec<(BallotType, String)>,
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
        let contests = sqlx::query!(
            "select contest, region_code from election_contests where election_id = $1
             order by contest, region_code",
            election_id
        )
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .filter_map(|c| Some((BallotType::parse(&c.contest)?, c.region_code)))
        .collect();
        Ok(Rules {
            election_id,
            contests,
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

/// One ballot type that exists at a TPS: what it needs and what it received.
#[derive(Debug, Clone)]
pub struct BallotLine {
    pub need: Need,
    pub received: i64,
}

impl BallotLine {
    pub fn ballot_type(&self) -> BallotType {
        self.need.ballot_type
    }

    /// Short of the planning figure (every uncertain voter entitled).
    pub fn shortage(&self) -> i64 {
        (self.need.planning() - self.received).max(0)
    }

    /// Short of what is certainly needed.
    pub fn certain_shortage(&self) -> i64 {
        (self.need.certain() - self.received).max(0)
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
    /// The facility's kab/kota: where the TPS stands when its location is not set.
    pub kabkota_code: String,
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
    /// The ballot types that exist at this TPS, with what each needs.
    pub ballots: Vec<BallotLine>,
    /// Whether any ballots were recorded as received.
    pub ballots_recorded: bool,
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
        self.ballots.iter().find(|b| b.ballot_type() == t)
    }

    /// Ballots short of the planning figure, over every type, once receipt is recorded
    /// (before that the readiness item says the ballots have not arrived).
    pub fn shortage(&self) -> i64 {
        if !self.ballots_recorded {
            return 0;
        }
        self.ballots.iter().map(BallotLine::shortage).sum()
    }

    /// The ballot types that exist at this TPS, in the election's order.
    pub fn ballot_types(&self) -> Vec<BallotType> {
        self.ballots.iter().map(BallotLine::ballot_type).collect()
    }

    /// One ballot box per ballot type at this TPS (Pemilu 5, DKI Jakarta 4, Pilkada 2).
    pub fn ballot_boxes(&self) -> usize {
        self.ballots.len()
    }

    /// Where the TPS stands: its location, or its facility's kab/kota.
    pub fn place(&self) -> &str {
        self.location_code.as_deref().unwrap_or(&self.kabkota_code)
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
        .map(|s| s.location_code.as_ref().unwrap_or(&s.kabkota_code)[..2].to_owned())
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
