//! Loksus: election logistics for the special polling stations (TPS Lokasi Khusus) of
//! Indonesia's prisons, detention centres and juvenile facilities.
//!
//! A tour of the modules:
//! - [`cli`]: the `loksus` command line (serve, migrate, demo load).
//! - [`config`]: settings the handlers read.
//! - [`db`]: finding the database (`DATABASE_URL` or the private cluster) and migrations.
//! - [`demo`]: demo data built from published Pemilu 2024 figures.
//! - [`elections`]: which election a page is about.
//! - [`error`]: `AppError`, rendered as Indonesian error pages.
//! - [`figures`]: the counts overviews show, and their display form.
//! - [`format`]: Indonesian numbers and dates.
//! - `reports`: the national dashboard.
//! - `facilities`: province and facility pages.
//! - `web`: static files, `/health`, 404 and the middleware stack.

pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod elections;
pub mod error;
pub mod figures;
pub mod format;

mod facilities;
mod reports;
mod web;

use std::future::Future;
use std::sync::Arc;

use axum::Router;
use sqlx::PgPool;
use tokio::net::TcpListener;

pub use config::Config;

#[derive(Clone)]
pub struct AppState {
    pub db: PgPool,
    pub config: Arc<Config>,
}

/// The whole web application; the server and the tests build it the same way.
pub fn app(state: AppState) -> Router {
    let timeout = state.config.request_timeout;
    let router = Router::new()
        .merge(reports::router())
        .merge(facilities::router())
        .merge(web::router())
        .fallback(web::not_found)
        .with_state(state);
    web::layers(router, timeout)
}

/// Serves `app(state)` on `listener` until `shutdown` completes, then lets requests in
/// flight finish.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown)
        .await
}
