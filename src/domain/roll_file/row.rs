//! One data row of the roll file checked into a [`VoterRow`], or every problem found in it.

use time::Date;

use super::header::{Column, Header};
use super::values::{
    parse_date, parse_legal_status, parse_list, parse_marital_status, parse_region, parse_sex,
    yes_no,
};
use crate::domain::csv_file::RowError;
use crate::domain::nik::{self, NikValue};
use crate::domain::voter::{LegalStatus, MaritalStatus, NikFlag, Sex, VoterList};

/// One accepted row, normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoterRow {
    pub nik: Option<String>,
    pub flag: Option<NikFlag>,
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
}

impl VoterRow {
    /// The identity of a voter within a facility's roll: the NIK, else the registration
    /// number, else the name and birth date.
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

/// The problems of one row, each naming its column.
struct Problems {
    line: u64,
    errors: Vec<RowError>,
}

impl Problems {
    fn add(&mut self, col: Column, message: String) {
        self.errors
            .push(RowError::new(self.line, col.name(), message));
    }

    /// `value` parsed by `parse`, or a problem: "wajib diisi" when empty and `required`,
    /// else "`what` "value" tidak dikenal (`hint`)".
    fn closed<T>(
        &mut self,
        col: Column,
        value: &str,
        parse: impl Fn(&str) -> Option<T>,
        what: &str,
        hint: &str,
    ) -> Option<T> {
        let upper = value.to_uppercase();
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
}

/// Checks one data row. `line` is its spreadsheet row number; `today` bounds birth dates.
pub fn parse_row(
    header: &Header,
    record: &csv::StringRecord,
    line: u64,
    today: Date,
) -> Result<VoterRow, Vec<RowError>> {
    let mut p = Problems {
        line,
        errors: Vec::new(),
    };
    let get = |col| header.get(record, col);

    let name = get(Column::Nama).to_owned();
    if name.is_empty() {
        p.add(Column::Nama, "nama wajib diisi".into());
    }
    let birth_date = match get(Column::TanggalLahir) {
        "" => {
            p.add(Column::TanggalLahir, "tanggal lahir wajib diisi".into());
            None
        }
        s => match p.date(Column::TanggalLahir, s, "tanggal lahir") {
            Some(d) if d > today => {
                p.add(
                    Column::TanggalLahir,
                    "tanggal lahir ada di masa depan".into(),
                );
                None
            }
            d => d,
        },
    };
    let sex = p.closed(
        Column::JenisKelamin,
        get(Column::JenisKelamin),
        parse_sex,
        "jenis kelamin",
        "L atau P",
    );
    let legal_status = p.closed(
        Column::Status,
        get(Column::Status),
        parse_legal_status,
        "status",
        "NAPI atau TAHANAN",
    );
    let marital = get(Column::StatusPerkawinan).to_uppercase();
    let marital_status = parse_marital_status(&marital).unwrap_or_else(|| {
        p.add(
            Column::StatusPerkawinan,
            format!(
                "status perkawinan \"{}\" tidak dikenal (BELUM KAWIN, KAWIN, CERAI HIDUP, CERAI MATI)",
                marital.replace('_', " ")
            ),
        );
        MaritalStatus::NeverMarried
    });
    let rights_revoked = match get(Column::HakPilihDicabut) {
        "" => false,
        s => p.yes_no(Column::HakPilihDicabut, s).unwrap_or(false),
    };
    let release_date = match get(Column::TanggalBebas) {
        "" => None,
        s => p.date(Column::TanggalBebas, s, "tanggal bebas"),
    };
    let list = match get(Column::Daftar).to_uppercase().as_str() {
        "" => None,
        other => parse_list(other).or_else(|| {
            p.add(
                Column::Daftar,
                format!("daftar \"{other}\" tidak dikenal (DPT, DPTB, DPK atau kosong)"),
            );
            None
        }),
    };
    let ktp_el = match get(Column::KtpEl) {
        "" => None,
        s => p.yes_no(Column::KtpEl, s),
    };
    let nik = match nik::parse(get(Column::Nik)) {
        Ok(v) => Some(v),
        Err(msg) => {
            p.add(Column::Nik, format!("{msg}: \"{}\"", get(Column::Nik)));
            None
        }
    };
    let home_region = match get(Column::KodeWilayahAsal) {
        "" => None,
        s => parse_region(s).or_else(|| {
            p.add(
                Column::KodeWilayahAsal,
                format!("kode wilayah \"{s}\" tidak dikenali (kecamatan 16.71.01 atau desa 16.71.01.1001)"),
            );
            None
        }),
    };

    let opt = |col| Some(get(col).to_owned()).filter(|s| !s.is_empty());
    for col in [
        Column::Nama,
        Column::TempatLahir,
        Column::NoRegistrasi,
        Column::Disabilitas,
    ] {
        let n = get(col).chars().count();
        if n > MAX_TEXT {
            p.add(
                col,
                format!("paling banyak {MAX_TEXT} karakter (terisi {n} karakter)"),
            );
        }
    }
    for col in Column::ALL {
        if get(col).contains('\0') {
            p.add(col, "memuat karakter NUL yang tidak diizinkan".into());
        }
    }

    let (Some(birth_date), Some(sex), Some(legal_status), Some(nik), true) =
        (birth_date, sex, legal_status, nik, p.errors.is_empty())
    else {
        return Err(p.errors);
    };
    let (nik, flag, nik_region) = match nik {
        NikValue::Missing => (None, Some(NikFlag::NoNik), None),
        NikValue::Valid(n) => {
            let flag = (!n.matches(birth_date, sex == Sex::Female)).then_some(NikFlag::NikMismatch);
            let region = n.kecamatan_code();
            (Some(n.digits), flag, Some(region))
        }
    };
    let home_from_nik = home_region.is_none() && nik_region.is_some();
    Ok(VoterRow {
        nik,
        flag,
        name,
        birth_date,
        sex,
        legal_status,
        marital_status,
        home_region_code: home_region.or(nik_region),
        home_from_nik,
        rights_revoked,
        release_date,
        list,
        birth_place: opt(Column::TempatLahir),
        registration_no: opt(Column::NoRegistrasi),
        disability: opt(Column::Disabilitas),
        ktp_el,
    })
}
