//! Deleting a TPS, saying where its voters go.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;

use super::TpsPath;
use super::queries;
use super::refusal::{FormResult, Refusal, settle};
use crate::db::audit::{self, Entry};
use crate::domain::access::Action;
use crate::domain::format;
use crate::http::AppState;
use crate::http::error::Result;
use crate::http::form::Form;
use crate::http::layout::Layout;
use crate::read::places::Place;
use crate::read::scope::AtFacility;
use crate::read::stations::station;
use crate::read::summary::StationSummary;

#[derive(Template)]
#[template(path = "stations/delete.html")]
struct DeletePage<'a> {
    layout: Layout,
    place: &'a Place,
    number: i32,
    version: i32,
    voters: i64,
    others: Vec<i32>,
    base: String,
    q: String,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    versi: String,
    /// Another TPS number, or `lepas` to release the voters.
    #[serde(default)]
    tujuan: String,
}

async fn delete_view(
    state: &AppState,
    at: &AtFacility,
    s: &StationSummary,
    error: Option<String>,
) -> Result<String> {
    let p = &at.place;
    Ok(DeletePage {
        layout: at.user.layout(),
        place: p,
        number: s.tps_number,
        version: s.version,
        voters: queries::voters_placed(&state.db, s.id).await?,
        others: queries::other_numbers(&state.db, p, s.id).await?,
        base: format!("/fasilitas/{}/tps/{}", p.facility_code, s.tps_number),
        q: format!("?pemilihan={}", p.election.slug),
        error,
    }
    .render()?)
}

pub async fn delete_page(
    State(state): State<AppState>,
    at: AtFacility,
    Path(tps): Path<TpsPath>,
) -> Result<Html<String>> {
    let (_, s) = station(&state, &at.place, &tps.number).await?;
    at.require_to(Action::WriteStations)?;
    Ok(Html(delete_view(&state, &at, &s, None).await?))
}

#[tracing::instrument(skip_all, fields(place = %at.place.facility_code, tps = %tps.number, user = %at.user.username))]
pub async fn delete(
    State(state): State<AppState>,
    at: AtFacility,
    Path(tps): Path<TpsPath>,
    Form(form): Form<DeleteForm>,
) -> Result<Response> {
    let (_, s) = station(&state, &at.place, &tps.number).await?;
    at.require_to(Action::WriteStations)?;
    match settle(remove(&state, &at, &s, &form).await)? {
        Ok(()) => Ok(Redirect::to(&at.url("")).into_response()),
        Err(r) => {
            let html = delete_view(&state, &at, &s, Some(r.message)).await?;
            Ok((r.status, Html(html)).into_response())
        }
    }
}

/// Deletes the TPS after moving or releasing its voters.
async fn remove(
    state: &AppState,
    at: &AtFacility,
    s: &StationSummary,
    form: &DeleteForm,
) -> FormResult<(), ()> {
    let p = &at.place;
    let mut tx = state.db.begin().await?;
    crate::db::audit::act_as(&mut tx, &at.user.actor()).await?;
    let locked = queries::lock_version(&mut tx, s.id).await?;
    if Some(locked) != form.versi.trim().parse().ok() {
        return Err(Refusal::stale(()).into());
    }
    let voters = queries::lock_voters(&mut tx, s.id).await?;
    let count = voters.len() as i64;
    let moved_to = match (count, VotersGo::parse(&form.tujuan)) {
        (0, _) => None,
        (_, VotersGo::Released) => {
            queries::release_voters(&mut tx, s.id).await?;
            Some("lepas".to_owned())
        }
        (_, VotersGo::To(to)) => {
            move_voters_to(&mut tx, p, s, s.roll_dpt, to).await?;
            Some(format!("TPS {to}"))
        }
        (_, VotersGo::Unchosen) => {
            let msg = format!(
                "TPS ini masih memuat {count} pemilih: pilih TPS tujuan mereka, atau lepaskan mereka untuk dialokasikan ulang."
            );
            return Err(Refusal::invalid(msg, ()).into());
        }
    };
    queries::delete_station(&mut tx, s.id).await?;
    audit::record(
        &mut tx,
        &at.user.actor(),
        Entry::new("station.delete")
            .object("station", s.id)
            .province(Some(p.province_code.clone()))
            .facility(Some(p.facility_id))
            .before(
                json!({ "tps_number": s.tps_number, "location_code": s.location_code,
                            "dpt": s.dpt, "dptb": s.dptb, "dpk": s.dpk, "voters": voters.len() }),
            )
            .after(json!({ "voters_moved_to": moved_to })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Where the voters of a deleted TPS go, as the form's `tujuan` says.
enum VotersGo {
    /// `lepas`: off any TPS, to be allocated again.
    Released,
    To(i32),
    Unchosen,
}

impl VotersGo {
    fn parse(tujuan: &str) -> VotersGo {
        match tujuan.trim() {
            "lepas" => VotersGo::Released,
            t => t.parse().map_or(VotersGo::Unchosen, VotersGo::To),
        }
    }
}

/// Moves the voters of `s` (`count` of them on the DPT) to TPS `to` of the place, within the
/// cap on DPT voters.
async fn move_voters_to(
    conn: &mut sqlx::PgConnection,
    p: &Place,
    s: &StationSummary,
    count: i64,
    to: i32,
) -> FormResult<(), ()> {
    let Some(dest) = queries::lock_destination(conn, p, to, Some(s.id)).await? else {
        let msg = format!("TPS {to} tidak ada di fasilitas ini.");
        return Err(Refusal::invalid(msg, ()).into());
    };
    if dest.dpt_voters + count > i64::from(dest.cap) {
        let msg = format!(
            "TPS {to} akan berisi {} pemilih DPT, di atas batas {} per TPS. Pilih TPS lain atau lepaskan pemilih untuk dialokasikan ulang.",
            format::number(dest.dpt_voters + count),
            format::number(dest.cap.into())
        );
        return Err(Refusal::invalid(msg, ()).into());
    }
    queries::move_all_voters(conn, s.id, dest.id).await?;
    Ok(())
}
