//! The official DPT / DPTb / DPK counts of every TPS of a province on one page: one form,
//! keyboard friendly (Tab through the cells, Enter saves), all-or-nothing. Each TPS row
//! carries its version and the values it was shown with; a row the user changed whose TPS
//! changed meanwhile refuses the whole form with 409, showing both values.

use std::collections::HashMap;

use crate::http::form::Form;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde_json::json;

use super::{act_as, can_write, parse_count, require_writer};
use crate::db::audit::{self, Entry};
use crate::domain::format;
use crate::http::AppState;
use crate::http::error::{AppError, Result};
use crate::http::layout::Layout;
use crate::http::session::CurrentUser;
use crate::read::elections::{self, Election, ElectionQuery};
use crate::read::summary::{self, Filter, Rules};

pub struct CountRow {
    pub id: i64,
    pub number: i32,
    pub dpt: String,
    pub dptb: String,
    pub dpk: String,
    pub version: i32,
    pub shown: String,
    /// What the placed voters' lists say, when voters are placed.
    pub roll: Option<String>,
    pub differs: bool,
    pub note: Option<String>,
}

pub struct FacilityBlock {
    pub code: String,
    pub name: String,
    /// The facility's eligible voters by list, when a roll is loaded.
    pub roll: Option<String>,
    pub official: String,
    pub differs: bool,
    pub rows: Vec<CountRow>,
}

#[derive(Template)]
#[template(path = "stations/counts.html")]
struct CountsPage {
    layout: Layout,
    election: Election,
    province_code: String,
    province: String,
    can_write: bool,
    blocks: Vec<FacilityBlock>,
    message: Option<String>,
    saved: Option<String>,
}

async fn province(
    state: &AppState,
    user: &CurrentUser,
    code: &str,
    q: &ElectionQuery,
) -> Result<(String, Election)> {
    let name = crate::read::places::province_name(&state.db, user, code).await?;
    let election = elections::selected(&state.db, q)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((name, election))
}

fn triple(a: i64, b: i64, c: i64) -> String {
    format!(
        "{} / {} / {}",
        format::number(a),
        format::number(b),
        format::number(c)
    )
}

/// The blocks as stored, with `typed` values (from a refused form) laid over them.
async fn blocks(
    state: &AppState,
    user: &CurrentUser,
    code: &str,
    election: &Election,
    typed: &HashMap<String, String>,
    notes: &HashMap<i64, String>,
) -> Result<Vec<FacilityBlock>> {
    let mut conn = state.db.acquire().await?;
    let rules = Rules::load(&mut conn, election.id).await?;
    let stations = summary::load(
        &mut conn,
        &rules,
        Filter {
            province: Some(code),
            facility: user.facility_filter(),
            ..Filter::default()
        },
    )
    .await?;
    let rolls = sqlx::query!(
        r#"select f.code, f.name,
                  count(v.id) filter (where v.list = 'dpt') as "dpt!",
                  count(v.id) filter (where v.list = 'dptb') as "dptb!",
                  count(v.id) filter (where v.list = 'dpk') as "dpk!",
                  count(v.id) as "voters!"
           from facilities f
           left join voters v on v.facility_id = f.id and v.election_id = $2 and v.status = 'active'
           left join elections e on e.id = v.election_id
           where f.province_code = $1 and ($3::bigint is null or f.id = $3)
             and (v.id is null or cardinality(voter_reasons(v.birth_date, v.marital_status,
                     v.rights_revoked, v.release_date, v.nik, v.nik_flag, v.home_region_code,
                     e.voting_day, e.kind, e.region_code)) = 0)
           group by f.id order by f.name"#,
        code,
        election.id,
        user.facility_filter()
    )
    .fetch_all(&state.db)
    .await?;
    let mut out: Vec<FacilityBlock> = Vec::new();
    for f in rolls {
        let mine: Vec<_> = stations
            .iter()
            .filter(|s| s.facility_code == f.code)
            .collect();
        let sums = mine
            .iter()
            .fold((0, 0, 0), |a, s| (a.0 + s.dpt, a.1 + s.dptb, a.2 + s.dpk));
        let has_roll = f.voters > 0;
        let rows = mine
            .into_iter()
            .map(|s| {
                let get = |k: &str, v: i64| {
                    typed
                        .get(&format!("{k}_{}", s.id))
                        .cloned()
                        .unwrap_or_else(|| v.to_string())
                };
                CountRow {
                    id: s.id,
                    number: s.tps_number,
                    dpt: get("dpt", s.dpt),
                    dptb: get("dptb", s.dptb),
                    dpk: get("dpk", s.dpk),
                    version: s.version,
                    shown: format!("{},{},{}", s.dpt, s.dptb, s.dpk),
                    roll: (s.voters > 0).then(|| triple(s.roll_dpt, s.roll_dptb, s.roll_dpk)),
                    differs: s.differs_from_roll(),
                    note: notes.get(&s.id).cloned(),
                }
            })
            .collect();
        out.push(FacilityBlock {
            code: f.code,
            name: f.name,
            roll: has_roll.then(|| triple(f.dpt, f.dptb, f.dpk)),
            official: triple(sums.0, sums.1, sums.2),
            differs: has_roll && (f.dpt, f.dptb, f.dpk) != sums,
            rows,
        });
    }
    Ok(out)
}

