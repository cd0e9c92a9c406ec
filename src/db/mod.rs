//! The database as the application uses it: the pool settings, the migrations and the region
//! reference loaded after them, the periodic clean-up of sessions, the audit writer and the
//! mapping of constraint errors. Finding or
//! starting a database for the command line is `devtools::database`'s job.

pub mod audit;
pub mod regions;

use std::time::Duration;

use anyhow::Context as _;
use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;

/// Pool settings shared by the server and the tests: fail fast when the database is gone so
/// that pages answer 503 at once instead of hanging.
pub fn pool_options() -> PgPoolOptions {
    PgPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(Duration::from_secs(3))
}

/// Runs the migrations, then loads the region reference when the database lacks it.
pub async fn migrate(pool: &PgPool) -> anyhow::Result<()> {
    sqlx::migrate!()
        .run(pool)
        .await
        .context("running the database migrations")?;
    regions::load(pool).await?;
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
