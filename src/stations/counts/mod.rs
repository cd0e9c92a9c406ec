//! The official DPT / DPTb / DPK counts of every TPS of a province on one page: one form,
//! keyboard friendly (Tab through the cells, Enter saves), all-or-nothing. Each TPS row
//! carries its version and the values it was shown with; a row the user changed whose TPS
//! changed meanwhile refuses the whole form with 409, showing both values. The form's
//! fields are named per TPS (`dpt_{id}`, `versi_{id}`, `asal_{id}`).

mod queries;
mod view;

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde_json::json;

use self::queries::Current;
use self::view::{CountsPage, Marked, blocks, triple};
use super::parse_count;
use super::refusal::{FormResult, Refusal, settle};
use crate::db::audit::{self, Entry};
use crate::domain::access::Action;
use crate::domain::format;
use crate::http::AppState;
use crate::http::error::{AppError, Result};
use crate::http::form::Form;
use crate::read::elections::Election;
use crate::read::scope::AtProvince;
use crate::read::summary::{self, Filter, Rules};

type Fields = HashMap<String, String>;

/// The page, with `marked` values laid over the stored ones.
async fn render(
    state: &AppState,
    at: &AtProvince,
    election: &Election,
    marked: &Marked,
    message: Option<String>,
    saved: Option<String>,
) -> Result<String> {
    let mut conn = state.db.acquire().await?;
    let rules = Rules::load(&mut conn, election.id).await?;
    let filter = Filter {
        province: Some(&at.code),
        facility: at.user.facility_filter(),
        ..Filter::default()
    };
    let stations = summary::load(&mut conn, &rules, filter).await?;
    let rolls =
        queries::facility_rolls(&state.db, &at.code, election.id, at.user.facility_filter())
            .await?;
    Ok(CountsPage {
        layout: at.user.layout(),
        election: election.clone(),
        province_code: at.code.clone(),
        province: at.name.clone(),
        can_write: at.user.may(Action::WriteStations),
        blocks: blocks(&stations, rolls, marked),
        message,
        saved,
    }
    .render()?)
}

#[derive(serde::Deserialize)]
pub struct SavedQuery {
    tersimpan: Option<i64>,
}

pub async fn page(
    State(state): State<AppState>,
    at: AtProvince,
    Query(q): Query<SavedQuery>,
) -> Result<Html<String>> {
    let election = at.election()?;
    let saved = q
        .tersimpan
        .map(|n| format!("{} TPS tersimpan.", format::number(n)));
    let html = render(&state, &at, election, &Marked::default(), None, saved).await?;
    Ok(Html(html))
}

#[tracing::instrument(skip_all, fields(province = %at.code, user = %at.user.username))]
pub async fn save(
    State(state): State<AppState>,
    at: AtProvince,
    Form(form): Form<Fields>,
) -> Result<Response> {
    let election = at.election()?;
    at.require_to(Action::WriteStations)?;
    match settle(write(&state, &at, election, &form).await)? {
        Ok(n) => Ok(Redirect::to(&format!("{}&tersimpan={n}", at.url("/tps"))).into_response()),
        Err(r) => {
            let html = render(&state, &at, election, &r.typed, Some(r.message), None).await?;
            Ok((r.status, Html(html)).into_response())
        }
    }
}

/// A row the user changed.
struct Edit {
    id: i64,
    version: i32,
    values: (i32, i32, i32),
}

