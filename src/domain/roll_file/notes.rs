//! The notes on a row kept with a flag: what the import report lists apart from the
//! rejected rows, with the row, the column and an Indonesian message.

use time::Date;

use super::header::Column;
use crate::domain::csv_file::RowError;
use crate::domain::nik::{self, NikProblem, NikValue};
use crate::domain::voter::{NikFlag, Sex};

/// A kept row's flags, as staged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlaggedRow {
    pub line: i64,
    pub nik: Option<String>,
    pub flag: Option<NikFlag>,
    pub nik_raw: Option<String>,
    pub nik_problem: Option<NikProblem>,
    pub birth_date: Date,
    pub sex: Sex,
    pub home_from_nik: bool,
}

impl FlaggedRow {
    /// One note per flag: the NIK's (missing, broken, disagreeing) and the home region's.
    pub fn notes(&self) -> Vec<RowError> {
        let line = self.line as u64;
        let mut notes = Vec::new();
        if let Some(message) = self.nik_note() {
            notes.push(RowError::new(line, Column::Nik.name(), message));
        }
        if self.home_from_nik {
            notes.push(RowError::new(
                line,
                Column::KodeWilayahAsal.name(),
                "kosong: wilayah asal diambil dari NIK (periksa alamat KTP-el)",
            ));
        }
        notes
    }

    fn nik_note(&self) -> Option<String> {
        match self.flag? {
            NikFlag::NoNik => {
                Some("NIK kosong: tetap di daftar tanpa NIK, masuk daftar Disdukcapil".into())
            }
            NikFlag::NikInvalid => {
                let problem = self
                    .nik_problem
                    .map_or("NIK tidak sah", NikProblem::message);
                let raw = self.nik_raw.as_deref().unwrap_or_default();
                Some(format!(
                    "{problem}: \"{raw}\"; tetap di daftar tanpa NIK yang sah, masuk daftar Disdukcapil"
                ))
            }
            NikFlag::NikMismatch => {
                let what = match nik::parse(self.nik.as_deref().unwrap_or_default()) {
                    NikValue::Valid(n) => n.disagreement(self.birth_date, self.sex == Sex::Female),
                    _ => None,
                };
                Some(format!(
                    "NIK tidak cocok dengan {}: tetap dapat memilih, Disdukcapil diminta memverifikasi",
                    what.unwrap_or("tanggal lahir/jenis kelamin")
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn row(flag: Option<NikFlag>) -> FlaggedRow {
        FlaggedRow {
            line: 4,
            nik: None,
            flag,
            nik_raw: None,
            nik_problem: None,
            birth_date: date!(1990 - 08 - 15),
            sex: Sex::Male,
            home_from_nik: false,
        }
    }

    #[test]
    fn each_flag_has_its_note_with_row_and_column() {
        let broken = FlaggedRow {
            nik_raw: Some("1.67101E+15".into()),
            nik_problem: Some(NikProblem::Scientific),
            ..row(Some(NikFlag::NikInvalid))
        };
        let notes = broken.notes();
        assert_eq!((notes[0].line, notes[0].column), (4, "nik"));
        assert_eq!(
            notes[0].message,
            "NIK rusak oleh spreadsheet (format angka ilmiah): \"1.67101E+15\"; tetap di daftar \
             tanpa NIK yang sah, masuk daftar Disdukcapil"
        );
        let mismatch = FlaggedRow {
            nik: Some("1674015508900001".into()),
            home_from_nik: true,
            ..row(Some(NikFlag::NikMismatch))
        };
        let notes = mismatch.notes();
        assert!(
            notes[0]
                .message
                .starts_with("NIK tidak cocok dengan jenis kelamin:")
        );
        assert_eq!(notes[1].column, "kode_wilayah_asal");
        assert!(
            row(Some(NikFlag::NoNik)).notes()[0]
                .message
                .starts_with("NIK kosong")
        );
        assert!(row(None).notes().is_empty());
    }
}
