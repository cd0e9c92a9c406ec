//! Creating a TPS and editing its number, location and name.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;
use sqlx::PgConnection;

use super::queries::{self, Counts, Details};
use super::refusal::{FormResult, Refusal, Typed, is_unique_violation, settle};
use super::{TpsPath, parse_count, parse_location, tps};
use crate::db::audit::{self, Entry};
use crate::domain::access::Action;
use crate::http::AppState;
use crate::http::error::Result;
use crate::http::form::Form;
use crate::http::layout::Layout;
use crate::read::places::Place;
use crate::read::regions;
use crate::read::scope::AtFacility;
use crate::read::stations::station;
use crate::read::summary::StationSummary;

#[derive(Template)]
#[template(path = "stations/new.html")]
struct NewPage<'a> {
    layout: Layout,
    place: &'a Place,
    form: &'a NewForm,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct NewForm {
    #[serde(default)]
    nomor: String,
    #[serde(default)]
    lokasi: String,
    #[serde(default)]
    nama: String,
    #[serde(default)]
    dpt: String,
    #[serde(default)]
    dptb: String,
    #[serde(default)]
    dpk: String,
}

/// The TPS details form of the TPS page.
#[derive(Deserialize)]
pub struct DetailsForm {
    #[serde(default)]
    versi: String,
    #[serde(default)]
    nomor: String,
    #[serde(default)]
    lokasi: String,
    #[serde(default)]
    nama: String,
}

impl DetailsForm {
    /// The fields the user filled in, labelled, for a refused form.
    fn typed(&self) -> Typed {
        [
            ("Nomor TPS", &self.nomor),
            ("Lokasi", &self.lokasi),
            ("Nama", &self.nama),
        ]
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(l, v)| (l.to_owned(), v.clone()))
        .collect()
    }
}

fn show_new(at: &AtFacility, form: &NewForm, error: Option<String>) -> Result<String> {
    Ok(NewPage {
        layout: at.user.layout(),
        place: &at.place,
        form,
        error,
    }
    .render()?)
}

pub async fn new_page(State(state): State<AppState>, at: AtFacility) -> Result<Html<String>> {
    at.require_to(Action::WriteStations)?;
    let next = queries::next_number(&state.db, &at.place).await?;
    let form = NewForm {
        nomor: next.to_string(),
        dpt: "0".into(),
        dptb: "0".into(),
        dpk: "0".into(),
        ..NewForm::default()
    };
    Ok(Html(show_new(&at, &form, None)?))
}

/// Number, location (a desa of the facility's kab/kota that the region reference holds) and
/// name as typed, checked.
async fn checked_details(
    conn: &mut PgConnection,
    p: &Place,
    nomor: &str,
    lokasi: &str,
    nama: &str,
) -> Result<Result<Details, String>> {
    let d = match details(p, nomor, lokasi, nama) {
        Ok(d) => d,
        Err(msg) => return Ok(Err(msg)),
    };
    if let Some(location) = &d.location
        && let Err(msg) = regions::check(conn, location).await?
    {
        return Ok(Err(msg));
    }
    Ok(Ok(d))
}

/// Number, location (a desa code of the facility's kab/kota) and name as typed, checked.
fn details(p: &Place, nomor: &str, lokasi: &str, nama: &str) -> Result<Details, String> {
    let number: i32 = nomor
        .trim()
        .parse()
        .ok()
        .filter(|n| (1..=9999).contains(n))
        .ok_or("Nomor TPS harus bilangan bulat 1–9999.")?;
    let location = if lokasi.trim().is_empty() {
        None
    } else {
        let code = parse_location(lokasi)
            .ok_or("Lokasi TPS harus kode desa/kelurahan Kemendagri, misalnya 16.73.01.1001.")?;
        if !code.starts_with(&format!("{}.", p.kabkota_code)) {
            return Err(format!(
                "Lokasi TPS harus di kab/kota fasilitas ini (kode {}.xx.xxxx).",
                p.kabkota_code
            ));
        }
        Some(code)
    };
    let name = nama.trim();
    if name.chars().count() > 120 {
        return Err("Nama TPS paling banyak 120 karakter.".into());
    }
    Ok(Details {
        number,
        location,
        name: (!name.is_empty()).then(|| name.to_owned()),
    })
}