#[derive(serde::Deserialize)]
pub struct SavedQuery {
    pemilihan: Option<String>,
    tersimpan: Option<i64>,
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(code): Path<String>,
    Query(q): Query<SavedQuery>,
) -> Result<Html<String>> {
    let eq = ElectionQuery {
        pemilihan: q.pemilihan,
    };
    let (name, election) = province(&state, &user, &code, &eq).await?;
    let blocks = blocks(
        &state,
        &user,
        &code,
        &election,
        &HashMap::new(),
        &HashMap::new(),
    )
    .await?;
    Ok(Html(
        CountsPage {
            layout: user.layout(),
            election,
            province_code: code,
            province: name,
            can_write: can_write(&user),
            blocks,
            message: None,
            saved: q
                .tersimpan
                .map(|n| format!("{} TPS tersimpan.", format::number(n))),
        }
        .render()?,
    ))
}

/// A form that was not saved: shown again with what was typed and a note per row.
struct Refused<'a> {
    code: &'a str,
    name: String,
    election: Election,
    typed: &'a HashMap<String, String>,
    notes: &'a HashMap<i64, String>,
    message: String,
}

async fn refused(
    state: &AppState,
    user: &CurrentUser,
    r: Refused<'_>,
    status: StatusCode,
) -> Result<Response> {
    let blocks = blocks(state, user, r.code, &r.election, r.typed, r.notes).await?;
    let html = CountsPage {
        layout: user.layout(),
        election: r.election,
        province_code: r.code.to_owned(),
        province: r.name,
        can_write: true,
        blocks,
        message: Some(r.message),
        saved: None,
    }
    .render()?;
    Ok((status, Html(html)).into_response())
}

struct Edit {
    id: i64,
    version: i32,
    values: (i32, i32, i32),
}

