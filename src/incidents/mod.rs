//! Voting-day conduct: the incident log of each facility (security, disaster, logistics,
//! ASN neutrality, campaigning, voters; severity info, perhatian, darurat; status terbuka,
//! ditangani, selesai with its history), the province's incidents for the kanwil, and the
//! record of the ASN neutrality briefing of a facility's staff.
//!
//! Everyone in scope reads; the facility's registrar and kanwil staff or admins of the
//! province write (`Action::LogIncidents`, `Action::RecordBriefing`). Handlers take the
//! scope extractors, so a place outside the user's scope is a 404 before any role check
//! (403). Every write is one transaction with its audit entry ([`queries`]); the rules of
//! the forms are `domain::incident` and `domain::neutrality`.

mod detail;
mod log;
mod neutrality;
mod province;
mod queries;
mod views;

use axum::Router;
use axum::routing::{get, post};

use crate::http::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/fasilitas/{code}/insiden",
            get(log::page).post(log::create),
        )
        .route("/fasilitas/{code}/insiden/{id}", get(detail::page))
        .route(
            "/fasilitas/{code}/insiden/{id}/status",
            post(detail::change_status),
        )
        .route(
            "/fasilitas/{code}/netralitas",
            get(neutrality::page).post(neutrality::save),
        )
        .route("/provinsi/{code}/insiden", get(province::page))
}
