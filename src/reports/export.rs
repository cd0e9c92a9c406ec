//! `loksus export summary` and the `ringkasan` download: one row per facility, in a fixed
//! column order that scripts outside Loksus rely on.

use sqlx::PgPool;

use super::table::{Cell, Table};
use crate::http::error::Result;
use crate::read::figures;

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
