//! One error type for every handler, rendered as an Indonesian error page. Details of server
//! errors go to the log, never to the browser.

use askama::Template;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};

use crate::http::layout::Layout;

pub type Result<T, E = AppError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Missing, or outside the user's scope (answered the same way on purpose).
    #[error("not found")]
    NotFound,
    /// A visible object, but an action this role may not take.
    #[error("forbidden")]
    Forbidden,
    /// Not logged in: go to the login page, then back to this path.
    #[error("login required")]
    LoginRequired(String),
    /// Too many failed logins; retry after this many seconds.
    #[error("too many requests")]
    TooManyRequests(u64),
    /// Input the user can fix; the message (Indonesian) is shown as is.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// A body above the limit; the message (Indonesian) names the limit.
    #[error("payload too large: {0}")]
    TooLarge(String),
    #[error("session error: {0}")]
    Session(#[from] tower_sessions::session::Error),
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

impl From<csv::Error> for AppError {
    fn from(e: csv::Error) -> Self {
        AppError::Other(e.into())
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
    pub layout: Layout,
    pub status: u16,
    pub title: &'static str,
    pub message: &'static str,
    pub detail: Option<String>,
}

impl ErrorPage {
    pub fn new(status: StatusCode) -> Self {
        let (title, message) = match status {
            StatusCode::FORBIDDEN => (
                "Akses ditolak",
                "Peran Anda tidak mengizinkan tindakan ini.",
            ),
            StatusCode::TOO_MANY_REQUESTS => (
                "Terlalu banyak percobaan",
                "Terlalu banyak percobaan masuk yang gagal. Tunggu beberapa menit, lalu coba lagi.",
            ),
            StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY => {
                ("Data tidak dapat diproses", "Periksa kembali isian Anda.")
            }
            StatusCode::PAYLOAD_TOO_LARGE => (
                "Berkas terlalu besar",
                "Ukuran kiriman melebihi batas yang diizinkan.",
            ),
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
            layout: Layout::default(),
            status: status.as_u16(),
            title,
            message,
            detail: None,
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
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::LoginRequired(next) => {
                let next: String = form_urlencoded::byte_serialize(next.as_bytes()).collect();
                return Redirect::to(&format!("/masuk?next={next}")).into_response();
            }
            AppError::TooManyRequests(wait) => {
                let mut resp = ErrorPage::new(StatusCode::TOO_MANY_REQUESTS)
                    .into_response_with(StatusCode::TOO_MANY_REQUESTS);
                resp.headers_mut()
                    .insert(header::RETRY_AFTER, (*wait).into());
                return resp;
            }
            AppError::BadRequest(msg) => {
                let mut page = ErrorPage::new(StatusCode::BAD_REQUEST);
                page.detail = Some(msg.clone());
                return page.into_response_with(StatusCode::BAD_REQUEST);
            }
            AppError::TooLarge(msg) => {
                let mut page = ErrorPage::new(StatusCode::PAYLOAD_TOO_LARGE);
                page.detail = Some(msg.clone());
                return page.into_response_with(StatusCode::PAYLOAD_TOO_LARGE);
            }
            AppError::Unavailable(e) => {
                tracing::warn!(error = %e, "database unavailable");
                StatusCode::SERVICE_UNAVAILABLE
            }
            // The session store is the database: when it fails, the database is unavailable.
            AppError::Session(e) => {
                tracing::warn!(error = %e, "session store unavailable");
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
