//! `loksus export stations`: one row per TPS, in a fixed column order that scripts outside
//! Loksus rely on.

use std::io::Write;

use sqlx::PgPool;

use crate::domain::ballots::BallotType;
use crate::domain::voter::VoterList;
use crate::read::places::Place;
use crate::read::stations::placed_on;
use crate::read::summary::{self, Filter, Rules};

pub const COLUMNS: [&str; 15] = [
    "province_code",
    "facility_code",
    "tps_number",
    "dpt",
    "dptb",
    "dpk",
    "voters_assigned",
    "ballots_ppwp",
    "ballots_dpr",
    "ballots_dpd",
    "ballots_dprd_prov",
    "ballots_dprd_kabkota",
    "ready_items",
    "total_items",
    "ready",
];

const BALLOT_COLUMNS: [BallotType; 5] = [
    BallotType::Ppwp,
    BallotType::Dpr,
    BallotType::Dpd,
    BallotType::DprdProv,
    BallotType::DprdKabkota,
];

/// Writes the CSV for `election_id` (all provinces, or one). Ballot columns hold the planning
/// need of each type (DPT + DPTb/DPK voters who are or may be entitled + reserve); they are
/// empty for a type that does not exist at that TPS.
/// Returns the number of rows written.
pub async fn write_csv(
    pool: &PgPool,
    election_id: i64,
    province: Option<&str>,
    out: impl Write,
) -> anyhow::Result<usize> {
    let mut conn = pool.acquire().await?;
    let rules = Rules::load(&mut conn, election_id).await?;
    let stations = summary::load(
        &mut conn,
        &rules,
        Filter {
            province,
            ..Filter::default()
        },
    )
    .await?;
    let mut w = crate::http::csv::Writer::new(out);
    w.row(COLUMNS)?;
    for s in &stations {
        let mut row = vec![
            s.province_code.clone(),
            s.facility_code.clone(),
            s.tps_number.to_string(),
            s.dpt.to_string(),
            s.dptb.to_string(),
            s.dpk.to_string(),
            s.voters.to_string(),
        ];
        for t in BALLOT_COLUMNS {
            row.push(
                s.ballot(t)
                    .map(|b| b.need.planning().to_string())
                    .unwrap_or_default(),
            );
        }
        row.push(s.ready_items().to_string());
        row.push(s.items.len().to_string());
        row.push(s.ready().to_string());
        w.row(&row)?;
    }
    w.finish()?.flush()?;
    Ok(stations.len())
}

/// `loksus export ballots`: one row per voter placed on a TPS of the facility, in this order.
pub const BALLOT_COLUMNS_PER_VOTER: [&str; 13] = [
    "no_registrasi",
    "nama",
    "list",
    "home_region",
    "tps_number",
    "tps_location",
    "ppwp",
    "dpr",
    "dpd",
    "dprd_prov",
    "dprd_kabkota",
    "gubernur",
    "bupati_walikota",
];

/// Writes each placed voter's entitlement at their TPS for the facility of `place`: `yes`,
/// `no`, `unknown` (home or dapil not known), or empty where the ballot does not exist at
/// that TPS. Voters by TPS, then name. Returns the number of rows written.
pub async fn write_ballots_csv(
    pool: &PgPool,
    place: &Place,
    out: impl Write,
) -> anyhow::Result<usize> {
    let mut conn = pool.acquire().await?;
    let rules = Rules::load(&mut conn, place.election.id).await?;
    let stations = summary::load(
        &mut conn,
        &rules,
        Filter {
            facility: Some(place.facility_id),
            ..Filter::default()
        },
    )
    .await?;
    drop(conn);
    let mut w = crate::http::csv::Writer::new(out);
    w.row(BALLOT_COLUMNS_PER_VOTER)?;
    let mut rows = 0;
    for s in &stations {
        let types = s.ballot_types();
        for v in placed_on(pool, &rules, s).await? {
            let e = v.entitlement;
            let mut row = vec![
                v.registration_no.unwrap_or_default(),
                v.name,
                v.list.map(VoterList::as_str).unwrap_or_default().to_owned(),
                v.home.unwrap_or_default(),
                s.tps_number.to_string(),
                s.location_code.clone().unwrap_or_default(),
            ];
            row.extend(BallotType::ALL.into_iter().map(|t| {
                let mark = if !types.contains(&t) {
                    ""
                } else if e.ballots.contains(t) {
                    "yes"
                } else if e.uncertain.contains(t) {
                    "unknown"
                } else {
                    "no"
                };
                mark.to_owned()
            }));
            w.row(&row)?;
            rows += 1;
        }
    }
    w.finish()?.flush()?;
    Ok(rows)
}
