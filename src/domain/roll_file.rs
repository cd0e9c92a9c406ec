//! The roll import file: header, separator, and each row checked into a [`VoterRow`] or a
//! list of [`RowError`]s with the row number, the column and an Indonesian message.
//! Pure rules: no database (the checks that need one, duplicates and other facilities, are
//! set-based SQL in `import`).

use std::collections::HashMap;

use time::{Date, Month};

pub use super::csv_file::{RowError, csv_reader, detect_separator, first_line};
use super::nik::{self, NikValue};

/// The columns of the import file, a stable contract (README "Roll import file").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Nik,
    Nama,
    TanggalLahir,
    JenisKelamin,
    Status,
    StatusPerkawinan,
    KodeWilayahAsal,
    HakPilihDicabut,
    TanggalBebas,
    Daftar,
    TempatLahir,
    NoRegistrasi,
    Disabilitas,
    KtpEl,
}

impl Column {
    pub const ALL: [Column; 14] = [
        Column::Nik,
        Column::Nama,
        Column::TanggalLahir,
        Column::JenisKelamin,
        Column::Status,
        Column::StatusPerkawinan,
        Column::KodeWilayahAsal,
        Column::HakPilihDicabut,
        Column::TanggalBebas,
        Column::Daftar,
        Column::TempatLahir,
        Column::NoRegistrasi,
        Column::Disabilitas,
        Column::KtpEl,
    ];
    const REQUIRED: [Column; 5] = [
        Column::Nik,
        Column::Nama,
        Column::TanggalLahir,
        Column::JenisKelamin,
        Column::Status,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Column::Nik => "nik",
            Column::Nama => "nama",
            Column::TanggalLahir => "tanggal_lahir",
            Column::JenisKelamin => "jenis_kelamin",
            Column::Status => "status",
            Column::StatusPerkawinan => "status_perkawinan",
            Column::KodeWilayahAsal => "kode_wilayah_asal",
            Column::HakPilihDicabut => "hak_pilih_dicabut",
            Column::TanggalBebas => "tanggal_bebas",
            Column::Daftar => "daftar",
            Column::TempatLahir => "tempat_lahir",
            Column::NoRegistrasi => "no_registrasi",
            Column::Disabilitas => "disabilitas",
            Column::KtpEl => "ktp_el",
        }
    }
}

/// Where each known column sits in a row.
#[derive(Debug, Clone)]
pub struct Header {
    positions: HashMap<Column, usize>,
}

impl Header {
    /// Reads the header row: names case-insensitive, any order. Unknown columns are ignored;
    /// a missing required column or a column named twice is an error.
    pub fn parse<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<Header, String> {
        let mut positions = HashMap::new();
        for (i, raw) in names.into_iter().enumerate() {
            let name = raw.trim().trim_start_matches('\u{feff}').to_lowercase();
            if let Some(col) = Column::ALL.iter().find(|c| c.name() == name)
                && positions.insert(*col, i).is_some()
            {
                return Err(format!("kolom {name} muncul dua kali di baris judul"));
            }
        }
        let missing: Vec<&str> = Column::REQUIRED
            .iter()
            .filter(|c| !positions.contains_key(c))
            .map(|c| c.name())
            .collect();
        if !missing.is_empty() {
            return Err(format!(
                "kolom wajib tidak ada di baris judul: {}",
                missing.join(", ")
            ));
        }
        Ok(Header { positions })
    }

    fn get<'a>(&self, record: &'a csv::StringRecord, col: Column) -> &'a str {
        self.positions
            .get(&col)
            .and_then(|&i| record.get(i))
            .map_or("", str::trim)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    /// Empty or all-zero NIK: needs Disdukcapil.
    NoNik,
    /// The NIK's date or sex disagrees with the recorded ones: needs Disdukcapil.
    NikMismatch,
}

impl Flag {
    pub fn code(self) -> &'static str {
        match self {
            Flag::NoNik => "no_nik",
            Flag::NikMismatch => "nik_mismatch",
        }
    }
}

