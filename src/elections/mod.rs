//! Elections administration (`/admin/pemilihan`, admins only): the list, creating an election
//! (optionally with the TPS of an earlier one), changing it, loading a Pilkada's contests
//! and deleting an election without voters. The page and `loksus election` share the rules
//! (`domain::election_rules`, `domain::contest_file`) and one write path ([`store`]).

pub mod queries;
pub mod store;
mod views;

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

pub use self::store::{Created, ElectionError, Loaded};
use self::views::{EditPage, ElectionLine, FormValues, ListPage};
use crate::domain::access::Action;
use crate::domain::csv_file::RowError;
use crate::domain::election_rules::{Input, check_slug};
use crate::http::AppState;
use crate::http::error::{AppError, Result};
use crate::http::form::Form;
use crate::http::session::CurrentUser;
use crate::http::upload;

/// A contests file holds at most a few hundred short rows.
const UPLOAD_LIMIT: usize = 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/pemilihan", get(list_page).post(create))
        .route("/admin/pemilihan/{slug}", get(edit_page).post(edit))
        .route(
            "/admin/pemilihan/{slug}/kontestasi",
            post(upload_contests).layer(DefaultBodyLimit::max(UPLOAD_LIMIT + 64 * 1024)),
        )
        .route("/admin/pemilihan/{slug}/hapus", post(delete))
}

/// A refusal as the page shows it; anything else stays an error.
fn refusal_message(e: ElectionError) -> Result<String> {
    match e {
        ElectionError::Invalid(f) => Ok(format!("{}: {}", f.field.label(), f.message)),
        ElectionError::Refused(m) => Ok(m),
        ElectionError::Rows(_) => Ok("Berkas ditolak; tidak ada yang disimpan.".into()),
        ElectionError::NotFound => Err(AppError::NotFound),
        ElectionError::Database(e) => Err(e.into()),
    }
}

fn refused(html: String) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response()
}

#[derive(Deserialize)]
struct ListQuery {
    dibuat: Option<String>,
    tps: Option<u64>,
    dihapus: Option<String>,
}

impl ListQuery {
    /// What the last form did (slugs only when they are slugs, so a link cannot put words
    /// on the page).
    fn notice(&self) -> Option<String> {
        let slug = |s: &Option<String>| s.as_deref().and_then(|s| check_slug(s).ok());
        if let Some(s) = slug(&self.dibuat) {
            let copied = self
                .tps
                .map(|n| format!(" {n} TPS disalin."))
                .unwrap_or_default();
            return Some(format!("Pemilihan {s} dibuat.{copied}"));
        }
        slug(&self.dihapus).map(|s| format!("Pemilihan {s} dihapus."))
    }
}

async fn render_list(
    state: &AppState,
    user: &CurrentUser,
    form: FormValues,
    notice: Option<String>,
    error: Option<String>,
) -> Result<String> {
    let elections = election_lines(state).await?;
    Ok(ListPage {
        layout: user.layout(),
        elections,
        form,
        notice,
        error,
    }
    .render()?)
}

async fn election_lines(state: &AppState) -> Result<Vec<ElectionLine>> {
    let rows = queries::list(&state.db).await?;
    Ok(rows.into_iter().map(ElectionLine::from).collect())
}

async fn list_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<ListQuery>,
) -> Result<Html<String>> {
    user.require_to(Action::Administer)?;
    let html = render_list(&state, &user, FormValues::blank(), q.notice(), None).await?;
    Ok(Html(html))
}

/// The posted fields as pairs: the ballot checkboxes repeat their name.
struct Posted(Vec<(String, String)>);

impl Posted {
    fn text(&self, name: &str) -> String {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// The form as typed (Indonesian field names).
    fn values(&self) -> FormValues {
        FormValues {
            slug: self.text("slug"),
            name: self.text("nama"),
            kind: self.text("jenis"),
            voting_day: self.text("hari_pemungutan"),
            deadline_h30: self.text("batas_h30"),
            deadline_h7: self.text("batas_h7"),
            cap: self.text("maks_pemilih"),
            reserve: self.text("cadangan_persen"),
            ballots: self.all("surat_suara"),
            dpk_at_loksus: !self.text("dpk_di_loksus").is_empty(),
            copy_from: self.text("salin_tps_dari"),
        }
    }
}

fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.into()
}

/// A new election's values: what is left empty takes the kind's default.
fn creation_input(f: &FormValues) -> Input {
    let given = |s: &String| (!s.trim().is_empty()).then(|| s.clone());
    Input {
        name: given(&f.name),
        kind: given(&f.kind),
        voting_day: given(&f.voting_day),
        deadline_h30: given(&f.deadline_h30),
        deadline_h7: given(&f.deadline_h7),
        cap: given(&f.cap),
        reserve_percent: given(&f.reserve),
        ballots: (!f.ballots.is_empty()).then(|| f.ballots.join(",")),
        dpk_at_loksus: Some(yes_no(f.dpk_at_loksus)),
    }
}

