//! The living demo (issue 16): a Simulasi election beside the archived Pemilu 2024, with a
//! roll for every facility from a fixed seed, allocated, and pages that open on it.

use loksus::demo;
use loksus::domain::access::Role;
use reqwest::StatusCode;
use sqlx::PgPool;

use crate::helpers::{TestApp, TestDb};

/// A digest of the Simulasi rolls: facility, name, NIK, list and flags, in order; dates as
/// days before or after the voting day.
async fn digest(pool: &PgPool) -> String {
    sqlx::query_scalar(
        "select md5(string_agg(concat_ws('|', f.code, v.name, v.nik, v.list, v.nik_flag,
                    v.nik_raw, v.ktp_el, v.kpu_tps, v.form_origin_desa, v.legal_status,
                    v.release_date - e.voting_day, v.admitted_on - e.voting_day,
                    v.station_id is not null), ';' order by f.code, v.name))
         from voters v join facilities f on f.id = v.facility_id
         join elections e on e.id = v.election_id and e.slug = 'simulasi'",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

async fn number(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

#[tokio::test]
async fn simulasi_rolls_match_the_inmates_and_repeat_with_the_seed() {
    let (a, b) = (TestDb::new().await, TestDb::new().await);
    demo::load(&a.pool).await.unwrap();
    demo::load(&b.pool).await.unwrap();
    assert_eq!(digest(&a.pool).await, digest(&b.pool).await);

    let pool = &a.pool;
    let sumsel = number(
        pool,
        "select count(*) from voters v join facilities f on f.id = v.facility_id
         join elections e on e.id = v.election_id
         where e.slug = 'simulasi' and f.province_code = '16' and v.status = 'active'",
    )
    .await;
    assert_eq!(sumsel, 15_895);
    // Every facility's roll is as large as its inmate count.
    let off = number(
        pool,
        "select count(*) from facilities f
         where f.inmates <> (select count(*) from voters v join elections e on e.id = v.election_id
                             where v.facility_id = f.id and e.slug = 'simulasi')",
    )
    .await;
    assert_eq!(off, 0);
    // Every Sumatera Selatan facility has voters placed on its TPS.
    let unplaced = number(
        pool,
        "select count(*) from facilities f where f.province_code = '16' and not exists (
             select 1 from voters v join stations s on s.id = v.station_id
             join elections e on e.id = s.election_id and e.slug = 'simulasi'
             where v.facility_id = f.id)",
    )
    .await;
    assert_eq!(unplaced, 0);
    // The lists come close to the published split (DPT 9.084, DPTb 1.913, DPK 2.522).
    let lists: (i64, i64, i64) = sqlx::query_as(
        "select count(*) filter (where list = 'dpt'), count(*) filter (where list = 'dptb'),
                count(*) filter (where list = 'dpk')
         from voters v join facilities f on f.id = v.facility_id
         join elections e on e.id = v.election_id
         where e.slug = 'simulasi' and f.province_code = '16'",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    assert!(
        lists.0 > 8_900 && lists.1 > 1_850 && lists.2 > 2_450,
        "{lists:?}"
    );
}