/// One accepted row, normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoterRow {
    pub nik: Option<String>,
    pub flag: Option<Flag>,
    pub name: String,
    pub birth_date: Date,
    /// `L` or `P`.
    pub sex: &'static str,
    /// `napi` or `tahanan`.
    pub legal_status: &'static str,
    /// `belum_kawin`, `kawin`, `cerai_hidup`, `cerai_mati`.
    pub marital_status: &'static str,
    /// Dotted kecamatan or desa code.
    pub home_region_code: Option<String>,
    /// The home region was taken from the NIK (the KTP-el address should be checked).
    pub home_from_nik: bool,
    pub rights_revoked: bool,
    pub release_date: Option<Date>,
    /// `dpt`, `dptb`, `dpk`, or none (not yet registered).
    pub list: Option<&'static str>,
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

/// Parses `YYYY-MM-DD`, `DD-MM-YYYY` or `DD/MM/YYYY`.
pub fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    let parts: Vec<&str> = if s.contains('/') {
        s.split('/').collect()
    } else {
        s.split('-').collect()
    };
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let (y, m, d) = if parts[0].len() == 4 && !s.contains('/') {
        (parts[0], parts[1], parts[2])
    } else if parts[2].len() == 4 {
        (parts[2], parts[1], parts[0])
    } else {
        return None;
    };
    let month = Month::try_from(m.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok()
}

fn yes_no(s: &str) -> Option<bool> {
    match s.to_uppercase().as_str() {
        "Y" | "YA" => Some(true),
        "N" | "TIDAK" => Some(false),
        _ => None,
    }
}

/// Accepts `16.71.01`, `167101`, `16.71.01.1001`, `1671011001`; returns the dotted form.
pub fn parse_region(s: &str) -> Option<String> {
    let digits: String = s.chars().filter(|c| *c != '.').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let dotted = match digits.len() {
        6 => format!("{}.{}.{}", &digits[0..2], &digits[2..4], &digits[4..6]),
        10 => format!(
            "{}.{}.{}.{}",
            &digits[0..2],
            &digits[2..4],
            &digits[4..6],
            &digits[6..10]
        ),
        _ => return None,
    };
    // Dots, when given, must be where they belong.
    if s.contains('.') && s != dotted {
        return None;
    }
    nik::PROVINCE_CODES
        .contains(&&digits[0..2])
        .then_some(dotted)
}

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

/// The longest name, birth place, registration number or disability text accepted.
pub const MAX_TEXT: usize = 200;

