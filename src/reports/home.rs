//! The home page's part of `/`: what the signed-in user must do now, in their scope and for
//! the selected election. A registrar sees their facility's roll and its worklists; kanwil
//! staff their province's rolls, TPS, ballots and incidents; a KPU liaison the differences
//! with KPU's lists, ballots and readiness; an admin the national picture and the
//! administration pages. The dashboard's figures follow below it.

use time::{Date, OffsetDateTime};

use super::countdown::Dates;
use super::tasks::{self, Task, Urls};
use crate::domain::access::{Role, Scope};
use crate::domain::format::{self, number};
use crate::http::AppState;
use crate::http::error::Result;
use crate::http::session::CurrentUser;
use crate::read::elections::Election;
use crate::read::figures;
use crate::read::summary::{self, Filter, Rules, StationSummary};
use crate::read::tasks as read;

pub struct Home {
    /// A registrar's facility roll.
    pub roll: Option<RollView>,
    pub tasks: Vec<Task>,
    /// Links to the administration pages (admins).
    pub admin: bool,
}

/// A facility's roll as the registrar's home shows it.
pub struct RollView {
    pub facility: String,
    pub href: String,
    pub import_href: String,
    pub last_import: String,
    pub last_change: String,
    pub active: String,
    pub eligible: String,
    pub dpt: String,
    pub dptb: String,
    pub dpk: String,
}

impl RollView {
    fn new(r: &read::RollStatus, u: &Urls) -> RollView {
        let when =
            |t: Option<OffsetDateTime>, none: &str| t.map_or(none.to_owned(), format::datetime);
        RollView {
            facility: r.name.clone(),
            href: u.facility(&r.code, "/daftar"),
            import_href: u.facility(&r.code, "/daftar/impor"),
            last_import: when(r.last_import, "belum pernah lewat Loksus"),
            last_change: when(r.last_change, "belum ada daftar"),
            active: number(r.active),
            eligible: number(r.eligible),
            dpt: number(r.dpt),
            dptb: number(r.dptb),
            dpk: number(r.dpk),
        }
    }
}

/// The home page of `user` for `election`.
pub async fn home(
    state: &AppState,
    user: &CurrentUser,
    election: &Election,
    dates: &Dates,
    today: Date,
) -> Result<Home> {
    let u = Urls {
        slug: &election.slug,
    };
    let mut home = Home {
        roll: None,
        tasks: Vec::new(),
        admin: user.role == Role::Admin,
    };
    match (&user.scope, user.role) {
        (Scope::Facility { id, .. }, _) => {
            let roll = read::roll_status(&state.db, election.id, *id).await?;
            let stations = stations(
                state,
                election,
                Filter {
                    facility: Some(*id),
                    ..Filter::default()
                },
            )
            .await?;
            home.tasks = tasks::registrar(&roll, &stations, dates, today, &u);
            home.roll = Some(RollView::new(&roll, &u));
        }
        (scope, Role::Kpu) => home.tasks = kpu(state, election, scope, &u).await?,
        (Scope::Province(p), _) => home.tasks = kanwil(state, election, p, today, &u).await?,
        (Scope::National, _) => home.tasks = national(state, election, today, &u).await?,
    }
    Ok(home)
}

async fn stations(
    state: &AppState,
    election: &Election,
    filter: Filter<'_>,
) -> Result<Vec<StationSummary>> {
    let mut conn = state.db.acquire().await?;
    let rules = Rules::load(&mut conn, election.id).await?;
    summary::load(&mut conn, &rules, filter).await
}

/// A province's TPS: each readiness item not siap, and the TPS short of ballots.
async fn province_stations(
    state: &AppState,
    election: &Election,
    p: &str,
    u: &Urls<'_>,
) -> Result<Vec<Task>> {
    let stations = stations(
        state,
        election,
        Filter {
            province: Some(p),
            ..Filter::default()
        },
    )
    .await?;
    let matrix = u.province(p, "/kesiapan");
    let mut out = tasks::station_items(&stations, u, matrix.clone(), false);
    out.extend(tasks::shortages(&stations, u, matrix, false));
    Ok(out)
}

async fn kanwil(
    state: &AppState,
    election: &Election,
    p: &str,
    today: Date,
    u: &Urls<'_>,
) -> Result<Vec<Task>> {
    let facilities = figures::facilities(&state.db, Some(election.id), Some(p), None).await?;
    let ages = read::roll_ages(&state.db, election.id, p).await?;
    let mut out = tasks::rolls(&facilities, Some(&ages), today, u, &u.province(p, ""));
    out.extend(province_stations(state, election, p, u).await?);
    let open = read::open_incidents(&state.db, election.id, Some(p)).await?;
    out.extend(tasks::incidents(&open, u, u.province(p, "/insiden")));
    Ok(out)
}

async fn kpu(
    state: &AppState,
    election: &Election,
    scope: &Scope,
    u: &Urls<'_>,
) -> Result<Vec<Task>> {
    let province = match scope {
        Scope::Province(p) => Some(p.as_str()),
        _ => None,
    };
    let rows = read::reconciliations(&state.db, election.id, province).await?;
    let mut out = tasks::reconciliation(&rows, u, String::new());
    match province {
        Some(p) => out.extend(province_stations(state, election, p, u).await?),
        None => {
            let facilities = figures::facilities(&state.db, Some(election.id), None, None).await?;
            out.extend(tasks::provinces(&facilities, u));
        }
    }
    Ok(out)
}

/// Nationally, from the facilities' figures: rolls missing or far from the official counts,
/// TPS not ready and short of ballots per province, incidents not closed.
async fn national(
    state: &AppState,
    election: &Election,
    today: Date,
    u: &Urls<'_>,
) -> Result<Vec<Task>> {
    let facilities = figures::facilities(&state.db, Some(election.id), None, None).await?;
    let mut out = tasks::rolls(&facilities, None, today, u, "");
    out.extend(tasks::provinces(&facilities, u));
    let open = read::open_incidents(&state.db, election.id, None).await?;
    out.extend(tasks::incidents(&open, u, String::new()));
    Ok(out)
}
