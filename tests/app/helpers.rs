//! Spawning the real server on port 0 against a fresh database, and reading its pages.
//!
//! With no `DATABASE_URL`, one throwaway PostgreSQL cluster serves the whole test run (the
//! library's own private-cluster code starts it; a watcher stops and deletes it when the run
//! ends). A template database is migrated once; every test gets its own copy and drops it.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use loksus::db;
use loksus::db::audit::Actor;
use loksus::devtools::ThrowawayCluster;
use loksus::domain::access::Role;
use loksus::users::{self, NewUser};
use loksus::{AppState, Config};
use reqwest::StatusCode;
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection, PgConnection, PgPool};
use tokio::sync::{OnceCell, oneshot};

struct Shared {
    admin: PgConnectOptions,
    template: String,
    _cluster: Option<ThrowawayCluster>,
}

static SHARED: OnceCell<Shared> = OnceCell::const_new();
static NEXT_DB: AtomicU32 = AtomicU32::new(0);

async fn shared() -> &'static Shared {
    SHARED
        .get_or_init(|| async {
            if std::env::var_os("TEST_LOG").is_some() {
                let _ = tracing_subscriber::fmt()
                    .with_env_filter("info,sqlx=warn")
                    .with_test_writer()
                    .try_init();
            }
            let (admin, cluster) = match std::env::var("DATABASE_URL") {
                Ok(url) => (url.parse().expect("DATABASE_URL"), None),
                Err(_) => {
                    let throwaway = tokio::task::spawn_blocking(ThrowawayCluster::start)
                        .await
                        .unwrap()
                        .expect("starting a throwaway PostgreSQL cluster");
                    (
                        throwaway.cluster.connect_options("postgres"),
                        Some(throwaway),
                    )
                }
            };
            let template = format!("loksus_template_{}", std::process::id());
            let mut conn = PgConnection::connect_with(&admin).await.expect("admin");
            sqlx::query(&format!("create database {}", db::quote_ident(&template)))
                .execute(&mut conn)
                .await
                .expect("create template database");
            conn.close().await.unwrap();
            let pool = PgPool::connect_with(admin.clone().database(&template))
                .await
                .unwrap();
            db::migrate(&pool).await.expect("migrations");
            pool.close().await;
            Shared {
                admin,
                template,
                _cluster: cluster,
            }
        })
        .await
}

/// A fresh, migrated database of this test's own.
pub struct TestDb {
    pub pool: PgPool,
    pub name: String,
    admin: PgConnectOptions,
}

impl TestDb {
    pub async fn new() -> Self {
        let shared = shared().await;
        let name = format!(
            "test_{}_{}",
            std::process::id(),
            NEXT_DB.fetch_add(1, Ordering::Relaxed)
        );
        let mut conn = PgConnection::connect_with(&shared.admin).await.unwrap();
        sqlx::query(&format!(
            "create database {} template {}",
            db::quote_ident(&name),
            db::quote_ident(&shared.template)
        ))
        .execute(&mut conn)
        .await
        .expect("create test database");
        conn.close().await.unwrap();
        let options = shared
            .admin
            .clone()
            .database(&name)
            .disable_statement_logging();
        let pool = db::pool_options().connect_lazy_with(options);
        Self {
            pool,
            name,
            admin: shared.admin.clone(),
        }
    }

    /// Drops this database while the server still uses it (the "database is gone" case).
    pub async fn drop_now(&self) {
        let mut conn = PgConnection::connect_with(&self.admin).await.unwrap();
        sqlx::query(&format!(
            "drop database if exists {} with (force)",
            db::quote_ident(&self.name)
        ))
        .execute(&mut conn)
        .await
        .unwrap();
        conn.close().await.unwrap();
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        // Per-test databases do not outlive their test, even against a shared server.
        let admin = self.admin.clone();
        let name = self.name.clone();
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                if let Ok(mut conn) = PgConnection::connect_with(&admin).await {
                    let _ = sqlx::query(&format!(
                        "drop database if exists {} with (force)",
                        db::quote_ident(&name)
                    ))
                    .execute(&mut conn)
                    .await;
                }
            });
        })
        .join();
    }
}

