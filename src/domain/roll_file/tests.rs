use super::*;
use crate::domain::voter::{LegalStatus, MaritalStatus, NikFlag as Flag, Sex, VoterList};
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
        (Sex::Male, LegalStatus::Convict, MaritalStatus::Married)
    );
    assert_eq!(v.home_region_code.as_deref(), Some("16.74.01"));
    assert!(!v.home_from_nik);
    assert_eq!(v.list, Some(VoterList::Dptb));
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
}

#[test]
fn a_broken_nik_keeps_the_row_flagged_with_its_problem() {
    use crate::domain::nik::NikProblem::*;
    for (written, problem) in [
        ("167401150890000", Length),
        ("16740115089000O1", Letters),
        ("9974011508900001", Province),
        ("1674013102900001", Date),
        ("1674011508900000", Serial),
        ("1.67401E+15", Scientific),
    ] {
        let mut f = good();
        f[0] = written;
        f[6] = "";
        let v = row(&f).unwrap();
        assert_eq!(
            (
                v.nik.as_deref(),
                v.flag,
                v.nik_raw.as_deref(),
                v.nik_problem
            ),
            (None, Some(Flag::NikInvalid), Some(written), Some(problem)),
            "{written}"
        );
        // No home region from a broken NIK; identified without it.
        assert_eq!(
            (v.home_region_code.as_deref(), v.home_from_nik),
            (None, false)
        );
        assert_eq!(v.row_key(), "nb:budi santoso|1990-08-15");
    }
}

#[test]
fn niks_as_spreadsheets_write_them_are_normalised() {
    for written in [
        "'1674011508900001",
        "1674 0115 0890 0001",
        "1674.0115.0890.0001",
    ] {
        let mut f = good();
        f[0] = written;
        let v = row(&f).unwrap();
        assert_eq!((v.nik.as_deref(), v.flag), (Some("1674011508900001"), None));
    }
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
        (Sex::Male, LegalStatus::Convict, MaritalStatus::Divorced)
    );
    assert!(!v.rights_revoked);
    assert_eq!(v.list, Some(VoterList::Dpk));
    let mut f = good();
    f[0] = "1674015508900001";
    f[3] = "PEREMPUAN";
    assert_eq!(row(&f).unwrap().sex, Sex::Female);
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
          1674011508900001;Budi;15-08-1990;L;NAPI\n12345;Salah;1990-13-01;L;NAPI\n\
          12345;Kept;1990-01-01;L;NAPI\n",
        today,
    )
    .unwrap();
    assert_eq!(c.valid, 2);
    assert_eq!(c.errors.len(), 1);
    assert!(check_file(b"", today).is_err());
    assert!(check_file(b"nama\n", today).is_err());
    // Odd bytes and quotes never panic.
    let _ = check_file(b"nik,nama\n\"\xff\x00,\n", today);
}

/// A row of a file with the admission and pindah memilih columns.
fn form_row(
    admitted: &str,
    tps: &str,
    desa: &str,
    form_date: &str,
) -> Result<VoterRow, Vec<RowError>> {
    let header = Header::parse([
        "nik",
        "nama",
        "tanggal_lahir",
        "jenis_kelamin",
        "status",
        "daftar",
        "tanggal_masuk",
        "asal_tps",
        "asal_desa",
        "tanggal_formulir",
    ])
    .unwrap();
    let fields = [
        "1674011508900001",
        "Budi Santoso",
        "1990-08-15",
        "L",
        "TAHANAN",
        "DPTB",
        admitted,
        tps,
        desa,
        form_date,
    ];
    parse_row(&header, &csv::StringRecord::from(fields.to_vec()), 7, TODAY)
}

#[test]
fn admission_and_form_columns_are_read_and_optional() {
    let v = form_row("20/01/2024", "005", "1671011001", "2024-01-22").unwrap();
    assert_eq!(v.admitted_on, Some(date!(2024 - 01 - 20)));
    assert_eq!(v.form_origin_tps.as_deref(), Some("005"));
    assert_eq!(v.form_origin_desa.as_deref(), Some("16.71.01.1001"));
    assert_eq!(v.form_date, Some(date!(2024 - 01 - 22)));
    assert_eq!(v.form_reason, None);
    let v = form_row("", "", "", "").unwrap();
    assert_eq!((v.admitted_on, v.form_origin_tps), (None, None));
    // A file without these columns reads as before.
    let v = row(&good()).unwrap();
    assert_eq!((v.admitted_on, v.form_date), (None, None));
}

#[test]
fn bad_admission_and_form_values_are_refused_with_their_column() {
    let error = |r: Result<VoterRow, Vec<RowError>>| {
        let e = r.unwrap_err();
        (e[0].line, e[0].column, e[0].message.clone())
    };
    assert_eq!(
        error(form_row("31-02-2024", "", "", "")),
        (
            7,
            "tanggal_masuk",
            "tanggal masuk \"31-02-2024\" tidak dikenali (TTTT-BB-HH, HH-BB-TTTT atau HH/BB/TTTT)"
                .to_owned()
        )
    );
    assert_eq!(
        error(form_row("2026-11-29", "", "", "")),
        (
            7,
            "tanggal_masuk",
            "tanggal masuk ada di masa depan".to_owned()
        )
    );
    assert_eq!(
        error(form_row("", "5", "16.71.01", "")).1,
        "asal_desa",
        "a kecamatan is not a desa"
    );
    assert_eq!(
        error(form_row("", "5", "", "2027-01-01")).2,
        "tanggal formulir ada di masa depan"
    );
    assert_eq!(
        error(form_row("", "", "16.71.01.1001", "")).1,
        "asal_tps",
        "a form without its origin TPS"
    );
    assert_eq!(error(form_row("", &"9".repeat(21), "", "")).1, "asal_tps");
}
