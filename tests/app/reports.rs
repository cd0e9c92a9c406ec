//! Reports: dashboard figures against a recount from the rows, the press sentence, the
//! reconciliation groups, CSV columns and XLSX workbooks, and scope.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use loksus::domain::access::Role;
use loksus::read::summary::{self, Filter, Rules};
use reqwest::StatusCode;

use crate::helpers::{Browser, TestApp, csrf_in, row_cells, versi_in};

/// The province row of the national dashboard, or a facility row of a province page, as the
/// numbers a reader sees (dots removed).
fn numbers(cells: &[String]) -> Vec<i64> {
    cells[1..]
        .iter()
        .map(|c| {
            c.trim_end_matches('%')
                .replace('.', "")
                .parse()
                .unwrap_or(-1)
        })
        .collect()
}

/// The dashboard's columns recounted from the rows, live: facilities, TPS, inmates, DPT,
/// DPTb, DPK, with the vote, %, TPS ready, % ready, TPS short, ballots short, no valid NIK.
async fn recount(app: &TestApp, province: &str, facility: Option<&str>) -> Vec<i64> {
    let pool = &app.db.pool;
    let (election,): (i64,) = sqlx::query_as("select id from elections")
        .fetch_one(pool)
        .await
        .unwrap();
    let facility_ids: Vec<i64> = sqlx::query_scalar(
        "select id from facilities where province_code = $1 and ($2::text is null or code = $2)",
    )
    .bind(province)
    .bind(facility)
    .fetch_all(pool)
    .await
    .unwrap();
    let mut inmates = 0i64;
    for id in &facility_ids {
        let (recorded, roll): (i32, i64) = sqlx::query_as(
            "select f.inmates, (select count(*) from voters v where v.facility_id = f.id
                                and v.status = 'active')
             from facilities f where f.id = $1",
        )
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap();
        inmates += if roll > 0 { roll } else { recorded.into() };
    }
    let no_valid_nik: i64 = sqlx::query_scalar(
        "select count(*) from voters where facility_id = any($1) and status = 'active'
           and nik is null",
    )
    .bind(&facility_ids)
    .fetch_one(pool)
    .await
    .unwrap();
    let mut conn = pool.acquire().await.unwrap();
    let rules = Rules::load(&mut conn, election).await.unwrap();
    let stations = summary::load(
        &mut conn,
        &rules,
        Filter {
            facilities: Some(&facility_ids),
            ..Filter::default()
        },
    )
    .await
    .unwrap();
    let (dpt, dptb, dpk): (i64, i64, i64) = stations
        .iter()
        .fold((0, 0, 0), |a, s| (a.0 + s.dpt, a.1 + s.dptb, a.2 + s.dpk));
    let ready = stations.iter().filter(|s| s.ready()).count() as i64;
    let short: Vec<i64> = stations
        .iter()
        .filter(|s| s.voters > 0 && s.shortage() > 0)
        .map(|s| s.shortage())
        .collect();
    let n = stations.len() as i64;
    let pct = |a: i64, b: i64| if b > 0 { (a * 200 + b) / (b * 2) } else { -1 };
    vec![
        facility_ids.len() as i64,
        n,
        inmates,
        dpt,
        dptb,
        dpk,
        dpt + dptb + dpk,
        pct(dpt + dptb + dpk, inmates),
        ready,
        pct(ready, n),
        short.len() as i64,
        short.iter().sum(),
        no_valid_nik,
    ]
}

async fn add_voters(app: &TestApp, facility: &str, n: i32, from: i32, extra: &str) {
    sqlx::query(&format!(
        "insert into voters (election_id, facility_id, row_key, nik, name, birth_date, sex,
                             legal_status, marital_status, home_region_code, list, nik_flag)
         select e.id, f.id, 'r:' || i, nik, 'Warga ' || i, date '1990-01-01', 'L', 'convict',
                'married', '16.74.01', 'dpt', null
         from generate_series($2, $2 + $1 - 1) as i,
              lateral (select '167401010190' || lpad(i::text, 4, '0') as nik) x,
              elections e, facilities f
         where f.code = $3;
         {extra}"
    ))
    .bind(n)
    .bind(from)
    .bind(facility)
    .execute(&app.db.pool)
    .await
    .unwrap();
}

