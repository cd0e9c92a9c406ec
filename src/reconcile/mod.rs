//! Reconciliation with KPU's final voter list (DPT): a KPU liaison, kanwil staff or an admin
//! uploads KPU's list for a facility (`nik, nama, tps`); Loksus shows who is on both lists,
//! on KPU's only, on the roll only (and would lose their vote), on another TPS, or under
//! another name. Everyone in scope reads the result; each group downloads as CSV.

pub mod list;
pub mod matching;

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use serde_json::json;

use crate::db::audit::{self, Entry};
use crate::domain::access::Role;
use crate::domain::format;
use crate::domain::roll_file::RowError;
use crate::http::AppState;
use crate::http::error::{AppError, Result};
use crate::http::layout::Layout;
use crate::http::session::CurrentUser;
use crate::read::elections::ElectionQuery;
use crate::read::places::{Place, place};
use matching::{Counts, Group};

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

fn can_upload(user: &CurrentUser) -> bool {
    matches!(user.role, Role::Admin | Role::Kanwil | Role::Kpu)
}

pub struct ListInfo {
    pub id: i64,
    pub filename: String,
    pub rows: String,
    pub uploaded: String,
    pub by: String,
}

async fn latest(state: &AppState, p: &Place) -> Result<Option<ListInfo>> {
    Ok(sqlx::query!(
        r#"select l.id, l.filename, l.rows, l.uploaded_at, coalesce(u.username, 'sistem') as "by!"
           from kpu_lists l left join users u on u.id = l.user_id
           where l.election_id = $1 and l.facility_id = $2"#,
        p.election.id,
        p.facility_id
    )
    .fetch_optional(&state.db)
    .await?
    .map(|l| ListInfo {
        id: l.id,
        filename: l.filename,
        rows: format::number(l.rows.into()),
        uploaded: format::datetime(l.uploaded_at),
        by: l.by,
    }))
}

pub struct RowView {
    pub nik: String,
    pub roll_name: String,
    pub kpu_name: String,
    pub roll_tps: String,
    pub kpu_tps: String,
    pub note: String,
}

pub struct GroupView {
    pub slug: &'static str,
    pub label: &'static str,
    pub count: String,
    pub shown: usize,
    pub rows: Vec<RowView>,
    pub alarm: bool,
}

pub struct ErrorView {
    pub line: u64,
    pub column: &'static str,
    pub message: String,
}

#[derive(Template)]
#[template(path = "reconcile/page.html")]
struct ReconcilePage {
    layout: Layout,
    place: Place,
    can_upload: bool,
    list: Option<ListInfo>,
    groups: Vec<GroupView>,
    errors: Vec<ErrorView>,
    q: String,
}

const SHOWN: i64 = 200;

async fn render(
    state: &AppState,
    user: &CurrentUser,
    p: Place,
    errors: Vec<RowError>,
) -> Result<String> {
    let list = latest(state, &p).await?;
    let view = user.nik_view(p.facility_id);
    let mut groups = Vec::new();
    if let Some(l) = &list {
        let counts: Counts =
            matching::counts(&state.db, p.election.id, p.facility_id, l.id).await?;
        for g in Group::ALL {
            let rows =
                matching::rows(&state.db, p.election.id, p.facility_id, l.id, g, SHOWN).await?;
            groups.push(GroupView {
                slug: g.slug(),
                label: g.label(),
                count: format::number(counts.of(g)),
                shown: rows.len(),
                alarm: g != Group::Matched && counts.of(g) > 0,
                rows: rows
                    .into_iter()
                    .map(|r| RowView {
                        nik: view.show(&r.nik),
                        roll_name: r.roll_name.unwrap_or_default(),
                        kpu_name: r.kpu_name.unwrap_or_default(),
                        roll_tps: r.roll_tps.map(|t| t.to_string()).unwrap_or_default(),
                        kpu_tps: r.kpu_tps.map(|t| t.to_string()).unwrap_or_default(),
                        note: r.whereabouts.note(&user.scope),
                    })
                    .collect(),
            });
        }
    }
    let q = format!("?pemilihan={}", p.election.slug);
    Ok(ReconcilePage {
        layout: user.layout(),
        can_upload: can_upload(user),
        list,
        groups,
        errors: errors
            .into_iter()
            .take(200)
            .map(|e| ErrorView {
                line: e.line,
                column: e.column,
                message: e.message,
            })
            .collect(),
        q,
        place: p,
    }
    .render()?)
}

