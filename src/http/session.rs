//! Who is asking: the [`CurrentUser`] extractor every page takes, read from the session and
//! the user row, the session's CSRF token, and the client's address.
//!
//! Every page except `/masuk`, `/health` and static files takes a [`CurrentUser`]: without a
//! valid session the visitor is sent to the login page and back afterwards. The user row is
//! checked on every request, so a deactivated account or a reset password ends open sessions
//! at once: read from the database, or from this process's cache, which the database's
//! notifications keep right in every server process (see `cache`).

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use super::AppState;
use super::cache::{Caches, UserRow};
use super::error::{AppError, Result};
use super::layout::{Layout, LayoutUser};
use crate::config::Config;
use crate::db::audit::Actor;
use crate::domain::access::{Action, Role, Scope};
use crate::domain::privacy::NikView;

/// The session key of the signed-in user.
pub const SESSION_USER_KEY: &str = "user";
/// The session key of the CSRF token.
pub const CSRF_KEY: &str = "csrf";

/// The session's CSRF token, created on first use.
pub async fn csrf_token(
    session: &Session,
) -> std::result::Result<String, tower_sessions::session::Error> {
    if let Some(t) = session.get::<String>(CSRF_KEY).await? {
        return Ok(t);
    }
    let t = random_token();
    session.insert(CSRF_KEY, &t).await?;
    Ok(t)
}

/// 32 random bytes as hex.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The logged-in user of this request.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: i64,
    pub username: String,
    pub role: Role,
    pub scope: Scope,
    /// "Nasional", the province name, or the facility name.
    pub scope_name: String,
    pub csrf: String,
    pub demo: bool,
    pub client_addr: String,
}

impl CurrentUser {
    /// The province every list must be limited to, if any.
    pub fn province_filter(&self) -> Option<&str> {
        match &self.scope {
            Scope::National => None,
            Scope::Province(p) | Scope::Facility { province: p, .. } => Some(p),
        }
    }

    /// The facility every list must be limited to, if any.
    pub fn facility_filter(&self) -> Option<i64> {
        match self.scope {
            Scope::Facility { id, .. } => Some(id),
            _ => None,
        }
    }

    pub fn sees_province(&self, code: &str) -> bool {
        self.province_filter().is_none_or(|p| p == code)
    }

    pub fn sees_facility(&self, id: i64, province: &str) -> bool {
        self.sees_province(province) && self.facility_filter().is_none_or(|f| f == id)
    }

    /// Whether this user's role may take `action` (the scope is checked where the place is
    /// looked up).
    pub fn may(&self, action: Action) -> bool {
        self.role.may(action)
    }

