//! One data row of the roll file checked into a [`VoterRow`], or every problem found in it.

use time::Date;

use super::header::{Column, Header};
use super::values::{
    parse_date, parse_desa, parse_legal_status, parse_list, parse_marital_status, parse_region,
    parse_sex, yes_no,
};
use crate::domain::csv_file::RowError;
use crate::domain::nik::{self, NikProblem, NikValue};
use crate::domain::vote_move::FormReason;
use crate::domain::voter::{LegalStatus, MaritalStatus, NikFlag, Sex, VoterList};

/// One accepted row, normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoterRow {
    pub nik: Option<String>,
    pub flag: Option<NikFlag>,
    /// A broken NIK as the file wrote it (flag `nik_invalid`; `nik` is then `None`).
    pub nik_raw: Option<String>,
    pub nik_problem: Option<NikProblem>,
    pub name: String,
    pub birth_date: Date,
    pub sex: Sex,
    pub legal_status: LegalStatus,
    pub marital_status: MaritalStatus,
    /// Dotted kecamatan or desa code.
    pub home_region_code: Option<String>,
    /// The home region was taken from the NIK (the KTP-el address should be checked).
    pub home_from_nik: bool,
    pub rights_revoked: bool,
    pub release_date: Option<Date>,
    /// None: not yet registered.
    pub list: Option<VoterList>,
    pub birth_place: Option<String>,
    pub registration_no: Option<String>,
    pub disability: Option<String>,
    pub ktp_el: Option<bool>,
    /// Admission to this facility (lateness is judged by it); `None`: unknown.
    pub admitted_on: Option<Date>,
    /// The pindah memilih form, recorded when its origin TPS is: origin TPS and desa, date
    /// issued, reason (the voter form's; the file has no column for it).
    pub form_origin_tps: Option<String>,
    pub form_origin_desa: Option<String>,
    pub form_date: Option<Date>,
    pub form_reason: Option<FormReason>,
    /// KPU's TPS number for a DPT voter (allocation keeps it).
    pub kpu_tps: Option<i32>,
}

impl VoterRow {
    /// The identity of a voter within a facility's roll: the NIK, else (no NIK or a broken
    /// one) the registration number, else the name and birth date.
    pub fn row_key(&self) -> String {
        match (&self.nik, &self.registration_no) {
            (Some(nik), _) => format!("nik:{nik}"),
            (None, Some(reg)) => format!("reg:{}", reg.to_lowercase()),
            (None, None) => format!("nb:{}|{}", self.name.to_lowercase(), self.birth_date),
        }
    }

    pub fn is_flagged(&self) -> bool {
        self.flag.is_some() || self.home_from_nik
    }
}

/// The longest name, birth place, registration number or disability text accepted.
pub const MAX_TEXT: usize = 200;

/// The longest origin TPS accepted (`asal_tps`).
const MAX_TPS: usize = 20;

/// The pindah memilih form's columns of a row: origin TPS, origin desa, date issued.
type FormColumns = (Option<String>, Option<String>, Option<Date>);

/// One row being checked: its values by column, and the problems found so far.
struct Checker<'a> {
    header: &'a Header,
    record: &'a csv::StringRecord,
    line: u64,
    errors: Vec<RowError>,
}

