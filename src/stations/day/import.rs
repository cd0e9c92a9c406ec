//! `loksus turnout import` and `loksus ballot-accounts import`: the files the exports write,
//! read back. All or nothing: every row is checked first (the TPS exists in the election and
//! its province, the figures are whole numbers, turnout within each list's official count and
//! men + women = the total, a ballot type the TPS has, no TPS or type twice); any refused row
//! refuses the file, naming the row and column. Otherwise one transaction records the rows
//! that differ from the latest (through [`store`], audited), and counts the rest unchanged.

use std::collections::HashMap;

use sqlx::PgPool;

use super::store::{self, Entry, Recorded, Repeats, Tps};
use crate::db::audit::Actor;
use crate::domain::ballots::BallotType;
use crate::domain::csv_file::{RowError, csv_reader, first_line, match_header};
use crate::domain::turnout::{Field, Turnout};
use crate::read::day::{self, DayStation};
use crate::read::elections::Election;
use crate::read::summary::Rules;

/// What an import did, or would have done.
#[derive(Debug, Default)]
pub struct Report {
    pub recorded: Recorded,
    /// Refused rows (each may carry several errors).
    pub rejected: usize,
    pub errors: Vec<RowError>,
}

impl Report {
    /// The last line the command prints.
    pub fn summary_line(&self) -> String {
        format!(
            "updated {}, unchanged {}, rejected {}",
            self.recorded.updated, self.recorded.unchanged, self.rejected
        )
    }
}

const KEY_COLUMNS: [&str; 3] = ["province_code", "facility_code", "tps_number"];

/// A parsed file: its column positions (`wanted` order) and its rows with their numbers.
struct Sheet {
    columns: Vec<usize>,
    rows: Vec<(u64, csv::StringRecord)>,
}

/// Reads the header and every row; a missing column refuses the file at row 1.
fn sheet(content: &[u8], wanted: &[&'static str]) -> Result<Sheet, Vec<RowError>> {
    let mut reader = csv_reader(first_line(content), content);
    let header = reader
        .headers()
        .map_err(|e| {
            vec![RowError::new(
                1,
                "",
                format!("Baris judul tidak terbaca: {e}"),
            )]
        })?
        .clone();
    let spec: Vec<(&'static str, &[&str])> = wanted.iter().map(|w| (*w, &[][..])).collect();
    let found = match_header(header.iter(), &spec).map_err(|m| vec![RowError::new(1, "", m)])?;
    let missing: Vec<RowError> = wanted
        .iter()
        .zip(&found)
        .filter(|(_, f)| f.is_none())
        .map(|(w, _)| RowError::new(1, w, "Kolom ini tidak ada di baris judul."))
        .collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i as u64 + 2;
        match record {
            Ok(r) if r.iter().all(|c| c.trim().is_empty()) => {}
            Ok(r) => rows.push((line, r)),
            Err(e) => return Err(vec![RowError::new(line, "", format!("Baris rusak: {e}"))]),
        }
    }
    Ok(Sheet {
        columns: found.into_iter().flatten().collect(),
        rows,
    })
}

/// A checked file: what to record, or how many rows were refused and why.
type Checked<T> = Result<Vec<T>, (usize, Vec<RowError>)>;

/// Where each TPS of the election is, by facility code and number.
type Index<'a> = HashMap<(&'a str, i32), &'a DayStation>;

/// The TPS a row names, or the error naming the first column that is wrong.
fn find<'a>(
    index: &Index<'a>,
    [province, facility, number]: [&str; 3],
    line: u64,
    election: &Election,
) -> Result<&'a DayStation, RowError> {
    let Ok(n) = number.parse::<i32>() else {
        let msg = format!("Nomor TPS \"{number}\" bukan bilangan bulat.");
        return Err(RowError::new(line, "tps_number", msg));
    };
    let Some(s) = index.get(&(facility, n)) else {
        let msg = format!(
            "TPS {n} fasilitas \"{facility}\" tidak ada pada pemilihan {}.",
            election.slug
        );
        return Err(RowError::new(line, "tps_number", msg));
    };
    if s.province_code != province {
        let msg = format!(
            "Fasilitas {facility} ada di provinsi {}, bukan \"{province}\".",
            s.province_code
        );
        return Err(RowError::new(line, "province_code", msg));
    }
    Ok(s)
}

/// A count cell: a whole number 0–100.000 written plainly.
fn count(raw: &str, line: u64, column: &'static str) -> Result<i64, RowError> {
    let t = raw.trim();
    t.parse::<i64>()
        .ok()
        .filter(|n| (0..=100_000).contains(n) && t.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| {
            RowError::new(
                line,
                column,
                format!("\"{t}\" bukan bilangan bulat 0–100.000."),
            )
        })
}

async fn load(pool: &PgPool, election: &Election) -> anyhow::Result<Vec<DayStation>> {
    let mut conn = pool.acquire().await?;
    let rules = Rules::load(&mut conn, election.id).await?;
    Ok(day::stations(&mut conn, &rules, None).await?)
}

