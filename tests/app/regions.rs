//! The Kemendagri region reference: loaded with the migrations, listed by `loksus regions
//! list`, and checked wherever a region code is typed (a new facility's kab/kota, a roll's
//! home region).

use std::process::Command;

use loksus::domain::access::Role;
use loksus::rolls::import::{Mode, Options};
use reqwest::StatusCode;

use crate::helpers::{TestApp, TestDb, database_url, import_roll, roll_file};

#[tokio::test]
async fn the_reference_is_loaded_with_every_level_and_corrects_hand_typed_names() {
    let db = TestDb::new().await;
    let per_level: Vec<(String, i64)> =
        sqlx::query_as("select level, count(*) from regions group by level order by count(*)")
            .fetch_all(&db.pool)
            .await
            .unwrap();
    let per_level: Vec<(&str, i64)> = per_level.iter().map(|(l, n)| (l.as_str(), *n)).collect();
    assert_eq!(
        per_level,
        [
            ("provinsi", 38),
            ("kabkota", 514),
            ("kecamatan", 7_277),
            ("desa", 83_763)
        ]
    );
    let names: Vec<(String, String, String)> = sqlx::query_as(
        "select code, name, data_name from regions where code in ('16.72', '16.73', '16.74', '31', '31.75')
         order by code",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    let expected = [
        ("16.72", "Kota Pagar Alam", "KOTA PAGAR ALAM"),
        ("16.73", "Kota Lubuk Linggau", "KOTA LUBUK LINGGAU"),
        ("16.74", "Kota Prabumulih", "KOTA PRABUMULIH"),
        ("31", "DKI Jakarta", "DKI JAKARTA"),
        (
            "31.75",
            "Kota Administrasi Jakarta Timur",
            "KOTA ADMINISTRASI JAKARTA TIMUR",
        ),
    ];
    let names: Vec<(&str, &str, &str)> = names
        .iter()
        .map(|(c, n, d)| (c.as_str(), n.as_str(), d.as_str()))
        .collect();
    assert_eq!(names, expected);
    // A later start finds the reference recorded and loads nothing.
    assert_eq!(loksus::db::regions::load(&db.pool).await.unwrap(), None);
    let recorded: String =
        sqlx::query_scalar("select value from app_meta where key = 'regions_reference'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert!(
        recorded.starts_with("idn-area-data 3.1.2 sha256:"),
        "{recorded}"
    );
}

