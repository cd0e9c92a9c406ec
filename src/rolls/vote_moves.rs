//! `GET /fasilitas/{code}/pindah-memilih`: the pindah memilih worklist. Who is on DPTb
//! without a recorded form, who is on no list (admitted, or transferred in: the law keeps
//! them registered at the origin's TPS) and needs a form, each with the deadline that
//! applies and the days left; and who was transferred out while still registered here.
//! Read by everyone who may read the roll; forms are recorded on the voter form.

use axum::extract::State;
use axum::response::Html;

use askama::Template;

use crate::domain::access::Action;
use crate::http::AppState;
use crate::http::error::Result;
use crate::read::scope::AtFacility;
use crate::rolls::queries::vote_moves as queries;
use crate::rolls::views::vote_moves;

pub async fn page(State(state): State<AppState>, scope: AtFacility) -> Result<Html<String>> {
    scope.require_to(Action::ReadRoll)?;
    let settings = queries::settings(&state.db, &scope.place).await?;
    let entries = queries::entries(&state.db, &scope.place).await?;
    let AtFacility { user, place } = scope;
    let page = vote_moves::page(&user, place, settings, state.config.today(), entries);
    Ok(Html(page.render()?))
}
