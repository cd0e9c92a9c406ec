//! Two `loksus serve` processes on one database, each caching sessions and users in memory:
//! a deactivation, a password change or a logout on one ends the session on the other within
//! a second (the database notifies every process).

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use loksus::db::audit::Actor;
use loksus::domain::access::Role;
use loksus::users::{self, NewUser};
use reqwest::StatusCode;

use crate::helpers::{Browser, TestApp, database_url, loksus};

const PASSWORD: &str = "kata-sandi-uji-123";

/// A `loksus serve` process on the test database; killed when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_server(app: &TestApp) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_loksus"))
        .args(["serve", "--addr", "127.0.0.1:0", "--no-demo"])
        .env("DATABASE_URL", database_url(app))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let base = loop {
        let line = lines
            .next()
            .expect("the server exited before printing its address")
            .unwrap();
        if let Some(rest) = line.strip_prefix("Loksus is serving ") {
            break rest.trim().to_owned();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    Server { child, base }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap()
}

async fn new_user(app: &TestApp, username: &str, role: Role, province: Option<&str>) {
    users::store::create(
        &app.db.pool,
        NewUser {
            username: username.to_owned(),
            role,
            province_code: province.map(str::to_owned),
            facility_code: None,
            password: PASSWORD.to_owned(),
        },
        &Actor::command_line(),
    )
    .await
    .unwrap();
}

/// Logs `username` in on `server`: the browser, and its session cookie.
async fn log_in(server: &Server, username: &str) -> (Browser, String) {
    let browser = Browser {
        base: server.base.clone(),
        client: client(),
    };
    let resp = browser.log_in(username, PASSWORD).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let cookie = resp.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    (browser, cookie)
}

/// The status and `Location` of `path` on `server` for the session `cookie`.
async fn fetch(server: &Server, cookie: &str, path: &str) -> (StatusCode, String) {
    let resp = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(format!("{}{path}", server.base))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    let location = resp
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (resp.status(), location)
}

/// Asks `server` for a page with `cookie` until it sends the visitor to the login page; the
/// deadline is the issue's: one second after the change.
async fn session_ends_within_a_second(server: &Server, cookie: &str, since: Instant) {
    loop {
        let (status, location) = fetch(server, cookie, "/").await;
        if status == StatusCode::SEE_OTHER && location.starts_with("/masuk") {
            return;
        }
        assert_eq!(status, StatusCode::OK);
        assert!(
            since.elapsed() < Duration::from_secs(1),
            "the session still works on the other server a second later"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Both servers, with `username`'s session from the first known to the second (cached).
async fn two_servers_sharing_a_session(
    app: &TestApp,
    username: &str,
) -> (Server, Server, Browser, String) {
    let one = start_server(app);
    let two = start_server(app);
    let (browser, cookie) = log_in(&one, username).await;
    for _ in 0..3 {
        assert_eq!(fetch(&two, &cookie, "/").await.0, StatusCode::OK);
    }
    (one, two, browser, cookie)
}

#[tokio::test]
async fn a_deactivation_on_one_server_ends_the_session_on_the_other() {
    let app = TestApp::spawn_with_demo().await;
    new_user(&app, "kanwil-dua-server", Role::Kanwil, Some("16")).await;
    new_user(&app, "admin-dua-server", Role::Admin, None).await;
    let (one, two, _, cookie) = two_servers_sharing_a_session(&app, "kanwil-dua-server").await;
    let id: i64 = sqlx::query_scalar("select id from users where username = 'kanwil-dua-server'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let (admin, _) = log_in(&one, "admin-dua-server").await;
    let resp = admin
        .post(
            &format!("/admin/pengguna/{id}/status"),
            &[("aktif", "false")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    session_ends_within_a_second(&two, &cookie, Instant::now()).await;
    // And on the server that deactivated it, at once.
    assert_eq!(fetch(&one, &cookie, "/").await.0, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_password_change_ends_the_session_on_every_server() {
    let app = TestApp::spawn_with_demo().await;
    new_user(&app, "kpu-dua-server", Role::Kpu, Some("16")).await;
    let (one, two, _, cookie) = two_servers_sharing_a_session(&app, "kpu-dua-server").await;
    assert_eq!(fetch(&one, &cookie, "/").await.0, StatusCode::OK);
    // A third process: the command line.
    let out = loksus(&app, &["user", "passwd", "kpu-dua-server", "--generate"]);
    assert!(out.status.success(), "{out:?}");
    let since = Instant::now();
    session_ends_within_a_second(&two, &cookie, since).await;
    session_ends_within_a_second(&one, &cookie, since).await;
}

#[tokio::test]
async fn a_logout_on_one_server_ends_the_session_on_the_other() {
    let app = TestApp::spawn_with_demo().await;
    new_user(&app, "kanwil-keluar", Role::Kanwil, Some("16")).await;
    let (_one, two, browser, cookie) = two_servers_sharing_a_session(&app, "kanwil-keluar").await;
    assert_eq!(
        browser.post("/keluar", &[]).await.status(),
        StatusCode::SEE_OTHER
    );
    session_ends_within_a_second(&two, &cookie, Instant::now()).await;
}
