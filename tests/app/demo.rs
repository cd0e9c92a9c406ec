//! Loading the demo data into a database.

use loksus::demo::{self, DemoError};

use crate::helpers::TestDb;

async fn count(db: &TestDb, table: &str) -> i64 {
    sqlx::query_scalar(&format!("select count(*) from {table}"))
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn demo_loads_once_and_refuses_the_second_time() {
    let db = TestDb::new().await;
    let summary = demo::load(&db.pool).await.unwrap();
    assert_eq!(summary.facilities as i64, count(&db, "facilities").await);
    assert_eq!(summary.stations as i64, count(&db, ARCHIVED_STATIONS).await);
    // The archived Pemilu 2024 and the Simulasi with the same TPS.
    assert_eq!(count(&db, "elections").await, 2);
    assert_eq!(2 * summary.stations as i64, count(&db, "stations").await);

    let again = demo::load(&db.pool).await;
    assert!(
        matches!(again, Err(DemoError::AlreadyLoaded(_))),
        "{again:?}"
    );
    assert_eq!(summary.facilities as i64, count(&db, "facilities").await);
    assert_eq!(2 * summary.stations as i64, count(&db, "stations").await);
}

/// The TPS of the archived Pemilu 2024 demo.
const ARCHIVED_STATIONS: &str =
    "stations where election_id = (select id from elections where slug = 'pemilu-2024')";

#[tokio::test]
async fn demo_refuses_a_database_that_already_has_facilities() {
    let db = TestDb::new().await;
    sqlx::query(
        "insert into facilities (code, name, facility_type, class, province_code, kabkota_code)
         values ('lapas-kupang', 'Lapas Kelas IIA Kupang', 'lapas', 'IIA', '53', '53.71')",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    let result = demo::load(&db.pool).await;
    assert!(matches!(result, Err(DemoError::NotEmpty)), "{result:?}");
    assert_eq!(count(&db, "facilities").await, 1);
    assert_eq!(count(&db, "elections").await, 0);
}

#[tokio::test]
async fn schema_rejects_inconsistent_rows() {
    let db = TestDb::new().await;
    // The kab/kota must lie in the facility's province.
    let wrong_province = sqlx::query(
        "insert into facilities (code, name, facility_type, province_code, kabkota_code)
         values ('x', 'X', 'lapas', '16', '53.71')",
    )
    .execute(&db.pool)
    .await;
    assert!(wrong_province.is_err());
    // Unknown facility types and malformed region codes are refused.
    let bad_type = sqlx::query(
        "insert into facilities (code, name, facility_type, province_code, kabkota_code)
         values ('y', 'Y', 'penjara', '16', '16.71')",
    )
    .execute(&db.pool)
    .await;
    assert!(bad_type.is_err());
    let bad_code =
        sqlx::query("insert into regions (code, name, parent_code) values ('16.7', 'X', '16')")
            .execute(&db.pool)
            .await;
    assert!(bad_code.is_err());
    // Kecamatan and desa codes fit the format.
    sqlx::query(
        "insert into regions (code, name, parent_code) values
             ('16.71.99', 'Kecamatan contoh', '16.71'), ('16.71.99.1001', 'Desa contoh', '16.71.99')",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    assert_eq!(count(&db, "regions where parent_code is null").await, 38);
}

#[tokio::test]
async fn demo_facilities_stand_in_their_kemendagri_kabkota_and_keep_the_published_totals() {
    let db = TestDb::new().await;
    demo::load(&db.pool).await.unwrap();
    let (kabkota, name): (String, String) = sqlx::query_as(
        "select f.kabkota_code, r.name from facilities f join regions r on r.code = f.kabkota_code
         where f.code = 'lapas-lubuklinggau'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(
        (kabkota.as_str(), name.as_str()),
        ("16.73", "Kota Lubuk Linggau")
    );
    // Every TPS location is a desa of the reference inside its facility's kab/kota.
    let misplaced: i64 = sqlx::query_scalar(
        "select count(*) from stations s join facilities f on f.id = s.facility_id
         left join regions r on r.code = s.location_code and r.level = 'desa'
         where s.location_code is not null
           and (r.code is null or left(s.location_code, 5) <> f.kabkota_code)",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(misplaced, 0);
    let numbers: Vec<i32> = sqlx::query_scalar(
        "select s.tps_number from stations s join facilities f on f.id = s.facility_id
         join elections e on e.id = s.election_id and e.slug = 'pemilu-2024'
         where f.code = 'lapas-palembang' order by 1",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(numbers, [901, 902, 903, 904]);
    let totals: (i64, i64, i64, i64, i64, i64) = sqlx::query_as(
        "select count(distinct f.id), count(s.id),
                (select sum(inmates) from facilities where province_code = '16'),
                sum(s.dpt), sum(s.dptb), sum(s.dpk)
         from facilities f join stations s on s.facility_id = f.id
         join elections e on e.id = s.election_id and e.slug = 'pemilu-2024'
         where f.province_code = '16'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(totals, (20, 51, 15_895, 9_084, 1_913, 2_522));
    let surulangun: (String, Option<String>, String, bool) = sqlx::query_as(
        "select facility_type, class, kabkota_code, illustrative from facilities
         where name = 'Lapas Kelas III Surulangun Rawas'",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(
        surulangun,
        ("lapas".into(), Some("III".into()), "16.13".into(), true)
    );
}
