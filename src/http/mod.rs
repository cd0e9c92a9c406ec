//! What every handler shares, below the features: the application state, the error type and
//! its Indonesian page, the page frame, the signed-in user, form and CSV helpers, charts.

pub mod cache;
pub mod charts;
pub mod csv;
pub mod error;
pub mod form;
pub mod layout;
pub mod session;
pub mod upload;

use std::sync::Arc;

use sqlx::PgPool;

use crate::config::Config;

#[derive(Clone)]
pub struct AppState {
    pub db: PgPool,
    pub config: Arc<Config>,
}