#[tokio::test]
async fn simulasi_rolls_hold_the_defects_of_2024() {
    let db = TestDb::new().await;
    demo::load(&db.pool).await.unwrap();
    let counts: Vec<(String, i64)> = sqlx::query_as(
        "select k, n from (select
            count(*) filter (where nik_flag = 'no_nik') as no_nik,
            count(*) filter (where nik_flag = 'nik_invalid' and nik_problem = 'scientific') as invalid,
            count(*) filter (where nik_flag = 'nik_mismatch') as mismatch,
            count(*) filter (where list = 'dptb' and form_origin_desa is null) as dptb_no_form,
            count(*) filter (where list = 'dpk' and ktp_el = false) as dpk_no_ktp,
            count(*) filter (where 'released' = any(reasons)) as released,
            count(*) filter (where 'under_age' = any(reasons)) as under_age,
            count(*) filter (where list = 'dpt' and kpu_tps is null) as dpt_no_kpu_tps,
            count(*) filter (where admitted_on > now()::date - 21) as recent,
            count(*) as total
         from voters_with_reasons v join elections e on e.id = v.election_id
         where e.slug = 'simulasi') c,
         lateral (values ('no_nik', no_nik), ('invalid', invalid), ('mismatch', mismatch),
                         ('dptb_no_form', dptb_no_form), ('dpk_no_ktp', dpk_no_ktp),
                         ('released', released), ('under_age', under_age),
                         ('dpt_no_kpu_tps', dpt_no_kpu_tps), ('recent', recent),
                         ('total', total)) as x (k, n)",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    let get = |k: &str| counts.iter().find(|(n, _)| n == k).unwrap().1;
    let total = get("total") as f64;
    let share = |k: &str| get(k) as f64 / total;
    assert!((0.02..0.04).contains(&share("no_nik")), "{counts:?}");
    assert!((0.005..0.02).contains(&share("invalid")), "{counts:?}");
    assert!((0.005..0.02).contains(&share("mismatch")), "{counts:?}");
    for k in [
        "dptb_no_form",
        "dpk_no_ktp",
        "released",
        "under_age",
        "recent",
    ] {
        assert!(get(k) > 0, "no {k}: {counts:?}");
    }
    assert_eq!(get("dpt_no_kpu_tps"), 0);
    // The voting day is 45 days ahead, the deadlines follow from it.
    let days: (i32, i32, i32) = sqlx::query_as(
        "select voting_day - current_date, voting_day - transfer_deadline,
                voting_day - detainee_transfer_deadline from elections where slug = 'simulasi'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(days, (45, 30, 7));
    // Ballots short at a few TPS, KPU lists with differences for two facilities.
    let short = number(
        &db.pool,
        "select count(distinct b.station_id) from station_ballots b
         join stations s on s.id = b.station_id
         join elections e on e.id = s.election_id and e.slug = 'simulasi'
         where b.received < (select count(*) from voters v where v.station_id = s.id)",
    )
    .await;
    assert!(short > 0);
    let lists = number(&db.pool, "select count(*) from kpu_lists").await;
    assert_eq!(lists, 2);
}

#[tokio::test]
async fn pages_open_on_the_simulasi_and_keep_pemilu_2024_one_click_away() {
    let app = TestApp::spawn_with_simulation().await;
    let registrar = app
        .login(Role::Registrar, None, Some("lapas-lubuklinggau"))
        .await;
    let (status, body) = registrar.get("/fasilitas/lapas-lubuklinggau/daftar").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("SIMULASI"), "{body}");
    let inmates = number(
        &app.db.pool,
        "select inmates::bigint from facilities where code = 'lapas-lubuklinggau'",
    )
    .await;
    assert!(body.contains(&format!(
        ">{} WBP aktif",
        loksus::domain::format::number(inmates)
    )));

    let (_, archived) = registrar
        .get("/fasilitas/lapas-lubuklinggau/daftar?pemilihan=pemilu-2024")
        .await;
    assert!(archived.contains("Pemilihan Umum 2024"));
    assert!(archived.contains(">0 WBP aktif"));

    // KPU sees its list's differences; the kanwil the readiness of the province's TPS.
    let kpu = app.login(Role::Kpu, Some("16"), None).await;
    let (status, reconcile) = kpu.get("/fasilitas/lapas-lubuklinggau/rekonsiliasi").await;
    assert_eq!(status, StatusCode::OK);
    assert!(reconcile.contains("DPT-KPU-lapas-lubuklinggau-simulasi.csv"));
    assert!(reconcile.contains("Ada di daftar KPU, tidak ada di daftar WBP aktif"));
    let kanwil = app.login(Role::Kanwil, Some("16"), None).await;
    let (status, matrix) = kanwil.get("/provinsi/16/kesiapan").await;
    assert_eq!(status, StatusCode::OK);
    assert!(matrix.contains("SIMULASI"));

    // The dashboard opens on the Simulasi; Pemilu 2024's published row is unchanged.
    let admin = app.admin().await;
    let (_, dashboard) = admin.get("/").await;
    assert!(dashboard.contains("SIMULASI Pemungutan Suara"));
    let (_, published) = admin.get("/?pemilihan=pemilu-2024").await;
    assert_eq!(
        crate::helpers::row_cells(&published, r#"data-province="16""#)[1..9],
        [
            "20", "51", "15.895", "9.084", "1.913", "2.522", "13.519", "85%"
        ]
    );
}
