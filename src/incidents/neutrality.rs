//! `/fasilitas/{code}/netralitas`: the record that the facility briefed its staff on ASN
//! neutrality for the election (date, number of staff). The facility page shows the record
//! and a small form posting here; this page shows the record with who entered it, and the
//! form again with the message when it was refused.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::queries;
use super::views::zone;
use crate::domain::access::Action;
use crate::domain::format;
use crate::domain::neutrality::check_briefing;
use crate::http::AppState;
use crate::http::error::Result;
use crate::http::form::Form;
use crate::http::layout::Layout;
use crate::read::neutrality;
use crate::read::places::Place;
use crate::read::scope::AtFacility;

/// The form as posted: `tanggal` (the day it was held), `jumlah_pegawai` (staff briefed).
#[derive(Deserialize, Default)]
pub struct BriefingForm {
    #[serde(default)]
    tanggal: String,
    #[serde(default)]
    jumlah_pegawai: String,
}

#[derive(Template)]
#[template(path = "incidents/neutrality.html")]
struct BriefingPage {
    layout: Layout,
    place: Place,
    /// "20 Januari 2024, 45 pegawai", when recorded.
    held: Option<String>,
    recorded: String,
    can_write: bool,
    form: BriefingForm,
    error: Option<String>,
}

async fn render(
    state: &AppState,
    at: &AtFacility,
    form: BriefingForm,
    error: Option<String>,
) -> Result<String> {
    let p = &at.place;
    let record = neutrality::of_facility(&state.db, p.election.id, p.facility_id).await?;
    let zone = zone(&p.province_code);
    let form = match (&record, error.is_some()) {
        (Some(r), false) => BriefingForm {
            tanggal: r.briefing.held_on.to_string(),
            jumlah_pegawai: r.briefing.staff.to_string(),
        },
        _ => form,
    };
    Ok(BriefingPage {
        layout: at.user.layout(),
        held: record.as_ref().map(|r| {
            format!(
                "{}, {} pegawai",
                format::date(r.briefing.held_on),
                format::number(r.briefing.staff.into())
            )
        }),
        recorded: record
            .map(|r| format!("{} · {}", r.actor, zone.datetime(r.recorded_at)))
            .unwrap_or_default(),
        can_write: at.may(Action::RecordBriefing),
        place: p.clone(),
        form,
        error,
    }
    .render()?)
}

pub async fn page(State(state): State<AppState>, at: AtFacility) -> Result<Html<String>> {
    Ok(Html(
        render(&state, &at, BriefingForm::default(), None).await?,
    ))
}

#[tracing::instrument(skip_all, fields(place = %at.place.facility_code, user = %at.user.username))]
pub async fn save(
    State(state): State<AppState>,
    at: AtFacility,
    Form(form): Form<BriefingForm>,
) -> Result<Response> {
    at.require_to(Action::RecordBriefing)?;
    let p = &at.place;
    let today = time::OffsetDateTime::now_utc()
        .to_offset(zone(&p.province_code).offset())
        .date();
    match check_briefing(&form.tanggal, &form.jumlah_pegawai, today) {
        Ok(b) => {
            queries::record_briefing(&state.db, p, &at.user.actor(), b).await?;
            Ok(Redirect::to(&at.url("#netralitas")).into_response())
        }
        Err(message) => {
            let html = render(&state, &at, form, Some(message)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
    }
}
