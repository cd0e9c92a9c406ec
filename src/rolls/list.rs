//! `GET /fasilitas/{code}/daftar`: the roll with its counts, filtered (`?saring=`), searched
//! (`?q=`) and paged (`?hal=`, `?per=`).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

use crate::domain::access::Action;
use crate::domain::format;
use crate::domain::privacy::roll_search;
use crate::http::AppState;
use crate::http::cache::pages::CachedPage;
use crate::http::error::{AppError, Result};
use crate::read::scope::AtFacility;
use crate::read::{figures, roll_figures};
use crate::rolls::filter::Filter;
use crate::rolls::queries::list::{self as queries, Search};
use crate::rolls::views::list::{self as views, ListPage};

const PAGE_SIZE: i64 = 50;

#[derive(Debug, Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    saring: String,
    #[serde(default)]
    hal: Option<i64>,
    /// Rows per page: 50 (default), 100 or 300.
    #[serde(default)]
    per: Option<i64>,
}

pub async fn list(
    cached: CachedPage,
    State(state): State<AppState>,
    scope: AtFacility,
    Query(q): Query<ListQuery>,
) -> Result<Response> {
    scope.require_to(Action::ReadRoll)?;
    let AtFacility { user, place } = scope;
    let filter = Filter::parse(&q.saring)
        .ok_or_else(|| AppError::BadRequest(format!("Saringan \"{}\" tidak dikenal.", q.saring)))?;
    figures::ensure_fresh(&state.db).await?;
    let counts = roll_figures::counts(&state.db, place.election.id, place.facility_id).await?;
    let filtered = views::count(&counts, filter);
    let text = q.q.trim().to_owned();
    let view = user.nik_view(place.facility_id);
    let (name_pattern, nik_prefix, nik_exact) = roll_search(view, &text);
    // Far pages are empty, never an overflow.
    let page = q.hal.unwrap_or(1).clamp(1, 1_000_000);
    let per = match q.per {
        Some(n @ (100 | 300)) => n,
        _ => PAGE_SIZE,
    };
    let search = Search {
        filter_key: filter.key(),
        text: &text,
        name_pattern,
        nik_prefix,
        nik_exact,
        limit: per,
        offset: (page - 1) * per,
    };
    let voters = queries::voters(&state.db, &place, &search).await?;
    let voters = voters
        .into_iter()
        .map(|r| views::voter_item(&user, view, r))
        .collect();
    // Paging counts the filter without the search (the search narrows the current page set).
    let pages = ((filtered + per - 1) / per).max(1);
    let per_shown = (per != PAGE_SIZE).then_some(per);
    let link = |p: i64| views::page_link(&place, &text, filter, p, per_shown);
    let page_html = ListPage {
        layout: user.layout(),
        can_write: user.may(Action::WriteRoll),
        filters: views::filter_options(&place, &counts, filter),
        active: format::number(counts.active),
        eligible: format::number(counts.eligible),
        eligible_percent: format::percent(counts.eligible, counts.active),
        dpk_without_ktp: (counts.dpk_without_ktp > 0).then(|| {
            (
                format::number(counts.dpk_without_ktp),
                views::page_link(&place, "", Filter::DpkWithoutKtp, 1, None),
            )
        }),
        voters,
        shown: format::number(filtered),
        page,
        pages,
        per,
        prev: (page > 1).then(|| link(page - 1)),
        next: (page < pages && text.is_empty()).then(|| link(page + 1)),
        q: text,
        place,
    };
    Ok(cached.keep(page_html.render()?))
}
