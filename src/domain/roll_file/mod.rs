//! The roll import file: header, separator, and each row checked into a [`VoterRow`] or a
//! list of [`RowError`]s with the row number, the column and an Indonesian message.
//! Pure rules: no database (the checks that need one, duplicates and other facilities, are
//! set-based SQL in `rolls::import`). [`header`] reads the header row, [`row`] checks a
//! row, [`values`] parses its values, [`notes`] words what a kept row is flagged for.

mod header;
mod notes;
mod row;
mod values;

use time::Date;

pub use super::csv_file::{RowError, csv_reader, detect_separator, first_line};
pub use header::{Column, Header};
pub use notes::FlaggedRow;
pub use row::{MAX_TEXT, VoterRow, parse_row};
pub use values::{parse_date, parse_region};

/// What checking a whole roll file finds, without a database (the import's own row checks).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct FileCheck {
    pub valid: usize,
    pub errors: Vec<RowError>,
}

/// Checks a whole roll file: separator, header, every row. `Err` when the file itself cannot
/// be read (no header, a required column missing). Never panics (fuzzed).
pub fn check_file(content: &[u8], today: Date) -> Result<FileCheck, String> {
    let mut reader = csv_reader(first_line(content), content);
    let header_record = reader
        .headers()
        .map_err(|e| format!("baris judul tidak dapat dibaca: {e}"))?
        .clone();
    let header = Header::parse(header_record.iter())?;
    let mut check = FileCheck::default();
    let mut record = csv::StringRecord::new();
    let mut line: u64 = 1;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                line += 1;
                if record.iter().all(|f| f.trim().is_empty()) {
                    continue;
                }
                match parse_row(&header, &record, line, today) {
                    Ok(row) => {
                        let _ = row.row_key();
                        check.valid += 1;
                    }
                    Err(errors) => check.errors.extend(errors),
                }
            }
            Err(e) => {
                line += 1;
                check.errors.push(RowError {
                    line,
                    column: "",
                    message: format!("baris tidak dapat dibaca: {e}"),
                });
                if e.is_io_error() {
                    break;
                }
            }
        }
    }
    Ok(check)
}

#[cfg(test)]
mod tests;
