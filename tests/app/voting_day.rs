//! Voting day (issue 15): turnout per TPS and its history, ballot accounting and the balance
//! flag on every report above a TPS, the day's panel and its 60-second refresh, the press
//! sentence after voting day, and the command line's turnout and ballot-account files. The
//! demo election's voting day is 14 February 2024; each test sets "today" through the
//! configuration. Every expected figure is computed by hand in the comments.

use std::process::Output;

use loksus::Config;
use loksus::domain::access::Role;
use reqwest::StatusCode;
use time::Date;
use time::macros::date;

use crate::helpers::{Browser, TestApp, loksus, row_cells};

const VOTING_DAY: Date = date!(2024 - 02 - 14);
const LLG: &str = "/fasilitas/lapas-lubuklinggau";

async fn on(today: Date) -> TestApp {
    TestApp::spawn_with_config(Config {
        today: Some(today),
        ..Config::default()
    })
    .await
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// Writes `content` to a file of its own and runs `loksus <args> FILE --election pemilu-2024`.
fn import(app: &TestApp, args: &[&str], content: &str) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("berkas.csv");
    std::fs::write(&path, content).unwrap();
    let mut all = args.to_vec();
    all.extend([path.to_str().unwrap(), "--election", "pemilu-2024"]);
    loksus(app, &all)
}

