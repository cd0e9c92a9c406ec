//! Creating a TPS and editing its number, location and name.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;

use super::tps::{
    is_unique_violation, refused, stale_message, tps_url, typed, version_of, writable,
};
use super::{act_as, parse_count, parse_location, require_writer};
use crate::db::audit::{self, Entry};
use crate::http::AppState;
use crate::http::error::Result;
use crate::http::form::Form;
use crate::http::layout::Layout;
use crate::http::session::CurrentUser;
use crate::read::elections::ElectionQuery;
use crate::read::places::{Place, place};

#[derive(Template)]
#[template(path = "stations/new.html")]
struct NewPage {
    layout: Layout,
    place: Place,
    form: NewForm,
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

pub async fn new_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(code): Path<String>,
    Query(q): Query<ElectionQuery>,
) -> Result<Html<String>> {
    let p = place(&state, &user, &code, &q).await?;
    require_writer(&user)?;
    let next = sqlx::query_scalar!(
        r#"select coalesce(max(tps_number), 0) + 1 as "n!" from stations
           where election_id = $1 and facility_id = $2"#,
        p.election.id,
        p.facility_id
    )
    .fetch_one(&state.db)
    .await?;
    let form = NewForm {
        nomor: next.to_string(),
        dpt: "0".into(),
        dptb: "0".into(),
        dpk: "0".into(),
        ..NewForm::default()
    };
    Ok(Html(
        NewPage {
            layout: user.layout(),
            place: p,
            form,
            error: None,
        }
        .render()?,
    ))
}

struct Details {
    number: i32,
    location: Option<String>,
    name: Option<String>,
}

fn details(
    p: &Place,
    nomor: &str,
    lokasi: &str,
    nama: &str,
) -> std::result::Result<Details, String> {
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
            .ok_or("Lokasi TPS harus kode desa/kelurahan Kemendagri, misalnya 16.74.01.1001.")?;
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

pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(code): Path<String>,
    Query(q): Query<ElectionQuery>,
    Form(form): Form<NewForm>,
) -> Result<Response> {
    let p = place(&state, &user, &code, &q).await?;
    require_writer(&user)?;
    let checked = details(&p, &form.nomor, &form.lokasi, &form.nama).and_then(|d| {
        let count = |v: &str, what: &str| {
            parse_count(v).ok_or(format!("{what} harus bilangan bulat 0–100.000."))
        };
        Ok((
            d,
            count(&form.dpt, "DPT")?,
            count(&form.dptb, "DPTb")?,
            count(&form.dpk, "DPK")?,
        ))
    });
    let fail = |p: Place, form: NewForm, msg: String| -> Result<Response> {
        let html = NewPage {
            layout: user.layout(),
            place: p,
            form,
            error: Some(msg),
        }
        .render()?;
        Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
    };
    let (d, dpt, dptb, dpk) = match checked {
        Ok(v) => v,
        Err(msg) => return fail(p, form, msg),
    };
    let mut tx = state.db.begin().await?;
    act_as(&mut tx, Some(user.id), &user.username).await?;
    let inserted = sqlx::query_scalar!(
        "insert into stations (election_id, facility_id, tps_number, location_code, name, dpt, dptb, dpk)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning id",
        p.election.id,
        p.facility_id,
        d.number,
        d.location,
        d.name,
        dpt,
        dptb,
        dpk
    )
    .fetch_one(&mut *tx)
    .await;
    let id = match inserted {
        Ok(id) => id,
        Err(e) if is_unique_violation(&e) => {
            let msg = format!("TPS {} sudah ada di fasilitas ini.", d.number);
            return fail(p, form, msg);
        }
        Err(e) => return Err(e.into()),
    };
    audit::record(
        &mut tx,
        &user.actor(),
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
    Ok(Redirect::to(&tps_url(&p, d.number)).into_response())
}

pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((code, number)): Path<(String, String)>,
    Query(q): Query<ElectionQuery>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response> {
    let (p, s) = writable(&state, &user, &code, &number, &q).await?;
    let field = |k: &str| form.get(k).map(String::as_str).unwrap_or_default();
    let yours = typed(
        &form,
        &[
            ("nomor", "Nomor TPS".into()),
            ("lokasi", "Lokasi".into()),
            ("nama", "Nama".into()),
        ],
    );
    let d = match details(&p, field("nomor"), field("lokasi"), field("nama")) {
        Ok(d) => d,
        Err(msg) => {
            return refused(
                &state,
                &user,
                p,
                &number,
                StatusCode::UNPROCESSABLE_ENTITY,
                msg,
                yours,
            )
            .await;
        }
    };
    let mut tx = state.db.begin().await?;
    act_as(&mut tx, Some(user.id), &user.username).await?;
    let updated = sqlx::query!(
        "update stations set tps_number = $3, location_code = $4, name = $5
         where id = $1 and version = $2",
        s.id,
        version_of(&form),
        d.number,
        d.location,
        d.name
    )
    .execute(&mut *tx)
    .await;
    match updated {
        Ok(r) if r.rows_affected() == 1 => {}
        Ok(_) => {
            return refused(
                &state,
                &user,
                p,
                &number,
                StatusCode::CONFLICT,
                stale_message(),
                yours,
            )
            .await;
        }
        Err(e) if is_unique_violation(&e) => {
            let msg = format!("TPS {} sudah ada di fasilitas ini.", d.number);
            return refused(
                &state,
                &user,
                p,
                &number,
                StatusCode::UNPROCESSABLE_ENTITY,
                msg,
                yours,
            )
            .await;
        }
        Err(e) => return Err(e.into()),
    }
    audit::record(
        &mut tx,
        &user.actor(),
        Entry::new("station.update")
            .object("station", s.id)
            .province(Some(p.province_code.clone()))
            .facility(Some(p.facility_id))
            .before(json!({ "tps_number": s.tps_number, "location_code": s.location_code, "name": s.name }))
            .after(json!({ "tps_number": d.number, "location_code": d.location, "name": d.name })),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&tps_url(&p, d.number)).into_response())
}