/// The real server, listening on a random port of 127.0.0.1.
pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub db: TestDb,
    shutdown: Option<oneshot::Sender<()>>,
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_on(TestDb::new().await).await
    }

    /// With the archived Pemilu 2024 demo only (its published figures, no rolls).
    pub async fn spawn_with_demo() -> Self {
        let db = TestDb::new().await;
        loksus::demo::load_archived_only(&db.pool)
            .await
            .expect("demo data");
        Self::spawn_on(db).await
    }

    /// With the whole demo: the archived Pemilu 2024 and the living Simulasi election.
    pub async fn spawn_with_simulation() -> Self {
        let db = TestDb::new().await;
        loksus::demo::load(&db.pool).await.expect("demo data");
        Self::spawn_on(db).await
    }

    /// With the demo data and these settings.
    pub async fn spawn_with_config(config: Config) -> Self {
        let db = TestDb::new().await;
        loksus::demo::load_archived_only(&db.pool)
            .await
            .expect("demo data");
        Self::spawn_configured(db, config).await
    }

    async fn spawn_on(db: TestDb) -> Self {
        Self::spawn_configured(db, Config::default()).await
    }

    async fn spawn_configured(db: TestDb, config: Config) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let state = AppState {
            db: db.pool.clone(),
            config: Arc::new(config),
        };
        let (tx, rx) = oneshot::channel::<()>();
        tokio::spawn(loksus::serve(listener, state, async {
            let _ = rx.await;
        }));
        Self {
            client: new_client(),
            base,
            db,
            shutdown: Some(tx),
        }
    }

    /// A browser with no session.
    pub fn browser(&self) -> Browser {
        Browser {
            base: self.base.clone(),
            client: new_client(),
        }
    }

    /// Creates an account with this role and scope, and logs a new browser in with it.
    pub async fn login(
        &self,
        role: Role,
        province: Option<&str>,
        facility: Option<&str>,
    ) -> Browser {
        let n = NEXT_DB.fetch_add(1, Ordering::Relaxed);
        let username = format!("{}-{n}", role.as_str());
        let password = "kata-sandi-uji-123".to_owned();
        users::store::create(
            &self.db.pool,
            NewUser {
                username: username.clone(),
                role,
                province_code: province.map(str::to_owned),
                facility_code: facility.map(str::to_owned),
                password: password.clone(),
            },
            &Actor::command_line(),
        )
        .await
        .expect("create test user");
        let browser = self.browser();
        let resp = browser.log_in(&username, &password).await;
        assert_eq!(resp.status(), StatusCode::SEE_OTHER, "login of {username}");
        browser
    }

    pub async fn admin(&self) -> Browser {
        self.login(Role::Admin, None, None).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// GET a page: its status and body.
    pub async fn get(&self, path: &str) -> (StatusCode, String) {
        let resp = self.client.get(self.url(path)).send().await.unwrap();
        let status = resp.status();
        (status, resp.text().await.unwrap())
    }
}

fn new_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap()
}

/// One browser: its own cookies (session), reading pages and submitting forms.
pub struct Browser {
    pub base: String,
    pub client: reqwest::Client,
}

impl Browser {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> (StatusCode, String) {
        let resp = self.client.get(self.url(path)).send().await.unwrap();
        let status = resp.status();
        (status, resp.text().await.unwrap())
    }

    /// The CSRF token of this browser's session, read from a form as a user's browser would.
    pub async fn csrf(&self) -> String {
        let (_, body) = self.get("/masuk").await;
        csrf_in(&body).expect("the login form has a CSRF field")
    }

    /// Submits a form with this session's CSRF token.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let token = self.csrf().await;
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf", &token));
        self.post_raw(path, &all).await
    }

    /// Submits exactly these fields (no CSRF token added).
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .form(fields)
            .send()
            .await
            .unwrap()
    }

    pub async fn log_in(&self, username: &str, password: &str) -> reqwest::Response {
        self.post("/masuk", &[("username", username), ("password", password)])
            .await
    }
}

