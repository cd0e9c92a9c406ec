//! The `loksus` command line. Every subcommand finds its database the same way: `DATABASE_URL`
//! when set, otherwise the private cluster in the data directory.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context as _;
use clap::{Args, Parser, Subcommand};
use tokio::net::TcpListener;

use crate::db::Database;
use crate::{AppState, Config, demo};

#[derive(Debug, Parser)]
#[command(
    name = "loksus",
    version,
    about = "Election logistics for the special polling stations (TPS Loksus) of prisons, \
             detention centres and juvenile facilities",
    long_about = None
)]
pub struct Cli {
    /// PostgreSQL database to use. When unset, Loksus runs a private PostgreSQL cluster
    /// inside the data directory.
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,

    /// Where the private PostgreSQL cluster (and other local data) is kept.
    #[arg(long, env = "LOKSUS_DATA_DIR", global = true, default_value = "data")]
    pub data_dir: PathBuf,

    /// Settings of the web server when no subcommand is given (same as `loksus serve`).
    #[command(flatten)]
    pub serve: ServeArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server (the default when no subcommand is given).
    Serve(ServeArgs),
    /// Apply the database migrations, then exit.
    Migrate,
    /// Demo data built from published Pemilu 2024 figures.
    Demo {
        #[command(subcommand)]
        command: DemoCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum DemoCommand {
    /// Load the demo data into the configured database (refuses to load twice or into a
    /// database that already holds facilities or elections).
    Load,
}

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
}

impl Cli {
    pub async fn run(self) -> anyhow::Result<()> {
        let command = match self.command {
            Some(c) => c,
            None => Command::Serve(self.serve),
        };
        let db = Database::open(self.database_url.as_deref(), &self.data_dir).await?;
        let result = match command {
            Command::Serve(args) => serve(&db, args).await,
            Command::Migrate => {
                println!("migrations applied");
                Ok(())
            }
            Command::Demo {
                command: DemoCommand::Load,
            } => demo_load(&db).await,
        };
        db.close().await;
        result
    }
}

async fn demo_load(db: &Database) -> anyhow::Result<()> {
    let summary = demo::load(&db.pool).await?;
    println!(
        "demo data loaded: election {}, {} facilities, {} TPS",
        demo::ELECTION_SLUG,
        summary.facilities,
        summary.stations
    );
    Ok(())
}

async fn serve(db: &Database, args: ServeArgs) -> anyhow::Result<()> {
    let want_demo = !args.no_demo && (args.demo || db.is_private());
    if want_demo && demo::is_empty(&db.pool).await? && !demo::is_loaded(&db.pool).await? {
        let summary = demo::load(&db.pool).await?;
        println!(
            "Loaded the demo data: {} facilities, {} TPS (Pemilu 2024 figures).",
            summary.facilities, summary.stations
        );
    }
    let config = Config {
        demo: demo::is_loaded(&db.pool).await?,
        request_timeout: std::time::Duration::from_secs(args.request_timeout),
    };
    let listener = TcpListener::bind(args.addr)
        .await
        .with_context(|| format!("cannot listen on {}", args.addr))?;
    let addr = listener.local_addr()?;
    println!("Loksus is serving http://{addr}");
    println!("Open it in a browser; the pages are read-only for now and need no login.");
    println!("Stop with Ctrl-C.");
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
