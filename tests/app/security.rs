//! What a valid low-privilege account must not be able to do (issue 11): read full NIKs
//! outside the masking rule, move another facility's inmates, learn where a person is held,
//! recover masked NIKs by search, inject formulas into CSV downloads, crash a request with a
//! NUL byte, import twice, or meet a 500 when two saves race.

use loksus::db::audit::Actor;
use loksus::domain::access::Role;
use loksus::rolls;
use loksus::rolls::import::{Mode, Options};
use loksus::users::{self, NewUser, UserError};
use reqwest::StatusCode;

use crate::helpers::{Browser, TestApp, TestDb, import_roll, roll_file};

const HEADER: &str = "nik,nama,tanggal_lahir,jenis_kelamin,status,daftar,ktp_el";
const BUDI_NIK: &str = "1674011508900001";
const BUDI: &str = "1674011508900001,Budi Santoso,1990-08-15,L,NAPI,DPT,Y";
const SITI_NIK: &str = "1674015203950002";
const SITI: &str = "1674015203950002,Siti Aminah,12-03-1995,P,TAHANAN,DPT,N";

fn file(rows: &[&str]) -> String {
    roll_file(HEADER, rows)
}

/// Loads `rows` into `facility`'s roll as the operator's command line would.
async fn seed(db: &TestDb, facility: &str, rows: &[&str]) {
    let report = import_roll(db, facility, &file(rows), Options::new(Mode::Upsert)).await;
    assert!(report.written, "{:?}", report.errors);
}

async fn status_of(db: &TestDb, facility: &str, nik: &str) -> Option<String> {
    sqlx::query_scalar(
        "select v.status from voters v join facilities f on f.id = v.facility_id
         where f.code = $1 and v.nik = $2",
    )
    .bind(facility)
    .bind(nik)
    .fetch_optional(&db.pool)
    .await
    .unwrap()
}

