//! Finding the database for the command line: `DATABASE_URL` when set, otherwise the private
//! cluster of the data directory (started for as long as the command needs it, or reused
//! while another Loksus process runs it).

use std::path::Path;

use anyhow::Context as _;
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection, PgConnection, PgPool};

use super::cluster::{Cluster, ClusterError, Durability};
use crate::db::{migrate, pool_options, quote_ident};

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
