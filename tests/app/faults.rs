//! Faults: the database stops and comes back while the server runs; an import loses its
//! connection midway. (SIGTERM during a request is in `cli.rs`, with the real binary.)

use std::sync::Arc;
use std::time::Duration;

use loksus::db;
use loksus::db::audit::Actor;
use loksus::devtools::ThrowawayCluster;
use loksus::rolls::import;
use loksus::{AppState, Config};
use reqwest::StatusCode;
use sqlx::{Connection, PgConnection};
use time::macros::date;

use crate::helpers::{Browser, TestDb};

#[tokio::test]
async fn the_server_answers_503_while_the_database_is_down_and_recovers_by_itself() {
    // A cluster of this test's own, so that it can be stopped.
    let throwaway = tokio::task::spawn_blocking(ThrowawayCluster::start)
        .await
        .unwrap()
        .expect("a throwaway cluster");
    let cluster = throwaway.cluster.clone();
    let mut conn = PgConnection::connect_with(&cluster.connect_options("postgres"))
        .await
        .unwrap();
    sqlx::query("create database faults")
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    let pool = db::pool_options().connect_lazy_with(cluster.connect_options("faults"));
    db::migrate(&pool).await.unwrap();
    loksus::demo::load_archived_only(&pool).await.unwrap();
    let password = "kata-sandi-uji-123";
    loksus::users::store::set_password(&pool, "admin", password.to_owned(), &Actor::command_line())
        .await
        .unwrap();

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let state = AppState {
        db: pool.clone(),
        config: Arc::new(Config::default()),
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(loksus::serve(listener, state, async {
        let _ = stopped.await;
    }));
    let browser = Browser {
        base: base.clone(),
        client: reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
    };
    assert_eq!(
        browser.log_in("admin", password).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(browser.get("/provinsi/16").await.0, StatusCode::OK);

    let c = cluster.clone();
    tokio::task::spawn_blocking(move || c.stop())
        .await
        .unwrap()
        .unwrap();
    let (status, body) = browser.get("/health").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body, "database unavailable");
    let (status, body) = browser.get("/provinsi/16").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(body.contains("Layanan sedang tidak tersedia"));

    let c = cluster.clone();
    tokio::task::spawn_blocking(move || c.start())
        .await
        .unwrap()
        .unwrap();
    // No restart of Loksus: the pool reconnects on its own, the session survived.
    let mut recovered = false;
    for _ in 0..50 {
        if browser.get("/health").await.0 == StatusCode::OK {
            recovered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(recovered, "/health did not recover");
    let (status, body) = browser.get("/provinsi/16").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("15.895"));
    let _ = stop.send(());
    pool.close().await;
    drop(throwaway);
}

#[tokio::test]
async fn an_import_whose_connection_dies_leaves_the_roll_as_it_was() {
    let db = TestDb::new().await;
    loksus::demo::load_archived_only(&db.pool).await.unwrap();
    let roll = loksus::read::places::facility(&db.pool, "lapas-lubuklinggau", None)
        .await
        .unwrap()
        .unwrap();
    let opts = import::Options {
        skip_invalid: true,
        ..import::Options::new(import::Mode::Replace)
    };
    // A first roll of 200 inmates.
    let mut small = Vec::new();
    loksus::demo::rolls::write_roll(&mut small, 200, 7).unwrap();
    import::import(
        &db.pool,
        &roll,
        &small[..],
        opts.clone(),
        &Actor::command_line(),
        date!(2026 - 11 - 28),
    )
    .await
    .unwrap();
    let snapshot = || async {
        sqlx::query_scalar::<_, String>(
            "select md5(string_agg(v::text, ',' order by v.id)) from voters v",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap()
    };
    let before = snapshot().await;

    // A big replacement whose connection is killed while it loads.
    let mut big = Vec::new();
    loksus::demo::rolls::write_roll(&mut big, 150_000, 8).unwrap();
    let pool = db.pool.clone();
    let target = roll.clone();
    let running = tokio::spawn(async move {
        import::import(
            &pool,
            &target,
            &big[..],
            opts,
            &Actor::command_line(),
            date!(2026 - 11 - 28),
        )
        .await
    });
    let mut killed = false;
    for _ in 0..200 {
        let n: i64 = sqlx::query_scalar(
            "select count(pg_terminate_backend(pid)) from pg_stat_activity
             where datname = current_database() and pid <> pg_backend_pid()
               and query ilike 'copy%roll_staging%'",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        if n > 0 {
            killed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(killed, "the import's COPY was never seen");
    let result = running.await.unwrap();
    assert!(
        result.is_err(),
        "the import should fail when its connection dies"
    );
    assert_eq!(snapshot().await, before, "the roll changed");
    let uploads: i64 =
        sqlx::query_scalar("select count(*) from audit_log where action like 'roll.%'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(uploads, 1, "only the first import is in the audit log");
}
