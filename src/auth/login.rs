//! The login and logout pages.

use askama::Template;
use axum::Router;
use axum::extract::{FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use crate::http::form::Form;
use serde::Deserialize;
use serde_json::json;
use tower_sessions::Session;

use super::{csrf, throttle};
use crate::db::audit::{self, Actor, Entry};
use crate::domain::password;
use crate::http::AppState;
use crate::http::error::{AppError, Result};
use crate::http::layout::Layout;
use crate::http::session::{CurrentUser, SESSION_USER_KEY, SessionUser, client_addr};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/masuk", get(login_page).post(login))
        .route("/keluar", post(logout))
}

#[derive(Template)]
#[template(path = "auth/login.html")]
struct LoginPage {
    layout: Layout,
    next: String,
    username: String,
    error: Option<String>,
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

/// Where to go after login: only a path of this site. It starts with one `/` (not `//` or
/// `/\`, which browsers read as another host) and holds no backslash, whitespace or control
/// character (a tab or newline is dropped by browsers, turning `/\t/host` into `//host`, and
/// CR/LF cannot go into a header). Anything else goes to `/`.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && !n.chars().any(|c| c.is_control() || c.is_whitespace()) =>
        {
            n.to_owned()
        }
        _ => "/".to_owned(),
    }
}

/// The login page, answered with `status`; sets the login cookie when the token is new.
async fn login_form(
    state: &AppState,
    session: &Session,
    headers: &HeaderMap,
    status: StatusCode,
    page: LoginView,
) -> Result<Response> {
    let token = csrf::login_token(session, headers, state.config.secure_cookies).await?;
    let page = LoginPage {
        layout: Layout {
            user: None,
            csrf: token.value,
            demo: state.config.demo,
        },
        next: safe_next(page.next.as_deref()),
        username: page.username,
        error: page.error,
    };
    let mut resp = (status, Html(page.render()?)).into_response();
    if let Some(cookie) = token.set_cookie {
        resp.headers_mut().append(header::SET_COOKIE, cookie);
    }
    Ok(resp)
}

/// What the login page shows besides its token.
struct LoginView {
    next: Option<String>,
    username: String,
    error: Option<String>,
}

async fn login_page(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Query(q): Query<NextQuery>,
) -> Result<Response> {
    let page = LoginView {
        next: q.next,
        username: String::new(),
        error: None,
    };
    login_form(&state, &session, &headers, StatusCode::OK, page).await
}

#[derive(Deserialize)]
struct Credentials {
    username: String,
    password: String,
    next: Option<String>,
}

/// The client address, for handlers that have no `CurrentUser`.
struct ClientAddr(String);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        Ok(ClientAddr(client_addr(parts, &state.config)))
    }
}

/// Checks the throttle, then the password. A failed login leaves no session behind.
#[tracing::instrument(skip_all, fields(user = %form.username.trim().to_lowercase(), addr = %addr))]
async fn login(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    ClientAddr(addr): ClientAddr,
    Form(form): Form<Credentials>,
) -> Result<Response> {
    let username = form.username.trim().to_lowercase();
    let next = safe_next(form.next.as_deref());
    let anonymous = Actor {
        user_id: None,
        name: username.clone(),
        client_addr: Some(addr.clone()),
    };
    let attempt = claim_attempt(&state, &anonymous, &username, &addr).await?;
    let account = account_for(&state, &username, form.password).await?;
    let mut tx = state.db.begin().await?;
    match account {
        Some(u) => {
            throttle::succeeded(&mut tx, attempt).await?;
            let actor = Actor {
                user_id: Some(u.id),
                ..anonymous
            };
            let entry = Entry::new("login")
                .object("user", u.id)
                .province(u.province)
                .facility(u.facility_id);
            audit::record(&mut tx, &actor, entry).await?;
            tx.commit().await?;
            start_session(&session, u.id, u.auth_epoch).await?;
            Ok(Redirect::to(&next).into_response())
        }
        None => {
            // The attempt stays recorded as the failure `claim` wrote.
            audit::record(&mut tx, &anonymous, Entry::new("login_failed")).await?;
            tx.commit().await?;
            let page = LoginView {
                next: Some(next),
                username,
                error: Some("Nama pengguna atau kata sandi salah.".into()),
            };
            login_form(&state, &session, &headers, StatusCode::UNAUTHORIZED, page).await
        }
    }
}

