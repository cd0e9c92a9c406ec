//! Accounts: the admin page to create, deactivate and reset users (`/admin/pengguna`).

pub mod store;

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use crate::http::form::Form;
use serde::Deserialize;

use crate::domain::access::{Action, Role};
use crate::domain::password;
use crate::http::AppState;
use crate::http::error::{AppError, Result};
use crate::http::layout::Layout;
use crate::http::session::CurrentUser;
pub use store::{NewUser, UserError};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/pengguna", get(list_page).post(create))
        .route("/admin/pengguna/{id}/status", post(set_status))
        .route("/admin/pengguna/{id}/sandi", post(reset_password))
}

impl From<UserError> for AppError {
    fn from(e: UserError) -> Self {
        match e {
            UserError::Invalid(msg) => AppError::BadRequest(msg),
            UserError::NotFound => AppError::NotFound,
            UserError::Database(e) => e.into(),
        }
    }
}

pub struct RoleOption {
    pub value: &'static str,
    pub label: &'static str,
}

#[derive(Template)]
#[template(path = "users/list.html")]
struct UsersPage {
    layout: Layout,
    users: Vec<store::UserRow>,
    roles: Vec<RoleOption>,
    /// Shown once after creating or resetting: (username, password).
    secret: Option<(String, String)>,
    error: Option<String>,
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    secret: Option<(String, String)>,
    error: Option<String>,
) -> Result<Html<String>> {
    let page = UsersPage {
        layout: user.layout(),
        users: store::list(&state.db).await?,
        roles: Role::ALL
            .iter()
            .map(|r| RoleOption {
                value: r.as_str(),
                label: r.label(),
            })
            .collect(),
        secret,
        error,
    };
    Ok(Html(page.render()?))
}

async fn list_page(State(state): State<AppState>, user: CurrentUser) -> Result<Html<String>> {
    user.require_to(Action::Administer)?;
    render(&state, &user, None, None).await
}

/// The form as posted (Indonesian field names).
#[derive(Deserialize)]
struct CreateForm {
    #[serde(rename = "nama_pengguna")]
    username: String,
    #[serde(rename = "peran")]
    role: String,
    #[serde(default, rename = "provinsi")]
    province: String,
    #[serde(default, rename = "fasilitas")]
    facility: String,
    #[serde(default, rename = "kata_sandi")]
    password: String,
}

impl CreateForm {
    /// The account to create, and whether its password was generated (to be shown once).
    fn new_user(self) -> Result<(NewUser, bool)> {
        let Some(role) = Role::parse(&self.role) else {
            return Err(AppError::BadRequest("Peran tidak dikenal.".into()));
        };
        let generated = self.password.is_empty();
        let password = if generated {
            password::generate()
        } else {
            self.password
        };
        let new = NewUser {
            username: self.username,
            role,
            province_code: Some(self.province),
            facility_code: Some(self.facility),
            password,
        };
        Ok((new, generated))
    }
}

#[tracing::instrument(skip_all, fields(user = %user.username, new = %form.username))]
async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<CreateForm>,
) -> Result<Response> {
    user.require_to(Action::Administer)?;
    let (new, generated) = form.new_user()?;
    let secret = generated.then(|| (new.username.trim().to_lowercase(), new.password.clone()));
    match store::create(&state.db, new, &user.actor()).await {
        Ok(_) => Ok(render(&state, &user, secret, None).await?.into_response()),
        Err(UserError::Invalid(msg)) => {
            let page = render(&state, &user, None, Some(msg)).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct StatusForm {
    #[serde(rename = "aktif")]
    active: bool,
}

#[tracing::instrument(skip_all, fields(user = %user.username, id = id))]
async fn set_status(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<StatusForm>,
) -> Result<Redirect> {
    user.require_to(Action::Administer)?;
    store::set_active(&state.db, id, form.active, &user.actor()).await?;
    Ok(Redirect::to("/admin/pengguna"))
}

#[tracing::instrument(skip_all, fields(user = %user.username, id = id))]
async fn reset_password(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Html<String>> {
    user.require_to(Action::Administer)?;
    let username = sqlx::query_scalar!("select username from users where id = $1", id)
        .fetch_optional(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let new_password = password::generate();
    store::set_password(&state.db, &username, new_password.clone(), &user.actor()).await?;
    render(&state, &user, Some((username, new_password)), None).await
}
