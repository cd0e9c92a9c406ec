//! `loksus regions list [--parent CODE] [--level provinsi|kabkota|kecamatan|desa]`: the
//! Kemendagri reference as CSV `code,name` for scripts (dotted codes, names as in the data).

use std::io::Write as _;

use clap::Subcommand;

use super::{Rejected, UsageError};
use crate::devtools::Database;
use crate::domain::region::{Level, RegionCode};
use crate::http::csv::Writer;
use crate::read::regions;

#[derive(Debug, Subcommand)]
pub enum RegionsCommand {
    /// Print regions as CSV `code,name` in code order: without options the provinces; with
    /// `--parent` the regions one level below it; with `--level` every region of that level
    /// (under `--parent` when given). Exit 1 when the parent is not in the reference.
    List {
        /// A region code, e.g. 16 or 16.73 (dots may be left out).
        #[arg(long)]
        parent: Option<String>,
        /// provinsi, kabkota, kecamatan or desa.
        #[arg(long, value_parser = parse_level)]
        level: Option<Level>,
    },
}

fn parse_level(s: &str) -> Result<Level, String> {
    Level::parse(s).ok_or_else(|| "expected provinsi, kabkota, kecamatan or desa".to_owned())
}

pub(super) async fn run(db: &Database, command: RegionsCommand) -> anyhow::Result<()> {
    let RegionsCommand::List { parent, level } = command;
    let parent = match parent {
        None => None,
        Some(typed) => match regions::check(&db.pool, &typed).await? {
            Ok(code) => Some(code),
            Err(message) => {
                eprintln!("error: {message}");
                return Err(Rejected.into());
            }
        },
    };
    let level = match (level, &parent) {
        (Some(level), _) => level,
        (None, None) => Level::Province,
        (None, Some(p)) => below(p)?,
    };
    if let Some(p) = parent.as_ref().filter(|p| p.level() >= level) {
        return Err(UsageError(format!("--level {} is not below {p}", level.as_str())).into());
    }
    let list = regions::list(&db.pool, parent.as_ref(), level).await?;
    let mut out = Writer::new(std::io::BufWriter::new(std::io::stdout().lock()));
    out.row(["code", "name"])?;
    for r in &list {
        out.row([&r.code, &r.data_name])?;
    }
    out.finish()?.flush()?;
    Ok(())
}

/// The level just below `parent`'s.
fn below(parent: &RegionCode) -> anyhow::Result<Level> {
    Level::ALL
        .into_iter()
        .find(|l| *l > parent.level())
        .ok_or_else(|| UsageError(format!("{parent} is a desa: no region lies below it")).into())
}
