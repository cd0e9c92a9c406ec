//! CSRF protection for every state-changing request (synchronizer token).
//!
//! Each session holds a random token; every form carries it in a hidden `csrf` field (file
//! uploads carry it in the form's URL as `?csrf=`, scripts may send `X-CSRF-Token`). The
//! middleware checks it for every method other than GET/HEAD/OPTIONS before any handler runs:
//! a missing or wrong token answers 403 and nothing changes.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::RngCore;
use tower_sessions::Session;

use crate::error::ErrorPage;

const SESSION_KEY: &str = "csrf";
/// Urlencoded forms are small; uploads go as multipart and are not buffered here.
const FORM_LIMIT: usize = 2 * 1024 * 1024;

/// The session's token, created on first use.
pub async fn token(session: &Session) -> Result<String, tower_sessions::session::Error> {
    if let Some(t) = session.get::<String>(SESSION_KEY).await? {
        return Ok(t);
    }
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let t: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    session.insert(SESSION_KEY, &t).await?;
    Ok(t)
}

pub async fn protect(session: Session, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let expected = session.get::<String>(SESSION_KEY).await.ok().flatten();
    let (parts, body) = req.into_parts();
    let mut provided = parts
        .headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| field(parts.uri.query().unwrap_or("").as_bytes()));
    let is_form = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let body = if provided.is_none() && is_form {
        match to_bytes(body, FORM_LIMIT).await {
            Ok(bytes) => {
                provided = field(&bytes);
                Body::from(bytes)
            }
            Err(_) => return rejected(StatusCode::PAYLOAD_TOO_LARGE),
        }
    } else {
        body
    };
    match (expected, provided) {
        (Some(e), Some(p)) if constant_time_eq(e.as_bytes(), p.as_bytes()) => {
            next.run(Request::from_parts(parts, body)).await
        }
        _ => {
            tracing::warn!(path = %parts.uri.path(), "CSRF token missing or wrong");
            rejected(StatusCode::FORBIDDEN)
        }
    }
}

fn rejected(status: StatusCode) -> Response {
    let mut page = ErrorPage::new(status);
    if status == StatusCode::FORBIDDEN {
        page.title = "Formulir tidak dapat diproses";
        page.message = "Formulir ini sudah kedaluwarsa atau tidak berasal dari Loksus. Muat ulang \
                        halaman, lalu kirim lagi.";
    }
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        page.detail = Some(format!(
            "Isian formulir terlalu besar (batas {} MB).",
            FORM_LIMIT / (1024 * 1024)
        ));
    }
    page.into_response_with(status).into_response()
}

fn field(form: &[u8]) -> Option<String> {
    form_urlencoded::parse(form)
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.into_owned())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_token_among_form_fields() {
        assert_eq!(field(b"a=1&csrf=abc&b=2").as_deref(), Some("abc"));
        assert_eq!(field(b"a=1"), None);
    }

    #[test]
    fn compares_whole_tokens() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
