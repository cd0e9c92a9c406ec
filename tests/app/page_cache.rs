//! The dashboard and the province page, served from memory per data generation: the same
//! page and `ETag` while nothing changed, 304 for a browser that holds it, and a fresh page
//! after any change of the data.

use loksus::domain::access::Role;
use reqwest::StatusCode;

use crate::helpers::{Browser, TestApp, row_cells};

/// Status, `ETag` and body of `path`, sending `If-None-Match` when given.
async fn get(
    who: &Browser,
    path: &str,
    if_none_match: Option<&str>,
) -> (StatusCode, String, String) {
    let mut req = who.client.get(who.url(path));
    if let Some(tag) = if_none_match {
        req = req.header("if-none-match", tag);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status();
    let etag = resp
        .headers()
        .get("etag")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, etag, resp.text().await.unwrap())
}

#[tokio::test]
async fn an_unchanged_page_keeps_its_etag_and_a_browser_holding_it_gets_304() {
    let app = TestApp::spawn_with_demo().await;
    let kanwil = app.login(Role::Kanwil, Some("16"), None).await;
    for path in ["/", "/provinsi/16"] {
        let (status, etag, body) = get(&kanwil, path, None).await;
        assert_eq!(status, StatusCode::OK);
        assert!(etag.starts_with('"'), "{path}: {etag}");
        let (status, again, same) = get(&kanwil, path, None).await;
        assert_eq!((status, &again, &same), (StatusCode::OK, &etag, &body));
        let (status, _, empty) = get(&kanwil, path, Some(&etag)).await;
        assert_eq!(status, StatusCode::NOT_MODIFIED, "{path}");
        assert_eq!(empty, "");
        let (status, _, _) = get(&kanwil, path, Some("\"lain\"")).await;
        assert_eq!(status, StatusCode::OK);
    }
}

#[tokio::test]
async fn a_change_of_the_data_shows_at_once_with_a_new_etag() {
    let app = TestApp::spawn_with_demo().await;
    let kanwil = app.login(Role::Kanwil, Some("16"), None).await;
    let (_, etag, before) = get(&kanwil, "/provinsi/16", None).await;
    let dpt_of = |html: &str| row_cells(html, r#"data-facility="lapas-lubuklinggau""#)[4].clone();
    // Written behind the server's back, as another server process or the command line would.
    sqlx::query(
        "update stations set dpt = dpt + 1000
         where facility_id = (select id from facilities where code = 'lapas-lubuklinggau')
           and tps_number = 1",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    let (status, new_etag, after) = get(&kanwil, "/provinsi/16", Some(&etag)).await;
    assert_eq!(status, StatusCode::OK);
    assert_ne!(new_etag, etag);
    let number = |s: String| s.replace('.', "").parse::<i64>().unwrap();
    assert_eq!(number(dpt_of(&after)), number(dpt_of(&before)) + 1000);
}

#[tokio::test]
async fn each_session_gets_its_own_page() {
    let app = TestApp::spawn_with_demo().await;
    let one = app.login(Role::Kanwil, Some("16"), None).await;
    let other = app.login(Role::Kanwil, Some("16"), None).await;
    let (_, etag_one, page_one) = get(&one, "/", None).await;
    let (_, etag_other, page_other) = get(&other, "/", None).await;
    assert_ne!(etag_one, etag_other);
    // Each page carries its own session's CSRF token (the logout form) and user name.
    assert!(page_one.contains(&one.csrf().await));
    assert!(page_other.contains(&other.csrf().await));
    assert_ne!(page_one, page_other);
    // Another user's tag is not this user's page.
    assert_eq!(get(&one, "/", Some(&etag_other)).await.0, StatusCode::OK);
}

/// Every table raises the data generation when written, but those that no cached page
/// reads or that are rebuilt from the others: a new table must be placed on one side.
#[tokio::test]
async fn every_table_but_the_derived_and_private_ones_raises_the_data_generation() {
    let app = TestApp::spawn().await;
    let silent: Vec<String> = sqlx::query_scalar(
        "select t.tablename::text from pg_tables t
         where t.schemaname = 'public'
           and not exists (select 1 from pg_trigger g
                           where g.tgrelid = format('public.%I', t.tablename)::regclass
                             and g.tgname = t.tablename || '_data_changed')
         order by 1",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(
        silent,
        [
            "_sqlx_migrations",
            "audit_log",
            "bench_fortunes",
            "data_changes",
            "data_generation",
            "facility_figures",
            "figures_stale",
            "kpu_list_figures",
            "login_attempts",
            "province_figures",
            "province_voting_day",
            "region_staging",
            "roll_figures",
            "roll_staging",
            "station_voting_day",
        ]
    );
}
