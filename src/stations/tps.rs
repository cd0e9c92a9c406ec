//! One TPS: its page, and the same page again when one of its forms (`edit`, `checklist`)
//! was refused. Every form carries the TPS's version; a stale one is refused with 409 and
//! the current values beside what the user typed.

use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};

use super::TpsPath;
use super::day;
use super::queries;
use super::refusal::{FormResult, settle};
use super::views::{TpsExtras, TpsPage, Unsaved};
use crate::domain::access::Action;
use crate::http::AppState;
use crate::http::error::Result;
use crate::read::scope::AtFacility;
use crate::read::stations::{station, voters_on};
use askama::Template;

pub async fn page(
    State(state): State<AppState>,
    at: AtFacility,
    Path(tps): Path<TpsPath>,
) -> Result<Html<String>> {
    Ok(Html(render(&state, &at, &tps.number, None).await?))
}

async fn render(
    state: &AppState,
    at: &AtFacility,
    number: &str,
    unsaved: Option<Unsaved>,
) -> Result<String> {
    let (rules, s) = station(state, &at.place, number).await?;
    let extras = TpsExtras {
        layout: at.user.layout(),
        reserve_basis_points: rules.reserve_basis_points,
        max_voters_per_tps: rules.max_voters_per_tps,
        can_write: at.may(Action::WriteStations),
        voters: voters_on(&state.db, &rules, &s).await?,
        others: queries::other_numbers(&state.db, &at.place, s.id).await?,
        history: queries::count_history(&state.db, s.id).await?,
        day: day::section(
            state,
            &s,
            at.place.election.voting_day,
            at.may(Action::RecordVotingDay),
        )
        .await?,
        unsaved,
    };
    Ok(TpsPage::new(at.place.clone(), s, extras).render()?)
}

/// The answer to a form of the TPS page: the redirect to `rest` (a path under the facility,
/// with its fragment) when saved, or the page again with the current values, the message
/// and what the user typed.
pub(super) async fn answer(
    state: &AppState,
    at: &AtFacility,
    number: &str,
    outcome: FormResult<String>,
) -> Result<Response> {
    match settle(outcome)? {
        Ok(rest) => Ok(Redirect::to(&at.url(&rest)).into_response()),
        Err(refusal) => {
            let status = refusal.status;
            let html = render(state, at, number, Some(refusal.into())).await?;
            Ok((status, Html(html)).into_response())
        }
    }
}
