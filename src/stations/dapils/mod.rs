//! Dapils as reference data: an admin imports KPU's decisions from CSV
//! (`election, contest, dapil code, dapil name, region code`), everyone can list them and
//! check which TPS locations they do not cover yet.
//!
//! An import replaces the dapils of every (election, contest) pair the file names, in one
//! transaction; a file with any bad row changes nothing and names the row and column.

mod import;
mod parse;
mod queries;
mod view;

use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};

pub use self::import::{ImportError, Imported, import};
pub use self::parse::{DapilRow, parse};
use self::view::{DapilView, DapilsPage, GapView};
use super::refusal::{FormResult, Refusal, settle};
use crate::domain::access::Action;
use crate::domain::csv_file::RowError;
use crate::http::AppState;
use crate::http::error::Result;
use crate::http::session::CurrentUser;
use crate::http::upload;
use crate::read::elections::{self, ElectionQuery};

async fn render(
    state: &AppState,
    user: &CurrentUser,
    q: &ElectionQuery,
    errors: Vec<RowError>,
    imported: Option<String>,
) -> Result<String> {
    let election = elections::selected(&state.db, q).await?;
    let id = election.as_ref().map(|e| e.id);
    let dapils = queries::dapils(&state.db, id, user.province_filter()).await?;
    // Which TPS locations no dapil covers (the ballots of their voters stay uncertain).
    let stations = queries::coverage(
        &state.db,
        id,
        user.province_filter(),
        user.facility_filter(),
    )
    .await?;
    Ok(DapilsPage {
        layout: user.layout(),
        election,
        is_admin: user.may(Action::Administer),
        dapils: dapils.into_iter().map(DapilView::from).collect(),
        checked: stations.len(),
        gaps: stations.into_iter().filter_map(GapView::of).collect(),
        errors,
        imported,
    }
    .render()?)
}

#[derive(serde::Deserialize)]
pub struct PageQuery {
    pemilihan: Option<String>,
    diimpor: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<PageQuery>,
) -> Result<Html<String>> {
    let imported = q.diimpor.as_deref().and_then(|s| {
        let (d, r) = s.split_once('-')?;
        Some(format!(
            "Impor berhasil: {} dapil, {} wilayah.",
            d.parse::<u32>().ok()?,
            r.parse::<u32>().ok()?
        ))
    });
    let eq = ElectionQuery {
        pemilihan: q.pemilihan,
    };
    Ok(Html(
        render(&state, &user, &eq, Vec::new(), imported).await?,
    ))
}

pub const UPLOAD_LIMIT: usize = 5 * 1024 * 1024;

pub fn limit() -> DefaultBodyLimit {
    DefaultBodyLimit::max(UPLOAD_LIMIT + 64 * 1024)
}

#[tracing::instrument(skip_all, fields(user = %user.username))]
pub async fn upload(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<ElectionQuery>,
    multipart: Multipart,
) -> Result<Response> {
    user.require_to(Action::Administer)?;
    let file = upload::read(multipart, UPLOAD_LIMIT, "dapil.csv").await?;
    match settle(import_file(&state, &user, &file.content).await)? {
        Ok(done) => {
            let slug = q.pemilihan.as_deref().unwrap_or_default();
            let to = format!(
                "/admin/dapil?pemilihan={slug}&diimpor={}-{}",
                done.dapils, done.regions
            );
            Ok(Redirect::to(&to).into_response())
        }
        Err(r) => {
            let errors = r.typed.into_iter().take(200).collect();
            let html = render(&state, &user, &q, errors, None).await?;
            Ok((r.status, Html(html)).into_response())
        }
    }
}

/// Reads and imports the file, or refuses it (422) with the rows it rejects (the page lists
/// them, so the refusal's message stays empty).
async fn import_file(
    state: &AppState,
    user: &CurrentUser,
    content: &[u8],
) -> FormResult<Imported, Vec<RowError>> {
    let refused = |errors| Refusal::invalid("", errors);
    if content.is_empty() {
        let e = RowError::new(1, "", "Pilih berkas CSV dapil.");
        return Err(refused(vec![e]).into());
    }
    let rows = parse(content).map_err(refused)?;
    let mut tx = state.db.begin().await?;
    match import(&mut tx, &user.actor(), &rows, false).await {
        Ok(done) => {
            tx.commit().await?;
            Ok(done)
        }
        Err(ImportError::Rows(errors)) => Err(refused(errors).into()),
        Err(ImportError::Database(e)) => Err(e.into()),
    }
}
