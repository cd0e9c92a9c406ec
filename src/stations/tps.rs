//! One TPS: its page and what the forms that change it share (`edit`, `checklist`,
//! `delete`). Every form carries the TPS's version; a stale one is refused with 409 and the
//! current values beside what the user typed.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use super::{can_write, require_writer};
use crate::domain::format;
use crate::domain::readiness::Status;
use crate::http::AppState;
use crate::http::error::Result;
use crate::http::layout::Layout;
use crate::http::session::CurrentUser;
use crate::read::elections::ElectionQuery;
use crate::read::places::{Place, place};
use crate::read::stations::{VoterLine, station, voters_on};
use crate::read::summary::{Rules, StationSummary};

pub fn tps_url(p: &Place, number: i32) -> String {
    format!(
        "/fasilitas/{}/tps/{}?pemilihan={}",
        p.facility_code, number, p.election.slug
    )
}

pub struct BallotView {
    pub key: &'static str,
    pub label: &'static str,
    pub entitled: String,
    pub reserve: String,
    pub needed: String,
    pub received: i64,
    pub shortage: i64,
}

pub struct ItemView {
    pub id: i64,
    pub label: String,
    pub required: bool,
    pub auto: bool,
    pub status: &'static str,
    pub status_label: &'static str,
    pub note: String,
    pub who: String,
}

pub struct HistoryLine {
    pub when: String,
    pub actor: String,
    pub dpt: String,
    pub dptb: String,
    pub dpk: String,
}

/// What the user typed into a form that could not be saved.
pub struct Unsaved {
    pub message: String,
    pub values: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "stations/tps.html")]
pub struct TpsPage {
    pub layout: Layout,
    pub place: Place,
    pub s: StationSummary,
    pub can_write: bool,
    pub ready: bool,
    pub ready_items: usize,
    pub ballots: Vec<BallotView>,
    pub items: Vec<ItemView>,
    pub statuses: [Status; 3],
    pub voters: Vec<VoterLine>,
    pub others: Vec<i32>,
    pub history: Vec<HistoryLine>,
    pub unsaved: Option<Unsaved>,
    pub base: String,
    pub q: String,
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    place: Place,
    rules: &Rules,
    s: StationSummary,
    unsaved: Option<Unsaved>,
) -> Result<String> {
    let voters = voters_on(&state.db, rules, &s).await?;
    let others = other_numbers(state, &place, s.id).await?;
    let history = sqlx::query!(
        "select changed_at, actor, dpt_before, dptb_before, dpk_before, dpt, dptb, dpk
         from station_count_history where station_id = $1 order by changed_at desc, id desc
         limit 100",
        s.id
    )
    .fetch_all(&state.db)
    .await?
    .into_iter()
    .map(|h| {
        let change = |before: Option<i32>, after: i32| match before {
            Some(b) if b != after => format!(
                "{} → {}",
                format::number(b.into()),
                format::number(after.into())
            ),
            Some(_) => format::number(after.into()),
            None => format!("awal {}", format::number(after.into())),
        };
        HistoryLine {
            when: format::datetime(h.changed_at),
            actor: h.actor,
            dpt: change(h.dpt_before, h.dpt),
            dptb: change(h.dptb_before, h.dptb),
            dpk: change(h.dpk_before, h.dpk),
        }
    })
    .collect();
    let ballots = s
        .ballots
        .iter()
        .map(|b| BallotView {
            key: b.ballot_type.as_str(),
            label: b.ballot_type.label(),
            entitled: format::number(b.entitled),
            reserve: format::number(b.reserve),
            needed: format::number(b.needed),
            received: b.received,
            shortage: b.shortage(),
        })
        .collect();
    let items = s
        .items
        .iter()
        .map(|i| ItemView {
            id: i.item_id,
            label: i.label.clone(),
            required: i.required,
            auto: i.auto.is_some(),
            status: i.status.as_str(),
            status_label: i.status.label(),
            note: i.note.clone(),
            who: match (&i.actor, i.updated_at) {
                (Some(a), Some(t)) => format!("{a}, {}", format::datetime(t)),
                _ => String::new(),
            },
        })
        .collect();
    let base = format!("/fasilitas/{}/tps/{}", place.facility_code, s.tps_number);
    let q = format!("?pemilihan={}", place.election.slug);
    Ok(TpsPage {
        layout: user.layout(),
        can_write: can_write(user),
        ready: s.ready(),
        ready_items: s.ready_items(),
        ballots,
        items,
        statuses: Status::ALL,
        voters,
        others,
        history,
        unsaved,
        base,
        q,
        place,
        s,
    }
    .render()?)
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((code, number)): Path<(String, String)>,
    Query(q): Query<ElectionQuery>,
) -> Result<Html<String>> {
    let p = place(&state, &user, &code, &q).await?;
    let (rules, s) = station(&state, &p, &number).await?;
    Ok(Html(render(&state, &user, p, &rules, s, None).await?))
}

/// Re-renders the TPS page with the current values and what the user typed.
pub(super) async fn refused(
    state: &AppState,
    user: &CurrentUser,
    p: Place,
    number: &str,
    status: StatusCode,
    message: String,
    values: Vec<(String, String)>,
) -> Result<Response> {
    let (rules, s) = station(state, &p, number).await?;
    let html = render(state, user, p, &rules, s, Some(Unsaved { message, values })).await?;
    Ok((status, Html(html)).into_response())
}

pub(super) fn stale_message() -> String {
    "TPS ini sudah diubah orang lain sejak halaman Anda dibuka. Tidak ada yang disimpan: \
     nilai terbaru ditampilkan di bawah, dan isian Anda tercantum di sini untuk dimasukkan lagi."
        .to_owned()
}

pub(super) fn version_of(form: &HashMap<String, String>) -> Option<i32> {
    form.get("versi").and_then(|v| v.trim().parse().ok())
}

pub(super) fn typed(
    form: &HashMap<String, String>,
    labels: &[(&str, String)],
) -> Vec<(String, String)> {
    labels
        .iter()
        .filter_map(|(key, label)| {
            form.get(*key)
                .filter(|v| !v.trim().is_empty())
                .map(|v| (label.clone(), v.clone()))
        })
        .collect()
}

pub(super) fn is_unique_violation(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .is_some_and(|d| d.is_unique_violation())
}

/// The other TPS numbers of the place (targets for moving voters).
pub(super) async fn other_numbers(
    state: &AppState,
    p: &Place,
    station_id: i64,
) -> Result<Vec<i32>> {
    Ok(sqlx::query_scalar!(
        "select tps_number from stations where election_id = $1 and facility_id = $2 and id <> $3
         order by tps_number",
        p.election.id,
        p.facility_id,
        station_id
    )
    .fetch_all(&state.db)
    .await?)
}

/// The place and TPS a write is about: 404 outside the user's scope or for an unknown TPS,
/// 403 for a role that may not change TPS.
pub(super) async fn writable(
    state: &AppState,
    user: &CurrentUser,
    code: &str,
    number: &str,
    q: &ElectionQuery,
) -> Result<(Place, StationSummary)> {
    let p = place(state, user, code, q).await?;
    let (_, s) = station(state, &p, number).await?;
    require_writer(user)?;
    Ok((p, s))
}
