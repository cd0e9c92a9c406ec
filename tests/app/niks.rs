//! Every inmate counted (issue 14): a broken NIK keeps the inmate on the roll, flagged, listed
//! for Disdukcapil; a disagreeing NIK keeps them eligible; DPK without KTP-el is counted
//! apart; children are not sent to Disdukcapil.

use loksus::domain::access::Role;
use loksus::rolls::import::{Mode, Options};
use reqwest::StatusCode;

use crate::helpers::{TestApp, TestDb, database_url, import_roll, roll_file, row_cells};

const HEADER: &str =
    "nik;nama;tanggal_lahir;jenis_kelamin;status;status_perkawinan;kode_wilayah_asal;daftar;ktp_el";

fn opts() -> Options {
    Options::new(Mode::Upsert)
}

/// Each voter of `facility`'s roll by name: (NIK, flag, raw NIK, problem, reasons).
type Stored = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Vec<String>,
);

async fn stored(db: &TestDb, facility: &str) -> Vec<Stored> {
    sqlx::query_as(
        "select v.name, v.nik, v.nik_flag, v.nik_raw, v.nik_problem, v.reasons
         from voters_with_reasons v join facilities f on f.id = v.facility_id
         where f.code = $1 and v.status = 'active' order by v.birth_date, v.nik_raw, v.nik",
    )
    .bind(facility)
    .fetch_all(&db.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn each_malformed_nik_is_kept_and_flagged_with_its_problem() {
    let db = TestDb::new().await;
    loksus::demo::load_archived_only(&db.pool).await.unwrap();
    let rows = [
        "167401150890000;Lima Belas Angka;1990-08-01;L;NAPI;KAWIN;16.74.01;DPT;Y",
        "16740115089000O1;Ada Huruf;1990-08-02;L;NAPI;KAWIN;16.74.01;DPT;Y",
        "9974011508900001;Provinsi Salah;1990-08-03;L;NAPI;KAWIN;16.74.01;DPT;Y",
        "1674013102900001;Tiga Puluh Satu Februari;1990-08-04;L;NAPI;KAWIN;16.74.01;DPT;Y",
        "1674011508900000;Nomor Urut Nol;1990-08-05;L;NAPI;KAWIN;16.74.01;DPT;Y",
        "1,67401E+15;Angka Ilmiah;1990-08-06;L;NAPI;KAWIN;16.74.01;DPT;Y",
        // As spreadsheets write valid NIKs: a leading apostrophe, spaces, dots.
        "'1674011508900001;Apostrof;1990-08-15;L;NAPI;KAWIN;16.74.01;DPT;Y",
        "1674 0115 0890 0002;Spasi;1990-08-15;L;NAPI;KAWIN;16.74.01;DPT;Y",
        "1674.0115.0890.0003;Titik;1990-08-15;L;NAPI;KAWIN;16.74.01;DPT;Y",
    ];
    let r = import_roll(&db, "lapas-lubuklinggau", &roll_file(HEADER, &rows), opts()).await;
    assert!(r.written, "{:?}", r.errors);
    assert_eq!(
        r.summary_line(),
        "inserted 9, updated 0, unchanged 0, departed 0, rejected 0, flagged 6"
    );
    let broken = |name: &str, raw: &str, problem: &str| -> Stored {
        (
            name.into(),
            None,
            Some("nik_invalid".into()),
            Some(raw.into()),
            Some(problem.into()),
            vec!["no_valid_nik".into()],
        )
    };
    let valid = |name: &str, nik: &str| -> Stored {
        (name.into(), Some(nik.into()), None, None, None, vec![])
    };
    assert_eq!(
        stored(&db, "lapas-lubuklinggau").await,
        [
            broken("Lima Belas Angka", "167401150890000", "length"),
            broken("Ada Huruf", "16740115089000O1", "letters"),
            broken("Provinsi Salah", "9974011508900001", "province"),
            broken("Tiga Puluh Satu Februari", "1674013102900001", "date"),
            broken("Nomor Urut Nol", "1674011508900000", "serial"),
            broken("Angka Ilmiah", "1,67401E+15", "scientific"),
            valid("Apostrof", "1674011508900001"),
            valid("Spasi", "1674011508900002"),
            valid("Titik", "1674011508900003"),
        ]
    );
    // Each kept row is a note with its row and column, apart from the (no) rejected rows.
    assert!(r.errors.is_empty());
    let notes: Vec<(u64, &str)> = r.warnings.iter().map(|w| (w.line, w.column)).collect();
    assert_eq!(
        notes,
        [
            (2, "nik"),
            (3, "nik"),
            (4, "nik"),
            (5, "nik"),
            (6, "nik"),
            (7, "nik")
        ]
    );
    assert_eq!(
        r.warnings[0].message,
        "NIK harus 16 angka: \"167401150890000\"; tetap di daftar tanpa NIK yang sah, \
         masuk daftar Disdukcapil"
    );
    assert!(
        r.warnings[5]
            .message
            .starts_with("NIK rusak oleh spreadsheet (format angka ilmiah): \"1,67401E+15\""),
        "{}",
        r.warnings[5].message
    );
    // Importing again changes nothing: the broken-NIK inmates are found by name and birth date.
    let again = import_roll(&db, "lapas-lubuklinggau", &roll_file(HEADER, &rows), opts()).await;
    assert_eq!(
        again.summary_line(),
        "inserted 0, updated 0, unchanged 9, departed 0, rejected 0, flagged 6"
    );
}

/// The 26-row file of the issue: 19 good rows, 4 malformed NIKs, 2 without NIK, 1 mismatch.
fn twenty_six_rows() -> Vec<String> {
    let mut rows: Vec<String> = (1..=19)
        .map(|i| format!("16740115089000{i:02};Warga {i};1990-08-15;L;NAPI;KAWIN;16.74.01;;"))
        .collect();
    rows.extend(
        [
            "167401150890020;Lima Belas Angka;1990-08-15;L;NAPI;KAWIN;16.74.01;;",
            "1674011508900000;Nomor Urut Nol;1990-08-16;L;NAPI;KAWIN;16.74.01;;",
            "9974011508900021;Provinsi Salah;1990-08-17;L;NAPI;KAWIN;16.74.01;;",
            "1674013102900022;Tiga Puluh Satu Februari;1990-02-28;L;NAPI;KAWIN;16.74.01;;",
            ";Tanpa NIK;1990-08-18;L;NAPI;KAWIN;16.74.01;;",
            "0000000000000000;NIK Nol;1990-08-19;L;NAPI;KAWIN;16.74.01;;",
            "1674011608900023;Tak Cocok;1990-08-15;L;NAPI;KAWIN;16.74.01;;",
        ]
        .map(str::to_owned),
    );
    rows
}

#[tokio::test]
async fn a_26_row_file_with_four_malformed_niks_loses_nobody() {
    let app = TestApp::spawn_with_demo().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("daftar.csv");
    let rows = twenty_six_rows();
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    std::fs::write(&path, roll_file(HEADER, &rows)).unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_loksus"))
            .args(args)
            .env("DATABASE_URL", database_url(&app))
            .env("RUST_LOG", "warn")
            .output()
            .unwrap()
    };
    let out = run(&[
        "roll",
        "import",
        path.to_str().unwrap(),
        "--facility",
        "lapas-lubuklinggau",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    // 4 broken + 2 without NIK + 1 mismatch are flagged; nothing is rejected.
    assert_eq!(
        stdout.lines().last(),
        Some("inserted 26, updated 0, unchanged 0, departed 0, rejected 0, flagged 7")
    );
    assert!(
        stderr.contains("warning: row 21, column nik: NIK harus 16 angka: \"167401150890020\""),
        "{stderr}"
    );
    assert!(stderr.contains("warning: row 27, column nik: NIK tidak cocok dengan tanggal lahir"));
    assert!(!stderr.contains("row 2,"), "{stderr}");

    // The summary export: all 26 on the roll; no valid NIK = 4 broken + 2 without (the
    // mismatch keeps a valid NIK), so 20 may vote, all of them on no list yet.
    let out = run(&["export", "summary", "--province", "16", "--format", "csv"]);
    assert!(out.status.success());
    let csv = String::from_utf8(out.stdout).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let line = csv
        .lines()
        .find(|l| l.starts_with("16,lapas-lubuklinggau,"))
        .expect("the facility's row");
    let cells: Vec<&str> = line.split(',').collect();
    let cell = |name: &str| cells[header.iter().position(|h| *h == name).unwrap()];
    assert_eq!(header.len(), 18);
    assert_eq!(
        [
            cell("roll_voters"),
            cell("roll_eligible"),
            cell("roll_no_valid_nik"),
            cell("roll_unregistered")
        ],
        ["26", "20", "6", "20"]
    );

    // Nobody is missing from the Disdukcapil list: the 7 flagged inmates.
    let registrar = app
        .login(Role::Registrar, None, Some("lapas-lubuklinggau"))
        .await;
    let (_, list) = registrar
        .get("/fasilitas/lapas-lubuklinggau/disdukcapil.csv")
        .await;
    assert_eq!(list.lines().count(), 1 + 7, "{list}");
}

/// A roll for the Disdukcapil list and the roll page: a child, a married 16-year-old, an
/// adult without NIK, a mismatch, a broken NIK, no KTP-el on the DPT and on the DPK, and one
/// with everything in order.
async fn lpka_roll(app: &TestApp) {
    let rows = [
        ";Anak;2011-06-01;L;TAHANAN;BELUM KAWIN;16.74.01;;",
        ";Bagus;2007-06-01;L;TAHANAN;KAWIN;16.74.01;;",
        ";Cahya;1990-01-01;L;NAPI;BELUM KAWIN;16.74.01;;",
        "1674011608900001;Dimas;1990-08-15;L;NAPI;KAWIN;16.74.01;DPT;Y",
        "123456789012345;Eko;1985-05-05;L;NAPI;KAWIN;16.74.01;;",
        "1674010505850002;Fajar;1985-05-05;L;NAPI;KAWIN;16.74.01;DPT;N",
        "1674010606850003;Gilang;1985-06-06;L;NAPI;KAWIN;16.74.01;DPK;N",
        "1674010707850004;Hadi;1985-07-07;L;NAPI;KAWIN;16.74.01;DPK;Y",
    ];
    let r = import_roll(&app.db, "lpka-palembang", &roll_file(HEADER, &rows), opts()).await;
    assert!(r.written, "{:?}", r.errors);
}

#[tokio::test]
async fn the_disdukcapil_list_holds_adults_and_the_married_with_the_reason() {
    let app = TestApp::spawn_with_demo().await;
    lpka_roll(&app).await;
    let registrar = app
        .login(Role::Registrar, None, Some("lpka-palembang"))
        .await;
    let (status, csv) = registrar
        .get("/fasilitas/lpka-palembang/disdukcapil.csv")
        .await;
    assert_eq!(status, StatusCode::OK);
    let mut lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines.remove(0),
        "nama,nik,tanggal_lahir,tempat_lahir,no_registrasi,kebutuhan,alasan"
    );
    lines.sort_unstable();
    // The 12-year-old (unmarried on 14 February 2024) and Hadi are absent.
    assert_eq!(
        lines,
        [
            "Bagus,,2007-06-01,,,perekaman NIK / KTP-el,tanpa NIK",
            "Cahya,,1990-01-01,,,perekaman NIK / KTP-el,tanpa NIK",
            "Dimas,1674011608900001,1990-08-15,,,verifikasi NIK (tanggal lahir/jenis kelamin \
             tidak cocok),NIK tidak cocok dengan tanggal lahir/jenis kelamin: perlu verifikasi",
            "Eko,123456789012345,1985-05-05,,,pencarian dan perbaikan NIK (NIK di data WBP \
             rusak),NIK rusak: NIK harus 16 angka",
            "Fajar,1674010505850002,1985-05-05,,,perekaman KTP-el,tanpa KTP-el",
            "Gilang,1674010606850003,1985-06-06,,,perekaman KTP-el,DPK tanpa KTP-el: perlu \
             KTP-el atau Suket",
        ]
    );
    // Kanwil staff read the broken value masked like a NIK.
    let kanwil = app.login(Role::Kanwil, Some("16"), None).await;
    let (_, page) = kanwil.get("/fasilitas/lpka-palembang/disdukcapil").await;
    assert!(page.contains("***********2345"), "{page}");
    assert!(!page.contains("123456789012345") && !page.contains(">Anak<"));
    assert!(page.contains("NIK rusak: NIK harus 16 angka"));
}

#[tokio::test]
async fn the_roll_filters_broken_niks_and_counts_dpk_without_ktp_el_apart() {
    let app = TestApp::spawn_with_demo().await;
    lpka_roll(&app).await;
    let registrar = app
        .login(Role::Registrar, None, Some("lpka-palembang"))
        .await;
    let (_, roll) = registrar.get("/fasilitas/lpka-palembang/daftar").await;
    assert_eq!(
        row_cells(&roll, r#"data-filter="nik_rusak""#),
        ["NIK rusak (tidak sah)", "1"]
    );
    assert_eq!(
        row_cells(&roll, r#"data-filter="dpk_tanpa_ktp_el""#),
        ["DPK tanpa KTP-el: perlu KTP-el atau Suket", "1"]
    );
    assert!(
        roll.contains("1 WBP di DPK tanpa KTP-el: perlu KTP-el atau Suket dari Disdukcapil."),
        "{roll}"
    );
    // 8 inmates; Anak is under age, Bagus, Cahya and Eko have no valid NIK: 4 may vote,
    // Dimas (NIK disagreeing with the birth date) among them.
    assert!(
        roll.contains("8 WBP aktif · 4 dapat memilih (50%)"),
        "{roll}"
    );
    let dimas = row_cells(&roll, ">Dimas<");
    assert_eq!(dimas.last().map(String::as_str), Some("dapat memilih"));
    assert!(dimas[4].contains("NIK tidak cocok: verifikasi ke Disdukcapil"));

    // The registrar reads the broken value and its problem; kanwil staff the masked value.
    let path = "/fasilitas/lpka-palembang/daftar?saring=nik_rusak";
    let (_, broken) = registrar.get(path).await;
    assert!(broken.contains("rusak: 123456789012345"), "{broken}");
    assert!(broken.contains("NIK rusak (NIK harus 16 angka): ke Disdukcapil"));
    assert!(!broken.contains(">Cahya<"));
    let kanwil = app.login(Role::Kanwil, Some("16"), None).await;
    let (_, masked) = kanwil.get(path).await;
    assert!(masked.contains("rusak: ***********2345"), "{masked}");
    assert!(!masked.contains("123456789012345"));

    let (_, dpk) = registrar
        .get("/fasilitas/lpka-palembang/daftar?saring=dpk_tanpa_ktp_el")
        .await;
    assert!(dpk.contains(">Gilang<") && !dpk.contains(">Hadi<") && !dpk.contains(">Fajar<"));
}

#[tokio::test]
async fn the_preview_shows_kept_rows_apart_from_rejected_rows() {
    let app = TestApp::spawn_with_demo().await;
    let registrar = app
        .login(Role::Registrar, None, Some("lapas-lubuklinggau"))
        .await;
    let token = registrar.csrf().await;
    let rows = [
        "1674011508900001;Budi;1990-08-15;L;NAPI;KAWIN;16.74.01;DPT;Y",
        "1,67401E+15;Angka Ilmiah;1990-08-06;L;NAPI;KAWIN;16.74.01;DPT;Y",
        "1674011608900002;Tak Cocok;1990-08-15;L;NAPI;KAWIN;16.74.01;DPT;Y",
        ";Tanpa NIK;1990-08-18;L;NAPI;KAWIN;16.74.01;;",
        "1674011508900003;Tanggal Salah;31-02-1990;L;NAPI;KAWIN;16.74.01;DPT;Y",
    ];
    let form = reqwest::multipart::Form::new().part(
        "berkas",
        reqwest::multipart::Part::bytes(roll_file(HEADER, &rows).into_bytes())
            .file_name("daftar.csv"),
    );
    let resp = registrar
        .client
        .post(registrar.url(&format!(
            "/fasilitas/lapas-lubuklinggau/daftar/impor?csrf={token}"
        )))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let preview = resp.text().await.unwrap();
    assert!(preview.contains("Diterima dengan catatan") && preview.contains(">Ditolak<"));
    // The rejected rows come first, the kept rows with notes after them.
    let (before, notes) = preview.split_at(preview.find(r#"id="catatan""#).unwrap());
    let rejected = &before[before.find(r#"id="ditolak""#).unwrap()..];
    assert_eq!(
        row_cells(rejected, r#"data-line="6""#)[..2],
        ["6".to_owned(), "tanggal_lahir".to_owned()]
    );
    assert!(!rejected.contains(r#"data-line="3""#));
    let note = |line: &str| row_cells(notes, &format!(r#"data-line="{line}""#));
    assert_eq!(note("3")[..2], ["3".to_owned(), "nik".to_owned()]);
    assert!(note("3")[2].starts_with("NIK rusak oleh spreadsheet (format angka ilmiah)"));
    assert!(note("4")[2].starts_with("NIK tidak cocok dengan tanggal lahir"));
    assert!(note("5")[2].starts_with("NIK kosong"));
    assert!(!notes.contains(r#"data-line="2""#) && !notes.contains(r#"data-line="6""#));
    assert_eq!(row_cells(&preview, r#"data-count="rejected""#)[1], "1");
    assert_eq!(row_cells(&preview, r#"data-count="flagged""#)[1], "3");
}

#[tokio::test]
async fn the_voter_form_keeps_a_broken_nik_flagged_and_shows_it_again() {
    let app = TestApp::spawn_with_demo().await;
    let registrar = app
        .login(Role::Registrar, None, Some("lapas-lubuklinggau"))
        .await;
    let fields = [
        ("nik", "1674 0115 0890 000"),
        ("nama", "Budi Santoso"),
        ("tanggal_lahir", "15-08-1990"),
        ("jenis_kelamin", "L"),
        ("status", "NAPI"),
        ("status_perkawinan", "KAWIN"),
    ];
    let resp = registrar
        .post("/fasilitas/lapas-lubuklinggau/daftar/baru", &fields)
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (id, nik, flag, raw, problem): (i64, Option<String>, String, String, String) =
        sqlx::query_as("select id, nik, nik_flag, nik_raw, nik_problem from voters")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(
        (nik, flag.as_str(), raw.as_str(), problem.as_str()),
        (None, "nik_invalid", "1674 0115 0890 000", "length")
    );
    let (_, form) = registrar
        .get(&format!("/fasilitas/lapas-lubuklinggau/daftar/{id}/ubah"))
        .await;
    assert!(form.contains(r#"value="1674 0115 0890 000""#), "{form}");
    // Corrected, it becomes a valid NIK and the flag goes.
    let mut fixed = fields;
    fixed[0] = ("nik", "1674 0115 0890 0001");
    let resp = registrar
        .post(
            &format!("/fasilitas/lapas-lubuklinggau/daftar/{id}/ubah"),
            &fixed,
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (nik, flag, raw): (Option<String>, Option<String>, Option<String>) =
        sqlx::query_as("select nik, nik_flag, nik_raw from voters where status = 'active'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(
        (nik.as_deref(), flag, raw),
        (Some("1674011508900001"), None, None)
    );
}
