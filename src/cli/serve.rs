//! `loksus serve` (and `loksus` alone): load the demo data when wanted, then serve until
//! Ctrl-C or SIGTERM.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context as _;
use clap::Args;
use tokio::net::TcpListener;

use crate::devtools::Database;
use crate::{AppState, Config, demo};

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "LOKSUS_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,

    /// Load the demo data on start when the database is empty. This is the default for the
    /// private cluster; with DATABASE_URL the demo data is only loaded when asked.
    #[arg(long, env = "LOKSUS_DEMO", conflicts_with = "no_demo")]
    pub demo: bool,

    /// Never load the demo data, not even into a new private cluster.
    #[arg(long)]
    pub no_demo: bool,

    /// Seconds after which a request is answered 408.
    #[arg(long, env = "LOKSUS_REQUEST_TIMEOUT", default_value_t = 30)]
    pub request_timeout: u64,

    /// Mark the session cookie Secure (set this when Loksus is served over HTTPS).
    #[arg(long, env = "LOKSUS_SECURE_COOKIES")]
    pub secure_cookies: bool,

    /// Minutes of inactivity after which a session expires.
    #[arg(long, env = "LOKSUS_SESSION_IDLE_MINUTES", default_value_t = 480)]
    pub session_idle_minutes: u64,

    /// Take the client address from X-Forwarded-For (only behind a trusted reverse proxy).
    #[arg(long, env = "LOKSUS_TRUST_PROXY")]
    pub trust_proxy: bool,

    /// Serve `/bench/fortunes`, the minimal baseline page `scripts/bench` compares with.
    #[arg(long, env = "LOKSUS_BENCH_ROUTES")]
    pub bench_routes: bool,

    /// Take this date (YYYY-MM-DD) as today: shows an election's voting day, or the days
    /// after it, in demos and benchmarks. Default: today in Western Indonesian Time.
    #[arg(long, env = "LOKSUS_TODAY", value_parser = parse_date)]
    pub today: Option<time::Date>,
}

fn parse_date(s: &str) -> Result<time::Date, String> {
    time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]"))
        .map_err(|_| format!("{s} is not a date YYYY-MM-DD"))
}

pub(super) async fn serve(db: &Database, args: ServeArgs) -> anyhow::Result<()> {
    let want_demo = !args.no_demo && (args.demo || db.is_private());
    if want_demo && demo::is_empty(&db.pool).await? && !demo::is_loaded(&db.pool).await? {
        let summary = demo::load(&db.pool).await?;
        println!(
            "Loaded the demo data: {} facilities, {} TPS (Pemilu 2024 figures).",
            summary.facilities, summary.stations
        );
        super::demo::print_simulation();
        super::demo::print_accounts(&summary.accounts);
    }
    let config = Config {
        demo: demo::is_loaded(&db.pool).await?,
        request_timeout: std::time::Duration::from_secs(args.request_timeout),
        secure_cookies: args.secure_cookies,
        session_idle: std::time::Duration::from_secs(args.session_idle_minutes * 60),
        trust_proxy: args.trust_proxy,
        bench_routes: args.bench_routes,
        today: args.today,
        ..Config::default()
    };
    let listener = TcpListener::bind(args.addr)
        .await
        .with_context(|| format!("cannot listen on {}", args.addr))?;
    let addr = listener.local_addr()?;
    println!("Loksus is serving http://{addr}");
    println!("Log in at http://{addr}/masuk (accounts: `loksus user list`). Stop with Ctrl-C.");
    let state = AppState {
        db: db.pool.clone(),
        config: Arc::new(config),
    };
    crate::serve(listener, state, shutdown_signal()).await?;
    tracing::info!("web server stopped");
    Ok(())
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
