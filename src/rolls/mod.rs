//! Inmate voter rolls: the import file, validation, eligibility on voting day, and the
//! registrar's pages (read-only for kanwil and admin in scope; KPU liaisons read reports,
//! not rolls).

pub mod import;
mod pages;
pub mod transfers;
mod voter;

use sqlx::PgPool;

use crate::domain::access::Role;
use crate::http::error::{AppError, Result};
use crate::http::session::CurrentUser;
use crate::read::elections::{self, Election, ElectionQuery};

pub use pages::router;

/// A facility's roll for one election, as the pages and the command line address it.
#[derive(Debug, Clone)]
pub struct Roll {
    pub facility_id: i64,
    pub facility_code: String,
    pub facility_name: String,
    pub province_code: String,
    pub election: Election,
}

impl Roll {
    pub fn target(&self) -> import::Target {
        import::Target {
            election_id: self.election.id,
            facility_id: self.facility_id,
            facility_name: self.facility_name.clone(),
            province_code: self.province_code.clone(),
        }
    }
}

/// Finds the roll of `facility_code` for the selected election (the latest when none is
/// named). `None` when either does not exist.
pub async fn find(
    pool: &PgPool,
    facility_code: &str,
    election_slug: Option<&str>,
) -> Result<Option<Roll>> {
    let query = ElectionQuery {
        pemilihan: election_slug.map(str::to_owned),
    };
    let election = match elections::selected(pool, &query).await {
        Ok(Some(e)) => e,
        Ok(None) | Err(AppError::NotFound) => return Ok(None),
        Err(e) => return Err(e),
    };
    let f = sqlx::query!(
        "select id, code, name, province_code from facilities where code = $1",
        facility_code
    )
    .fetch_optional(pool)
    .await?;
    Ok(f.map(|f| Roll {
        facility_id: f.id,
        facility_code: f.code,
        facility_name: f.name,
        province_code: f.province_code,
        election,
    }))
}

/// The roll if `user` may read it: 404 outside their scope, 403 for KPU liaisons.
pub async fn readable(
    pool: &PgPool,
    user: &CurrentUser,
    facility_code: &str,
    query: &ElectionQuery,
) -> Result<Roll> {
    let roll = find(pool, facility_code, query.pemilihan.as_deref())
        .await?
        .filter(|r| user.sees_facility(r.facility_id, &r.province_code))
        .ok_or(AppError::NotFound)?;
    user.require(&[Role::Admin, Role::Kanwil, Role::Registrar])?;
    Ok(roll)
}

/// The roll if `user` may change it: only the facility's registrar.
pub async fn writable(
    pool: &PgPool,
    user: &CurrentUser,
    facility_code: &str,
    query: &ElectionQuery,
) -> Result<Roll> {
    let roll = readable(pool, user, facility_code, query).await?;
    user.require(&[Role::Registrar])?;
    Ok(roll)
}

/// Deletes the file content of roll uploads whose preview was abandoned (never confirmed
/// within 24 hours); confirmed uploads lose theirs at confirmation. The row, and the audit
/// of what was imported, stay. Returns how many uploads were purged.
pub async fn purge_uploads(pool: &PgPool) -> sqlx::Result<u64> {
    Ok(sqlx::query!(
        "update roll_uploads set content = null, purged_at = now()
         where content is not null and confirmed_at is null
           and created_at < now() - interval '24 hours'"
    )
    .execute(pool)
    .await?
    .rows_affected())
}

/// Purges abandoned uploads every hour while the server runs.
pub async fn purge_uploads_periodically(pool: PgPool) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        tick.tick().await;
        match purge_uploads(&pool).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(uploads = n, "abandoned roll uploads purged"),
            Err(e) => tracing::warn!(error = %e, "could not purge abandoned roll uploads"),
        }
    }
}
