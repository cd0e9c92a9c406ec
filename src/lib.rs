//! Loksus: election logistics for the special polling stations (TPS Lokasi Khusus) of
//! Indonesia's prisons, detention centres and juvenile facilities.
//!
//! The modules form layers that point one way (a module uses only its own layer's shared
//! parts and the layers below; `tests/app/layers.rs` fails on a cycle or an upward use):
//!
//! 1. The shell: this file (`app`, `serve`), [`cli`], `web` (middleware, static files,
//!    `/health`, 404), [`demo`] and [`devtools`] (the private PostgreSQL cluster and the
//!    database the command line opens, the benchmark route).
//! 2. Features, one folder per thing users do, each with its `router()`: [`auth`] (login,
//!    logout, CSRF, throttle), [`users`], [`elections`] (creating and changing elections,
//!    Pilkada contests), [`audit`] (the page), `facilities` (creating and editing one),
//!    [`rolls`] (voter rolls, imports, transfers), [`stations`] (TPS, counts, allocation,
//!    readiness, dapils, prints), [`reports`] (dashboards, province and facility pages,
//!    downloads, exports), [`reconcile`] (KPU's list), [`incidents`] (the incident log and
//!    the ASN neutrality briefing); [`help`] (`/bantuan`, per role).
//! 3. [`read`]: read models the features share: the selected election, the place a user may
//!    see, TPS summaries, pre-aggregated figures, the check of typed region codes.
//! 4. [`http`]: what every handler uses: `AppState`, `AppError` and its Indonesian page, the
//!    page frame, the signed-in user, form extraction, CSV output, charts.
//! 5. [`domain`]: pure rules and types (roles and scopes, NIK, region codes, eligibility, the
//!    roll file, ballots, allocation, readiness, figures, masking, Indonesian formats).
//! 6. [`db`] and [`config`]: pool settings, migrations and the Kemendagri region reference
//!    loaded after them, the audit writer, constraint messages; settings.

pub mod audit;
pub mod auth;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod devtools;
pub mod domain;
pub mod elections;
pub mod help;
pub mod http;
pub mod incidents;
pub mod read;
pub mod reconcile;
pub mod reports;
pub mod rolls;
pub mod stations;
pub mod users;

mod facilities;
pub(crate) mod web;

use std::future::Future;
use std::net::SocketAddr;

use axum::{Extension, Router};
use tokio::net::TcpListener;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};
use tower_sessions_sqlx_store::PostgresStore;

pub use config::Config;

pub use http::AppState;
use http::cache::Caches;
use http::cache::sessions::CachedStore;

/// The whole web application, with this process's caches (live while
/// [`http::cache::listen::listen`] runs for them).
pub fn app(state: AppState, caches: Caches) -> Router {
    let config = state.config.clone();
    let idle = i64::try_from(config.session_idle.as_secs()).unwrap_or(i64::MAX);
    let store = CachedStore::new(PostgresStore::new(state.db.clone()), caches.clone());
    let sessions = SessionManagerLayer::new(store)
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
        .merge(devtools::router())
        .merge(auth::router())
        .merge(users::router())
        .merge(elections::router())
        .merge(audit::router())
        .merge(rolls::router())
        .merge(stations::router())
        .merge(reconcile::router())
        .merge(incidents::router())
        .merge(help::router())
        .merge(web::router())
        .fallback(web::not_found)
        .with_state(state.clone())
        .layer(axum::middleware::from_fn(auth::csrf::protect))
        .layer(sessions)
        .layer(axum::middleware::from_fn_with_state(
            state,
            http::cache::listen::after_writes,
        ))
        .layer(Extension(caches))
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
    tokio::spawn(rolls::purge_uploads_periodically(state.db.clone()));
    let caches = Caches::default();
    let listening = tokio::spawn(http::cache::listen::listen(
        caches.clone(),
        state.db.clone(),
    ));
    let served = axum::serve(
        listener,
        app(state, caches).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await;
    listening.abort();
    served
}