impl<'a> Checker<'a> {
    fn get(&self, col: Column) -> &'a str {
        self.header.get(self.record, col)
    }

    fn add(&mut self, col: Column, message: String) {
        self.errors
            .push(RowError::new(self.line, col.name(), message));
    }

    /// A value of a closed set, required: parsed (upper-cased) by `parse`, or a problem
    /// ("wajib diisi" when empty, else "`what` "VALUE" tidak dikenal (`hint`)").
    fn closed<T>(
        &mut self,
        col: Column,
        parse: impl Fn(&str) -> Option<T>,
        what: &str,
        hint: &str,
    ) -> Option<T> {
        let upper = self.get(col).to_uppercase();
        if upper.is_empty() {
            self.add(col, format!("{what} wajib diisi"));
            return None;
        }
        let parsed = parse(&upper);
        if parsed.is_none() {
            self.add(col, format!("{what} \"{upper}\" tidak dikenal ({hint})"));
        }
        parsed
    }

    /// An optional value: `None` when empty, else parsed by `check` (which records its own
    /// problem and returns `None` when the value is wrong).
    fn optional<T>(
        &mut self,
        col: Column,
        check: impl FnOnce(&mut Self, &'a str) -> Option<T>,
    ) -> Option<T> {
        match self.get(col) {
            "" => None,
            s => check(self, s),
        }
    }

    fn date(&mut self, col: Column, value: &str, what: &str) -> Option<Date> {
        parse_date(value).or_else(|| {
            self.add(
                col,
                format!(
                    "{what} \"{value}\" tidak dikenali (TTTT-BB-HH, HH-BB-TTTT atau HH/BB/TTTT)"
                ),
            );
            None
        })
    }

    fn yes_no(&mut self, col: Column, value: &str) -> Option<bool> {
        yes_no(value).or_else(|| {
            self.add(
                col,
                format!("{} \"{value}\" tidak dikenal (Y atau N)", col.name()),
            );
            None
        })
    }

    fn name(&mut self) -> String {
        let name = self.get(Column::Nama).to_owned();
        if name.is_empty() {
            self.add(Column::Nama, "nama wajib diisi".into());
        }
        name
    }

    fn birth_date(&mut self, today: Date) -> Option<Date> {
        let col = Column::TanggalLahir;
        match self.get(col) {
            "" => {
                self.add(col, "tanggal lahir wajib diisi".into());
                None
            }
            s => match self.date(col, s, "tanggal lahir") {
                Some(d) if d > today => {
                    self.add(col, "tanggal lahir ada di masa depan".into());
                    None
                }
                d => d,
            },
        }
    }

    fn marital_status(&mut self) -> MaritalStatus {
        let marital = self.get(Column::StatusPerkawinan).to_uppercase();
        parse_marital_status(&marital).unwrap_or_else(|| {
            self.add(
                Column::StatusPerkawinan,
                format!(
                    "status perkawinan \"{}\" tidak dikenal (BELUM KAWIN, KAWIN, CERAI HIDUP, CERAI MATI)",
                    marital.replace('_', " ")
                ),
            );
            MaritalStatus::NeverMarried
        })
    }

    fn list(&mut self) -> Option<VoterList> {
        self.optional(Column::Daftar, |c, s| {
            let upper = s.to_uppercase();
            parse_list(&upper).or_else(|| {
                c.add(
                    Column::Daftar,
                    format!("daftar \"{upper}\" tidak dikenal (DPT, DPTB, DPK atau kosong)"),
                );
                None
            })
        })
    }

    fn home_region(&mut self) -> Option<String> {
        self.optional(Column::KodeWilayahAsal, |c, s| {
            parse_region(s).or_else(|| {
                c.add(
                    Column::KodeWilayahAsal,
                    format!("kode wilayah \"{s}\" tidak dikenali (kecamatan 16.71.01 atau desa 16.71.01.1001)"),
                );
                None
            })
        })
    }

    /// An optional date that cannot lie after `today`.
    fn past_date(&mut self, col: Column, what: &str, today: Date) -> Option<Date> {
        self.optional(col, |c, s| match c.date(col, s, what) {
            Some(d) if d > today => {
                c.add(col, format!("{what} ada di masa depan"));
                None
            }
            d => d,
        })
    }

    /// `tanggal_masuk`: the admission date, not in the future.
    fn admitted_on(&mut self, today: Date) -> Option<Date> {
        self.past_date(Column::TanggalMasuk, "tanggal masuk", today)
    }

    /// `asal_tps`, `asal_desa`, `tanggal_formulir`: the pindah memilih form. The desa and
    /// date only with the TPS, which is what records a form.
    fn form(&mut self, today: Date) -> FormColumns {
        let tps = self.text(Column::AsalTps);
        if let Some(n) = tps.as_ref().map(|t| t.chars().count())
            && n > MAX_TPS
        {
            self.add(
                Column::AsalTps,
                format!("asal TPS paling banyak {MAX_TPS} karakter (terisi {n} karakter)"),
            );
        }
        let desa = self.optional(Column::AsalDesa, |c, s| {
            parse_desa(s).or_else(|| {
                c.add(
                    Column::AsalDesa,
                    format!("kode desa \"{s}\" tidak dikenali (desa/kelurahan 16.71.01.1001)"),
                );
                None
            })
        });
        let date = self.past_date(Column::TanggalFormulir, "tanggal formulir", today);
        let rest_given = [Column::AsalDesa, Column::TanggalFormulir]
            .into_iter()
            .any(|c| !self.get(c).is_empty());
        if tps.is_none() && rest_given {
            self.add(
                Column::AsalTps,
                "asal TPS wajib diisi bila asal desa atau tanggal formulir pindah memilih diisi"
                    .into(),
            );
        }
        (tps, desa, date)
    }

    /// Free text: at most [`MAX_TEXT`] characters; no NUL anywhere in the row.
    fn check_text(&mut self) {
        for col in [
            Column::Nama,
            Column::TempatLahir,
            Column::NoRegistrasi,
            Column::Disabilitas,
        ] {
            let n = self.get(col).chars().count();
            if n > MAX_TEXT {
                self.add(
                    col,
                    format!("paling banyak {MAX_TEXT} karakter (terisi {n} karakter)"),
                );
            }
        }
        for col in Column::ALL {
            if self.get(col).contains('\0') {
                self.add(col, "memuat karakter NUL yang tidak diizinkan".into());
            }
        }
    }

    /// KPU's TPS number: 1 to 9999.
    fn kpu_tps(&mut self) -> Option<i32> {
        self.optional(Column::Tps, |c, s| {
            let n = s.parse::<i32>().ok().filter(|n| (1..=9999).contains(n));
            if n.is_none() {
                c.add(
                    Column::Tps,
                    format!("nomor TPS \"{s}\" tidak dikenali (angka 1 sampai 9999)"),
                );
            }
            n
        })
    }

    fn text(&self, col: Column) -> Option<String> {
        Some(self.get(col).to_owned()).filter(|s| !s.is_empty())
    }
}

