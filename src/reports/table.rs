//! A report table as data, written as CSV or as a real spreadsheet (numbers as numbers, the
//! header row frozen, column widths set).

use axum::http::header;
use axum::response::{IntoResponse, Response};
use rust_xlsxwriter::{Format, Workbook};

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    /// A share between 0 and 1 (shown as a percentage); `None` when the whole is zero.
    Share(Option<f64>),
    Bool(bool),
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    pub fn share(part: i64, whole: i64) -> Cell {
        Cell::Share((whole > 0).then(|| part as f64 / whole as f64))
    }

    fn csv(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Int(n) => n.to_string(),
            // Whole percent, rounded half up, as the pages show it.
            Cell::Share(Some(f)) => ((f * 100.0) + 0.5).floor().to_string(),
            Cell::Share(None) => String::new(),
            Cell::Bool(b) => b.to_string(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Table {
    /// The sheet's name (at most 31 characters in a workbook).
    pub title: String,
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Csv,
    Xlsx,
}

impl FileFormat {
    /// `nasional.csv` → (`nasional`, Csv).
    pub fn split(file: &str) -> Option<(&str, FileFormat)> {
        let (stem, ext) = file.rsplit_once('.')?;
        let format = match ext {
            "csv" => FileFormat::Csv,
            "xlsx" => FileFormat::Xlsx,
            _ => return None,
        };
        Some((stem, format))
    }
}

impl Table {
    pub fn to_csv(&self) -> anyhow::Result<Vec<u8>> {
        let mut w = crate::http::csv::Writer::in_memory();
        w.row(&self.columns)?;
        for r in &self.rows {
            w.row(r.iter().map(Cell::csv))?;
        }
        w.finish()
    }

    pub fn to_xlsx(&self) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        xlsx_book(&[self])
    }

    /// The table as a download named `name.csv` / `name.xlsx`.
    pub fn download(&self, name: &str, format: FileFormat) -> crate::http::error::Result<Response> {
        download_book(&[self], name, format)
    }

    /// Writes the table as one sheet of `book`.
    fn write_sheet(&self, book: &mut Workbook) -> Result<(), rust_xlsxwriter::XlsxError> {
        let sheet = book.add_worksheet();
        let title: String = self
            .title
            .chars()
            .filter(|c| !"[]:*?/\\".contains(*c))
            .take(31)
            .collect();
        sheet.set_name(if title.is_empty() { "Loksus" } else { &title })?;
        let bold = Format::new().set_bold();
        let thousands = Format::new().set_num_format("#,##0");
        let percent = Format::new().set_num_format("0%");
        let mut widths: Vec<usize> = self.columns.iter().map(|c| c.chars().count()).collect();
        for (c, name) in self.columns.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, *name, &bold)?;
        }
        for (i, row) in self.rows.iter().enumerate() {
            let r = i as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let col = c as u16;
                let shown = match cell {
                    Cell::Text(s) => {
                        sheet.write_string(r, col, s)?;
                        s.chars().count()
                    }
                    Cell::Int(n) => {
                        sheet.write_number_with_format(r, col, *n as f64, &thousands)?;
                        n.to_string().len() + 2
                    }
                    Cell::Share(Some(f)) => {
                        sheet.write_number_with_format(r, col, *f, &percent)?;
                        5
                    }
                    Cell::Share(None) => 0,
                    Cell::Bool(b) => {
                        sheet.write_boolean(r, col, *b)?;
                        5
                    }
                };
                if let Some(w) = widths.get_mut(c) {
                    *w = (*w).max(shown);
                }
            }
        }
        for (c, w) in widths.iter().enumerate() {
            sheet.set_column_width(c as u16, (*w as f64 + 2.0).min(60.0))?;
        }
        sheet.set_freeze_panes(1, 0)?;
        Ok(())
    }
}

/// A workbook with one sheet per table, in order.
pub fn xlsx_book(tables: &[&Table]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = Workbook::new();
    for t in tables {
        t.write_sheet(&mut book)?;
    }
    book.save_to_buffer()
}

/// Tables as a download named `name.csv` (the first table) or `name.xlsx` (every table, one
/// sheet each).
pub fn download_book(
    tables: &[&Table],
    name: &str,
    format: FileFormat,
) -> crate::http::error::Result<Response> {
    let (body, mime, ext) = match (format, tables.first()) {
        (FileFormat::Csv, Some(first)) => (first.to_csv()?, "text/csv; charset=utf-8", "csv"),
        _ => (
            xlsx_book(tables).map_err(|e| anyhow::anyhow!("xlsx: {e}"))?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
    };
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.{ext}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table {
            title: "Uji".into(),
            columns: vec!["nama", "jumlah", "persen"],
            rows: vec![
                vec![
                    Cell::text("Sumatera Selatan"),
                    Cell::Int(13_519),
                    Cell::share(13_519, 15_895),
                ],
                vec![Cell::text("Kosong"), Cell::Int(0), Cell::share(0, 0)],
            ],
        }
    }

    #[test]
    fn csv_has_plain_numbers_and_whole_percentages() {
        let csv = String::from_utf8(table().to_csv().unwrap()).unwrap();
        assert_eq!(
            csv,
            "nama,jumlah,persen\nSumatera Selatan,13519,85\nKosong,0,\n"
        );
    }

    #[test]
    fn file_names_carry_the_format() {
        assert_eq!(FileFormat::split("16.xlsx"), Some(("16", FileFormat::Xlsx)));
        assert_eq!(
            FileFormat::split("nasional.csv"),
            Some(("nasional", FileFormat::Csv))
        );
        assert_eq!(FileFormat::split("nasional.pdf"), None);
    }

    #[test]
    fn xlsx_is_a_zip_workbook() {
        let bytes = table().to_xlsx().unwrap();
        assert_eq!(&bytes[..2], b"PK");
    }
}
