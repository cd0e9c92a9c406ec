//! The reports' SQL beyond the shared figures (`read::figures`): the dashboard's one query,
//! a province's count history for its timeline, a facility's details and its count history.

use sqlx::PgPool;
use time::{Date, OffsetDateTime};

use super::countdown::Dates;
use crate::domain::figures::Figures;
use crate::http::error::{AppError, Result};
use crate::http::session::CurrentUser;
use crate::read::elections::Election;

/// The dashboard's data: the election, its deadlines, and one row per province in scope.
pub struct DashboardData {
    pub election: Option<(Election, Dates)>,
    pub provinces: Vec<(String, String, Figures)>,
    pub stale: bool,
}

/// A row of the dashboard's query: the election, and a province's totals (absent when the
/// election has no figures yet).
struct DashboardRow {
    id: i64,
    slug: String,
    name: String,
    voting_day: Date,
    transfer_deadline: Date,
    detainee_transfer_deadline: Date,
    stale: bool,
    code: Option<String>,
    province: Option<String>,
    facilities: Option<i32>,
    inmates: Option<i64>,
    stations: Option<i32>,
    stations_ready: Option<i32>,
    dpt: Option<i64>,
    dptb: Option<i64>,
    dpk: Option<i64>,
    shortage_stations: Option<i32>,
    shortage_ballots: Option<i64>,
    roll_voters: Option<i64>,
    roll_eligible: Option<i64>,
    roll_under_age: Option<i64>,
    roll_rights_revoked: Option<i64>,
    roll_released: Option<i64>,
    roll_no_valid_nik: Option<i64>,
    roll_unregistered: Option<i64>,
    roll_unregistered_detainees: Option<i64>,
}

impl DashboardRow {
    fn election(&self) -> (Election, Dates) {
        (
            Election {
                id: self.id,
                slug: self.slug.clone(),
                name: self.name.clone(),
                voting_day: self.voting_day,
            },
            Dates {
                voting_day: self.voting_day,
                transfer_deadline: self.transfer_deadline,
                detainee_transfer_deadline: self.detainee_transfer_deadline,
            },
        )
    }

    /// The province's code, name and figures, when the row has a province.
    fn province(self) -> Option<(String, String, Figures)> {
        let n = |v: Option<i32>| i64::from(v.unwrap_or(0));
        let m = |v: Option<i64>| v.unwrap_or(0);
        let f = Figures {
            facilities: n(self.facilities),
            inmates: m(self.inmates),
            stations: n(self.stations),
            stations_ready: n(self.stations_ready),
            dpt: m(self.dpt),
            dptb: m(self.dptb),
            dpk: m(self.dpk),
            shortage_stations: n(self.shortage_stations),
            shortage_ballots: m(self.shortage_ballots),
            roll_voters: m(self.roll_voters),
            roll_eligible: m(self.roll_eligible),
            roll_under_age: m(self.roll_under_age),
            roll_rights_revoked: m(self.roll_rights_revoked),
            roll_released: m(self.roll_released),
            roll_no_valid_nik: m(self.roll_no_valid_nik),
            roll_unregistered: m(self.roll_unregistered),
            roll_unregistered_detainees: m(self.roll_unregistered_detainees),
        };
        Some((self.code?, self.province?, f))
    }
}

/// Everything the national dashboard needs, in one query (the election by slug or the
/// nearest upcoming one as `read::elections::selected` picks it, whether figures must be rebuilt first, and the province totals).
pub async fn dashboard_data(
    pool: &PgPool,
    slug: Option<&str>,
    province: Option<&str>,
) -> Result<DashboardData> {
    let rows = sqlx::query_as!(
        DashboardRow,
        r#"with e as (
               select id, slug, name, voting_day, transfer_deadline, detainee_transfer_deadline,
                      exists (select 1 from figures_stale) as stale
               from elections
               where $1::text is null or slug = $1
               order by voting_day >= current_date desc,
                        case when voting_day >= current_date then voting_day end,
                        voting_day desc, id desc
               limit 1
           )
           select e.id, e.slug, e.name, e.voting_day, e.transfer_deadline,
                  e.detainee_transfer_deadline, e.stale as "stale!",
                  p.province_code as "code?", r.name as "province?",
                  p.facilities as "facilities?", p.inmates as "inmates?",
                  p.stations as "stations?", p.stations_ready as "stations_ready?",
                  p.dpt as "dpt?", p.dptb as "dptb?", p.dpk as "dpk?",
                  p.shortage_stations as "shortage_stations?",
                  p.shortage_ballots as "shortage_ballots?", p.roll_voters as "roll_voters?",
                  p.roll_eligible as "roll_eligible?", p.roll_under_age as "roll_under_age?",
                  p.roll_rights_revoked as "roll_rights_revoked?",
                  p.roll_released as "roll_released?",
                  p.roll_no_valid_nik as "roll_no_valid_nik?",
                  p.roll_unregistered as "roll_unregistered?",
                  p.roll_unregistered_detainees as "roll_unregistered_detainees?"
           from e
           left join province_figures p
                  on p.election_id = e.id and ($2::text is null or p.province_code = $2)
           left join regions r on r.code = p.province_code
           order by p.province_code"#,
        slug,
        province
    )
    .fetch_all(pool)
    .await?;
    let Some(first) = rows.first() else {
        return Ok(DashboardData {
            election: None,
            provinces: Vec::new(),
            stale: false,
        });
    };
    let (election, stale) = (first.election(), first.stale);
    Ok(DashboardData {
        election: Some(election),
        provinces: rows
            .into_iter()
            .filter_map(DashboardRow::province)
            .collect(),
        stale,
    })
}

