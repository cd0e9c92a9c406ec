//! One TPS: its page, creating, editing and deleting it, its readiness checklist and the
//! ballots received. Every form carries the TPS's version; a stale one is refused with 409
//! and the current values beside what the user typed.

use std::collections::HashMap;

use crate::web::form::Form;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;

use super::ballots::BallotType;
use super::print::{self, VoterLine};
use super::readiness::Status;
use super::summary::{self, Filter, Rules, StationSummary};
use super::{Place, act_as, can_write, parse_count, parse_location, place, require_writer};
use crate::AppState;
use crate::audit::{self, Entry};
use crate::auth::{CurrentUser, Layout};
use crate::elections::ElectionQuery;
use crate::error::{AppError, Result};
use crate::format;

pub fn tps_url(p: &Place, number: i32) -> String {
    format!(
        "/fasilitas/{}/tps/{}?pemilihan={}",
        p.facility_code, number, p.election.slug
    )
}

/// The TPS `number` of the place, with everything the page shows.
pub async fn station(state: &AppState, p: &Place, number: &str) -> Result<(Rules, StationSummary)> {
    let number: i32 = number.parse().map_err(|_| AppError::NotFound)?;
    let id = sqlx::query_scalar!(
        "select id from stations where election_id = $1 and facility_id = $2 and tps_number = $3",
        p.election.id,
        p.facility_id,
        number
    )
    .fetch_optional(&state.db)
    .await?
    .ok_or(AppError::NotFound)?;
    let mut conn = state.db.acquire().await?;
    let rules = Rules::load(&mut conn, p.election.id).await?;
    let s = summary::load(
        &mut conn,
        &rules,
        Filter {
            station: Some(id),
            ..Filter::default()
        },
    )
    .await?
    .pop()
    .ok_or(AppError::NotFound)?;
    Ok((rules, s))
}

pub struct BallotView {
    pub key: &'static str,
    pub label: &'static str,
    pub entitled: String,
    pub reserve: String,
    pub needed: String,
    pub received: i64,
    pub shortage: i64,
}

pub struct ItemView {
    pub id: i64,
    pub label: String,
    pub required: bool,
    pub auto: bool,
    pub status: &'static str,
    pub status_label: &'static str,
    pub note: String,
    pub who: String,
}

pub struct HistoryLine {
    pub when: String,
    pub actor: String,
    pub dpt: String,
    pub dptb: String,
    pub dpk: String,
}

/// What the user typed into a form that could not be saved.
pub struct Unsaved {
    pub message: String,
    pub values: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "stations/tps.html")]
pub struct TpsPage {
    pub layout: Layout,
    pub place: Place,
    pub s: StationSummary,
    pub can_write: bool,
    pub ready: bool,
    pub ready_items: usize,
    pub ballots: Vec<BallotView>,
    pub items: Vec<ItemView>,
    pub statuses: [Status; 3],
    pub voters: Vec<VoterLine>,
    pub others: Vec<i32>,
    pub history: Vec<HistoryLine>,
    pub unsaved: Option<Unsaved>,
    pub base: String,
    pub q: String,
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    place: Place,
    rules: &Rules,
    s: StationSummary,
    unsaved: Option<Unsaved>,
) -> Result<String> {
    let voters = print::voters_on(&state.db, rules, &s).await?;
    let others = sqlx::query_scalar!(
        "select tps_number from stations where election_id = $1 and facility_id = $2 and id <> $3
         order by tps_number",
        place.election.id,
        place.facility_id,
        s.id
    )
    .fetch_all(&state.db)
    .await?;
    let history = sqlx::query!(
        "select changed_at, actor, dpt_before, dptb_before, dpk_before, dpt, dptb, dpk
         from station_count_history where station_id = $1 order by changed_at desc, id desc
         limit 100",
        s.id
    )
    .fetch_all(&state.db)
    .await?
    .into_iter()
    .map(|h| {
        let change = |before: Option<i32>, after: i32| match before {
            Some(b) if b != after => format!(
                "{} → {}",
                format::number(b.into()),
                format::number(after.into())
            ),
            Some(_) => format::number(after.into()),
            None => format!("awal {}", format::number(after.into())),
        };
        HistoryLine {
            when: format::datetime(h.changed_at),
            actor: h.actor,
            dpt: change(h.dpt_before, h.dpt),
            dptb: change(h.dptb_before, h.dptb),
            dpk: change(h.dpk_before, h.dpk),
        }
    })
    .collect();
    let ballots = s
        .ballots
        .iter()
        .map(|b| BallotView {
            key: b.ballot_type.as_str(),
            label: b.ballot_type.label(),
            entitled: format::number(b.entitled),
            reserve: format::number(b.reserve),
            needed: format::number(b.needed),
            received: b.received,
            shortage: b.shortage(),
        })
        .collect();
    let items = s
        .items
        .iter()
        .map(|i| ItemView {
            id: i.item_id,
            label: i.label.clone(),
            required: i.required,
            auto: i.auto.is_some(),
            status: i.status.as_str(),
            status_label: i.status.label(),
            note: i.note.clone(),
            who: match (&i.actor, i.updated_at) {
                (Some(a), Some(t)) => format!("{a}, {}", format::datetime(t)),
                _ => String::new(),
            },
        })
        .collect();
    let base = format!("/fasilitas/{}/tps/{}", place.facility_code, s.tps_number);
    let q = format!("?pemilihan={}", place.election.slug);
    Ok(TpsPage {
        layout: user.layout(),
        can_write: can_write(user),
        ready: s.ready(),
        ready_items: s.ready_items(),
        ballots,
        items,
        statuses: Status::ALL,
        voters,
        others,
        history,
        unsaved,
        base,
        q,
        place,
        s,
    }
    .render()?)
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((code, number)): Path<(String, String)>,
    Query(q): Query<ElectionQuery>,
) -> Result<Html<String>> {
    let p = place(&state, &user, &code, &q).await?;
    let (rules, s) = station(&state, &p, &number).await?;
    Ok(Html(render(&state, &user, p, &rules, s, None).await?))
}

