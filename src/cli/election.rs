//! `loksus election add|edit|list|contests|delete`: the command-line twin of
//! `/admin/pemilihan`, through the same rules and write path (`crate::elections::store`).
//! A refused value prints `error: --flag: message` (a refused contests file, one line per
//! row) and exits 1 with nothing changed; an unknown election or unreadable file exits 2.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::{Rejected, UsageError};
use crate::db::audit::Actor;
use crate::devtools::Database;
use crate::domain::election_rules::{Input, percent_text};
use crate::elections::{ElectionError, queries, store};

#[derive(Debug, Subcommand)]
pub enum ElectionCommand {
    /// Create an election. Values not given take the kind's defaults: pemilu cap 300,
    /// reserve 2, ballots ppwp,dpr,dpd,dprd_prov,dprd_kabkota; pilkada cap 600, reserve 2.5,
    /// ballots gubernur,bupati_walikota; psu like pemilu unless given Pilkada ballots.
    /// Deadlines default to voting day - 30 and - 7 days.
    Add {
        #[arg(long)]
        slug: String,
        #[arg(long)]
        name: String,
        /// pemilu, pilkada or psu.
        #[arg(long)]
        kind: String,
        /// YYYY-MM-DD.
        #[arg(long)]
        voting_day: String,
        #[command(flatten)]
        values: Values,
        /// Give the new election the same TPS (facility, number, location, name) as this one.
        #[arg(long)]
        copy_tps_from: Option<String>,
    },
    /// Change the given values of an election; the rest stays (deadlines do not follow a
    /// changed voting day). Audited with the values before and after.
    Edit {
        slug: String,
        #[arg(long)]
        name: Option<String>,
        /// pemilu, pilkada or psu.
        #[arg(long)]
        kind: Option<String>,
        /// YYYY-MM-DD.
        #[arg(long)]
        voting_day: Option<String>,
        #[command(flatten)]
        values: Values,
    },
    /// Print every election as CSV (slug,name,kind,voting_day,cap,reserve_percent,ballots;
    /// ballots joined by `;`), by voting day.
    List,
    /// Replace a Pilkada's (or PSU's) contests with a CSV file `contest,region_code`
    /// (gubernur,16 / bupati_walikota,16.73), all or nothing.
    Contests { slug: String, file: PathBuf },
    /// Delete an election and its TPS, checklist, dapils and contests; refused while voters
    /// are on its rolls.
    Delete { slug: String },
}

/// The optional values `add` and `edit` share.
#[derive(Debug, Args)]
pub struct Values {
    /// Most DPT voters per TPS, 1–1000 (at most 500 where a Pemilu ballot is cast).
    #[arg(long, allow_hyphen_values = true)]
    cap: Option<String>,
    /// Reserve ballots in percent of the DPT, 0–100, at most two decimals (2.5).
    #[arg(long, allow_hyphen_values = true)]
    reserve_percent: Option<String>,
    /// Pindah-memilih deadline H-30 (YYYY-MM-DD).
    #[arg(long)]
    deadline_h30: Option<String>,
    /// Pindah-memilih deadline for detainees, H-7 (YYYY-MM-DD).
    #[arg(long)]
    deadline_h7: Option<String>,
    /// Ballot types, comma-separated: ppwp,dpr,dpd,dprd_prov,dprd_kabkota,gubernur,bupati_walikota.
    #[arg(long)]
    ballots: Option<String>,
    /// Whether inmates may vote as DPK at the TPS Loksus: yes or no.
    #[arg(long)]
    dpk_at_loksus: Option<String>,
}

impl Values {
    fn input(self, name: Option<String>, kind: Option<String>, day: Option<String>) -> Input {
        Input {
            name,
            kind,
            voting_day: day,
            deadline_h30: self.deadline_h30,
            deadline_h7: self.deadline_h7,
            cap: self.cap,
            reserve_percent: self.reserve_percent,
            ballots: self.ballots,
            dpk_at_loksus: self.dpk_at_loksus,
        }
    }
}

/// A refusal printed for the operator (exit 1), or the error to end with.
fn refused(e: ElectionError, slug: &str) -> anyhow::Error {
    match e {
        ElectionError::Invalid(f) => eprintln!("error: {f}"),
        ElectionError::Refused(m) => eprintln!("error: {m}"),
        ElectionError::Rows(rows) => {
            for r in rows {
                eprintln!("row {}, column {}: {}", r.line, r.column_shown(), r.message);
            }
        }
        ElectionError::NotFound => return UsageError(format!("unknown election {slug}")).into(),
        ElectionError::Database(e) => return e.into(),
    }
    Rejected.into()
}

pub(super) async fn run(db: &Database, command: ElectionCommand) -> anyhow::Result<()> {
    let actor = Actor::command_line();
    let pool = &db.pool;
    match command {
        ElectionCommand::Add {
            slug,
            name,
            kind,
            voting_day,
            values,
            copy_tps_from,
        } => {
            let input = values.input(Some(name), Some(kind), Some(voting_day));
            let from = copy_tps_from.as_deref();
            let created = store::create(pool, &slug, &input, from, &actor)
                .await
                .map_err(|e| refused(e, &slug))?;
            println!("election {} created", slug.trim());
            if let (Some(from), Some(n)) = (from, created.copied) {
                println!("copied {n} TPS from {}", from.trim());
            }
        }
        ElectionCommand::Edit {
            slug,
            name,
            kind,
            voting_day,
            values,
        } => {
            let input = values.input(name, kind, voting_day);
            let changed = store::update(pool, &slug, &input, &actor)
                .await
                .map_err(|e| refused(e, &slug))?;
            if changed.is_empty() {
                println!("election {slug}: nothing changed");
            } else {
                println!("election {slug}: changed {}", changed.join(", "));
            }
        }
        ElectionCommand::List => list(db).await?,
        ElectionCommand::Contests { slug, file } => {
            let content = std::fs::read(&file)
                .map_err(|e| UsageError(format!("cannot open {}: {e}", file.display())))?;
            let loaded = store::load_contests(pool, &slug, &content, &actor)
                .await
                .map_err(|e| refused(e, &slug))?;
            let region = loaded.region.as_deref().unwrap_or("none");
            println!(
                "election {slug}: {} contests loaded; region {region}",
                loaded.contests
            );
        }
        ElectionCommand::Delete { slug } => {
            store::delete(pool, &slug, &actor)
                .await
                .map_err(|e| refused(e, &slug))?;
            println!("election {slug} deleted");
        }
    }
    Ok(())
}

async fn list(db: &Database) -> anyhow::Result<()> {
    let mut out = crate::http::csv::Writer::new(std::io::stdout().lock());
    out.row([
        "slug",
        "name",
        "kind",
        "voting_day",
        "cap",
        "reserve_percent",
        "ballots",
    ])?;
    for e in queries::list(&db.pool).await? {
        out.row([
            e.slug,
            e.name,
            e.kind,
            e.voting_day.to_string(),
            e.cap.to_string(),
            percent_text(e.reserve_basis_points),
            e.ballots.join(";"),
        ])?;
    }
    std::io::Write::flush(&mut out.finish()?)?;
    Ok(())
}
