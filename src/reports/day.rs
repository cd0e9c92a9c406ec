//! The voting-day panel that leads the national, province and facility pages from the
//! election's voting day on: turnout (voted / with the vote), TPS reporting, TPS whose ballot
//! accounting does not balance, open incidents, and every open emergency at once. On voting
//! day itself the pages refresh every 60 seconds (a meta refresh: no script needed).
//!
//! After voting day the panel stays while anything was reported (an election held before
//! Loksus recorded its day shows the pages as before).

use sqlx::PgPool;
use time::Date;

use crate::domain::ballot_accounts::Balance;
use crate::domain::figures::Figures;
use crate::domain::format;
use crate::domain::turnout::{DayFigures, DayView, Phase};
use crate::http::error::Result;
use crate::read::day::{self, FacilityDay};
use crate::read::elections::Election;
use crate::read::summary::StationSummary;

/// A row of the panel's table: a province, a facility or a TPS.
pub struct DayRow {
    pub key: String,
    pub name: String,
    pub href: String,
    pub f: DayView,
}

/// An open emergency, linking to the facility's incident log.
pub struct EmergencyLine {
    pub facility: String,
    pub tps: String,
    pub description: String,
    pub when: String,
    pub href: String,
}

pub struct DayPanel {
    pub title: String,
    /// Voting day itself: the page refreshes every 60 s.
    pub refresh: bool,
    pub first_column: &'static str,
    pub row_attr: &'static str,
    pub total: DayView,
    pub rows: Vec<DayRow>,
    pub emergencies: Vec<EmergencyLine>,
}

/// Which part of the country a panel covers, and how its rows are grouped.
pub enum Level<'a> {
    /// One row per province of the dashboard (`provinces`: their figures), limited to the
    /// user's scope.
    National {
        provinces: &'a [(String, String, Figures)],
        province: Option<&'a str>,
        facility: Option<i64>,
    },
    /// One row per facility of the province (only `facility` for a registrar).
    Province {
        code: &'a str,
        facility: Option<i64>,
    },
}

/// The day's figures of `facilities` summed into one row per province, in code order.
fn by_province(facilities: &[FacilityDay]) -> Vec<(String, String, DayFigures)> {
    let mut out: Vec<(String, String, DayFigures)> = Vec::new();
    for f in facilities {
        match out.last_mut() {
            Some(last) if last.0 == f.province_code => last.2.add(&f.figures),
            _ => out.push((
                f.province_code.clone(),
                f.province_name.clone(),
                f.figures.clone(),
            )),
        }
    }
    out
}

/// The dashboard's provinces with the day's figures kept per province (a registrar's: their
/// facility's, counted from its TPS).
async fn national_rows(
    pool: &PgPool,
    election_id: i64,
    provinces: &[(String, String, Figures)],
    province: Option<&str>,
    facility: Option<i64>,
) -> Result<Vec<(String, String, DayFigures)>> {
    if facility.is_some() {
        let facilities = day::facilities(pool, election_id, province, facility).await?;
        return Ok(by_province(&facilities));
    }
    let mut kept = day::provinces(pool, election_id, province).await?;
    Ok(provinces
        .iter()
        .map(|(code, name, f)| {
            let d = kept.remove(code).unwrap_or_default();
            let day = DayFigures {
                facilities: f.facilities,
                stations: f.stations,
                with_vote: f.with_vote(),
                ..d
            };
            (code.clone(), name.clone(), day)
        })
        .collect())
}

fn emergency_lines(list: Vec<day::Emergency>, q: &str) -> Vec<EmergencyLine> {
    list.into_iter()
        .map(|e| EmergencyLine {
            href: format!("/fasilitas/{}/insiden{q}", e.facility_code),
            facility: e.facility_name,
            tps: e.tps_number.map(|n| format!("TPS {n}")).unwrap_or_default(),
            description: e.description,
            when: format::datetime(e.occurred_at),
        })
        .collect()
}

fn title(e: &Election, phase: Phase) -> String {
    match phase {
        Phase::VotingDay => format!("Hari pemungutan suara · {}", e.voting_day_text()),
        _ => format!("Hasil hari pemungutan suara {}", e.voting_day_text()),
    }
}

/// Whether the panel shows, given the day and the figures in scope.
fn shown(phase: Phase, total: &DayFigures) -> bool {
    phase == Phase::VotingDay || (phase == Phase::After && total.any_report())
}

