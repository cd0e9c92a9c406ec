//! `loksus roll import`.

use std::path::PathBuf;

use clap::Subcommand;

use super::{Rejected, UsageError};
use crate::db::audit::Actor;
use crate::devtools::Database;
use crate::rolls::{
    self,
    import::{ImportError, Mode, Options, Transfers},
};

#[derive(Debug, Subcommand)]
pub enum RollCommand {
    /// Import a roll file (CSV) into a facility's roll. Exit 0 when written (or valid, with
    /// --dry-run), 1 when rows were rejected and nothing was written, 2 for usage errors.
    Import {
        /// The CSV file (see the README for its columns).
        file: PathBuf,
        /// Facility code, e.g. lapas-lubuklinggau.
        #[arg(long)]
        facility: String,
        /// Election slug (default: the nearest upcoming election, else the latest past one).
        #[arg(long)]
        election: Option<String>,
        /// upsert: add and update; replace: the file is the whole roll, absent inmates depart.
        #[arg(long, default_value = "upsert", value_parser = ["upsert", "replace"])]
        mode: String,
        /// Write the valid rows even when some rows are rejected.
        #[arg(long)]
        skip_invalid: bool,
        /// Accept a NIK on another facility's roll as a transfer to this facility.
        #[arg(long)]
        accept_transfers: bool,
        /// Check the file and report, but write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

pub(super) async fn run(db: &Database, command: RollCommand) -> anyhow::Result<()> {
    let RollCommand::Import {
        file,
        facility,
        election,
        mode,
        skip_invalid,
        accept_transfers,
        dry_run,
    } = command;
    let roll = crate::read::places::facility(&db.pool, &facility, election.as_deref())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .ok_or_else(|| {
            UsageError(format!(
                "unknown facility {facility} or election {}",
                election.as_deref().unwrap_or("(latest)")
            ))
        })?;
    let input = std::fs::File::open(&file)
        .map_err(|e| UsageError(format!("cannot open {}: {e}", file.display())))?;
    let mode = Mode::parse(&mode)
        .ok_or_else(|| UsageError(format!("unknown mode {mode} (upsert or replace)")))?;
    let opts = Options {
        skip_invalid,
        transfers: if accept_transfers {
            Transfers::Move
        } else {
            Transfers::Refuse
        },
        dry_run,
        ..Options::new(mode)
    };
    let today = time::OffsetDateTime::now_utc().date();
    let report =
        match rolls::import::import(&db.pool, &roll, input, opts, &Actor::command_line(), today)
            .await
        {
            Ok(r) => r,
            Err(ImportError::File(msg)) => {
                eprintln!("{}: {msg}", file.display());
                println!("{}", rolls::import::Report::default().summary_line());
                return Err(Rejected.into());
            }
            Err(ImportError::AlreadyConfirmed) => anyhow::bail!("the upload was confirmed already"),
            Err(ImportError::Database(e)) => return Err(e.into()),
        };
    print_report(&report, dry_run, &roll.facility_code);
    if report.rejected > 0 && !skip_invalid {
        return Err(Rejected.into());
    }
    Ok(())
}

/// The rejected rows and the notes on flagged rows (standard error), the moves and the
/// summary line (standard output).
fn print_report(report: &rolls::import::Report, dry_run: bool, to_code: &str) {
    for e in &report.errors {
        let column = if e.column.is_empty() { "-" } else { e.column };
        eprintln!("row {}, column {column}: {}", e.line, e.message);
    }
    for w in &report.warnings {
        eprintln!(
            "warning: row {}, column {}: {}",
            w.line, w.column, w.message
        );
    }
    if report.unlisted_flagged > 0 {
        eprintln!(
            "warning: {} more flagged rows not listed",
            report.unlisted_flagged
        );
    }
    for m in &report.moves {
        let verb = if dry_run { "would move" } else { "moved" };
        println!(
            "{verb} NIK {} ({}) from {} to {}",
            m.nik, m.name, m.from_code, to_code
        );
    }
    if report.transferred > 0 {
        println!("transferred from other facilities {}", report.transferred);
    }
    println!("{}", report.summary_line());
}
