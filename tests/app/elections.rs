//! Elections administration: `loksus election add|edit|list|contests|delete` and the admin
//! page `/admin/pemilihan`, with the same rules and one write path.

use std::process::Output;

use loksus::domain::access::Role;
use loksus::rolls::import::{Mode, Options};
use reqwest::StatusCode;

use crate::helpers::{TestApp, csrf_in, import_roll, loksus, roll_file, row_cells};

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs `loksus election ...` and expects success.
fn election_ok(app: &TestApp, args: &[&str]) -> String {
    let mut all = vec!["election"];
    all.extend_from_slice(args);
    let out = loksus(app, &all);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    stdout(&out)
}

/// A contests file on disk for the command line.
fn contests_file(content: &str) -> tempfile::NamedTempFile {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), content).unwrap();
    file
}

/// Everything an election change could touch, in one value.
async fn fingerprint(app: &TestApp) -> String {
    sqlx::query_scalar(
        "select concat_ws('|',
             (select string_agg(e::text, ';' order by id) from elections e),
             (select string_agg(c::text, ';' order by election_id, contest, region_code)
              from election_contests c),
             (select count(*) from stations), (select count(*) from readiness_items),
             (select count(*) from audit_log))",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn add_takes_the_defaults_of_each_kind_and_list_prints_them_by_voting_day() {
    let app = TestApp::spawn().await;
    election_ok(
        &app,
        &[
            "add",
            "--slug",
            "pemilu-2029",
            "--name",
            "Pemilu 2029",
            "--kind",
            "pemilu",
            "--voting-day",
            "2029-02-14",
        ],
    );
    election_ok(
        &app,
        &[
            "add",
            "--slug",
            "pilkada-2029",
            "--name",
            "Pilkada Serentak 2029",
            "--kind",
            "pilkada",
            "--voting-day",
            "2029-11-28",
        ],
    );
    election_ok(
        &app,
        &[
            "add",
            "--slug",
            "psu-2029",
            "--name",
            "PSU, Pemilu 2029",
            "--kind",
            "psu",
            "--voting-day",
            "2029-02-24",
            "--dpk-at-loksus",
            "no",
        ],
    );
    assert_eq!(
        election_ok(&app, &["list"]),
        "slug,name,kind,voting_day,cap,reserve_percent,ballots\n\
         pemilu-2029,Pemilu 2029,pemilu,2029-02-14,300,2,ppwp;dpr;dpd;dprd_prov;dprd_kabkota\n\
         psu-2029,\"PSU, Pemilu 2029\",psu,2029-02-24,300,2,ppwp;dpr;dpd;dprd_prov;dprd_kabkota\n\
         pilkada-2029,Pilkada Serentak 2029,pilkada,2029-11-28,600,2.5,gubernur;bupati_walikota\n"
    );
    let (h30, h7, dpk, items): (String, String, bool, i64) = sqlx::query_as(
        "select transfer_deadline::text, detainee_transfer_deadline::text, dpk_at_loksus,
                (select count(*) from readiness_items r where r.election_id = e.id)
         from elections e where slug = 'psu-2029'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(
        (h30.as_str(), h7.as_str(), dpk),
        ("2029-01-25", "2029-02-17", false)
    );
    assert!(items > 0, "the default checklist comes with the election");
}

#[tokio::test]
async fn a_pilkada_loads_its_contests_and_takes_their_province_as_its_region() {
    let app = TestApp::spawn().await;
    election_ok(
        &app,
        &[
            "add",
            "--slug",
            "pilkada-2024",
            "--name",
            "Pilkada 2024",
            "--kind",
            "pilkada",
            "--voting-day",
            "2024-11-27",
            "--reserve-percent",
            "2.25",
        ],
    );
    let file = contests_file("contest,region_code\ngubernur,16\nbupati_walikota,1673\n");
    let out = election_ok(
        &app,
        &["contests", "pilkada-2024", file.path().to_str().unwrap()],
    );
    assert_eq!(out, "election pilkada-2024: 2 contests loaded; region 16\n");
    let contests: Vec<(String, String)> =
        sqlx::query_as("select contest, region_code from election_contests order by contest desc")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(
        contests,
        [
            ("gubernur".to_owned(), "16".to_owned()),
            ("bupati_walikota".to_owned(), "16.73".to_owned())
        ]
    );
    let (region, reserve): (Option<String>, i32) =
        sqlx::query_as("select region_code, reserve_basis_points from elections")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!((region.as_deref(), reserve), (Some("16"), 225));

    // Contests in two provinces: replaced, and the election has no single region any more
    // (after clearing, as the region guards against a contest outside it).
    let empty = contests_file("contest,region_code\n");
    election_ok(
        &app,
        &["contests", "pilkada-2024", empty.path().to_str().unwrap()],
    );
    let two = contests_file("contest,region_code\ngubernur,16\ngubernur,18\n");
    let out = election_ok(
        &app,
        &["contests", "pilkada-2024", two.path().to_str().unwrap()],
    );
    assert!(out.ends_with("2 contests loaded; region none\n"), "{out}");
}

#[tokio::test]
async fn bad_input_exits_1_names_the_flag_or_row_and_changes_nothing() {
    let app = TestApp::spawn().await;
    election_ok(
        &app,
        &[
            "add",
            "--slug",
            "pilkada-2024",
            "--name",
            "Pilkada 2024",
            "--kind",
            "pilkada",
            "--voting-day",
            "2024-11-27",
        ],
    );
    let sumsel = contests_file("contest,region_code\ngubernur,16\n");
    election_ok(
        &app,
        &["contests", "pilkada-2024", sumsel.path().to_str().unwrap()],
    );
    let before = fingerprint(&app).await;
    let add = |extra: &[&'static str]| {
        let mut args = vec![
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
        ];
        args.extend_from_slice(extra);
        args
    };
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (add(&["--cap", "0"]), "--cap:"),
        (add(&["--reserve-percent", "101"]), "--reserve-percent:"),
        (add(&["--deadline-h7", "2029-02-20"]), "--voting-day:"),
        (add(&["--ballots", "ppwp,dpr,pilpres"]), "--ballots:"),
        (add(&["--cap", "600"]), "--cap:"),
        (
            vec![
                "election",
                "edit",
                "pilkada-2024",
                "--voting-day",
                "2024-11-01",
            ],
            "--voting-day:",
        ),
    ];
    for (args, names) in cases {
        let out = loksus(&app, &args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(stderr(&out).contains(names), "{args:?}: {}", stderr(&out));
    }
    // Contests: one outside the election's region, a Gubernur with a kab/kota code.
    for (content, message) in [
        (
            "contest,region_code\nbupati_walikota,18.71\n",
            "row 2, column region_code: Wilayah 18.71 di luar wilayah pemilihan ini (16).",
        ),
        (
            "contest,region_code\ngubernur,16.73\n",
            "row 2, column region_code: Kontestasi gubernur memerlukan kode provinsi",
        ),
    ] {
        let file = contests_file(content);
        let out = loksus(
            &app,
            &[
                "election",
                "contests",
                "pilkada-2024",
                file.path().to_str().unwrap(),
            ],
        );
        assert_eq!(out.status.code(), Some(1), "{content}");
        assert!(stderr(&out).contains(message), "{}", stderr(&out));
    }
    assert_eq!(fingerprint(&app).await, before, "nothing changed");
}

async fn stations_of(app: &TestApp, slug: &str) -> i64 {
    sqlx::query_scalar(
        "select count(*) from stations s join elections e on e.id = s.election_id
         where e.slug = $1",
    )
    .bind(slug)
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn copy_tps_from_gives_the_new_election_the_demo_election_s_tps() {
    let app = TestApp::spawn_with_demo().await;
    let demo = stations_of(&app, "pemilu-2024").await;
    assert!(demo > 0);
    let out = election_ok(
        &app,
        &[
            "add",
            "--slug",
            "pilkada-2024",
            "--name",
            "Pilkada 2024",
            "--kind",
            "pilkada",
            "--voting-day",
            "2024-11-27",
            "--copy-tps-from",
            "pemilu-2024",
        ],
    );
    assert_eq!(
        out,
        format!("election pilkada-2024 created\ncopied {demo} TPS from pemilu-2024\n")
    );
    assert_eq!(stations_of(&app, "pilkada-2024").await, demo);
    // The same places, none of the counts.
    let differ: i64 = sqlx::query_scalar(
        "select count(*) from (
             (select s.facility_id, s.tps_number, s.location_code, s.name from stations s
              join elections e on e.id = s.election_id where e.slug = 'pemilu-2024'
              except
              select s.facility_id, s.tps_number, s.location_code, s.name from stations s
              join elections e on e.id = s.election_id where e.slug = 'pilkada-2024')) d",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(differ, 0);
    let counted: i64 = sqlx::query_scalar(
        "select coalesce(sum(dpt + dptb + dpk), 0)::bigint from stations s
         join elections e on e.id = s.election_id where e.slug = 'pilkada-2024'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(counted, 0);
}

#[tokio::test]
async fn an_election_with_voters_cannot_be_deleted_one_without_can() {
    let app = TestApp::spawn_with_demo().await;
    let file = roll_file(
        "nik,nama,tanggal_lahir,jenis_kelamin,status",
        &["1674011508900001,Budi,1990-08-15,L,NAPI"],
    );
    let report = import_roll(
        &app.db,
        "lapas-lubuklinggau",
        &file,
        Options::new(Mode::Upsert),
    )
    .await;
    assert!(report.written, "{:?}", report.errors);
    let out = loksus(&app, &["election", "delete", "pemilu-2024"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("tidak dapat dihapus: 1 pemilih tercatat"),
        "{}",
        stderr(&out)
    );
    // The page refuses it the same way.
    let admin = app.admin().await;
    let resp = admin.post("/admin/pemilihan/pemilu-2024/hapus", &[]).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.text().await.unwrap().contains("tidak dapat dihapus"));
    let left: i64 = sqlx::query_scalar("select count(*) from elections where slug = 'pemilu-2024'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(left, 1);

    election_ok(
        &app,
        &[
            "add",
            "--slug",
            "psu-2024",
            "--name",
            "PSU 2024",
            "--kind",
            "psu",
            "--voting-day",
            "2024-02-24",
            "--copy-tps-from",
            "pemilu-2024",
        ],
    );
    let resp = admin.post("/admin/pemilihan/psu-2024/hapus", &[]).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        resp.headers()["location"],
        "/admin/pemilihan?dihapus=psu-2024"
    );
    let (elections, stations, audited): (i64, i64, i64) = sqlx::query_as(
        "select (select count(*) from elections where slug = 'psu-2024'),
                (select count(*) from stations s where not exists
                    (select 1 from elections e where e.id = s.election_id)),
                (select count(*) from audit_log where action = 'election.delete'
                    and object_id = 'psu-2024' and before ->> 'name' = 'PSU 2024')",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!((elections, stations, audited), (0, 0, 1));
}

#[tokio::test]
async fn an_admin_creates_an_election_on_the_page_a_kanwil_gets_403() {
    let app = TestApp::spawn_with_demo().await;
    let admin = app.admin().await;
    let (status, page) = admin.get("/admin/pemilihan").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains(r#"href="/admin/pemilihan""#),
        "linked from the menu"
    );
    assert_eq!(
        row_cells(&page, r#"data-election="pemilu-2024""#),
        [
            "pemilu-2024",
            "Pemilihan Umum 2024",
            "Pemilu",
            "14 Februari 2024",
            "300",
            "2%",
            "PPWP, DPR, DPD, DPRD Provinsi, DPRD Kab/Kota"
        ]
    );
    let form = [
        ("slug", "pilkada-sumsel-2024"),
        ("nama", "Pilkada Sumatera Selatan 2024"),
        ("jenis", "pilkada"),
        ("hari_pemungutan", "2024-11-27"),
        ("batas_h30", ""),
        ("batas_h7", ""),
        ("maks_pemilih", ""),
        ("cadangan_persen", "2,5"),
        ("surat_suara", "gubernur"),
        ("surat_suara", "bupati_walikota"),
        ("dpk_di_loksus", "ya"),
        ("salin_tps_dari", "pemilu-2024"),
    ];
    let kanwil = app.login(Role::Kanwil, Some("16"), None).await;
    assert_eq!(
        kanwil.get("/admin/pemilihan").await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        kanwil.post("/admin/pemilihan", &form).await.status(),
        StatusCode::FORBIDDEN
    );
    let mut bad = form.to_vec();
    bad.push(("maks_pemilih", "0"));
    let resp = admin.post("/admin/pemilihan", &bad).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = resp.text().await.unwrap();
    assert!(
        body.contains("Maks. pemilih per TPS: Maksimal pemilih per TPS harus"),
        "{body}"
    );
    assert!(
        body.contains(r#"value="pilkada-sumsel-2024""#),
        "what was typed stays"
    );
    let created = || async {
        sqlx::query_scalar::<_, i64>("select count(*) from elections where slug like 'pilkada%'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap()
    };
    assert_eq!(created().await, 0);

    let resp = admin.post("/admin/pemilihan", &form).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let to = resp.headers()["location"].to_str().unwrap().to_owned();
    let (_, page) = admin.get(&to).await;
    assert!(
        page.contains("Pemilihan pilkada-sumsel-2024 dibuat."),
        "{page}"
    );
    assert!(page.contains("TPS disalin"));
    assert_eq!(
        row_cells(&page, r#"data-election="pilkada-sumsel-2024""#)[2..],
        [
            "Pilkada",
            "27 November 2024",
            "600",
            "2,5%",
            "Gubernur, Bupati/Walikota"
        ]
    );
    assert_eq!(created().await, 1);
}

#[tokio::test]
async fn changes_on_the_page_and_the_command_line_are_audited_with_before_and_after() {
    let app = TestApp::spawn_with_demo().await;
    let admin = app.admin().await;
    let (_, page) = admin.get("/admin/pemilihan/pemilu-2024").await;
    assert!(page.contains(r#"value="2024-01-15""#), "{page}");
    let token = csrf_in(&page).unwrap();
    let resp = admin
        .post_raw(
            "/admin/pemilihan/pemilu-2024",
            &[
                ("csrf", &token),
                ("nama", "Pemilihan Umum 2024"),
                ("jenis", "pemilu"),
                ("hari_pemungutan", "2024-02-14"),
                ("batas_h30", "2024-01-15"),
                ("batas_h7", "2024-02-07"),
                ("maks_pemilih", "250"),
                ("cadangan_persen", "2"),
                ("surat_suara", "ppwp"),
                ("surat_suara", "dpr"),
                ("surat_suara", "dpd"),
                ("surat_suara", "dprd_prov"),
                ("surat_suara", "dprd_kabkota"),
                ("dpk_di_loksus", "ya"),
            ],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        resp.headers()["location"],
        "/admin/pemilihan/pemilu-2024?disimpan=1"
    );
    election_ok(&app, &["edit", "pemilu-2024", "--dpk-at-loksus", "no"]);
    let rows: Vec<(String, serde_json::Value, serde_json::Value)> = sqlx::query_as(
        "select actor, before, after from audit_log where action = 'election.update'
         and object_id = 'pemilu-2024' order by id",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(rows.len(), 2);
    assert!(rows[0].0.starts_with("admin-"), "{}", rows[0].0);
    assert_eq!(rows[0].1, serde_json::json!({ "max_voters_per_tps": 300 }));
    assert_eq!(rows[0].2, serde_json::json!({ "max_voters_per_tps": 250 }));
    assert!(rows[1].0.starts_with("cli:"));
    assert_eq!(rows[1].2, serde_json::json!({ "dpk_at_loksus": false }));
    let (cap, dpk): (i32, bool) =
        sqlx::query_as("select max_voters_per_tps, dpk_at_loksus from elections")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!((cap, dpk), (250, false));
}

#[tokio::test]
async fn contests_upload_on_the_page_lists_refused_rows_then_loads() {
    let app = TestApp::spawn_with_demo().await;
    election_ok(
        &app,
        &[
            "add",
            "--slug",
            "pilkada-2024",
            "--name",
            "Pilkada 2024",
            "--kind",
            "pilkada",
            "--voting-day",
            "2024-11-27",
        ],
    );
    let admin = app.admin().await;
    let (_, page) = admin.get("/admin/pemilihan/pilkada-2024").await;
    let token = csrf_in(&page).unwrap();
    let upload = |content: &'static str| {
        let form = reqwest::multipart::Form::new().part(
            "berkas",
            reqwest::multipart::Part::bytes(content.as_bytes().to_vec())
                .file_name("kontestasi.csv"),
        );
        admin
            .client
            .post(admin.url(&format!(
                "/admin/pemilihan/pilkada-2024/kontestasi?csrf={token}"
            )))
            .multipart(form)
            .send()
    };
    let resp = upload("contest,region_code\ngubernur,16\nbupati_walikota,16.99\n")
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = resp.text().await.unwrap();
    assert!(body.contains(
        r#"<td class="num">3</td><td class="mono">region_code</td><td>Kode wilayah 16.99 tidak dikenal: provinsi 16 (Sumatera Selatan) ada, tetapi kab/kota 16.99 tidak ada."#
    ), "{body}");
    let resp = upload("contest;region_code\ngubernur;16\nbupati_walikota;16.73\n")
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (_, page) = admin.get("/admin/pemilihan/pilkada-2024").await;
    assert!(page.contains("Sumatera Selatan (16)"), "{page}");
    assert!(page.contains("2 kontestasi"));
}
