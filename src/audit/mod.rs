//! `/audit`: the audit log, filterable by province, facility, user and date. Admins see every
//! entry, kanwil staff those of their province; other roles may not open it.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Html;
use axum::routing::get;
use serde::Deserialize;
use sqlx::PgPool;
use time::macros::{format_description, offset};
use time::{Date, OffsetDateTime};

use crate::domain::access::{Action, Role};
use crate::domain::privacy::NikView;
use crate::http::AppState;
use crate::http::error::{AppError, Result};
use crate::http::layout::Layout;
use crate::http::session::CurrentUser;

pub fn router() -> Router<AppState> {
    Router::new().route("/audit", get(audit_page))
}

#[derive(Debug, Default, Deserialize)]
struct Filters {
    #[serde(default)]
    provinsi: String,
    #[serde(default)]
    fasilitas: String,
    #[serde(default)]
    pengguna: String,
    #[serde(default)]
    dari: String,
    #[serde(default)]
    sampai: String,
}

struct AuditRow {
    at: String,
    actor: String,
    client_addr: String,
    action: String,
    object: String,
    province_code: String,
    facility_code: String,
    before: String,
    after: String,
}

#[derive(Template)]
#[template(path = "audit/list.html")]
struct AuditPage {
    layout: Layout,
    filters: Filters,
    province_locked: bool,
    rows: Vec<AuditRow>,
    limit: i64,
}

const LIMIT: i64 = 200;

fn parse_date(s: &str, what: &str) -> Result<Option<Date>> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    Date::parse(s, format_description!("[year]-[month]-[day]"))
        .map(Some)
        .map_err(|_| AppError::BadRequest(format!("Tanggal {what} harus berformat TTTT-BB-HH.")))
}

fn non_empty(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

#[tracing::instrument(skip_all, fields(user = %user.username))]
async fn audit_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(mut filters): Query<Filters>,
) -> Result<Html<String>> {
    user.require_to(Action::ReadAudit)?;
    let province_locked = user.province_filter().is_some();
    if let Some(p) = user.province_filter() {
        filters.provinsi = p.to_owned();
    }
    let criteria = Criteria {
        province: non_empty(&filters.provinsi),
        facility: non_empty(&filters.fasilitas),
        actor: non_empty(&filters.pengguna).map(|u| u.to_lowercase()),
        from: parse_date(&filters.dari, "awal")?,
        until: parse_date(&filters.sampai, "akhir")?,
    };
    let rows = entries(&state.db, &criteria)
        .await?
        .into_iter()
        .map(|e| AuditRow::new(e, &user))
        .collect();
    let page = AuditPage {
        layout: user.layout(),
        filters,
        province_locked,
        rows,
        limit: LIMIT,
    };
    Ok(Html(page.render()?))
}

/// What the page asks the log for.
struct Criteria {
    province: Option<String>,
    facility: Option<String>,
    actor: Option<String>,
    from: Option<Date>,
    until: Option<Date>,
}

struct LogEntry {
    at: OffsetDateTime,
    actor: String,
    client_addr: Option<String>,
    action: String,
    object_type: Option<String>,
    object_id: Option<String>,
    province_code: Option<String>,
    facility_id: Option<i64>,
    facility_code: Option<String>,
    before_text: Option<String>,
    after_text: Option<String>,
}

/// The newest [`LIMIT`] entries matching `c`.
async fn entries(pool: &PgPool, c: &Criteria) -> Result<Vec<LogEntry>> {
    Ok(sqlx::query_as!(
        LogEntry,
        r#"select a.at, a.actor, a.client_addr, a.action, a.object_type, a.object_id,
                  a.province_code, a.facility_id, f.code as "facility_code?",
                  a.before::text as before_text,
                  a.after::text as after_text
           from audit_log a
           left join facilities f on f.id = a.facility_id
           where ($1::text is null or a.province_code = $1)
             and ($2::text is null or f.code = $2)
             and ($3::text is null or a.actor = $3)
             and ($4::date is null or (a.at at time zone 'Asia/Jakarta')::date >= $4)
             and ($5::date is null or (a.at at time zone 'Asia/Jakarta')::date <= $5)
           order by a.at desc, a.id desc
           limit $6"#,
        c.province,
        c.facility,
        c.actor,
        c.from,
        c.until,
        LIMIT,
    )
    .fetch_all(pool)
    .await?)
}

impl AuditRow {
    /// The entry as `user` may read it: NIKs under the masking rule (the log stores what it
    /// stores).
    fn new(e: LogEntry, user: &CurrentUser) -> AuditRow {
        let shown = format_description!("[day]-[month]-[year] [hour]:[minute]:[second] WIB");
        let view = e.facility_id.map_or(
            if user.role == Role::Admin {
                NikView::Full
            } else {
                NikView::Masked
            },
            |f| user.nik_view(f),
        );
        AuditRow {
            at: e
                .at
                .to_offset(offset!(+7))
                .format(shown)
                .unwrap_or_default(),
            actor: e.actor,
            client_addr: e.client_addr.unwrap_or_default(),
            action: e.action,
            object: match (e.object_type, e.object_id) {
                (Some(t), Some(id)) => format!("{t} {id}"),
                _ => String::new(),
            },
            province_code: e.province_code.unwrap_or_default(),
            facility_code: e.facility_code.unwrap_or_default(),
            before: view.show_text(&e.before_text.unwrap_or_default()),
            after: view.show_text(&e.after_text.unwrap_or_default()),
        }
    }
}