/// The TPS version a page's forms carry (the first `name="versi"` field).
pub fn versi_in(html: &str) -> String {
    html.split(r#"name="versi" value=""#)
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("a versi field")
        .to_owned()
}

/// The value of the first `name="csrf"` field on a page.
pub fn csrf_in(html: &str) -> Option<String> {
    let at = html.find(r#"name="csrf" value=""#)? + r#"name="csrf" value=""#.len();
    let end = at + html[at..].find('"')?;
    Some(html[at..end].to_owned())
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// The text of each cell of the table row that carries `marker` (e.g. `data-province="16"`),
/// as a reader sees it.
pub fn row_cells(html: &str, marker: &str) -> Vec<String> {
    let start = html
        .find(marker)
        .unwrap_or_else(|| panic!("no row with {marker}"));
    let end = start + html[start..].find("</tr>").expect("row end");
    cells(&html[start..end])
}

fn cells(fragment: &str) -> Vec<String> {
    let mut out = Vec::new();
    for cell in fragment.split("<t").skip(1) {
        if !(cell.starts_with('d') || cell.starts_with('h')) {
            continue;
        }
        let mut text = String::new();
        let mut in_tag = true; // still inside the <td ...> opening tag
        for c in cell.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        out.push(text.split_whitespace().collect::<Vec<_>>().join(" "));
    }
    out
}

/// A `DATABASE_URL` for this test's database, for running the real binary against it.
pub fn database_url(app: &TestApp) -> String {
    let o = app.db.pool.connect_options();
    let (host, port, user) = (o.get_host(), o.get_port(), o.get_username());
    let db = o.get_database().expect("a database name");
    if host.starts_with('/') {
        // The throwaway cluster listens on a Unix socket in its own directory.
        format!("postgres://{user}@localhost:{port}/{db}?host={host}")
    } else if let Ok(given) = std::env::var("DATABASE_URL") {
        let base = given.split('?').next().unwrap_or_default();
        format!("{}/{db}", &base[..base.rfind('/').unwrap_or(base.len())])
    } else {
        format!("postgres://{user}@{host}:{port}/{db}")
    }
}

/// A second server process's worth of state (its own pool, its own in-process caches) on the
/// same database as `app`: what two server processes behind one proxy share.
pub struct SecondServer {
    pub base: String,
    _shutdown: oneshot::Sender<()>,
}

pub async fn second_server(app: &TestApp) -> SecondServer {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let options = (*app.db.pool.connect_options()).clone();
    let state = AppState {
        db: db::pool_options().connect_lazy_with(options),
        config: Arc::new(Config::default()),
    };
    let (tx, rx) = oneshot::channel::<()>();
    tokio::spawn(loksus::serve(listener, state, async {
        let _ = rx.await;
    }));
    SecondServer {
        base,
        _shutdown: tx,
    }
}

/// Imports `content` (a roll file) into `facility`'s roll for the latest election, as the
/// command line's operator would, judged on 28 November 2026.
pub async fn import_roll(
    db: &TestDb,
    facility: &str,
    content: &str,
    options: loksus::rolls::import::Options,
) -> loksus::rolls::import::Report {
    let roll = loksus::read::places::facility(&db.pool, facility, None)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no facility {facility}"));
    loksus::rolls::import::import(
        &db.pool,
        &roll,
        content.as_bytes(),
        options,
        &Actor::command_line(),
        time::macros::date!(2026 - 11 - 28),
    )
    .await
    .unwrap()
}

/// A roll file: `header`, then `rows`, one per line.
pub fn roll_file(header: &str, rows: &[&str]) -> String {
    let mut s = String::from(header);
    for r in rows {
        s.push('\n');
        s.push_str(r);
    }
    s.push('\n');
    s
}

/// Runs the `loksus` binary against the test database, quietly; its output.
pub fn loksus(app: &TestApp, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_loksus"))
        .args(args)
        .env("DATABASE_URL", database_url(app))
        .env("RUST_LOG", "warn")
        .output()
        .unwrap()
}
