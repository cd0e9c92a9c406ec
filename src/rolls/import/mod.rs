//! Importing a roll file into a facility's roll, in one transaction.
//!
//! The file is streamed ([`stream`]): each row is checked (`parse_row`, on a worker thread
//! while the previous rows travel), valid rows go through `COPY` into `roll_staging`, and set-based statements find duplicates and NIKs on other facilities'
//! rolls, then insert, update, depart and audit. A row with a missing, broken or
//! disagreeing NIK is kept and flagged, and reported as a note apart from the rejected rows
//! (at most [`LISTED_FLAGGED`] rows' notes). Memory does not grow with the file (only with
//! the rejected rows). By default any rejected row means nothing is written.

use std::io::{BufRead, BufReader, Read};
use std::time::Instant;

use serde_json::json;
use sqlx::{PgConnection, PgPool};
use time::Date;

mod arrivals;
mod checks;
mod options;
mod staged;
mod stream;

pub use options::{Mode, Options, Transfers};

use crate::db::audit::{self, Actor, Entry};
use crate::domain::csv_file::{RowError, csv_reader, first_line};
use crate::domain::nik::NikProblem;
use crate::domain::roll_file::{FlaggedRow, Header};
use crate::domain::voter::{NikFlag, Sex};
use crate::read::places::Place;

/// An inmate moved from another facility's roll by this import ([`Transfers::Move`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    pub nik: String,
    pub name: String,
    pub from_code: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub departed: u64,
    pub rejected: u64,
    pub flagged: u64,
    /// Voters moved here from another facility's roll ([`Transfers::Move`]).
    pub transferred: u64,
    /// The moves themselves, for the operator to read.
    pub moves: Vec<Move>,
    /// Pending arrivals recorded ([`Transfers::Request`]): they move once the origin confirms.
    pub pending_transfers: u64,
    pub errors: Vec<RowError>,
    /// The notes on rows kept with a flag (a missing, broken or disagreeing NIK, a home
    /// region taken from the NIK), apart from the rejected rows; at most [`LISTED_FLAGGED`]
    /// rows' worth, those with a NIK flag first.
    pub warnings: Vec<RowError>,
    /// Flagged rows whose notes are not listed (beyond [`LISTED_FLAGGED`]).
    pub unlisted_flagged: u64,
    /// Whether anything was written (false on a dry run or when rows were rejected).
    pub written: bool,
}

