//! Writing imported dapils: an import replaces the dapils of every (election, contest) pair
//! the rows name, in the caller's transaction; a row naming an unknown election changes
//! nothing.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::json;
use sqlx::PgConnection;

use super::parse::DapilRow;
use crate::db::audit::{self, Actor, Entry};
use crate::domain::csv_file::RowError;

#[derive(Debug)]
pub enum ImportError {
    Rows(Vec<RowError>),
    Database(sqlx::Error),
}

impl From<sqlx::Error> for ImportError {
    fn from(e: sqlx::Error) -> Self {
        ImportError::Database(e)
    }
}

/// Each dapil `(code, name)` of one contest and its regions.
type DapilRegions = BTreeMap<(String, String), Vec<String>>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Imported {
    pub dapils: usize,
    pub regions: usize,
}

/// The id of each election the rows name; the rows naming an unknown one as errors.
async fn elections_of(
    conn: &mut PgConnection,
    rows: &[DapilRow],
) -> Result<HashMap<String, i64>, ImportError> {
    let slugs: Vec<String> = rows
        .iter()
        .map(|r| r.election.clone())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let known: HashMap<String, i64> = sqlx::query!(
        "select id, slug from elections where slug = any($1)",
        &slugs
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| (r.slug, r.id))
    .collect();
    let unknown: Vec<RowError> = rows
        .iter()
        .filter(|r| !known.contains_key(&r.election))
        .map(|r| {
            RowError::new(
                r.line,
                "election",
                format!("Pemilihan \"{}\" tidak dikenal.", r.election),
            )
        })
        .collect();
    if unknown.is_empty() {
        Ok(known)
    } else {
        Err(ImportError::Rows(unknown))
    }
}

/// The rows whose region is not in the Kemendagri reference, as errors naming the nearest
/// level that exists.
async fn unknown_regions(conn: &mut PgConnection, rows: &[DapilRow]) -> Result<(), ImportError> {
    let codes: Vec<&str> = rows.iter().map(|r| r.region.as_str()).collect();
    let problems = crate::read::regions::problems(&mut *conn, &codes).await?;
    let errors: Vec<RowError> = rows
        .iter()
        .filter_map(|r| {
            let message = problems.get(&r.region)?;
            Some(RowError::new(r.line, "region_code", message.clone()))
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ImportError::Rows(errors))
    }
}

/// Replaces the dapils of one (election, contest) with `dapils`.
async fn replace(
    conn: &mut PgConnection,
    (election_id, contest): (i64, &str),
    dapils: &DapilRegions,
    illustrative: bool,
) -> sqlx::Result<()> {
    sqlx::query!(
        "delete from dapils where election_id = $1 and contest = $2",
        election_id,
        contest
    )
    .execute(&mut *conn)
    .await?;
    for ((code, name), regions) in dapils {
        let id = sqlx::query_scalar!(
            "insert into dapils (election_id, contest, code, name, illustrative)
                 values ($1, $2, $3, $4, $5) returning id",
            election_id,
            contest,
            code,
            name,
            illustrative
        )
        .fetch_one(&mut *conn)
        .await?;
        sqlx::query!(
            "insert into dapil_regions (dapil_id, election_id, contest, region_code)
                 select $1, $2, $3, unnest($4::text[])",
            id,
            election_id,
            contest,
            regions
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Replaces the dapils of every (election, contest) the rows name. Run it in a transaction.
#[tracing::instrument(skip_all, fields(rows = rows.len(), user = %actor.name))]
pub async fn import(
    conn: &mut PgConnection,
    actor: &Actor,
    rows: &[DapilRow],
    illustrative: bool,
) -> Result<Imported, ImportError> {
    let known = elections_of(conn, rows).await?;
    unknown_regions(conn, rows).await?;
    let mut groups: BTreeMap<(i64, &'static str), DapilRegions> = BTreeMap::new();
    for r in rows {
        groups
            .entry((known[&r.election], r.contest.as_str()))
            .or_default()
            .entry((r.code.clone(), r.name.clone()))
            .or_default()
            .push(r.region.clone());
    }
    let mut total = Imported {
        dapils: 0,
        regions: 0,
    };
    for ((election_id, contest), dapils) in &groups {
        replace(conn, (*election_id, contest), dapils, illustrative).await?;
        let regions = dapils.values().map(Vec::len).sum::<usize>();
        total.dapils += dapils.len();
        total.regions += regions;
        audit::record(
            conn,
            actor,
            Entry::new("dapil.import")
                .object("election", election_id)
                .after(json!({ "contest": contest, "dapils": dapils.len(),
                               "regions": regions, "illustrative": illustrative })),
        )
        .await?;
    }
    Ok(total)
}
