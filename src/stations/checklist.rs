//! The readiness checklist and the ballots received of a TPS; both claim the TPS's
//! version first, so a stale form changes nothing. Their fields are named per item
//! (`status_{id}`, `catatan_{id}`) and per ballot type (`diterima_{type}`).

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::response::Response;
use serde_json::json;

use super::queries::{self, Setter};
use super::refusal::{FormResult, Refusal, Typed};
use super::views::typed;
use super::{TpsPath, parse_count, tps};
use crate::db::audit::{self, Entry};
use crate::domain::access::Action;
use crate::domain::ballots::BallotType;
use crate::domain::readiness::Status;
use crate::http::AppState;
use crate::http::error::Result;
use crate::http::form::Form;
use crate::read::scope::AtFacility;
use crate::read::stations::station;
use crate::read::summary::StationSummary;

type Fields = HashMap<String, String>;

fn version_of(form: &Fields) -> Option<i32> {
    form.get("versi").and_then(|v| v.trim().parse().ok())
}

#[tracing::instrument(skip_all, fields(place = %at.place.facility_code, tps = %tps.number, user = %at.user.username))]
pub async fn save_readiness(
    State(state): State<AppState>,
    at: AtFacility,
    Path(tps): Path<TpsPath>,
    Form(form): Form<Fields>,
) -> Result<Response> {
    let (_, s) = station(&state, &at.place, &tps.number).await?;
    at.require_to(Action::WriteStations)?;
    let outcome = readiness(&state, &at, &s, &form).await;
    tps::answer(&state, &at, &tps.number, outcome).await
}

/// A manual item whose status or note the form changes.
struct ItemChange {
    item_id: i64,
    label: String,
    before: Status,
    after: Status,
    note: String,
}

/// The manual items the form changes, checked.
fn item_changes(s: &StationSummary, form: &Fields) -> Result<Vec<ItemChange>, String> {
    let mut changes = Vec::new();
    for i in s.items.iter().filter(|i| i.auto.is_none()) {
        let Some(raw) = form.get(&format!("status_{}", i.item_id)) else {
            continue;
        };
        let status = Status::from_form(raw)
            .ok_or_else(|| format!("Status \"{}\" untuk {} tidak dikenal.", raw, i.label))?;
        let note = form
            .get(&format!("catatan_{}", i.item_id))
            .map(|n| n.trim().to_owned())
            .unwrap_or_default();
        if note.chars().count() > 500 {
            return Err(format!(
                "Catatan untuk {} paling banyak 500 karakter.",
                i.label
            ));
        }
        if status != i.status || note != i.note {
            changes.push(ItemChange {
                item_id: i.item_id,
                label: i.label.clone(),
                before: i.status,
                after: status,
                note,
            });
        }
    }
    Ok(changes)
}

/// What the user typed into the checklist, labelled by item.
fn typed_items(s: &StationSummary, form: &Fields) -> Typed {
    let fields = s.items.iter().filter(|i| i.auto.is_none()).flat_map(|i| {
        [
            (format!("status_{}", i.item_id), i.label.clone()),
            (
                format!("catatan_{}", i.item_id),
                format!("{} (catatan)", i.label),
            ),
        ]
    });
    typed(|k| form.get(k), fields)
}

async fn readiness(
    state: &AppState,
    at: &AtFacility,
    s: &StationSummary,
    form: &Fields,
) -> FormResult<String> {
    let (p, user) = (&at.place, &at.user);
    let changes =
        item_changes(s, form).map_err(|msg| Refusal::invalid(msg, typed_items(s, form)))?;
    let mut tx = state.db.begin().await?;
    if !queries::claim(&mut tx, s.id, version_of(form)).await? {
        return Err(Refusal::stale(typed_items(s, form)).into());
    }
    let by = Setter {
        user_id: user.id,
        name: &user.username,
    };
    for c in &changes {
        queries::set_readiness(&mut tx, s.id, c.item_id, c.after, &c.note, &by).await?;
        audit::record(
            &mut tx,
            &user.actor(),
            Entry::new("station.readiness")
                .object("station", s.id)
                .province(Some(p.province_code.clone()))
                .facility(Some(p.facility_id))
                .before(json!({ "item": c.label, "status": c.before.as_str() }))
                .after(json!({ "item": c.label, "status": c.after.as_str(), "note": c.note })),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(format!("/tps/{}#kesiapan", s.tps_number))
}

#[tracing::instrument(skip_all, fields(place = %at.place.facility_code, tps = %tps.number, user = %at.user.username))]
pub async fn save_received(
    State(state): State<AppState>,
    at: AtFacility,
    Path(tps): Path<TpsPath>,
    Form(form): Form<Fields>,
) -> Result<Response> {
    let (_, s) = station(&state, &at.place, &tps.number).await?;
    at.require_to(Action::WriteStations)?;
    let outcome = received(&state, &at, &s, &form).await;
    tps::answer(&state, &at, &tps.number, outcome).await
}

/// The ballot counts the form changes, checked.
fn received_changes(s: &StationSummary, form: &Fields) -> Result<Vec<(BallotType, i32)>, String> {
    let mut values = Vec::new();
    for b in &s.ballots {
        let key = format!("diterima_{}", b.ballot_type().as_str());
        let Some(raw) = form.get(&key) else { continue };
        let n = parse_count(raw).ok_or_else(|| {
            format!(
                "Jumlah surat suara {} diterima harus bilangan bulat 0–100.000.",
                b.ballot_type().label()
            )
        })?;
        if i64::from(n) != b.received {
            values.push((b.ballot_type(), n));
        }
    }
    Ok(values)
}

fn typed_received(s: &StationSummary, form: &Fields) -> Typed {
    let fields = s.ballots.iter().map(|b| {
        (
            format!("diterima_{}", b.ballot_type().as_str()),
            format!("Diterima {}", b.ballot_type().label()),
        )
    });
    typed(|k| form.get(k), fields)
}

async fn received(
    state: &AppState,
    at: &AtFacility,
    s: &StationSummary,
    form: &Fields,
) -> FormResult<String> {
    let (p, user) = (&at.place, &at.user);
    let values =
        received_changes(s, form).map_err(|msg| Refusal::invalid(msg, typed_received(s, form)))?;
    let mut tx = state.db.begin().await?;
    if !queries::claim(&mut tx, s.id, version_of(form)).await? {
        return Err(Refusal::stale(typed_received(s, form)).into());
    }
    for (t, n) in &values {
        queries::set_received(&mut tx, s.id, *t, *n, user.id).await?;
    }
    if !values.is_empty() {
        let before: HashMap<_, _> = s
            .ballots
            .iter()
            .map(|b| (b.ballot_type().as_str(), b.received))
            .collect();
        let after: HashMap<_, _> = values.iter().map(|(t, n)| (t.as_str(), *n)).collect();
        audit::record(
            &mut tx,
            &user.actor(),
            Entry::new("station.ballots_received")
                .object("station", s.id)
                .province(Some(p.province_code.clone()))
                .facility(Some(p.facility_id))
                .before(json!(before))
                .after(json!(after)),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(format!("/tps/{}#surat-suara", s.tps_number))
}