/// The panel of the dashboard or a province page, with the summed figures (for the press
/// sentence), or `None` before voting day.
pub async fn panel(
    pool: &PgPool,
    e: &Election,
    today: Date,
    level: Level<'_>,
) -> Result<Option<(DayPanel, DayFigures)>> {
    let phase = Phase::of(e.voting_day, today);
    if phase == Phase::Before {
        return Ok(None);
    }
    let q = format!("?pemilihan={}", e.slug);
    let (province, facility) = match level {
        Level::National {
            province, facility, ..
        } => (province, facility),
        Level::Province { code, facility } => (Some(code), facility),
    };
    let (first_column, row_attr, rows) = match level {
        Level::National { provinces, .. } => {
            let rows = national_rows(pool, e.id, provinces, province, facility).await?;
            let rows = rows
                .into_iter()
                .map(|(code, name, f)| (format!("/provinsi/{code}{q}"), code, name, f))
                .collect::<Vec<_>>();
            ("Provinsi", "day-province", rows)
        }
        Level::Province { .. } => {
            let facilities = day::facilities(pool, e.id, province, facility).await?;
            let rows = facilities
                .into_iter()
                .map(|f| {
                    (
                        format!("/fasilitas/{}{q}", f.code),
                        f.code,
                        f.name,
                        f.figures,
                    )
                })
                .collect();
            ("Fasilitas", "day-facility", rows)
        }
    };
    let total = DayFigures::sum(rows.iter().map(|r| &r.3));
    if !shown(phase, &total) {
        return Ok(None);
    }
    let rows = rows
        .into_iter()
        .map(|(href, key, name, f)| DayRow {
            href,
            key,
            name,
            f: f.view(),
        })
        .collect();
    let emergencies = match total.incidents_open {
        0 => Vec::new(),
        _ => day::emergencies(pool, e.id, province, facility).await?,
    };
    let panel = DayPanel {
        title: title(e, phase),
        refresh: phase == Phase::VotingDay,
        first_column,
        row_attr,
        total: total.view(),
        rows,
        emergencies: emergency_lines(emergencies, &q),
    };
    Ok(Some((panel, total)))
}

/// The panel of a facility page: one row per TPS.
pub async fn facility_panel(
    pool: &PgPool,
    e: &Election,
    today: Date,
    facility_id: i64,
    stations: &[StationSummary],
) -> Result<Option<DayPanel>> {
    let phase = Phase::of(e.voting_day, today);
    if phase == Phase::Before {
        return Ok(None);
    }
    let ids: Vec<i64> = stations.iter().map(|s| s.id).collect();
    let days = day::station_days(pool, &ids).await?;
    let incidents = day::open_incidents_by_station(pool, e.id, facility_id).await?;
    let q = format!("?pemilihan={}", e.slug);
    let mut total = DayFigures {
        facilities: 1,
        incidents_open: incidents.values().sum(),
        ..DayFigures::default()
    };
    let mut rows = Vec::with_capacity(stations.len());
    for s in stations {
        let d = days.get(&s.id).cloned().unwrap_or_default();
        let turnout = d.turnout;
        let f = DayFigures {
            facilities: 0,
            stations: 1,
            with_vote: s.dpt + s.dptb + s.dpk,
            stations_reported: i64::from(turnout.is_some()),
            voted: turnout.map_or(0, |t| t.total()),
            men: turnout.map_or(0, |t| t.men),
            women: turnout.map_or(0, |t| t.women),
            stations_unbalanced: i64::from(d.balance == Balance::Unbalanced),
            incidents_open: incidents.get(&Some(s.id)).copied().unwrap_or(0),
        };
        total.add(&DayFigures {
            incidents_open: 0,
            ..f.clone()
        });
        rows.push(DayRow {
            key: s.tps_number.to_string(),
            name: format!("TPS {}", s.tps_number),
            href: format!(
                "/fasilitas/{}/tps/{}{q}#kehadiran",
                s.facility_code, s.tps_number
            ),
            f: f.view(),
        });
    }
    if !shown(phase, &total) {
        return Ok(None);
    }
    let emergencies = match total.incidents_open {
        0 => Vec::new(),
        _ => day::emergencies(pool, e.id, None, Some(facility_id)).await?,
    };
    Ok(Some(DayPanel {
        title: title(e, phase),
        refresh: phase == Phase::VotingDay,
        first_column: "TPS",
        row_attr: "day-tps",
        total: total.view(),
        rows,
        emergencies: emergency_lines(emergencies, &q),
    }))
}
