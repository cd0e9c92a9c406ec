//! Finding the database: `DATABASE_URL` when set, otherwise the private cluster of the data
//! directory (started for as long as the command needs it, or reused while another Loksus
//! process runs it). Also the migrations and the mapping of constraint errors.

pub mod audit;
pub mod cluster;

use std::path::Path;
use std::time::Duration;

use anyhow::Context as _;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, Connection, PgConnection, PgPool};

pub use cluster::{Cluster, ClusterError, Durability, ThrowawayCluster};

/// The database every Loksus command works on, and who is responsible for stopping it.
pub struct Database {
    pub pool: PgPool,
    /// Set when the private cluster is used; `true` when this process started it.
    private: Option<(Cluster, bool)>,
}

/// The name of Loksus's database inside a private cluster.
pub const PRIVATE_DATABASE: &str = "loksus";

impl Database {
    /// Connects as described in the module docs and runs the migrations.
    pub async fn open(database_url: Option<&str>, data_dir: &Path) -> anyhow::Result<Self> {
        let db = match database_url {
            Some(url) => {
                let options: PgConnectOptions = url
                    .parse()
                    .context("DATABASE_URL is not a valid PostgreSQL URL")?;
                Self {
                    pool: pool_options().connect_lazy_with(options.disable_statement_logging()),
                    private: None,
                }
            }
            None => {
                let data_dir = data_dir.to_owned();
                let (cluster, started) = tokio::task::spawn_blocking(move || {
                    let cluster = Cluster::new(&data_dir)?;
                    let started = cluster.ensure_running(Durability::Durable)?;
                    Ok::<_, ClusterError>((cluster, started))
                })
                .await??;
                let options = cluster
                    .connect_options(PRIVATE_DATABASE)
                    .disable_statement_logging();
                let db = Self {
                    pool: pool_options().connect_lazy_with(options),
                    private: Some((cluster.clone(), started)),
                };
                // From here on `db.close()` stops the cluster again if anything fails.
                if let Err(e) = create_database_if_missing(&cluster, PRIVATE_DATABASE).await {
                    db.close().await;
                    return Err(e);
                }
                db
            }
        };
        if let Err(e) = migrate(&db.pool).await {
            db.close().await;
            return Err(e);
        }
        Ok(db)
    }

    /// Whether the private cluster of the data directory is in use (not `DATABASE_URL`).
    pub fn is_private(&self) -> bool {
        self.private.is_some()
    }

    /// Closes the pool, then stops the private cluster if this process started it.
    pub async fn close(self) {
        self.pool.close().await;
        if let Some((cluster, true)) = self.private {
            match tokio::task::spawn_blocking(move || cluster.stop()).await {
                Ok(Ok(())) => tracing::info!("private PostgreSQL cluster stopped"),
                Ok(Err(e)) => tracing::error!("could not stop the private cluster: {e}"),
                Err(e) => tracing::error!("could not stop the private cluster: {e}"),
            }
        }
    }
}

/// Pool settings shared by the server and the tests: fail fast when the database is gone so
/// that pages answer 503 at once instead of hanging.
pub fn pool_options() -> PgPoolOptions {
    PgPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(Duration::from_secs(3))
}

pub async fn migrate(pool: &PgPool) -> anyhow::Result<()> {
    sqlx::migrate!()
        .run(pool)
        .await
        .context("running the database migrations")?;
    // The session store keeps its own table (schema `tower_sessions`); creating it is idempotent.
    tower_sessions_sqlx_store::PostgresStore::new(pool.clone())
        .migrate()
        .await
        .context("creating the session table")
}

/// Removes expired sessions and old login attempts, hourly, for as long as the server runs.
pub async fn delete_expired_periodically(pool: PgPool) {
    let mut tick = tokio::time::interval(Duration::from_secs(3600));
    loop {
        tick.tick().await;
        let result = async {
            sqlx::query("delete from tower_sessions.session where expiry_date < now()")
                .execute(&pool)
                .await?;
            sqlx::query!("delete from login_attempts where at < now() - interval '1 day'")
                .execute(&pool)
                .await
        }
        .await;
        if let Err(e) = result {
            tracing::warn!(error = %e, "could not delete expired sessions");
        }
    }
}

/// Creates `name` on the cluster unless it exists.
pub async fn create_database_if_missing(cluster: &Cluster, name: &str) -> anyhow::Result<()> {
    let mut conn = PgConnection::connect_with(&cluster.connect_options("postgres"))
        .await
        .context("connecting to the private PostgreSQL cluster")?;
    let exists: bool =
        sqlx::query_scalar("select exists (select 1 from pg_database where datname = $1)")
            .bind(name)
            .fetch_one(&mut conn)
            .await?;
    if !exists {
        sqlx::query(&format!("create database {}", quote_ident(name)))
            .execute(&mut conn)
            .await?;
    }
    conn.close().await?;
    Ok(())
}

/// Quotes an SQL identifier (for the few statements that cannot take parameters).
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The one place a violated unique constraint becomes a message for the user: when `e` is a
/// unique violation of one of `known` (constraint or index name, Indonesian message), the
/// message; otherwise `None` and the error stays a server error. Two concurrent requests that
/// both passed a check then get the same message as if the check had caught them.
pub fn unique_violation_message(e: &sqlx::Error, known: &[(&str, &str)]) -> Option<String> {
    let sqlx::Error::Database(db) = e else {
        return None;
    };
    if db.code().as_deref() != Some("23505") {
        return None;
    }
    let constraint = db.constraint()?;
    known
        .iter()
        .find(|(name, _)| *name == constraint)
        .map(|(_, message)| (*message).to_owned())
}
