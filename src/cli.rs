//! The `loksus` command line. Every subcommand finds its database the same way: `DATABASE_URL`
//! when set, otherwise the private cluster in the data directory.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context as _;
use clap::{Args, Parser, Subcommand};
use tokio::net::TcpListener;

use crate::db::Database;
use crate::db::audit::Actor;
use crate::domain::access::Role;
use crate::domain::password;
use crate::rolls::{
    self,
    import::{ImportError, Mode, Options, Transfers},
};
use crate::users::{self, NewUser};
use crate::{AppState, Config, demo, reports, stations};

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
    /// Inmate voter rolls.
    Roll {
        #[command(subcommand)]
        command: RollCommand,
    },
    /// Manage user accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Store KPU's final voter list (CSV: nik, nama, tps) for a facility and match it with
    /// the roll; prints each group's size. Exit 1 when rows were rejected (nothing stored).
    Reconcile {
        /// KPU's list for the facility.
        file: PathBuf,
        /// Facility code, e.g. lapas-lubuklinggau.
        #[arg(long)]
        facility: String,
        /// Election slug (default: the latest election by voting day).
        #[arg(long)]
        election: Option<String>,
    },
    /// Delete the file content of roll uploads abandoned for 24 hours (the server also does
    /// this every hour); prints how many.
    Purge,
    /// Write figures for other programs, in stable column orders (see the README).
    Export {
        #[command(subcommand)]
        command: ExportCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// One row per TPS: official counts, voters placed, ballots needed per type, readiness.
    Stations {
        /// Election slug (default: the latest election by voting day).
        #[arg(long)]
        election: Option<String>,
        /// Only this province (two-digit code, e.g. 16).
        #[arg(long)]
        province: Option<String>,
        /// Output format.
        #[arg(long, value_parser = ["csv"])]
        format: String,
        /// Write to this file instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// One row per facility: inmates, TPS, official counts, and what the roll says.
    Summary {
        /// Election slug (default: the latest election by voting day).
        #[arg(long)]
        election: Option<String>,
        /// Only this province (two-digit code, e.g. 16).
        #[arg(long)]
        province: Option<String>,
        /// Output format.
        #[arg(long, value_parser = ["csv", "xlsx"])]
        format: String,
        /// Write to this file instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum RollCommand {
    /// Import a roll file (CSV) into a facility's roll. Exit 0 when written (or valid, with
    /// --dry-run), 1 when rows were rejected and nothing was written, 2 for usage errors.
    Import {
        /// The CSV file (see the README for its columns).
        file: PathBuf,
        /// Facility code, e.g. lapas-lubuklinggau.
        #[arg(long)]
        facility: String,
        /// Election slug (default: the latest election by voting day).
        #[arg(long)]
        election: Option<String>,
        /// upsert: add and update; replace: the file is the whole roll, absent inmates depart.
        #[arg(long, default_value = "upsert", value_parser = ["upsert", "replace"])]
        mode: String,
        /// Write the valid rows even when some rows are rejected.
        #[arg(long)]
        skip_invalid: bool,
        /// Accept a NIK on another facility's roll as a transfer to this facility.
        #[arg(long)]
        accept_transfers: bool,
        /// Check the file and report, but write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

/// A command-line mistake (unknown facility, unreadable file): exit status 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Rows were rejected and nothing was written: exit status 1, errors already printed.
#[derive(Debug, thiserror::Error)]
#[error("rows were rejected; nothing was written")]
pub struct Rejected;

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account. The password is read from standard input (first line); when
    /// standard input is a terminal, or with --generate, one is generated and printed once.
    Add {
        #[arg(long)]
        username: String,
        /// admin, kanwil, registrar or kpu.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Province code (kanwil: required; kpu: optional, national when omitted).
        #[arg(long)]
        province: Option<String>,
        /// Facility code (registrar: required), e.g. lapas-lubuklinggau.
        #[arg(long)]
        facility: Option<String>,
        /// Generate a password instead of reading one.
        #[arg(long)]
        generate: bool,
    },
    /// Set a new password (read or generated as for `add`); ends the user's open sessions.
    Passwd {
        username: String,
        #[arg(long)]
        generate: bool,
    },
    /// List the accounts.
    List,
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| "expected admin, kanwil, registrar or kpu".to_owned())
}

#[derive(Debug, Subcommand)]
pub enum DemoCommand {
    /// Load the demo data into the configured database (refuses to load twice or into a
    /// database that already holds facilities or elections).
    Load {
        /// demo: the published Pemilu 2024 figures of four provinces; national: about 550
        /// facilities, 1.800 TPS and 300.000 inmates (illustrative, for benchmarks).
        #[arg(long, default_value = "demo", value_parser = ["demo", "national"])]
        scale: String,
    },
    /// Write a realistic, deterministic roll file (CSV) to standard output; needs no database.
    RollFile {
        /// Number of inmates.
        #[arg(long, default_value_t = 1000)]
        rows: u64,
        /// The same seed gives the same file.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
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
}

impl Cli {
    pub async fn run(self) -> anyhow::Result<()> {
        let command = match self.command {
            Some(c) => c,
            None => Command::Serve(self.serve),
        };
        if let Command::Demo {
            command: DemoCommand::RollFile { rows, seed },
        } = command
        {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            demo::rolls::write_roll(&mut out, rows, seed)?;
            std::io::Write::flush(&mut out)?;
            return Ok(());
        }
        let db = Database::open(self.database_url.as_deref(), &self.data_dir).await?;
        let result = match command {
            Command::Serve(args) => serve(&db, args).await,
            Command::Migrate => {
                println!("migrations applied");
                Ok(())
            }
            Command::Demo {
                command: DemoCommand::Load { scale },
            } => demo_load(&db, &scale).await,
            Command::Demo {
                command: DemoCommand::RollFile { .. },
            } => unreachable!("handled before opening the database"),
            Command::User { command } => user_command(&db, command).await,
            Command::Roll { command } => roll_command(&db, command).await,
            Command::Export { command } => export_command(&db, command).await,
            Command::Purge => match rolls::purge_uploads(&db.pool).await {
                Ok(n) => {
                    println!("purged {n} abandoned uploads");
                    Ok(())
                }
                Err(e) => Err(e.into()),
            },
            Command::Reconcile {
                file,
                facility,
                election,
            } => reconcile_command(&db, &file, &facility, election.as_deref()).await,
        };
        db.close().await;
        result
    }
}

async fn demo_load(db: &Database, scale: &str) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let summary = if scale == "national" {
        demo::national::load(&db.pool).await?
    } else {
        demo::load(&db.pool).await?
    };
    println!(
        "demo data loaded: election {}, {} facilities, {} TPS ({scale} scale, {:.1} s)",
        demo::ELECTION_SLUG,
        summary.facilities,
        summary.stations,
        started.elapsed().as_secs_f64()
    );
    print_accounts(&summary.accounts);
    Ok(())
}

fn print_accounts(accounts: &[demo::DemoAccount]) {
    println!("Demo accounts (passwords are shown only now; reset with `loksus user passwd NAME`):");
    for a in accounts {
        let scope = a
            .facility_code
            .or(a
                .province_code
                .map(|p| if p == "16" { "Sumatera Selatan" } else { p }))
            .unwrap_or("national");
        println!(
            "  {:<24} {:<10} {:<20} password: {}",
            a.username, a.role, scope, a.password
        );
    }
}

async fn reconcile_command(
    db: &Database,
    file: &std::path::Path,
    facility: &str,
    election: Option<&str>,
) -> anyhow::Result<()> {
    let roll = crate::read::places::facility(&db.pool, facility, election)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .ok_or_else(|| UsageError(format!("unknown facility {facility} or election")))?;
    let content = std::fs::read(file)
        .map_err(|e| UsageError(format!("cannot open {}: {e}", file.display())))?;
    let entries = match crate::reconcile::list::parse(&content) {
        Ok(e) => e,
        Err(errors) => {
            for e in errors.iter().take(100) {
                eprintln!("row {}, {}: {}", e.line, e.column, e.message);
            }
            return Err(Rejected.into());
        }
    };
    let name = file
        .file_name()
        .map_or("dpt-kpu.csv".into(), |n| n.to_string_lossy().into_owned());
    let mut tx = db.pool.begin().await?;
    let id = crate::reconcile::matching::store(
        &mut tx,
        roll.election.id,
        roll.facility_id,
        None,
        &name,
        &entries,
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    crate::db::audit::record(
        &mut tx,
        &Actor::command_line(),
        crate::db::audit::Entry::new("kpu_list.upload")
            .object("kpu_list", id)
            .province(Some(roll.province_code.clone()))
            .facility(Some(roll.facility_id))
            .after(serde_json::json!({ "filename": name, "rows": entries.len() })),
    )
    .await?;
    tx.commit().await?;
    let started = std::time::Instant::now();
    let c = crate::reconcile::matching::counts(&db.pool, roll.election.id, roll.facility_id, id)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    println!(
        "kpu {}, matched {}, kpu_only {}, roll_only {}, tps_differs {}, name_differs {} (matched in {ms:.0} ms)",
        c.kpu, c.matched, c.kpu_only, c.roll_only, c.tps_differs, c.name_differs
    );
    Ok(())
}

async fn export_command(db: &Database, command: ExportCommand) -> anyhow::Result<()> {
    let (what, election, province, format, output) = match command {
        ExportCommand::Stations {
            election,
            province,
            format,
            output,
        } => ("stations", election, province, format, output),
        ExportCommand::Summary {
            election,
            province,
            format,
            output,
        } => ("summary", election, province, format, output),
    };
    let query = crate::read::elections::ElectionQuery {
        pemilihan: election.clone(),
    };
    let election = match crate::read::elections::selected(&db.pool, &query).await {
        Ok(Some(e)) => e,
        Ok(None) | Err(crate::http::error::AppError::NotFound) => {
            return Err(UsageError(format!(
                "unknown election {}",
                election.as_deref().unwrap_or("(there is none)")
            ))
            .into());
        }
        Err(e) => return Err(anyhow::anyhow!("{e}")),
    };
    if let Some(p) = &province {
        let known = sqlx::query_scalar!(
            r#"select exists (select 1 from regions where code = $1 and parent_code is null) as "known!""#,
            p
        )
        .fetch_one(&db.pool)
        .await?;
        if !known {
            return Err(UsageError(format!("unknown province code {p}")).into());
        }
    }
    let mut bytes = Vec::new();
    let rows = if what == "stations" {
        stations::export::write_csv(&db.pool, election.id, province.as_deref(), &mut bytes).await?
    } else {
        let table = reports::export::summary(&db.pool, election.id, province.as_deref(), None)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        bytes = if format == "xlsx" {
            table.to_xlsx()?
        } else {
            table.to_csv()?
        };
        table.rows.len()
    };
    match &output {
        Some(path) => std::fs::write(path, &bytes)
            .map_err(|e| UsageError(format!("cannot write {}: {e}", path.display())))?,
        None => {
            use std::io::Write as _;
            let mut out = std::io::stdout().lock();
            out.write_all(&bytes)?;
            out.flush()?;
        }
    }
    let unit = if what == "stations" {
        "TPS"
    } else {
        "facilities"
    };
    eprintln!("{rows} {unit} exported ({})", election.slug);
    Ok(())
}

async fn roll_command(db: &Database, command: RollCommand) -> anyhow::Result<()> {
    let RollCommand::Import {
        file,
        facility,
        election,
        mode,
        skip_invalid,
        accept_transfers,
        dry_run,
    } = command;
    let roll = crate::read::places::facility(&db.pool, &facility, election.as_deref())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .ok_or_else(|| {
            UsageError(format!(
                "unknown facility {facility} or election {}",
                election.as_deref().unwrap_or("(latest)")
            ))
        })?;
    let input = std::fs::File::open(&file)
        .map_err(|e| UsageError(format!("cannot open {}: {e}", file.display())))?;
    let mode = Mode::parse(&mode)
        .ok_or_else(|| UsageError(format!("unknown mode {mode} (upsert or replace)")))?;
    let opts = Options {
        skip_invalid,
        transfers: if accept_transfers {
            Transfers::Move
        } else {
            Transfers::Refuse
        },
        dry_run,
        ..Options::new(mode)
    };
    let today = time::OffsetDateTime::now_utc().date();
    let report =
        match rolls::import::import(&db.pool, &roll, input, opts, &Actor::command_line(), today)
            .await
        {
            Ok(r) => r,
            Err(ImportError::File(msg)) => {
                eprintln!("{}: {msg}", file.display());
                println!("{}", rolls::import::Report::default().summary_line());
                return Err(Rejected.into());
            }
            Err(ImportError::AlreadyConfirmed) => anyhow::bail!("the upload was confirmed already"),
            Err(ImportError::Database(e)) => return Err(e.into()),
        };
    for e in &report.errors {
        let column = if e.column.is_empty() { "-" } else { e.column };
        eprintln!("row {}, column {column}: {}", e.line, e.message);
    }
    for m in &report.moves {
        let verb = if dry_run { "would move" } else { "moved" };
        println!(
            "{verb} NIK {} ({}) from {} to {}",
            m.nik, m.name, m.from_code, roll.facility_code
        );
    }
    if report.transferred > 0 {
        println!("transferred from other facilities {}", report.transferred);
    }
    println!("{}", report.summary_line());
    if report.rejected > 0 && !skip_invalid {
        return Err(Rejected.into());
    }
    Ok(())
}

/// The password for `user add` / `user passwd`: generated (and printed) or read from stdin.
fn password_from_stdin_or_generated(generate: bool) -> anyhow::Result<(String, bool)> {
    use std::io::{BufRead as _, IsTerminal as _};
    let stdin = std::io::stdin();
    if generate || stdin.is_terminal() {
        return Ok((password::generate(), true));
    }
    let mut line = String::new();
    stdin.lock().read_line(&mut line)?;
    let line = line.trim_end_matches(['\r', '\n']).to_owned();
    if let Err(msg) = password::check_policy(&line) {
        anyhow::bail!(
            "password refused: {msg} (at least {} characters)",
            password::MIN_LENGTH
        );
    }
    Ok((line, false))
}

async fn user_command(db: &Database, command: UserCommand) -> anyhow::Result<()> {
    let actor = Actor::command_line();
    match command {
        UserCommand::Add {
            username,
            role,
            province,
            facility,
            generate,
        } => {
            let (password, generated) = password_from_stdin_or_generated(generate)?;
            let new = NewUser {
                username: username.clone(),
                role,
                province_code: province,
                facility_code: facility,
                password: password.clone(),
            };
            users::store::create(&db.pool, new, &actor).await?;
            println!(
                "user {} created ({})",
                username.trim().to_lowercase(),
                role.as_str()
            );
            if generated {
                println!("password: {password}");
            }
        }
        UserCommand::Passwd { username, generate } => {
            let (password, generated) = password_from_stdin_or_generated(generate)?;
            users::store::set_password(&db.pool, &username, password.clone(), &actor).await?;
            println!("password of {username} changed; its open sessions have ended");
            if generated {
                println!("password: {password}");
            }
        }
        UserCommand::List => {
            println!("{:<24} {:<10} {:<30} status", "username", "role", "scope");
            for u in users::store::list(&db.pool).await? {
                let status = if u.active { "active" } else { "inactive" };
                println!(
                    "{:<24} {:<10} {:<30} {status}",
                    u.username, u.role, u.scope_name
                );
            }
        }
    }
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
        print_accounts(&summary.accounts);
    }
    let config = Config {
        demo: demo::is_loaded(&db.pool).await?,
        request_timeout: std::time::Duration::from_secs(args.request_timeout),
        secure_cookies: args.secure_cookies,
        session_idle: std::time::Duration::from_secs(args.session_idle_minutes * 60),
        trust_proxy: args.trust_proxy,
        bench_routes: args.bench_routes,
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