async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(code): Path<String>,
    Query(q): Query<ElectionQuery>,
) -> Result<Html<String>> {
    let p = place(&state, &user, &code, &q).await?;
    Ok(Html(render(&state, &user, p, Vec::new()).await?))
}

async fn upload(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(code): Path<String>,
    Query(q): Query<ElectionQuery>,
    mut multipart: Multipart,
) -> Result<Response> {
    let p = place(&state, &user, &code, &q).await?;
    user.require(&[Role::Admin, Role::Kanwil, Role::Kpu])?;
    let too_big = || {
        AppError::TooLarge(format!(
            "Berkas terlalu besar atau terputus (batas {} MB).",
            UPLOAD_LIMIT / (1024 * 1024)
        ))
    };
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = multipart.next_field().await.map_err(|_| too_big())? {
        if field.name() == Some("berkas") {
            let name = field.file_name().unwrap_or("dpt-kpu.csv").to_owned();
            file = Some((name, field.bytes().await.map_err(|_| too_big())?.to_vec()));
        }
    }
    let refuse = |errors: Vec<RowError>| async {
        let html = render(&state, &user, p.clone(), errors).await?;
        Ok::<Response, AppError>((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
    };
    let Some((filename, content)) = file.filter(|(_, c)| !c.is_empty()) else {
        return refuse(vec![RowError {
            line: 1,
            column: "–",
            message: "Pilih berkas CSV daftar KPU.".into(),
        }])
        .await;
    };
    let entries = match list::parse(&content) {
        Ok(e) => e,
        Err(errors) => return refuse(errors).await,
    };
    let mut tx = state.db.begin().await?;
    let id = matching::store(
        &mut tx,
        p.election.id,
        p.facility_id,
        Some(user.id),
        &filename,
        &entries,
    )
    .await?;
    audit::record(
        &mut tx,
        &user.actor(),
        Entry::new("kpu_list.upload")
            .object("kpu_list", id)
            .province(Some(p.province_code.clone()))
            .facility(Some(p.facility_id))
            .after(
                json!({ "election": p.election.slug, "filename": filename, "rows": entries.len() }),
            ),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!(
        "/fasilitas/{}/rekonsiliasi?pemilihan={}",
        p.facility_code, p.election.slug
    ))
    .into_response())
}

/// `/fasilitas/{code}/rekonsiliasi/hanya-daftar.csv`: every row of one group.
async fn group_csv(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((code, file)): Path<(String, String)>,
    Query(q): Query<ElectionQuery>,
) -> Result<Response> {
    let p = place(&state, &user, &code, &q).await?;
    let group = file
        .strip_suffix(".csv")
        .and_then(Group::parse)
        .ok_or(AppError::NotFound)?;
    let list = latest(&state, &p).await?.ok_or(AppError::NotFound)?;
    let rows = matching::rows(
        &state.db,
        p.election.id,
        p.facility_id,
        list.id,
        group,
        i64::MAX,
    )
    .await?;
    let view = user.nik_view(p.facility_id);
    let mut w = crate::http::csv::Writer::in_memory();
    w.row([
        "nik",
        "nama_daftar_wbp",
        "nama_kpu",
        "tps_daftar_wbp",
        "tps_kpu",
        "keterangan",
    ])?;
    for r in rows {
        w.row([
            view.show(&r.nik),
            r.roll_name.unwrap_or_default(),
            r.kpu_name.unwrap_or_default(),
            r.roll_tps.map(|t| t.to_string()).unwrap_or_default(),
            r.kpu_tps.map(|t| t.to_string()).unwrap_or_default(),
            r.whereabouts.note(&user.scope),
        ])?;
    }
    Ok(crate::http::csv::response(
        &format!("rekonsiliasi-{}-{}.csv", p.facility_code, group.slug()),
        w.finish()?,
    ))
}
