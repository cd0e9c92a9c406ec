//! KPU's final voter list for a facility: a CSV with `nik, nama, tps` (header names in any
//! case and order; comma, semicolon or tab; NIKs checked as in the roll import). Pure.

use std::collections::HashMap;

use crate::domain::csv_file::{RowError, csv_reader, first_line, match_header};
use crate::domain::nik::{self, NikValue};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub line: i32,
    pub nik: String,
    pub name: String,
    pub tps: i32,
}

/// `901`, `TPS 901`, `tps-001` → 901.
fn parse_tps(s: &str) -> Option<i32> {
    let t = s.trim().to_ascii_lowercase();
    let t = t.strip_prefix("tps").unwrap_or(&t);
    let t = t.trim_start_matches([' ', '-', '.', ':']);
    t.parse().ok().filter(|n| (1..=9999).contains(n))
}

/// Reads the list; every bad row is reported with its spreadsheet row number and column.
pub fn parse(content: &[u8]) -> Result<Vec<Entry>, Vec<RowError>> {
    let mut reader = csv_reader(first_line(content), content);
    let headers = reader
        .headers()
        .map_err(|_| {
            vec![RowError::new(
                1,
                "–",
                "Baris judul tidak dapat dibaca (harus teks CSV UTF-8).",
            )]
        })?
        .clone();
    const COLUMNS: &[(&str, &[&str])] = &[("nik", &[]), ("nama", &[]), ("tps", &[])];
    let positions =
        match_header(headers.iter(), COLUMNS).map_err(|m| vec![RowError::new(1, "–", m)])?;
    let [Some(nik_col), Some(name_col), Some(tps_col)] = positions[..] else {
        return Err(vec![RowError::new(
            1,
            "–",
            "Baris judul harus memuat kolom nik, nama dan tps.",
        )]);
    };
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for (i, record) in reader.records().enumerate() {
        let line = i as u64 + 2;
        let Ok(record) = record else {
            errors.push(RowError::new(
                line,
                "–",
                "Baris tidak dapat dibaca (harus teks CSV UTF-8).",
            ));
            continue;
        };
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let get = |c: usize| record.get(c).map_or("", str::trim);
        let cells = [get(nik_col), get(name_col), get(tps_col)];
        let Some((nik, name, tps)) = check_row(line, cells, &mut errors) else {
            continue;
        };
        if let Some(first) = seen.insert(nik.clone(), line) {
            errors.push(RowError::new(
                line,
                "nik",
                format!("NIK sudah ada di baris {first}"),
            ));
            continue;
        }
        if !name.is_empty() {
            entries.push(Entry {
                line: line as i32,
                nik,
                name,
                tps,
            });
        }
    }
    if entries.is_empty() && errors.is_empty() {
        errors.push(RowError::new(2, "–", "Berkas tidak berisi baris data."));
    }
    if errors.is_empty() {
        Ok(entries)
    } else {
        Err(errors)
    }
}

/// Checks one row's cells (`nik`, `nama`, `tps`), adding what is wrong to `errors`; the
/// entry's values when its NIK and TPS are readable (the name may still be refused).
fn check_row(
    line: u64,
    [nik_cell, name_cell, tps_cell]: [&str; 3],
    errors: &mut Vec<RowError>,
) -> Option<(String, String, i32)> {
    let nik = match nik::parse(nik_cell) {
        NikValue::Valid(n) => Some(n.digits),
        NikValue::Missing => {
            errors.push(RowError::new(line, "nik", "NIK wajib diisi di daftar KPU."));
            None
        }
        NikValue::Broken(b) => {
            errors.push(RowError::new(line, "nik", b.problem.message()));
            None
        }
    };
    let name = name_cell.to_owned();
    if name.is_empty() {
        errors.push(RowError::new(line, "nama", "nama wajib diisi"));
    } else if name.contains('\0') {
        errors.push(RowError::new(
            line,
            "nama",
            "memuat karakter NUL yang tidak diizinkan",
        ));
    } else if name.chars().count() > crate::domain::roll_file::MAX_TEXT {
        errors.push(RowError::new(
            line,
            "nama",
            format!(
                "paling banyak {} karakter",
                crate::domain::roll_file::MAX_TEXT
            ),
        ));
    }
    let tps = parse_tps(tps_cell);
    if tps.is_none() {
        errors.push(RowError::new(
            line,
            "tps",
            "nomor TPS harus bilangan 1–9999",
        ));
    }
    Some((nik?, name, tps?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_in_any_column_order_and_tps_spelling() {
        let e = parse(b"TPS;Nama;NIK\nTPS 901;Budi;1674011508900001\n2;Siti;1674015203950002\n")
            .unwrap();
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].tps, 901);
        assert_eq!(e[0].line, 2);
        assert_eq!(e[1].nik, "1674015203950002");
    }

    #[test]
    fn bad_rows_name_line_and_column() {
        let errors = parse(
            b"nik,nama,tps\n1674011508900001,Budi,1\n12345,Salah,1\n1674011508900001,Dua kali,2\n1674015203950002,Siti,nol\n",
        )
        .unwrap_err();
        let got: Vec<(u64, &str)> = errors.iter().map(|e| (e.line, e.column)).collect();
        assert_eq!(got, vec![(3, "nik"), (4, "nik"), (5, "tps")]);
        assert!(errors[1].message.contains("baris 2"));
    }

    #[test]
    fn missing_columns_are_reported_on_the_header() {
        let errors = parse(b"nik,nama\n1674011508900001,Budi\n").unwrap_err();
        assert_eq!(errors[0].line, 1);
    }
}
