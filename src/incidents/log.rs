//! `/fasilitas/{code}/insiden`: the facility's incident log (open first, newest first) and
//! the form that adds one. A refused form shows the page again with the message and what
//! was typed; nothing is stored.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::queries::{self, Selection};
use super::views::{IncidentRow, zone};
use crate::domain::access::Action;
use crate::domain::incident::{self, Category, IncidentForm, Severity};
use crate::http::AppState;
use crate::http::error::Result;
use crate::http::form::Form;
use crate::http::layout::Layout;
use crate::read::places::Place;
use crate::read::scope::AtFacility;

/// The new-incident form as posted (`kategori`, `tingkat`, `waktu`, `tps`, `uraian`); missing
/// fields read as empty, so the checks name them.
#[derive(Deserialize, Default)]
pub struct NewForm {
    #[serde(default)]
    kategori: String,
    #[serde(default)]
    tingkat: String,
    #[serde(default)]
    waktu: String,
    #[serde(default)]
    tps: String,
    #[serde(default)]
    uraian: String,
}

#[derive(Template)]
#[template(path = "incidents/log.html")]
struct LogPage {
    layout: Layout,
    place: Place,
    rows: Vec<IncidentRow>,
    open: usize,
    can_write: bool,
    categories: [Category; 7],
    severities: [Severity; 3],
    stations: Vec<i32>,
    zone: &'static str,
    form: NewForm,
    error: Option<String>,
}

async fn render(
    state: &AppState,
    at: &AtFacility,
    form: NewForm,
    error: Option<String>,
) -> Result<String> {
    let p = &at.place;
    let incidents = queries::list(
        &state.db,
        Selection {
            election_id: p.election.id,
            province: None,
            facility: Some(p.facility_id),
            by_severity: false,
        },
    )
    .await?;
    let rows: Vec<IncidentRow> = incidents
        .into_iter()
        .map(|i| IncidentRow::new(i, &at.user, &p.election.slug))
        .collect();
    let stations = queries::stations(&state.db, p).await?;
    Ok(LogPage {
        layout: at.user.layout(),
        open: rows.iter().filter(|r| r.is_open()).count(),
        rows,
        can_write: at.may(Action::LogIncidents),
        categories: Category::ALL,
        severities: Severity::ALL,
        stations: stations.into_iter().map(|(n, _)| n).collect(),
        zone: zone(&p.province_code).label(),
        place: p.clone(),
        form,
        error,
    }
    .render()?)
}

pub async fn page(State(state): State<AppState>, at: AtFacility) -> Result<Html<String>> {
    let now = time::OffsetDateTime::now_utc();
    let form = NewForm {
        waktu: zone(&at.place.province_code).input_value(now),
        ..NewForm::default()
    };
    Ok(Html(render(&state, &at, form, None).await?))
}

#[tracing::instrument(skip_all, fields(place = %at.place.facility_code, user = %at.user.username))]
pub async fn create(
    State(state): State<AppState>,
    at: AtFacility,
    Form(form): Form<NewForm>,
) -> Result<Response> {
    at.require_to(Action::LogIncidents)?;
    let p = &at.place;
    let stations = queries::stations(&state.db, p).await?;
    let input = IncidentForm {
        category: &form.kategori,
        severity: &form.tingkat,
        occurred_at: &form.waktu,
        tps: &form.tps,
        description: &form.uraian,
    };
    let now = time::OffsetDateTime::now_utc();
    match incident::check_new(&input, zone(&p.province_code), &stations, now) {
        Ok(new) => {
            let id = queries::insert(&state.db, p, &at.user.actor(), &new).await?;
            Ok(Redirect::to(&at.url(&format!("/insiden/{id}"))).into_response())
        }
        Err(message) => {
            let html = render(&state, &at, form, Some(message)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
    }
}