    /// 403 unless the role may take `action` (call after the scope check, which is a 404).
    pub fn require_to(&self, action: Action) -> Result<()> {
        if self.may(action) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// How this user sees the NIKs of `facility_id`'s roll (the one masking rule).
    pub fn nik_view(&self, facility_id: i64) -> NikView {
        NikView::for_viewer(self.role, &self.scope, facility_id)
    }

    pub fn actor(&self) -> Actor {
        Actor {
            user_id: Some(self.id),
            name: self.username.clone(),
            client_addr: Some(self.client_addr.clone()),
        }
    }

    pub fn layout(&self) -> Layout {
        Layout {
            user: Some(LayoutUser {
                username: self.username.clone(),
                role_label: self.role.label(),
                scope_name: self.scope_name.clone(),
                is_admin: self.role == Role::Admin,
                sees_audit: matches!(self.role, Role::Admin | Role::Kanwil),
            }),
            csrf: self.csrf.clone(),
            demo: self.demo,
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
pub struct SessionUser {
    pub id: i64,
    pub epoch: i32,
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(|(_, msg)| AppError::Other(anyhow::anyhow!(msg)))?;
        let next = parts
            .uri
            .path_and_query()
            .map_or("/".to_owned(), |p| p.as_str().to_owned());
        let Some(su) = session.get::<SessionUser>(SESSION_USER_KEY).await? else {
            return Err(AppError::LoginRequired(next));
        };
        let row = user_row(parts, state, su.id).await?;
        let Some(row) = row.filter(|r| r.active && r.auth_epoch == su.epoch) else {
            session.flush().await?;
            return Err(AppError::LoginRequired(next));
        };
        keep_alive(&session, &state.config).await?;
        let role = Role::parse(&row.role).ok_or(AppError::Forbidden)?;
        let scope = match (row.facility_id, row.facility_province, row.user_province) {
            (Some(id), Some(province), _) => Scope::Facility { id, province },
            (_, _, Some(province)) => Scope::Province(province),
            _ => Scope::National,
        };
        Ok(CurrentUser {
            id: row.id,
            username: row.username,
            role,
            scope,
            scope_name: row.scope_name,
            csrf: csrf_token(&session).await?,
            demo: state.config.demo,
            client_addr: client_addr(parts, &state.config),
        })
    }
}

/// The row of user `id` with its scope's name: cached, else read (and kept).
async fn user_row(parts: &Parts, state: &AppState, id: i64) -> Result<Option<UserRow>> {
    let caches = parts
        .extensions
        .get::<Caches>()
        .cloned()
        .unwrap_or_default();
    if let Some(row) = caches.user(id) {
        return Ok(Some(row));
    }
    let ticket = caches.user_ticket();
    let row = sqlx::query_as!(
        UserRow,
        r#"select u.id, u.username, u.role, u.active, u.auth_epoch,
                  u.province_code as user_province, u.facility_id,
                  f.province_code as "facility_province?",
                  coalesce(f.name, p.name, 'Nasional') as "scope_name!"
           from users u
           left join facilities f on f.id = u.facility_id
           left join regions p on p.code = u.province_code
           where u.id = $1"#,
        id
    )
    .fetch_optional(&state.db)
    .await?;
    if let Some(r) = &row {
        caches.keep_user(ticket, r.clone());
    }
    Ok(row)
}

/// When this session last proved activity (unix seconds).
const SEEN_KEY: &str = "seen";

/// Keeps an active session alive: the store only writes a session (and so moves its expiry
/// to "idle time from now") when it changes, so a request marks it as seen again once a
/// 48th of the idle time has passed. At most one write per session every 10 minutes with
/// the default 8 hours.
async fn keep_alive(session: &Session, config: &Config) -> Result<()> {
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let every = i64::try_from(config.session_idle.as_secs() / 48).unwrap_or(i64::MAX);
    let seen = session.get::<i64>(SEEN_KEY).await?;
    if seen.is_none_or(|t| now - t >= every) {
        session.insert(SEEN_KEY, now).await?;
    }
    Ok(())
}

/// The client's address: the TCP peer, or, when Loksus is configured to sit behind a trusted
/// reverse proxy, the right-most `X-Forwarded-For` entry: the one that proxy appended. Entries
/// left of it are whatever the client sent and prove nothing. When the last entry is not an IP
/// address, the peer (the proxy) is taken.
pub fn client_addr(parts: &Parts, config: &Config) -> String {
    if config.trust_proxy
        && let Some(forwarded) = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .next_back()
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(forwarded_ip)
    {
        return forwarded.to_string();
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".to_owned(), |ci| ci.0.ip().to_string())
}

/// An `X-Forwarded-For` entry as an IP address (`1.2.3.4`, `1.2.3.4:5678`, `::1`, `[::1]:5678`).
fn forwarded_ip(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|a| a.ip()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request;

    fn addr_of(forwarded: &[&str], trust_proxy: bool) -> String {
        let mut req = Request::builder();
        for f in forwarded {
            req = req.header("x-forwarded-for", *f);
        }
        let (mut parts, ()) = req.body(()).unwrap().into_parts();
        parts
            .extensions
            .insert(ConnectInfo(SocketAddr::from(([10, 0, 0, 1], 40000))));
        let config = Config {
            trust_proxy,
            ..Config::default()
        };
        client_addr(&parts, &config)
    }

    #[test]
    fn the_proxy_appended_entry_is_the_client() {
        assert_eq!(addr_of(&["6.6.6.6, 203.0.113.7"], true), "203.0.113.7");
        assert_eq!(addr_of(&["6.6.6.6", "203.0.113.7"], true), "203.0.113.7");
        assert_eq!(addr_of(&["203.0.113.7:5678"], true), "203.0.113.7");
        assert_eq!(addr_of(&["[2001:db8::1]:443"], true), "2001:db8::1");
        assert_eq!(addr_of(&["203.0.113.7, bukan-alamat"], true), "10.0.0.1");
        assert_eq!(addr_of(&[], true), "10.0.0.1");
        assert_eq!(addr_of(&["203.0.113.7"], false), "10.0.0.1");
    }
}
