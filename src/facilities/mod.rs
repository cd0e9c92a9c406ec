//! A province's facilities and a facility's TPS with their official counts.

mod edit;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use axum::routing::get;

use crate::AppState;
use crate::auth::{CurrentUser, Layout};
use crate::elections::{self, Election, ElectionQuery};
use crate::error::{AppError, Result};
use crate::figures::{Counts, CountsView};
use crate::format;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/provinsi/{code}", get(province))
        .route("/fasilitas/{code}", get(facility))
        .route(
            "/fasilitas/{code}/ubah",
            get(edit::edit_page).post(edit::update),
        )
}

/// How a facility type is written on pages.
pub fn type_label(facility_type: &str) -> &'static str {
    match facility_type {
        "lapas" => "Lapas",
        "lapas_perempuan" => "Lapas Perempuan",
        "lapas_narkotika" => "Lapas Narkotika",
        "rutan" => "Rutan",
        "cabang_rutan" => "Cabang Rutan",
        "lpka" => "LPKA",
        _ => "UPT",
    }
}

pub struct FacilityRow {
    pub code: String,
    pub name: String,
    pub type_label: &'static str,
    pub class: String,
    pub kabkota: String,
    pub illustrative: bool,
    pub counts: CountsView,
}

#[derive(Template)]
#[template(path = "facilities/province.html")]
pub struct ProvincePage {
    pub layout: Layout,
    pub election: Option<Election>,
    pub name: String,
    pub rows: Vec<FacilityRow>,
    pub total: CountsView,
}

async fn province(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(code): Path<String>,
    Query(query): Query<ElectionQuery>,
) -> Result<Html<String>> {
    let name = sqlx::query_scalar!(
        "select name from regions where code = $1 and parent_code is null",
        code
    )
    .fetch_optional(&state.db)
    .await?
    .filter(|_| user.sees_province(&code))
    .ok_or(AppError::NotFound)?;
    let election = elections::selected(&state.db, &query).await?;
    let rows = sqlx::query!(
        r#"select f.code, f.name, f.facility_type, f.class, k.name as kabkota, f.inmates,
                  f.illustrative, count(s.id) as "stations!",
                  coalesce(sum(s.dpt), 0) as "dpt!", coalesce(sum(s.dptb), 0) as "dptb!",
                  coalesce(sum(s.dpk), 0) as "dpk!"
           from facilities f
           join regions k on k.code = f.kabkota_code
           left join stations s on s.facility_id = f.id and s.election_id = $2
           where f.province_code = $1 and ($3::bigint is null or f.id = $3)
           group by f.id, k.name
           order by f.name"#,
        code,
        election.as_ref().map(|e| e.id),
        user.facility_filter(),
    )
    .fetch_all(&state.db)
    .await?;

    let mut total = Counts::default();
    let rows = rows
        .into_iter()
        .map(|r| {
            let c = Counts {
                facilities: 1,
                stations: r.stations,
                inmates: r.inmates.into(),
                dpt: r.dpt,
                dptb: r.dptb,
                dpk: r.dpk,
            };
            total.add(&c);
            FacilityRow {
                code: r.code,
                name: r.name,
                type_label: type_label(&r.facility_type),
                class: r.class.unwrap_or_default(),
                kabkota: r.kabkota,
                illustrative: r.illustrative,
                counts: c.display(),
            }
        })
        .collect();
    Ok(Html(
        ProvincePage {
            layout: user.layout(),
            election,
            name,
            rows,
            total: total.display(),
        }
        .render()?,
    ))
}

pub struct StationRow {
    pub number: i32,
    pub dpt: String,
    pub dptb: String,
    pub dpk: String,
    pub with_vote: String,
}

#[derive(Template)]
#[template(path = "facilities/facility.html")]
pub struct FacilityPage {
    pub layout: Layout,
    pub election: Option<Election>,
    pub code: String,
    pub name: String,
    pub type_label: &'static str,
    pub class: String,
    pub province_code: String,
    pub province: String,
    pub kabkota: String,
    pub illustrative: bool,
    pub can_edit: bool,
    pub can_read_roll: bool,
    pub stations: Vec<StationRow>,
    pub total: CountsView,
}

async fn facility(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(code): Path<String>,
    Query(query): Query<ElectionQuery>,
) -> Result<Html<String>> {
    let f = sqlx::query!(
        r#"select f.id, f.code, f.name, f.facility_type, f.class, f.inmates, f.illustrative,
                  f.province_code, p.name as province, k.name as kabkota
           from facilities f
           join regions p on p.code = f.province_code
           join regions k on k.code = f.kabkota_code
           where f.code = $1"#,
        code
    )
    .fetch_optional(&state.db)
    .await?
    .filter(|f| user.sees_facility(f.id, &f.province_code))
    .ok_or(AppError::NotFound)?;
    let election = elections::selected(&state.db, &query).await?;
    let stations = sqlx::query!(
        "select tps_number, dpt, dptb, dpk from stations
         where facility_id = $1 and election_id = $2
         order by tps_number",
        f.id,
        election.as_ref().map(|e| e.id),
    )
    .fetch_all(&state.db)
    .await?;

    let mut total = Counts {
        facilities: 1,
        inmates: f.inmates.into(),
        ..Counts::default()
    };
    let stations = stations
        .into_iter()
        .map(|s| {
            let c = Counts {
                stations: 1,
                dpt: s.dpt.into(),
                dptb: s.dptb.into(),
                dpk: s.dpk.into(),
                ..Counts::default()
            };
            total.add(&c);
            StationRow {
                number: s.tps_number,
                dpt: format::number(c.dpt),
                dptb: format::number(c.dptb),
                dpk: format::number(c.dpk),
                with_vote: format::number(c.with_vote()),
            }
        })
        .collect();
    Ok(Html(
        FacilityPage {
            layout: user.layout(),
            election,
            code: f.code,
            name: f.name,
            type_label: type_label(&f.facility_type),
            class: f.class.unwrap_or_default(),
            province_code: f.province_code,
            province: f.province,
            kabkota: f.kabkota,
            illustrative: f.illustrative,
            can_edit: matches!(
                user.role,
                crate::auth::Role::Admin | crate::auth::Role::Kanwil
            ),
            can_read_roll: user.role != crate::auth::Role::Kpu,
            stations,
            total: total.display(),
        }
        .render()?,
    ))
}
