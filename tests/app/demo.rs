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
    assert_eq!(summary.stations as i64, count(&db, "stations").await);
    assert_eq!(count(&db, "elections").await, 1);

    let again = demo::load(&db.pool).await;
    assert!(
        matches!(again, Err(DemoError::AlreadyLoaded(_))),
        "{again:?}"
    );
    assert_eq!(summary.facilities as i64, count(&db, "facilities").await);
    assert_eq!(summary.stations as i64, count(&db, "stations").await);
}

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
             ('16.71.01', 'Kecamatan contoh', '16.71'), ('16.71.01.1001', 'Desa contoh', '16.71.01')",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    assert_eq!(count(&db, "regions where parent_code is null").await, 38);
}
