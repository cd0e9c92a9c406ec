//! The voting-day forms of the TPS page: turnout (`/kehadiran`: voters who voted from the
//! DPT, DPTb and DPK, men and women) and ballot accounting (`/penghitungan`: per ballot type
//! received, used, damaged, unused). Who may send them is `Action::RecordVotingDay` (the
//! facility's registrar, kanwil staff and admins in scope); a refused form shows the page
//! again with the message and what was typed, and writes nothing.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::response::Response;

use super::store::{self, Entry, Repeats, Tps};
use crate::db::audit::Actor;
use crate::domain::access::Action;
use crate::domain::turnout::{Field, Turnout};
use crate::http::AppState;
use crate::http::error::Result;
use crate::http::form::Form;
use crate::read::day::{self, DayStation};
use crate::read::scope::AtFacility;
use crate::stations::refusal::{FormResult, Refusal, Typed};
use crate::stations::views::typed;
use crate::stations::{TpsPath, parse_count, tps};

type Fields = HashMap<String, String>;

/// The form field of each turnout figure.
pub fn turnout_field(f: Field) -> &'static str {
    match f {
        Field::Dpt => "memilih_dpt",
        Field::Dptb => "memilih_dptb",
        Field::Dpk => "memilih_dpk",
        Field::Men => "laki_laki",
        Field::Women => "perempuan",
    }
}

/// The four figures of a ballot type's account: form field prefix and label.
pub const ACCOUNT_FIELDS: [(&str, &str); 4] = [
    ("diterima", "diterima"),
    ("digunakan", "digunakan"),
    ("rusak", "rusak/keliru"),
    ("sisa", "sisa (tidak digunakan)"),
];

#[tracing::instrument(skip_all, fields(place = %at.place.facility_code, tps = %tps.number, user = %at.user.username))]
pub async fn save_turnout(
    State(state): State<AppState>,
    at: AtFacility,
    Path(tps): Path<TpsPath>,
    Form(form): Form<Fields>,
) -> Result<Response> {
    let s = day::station(&state.db, &at.place, &tps.number).await?;
    at.require_to(Action::RecordVotingDay)?;
    let outcome = turnout(&state, &at.user.actor(), &s, &form).await;
    tps::answer(&state, &at, &tps.number, outcome).await
}

fn typed_turnout(form: &Fields) -> Typed {
    let fields = Field::ALL.map(|f| (turnout_field(f).to_owned(), f.label().to_owned()));
    typed(|k| form.get(k), fields)
}

/// The report the form holds, or why it cannot be taken.
fn read_turnout(s: &DayStation, form: &Fields) -> Result<Turnout, String> {
    let mut v = [0i64; 5];
    for (slot, f) in v.iter_mut().zip(Field::ALL) {
        let raw = form.get(turnout_field(f)).map_or("", String::as_str);
        *slot = parse_count(raw)
            .ok_or_else(|| format!("{} harus bilangan bulat 0–100.000.", f.label()))?
            .into();
    }
    let t = Turnout::from(v);
    let problems = t.problems(s.counts);
    if problems.is_empty() {
        Ok(t)
    } else {
        Err(problems
            .into_iter()
            .map(|p| p.message)
            .collect::<Vec<_>>()
            .join(" "))
    }
}

async fn turnout(
    state: &AppState,
    actor: &Actor,
    s: &DayStation,
    form: &Fields,
) -> FormResult<String> {
    let t = read_turnout(s, form).map_err(|m| Refusal::invalid(m, typed_turnout(form)))?;
    let target = Tps::of(s);
    let mut tx = state.db.begin().await?;
    store::record_turnout(&mut tx, actor, &[(target, t)], Repeats::Record).await?;
    tx.commit().await?;
    Ok(format!("/tps/{}#kehadiran", s.tps_number))
}

#[tracing::instrument(skip_all, fields(place = %at.place.facility_code, tps = %tps.number, user = %at.user.username))]
pub async fn save_accounts(
    State(state): State<AppState>,
    at: AtFacility,
    Path(tps): Path<TpsPath>,
    Form(form): Form<Fields>,
) -> Result<Response> {
    let s = day::station(&state.db, &at.place, &tps.number).await?;
    at.require_to(Action::RecordVotingDay)?;
    let outcome = accounts(&state, &at.user.actor(), &s, &form).await;
    tps::answer(&state, &at, &tps.number, outcome).await
}

fn typed_accounts(s: &DayStation, form: &Fields) -> Typed {
    let fields = s.types.iter().flat_map(|t| {
        ACCOUNT_FIELDS.map(|(key, label)| {
            (
                format!("{key}_{}", t.as_str()),
                format!("{} {label}", t.label()),
            )
        })
    });
    typed(|k| form.get(k), fields)
}

/// The accounts the form holds (a type left empty is not recorded), or why not.
fn read_accounts(s: &DayStation, form: &Fields) -> Result<Vec<Entry>, String> {
    let mut out = Vec::new();
    for &t in &s.types {
        let raw = ACCOUNT_FIELDS.map(|(key, _)| {
            form.get(&format!("{key}_{}", t.as_str()))
                .map_or("", |v| v.trim())
        });
        if raw.iter().all(|r| r.is_empty()) {
            continue;
        }
        if raw.iter().any(|r| r.is_empty()) {
            return Err(format!(
                "{}: isi keempat angka (diterima, digunakan, rusak/keliru, sisa), atau \
                 kosongkan semuanya.",
                t.label()
            ));
        }
        let mut v = [0i64; 4];
        for ((slot, r), (_, label)) in v.iter_mut().zip(raw).zip(ACCOUNT_FIELDS) {
            *slot = parse_count(r)
                .ok_or_else(|| format!("{} {label} harus bilangan bulat 0–100.000.", t.label()))?
                .into();
        }
        out.push(Entry::new(s, t, v));
    }
    if out.is_empty() {
        return Err("Belum ada angka penghitungan surat suara yang diisi.".to_owned());
    }
    Ok(out)
}

async fn accounts(
    state: &AppState,
    actor: &Actor,
    s: &DayStation,
    form: &Fields,
) -> FormResult<String> {
    let entries =
        read_accounts(s, form).map_err(|m| Refusal::invalid(m, typed_accounts(s, form)))?;
    let mut tx = state.db.begin().await?;
    store::record_accounts(&mut tx, actor, &entries).await?;
    tx.commit().await?;
    Ok(format!("/tps/{}#penghitungan", s.tps_number))
}
