//! The home page and dashboard (`/`): what the user must do now ([`super::home`]), then the
//! figures, national for national users, their province or facility otherwise, with the
//! countdown to the deadlines.

use axum::extract::{Query, State};
use axum::response::Response;

use askama::Template;

use super::countdown::{Dates, countdown};
use super::day::{self, Level};
use super::figures_table::by_province;
use super::home;
use super::queries::dashboard_data;
use super::views::{self, DashboardPage};
use crate::domain::figures::Figures;
use crate::http::AppState;
use crate::http::cache::pages::CachedPage;
use crate::http::error::{AppError, Result};
use crate::http::session::CurrentUser;
use crate::read::elections::{Election, ElectionQuery};
use crate::read::figures;

/// Scoped: a kanwil or provincial KPU user sees their province, a registrar their facility.
pub async fn dashboard(
    cached: CachedPage,
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<ElectionQuery>,
) -> Result<Response> {
    let slug = query.pemilihan.as_deref().filter(|s| !s.is_empty());
    let (election, provinces) = national(&state.db, &user, slug).await?;
    let (election, dates) = match election {
        Some((e, d)) => (Some(e), Some(d)),
        None => (None, None),
    };
    let total = Figures::sum(provinces.iter().map(|(_, _, f)| f));
    let q = election
        .as_ref()
        .map(|e| format!("?pemilihan={}", e.slug))
        .unwrap_or_default();
    let today = state.config.today();
    let deadlines = match &dates {
        Some(d) => countdown(d, today, &total),
        None => Vec::new(),
    };
    let level = Level::National {
        provinces: &provinces,
        province: user.province_filter(),
        facility: user.facility_filter(),
    };
    let day = match &election {
        Some(e) => day::panel(&state.db, e, today, level)
            .await?
            .map(|(p, _)| p),
        None => None,
    };
    let home = match (&election, &dates) {
        (Some(e), Some(d)) => Some(home::home(&state, &user, e, d, today).await?),
        _ => None,
    };
    let charts = views::dashboard_charts(&provinces);
    let rows = provinces
        .into_iter()
        .map(|p| views::province_row(p, &q))
        .collect();
    let page = DashboardPage {
        scope: user.scope_name.clone(),
        layout: user.layout(),
        election,
        rows,
        total: total.view(),
        charts,
        deadlines,
        day,
        home,
        q,
    };
    Ok(cached.keep(page.render()?))
}

/// The national table as `user` may see it: the election (by slug, else the latest) with its
/// deadlines, and one row per province in scope (a registrar's counts only their facility).
/// Stale figures are rebuilt first. The dashboard and its downloads both read this.
pub async fn national(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    slug: Option<&str>,
) -> Result<(Option<(Election, Dates)>, Vec<(String, String, Figures)>)> {
    let mut data = dashboard_data(pool, slug, user.province_filter()).await?;
    if data.election.is_none() && slug.is_some() {
        return Err(AppError::NotFound);
    }
    if data.stale {
        figures::rebuild_stale(pool, true).await?;
        data = dashboard_data(pool, slug, user.province_filter()).await?;
    }
    if let Some(f) = user.facility_filter() {
        let id = data.election.as_ref().map(|(e, _)| e.id);
        data.provinces =
            by_province(&figures::facilities(pool, id, user.province_filter(), Some(f)).await?);
    }
    Ok((data.election, data.provinces))
}
