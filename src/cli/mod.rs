//! The `loksus` command line. Every subcommand finds its database the same way: `DATABASE_URL`
//! when set, otherwise the private cluster in the data directory. The subcommands live one
//! group per file: [`serve`], [`demo`], [`roll`] (imports), [`reconcile`], [`export`],
//! [`user`], [`election`], [`regions`] (the Kemendagri reference), [`voting_day`] (turnout
//! and ballot-account imports).

mod demo;
mod election;
mod export;
mod reconcile;
mod regions;
mod roll;
mod serve;
mod stations;
mod user;
mod voting_day;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::devtools::Database;
use crate::rolls;

pub use demo::DemoCommand;
pub use election::ElectionCommand;
pub use export::ExportCommand;
pub use regions::RegionsCommand;
pub use roll::RollCommand;
pub use serve::{ServeArgs, shutdown_signal};
pub use stations::DapilsCommand;
pub use user::UserCommand;
pub use voting_day::{BallotAccountsCommand, TurnoutCommand};

#[derive(Debug, Parser)]
#[command(
    name = "loksus",
    version,
    about = "Election logistics for the special polling stations (TPS Loksus) of prisons, \
             detention centres and juvenile facilities",
    long_about = None
)]
pub struct Cli {
    /// PostgreSQL database to use. When unset, Loksus runs a private PostgreSQL cluster
    /// inside the data directory.
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,

    /// Where the private PostgreSQL cluster (and other local data) is kept.
    #[arg(long, env = "LOKSUS_DATA_DIR", global = true, default_value = "data")]
    pub data_dir: PathBuf,

    /// Settings of the web server when no subcommand is given (same as `loksus serve`).
    #[command(flatten)]
    pub serve: ServeArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server (the default when no subcommand is given).
    Serve(ServeArgs),
    /// Apply the database migrations, then exit.
    Migrate,
    /// Demo data built from published Pemilu 2024 figures.
    Demo {
        #[command(subcommand)]
        command: DemoCommand,
    },
    /// Inmate voter rolls.
    Roll {
        #[command(subcommand)]
        command: RollCommand,
    },
    /// Manage user accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Create, change, list and delete elections; load a Pilkada's contests.
    Election {
        #[command(subcommand)]
        command: ElectionCommand,
    },
    /// Store KPU's final voter list (CSV: nik, nama, tps) for a facility and match it with
    /// the roll; prints each group's size. Exit 1 when rows were rejected (nothing stored).
    Reconcile {
        /// KPU's list for the facility.
        file: PathBuf,
        /// Facility code, e.g. lapas-lubuklinggau.
        #[arg(long)]
        facility: String,
        /// Election slug (default: the nearest upcoming election, else the latest past one).
        #[arg(long)]
        election: Option<String>,
    },
    /// Place the eligible voters of a facility's roll on its TPS (the facility page's
    /// "Alokasikan"); prints how many voters were placed and moved.
    Allocate {
        /// Facility code, e.g. lapas-lubuklinggau.
        #[arg(long)]
        facility: String,
        /// Election slug (default: the nearest upcoming election, else the latest past one).
        #[arg(long)]
        election: Option<String>,
    },
    /// Electoral districts (dapils) of an election.
    Dapils {
        #[command(subcommand)]
        command: DapilsCommand,
    },
    /// Delete the file content of roll uploads abandoned for 24 hours (the server also does
    /// this every hour); prints how many.
    Purge,
    /// Voting day's turnout per TPS.
    Turnout {
        #[command(subcommand)]
        command: TurnoutCommand,
    },
    /// Ballot accounting per TPS after closing.
    BallotAccounts {
        #[command(subcommand)]
        command: BallotAccountsCommand,
    },
    /// Write figures for other programs, in stable column orders (see the README).
    Export {
        #[command(subcommand)]
        command: ExportCommand,
    },
    /// The Kemendagri region reference (provinces, kab/kota, kecamatan, desa).
    Regions {
        #[command(subcommand)]
        command: RegionsCommand,
    },
}

/// The facility and election a command is about; a usage error when either is unknown.
async fn place_or_usage_error(
    db: &Database,
    facility: &str,
    election: Option<&str>,
) -> anyhow::Result<crate::read::places::Place> {
    crate::read::places::facility(&db.pool, facility, election)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .ok_or_else(|| UsageError(format!("unknown facility {facility} or election")).into())
}

/// A command-line mistake (unknown facility, unreadable file): exit status 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Rows were rejected and nothing was written: exit status 1, errors already printed.
#[derive(Debug, thiserror::Error)]
#[error("rows were rejected; nothing was written")]
pub struct Rejected;

impl Cli {
    pub async fn run(self) -> anyhow::Result<()> {
        let command = match self.command {
            Some(c) => c,
            None => Command::Serve(self.serve),
        };
        if let Command::Demo {
            command: DemoCommand::RollFile { rows, seed },
        } = command
        {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            crate::demo::rolls::write_roll(&mut out, rows, seed)?;
            std::io::Write::flush(&mut out)?;
            return Ok(());
        }
        let db = Database::open(self.database_url.as_deref(), &self.data_dir).await?;
        let result = match command {
            Command::Serve(args) => serve::serve(&db, args).await,
            Command::Migrate => {
                println!("migrations applied");
                Ok(())
            }
            Command::Demo {
                command: DemoCommand::Load { scale },
            } => demo::load(&db, &scale).await,
            Command::Demo {
                command: DemoCommand::RollFile { .. },
            } => unreachable!("handled before opening the database"),
            Command::User { command } => user::run(&db, command).await,
            Command::Election { command } => election::run(&db, command).await,
            Command::Roll { command } => roll::run(&db, command).await,
            Command::Export { command } => export::run(&db, command).await,
            Command::Turnout { command } => voting_day::turnout(&db, command).await,
            Command::BallotAccounts { command } => voting_day::ballot_accounts(&db, command).await,
            Command::Allocate { facility, election } => {
                stations::allocate(&db, &facility, election.as_deref()).await
            }
            Command::Dapils { command } => stations::run(&db, command).await,
            Command::Regions { command } => regions::run(&db, command).await,
            Command::Purge => match rolls::purge_uploads(&db.pool).await {
                Ok(n) => {
                    println!("purged {n} abandoned uploads");
                    Ok(())
                }
                Err(e) => Err(e.into()),
            },
            Command::Reconcile {
                file,
                facility,
                election,
            } => reconcile::run(&db, &file, &facility, election.as_deref()).await,
        };
        db.close().await;
        result
    }
}