/// Checks one data row. `line` is its spreadsheet row number; `today` bounds birth dates.
pub fn parse_row(
    header: &Header,
    record: &csv::StringRecord,
    line: u64,
    today: Date,
) -> Result<VoterRow, Vec<RowError>> {
    let mut errors = Vec::new();
    let mut err = |col: Column, message: String| {
        errors.push(RowError {
            line,
            column: col.name(),
            message,
        })
    };
    let get = |col| header.get(record, col);

    let name = get(Column::Nama).to_owned();
    if name.is_empty() {
        err(Column::Nama, "nama wajib diisi".into());
    }
    let birth_date = match get(Column::TanggalLahir) {
        "" => {
            err(Column::TanggalLahir, "tanggal lahir wajib diisi".into());
            None
        }
        s => match parse_date(s) {
            None => {
                err(
                    Column::TanggalLahir,
                    format!(
                        "tanggal lahir \"{s}\" tidak dikenali (TTTT-BB-HH, HH-BB-TTTT atau HH/BB/TTTT)"
                    ),
                );
                None
            }
            Some(d) if d > today => {
                err(
                    Column::TanggalLahir,
                    "tanggal lahir ada di masa depan".into(),
                );
                None
            }
            Some(d) => Some(d),
        },
    };
    let sex = match get(Column::JenisKelamin).to_uppercase().as_str() {
        "L" | "LAKI-LAKI" => Some("L"),
        "P" | "PEREMPUAN" => Some("P"),
        "" => {
            err(Column::JenisKelamin, "jenis kelamin wajib diisi".into());
            None
        }
        other => {
            err(
                Column::JenisKelamin,
                format!("jenis kelamin \"{other}\" tidak dikenal (L atau P)"),
            );
            None
        }
    };
    let legal_status = match get(Column::Status).to_uppercase().as_str() {
        "NAPI" | "NARAPIDANA" => Some("napi"),
        "TAHANAN" => Some("tahanan"),
        "" => {
            err(Column::Status, "status wajib diisi".into());
            None
        }
        other => {
            err(
                Column::Status,
                format!("status \"{other}\" tidak dikenal (NAPI atau TAHANAN)"),
            );
            None
        }
    };
    let marital_status = match get(Column::StatusPerkawinan)
        .to_uppercase()
        .replace('_', " ")
        .as_str()
    {
        "" | "BELUM KAWIN" => "belum_kawin",
        "KAWIN" => "kawin",
        "CERAI HIDUP" => "cerai_hidup",
        "CERAI MATI" => "cerai_mati",
        other => {
            err(
                Column::StatusPerkawinan,
                format!(
                    "status perkawinan \"{other}\" tidak dikenal (BELUM KAWIN, KAWIN, CERAI HIDUP, CERAI MATI)"
                ),
            );
            "belum_kawin"
        }
    };
    let rights_revoked = match get(Column::HakPilihDicabut) {
        "" => false,
        s => yes_no(s).unwrap_or_else(|| {
            err(
                Column::HakPilihDicabut,
                format!("hak_pilih_dicabut \"{s}\" tidak dikenal (Y atau N)"),
            );
            false
        }),
    };
    let release_date = match get(Column::TanggalBebas) {
        "" => None,
        s => parse_date(s).or_else(|| {
            err(
                Column::TanggalBebas,
                format!(
                    "tanggal bebas \"{s}\" tidak dikenali (TTTT-BB-HH, HH-BB-TTTT atau HH/BB/TTTT)"
                ),
            );
            None
        }),
    };
    let list = match get(Column::Daftar).to_uppercase().as_str() {
        "" => None,
        "DPT" => Some("dpt"),
        "DPTB" => Some("dptb"),
        "DPK" => Some("dpk"),
        other => {
            err(
                Column::Daftar,
                format!("daftar \"{other}\" tidak dikenal (DPT, DPTB, DPK atau kosong)"),
            );
            None
        }
    };
    let ktp_el = match get(Column::KtpEl) {
        "" => None,
        s => yes_no(s).or_else(|| {
            err(
                Column::KtpEl,
                format!("ktp_el \"{s}\" tidak dikenal (Y atau N)"),
            );
            None
        }),
    };
    let nik = match nik::parse(get(Column::Nik)) {
        Ok(v) => Some(v),
        Err(msg) => {
            err(Column::Nik, format!("{msg}: \"{}\"", get(Column::Nik)));
            None
        }
    };
    let home_region = match get(Column::KodeWilayahAsal) {
        "" => None,
        s => parse_region(s).map(Some).unwrap_or_else(|| {
            err(
                Column::KodeWilayahAsal,
                format!("kode wilayah \"{s}\" tidak dikenali (kecamatan 16.71.01 atau desa 16.71.01.1001)"),
            );
            None
        }),
    };

    let opt = |col| Some(get(col).to_owned()).filter(|s| !s.is_empty());
    let birth_place = opt(Column::TempatLahir);
    let registration_no = opt(Column::NoRegistrasi);
    let disability = opt(Column::Disabilitas);
    for col in [
        Column::Nama,
        Column::TempatLahir,
        Column::NoRegistrasi,
        Column::Disabilitas,
    ] {
        let n = get(col).chars().count();
        if n > MAX_TEXT {
            err(
                col,
                format!("paling banyak {MAX_TEXT} karakter (terisi {n} karakter)"),
            );
        }
    }
    for col in Column::ALL {
        if get(col).contains('\0') {
            err(col, "memuat karakter NUL yang tidak diizinkan".into());
        }
    }

    if !errors.is_empty() {
        return Err(errors);
    }
    let (birth_date, sex, legal_status, nik) = (
        birth_date.expect("checked"),
        sex.expect("checked"),
        legal_status.expect("checked"),
        nik.expect("checked"),
    );
    let (nik, flag, nik_region) = match nik {
        NikValue::Missing => (None, Some(Flag::NoNik), None),
        NikValue::Valid(n) => {
            let flag = (!n.matches(birth_date, sex == "P")).then_some(Flag::NikMismatch);
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
        birth_place,
        registration_no,
        disability,
        ktp_el,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 28);

    fn header() -> Header {
        Header::parse([
            "NIK",
            "nama",
            "Tanggal_Lahir",
            "jenis_kelamin",
            "status",
            "status_perkawinan",
            "kode_wilayah_asal",
            "hak_pilih_dicabut",
            "tanggal_bebas",
            "daftar",
            "ktp_el",
        ])
        .unwrap()
    }

    fn row(fields: &[&str]) -> Result<VoterRow, Vec<RowError>> {
        parse_row(
            &header(),
            &csv::StringRecord::from(fields.to_vec()),
            2,
            TODAY,
        )
    }

    fn good() -> Vec<&'static str> {
        vec![
            "1674011508900001",
            "Budi Santoso",
            "1990-08-15",
            "L",
            "NAPI",
            "KAWIN",
            "16.74.01",
            "N",
            "",
            "DPTB",
            "Y",
        ]
    }

    fn first_error(fields: &[&str]) -> (String, String) {
        let e = row(fields).unwrap_err();
        (e[0].column.to_owned(), e[0].message.clone())
    }

    #[test]
    fn separator_comes_from_the_header() {
        assert_eq!(detect_separator(b"nik;nama;tanggal_lahir"), b';');
        assert_eq!(detect_separator(b"nik\tnama\ttanggal_lahir"), b'\t');
        assert_eq!(detect_separator(b"nik,nama,tanggal_lahir"), b',');
        assert_eq!(detect_separator(b"nik"), b',');
    }

    #[test]
    fn header_names_any_case_any_order_and_required_columns() {
        assert!(
            Header::parse([
                "\u{feff}nik",
                "NAMA",
                "status",
                "jenis_kelamin",
                "tanggal_lahir"
            ])
            .is_ok()
        );
        let e = Header::parse(["nama", "status"]).unwrap_err();
        assert!(
            e.contains("nik") && e.contains("tanggal_lahir") && e.contains("jenis_kelamin"),
            "{e}"
        );
        assert!(
            Header::parse([
                "nik",
                "nik",
                "nama",
                "status",
                "jenis_kelamin",
                "tanggal_lahir"
            ])
            .is_err()
        );
    }

    #[test]
    fn a_good_row_is_normalised() {
        let v = row(&good()).unwrap();
        assert_eq!(v.nik.as_deref(), Some("1674011508900001"));
        assert_eq!(v.flag, None);
        assert_eq!(v.birth_date, date!(1990 - 08 - 15));
        assert_eq!(
            (v.sex, v.legal_status, v.marital_status),
            ("L", "napi", "kawin")
        );
        assert_eq!(v.home_region_code.as_deref(), Some("16.74.01"));
        assert!(!v.home_from_nik);
        assert_eq!(v.list, Some("dptb"));
        assert_eq!(v.ktp_el, Some(true));
        assert_eq!(v.row_key(), "nik:1674011508900001");
    }

    #[test]
    fn dates_in_three_formats() {
        assert_eq!(parse_date("2007-02-14"), Some(date!(2007 - 02 - 14)));
        assert_eq!(parse_date("14-02-2007"), Some(date!(2007 - 02 - 14)));
        assert_eq!(parse_date("14/02/2007"), Some(date!(2007 - 02 - 14)));
        assert_eq!(parse_date("2007/02/14"), None);
        assert_eq!(parse_date("31-02-2007"), None);
        assert_eq!(parse_date("14.02.2007"), None);
    }

    #[test]
    fn each_rejection_names_its_column() {
        let mut f = good();
        f[1] = "";
        assert_eq!(first_error(&f), ("nama".into(), "nama wajib diisi".into()));
        let mut f = good();
        f[2] = "15 Agustus 1990";
        assert_eq!(first_error(&f).0, "tanggal_lahir");
        let mut f = good();
        f[2] = "2030-01-01";
        assert_eq!(
            first_error(&f),
            (
                "tanggal_lahir".into(),
                "tanggal lahir ada di masa depan".into()
            )
        );
        let mut f = good();
        f[3] = "X";
        assert_eq!(first_error(&f).0, "jenis_kelamin");
        let mut f = good();
        f[4] = "BEBAS";
        assert_eq!(first_error(&f).0, "status");
        let mut f = good();
        f[5] = "JANDA";
        assert_eq!(first_error(&f).0, "status_perkawinan");
        let mut f = good();
        f[6] = "16-74-01";
        assert_eq!(first_error(&f).0, "kode_wilayah_asal");
        let mut f = good();
        f[7] = "mungkin";
        assert_eq!(first_error(&f).0, "hak_pilih_dicabut");
        let mut f = good();
        f[8] = "besok";
        assert_eq!(first_error(&f).0, "tanggal_bebas");
        let mut f = good();
        f[9] = "DPS";
        assert_eq!(first_error(&f).0, "daftar");
        let mut f = good();
        f[0] = "12345";
        assert_eq!(
            first_error(&f),
            ("nik".into(), "NIK harus 16 angka: \"12345\"".into())
        );
        let mut f = good();
        f[0] = "9974011508900001";
        assert!(
            first_error(&f)
                .1
                .starts_with("kode provinsi NIK tidak dikenal")
        );
        let mut f = good();
        f[0] = "1674013208900001";
        assert!(
            first_error(&f)
                .1
                .starts_with("tanggal lahir dalam NIK tidak mungkin")
        );
    }

    #[test]
    fn values_are_case_insensitive_and_have_long_forms() {
        let mut f = good();
        f[3] = "laki-laki";
        f[4] = "narapidana";
        f[5] = "cerai hidup";
        f[7] = "tidak";
        f[9] = "dpk";
        let v = row(&f).unwrap();
        assert_eq!(
            (v.sex, v.legal_status, v.marital_status),
            ("L", "napi", "cerai_hidup")
        );
        assert!(!v.rights_revoked);
        assert_eq!(v.list, Some("dpk"));
        let mut f = good();
        f[0] = "1674015508900001";
        f[3] = "PEREMPUAN";
        assert_eq!(row(&f).unwrap().sex, "P");
    }

    #[test]
    fn missing_or_disagreeing_niks_are_flagged_not_rejected() {
        let mut f = good();
        f[0] = "";
        let v = row(&f).unwrap();
        assert_eq!((v.nik.clone(), v.flag), (None, Some(Flag::NoNik)));
        assert_eq!(v.row_key(), "nb:budi santoso|1990-08-15");
        f[0] = "0000000000000000";
        assert_eq!(row(&f).unwrap().flag, Some(Flag::NoNik));
        let mut f = good();
        f[2] = "1990-08-16";
        assert_eq!(row(&f).unwrap().flag, Some(Flag::NikMismatch));
        let mut f = good();
        f[3] = "P";
        assert_eq!(row(&f).unwrap().flag, Some(Flag::NikMismatch));
    }

    #[test]
    fn home_region_defaults_to_the_nik_and_is_flagged() {
        let mut f = good();
        f[6] = "";
        let v = row(&f).unwrap();
        assert_eq!(v.home_region_code.as_deref(), Some("16.74.01"));
        assert!(v.home_from_nik && v.is_flagged());
        f[6] = "1671011001";
        let v = row(&f).unwrap();
        assert_eq!(v.home_region_code.as_deref(), Some("16.71.01.1001"));
        assert!(!v.home_from_nik);
    }

    #[test]
    fn a_whole_file_is_checked_without_a_database() {
        let today = date!(2026 - 11 - 28);
        let c = check_file(
            b"nik;nama;tanggal_lahir;jenis_kelamin;status\n\
              1674011508900001;Budi;15-08-1990;L;NAPI\n12345;Salah;1990-01-01;L;NAPI\n",
            today,
        )
        .unwrap();
        assert_eq!(c.valid, 1);
        assert_eq!(c.errors.len(), 1);
        assert!(check_file(b"", today).is_err());
        assert!(check_file(b"nama\n", today).is_err());
        // Odd bytes and quotes never panic.
        let _ = check_file(b"nik,nama\n\"\xff\x00,\n", today);
    }
}
