//! Ballots as KPU counts them (issue 13): the need per TPS and type from the official counts
//! and the roll, ballot types that exist only where their contest is held, dapils at any
//! level (Pasal 348(4)), and the command-line twins (`allocate`, `dapils import`,
//! `export ballots`). Every expected figure is computed by hand in the comments.

use std::process::Output;

use loksus::domain::access::Role;
use reqwest::StatusCode;

use crate::helpers::{TestApp, loksus, row_cells};

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

async fn exec(app: &TestApp, sql: &str) {
    sqlx::query(sql).execute(&app.db.pool).await.unwrap();
}

/// The first TPS of a facility in the election `slug`: its number, after giving it these
/// official counts and location.
async fn first_tps(
    app: &TestApp,
    (slug, facility): (&str, &str),
    counts: (i32, i32, i32),
    location: &str,
) -> i32 {
    sqlx::query_scalar(
        "update stations s set dpt = $2, dptb = $3, dpk = $4, location_code = $5
         where s.id = (select s2.id from stations s2 join facilities f on f.id = s2.facility_id
                       join elections e on e.id = s2.election_id
                       where f.code = $1 and e.slug = $6 order by s2.tps_number limit 1)
         returning s.tps_number",
    )
    .bind(facility)
    .bind(counts.0)
    .bind(counts.1)
    .bind(counts.2)
    .bind(location)
    .bind(slug)
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
}

/// Puts `n` eligible voters from `home` (or of unknown home) on `list` onto TPS `number` of
/// the facility, in the election `slug`. NIKs are made unique with `from`.
#[allow(clippy::too_many_arguments)]
async fn place(
    app: &TestApp,
    slug: &str,
    facility: &str,
    number: i32,
    (n, from): (i32, i32),
    home: Option<&str>,
    list: &str,
) {
    sqlx::query(
        "insert into voters (election_id, facility_id, row_key, nik, name, birth_date, sex,
                             legal_status, marital_status, home_region_code, list, station_id,
                             registration_no)
         select e.id, f.id, 'nik:' || x.nik, x.nik, 'Pemilih ' || lpad(i::text, 4, '0'),
                date '1990-01-01', 'L', 'convict', 'married', $3, $4, s.id,
                'REG-' || lpad(i::text, 4, '0')
         from generate_series($5, $5 + $6 - 1) as i,
              lateral (select '167301010190' || lpad(i::text, 4, '0') as nik) x,
              elections e, facilities f, stations s
         where e.slug = $1 and f.code = $2 and s.facility_id = f.id and s.election_id = e.id
           and s.tps_number = $7",
    )
    .bind(slug)
    .bind(facility)
    .bind(home)
    .bind(list)
    .bind(from)
    .bind(n)
    .bind(number)
    .execute(&app.db.pool)
    .await
    .unwrap();
}

