//! The browser journeys (`tests/browser/journeys.mjs`, the home pages per role in
//! `tests/browser/home.mjs`, the tables that fit in `tests/browser/fit.mjs`) against the real
//! server on a fresh database, in Debian's Chromium. Screenshots go to
//! `target/browser-screenshots/` (each script its own file names).
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

/// One browser test at a time: three Chromiums beside the other tests on a two-core machine
/// make every page slow enough to time a journey out.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

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

/// What a browser test runs with: the project root, Chromium, and its turn (held while it
/// runs; see [`ONE_AT_A_TIME`]).
struct Browser {
    root: PathBuf,
    chromium: PathBuf,
    _turn: tokio::sync::MutexGuard<'static, ()>,
}

/// The browser, once it is this test's turn; `None` (with the reason printed) when a piece
/// is missing on a machine that does not require the browser.
async fn browser(what: &str) -> Option<Browser> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let chromium =
        PathBuf::from(std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned()));
    if let Some(missing) = missing_piece(&root, &chromium) {
        assert!(
            std::env::var_os("LOKSUS_REQUIRE_BROWSER").is_none(),
            "{what} required but {missing}"
        );
        eprintln!("{what} skipped: {missing}");
        return None;
    }
    let _turn = ONE_AT_A_TIME.lock().await;
    Some(Browser {
        root,
        chromium,
        _turn,
    })
}

/// One account of a journey: its key in ACCOUNTS, role, scope, and what else the script
/// needs to know about it (merged into its JSON entry).
struct Account {
    key: &'static str,
    role: Role,
    province: Option<&'static str>,
    facility: Option<&'static str>,
    extra: serde_json::Value,
}

impl Account {
    fn new(
        key: &'static str,
        role: Role,
        province: Option<&'static str>,
        facility: Option<&'static str>,
    ) -> Self {
        Account {
            key,
            role,
            province,
            facility,
            extra: serde_json::json!({}),
        }
    }
}

/// A registrar of Lapas Lubuklinggau, a kanwil of Sumatera Selatan and a KPU liaison of
/// `kpu_province`.
fn registrar_kanwil_kpu(kpu_province: &'static str) -> Vec<Account> {
    vec![
        Account::new(
            "registrar",
            Role::Registrar,
            None,
            Some("lapas-lubuklinggau"),
        ),
        Account::new("kanwil", Role::Kanwil, Some("16"), None),
        Account::new("kpu", Role::Kpu, Some(kpu_province), None),
    ]
}

/// Creates the accounts (usernames `{prefix}-{key}`) and returns ACCOUNTS' JSON.
async fn create_accounts(app: &TestApp, prefix: &str, accounts: Vec<Account>) -> String {
    let mut json = serde_json::Map::new();
    for a in accounts {
        let username = format!("{prefix}-{}", a.key);
        users::store::create(
            &app.db.pool,
            NewUser {
                username: username.clone(),
                role: a.role,
                province_code: a.province.map(str::to_owned),
                facility_code: a.facility.map(str::to_owned),
                password: PASSWORD.to_owned(),
            },
            &Actor::command_line(),
        )
        .await
        .unwrap();
        let mut entry = serde_json::json!({ "username": username, "password": PASSWORD });
        if let serde_json::Value::Object(extra) = a.extra {
            entry.as_object_mut().unwrap().extend(extra);
        }
        json.insert(a.key.into(), entry);
    }
    serde_json::Value::Object(json).to_string()
}

