//! Admission dates and pindah memilih forms (issue 14): lateness by `tanggal_masuk` (H-30, H-7
//! for a detainee; unknown without it), the form recorded on the voter form or by import, the
//! worklist `/fasilitas/{kode}/pindah-memilih` with the days left on a fixed "today", and
//! transfers arriving on no list. Demo election pemilu-2024: voting day 14 February 2024,
//! H-30 15 January 2024, H-7 7 February 2024.

use loksus::config::Config;
use loksus::domain::access::Role;
use loksus::rolls::import::{Mode, Options, Transfers};
use reqwest::StatusCode;
use time::macros::date;

use crate::helpers::{TestApp, TestDb, import_roll, roll_file, row_cells};

const LLG: &str = "/fasilitas/lapas-lubuklinggau";
const PLG: &str = "/fasilitas/lapas-palembang";
const HEADER: &str = "nik,nama,tanggal_lahir,jenis_kelamin,status,daftar,tanggal_masuk";
const FORM_HEADER: &str =
    "nik,nama,tanggal_lahir,jenis_kelamin,status,daftar,asal_tps,asal_desa,tanggal_formulir";

/// Men born 15 August 1990 (NIK date 150890), serial `n`.
fn nik(n: u32) -> String {
    format!("167401150890{n:04}")
}

async fn import(db: &TestDb, facility: &str, header: &str, rows: &[String], opts: Options) {
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    let report = import_roll(db, facility, &roll_file(header, &rows), opts).await;
    assert!(report.written, "{:?}", report.errors);
}

fn upsert() -> Options {
    Options::new(Mode::Upsert)
}