fn counts(form: &NewForm) -> Result<Counts, String> {
    let count = |v: &str, what: &str| {
        parse_count(v).ok_or(format!("{what} harus bilangan bulat 0–100.000."))
    };
    Ok((
        count(&form.dpt, "DPT")?,
        count(&form.dptb, "DPTb")?,
        count(&form.dpk, "DPK")?,
    ))
}

#[tracing::instrument(skip_all, fields(place = %at.place.facility_code, user = %at.user.username))]
pub async fn create(
    State(state): State<AppState>,
    at: AtFacility,
    Form(form): Form<NewForm>,
) -> Result<Response> {
    at.require_to(Action::WriteStations)?;
    match settle(insert(&state, &at, &form).await)? {
        Ok(number) => Ok(Redirect::to(&at.url(&format!("/tps/{number}"))).into_response()),
        Err(r) => Ok((r.status, Html(show_new(&at, &form, Some(r.message))?)).into_response()),
    }
}

/// Inserts the TPS; returns its number.
async fn insert(state: &AppState, at: &AtFacility, form: &NewForm) -> FormResult<i32, ()> {
    let p = &at.place;
    let mut tx = state.db.begin().await?;
    let checked = checked_details(&mut tx, p, &form.nomor, &form.lokasi, &form.nama)
        .await?
        .and_then(|d| Ok((d, counts(form)?)));
    let (d, (dpt, dptb, dpk)) = checked.map_err(|msg| Refusal::invalid(msg, ()))?;
    crate::db::audit::act_as(&mut tx, &at.user.actor()).await?;
    let id = match queries::insert_station(&mut tx, p, &d, (dpt, dptb, dpk)).await {
        Err(e) if is_unique_violation(&e) => {
            let msg = format!("TPS {} sudah ada di fasilitas ini.", d.number);
            return Err(Refusal::invalid(msg, ()).into());
        }
        inserted => inserted?,
    };
    audit::record(
        &mut tx,
        &at.user.actor(),
        Entry::new("station.create")
            .object("station", id)
            .province(Some(p.province_code.clone()))
            .facility(Some(p.facility_id))
            .after(json!({ "election": p.election.slug, "tps_number": d.number,
                           "location_code": d.location, "name": d.name,
                           "dpt": dpt, "dptb": dptb, "dpk": dpk })),
    )
    .await?;
    tx.commit().await?;
    Ok(d.number)
}

#[tracing::instrument(skip_all, fields(place = %at.place.facility_code, tps = %tps.number, user = %at.user.username))]
pub async fn update(
    State(state): State<AppState>,
    at: AtFacility,
    Path(tps): Path<TpsPath>,
    Form(form): Form<DetailsForm>,
) -> Result<Response> {
    let (_, s) = station(&state, &at.place, &tps.number).await?;
    at.require_to(Action::WriteStations)?;
    let outcome = change_details(&state, &at, &s, &form).await;
    tps::answer(&state, &at, &tps.number, outcome).await
}

/// Saves the details if the TPS is still as the form saw it; returns where to go next.
async fn change_details(
    state: &AppState,
    at: &AtFacility,
    s: &StationSummary,
    form: &DetailsForm,
) -> FormResult<String> {
    let p = &at.place;
    let mut tx = state.db.begin().await?;
    let d = checked_details(&mut tx, p, &form.nomor, &form.lokasi, &form.nama)
        .await?
        .map_err(|msg| Refusal::invalid(msg, form.typed()))?;
    crate::db::audit::act_as(&mut tx, &at.user.actor()).await?;
    let version = form.versi.trim().parse().ok();
    match queries::update_details(&mut tx, s.id, version, &d).await {
        Ok(true) => {}
        Ok(false) => return Err(Refusal::stale(form.typed()).into()),
        Err(e) if is_unique_violation(&e) => {
            let msg = format!("TPS {} sudah ada di fasilitas ini.", d.number);
            return Err(Refusal::invalid(msg, form.typed()).into());
        }
        Err(e) => return Err(e.into()),
    }
    audit::record(
        &mut tx,
        &at.user.actor(),
        Entry::new("station.update")
            .object("station", s.id)
            .province(Some(p.province_code.clone()))
            .facility(Some(p.facility_id))
            .before(json!({ "tps_number": s.tps_number, "location_code": s.location_code, "name": s.name }))
            .after(json!({ "tps_number": d.number, "location_code": d.location, "name": d.name })),
    )
    .await?;
    tx.commit().await?;
    Ok(format!("/tps/{}", d.number))
}
