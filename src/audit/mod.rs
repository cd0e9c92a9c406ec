//! `/audit`: the audit log, filterable by province, facility, user and date. Admins see every
//! entry, kanwil staff those of their province; other roles may not open it.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Html;
use axum::routing::get;
use serde::Deserialize;
use time::Date;
use time::macros::{format_description, offset};

use crate::domain::access::Role;
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

async fn audit_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(mut filters): Query<Filters>,
) -> Result<Html<String>> {
    user.require(&[Role::Admin, Role::Kanwil])?;
    let province_locked = user.province_filter().is_some();
    if let Some(p) = user.province_filter() {
        filters.provinsi = p.to_owned();
    }
    let from = parse_date(&filters.dari, "awal")?;
    let until = parse_date(&filters.sampai, "akhir")?;
    let rows = sqlx::query!(
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
        non_empty(&filters.provinsi),
        non_empty(&filters.fasilitas),
        non_empty(&filters.pengguna).map(|u| u.to_lowercase()),
        from,
        until,
        LIMIT,
    )
    .fetch_all(&state.db)
    .await?;
    let shown = format_description!("[day]-[month]-[year] [hour]:[minute]:[second] WIB");
    let rows = rows
        .into_iter()
        .map(|r| {
            // The audit stores what it stores; the page shows NIKs under the masking rule.
            let view = r.facility_id.map_or(
                if user.role == Role::Admin {
                    NikView::Full
                } else {
                    NikView::Masked
                },
                |f| user.nik_view(f),
            );
            AuditRow {
                at: r
                    .at
                    .to_offset(offset!(+7))
                    .format(shown)
                    .unwrap_or_default(),
                actor: r.actor,
                client_addr: r.client_addr.unwrap_or_default(),
                action: r.action,
                object: match (r.object_type, r.object_id) {
                    (Some(t), Some(id)) => format!("{t} {id}"),
                    _ => String::new(),
                },
                province_code: r.province_code.unwrap_or_default(),
                facility_code: r.facility_code.unwrap_or_default(),
                before: view.show_text(&r.before_text.unwrap_or_default()),
                after: view.show_text(&r.after_text.unwrap_or_default()),
            }
        })
        .collect();
    Ok(Html(
        AuditPage {
            layout: user.layout(),
            filters,
            province_locked,
            rows,
            limit: LIMIT,
        }
        .render()?,
    ))
}
