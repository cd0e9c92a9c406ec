//! The voters of one TPS with the ballots each receives, and the printable list KPPS uses
//! (A4, NIK masked except the last four digits, a signature column).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use sqlx::PgPool;

use super::ballots;
use super::summary::{self, Rules, StationSummary};
use super::tps::station;
use super::{Place, mask_nik, place};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::elections::ElectionQuery;
use crate::error::Result;
use crate::format;

pub struct VoterLine {
    pub id: i64,
    pub order: usize,
    pub name: String,
    pub nik: String,
    pub list: String,
    pub ballots: String,
    /// Whether the voter receives each of the election's ballot types, in order.
    pub marks: Vec<bool>,
    /// Some ballot could not be decided (a dapil or the home address is missing).
    pub uncertain: bool,
    pub manual: bool,
}

/// The eligible voters placed on `s`, by name, with their ballots.
pub async fn voters_on(pool: &PgPool, rules: &Rules, s: &StationSummary) -> Result<Vec<VoterLine>> {
    let rows = sqlx::query!(
        "select v.id, v.name, v.nik, v.list, v.home_region_code, v.home_from_nik, v.placed_manually
         from voters v join elections e on e.id = v.election_id
         where v.station_id = $1 and v.status = 'active'
           and cardinality(voter_reasons(v.birth_date, v.marital_status, v.rights_revoked,
                   v.release_date, v.nik, v.nik_flag, v.home_region_code,
                   e.voting_day, e.kind, e.region_code)) = 0
         order by v.name, v.id",
        s.id
    )
    .fetch_all(pool)
    .await?;
    let provinces: Vec<String> = s.location_code.iter().map(|l| l[..2].to_owned()).collect();
    let dapils = summary::dapils(
        &mut *pool.acquire().await?,
        rules.election_id,
        Some(&provinces),
    )
    .await?;
    Ok(rows
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            let home = v.home_region_code.as_deref().filter(|_| !v.home_from_nik);
            let e = ballots::entitlement(
                &rules.ballot_types,
                home,
                s.location_code.as_deref(),
                &dapils,
            );
            VoterLine {
                id: v.id,
                order: i + 1,
                name: v.name,
                nik: mask_nik(v.nik.as_deref()),
                list: v
                    .list
                    .map(|l| l.to_uppercase().replace("DPTB", "DPTb"))
                    .unwrap_or_default(),
                ballots: e
                    .ballots
                    .iter()
                    .map(|b| b.label())
                    .collect::<Vec<_>>()
                    .join(", "),
                marks: rules
                    .ballot_types
                    .iter()
                    .map(|t| e.ballots.contains(*t))
                    .collect(),
                uncertain: !e.uncertain.is_empty(),
                manual: v.placed_manually,
            }
        })
        .collect())
}

#[derive(Template)]
#[template(path = "stations/print.html")]
struct PrintPage {
    types: Vec<&'static str>,
    place: Place,
    s: StationSummary,
    voters: Vec<VoterLine>,
    voting_day: String,
    printed: String,
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((code, number)): Path<(String, String)>,
    Query(q): Query<ElectionQuery>,
) -> Result<Html<String>> {
    let p = place(&state, &user, &code, &q).await?;
    let (rules, s) = station(&state, &p, &number).await?;
    let voters = voters_on(&state.db, &rules, &s).await?;
    Ok(Html(
        PrintPage {
            types: rules.ballot_types.iter().map(|t| t.label()).collect(),
            voting_day: p.election.voting_day_text(),
            printed: format::datetime(time::OffsetDateTime::now_utc()),
            place: p,
            s,
            voters,
        }
        .render()?,
    ))
}
