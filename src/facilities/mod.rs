//! Creating a facility ([`new`]) and editing its details: admins anywhere, kanwil staff in
//! their province.

mod new;

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;
use serde_json::json;

use crate::db::audit::{self, Entry};
use crate::domain::access::Action;
use crate::http::AppState;
use crate::http::error::{AppError, Result};
use crate::http::form::Form;
use crate::http::layout::Layout;
use crate::http::session::CurrentUser;
use crate::read::places::type_label;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/fasilitas/baru", get(new::new_page).post(new::create))
        .route("/fasilitas/{code}/ubah", get(edit_page).post(update))
}

pub const TYPES: [&str; 6] = [
    "lapas",
    "lapas_perempuan",
    "lapas_narkotika",
    "rutan",
    "cabang_rutan",
    "lpka",
];
pub const CLASSES: [&str; 4] = ["I", "IIA", "IIB", "III"];

pub struct TypeOption {
    pub value: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "facilities/edit.html")]
struct EditPage {
    layout: Layout,
    code: String,
    name: String,
    types: Vec<TypeOption>,
    class: String,
    classes: [&'static str; 4],
    inmates: String,
    error: Option<String>,
}

struct Facility {
    id: i64,
    name: String,
    facility_type: String,
    class: Option<String>,
    province_code: String,
    inmates: i32,
}

/// The facility types for a form's select, `selected` marked.
fn type_options(selected: &str) -> Vec<TypeOption> {
    TYPES
        .iter()
        .map(|&t| TypeOption {
            value: t,
            label: type_label(t),
            selected: t == selected,
        })
        .collect()
}

/// The facility, if the user may see it (else 404), and may edit it (else 403).
async fn editable(state: &AppState, user: &CurrentUser, code: &str) -> Result<Facility> {
    let f = sqlx::query_as!(
        Facility,
        "select id, name, facility_type, class, province_code, inmates from facilities where code = $1",
        code
    )
    .fetch_optional(&state.db)
    .await?
    .filter(|f| user.sees_facility(f.id, &f.province_code))
    .ok_or(AppError::NotFound)?;
    user.require_to(Action::EditFacility)?;
    Ok(f)
}

fn page(user: &CurrentUser, code: String, form: &EditForm, error: Option<String>) -> EditPage {
    EditPage {
        layout: user.layout(),
        code,
        name: form.name.clone(),
        types: type_options(&form.facility_type),
        class: form.class.clone(),
        classes: CLASSES,
        inmates: form.inmates.clone(),
        error,
    }
}

pub async fn edit_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(code): Path<String>,
) -> Result<Html<String>> {
    let f = editable(&state, &user, &code).await?;
    let form = EditForm {
        name: f.name,
        facility_type: f.facility_type,
        class: f.class.unwrap_or_default(),
        inmates: f.inmates.to_string(),
    };
    Ok(Html(page(&user, code, &form, None).render()?))
}

/// The form as posted (Indonesian field names: `nama`, `jenis`, `kelas`, `jumlah_wbp`).
#[derive(Deserialize, Default)]
pub struct EditForm {
    #[serde(rename = "nama")]
    name: String,
    #[serde(rename = "jenis")]
    facility_type: String,
    #[serde(default, rename = "kelas")]
    class: String,
    #[serde(rename = "jumlah_wbp")]
    inmates: String,
}

struct Valid {
    name: String,
    facility_type: String,
    class: Option<String>,
    inmates: i32,
}

fn validate(form: &EditForm) -> std::result::Result<Valid, String> {
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        return Err("Nama fasilitas wajib diisi (paling banyak 120 karakter).".into());
    }
    if !TYPES.contains(&form.facility_type.as_str()) {
        return Err("Jenis fasilitas tidak dikenal.".into());
    }
    let class = form.class.trim();
    if !class.is_empty() && !CLASSES.contains(&class) {
        return Err("Kelas harus I, IIA, IIB atau III.".into());
    }
    let inmates: i32 = form
        .inmates
        .trim()
        .replace('.', "")
        .parse()
        .ok()
        .filter(|n| (0..=100_000).contains(n))
        .ok_or("Jumlah WBP harus bilangan bulat 0–100.000.")?;
    Ok(Valid {
        name: name.to_owned(),
        facility_type: form.facility_type.clone(),
        class: (!class.is_empty()).then(|| class.to_owned()),
        inmates,
    })
}

#[tracing::instrument(skip_all, fields(facility = %code, user = %user.username))]
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(code): Path<String>,
    Form(form): Form<EditForm>,
) -> Result<Response> {
    let f = editable(&state, &user, &code).await?;
    let v = match validate(&form) {
        Ok(v) => v,
        Err(msg) => {
            let html = page(&user, code, &form, Some(msg)).render()?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response());
        }
    };
    let mut tx = state.db.begin().await?;
    sqlx::query!(
        "update facilities set name = $2, facility_type = $3, class = $4, inmates = $5 where id = $1",
        f.id,
        v.name,
        v.facility_type,
        v.class,
        v.inmates
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        &user.actor(),
        Entry::new("facility.update")
            .object("facility", &code)
            .province(Some(f.province_code))
            .facility(Some(f.id))
            .before(json!({ "name": f.name, "facility_type": f.facility_type,
                            "class": f.class, "inmates": f.inmates }))
            .after(json!({ "name": v.name, "facility_type": v.facility_type,
                           "class": v.class, "inmates": v.inmates })),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/fasilitas/{code}")).into_response())
}
