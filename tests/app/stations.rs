//! Polling stations: TPS, official counts and their history, stale forms, allocation,
//! ballots per TPS, the printable list, dapils and the stations export.

use std::process::Command;

use loksus::domain::access::Role;
use reqwest::StatusCode;

use crate::helpers::{Browser, TestApp, csrf_in, database_url, versi_in};

const LLG: &str = "/fasilitas/lapas-lubuklinggau";

async fn kanwil(app: &TestApp) -> Browser {
    app.login(Role::Kanwil, Some("16"), None).await
}

async fn station_id(app: &TestApp, facility: &str, number: i32) -> i64 {
    sqlx::query_scalar(
        "select s.id from stations s join facilities f on f.id = s.facility_id
         where f.code = $1 and s.tps_number = $2",
    )
    .bind(facility)
    .bind(number)
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
}

/// Puts `n` eligible voters on Lapas Lubuklinggau's roll, all from `home`, on `list`.
async fn add_voters(app: &TestApp, n: i32, home: &str, list: &str, from: i32) {
    sqlx::query(
        "insert into voters (election_id, facility_id, row_key, nik, name, birth_date, sex,
                             legal_status, marital_status, home_region_code, list)
         select e.id, f.id, 'nik:' || nik, nik, 'Pemilih ' || lpad(i::text, 4, '0'),
                date '1990-01-01', 'L', 'convict', 'married', $2, $3
         from generate_series($4, $4 + $1 - 1) as i,
              lateral (select '167401010190' || lpad(i::text, 4, '0') as nik) x,
              elections e, facilities f
         where f.code = 'lapas-lubuklinggau'",
    )
    .bind(n)
    .bind(home)
    .bind(list)
    .bind(from)
    .execute(&app.db.pool)
    .await
    .unwrap();
}

async fn send(who: &Browser, fields: Vec<(String, String)>) -> reqwest::Response {
    let r: Vec<(&str, &str)> = fields
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    who.post("/provinsi/16/tps", &r).await
}

