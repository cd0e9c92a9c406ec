//! `loksus export stations`, `summary`, `ballots`, `roll`, and voting day's `turnout`,
//! `ballot-accounts` and `participation`.

use std::path::PathBuf;

use clap::Subcommand;

use super::UsageError;
use crate::devtools::Database;
use crate::reports::table::xlsx_book;
use crate::{reports, stations};

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// One row per TPS: official counts, voters placed, ballots needed per type, readiness.
    Stations {
        /// Election slug (default: the nearest upcoming election, else the latest past one).
        #[arg(long)]
        election: Option<String>,
        /// Only this province (two-digit code, e.g. 16).
        #[arg(long)]
        province: Option<String>,
        /// Output format.
        #[arg(long, value_parser = ["csv"])]
        format: String,
        /// Write to this file instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// One row per facility: inmates, TPS, official counts, and what the roll says.
    Summary {
        /// Election slug (default: the nearest upcoming election, else the latest past one).
        #[arg(long)]
        election: Option<String>,
        /// Only this province (two-digit code, e.g. 16).
        #[arg(long)]
        province: Option<String>,
        /// Output format.
        #[arg(long, value_parser = ["csv", "xlsx"])]
        format: String,
        /// Write to this file instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// One row per active inmate of the facility's roll: NIK status, list, eligibility,
    /// reasons, flags, lateness, whether a pindah memilih form is needed, TPS.
    Roll {
        /// Facility code, e.g. lapas-lubuklinggau.
        #[arg(long)]
        facility: String,
        /// Election slug (default: the nearest upcoming election, else the latest past one).
        #[arg(long)]
        election: Option<String>,
        /// Output format.
        #[arg(long, value_parser = ["csv"])]
        format: String,
        /// Write to this file instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// One row per TPS: official counts and the latest turnout report (voted from DPT,
    /// DPTb, DPK, men, women, when).
    Turnout {
        /// Election slug (default: the nearest upcoming election, else the latest past one).
        #[arg(long)]
        election: Option<String>,
        /// Only this province (two-digit code, e.g. 16).
        #[arg(long)]
        province: Option<String>,
        /// Output format.
        #[arg(long, value_parser = ["csv"])]
        format: String,
        /// Write to this file instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// One row per TPS and ballot type there: the latest ballot accounting (received, used,
    /// damaged, unused) and whether it balances.
    BallotAccounts {
        /// Election slug (default: the nearest upcoming election, else the latest past one).
        #[arg(long)]
        election: Option<String>,
        /// Only this province (two-digit code, e.g. 16).
        #[arg(long)]
        province: Option<String>,
        /// Output format.
        #[arg(long, value_parser = ["csv"])]
        format: String,
        /// Write to this file instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// One row per facility: with the vote, voted, percent, TPS, TPS reporting, TPS not
    /// balanced, incidents not closed.
    Participation {
        /// Election slug (default: the nearest upcoming election, else the latest past one).
        #[arg(long)]
        election: Option<String>,
        /// Only this province (two-digit code, e.g. 16).
        #[arg(long)]
        province: Option<String>,
        /// Output format.
        #[arg(long, value_parser = ["csv", "xlsx"])]
        format: String,
        /// Write to this file instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// One row per voter placed on a TPS of the facility: which ballots they receive there
    /// (yes / no / unknown; empty where the ballot does not exist at that TPS).
    Ballots {
        /// Facility code, e.g. lapas-lubuklinggau.
        #[arg(long)]
        facility: String,
        /// Election slug (default: the nearest upcoming election, else the latest past one).
        #[arg(long)]
        election: Option<String>,
        /// Output format.
        #[arg(long, value_parser = ["csv"])]
        format: String,
        /// Write to this file instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
}

/// The tables `export` writes for an election and province.
#[derive(Clone, Copy, PartialEq, Eq)]
enum What {
    Stations,
    Summary,
    Turnout,
    BallotAccounts,
    Participation,
}

pub(super) async fn run(db: &Database, command: ExportCommand) -> anyhow::Result<()> {
    use ExportCommand as C;
    let (what, election, province, format, output) = match command {
        C::Ballots {
            facility,
            election,
            output,
            ..
        } => return ballots(db, &facility, election.as_deref(), output.as_deref()).await,
        C::Roll {
            facility,
            election,
            output,
            ..
        } => return roll(db, &facility, election.as_deref(), output.as_deref()).await,
        C::Stations {
            election,
            province,
            format,
            output,
        } => (What::Stations, election, province, format, output),
        C::Summary {
            election,
            province,
            format,
            output,
        } => (What::Summary, election, province, format, output),
        C::Turnout {
            election,
            province,
            format,
            output,
        } => (What::Turnout, election, province, format, output),
        C::BallotAccounts {
            election,
            province,
            format,
            output,
        } => (What::BallotAccounts, election, province, format, output),
        C::Participation {
            election,
            province,
            format,
            output,
        } => (What::Participation, election, province, format, output),
    };
    let election = election_or_usage_error(db, election).await?;
    if let Some(p) = &province {
        known_province_or_usage_error(db, p).await?;
    }
    let (bytes, rows) = table_bytes(db, what, &election, province.as_deref(), &format).await?;
    write_output(output.as_deref(), &bytes)?;
    let unit = match what {
        What::Stations | What::Turnout => "TPS",
        What::BallotAccounts => "ballot accounts",
        What::Summary | What::Participation => "facilities",
    };
    eprintln!("{rows} {unit} exported ({})", election.slug);
    Ok(())
}

/// The file's bytes and its number of rows.
async fn table_bytes(
    db: &Database,
    what: What,
    election: &crate::read::elections::Election,
    province: Option<&str>,
    format: &str,
) -> anyhow::Result<(Vec<u8>, usize)> {
    let pool = &db.pool;
    let mut bytes = Vec::new();
    let rows = match what {
        What::Stations => {
            stations::export::write_csv(pool, election.id, province, &mut bytes).await?
        }
        What::Turnout => {
            stations::day::export::write_turnout_csv(pool, election.id, province, &mut bytes)
                .await?
        }
        What::BallotAccounts => {
            stations::day::export::write_accounts_csv(pool, election.id, province, &mut bytes)
                .await?
        }
        What::Summary => {
            let summary = reports::export::summary(pool, election.id, province, None)
                .await
                .map_err(app_error)?;
            bytes = if format == "xlsx" {
                // The workbook adds the participation on voting day as a second sheet.
                let participation =
                    reports::export::participation(pool, election.id, province, None)
                        .await
                        .map_err(app_error)?;
                xlsx_book(&[&summary, &participation])?
            } else {
                summary.to_csv()?
            };
            summary.rows.len()
        }
        What::Participation => {
            let table = reports::export::participation(pool, election.id, province, None)
                .await
                .map_err(app_error)?;
            bytes = if format == "xlsx" {
                table.to_xlsx()?
            } else {
                table.to_csv()?
            };
            table.rows.len()
        }
    };
    Ok((bytes, rows))
}

async fn ballots(
    db: &Database,
    facility: &str,
    election: Option<&str>,
    output: Option<&std::path::Path>,
) -> anyhow::Result<()> {
    let place = super::place_or_usage_error(db, facility, election).await?;
    let mut bytes = Vec::new();
    let rows = stations::export::write_ballots_csv(&db.pool, &place, &mut bytes).await?;
    write_output(output, &bytes)?;
    eprintln!(
        "{rows} voters exported ({}, {})",
        place.facility_code, place.election.slug
    );
    Ok(())
}

async fn roll(
    db: &Database,
    facility: &str,
    election: Option<&str>,
    output: Option<&std::path::Path>,
) -> anyhow::Result<()> {
    let place = super::place_or_usage_error(db, facility, election).await?;
    let mut bytes = Vec::new();
    let rows = crate::rolls::export::write_csv(&db.pool, &place, &mut bytes).await?;
    write_output(output, &bytes)?;
    eprintln!(
        "{rows} inmates exported ({}, {})",
        place.facility_code, place.election.slug
    );
    Ok(())
}

/// The election by slug (the nearest upcoming when `None`); a usage error when unknown or none.
async fn election_or_usage_error(
    db: &Database,
    election: Option<String>,
) -> anyhow::Result<crate::read::elections::Election> {
    let query = crate::read::elections::ElectionQuery {
        pemilihan: election.clone(),
    };
    match crate::read::elections::selected(&db.pool, &query).await {
        Ok(Some(e)) => Ok(e),
        Ok(None) | Err(crate::http::error::AppError::NotFound) => Err(UsageError(format!(
            "unknown election {}",
            election.as_deref().unwrap_or("(there is none)")
        ))
        .into()),
        Err(e) => Err(anyhow::anyhow!("{e}")),
    }
}

async fn known_province_or_usage_error(db: &Database, p: &str) -> anyhow::Result<()> {
    let known = sqlx::query_scalar!(
        r#"select exists (select 1 from regions where code = $1 and parent_code is null) as "known!""#,
        p
    )
    .fetch_one(&db.pool)
    .await?;
    if !known {
        return Err(UsageError(format!("unknown province code {p}")).into());
    }
    Ok(())
}

fn app_error(e: crate::http::error::AppError) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

/// Writes to `output`, or to standard output when `None`.
fn write_output(output: Option<&std::path::Path>, bytes: &[u8]) -> anyhow::Result<()> {
    match output {
        Some(path) => std::fs::write(path, bytes)
            .map_err(|e| UsageError(format!("cannot write {}: {e}", path.display())))?,
        None => {
            use std::io::Write as _;
            let mut out = std::io::stdout().lock();
            out.write_all(bytes)?;
            out.flush()?;
        }
    }
    Ok(())
}
