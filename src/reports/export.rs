//! `loksus export summary`, `loksus export participation` and the `ringkasan` download: one
//! row per facility, in fixed column orders that scripts outside Loksus rely on. The summary
//! workbook (XLSX) carries the participation as its second sheet; its CSV keeps 18 columns.

use sqlx::PgPool;

use super::table::{Cell, Table};
use crate::http::error::Result;
use crate::read::{day, figures};

pub const SUMMARY_COLUMNS: [&str; 18] = [
    "province_code",
    "facility_code",
    "facility_name",
    "facility_type",
    "inmates",
    "stations",
    "stations_ready",
    "dpt",
    "dptb",
    "dpk",
    "with_vote",
    "roll_voters",
    "roll_eligible",
    "roll_under_age",
    "roll_rights_revoked",
    "roll_released",
    "roll_no_valid_nik",
    "roll_unregistered",
];

/// The summary of `election_id` (all provinces, or one; one facility for a registrar).
pub async fn summary(
    pool: &PgPool,
    election_id: i64,
    province: Option<&str>,
    facility: Option<i64>,
) -> Result<Table> {
    let rows = figures::facilities(pool, Some(election_id), province, facility).await?;
    Ok(Table {
        title: "Ringkasan".into(),
        columns: SUMMARY_COLUMNS.to_vec(),
        rows: rows
            .into_iter()
            .map(|r| {
                let f = r.figures;
                vec![
                    Cell::Text(r.province_code),
                    Cell::Text(r.code),
                    Cell::Text(r.name),
                    Cell::Text(r.facility_type),
                    Cell::Int(f.inmates),
                    Cell::Int(f.stations),
                    Cell::Int(f.stations_ready),
                    Cell::Int(f.dpt),
                    Cell::Int(f.dptb),
                    Cell::Int(f.dpk),
                    Cell::Int(f.with_vote()),
                    Cell::Int(f.roll_voters),
                    Cell::Int(f.roll_eligible),
                    Cell::Int(f.roll_under_age),
                    Cell::Int(f.roll_rights_revoked),
                    Cell::Int(f.roll_released),
                    Cell::Int(f.roll_no_valid_nik),
                    Cell::Int(f.roll_unregistered),
                ]
            })
            .collect(),
    })
}

pub const PARTICIPATION_COLUMNS: [&str; 10] = [
    "province_code",
    "facility_code",
    "facility_name",
    "with_vote",
    "voted",
    "percent",
    "tps",
    "tps_reported",
    "tps_unbalanced",
    "incidents_open",
];

/// Participation on voting day per facility (`loksus export participation`, and the second
/// sheet of the summary workbook): with the vote (official TPS counts), voted (the latest
/// turnout report of each TPS), the percentage, TPS, TPS reporting, TPS whose ballot
/// accounting does not balance, incidents not closed.
pub async fn participation(
    pool: &PgPool,
    election_id: i64,
    province: Option<&str>,
    facility: Option<i64>,
) -> Result<Table> {
    let rows = day::facilities(pool, election_id, province, facility).await?;
    Ok(Table {
        title: "Partisipasi".into(),
        columns: PARTICIPATION_COLUMNS.to_vec(),
        rows: rows
            .into_iter()
            .map(|r| {
                let f = r.figures;
                vec![
                    Cell::Text(r.province_code),
                    Cell::Text(r.code),
                    Cell::Text(r.name),
                    Cell::Int(f.with_vote),
                    Cell::Int(f.voted),
                    Cell::share(f.voted, f.with_vote),
                    Cell::Int(f.stations),
                    Cell::Int(f.stations_reported),
                    Cell::Int(f.stations_unbalanced),
                    Cell::Int(f.incidents_open),
                ]
            })
            .collect(),
    })
}
