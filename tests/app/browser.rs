//! The browser journeys (`tests/browser/journeys.mjs`) against the real server on a fresh
//! database, in Debian's Chromium. Screenshots go to `target/browser-screenshots/`.
//!
//! They need Chromium, Node.js and `npm ci` in `tests/browser` (`.ci/run` installs all three
//! and sets `LOKSUS_REQUIRE_BROWSER=1`, which turns a missing piece into a failure). Without
//! them, on a machine that has only Rust and PostgreSQL, the test says so and passes.

use std::path::{Path, PathBuf};
use std::process::Command;

use loksus::db::audit::Actor;
use loksus::domain::access::Role;
use loksus::users::{self, NewUser};

use crate::helpers::TestApp;

const PASSWORD: &str = "kata-sandi-jelajah-1";

fn missing_piece(root: &Path, chromium: &Path) -> Option<String> {
    if !chromium.exists() {
        return Some(format!("no Chromium at {}", chromium.display()));
    }
    if Command::new("node").arg("--version").output().is_err() {
        return Some("no node".into());
    }
    if !root
        .join("tests/browser/node_modules/playwright-core")
        .exists()
    {
        return Some("run `npm ci` in tests/browser".into());
    }
    None
}

#[tokio::test]
async fn journeys_work_in_a_real_browser() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let chromium =
        PathBuf::from(std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned()));
    if let Some(missing) = missing_piece(&root, &chromium) {
        assert!(
            std::env::var_os("LOKSUS_REQUIRE_BROWSER").is_none(),
            "browser journeys required but {missing}"
        );
        eprintln!("browser journeys skipped: {missing}");
        return;
    }
    let app = TestApp::spawn_with_demo().await;
    let mut accounts = serde_json::Map::new();
    for (key, role, province, facility) in [
        (
            "registrar",
            Role::Registrar,
            None,
            Some("lapas-lubuklinggau"),
        ),
        ("kanwil", Role::Kanwil, Some("16"), None),
        ("kpu", Role::Kpu, Some("31"), None),
    ] {
        let username = format!("jelajah-{key}");
        users::store::create(
            &app.db.pool,
            NewUser {
                username: username.clone(),
                role,
                province_code: province.map(str::to_owned),
                facility_code: facility.map(str::to_owned),
                password: PASSWORD.to_owned(),
            },
            &Actor::command_line(),
        )
        .await
        .unwrap();
        accounts.insert(
            key.into(),
            serde_json::json!({ "username": username, "password": PASSWORD }),
        );
    }
    let out = root.join("target/browser-screenshots");
    let _ = std::fs::remove_dir_all(&out);
    let work = tempfile::tempdir().unwrap();
    let roll = work.path().join("daftar.csv");
    std::fs::write(
        &roll,
        "nik;nama;tanggal_lahir;jenis_kelamin;status;status_perkawinan;kode_wilayah_asal;daftar\n\
         1674011508900001;Budi Santoso;15-08-1990;L;NAPI;KAWIN;16.74.01;DPT\n\
         1674015203950002;Siti Aminah;12-03-1995;P;TAHANAN;BELUM KAWIN;16.74.02;DPTB\n\
         12345;NIK Pendek;01-01-1990;L;NAPI;KAWIN;16.74.01;DPT\n\
         1671010101000003;Andi Wijaya;01-01-2000;L;NAPI;;;\n\
         1674011508900004;Tanggal Salah;31-02-1990;L;NAPI;KAWIN;16.74.01;DPT\n",
    )
    .unwrap();
    let base = app.base.clone();
    let result = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .arg("journeys.mjs")
            .current_dir(root.join("tests/browser"))
            .env("LOKSUS_BASE", base)
            .env("CHROMIUM", chromium)
            .env("SCREENSHOTS", &out)
            .env("DOWNLOADS", work.path().join("unduhan"))
            .env("ROLL_FILE", &roll)
            .env("ACCOUNTS", serde_json::Value::Object(accounts).to_string())
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&result.stdout);
    let stderr = String::from_utf8_lossy(&result.stderr);
    println!("{stdout}");
    assert!(result.status.success(), "{stdout}\n{stderr}");
}

/// Tables that fit (`tests/browser/fit.mjs`): each role's main pages at 1366×900 and 390×844,
/// on the whole demo (full rolls), never scroll the page sideways; a wide table scrolls in its
/// own focusable box with its first column in view. Screenshots `fit-*.png`.
#[tokio::test]
async fn pages_fit_a_laptop_and_a_phone() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let chromium =
        PathBuf::from(std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned()));
    if let Some(missing) = missing_piece(&root, &chromium) {
        assert!(
            std::env::var_os("LOKSUS_REQUIRE_BROWSER").is_none(),
            "fit checks required but {missing}"
        );
        eprintln!("fit checks skipped: {missing}");
        return;
    }
    let app = TestApp::spawn_with_simulation().await;
    let mut accounts = serde_json::Map::new();
    // (name, role, province scope, facility scope, the province and facility it visits, extra pages)
    for (key, role, province, facility, visits, extra) in [
        (
            "registrar",
            Role::Registrar,
            None,
            Some("lapas-lubuklinggau"),
            ("16", "lapas-lubuklinggau"),
            serde_json::json!([["disdukcapil", "/fasilitas/lapas-lubuklinggau/disdukcapil"]]),
        ),
        (
            "kanwil",
            Role::Kanwil,
            Some("31"),
            None,
            ("31", "lapas-cipinang"),
            serde_json::json!([["angka-resmi", "/provinsi/31/tps"]]),
        ),
        (
            "kpu",
            Role::Kpu,
            Some("16"),
            None,
            ("16", "lapas-palembang"),
            serde_json::json!([]),
        ),
        (
            "admin",
            Role::Admin,
            None,
            None,
            ("16", "rutan-palembang"),
            serde_json::json!([
                ["pemilihan", "/admin/pemilihan"],
                ["pengguna", "/admin/pengguna"],
                ["audit", "/audit"]
            ]),
        ),
    ] {
        let username = format!("pas-{key}");
        users::store::create(
            &app.db.pool,
            NewUser {
                username: username.clone(),
                role,
                province_code: province.map(str::to_owned),
                facility_code: facility.map(str::to_owned),
                password: PASSWORD.to_owned(),
            },
            &Actor::command_line(),
        )
        .await
        .unwrap();
        accounts.insert(
            key.into(),
            serde_json::json!({
                "username": username, "password": PASSWORD,
                "province": visits.0, "facility": visits.1, "extra": extra,
            }),
        );
    }
    let out = root.join("target/browser-screenshots");
    let base = app.base.clone();
    let result = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .arg("fit.mjs")
            .current_dir(root.join("tests/browser"))
            .env("LOKSUS_BASE", base)
            .env("CHROMIUM", chromium)
            .env("SCREENSHOTS", &out)
            .env("ACCOUNTS", serde_json::Value::Object(accounts).to_string())
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&result.stdout);
    let stderr = String::from_utf8_lossy(&result.stderr);
    println!("{stdout}");
    assert!(result.status.success(), "{stdout}\n{stderr}");
}
