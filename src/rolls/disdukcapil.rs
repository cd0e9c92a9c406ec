//! The inmates who need Disdukcapil (a NIK to record, find or verify, a KTP-el), 17 or
//! married by voting day, each with why they are listed, as a page and as CSV, with NIKs as
//! the user may see them.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, Response};

use crate::domain::access::Action;
use crate::http::AppState;
use crate::http::csv::{Writer, response};
use crate::http::error::Result;
use crate::read::scope::AtFacility;
use crate::rolls::queries::list as queries;
use crate::rolls::views::{DisdukcapilItem, DisdukcapilPage, disdukcapil_items};

async fn items(state: &AppState, scope: &AtFacility) -> Result<Vec<DisdukcapilItem>> {
    scope.require_to(Action::ReadRoll)?;
    let rows = queries::disdukcapil(&state.db, &scope.place).await?;
    Ok(disdukcapil_items(
        rows,
        scope.user.nik_view(scope.place.facility_id),
    ))
}

pub async fn page(State(state): State<AppState>, scope: AtFacility) -> Result<Html<String>> {
    let rows = items(&state, &scope).await?;
    let page = DisdukcapilPage {
        layout: scope.user.layout(),
        place: scope.place,
        rows,
    };
    Ok(Html(page.render()?))
}

pub async fn csv(State(state): State<AppState>, scope: AtFacility) -> Result<Response> {
    let rows = items(&state, &scope).await?;
    let mut w = Writer::in_memory();
    w.row([
        "nama",
        "nik",
        "tanggal_lahir",
        "tempat_lahir",
        "no_registrasi",
        "kebutuhan",
        "alasan",
    ])?;
    for r in &rows {
        w.row([
            &r.name,
            &r.nik,
            &r.birth_date,
            &r.birth_place,
            &r.registration_no,
            r.need,
            &r.reason,
        ])?;
    }
    let filename = format!("disdukcapil-{}.csv", scope.place.facility_code);
    Ok(response(&filename, w.finish()?))
}
