//! The national dashboard: one row per province with its facilities, TPS and voters.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Html;
use axum::routing::get;

use crate::AppState;
use crate::auth::{CurrentUser, Layout};
use crate::elections::{self, Election, ElectionQuery};
use crate::error::Result;
use crate::figures::{Counts, CountsView};

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(dashboard))
}

pub struct ProvinceRow {
    pub code: String,
    pub name: String,
    pub counts: CountsView,
}

#[derive(Template)]
#[template(path = "reports/dashboard.html")]
pub struct DashboardPage {
    pub layout: Layout,
    pub election: Option<Election>,
    pub rows: Vec<ProvinceRow>,
    pub total: CountsView,
}

/// Scoped: a kanwil or provincial KPU user sees their province, a registrar their facility.
async fn dashboard(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<ElectionQuery>,
) -> Result<Html<String>> {
    let election = elections::selected(&state.db, &query).await?;
    let rows = sqlx::query!(
        r#"with fac as (
               select province_code, count(*) as facilities, sum(inmates) as inmates
               from facilities
               where ($2::text is null or province_code = $2) and ($3::bigint is null or id = $3)
               group by province_code
           ), st as (
               select f.province_code, count(*) as stations,
                      sum(s.dpt) as dpt, sum(s.dptb) as dptb, sum(s.dpk) as dpk
               from stations s
               join facilities f on f.id = s.facility_id
               where s.election_id = $1
                 and ($2::text is null or f.province_code = $2) and ($3::bigint is null or f.id = $3)
               group by f.province_code
           )
           select r.code as "code!", r.name as "name!",
                  fac.facilities as "facilities!", fac.inmates as "inmates!",
                  coalesce(st.stations, 0) as "stations!", coalesce(st.dpt, 0) as "dpt!",
                  coalesce(st.dptb, 0) as "dptb!", coalesce(st.dpk, 0) as "dpk!"
           from regions r
           join fac on fac.province_code = r.code
           left join st on st.province_code = r.code
           order by r.code"#,
        election.as_ref().map(|e| e.id),
        user.province_filter(),
        user.facility_filter(),
    )
    .fetch_all(&state.db)
    .await?;

    let counts: Vec<(String, String, Counts)> = rows
        .into_iter()
        .map(|r| {
            let c = Counts {
                facilities: r.facilities,
                stations: r.stations,
                inmates: r.inmates,
                dpt: r.dpt,
                dptb: r.dptb,
                dpk: r.dpk,
            };
            (r.code, r.name, c)
        })
        .collect();
    let total = Counts::sum(counts.iter().map(|(_, _, c)| c)).display();
    let rows = counts
        .into_iter()
        .map(|(code, name, c)| ProvinceRow {
            code,
            name,
            counts: c.display(),
        })
        .collect();
    Ok(Html(
        DashboardPage {
            layout: user.layout(),
            election,
            rows,
            total,
        }
        .render()?,
    ))
}
