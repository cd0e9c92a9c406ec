//! The counts page: one block per facility, one row per TPS, with what the user typed laid
//! over the stored values after a refused form.

use std::collections::HashMap;

use askama::Template;

use super::queries::FacilityRoll;
use crate::domain::format;
use crate::http::layout::Layout;
use crate::read::elections::Election;
use crate::read::summary::StationSummary;

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
pub struct CountsPage {
    pub layout: Layout,
    pub election: Election,
    pub province_code: String,
    pub province: String,
    pub can_write: bool,
    pub blocks: Vec<FacilityBlock>,
    pub message: Option<String>,
    pub saved: Option<String>,
}

/// `1.234 / 5 / 0`.
pub fn triple(a: i64, b: i64, c: i64) -> String {
    format!(
        "{} / {} / {}",
        format::number(a),
        format::number(b),
        format::number(c)
    )
}

/// The form's fields as typed (`dpt_{id}`, …) and a note per TPS id, from a refused form.
#[derive(Default)]
pub struct Marked {
    pub typed: HashMap<String, String>,
    pub notes: HashMap<i64, String>,
}

fn row(s: &StationSummary, marked: &Marked) -> CountRow {
    let get = |k: &str, v: i64| {
        marked
            .typed
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
        note: marked.notes.get(&s.id).cloned(),
    }
}

/// The blocks as stored, with `marked` values (from a refused form) laid over them.
pub fn blocks(
    stations: &[StationSummary],
    rolls: Vec<FacilityRoll>,
    marked: &Marked,
) -> Vec<FacilityBlock> {
    rolls
        .into_iter()
        .map(|f| {
            let mine: Vec<_> = stations
                .iter()
                .filter(|s| s.facility_code == f.code)
                .collect();
            let sums = mine
                .iter()
                .fold((0, 0, 0), |a, s| (a.0 + s.dpt, a.1 + s.dptb, a.2 + s.dpk));
            let has_roll = f.voters > 0;
            FacilityBlock {
                roll: has_roll.then(|| triple(f.dpt, f.dptb, f.dpk)),
                official: triple(sums.0, sums.1, sums.2),
                differs: has_roll && (f.dpt, f.dptb, f.dpk) != sums,
                rows: mine.into_iter().map(|s| row(s, marked)).collect(),
                code: f.code,
                name: f.name,
            }
        })
        .collect()
}
