//! `GET/POST /fasilitas/baru`: a new facility with its code, name, type, class, kab/kota and
//! inmate count. Admins create one anywhere, kanwil staff in their own province (403 for a
//! kab/kota elsewhere); other roles get 403. The kab/kota is checked against the region
//! reference, naming the nearest level that exists when it is unknown.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;
use sqlx::PgConnection;

use super::{CLASSES, EditForm, TypeOption, Valid, type_options, validate};
use crate::db::audit::{self, Entry};
use crate::db::unique_violation_message;
use crate::domain::access::Action;
use crate::domain::region::{Level, RegionCode, malformed_message};
use crate::http::AppState;
use crate::http::error::{AppError, Result};
use crate::http::form::Form;
use crate::http::layout::Layout;
use crate::http::session::CurrentUser;
use crate::read::regions::{self, Region};

#[derive(Template)]
#[template(path = "facilities/new.html")]
struct NewPage<'a> {
    layout: Layout,
    form: &'a NewForm,
    types: Vec<TypeOption>,
    classes: [&'static str; 4],
    kabkota_options: Vec<Region>,
    error: Option<String>,
}

/// The form as posted: `kode`, `kabkota` and the edit form's fields.
#[derive(Deserialize, Default)]
pub struct NewForm {
    #[serde(default)]
    kode: String,
    #[serde(default)]
    kabkota: String,
    #[serde(flatten)]
    details: EditForm,
}

/// `?provinsi=16`: which province's kab/kota the form suggests (an admin's choice).
#[derive(Deserialize)]
pub struct NewQuery {
    provinsi: Option<String>,
}

/// The form with the kab/kota the user may choose from suggested (their province's, or the
/// province asked for, or every one for an admin).
async fn show(
    state: &AppState,
    user: &CurrentUser,
    province: Option<&str>,
    form: &NewForm,
    error: Option<String>,
) -> Result<String> {
    let province = user
        .province_filter()
        .or(province)
        .and_then(RegionCode::parse)
        .filter(|p| p.level() == Level::Province);
    let kabkota_options = regions::list(&state.db, province.as_ref(), Level::KabKota).await?;
    Ok(NewPage {
        layout: user.layout(),
        form,
        types: type_options(&form.details.facility_type),
        classes: CLASSES,
        kabkota_options,
        error,
    }
    .render()?)
}

pub async fn new_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<NewQuery>,
) -> Result<Html<String>> {
    user.require_to(Action::EditFacility)?;
    let form = NewForm {
        details: EditForm {
            facility_type: "lapas".into(),
            inmates: "0".into(),
            ..EditForm::default()
        },
        ..NewForm::default()
    };
    Ok(Html(
        show(&state, &user, q.provinsi.as_deref(), &form, None).await?,
    ))
}

/// A facility code: lower-case letters, digits and single hyphens, at most 60 characters,
/// and not a word the facility routes use.
fn facility_code(typed: &str) -> std::result::Result<String, String> {
    let code = typed.trim().to_lowercase();
    let well_formed = !code.is_empty()
        && code.len() <= 60
        && code.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
    if !well_formed || code == "baru" {
        return Err(
            "Kode fasilitas hanya huruf kecil, angka dan tanda hubung, paling banyak 60 \
                    karakter, misalnya lapas-surulangun-rawas."
                .into(),
        );
    }
    Ok(code)
}

/// The kab/kota as typed: a kab/kota code the reference holds. A kab/kota outside the
/// user's scope is a 403.
async fn kabkota(
    conn: &mut PgConnection,
    user: &CurrentUser,
    typed: &str,
) -> Result<std::result::Result<RegionCode, String>> {
    match RegionCode::parse(typed) {
        None => return Ok(Err(malformed_message(typed))),
        Some(code) if code.level() != Level::KabKota => {
            return Ok(Err(format!(
                "Kab/kota diisi kode kab/kota Kemendagri, misalnya 16.13; {code} adalah kode {}.",
                code.level().label()
            )));
        }
        Some(_) => {}
    }
    let code = match regions::check(conn, typed).await? {
        Ok(code) => code,
        Err(message) => return Ok(Err(message)),
    };
    if !user.sees_province(code.province()) {
        return Err(AppError::Forbidden);
    }
    Ok(Ok(code))
}

#[tracing::instrument(skip_all, fields(user = %user.username))]
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<NewForm>,
) -> Result<Response> {
    user.require_to(Action::EditFacility)?;
    let mut tx = state.db.begin().await?;
    let checked = match (facility_code(&form.kode), validate(&form.details)) {
        (Ok(code), Ok(v)) => kabkota(&mut tx, &user, &form.kabkota)
            .await?
            .map(|k| (code, v, k)),
        (Err(msg), _) | (_, Err(msg)) => Err(msg),
    };
    let outcome = match checked {
        Ok((code, v, k)) => insert(&mut tx, &user, &code, &v, &k).await?.map(|()| code),
        Err(msg) => Err(msg),
    };
    match outcome {
        Ok(code) => {
            tx.commit().await?;
            Ok(Redirect::to(&format!("/fasilitas/{code}")).into_response())
        }
        Err(msg) => {
            drop(tx);
            let html = show(&state, &user, None, &form, Some(msg)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
    }
}

/// Inserts the facility and audits it; a code already taken is the user's to fix.
async fn insert(
    conn: &mut PgConnection,
    user: &CurrentUser,
    code: &str,
    v: &Valid,
    kabkota: &RegionCode,
) -> Result<std::result::Result<(), String>> {
    let inserted = sqlx::query_scalar!(
        "insert into facilities (code, name, facility_type, class, province_code, kabkota_code,
             inmates)
         values ($1, $2, $3, $4, $5, $6, $7)
         returning id",
        code,
        v.name,
        v.facility_type,
        v.class,
        kabkota.province(),
        kabkota.as_str(),
        v.inmates
    )
    .fetch_one(&mut *conn)
    .await;
    let taken = format!("Kode fasilitas {code} sudah dipakai fasilitas lain.");
    let id = match inserted {
        Ok(id) => id,
        Err(e) => {
            return match unique_violation_message(&e, &[("facilities_code_key", &taken)]) {
                Some(message) => Ok(Err(message)),
                None => Err(e.into()),
            };
        }
    };
    audit::record(
        conn,
        &user.actor(),
        Entry::new("facility.create")
            .object("facility", code)
            .province(Some(kabkota.province().to_owned()))
            .facility(Some(id))
            .after(
                json!({ "code": code, "name": v.name, "facility_type": v.facility_type,
                           "class": v.class, "kabkota_code": kabkota.as_str(),
                           "inmates": v.inmates }),
            ),
    )
    .await?;
    Ok(Ok(()))
}
