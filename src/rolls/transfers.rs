//! Transfers between facilities that the destination asked for: a registrar importing an
//! inmate whose NIK is active on another facility's roll records a *pending arrival* (the
//! name and birth date matched the origin's record). The inmate stays on the origin's roll
//! until the origin confirms: its registrar, or a kanwil/admin whose scope covers it. Then,
//! in one transaction, the inmate leaves the origin's roll (departed, "dipindahkan") and
//! arrives on the destination's with where they came from. The origin may refuse, the
//! destination may withdraw its request.
//!
//! `/fasilitas/{kode}/pindahan` lists both sides for a facility.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};

use crate::db::audit::{self, Entry};
use crate::domain::access::Action;
use crate::http::AppState;
use crate::http::error::{AppError, Result};
use crate::read::scope::AtFacility;
use crate::rolls::queries::transfers::{self as queries, Decision};
use crate::rolls::views::{TransfersPage, pending_items};

pub use crate::rolls::queries::transfers::apply_decision;

async fn render(state: &AppState, scope: AtFacility, message: Option<String>) -> Result<String> {
    let rows = queries::pending(&state.db, &scope.place).await?;
    let (arrivals, departures) = pending_items(&scope.user, &scope.place, rows);
    Ok(TransfersPage {
        layout: scope.user.layout(),
        can_decide: scope.may(Action::DecideTransfer),
        can_withdraw: scope.may(Action::WriteRoll),
        arrivals,
        departures,
        message,
        place: scope.place,
    }
    .render()?)
}

/// `GET /fasilitas/{code}/pindahan`: pending arrivals and departures.
pub async fn page(State(state): State<AppState>, scope: AtFacility) -> Result<Html<String>> {
    scope.require_to(Action::ReadRoll)?;
    Ok(Html(render(&state, scope, None).await?))
}

/// `POST /fasilitas/{code}/pindahan/{id}/{konfirmasi|tolak|batal}`: `code` is the origin
/// (the destination for `batal`).
#[tracing::instrument(skip_all, fields(facility = %scope.place.facility_code, user = %scope.user.username))]
pub async fn decide(
    State(state): State<AppState>,
    scope: AtFacility,
    Path((_, id, action)): Path<(String, i64, String)>,
) -> Result<Response> {
    scope.require_to(Action::DecideTransfer)?;
    let decision = match action.as_str() {
        "konfirmasi" => Decision::Confirm,
        "tolak" => Decision::Refuse,
        "batal" => return withdraw(state, scope, id).await,
        _ => return Err(AppError::NotFound),
    };
    let mut tx = state.db.begin().await?;
    let actor = scope.user.actor();
    let outcome = apply_decision(&mut tx, scope.place.facility_id, id, decision, &actor).await?;
    if let Err(message) = outcome {
        drop(tx);
        let html = render(&state, scope, Some(message)).await?;
        return Ok((StatusCode::CONFLICT, Html(html)).into_response());
    }
    tx.commit().await?;
    Ok(Redirect::to(&scope.place.url("/pindahan")).into_response())
}

/// The destination's registrar withdraws its own pending request.
async fn withdraw(state: AppState, scope: AtFacility, id: i64) -> Result<Response> {
    scope.require_to(Action::WriteRoll)?;
    let mut tx = state.db.begin().await?;
    let done = queries::withdraw(&mut tx, &scope.place, id, scope.user.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let entry = Entry::new("transfer.cancel")
        .object("transfer", done)
        .province(Some(scope.place.province_code.clone()))
        .facility(Some(scope.place.facility_id));
    audit::record(&mut tx, &scope.user.actor(), entry).await?;
    tx.commit().await?;
    Ok(Redirect::to(&scope.place.url("/pindahan")).into_response())
}