/// Checks every row of a file whose columns are [`KEY_COLUMNS`] then `columns`: the TPS the
/// key names, then `check` with the row's number, its TPS and its other cells (in `columns`'
/// order); what to record, or how many rows were refused and why.
fn check_rows<'s, T>(
    content: &[u8],
    stations: &'s [DayStation],
    election: &Election,
    columns: &[&'static str],
    mut check: impl FnMut(u64, &'s DayStation, &[&str]) -> Result<T, Vec<RowError>>,
) -> Checked<T> {
    let mut wanted = KEY_COLUMNS.to_vec();
    wanted.extend(columns);
    let sheet = sheet(content, &wanted).map_err(|e| (0, e))?;
    let index: Index = stations
        .iter()
        .map(|s| ((s.facility_code.as_str(), s.tps_number), s))
        .collect();
    let (mut out, mut errors, mut rejected) = (Vec::new(), Vec::new(), 0);
    for (line, record) in &sheet.rows {
        let cells: Vec<&str> = (sheet.columns.iter())
            .map(|&i| record.get(i).unwrap_or("").trim())
            .collect();
        let (key, rest) = cells.split_at(KEY_COLUMNS.len());
        let row = find(&index, [key[0], key[1], key[2]], *line, election)
            .map_err(|e| vec![e])
            .and_then(|s| check(*line, s, rest));
        match row {
            Ok(t) => out.push(t),
            Err(e) => {
                rejected += 1;
                errors.extend(e);
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err((rejected, errors))
    }
}

/// Checks every row of a turnout file; the reports to record, or the rows' errors.
fn check_turnout(
    content: &[u8],
    stations: &[DayStation],
    election: &Election,
) -> Checked<(Tps, Turnout)> {
    let mut seen: HashMap<i64, u64> = HashMap::new();
    let columns = Field::ALL.map(Field::column);
    check_rows(content, stations, election, &columns, |line, s, cells| {
        if let Some(first) = seen.insert(s.id, line) {
            let msg = format!("TPS ini sudah ada di baris {first}.");
            return Err(vec![RowError::new(line, "tps_number", msg)]);
        }
        let mut v = [0i64; 5];
        for (slot, (cell, column)) in v.iter_mut().zip(cells.iter().zip(columns)) {
            *slot = count(cell, line, column).map_err(|e| vec![e])?;
        }
        let t = Turnout::from(v);
        let problems: Vec<RowError> = t
            .problems(s.counts)
            .into_iter()
            .map(|p| RowError::new(line, p.field.column(), p.message))
            .collect();
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok((Tps::of(s), t))
    })
}

/// Turnout for the election from a file with the columns of `export turnout` (`dpt`, `dptb`,
/// `dpk` and `reported_at` are ignored: the report is made now).
pub async fn import_turnout(
    pool: &PgPool,
    election: &Election,
    content: &[u8],
    actor: &Actor,
) -> anyhow::Result<Report> {
    let stations = load(pool, election).await?;
    match check_turnout(content, &stations, election) {
        Err((rejected, errors)) => Ok(Report {
            rejected,
            errors,
            ..Report::default()
        }),
        Ok(reports) => {
            let mut tx = pool.begin().await?;
            let recorded = store::record_turnout(&mut tx, actor, &reports, Repeats::Skip).await?;
            tx.commit().await?;
            Ok(Report {
                recorded,
                ..Report::default()
            })
        }
    }
}

/// Checks every row of a ballot-accounts file; the accounts to record, or the errors.
fn check_accounts(content: &[u8], stations: &[DayStation], election: &Election) -> Checked<Entry> {
    const COLUMNS: [&str; 5] = ["ballot_type", "received", "used", "damaged", "unused"];
    let mut seen: HashMap<(i64, BallotType), u64> = HashMap::new();
    check_rows(content, stations, election, &COLUMNS, |line, s, cells| {
        let refuse = |msg: String| vec![RowError::new(line, "ballot_type", msg)];
        let raw = cells[0].to_lowercase();
        let Some(t) = BallotType::parse(&raw) else {
            return Err(refuse(format!(
                "Jenis surat suara \"{raw}\" tidak dikenal (ppwp, dpr, dpd, dprd_prov, \
                 dprd_kabkota, gubernur, bupati_walikota)."
            )));
        };
        if !s.types.contains(&t) {
            return Err(refuse(format!(
                "Surat suara {} tidak ada di TPS ini.",
                t.label()
            )));
        }
        if let Some(first) = seen.insert((s.id, t), line) {
            return Err(refuse(format!(
                "TPS dan jenis surat suara ini sudah ada di baris {first}."
            )));
        }
        let mut v = [0i64; 4];
        for (slot, (cell, column)) in v.iter_mut().zip(cells[1..].iter().zip(&COLUMNS[1..])) {
            *slot = count(cell, line, column).map_err(|e| vec![e])?;
        }
        Ok(Entry::new(s, t, v))
    })
}

/// Ballot accounts for the election from a file with the columns of `export
/// ballot-accounts` (`balanced` is ignored: Loksus judges it).
pub async fn import_accounts(
    pool: &PgPool,
    election: &Election,
    content: &[u8],
    actor: &Actor,
) -> anyhow::Result<Report> {
    let stations = load(pool, election).await?;
    match check_accounts(content, &stations, election) {
        Err((rejected, errors)) => Ok(Report {
            rejected,
            errors,
            ..Report::default()
        }),
        Ok(entries) => {
            let mut tx = pool.begin().await?;
            let recorded = store::record_accounts(&mut tx, actor, &entries).await?;
            tx.commit().await?;
            Ok(Report {
                recorded,
                ..Report::default()
            })
        }
    }
}