#[tokio::test]
async fn regions_list_prints_a_province_s_kabkota_and_refuses_an_unknown_parent() {
    let app = TestApp::spawn().await;
    let url = database_url(&app);
    let list = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_loksus"))
            .args(["regions", "list"])
            .args(args)
            .env("DATABASE_URL", &url)
            .env("RUST_LOG", "warn")
            .output()
            .unwrap()
    };
    let out = list(&["--parent", "16", "--level", "kabkota"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "code,name");
    assert_eq!(lines.len(), 1 + 17, "Sumatera Selatan has 17 kab/kota");
    assert!(lines.contains(&"16.73,KOTA LUBUK LINGGAU"));
    assert!(lines.contains(&"16.13,KABUPATEN MUSI RAWAS UTARA"));
    assert!(lines[1..].windows(2).all(|w| w[0] < w[1]), "in code order");

    let provinces = list(&[]);
    assert_eq!(
        String::from_utf8(provinces.stdout).unwrap().lines().count(),
        1 + 38
    );

    let unknown = list(&["--parent", "16.75"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(unknown.stdout.is_empty());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains(
        "Kode wilayah 16.75 tidak dikenal: provinsi 16 (Sumatera Selatan) ada, tetapi \
             kab/kota 16.75 tidak ada."
    ));
}

const SURULANGUN: [(&str, &str); 6] = [
    ("kode", "lapas-surulangun-rawas"),
    ("nama", "Lapas Kelas III Surulangun Rawas"),
    ("jenis", "lapas"),
    ("kelas", "III"),
    ("kabkota", "16.13"),
    ("jumlah_wbp", "350"),
];

fn with(field: &str, value: &'static str) -> Vec<(&'static str, &'static str)> {
    SURULANGUN
        .iter()
        .map(|&(k, v)| (k, if k == field { value } else { v }))
        .collect()
}

async fn facilities(app: &TestApp) -> i64 {
    sqlx::query_scalar("select count(*) from facilities")
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn kanwil_creates_a_facility_in_a_kabkota_of_its_province_only() {
    let app = TestApp::spawn().await;
    let kanwil = app.login(Role::Kanwil, Some("16"), None).await;
    let (status, form) = kanwil.get("/fasilitas/baru").await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains(r#"<option value="16.13">Kabupaten Musi Rawas Utara</option>"#));

    // A kab/kota the reference does not hold: refused with the nearest level that exists.
    let resp = kanwil
        .post("/fasilitas/baru", &with("kabkota", "16.75"))
        .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.text().await.unwrap().contains(
        "Kode wilayah 16.75 tidak dikenal: provinsi 16 (Sumatera Selatan) ada, tetapi kab/kota \
         16.75 tidak ada."
    ));
    let resp = kanwil
        .post("/fasilitas/baru", &with("kabkota", "16.13.01"))
        .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Another province's kab/kota is not the kanwil's to fill.
    let resp = kanwil
        .post("/fasilitas/baru", &with("kabkota", "31.75"))
        .await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    assert_eq!(facilities(&app).await, 0, "nothing written");

    let resp = kanwil.post("/fasilitas/baru", &SURULANGUN).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        resp.headers()["location"],
        "/fasilitas/lapas-surulangun-rawas"
    );
    let (status, page) = kanwil.get("/fasilitas/lapas-surulangun-rawas").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Lapas Kelas III Surulangun Rawas"));
    assert!(page.contains("Kabupaten Musi Rawas Utara"));
    let (_, province) = kanwil.get("/provinsi/16").await;
    assert!(province.contains(r#"data-facility="lapas-surulangun-rawas""#));
    let audited: i64 = sqlx::query_scalar(
        "select count(*) from audit_log where action = 'facility.create'
         and object_id = 'lapas-surulangun-rawas' and province_code = '16'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(audited, 1);
    let again = kanwil.post("/fasilitas/baru", &SURULANGUN).await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.text().await.unwrap().contains("sudah dipakai"));

    // A kanwil of another province and a registrar may not create one.
    let other = app.login(Role::Kanwil, Some("31"), None).await;
    let fields = with("kode", "lapas-lain");
    assert_eq!(
        other.post("/fasilitas/baru", &fields).await.status(),
        StatusCode::FORBIDDEN
    );
    let registrar = app
        .login(Role::Registrar, None, Some("lapas-surulangun-rawas"))
        .await;
    assert_eq!(
        registrar.get("/fasilitas/baru").await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        registrar.post("/fasilitas/baru", &fields).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(facilities(&app).await, 1);
}

#[tokio::test]
async fn a_roll_row_with_an_unknown_home_region_is_refused_with_its_row_and_column() {
    let db = TestDb::new().await;
    loksus::demo::load_archived_only(&db.pool).await.unwrap();
    let content = roll_file(
        "nik,nama,tanggal_lahir,jenis_kelamin,status,kode_wilayah_asal",
        &[
            "1673011508900001,Budi Santoso,1990-08-15,L,NAPI,16.73.01",
            "1673015203950002,Siti Aminah,1995-03-12,P,TAHANAN,16.73.99",
            "1673010101900003,Andi Wijaya,1990-01-01,L,NAPI,1673011001",
        ],
    );
    let report = import_roll(
        &db,
        "lapas-lubuklinggau",
        &content,
        Options::new(Mode::Upsert),
    )
    .await;
    assert!(!report.written);
    assert_eq!(report.rejected, 1);
    let e = &report.errors[0];
    assert_eq!((e.line, e.column), (3, "kode_wilayah_asal"));
    assert_eq!(
        e.message,
        "Kode wilayah 16.73.99 tidak dikenal: kab/kota 16.73 (Kota Lubuk Linggau) ada, tetapi \
         kecamatan 16.73.99 tidak ada."
    );
}

#[tokio::test]
async fn a_voter_with_an_unknown_home_region_is_refused_on_the_form() {
    let app = TestApp::spawn_with_demo().await;
    let registrar = app
        .login(Role::Registrar, None, Some("lapas-lubuklinggau"))
        .await;
    let fields = |home: &'static str| {
        [
            ("nik", "1673011508900001"),
            ("nama", "Budi Santoso"),
            ("tanggal_lahir", "15-08-1990"),
            ("jenis_kelamin", "L"),
            ("status", "NAPI"),
            ("kode_wilayah_asal", home),
        ]
    };
    let url = "/fasilitas/lapas-lubuklinggau/daftar/baru";
    let resp = registrar.post(url, &fields("16.73.01.9999")).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.text().await.unwrap().contains(
        "kode_wilayah_asal: Kode wilayah 16.73.01.9999 tidak dikenal: kecamatan 16.73.01 \
         (Lubuk Linggau Timur I) ada, tetapi desa/kelurahan 16.73.01.9999 tidak ada."
    ));
    let voters: i64 = sqlx::query_scalar("select count(*) from voters")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(voters, 0);
    let resp = registrar.post(url, &fields("16.73.01.1001")).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
}