pub async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(code): Path<String>,
    Query(q): Query<ElectionQuery>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response> {
    let (name, election) = province(&state, &user, &code, &q).await?;
    require_writer(&user)?;
    let numbers = sqlx::query!(
        "select s.id, s.tps_number, f.name from stations s join facilities f on f.id = s.facility_id
         where s.election_id = $1 and f.province_code = $2",
        election.id,
        code
    )
    .fetch_all(&state.db)
    .await?;
    let label: HashMap<i64, String> = numbers
        .into_iter()
        .map(|r| (r.id, format!("{} TPS {}", r.name, r.tps_number)))
        .collect();

    // Rows the user changed, validated; any error re-shows the form with what was typed.
    let mut edits = Vec::new();
    let mut errors: HashMap<i64, String> = HashMap::new();
    for (key, version) in &form {
        let Some(id) = key
            .strip_prefix("versi_")
            .and_then(|i| i.parse::<i64>().ok())
        else {
            continue;
        };
        let Some(what) = label.get(&id) else {
            return Err(AppError::NotFound);
        };
        let typed = |k: &str| {
            form.get(&format!("{k}_{id}"))
                .map(String::as_str)
                .unwrap_or("")
        };
        let shown = form
            .get(&format!("asal_{id}"))
            .map(String::as_str)
            .unwrap_or("");
        let mut values = [0i32; 3];
        let mut bad = Vec::new();
        for (i, k) in ["dpt", "dptb", "dpk"].iter().enumerate() {
            match parse_count(typed(k)) {
                Some(n) => values[i] = n,
                None => bad.push(k.to_uppercase().replace("DPTB", "DPTb")),
            }
        }
        if !bad.is_empty() {
            errors.insert(
                id,
                format!("{what}: {} harus bilangan bulat 0–100.000.", bad.join(", ")),
            );
            continue;
        }
        if format!("{},{},{}", values[0], values[1], values[2]) == shown {
            continue;
        }
        edits.push(Edit {
            id,
            version: version.trim().parse().unwrap_or(-1),
            values: (values[0], values[1], values[2]),
        });
    }
    if !errors.is_empty() {
        let n = errors.len();
        let message = format!(
            "{n} baris belum benar; tidak ada yang disimpan. Perbaiki baris yang ditandai."
        );
        let page = Refused {
            code: &code,
            name,
            election,
            typed: &form,
            notes: &errors,
            message,
        };
        return refused(&state, &user, page, StatusCode::UNPROCESSABLE_ENTITY).await;
    }

    let mut tx = state.db.begin().await?;
    act_as(&mut tx, Some(user.id), &user.username).await?;
    let ids: Vec<i64> = edits.iter().map(|e| e.id).collect();
    let current = sqlx::query!(
        "select s.id, s.version, s.dpt, s.dptb, s.dpk, s.facility_id,
                (select h.actor || ', ' || to_char(h.changed_at at time zone 'Asia/Jakarta', 'DD-MM-YYYY HH24.MI') || ' WIB'
                 from station_count_history h where h.station_id = s.id
                 order by h.changed_at desc, h.id desc limit 1) as last_change
         from stations s where s.id = any($1) order by s.id for update",
        &ids
    )
    .fetch_all(&mut *tx)
    .await?;
    let current: HashMap<i64, _> = current.into_iter().map(|c| (c.id, c)).collect();
    let mut conflicts = HashMap::new();
    for e in &edits {
        // Deleted since the page was read: a conflict like any other change.
        let Some(c) = current.get(&e.id) else {
            conflicts.insert(
                e.id,
                format!(
                    "TPS ini sudah dihapus orang lain; isian Anda {} tidak disimpan.",
                    triple(e.values.0.into(), e.values.1.into(), e.values.2.into()),
                ),
            );
            continue;
        };
        if c.version != e.version {
            conflicts.insert(
                e.id,
                format!(
                    "Sudah diubah ({}) menjadi {}; isian Anda {} belum disimpan.",
                    c.last_change.clone().unwrap_or_default(),
                    triple(c.dpt.into(), c.dptb.into(), c.dpk.into()),
                    triple(e.values.0.into(), e.values.1.into(), e.values.2.into()),
                ),
            );
        }
    }
    if !conflicts.is_empty() {
        drop(tx);
        // Show the current values in the conflicting rows, the user's in the others.
        let n = conflicts.len();
        let mut kept = form.clone();
        for id in conflicts.keys() {
            for k in ["dpt", "dptb", "dpk"] {
                kept.remove(&format!("{k}_{id}"));
            }
        }
        let message = format!(
            "{n} TPS sudah diubah orang lain sejak halaman ini dibuka. Tidak ada yang disimpan: \
             periksa baris yang ditandai (nilai terbaru ditampilkan, isian Anda di catatannya), \
             lalu simpan lagi."
        );
        let page = Refused {
            code: &code,
            name,
            election,
            typed: &kept,
            notes: &conflicts,
            message,
        };
        return refused(&state, &user, page, StatusCode::CONFLICT).await;
    }
    for e in &edits {
        let Some(c) = current.get(&e.id) else {
            continue; // not reached: a missing TPS is a conflict above
        };
        sqlx::query!(
            "update stations set dpt = $2, dptb = $3, dpk = $4 where id = $1",
            e.id,
            e.values.0,
            e.values.1,
            e.values.2
        )
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            &user.actor(),
            Entry::new("station.counts")
                .object("station", e.id)
                .province(Some(code.clone()))
                .facility(Some(c.facility_id))
                .before(json!({ "dpt": c.dpt, "dptb": c.dptb, "dpk": c.dpk }))
                .after(json!({ "dpt": e.values.0, "dptb": e.values.1, "dpk": e.values.2 })),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!(
        "/provinsi/{code}/tps?pemilihan={}&tersimpan={}",
        election.slug,
        edits.len()
    ))
    .into_response())
}
