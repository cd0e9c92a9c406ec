//! Login hardening (issue 11, findings 5, 6, 9, 14 and 15): where login may redirect, the
//! throttle under concurrency, behind a proxy and across two servers, and the login form's
//! CSRF protection without a stored session per anonymous visitor.

use std::sync::Arc;

use loksus::db::audit::Actor;
use loksus::domain::access::Role;
use loksus::users::{self, NewUser};
use loksus::{AppState, Config};
use reqwest::StatusCode;
use sqlx::PgPool;
use tokio::sync::oneshot;
use tokio::task::JoinSet;

use crate::helpers::{Browser, TestApp, csrf_in};

const PASSWORD: &str = "kata-sandi-uji-123";
const WRONG: &str = "salah-salah-salah";

/// Creates an account and returns its username (password [`PASSWORD`]).
async fn new_user(app: &TestApp, username: &str, role: Role) -> String {
    users::store::create(
        &app.db.pool,
        NewUser {
            username: username.to_owned(),
            role,
            province_code: (role == Role::Kanwil).then(|| "16".to_owned()),
            facility_code: None,
            password: PASSWORD.to_owned(),
        },
        &Actor::command_line(),
    )
    .await
    .expect("create test user");
    username.to_owned()
}

fn new_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap()
}

/// One login through the form, as if forwarded by a proxy with this `X-Forwarded-For`.
async fn log_in_via(
    browser: &Browser,
    username: &str,
    password: &str,
    forwarded: Option<&str>,
) -> reqwest::Response {
    let token = browser.csrf().await;
    let mut req = browser.client.post(browser.url("/masuk")).form(&[
        ("username", username),
        ("password", password),
        ("csrf", &token),
    ]);
    if let Some(f) = forwarded {
        req = req.header("x-forwarded-for", f);
    }
    req.send().await.unwrap()
}

async fn status_of(
    browser: &Browser,
    username: &str,
    password: &str,
    forwarded: Option<&str>,
) -> StatusCode {
    log_in_via(browser, username, password, forwarded)
        .await
        .status()
}

/// Sends `count` wrong-password logins for `username` at once (one browser, one form token).
async fn concurrent_failures(
    browser: &Browser,
    username: &str,
    count: usize,
    forwarded: &str,
) -> JoinSet<StatusCode> {
    let token = browser.csrf().await;
    let mut set = JoinSet::new();
    for _ in 0..count {
        let req = browser
            .client
            .post(browser.url("/masuk"))
            .header("x-forwarded-for", forwarded)
            .form(&[
                ("username", username),
                ("password", WRONG),
                ("csrf", &token),
            ]);
        set.spawn(async move { req.send().await.unwrap().status() });
    }
    set
}

/// How many answers were 401 (a password evaluated) and 429 (refused before).
fn tally(statuses: &[StatusCode]) -> (usize, usize) {
    let unauthorized = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let throttled = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(
        unauthorized + throttled,
        statuses.len(),
        "only 401 or 429: {statuses:?}"
    );
    (unauthorized, throttled)
}