/// Saves every changed row, or none; returns how many were saved.
async fn write(
    state: &AppState,
    at: &AtProvince,
    election: &Election,
    form: &Fields,
) -> FormResult<usize, Marked> {
    let labels = queries::tps_labels(&state.db, election.id, &at.code).await?;
    let edits = edits(form, &labels)?;
    let mut tx = state.db.begin().await?;
    crate::db::audit::act_as(&mut tx, &at.user.actor()).await?;
    let ids: Vec<i64> = edits.iter().map(|e| e.id).collect();
    let current: HashMap<i64, Current> = queries::lock_current(&mut tx, &ids)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    refuse_conflicts(&edits, &current, form)?;
    // Every edited TPS is in `current`: a missing one was refused as a conflict above.
    for (e, c) in edits
        .iter()
        .filter_map(|e| current.get(&e.id).map(|c| (e, c)))
    {
        queries::set_counts(&mut tx, e.id, e.values).await?;
        audit::record(
            &mut tx,
            &at.user.actor(),
            Entry::new("station.counts")
                .object("station", e.id)
                .province(Some(at.code.clone()))
                .facility(Some(c.facility_id))
                .before(json!({ "dpt": c.dpt, "dptb": c.dptb, "dpk": c.dpk }))
                .after(json!({ "dpt": e.values.0, "dptb": e.values.1, "dpk": e.values.2 })),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(edits.len())
}

/// The rows the user changed, validated; any bad row refuses the form with what was typed
/// (422), a TPS outside the province is a 404.
fn edits(form: &Fields, label: &HashMap<i64, String>) -> FormResult<Vec<Edit>, Marked> {
    let mut edits = Vec::new();
    let mut errors: HashMap<i64, String> = HashMap::new();
    for (key, version) in form {
        let Some(id) = key
            .strip_prefix("versi_")
            .and_then(|i| i.parse::<i64>().ok())
        else {
            continue;
        };
        let what = label.get(&id).ok_or(AppError::NotFound)?;
        let field = |k: &str| form.get(&format!("{k}_{id}")).map_or("", String::as_str);
        let mut values = [0i32; 3];
        let mut bad = Vec::new();
        for (i, k) in ["dpt", "dptb", "dpk"].iter().enumerate() {
            match parse_count(field(k)) {
                Some(n) => values[i] = n,
                None => bad.push(k.to_uppercase().replace("DPTB", "DPTb")),
            }
        }
        if !bad.is_empty() {
            let msg = format!("{what}: {} harus bilangan bulat 0–100.000.", bad.join(", "));
            errors.insert(id, msg);
            continue;
        }
        if format!("{},{},{}", values[0], values[1], values[2]) == field("asal") {
            continue;
        }
        edits.push(Edit {
            id,
            version: version.trim().parse().unwrap_or(-1),
            values: (values[0], values[1], values[2]),
        });
    }
    if errors.is_empty() {
        return Ok(edits);
    }
    let message = format!(
        "{} baris belum benar; tidak ada yang disimpan. Perbaiki baris yang ditandai.",
        errors.len()
    );
    let marked = Marked {
        typed: form.clone(),
        notes: errors,
    };
    Err(Refusal::invalid(message, marked).into())
}

/// Refuses the form (409) when a changed row's TPS changed or went since the page was
/// read: the conflicting rows show the current values, the others what the user typed.
fn refuse_conflicts(
    edits: &[Edit],
    current: &HashMap<i64, Current>,
    form: &Fields,
) -> FormResult<(), Marked> {
    let mut conflicts = HashMap::new();
    for e in edits {
        let yours = triple(e.values.0.into(), e.values.1.into(), e.values.2.into());
        match current.get(&e.id) {
            None => {
                let msg =
                    format!("TPS ini sudah dihapus orang lain; isian Anda {yours} tidak disimpan.");
                conflicts.insert(e.id, msg);
            }
            Some(c) if c.version != e.version => {
                let msg = format!(
                    "Sudah diubah ({}) menjadi {}; isian Anda {yours} belum disimpan.",
                    c.last_change.clone().unwrap_or_default(),
                    triple(c.dpt.into(), c.dptb.into(), c.dpk.into()),
                );
                conflicts.insert(e.id, msg);
            }
            Some(_) => {}
        }
    }
    if conflicts.is_empty() {
        return Ok(());
    }
    let mut kept = form.clone();
    for id in conflicts.keys() {
        for k in ["dpt", "dptb", "dpk"] {
            kept.remove(&format!("{k}_{id}"));
        }
    }
    let message = format!(
        "{} TPS sudah diubah orang lain sejak halaman ini dibuka. Tidak ada yang disimpan: \
         periksa baris yang ditandai (nilai terbaru ditampilkan, isian Anda di catatannya), \
         lalu simpan lagi.",
        conflicts.len()
    );
    let marked = Marked {
        typed: kept,
        notes: conflicts,
    };
    Err(Refusal::conflict(message, marked).into())
}
