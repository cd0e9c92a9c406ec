//! The readiness checklist and the ballots received of a TPS; both claim the TPS's
//! version first, so a stale form changes nothing.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;

use super::parse_count;
use super::tps::{refused, stale_message, tps_url, typed, version_of, writable};
use crate::db::audit::{self, Entry};
use crate::domain::ballots::BallotType;
use crate::domain::readiness::Status;
use crate::http::AppState;
use crate::http::error::Result;
use crate::http::form::Form;
use crate::http::session::CurrentUser;
use crate::read::elections::ElectionQuery;

/// Raises the TPS's version if it is still `version`: the guard every form of the TPS page
/// passes before it writes. `false` when the form is stale.
async fn claim(conn: &mut sqlx::PgConnection, id: i64, version: Option<i32>) -> Result<bool> {
    let r = sqlx::query!(
        "update stations set version = version where id = $1 and version = $2",
        id,
        version
    )
    .execute(conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn save_readiness(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((code, number)): Path<(String, String)>,
    Query(q): Query<ElectionQuery>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response> {
    let (p, s) = writable(&state, &user, &code, &number, &q).await?;
    let manual: Vec<_> = s.items.iter().filter(|i| i.auto.is_none()).collect();
    let mut labels = Vec::new();
    for i in &manual {
        labels.push((format!("status_{}", i.item_id), i.label.clone()));
        labels.push((
            format!("catatan_{}", i.item_id),
            format!("{} (catatan)", i.label),
        ));
    }
    let label_refs: Vec<(&str, String)> = labels
        .iter()
        .map(|(k, l)| (k.as_str(), l.clone()))
        .collect();
    let yours = typed(&form, &label_refs);
    let mut changes = Vec::new();
    for i in &manual {
        let Some(raw) = form.get(&format!("status_{}", i.item_id)) else {
            continue;
        };
        let Some(status) = Status::parse(raw) else {
            let msg = format!("Status \"{}\" untuk {} tidak dikenal.", raw, i.label);
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
        };
        let note = form
            .get(&format!("catatan_{}", i.item_id))
            .map(|n| n.trim().to_owned())
            .unwrap_or_default();
        if note.chars().count() > 500 {
            let msg = format!("Catatan untuk {} paling banyak 500 karakter.", i.label);
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
        if status != i.status || note != i.note {
            changes.push((i.item_id, i.label.clone(), i.status, status, note));
        }
    }
    let mut tx = state.db.begin().await?;
    if !claim(&mut tx, s.id, version_of(&form)).await? {
        drop(tx);
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
    for (item_id, label, before, after, note) in &changes {
        sqlx::query!(
            "insert into station_readiness (station_id, item_id, status, note, user_id, actor)
             values ($1, $2, $3, nullif($4, ''), $5, $6)
             on conflict (station_id, item_id) do update
             set status = excluded.status, note = excluded.note, user_id = excluded.user_id,
                 actor = excluded.actor, updated_at = now()",
            s.id,
            item_id,
            after.as_str(),
            note,
            user.id,
            user.username
        )
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            &user.actor(),
            Entry::new("station.readiness")
                .object("station", s.id)
                .province(Some(p.province_code.clone()))
                .facility(Some(p.facility_id))
                .before(json!({ "item": label, "status": before.as_str() }))
                .after(json!({ "item": label, "status": after.as_str(), "note": note })),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("{}#kesiapan", tps_url(&p, s.tps_number))).into_response())
}

pub async fn save_received(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((code, number)): Path<(String, String)>,
    Query(q): Query<ElectionQuery>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response> {
    let (p, s) = writable(&state, &user, &code, &number, &q).await?;
    let labels: Vec<(String, String)> = s
        .ballots
        .iter()
        .map(|b| {
            (
                format!("diterima_{}", b.ballot_type.as_str()),
                format!("Diterima {}", b.ballot_type.label()),
            )
        })
        .collect();
    let label_refs: Vec<(&str, String)> = labels
        .iter()
        .map(|(k, l)| (k.as_str(), l.clone()))
        .collect();
    let yours = typed(&form, &label_refs);
    let mut values: Vec<(BallotType, i32)> = Vec::new();
    for b in &s.ballots {
        let key = format!("diterima_{}", b.ballot_type.as_str());
        let Some(raw) = form.get(&key) else { continue };
        let Some(n) = parse_count(raw) else {
            let msg = format!(
                "Jumlah surat suara {} diterima harus bilangan bulat 0–100.000.",
                b.ballot_type.label()
            );
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
        };
        if i64::from(n) != b.received {
            values.push((b.ballot_type, n));
        }
    }
    let mut tx = state.db.begin().await?;
    if !claim(&mut tx, s.id, version_of(&form)).await? {
        drop(tx);
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
    for (t, n) in &values {
        sqlx::query!(
            "insert into station_ballots (station_id, ballot_type, received, user_id)
             values ($1, $2, $3, $4)
             on conflict (station_id, ballot_type) do update
             set received = excluded.received, user_id = excluded.user_id, updated_at = now()",
            s.id,
            t.as_str(),
            n,
            user.id
        )
        .execute(&mut *tx)
        .await?;
    }
    if !values.is_empty() {
        audit::record(
            &mut tx,
            &user.actor(),
            Entry::new("station.ballots_received")
                .object("station", s.id)
                .province(Some(p.province_code.clone()))
                .facility(Some(p.facility_id))
                .before(json!(
                    s.ballots
                        .iter()
                        .map(|b| (b.ballot_type.as_str(), b.received))
                        .collect::<HashMap<_, _>>()
                ))
                .after(json!(
                    values
                        .iter()
                        .map(|(t, n)| (t.as_str(), *n))
                        .collect::<HashMap<_, _>>()
                )),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("{}#surat-suara", tps_url(&p, s.tps_number))).into_response())
}
