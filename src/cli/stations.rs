//! `loksus allocate` and `loksus dapils import`: the command-line twins of the facility
//! page's "Alokasikan" button and the dapil page's upload.

use std::path::Path;

use clap::Subcommand;

use super::{Rejected, UsageError};
use crate::db::audit::Actor;
use crate::devtools::Database;
use crate::domain::csv_file::RowError;
use crate::stations::{allocate, dapils};

#[derive(Debug, Subcommand)]
pub enum DapilsCommand {
    /// Replace the election's dapils with a CSV file (election, contest, dapil_code,
    /// dapil_name, region_code); every row must name that election. Exit 1 when rows were
    /// rejected (nothing stored).
    Import {
        file: std::path::PathBuf,
        /// Election slug the file is for.
        #[arg(long)]
        election: String,
    },
}

/// Places the eligible voters of a facility's roll on its TPS and prints what moved.
pub(super) async fn allocate(
    db: &Database,
    facility: &str,
    election: Option<&str>,
) -> anyhow::Result<()> {
    let place = super::place_or_usage_error(db, facility, election).await?;
    let mut tx = db.pool.begin().await?;
    let o = allocate::allocate(&mut tx, &Actor::command_line(), &place)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    tx.commit().await?;
    println!(
        "eligible {}, moved {}, unplaced {}, missing_stations {}, kpu_tps_elsewhere {} ({}, {})",
        o.eligible,
        o.moved,
        o.unplaced,
        o.missing_stations,
        o.kpu_tps_elsewhere,
        place.facility_code,
        place.election.slug
    );
    Ok(())
}

pub(super) async fn run(db: &Database, command: DapilsCommand) -> anyhow::Result<()> {
    let DapilsCommand::Import { file, election } = command;
    import(db, &file, &election).await
}

async fn import(db: &Database, file: &Path, election: &str) -> anyhow::Result<()> {
    let content = std::fs::read(file)
        .map_err(|e| UsageError(format!("cannot open {}: {e}", file.display())))?;
    let rows = dapils::parse(&content).and_then(|rows| {
        let other: Vec<RowError> = rows
            .iter()
            .filter(|r| r.election != election)
            .map(|r| {
                let msg = format!(
                    "Baris ini untuk pemilihan \"{}\", bukan \"{election}\".",
                    r.election
                );
                RowError::new(r.line, "election", msg)
            })
            .collect();
        if other.is_empty() {
            Ok(rows)
        } else {
            Err(other)
        }
    });
    let rows = rows.map_err(|errors| print_rejected(&errors))?;
    let mut tx = db.pool.begin().await?;
    match dapils::import(&mut tx, &Actor::command_line(), &rows, false).await {
        Ok(done) => {
            tx.commit().await?;
            println!(
                "imported {} dapils, {} areas ({election})",
                done.dapils, done.regions
            );
            Ok(())
        }
        Err(dapils::ImportError::Rows(errors)) => Err(print_rejected(&errors)),
        Err(dapils::ImportError::Database(e)) => Err(e.into()),
    }
}

/// Prints each rejected row (the first 100) and gives the error that exits 1.
fn print_rejected(errors: &[RowError]) -> anyhow::Error {
    for e in errors.iter().take(100) {
        eprintln!("row {}, {}: {}", e.line, e.column, e.message);
    }
    Rejected.into()
}
