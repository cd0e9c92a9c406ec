//! A crawl as each role: log in, follow every link from the home page (pages and downloads,
//! CSV and XLSX), and check what came back. No page answers 5xx, and no body a kanwil or KPU
//! liaison can reach holds a full NIK of a roll; a registrar reaches no full NIK of another
//! facility's roll.

use std::collections::{BTreeSet, VecDeque};
use std::io::Cursor;

use calamine::{Reader, Xlsx};
use loksus::domain::access::Role;
use loksus::rolls::import::{Mode, Options};
use reqwest::StatusCode;

use crate::helpers::{Browser, TestApp, import_roll, roll_file};

const HEADER: &str = "nik,nama,tanggal_lahir,jenis_kelamin,status,daftar,ktp_el";

/// Rolls with NIKs of every kind the pages show: eligible, without KTP-el (Disdukcapil),
/// one KPU will not list.
const ROLLS: [(&str, &[&str]); 3] = [
    (
        "lapas-lubuklinggau",
        &[
            "1674011508900021,Budi Santoso,1990-08-15,L,NAPI,DPT,Y",
            "1674015203950002,Siti Aminah,12-03-1995,P,TAHANAN,DPT,N",
            "1674010101800003,Cahyo Nugroho,1980-01-01,L,NAPI,DPTB,Y",
        ],
    ),
    (
        "lapas-palembang",
        &[
            "1671010101800004,Dedi Kurniawan,1980-01-01,L,NAPI,DPT,Y",
            "1671014101850005,Eka Putri,1985-01-01,P,NAPI,DPK,N",
        ],
    ),
    (
        "lapas-cipinang",
        &["3172010101900006,Joko Susilo,1990-01-01,L,NAPI,DPT,Y"],
    ),
];

/// On KPU's list for Lubuklinggau, on Palembang's roll.
const KPU_LISTED_ELSEWHERE: &str = "1671010101800004";

fn niks_of(facility: &str) -> Vec<&'static str> {
    ROLLS
        .iter()
        .filter(|(f, _)| *f == facility)
        .flat_map(|(_, rows)| rows.iter().map(|r| &r[..16]))
        .collect()
}

fn all_niks() -> Vec<&'static str> {
    ROLLS
        .iter()
        .flat_map(|(_, rows)| rows.iter().map(|r| &r[..16]))
        .collect()
}

async fn seed(app: &TestApp) {
    for (facility, rows) in ROLLS {
        let content = roll_file(HEADER, rows);
        let report = import_roll(&app.db, facility, &content, Options::new(Mode::Upsert)).await;
        assert!(report.written);
    }
    let admin = app.admin().await;
    for facility in ["lapas-lubuklinggau", "lapas-palembang", "lapas-cipinang"] {
        let resp = admin
            .post(&format!("/fasilitas/{facility}/alokasi"), &[])
            .await;
        assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    }
    // KPU's list for Lubuklinggau: one match, one other name, one NIK held in Palembang.
    let token = admin.csrf().await;
    let list = "nik,nama,tps\n\
                1674011508900021,Budi Santoso,1\n\
                1674015203950002,Siti A.,2\n\
                1671010101800004,Dedi Kurniawan,1\n";
    let form = reqwest::multipart::Form::new().part(
        "berkas",
        reqwest::multipart::Part::bytes(list.as_bytes().to_vec()).file_name("kpu.csv"),
    );
    let resp = admin
        .client
        .post(admin.url(&format!(
            "/fasilitas/lapas-lubuklinggau/rekonsiliasi?csrf={token}"
        )))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    // A voter edited by hand leaves NIKs in the audit's before/after.
    let registrar = app
        .login(Role::Registrar, None, Some("lapas-lubuklinggau"))
        .await;
    let id: i64 = sqlx::query_scalar("select id from voters where nik = '1674010101800003'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let resp = registrar
        .post(
            &format!("/fasilitas/lapas-lubuklinggau/daftar/{id}/ubah"),
            &[
                ("nik", "1674010101800003"),
                ("nama", "Cahyo Nugroho S."),
                ("tanggal_lahir", "1980-01-01"),
                ("jenis_kelamin", "L"),
                ("status", "NAPI"),
                ("daftar", "DPTB"),
            ],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
}

/// The local links of a page (`href="/..."`), without fragments.
fn links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|l| l.replace("&amp;", "&"))
        .map(|l| l.split('#').next().unwrap_or_default().to_owned())
        .filter(|l| l.starts_with('/') && !l.starts_with("//"))
        .collect()
}

