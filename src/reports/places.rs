//! The province page (its facilities) and the facility page (its TPS) with their figures.

use askama::Template;
use axum::Router;
use axum::extract::{FromRequestParts, Query, Request, State};
use axum::response::{Html, Response};
use axum::routing::get;

use super::day::{self, Level};
use super::queries;
use super::views::{self, AllocationNotice, FacilityPage, ProvincePage};
use crate::domain::access::Action;
use crate::domain::figures::Figures;
use crate::domain::turnout::Phase;
use crate::http::AppState;
use crate::http::cache::pages::CachedPage;
use crate::http::charts;
use crate::http::error::{AppError, Result};
use crate::read::elections;
use crate::read::figures;
use crate::read::neutrality;
use crate::read::places::type_label;
use crate::read::scope::{AtBareFacility, AtFacility, AtProvince};
use crate::read::summary::{self, Filter, Rules};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/provinsi/{code}", get(province))
        .route("/fasilitas/{code}", get(facility))
}

async fn province(
    cached: CachedPage,
    State(state): State<AppState>,
    at: AtProvince,
) -> Result<Response> {
    let election_id = at.election.as_ref().map(|e| e.id);
    let only = at.user.facility_filter();
    let facilities = figures::facilities(&state.db, election_id, Some(&at.code), only).await?;
    let q = at
        .election
        .as_ref()
        .map(|e| format!("?pemilihan={}", e.slug))
        .unwrap_or_default();
    let total = Figures::sum(facilities.iter().map(|f| &f.figures));
    let day = match &at.election {
        Some(e) => {
            let level = Level::Province {
                code: &at.code,
                facility: only,
            };
            day::panel(&state.db, e, state.config.today(), level).await?
        }
        None => None,
    };
    // The press sentence speaks for the whole province: only for users who see all of it.
    // After voting day, once TPS have reported, it says who voted.
    let press = (at.election.is_some() && only.is_none() && !facilities.is_empty()).then(|| {
        let after = at
            .election
            .as_ref()
            .is_some_and(|e| Phase::of(e.voting_day, state.config.today()) == Phase::After);
        match &day {
            Some((_, d)) if after && d.stations_reported > 0 => {
                views::press_sentence_after(&at.name, d)
            }
            _ => views::press_sentence(&at.name, &total),
        }
    });
    let charts = views::province_charts(&at.name, &facilities, &total);
    let changes = queries::province_changes(&state.db, election_id, &at.code, only).await?;
    let line = charts::timeline(
        format!("Hak pilih di {} dari waktu ke waktu", at.name),
        &charts::running_total(&changes),
    );
    let rows = facilities
        .into_iter()
        .map(|f| views::facility_row(f, &q))
        .collect();
    let not_briefed = match election_id {
        Some(id) => {
            views::not_briefed(neutrality::in_province(&state.db, id, &at.code, only).await?)
        }
        None => None,
    };
    let page = ProvincePage {
        layout: at.user.layout(),
        election: at.election,
        can_add_facility: at.user.may(Action::EditFacility),
        code: at.code,
        name: at.name,
        rows,
        total: total.view(),
        press,
        charts,
        line,
        not_briefed,
        day: day.map(|(p, _)| p),
        q,
    };
    Ok(cached.keep(page.render()?))
}

/// `/fasilitas/{code}`: the facility with its TPS for the selected election; in a database
/// without any election yet, the facility's details alone.
async fn facility(
    State(state): State<AppState>,
    Query(notice): Query<AllocationNotice>,
    req: Request,
) -> Result<Html<String>> {
    let (mut parts, _) = req.into_parts();
    match AtFacility::from_request_parts(&mut parts, &state).await {
        Ok(at) => facility_with_election(&state, at, notice).await,
        Err(AppError::NotFound) if !elections::any(&state.db).await? => {
            let at = AtBareFacility::from_request_parts(&mut parts, &state).await?;
            // A named election that does not exist stays a 404.
            let Query(q) =
                Query::<elections::ElectionQuery>::from_request_parts(&mut parts, &state)
                    .await
                    .map_err(|_| AppError::NotFound)?;
            elections::selected(&state.db, &q).await?;
            facility_without_election(&state, at).await
        }
        Err(e) => Err(e),
    }
}

async fn facility_without_election(state: &AppState, at: AtBareFacility) -> Result<Html<String>> {
    let f = queries::facility_in_scope(&state.db, &at.user, &at.code).await?;
    let page = FacilityPage {
        layout: at.user.layout(),
        election: None,
        code: f.code,
        name: f.name,
        type_label: type_label(&f.facility_type),
        class: f.class.unwrap_or_default(),
        province_code: f.province_code,
        province: f.province,
        kabkota: f.kabkota,
        illustrative: f.illustrative,
        can_edit: at.user.may(Action::EditFacility),
        can_read_roll: at.user.may(Action::ReadRoll),
        placement: None,
        stations: Vec::new(),
        total: Figures {
            facilities: 1,
            inmates: f.inmates.into(),
            ..Figures::default()
        }
        .view(),
        allocated: None,
        history: Vec::new(),
        neutrality: None,
        day: None,
        q: String::new(),
    };
    Ok(Html(page.render()?))
}

async fn facility_with_election(
    state: &AppState,
    at: AtFacility,
    notice: AllocationNotice,
) -> Result<Html<String>> {
    let p = &at.place;
    let details = queries::facility_details(&state.db, p.facility_id).await?;
    let mut conn = state.db.acquire().await?;
    let rules = Rules::load(&mut conn, p.election.id).await?;
    let only_here = Filter {
        facility: Some(p.facility_id),
        ..Filter::default()
    };
    let summaries = summary::load(&mut conn, &rules, only_here).await?;
    drop(conn);
    // The roll's counts come pre-aggregated (the figures the reports read).
    let roll = figures::facilities(&state.db, Some(p.election.id), None, Some(p.facility_id))
        .await?
        .pop()
        .map(|x| x.figures)
        .unwrap_or_default();
    let history = queries::count_history(&state.db, p.facility_id, p.election.id).await?;
    let briefing = neutrality::of_facility(&state.db, p.election.id, p.facility_id).await?;
    let today = state.config.today();
    let day = day::facility_panel(&state.db, &p.election, today, p.facility_id, &summaries).await?;
    let mut total = Figures {
        facilities: 1,
        inmates: details.inmates.into(),
        ..Figures::default()
    };
    for s in &summaries {
        total.add(&views::station_figures(s));
    }
    let page = FacilityPage {
        layout: at.user.layout(),
        election: Some(p.election.clone()),
        code: p.facility_code.clone(),
        name: p.facility_name.clone(),
        type_label: type_label(&details.facility_type),
        class: details.class.unwrap_or_default(),
        province_code: p.province_code.clone(),
        province: p.province_name.clone(),
        kabkota: details.kabkota,
        illustrative: details.illustrative,
        can_edit: at.may(Action::EditFacility),
        can_read_roll: at.may(Action::ReadRoll),
        placement: views::placement(&roll, &summaries, &rules),
        stations: summaries.iter().map(views::station_row).collect(),
        total: total.view(),
        allocated: notice.text(),
        history: history.into_iter().map(views::history_row).collect(),
        neutrality: Some(views::NeutralityBox::new(
            briefing,
            at.may(Action::RecordBriefing),
        )),
        day,
        q: format!("?pemilihan={}", p.election.slug),
    };
    Ok(Html(page.render()?))
}
