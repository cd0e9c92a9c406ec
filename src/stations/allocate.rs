//! Running the allocation for a facility, and moving one voter by hand.

use std::collections::HashMap;

use crate::http::form::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;
use sqlx::PgConnection;

use super::require_writer;
use super::tps::{tps_url, writable};
use crate::db::audit::{self, Actor, Entry};
use crate::domain::allocation::{self, Station};
use crate::domain::format;
use crate::http::AppState;
use crate::http::error::{AppError, Result};
use crate::http::session::CurrentUser;
use crate::read::elections::ElectionQuery;
use crate::read::places::{Place, place};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    pub eligible: usize,
    pub moved: usize,
    pub unplaced: usize,
    pub missing_stations: usize,
}

/// Places the eligible voters of a facility's roll on its TPS, in one transaction.
pub async fn allocate(conn: &mut PgConnection, actor: &Actor, p: &Place) -> Result<Outcome> {
    let cap = sqlx::query_scalar!(
        "select max_voters_per_tps from elections where id = $1",
        p.election.id
    )
    .fetch_one(&mut *conn)
    .await?;
    // Locks the TPS (and so the allocation) of this facility against a concurrent run.
    let stations = sqlx::query_scalar!(
        "select id from stations where election_id = $1 and facility_id = $2
         order by tps_number for update",
        p.election.id,
        p.facility_id
    )
    .fetch_all(&mut *conn)
    .await?;
    let voters = sqlx::query!(
        r#"select v.id, v.station_id,
                  cardinality(voter_reasons(v.birth_date, v.marital_status, v.rights_revoked,
                      v.release_date, v.nik, v.nik_flag, v.home_region_code,
                      e.voting_day, e.kind, e.region_code)) = 0 as "eligible!"
           from voters v join elections e on e.id = v.election_id
           where v.election_id = $1 and v.facility_id = $2 and v.status = 'active'
           order by v.placed_manually desc, v.name, v.id"#,
        p.election.id,
        p.facility_id
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut on: HashMap<i64, Vec<i64>> = stations.iter().map(|id| (*id, Vec::new())).collect();
    for v in &voters {
        if let Some(s) = v.station_id.and_then(|s| on.get_mut(&s)) {
            s.push(v.id);
        }
    }
    let current: Vec<Station> = stations
        .iter()
        .map(|id| Station {
            id: *id,
            voters: on.remove(id).unwrap_or_default(),
        })
        .collect();
    let eligible: Vec<i64> = voters.iter().filter(|v| v.eligible).map(|v| v.id).collect();
    let cap = usize::try_from(cap).unwrap_or(1);
    let a = allocation::allocate(&current, &eligible, cap);
    let (ids, targets): (Vec<i64>, Vec<Option<i64>>) = a.moves.iter().copied().unzip();
    sqlx::query!(
        "update voters v set station_id = m.station_id,
                placed_manually = v.placed_manually and m.station_id is not null
         from unnest($1::bigint[], $2::bigint[]) as m (id, station_id)
         where v.id = m.id",
        &ids,
        &targets as &[Option<i64>]
    )
    .execute(&mut *conn)
    .await?;
    let outcome = Outcome {
        eligible: eligible.len(),
        moved: a.moves.len(),
        unplaced: a.unplaced,
        missing_stations: allocation::missing_stations(eligible.len(), stations.len(), cap),
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
                           "missing_stations": outcome.missing_stations }),
            ),
    )
    .await?;
    Ok(outcome)
}

pub async fn run(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(code): Path<String>,
    Query(q): Query<ElectionQuery>,
) -> Result<Response> {
    let p = place(&state, &user, &code, &q).await?;
    require_writer(&user)?;
    let mut tx = state.db.begin().await?;
    let o = allocate(&mut tx, &user.actor(), &p).await?;
    tx.commit().await?;
    let target = format!(
        "/fasilitas/{}?pemilihan={}&dialokasikan={}&berpindah={}&tanpa_tps={}#tps",
        p.facility_code, p.election.slug, o.eligible, o.moved, o.unplaced
    );
    Ok(Redirect::to(&target).into_response())
}

/// Moves one voter of this TPS to another TPS of the facility (refused above the cap).
pub async fn move_voter(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((code, number)): Path<(String, String)>,
    Query(q): Query<ElectionQuery>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response> {
    let (p, s) = writable(&state, &user, &code, &number, &q).await?;
    let voter: i64 = form
        .get("pemilih")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| AppError::BadRequest("Pemilih tidak dikenal.".into()))?;
    let to: i32 = form
        .get("tujuan")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| AppError::BadRequest("Pilih TPS tujuan.".into()))?;
    let mut tx = state.db.begin().await?;
    let dest = sqlx::query!(
        r#"select s.id, e.max_voters_per_tps,
                  (select count(*) from voters v where v.station_id = s.id) as "n!"
           from stations s join elections e on e.id = s.election_id
           where s.election_id = $1 and s.facility_id = $2 and s.tps_number = $3
           for update of s"#,
        p.election.id,
        p.facility_id,
        to
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| AppError::BadRequest(format!("TPS {to} tidak ada di fasilitas ini.")))?;
    if dest.n >= i64::from(dest.max_voters_per_tps) {
        return Err(AppError::BadRequest(format!(
            "TPS {to} sudah penuh ({} pemilih, batas {} per TPS).",
            format::number(dest.n),
            format::number(dest.max_voters_per_tps.into())
        )));
    }
    let moved = sqlx::query!(
        "update voters set station_id = $3, placed_manually = true
         where id = $1 and station_id = $2",
        voter,
        s.id,
        dest.id
    )
    .execute(&mut *tx)
    .await?;
    if moved.rows_affected() != 1 {
        return Err(AppError::BadRequest(
            "Pemilih ini tidak (lagi) terdaftar di TPS ini; muat ulang halaman.".into(),
        ));
    }
    audit::record(
        &mut tx,
        &user.actor(),
        Entry::new("voter.move")
            .object("voter", voter)
            .province(Some(p.province_code.clone()))
            .facility(Some(p.facility_id))
            .before(json!({ "tps_number": s.tps_number }))
            .after(json!({ "tps_number": to })),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("{}#pemilih", tps_url(&p, s.tps_number))).into_response())
}