async fn exec(app: &TestApp, sql: &str) {
    sqlx::query(sql).execute(&app.db.pool).await.unwrap();
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

/// Lapas Lubuklinggau's TPS 1 and 2 with official counts 150 / 20 / 5 and 120 / 0 / 0.
async fn lubuklinggau_counts(app: &TestApp) {
    exec(
        app,
        "update stations s set dpt = c.dpt, dptb = c.dptb, dpk = c.dpk
         from (values (1, 150, 20, 5), (2, 120, 0, 0)) as c (n, dpt, dptb, dpk),
              facilities f
         where f.id = s.facility_id and f.code = 'lapas-lubuklinggau' and s.tps_number = c.n",
    )
    .await;
}

async fn report(who: &Browser, tps: i32, v: [&str; 5]) -> reqwest::Response {
    who.post(
        &format!("{LLG}/tps/{tps}/kehadiran"),
        &[
            ("memilih_dpt", v[0]),
            ("memilih_dptb", v[1]),
            ("memilih_dpk", v[2]),
            ("laki_laki", v[3]),
            ("perempuan", v[4]),
        ],
    )
    .await
}

#[tokio::test]
async fn turnout_above_a_list_or_with_sexes_not_adding_up_is_refused_and_changes_nothing() {
    let app = on(VOTING_DAY).await;
    lubuklinggau_counts(&app).await;
    let registrar = app
        .login(Role::Registrar, None, Some("lapas-lubuklinggau"))
        .await;
    // 151 voted from a DPT of 150.
    let resp = report(&registrar, 1, ["151", "20", "5", "170", "6"]).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = resp.text().await.unwrap();
    assert!(
        page.contains("Pemilih DPT yang memilih (151) melebihi DPT resmi TPS ini (150)."),
        "{page}"
    );
    // DPTb 21 of 20 and DPK 6 of 5.
    let resp = report(&registrar, 1, ["100", "21", "6", "120", "7"]).await;
    let page = resp.text().await.unwrap();
    assert!(page.contains("Pemilih DPTb yang memilih (21) melebihi DPTb resmi TPS ini (20)."));
    assert!(page.contains("Pemilih DPK yang memilih (6) melebihi DPK resmi TPS ini (5)."));
    // 140 + 18 + 4 = 162 voted, but 150 men + 11 women = 161.
    let resp = report(&registrar, 1, ["140", "18", "4", "150", "11"]).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = resp.text().await.unwrap();
    assert!(page.contains(
        "Laki-laki (150) + perempuan (11) = 161, tidak sama dengan jumlah yang memilih \
         (DPT + DPTb + DPK = 162)."
    ));
    assert_eq!(count(&app, "select count(*) from turnout_reports").await, 0);
    assert_eq!(
        count(
            &app,
            "select count(*) from audit_log where action = 'turnout.report'"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn the_latest_of_two_saves_counts_and_both_stay_in_the_history() {
    let app = on(VOTING_DAY).await;
    lubuklinggau_counts(&app).await;
    let registrar = app
        .login(Role::Registrar, None, Some("lapas-lubuklinggau"))
        .await;
    let kanwil = app.login(Role::Kanwil, Some("16"), None).await;
    // 10.00: 90 + 10 + 0 = 100 voted; later 140 + 18 + 4 = 162 (150 men, 12 women).
    let resp = report(&registrar, 1, ["90", "10", "0", "95", "5"]).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        resp.headers()["location"],
        "/fasilitas/lapas-lubuklinggau/tps/1?pemilihan=pemilu-2024#kehadiran"
    );
    let resp = report(&kanwil, 1, ["140", "18", "4", "150", "12"]).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);

    let (_, page) = registrar.get(&format!("{LLG}/tps/1")).await;
    // 162 of 150 + 20 + 5 = 175 voted: 92.57% → 93%.
    assert!(
        page.contains("162 dari 175 pemilih sudah memilih (93%)"),
        "{page}"
    );
    let newest = row_cells(&page, r#"data-laporan="1""#);
    assert_eq!(newest[2..], ["140", "18", "4", "150", "12", "162", "93%"]);
    assert!(newest[1].starts_with("kanwil-"), "{newest:?}");
    let oldest = row_cells(&page, r#"data-laporan="2""#);
    assert_eq!(oldest[2..], ["90", "10", "0", "95", "5", "100", "57%"]);
    assert!(oldest[1].starts_with("registrar-"));
    assert!(!page.contains(r#"data-laporan="3""#));
    // The form offers the latest figures again.
    assert!(page.contains(r#"name="memilih_dpt" value="140""#));
    assert_eq!(count(&app, "select count(*) from turnout_reports").await, 2);
    assert_eq!(
        count(
            &app,
            "select count(*) from audit_log where action = 'turnout.report'"
        )
        .await,
        2
    );

    // The dashboard counts the latest report only, of one of Sumatera Selatan's 51 TPS.
    let (_, page) = kanwil.get("/").await;
    assert!(page.contains(r#"<meta http-equiv="refresh" content="60">"#));
    let row = row_cells(&page, r#"data-day-province="16""#);
    assert_eq!(row[1], "162");
    assert_eq!(row[4], "1 dari 51");
}

/// TPS 1 balanced, TPS 2 not (see the comments), recorded on the TPS pages.
async fn account_two_tps(app: &TestApp) -> Browser {
    lubuklinggau_counts(app).await;
    let registrar = app
        .login(Role::Registrar, None, Some("lapas-lubuklinggau"))
        .await;
    // TPS 1: 140 + 18 + 4 = 162 voted.
    report(&registrar, 1, ["140", "18", "4", "150", "12"]).await;
    // PPWP: 180 = 162 + 2 + 16 and used = the 162 who voted; the others used between the
    // 140 DPT voters and the 162: DPR 150 + 0 + 30, DPD 160 + 1 + 19, DPRD Provinsi
    // 140 + 0 + 40, DPRD Kab/Kota 145 + 0 + 35, each = 180 received.
    let mut fields = Vec::new();
    for (t, used, damaged, unused) in [
        ("ppwp", "162", "2", "16"),
        ("dpr", "150", "0", "30"),
        ("dpd", "160", "1", "19"),
        ("dprd_prov", "140", "0", "40"),
        ("dprd_kabkota", "145", "0", "35"),
    ] {
        fields.push((format!("diterima_{t}"), "180"));
        fields.push((format!("digunakan_{t}"), used));
        fields.push((format!("rusak_{t}"), damaged));
        fields.push((format!("sisa_{t}"), unused));
    }
    let form: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let resp = registrar
        .post(&format!("{LLG}/tps/1/penghitungan"), &form)
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    // TPS 2: 100 voted, but only 99 PPWP ballots used (110 = 99 + 0 + 11).
    report(&registrar, 2, ["100", "0", "0", "90", "10"]).await;
    let mut fields = Vec::new();
    for t in ["ppwp", "dpr", "dpd", "dprd_prov", "dprd_kabkota"] {
        let used = if t == "ppwp" { "99" } else { "100" };
        let unused = if t == "ppwp" { "11" } else { "10" };
        fields.push((format!("diterima_{t}"), "110"));
        fields.push((format!("digunakan_{t}"), used));
        fields.push((format!("rusak_{t}"), "0"));
        fields.push((format!("sisa_{t}"), unused));
    }
    let form: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let resp = registrar
        .post(&format!("{LLG}/tps/2/penghitungan"), &form)
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    registrar
}

#[tokio::test]
async fn a_balanced_and_an_unbalanced_tps_are_told_apart_and_flagged_on_every_report_above() {
    let app = on(VOTING_DAY).await;
    let registrar = account_two_tps(&app).await;
    let (_, page) = registrar.get(&format!("{LLG}/tps/1")).await;
    assert!(page.contains(r#"data-seimbang="ya""#), "{page}");
    assert!(!page.contains("tidak seimbang:"));
    let (_, page) = registrar.get(&format!("{LLG}/tps/2")).await;
    assert!(page.contains(r#"data-seimbang="tidak""#));
    assert!(page.contains(
        "PPWP: digunakan 99, tetapi yang memilih 100: harus sama, karena setiap pemilih \
         menerima surat suara ini."
    ));
    assert_eq!(
        count(
            &app,
            "select count(*) from station_voting_day where balance = 'unbalanced'"
        )
        .await,
        1
    );

    let kanwil = app.login(Role::Kanwil, Some("16"), None).await;
    let (_, page) = kanwil.get(LLG).await;
    // TPS 1: 162 of 175 (93%); TPS 2: 100 of 120 (83%), not balanced.
    assert_eq!(
        row_cells(&page, r#"data-day-tps="1""#)[1..],
        ["162", "175", "93%", "1 dari 1", "0", "0"]
    );
    assert_eq!(
        row_cells(&page, r#"data-day-tps="2""#)[1..],
        ["100", "120", "83%", "1 dari 1", "1 tidak seimbang", "0"]
    );
    assert!(page.contains(r#"data-day="tidak-seimbang">1<"#));
    let (_, page) = kanwil.get("/provinsi/16").await;
    let row = row_cells(&page, r#"data-day-facility="lapas-lubuklinggau""#);
    assert_eq!(row[1], "262", "162 + 100 voted");
    assert_eq!(row[4..], ["2 dari 4", "1 tidak seimbang", "0"]);
    assert_eq!(
        row_cells(&page, r#"data-day-facility="lapas-palembang""#)[5],
        "0"
    );
    let (_, page) = kanwil.get("/").await;
    assert_eq!(
        row_cells(&page, r#"data-day-province="16""#)[5],
        "1 tidak seimbang"
    );

    // Correcting TPS 2's PPWP (100 used, 10 unused) balances it: nothing is flagged.
    let resp = registrar
        .post(
            &format!("{LLG}/tps/2/penghitungan"),
            &[
                ("diterima_ppwp", "110"),
                ("digunakan_ppwp", "100"),
                ("rusak_ppwp", "0"),
                ("sisa_ppwp", "10"),
            ],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (_, page) = kanwil.get("/").await;
    assert_eq!(row_cells(&page, r#"data-day-province="16""#)[5], "0");
    // 5 + 5 accounts, then the one corrected: the unchanged four were not recorded again.
    assert_eq!(
        count(&app, "select count(*) from ballot_accounts").await,
        11
    );
}

#[tokio::test]
async fn the_province_totals_follow_a_tps_deleted_after_it_reported() {
    let app = on(VOTING_DAY).await;
    account_two_tps(&app).await;
    let admin = app.admin().await;
    let (_, page) = admin.get("/").await;
    let row = row_cells(&page, r#"data-day-province="16""#);
    assert_eq!((row[1].as_str(), row[4].as_str()), ("262", "2 dari 51"));
    assert_eq!(row[5], "1 tidak seimbang");
    // TPS 2 (100 voted, not balanced) is deleted: the province keeps TPS 1's 162.
    exec(
        &app,
        "delete from stations s using facilities f
         where f.id = s.facility_id and f.code = 'lapas-lubuklinggau' and s.tps_number = 2",
    )
    .await;
    let (_, page) = admin.get("/").await;
    let row = row_cells(&page, r#"data-day-province="16""#);
    assert_eq!(
        [&row[1], &row[4], &row[5], &row[6]],
        ["162", "1 dari 50", "0", "0"]
    );
}

#[tokio::test]
async fn simultaneous_saves_across_a_province_are_all_counted() {
    let app = on(VOTING_DAY).await;
    let kanwil = app.login(Role::Kanwil, Some("16"), None).await;
    let token = kanwil.csrf().await;
    let tps: Vec<(String, i32)> = sqlx::query_as(
        "select f.code, s.tps_number from stations s join facilities f on f.id = s.facility_id
         where f.province_code = '16' and s.dpt > 0",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    // Every TPS of Sumatera Selatan reports one DPT voter, all at once.
    let mut saves = tokio::task::JoinSet::new();
    for (code, n) in &tps {
        let request = kanwil
            .client
            .post(kanwil.url(&format!("/fasilitas/{code}/tps/{n}/kehadiran")))
            .form(&[
                ("memilih_dpt", "1"),
                ("memilih_dptb", "0"),
                ("memilih_dpk", "0"),
                ("laki_laki", "1"),
                ("perempuan", "0"),
                ("csrf", &token),
            ]);
        saves.spawn(async move { request.send().await.unwrap().status() });
    }
    while let Some(status) = saves.join_next().await {
        assert_eq!(status.unwrap(), StatusCode::SEE_OTHER);
    }
    let n = tps.len().to_string();
    let (_, page) = kanwil.get("/").await;
    let row = row_cells(&page, r#"data-day-province="16""#);
    assert_eq!(
        (row[1].as_str(), row[4].as_str()),
        (n.as_str(), "51 dari 51")
    );
}

#[tokio::test]
async fn the_day_panel_leads_from_voting_day_refreshes_only_that_day_and_shows_emergencies() {
    // The day before: no panel, no refresh.
    let app = on(date!(2024 - 02 - 13)).await;
    let admin = app.admin().await;
    let (_, page) = admin.get("/").await;
    assert!(!page.contains("hari-pemungutan"));
    assert!(!page.contains("http-equiv"));
    drop(app);

    let app = on(VOTING_DAY).await;
    exec(
        &app,
        "insert into incidents (election_id, facility_id, category, severity, status,
                                occurred_at, description, actor)
         select e.id, f.id, c.category, c.severity, c.status, now(), c.description, 'uji'
         from elections e, facilities f,
              (values ('disaster', 'emergency', 'open', 'Banjir di blok C'),
                      ('security', 'attention', 'handling', 'Keributan kecil'),
                      ('security', 'emergency', 'closed', 'Sudah selesai')) as c
                  (category, severity, status, description)
         where f.code = 'lapas-palembang'",
    )
    .await;
    let admin = app.admin().await;
    for path in ["/", "/provinsi/16", "/fasilitas/lapas-palembang"] {
        let (_, page) = admin.get(path).await;
        assert!(
            page.contains(r#"<meta http-equiv="refresh" content="60">"#),
            "{path}"
        );
        assert!(
            page.contains("Hari pemungutan suara · 14 Februari 2024"),
            "{path}"
        );
        // The open emergency, at once, linking to the facility's incident log; the closed
        // one is gone; two incidents are not closed.
        assert!(
            page.contains(
                r#"<a href="/fasilitas/lapas-palembang/insiden?pemilihan=pemilu-2024">Lapas Kelas I Palembang</a>: Banjir di blok C"#
            ),
            "{path}"
        );
        assert!(!page.contains("Sudah selesai"), "{path}");
        assert!(page.contains(r#"data-day="insiden">2<"#), "{path}");
    }
    // Other provinces' users do not see it.
    let kanwil31 = app.login(Role::Kanwil, Some("31"), None).await;
    let (_, page) = kanwil31.get("/").await;
    assert!(!page.contains("Banjir di blok C"));
    assert!(page.contains(r#"data-day="insiden">0<"#));
}

/// Turnout for Bangka Belitung's five TPS (each 192 / 55 / 32, so 279 with the vote):
/// 260 + 277 + 230 + 255 + 190 = 1.212 voted of 1.395.
const BABEL_TURNOUT: &str = "\
province_code,facility_code,tps_number,dpt,dptb,dpk,voted_dpt,voted_dptb,voted_dpk,voted_men,voted_women,reported_at
19,lapas-pangkalpinang,1,192,55,32,180,50,30,240,20,
19,lapas-pangkalpinang,2,192,55,32,190,55,32,270,7,
19,lapas-pangkalpinang,3,192,55,32,170,40,20,230,0,
19,lapas-tanjungpandan,1,192,55,32,185,45,25,250,5,
19,lapas-tanjungpandan,2,192,55,32,150,30,10,190,0,
";

#[tokio::test]
async fn after_voting_day_the_press_sentence_counts_who_voted() {
    let app = on(date!(2024 - 02 - 15)).await;
    let kanwil = app.login(Role::Kanwil, Some("19"), None).await;
    // Before any TPS reported, the sentence stays the one about the lists.
    let (_, page) = kanwil.get("/provinsi/19").await;
    assert!(page.contains("memiliki hak pilih dan akan memilih di 5 TPS khusus."));
    assert!(!page.contains("hari-pemungutan"));
    let out = import(&app, &["turnout", "import"], BABEL_TURNOUT);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "updated 5, unchanged 0, rejected 0\n");
    let (_, page) = kanwil.get("/provinsi/19").await;
    // 1.212 / 1.395 = 86,9% → 87%.
    assert!(
        page.contains(
            "Sebanyak 1.212 WBP (87%) dari 1.395 WBP yang memiliki hak pilih di 2 \
             Lapas/Rutan/LPKA se-Kepulauan Bangka Belitung menggunakan hak pilihnya di 5 TPS \
             khusus."
        ),
        "{page}"
    );
    // After the day the panel stays, without refreshing.
    assert!(page.contains("Hasil hari pemungutan suara 14 Februari 2024"));
    assert!(!page.contains("http-equiv"));
}

#[tokio::test]
async fn turnout_import_is_all_or_nothing_and_names_the_row() {
    let app = on(VOTING_DAY).await;
    // Row 3 reports 56 DPTb voters of 55; row 4 names a TPS that does not exist; row 5 gives
    // 279 voters, 200 + 78 by sex.
    let bad = "\
province_code,facility_code,tps_number,voted_dpt,voted_dptb,voted_dpk,voted_men,voted_women
19,lapas-pangkalpinang,1,180,50,30,240,20
19,lapas-pangkalpinang,2,190,56,32,270,8
19,lapas-pangkalpinang,9,1,0,0,1,0
19,lapas-tanjungpandan,1,192,55,32,200,78
";
    let out = import(&app, &["turnout", "import"], bad);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "row 3, column voted_dptb: Pemilih DPTb yang memilih (56) melebihi DPTb resmi TPS ini (55).\n\
         row 4, column tps_number: TPS 9 fasilitas \"lapas-pangkalpinang\" tidak ada pada pemilihan pemilu-2024.\n\
         row 5, column voted_men: Laki-laki (200) + perempuan (78) = 278, tidak sama dengan jumlah yang memilih (DPT + DPTb + DPK = 279).\n"
    );
    assert_eq!(text(&out.stdout), "updated 0, unchanged 0, rejected 3\n");
    assert_eq!(count(&app, "select count(*) from turnout_reports").await, 0);

    let out = import(&app, &["turnout", "import"], BABEL_TURNOUT);
    assert_eq!(text(&out.stdout), "updated 5, unchanged 0, rejected 0\n");
    // Again, with one TPS changed: one report more.
    let changed = BABEL_TURNOUT.replace(",150,30,10,190,0,", ",151,30,10,191,0,");
    let out = import(&app, &["turnout", "import"], &changed);
    assert_eq!(text(&out.stdout), "updated 1, unchanged 4, rejected 0\n");
    assert_eq!(count(&app, "select count(*) from turnout_reports").await, 6);
    // An unknown election is a usage error.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.csv");
    std::fs::write(&path, BABEL_TURNOUT).unwrap();
    let out = loksus(
        &app,
        &[
            "turnout",
            "import",
            path.to_str().unwrap(),
            "--election",
            "x",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
}

#[tokio::test]
async fn ballot_account_import_is_all_or_nothing_and_the_export_says_what_balances() {
    let app = on(VOTING_DAY).await;
    import(&app, &["turnout", "import"], BABEL_TURNOUT);
    // Row 3: DKI Jakarta has no DPRD Kab/Kota ballot; row 4: an unknown ballot type.
    let bad = "\
province_code,facility_code,tps_number,ballot_type,received,used,damaged,unused,balanced
19,lapas-pangkalpinang,1,ppwp,270,260,1,9,
31,lapas-cipinang,901,dprd_kabkota,10,10,0,0,true
19,lapas-pangkalpinang,1,walikota,1,1,0,0,
";
    let out = import(&app, &["ballot-accounts", "import"], bad);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "row 3, column ballot_type: Surat suara DPRD Kab/Kota tidak ada di TPS ini.\n\
         row 4, column ballot_type: Jenis surat suara \"walikota\" tidak dikenal (ppwp, dpr, dpd, dprd_prov, dprd_kabkota, gubernur, bupati_walikota).\n"
    );
    assert_eq!(text(&out.stdout), "updated 0, unchanged 0, rejected 2\n");
    assert_eq!(count(&app, "select count(*) from ballot_accounts").await, 0);

    // Pangkalpinang TPS 1: 180 + 50 + 30 = 260 voted. PPWP 270 = 260 + 1 + 9 (balanced);
    // DPR 270 = 250 + 0 + 20 (between 180 and 260: balanced); DPD used 261 > 260 voted.
    let good = "\
province_code,facility_code,tps_number,ballot_type,received,used,damaged,unused
19,lapas-pangkalpinang,1,ppwp,270,260,1,9
19,lapas-pangkalpinang,1,dpr,270,250,0,20
19,lapas-pangkalpinang,1,dpd,270,261,0,9
";
    let out = import(&app, &["ballot-accounts", "import"], good);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "updated 3, unchanged 0, rejected 0\n");
    let out = loksus(
        &app,
        &[
            "export",
            "ballot-accounts",
            "--province",
            "19",
            "--format",
            "csv",
        ],
    );
    let csv = text(&out.stdout);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "province_code,facility_code,tps_number,ballot_type,received,used,damaged,unused,balanced"
    );
    assert_eq!(lines.len(), 1 + 5 * 5, "five ballot types at five TPS");
    assert_eq!(lines[1], "19,lapas-pangkalpinang,1,ppwp,270,260,1,9,true");
    assert_eq!(lines[2], "19,lapas-pangkalpinang,1,dpr,270,250,0,20,true");
    assert_eq!(lines[3], "19,lapas-pangkalpinang,1,dpd,270,261,0,9,false");
    assert_eq!(lines[4], "19,lapas-pangkalpinang,1,dprd_prov,,,,,false");
    // The TPS does not balance (DPD, and two types not counted yet).
    assert_eq!(
        count(
            &app,
            "select count(*) from station_voting_day where balance = 'unbalanced'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn the_exports_keep_their_columns() {
    let app = on(VOTING_DAY).await;
    import(&app, &["turnout", "import"], BABEL_TURNOUT);
    let out = loksus(
        &app,
        &["export", "turnout", "--province", "19", "--format", "csv"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let csv = text(&out.stdout);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "province_code,facility_code,tps_number,dpt,dptb,dpk,voted_dpt,voted_dptb,voted_dpk,voted_men,voted_women,reported_at"
    );
    assert!(
        lines[1].starts_with("19,lapas-pangkalpinang,1,192,55,32,180,50,30,240,20,"),
        "{}",
        lines[1]
    );
    let at = lines[1].rsplit(',').next().unwrap();
    assert!(
        at.len() == 25 && at.ends_with("+07:00") && at.as_bytes()[10] == b'T',
        "{at}"
    );
    // A TPS without a report has empty figures.
    let out = loksus(
        &app,
        &["export", "turnout", "--province", "31", "--format", "csv"],
    );
    assert!(
        text(&out.stdout)
            .lines()
            .nth(1)
            .unwrap()
            .ends_with(",,,,,,")
    );

    let out = loksus(
        &app,
        &[
            "export",
            "participation",
            "--province",
            "19",
            "--format",
            "csv",
        ],
    );
    // Pangkalpinang: 260 + 277 + 230 = 767 of 3 × 279 = 837 (91,6% → 92%);
    // Tanjungpandan: 255 + 190 = 445 of 558 (79,7% → 80%).
    assert_eq!(
        text(&out.stdout),
        "province_code,facility_code,facility_name,with_vote,voted,percent,tps,tps_reported,tps_unbalanced,incidents_open\n\
         19,lapas-pangkalpinang,Lapas Kelas IIA Pangkalpinang,837,767,92,3,3,0,0\n\
         19,lapas-tanjungpandan,Lapas Kelas IIB Tanjungpandan,558,445,80,2,2,0,0\n"
    );

    // The summary keeps its 18 CSV columns; its workbook gains the participation sheet.
    let out = loksus(
        &app,
        &["export", "summary", "--province", "19", "--format", "csv"],
    );
    let header = text(&out.stdout).lines().next().unwrap().to_owned();
    assert_eq!(header.split(',').count(), 18);
    assert!(header.ends_with("roll_no_valid_nik,roll_unregistered"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ringkasan.xlsx");
    let out = loksus(
        &app,
        &[
            "export",
            "summary",
            "--format",
            "xlsx",
            "--province",
            "19",
            "--output",
            path.to_str().unwrap(),
        ],
    );
    assert!(out.status.success());
    use calamine::{Data, Reader, Xlsx};
    let mut book: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    assert_eq!(book.sheet_names(), ["Ringkasan", "Partisipasi"]);
    let sheet = book.worksheet_range("Partisipasi").unwrap();
    assert_eq!(
        sheet.get_value((0, 9)),
        Some(&Data::String("incidents_open".into()))
    );
    assert_eq!(sheet.get_value((1, 4)), Some(&Data::Float(767.0)));
}
