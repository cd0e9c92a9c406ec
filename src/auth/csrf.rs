//! CSRF protection for every state-changing request (synchronizer token).
//!
//! Each session holds a random token; every form carries it in a hidden `csrf` field (file
//! uploads carry it in the form's URL as `?csrf=`, scripts may send `X-CSRF-Token`). The
//! middleware checks it for every method other than GET/HEAD/OPTIONS before any handler runs:
//! a missing or wrong token answers 403 and nothing changes.
//!
//! A visitor who is not logged in has no session, and showing the login form must not create
//! one (a stored row per anonymous request). The login form's token is then a double-submit
//! cookie: a random value in an HttpOnly, SameSite=Strict cookie limited to `/masuk`, and the
//! same value in the form's `csrf` field. `POST /masuk` (and only it) is accepted when the
//! field equals that cookie or the session's token. After login the session gets its own token.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;
use tower_sessions::cookie::{Cookie, SameSite};

use crate::http::error::ErrorPage;

use crate::http::session::{CSRF_KEY as SESSION_KEY, random_token as new_token};
/// The double-submit cookie of the login form, sent only to `LOGIN_PATH`.
const LOGIN_COOKIE: &str = "loksus_masuk";
const LOGIN_PATH: &str = "/masuk";
/// Urlencoded forms are small; uploads go as multipart and are not buffered here.
const FORM_LIMIT: usize = 2 * 1024 * 1024;

/// The session's token, created on first use (which stores the session: call it only for a
/// session that is kept anyway, a logged-in one).
pub use crate::http::session::csrf_token as token;

/// The token of the login form, and the cookie to set when it is a new one.
pub struct LoginToken {
    pub value: String,
    pub set_cookie: Option<HeaderValue>,
}

/// The login form's token without storing a session: the session's token when it has one,
/// else the visitor's login cookie, else a new value for that cookie.
pub async fn login_token(
    session: &Session,
    headers: &HeaderMap,
    secure: bool,
) -> Result<LoginToken, tower_sessions::session::Error> {
    if let Some(value) = session.get::<String>(SESSION_KEY).await? {
        return Ok(LoginToken {
            value,
            set_cookie: None,
        });
    }
    if let Some(value) = login_cookie(headers) {
        return Ok(LoginToken {
            value,
            set_cookie: None,
        });
    }
    let value = new_token();
    let cookie = Cookie::build((LOGIN_COOKIE, value.clone()))
        .path(LOGIN_PATH)
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .build();
    let set_cookie = HeaderValue::try_from(cookie.to_string()).ok();
    Ok(LoginToken { value, set_cookie })
}

/// The login cookie's value, when the request carries a well-formed one.
fn login_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == LOGIN_COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

pub async fn protect(session: Session, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let mut expected: Vec<String> = session
        .get::<String>(SESSION_KEY)
        .await
        .ok()
        .flatten()
        .into_iter()
        .collect();
    if parts.uri.path() == LOGIN_PATH {
        expected.extend(login_cookie(&parts.headers));
    }
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
    let matches = provided.is_some_and(|p| {
        expected
            .iter()
            .any(|e| constant_time_eq(e.as_bytes(), p.as_bytes()))
    });
    if matches {
        next.run(Request::from_parts(parts, body)).await
    } else {
        tracing::warn!(path = %parts.uri.path(), "CSRF token missing or wrong");
        rejected(StatusCode::FORBIDDEN)
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
    fn reads_only_a_well_formed_login_cookie() {
        let token = "ab".repeat(32);
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::try_from(format!("a=1; {LOGIN_COOKIE}={token}; b=2")).unwrap(),
        );
        assert_eq!(login_cookie(&headers), Some(token));
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("loksus_masuk=short"),
        );
        assert_eq!(login_cookie(&headers), None);
        assert_eq!(login_cookie(&HeaderMap::new()), None);
    }

    #[test]
    fn compares_whole_tokens() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
