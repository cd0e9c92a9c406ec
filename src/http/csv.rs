//! Every CSV Loksus writes (downloads and the command line's exports) goes through
//! [`Writer`]: a cell that a spreadsheet would read as a formula (it starts with `=`, `+`,
//! `-`, `@`, a tab or a carriage return) is prefixed with `'` (OWASP's rule for CSV
//! injection); a plain number such as `-3` or `12.5` is written as it is. Write errors are
//! returned, never dropped, so a failure cannot produce a truncated file with status 200.

use std::io::Write;

use axum::http::header;
use axum::response::{IntoResponse, Response};

/// `cell` made safe to open in a spreadsheet.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell
        .chars()
        .next()
        .is_some_and(|c| matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r'));
    if risky && !is_plain_number(cell) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// `-12`, `+3`, `-0.5`: a number, which no spreadsheet evaluates as a formula.
fn is_plain_number(s: &str) -> bool {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    let mut parts = digits.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let frac = parts.next();
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// A CSV writer whose every cell passes [`neutralise`].
pub struct Writer<W: Write> {
    inner: csv::Writer<W>,
}

impl Writer<Vec<u8>> {
    /// A writer into memory, for a download.
    pub fn in_memory() -> Self {
        Self::new(Vec::new())
    }
}

impl<W: Write> Writer<W> {
    pub fn new(out: W) -> Self {
        Self {
            inner: csv::Writer::from_writer(out),
        }
    }

    pub fn row<I, T>(&mut self, cells: I) -> Result<(), csv::Error>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<str>,
    {
        self.inner.write_record(
            cells
                .into_iter()
                .map(|c| neutralise(c.as_ref()).into_owned()),
        )
    }

    /// Flushes and returns the output.
    pub fn finish(self) -> anyhow::Result<W> {
        self.inner
            .into_inner()
            .map_err(|e| anyhow::anyhow!("CSV tidak dapat ditulis: {}", e.error()))
    }
}

/// A CSV body as a download named `filename`, never cached (it may hold personal data).
pub fn response(filename: &str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_prefixed_and_numbers_kept() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("+1+cmd|' /C calc'!A0"), "'+1+cmd|' /C calc'!A0");
        assert_eq!(neutralise("@SUM(1)"), "'@SUM(1)");
        assert_eq!(neutralise("-2+3"), "'-2+3");
        assert_eq!(neutralise("\tx"), "'\tx");
        assert_eq!(neutralise("\rx"), "'\rx");
        assert_eq!(neutralise("-3"), "-3");
        assert_eq!(neutralise("-0.5"), "-0.5");
        assert_eq!(neutralise("Budi"), "Budi");
        assert_eq!(neutralise(""), "");
    }

    #[test]
    fn the_writer_guards_every_cell() {
        let mut w = Writer::in_memory();
        w.row(["nama", "jumlah"]).unwrap();
        w.row(["=1+1", "-4"]).unwrap();
        let out = String::from_utf8(w.finish().unwrap()).unwrap();
        assert_eq!(out, "nama,jumlah\n'=1+1,-4\n");
    }
}
