//! Reconciliation with KPU's final voter list (DPT): a KPU liaison, kanwil staff or an admin
//! uploads KPU's list for a facility (`nik, nama, tps`); Loksus shows who is on both lists,
//! on KPU's only, on the roll only (and would lose their vote), on another TPS, or under
//! another name. Everyone in scope reads the result; each group downloads as CSV.
//!
//! Handlers here; the file in [`list`], the SQL in [`matching`], the page in [`views`].

pub mod list;
pub mod matching;
mod views;

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use serde_json::json;

use crate::db::audit::{self, Entry};
use crate::domain::access::Action;
use crate::domain::csv_file::RowError;
use crate::http::AppState;
use crate::http::error::{AppError, Result};
use crate::http::{csv, upload};
use crate::read::scope::AtFacility;
use matching::Group;
use views::{CSV_COLUMNS, GroupView, ListInfo, ReconcilePage, RowView, SHOWN};

pub const UPLOAD_LIMIT: usize = 50 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/fasilitas/{code}/rekonsiliasi",
            get(page)
                .post(upload)
                .layer(DefaultBodyLimit::max(UPLOAD_LIMIT + 64 * 1024)),
        )
        .route("/fasilitas/{code}/rekonsiliasi/{file}", get(group_csv))
}

/// The page: the stored list and its groups, with `errors` when a file was refused.
async fn render(state: &AppState, at: &AtFacility, errors: Vec<RowError>) -> Result<String> {
    let p = &at.place;
    let list = matching::latest(&state.db, p.election.id, p.facility_id).await?;
    let nik = at.user.nik_view(p.facility_id);
    let mut groups = Vec::new();
    if let Some(l) = &list {
        let counts = matching::counts(&state.db, p.election.id, p.facility_id, l.id).await?;
        for g in Group::ALL {
            let rows = matching::rows(&state.db, p.election.id, p.facility_id, l.id, g, SHOWN)
                .await?
                .into_iter()
                .map(|r| RowView::new(r, nik, &at.user.scope))
                .collect();
            groups.push(GroupView::new(g, &counts, rows));
        }
    }
    let page = ReconcilePage {
        layout: at.user.layout(),
        can_upload: at.may(Action::UploadKpuList),
        list: list.map(ListInfo::from),
        groups,
        errors: errors.into_iter().take(200).collect(),
        q: format!("?pemilihan={}", p.election.slug),
        place: p.clone(),
    };
    Ok(page.render()?)
}

async fn page(State(state): State<AppState>, at: AtFacility) -> Result<Html<String>> {
    Ok(Html(render(&state, &at, Vec::new()).await?))
}

#[tracing::instrument(skip_all, fields(facility = %at.place.facility_code, user = %at.user.username))]
async fn upload(
    State(state): State<AppState>,
    at: AtFacility,
    multipart: Multipart,
) -> Result<Response> {
    at.require_to(Action::UploadKpuList)?;
    let file = upload::read(multipart, UPLOAD_LIMIT, "dpt-kpu.csv").await?;
    let refuse = |errors: Vec<RowError>| async {
        let html = render(&state, &at, errors).await?;
        Ok::<Response, AppError>((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
    };
    if file.content.is_empty() {
        return refuse(vec![RowError::new(1, "–", "Pilih berkas CSV daftar KPU.")]).await;
    }
    let entries = match list::parse(&file.content) {
        Ok(e) => e,
        Err(errors) => return refuse(errors).await,
    };
    let p = &at.place;
    let mut tx = state.db.begin().await?;
    let id = matching::store(
        &mut tx,
        p.election.id,
        p.facility_id,
        Some(at.user.id),
        &file.filename,
        &entries,
    )
    .await?;
    let after =
        json!({ "election": p.election.slug, "filename": file.filename, "rows": entries.len() });
    audit::record(
        &mut tx,
        &at.user.actor(),
        Entry::new("kpu_list.upload")
            .object("kpu_list", id)
            .province(Some(p.province_code.clone()))
            .facility(Some(p.facility_id))
            .after(after),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&at.url("/rekonsiliasi")).into_response())
}

/// `/fasilitas/{code}/rekonsiliasi/hanya-daftar.csv`: every row of one group.
async fn group_csv(
    State(state): State<AppState>,
    at: AtFacility,
    Path((_, file)): Path<(String, String)>,
) -> Result<Response> {
    let p = &at.place;
    let group = file
        .strip_suffix(".csv")
        .and_then(Group::parse)
        .ok_or(AppError::NotFound)?;
    let list = matching::latest(&state.db, p.election.id, p.facility_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let rows = matching::rows(
        &state.db,
        p.election.id,
        p.facility_id,
        list.id,
        group,
        i64::MAX,
    )
    .await?;
    let nik = at.user.nik_view(p.facility_id);
    let mut w = csv::Writer::in_memory();
    w.row(CSV_COLUMNS)?;
    for r in rows {
        w.row(RowView::new(r, nik, &at.user.scope).cells())?;
    }
    Ok(csv::response(
        &format!("rekonsiliasi-{}-{}.csv", p.facility_code, group.slug()),
        w.finish()?,
    ))
}
