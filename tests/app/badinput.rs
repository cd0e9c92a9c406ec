//! Bad input at the HTTP level: oversized bodies, malformed forms, unknown enum values, and
//! SQL and HTML metacharacters in text fields. Each gets a 4xx page in Indonesian (or is
//! stored verbatim and shown escaped) and changes nothing it should not.

use loksus::domain::access::Role;
use reqwest::StatusCode;

use crate::helpers::{Browser, TestApp, csrf_in, versi_in};

const NASTY: &str = "'; drop table stations; -- <script>alert(1)</script> \" & ü";

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

async fn token(who: &Browser, page: &str) -> String {
    let (_, body) = who.get(page).await;
    csrf_in(&body).unwrap()
}

#[tokio::test]
async fn oversized_bodies_get_a_clear_413_and_change_nothing() {
    let app = TestApp::spawn_with_demo().await;
    let admin = app.admin().await;
    let dapils = count(&app, "select count(*) from dapils").await;
    let t = token(&admin, "/admin/dapil").await;
    let big = vec![b'a'; 6 * 1024 * 1024];
    let form = reqwest::multipart::Form::new().part(
        "berkas",
        reqwest::multipart::Part::bytes(big).file_name("dapil.csv"),
    );
    let resp = admin
        .client
        .post(admin.url(&format!("/admin/dapil?csrf={t}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body = resp.text().await.unwrap();
    assert!(body.contains("batas 5 MB"), "{body}");
    assert_eq!(count(&app, "select count(*) from dapils").await, dapils);

    // A form body above 2 MB.
    let kanwil = app.login(Role::Kanwil, Some("16"), None).await;
    let huge = "x".repeat(3 * 1024 * 1024);
    let resp = kanwil
        .post(
            "/fasilitas/lapas-lubuklinggau/tps",
            &[("nomor", "7"), ("nama", &huge)],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(resp.text().await.unwrap().contains("batas 2 MB"));
    assert_eq!(
        count(&app, "select count(*) from stations where tps_number = 7").await,
        0
    );
}

#[tokio::test]
async fn malformed_forms_and_unknown_values_get_indonesian_4xx_pages() {
    let app = TestApp::spawn_with_demo().await;
    let kanwil = app.login(Role::Kanwil, Some("16"), None).await;
    let before: String =
        sqlx::query_scalar("select name from facilities where code = 'lapas-lubuklinggau'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();

    // Missing fields.
    let resp = kanwil
        .post("/fasilitas/lapas-lubuklinggau/ubah", &[("nama", "X")])
        .await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let body = resp.text().await.unwrap();
    assert!(body.contains("Isian formulir tidak lengkap"), "{body}");
    assert!(body.contains("lang=\"id\""));

    // Not a form at all.
    let t = token(&kanwil, "/fasilitas/lapas-lubuklinggau/ubah").await;
    let resp = kanwil
        .client
        .post(kanwil.url("/fasilitas/lapas-lubuklinggau/ubah"))
        .header("content-type", "application/json")
        .header("x-csrf-token", &t)
        .body(r#"{"nama": "X"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);

    // Unknown enum values.
    let resp = kanwil
        .post(
            "/fasilitas/lapas-lubuklinggau/ubah",
            &[
                ("nama", "X"),
                ("jenis", "kastil"),
                ("kelas", "IIA"),
                ("jumlah_wbp", "1"),
            ],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        resp.text()
            .await
            .unwrap()
            .contains("Jenis fasilitas tidak dikenal")
    );
    let (_, page) = kanwil.get("/fasilitas/lapas-lubuklinggau/tps/1").await;
    let version = versi_in(&page);
    let item: i64 = sqlx::query_scalar("select id from readiness_items where key = 'listrik'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let field = format!("status_{item}");
    let resp = kanwil
        .post(
            "/fasilitas/lapas-lubuklinggau/tps/1/kesiapan",
            &[("versi", &version), (&field, "hampir")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.text().await.unwrap().contains("tidak dikenal"));
    let admin = app.admin().await;
    let resp = admin
        .post(
            "/admin/pengguna",
            &[("nama_pengguna", "baru"), ("peran", "raja")],
        )
        .await;
    assert!(resp.status().is_client_error());
    assert_eq!(
        count(&app, "select count(*) from users where username = 'baru'").await,
        0
    );

    // Numbers that are not numbers.
    for (nomor, dpt) in [
        ("1; drop table stations", "1"),
        ("8", "-5"),
        ("8", "1e9"),
        ("99999", "1"),
    ] {
        let resp = kanwil
            .post(
                "/fasilitas/lapas-lubuklinggau/tps",
                &[("nomor", nomor), ("dpt", dpt)],
            )
            .await;
        assert_eq!(
            resp.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{nomor} {dpt}"
        );
    }
    assert_eq!(count(&app, "select count(*) from stations").await, 128);
    // An unknown election in the query string is a 404, not an error.
    assert_eq!(
        kanwil.get("/provinsi/16?pemilihan=%27%3Bdrop").await.0,
        StatusCode::NOT_FOUND
    );
    let after: String =
        sqlx::query_scalar("select name from facilities where code = 'lapas-lubuklinggau'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(after, before);
}

#[tokio::test]
async fn metacharacters_in_text_fields_are_stored_verbatim_and_shown_escaped() {
    let app = TestApp::spawn_with_demo().await;
    let kanwil = app.login(Role::Kanwil, Some("16"), None).await;
    // A TPS name.
    let resp = kanwil
        .post(
            "/fasilitas/lapas-lubuklinggau/tps",
            &[("nomor", "9"), ("nama", NASTY)],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let stored: String = sqlx::query_scalar("select name from stations where tps_number = 9")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(stored, NASTY.trim());
    // A readiness note.
    let (_, page) = kanwil.get("/fasilitas/lapas-lubuklinggau/tps/9").await;
    assert!(!page.contains("<script>alert(1)</script>"));
    let version = versi_in(&page);
    let item: i64 = sqlx::query_scalar("select id from readiness_items where key = 'listrik'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let (status_field, note_field) = (format!("status_{item}"), format!("catatan_{item}"));
    let resp = kanwil
        .post(
            "/fasilitas/lapas-lubuklinggau/tps/9/kesiapan",
            &[
                ("versi", &version),
                (&status_field, "sebagian"),
                (&note_field, NASTY),
            ],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    for path in [
        "/fasilitas/lapas-lubuklinggau/tps/9",
        "/fasilitas/lapas-lubuklinggau/tps/9/cetak",
        "/provinsi/16/kesiapan",
        "/audit",
    ] {
        let (status, body) = kanwil.get(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(!body.contains("<script>alert(1)</script>"), "{path}");
    }
    let (_, page) = kanwil.get("/fasilitas/lapas-lubuklinggau/tps/9").await;
    assert!(page.contains("&#60;script&#62;") || page.contains("&lt;script&gt;"));
    // The stations table survived the name.
    assert_eq!(count(&app, "select count(*) from stations").await, 129);

    // A KPU list with metacharacters in names.
    let kpu = app.login(Role::Kpu, Some("16"), None).await;
    let (_, page) = kpu.get("/fasilitas/lapas-lubuklinggau/rekonsiliasi").await;
    let t = csrf_in(&page).unwrap_or_else(|| {
        page.split("csrf=")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_owned()
    });
    let list = format!(
        "nik,nama,tps\n1674010101900001,\"{}\",1\n",
        NASTY.replace('"', "\"\"")
    );
    let form = reqwest::multipart::Form::new().part(
        "berkas",
        reqwest::multipart::Part::bytes(list.into_bytes()).file_name("k.csv"),
    );
    let resp = kpu
        .client
        .post(kpu.url(&format!(
            "/fasilitas/lapas-lubuklinggau/rekonsiliasi?pemilihan=pemilu-2024&csrf={t}"
        )))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (_, page) = kpu.get("/fasilitas/lapas-lubuklinggau/rekonsiliasi").await;
    assert!(!page.contains("<script>alert(1)</script>"));
    assert!(page.contains("drop table stations"));

    // A search with SQL in it finds nothing and breaks nothing.
    let registrar = app
        .login(Role::Registrar, None, Some("lapas-lubuklinggau"))
        .await;
    let (status, _) = registrar
        .get("/fasilitas/lapas-lubuklinggau/daftar?q=%25%27%20or%201%3D1%20--&saring=aktif")
        .await;
    assert_eq!(status, StatusCode::OK);
}
