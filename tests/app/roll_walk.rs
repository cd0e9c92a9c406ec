//! The roll pages of an older election, walked link by link: every link, the pager and the
//! filters keep `?pemilihan=`, so nobody silently lands on the latest election's roll.

use std::collections::{BTreeSet, VecDeque};
use std::process::Command;

use loksus::domain::access::Role;
use reqwest::StatusCode;

use crate::helpers::{TestApp, database_url, roll_file};

fn loksus(app: &TestApp, args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_loksus"))
        .args(args)
        .env("DATABASE_URL", database_url(app))
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The `href` and form `action` values of a page that stay on the facility's roll pages,
/// each with whether it is a link (followed) or a form's target (only checked).
fn roll_links(page: &str, facility: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for attr in ["href=\"", "action=\""] {
        for part in page.split(attr).skip(1) {
            let link = part
                .split('"')
                .next()
                .unwrap_or_default()
                .replace("&amp;", "&")
                .replace("&#38;", "&");
            if link.starts_with(&format!("/fasilitas/{facility}/")) && !link.contains("/tps/") {
                out.push((link, attr.starts_with("href")));
            }
        }
    }
    out
}

#[tokio::test]
async fn the_roll_pages_of_an_older_election_keep_it_on_every_link() {
    let app = TestApp::spawn_with_demo().await;
    let llg = "lapas-lubuklinggau";
    // A later election with the same TPS: the default from now on.
    loksus(
        &app,
        &[
            "election",
            "add",
            "--slug",
            "pemilu-2029",
            "--name",
            "Pemilu 2029",
            "--kind",
            "pemilu",
            "--voting-day",
            "2029-02-14",
            "--copy-tps-from",
            "pemilu-2024",
        ],
    );
    // 120 voters on the 2024 roll (three pages of 50), none on the 2029 roll.
    let rows: Vec<String> = (1..=120)
        .map(|i| format!("167301010190{i:04},Warga Lama {i:04},1990-01-01,L,NAPI,KAWIN,DPT"))
        .collect();
    let refs: Vec<&str> = rows.iter().map(String::as_str).collect();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("daftar.csv");
    std::fs::write(
        &file,
        roll_file(
            "nik,nama,tanggal_lahir,jenis_kelamin,status,status_perkawinan,daftar",
            &refs,
        ),
    )
    .unwrap();
    loksus(
        &app,
        &[
            "roll",
            "import",
            file.to_str().unwrap(),
            "--facility",
            llg,
            "--election",
            "pemilu-2024",
        ],
    );
    let registrar = app.login(Role::Registrar, Some("16"), Some(llg)).await;
    let (_, latest) = registrar.get(&format!("/fasilitas/{llg}/daftar")).await;
    assert!(
        !latest.contains("Warga Lama"),
        "the latest election's roll is empty"
    );

    // Breadth-first over the roll pages reachable from the 2024 roll page.
    let start = format!("/fasilitas/{llg}/daftar?pemilihan=pemilu-2024");
    let mut queue = VecDeque::from([start.clone()]);
    let mut seen = BTreeSet::from([start]);
    let mut pages_with_voters = 0;
    let mut edit_pages = 0;
    while let Some(url) = queue.pop_front() {
        let (status, page) = registrar.get(&url).await;
        assert_eq!(status, StatusCode::OK, "{url}");
        if page.contains("Warga Lama") {
            pages_with_voters += 1;
        }
        for (link, is_link) in roll_links(&page, llg) {
            assert!(
                link.contains("pemilihan=pemilu-2024"),
                "{link} (on {url}) drops the election"
            );
            // Every page of the list; of the voters' edit pages, the first two.
            let path = link.split('?').next().unwrap_or_default();
            let follow = is_link
                && !link.contains("csrf=")
                && !path.ends_with(".csv")
                && (!path.ends_with("/ubah") || edit_pages < 2);
            if follow && seen.insert(link.clone()) {
                edit_pages += usize::from(path.ends_with("/ubah"));
                queue.push_back(link);
            }
        }
        // The filter form's hidden field keeps it too.
        if page.contains(r#"class="grid-form filters""#) {
            assert!(
                page.contains(r#"name="pemilihan" value="pemilu-2024""#),
                "{url}"
            );
        }
    }
    assert!(
        seen.iter().any(|l| l.contains("hal=3")),
        "the pager reached page 3: {seen:?}"
    );
    assert!(
        pages_with_voters >= 4,
        "{pages_with_voters} pages showed the 2024 voters"
    );
}
