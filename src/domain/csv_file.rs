//! What every uploaded CSV file shares (roll files, dapil files, KPU lists): the separator
//! guessed from the header, header names matched with their aliases, and a rejected row named
//! by its spreadsheet row number and column.

use std::collections::HashMap;

/// The separator, from the header line: the most frequent of `;`, tab and `,`.
pub fn detect_separator(header_line: &[u8]) -> u8 {
    let count = |c: u8| header_line.iter().filter(|&&b| b == c).count();
    [b';', b'\t', b',']
        .into_iter()
        .max_by_key(|&c| (count(c), c == b','))
        .filter(|&c| count(c) > 0)
        .unwrap_or(b',')
}

/// A reader for an uploaded CSV file whose first line is `first_line`: the separator guessed
/// from it (see [`detect_separator`]), a header row, rows of any length. Every file Loksus
/// reads (rolls, dapils, KPU lists) goes through here.
pub fn csv_reader<R: std::io::Read>(first_line: &[u8], input: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .delimiter(detect_separator(first_line))
        .flexible(true)
        .has_headers(true)
        .from_reader(input)
}

/// The first line of a file (up to the first newline).
pub fn first_line(content: &[u8]) -> &[u8] {
    content.split(|&b| b == b'\n').next().unwrap_or_default()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The row number as a spreadsheet shows it (the header is row 1).
    pub line: u64,
    pub column: &'static str,
    pub message: String,
}

impl RowError {
    pub fn new(line: u64, column: &'static str, message: impl Into<String>) -> RowError {
        RowError {
            line,
            column,
            message: message.into(),
        }
    }

    /// The column as a page shows it (`–` for the whole row).
    pub fn column_shown(&self) -> &'static str {
        if self.column.is_empty() {
            "–"
        } else {
            self.column
        }
    }
}

/// Finds each wanted column in a header row: `wanted` lists a canonical name and the names it
/// may appear under (compared case-insensitively, spaces and hyphens as underscores, a BOM
/// ignored). Returns each column's position, or `None` when absent; a column named twice is
/// an error naming it.
pub fn match_header<'a>(
    headers: impl IntoIterator<Item = &'a str>,
    wanted: &[(&'static str, &[&str])],
) -> Result<Vec<Option<usize>>, String> {
    let mut positions = vec![None; wanted.len()];
    let mut seen: HashMap<usize, usize> = HashMap::new();
    for (i, raw) in headers.into_iter().enumerate() {
        let name = raw
            .trim()
            .trim_start_matches('\u{feff}')
            .to_lowercase()
            .replace([' ', '-'], "_");
        if let Some(c) = wanted
            .iter()
            .position(|(canonical, aliases)| *canonical == name || aliases.contains(&name.as_str()))
        {
            if seen.insert(c, i).is_some() {
                return Err(format!(
                    "kolom {} muncul dua kali di baris judul",
                    wanted[c].0
                ));
            }
            positions[c] = Some(i);
        }
    }
    Ok(positions)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_names_match_with_aliases_in_any_case() {
        let wanted: &[(&str, &[&str])] = &[("dapil_code", &["kode_dapil"]), ("nik", &[])];
        let got = match_header(["\u{feff}NIK", "Kode Dapil"], wanted).unwrap();
        assert_eq!(got, vec![Some(1), Some(0)]);
        assert!(match_header(["nik", "NIK"], wanted).is_err());
        assert_eq!(match_header(["x"], wanted).unwrap(), vec![None, None]);
    }
}
