//! `/fasilitas/{code}/insiden/{id}`: one incident, its status history (who, when, the
//! note), and the form that changes its status. The form carries the status it was shown
//! with: when someone changed it meanwhile, nothing is written (409) and the page shows the
//! current state.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::queries::{self, Incident};
use super::views::{ChangeRow, IncidentRow, change_row, zone};
use crate::domain::access::Action;
use crate::domain::incident::{self, Status};
use crate::http::AppState;
use crate::http::error::{AppError, Result};
use crate::http::form::Form;
use crate::http::layout::Layout;
use crate::read::places::Place;
use crate::read::scope::AtFacility;

#[derive(Deserialize)]
pub struct IncidentPath {
    id: String,
}

/// The incident of the path, of this facility and election; 404 otherwise.
async fn incident(state: &AppState, at: &AtFacility, path: &IncidentPath) -> Result<Incident> {
    let id: i64 = path.id.parse().map_err(|_| AppError::NotFound)?;
    queries::one(&state.db, &at.place, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The status form as posted: `status`, `catatan`, and `status_sekarang` (the status the
/// page showed).
#[derive(Deserialize, Default)]
pub struct StatusForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    catatan: String,
    #[serde(default)]
    status_sekarang: String,
}

#[derive(Template)]
#[template(path = "incidents/detail.html")]
struct DetailPage {
    layout: Layout,
    place: Place,
    i: IncidentRow,
    history: Vec<ChangeRow>,
    can_write: bool,
    statuses: [Status; 3],
    typed_status: String,
    typed_note: String,
    error: Option<String>,
}

async fn render(
    state: &AppState,
    at: &AtFacility,
    i: Incident,
    form: StatusForm,
    error: Option<String>,
) -> Result<String> {
    let p = &at.place;
    let view = at.user.nik_view(p.facility_id);
    let zone = zone(&p.province_code);
    let history = queries::history(&state.db, i.id)
        .await?
        .into_iter()
        .map(|c| change_row(c, zone, &|t| view.show_text(t)))
        .collect();
    Ok(DetailPage {
        layout: at.user.layout(),
        i: IncidentRow::new(i, &at.user, &p.election.slug),
        history,
        can_write: at.may(Action::LogIncidents),
        statuses: Status::ALL,
        typed_status: form.status,
        typed_note: form.catatan,
        place: p.clone(),
        error,
    }
    .render()?)
}

pub async fn page(
    State(state): State<AppState>,
    at: AtFacility,
    Path(path): Path<IncidentPath>,
) -> Result<Html<String>> {
    let i = incident(&state, &at, &path).await?;
    Ok(Html(
        render(&state, &at, i, StatusForm::default(), None).await?,
    ))
}

#[tracing::instrument(skip_all, fields(place = %at.place.facility_code, incident = %path.id, user = %at.user.username))]
pub async fn change_status(
    State(state): State<AppState>,
    at: AtFacility,
    Path(path): Path<IncidentPath>,
    Form(form): Form<StatusForm>,
) -> Result<Response> {
    let i = incident(&state, &at, &path).await?;
    at.require_to(Action::LogIncidents)?;
    let shown = Status::from_form(&form.status_sekarang).unwrap_or(i.status);
    if shown != i.status {
        let message = format!(
            "Status insiden ini sudah diubah orang lain menjadi \"{}\". Tidak ada yang \
             disimpan: periksa riwayat di bawah, lalu kirim lagi bila perlu.",
            i.status.form_value()
        );
        return refuse(&state, &at, i, form, (StatusCode::CONFLICT, message)).await;
    }
    let (new, note) = match incident::check_change(i.status, &form.status, &form.catatan) {
        Ok(change) => change,
        Err(message) => {
            let refusal = (StatusCode::UNPROCESSABLE_ENTITY, message);
            return refuse(&state, &at, i, form, refusal).await;
        }
    };
    let actor = at.user.actor();
    if !queries::change_status(&state.db, &i, (i.status, new), note.as_deref(), &actor).await? {
        let message = "Status insiden ini baru saja diubah orang lain. Tidak ada yang \
                       disimpan: periksa riwayat di bawah, lalu kirim lagi bila perlu."
            .to_owned();
        let current = incident(&state, &at, &path).await?;
        return refuse(&state, &at, current, form, (StatusCode::CONFLICT, message)).await;
    }
    Ok(Redirect::to(&at.url(&format!("/insiden/{}", i.id))).into_response())
}

/// The page again with the message and what was typed, nothing written.
async fn refuse(
    state: &AppState,
    at: &AtFacility,
    i: Incident,
    form: StatusForm,
    (status, message): (StatusCode, String),
) -> Result<Response> {
    let html = render(state, at, i, form, Some(message)).await?;
    Ok((status, Html(html)).into_response())
}
