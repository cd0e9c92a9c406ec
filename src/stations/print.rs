//! The voters of one TPS with the ballots each receives, and the printable list KPPS uses
//! (A4, NIK masked except the last four digits, a signature column).

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;

use super::TpsPath;
use crate::domain::format;
use crate::http::AppState;
use crate::http::error::Result;
use crate::read::places::Place;
use crate::read::scope::AtFacility;
use crate::read::stations::{VoterLine, station, voters_on};
use crate::read::summary::StationSummary;

#[derive(Template)]
#[template(path = "stations/print.html")]
struct PrintPage {
    types: Vec<&'static str>,
    place: Place,
    s: StationSummary,
    voters: Vec<VoterLine>,
    voting_day: String,
    printed: String,
}

pub async fn page(
    State(state): State<AppState>,
    AtFacility { place: p, .. }: AtFacility,
    Path(tps): Path<TpsPath>,
) -> Result<Html<String>> {
    let (rules, s) = station(&state, &p, &tps.number).await?;
    let voters = voters_on(&state.db, &rules, &s).await?;
    Ok(Html(
        PrintPage {
            types: s.ballots.iter().map(|b| b.ballot_type().label()).collect(),
            voting_day: p.election.voting_day_text(),
            printed: format::datetime(time::OffsetDateTime::now_utc()),
            place: p,
            s,
            voters,
        }
        .render()?,
    ))
}