/// The text a downloaded workbook holds, cell by cell.
fn xlsx_text(bytes: &[u8]) -> String {
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("a workbook");
    let mut text = String::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        for row in range.rows() {
            for cell in row {
                text.push_str(&cell.to_string());
                text.push('\t');
            }
        }
    }
    text
}

/// Every page and download `who` reaches from `/` (at most `limit`), with its text.
async fn crawl(who: &Browser, limit: usize) -> Vec<(String, StatusCode, String)> {
    let mut seen = BTreeSet::new();
    let mut queue = VecDeque::from(["/".to_owned()]);
    let mut out = Vec::new();
    while let Some(path) = queue.pop_front() {
        if out.len() >= limit {
            break;
        }
        if path.starts_with("/keluar") || path.starts_with("/static/") || !seen.insert(path.clone())
        {
            continue;
        }
        let resp = who.client.get(who.url(&path)).send().await.unwrap();
        let status = resp.status();
        let is_xlsx = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.contains("spreadsheetml"));
        let bytes = resp.bytes().await.unwrap();
        let text = if is_xlsx {
            xlsx_text(&bytes)
        } else {
            String::from_utf8_lossy(&bytes).into_owned()
        };
        for l in links(&text) {
            if !seen.contains(&l) {
                queue.push_back(l);
            }
        }
        out.push((path, status, text));
    }
    out
}

#[tokio::test]
async fn no_page_or_download_gives_kanwil_or_kpu_a_full_nik() {
    let app = TestApp::spawn_with_demo().await;
    seed(&app).await;
    let everyone = [
        ("kanwil-16", app.login(Role::Kanwil, Some("16"), None).await),
        ("kanwil-31", app.login(Role::Kanwil, Some("31"), None).await),
        ("kpu-16", app.login(Role::Kpu, Some("16"), None).await),
        ("kpu-nasional", app.login(Role::Kpu, None, None).await),
        (
            "registrar-lubuklinggau",
            app.login(Role::Registrar, None, Some("lapas-lubuklinggau"))
                .await,
        ),
        ("admin", app.admin().await),
    ];
    let mut problems = Vec::new();
    for (label, who) in &everyone {
        let pages = crawl(who, 700).await;
        let forbidden: Vec<&str> = match *label {
            "admin" => Vec::new(),
            // KPU's list for the registrar's own facility is theirs to reconcile in full,
            // even the NIK KPU placed here that another facility holds.
            "registrar-lubuklinggau" => all_niks()
                .into_iter()
                .filter(|n| !niks_of("lapas-lubuklinggau").contains(n))
                .filter(|n| *n != KPU_LISTED_ELSEWHERE)
                .collect(),
            _ => all_niks(),
        };
        let mut reached_roll_data = false;
        for (path, status, text) in &pages {
            if status.is_server_error() {
                problems.push(format!("{label} {path}: {status}"));
            }
            for nik in &forbidden {
                if text.contains(nik) {
                    problems.push(format!("{label} {path}: full NIK {nik}"));
                }
            }
            reached_roll_data |= text.contains(&nik_tail("1674011508900021"));
        }
        // The crawl really reached pages with voters on them.
        assert!(
            pages.len() > 20,
            "{label} reached only {} pages",
            pages.len()
        );
        if *label != "kanwil-31" {
            assert!(reached_roll_data, "{label} reached no voter data");
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn nik_tail(nik: &str) -> String {
    format!("************{}", &nik[12..])
}
