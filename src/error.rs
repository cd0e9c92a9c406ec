//! One error type for every handler, rendered as an Indonesian error page. Details of server
//! errors go to the log, never to the browser.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

pub type Result<T, E = AppError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Missing, or outside the user's scope (answered the same way on purpose).
    #[error("not found")]
    NotFound,
    /// The database cannot be reached right now.
    #[error("database unavailable: {0}")]
    Unavailable(sqlx::Error),
    #[error("database error: {0}")]
    Database(sqlx::Error),
    #[error("template error: {0}")]
    Template(#[from] askama::Error),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        if is_unavailable(&e) {
            AppError::Unavailable(e)
        } else {
            AppError::Database(e)
        }
    }
}

/// Errors that mean "the database is not there" rather than "the query is wrong".
pub fn is_unavailable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => true,
        sqlx::Error::Database(db) => {
            // Class 08 (connection exception), 57P01–57P03 (shutdown, cannot connect now),
            // 3D000 (the database was dropped).
            db.code().is_some_and(|c| {
                c.starts_with("08") || matches!(c.as_ref(), "57P01" | "57P02" | "57P03" | "3D000")
            })
        }
        _ => false,
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub status: u16,
    pub title: &'static str,
    pub message: &'static str,
}

impl ErrorPage {
    pub fn new(status: StatusCode) -> Self {
        let (title, message) = match status {
            StatusCode::NOT_FOUND => (
                "Halaman tidak ditemukan",
                "Halaman yang Anda cari tidak ada atau tidak dapat Anda akses.",
            ),
            StatusCode::SERVICE_UNAVAILABLE => (
                "Layanan sedang tidak tersedia",
                "Basis data sedang tidak dapat dihubungi. Silakan coba lagi beberapa saat lagi.",
            ),
            StatusCode::REQUEST_TIMEOUT => (
                "Permintaan terlalu lama",
                "Server tidak selesai memproses permintaan tepat waktu. Silakan coba lagi.",
            ),
            _ => (
                "Terjadi kesalahan",
                "Terjadi kesalahan di server. Kejadian ini sudah dicatat; silakan coba lagi.",
            ),
        };
        Self {
            status: status.as_u16(),
            title,
            message,
        }
    }

    /// The page with its status; falls back to plain text if the template itself fails.
    pub fn into_response_with(self, status: StatusCode) -> Response {
        match self.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (status, self.title).into_response(),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = match &self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Unavailable(e) => {
                tracing::warn!(error = %e, "database unavailable");
                StatusCode::SERVICE_UNAVAILABLE
            }
            other => {
                tracing::error!(error = %other, "request failed");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        ErrorPage::new(status).into_response_with(status)
    }
}
