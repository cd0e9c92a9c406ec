//! The places pages are about: a facility or a province, for the selected election, when the
//! user may see it (404 otherwise: unknown and outside the scope look the same).

use crate::http::AppState;
use crate::http::error::{AppError, Result};
use crate::http::session::CurrentUser;
use crate::read::elections::{self, Election, ElectionQuery};

/// A facility and election the user may see, as the TPS pages address them.
#[derive(Debug, Clone)]
pub struct Place {
    pub facility_id: i64,
    pub facility_code: String,
    pub facility_name: String,
    pub province_code: String,
    pub province_name: String,
    pub kabkota_code: String,
    pub election: Election,
}

/// The facility `code` for the selected election: 404 outside the user's scope or when
/// there is no election.
pub async fn place(
    state: &AppState,
    user: &CurrentUser,
    code: &str,
    query: &ElectionQuery,
) -> Result<Place> {
    let f = sqlx::query!(
        "select f.id, f.code, f.name, f.province_code, p.name as province_name, f.kabkota_code
         from facilities f join regions p on p.code = f.province_code
         where f.code = $1",
        code
    )
    .fetch_optional(&state.db)
    .await?
    .filter(|f| user.sees_facility(f.id, &f.province_code))
    .ok_or(AppError::NotFound)?;
    let election = elections::selected(&state.db, query)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Place {
        facility_id: f.id,
        facility_code: f.code,
        facility_name: f.name,
        province_code: f.province_code,
        province_name: f.province_name,
        kabkota_code: f.kabkota_code,
        election,
    })
}

/// The facility `code` for the election `election_slug` (the nearest upcoming when `None`), for callers
/// without a signed-in user (the command line, tests). `None` when either does not exist.
pub async fn facility(
    pool: &sqlx::PgPool,
    code: &str,
    election_slug: Option<&str>,
) -> Result<Option<Place>> {
    let query = ElectionQuery {
        pemilihan: election_slug.map(str::to_owned),
    };
    let election = match elections::selected(pool, &query).await {
        Ok(Some(e)) => e,
        Ok(None) | Err(AppError::NotFound) => return Ok(None),
        Err(e) => return Err(e),
    };
    let f = sqlx::query!(
        "select f.id, f.code, f.name, f.province_code, p.name as province_name, f.kabkota_code
         from facilities f join regions p on p.code = f.province_code
         where f.code = $1",
        code
    )
    .fetch_optional(pool)
    .await?;
    Ok(f.map(|f| Place {
        facility_id: f.id,
        facility_code: f.code,
        facility_name: f.name,
        province_code: f.province_code,
        province_name: f.province_name,
        kabkota_code: f.kabkota_code,
        election,
    }))
}

/// The name of province `code` when `user` may see it; 404 otherwise (unknown or outside
/// the scope look the same).
pub async fn province_name(pool: &sqlx::PgPool, user: &CurrentUser, code: &str) -> Result<String> {
    sqlx::query_scalar!(
        "select name from regions where code = $1 and parent_code is null",
        code
    )
    .fetch_optional(pool)
    .await?
    .filter(|_| user.sees_province(code))
    .ok_or(AppError::NotFound)
}

/// How a facility type is written on pages.
pub fn type_label(facility_type: &str) -> &'static str {
    match facility_type {
        "lapas" => "Lapas",
        "lapas_perempuan" => "Lapas Perempuan",
        "lapas_narkotika" => "Lapas Narkotika",
        "rutan" => "Rutan",
        "cabang_rutan" => "Cabang Rutan",
        "lpka" => "LPKA",
        _ => "UPT",
    }
}