/// Runs `tests/browser/{script}` against `app` and fails with its output unless it exits 0.
async fn run_script(
    app: &TestApp,
    browser: &Browser,
    script: &'static str,
    env: Vec<(&'static str, String)>,
) {
    let (root, chromium) = (browser.root.clone(), browser.chromium.clone());
    let out = root.join("target/browser-screenshots");
    let base = app.base.clone();
    let result = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .arg(script)
            .current_dir(root.join("tests/browser"))
            .env("LOKSUS_BASE", base)
            .env("CHROMIUM", chromium)
            .env("SCREENSHOTS", &out)
            .envs(env)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&result.stdout);
    let stderr = String::from_utf8_lossy(&result.stderr);
    if result.status.success() {
        println!("{stdout}");
        return;
    }
    // The script's own list of failures is the end of its output; a panic would print its
    // message and a backtrace after it, and a log cut short at the end would lose the list.
    eprintln!("{stderr}");
    println!("{stdout}");
    std::panic::resume_unwind(Box::new(format!("{script} failed")));
}

#[tokio::test]
async fn journeys_work_in_a_real_browser() {
    let Some(browser) = browser("browser journeys").await else {
        return;
    };
    let app = TestApp::spawn_with_demo().await;
    let accounts = create_accounts(&app, "jelajah", registrar_kanwil_kpu("31")).await;
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
    let env = vec![
        ("ACCOUNTS", accounts),
        ("ROLL_FILE", roll.display().to_string()),
        (
            "DOWNLOADS",
            work.path().join("unduhan").display().to_string(),
        ),
    ];
    run_script(&app, &browser, "journeys.mjs", env).await;
}

/// `tests/browser/home.mjs`: the home page of a registrar, a kanwil and a KPU liaison on the
/// simulation demo, in Chromium. Screenshots go to `target/browser-screenshots/home-*.png`.
#[tokio::test]
async fn home_pages_work_in_a_real_browser() {
    let Some(browser) = browser("home page journeys").await else {
        return;
    };
    let app = TestApp::spawn_with_simulation().await;
    let accounts = create_accounts(&app, "beranda", registrar_kanwil_kpu("16")).await;
    run_script(&app, &browser, "home.mjs", vec![("ACCOUNTS", accounts)]).await;
}

/// Tables that fit (`tests/browser/fit.mjs`): each role's main pages at 1366×900 and 390×844,
/// on the whole demo (full rolls), never scroll the page sideways; a wide table scrolls in its
/// own focusable box with its first column in view. Screenshots `fit-*.png`.
#[tokio::test]
async fn pages_fit_a_laptop_and_a_phone() {
    let Some(browser) = browser("fit checks").await else {
        return;
    };
    let app = TestApp::spawn_with_simulation().await;
    // Each account with the province and facility it visits, and its extra pages.
    let visits = |province: &str, facility: &str, extra: serde_json::Value| serde_json::json!({ "province": province, "facility": facility, "extra": extra });
    let accounts = create_accounts(
        &app,
        "pas",
        vec![
            Account {
                extra: visits(
                    "16",
                    "lapas-lubuklinggau",
                    serde_json::json!([[
                        "disdukcapil",
                        "/fasilitas/lapas-lubuklinggau/disdukcapil"
                    ]]),
                ),
                ..Account::new(
                    "registrar",
                    Role::Registrar,
                    None,
                    Some("lapas-lubuklinggau"),
                )
            },
            Account {
                extra: visits(
                    "31",
                    "lapas-cipinang",
                    serde_json::json!([["angka-resmi", "/provinsi/31/tps"]]),
                ),
                ..Account::new("kanwil", Role::Kanwil, Some("31"), None)
            },
            Account {
                extra: visits("16", "lapas-palembang", serde_json::json!([])),
                ..Account::new("kpu", Role::Kpu, Some("16"), None)
            },
            Account {
                extra: visits(
                    "16",
                    "rutan-palembang",
                    serde_json::json!([
                        ["pemilihan", "/admin/pemilihan"],
                        ["pengguna", "/admin/pengguna"],
                        ["audit", "/audit"]
                    ]),
                ),
                ..Account::new("admin", Role::Admin, None, None)
            },
        ],
    )
    .await;
    run_script(&app, &browser, "fit.mjs", vec![("ACCOUNTS", accounts)]).await;
}
