//! Voter rolls: import semantics, eligibility in SQL against the pure rule, and the pages.

use loksus::domain::access::Role;
use loksus::domain::eligibility::{self, Facts, Rule};
use loksus::domain::roll_file as parse;
use loksus::rolls::import::{Mode, Options, Report, Transfers};
use reqwest::StatusCode;
use time::macros::date;

use crate::helpers::{TestApp, TestDb, csrf_in};

const HEADER: &str = "nik,nama,tanggal_lahir,jenis_kelamin,status,status_perkawinan,kode_wilayah_asal,hak_pilih_dicabut,tanggal_bebas,daftar";
const BUDI: &str = "1674011508900001,Budi Santoso,1990-08-15,L,NAPI,KAWIN,16.74.01,N,,DPTB";
const SITI: &str = "1674015203950002,Siti Aminah,12-03-1995,P,TAHANAN,BELUM KAWIN,16.74.02,N,,DPT";
const ANDI: &str = "1671010101000003,Andi Wijaya,2000-01-01,L,NAPI,,,,,";

fn file(rows: &[&str]) -> String {
    crate::helpers::roll_file(HEADER, rows)
}

fn opts() -> Options {
    Options::new(Mode::Upsert)
}

async fn import_into(db: &TestDb, facility: &str, content: &str, o: Options) -> Report {
    crate::helpers::import_roll(db, facility, content, o).await
}

async fn demo_db() -> TestDb {
    let db = TestDb::new().await;
    loksus::demo::load_archived_only(&db.pool).await.unwrap();
    db
}

