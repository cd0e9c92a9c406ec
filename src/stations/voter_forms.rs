//! KPU's voter documents printed from the roll, A4 and ready for the browser's "save as
//! PDF": the C-Pemberitahuan notice for each voter placed on a TPS (six to a page, cut along
//! the dashed lines) and the Daftar Hadir (attendance list) of one list of the TPS (DPT,
//! DPTb or DPK) with a signature column and the men/women counts at its foot, which the
//! C-Hasil form needs. NIKs are always masked: these papers leave the office.
//!
//! Voters come from [`placed_on`] (eligible voters placed on the TPS, by name); a voter on
//! no list yet gets neither document. Hours are local: 07.00–13.00, DPK from 12.00, in the
//! zone of the facility's province.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use serde::Deserialize;

use super::TpsPath;
use crate::domain::format;
use crate::domain::local_time::{Zone, voting_hours_text};
use crate::domain::privacy::mask_nik;
use crate::domain::voter::{Sex, VoterList};
use crate::http::AppState;
use crate::http::error::{AppError, Result};
use crate::read::places::Place;
use crate::read::scope::AtFacility;
use crate::read::stations::{PlacedVoter, placed_on, station};
use crate::read::summary::StationSummary;

/// Notices on one A4 sheet (two columns, three rows).
const NOTICES_PER_SHEET: usize = 6;

/// A voter of one list, as both documents print them.
pub struct ListedVoter {
    /// The voter's number on the list's attendance list (by name, from 1).
    pub order: usize,
    pub name: String,
    pub nik: String,
    pub list: VoterList,
    pub sex: Sex,
}

/// The voters of `list` among `placed`, numbered as on its attendance list.
fn of_list(placed: &[PlacedVoter], list: VoterList) -> Vec<ListedVoter> {
    placed
        .iter()
        .filter(|v| v.list == Some(list))
        .enumerate()
        .map(|(i, v)| ListedVoter {
            order: i + 1,
            name: v.name.clone(),
            nik: v.nik.as_deref().map_or_else(|| "—".to_owned(), mask_nik),
            list,
            sex: v.sex,
        })
        .collect()
}

/// What the heading of both documents names.
struct Heading {
    place: Place,
    s: StationSummary,
    voting_day: String,
    zone: Option<Zone>,
    printed: String,
}

async fn load(state: &AppState, p: Place, tps: &TpsPath) -> Result<(Heading, Vec<PlacedVoter>)> {
    let (rules, s) = station(state, &p, &tps.number).await?;
    let placed = placed_on(&state.db, &rules, &s).await?;
    let zone = Zone::of_province(&p.province_code);
    let now = time::OffsetDateTime::now_utc();
    let heading = Heading {
        voting_day: format::long_date(p.election.voting_day),
        printed: zone.map_or_else(|| format::datetime(now), |z| z.datetime(now)),
        zone,
        place: p,
        s,
    };
    Ok((heading, placed))
}

pub struct Notice {
    pub voter: ListedVoter,
    pub list_name: &'static str,
    pub hours: String,
    /// A DPK voter: votes in the last hour, while ballots remain.
    pub last_hour: bool,
}

#[derive(Template)]
#[template(path = "stations/notices.html")]
struct NoticesPage {
    h: Heading,
    sheets: Vec<Vec<Notice>>,
    count: usize,
    unlisted: usize,
}

/// `/fasilitas/{code}/tps/{number}/pemberitahuan`: one notice per voter, DPT first, then
/// DPTb and DPK, by name within each list.
pub async fn notices(
    State(state): State<AppState>,
    AtFacility { place, .. }: AtFacility,
    Path(tps): Path<TpsPath>,
) -> Result<Html<String>> {
    let (h, placed) = load(&state, place, &tps).await?;
    let notices: Vec<Notice> = VoterList::ALL
        .into_iter()
        .flat_map(|list| of_list(&placed, list))
        .map(|voter| Notice {
            list_name: list_name(voter.list),
            hours: voting_hours_text(voter.list, h.zone),
            last_hour: voter.list == VoterList::Dpk,
            voter,
        })
        .collect();
    let count = notices.len();
    let mut sheets: Vec<Vec<Notice>> = Vec::new();
    for n in notices {
        match sheets.last_mut() {
            Some(sheet) if sheet.len() < NOTICES_PER_SHEET => sheet.push(n),
            _ => sheets.push(vec![n]),
        }
    }
    Ok(Html(
        NoticesPage {
            unlisted: placed.len() - count,
            h,
            sheets,
            count,
        }
        .render()?,
    ))
}

/// The `{number}` and `{list}` of an attendance list's route.
#[derive(Deserialize)]
pub struct AttendancePath {
    number: String,
    list: String,
}

#[derive(Template)]
#[template(path = "stations/attendance.html")]
struct AttendancePage {
    h: Heading,
    list: VoterList,
    list_name: &'static str,
    official: i64,
    hours: String,
    voters: Vec<ListedVoter>,
    men: usize,
    women: usize,
}

/// `/fasilitas/{code}/tps/{number}/daftar-hadir/{dpt|dptb|dpk}`: the attendance list of one
/// list; any other list is a 404.
pub async fn attendance(
    State(state): State<AppState>,
    AtFacility { place, .. }: AtFacility,
    Path(path): Path<AttendancePath>,
) -> Result<Html<String>> {
    let list = VoterList::ALL
        .into_iter()
        .find(|l| l.as_str() == path.list)
        .ok_or(AppError::NotFound)?;
    let tps = TpsPath {
        number: path.number,
    };
    let (h, placed) = load(&state, place, &tps).await?;
    let voters = of_list(&placed, list);
    let men = voters.iter().filter(|v| v.sex == Sex::Male).count();
    Ok(Html(
        AttendancePage {
            official: match list {
                VoterList::Dpt => h.s.dpt,
                VoterList::Dptb => h.s.dptb,
                VoterList::Dpk => h.s.dpk,
            },
            hours: voting_hours_text(list, h.zone),
            h,
            list,
            list_name: list_name(list),
            women: voters.len() - men,
            men,
            voters,
        }
        .render()?,
    ))
}

/// The list's full name as KPU's forms write it.
fn list_name(list: VoterList) -> &'static str {
    match list {
        VoterList::Dpt => "Daftar Pemilih Tetap",
        VoterList::Dptb => "Daftar Pemilih Tambahan",
        VoterList::Dpk => "Daftar Pemilih Khusus",
    }
}
