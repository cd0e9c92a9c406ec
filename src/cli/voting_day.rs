//! `loksus turnout import` and `loksus ballot-accounts import`: voting day's figures from a
//! file with the columns of `loksus export turnout` / `export ballot-accounts`, all or
//! nothing. Exit 0 when recorded, 1 when any row is refused (each on standard error as
//! `row N, column C: message`; nothing changed), 2 for an unknown election or an unreadable
//! file. The last line on standard output is always `updated N, unchanged N, rejected N`.

use std::path::{Path, PathBuf};

use clap::Subcommand;

use super::{Rejected, UsageError};
use crate::db::audit::Actor;
use crate::devtools::Database;
use crate::read::elections::{self, ElectionQuery};
use crate::stations::day::import::{self, Report};

#[derive(Debug, Subcommand)]
pub enum TurnoutCommand {
    /// Record turnout per TPS (province_code, facility_code, tps_number, voted_dpt,
    /// voted_dptb, voted_dpk, voted_men, voted_women; dpt, dptb, dpk and reported_at are
    /// ignored). A row equal to the TPS's latest report is unchanged.
    Import {
        file: PathBuf,
        /// Election slug the file is for.
        #[arg(long)]
        election: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum BallotAccountsCommand {
    /// Record ballot accounting per TPS and ballot type (province_code, facility_code,
    /// tps_number, ballot_type, received, used, damaged, unused; balanced is ignored).
    Import {
        file: PathBuf,
        /// Election slug the file is for.
        #[arg(long)]
        election: String,
    },
}

/// Which file an import reads.
#[derive(Clone, Copy)]
pub(super) enum Kind {
    Turnout,
    BallotAccounts,
}

pub(super) async fn turnout(db: &Database, command: TurnoutCommand) -> anyhow::Result<()> {
    let TurnoutCommand::Import { file, election } = command;
    run(db, Kind::Turnout, &file, &election).await
}

pub(super) async fn ballot_accounts(
    db: &Database,
    command: BallotAccountsCommand,
) -> anyhow::Result<()> {
    let BallotAccountsCommand::Import { file, election } = command;
    run(db, Kind::BallotAccounts, &file, &election).await
}

async fn run(db: &Database, kind: Kind, file: &Path, slug: &str) -> anyhow::Result<()> {
    let query = ElectionQuery {
        pemilihan: Some(slug.to_owned()),
    };
    let election = match elections::selected(&db.pool, &query).await {
        Ok(Some(e)) => e,
        Ok(None) | Err(crate::http::error::AppError::NotFound) => {
            return Err(UsageError(format!("unknown election {slug}")).into());
        }
        Err(e) => return Err(anyhow::anyhow!("{e}")),
    };
    let content = std::fs::read(file)
        .map_err(|e| UsageError(format!("cannot open {}: {e}", file.display())))?;
    let actor = Actor::command_line();
    let report = match kind {
        Kind::Turnout => import::import_turnout(&db.pool, &election, &content, &actor).await?,
        Kind::BallotAccounts => {
            import::import_accounts(&db.pool, &election, &content, &actor).await?
        }
    };
    print(&report);
    if report.errors.is_empty() {
        Ok(())
    } else {
        Err(Rejected.into())
    }
}

/// Each refused row (standard error), then the summary line (standard output).
fn print(report: &Report) {
    for e in &report.errors {
        let column = if e.column.is_empty() { "-" } else { e.column };
        eprintln!("row {}, column {column}: {}", e.line, e.message);
    }
    println!("{}", report.summary_line());
}
