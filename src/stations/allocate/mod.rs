//! Running the allocation for a facility, and moving one voter by hand.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;
use sqlx::PgConnection;

mod queries;

use self::queries::RollVoter;
use super::TpsPath;
use super::queries as tps_queries;
use crate::db::audit::{self, Actor, Entry};
use crate::domain::access::Action;
use crate::domain::allocation::{self, Station, Voter};
use crate::domain::format;
use crate::http::AppState;
use crate::http::error::{AppError, Result};
use crate::http::form::Form;
use crate::read::places::Place;
use crate::read::scope::AtFacility;
use crate::read::stations::station;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    pub eligible: usize,
    pub moved: usize,
    pub unplaced: usize,
    pub missing_stations: usize,
    /// DPT voters whose KPU TPS number is not a TPS of this facility (placed by the rule).
    pub kpu_tps_elsewhere: usize,
}

/// The TPS of the place with the voters on them now, in the order they keep their place.
fn current(stations: &[i64], voters: &[RollVoter]) -> Vec<Station> {
    let mut on: HashMap<i64, Vec<i64>> = stations.iter().map(|id| (*id, Vec::new())).collect();
    for v in voters {
        if let Some(s) = v.station_id.and_then(|s| on.get_mut(&s)) {
            s.push(v.id);
        }
    }
    stations
        .iter()
        .map(|id| Station {
            id: *id,
            voters: on.remove(id).unwrap_or_default(),
        })
        .collect()
}

/// Places the eligible voters of a facility's roll on its TPS, in one transaction: load,
/// the pure rule ([`allocation::allocate`]), write.
#[tracing::instrument(skip_all, fields(place = %p.facility_code, election = %p.election.slug, user = %actor.name))]
pub async fn allocate(conn: &mut PgConnection, actor: &Actor, p: &Place) -> Result<Outcome> {
    let cap = queries::voters_cap(conn, p.election.id).await?;
    // Locks the TPS (and so the allocation) of this facility against a concurrent run.
    let locked = queries::lock_stations(conn, p).await?;
    let by_number: HashMap<i32, i64> = locked.iter().map(|s| (s.tps_number, s.id)).collect();
    let stations: Vec<i64> = locked.iter().map(|s| s.id).collect();
    let voters = queries::roll(conn, p).await?;
    let eligible: Vec<Voter> = voters
        .iter()
        .filter(|v| v.eligible)
        .map(|v| Voter {
            id: v.id,
            dpt: v.dpt,
            kpu_station: v.kpu_tps.and_then(|n| by_number.get(&n).copied()),
        })
        .collect();
    let kpu_tps_elsewhere = voters
        .iter()
        .filter(|v| v.eligible && v.dpt)
        .filter(|v| v.kpu_tps.is_some_and(|n| !by_number.contains_key(&n)))
        .count();
    let dpt = eligible.iter().filter(|v| v.dpt).count();
    let cap = usize::try_from(cap).unwrap_or(1);
    let a = allocation::allocate(&current(&stations, &voters), &eligible, cap);
    queries::apply(conn, &a.moves).await?;
    let outcome = Outcome {
        eligible: eligible.len(),
        moved: a.moves.len(),
        unplaced: a.unplaced,
        missing_stations: allocation::missing_stations(dpt, stations.len(), cap),
        kpu_tps_elsewhere,
    };
    audit::record(
        conn,
        actor,
        Entry::new("station.allocate")
            .object("facility", &p.facility_code)
            .province(Some(p.province_code.clone()))
            .facility(Some(p.facility_id))
            .after(
                json!({ "election": p.election.slug, "eligible": outcome.eligible,
                           "moved": outcome.moved, "unplaced": outcome.unplaced,
                           "missing_stations": outcome.missing_stations,
                           "kpu_tps_elsewhere": outcome.kpu_tps_elsewhere }),
            ),
    )
    .await?;
    Ok(outcome)
}

#[tracing::instrument(skip_all, fields(place = %at.place.facility_code, user = %at.user.username))]
pub async fn run(State(state): State<AppState>, at: AtFacility) -> Result<Response> {
    at.require_to(Action::WriteStations)?;
    let mut tx = state.db.begin().await?;
    let o = allocate(&mut tx, &at.user.actor(), &at.place).await?;
    tx.commit().await?;
    let p = &at.place;
    let target = format!(
        "/fasilitas/{}?pemilihan={}&dialokasikan={}&berpindah={}&tanpa_tps={}#tps",
        p.facility_code, p.election.slug, o.eligible, o.moved, o.unplaced
    );
    Ok(Redirect::to(&target).into_response())
}

#[derive(Deserialize)]
pub struct MoveForm {
    /// The voter's id.
    pemilih: Option<String>,
    /// The TPS number to move to.
    tujuan: Option<String>,
}

/// Moves one voter of this TPS to another TPS of the facility (refused above the cap).
#[tracing::instrument(skip_all, fields(place = %at.place.facility_code, tps = %tps.number, user = %at.user.username))]
pub async fn move_voter(
    State(state): State<AppState>,
    at: AtFacility,
    Path(tps): Path<TpsPath>,
    Form(form): Form<MoveForm>,
) -> Result<Response> {
    let (_, s) = station(&state, &at.place, &tps.number).await?;
    at.require_to(Action::WriteStations)?;
    let p = &at.place;
    let voter: i64 = form
        .pemilih
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| AppError::BadRequest("Pemilih tidak dikenal.".into()))?;
    let to: i32 = form
        .tujuan
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| AppError::BadRequest("Pilih TPS tujuan.".into()))?;
    let mut tx = state.db.begin().await?;
    let dest = tps_queries::lock_destination(&mut tx, p, to, None)
        .await?
        .ok_or_else(|| AppError::BadRequest(format!("TPS {to} tidak ada di fasilitas ini.")))?;
    let (dpt, kpu_tps) = tps_queries::dpt_assignment(&mut tx, voter).await?;
    if dpt && kpu_tps == Some(s.tps_number) {
        return Err(AppError::BadRequest(format!(
            "Pemilih DPT ini ditetapkan KPU di TPS {}: tidak dapat dipindahkan.",
            s.tps_number
        )));
    }
    if dpt && dest.dpt_voters >= i64::from(dest.cap) {
        return Err(AppError::BadRequest(format!(
            "TPS {to} sudah penuh ({} pemilih DPT, batas {} per TPS).",
            format::number(dest.dpt_voters),
            format::number(dest.cap.into())
        )));
    }
    if !tps_queries::move_voter(&mut tx, voter, s.id, dest.id).await? {
        return Err(AppError::BadRequest(
            "Pemilih ini tidak (lagi) terdaftar di TPS ini; muat ulang halaman.".into(),
        ));
    }
    audit::record(
        &mut tx,
        &at.user.actor(),
        Entry::new("voter.move")
            .object("voter", voter)
            .province(Some(p.province_code.clone()))
            .facility(Some(p.facility_id))
            .before(json!({ "tps_number": s.tps_number }))
            .after(json!({ "tps_number": to })),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&at.url(&format!("/tps/{}#pemilih", s.tps_number))).into_response())
}
