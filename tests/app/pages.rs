//! What a visitor sees on the read-only pages, with the demo data loaded.

use reqwest::StatusCode;

use crate::helpers::{TestApp, row_cells};

#[tokio::test]
async fn dashboard_shows_sumatera_selatan_as_published() {
    let app = TestApp::spawn_with_demo().await;
    let admin = app.admin().await;
    let (status, body) = admin.get("/").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        row_cells(&body, r#"data-province="16""#)[..9],
        [
            "Sumatera Selatan",
            "20",
            "51",
            "15.895",
            "9.084",
            "1.913",
            "2.522",
            "13.519",
            "85%"
        ]
    );
    assert!(body.contains("Pemilihan Umum 2024"));
    assert!(body.contains("14 Februari 2024"));
}

#[tokio::test]
async fn dashboard_totals_are_the_sum_of_the_provinces() {
    let app = TestApp::spawn_with_demo().await;
    let admin = app.admin().await;
    let (_, body) = admin.get("/").await;
    let dki = row_cells(&body, r#"data-province="31""#);
    assert_eq!(dki[1..4], ["8", "56", "14.599"]);
    assert_eq!(dki[7], "13.630");
    let ntt = row_cells(&body, r#"data-province="53""#);
    assert_eq!(ntt[1..3], ["14", "16"]);
    assert_eq!(ntt[4], "2.184");

    // Recount from the rows in the database, independently of the page's query.
    let (facilities, stations, inmates, with_vote): (i64, i64, i64, i64) = sqlx::query_as(
        "select (select count(*) from facilities), (select count(*) from stations),
                (select sum(inmates) from facilities), (select sum(dpt + dptb + dpk) from stations)",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let total = row_cells(&body, r#"data-province="nasional""#);
    let n = loksus::domain::format::number;
    assert_eq!(total[0], "Nasional");
    assert_eq!(total[1], n(facilities));
    assert_eq!(total[2], n(stations));
    assert_eq!(total[3], n(inmates));
    assert_eq!(total[7], n(with_vote));
}

#[tokio::test]
async fn province_page_lists_its_facilities_with_their_counts() {
    let app = TestApp::spawn_with_demo().await;
    let admin = app.admin().await;
    let (status, body) = admin.get("/provinsi/16").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("20 fasilitas · 51 TPS · 15.895 WBP · 13.519 hak pilih (85%)"));
    let palembang = row_cells(&body, r#"data-facility="lapas-palembang""#);
    assert!(palembang[0].starts_with("Lapas Kelas I Palembang"));
    assert!(
        palembang[0].ends_with("Lapas Kelas I · Kota Palembang"),
        "{}",
        palembang[0]
    );
    assert_eq!(palembang[2], "4");
    assert_eq!(palembang[7], "1.428"); // 332 + 398 + 345 + 353
    // Facilities that were not in the news are marked as illustrative.
    assert!(row_cells(&body, r#"data-facility="rutan-baturaja""#)[0].contains("ilustratif"));
    assert!(!row_cells(&body, r#"data-facility="lapas-lubuklinggau""#)[0].contains("ilustratif"));
    // Another province's facilities are not listed.
    assert!(!body.contains("Cipinang"));
}

#[tokio::test]
async fn facility_page_lists_its_tps() {
    let app = TestApp::spawn_with_demo().await;
    let admin = app.admin().await;
    let (status, body) = admin.get("/fasilitas/lapas-cipinang").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Lapas Kelas I Cipinang"));
    assert!(body.contains(r#"data-tps="901""#));
    assert!(body.contains(r#"data-tps="912""#));
    assert!(!body.contains(r#"data-tps="913""#));
    let total = row_cells(&body, "<tfoot>");
    assert_eq!(total, ["12 TPS", "2.585", "0", "0", "2.585", ""]);

    let (_, body) = admin.get("/fasilitas/lapas-palembang").await;
    // Palembang numbers its TPS Loksus from 901.
    let tps2 = row_cells(&body, r#"data-tps="902""#);
    assert_eq!(tps2[0], "TPS 902");
    assert_eq!(tps2[1], "16.71.01.1001");
    assert_eq!(tps2[5], "398");
}

#[tokio::test]
async fn unknown_pages_answer_a_friendly_404() {
    let app = TestApp::spawn_with_demo().await;
    let admin = app.admin().await;
    for path in [
        "/provinsi/99",
        "/provinsi/16.71", // a kab/kota is not a province
        "/fasilitas/tidak-ada",
        "/tidak/ada",
        "/?pemilihan=pilkada-2099",
    ] {
        let (status, body) = admin.get(path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(body.contains("Halaman tidak ditemukan"), "{path}");
        assert!(body.contains("<html lang=\"id\">"), "{path}");
    }
}

#[tokio::test]
async fn an_empty_database_shows_an_empty_dashboard() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (status, body) = admin.get("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Belum ada fasilitas yang terdaftar"));
    assert!(body.contains("Belum ada pemilihan"));
}

#[tokio::test]
async fn a_facility_page_shows_its_details_before_any_election_exists() {
    let app = TestApp::spawn().await;
    sqlx::query(
        "insert into facilities (code, name, facility_type, class, province_code, kabkota_code,
                                 inmates)
         values ('lapas-uji', 'Lapas Uji', 'lapas', 'IIA', '16', '16.71', 321)",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    let admin = app.admin().await;
    let (status, body) = admin.get("/fasilitas/lapas-uji").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("Lapas Uji"));
    // Unknown facilities and unknown elections stay 404.
    assert_eq!(
        admin.get("/fasilitas/tidak-ada").await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        admin
            .get("/fasilitas/lapas-uji?pemilihan=tidak-ada")
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let kanwil31 = app
        .login(loksus::domain::access::Role::Kanwil, Some("31"), None)
        .await;
    assert_eq!(
        kanwil31.get("/fasilitas/lapas-uji").await.0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn help_speaks_to_each_role_and_is_linked_from_every_page() {
    let app = TestApp::spawn_with_demo().await;
    let registrar = app
        .login(
            loksus::domain::access::Role::Registrar,
            Some("16"),
            Some("lapas-lubuklinggau"),
        )
        .await;
    let (_, home) = registrar.get("/").await;
    assert!(home.contains(r#"<a href="/bantuan">Bantuan</a>"#));
    let (status, help) = registrar.get("/bantuan").await;
    assert_eq!(status, StatusCode::OK);
    assert!(help.contains("Tugas Subsi Registrasi"));
    assert!(
        help.contains("tanggal_masuk"),
        "the import columns are listed"
    );
    // Pemilu 2024's deadlines: H-30 15 January, H-7 7 February.
    assert!(
        help.contains("<strong>15 Januari 2024</strong> (H-30)"),
        "{help}"
    );
    assert!(help.contains("<strong>7 Februari 2024</strong> (H-7"));
    assert!(help.contains("NIK rusak"));
    let kpu = app
        .login(loksus::domain::access::Role::Kpu, Some("16"), None)
        .await;
    let (_, help) = kpu.get("/bantuan").await;
    assert!(help.contains("Tugas penghubung KPU"));
    assert!(!help.contains("Tugas Subsi Registrasi"));
}
