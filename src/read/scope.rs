//! The scope extractors: every facility page takes an [`AtFacility`] and every province page an
//! [`AtProvince`], which carry the signed-in user, the place (404 outside the user's scope or
//! unknown, looked up the same way everywhere) and the selected election (`?pemilihan=`).
//! Their URL builders keep `?pemilihan=` on every link and redirect.

use axum::extract::{FromRequestParts, Query, RawPathParams};
use axum::http::request::Parts;

use crate::domain::access::Action;
use crate::http::AppState;
use crate::http::error::{AppError, Result};
use crate::http::session::CurrentUser;
use crate::read::elections::{self, Election, ElectionQuery};
use crate::read::places::{self, Place};

/// The `{code}` segment of the matched route, or the code of a download's `{file}` segment
/// (`16.xlsx`, `lapas-lubuklinggau.csv`).
async fn code_of(parts: &mut Parts, state: &AppState) -> Result<String> {
    let params = RawPathParams::from_request_parts(parts, state)
        .await
        .map_err(|_| AppError::NotFound)?;
    let param = |name: &str| {
        params
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_owned())
    };
    param("code")
        .or_else(|| {
            let file = param("file")?;
            [".csv", ".xlsx"]
                .iter()
                .find_map(|ext| file.strip_suffix(ext))
                .map(str::to_owned)
        })
        .ok_or(AppError::NotFound)
}

async fn election_query(parts: &mut Parts, state: &AppState) -> Result<ElectionQuery> {
    Query::<ElectionQuery>::from_request_parts(parts, state)
        .await
        .map(|Query(q)| q)
        .map_err(|_| AppError::BadRequest("Parameter pemilihan tidak dapat dibaca.".into()))
}

/// A facility the user may see, without an election (a database that has none yet).
pub struct AtBareFacility {
    pub user: CurrentUser,
    pub code: String,
}

impl FromRequestParts<AppState> for AtBareFacility {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        let code = code_of(parts, state).await?;
        Ok(AtBareFacility { user, code })
    }
}

/// A facility the user may see, for the selected election.
pub struct AtFacility {
    pub user: CurrentUser,
    pub place: Place,
}

impl FromRequestParts<AppState> for AtFacility {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        let code = code_of(parts, state).await?;
        let query = election_query(parts, state).await?;
        let place = places::place(state, &user, &code, &query).await?;
        Ok(AtFacility { user, place })
    }
}

impl AtFacility {
    /// 403 unless the user's role may take `action` here (the scope is already checked).
    pub fn require_to(&self, action: Action) -> Result<()> {
        self.user.require_to(action)
    }

    pub fn may(&self, action: Action) -> bool {
        self.user.may(action)
    }

    /// `/fasilitas/{code}{rest}?pemilihan={slug}`.
    pub fn url(&self, rest: &str) -> String {
        self.place.url(rest)
    }
}

impl Place {
    /// `/fasilitas/{code}{rest}?pemilihan={slug}` (`rest` may carry a `#fragment`).
    pub fn url(&self, rest: &str) -> String {
        let (path, fragment) = match rest.split_once('#') {
            Some((p, f)) => (p, format!("#{f}")),
            None => (rest, String::new()),
        };
        format!(
            "/fasilitas/{}{path}?pemilihan={}{fragment}",
            self.facility_code, self.election.slug
        )
    }
}

/// A province the user may see, and the selected election (`None` in a database without
/// any election).
pub struct AtProvince {
    pub user: CurrentUser,
    pub code: String,
    pub name: String,
    pub election: Option<Election>,
}

impl FromRequestParts<AppState> for AtProvince {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        let code = code_of(parts, state).await?;
        let query = election_query(parts, state).await?;
        let name = places::province_name(&state.db, &user, &code).await?;
        let election = elections::selected(&state.db, &query).await?;
        Ok(AtProvince {
            user,
            code,
            name,
            election,
        })
    }
}

impl AtProvince {
    pub fn require_to(&self, action: Action) -> Result<()> {
        self.user.require_to(action)
    }

    /// The election, or 404 for pages that need one.
    pub fn election(&self) -> Result<&Election> {
        self.election.as_ref().ok_or(AppError::NotFound)
    }

    /// `/provinsi/{code}{rest}?pemilihan={slug}` (without the query when there is no
    /// election).
    pub fn url(&self, rest: &str) -> String {
        match &self.election {
            Some(e) => format!("/provinsi/{}{rest}?pemilihan={}", self.code, e.slug),
            None => format!("/provinsi/{}{rest}", self.code),
        }
    }
}
