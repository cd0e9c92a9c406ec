//! `loksus export stations`: one row per TPS, in a fixed column order that scripts outside
//! Loksus rely on.

use std::io::Write;

use sqlx::PgPool;

use crate::domain::ballots::BallotType;
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

/// Writes the CSV for `election_id` (all provinces, or one). Ballot columns hold the ballots
/// needed (voters entitled + reserve); they are empty for a type the election does not have.
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
                    .map(|b| b.needed.to_string())
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
