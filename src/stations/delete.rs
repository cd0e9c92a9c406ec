//! Deleting a TPS, saying where its voters go.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde_json::json;

use super::act_as;
use super::tps::{other_numbers, stale_message, version_of, writable};
use crate::db::audit::{self, Entry};
use crate::domain::format;
use crate::http::AppState;
use crate::http::error::Result;
use crate::http::form::Form;
use crate::http::layout::Layout;
use crate::http::session::CurrentUser;
use crate::read::elections::ElectionQuery;
use crate::read::places::Place;
use crate::read::summary::StationSummary;

#[derive(Template)]
#[template(path = "stations/delete.html")]
struct DeletePage {
    layout: Layout,
    place: Place,
    number: i32,
    version: i32,
    voters: i64,
    others: Vec<i32>,
    base: String,
    q: String,
    error: Option<String>,
}

async fn delete_view(
    state: &AppState,
    user: &CurrentUser,
    p: Place,
    s: &StationSummary,
    error: Option<String>,
) -> Result<String> {
    let voters = sqlx::query_scalar!(
        r#"select count(*) as "n!" from voters where station_id = $1"#,
        s.id
    )
    .fetch_one(&state.db)
    .await?;
    let others = other_numbers(state, &p, s.id).await?;
    let base = format!("/fasilitas/{}/tps/{}", p.facility_code, s.tps_number);
    let q = format!("?pemilihan={}", p.election.slug);
    Ok(DeletePage {
        layout: user.layout(),
        place: p,
        number: s.tps_number,
        version: s.version,
        voters,
        others,
        base,
        q,
        error,
    }
    .render()?)
}

pub async fn delete_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((code, number)): Path<(String, String)>,
    Query(q): Query<ElectionQuery>,
) -> Result<Html<String>> {
    let (p, s) = writable(&state, &user, &code, &number, &q).await?;
    Ok(Html(delete_view(&state, &user, p, &s, None).await?))
}

pub async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((code, number)): Path<(String, String)>,
    Query(q): Query<ElectionQuery>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response> {
    let (p, s) = writable(&state, &user, &code, &number, &q).await?;
    let target = form.get("tujuan").map(|t| t.trim()).unwrap_or_default();
    let mut tx = state.db.begin().await?;
    act_as(&mut tx, Some(user.id), &user.username).await?;
    let locked = sqlx::query_scalar!(
        "select version from stations where id = $1 for update",
        s.id
    )
    .fetch_one(&mut *tx)
    .await?;
    if Some(locked) != version_of(&form) {
        drop(tx);
        let html = delete_view(&state, &user, p, &s, Some(stale_message())).await?;
        return Ok((StatusCode::CONFLICT, Html(html)).into_response());
    }
    let voters: Vec<i64> = sqlx::query_scalar!(
        "select id from voters where station_id = $1 for update",
        s.id
    )
    .fetch_all(&mut *tx)
    .await?;
    let cap = sqlx::query_scalar!(
        "select max_voters_per_tps from elections where id = $1",
        p.election.id
    )
    .fetch_one(&mut *tx)
    .await?;
    let moved_to = if voters.is_empty() {
        None
    } else if target == "lepas" {
        sqlx::query!(
            "update voters set station_id = null, placed_manually = false where station_id = $1",
            s.id
        )
        .execute(&mut *tx)
        .await?;
        Some("lepas".to_owned())
    } else {
        let Some(to) = target.parse::<i32>().ok() else {
            drop(tx);
            let msg = format!(
                "TPS ini masih memuat {} pemilih: pilih TPS tujuan mereka, atau lepaskan mereka untuk dialokasikan ulang.",
                voters.len()
            );
            let html = delete_view(&state, &user, p, &s, Some(msg)).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response());
        };
        let dest = sqlx::query!(
            r#"select s.id, (select count(*) from voters v where v.station_id = s.id) as "n!"
               from stations s
               where s.election_id = $1 and s.facility_id = $2 and s.tps_number = $3 and s.id <> $4
               for update"#,
            p.election.id,
            p.facility_id,
            to,
            s.id
        )
        .fetch_optional(&mut *tx)
        .await?;
        let Some(dest) = dest else {
            drop(tx);
            let html = delete_view(
                &state,
                &user,
                p,
                &s,
                Some(format!("TPS {to} tidak ada di fasilitas ini.")),
            )
            .await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response());
        };
        if dest.n + voters.len() as i64 > i64::from(cap) {
            drop(tx);
            let msg = format!(
                "TPS {to} akan berisi {} pemilih, di atas batas {} per TPS. Pilih TPS lain atau lepaskan pemilih untuk dialokasikan ulang.",
                format::number(dest.n + voters.len() as i64),
                format::number(cap.into())
            );
            let html = delete_view(&state, &user, p, &s, Some(msg)).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response());
        }
        sqlx::query!(
            "update voters set station_id = $2 where station_id = $1",
            s.id,
            dest.id
        )
        .execute(&mut *tx)
        .await?;
        Some(format!("TPS {to}"))
    };
    sqlx::query!("delete from stations where id = $1", s.id)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        &user.actor(),
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
    Ok(Redirect::to(&format!(
        "/fasilitas/{}?pemilihan={}",
        p.facility_code, p.election.slug
    ))
    .into_response())
}