/// The edit form gives every value (an emptied field is refused, not ignored).
fn edit_input(f: &FormValues) -> Input {
    Input {
        name: Some(f.name.clone()),
        kind: Some(f.kind.clone()),
        voting_day: Some(f.voting_day.clone()),
        deadline_h30: Some(f.deadline_h30.clone()),
        deadline_h7: Some(f.deadline_h7.clone()),
        cap: Some(f.cap.clone()),
        reserve_percent: Some(f.reserve.clone()),
        ballots: Some(f.ballots.join(",")),
        dpk_at_loksus: Some(yes_no(f.dpk_at_loksus)),
    }
}

#[tracing::instrument(skip_all, fields(user = %user.username))]
async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response> {
    user.require_to(Action::Administer)?;
    let form = Posted(pairs).values();
    let copy_from = Some(form.copy_from.trim()).filter(|s| !s.is_empty());
    let input = creation_input(&form);
    match store::create(&state.db, &form.slug, &input, copy_from, &user.actor()).await {
        Ok(created) => {
            let copied = created
                .copied
                .map(|n| format!("&tps={n}"))
                .unwrap_or_default();
            let to = format!("/admin/pemilihan?dibuat={}{copied}", form.slug.trim());
            Ok(Redirect::to(&to).into_response())
        }
        Err(e) => {
            let message = refusal_message(e)?;
            Ok(refused(
                render_list(&state, &user, form, None, Some(message)).await?,
            ))
        }
    }
}

async fn election_page(state: &AppState, user: &CurrentUser, slug: &str) -> Result<EditPage> {
    let stored = queries::find(&state.db, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(EditPage::new(user.layout(), stored))
}

#[derive(Deserialize)]
struct EditQuery {
    disimpan: Option<usize>,
    kontestasi: Option<usize>,
}

async fn edit_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    Query(q): Query<EditQuery>,
) -> Result<Html<String>> {
    user.require_to(Action::Administer)?;
    let mut page = election_page(&state, &user, &slug).await?;
    page.notice = match (q.disimpan, q.kontestasi) {
        (Some(0), _) => Some("Tidak ada yang berubah.".into()),
        (Some(n), _) => Some(format!("Perubahan disimpan ({n} nilai).")),
        (None, Some(n)) => Some(format!("Kontestasi dimuat: {n}.")),
        (None, None) => None,
    };
    Ok(Html(page.render()?))
}

#[tracing::instrument(skip_all, fields(user = %user.username, election = %slug))]
async fn edit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response> {
    user.require_to(Action::Administer)?;
    let form = Posted(pairs).values();
    match store::update(&state.db, &slug, &edit_input(&form), &user.actor()).await {
        Ok(changed) => {
            let to = format!("/admin/pemilihan/{slug}?disimpan={}", changed.len());
            Ok(Redirect::to(&to).into_response())
        }
        Err(e) => {
            let message = refusal_message(e)?;
            let mut page = election_page(&state, &user, &slug).await?;
            page.form = FormValues { slug, ..form };
            page.error = Some(message);
            Ok(refused(page.render()?))
        }
    }
}

#[tracing::instrument(skip_all, fields(user = %user.username, election = %slug))]
async fn upload_contests(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    multipart: Multipart,
) -> Result<Response> {
    user.require_to(Action::Administer)?;
    let file = upload::read(multipart, UPLOAD_LIMIT, "kontestasi.csv").await?;
    let outcome = if file.content.is_empty() {
        let e = RowError::new(1, "", "Pilih berkas CSV kontestasi.");
        Err(ElectionError::Rows(vec![e]))
    } else {
        store::load_contests(&state.db, &slug, &file.content, &user.actor()).await
    };
    match outcome {
        Ok(loaded) => {
            let to = format!("/admin/pemilihan/{slug}?kontestasi={}", loaded.contests);
            Ok(Redirect::to(&to).into_response())
        }
        Err(ElectionError::Rows(rows)) => {
            let mut page = election_page(&state, &user, &slug).await?;
            page.error = Some("Berkas kontestasi ditolak; tidak ada yang disimpan.".into());
            page.row_errors = rows.into_iter().take(200).collect();
            Ok(refused(page.render()?))
        }
        Err(e) => {
            let message = refusal_message(e)?;
            let mut page = election_page(&state, &user, &slug).await?;
            page.error = Some(message);
            Ok(refused(page.render()?))
        }
    }
}

#[tracing::instrument(skip_all, fields(user = %user.username, election = %slug))]
async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
) -> Result<Response> {
    user.require_to(Action::Administer)?;
    match store::delete(&state.db, &slug, &user.actor()).await {
        Ok(()) => Ok(Redirect::to(&format!("/admin/pemilihan?dihapus={slug}")).into_response()),
        Err(e) => {
            let message = refusal_message(e)?;
            let mut page = election_page(&state, &user, &slug).await?;
            page.error = Some(message);
            Ok(refused(page.render()?))
        }
    }
}
