//! The facilities in scope with their figures, as the reports and home pages read them.

use sqlx::PgPool;

use super::{Figures, ensure_fresh};
use crate::http::error::Result;

/// A facility with its figures.
#[derive(Debug, Clone)]
pub struct FacilityFigures {
    pub province_code: String,
    pub province_name: String,
    pub code: String,
    pub name: String,
    pub facility_type: String,
    pub class: Option<String>,
    pub kabkota_name: String,
    pub illustrative: bool,
    /// The inmate count recorded for the facility (what `inmates` falls back to).
    pub recorded_inmates: i64,
    pub figures: Figures,
}

/// Every facility in scope with its figures for the election (fresh), by province and name.
pub async fn facilities(
    pool: &PgPool,
    election_id: Option<i64>,
    province: Option<&str>,
    facility: Option<i64>,
) -> Result<Vec<FacilityFigures>> {
    ensure_fresh(pool).await?;
    // Two statements with one select list: PostgreSQL keeps one plan per statement, and the
    // plan kept for "any filter" expects a single facility and looks every facility's regions
    // and figures up one by one (8 ms for all 550 on the national home page, 2.5 ms without
    // the filter).
    let rows =
        match (province, facility) {
            (None, None) => sqlx::query_as!(
                FacilityRow,
                r#"select f.province_code, p.name as province_name, f.code, f.name, f.facility_type,
                  f.class, k.name as kabkota_name, f.illustrative, f.inmates,
                  x.stations as "stations?", x.stations_ready as "stations_ready?",
                  x.dpt as "dpt?", x.dptb as "dptb?", x.dpk as "dpk?",
                  x.shortage_stations as "shortage_stations?",
                  x.shortage_ballots as "shortage_ballots?",
                  x.roll_voters as "roll_voters?", x.roll_eligible as "roll_eligible?",
                  x.roll_under_age as "roll_under_age?",
                  x.roll_rights_revoked as "roll_rights_revoked?",
                  x.roll_released as "roll_released?",
                  x.roll_no_valid_nik as "roll_no_valid_nik?",
                  x.roll_unregistered as "roll_unregistered?",
                  x.roll_unregistered_detainees as "roll_unregistered_detainees?"
           from facilities f
           join regions p on p.code = f.province_code
           join regions k on k.code = f.kabkota_code
           left join facility_figures x on x.facility_id = f.id and x.election_id = $1
           order by f.province_code, f.name"#,
                election_id
            )
            .fetch_all(pool)
            .await?,
            _ => sqlx::query_as!(
                FacilityRow,
                r#"select f.province_code, p.name as province_name, f.code, f.name, f.facility_type,
                  f.class, k.name as kabkota_name, f.illustrative, f.inmates,
                  x.stations as "stations?", x.stations_ready as "stations_ready?",
                  x.dpt as "dpt?", x.dptb as "dptb?", x.dpk as "dpk?",
                  x.shortage_stations as "shortage_stations?",
                  x.shortage_ballots as "shortage_ballots?",
                  x.roll_voters as "roll_voters?", x.roll_eligible as "roll_eligible?",
                  x.roll_under_age as "roll_under_age?",
                  x.roll_rights_revoked as "roll_rights_revoked?",
                  x.roll_released as "roll_released?",
                  x.roll_no_valid_nik as "roll_no_valid_nik?",
                  x.roll_unregistered as "roll_unregistered?",
                  x.roll_unregistered_detainees as "roll_unregistered_detainees?"
           from facilities f
           join regions p on p.code = f.province_code
           join regions k on k.code = f.kabkota_code
           left join facility_figures x on x.facility_id = f.id and x.election_id = $1
           where ($2::text is null or f.province_code = $2) and ($3::bigint is null or f.id = $3)
           order by f.province_code, f.name"#,
                election_id,
                province,
                facility
            )
            .fetch_all(pool)
            .await?,
        };
    Ok(rows.into_iter().map(FacilityRow::into_figures).collect())
}

/// A row of [`facilities`].
struct FacilityRow {
    province_code: String,
    province_name: String,
    code: String,
    name: String,
    facility_type: String,
    class: Option<String>,
    kabkota_name: String,
    illustrative: bool,
    inmates: i32,
    stations: Option<i32>,
    stations_ready: Option<i32>,
    dpt: Option<i32>,
    dptb: Option<i32>,
    dpk: Option<i32>,
    shortage_stations: Option<i32>,
    shortage_ballots: Option<i64>,
    roll_voters: Option<i32>,
    roll_eligible: Option<i32>,
    roll_under_age: Option<i32>,
    roll_rights_revoked: Option<i32>,
    roll_released: Option<i32>,
    roll_no_valid_nik: Option<i32>,
    roll_unregistered: Option<i32>,
    roll_unregistered_detainees: Option<i32>,
}

impl FacilityRow {
    fn into_figures(self) -> FacilityFigures {
        let r = self;
        let n = |v: Option<i32>| i64::from(v.unwrap_or(0));
        let roll_voters = n(r.roll_voters);
        FacilityFigures {
            province_code: r.province_code,
            province_name: r.province_name,
            code: r.code,
            name: r.name,
            facility_type: r.facility_type,
            class: r.class,
            kabkota_name: r.kabkota_name,
            illustrative: r.illustrative,
            recorded_inmates: r.inmates.into(),
            figures: Figures {
                facilities: 1,
                inmates: if roll_voters > 0 {
                    roll_voters
                } else {
                    r.inmates.into()
                },
                stations: n(r.stations),
                stations_ready: n(r.stations_ready),
                dpt: n(r.dpt),
                dptb: n(r.dptb),
                dpk: n(r.dpk),
                shortage_stations: n(r.shortage_stations),
                shortage_ballots: r.shortage_ballots.unwrap_or(0),
                roll_voters,
                roll_eligible: n(r.roll_eligible),
                roll_under_age: n(r.roll_under_age),
                roll_rights_revoked: n(r.roll_rights_revoked),
                roll_released: n(r.roll_released),
                roll_no_valid_nik: n(r.roll_no_valid_nik),
                roll_unregistered: n(r.roll_unregistered),
                roll_unregistered_detainees: n(r.roll_unregistered_detainees),
            },
        }
    }
}