impl Report {
    /// The last line `loksus roll import` prints (a stable contract).
    pub fn summary_line(&self) -> String {
        format!(
            "inserted {}, updated {}, unchanged {}, departed {}, rejected {}, flagged {}",
            self.inserted, self.updated, self.unchanged, self.departed, self.rejected, self.flagged
        )
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file as a whole cannot be read (no header, missing columns...).
    #[error("{0}")]
    File(String),
    /// The upload was confirmed already (a double submit): nothing was written again.
    #[error("already confirmed")]
    AlreadyConfirmed,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// How long each stage of an import took, logged at debug level
/// (`RUST_LOG=loksus::rolls::import=debug`; `scripts/bench-import` prints the breakdown).
pub(crate) struct Stages {
    last: Instant,
}

impl Stages {
    fn new() -> Stages {
        Stages {
            last: Instant::now(),
        }
    }

    /// Logs the time since the previous stage ended as `stage`'s.
    pub(crate) fn done(&mut self, stage: &'static str) {
        let now = Instant::now();
        let ms = now.duration_since(self.last).as_secs_f64() * 1000.0;
        tracing::debug!(stage, ms = format!("{ms:.1}"), "import stage");
        self.last = now;
    }
}

/// The most flagged rows whose notes a report lists.
pub const LISTED_FLAGGED: i64 = 1000;

/// Reads the header row: the reader positioned on the first data row, and the columns.
fn open(input: impl Read) -> Result<(csv::Reader<impl Read>, Header), ImportError> {
    let mut input = BufReader::with_capacity(64 * 1024, input);
    let head = input
        .fill_buf()
        .map_err(|e| ImportError::File(format!("berkas tidak dapat dibaca: {e}")))?;
    let first = first_line(head).to_vec();
    let mut reader = csv_reader(&first, input);
    let header_record = reader
        .headers()
        .map_err(|e| ImportError::File(format!("baris judul tidak dapat dibaca: {e}")))?
        .clone();
    if header_record.iter().all(|h| h.trim().is_empty()) {
        return Err(ImportError::File(
            "berkas kosong: baris judul tidak ada".into(),
        ));
    }
    let header = Header::parse(header_record.iter()).map_err(ImportError::File)?;
    Ok((reader, header))
}

/// Claims the upload being confirmed (if any), creates the staging table and returns this
/// import's id.
async fn prepare(conn: &mut PgConnection, opts: &Options) -> Result<i64, ImportError> {
    if let Some(upload) = opts.confirms_upload {
        let claimed = sqlx::query!(
            "update roll_uploads set confirmed_at = now(), content = null, purged_at = now()
             where id = $1 and confirmed_at is null",
            upload
        )
        .execute(&mut *conn)
        .await?
        .rows_affected();
        if claimed == 0 {
            return Err(ImportError::AlreadyConfirmed);
        }
    }
    // A private staging table for this transaction (see the migration), and room for the
    // hash joins and aggregates over the whole file.
    sqlx::query!("create temp table roll_staging (like public.roll_staging) on commit drop")
        .execute(&mut *conn)
        .await?;
    sqlx::query!("set local work_mem = '64MB'")
        .execute(&mut *conn)
        .await?;
    // Every join here is file-sized; a roll just loaded has no statistics yet, and a nested
    // loop planned on "one row" then costs seconds per thousand rows.
    sqlx::query!("set local enable_nestloop = off")
        .execute(&mut *conn)
        .await?;
    // `analyze roll_staging` below needs the file's size and the keys' spread, which a sample
    // of 3.000 rows gives; the default 30.000 took longer than most checks.
    sqlx::query!("set local default_statistics_target = 10")
        .execute(&mut *conn)
        .await?;
    Ok(
        sqlx::query_scalar!(r#"select nextval('roll_import_seq') as "id!""#)
            .fetch_one(&mut *conn)
            .await?,
    )
}

/// The notes on the kept, flagged rows (see [`Report::warnings`]), in row order.
async fn flagged_notes(
    conn: &mut PgConnection,
    import_id: i64,
    rejected_lines: &[i64],
    report: &mut Report,
) -> Result<(), ImportError> {
    let mut rows = sqlx::query_as!(
        FlaggedRow,
        r#"select line, nik, nik_flag as "flag: NikFlag", nik_raw,
                  nik_problem as "nik_problem: NikProblem", birth_date, sex as "sex: Sex",
                  home_from_nik
           from roll_staging
           where import_id = $1 and (nik_flag is not null or home_from_nik)
             and line <> all($2)
           order by nik_flag is null, line
           limit $3"#,
        import_id,
        rejected_lines,
        LISTED_FLAGGED
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.sort_by_key(|r| r.line);
    report.unlisted_flagged = report.flagged - rows.len() as u64;
    report.warnings = rows.iter().flat_map(FlaggedRow::notes).collect();
    Ok(())
}

/// Imports `input` into `place`'s roll; see the module docs.
#[tracing::instrument(skip_all, fields(facility = %place.facility_code, user = %actor.name))]
pub async fn import(
    pool: &PgPool,
    place: &Place,
    input: impl Read,
    opts: Options,
    actor: &Actor,
    today: Date,
) -> Result<Report, ImportError> {
    let mut stages = Stages::new();
    let file = open(input)?;
    let mut tx = pool.begin().await?;
    let import_id = prepare(&mut tx, &opts).await?;
    stages.done("prepare");
    let mut report = Report::default();
    let mut rejected_lines: Vec<i64> = Vec::new();
    stream::stage(
        &mut tx,
        file,
        import_id,
        today,
        &mut report,
        &mut rejected_lines,
    )
    .await?;
    // The staged rows' statistics: the checks below group and join the whole file.
    sqlx::query!("analyze roll_staging")
        .execute(&mut *tx)
        .await?;
    stages.done("parse and copy");
    checks::check_staged(
        &mut tx,
        place,
        import_id,
        &opts,
        (&mut report, &mut rejected_lines),
        &mut stages,
    )
    .await?;
    rejected_lines.sort_unstable();
    rejected_lines.dedup();
    report.rejected = rejected_lines.len() as u64;
    report.errors.sort_by_key(|e| e.line);
    report.flagged = sqlx::query_scalar!(
        r#"select count(*) as "n!" from roll_staging
           where import_id = $1 and (nik_flag is not null or home_from_nik) and line <> all($2)"#,
        import_id,
        &rejected_lines
    )
    .fetch_one(&mut *tx)
    .await? as u64;
    flagged_notes(&mut tx, import_id, &rejected_lines, &mut report).await?;
    stages.done("flagged rows");

    if report.rejected > 0 && !opts.skip_invalid {
        return Ok(report); // dropping `tx` rolls back: nothing written
    }
    sqlx::query!(
        "delete from roll_staging where import_id = $1 and line = any($2)",
        import_id,
        &rejected_lines
    )
    .execute(&mut *tx)
    .await?;
    stages.done("drop rejected");

    staged::apply(
        &mut tx,
        place,
        import_id,
        &opts,
        actor,
        &mut report,
        &mut stages,
    )
    .await?;
    if opts.dry_run {
        return Ok(report); // rolled back
    }
    audit::record(&mut tx, actor, audit_entry(place, &opts, &report)).await?;
    tx.commit().await?;
    stages.done("audit and commit");
    report.written = true;
    Ok(report)
}

/// The one audit entry of a written import.
fn audit_entry(place: &Place, opts: &Options, report: &Report) -> Entry {
    Entry::new("roll.import")
        .object(
            "roll",
            format!("{}:{}", place.election.id, place.facility_id),
        )
        .province(Some(place.province_code.clone()))
        .facility(Some(place.facility_id))
        .after(json!({
            "mode": opts.mode.as_str(),
            "inserted": report.inserted, "updated": report.updated,
            "unchanged": report.unchanged, "departed": report.departed,
            "rejected": report.rejected, "flagged": report.flagged,
            "transferred": report.transferred,
            "pending_transfers": report.pending_transfers,
        }))
}
