//! `/provinsi/{code}/insiden`: the province's incidents for the kanwil: open ones first,
//! emergencies first among them, then the closed ones. A registrar sees only their facility.

use askama::Template;
use axum::extract::State;
use axum::response::Html;

use super::queries::{self, Selection};
use super::views::IncidentRow;
use crate::domain::incident::Severity;
use crate::http::AppState;
use crate::http::error::Result;
use crate::http::layout::Layout;
use crate::read::elections::Election;
use crate::read::scope::AtProvince;

#[derive(Template)]
#[template(path = "incidents/province.html")]
struct ProvincePage {
    layout: Layout,
    election: Election,
    province_code: String,
    province: String,
    open: Vec<IncidentRow>,
    closed: Vec<IncidentRow>,
    emergency: usize,
}

pub async fn page(State(state): State<AppState>, at: AtProvince) -> Result<Html<String>> {
    let election = at.election()?.clone();
    let incidents = queries::list(
        &state.db,
        Selection {
            election_id: election.id,
            province: Some(&at.code),
            facility: at.user.facility_filter(),
            by_severity: true,
        },
    )
    .await?;
    let (open, closed): (Vec<IncidentRow>, Vec<IncidentRow>) = incidents
        .into_iter()
        .map(|i| IncidentRow::new(i, &at.user, &election.slug))
        .partition(IncidentRow::is_open);
    Ok(Html(
        ProvincePage {
            layout: at.user.layout(),
            emergency: open
                .iter()
                .filter(|r| r.severity == Severity::Emergency)
                .count(),
            election,
            province_code: at.code,
            province: at.name,
            open,
            closed,
        }
        .render()?,
    ))
}