/// Checks one data row. `line` is its spreadsheet row number; `today` bounds the birth,
/// admission and form dates.
pub fn parse_row(
    header: &Header,
    record: &csv::StringRecord,
    line: u64,
    today: Date,
) -> Result<VoterRow, Vec<RowError>> {
    let mut c = Checker {
        header,
        record,
        line,
        errors: Vec::new(),
    };
    let name = c.name();
    let birth_date = c.birth_date(today);
    let sex = c.closed(Column::JenisKelamin, parse_sex, "jenis kelamin", "L atau P");
    let legal_status = c.closed(
        Column::Status,
        parse_legal_status,
        "status",
        "NAPI atau TAHANAN",
    );
    let marital_status = c.marital_status();
    let rights_revoked = c
        .optional(Column::HakPilihDicabut, |c, s| {
            c.yes_no(Column::HakPilihDicabut, s)
        })
        .unwrap_or(false);
    let release_date = c.optional(Column::TanggalBebas, |c, s| {
        c.date(Column::TanggalBebas, s, "tanggal bebas")
    });
    let list = c.list();
    let ktp_el = c.optional(Column::KtpEl, |c, s| c.yes_no(Column::KtpEl, s));
    let nik = nik::parse(c.get(Column::Nik));
    let home_region = c.home_region();
    let admitted_on = c.admitted_on(today);
    let (form_origin_tps, form_origin_desa, form_date) = c.form(today);
    let kpu_tps = c.kpu_tps();
    c.check_text();
    let (Some(birth_date), Some(sex), Some(legal_status), true) =
        (birth_date, sex, legal_status, c.errors.is_empty())
    else {
        return Err(c.errors);
    };
    // A broken NIK keeps the inmate: flagged, the value kept as written.
    let (nik, flag, nik_region, broken) = match nik {
        NikValue::Missing => (None, Some(NikFlag::NoNik), None, None),
        NikValue::Broken(b) => (None, Some(NikFlag::NikInvalid), None, Some(b)),
        NikValue::Valid(n) => {
            let flag = n
                .disagreement(birth_date, sex == Sex::Female)
                .map(|_| NikFlag::NikMismatch);
            let region = n.kecamatan_code();
            (Some(n.digits), flag, Some(region), None)
        }
    };
    let (nik_raw, nik_problem) = broken.map(|b| (b.raw, b.problem)).unzip();
    Ok(VoterRow {
        nik,
        flag,
        nik_raw,
        nik_problem,
        name,
        birth_date,
        sex,
        legal_status,
        marital_status,
        home_from_nik: home_region.is_none() && nik_region.is_some(),
        home_region_code: home_region.or(nik_region),
        rights_revoked,
        release_date,
        list,
        birth_place: c.text(Column::TempatLahir),
        registration_no: c.text(Column::NoRegistrasi),
        disability: c.text(Column::Disabilitas),
        ktp_el,
        admitted_on,
        form_origin_tps,
        form_origin_desa,
        form_date,
        form_reason: None,
        kpu_tps,
    })
}