async fn failures_recorded(pool: &PgPool, username: &str) -> i64 {
    sqlx::query_scalar("select count(*) from login_attempts where username = $1 and not success")
        .bind(username)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// The value of the first field `name` on a page.
fn field_in(html: &str, name: &str) -> String {
    let marker = format!(r#"name="{name}" value=""#);
    let at = html.find(&marker).expect("the field") + marker.len();
    html[at..at + html[at..].find('"').unwrap()].to_owned()
}

fn trusting_proxy() -> Config {
    Config {
        trust_proxy: true,
        ..Config::default()
    }
}

#[tokio::test]
async fn login_redirects_only_to_a_local_path() {
    let app = TestApp::spawn_with_demo().await;
    let username = new_user(&app, "pengalih", Role::Admin).await;
    for (next, expected) in [
        ("/\t/x", "/"),
        ("//x", "/"),
        ("/\\x", "/"),
        ("\r\n", "/"),
        ("/\r\n/x", "/"),
        ("/ /x", "/"),
        ("https://x", "/"),
        ("/provinsi/16", "/provinsi/16"),
    ] {
        let browser = app.browser();
        let resp = browser
            .post(
                "/masuk",
                &[
                    ("username", &username),
                    ("password", PASSWORD),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(resp.status(), StatusCode::SEE_OTHER, "next={next:?}");
        assert_eq!(resp.headers()["location"], expected, "next={next:?}");
    }
    // The login page never carries such a `next` into its form either.
    for query in ["/%09/x", "//x", "/%5Cx", "%0d%0a", "/%0d%0a/x"] {
        let (status, body) = app.browser().get(&format!("/masuk?next={query}")).await;
        assert_eq!(status, StatusCode::OK, "next={query}");
        assert!(
            matches!(field_in(&body, "next").as_str(), "/" | "&#x2f;" | "&#47;"),
            "next={query}: {}",
            field_in(&body, "next")
        );
    }
}

#[tokio::test]
async fn thirty_concurrent_wrong_passwords_evaluate_at_most_five() {
    let app = TestApp::spawn_with_demo().await;
    let username = new_user(&app, "sasaran", Role::Admin).await;
    let browser = app.browser();
    let statuses = concurrent_failures(&browser, &username, 30, "ignored")
        .await
        .join_all()
        .await;
    let (unauthorized, throttled) = tally(&statuses);
    assert!(
        (1..=5).contains(&unauthorized),
        "{unauthorized} wrong passwords evaluated, {throttled} refused"
    );
    assert!(failures_recorded(&app.db.pool, &username).await <= 5);
    // The right password is refused too while the pair is throttled.
    assert_eq!(
        status_of(&browser, &username, PASSWORD, None).await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn forged_forwarded_entries_neither_escape_the_throttle_nor_reach_the_audit() {
    let app = TestApp::spawn_with_config(trusting_proxy()).await;
    let browser = app.browser();
    // One address tries a new username each time, forging a new left-most entry each time;
    // the proxy appended 203.0.113.9.
    let mut statuses = Vec::new();
    for n in 1..=7 {
        let forwarded = format!("198.18.0.{n}, 203.0.113.9");
        statuses.push(status_of(&browser, &format!("tebakan-{n}"), WRONG, Some(&forwarded)).await);
    }
    assert_eq!(statuses[..5], [StatusCode::UNAUTHORIZED; 5], "{statuses:?}");
    assert_eq!(
        statuses[5..],
        [StatusCode::TOO_MANY_REQUESTS; 2],
        "{statuses:?}"
    );
    let addrs: Vec<Option<String>> = sqlx::query_scalar(
        "select distinct client_addr from audit_log
         where action in ('login_failed', 'login_throttled')",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(addrs, [Some("203.0.113.9".to_owned())]);
}

#[tokio::test]
async fn anonymous_visitors_leave_no_session_behind_and_the_login_form_keeps_its_csrf_check() {
    let app = TestApp::spawn_with_demo().await;
    let username = new_user(&app, "tamu", Role::Kanwil).await;
    let sessions = || async {
        sqlx::query_scalar::<_, i64>("select count(*) from tower_sessions.session")
            .fetch_one(&app.db.pool)
            .await
            .unwrap()
    };
    let before = sessions().await;
    let mut set_cookies = Vec::new();
    for _ in 0..20 {
        let resp = new_client().get(app.url("/masuk")).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        let cookies: Vec<String> = resp
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect();
        set_cookies.push(cookies);
    }
    assert_eq!(sessions().await, before, "GET /masuk stored sessions");
    // Each visitor got only the login form's cookie, sent back to /masuk alone.
    for cookies in &set_cookies {
        assert_eq!(cookies.len(), 1, "{cookies:?}");
        for part in ["HttpOnly", "SameSite=Strict", "Path=/masuk"] {
            assert!(cookies[0].contains(part), "{part}: {cookies:?}");
        }
    }
    // A failed login stores nothing either.
    let stranger = app.browser();
    assert_eq!(
        status_of(&stranger, &username, WRONG, None).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(sessions().await, before);

    // Without the form's token, or with another visitor's, the login is refused.
    let visitor = app.browser();
    let other_token = app.browser().csrf().await;
    let own_token = visitor.csrf().await;
    assert_ne!(own_token, other_token);
    let fields = [("username", username.as_str()), ("password", PASSWORD)];
    assert_eq!(
        visitor.post_raw("/masuk", &fields).await.status(),
        StatusCode::FORBIDDEN
    );
    let mut wrong = fields.to_vec();
    wrong.push(("csrf", &other_token));
    assert_eq!(
        visitor.post_raw("/masuk", &wrong).await.status(),
        StatusCode::FORBIDDEN
    );
    // A token without its cookie (another browser) is refused too.
    let mut own = fields.to_vec();
    own.push(("csrf", &own_token));
    let cookieless = Browser {
        base: app.base.clone(),
        client: new_client(),
    };
    assert_eq!(
        cookieless.post_raw("/masuk", &own).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(sessions().await, before);

    // With it, the login works and stores one session, with a token of its own.
    let resp = visitor.post_raw("/masuk", &own).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert!(session_cookie(&resp).is_some(), "a session cookie on login");
    assert_eq!(sessions().await, before + 1);
    let (status, page) = visitor.get("/").await;
    assert_eq!(status, StatusCode::OK);
    let session_token = csrf_in(&page).expect("the logout form's token");
    assert_ne!(session_token, own_token);
    assert_eq!(
        visitor.post("/keluar", &[]).await.status(),
        StatusCode::SEE_OTHER
    );

    // Logging in from a browser that already has a session cycles its id.
    let resp = visitor.log_in(&username, PASSWORD).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let first_id = session_cookie(&resp).expect("a session cookie");
    let resp = visitor.log_in(&username, PASSWORD).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let second_id = session_cookie(&resp).expect("a new session cookie");
    assert_ne!(first_id, second_id);
}

/// The session id a response sets, if any.
fn session_cookie(resp: &reqwest::Response) -> Option<String> {
    resp.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("loksus_session="))
        .map(|c| c.split(';').next().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn a_stranger_cannot_lock_a_user_out_of_their_own_address() {
    let app = TestApp::spawn_with_config(trusting_proxy()).await;
    let admin = new_user(&app, "admin-kantor", Role::Admin).await;
    let stranger = app.browser();
    for attempt in 1..=5 {
        assert_eq!(
            status_of(&stranger, &admin, WRONG, Some("198.51.100.66")).await,
            StatusCode::UNAUTHORIZED,
            "attempt {attempt}"
        );
    }
    // The stranger is throttled, even with the right password...
    assert_eq!(
        status_of(&stranger, &admin, PASSWORD, Some("198.51.100.66")).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // ...and cannot move on to another username from that address.
    let other = new_user(&app, "kanwil-lain", Role::Kanwil).await;
    assert_eq!(
        status_of(&stranger, &other, WRONG, Some("198.51.100.66")).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // The admin at their usual address logs in.
    let own = app.browser();
    assert_eq!(
        status_of(&own, &admin, PASSWORD, Some("192.0.2.10")).await,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn many_failures_from_many_addresses_do_throttle_the_username() {
    assert_eq!(
        Config::default().login_max_failures_per_username,
        10 * Config::default().login_max_failures
    );
    let app = TestApp::spawn_with_config(Config {
        login_max_failures: 2,
        login_max_failures_per_username: 6,
        ..trusting_proxy()
    })
    .await;
    let admin = new_user(&app, "admin-pusat", Role::Admin).await;
    let bystander = new_user(&app, "admin-cadangan", Role::Admin).await;
    let browser = app.browser();
    for n in 1..=3 {
        let addr = format!("198.51.100.{n}");
        for attempt in 1..=2 {
            assert_eq!(
                status_of(&browser, &admin, WRONG, Some(&addr)).await,
                StatusCode::UNAUTHORIZED,
                "address {addr}, attempt {attempt}"
            );
        }
    }
    // Six failures for the username from three addresses: the account is held, everywhere.
    let resp = log_in_via(&browser, &admin, PASSWORD, Some("192.0.2.10")).await;
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(resp.headers().contains_key("retry-after"));
    // Other accounts are not.
    assert_eq!(
        status_of(&app.browser(), &bystander, PASSWORD, Some("192.0.2.10")).await,
        StatusCode::SEE_OTHER
    );
}

/// A second server on the same database (its own pool), as a second process would be.
struct SecondServer {
    base: String,
    _shutdown: oneshot::Sender<()>,
}

impl SecondServer {
    async fn start(app: &TestApp, config: Config) -> Self {
        let options = app.db.pool.connect_options().as_ref().clone();
        let pool = loksus::db::pool_options().connect_lazy_with(options);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let state = AppState {
            db: pool,
            config: Arc::new(config),
        };
        let (tx, rx) = oneshot::channel::<()>();
        tokio::spawn(loksus::serve(listener, state, async {
            let _ = rx.await;
        }));
        Self {
            base,
            _shutdown: tx,
        }
    }

    /// A browser on this server that shares `other`'s cookies (same host, other port).
    fn with_cookies_of(&self, other: &Browser) -> Browser {
        Browser {
            base: self.base.clone(),
            client: other.client.clone(),
        }
    }

    fn browser(&self) -> Browser {
        Browser {
            base: self.base.clone(),
            client: new_client(),
        }
    }
}

#[tokio::test]
async fn two_servers_on_one_database_share_sessions_and_the_throttle() {
    let app = TestApp::spawn_with_config(trusting_proxy()).await;
    let b = SecondServer::start(&app, trusting_proxy()).await;
    let username = new_user(&app, "kanwil-dua", Role::Kanwil).await;
    let admin = app.admin().await;

    // A session from server A works on B; logging out on A ends it on B.
    let on_a = app.browser();
    assert_eq!(
        on_a.log_in(&username, PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    let on_b = b.with_cookies_of(&on_a);
    assert_eq!(on_b.get("/provinsi/16").await.0, StatusCode::OK);
    assert_eq!(
        on_a.post("/keluar", &[]).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(on_b.get("/provinsi/16").await.0, StatusCode::SEE_OTHER);

    // Deactivating the user on A ends their session on B.
    assert_eq!(
        on_b.log_in(&username, PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(on_b.get("/provinsi/16").await.0, StatusCode::OK);
    let id: i64 = sqlx::query_scalar("select id from users where username = $1")
        .bind(&username)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let resp = admin
        .post(
            &format!("/admin/pengguna/{id}/status"),
            &[("aktif", "false")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(on_b.get("/provinsi/16").await.0, StatusCode::SEE_OTHER);

    // The throttle counts failures on both: three on A, three on B, the sixth is refused.
    let target = new_user(&app, "admin-dua", Role::Admin).await;
    let (a_browser, b_browser) = (app.browser(), b.browser());
    let mut statuses = Vec::new();
    for _ in 0..3 {
        statuses.push(status_of(&a_browser, &target, WRONG, Some("198.51.100.20")).await);
    }
    for _ in 0..3 {
        statuses.push(status_of(&b_browser, &target, WRONG, Some("198.51.100.20")).await);
    }
    assert_eq!(statuses[..5], [StatusCode::UNAUTHORIZED; 5], "{statuses:?}");
    assert_eq!(statuses[5], StatusCode::TOO_MANY_REQUESTS, "{statuses:?}");

    // And at once: 15 attempts on each server evaluate at most five wrong passwords.
    let target = new_user(&app, "admin-tiga", Role::Admin).await;
    let mut on_a = concurrent_failures(&a_browser, &target, 15, "198.51.100.30").await;
    let mut on_b = concurrent_failures(&b_browser, &target, 15, "198.51.100.30").await;
    let mut statuses = Vec::new();
    while let Some(s) = on_a.join_next().await {
        statuses.push(s.unwrap());
    }
    while let Some(s) = on_b.join_next().await {
        statuses.push(s.unwrap());
    }
    let (unauthorized, throttled) = tally(&statuses);
    assert!(
        (1..=5).contains(&unauthorized),
        "{unauthorized} wrong passwords evaluated, {throttled} refused"
    );
    assert!(failures_recorded(&app.db.pool, &target).await <= 5);
}