/// Re-renders the TPS page with the current values and what the user typed.
async fn refused(
    state: &AppState,
    user: &CurrentUser,
    p: Place,
    number: &str,
    status: StatusCode,
    message: String,
    values: Vec<(String, String)>,
) -> Result<Response> {
    let (rules, s) = station(state, &p, number).await?;
    let html = render(state, user, p, &rules, s, Some(Unsaved { message, values })).await?;
    Ok((status, Html(html)).into_response())
}

fn stale_message() -> String {
    "TPS ini sudah diubah orang lain sejak halaman Anda dibuka. Tidak ada yang disimpan: \
     nilai terbaru ditampilkan di bawah, dan isian Anda tercantum di sini untuk dimasukkan lagi."
        .to_owned()
}

fn version_of(form: &HashMap<String, String>) -> Option<i32> {
    form.get("versi").and_then(|v| v.trim().parse().ok())
}

fn typed(form: &HashMap<String, String>, labels: &[(&str, String)]) -> Vec<(String, String)> {
    labels
        .iter()
        .filter_map(|(key, label)| {
            form.get(*key)
                .filter(|v| !v.trim().is_empty())
                .map(|v| (label.clone(), v.clone()))
        })
        .collect()
}

// ----- creating -------------------------------------------------------------------------

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

fn is_unique_violation(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .is_some_and(|d| d.is_unique_violation())
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

// ----- editing --------------------------------------------------------------------------

pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((code, number)): Path<(String, String)>,
    Query(q): Query<ElectionQuery>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response> {
    let p = place(&state, &user, &code, &q).await?;
    let (_, s) = station(&state, &p, &number).await?;
    require_writer(&user)?;
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
    let p = place(&state, &user, &code, &q).await?;
    let (_, s) = station(&state, &p, &number).await?;
    require_writer(&user)?;
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
    let p = place(&state, &user, &code, &q).await?;
    let (_, s) = station(&state, &p, &number).await?;
    require_writer(&user)?;
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

// ----- deleting -------------------------------------------------------------------------

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
    let others = sqlx::query_scalar!(
        "select tps_number from stations where election_id = $1 and facility_id = $2 and id <> $3
         order by tps_number",
        p.election.id,
        p.facility_id,
        s.id
    )
    .fetch_all(&state.db)
    .await?;
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
    let p = place(&state, &user, &code, &q).await?;
    let (_, s) = station(&state, &p, &number).await?;
    require_writer(&user)?;
    Ok(Html(delete_view(&state, &user, p, &s, None).await?))
}

pub async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((code, number)): Path<(String, String)>,
    Query(q): Query<ElectionQuery>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response> {
    let p = place(&state, &user, &code, &q).await?;
    let (_, s) = station(&state, &p, &number).await?;
    require_writer(&user)?;
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