async fn voters_per_tps(app: &TestApp) -> Vec<(i32, i64)> {
    sqlx::query_as(
        "select s.tps_number, count(v.id) from stations s
         join facilities f on f.id = s.facility_id and f.code = 'lapas-lubuklinggau'
         left join voters v on v.station_id = s.id
         group by s.tps_number order by s.tps_number",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn kanwil_creates_a_tps_and_bad_input_changes_nothing() {
    let app = TestApp::spawn_with_demo().await;
    let k = kanwil(&app).await;
    let (status, page) = k.get(&format!("{LLG}/tps/baru")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains(r#"name="nomor" value="5""#),
        "next free number"
    );

    let resp = k
        .post(
            &format!("{LLG}/tps"),
            &[("nomor", "5"), ("lokasi", "16.71.01.1001"), ("dpt", "10")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        resp.text()
            .await
            .unwrap()
            .contains("kab/kota fasilitas ini")
    );
    // A desa the region reference does not hold: the message names the kecamatan that exists.
    let resp = k
        .post(
            &format!("{LLG}/tps"),
            &[("nomor", "5"), ("lokasi", "16.73.01.9999")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.text().await.unwrap().contains(
        "Kode wilayah 16.73.01.9999 tidak dikenal: kecamatan 16.73.01 (Lubuk Linggau Timur I) \
         ada, tetapi desa/kelurahan 16.73.01.9999 tidak ada."
    ));
    let resp = k.post(&format!("{LLG}/tps"), &[("nomor", "1")]).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.text().await.unwrap().contains("TPS 1 sudah ada"));
    assert_eq!(voters_per_tps(&app).await.len(), 4);

    let resp = k
        .post(
            &format!("{LLG}/tps"),
            &[
                ("nomor", "5"),
                ("lokasi", "1673021002"),
                ("nama", "Blok C"),
                ("dpt", "1.234"),
            ],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (_, page) = k.get(&format!("{LLG}/tps/5")).await;
    assert!(page.contains("16.73.02.1002"));
    assert!(page.contains("Blok C"));
    // The initial counts are the first history row.
    let history: (Option<i32>, i32, String) = sqlx::query_as(
        "select h.dpt_before, h.dpt, h.actor from station_count_history h
         where h.station_id = $1",
    )
    .bind(station_id(&app, "lapas-lubuklinggau", 5).await)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(history.0, None);
    assert_eq!(history.1, 1234);
    assert!(history.2.starts_with("kanwil-"));
}

#[tokio::test]
async fn every_count_change_leaves_a_history_row_and_unchanged_rows_none() {
    let app = TestApp::spawn_with_demo().await;
    let k = kanwil(&app).await;
    let (_, page) = k.get("/provinsi/16/tps").await;
    let s1 = station_id(&app, "lapas-lubuklinggau", 1).await;
    let s2 = station_id(&app, "lapas-lubuklinggau", 2).await;
    let before = |id: i64| {
        let pool = app.db.pool.clone();
        async move {
            sqlx::query_as::<_, (i32, i32, i32, i32)>(
                "select dpt, dptb, dpk, version from stations where id = $1",
            )
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    let (d1, b1, k1, v1) = before(s1).await;
    let (d2, b2, k2, v2) = before(s2).await;
    assert!(page.contains(&format!(r#"name="dpt_{s1}" value="{d1}""#)));
    let history_rows = || {
        let pool = app.db.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>("select count(*) from station_count_history")
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let start = history_rows().await;
    let f = |v: i32| v.to_string();
    let fields: Vec<(String, String)> = vec![
        (format!("versi_{s1}"), f(v1)),
        (format!("asal_{s1}"), format!("{d1},{b1},{k1}")),
        (format!("dpt_{s1}"), f(d1 + 5)),
        (format!("dptb_{s1}"), f(b1)),
        (format!("dpk_{s1}"), f(k1)),
        (format!("versi_{s2}"), f(v2)),
        (format!("asal_{s2}"), format!("{d2},{b2},{k2}")),
        (format!("dpt_{s2}"), f(d2)),
        (format!("dptb_{s2}"), f(b2)),
        (format!("dpk_{s2}"), f(k2)),
    ];
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let resp = k.post("/provinsi/16/tps", &refs).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(before(s1).await.0, d1 + 5);
    assert_eq!(
        history_rows().await,
        start + 1,
        "one row for the one changed TPS"
    );
    let (old, new): (Option<i32>, i32) = sqlx::query_as(
        "select dpt_before, dpt from station_count_history where station_id = $1
         order by id desc limit 1",
    )
    .bind(s1)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!((old, new), (Some(d1), d1 + 5));
    let (_, facility) = k.get(LLG).await;
    assert!(facility.contains("Angka resmi dari waktu ke waktu"));
    assert!(facility.contains(&format!("{d1} / {b1} / {k1} → {} / {b1} / {k1}", d1 + 5)));

    // A bad cell names its TPS and column; nothing is written.
    let mut bad = fields.clone();
    bad[2].1 = "banyak".into();
    bad[0].1 = f(v1 + 1);
    let refs: Vec<(&str, &str)> = bad.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let resp = k.post("/provinsi/16/tps", &refs).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = resp.text().await.unwrap();
    assert!(body.contains("TPS 1: DPT harus bilangan bulat"), "{body}");
    assert!(body.contains(r#"value="banyak""#), "what was typed is kept");
    assert_eq!(history_rows().await, start + 1);
}

#[tokio::test]
async fn a_stale_counts_form_is_refused_with_409_and_both_values_shown() {
    let app = TestApp::spawn_with_demo().await;
    let a = kanwil(&app).await;
    let b = kanwil(&app).await;
    let s1 = station_id(&app, "lapas-lubuklinggau", 1).await;
    let (d, db, dk, v): (i32, i32, i32, i32) =
        sqlx::query_as("select dpt, dptb, dpk, version from stations where id = $1")
            .bind(s1)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let form = |dpt: i32| {
        vec![
            (format!("versi_{s1}"), v.to_string()),
            (format!("asal_{s1}"), format!("{d},{db},{dk}")),
            (format!("dpt_{s1}"), dpt.to_string()),
            (format!("dptb_{s1}"), db.to_string()),
            (format!("dpk_{s1}"), dk.to_string()),
        ]
    };
    // Both opened the page at version v; A saves first.
    assert_eq!(send(&a, form(d + 1)).await.status(), StatusCode::SEE_OTHER);
    let resp = send(&b, form(d + 7)).await;
    assert_eq!(resp.status(), StatusCode::CONFLICT);
    let body = resp.text().await.unwrap();
    assert!(body.contains("sudah diubah orang lain"));
    assert!(
        body.contains(&format!("isian Anda {} / ", d + 7)),
        "B's values are shown"
    );
    assert!(
        body.contains(&format!(r#"name="dpt_{s1}" value="{}""#, d + 1)),
        "current value in the form"
    );
    let now: i32 = sqlx::query_scalar("select dpt from stations where id = $1")
        .bind(s1)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(now, d + 1, "B did not overwrite A");
}

#[tokio::test]
async fn a_stale_tps_form_is_refused_with_409_and_nothing_is_lost() {
    let app = TestApp::spawn_with_demo().await;
    let a = kanwil(&app).await;
    let b = kanwil(&app).await;
    let url = format!("{LLG}/tps/2");
    let (_, page_a) = a.get(&url).await;
    let (_, _page_b) = b.get(&url).await;
    let version = versi_in(&page_a);
    let item: i64 = sqlx::query_scalar("select id from readiness_items where key = 'kotak_suara'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let status_field = format!("status_{item}");
    let resp = a
        .post(
            &format!("{url}/kesiapan"),
            &[("versi", &version), (&status_field, "siap")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let resp = b
        .post(
            &format!("{url}/ubah"),
            &[
                ("versi", &version),
                ("nomor", "2"),
                ("lokasi", "16.73.03.1003"),
                ("nama", "Blok B"),
            ],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::CONFLICT);
    let body = resp.text().await.unwrap();
    assert!(body.contains("Isian Anda yang belum tersimpan"));
    assert!(body.contains("16.73.03.1003"), "B's input is on the page");
    assert!(
        body.contains(r#"value="16.73.01.1001""#),
        "the current location is in the form"
    );
    let (location, status): (String, String) = sqlx::query_as(
        "select s.location_code, r.status from stations s
         join station_readiness r on r.station_id = s.id and r.item_id = $2
         where s.id = $1",
    )
    .bind(station_id(&app, "lapas-lubuklinggau", 2).await)
    .bind(item)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(
        (location.as_str(), status.as_str()),
        ("16.73.01.1001", "ready"),
        "stored in English; the form sent `siap`"
    );
}

#[tokio::test]
async fn allocation_respects_the_cap_stays_stable_and_says_what_is_missing() {
    let app = TestApp::spawn_with_demo().await;
    sqlx::query("update elections set max_voters_per_tps = 5")
        .execute(&app.db.pool)
        .await
        .unwrap();
    add_voters(&app, 18, "16.73.01", "dpt", 1).await;
    let k = kanwil(&app).await;
    let resp = k.post(&format!("{LLG}/alokasi"), &[]).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        voters_per_tps(&app).await,
        vec![(1, 5), (2, 5), (3, 4), (4, 4)]
    );
    let placed: Vec<(i64, i64)> = sqlx::query_as("select id, station_id from voters order by id")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();

    // Six more voters: 24 > 4 × 5, so 4 stay without a TPS and one TPS is missing.
    add_voters(&app, 6, "16.73.01", "dpt", 100).await;
    let resp = k.post(&format!("{LLG}/alokasi"), &[]).await;
    let location = resp.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.contains("tanpa_tps=4"), "{location}");
    assert_eq!(
        voters_per_tps(&app).await,
        vec![(1, 5), (2, 5), (3, 5), (4, 5)]
    );
    let (_, page) = k.get(&location).await;
    assert!(page.contains("4 pemilih belum mendapat TPS"));
    assert!(page.contains("Kurang 1 TPS"));
    // Nobody placed before was moved.
    for (id, station) in placed {
        let now: Option<i64> = sqlx::query_scalar("select station_id from voters where id = $1")
            .bind(id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(now, Some(station));
    }
    // A manual move is refused into a full TPS.
    let s1 = station_id(&app, "lapas-lubuklinggau", 1).await;
    let voter: i64 = sqlx::query_scalar("select id from voters where station_id = $1 limit 1")
        .bind(s1)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let resp = k
        .post(
            &format!("{LLG}/tps/1/pindah"),
            &[("pemilih", &voter.to_string()), ("tujuan", "2")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert!(resp.text().await.unwrap().contains("sudah penuh"));
}

#[tokio::test]
async fn readiness_needs_every_required_item_and_the_matrix_shows_what_is_missing() {
    let app = TestApp::spawn_with_demo().await;
    let s = station_id(&app, "lapas-lubuklinggau", 3).await;
    add_voters(&app, 2, "16.73.01", "dpt", 1).await;
    sqlx::query("update voters set station_id = $1")
        .bind(s)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let k = kanwil(&app).await;
    let (_, page) = k.get(&format!("{LLG}/tps/3")).await;
    let version = versi_in(&page);
    let items: Vec<i64> = sqlx::query_scalar("select id from readiness_items where auto is null")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    let mut fields: Vec<(String, String)> = items
        .iter()
        .map(|i| (format!("status_{i}"), "siap".to_owned()))
        .collect();
    fields.push(("versi".into(), version.clone()));
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    assert_eq!(
        k.post(&format!("{LLG}/tps/3/kesiapan"), &refs)
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let (_, matrix) = k.get("/provinsi/16/kesiapan").await;
    let cell = matrix
        .split(r#"data-facility="lapas-lubuklinggau""#)
        .nth(1)
        .unwrap()
        .split(r#"data-tps="3""#)
        .nth(1)
        .unwrap()
        .split("</a>")
        .next()
        .unwrap();
    assert!(
        cell.contains("belum: Surat suara</span>"),
        "only the ballots are missing: {cell}"
    );
    assert!(!cell.contains("KPPS"));

    // Ballots arrive: 2 voters + reserve of the TPS's DPT per type.
    let (_, page) = k.get(&format!("{LLG}/tps/3")).await;
    let version = versi_in(&page);
    let mut fields = vec![("versi".to_owned(), version)];
    for t in ["ppwp", "dpr", "dpd", "dprd_prov", "dprd_kabkota"] {
        fields.push((format!("diterima_{t}"), "500".into()));
    }
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    assert_eq!(
        k.post(&format!("{LLG}/tps/3/surat-suara"), &refs)
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let (_, matrix) = k.get("/provinsi/16/kesiapan").await;
    let row = matrix
        .split(r#"data-facility="lapas-lubuklinggau""#)
        .nth(1)
        .unwrap()
        .split("</tr>")
        .next()
        .unwrap();
    assert!(row.contains(r#"class="cell ready" data-tps="3""#), "{row}");
    assert!(matrix.contains(r#"data-ready="1""#));
    let (_, page) = k.get(&format!("{LLG}/tps/3")).await;
    assert!(page.contains(r#"<span class="badge ok">siap</span>"#));
}

#[tokio::test]
async fn deleting_a_tps_with_voters_asks_where_they_go() {
    let app = TestApp::spawn_with_demo().await;
    let s4 = station_id(&app, "lapas-lubuklinggau", 4).await;
    add_voters(&app, 3, "16.73.01", "dpt", 1).await;
    sqlx::query("update voters set station_id = $1")
        .bind(s4)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let k = kanwil(&app).await;
    let (_, page) = k.get(&format!("{LLG}/tps/4/hapus")).await;
    assert!(page.contains("memuat <strong>3</strong> pemilih"));
    let version = versi_in(&page);
    let resp = k
        .post(&format!("{LLG}/tps/4/hapus"), &[("versi", &version)])
        .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(voters_per_tps(&app).await.len(), 4, "nothing deleted");
    let resp = k
        .post(
            &format!("{LLG}/tps/4/hapus"),
            &[("versi", &version), ("tujuan", "2")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let per = voters_per_tps(&app).await;
    assert_eq!(per.len(), 3);
    assert!(per.contains(&(2, 3)), "{per:?}");
    let logged: i64 =
        sqlx::query_scalar("select count(*) from audit_log where action = 'station.delete'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(logged, 1);
}

#[tokio::test]
async fn kanwil_of_another_province_gets_404_for_every_tps_write() {
    let app = TestApp::spawn_with_demo().await;
    let other = app.login(Role::Kanwil, Some("31"), None).await;
    let s1 = station_id(&app, "lapas-lubuklinggau", 1).await;
    for path in [
        format!("{LLG}/tps/1/ubah"),
        format!("{LLG}/tps/1/kesiapan"),
        format!("{LLG}/tps/1/surat-suara"),
        format!("{LLG}/tps/1/hapus"),
        format!("{LLG}/alokasi"),
        "/provinsi/16/tps".to_owned(),
    ] {
        let resp = other
            .post(
                &path,
                &[
                    ("versi", "1"),
                    ("nomor", "9"),
                    (&format!("versi_{s1}"), "1"),
                ],
            )
            .await;
        assert_eq!(resp.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let registrar = app
        .login(Role::Registrar, None, Some("lapas-lubuklinggau"))
        .await;
    let resp = registrar
        .post(&format!("{LLG}/tps/1/ubah"), &[("versi", "1")])
        .await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn dapils_are_imported_by_admins_all_or_nothing() {
    let app = TestApp::spawn_with_demo().await;
    let admin = app.admin().await;
    let (_, page) = admin.get("/admin/dapil").await;
    assert!(page.contains("SUMSEL I"));
    assert!(page.contains("ilustratif"));
    // NTT's demo TPS have no location: the check lists them.
    assert!(page.contains("lokasi TPS belum diisi"));
    let token = csrf_in(&page).unwrap();
    let count = || {
        let pool = app.db.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(
                "select count(*) from dapils where contest = 'dprd_kabkota'",
            )
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    let before = count().await;
    let upload = |content: &'static str| {
        let form = reqwest::multipart::Form::new().part(
            "berkas",
            reqwest::multipart::Part::bytes(content.as_bytes().to_vec()).file_name("dapil.csv"),
        );
        admin
            .client
            .post(admin.url(&format!("/admin/dapil?csrf={token}")))
            .multipart(form)
            .send()
    };
    let resp = upload(
        "election,contest,dapil code,dapil name,region code\n\
         pemilu-2024,dprd_kabkota,LLG 1,Lubuklinggau 1,16.74.01\n\
         pemilu-2024,dprd_kabkota,LLG 2,Lubuklinggau 2,1674\n",
    )
    .await
    .unwrap();
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = resp.text().await.unwrap();
    assert!(body.contains("Kode wilayah harus kode kecamatan"));
    assert!(body.contains(r#"<td class="num">3</td><td class="mono">region_code</td>"#));
    assert_eq!(count().await, before, "nothing changed");

    let resp = upload(
        "election;contest;dapil code;dapil name;region code\n\
         pemilu-2024;DPRD Kab/Kota;LLG 1;Lubuklinggau 1;16.74.01\n\
         pemilu-2024;DPRD Kab/Kota;LLG 1;Lubuklinggau 1;16.74.02\n",
    )
    .await
    .unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(count().await, 1, "the contest's dapils were replaced");

    let kpu = app.login(Role::Kpu, Some("16"), None).await;
    let resp = kpu
        .client
        .post(kpu.url("/admin/dapil"))
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_client_error());
}

#[tokio::test]
async fn export_stations_writes_the_documented_columns() {
    let app = TestApp::spawn_with_demo().await;
    let url = database_url(&app);
    let out = Command::new(env!("CARGO_BIN_EXE_loksus"))
        .args(["export", "stations", "--province", "19", "--format", "csv"])
        .env("DATABASE_URL", &url)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = String::from_utf8(out.stdout).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "province_code,facility_code,tps_number,dpt,dptb,dpk,voters_assigned,ballots_ppwp,\
         ballots_dpr,ballots_dpd,ballots_dprd_prov,ballots_dprd_kabkota,ready_items,total_items,ready"
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 5, "Bangka Belitung has 5 demo TPS");
    assert!(
        rows.iter()
            .all(|r| r.starts_with("19,") && r.ends_with(",12,false"))
    );
    let bad = Command::new(env!("CARGO_BIN_EXE_loksus"))
        .args(["export", "stations", "--province", "99", "--format", "csv"])
        .env("DATABASE_URL", &url)
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}
