//! Inmate voter rolls: the import file, validation, eligibility on voting day, and the
//! registrar's pages (read-only for kanwil and admin in scope; KPU liaisons read reports,
//! not rolls).
//!
//! Every page takes the facility and election from [`AtFacility`](crate::read::scope::AtFacility)
//! (404 outside the scope), then checks the role (403). Handlers ([`list`], [`uploads`],
//! [`disdukcapil`], [`voter`], [`transfers`], [`vote_moves`]) extract, call and respond; their SQL is in
//! [`queries`], their pages in [`views`]; [`filter`] names the list's `?saring=` values;
//! [`import`] is the import itself, shared with the command line.

mod disdukcapil;
pub mod export;
mod filter;
pub mod import;
mod list;
mod queries;
pub mod transfers;
mod uploads;
mod views;
mod vote_moves;
mod voter;
mod voter_form;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use sqlx::PgPool;

use crate::http::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/fasilitas/{code}/daftar", get(list::list))
        .route(
            "/fasilitas/{code}/daftar/impor",
            get(uploads::upload_page)
                .post(uploads::upload)
                .layer(DefaultBodyLimit::max(uploads::UPLOAD_LIMIT)),
        )
        .route(
            "/fasilitas/{code}/daftar/impor/{id}",
            post(uploads::confirm),
        )
        .route(
            "/fasilitas/{code}/daftar/impor/{id}/ditolak.csv",
            get(uploads::rejected_csv),
        )
        .route(
            "/fasilitas/{code}/daftar/baru",
            get(voter::new_page).post(voter::save),
        )
        .route(
            "/fasilitas/{code}/daftar/{id}/ubah",
            get(voter::edit_page).post(voter::save),
        )
        .route("/fasilitas/{code}/daftar/{id}/bebas", post(voter::release))
        .route(
            "/fasilitas/{code}/daftar/{id}/pindah",
            post(voter::transfer),
        )
        .route("/fasilitas/{code}/pindahan", get(transfers::page))
        .route(
            "/fasilitas/{code}/pindahan/{id}/{action}",
            post(transfers::decide),
        )
        .route("/fasilitas/{code}/pindah-memilih", get(vote_moves::page))
        .route("/fasilitas/{code}/disdukcapil", get(disdukcapil::page))
        .route("/fasilitas/{code}/disdukcapil.csv", get(disdukcapil::csv))
        .route("/templat-daftar.csv", get(uploads::template_csv))
}

/// Deletes the file content of roll uploads whose preview was abandoned (never confirmed
/// within 24 hours); confirmed uploads lose theirs at confirmation. The row, and the audit
/// of what was imported, stay. Returns how many uploads were purged.
pub async fn purge_uploads(pool: &PgPool) -> sqlx::Result<u64> {
    queries::uploads::purge(pool).await
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