/// `(certain, planning)` for each ballot type on a TPS page, by the row's `data-ballot`.
fn needs(page: &str, types: &[&str]) -> Vec<(String, String, String)> {
    types
        .iter()
        .map(|t| {
            let cells = row_cells(page, &format!(r#"data-ballot="{t}""#));
            assert!(cells.len() >= 7, "no row for {t}");
            ((*t).to_owned(), cells[5].clone(), cells[6].clone())
        })
        .collect()
}

fn triples(rows: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    rows.iter()
        .map(|(a, b, c)| ((*a).to_owned(), (*b).to_owned(), (*c).to_owned()))
        .collect()
}

const PEMILU: [&str; 5] = ["ppwp", "dpr", "dpd", "dprd_prov", "dprd_kabkota"];

/// Sumatera Selatan dapils for the tests: Lubuklinggau (16.73) and Musi Rawas (16.05) in one
/// DPR and one DPRD Provinsi dapil; Lubuklinggau's kecamatan 01–02 in DPRD Kota dapil 1.
const SUMSEL_DAPILS: &str = "election,contest,dapil_code,dapil_name,region_code\n\
    pemilu-2024,dpr,SUMSEL I,Sumatera Selatan I,16.73\n\
    pemilu-2024,dpr,SUMSEL I,Sumatera Selatan I,16.05\n\
    pemilu-2024,dprd_prov,SUMSEL 7,Sumatera Selatan 7,16.73\n\
    pemilu-2024,dprd_prov,SUMSEL 7,Sumatera Selatan 7,16.05\n\
    pemilu-2024,dprd_kabkota,LLG 1,Lubuklinggau 1,16.73.01\n\
    pemilu-2024,dprd_kabkota,LLG 1,Lubuklinggau 1,16.73.02\n\
    pemilu-2024,dprd_kabkota,LLG 2,Lubuklinggau 2,16.73.03\n";

fn import_dapils(app: &TestApp, content: &str) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("dapil.csv");
    std::fs::write(&file, content).unwrap();
    loksus(
        app,
        &[
            "dapils",
            "import",
            file.to_str().unwrap(),
            "--election",
            "pemilu-2024",
        ],
    )
}

#[tokio::test]
async fn the_need_follows_the_counts_with_an_empty_a_partial_and_a_full_roll() {
    let app = TestApp::spawn_with_demo().await;
    // Lapas Kelas I Palembang TPS 1's official counts, on Lapas Lubuklinggau's first TPS
    // in kecamatan 16.73.01: DPT 223, DPTb 47, DPK 62; reserve 2% of 223 = 4.46 → 5.
    let tps = first_tps(
        &app,
        ("pemilu-2024", "lapas-lubuklinggau"),
        (223, 47, 62),
        "16.73.01.1001",
    )
    .await;
    let out = import_dapils(&app, SUMSEL_DAPILS);
    assert!(stdout(&out).contains("imported 4 dapils, 7 areas"));
    let kanwil = app.login(Role::Kanwil, Some("16"), None).await;
    let url = format!("/fasilitas/lapas-lubuklinggau/tps/{tps}");

    // Empty roll: PPWP 223 + 109 + 5 = 337 for certain; the others 223 + 5 = 228 for certain
    // and 337 if all 109 DPTb/DPK voters are entitled.
    let (status, page) = kanwil.get(&url).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        needs(&page, &PEMILU),
        triples(&[
            ("ppwp", "337", "337"),
            ("dpr", "228", "337"),
            ("dpd", "228", "337"),
            ("dprd_prov", "228", "337"),
            ("dprd_kabkota", "228", "337"),
        ])
    );
    assert!(page.contains("109 pemilih DPTb/DPK menurut KPU belum ada di daftar"));
    assert!(page.contains("5 jenis surat suara di TPS ini, jadi 5 kotak suara"));
    // The stations export carries the planning figure.
    let csv = stdout(&loksus(
        &app,
        &["export", "stations", "--province", "16", "--format", "csv"],
    ));
    let row = csv
        .lines()
        .find(|l| l.starts_with(&format!("16,lapas-lubuklinggau,{tps},")))
        .unwrap();
    let f: Vec<&str> = row.split(',').collect();
    assert_eq!(f[3..6], ["223", "47", "62"]);
    assert_eq!(f[7..12], ["337", "337", "337", "337", "337"]);

    // Partial roll: 12 DPTb from kecamatan 16.73.02 (every dapil of the TPS), 5 DPTb from
    // Jakarta (PPWP only), 3 DPTb of unknown home, 10 DPK from 16.73.02. Not on the roll:
    // 47 − 20 + 62 − 10 = 79. DPR: 223 + 22 + 5 = 250 certain, + 3 + 79 = 332 planning.
    let slug = "pemilu-2024";
    place(
        &app,
        slug,
        "lapas-lubuklinggau",
        tps,
        (12, 1),
        Some("16.73.02"),
        "dptb",
    )
    .await;
    place(
        &app,
        slug,
        "lapas-lubuklinggau",
        tps,
        (5, 100),
        Some("31.75.07"),
        "dptb",
    )
    .await;
    place(
        &app,
        slug,
        "lapas-lubuklinggau",
        tps,
        (3, 200),
        None,
        "dptb",
    )
    .await;
    place(
        &app,
        slug,
        "lapas-lubuklinggau",
        tps,
        (10, 300),
        Some("16.73.02"),
        "dpk",
    )
    .await;
    let (_, page) = kanwil.get(&url).await;
    assert_eq!(
        needs(&page, &PEMILU),
        triples(&[
            ("ppwp", "337", "337"),
            ("dpr", "250", "332"),
            ("dpd", "250", "332"),
            ("dprd_prov", "250", "332"),
            ("dprd_kabkota", "250", "332"),
        ])
    );

    // Full roll: 27 more DPTb from Musi Rawas (16.05: DPR and DPRD Provinsi dapil shared,
    // not the DPRD Kota) and 52 more DPK from kecamatan 16.73.03 (DPRD Kota dapil 2).
    // DPR: 223 + (12 + 27 + 10 + 52) + 5 = 329, + 3 unknown = 332.
    // DPRD Kab/Kota: 223 + (12 + 10) + 5 = 250, + 3 = 253.
    place(
        &app,
        slug,
        "lapas-lubuklinggau",
        tps,
        (27, 400),
        Some("16.05.02"),
        "dptb",
    )
    .await;
    place(
        &app,
        slug,
        "lapas-lubuklinggau",
        tps,
        (52, 500),
        Some("16.73.03"),
        "dpk",
    )
    .await;
    let (_, page) = kanwil.get(&url).await;
    assert_eq!(
        needs(&page, &PEMILU),
        triples(&[
            ("ppwp", "337", "337"),
            ("dpr", "329", "332"),
            ("dpd", "329", "332"),
            ("dprd_prov", "329", "332"),
            ("dprd_kabkota", "250", "253"),
        ])
    );
    assert!(!page.contains("belum ada di daftar"));

    // Ballots received: the shortage is against the planning figure, the certain part flagged.
    let version = crate::helpers::versi_in(&page);
    let resp = kanwil
        .post(
            &format!("{url}/surat-suara"),
            &[
                ("versi", version.as_str()),
                ("diterima_ppwp", "337"),
                ("diterima_dpr", "300"),
                ("diterima_dpd", "332"),
                ("diterima_dprd_prov", "332"),
                ("diterima_dprd_kabkota", "253"),
            ],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (_, page) = kanwil.get(&url).await;
    let dpr = row_cells(&page, r#"data-ballot="dpr""#);
    assert_eq!(dpr[8], "29 (perencanaan 32)");
    assert_eq!(row_cells(&page, r#"data-ballot="ppwp""#)[8], "–");

    // The per-voter export: one row per placed voter, yes / no / unknown per ballot.
    let csv = stdout(&loksus(
        &app,
        &[
            "export",
            "ballots",
            "--facility",
            "lapas-lubuklinggau",
            "--format",
            "csv",
        ],
    ));
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "no_registrasi,nama,list,home_region,tps_number,tps_location,ppwp,dpr,dpd,dprd_prov,\
         dprd_kabkota,gubernur,bupati_walikota"
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 109);
    let of = |reg: &str| {
        rows.iter()
            .find(|r| r.starts_with(reg))
            .unwrap()
            .to_string()
    };
    let at = format!("{tps},16.73.01.1001");
    assert_eq!(
        of("REG-0001,"),
        format!("REG-0001,Pemilih 0001,dptb,16.73.02,{at},yes,yes,yes,yes,yes,,")
    );
    assert_eq!(
        of("REG-0100,"),
        format!("REG-0100,Pemilih 0100,dptb,31.75.07,{at},yes,no,no,no,no,,")
    );
    assert_eq!(
        of("REG-0200,"),
        format!("REG-0200,Pemilih 0200,dptb,,{at},yes,unknown,unknown,unknown,unknown,,")
    );
    assert_eq!(
        of("REG-0400,"),
        format!("REG-0400,Pemilih 0400,dptb,16.05.02,{at},yes,yes,yes,yes,no,,")
    );
}

/// DKI's DPRD Provinsi dapils split Jakarta Timur (31.75) by kecamatan (illustrative split:
/// 01–05 in DKI 4, 06–10 in DKI 5); the DPR dapil DKI I is the whole kota.
const DKI_DAPILS: &str = "election,contest,dapil_code,dapil_name,region_code\n\
    pemilu-2024,dpr,DKI I,DKI Jakarta I,31.75\n\
    pemilu-2024,dprd_prov,DKI 4,DKI Jakarta 4,31.75.01\n\
    pemilu-2024,dprd_prov,DKI 4,DKI Jakarta 4,31.75.02\n\
    pemilu-2024,dprd_prov,DKI 4,DKI Jakarta 4,31.75.03\n\
    pemilu-2024,dprd_prov,DKI 4,DKI Jakarta 4,31.75.04\n\
    pemilu-2024,dprd_prov,DKI 4,DKI Jakarta 4,31.75.05\n\
    pemilu-2024,dprd_prov,DKI 5,DKI Jakarta 5,31.75.06\n\
    pemilu-2024,dprd_prov,DKI 5,DKI Jakarta 5,31.75.07\n\
    pemilu-2024,dprd_prov,DKI 5,DKI Jakarta 5,31.75.08\n\
    pemilu-2024,dprd_prov,DKI 5,DKI Jakarta 5,31.75.09\n\
    pemilu-2024,dprd_prov,DKI 5,DKI Jakarta 5,31.75.10\n";

#[tokio::test]
async fn jakarta_has_four_ballots_and_a_kecamatan_dapil_decides_the_dprd_provinsi_ballot() {
    let app = TestApp::spawn_with_demo().await;
    // Lapas Cipinang stands in kelurahan Cipinang, Pulogadung (31.75.02.1003). DPT 250:
    // reserve 5 per type, none for the DPRD Kab/Kota ballot DKI does not have.
    let tps = first_tps(
        &app,
        ("pemilu-2024", "lapas-cipinang"),
        (250, 3, 0),
        "31.75.02.1003",
    )
    .await;
    let out = import_dapils(&app, DKI_DAPILS);
    assert!(stdout(&out).contains("imported 3 dapils, 11 areas"));
    let slug = "pemilu-2024";
    // Pasal 348(4): same dapil (Jatinegara 03) / same kota, other dapil (Duren Sawit 07) /
    // another province.
    place(
        &app,
        slug,
        "lapas-cipinang",
        tps,
        (1, 1),
        Some("31.75.03.1001"),
        "dptb",
    )
    .await;
    place(
        &app,
        slug,
        "lapas-cipinang",
        tps,
        (1, 2),
        Some("31.75.07"),
        "dptb",
    )
    .await;
    place(
        &app,
        slug,
        "lapas-cipinang",
        tps,
        (1, 3),
        Some("16.73.01"),
        "dptb",
    )
    .await;
    let kanwil = app.login(Role::Kanwil, Some("31"), None).await;
    let (status, page) = kanwil
        .get(&format!("/fasilitas/lapas-cipinang/tps/{tps}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("4 jenis surat suara di TPS ini, jadi 4 kotak suara"));
    assert!(!page.contains(r#"data-ballot="dprd_kabkota""#));
    // DPRD Provinsi: 250 + 1 + 5; DPR and DPD: 250 + 2 + 5; PPWP 250 + 3 + 5.
    assert_eq!(
        needs(&page, &["ppwp", "dpr", "dpd", "dprd_prov"]),
        triples(&[
            ("ppwp", "258", "258"),
            ("dpr", "257", "257"),
            ("dpd", "257", "257"),
            ("dprd_prov", "256", "256"),
        ])
    );
    let csv = stdout(&loksus(
        &app,
        &[
            "export",
            "ballots",
            "--facility",
            "lapas-cipinang",
            "--format",
            "csv",
        ],
    ));
    let marks = |reg: &str| {
        let row = csv.lines().find(|l| l.starts_with(reg)).unwrap();
        row.split(',').skip(6).collect::<Vec<_>>().join(",")
    };
    assert_eq!(marks("REG-0001,"), "yes,yes,yes,yes,,,");
    assert_eq!(marks("REG-0002,"), "yes,yes,yes,no,,,");
    assert_eq!(marks("REG-0003,"), "yes,no,no,no,,,");
    // The stations export leaves the DPRD Kab/Kota column empty for every DKI TPS.
    let csv = stdout(&loksus(
        &app,
        &["export", "stations", "--province", "31", "--format", "csv"],
    ));
    for line in csv.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        assert_eq!(f[11], "", "{line}");
        assert_ne!(f[10], "", "{line}");
    }
}

#[tokio::test]
async fn a_pilkada_gives_contest_ballots_only_where_the_contest_is_held() {
    let app = TestApp::spawn_with_demo().await;
    // Pilkada Sumatera Selatan made as an admin would: Gubernur in the province, Walikota
    // in Lubuklinggau only; by default cap 600 and reserve 2.5%; the TPS of Pemilu 2024.
    let out = stdout(&loksus(
        &app,
        &[
            "election",
            "add",
            "--slug",
            "pilkada-2024",
            "--name",
            "Pilkada Serentak 2024",
            "--kind",
            "pilkada",
            "--voting-day",
            "2024-11-27",
            "--copy-tps-from",
            "pemilu-2024",
        ],
    ));
    assert!(out.contains("pilkada-2024"), "{out}");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kontestasi.csv");
    std::fs::write(
        &file,
        "contest,region_code\ngubernur,16\nbupati_walikota,16.73\n",
    )
    .unwrap();
    stdout(&loksus(
        &app,
        &[
            "election",
            "contests",
            "pilkada-2024",
            file.to_str().unwrap(),
        ],
    ));
    let slug = "pilkada-2024";
    let llg = first_tps(
        &app,
        (slug, "lapas-lubuklinggau"),
        (400, 30, 10),
        "16.73.01.1001",
    )
    .await;
    // Home in the same kota / another kab/kota of the province.
    place(
        &app,
        slug,
        "lapas-lubuklinggau",
        llg,
        (1, 1),
        Some("16.73.02"),
        "dptb",
    )
    .await;
    place(
        &app,
        slug,
        "lapas-lubuklinggau",
        llg,
        (1, 2),
        Some("16.05.02"),
        "dptb",
    )
    .await;
    let kanwil = app.login(Role::Kanwil, Some("16"), None).await;
    let (_, page) = kanwil
        .get(&format!(
            "/fasilitas/lapas-lubuklinggau/tps/{llg}?pemilihan={slug}"
        ))
        .await;
    assert!(page.contains("2 jenis surat suara di TPS ini, jadi 2 kotak suara"));
    // Reserve 2.5% of 400 = 10. Not on the roll: 30 − 2 + 10 = 38, certain for the
    // Gubernur. Gubernur: 400 + 2 + 38 + 10 = 450. Walikota: 400 + 1 + 10 = 411, + 38 = 449.
    assert_eq!(
        needs(&page, &["gubernur", "bupati_walikota"]),
        triples(&[
            ("gubernur", "450", "450"),
            ("bupati_walikota", "411", "449")
        ])
    );
    let csv = stdout(&loksus(
        &app,
        &[
            "export",
            "ballots",
            "--facility",
            "lapas-lubuklinggau",
            "--election",
            slug,
            "--format",
            "csv",
        ],
    ));
    let marks = |reg: &str| {
        let row = csv.lines().find(|l| l.starts_with(reg)).unwrap();
        row.split(',').skip(6).collect::<Vec<_>>().join(",")
    };
    assert_eq!(marks("REG-0001,"), ",,,,,yes,yes");
    assert_eq!(marks("REG-0002,"), ",,,,,yes,no");
    // Palembang holds no Walikota contest: its TPS have the Gubernur ballot only (one box),
    // and the stations export has no Pemilu ballot in a Pilkada.
    let plg = first_tps(
        &app,
        (slug, "lapas-palembang"),
        (400, 30, 10),
        "16.71.01.1001",
    )
    .await;
    let (status, page) = kanwil
        .get(&format!(
            "/fasilitas/lapas-palembang/tps/{plg}?pemilihan={slug}"
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("1 jenis surat suara di TPS ini, jadi 1 kotak suara"));
    assert!(page.contains(r#"data-ballot="gubernur""#));
    assert!(!page.contains(r#"data-ballot="bupati_walikota""#));
    let csv = stdout(&loksus(
        &app,
        &[
            "export",
            "stations",
            "--election",
            slug,
            "--province",
            "16",
            "--format",
            "csv",
        ],
    ));
    let row = csv
        .lines()
        .find(|l| l.starts_with("16,lapas-palembang,"))
        .unwrap();
    assert_eq!(
        row.split(',').collect::<Vec<_>>()[7..12],
        ["", "", "", "", ""]
    );
}

#[tokio::test]
async fn allocate_and_dapils_import_on_the_command_line() {
    let app = TestApp::spawn_with_demo().await;
    let tps = first_tps(
        &app,
        ("pemilu-2024", "lapas-lubuklinggau"),
        (10, 0, 0),
        "16.73.01.1001",
    )
    .await;
    place(
        &app,
        "pemilu-2024",
        "lapas-lubuklinggau",
        tps,
        (10, 1),
        Some("16.73.02"),
        "dpt",
    )
    .await;
    exec(&app, "update voters set station_id = null").await;
    let out = stdout(&loksus(
        &app,
        &["allocate", "--facility", "lapas-lubuklinggau"],
    ));
    assert!(
        out.starts_with("eligible 10, moved 10, unplaced 0, missing_stations 0"),
        "{out}"
    );
    let placed: i64 =
        sqlx::query_scalar("select count(*) from voters where station_id is not null")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(placed, 10);
    assert_eq!(
        loksus(&app, &["allocate", "--facility", "lapas-nowhere"])
            .status
            .code(),
        Some(2)
    );

    // A bad dapil file changes nothing and exits 1, each row named.
    let areas = || async {
        sqlx::query_scalar::<_, i64>("select count(*) from dapil_regions")
            .fetch_one(&app.db.pool)
            .await
            .unwrap()
    };
    let before = areas().await;
    let out = import_dapils(
        &app,
        "election,contest,dapil_code,dapil_name,region_code\n\
         pemilu-2024,dprd_prov,DKI 4,Jakarta 4,31.75.01\n\
         pemilu-2024,dprd_prov,DKI 5,Jakarta 5,31.75.01\n\
         pemilu-2024,dprd_prov,DKI 5,Jakarta 5,16.71\n",
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("row 3, region_code: Wilayah 31.75.01 tumpang tindih"),
        "{err}"
    );
    assert!(
        err.contains("row 4, region_code: Dapil DKI 5 melewati batas"),
        "{err}"
    );
    let out = import_dapils(
        &app,
        "election,contest,dapil_code,dapil_name,region_code\n\
         pilkada-2029,dpr,X,X,16.71\n",
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("row 2, election"), "{err}");
    // A region the Kemendagri reference does not hold, named by the nearest level it does.
    let out = import_dapils(
        &app,
        "election,contest,dapil_code,dapil_name,region_code\n\
         pemilu-2024,dpr,SUMSEL I,Sumatera Selatan I,16.73\n\
         pemilu-2024,dpr,SUMSEL I,Sumatera Selatan I,16.75\n",
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "row 3, region_code: Kode wilayah 16.75 tidak dikenal: provinsi 16 (Sumatera \
             Selatan) ada, tetapi kab/kota 16.75 tidak ada."
        ),
        "{err}"
    );
    assert_eq!(areas().await, before);
}

#[tokio::test]
async fn the_printable_list_marks_each_voters_ballots_and_the_matrix_sums_the_shortage() {
    let app = TestApp::spawn_with_demo().await;
    let slug = "pemilu-2024";
    let llg = "lapas-lubuklinggau";
    let tps = first_tps(&app, (slug, llg), (151, 3, 0), "16.73.01.1001").await;
    assert!(stdout(&import_dapils(&app, SUMSEL_DAPILS)).contains("imported"));
    // On the TPS's DPT, from Jakarta: every ballot of the TPS. DPTb from the same DPRD Kota
    // dapil (all five), from Musi Rawas (all but DPRD Kab/Kota), from Jakarta (PPWP only).
    place(&app, slug, llg, tps, (3, 1), Some("31.75.07"), "dpt").await;
    place(&app, slug, llg, tps, (1, 10), Some("16.73.02"), "dptb").await;
    place(&app, slug, llg, tps, (1, 20), Some("16.05.02"), "dptb").await;
    place(&app, slug, llg, tps, (1, 30), Some("31.75.07"), "dptb").await;
    let kanwil = app.login(Role::Kanwil, Some("16"), None).await;
    let url = format!("/fasilitas/{llg}/tps/{tps}");
    let (status, print) = kanwil.get(&format!("{url}/cetak")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(print.contains("************0001"));
    assert!(!print.contains("1673010101900001"));
    let marks = |nik_end: &str| {
        let row = print
            .split("<tr>")
            .find(|r| r.contains(&format!("************{nik_end}")))
            .unwrap();
        row.matches('✓').count()
    };
    assert_eq!(marks("0001"), 5, "on the TPS's DPT: every ballot");
    assert_eq!(marks("0010"), 5, "same DPRD Kota dapil: all five ballots");
    assert_eq!(marks("0020"), 4, "Musi Rawas: all but DPRD Kab/Kota");
    assert_eq!(marks("0030"), 1, "Jakarta: the president only");
    assert!(print.contains("Tanda tangan"));
    assert!(print.contains("/static/print.css"));

    // Reserve 2% of 151 = 3.02 → 4. PPWP 151 + 3 + 4 = 158; DPR, DPD and DPRD Provinsi
    // 151 + 2 + 4 = 157; DPRD Kab/Kota 151 + 1 + 4 = 156. Before any receipt is recorded
    // the matrix says so; after 158 PPWP and 150 DPR it sums 7 + 157 + 157 + 156 = 477.
    let (_, matrix) = kanwil.get("/provinsi/16/kesiapan").await;
    assert!(matrix.contains(r#"title="penerimaan surat suara belum dicatat">SS ?</span>"#));
    let (_, page) = kanwil.get(&url).await;
    let version = crate::helpers::versi_in(&page);
    let resp = kanwil
        .post(
            &format!("{url}/surat-suara"),
            &[
                ("versi", version.as_str()),
                ("diterima_ppwp", "158"),
                ("diterima_dpr", "150"),
            ],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (_, matrix) = kanwil.get("/provinsi/16/kesiapan").await;
    assert!(
        matrix.contains(r#"title="kurang 477 surat suara">SS −477</span>"#),
        "the matrix sums the shortage"
    );
}

#[tokio::test]
async fn dpt_voters_stay_on_kpus_tps_and_only_dptb_dpk_take_a_tps_over_the_cap() {
    let app = TestApp::spawn_with_demo().await;
    let llg = "lapas-lubuklinggau";
    // One TPS left at Lapas Lubuklinggau; cap 300 DPT voters per TPS (Pemilu 2024).
    let tps = first_tps(&app, ("pemilu-2024", llg), (300, 40, 0), "16.73.01.1001").await;
    sqlx::query(
        "delete from stations where tps_number <> $1
         and facility_id = (select id from facilities where code = $2)",
    )
    .bind(tps)
    .bind(llg)
    .execute(&app.db.pool)
    .await
    .unwrap();
    // 295 DPT voters KPU put on that TPS, 5 DPT voters without KPU's TPS, 1 DPT voter whose
    // KPU TPS (77) is not a TPS of this facility, 40 DPTb voters.
    let row = |i: usize, list: &str, kpu: String| {
        format!("167301010190{i:04},Pemilih {i:04},1990-01-01,L,NAPI,KAWIN,16.73.01,{list},{kpu}")
    };
    let mut rows: Vec<String> = (1..=295).map(|i| row(i, "DPT", tps.to_string())).collect();
    rows.extend((296..=300).map(|i| row(i, "DPT", String::new())));
    rows.push(row(301, "DPT", "77".into()));
    rows.extend((302..=341).map(|i| row(i, "DPTB", String::new())));
    let refs: Vec<&str> = rows.iter().map(String::as_str).collect();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("daftar.csv");
    std::fs::write(
        &file,
        crate::helpers::roll_file(
            "nik,nama,tanggal_lahir,jenis_kelamin,status,status_perkawinan,kode_wilayah_asal,daftar,tps",
            &refs,
        ),
    )
    .unwrap();
    let out = stdout(&loksus(
        &app,
        &["roll", "import", file.to_str().unwrap(), "--facility", llg],
    ));
    assert!(out.contains("inserted 341"), "{out}");
    // 301 DPT voters for one TPS: the 295 of KPU first, then 5 of the other 6 (the cap is
    // reached), 1 left without a TPS; the 40 DPTb voters take the TPS above 300.
    let out = stdout(&loksus(&app, &["allocate", "--facility", llg]));
    assert!(
        out.starts_with(
            "eligible 341, moved 340, unplaced 1, missing_stations 1, kpu_tps_elsewhere 1"
        ),
        "{out}"
    );
    let kanwil = app.login(Role::Kanwil, Some("16"), None).await;
    let (_, page) = kanwil.get(&format!("/fasilitas/{llg}/tps/{tps}")).await;
    assert!(
        page.contains(
            "TPS ini memuat 340 pemilih, di atas 300 per TPS, karena pemilih DPTb/DPK: batas \
             itu hanya menghitung DPT (300)."
        ),
        "{page}"
    );

    // A second TPS: re-allocation keeps KPU's voters where they are and places the last
    // DPT voter there.
    exec(
        &app,
        "insert into stations (election_id, facility_id, tps_number, location_code)
         select e.id, f.id, 2, '16.73.01.1001' from elections e, facilities f
         where e.slug = 'pemilu-2024' and f.code = 'lapas-lubuklinggau'",
    )
    .await;
    let out = stdout(&loksus(&app, &["allocate", "--facility", llg]));
    assert!(
        out.starts_with("eligible 341, moved 1, unplaced 0, missing_stations 0"),
        "{out}"
    );
    let on_kpu_tps: i64 = sqlx::query_scalar(
        "select count(*) from voters v join stations s on s.id = v.station_id
         where v.kpu_tps = s.tps_number",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(on_kpu_tps, 295);
    // A voter KPU put on this TPS cannot be moved by hand.
    let (_, page) = kanwil.get(&format!("/fasilitas/{llg}/tps/{tps}")).await;
    let id: i64 = sqlx::query_scalar(
        "select id from voters where kpu_tps is not null and kpu_tps <> 77 limit 1",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let version = crate::helpers::versi_in(&page);
    let resp = kanwil
        .post(
            &format!("/fasilitas/{llg}/tps/{tps}/pindah"),
            &[
                ("versi", version.as_str()),
                ("pemilih", &id.to_string()),
                ("tujuan", "2"),
            ],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert!(resp.text().await.unwrap().contains("ditetapkan KPU di TPS"));
}