async fn check(app: &TestApp, who: &Browser, step: &str) {
    let (_, page) = who.get("/").await;
    let cells = row_cells(&page, r#"data-province="16""#);
    assert_eq!(
        numbers(&cells),
        recount(app, "16", None).await,
        "national row after {step}"
    );
    let (_, page) = who.get("/provinsi/16").await;
    let cells = row_cells(&page, r#"data-facility="lapas-lubuklinggau""#);
    assert_eq!(
        numbers(&cells),
        recount(app, "16", Some("lapas-lubuklinggau")).await,
        "facility row after {step}"
    );
}

#[tokio::test]
async fn dashboard_figures_match_a_recount_after_every_kind_of_change() {
    let app = TestApp::spawn_with_demo().await;
    let admin = app.admin().await;
    check(&app, &admin, "the demo load").await;

    add_voters(&app, "lapas-lubuklinggau", 40, 1, "").await;
    // Two without a valid NIK: figures must follow a direct SQL change too.
    sqlx::query("update voters set nik = null, nik_flag = 'no_nik', row_key = 'x' || id where id in (select id from voters order by id limit 2)")
        .execute(&app.db.pool)
        .await
        .unwrap();
    check(&app, &admin, "a roll").await;
    let (_, page) = admin.get("/provinsi/16").await;
    let name = &row_cells(&page, r#"data-facility="lapas-lubuklinggau""#)[0];
    assert!(
        name.contains("daftar WBP 40 orang, tercatat 1.160"),
        "{name}"
    );

    let kanwil = app.login(Role::Kanwil, Some("16"), None).await;
    assert_eq!(
        kanwil
            .post("/fasilitas/lapas-lubuklinggau/alokasi", &[])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    check(&app, &admin, "the allocation").await;

    // TPS 1 gets everything: readiness items and more ballots than needed.
    let (_, page) = kanwil.get("/fasilitas/lapas-lubuklinggau/tps/1").await;
    let version = versi_in(&page);
    let items: Vec<i64> = sqlx::query_scalar("select id from readiness_items where auto is null")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    let mut fields: Vec<(String, String)> = items
        .iter()
        .map(|i| (format!("status_{i}"), "siap".into()))
        .collect();
    fields.push(("versi".into(), version));
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    kanwil
        .post("/fasilitas/lapas-lubuklinggau/tps/1/kesiapan", &refs)
        .await;
    let (_, page) = kanwil.get("/fasilitas/lapas-lubuklinggau/tps/1").await;
    let version = versi_in(&page);
    kanwil
        .post(
            "/fasilitas/lapas-lubuklinggau/tps/1/surat-suara",
            &[
                ("versi", &version),
                ("diterima_ppwp", "900"),
                ("diterima_dpr", "900"),
                ("diterima_dpd", "900"),
                ("diterima_dprd_prov", "900"),
                ("diterima_dprd_kabkota", "900"),
            ],
        )
        .await;
    check(&app, &admin, "readiness and ballots").await;
    let (_, page) = admin.get("/").await;
    assert_eq!(
        numbers(&row_cells(&page, r#"data-province="16""#))[8],
        1,
        "one TPS ready"
    );

    // Counts change on the province form; a voter is released; a new readiness item.
    sqlx::query("update stations set dpt = dpt + 3 where tps_number = 2")
        .execute(&app.db.pool)
        .await
        .unwrap();
    sqlx::query("update voters set status = 'departed', departed_at = now() where id = (select max(id) from voters)")
        .execute(&app.db.pool)
        .await
        .unwrap();
    check(&app, &admin, "counts and a release").await;
    assert_eq!(
        admin
            .post("/admin/kesiapan", &[("label", "Genset"), ("wajib", "1")])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    check(&app, &admin, "a new required item").await;
    // A facility's recorded inmates (no roll loaded) count in the province totals.
    sqlx::query("update facilities set inmates = inmates + 100 where code = 'lapas-palembang'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    check(&app, &admin, "a facility edit").await;
    let (_, page) = admin.get("/").await;
    assert_eq!(
        numbers(&row_cells(&page, r#"data-province="16""#))[8],
        0,
        "the new item makes TPS 1 not ready"
    );
}

#[tokio::test]
async fn the_press_sentence_for_sumatera_selatan_is_the_published_one() {
    let app = TestApp::spawn_with_demo().await;
    let kanwil = app.login(Role::Kanwil, Some("16"), None).await;
    let (_, page) = kanwil.get("/provinsi/16").await;
    assert!(page.contains(
        "Sebanyak 13.519 WBP (85%) dari 15.895 WBP di 20 Lapas/Rutan/LPKA se-Sumatera Selatan \
         memiliki hak pilih dan akan memilih di 51 TPS khusus."
    ));
    assert!(page.contains(r#"data-copy="kalimat-pers""#));
    assert!(page.contains(r#"<script src="/static/copy.js" defer>"#));
    let (status, js) = kanwil.get("/static/copy.js").await;
    assert_eq!(status, StatusCode::OK);
    assert!(js.contains("clipboard"));
    // Charts are inline SVG with accessible names.
    assert!(
        page.contains(r#"<svg role="img" aria-labelledby="grafik-komposisi-t grafik-komposisi-d""#)
    );
    // The national dashboard counts down to the deadlines.
    let (_, page) = kanwil.get("/").await;
    assert!(page.contains("Batas pindah memilih (H-30)"));
    assert!(page.contains("15 Januari 2024"));
    assert!(page.contains("sudah lewat"));
}

/// Uploads a KPU list for Lapas Lubuklinggau as `who`.
async fn upload(who: &Browser, content: &str) -> reqwest::Response {
    let (_, page) = who.get("/fasilitas/lapas-lubuklinggau/rekonsiliasi").await;
    let token = csrf_in(&page)
        .or_else(|| {
            page.split("csrf=")
                .nth(1)
                .map(|r| r.split('"').next().unwrap().to_owned())
        })
        .unwrap();
    let form = reqwest::multipart::Form::new().part(
        "berkas",
        reqwest::multipart::Part::bytes(content.as_bytes().to_vec()).file_name("dpt.csv"),
    );
    who.client
        .post(who.url(&format!(
            "/fasilitas/lapas-lubuklinggau/rekonsiliasi?pemilihan=pemilu-2024&csrf={token}"
        )))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn reconciliation_sorts_every_nik_into_its_group() {
    let app = TestApp::spawn_with_demo().await;
    // Roll: voters 1–5 active and eligible; 6 released (departed); 7 under age (not eligible).
    add_voters(&app, "lapas-lubuklinggau", 7, 1, "").await;
    sqlx::query("update voters set status = 'departed', departed_at = now(), departed_reason = 'bebas' where name = 'Warga 6'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    sqlx::query("update voters set birth_date = '2010-01-01', marital_status = 'never_married' where name = 'Warga 7'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    // Voters 1–3 on TPS 1.
    sqlx::query(
        "update voters set station_id = (select s.id from stations s join facilities f on f.id = s.facility_id
                                         where f.code = 'lapas-lubuklinggau' and s.tps_number = 1)
         where name in ('Warga 1', 'Warga 2', 'Warga 3')",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    let kpu = app.login(Role::Kpu, Some("16"), None).await;
    // KPU: 1 (same TPS), 2 (TPS 2), 3 (other name), 6 (released), 99 (unknown); 4, 5 missing.
    let list = "nik;nama;tps\n\
                1674010101900001;Warga 1;1\n\
                1674010101900002;Warga 2;2\n\
                1674010101900003;WARGA  TIGA;1\n\
                1674010101900006;Warga 6;1\n\
                1674010101900099;Orang Lain;1\n";
    let resp = upload(&kpu, list).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (_, page) = kpu.get("/fasilitas/lapas-lubuklinggau/rekonsiliasi").await;
    let count = |g: &str| row_cells(&page, &format!(r#"data-group="{g}""#))[1].clone();
    assert_eq!(count("cocok"), "3");
    assert_eq!(count("hanya-kpu"), "2");
    assert_eq!(count("hanya-daftar"), "2", "4 and 5; 7 is under age");
    assert_eq!(count("beda-tps"), "1");
    assert_eq!(count("beda-nama"), "1");
    assert!(page.contains("keluar: bebas"));
    assert!(page.contains("************0099"));

    let (status, csv) = kpu
        .get("/fasilitas/lapas-lubuklinggau/rekonsiliasi/hanya-daftar.csv")
        .await;
    assert_eq!(status, StatusCode::OK);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "nik,nama_daftar_wbp,nama_kpu,tps_daftar_wbp,tps_kpu,keterangan"
    );
    assert_eq!(
        &lines[1..],
        // A KPU liaison reads masked NIKs, in downloads as on pages.
        [
            "************0004,Warga 4,,,,",
            "************0005,Warga 5,,,,"
        ]
    );

    // A bad list names the row and column and keeps the previous list.
    let resp = upload(
        &kpu,
        "nik,nama,tps\n1674010101900001,Warga 1,1\n123,Salah,1\n",
    )
    .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = resp.text().await.unwrap();
    assert!(
        body.contains(
            r#"<td class="num">3</td><td class="mono">nik</td><td>NIK harus 16 angka</td>"#
        )
    );
    let rows: i32 = sqlx::query_scalar("select rows from kpu_lists")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(rows, 5);

    // A registrar reads the result but cannot upload.
    let registrar = app
        .login(Role::Registrar, None, Some("lapas-lubuklinggau"))
        .await;
    let (status, _) = registrar
        .get("/fasilitas/lapas-lubuklinggau/rekonsiliasi")
        .await;
    assert_eq!(status, StatusCode::OK);
}

/// `loksus reconcile` stores the list and prints every group's size on one line, which
/// scripts read (scripts/bench).
#[tokio::test]
async fn the_command_line_prints_every_groups_size_on_one_line() {
    let app = TestApp::spawn_with_demo().await;
    // Roll: voters 1–4 active and eligible, none on a TPS.
    add_voters(&app, "lapas-lubuklinggau", 4, 1, "").await;
    // KPU: 1, 2 (another name), 99 (unknown); 3 and 4 missing.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("dpt.csv");
    std::fs::write(
        &file,
        "nik;nama;tps\n1674010101900001;Warga 1;1\n1674010101900002;Warga Dua;1\n1674010101900099;Orang Lain;1\n",
    )
    .unwrap();
    let out = crate::helpers::loksus(
        &app,
        &[
            "reconcile",
            file.to_str().unwrap(),
            "--facility",
            "lapas-lubuklinggau",
        ],
    );
    assert!(out.status.success(), "{out:?}");
    let line = String::from_utf8(out.stdout).unwrap();
    let (counts, timing) = line.trim_end().split_once(" (matched in ").unwrap();
    assert_eq!(
        counts,
        "kpu 3, matched 2, kpu_only 1, roll_only 2, tps_differs 2, name_differs 1"
    );
    assert!(timing.ends_with(" ms)"), "{line}");
}

#[tokio::test]
async fn a_kpu_liaison_of_another_province_gets_404_for_sumatera_selatan() {
    let app = TestApp::spawn_with_demo().await;
    let kpu = app.login(Role::Kpu, Some("31"), None).await;
    for path in [
        "/provinsi/16",
        "/fasilitas/lapas-lubuklinggau",
        "/fasilitas/lapas-lubuklinggau/rekonsiliasi",
        "/unduh/provinsi/16.xlsx",
        "/unduh/fasilitas/lapas-lubuklinggau.csv",
    ] {
        assert_eq!(kpu.get(path).await.0, StatusCode::NOT_FOUND, "{path}");
    }
    let (_, page) = kpu.get("/").await;
    assert!(!page.contains(r#"data-province="16""#));
    assert!(page.contains(r#"data-province="31""#));
    let (_, csv) = kpu.get("/unduh/ringkasan.csv").await;
    assert!(csv.lines().skip(1).all(|l| l.starts_with("31,")), "{csv}");
}

#[tokio::test]
async fn downloads_are_real_workbooks_and_documented_csv() {
    let app = TestApp::spawn_with_demo().await;
    let admin = app.admin().await;
    let resp = admin
        .client
        .get(admin.url("/unduh/nasional.xlsx"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        resp.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = resp.bytes().await.unwrap().to_vec();
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("a workbook");
    let sheet = book
        .worksheet_range("Nasional")
        .expect("the Nasional sheet");
    assert_eq!(
        sheet.get_value((0, 0)),
        Some(&Data::String("kode_provinsi".into()))
    );
    assert_eq!(
        sheet.get_value((0, 8)),
        Some(&Data::String("hak_pilih".into()))
    );
    // Rows follow province codes: 16 Sumatera Selatan comes first in the demo.
    assert_eq!(
        sheet.get_value((1, 1)),
        Some(&Data::String("Sumatera Selatan".into()))
    );
    assert_eq!(
        sheet.get_value((1, 4)),
        Some(&Data::Float(15_895.0)),
        "inmates, a number"
    );
    assert_eq!(sheet.get_value((1, 8)), Some(&Data::Float(13_519.0)));
    let share = match sheet.get_value((1, 9)) {
        Some(Data::Float(f)) => *f,
        other => panic!("share {other:?}"),
    };
    assert!((share - 13_519.0 / 15_895.0).abs() < 1e-9);

    let (_, csv) = admin.get("/unduh/ringkasan.csv").await;
    assert_eq!(
        csv.lines().next().unwrap(),
        "province_code,facility_code,facility_name,facility_type,inmates,stations,stations_ready,\
         dpt,dptb,dpk,with_vote,roll_voters,roll_eligible,roll_under_age,roll_rights_revoked,\
         roll_released,roll_no_valid_nik,roll_unregistered"
    );
    let palembang = csv
        .lines()
        .find(|l| l.starts_with("16,lapas-palembang,"))
        .unwrap();
    assert!(
        palembang.starts_with("16,lapas-palembang,Lapas Kelas I Palembang,lapas,"),
        "{palembang}"
    );
    let f: Vec<&str> = palembang.split(',').collect();
    assert_eq!(f[5], "4", "stations");
    assert_eq!(
        f[10].parse::<i64>().unwrap(),
        332 + 398 + 345 + 353,
        "with_vote"
    );

    let (status, csv) = admin.get("/unduh/fasilitas/lapas-palembang.csv").await;
    assert_eq!(status, StatusCode::OK);
    assert!(csv.starts_with("tps,lokasi,dpt,dptb,dpk,hak_pilih,pemilih_dialokasikan,butir_siap,jumlah_butir,siap,surat_suara_kurang\n"));
    assert_eq!(
        admin.get("/unduh/nasional.pdf").await.0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn export_summary_writes_csv_and_xlsx() {
    let app = TestApp::spawn_with_demo().await;
    let url = crate::helpers::database_url(&app);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ringkasan.xlsx");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_loksus"))
            .args(args)
            .env("DATABASE_URL", &url)
            .env("RUST_LOG", "warn")
            .output()
            .unwrap()
    };
    let csv = run(&["export", "summary", "--province", "19", "--format", "csv"]);
    assert!(csv.status.success());
    let text = String::from_utf8(csv.stdout).unwrap();
    assert_eq!(
        text.lines().count(),
        3,
        "header and Bangka Belitung's two facilities"
    );
    assert!(text.lines().nth(1).unwrap().starts_with("19,"));
    let xlsx = run(&[
        "export",
        "summary",
        "--format",
        "xlsx",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(
        xlsx.status.success(),
        "{}",
        String::from_utf8_lossy(&xlsx.stderr)
    );
    let mut book: Xlsx<_> = calamine::open_workbook(&out).unwrap();
    let sheet = book.worksheet_range("Ringkasan").unwrap();
    assert_eq!(
        sheet.get_value((0, 17)),
        Some(&Data::String("roll_unregistered".into()))
    );
    assert_eq!(sheet.height(), 45, "header and 44 facilities");
}

#[tokio::test]
async fn the_countdown_counts_unregistered_voters_and_detainees_by_the_rule() {
    let app = TestApp::spawn_with_demo().await;
    let header = "nik,nama,tanggal_lahir,jenis_kelamin,status,daftar";
    let rows = [
        // Detainees who may vote and are on no list: they count for H-7 (2).
        "1674011508900001,Budi,1990-08-15,L,TAHANAN,",
        "1674015203950002,Siti,12-03-1995,P,TAHANAN,",
        // A convict on no list counts for H-30 only.
        "1671010101000003,Andi,2000-01-01,L,NAPI,",
        // A detainee already on the DPT, and a 16-year-old unmarried detainee (may not vote).
        "1674010101800013,Cahyo,1980-01-01,L,TAHANAN,DPT",
        "1674010101100014,Anak,2010-01-01,L,TAHANAN,",
    ];
    let report = crate::helpers::import_roll(
        &app.db,
        "lapas-lubuklinggau",
        &crate::helpers::roll_file(header, &rows),
        loksus::rolls::import::Options::new(loksus::rolls::import::Mode::Upsert),
    )
    .await;
    assert!(report.written, "{:?}", report.errors);
    let admin = app.admin().await;
    let (_, page) = admin.get("/").await;
    // By the rule: 17 or older (or ever married), NIK valid, on no list.
    assert!(
        page.contains("3 WBP dapat memilih tetapi belum ada di DPT/DPTb/DPK"),
        "{page}"
    );
    assert!(page.contains("2 tahanan dapat memilih tetapi belum terdaftar"));
}
