//! Loksus: election logistics for the special polling stations (TPS Lokasi Khusus) of
//! Indonesia's prisons, detention centres and juvenile facilities.
//!
//! A tour of the modules:
//! - [`audit`]: the audit log, written in the same transaction as every change.
//! - [`auth`]: roles and scopes, `CurrentUser`, login/logout, passwords, CSRF, throttling.
//! - [`cli`]: the `loksus` command line (serve, migrate, demo load, user).
//! - [`config`]: settings the handlers read.
//! - [`csv_out`]: every CSV written passes one formula guard; CSV downloads.
//! - [`db`]: finding the database (`DATABASE_URL` or the private cluster) and migrations.
//! - [`demo`]: demo data built from published Pemilu 2024 figures.
//! - [`elections`]: which election a page is about.
//! - [`error`]: `AppError`, rendered as Indonesian error pages.
//! - [`figures`]: the counts overviews show, and their display form.
//! - [`format`]: Indonesian numbers and dates.
//! - [`privacy`]: one masking rule for NIKs, and who may learn where an inmate is held.
//! - [`reports`]: dashboards, press sentence, countdown, charts, CSV/XLSX downloads, figures.
//! - `facilities`: province and facility pages, editing a facility.
//! - [`reconcile`]: matching a facility's roll with KPU's final voter list.
//! - [`rolls`]: inmate voter rolls: import, NIK checks, eligibility, the roll pages.
//! - [`stations`]: TPS, official counts and history, allocation, ballots, readiness, dapils.
//! - [`users`]: accounts (the admin page and the store `loksus user` uses).
//! - `web`: static files, `/health`, 404 and the middleware stack.

pub mod audit;
pub mod auth;
pub mod cli;
pub mod config;
pub mod csv_out;
pub mod db;
pub mod demo;
pub mod elections;
pub mod error;
pub mod figures;
pub mod format;
pub mod privacy;
pub mod reconcile;
pub mod rolls;
pub mod stations;
pub mod users;

mod facilities;
pub mod reports;
pub(crate) mod web;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use sqlx::PgPool;
use tokio::net::TcpListener;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};
use tower_sessions_sqlx_store::PostgresStore;

pub use config::Config;

#[derive(Clone)]
pub struct AppState {
    pub db: PgPool,
    pub config: Arc<Config>,
}

/// The whole web application; the server and the tests build it the same way.
pub fn app(state: AppState) -> Router {
    let config = state.config.clone();
    let idle = i64::try_from(config.session_idle.as_secs()).unwrap_or(i64::MAX);
    let sessions = SessionManagerLayer::new(PostgresStore::new(state.db.clone()))
        .with_name("loksus_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(config.secure_cookies)
        .with_expiry(Expiry::OnInactivity(
            tower_sessions::cookie::time::Duration::seconds(idle),
        ));
    let router = Router::new()
        .merge(reports::router())
        .merge(facilities::router())
        .merge(auth::router())
        .merge(users::router())
        .merge(audit::router())
        .merge(rolls::router())
        .merge(stations::router())
        .merge(reconcile::router())
        .merge(web::router())
        .fallback(web::not_found)
        .with_state(state)
        .layer(axum::middleware::from_fn(auth::csrf::protect))
        .layer(sessions)
        .layer(axum::middleware::from_fn(web::reject_nul));
    web::layers(router, config.request_timeout)
}

/// Serves `app(state)` on `listener` until `shutdown` completes, then lets requests in
/// flight finish.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    tokio::spawn(db::delete_expired_periodically(state.db.clone()));
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