/// Uploads `content` as the multipart field `berkas` (plus `extra` fields) to `path`.
async fn upload(
    browser: &Browser,
    path: &str,
    content: &[u8],
    extra: &[(&'static str, &'static str)],
) -> reqwest::Response {
    let token = browser.csrf().await;
    let mut form = reqwest::multipart::Form::new().part(
        "berkas",
        reqwest::multipart::Part::bytes(content.to_vec()).file_name("berkas.csv"),
    );
    for (k, v) in extra {
        form = form.text(*k, *v);
    }
    let sep = if path.contains('?') { '&' } else { '?' };
    browser
        .client
        .post(browser.url(&format!("{path}{sep}csrf={token}")))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

/// The upload id in a preview page's confirm form.
fn upload_id(preview: &str) -> String {
    let at = preview
        .find("/daftar/impor/")
        .expect("a confirm form or download link")
        + "/daftar/impor/".len();
    preview[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect()
}

/// Waits until some session of this database waits for a lock held by the test.
async fn until_someone_waits_for_a_lock(db: &TestDb) {
    for _ in 0..500 {
        let waiting: i64 = sqlx::query_scalar(
            "select count(*) from pg_stat_activity
             where datname = current_database() and wait_event_type = 'Lock'",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        if waiting > 0 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("no request ever waited for the lock");
}

#[tokio::test]
async fn kpu_and_kanwil_reconciliation_downloads_hold_no_full_nik() {
    let app = TestApp::spawn_with_demo().await;
    seed(&app.db, "lapas-lubuklinggau", &[BUDI, SITI]).await;
    let kpu = app.login(Role::Kpu, Some("16"), None).await;
    // A one-row KPU list is enough to open the reconciliation groups.
    let resp = upload(
        &kpu,
        "/fasilitas/lapas-lubuklinggau/rekonsiliasi",
        b"nik,nama,tps\n1671010101000003,Andi,1\n",
        &[],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let kanwil = app.login(Role::Kanwil, Some("16"), None).await;
    let registrar = app
        .login(Role::Registrar, None, Some("lapas-lubuklinggau"))
        .await;
    for who in [&kpu, &kanwil] {
        let (status, csv) = who
            .get("/fasilitas/lapas-lubuklinggau/rekonsiliasi/hanya-daftar.csv")
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(csv.contains("************0001"), "{csv}");
        assert!(!csv.contains(BUDI_NIK) && !csv.contains(SITI_NIK), "{csv}");
        let (_, page) = who.get("/fasilitas/lapas-lubuklinggau/rekonsiliasi").await;
        assert!(!page.contains(BUDI_NIK), "full NIK on the page");
    }
    // The facility's own registrar works with full NIKs.
    let (_, csv) = registrar
        .get("/fasilitas/lapas-lubuklinggau/rekonsiliasi/hanya-daftar.csv")
        .await;
    assert!(csv.contains(BUDI_NIK), "{csv}");
}

#[tokio::test]
async fn a_registrars_import_never_moves_another_facilitys_inmate_by_itself() {
    let app = TestApp::spawn_with_demo().await;
    seed(&app.db, "lapas-palembang", &[BUDI]).await;
    let registrar = app
        .login(Role::Registrar, None, Some("lapas-lubuklinggau"))
        .await;
    let path = "/fasilitas/lapas-lubuklinggau/daftar/impor";

    // Another name and birth date with that NIK: a NIK conflict, refused.
    let forged = "1674011508900001,Orang Lain,1985-01-01,L,NAPI,DPT,Y";
    let resp = upload(
        &registrar,
        path,
        file(&[forged]).as_bytes(),
        &[("cara", "perbarui"), ("terima_pindahan", "1")],
    )
    .await;
    let preview = resp.text().await.unwrap();
    assert!(preview.contains("konflik NIK"), "{preview}");
    assert!(!preview.contains("Konfirmasi dan simpan"));
    let pending: i64 = sqlx::query_scalar("select count(*) from transfers")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(pending, 0);

    // The same person: a pending arrival, and the origin's roll does not change.
    let resp = upload(
        &registrar,
        path,
        file(&[BUDI, SITI]).as_bytes(),
        &[("cara", "perbarui"), ("terima_pindahan", "1")],
    )
    .await;
    let preview = resp.text().await.unwrap();
    assert!(preview.contains("Konfirmasi dan simpan"), "{preview}");
    let id = upload_id(&preview);
    let resp = registrar.post(&format!("{path}/{id}"), &[]).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        status_of(&app.db, "lapas-palembang", BUDI_NIK)
            .await
            .as_deref(),
        Some("active")
    );
    assert_eq!(
        status_of(&app.db, "lapas-lubuklinggau", BUDI_NIK).await,
        None
    );
    assert_eq!(
        status_of(&app.db, "lapas-lubuklinggau", SITI_NIK)
            .await
            .as_deref(),
        Some("active")
    );
    let transfer: i64 = sqlx::query_scalar("select id from transfers where status = 'pending'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();

    // Nobody but the origin's side may confirm it.
    let kanwil31 = app.login(Role::Kanwil, Some("31"), None).await;
    let kpu16 = app.login(Role::Kpu, Some("16"), None).await;
    let confirm_at_origin = format!("/fasilitas/lapas-palembang/pindahan/{transfer}/konfirmasi");
    let confirm_at_destination =
        format!("/fasilitas/lapas-lubuklinggau/pindahan/{transfer}/konfirmasi");
    assert_eq!(
        registrar.post(&confirm_at_origin, &[]).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        registrar.post(&confirm_at_destination, &[]).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        kanwil31.post(&confirm_at_origin, &[]).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        kpu16.post(&confirm_at_origin, &[]).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        status_of(&app.db, "lapas-palembang", BUDI_NIK)
            .await
            .as_deref(),
        Some("active")
    );

    // The origin sees the request and confirms it: now the inmate moves.
    let origin = app
        .login(Role::Registrar, None, Some("lapas-palembang"))
        .await;
    let (_, page) = origin.get("/fasilitas/lapas-palembang/pindahan").await;
    assert!(page.contains("Budi Santoso"), "{page}");
    assert!(page.contains("Lapas Kelas IIA Lubuklinggau"), "{page}");
    let resp = origin.post(&confirm_at_origin, &[]).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        status_of(&app.db, "lapas-palembang", BUDI_NIK)
            .await
            .as_deref(),
        Some("departed")
    );
    assert_eq!(
        status_of(&app.db, "lapas-lubuklinggau", BUDI_NIK)
            .await
            .as_deref(),
        Some("active")
    );
    let from: String = sqlx::query_scalar(
        "select f.code from voters v join facilities f on f.id = v.transferred_from
         where v.nik = $1 and v.status = 'active'",
    )
    .bind(BUDI_NIK)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(from, "lapas-palembang");
    // Confirmed once: a second confirm finds nothing pending.
    assert_eq!(
        origin.post(&confirm_at_origin, &[]).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_kanwil_of_the_origin_may_refuse_and_nothing_moves() {
    let app = TestApp::spawn_with_demo().await;
    seed(&app.db, "lapas-palembang", &[BUDI]).await;
    let registrar = app
        .login(Role::Registrar, None, Some("lapas-lubuklinggau"))
        .await;
    let resp = upload(
        &registrar,
        "/fasilitas/lapas-lubuklinggau/daftar/impor",
        file(&[BUDI]).as_bytes(),
        &[("cara", "perbarui"), ("terima_pindahan", "1")],
    )
    .await;
    let id = upload_id(&resp.text().await.unwrap());
    registrar
        .post(
            &format!("/fasilitas/lapas-lubuklinggau/daftar/impor/{id}"),
            &[],
        )
        .await;
    let transfer: i64 = sqlx::query_scalar("select id from transfers")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let kanwil = app.login(Role::Kanwil, Some("16"), None).await;
    let resp = kanwil
        .post(
            &format!("/fasilitas/lapas-palembang/pindahan/{transfer}/tolak"),
            &[],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let status: String = sqlx::query_scalar("select status from transfers")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(status, "refused");
    assert_eq!(
        status_of(&app.db, "lapas-palembang", BUDI_NIK)
            .await
            .as_deref(),
        Some("active")
    );
}

#[tokio::test]
async fn the_command_line_moves_at_once_and_prints_each_move() {
    let app = TestApp::spawn_with_demo().await;
    seed(&app.db, "lapas-palembang", &[BUDI]).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("daftar.csv");
    std::fs::write(&path, file(&[BUDI, SITI])).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_loksus"))
        .env("DATABASE_URL", crate::helpers::database_url(&app))
        .args(["roll", "import"])
        .arg(&path)
        .args(["--facility", "lapas-lubuklinggau", "--accept-transfers"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(
            "moved NIK 1674011508900001 (Budi Santoso) from lapas-palembang to lapas-lubuklinggau"
        ),
        "{stdout}"
    );
    assert_eq!(
        stdout.lines().last(),
        Some("inserted 2, updated 0, unchanged 0, departed 0, rejected 0, flagged 2")
    );
    assert_eq!(
        status_of(&app.db, "lapas-palembang", BUDI_NIK)
            .await
            .as_deref(),
        Some("departed")
    );
}

#[tokio::test]
async fn where_an_inmate_is_held_is_named_only_within_scope() {
    let app = TestApp::spawn_with_demo().await;
    seed(&app.db, "lapas-cipinang", &[BUDI]).await;
    let registrar = app
        .login(Role::Registrar, None, Some("lapas-lubuklinggau"))
        .await;
    // Adding the voter by hand.
    let resp = registrar
        .post(
            "/fasilitas/lapas-lubuklinggau/daftar/baru",
            &[
                ("nik", BUDI_NIK),
                ("nama", "Budi Santoso"),
                ("tanggal_lahir", "1990-08-15"),
                ("jenis_kelamin", "L"),
                ("status", "NAPI"),
            ],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = resp.text().await.unwrap();
    assert!(page.contains("terdaftar aktif di fasilitas lain"), "{page}");
    assert!(!page.contains("Cipinang"), "{page}");
    // Importing it.
    let resp = upload(
        &registrar,
        "/fasilitas/lapas-lubuklinggau/daftar/impor",
        file(&[BUDI]).as_bytes(),
        &[("cara", "perbarui")],
    )
    .await;
    let preview = resp.text().await.unwrap();
    assert!(
        preview.contains("terdaftar aktif di fasilitas lain"),
        "{preview}"
    );
    assert!(!preview.contains("Cipinang"), "{preview}");

    // KPU's list for Lubuklinggau names that NIK: the province's liaison is not told where.
    let kpu = app.login(Role::Kpu, Some("16"), None).await;
    upload(
        &kpu,
        "/fasilitas/lapas-lubuklinggau/rekonsiliasi",
        format!("nik,nama,tps\n{BUDI_NIK},Budi Santoso,1\n").as_bytes(),
        &[],
    )
    .await;
    let (_, csv) = kpu
        .get("/fasilitas/lapas-lubuklinggau/rekonsiliasi/hanya-kpu.csv")
        .await;
    assert!(csv.contains("terdaftar aktif di fasilitas lain"), "{csv}");
    assert!(!csv.contains("Cipinang"), "{csv}");
    // A national user's scope covers Cipinang.
    let admin = app.admin().await;
    let (_, csv) = admin
        .get("/fasilitas/lapas-lubuklinggau/rekonsiliasi/hanya-kpu.csv")
        .await;
    assert!(
        csv.contains("terdaftar aktif di Lapas Kelas I Cipinang"),
        "{csv}"
    );
}

#[tokio::test]
async fn masked_niks_cannot_be_found_by_prefix_or_wildcard() {
    let app = TestApp::spawn_with_demo().await;
    seed(&app.db, "lapas-lubuklinggau", &[BUDI]).await;
    let kanwil = app.login(Role::Kanwil, Some("16"), None).await;
    let found = |page: &str| page.contains("Budi Santoso</");
    for q in [
        "1674",
        "1674011508900",
        "____________0001",
        "%25",
        "16_4%25",
    ] {
        let (status, page) = kanwil
            .get(&format!("/fasilitas/lapas-lubuklinggau/daftar?q={q}"))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(!found(&page), "kanwil found Budi with q={q}");
    }
    let (_, page) = kanwil
        .get(&format!(
            "/fasilitas/lapas-lubuklinggau/daftar?q={BUDI_NIK}"
        ))
        .await;
    assert!(found(&page), "an exact NIK finds the voter");

    // The registrar sees full NIKs: a prefix works, wildcards are literal.
    let registrar = app
        .login(Role::Registrar, None, Some("lapas-lubuklinggau"))
        .await;
    let (_, page) = registrar
        .get("/fasilitas/lapas-lubuklinggau/daftar?q=167401")
        .await;
    assert!(found(&page));
    let (_, page) = registrar
        .get("/fasilitas/lapas-lubuklinggau/daftar?q=1_7401")
        .await;
    assert!(!found(&page));
    let (_, page) = registrar
        .get("/fasilitas/lapas-lubuklinggau/daftar?q=B%25i")
        .await;
    assert!(!found(&page));
}

#[tokio::test]
async fn kanwil_reads_masked_niks_on_the_disdukcapil_list_and_in_the_audit() {
    let app = TestApp::spawn_with_demo().await;
    let registrar = app
        .login(Role::Registrar, None, Some("lapas-lubuklinggau"))
        .await;
    // Siti has no KTP-el: she is on the Disdukcapil list; adding her by hand is audited.
    let resp = registrar
        .post(
            "/fasilitas/lapas-lubuklinggau/daftar/baru",
            &[
                ("nik", SITI_NIK),
                ("nama", "Siti Aminah"),
                ("tanggal_lahir", "1995-03-12"),
                ("jenis_kelamin", "P"),
                ("status", "TAHANAN"),
                ("ktp_el", "N"),
            ],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let kanwil = app.login(Role::Kanwil, Some("16"), None).await;
    for path in [
        "/fasilitas/lapas-lubuklinggau/disdukcapil",
        "/fasilitas/lapas-lubuklinggau/disdukcapil.csv",
        "/audit",
    ] {
        let (status, body) = kanwil.get(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(body.contains("Siti Aminah"), "{path}");
        assert!(!body.contains(SITI_NIK), "{path} shows the full NIK");
        assert!(body.contains("************0002"), "{path}");
    }
    let admin = app.admin().await;
    let (_, audit) = admin.get("/audit").await;
    assert!(audit.contains(SITI_NIK));
}

#[tokio::test]
async fn pages_with_personal_data_are_never_stored_by_a_cache() {
    let app = TestApp::spawn_with_demo().await;
    seed(&app.db, "lapas-lubuklinggau", &[BUDI]).await;
    let registrar = app
        .login(Role::Registrar, None, Some("lapas-lubuklinggau"))
        .await;
    let id: i64 = sqlx::query_scalar("select id from voters")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let admin = app.admin().await;
    let pages: [(&Browser, String); 5] = [
        (&registrar, "/fasilitas/lapas-lubuklinggau/daftar".into()),
        (
            &registrar,
            format!("/fasilitas/lapas-lubuklinggau/daftar/{id}/ubah"),
        ),
        (
            &registrar,
            "/fasilitas/lapas-lubuklinggau/disdukcapil".into(),
        ),
        (&admin, "/audit".into()),
        (&admin, "/admin/pengguna".into()),
    ];
    for (who, path) in pages {
        let resp = who.client.get(who.url(&path)).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK, "{path}");
        assert_eq!(resp.headers()["cache-control"], "no-store", "{path}");
    }
    // The page that shows a reset password.
    let uid: i64 = sqlx::query_scalar("select id from users where role = 'registrar'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let resp = admin
        .post(&format!("/admin/pengguna/{uid}/sandi"), &[])
        .await;
    assert_eq!(resp.headers()["cache-control"], "no-store");
}

/// Every cell of a CSV body, parsed as a spreadsheet would split it.
fn cells(body: &str) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body.as_bytes());
    reader
        .records()
        .flat_map(|r| r.unwrap().iter().map(str::to_owned).collect::<Vec<_>>())
        .collect()
}

fn assert_no_formula(path: &str, body: &str) {
    for cell in cells(body) {
        let first = cell.chars().next();
        let risky = matches!(first, Some('=' | '+' | '@' | '\t' | '\r'))
            || (first == Some('-') && cell.parse::<f64>().is_err());
        assert!(!risky, "{path}: formula cell {cell:?}");
    }
}

#[tokio::test]
async fn formula_cells_are_neutralised_in_every_csv_download() {
    let app = TestApp::spawn_with_demo().await;
    let evil_facility = "+1+cmd|' /C calc'!A0";
    sqlx::query("update facilities set name = $1 where code = 'lapas-lubuklinggau'")
        .bind(evil_facility)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let evil_voter = "=HYPERLINK(\"http://evil.example\",\"klik\")";
    seed(
        &app.db,
        "lapas-lubuklinggau",
        &[
            &format!(
                "1674011508900001,\"{}\",1990-08-15,L,NAPI,DPT,N",
                evil_voter.replace('"', "\"\"")
            ),
            SITI,
        ],
    )
    .await;
    let kpu = app.login(Role::Kpu, Some("16"), None).await;
    let resp = upload(
        &kpu,
        "/fasilitas/lapas-lubuklinggau/rekonsiliasi",
        format!("nik,nama,tps\n1671010101000003,@SUM(1),1\n{SITI_NIK},-2+3,1\n").as_bytes(),
        &[],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let admin = app.admin().await;
    let registrar = app
        .login(Role::Registrar, None, Some("lapas-lubuklinggau"))
        .await;
    let mut seen = String::new();
    for (who, path) in [
        (&admin, "/unduh/nasional.csv"),
        (&admin, "/unduh/ringkasan.csv"),
        (&admin, "/unduh/provinsi/16.csv"),
        (&admin, "/unduh/fasilitas/lapas-lubuklinggau.csv"),
        (&admin, "/fasilitas/lapas-lubuklinggau/disdukcapil.csv"),
        (&registrar, "/fasilitas/lapas-lubuklinggau/disdukcapil.csv"),
        (&kpu, "/fasilitas/lapas-lubuklinggau/rekonsiliasi/cocok.csv"),
        (
            &kpu,
            "/fasilitas/lapas-lubuklinggau/rekonsiliasi/hanya-kpu.csv",
        ),
        (
            &kpu,
            "/fasilitas/lapas-lubuklinggau/rekonsiliasi/hanya-daftar.csv",
        ),
        (
            &kpu,
            "/fasilitas/lapas-lubuklinggau/rekonsiliasi/beda-tps.csv",
        ),
        (
            &kpu,
            "/fasilitas/lapas-lubuklinggau/rekonsiliasi/beda-nama.csv",
        ),
        (&registrar, "/templat-daftar.csv"),
    ] {
        let (status, body) = who.get(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_no_formula(path, &body);
        seen.push_str(&body);
    }
    // The values are there, only defused.
    assert!(seen.contains("'+1+cmd"), "facility name missing");
    assert!(seen.contains("'=HYPERLINK"), "voter name missing");
    assert!(seen.contains("'@SUM(1)"), "KPU name missing");
    assert!(seen.contains("'-2+3"), "KPU name missing");

    // The rejected rows of an upload, whose messages quote what was typed.
    let resp = upload(
        &registrar,
        "/fasilitas/lapas-lubuklinggau/daftar/impor",
        b"nik,nama,tanggal_lahir,jenis_kelamin,status\n,Andi,=1+1,L,NAPI\n",
        &[("cara", "perbarui")],
    )
    .await;
    let id = upload_id(&resp.text().await.unwrap());
    let (_, body) = registrar
        .get(&format!(
            "/fasilitas/lapas-lubuklinggau/daftar/impor/{id}/ditolak.csv"
        ))
        .await;
    assert_no_formula("ditolak.csv", &body);

    // The command line's exports.
    for args in [
        &["export", "summary", "--format", "csv"][..],
        &["export", "stations", "--format", "csv"][..],
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_loksus"))
            .env("DATABASE_URL", crate::helpers::database_url(&app))
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success());
        assert_no_formula(&args.join(" "), &String::from_utf8_lossy(&out.stdout));
    }
}

#[tokio::test]
async fn nul_bytes_and_absurd_page_numbers_get_a_4xx_in_indonesian() {
    let app = TestApp::spawn_with_demo().await;
    seed(&app.db, "lapas-lubuklinggau", &[BUDI]).await;
    let registrar = app
        .login(Role::Registrar, None, Some("lapas-lubuklinggau"))
        .await;
    for path in [
        "/fasilitas/lapas-lubuklinggau/daftar?q=a%00b",
        "/fasilitas/lapas%00lubuklinggau/daftar",
        "/audit?pengguna=%00",
    ] {
        let (status, body) = registrar.get(path).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}");
        assert!(body.contains("NUL"), "{path}: {body}");
    }
    let (status, body) = registrar
        .get("/fasilitas/lapas-lubuklinggau/daftar?hal=9223372036854775807")
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // A form field.
    let resp = registrar
        .post(
            "/fasilitas/lapas-lubuklinggau/daftar/baru",
            &[
                ("nama", "Bu\0di"),
                ("tanggal_lahir", "1990-08-15"),
                ("jenis_kelamin", "L"),
                ("status", "NAPI"),
            ],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    // A CSV cell: the row and the column.
    let resp = upload(
        &registrar,
        "/fasilitas/lapas-lubuklinggau/daftar/impor",
        b"nik,nama,tanggal_lahir,jenis_kelamin,status\n,An\0di,1990-01-01,L,NAPI\n",
        &[("cara", "perbarui")],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let preview = resp.text().await.unwrap();
    assert!(preview.contains(r#"data-line="2""#), "{preview}");
    assert!(preview.contains("karakter NUL"), "{preview}");
    // KPU's list.
    let kpu = app.login(Role::Kpu, Some("16"), None).await;
    let resp = upload(
        &kpu,
        "/fasilitas/lapas-lubuklinggau/rekonsiliasi",
        format!("nik,nama,tps\n{BUDI_NIK},Bu\0di,1\n").as_bytes(),
        &[],
    )
    .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.text().await.unwrap().contains("karakter NUL"));
}

#[tokio::test]
async fn a_huge_voter_name_is_refused_with_the_limit() {
    let app = TestApp::spawn_with_demo().await;
    let registrar = app
        .login(Role::Registrar, None, Some("lapas-lubuklinggau"))
        .await;
    let huge = "A".repeat(1_500_000);
    let resp = registrar
        .post(
            "/fasilitas/lapas-lubuklinggau/daftar/baru",
            &[
                ("nama", huge.as_str()),
                ("tanggal_lahir", "1990-08-15"),
                ("jenis_kelamin", "L"),
                ("status", "NAPI"),
            ],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = resp.text().await.unwrap();
    assert!(page.contains("paling banyak 200 karakter"));
    let n: i64 = sqlx::query_scalar("select count(*) from voters")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(n, 0);
}

#[tokio::test]
async fn a_double_confirm_imports_once_and_a_failed_one_stays_unconfirmed() {
    let app = TestApp::spawn_with_demo().await;
    let registrar = app
        .login(Role::Registrar, None, Some("lapas-lubuklinggau"))
        .await;
    let path = "/fasilitas/lapas-lubuklinggau/daftar/impor";
    let resp = upload(
        &registrar,
        path,
        file(&[BUDI, SITI]).as_bytes(),
        &[("cara", "perbarui")],
    )
    .await;
    let id = upload_id(&resp.text().await.unwrap());
    let confirm = format!("{path}/{id}");
    let (a, b) = tokio::join!(registrar.post(&confirm, &[]), registrar.post(&confirm, &[]));
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 400]);
    let imports: i64 =
        sqlx::query_scalar("select count(*) from audit_log where action = 'roll.import'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(imports, 1);
    let resp = registrar.post(&confirm, &[]).await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert!(resp.text().await.unwrap().contains("sudah dikonfirmasi"));
    // The file's content is gone once confirmed.
    let kept: Option<Vec<u8>> = sqlx::query_scalar("select content from roll_uploads")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(kept, None);

    // A confirm whose import is refused (the NIK went to another roll meanwhile) leaves the
    // upload unconfirmed, to be fixed and confirmed later.
    let andi = "1671010101000003,Andi Wijaya,2000-01-01,L,NAPI,DPT,Y";
    let resp = upload(
        &registrar,
        path,
        file(&[andi]).as_bytes(),
        &[("cara", "perbarui")],
    )
    .await;
    let id = upload_id(&resp.text().await.unwrap());
    seed(&app.db, "lapas-palembang", &[andi]).await;
    let resp = registrar.post(&format!("{path}/{id}"), &[]).await;
    assert!(
        resp.text()
            .await
            .unwrap()
            .contains("Tidak ada yang disimpan")
    );
    let confirmed: bool = sqlx::query_scalar(
        "select confirmed_at is not null from roll_uploads where id = $1::text::bigint",
    )
    .bind(&id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert!(!confirmed);
}

#[tokio::test]
async fn abandoned_uploads_lose_their_content_after_a_day() {
    let app = TestApp::spawn_with_demo().await;
    let registrar = app
        .login(Role::Registrar, None, Some("lapas-lubuklinggau"))
        .await;
    for _ in 0..2 {
        upload(
            &registrar,
            "/fasilitas/lapas-lubuklinggau/daftar/impor",
            file(&[BUDI]).as_bytes(),
            &[("cara", "perbarui")],
        )
        .await;
    }
    sqlx::query(
        "update roll_uploads set created_at = now() - interval '25 hours'
         where id = (select min(id) from roll_uploads)",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(rolls::purge_uploads(&app.db.pool).await.unwrap(), 1);
    let kept: Vec<bool> =
        sqlx::query_scalar("select content is not null from roll_uploads order by id")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(kept, [false, true]);
    // `loksus purge` runs the same, once more finds nothing.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_loksus"))
        .env("DATABASE_URL", crate::helpers::database_url(&app))
        .arg("purge")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "purged 0 abandoned uploads"
    );
}

#[tokio::test]
async fn two_accounts_with_one_name_at_once_get_the_forms_message() {
    let db = TestDb::new().await;
    // Another request has inserted the name and not yet committed when this one checks.
    let mut other = db.pool.begin().await.unwrap();
    sqlx::query(
        "insert into users (username, password_hash, role) values ('kembar', 'x', 'admin')",
    )
    .execute(&mut *other)
    .await
    .unwrap();
    let pool = db.pool.clone();
    let second = tokio::spawn(async move {
        users::store::create(
            &pool,
            NewUser {
                username: "kembar".into(),
                role: Role::Kpu,
                province_code: None,
                facility_code: None,
                password: "kata-sandi-uji-123".into(),
            },
            &Actor::command_line(),
        )
        .await
    });
    until_someone_waits_for_a_lock(&db).await;
    other.commit().await.unwrap();
    match second.await.unwrap() {
        Err(UserError::Invalid(m)) => assert!(m.contains("sudah dipakai"), "{m}"),
        other => panic!("expected the form's message, got {other:?}"),
    }
}

#[tokio::test]
async fn two_saves_of_one_voter_at_once_get_the_forms_message() {
    let app = TestApp::spawn_with_demo().await;
    let registrar = app
        .login(Role::Registrar, None, Some("lapas-lubuklinggau"))
        .await;
    let mut other = app.db.pool.begin().await.unwrap();
    sqlx::query(
        "insert into voters (election_id, facility_id, row_key, nik, name, birth_date, sex,
                             legal_status)
         select e.id, f.id, 'nik:1674011508900001', '1674011508900001', 'Budi Santoso',
                '1990-08-15', 'L', 'convict'
         from elections e, facilities f where f.code = 'lapas-lubuklinggau'",
    )
    .execute(&mut *other)
    .await
    .unwrap();
    let token = registrar.csrf().await;
    let client = registrar.client.clone();
    let url = registrar.url("/fasilitas/lapas-lubuklinggau/daftar/baru");
    let save = tokio::spawn(async move {
        client
            .post(url)
            .form(&[
                ("nik", BUDI_NIK),
                ("nama", "Budi Santoso"),
                ("tanggal_lahir", "1990-08-15"),
                ("jenis_kelamin", "L"),
                ("status", "NAPI"),
                ("csrf", token.as_str()),
            ])
            .send()
            .await
            .unwrap()
    });
    until_someone_waits_for_a_lock(&app.db).await;
    other.commit().await.unwrap();
    let resp = save.await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.text().await.unwrap().contains("sudah ada di daftar"));
}

#[tokio::test]
async fn a_counts_form_for_a_tps_deleted_meanwhile_answers_409() {
    let app = TestApp::spawn_with_demo().await;
    let kanwil = app.login(Role::Kanwil, Some("16"), None).await;
    let (_, page) = kanwil.get("/provinsi/16/tps").await;
    let (id, version): (i64, i32) = sqlx::query_as(
        "select s.id, s.version from stations s join facilities f on f.id = s.facility_id
         where f.code = 'lapas-lubuklinggau' and s.tps_number = 1",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert!(page.contains(&format!("dpt_{id}")));
    // Another session holds the TPS row and deletes it while this form is saved.
    let mut other = app.db.pool.begin().await.unwrap();
    sqlx::query("select 1 from stations where id = $1 for update")
        .bind(id)
        .execute(&mut *other)
        .await
        .unwrap();
    let token = kanwil.csrf().await;
    let client = kanwil.client.clone();
    let url = kanwil.url("/provinsi/16/tps");
    let fields: Vec<(String, String)> = vec![
        (format!("versi_{id}"), version.to_string()),
        (format!("asal_{id}"), "0-0-0".into()),
        (format!("dpt_{id}"), "111".into()),
        (format!("dptb_{id}"), "2".into()),
        (format!("dpk_{id}"), "3".into()),
        ("csrf".into(), token),
    ];
    let save = tokio::spawn(async move { client.post(url).form(&fields).send().await.unwrap() });
    until_someone_waits_for_a_lock(&app.db).await;
    sqlx::query("delete from stations where id = $1")
        .bind(id)
        .execute(&mut *other)
        .await
        .unwrap();
    other.commit().await.unwrap();
    let resp = save.await.unwrap();
    assert_eq!(resp.status(), StatusCode::CONFLICT);
    assert!(
        resp.text()
            .await
            .unwrap()
            .contains("Tidak ada yang disimpan")
    );
}

#[tokio::test]
async fn the_stale_form_check_holds_across_two_servers_on_one_database() {
    let app = TestApp::spawn_with_demo().await;
    let second = crate::helpers::second_server(&app).await;
    let on_a = app.login(Role::Kanwil, Some("16"), None).await;
    let on_b = Browser {
        base: second.base.clone(),
        client: on_a.client.clone(),
    };
    // The session of server A is known to server B.
    assert_eq!(on_b.get("/provinsi/16").await.0, StatusCode::OK);
    let (id, version): (i64, i32) = sqlx::query_as(
        "select s.id, s.version from stations s join facilities f on f.id = s.facility_id
         where f.code = 'lapas-lubuklinggau' and s.tps_number = 1",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let form = |dpt: &'static str| {
        vec![
            (format!("versi_{id}"), version.to_string()),
            (format!("asal_{id}"), "x".to_owned()),
            (format!("dpt_{id}"), dpt.to_owned()),
            (format!("dptb_{id}"), "0".to_owned()),
            (format!("dpk_{id}"), "0".to_owned()),
        ]
    };
    let send = |b: &Browser, fields: Vec<(String, String)>| {
        let b = Browser {
            base: b.base.clone(),
            client: b.client.clone(),
        };
        async move {
            let token = b.csrf().await;
            let mut fields = fields;
            fields.push(("csrf".into(), token));
            b.client
                .post(b.url("/provinsi/16/tps"))
                .form(&fields)
                .send()
                .await
                .unwrap()
        }
    };
    // Both read version `version`; B saves first, then A's stale form is refused.
    assert_eq!(
        send(&on_b, form("201")).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        send(&on_a, form("202")).await.status(),
        StatusCode::CONFLICT
    );
    let dpt: i32 = sqlx::query_scalar("select dpt from stations where id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(dpt, 201);
}