/// `late` of the voter with `nik` (None: unknown).
async fn late(db: &TestDb, nik: &str) -> Option<bool> {
    sqlx::query_scalar("select late from voters_with_reasons where nik = $1 and status = 'active'")
        .bind(nik)
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

/// The voter with `nik` active at `facility`: id, list, form origin TPS.
async fn voter(db: &TestDb, facility: &str, nik: &str) -> (i64, Option<String>, Option<String>) {
    sqlx::query_as(
        "select v.id, v.list, v.form_origin_tps from voters v
         join facilities f on f.id = v.facility_id
         where f.code = $1 and v.nik = $2 and v.status = 'active'",
    )
    .bind(facility)
    .bind(nik)
    .fetch_one(&db.pool)
    .await
    .unwrap()
}

/// The worklist's count `key` (`dptb`, `belum`, `lewat`, `tanpa_tanggal_masuk`, `keluar`).
fn count(page: &str, key: &str) -> String {
    row_cells(page, &format!(r#"data-count="{key}""#))[1].clone()
}

/// The worklist's row of voter `id` (`[]` when absent).
fn listed(page: &str, id: i64) -> Vec<String> {
    let marker = format!(r#"data-voter="{id}""#);
    if page.contains(&marker) {
        row_cells(page, &marker)
    } else {
        Vec::new()
    }
}

#[tokio::test]
async fn admission_after_h30_or_h7_for_a_detainee_is_late_and_without_it_unknown() {
    let app = TestApp::spawn_with_demo().await;
    let rows = [
        format!("{},Napi Tepat H30,1990-08-15,L,NAPI,,2024-01-15", nik(1)),
        format!("{},Napi Sehari Lewat,1990-08-15,L,NAPI,,16-01-2024", nik(2)),
        format!(
            "{},Tahanan Sebelum H7,1990-08-15,L,TAHANAN,,2024-01-16",
            nik(3)
        ),
        format!(
            "{},Tahanan Tepat H7,1990-08-15,L,TAHANAN,,07/02/2024",
            nik(4)
        ),
        format!(
            "{},Tahanan Lewat H7,1990-08-15,L,TAHANAN,,2024-02-08",
            nik(5)
        ),
        format!("{},Tanpa Tanggal,1990-08-15,L,NAPI,,", nik(6)),
    ];
    import(&app.db, "lapas-lubuklinggau", HEADER, &rows, upsert()).await;
    let expected = [
        Some(false),
        Some(true),
        Some(false),
        Some(false),
        Some(true),
        None,
    ];
    for (n, want) in (1..=6).zip(expected) {
        assert_eq!(late(&app.db, &nik(n)).await, want, "voter {n}");
    }
    let kanwil = app.login(Role::Kanwil, Some("16"), None).await;
    let (_, page) = kanwil.get(&format!("{LLG}/daftar")).await;
    assert_eq!(row_cells(&page, r#"data-filter="terlambat""#)[1], "2");
    assert_eq!(
        row_cells(&page, r#"data-filter="tanpa_tanggal_masuk""#),
        ["Tanggal masuk belum diisi", "1"]
    );
    let (_, page) = kanwil
        .get(&format!("{LLG}/daftar?saring=tanpa_tanggal_masuk"))
        .await;
    assert!(page.contains("Tanpa Tanggal") && !page.contains("Napi Tepat H30"));

    // A file of the old shape still imports, and keeps the recorded admission dates.
    let old = [format!("{},Napi Sehari Lewat,1990-08-15,L,NAPI", nik(2))];
    import(
        &app.db,
        "lapas-lubuklinggau",
        "nik,nama,tanggal_lahir,jenis_kelamin,status",
        &old,
        upsert(),
    )
    .await;
    assert_eq!(late(&app.db, &nik(2)).await, Some(true));
}

#[tokio::test]
async fn unreadable_or_future_admission_dates_are_refused_with_row_and_column() {
    let db = TestDb::new().await;
    loksus::demo::load_archived_only(&db.pool).await.unwrap();
    let rows = [
        format!("{},Ani,1990-08-15,L,NAPI,,2024-13-01", nik(1)),
        // The import is judged on 28 November 2026.
        format!("{},Budi,1990-08-15,L,NAPI,,2026-11-29", nik(2)),
        format!("{},Cici,1990-08-15,L,NAPI,,2026-11-28", nik(3)),
    ];
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    let r = import_roll(
        &db,
        "lapas-lubuklinggau",
        &roll_file(HEADER, &rows),
        upsert(),
    )
    .await;
    assert!(!r.written);
    let errors: Vec<(u64, &str, &str)> = r
        .errors
        .iter()
        .map(|e| (e.line, e.column, e.message.as_str()))
        .collect();
    assert_eq!(
        errors,
        [
            (
                2,
                "tanggal_masuk",
                "tanggal masuk \"2024-13-01\" tidak dikenali (TTTT-BB-HH, HH-BB-TTTT atau HH/BB/TTTT)"
            ),
            (3, "tanggal_masuk", "tanggal masuk ada di masa depan"),
        ]
    );
}

#[tokio::test]
async fn a_dptb_voter_leaves_the_worklist_once_the_voter_form_records_the_form() {
    let app = TestApp::spawn_with_demo().await;
    let registrar = app
        .login(Role::Registrar, None, Some("lapas-lubuklinggau"))
        .await;
    let nik1 = nik(1);
    let mut fields = vec![
        ("nik", nik1.as_str()),
        ("nama", "Budi Santoso"),
        ("tanggal_lahir", "1990-08-15"),
        ("jenis_kelamin", "L"),
        ("status", "TAHANAN"),
        ("daftar", "DPTB"),
        ("tanggal_masuk", "2024-01-20"),
    ];
    let resp = registrar.post(&format!("{LLG}/daftar/baru"), &fields).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (id, list, form) = voter(&app.db, "lapas-lubuklinggau", &nik1).await;
    assert_eq!((list.as_deref(), form), (Some("dptb"), None));
    // Admitted 20 January: after H-30, before H-7, and a detainee.
    assert_eq!(late(&app.db, &nik1).await, Some(false));

    let (status, page) = registrar.get(&format!("{LLG}/pindah-memilih")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(count(&page, "dptb"), "1");
    let row = listed(&page, id);
    assert_eq!(row[0], "Budi Santoso");
    assert_eq!(row[3], "20 Januari 2024");
    assert_eq!(row[4], "H-7, 7 Februari 2024");
    assert!(page.contains(&format!(
        r#"href="{LLG}/daftar/{id}/ubah?pemilihan=pemilu-2024""#
    )));

    // A reason without the origin TPS, an unknown reason, a desa the reference lacks.
    let edit = format!("{LLG}/daftar/{id}/ubah");
    let mut bad = fields.clone();
    bad.push(("alasan_pindah", "tahanan"));
    let resp = registrar.post(&edit, &bad).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.text().await.unwrap().contains("asal TPS wajib diisi"));
    let mut bad = fields.clone();
    bad.extend([("asal_tps", "5"), ("alasan_pindah", "detention")]);
    let resp = registrar.post(&edit, &bad).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.text().await.unwrap().contains("alasan pindah memilih"));
    let mut bad = fields.clone();
    bad.extend([("asal_tps", "5"), ("asal_desa", "16.71.01.9999")]);
    let resp = registrar.post(&edit, &bad).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = resp.text().await.unwrap();
    assert!(
        body.contains("asal_desa: Kode wilayah 16.71.01.9999 tidak dikenal"),
        "{body}"
    );
    assert_eq!(voter(&app.db, "lapas-lubuklinggau", &nik1).await.2, None);

    fields.extend([
        ("asal_tps", "005"),
        ("asal_desa", "1671011001"),
        ("tanggal_formulir", "2024-02-01"),
        ("alasan_pindah", "tahanan"),
    ]);
    let resp = registrar.post(&edit, &fields).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let stored: (String, String, time::Date, String) = sqlx::query_as(
        "select form_origin_tps, form_origin_desa, form_date, form_reason from voters where id = $1",
    )
    .bind(id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(
        stored,
        (
            "005".into(),
            "16.71.01.1001".into(),
            date!(2024 - 02 - 01),
            "detention".into()
        )
    );
    let audited: i64 = sqlx::query_scalar(
        "select count(*) from audit_log where action = 'voter.update'
         and after->>'form_reason' = 'detention'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(audited, 1);
    let (_, page) = registrar.get(&format!("{LLG}/pindah-memilih")).await;
    assert_eq!(count(&page, "dptb"), "0");
    assert!(listed(&page, id).is_empty());
    // The form shows what was recorded.
    let (_, form) = registrar.get(&edit).await;
    assert!(form.contains(r#"name="asal_tps" value="005""#));
    assert!(form.contains(r#"<option value="tahanan" selected>"#));
}

#[tokio::test]
async fn import_columns_record_the_form_and_an_older_file_keeps_it() {
    let db = TestDb::new().await;
    loksus::demo::load_archived_only(&db.pool).await.unwrap();
    let without = [format!("{},Budi,1990-08-15,L,NAPI,DPTB,,,", nik(1))];
    import(&db, "lapas-lubuklinggau", FORM_HEADER, &without, upsert()).await;
    assert_eq!(voter(&db, "lapas-lubuklinggau", &nik(1)).await.2, None);

    // An origin desa the reference lacks: row and column, nothing written.
    let bad = format!("{},Budi,1990-08-15,L,NAPI,DPTB,5,16.71.01.9999,", nik(1));
    let r = import_roll(
        &db,
        "lapas-lubuklinggau",
        &roll_file(FORM_HEADER, &[&bad]),
        upsert(),
    )
    .await;
    assert!(!r.written);
    assert_eq!((r.errors[0].line, r.errors[0].column), (2, "asal_desa"));
    assert!(
        r.errors[0].message.contains("16.71.01.9999"),
        "{}",
        r.errors[0].message
    );

    let with = [format!(
        "{},Budi,1990-08-15,L,NAPI,DPTB,12,16.71.01.1001,10-01-2024",
        nik(1)
    )];
    import(&db, "lapas-lubuklinggau", FORM_HEADER, &with, upsert()).await;
    let (_, _, form) = voter(&db, "lapas-lubuklinggau", &nik(1)).await;
    assert_eq!(form.as_deref(), Some("12"));
    // A file without the form columns (an SDP export, say) does not erase the form.
    let old = [format!("{},Budi,1990-08-15,L,NAPI,DPTB,", nik(1))];
    import(&db, "lapas-lubuklinggau", HEADER, &old, upsert()).await;
    let (_, _, form) = voter(&db, "lapas-lubuklinggau", &nik(1)).await;
    assert_eq!(form.as_deref(), Some("12"));
}

#[tokio::test]
async fn the_worklist_counts_days_left_from_today_and_names_the_dpk_rule() {
    let app = TestApp::spawn_with_config(Config {
        today: Some(date!(2024 - 01 - 18)),
        ..Config::default()
    })
    .await;
    let rows = [
        format!("{},Napi DPTb,1990-08-15,L,NAPI,DPTB,2023-12-01", nik(1)),
        format!("{},Tahanan Baru,1990-08-15,L,TAHANAN,,2024-01-16", nik(2)),
        format!("{},Napi Tanpa Tanggal,1990-08-15,L,NAPI,,", nik(3)),
        format!("{},Napi DPT,1990-08-15,L,NAPI,DPT,2023-06-01", nik(4)),
    ];
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    let report = loksus::rolls::import::import(
        &app.db.pool,
        &loksus::read::places::facility(&app.db.pool, "lapas-lubuklinggau", None)
            .await
            .unwrap()
            .unwrap(),
        roll_file(HEADER, &rows).as_bytes(),
        upsert(),
        &loksus::db::audit::Actor::command_line(),
        date!(2024 - 01 - 18),
    )
    .await
    .unwrap();
    assert!(report.written, "{:?}", report.errors);
    let kanwil = app.login(Role::Kanwil, Some("16"), None).await;
    let (_, page) = kanwil.get(&format!("{LLG}/pindah-memilih")).await;
    assert_eq!(count(&page, "dptb"), "1");
    assert_eq!(count(&page, "belum"), "2");
    assert_eq!(count(&page, "tanpa_tanggal_masuk"), "1");
    // H-30 (15 January) passed 3 days ago for the convicts; a detainee has until H-7.
    assert_eq!(count(&page, "lewat"), "2");
    let mut ids = Vec::new();
    for n in 1..=4 {
        ids.push(voter(&app.db, "lapas-lubuklinggau", &nik(n)).await.0);
    }
    let napi = listed(&page, ids[0]);
    assert_eq!(
        &napi[4..6],
        ["H-30, 15 Januari 2024", "lewat 3 hari: hanya DPK"]
    );
    let tahanan = listed(&page, ids[1]);
    assert_eq!(
        &tahanan[3..6],
        ["16 Januari 2024", "H-7, 7 Februari 2024", "20 hari lagi"]
    );
    assert_eq!(listed(&page, ids[2])[3], "belum diisi");
    assert!(
        listed(&page, ids[3]).is_empty(),
        "a DPT voter needs no form"
    );
    assert!(page.contains("memilih di TPS Loksus (jam terakhir"));
    // A kanwil reads the list but records nothing here.
    assert!(!page.contains("Catat formulir"));

    sqlx::query("update elections set dpk_at_loksus = false")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let (_, page) = kanwil.get(&format!("{LLG}/pindah-memilih")).await;
    assert!(
        page.contains("pemilih DPK tidak memilih di TPS Loksus"),
        "{page}"
    );
}

#[tokio::test]
async fn a_voter_transferred_by_hand_arrives_on_no_list_and_both_worklists_show_it() {
    let app = TestApp::spawn_with_demo().await;
    let rows = [format!(
        "{},Budi Santoso,1990-08-15,L,NAPI,DPTB,9,16.71.01.1001,2023-12-01",
        nik(1)
    )];
    import(&app.db, "lapas-lubuklinggau", FORM_HEADER, &rows, upsert()).await;
    let (id, _, _) = voter(&app.db, "lapas-lubuklinggau", &nik(1)).await;
    let registrar = app
        .login(Role::Registrar, None, Some("lapas-lubuklinggau"))
        .await;
    let resp = registrar
        .post(
            &format!("{LLG}/daftar/{id}/pindah"),
            &[("tujuan", "lapas-palembang")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    // The form moved them to Lubuklinggau's TPS, not Palembang's.
    let (arrived, list, form) = voter(&app.db, "lapas-palembang", &nik(1)).await;
    assert_eq!((list, form), (None, None));

    let kanwil = app.login(Role::Kanwil, Some("16"), None).await;
    let (_, page) = kanwil.get(&format!("{PLG}/pindah-memilih")).await;
    assert_eq!(count(&page, "belum"), "1");
    let row = listed(&page, arrived);
    assert_eq!(
        row[0],
        "Budi Santoso pindahan dari Lapas Kelas IIA Lubuklinggau"
    );
    // The origin: departed to Palembang, still on Lubuklinggau's DPTb (where they are held
    // now is named only within the reader's scope).
    let (_, page) = kanwil.get(&format!("{LLG}/pindah-memilih")).await;
    assert_eq!(count(&page, "keluar"), "1");
    assert_eq!(&listed(&page, id)[2..], ["Lapas Kelas I Palembang", "DPTb"]);
    let (_, page) = registrar.get(&format!("{LLG}/pindah-memilih")).await;
    assert_eq!(&listed(&page, id)[2..], ["fasilitas lain", "DPTb"]);
}

#[tokio::test]
async fn transfers_by_import_keep_the_list_only_for_dptb_with_a_form() {
    let app = TestApp::spawn_with_demo().await;
    let db = &app.db;
    let at_origin = [
        format!("{},Budi,1990-08-15,L,NAPI,DPT,,,", nik(1)),
        format!("{},Joko,1990-08-15,L,NAPI,DPT,,,", nik(2)),
        format!("{},Agus,1990-08-15,L,NAPI,DPT,,,", nik(3)),
    ];
    import(db, "lapas-palembang", FORM_HEADER, &at_origin, upsert()).await;
    let arriving = [
        // The destination's file still says DPT: that is Palembang's registration.
        format!("{},Budi,1990-08-15,L,NAPI,DPT,,,", nik(1)),
        // DPTB with a pindah memilih form for Lubuklinggau.
        format!(
            "{},Joko,1990-08-15,L,NAPI,DPTB,3,16.73.01.1001,2024-01-10",
            nik(2)
        ),
    ];
    let moving = Options {
        transfers: Transfers::Move,
        ..upsert()
    };
    import(db, "lapas-lubuklinggau", FORM_HEADER, &arriving, moving).await;
    let budi = voter(db, "lapas-lubuklinggau", &nik(1)).await;
    assert_eq!((budi.1, budi.2), (None, None));
    let joko = voter(db, "lapas-lubuklinggau", &nik(2)).await;
    assert_eq!(
        (joko.1.as_deref(), joko.2.as_deref()),
        (Some("dptb"), Some("3"))
    );

    // A pending arrival, confirmed by the origin: the same rule.
    let pending = Options {
        transfers: Transfers::Request,
        ..upsert()
    };
    let agus = [format!("{},Agus,1990-08-15,L,NAPI,DPT,,,", nik(3))];
    import(db, "lapas-lubuklinggau", FORM_HEADER, &agus, pending).await;
    let transfer: i64 = sqlx::query_scalar("select id from transfers where status = 'pending'")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let origin = app
        .login(Role::Registrar, None, Some("lapas-palembang"))
        .await;
    let resp = origin
        .post(&format!("{PLG}/pindahan/{transfer}/konfirmasi"), &[])
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (agus_id, list, _) = voter(db, "lapas-lubuklinggau", &nik(3)).await;
    assert_eq!(list, None);
    let registrar = app
        .login(Role::Registrar, None, Some("lapas-lubuklinggau"))
        .await;
    let (_, page) = registrar.get(&format!("{LLG}/pindah-memilih")).await;
    assert_eq!(count(&page, "belum"), "2", "Budi and Agus need a form");
    // The origin lies outside this registrar's scope: it is not named.
    assert_eq!(
        listed(&page, agus_id)[0],
        "Agus pindahan dari fasilitas lain"
    );
}
