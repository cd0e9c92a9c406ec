//! Signing in and out: the login page (with its throttle) and logout, and the CSRF middleware
//! that guards every state-changing request. Who is asking ([`crate::http::session`]) and
//! what each role may see ([`crate::domain::access`]) live below the features.

pub mod csrf;
mod login;
mod throttle;

use axum::Router;

use crate::http::AppState;

pub fn router() -> Router<AppState> {
    login::router()
}