/// Records the attempt with the throttle (its own transaction); a refused one is audited and
/// answered 429.
async fn claim_attempt(
    state: &AppState,
    anonymous: &Actor,
    username: &str,
    addr: &str,
) -> Result<i64> {
    let mut tx = state.db.begin().await?;
    let attempt = match throttle::claim(&mut tx, &state.config, username, addr).await? {
        throttle::Claim::Granted(attempt) => attempt,
        throttle::Claim::Refused(wait) => {
            audit::record(
                &mut tx,
                anonymous,
                Entry::new("login_throttled").after(json!({ "retry_after_seconds": wait })),
            )
            .await?;
            tx.commit().await?;
            return Err(AppError::TooManyRequests(wait));
        }
    };
    tx.commit().await?;
    Ok(attempt)
}

/// An active account whose password is `given`.
struct Account {
    id: i64,
    auth_epoch: i32,
    province: Option<String>,
    facility_id: Option<i64>,
}

/// The account `username` when `given` is its password and it is active. The password is
/// verified (off the async threads) even for an unknown name, so both take as long.
async fn account_for(state: &AppState, username: &str, given: String) -> Result<Option<Account>> {
    let user = sqlx::query!(
        r#"select u.id, u.password_hash, u.active, u.auth_epoch, u.province_code,
                  coalesce(u.province_code, f.province_code) as province, u.facility_id
           from users u left join facilities f on f.id = u.facility_id
           where u.username = $1"#,
        username
    )
    .fetch_optional(&state.db)
    .await?;
    let stored = user.as_ref().map(|u| u.password_hash.clone());
    let password_ok =
        tokio::task::spawn_blocking(move || password::verify(&given, stored.as_deref()))
            .await
            .map_err(anyhow::Error::from)?;
    Ok(user.filter(|u| password_ok && u.active).map(|u| Account {
        id: u.id,
        auth_epoch: u.auth_epoch,
        province: u.province,
        facility_id: u.facility_id,
    }))
}

/// A new session id on login (a planted cookie cannot ride along), the user in it, and a
/// fresh CSRF token.
async fn start_session(session: &Session, id: i64, epoch: i32) -> Result<()> {
    session.cycle_id().await?;
    session
        .insert(SESSION_USER_KEY, SessionUser { id, epoch })
        .await?;
    csrf::token(session).await?;
    Ok(())
}

#[tracing::instrument(skip_all, fields(user = %user.username))]
async fn logout(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
) -> Result<Response> {
    let mut tx = state.db.begin().await?;
    audit::record(
        &mut tx,
        &user.actor(),
        Entry::new("logout").object("user", user.id),
    )
    .await?;
    tx.commit().await?;
    session.flush().await?;
    Ok((
        [(header::CACHE_CONTROL, "no-store")],
        Redirect::to("/masuk"),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed_after_login() {
        assert_eq!(safe_next(Some("/provinsi/16")), "/provinsi/16");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
        assert_eq!(safe_next(Some("/\t/evil.example")), "/");
        assert_eq!(safe_next(Some("/\r\n/x")), "/");
        assert_eq!(safe_next(Some("\r\n")), "/");
        assert_eq!(safe_next(Some("/ /x")), "/");
        assert_eq!(safe_next(Some("/\u{85}/x")), "/");
        assert_eq!(safe_next(Some("/")), "/");
        assert_eq!(safe_next(Some("/rolls?q=a%20b")), "/rolls?q=a%20b");
        assert_eq!(safe_next(Some("")), "/");
    }
}