async fn active(db: &TestDb, facility: &str) -> Vec<String> {
    sqlx::query_scalar(
        "select v.name from voters v join facilities f on f.id = v.facility_id
         where f.code = $1 and v.status = 'active' order by v.name",
    )
    .bind(facility)
    .fetch_all(&db.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn import_adds_then_reimport_changes_nothing() {
    let db = demo_db().await;
    let content = file(&[BUDI, SITI, ANDI]);
    let r = import_into(&db, "lapas-lubuklinggau", &content, opts()).await;
    assert!(r.written);
    assert_eq!(
        r.summary_line(),
        "inserted 3, updated 0, unchanged 0, departed 0, rejected 0, flagged 1"
    );
    let again = import_into(&db, "lapas-lubuklinggau", &content, opts()).await;
    assert_eq!(
        again.summary_line(),
        "inserted 0, updated 0, unchanged 3, departed 0, rejected 0, flagged 1"
    );
    // A changed row is an update, audited with before and after.
    let changed = file(&[&BUDI.replace("DPTB", "DPT"), SITI, ANDI]);
    let r = import_into(&db, "lapas-lubuklinggau", &changed, opts()).await;
    assert_eq!((r.updated, r.unchanged), (1, 2));
    let (before, after): (serde_json::Value, serde_json::Value) =
        sqlx::query_as("select before, after from audit_log where action = 'voter.update'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(
        (before["list"].as_str(), after["list"].as_str()),
        (Some("dptb"), Some("dpt"))
    );
}

#[tokio::test]
async fn semicolon_bom_and_crlf_files_import_like_plain_ones() {
    let db = demo_db().await;
    let content = format!(
        "\u{feff}{}",
        file(&[BUDI, SITI]).replace(',', ";").replace('\n', "\r\n")
    );
    let r = import_into(&db, "lapas-lubuklinggau", &content, opts()).await;
    assert_eq!((r.inserted, r.rejected), (2, 0), "{:?}", r.errors);
    // Tabs, quoted fields and columns in another order, upper case.
    let tabbed = "NAMA\tNIK\tSTATUS\tJENIS_KELAMIN\tTANGGAL_LAHIR\n\"Budi Santoso\"\t1674011508900001\tnapi\tl\t15/08/1990\n";
    let r = import_into(&db, "lapas-lubuklinggau", tabbed, opts()).await;
    assert_eq!(
        (r.inserted, r.updated, r.rejected),
        (0, 1, 0),
        "{:?}",
        r.errors
    );
}

#[tokio::test]
async fn one_bad_row_means_nothing_is_written_unless_asked() {
    let db = demo_db().await;
    let content = file(&[
        BUDI,
        "1674010101900009,Salah Tanggal,1990-13-01,L,NAPI,,,,,",
        SITI,
        &BUDI.replace("Budi Santoso", "Budi Kembar"),
    ]);
    let r = import_into(&db, "lapas-lubuklinggau", &content, opts()).await;
    assert!(!r.written);
    assert_eq!(r.rejected, 3);
    let msgs: Vec<(u64, &str, &str)> = r
        .errors
        .iter()
        .map(|e| (e.line, e.column, e.message.as_str()))
        .collect();
    assert_eq!(
        msgs[0],
        (
            2,
            "nik",
            "NIK 1674011508900001 muncul lebih dari sekali di berkas (juga baris 5)"
        )
    );
    assert_eq!(
        msgs[1],
        (
            3,
            "tanggal_lahir",
            "tanggal lahir \"1990-13-01\" tidak dikenali (TTTT-BB-HH, HH-BB-TTTT atau HH/BB/TTTT)"
        )
    );
    assert_eq!(msgs[2].0, 5);
    assert!(active(&db, "lapas-lubuklinggau").await.is_empty());

    let skip = Options {
        skip_invalid: true,
        ..opts()
    };
    let r = import_into(&db, "lapas-lubuklinggau", &content, skip).await;
    assert!(r.written);
    assert_eq!((r.inserted, r.rejected), (1, 3));
    assert_eq!(active(&db, "lapas-lubuklinggau").await, ["Siti Aminah"]);
}

#[tokio::test]
async fn a_dry_run_reports_and_writes_nothing() {
    let db = demo_db().await;
    let r = import_into(
        &db,
        "lapas-lubuklinggau",
        &file(&[BUDI, SITI]),
        Options {
            dry_run: true,
            ..opts()
        },
    )
    .await;
    assert_eq!(r.inserted, 2);
    assert!(!r.written);
    assert!(active(&db, "lapas-lubuklinggau").await.is_empty());
}

#[tokio::test]
async fn replace_mode_marks_absent_inmates_departed_and_keeps_them() {
    let db = demo_db().await;
    import_into(
        &db,
        "lapas-lubuklinggau",
        &file(&[BUDI, SITI, ANDI]),
        opts(),
    )
    .await;
    let r = import_into(
        &db,
        "lapas-lubuklinggau",
        &file(&[BUDI]),
        Options {
            mode: Mode::Replace,
            ..opts()
        },
    )
    .await;
    assert_eq!(
        r.summary_line(),
        "inserted 0, updated 0, unchanged 1, departed 2, rejected 0, flagged 0"
    );
    assert_eq!(active(&db, "lapas-lubuklinggau").await, ["Budi Santoso"]);
    let total: i64 = sqlx::query_scalar("select count(*) from voters")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(total, 3);
    // Coming back reactivates them.
    let r = import_into(&db, "lapas-lubuklinggau", &file(&[BUDI, SITI]), opts()).await;
    assert_eq!((r.updated, r.unchanged), (1, 1));
}

#[tokio::test]
async fn nik_on_another_roll_is_refused_or_taken_as_a_transfer() {
    let db = demo_db().await;
    import_into(&db, "lapas-palembang", &file(&[BUDI]), opts()).await;
    let r = import_into(&db, "lapas-lubuklinggau", &file(&[BUDI, SITI]), opts()).await;
    assert!(!r.written);
    assert_eq!(r.rejected, 1);
    assert!(
        r.errors[0].message.contains("Lapas Kelas I Palembang"),
        "{}",
        r.errors[0].message
    );

    let r = import_into(
        &db,
        "lapas-lubuklinggau",
        &file(&[BUDI, SITI]),
        Options {
            transfers: Transfers::Move,
            ..opts()
        },
    )
    .await;
    assert!(r.written);
    assert_eq!((r.inserted, r.transferred), (2, 1));
    assert_eq!(r.moves.len(), 1);
    assert_eq!(r.moves[0].from_code, "lapas-palembang");
    assert!(active(&db, "lapas-palembang").await.is_empty());
    let (reason, to, from): (String, String, String) = sqlx::query_as(
        "select old.departed_reason, t.code, f.code from voters old
         join voters new on new.nik = old.nik and new.status = 'active'
         join facilities f on f.id = new.transferred_from
         join facilities t on t.id = old.departed_to
         where old.status = 'departed'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(reason, "dipindahkan");
    assert_eq!(to, "lapas-lubuklinggau");
    assert_eq!(from, "lapas-palembang");
    let audited: i64 =
        sqlx::query_scalar("select count(*) from audit_log where action = 'voter.transfer_out'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn sql_eligibility_agrees_with_the_rule_for_every_reason() {
    let db = demo_db().await;
    let rows = [
        "1674011402070001,Tepat Tujuh Belas,2007-02-14,L,NAPI,,,,,",
        "1674011502070002,Kurang Sehari,2007-02-15,L,NAPI,,,,,",
        "1674010106070003,Kawin Enam Belas,2007-06-01,L,NAPI,KAWIN,,,,",
        "1674011508900004,Dicabut,1990-08-15,L,NAPI,,,Y,,",
        "1674011508900005,Bebas Hari H,1990-08-15,L,NAPI,,,,2024-02-14,",
        "1674011508900006,Bebas Sesudah,1990-08-15,L,NAPI,,,,2024-02-15,",
        ",Tanpa NIK,1990-08-15,L,NAPI,,,,,",
        "1674011608900007,NIK Tak Cocok,1990-08-15,L,NAPI,,,,,",
    ];
    let content = rows.join("\n");
    let r = import_into(
        &db,
        "lapas-lubuklinggau",
        &format!("{HEADER}\n{content}\n"),
        opts(),
    )
    .await;
    assert_eq!(r.inserted, 8, "{:?}", r.errors);
    let found: Vec<(String, Vec<String>)> = sqlx::query_as(
        "select v.name, voter_reasons(v.birth_date, v.marital_status, v.rights_revoked,
                    v.release_date, v.nik, v.nik_flag, v.home_region_code,
                    e.voting_day, e.kind, e.region_code)
         from voters v join elections e on e.id = v.election_id order by v.id",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    let expected: [&[&str]; 8] = [
        &[],
        &["under_age"],
        &[],
        &["rights_revoked"],
        &["released"],
        &[],
        &["no_valid_nik"],
        // A NIK that disagrees with the record is a warning, not an exclusion.
        &[],
    ];
    let rule = Rule {
        voting_day: date!(2024 - 02 - 14),
        pilkada_region: None,
    };
    let header = parse::Header::parse(HEADER.split(',')).unwrap();
    for ((line, (name, sql)), want) in rows.iter().zip(&found).zip(expected) {
        assert_eq!(sql, want, "{name}");
        let v = parse::parse_row(
            &header,
            &csv::StringRecord::from(line.split(',').collect::<Vec<_>>()),
            2,
            date!(2026 - 11 - 28),
        )
        .unwrap();
        let facts = Facts {
            birth_date: v.birth_date,
            marital_status: v.marital_status.as_str(),
            rights_revoked: v.rights_revoked,
            release_date: v.release_date,
            valid_nik: v.nik.is_some(),
            home_region: v.home_region_code.as_deref(),
        };
        let rust: Vec<&str> = eligibility::reasons(&facts, &rule)
            .iter()
            .map(|r| r.code())
            .collect();
        assert_eq!(rust, want, "{name}");
    }
}

#[tokio::test]
async fn registrar_imports_through_the_page_in_two_steps() {
    let app = TestApp::spawn_with_demo().await;
    let registrar = app
        .login(Role::Registrar, None, Some("lapas-lubuklinggau"))
        .await;
    let (status, page) = registrar
        .get("/fasilitas/lapas-lubuklinggau/daftar/impor")
        .await;
    assert_eq!(status, StatusCode::OK);
    let token = csrf_in(&page).unwrap_or_else(|| registrar_token(&page));
    let content = file(&[BUDI, SITI, "1674010101900009,Salah,1990-13-01,L,NAPI,,,,,"]);
    let upload = |content: String, skip: bool| {
        let mut form = reqwest::multipart::Form::new()
            .part(
                "berkas",
                reqwest::multipart::Part::bytes(content.into_bytes()).file_name("daftar.csv"),
            )
            .text("mode", "upsert");
        if skip {
            form = form.text("lewati_salah", "1");
        }
        registrar
            .client
            .post(registrar.url(&format!(
                "/fasilitas/lapas-lubuklinggau/daftar/impor?csrf={token}"
            )))
            .multipart(form)
            .send()
    };
    let resp = upload(content.clone(), false).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let preview = resp.text().await.unwrap();
    assert!(
        preview.contains("tanggal lahir &#34;1990-13-01&#34; tidak dikenali"),
        "{preview}"
    );
    assert!(!preview.contains("Konfirmasi dan simpan"));
    assert!(active(&app.db, "lapas-lubuklinggau").await.is_empty());

    let resp = upload(content, true).await.unwrap();
    let preview = resp.text().await.unwrap();
    assert!(preview.contains("Konfirmasi dan simpan"));
    let action_at = preview.find("/daftar/impor/").unwrap();
    let id: String = preview[action_at + "/daftar/impor/".len()..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let (_, rejected) = registrar
        .get(&format!(
            "/fasilitas/lapas-lubuklinggau/daftar/impor/{id}/ditolak.csv"
        ))
        .await;
    assert!(rejected.starts_with("baris,kolom,pesan"));
    let resp = registrar
        .post(
            &format!("/fasilitas/lapas-lubuklinggau/daftar/impor/{id}"),
            &[],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(
        resp.text()
            .await
            .unwrap()
            .contains("Daftar sudah diperbarui")
    );
    assert_eq!(
        active(&app.db, "lapas-lubuklinggau").await,
        ["Budi Santoso", "Siti Aminah"]
    );
    let (_, roll) = registrar.get("/fasilitas/lapas-lubuklinggau/daftar").await;
    assert!(
        roll.contains("2 WBP aktif · 2 dapat memilih (100%)"),
        "{roll}"
    );
}

fn registrar_token(page: &str) -> String {
    let at = page.find("csrf=").unwrap() + 5;
    page[at..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect()
}

#[tokio::test]
async fn roll_pages_follow_role_and_scope() {
    let app = TestApp::spawn_with_demo().await;
    import_into(&app.db, "lapas-palembang", &file(&[BUDI]), opts()).await;
    let registrar = app
        .login(Role::Registrar, None, Some("lapas-lubuklinggau"))
        .await;
    let kanwil = app.login(Role::Kanwil, Some("16"), None).await;
    let kpu = app.login(Role::Kpu, Some("16"), None).await;
    for path in [
        "/fasilitas/lapas-palembang/daftar",
        "/fasilitas/lapas-palembang/daftar/impor",
        "/fasilitas/lapas-palembang/disdukcapil",
    ] {
        assert_eq!(registrar.get(path).await.0, StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(
        kanwil.get("/fasilitas/lapas-palembang/daftar").await.0,
        StatusCode::OK
    );
    assert_eq!(
        kanwil
            .get("/fasilitas/lapas-palembang/daftar/impor")
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        kpu.get("/fasilitas/lapas-palembang/daftar").await.0,
        StatusCode::FORBIDDEN
    );
    // A registrar cannot import into another facility, even with a valid token.
    let token = registrar.csrf().await;
    let form = reqwest::multipart::Form::new().part(
        "berkas",
        reqwest::multipart::Part::bytes(file(&[SITI]).into_bytes()).file_name("d.csv"),
    );
    let resp = registrar
        .client
        .post(registrar.url(&format!(
            "/fasilitas/lapas-palembang/daftar/impor?csrf={token}"
        )))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    assert_eq!(active(&app.db, "lapas-palembang").await, ["Budi Santoso"]);
}

#[tokio::test]
async fn a_voter_named_script_is_shown_escaped() {
    let app = TestApp::spawn_with_demo().await;
    import_into(
        &app.db,
        "lapas-lubuklinggau",
        &file(&[&BUDI.replace("Budi Santoso", "<script>alert(1)</script>")]),
        opts(),
    )
    .await;
    let registrar = app
        .login(Role::Registrar, None, Some("lapas-lubuklinggau"))
        .await;
    let (_, body) = registrar.get("/fasilitas/lapas-lubuklinggau/daftar").await;
    assert!(!body.contains("<script>alert(1)</script>"));
    assert!(
        body.contains("&#60;script&#62;alert(1)&#60;/script&#62;")
            || body.contains("&lt;script&gt;")
    );
}

#[tokio::test]
async fn disdukcapil_list_holds_inmates_without_a_valid_nik() {
    let app = TestApp::spawn_with_demo().await;
    let rows = [
        BUDI,
        ",Tanpa NIK,1990-08-15,L,NAPI,,,,,",
        "1674011608900007,NIK Tak Cocok,1990-08-15,L,NAPI,,,,,",
    ];
    import_into(&app.db, "lapas-lubuklinggau", &file(&rows), opts()).await;
    let kanwil = app.login(Role::Kanwil, Some("16"), None).await;
    let (status, csv) = kanwil
        .get("/fasilitas/lapas-lubuklinggau/disdukcapil.csv")
        .await;
    assert_eq!(status, StatusCode::OK);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "nama,nik,tanggal_lahir,tempat_lahir,no_registrasi,kebutuhan,alasan"
    );
    assert_eq!(lines.len(), 3);
    // Kanwil staff read masked NIKs; the facility's registrar the full ones.
    assert!(lines[1].starts_with("NIK Tak Cocok,************0007"));
    assert!(lines[2].starts_with("Tanpa NIK,,1990-08-15"));
}

#[tokio::test]
async fn registrar_adds_edits_releases_and_transfers_a_voter() {
    let app = TestApp::spawn_with_demo().await;
    let registrar = app
        .login(Role::Registrar, None, Some("lapas-lubuklinggau"))
        .await;
    let mut fields = vec![
        ("nik", "1674011508900001"),
        ("nama", "Budi Santoso"),
        ("tanggal_lahir", "15-08-1990"),
        ("jenis_kelamin", "L"),
        ("status", "NAPI"),
        ("status_perkawinan", "KAWIN"),
        ("daftar", "DPTB"),
    ];
    // The same validation as the import: an impossible birth date is refused with its message.
    let mut bad = fields.clone();
    bad[2] = ("tanggal_lahir", "31-02-1990");
    let resp = registrar
        .post("/fasilitas/lapas-lubuklinggau/daftar/baru", &bad)
        .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.text().await.unwrap().contains("tanggal lahir"));
    assert!(active(&app.db, "lapas-lubuklinggau").await.is_empty());

    let resp = registrar
        .post("/fasilitas/lapas-lubuklinggau/daftar/baru", &fields)
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        active(&app.db, "lapas-lubuklinggau").await,
        ["Budi Santoso"]
    );
    let id: i64 = sqlx::query_scalar("select id from voters")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();

    fields[6] = ("daftar", "DPT");
    let resp = registrar
        .post(
            &format!("/fasilitas/lapas-lubuklinggau/daftar/{id}/ubah"),
            &fields,
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let list: String = sqlx::query_scalar("select list from voters where id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(list, "dpt");

    let resp = registrar
        .post(
            &format!("/fasilitas/lapas-lubuklinggau/daftar/{id}/pindah"),
            &[("tujuan", "lapas-palembang")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert!(active(&app.db, "lapas-lubuklinggau").await.is_empty());
    assert_eq!(active(&app.db, "lapas-palembang").await, ["Budi Santoso"]);
    let kanwil = app.login(Role::Kanwil, Some("16"), None).await;
    let (_, body) = kanwil.get("/fasilitas/lapas-palembang/daftar").await;
    assert!(body.contains("pindahan dari Lapas Kelas IIA Lubuklinggau"));

    // The other facility's registrar records the release.
    let other = app
        .login(Role::Registrar, None, Some("lapas-palembang"))
        .await;
    let new_id: i64 = sqlx::query_scalar("select id from voters where status = 'active'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let resp = other
        .post(
            &format!("/fasilitas/lapas-palembang/daftar/{new_id}/bebas"),
            &[("tanggal", "2024-01-10")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert!(active(&app.db, "lapas-palembang").await.is_empty());
    let actions: Vec<String> =
        sqlx::query_scalar("select action from audit_log where action like 'voter.%' order by id")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(
        actions,
        [
            "voter.create",
            "voter.update",
            "voter.transfer_out",
            "voter.transfer_in",
            "voter.release"
        ]
    );
}

/// A roll with a voter under each filter.
const MIXED: [&str; 7] = [
    BUDI,
    ANDI,
    "1674010101080004,Rudi Muda,2008-01-01,L,NAPI,BELUM KAWIN,16.74.01,N,,",
    ",Tanpa Nik,1990-01-01,L,NAPI,KAWIN,16.74.01,N,,",
    "1674011508900005,Salah Tanggal,1990-08-16,L,NAPI,KAWIN,16.74.01,N,,",
    "1674010202900006,Dicabut Hak,1990-02-02,L,NAPI,KAWIN,16.74.01,Y,,",
    "1674010303900007,Segera Bebas,1990-03-03,L,NAPI,KAWIN,16.74.01,N,2024-01-01,",
];

/// The `data-voter` ids of a roll list page and its caption.
fn listed(page: &str) -> (Vec<String>, Option<String>) {
    let ids = page
        .split("data-voter=\"")
        .skip(1)
        .map(|s| s.chars().take_while(char::is_ascii_digit).collect())
        .collect();
    let caption = page
        .split("<caption>")
        .nth(2)
        .map(|s| s.split("</caption>").next().unwrap_or_default().to_owned());
    (ids, caption)
}

#[tokio::test]
async fn old_english_filter_values_still_show_the_same_list() {
    let app = TestApp::spawn_with_demo().await;
    let report = import_into(&app.db, "lapas-lubuklinggau", &file(&MIXED), opts()).await;
    assert_eq!(report.inserted, 7, "{report:?}");
    let registrar = app
        .login(Role::Registrar, None, Some("lapas-lubuklinggau"))
        .await;
    let pairs = [
        ("under_age", "belum_17"),
        ("rights_revoked", "hak_dicabut"),
        ("released", "bebas"),
        ("no_valid_nik", "tanpa_nik_sah"),
        ("outside_region", "luar_wilayah"),
        ("no_nik", "tanpa_nik"),
        ("nik_mismatch", "nik_tidak_cocok"),
    ];
    let mut seen = 0;
    for (old, new) in pairs {
        let base = "/fasilitas/lapas-lubuklinggau/daftar?per=300&saring=";
        let (status, by_old) = registrar.get(&format!("{base}{old}")).await;
        assert_eq!(status, StatusCode::OK, "{old}");
        let (status, by_new) = registrar.get(&format!("{base}{new}")).await;
        assert_eq!(status, StatusCode::OK, "{new}");
        assert_eq!(listed(&by_old), listed(&by_new), "{old} / {new}");
        // Only a pilkada has voters outside its region.
        if new != "luar_wilayah" {
            assert!(!listed(&by_new).0.is_empty(), "{new} lists someone");
        }
        seen += listed(&by_new).0.len();
        assert!(
            by_old.contains(&format!("<option value=\"{new}\" selected>")),
            "{old} selects {new}"
        );
        assert!(
            !by_new.contains(&format!("value=\"{old}\"")),
            "{old} is not offered"
        );
    }
    assert!(seen > 0, "the demo roll has voters under some filter");
    let (status, _) = registrar
        .get("/fasilitas/lapas-lubuklinggau/daftar?saring=bukan_saringan")
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

/// Every link and form target of `page` that points into a facility.
fn facility_targets(page: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "action=\""] {
        for part in page.split(attr).skip(1) {
            let target = part.split('"').next().unwrap_or_default();
            if target.starts_with("/fasilitas/") {
                out.push(target.replace("&amp;", "&"));
            }
        }
    }
    out
}

#[tokio::test]
async fn roll_pages_keep_the_selected_election_with_two_elections() {
    let app = TestApp::spawn_with_demo().await;
    import_into(&app.db, "lapas-lubuklinggau", &file(&MIXED), opts()).await;
    // A later election becomes the default: links without `?pemilihan=` would switch to it.
    sqlx::query(
        "insert into elections (slug, name, kind, voting_day, transfer_deadline,
             detainee_transfer_deadline, max_voters_per_tps, reserve_basis_points, ballot_types)
         values ('pemilu-2029', 'Pemilihan Umum 2029', 'pemilu', '2029-02-14', '2029-01-15',
                 '2029-02-07', 300, 200, array['ppwp'])",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    import_into(&app.db, "lapas-palembang", &file(&[BUDI]), opts()).await;
    let registrar = app
        .login(Role::Registrar, None, Some("lapas-lubuklinggau"))
        .await;
    let q = "?pemilihan=pemilu-2024";
    let (_, list) = registrar
        .get(&format!("/fasilitas/lapas-lubuklinggau/daftar{q}"))
        .await;
    assert!(list.contains("Pemilihan Umum 2024"), "{list}");
    assert!(list.contains("name=\"pemilihan\" value=\"pemilu-2024\""));
    let first_voter = listed(&list).0[0].clone();
    let mut pages = vec![list];
    for rest in [
        "/daftar/impor",
        "/daftar/baru",
        &format!("/daftar/{first_voter}/ubah"),
        "/pindahan",
        "/disdukcapil",
        "/daftar?saring=keluar&hal=1",
    ] {
        let sep = if rest.contains('?') { '&' } else { '?' };
        let path = format!("/fasilitas/lapas-lubuklinggau{rest}{sep}pemilihan=pemilu-2024");
        let (status, page) = registrar.get(&path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        pages.push(page);
    }
    let targets: Vec<String> = pages.iter().flat_map(|p| facility_targets(p)).collect();
    assert!(targets.len() > 20, "{targets:?}");
    for t in &targets {
        assert!(
            t.contains("pemilihan=pemilu-2024"),
            "{t} drops the election"
        );
    }
    // A write redirects back to the same election's roll.
    let resp = registrar
        .post(
            &format!("/fasilitas/lapas-lubuklinggau/daftar/{first_voter}/bebas{q}"),
            &[("tanggal", "2024-01-02")],
        )
        .await;
    let location = resp.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(
        location,
        "/fasilitas/lapas-lubuklinggau/daftar?pemilihan=pemilu-2024"
    );
}

/// A voter's election and facility are kept by one key, to `rolls` (issue 17: one check per
/// inserted voter instead of two). Elections and facilities created in either order hold
/// rolls, a voter of a facility or election that does not exist is refused, and deleting an
/// election still deletes its voters.
#[tokio::test]
async fn every_election_and_facility_hold_a_roll_and_nothing_else_does() {
    let db = TestDb::new().await;
    let exec = |sql: &'static str| sqlx::query(sql).execute(&db.pool);
    let facility = "insert into facilities (code, name, facility_type, province_code, kabkota_code)
                    values ($1, $1, 'lapas', '16', '16.71') returning id";
    let before: i64 = sqlx::query_scalar(facility)
        .bind("lapas-dulu")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let election: i64 = sqlx::query_scalar(
        "insert into elections (slug, name, kind, voting_day, transfer_deadline,
             detainee_transfer_deadline, max_voters_per_tps, reserve_basis_points, ballot_types)
         values ('uji', 'Uji', 'pemilu', '2029-02-14', '2029-01-14', '2029-02-07', 300, 200,
                 '{ppwp}')
         returning id",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let after: i64 = sqlx::query_scalar(facility)
        .bind("lapas-kemudian")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let voter = |election: i64, facility: i64, key: &'static str| {
        sqlx::query(
            "insert into voters (election_id, facility_id, row_key, nik_flag, name, birth_date,
                                 sex, legal_status)
             values ($1, $2, $3, 'no_nik', $3, '1990-01-01', 'L', 'convict')",
        )
        .bind(election)
        .bind(facility)
        .bind(key)
        .execute(&db.pool)
    };
    voter(election, before, "a").await.unwrap();
    voter(election, after, "b").await.unwrap();
    assert!(voter(election, after + 1000, "c").await.is_err());
    assert!(voter(election + 1000, before, "d").await.is_err());
    exec("delete from elections where slug = 'uji'")
        .await
        .unwrap();
    let left: i64 = sqlx::query_scalar("select count(*) from voters")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(left, 0);
}
