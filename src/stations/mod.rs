//! Special polling stations (TPS Loksus): the TPS of a facility, their official counts and
//! history, voters placed on them, ballots per voter and per TPS, readiness, the printable
//! list, dapils (reference data) and the `loksus export stations` file.
//!
//! Everyone in scope reads; admins and kanwil staff of the province write.

mod allocate;
pub mod allocation;
pub mod ballots;
mod checklist;
mod counts;
pub mod dapils;
mod delete;
mod edit;
pub mod export;
mod items;
mod matrix;
mod print;
pub mod readiness;
pub mod summary;
mod tps;

use axum::Router;
use axum::routing::{get, post};
use sqlx::PgConnection;

use crate::AppState;
use crate::auth::{CurrentUser, Role};
use crate::elections::{self, Election, ElectionQuery};
use crate::error::{AppError, Result};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/provinsi/{code}/tps", get(counts::page).post(counts::save))
        .route("/provinsi/{code}/kesiapan", get(matrix::page))
        .route("/fasilitas/{code}/tps", post(edit::create))
        .route("/fasilitas/{code}/tps/baru", get(edit::new_page))
        .route("/fasilitas/{code}/alokasi", post(allocate::run))
        .route("/fasilitas/{code}/tps/{number}", get(tps::page))
        .route("/fasilitas/{code}/tps/{number}/ubah", post(edit::update))
        .route(
            "/fasilitas/{code}/tps/{number}/kesiapan",
            post(checklist::save_readiness),
        )
        .route(
            "/fasilitas/{code}/tps/{number}/surat-suara",
            post(checklist::save_received),
        )
        .route(
            "/fasilitas/{code}/tps/{number}/pindah",
            post(allocate::move_voter),
        )
        .route(
            "/fasilitas/{code}/tps/{number}/hapus",
            get(delete::delete_page).post(delete::delete),
        )
        .route("/fasilitas/{code}/tps/{number}/cetak", get(print::page))
        .route(
            "/admin/dapil",
            get(dapils::page)
                .post(dapils::upload)
                .layer(dapils::limit()),
        )
        .route("/admin/kesiapan", get(items::page).post(items::add))
}

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

/// Admins and the kanwil staff of the facility's province change TPS (the scope was checked
/// by [`place`]).
pub fn require_writer(user: &CurrentUser) -> Result<()> {
    user.require(&[Role::Admin, Role::Kanwil])
}

pub fn can_write(user: &CurrentUser) -> bool {
    matches!(user.role, Role::Admin | Role::Kanwil)
}

/// Names the writer of this transaction for the count-history trigger.
pub async fn act_as(conn: &mut PgConnection, user_id: Option<i64>, name: &str) -> sqlx::Result<()> {
    sqlx::query!(
        "select set_config('loksus.user_id', $1, true) as user_id, set_config('loksus.actor', $2, true) as actor",
        user_id.map(|i| i.to_string()).unwrap_or_default(),
        name
    )
    .fetch_one(conn)
    .await?;
    Ok(())
}

/// `16.74.01.1001` from `16.74.01.1001` or `1674011001`; `None` for anything else.
pub fn parse_location(s: &str) -> Option<String> {
    crate::rolls::parse::parse_region(s.trim()).filter(|c| c.len() == 13)
}

/// Masks all but the last four digits of a NIK: `************0001`.
pub fn mask_nik(nik: Option<&str>) -> String {
    match nik {
        Some(n) if n.len() > 4 => format!("{}{}", "*".repeat(n.len() - 4), &n[n.len() - 4..]),
        Some(n) => n.to_owned(),
        None => "—".to_owned(),
    }
}

/// A whole number typed in a form: `1.234`, ` 12 `; between 0 and 100.000.
pub fn parse_count(s: &str) -> Option<i32> {
    let t = s.trim().replace('.', "");
    if t.is_empty() {
        return Some(0);
    }
    t.parse().ok().filter(|n| (0..=100_000).contains(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn niks_are_masked_but_the_last_four() {
        assert_eq!(mask_nik(Some("1674011508900001")), "************0001");
        assert_eq!(mask_nik(None), "—");
    }

    #[test]
    fn locations_are_desa_codes() {
        assert_eq!(
            parse_location("1674011001").as_deref(),
            Some("16.74.01.1001")
        );
        assert_eq!(parse_location("16.74.01").as_deref(), None);
        assert_eq!(parse_location("99.74.01.1001").as_deref(), None);
    }

    #[test]
    fn counts_accept_thousands_dots() {
        assert_eq!(parse_count("1.234"), Some(1234));
        assert_eq!(parse_count(""), Some(0));
        assert_eq!(parse_count("-1"), None);
        assert_eq!(parse_count("abc"), None);
    }
}