/// Every change of a TPS's counts in the province (only `facility` when set), in order:
/// (when, TPS id, DPT + DPTb + DPK after the change).
pub async fn province_changes(
    pool: &PgPool,
    election_id: Option<i64>,
    province: &str,
    facility: Option<i64>,
) -> Result<Vec<(OffsetDateTime, i64, i64)>> {
    Ok(sqlx::query!(
        "select h.changed_at, h.station_id, h.dpt + h.dptb + h.dpk as \"total!\"
         from station_count_history h
         join stations s on s.id = h.station_id
         join facilities f on f.id = s.facility_id
         where s.election_id = $1 and f.province_code = $2 and ($3::bigint is null or f.id = $3)
         order by h.changed_at, h.id",
        election_id,
        province,
        facility
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|c| (c.changed_at, c.station_id, i64::from(c.total)))
    .collect())
}

/// What the facility page shows about the facility beyond its place.
pub struct FacilityDetails {
    pub facility_type: String,
    pub class: Option<String>,
    pub inmates: i32,
    pub illustrative: bool,
    pub kabkota: String,
}

/// A facility's page details looked up by code, 404 outside `user`'s scope.
pub struct FacilityInScope {
    pub code: String,
    pub name: String,
    pub facility_type: String,
    pub class: Option<String>,
    pub inmates: i32,
    pub illustrative: bool,
    pub province_code: String,
    pub province: String,
    pub kabkota: String,
}

pub async fn facility_in_scope(
    pool: &PgPool,
    user: &CurrentUser,
    code: &str,
) -> Result<FacilityInScope> {
    let f = sqlx::query!(
        r#"select f.id, f.code, f.name, f.facility_type, f.class, f.inmates, f.illustrative,
                  f.province_code, p.name as province, k.name as kabkota
           from facilities f
           join regions p on p.code = f.province_code
           join regions k on k.code = f.kabkota_code
           where f.code = $1"#,
        code
    )
    .fetch_optional(pool)
    .await?
    .filter(|f| user.sees_facility(f.id, &f.province_code))
    .ok_or(AppError::NotFound)?;
    Ok(FacilityInScope {
        code: f.code,
        name: f.name,
        facility_type: f.facility_type,
        class: f.class,
        inmates: f.inmates,
        illustrative: f.illustrative,
        province_code: f.province_code,
        province: f.province,
        kabkota: f.kabkota,
    })
}

pub async fn facility_details(pool: &PgPool, facility_id: i64) -> Result<FacilityDetails> {
    sqlx::query_as!(
        FacilityDetails,
        r#"select f.facility_type, f.class, f.inmates, f.illustrative, k.name as kabkota
           from facilities f join regions k on k.code = f.kabkota_code
           where f.id = $1"#,
        facility_id
    )
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)
}

/// A change of one TPS's counts: before (`None` for the first entry) and after.
pub struct CountChange {
    pub changed_at: OffsetDateTime,
    pub actor: String,
    pub tps_number: i32,
    pub before: Option<[i32; 3]>,
    pub after: [i32; 3],
}

/// The facility's last 50 count changes, newest first.
pub async fn count_history(
    pool: &PgPool,
    facility_id: i64,
    election_id: i64,
) -> Result<Vec<CountChange>> {
    Ok(sqlx::query!(
        "select h.changed_at, h.actor, s.tps_number, h.dpt_before, h.dptb_before, h.dpk_before,
                h.dpt, h.dptb, h.dpk
         from station_count_history h join stations s on s.id = h.station_id
         where s.facility_id = $1 and s.election_id = $2
         order by h.changed_at desc, h.id desc limit 50",
        facility_id,
        election_id
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|h| CountChange {
        changed_at: h.changed_at,
        actor: h.actor,
        tps_number: h.tps_number,
        before: match (h.dpt_before, h.dptb_before, h.dpk_before) {
            (Some(a), Some(b), Some(c)) => Some([a, b, c]),
            _ => None,
        },
        after: [h.dpt, h.dptb, h.dpk],
    })
    .collect())
}
