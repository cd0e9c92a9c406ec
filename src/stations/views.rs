//! The TPS page and what it shows: ballots, the checklist, the counts' history, and a form
//! that was not saved (formatting only; the handlers in `tps`, `edit`, `checklist` fill it).

use askama::Template;

use super::day::DaySection;
use super::queries::CountChange;
use super::refusal::Refusal;
use crate::domain::ballots::BallotType;
use crate::domain::format;
use crate::domain::readiness::Status;
use crate::http::layout::Layout;
use crate::read::places::Place;
use crate::read::stations::VoterLine;
use crate::read::summary::{BallotLine, ItemState, StationSummary};

pub struct BallotView {
    pub key: &'static str,
    pub label: &'static str,
    pub dpt: String,
    pub entitled: String,
    pub uncertain: String,
    pub reserve: String,
    pub certain: String,
    pub planning: String,
    pub received: i64,
    pub shortage: i64,
    pub certain_shortage: i64,
}

impl From<&BallotLine> for BallotView {
    fn from(b: &BallotLine) -> Self {
        let n = &b.need;
        BallotView {
            key: n.ballot_type.as_str(),
            label: n.ballot_type.label(),
            dpt: format::number(n.dpt),
            entitled: format::number(n.entitled),
            uncertain: format::number(n.uncertain),
            reserve: format::number(n.reserve),
            certain: format::number(n.certain()),
            planning: format::number(n.planning()),
            received: b.received,
            shortage: b.shortage(),
            certain_shortage: b.certain_shortage(),
        }
    }
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

impl From<&ItemState> for ItemView {
    fn from(i: &ItemState) -> Self {
        ItemView {
            id: i.item_id,
            label: i.label.clone(),
            required: i.required,
            auto: i.auto.is_some(),
            status: i.status.form_value(),
            status_label: i.status.label(),
            note: i.note.clone(),
            who: match (&i.actor, i.updated_at) {
                (Some(a), Some(t)) => format!("{a}, {}", format::datetime(t)),
                _ => String::new(),
            },
        }
    }
}

pub struct HistoryLine {
    pub when: String,
    pub actor: String,
    pub dpt: String,
    pub dptb: String,
    pub dpk: String,
}

impl From<CountChange> for HistoryLine {
    fn from(h: CountChange) -> Self {
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
    }
}

/// What the user typed into a form that could not be saved.
pub struct Unsaved {
    pub message: String,
    pub values: Vec<(String, String)>,
}

impl From<Refusal> for Unsaved {
    fn from(r: Refusal) -> Self {
        Unsaved {
            message: r.message,
            values: r.typed,
        }
    }
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
    /// The reserve rule in words, e.g. "2%".
    pub reserve_percent: String,
    /// DPTb and DPK voters counted by KPU but not (yet) on the roll of this TPS.
    pub not_on_roll: i64,
    /// Why the TPS holds more voters than the maximum per TPS, when it does.
    pub over_cap: Option<String>,
    /// The ballot they count for with certainty (PPWP, or a Pilkada's widest contest).
    pub certain_for_unlisted: &'static str,
    pub items: Vec<ItemView>,
    pub statuses: [Status; 3],
    pub voters: Vec<VoterLine>,
    pub others: Vec<i32>,
    pub history: Vec<HistoryLine>,
    pub day: DaySection,
    pub unsaved: Option<Unsaved>,
    pub base: String,
    pub q: String,
}

/// What the TPS page needs beyond the summary.
pub struct TpsExtras {
    pub layout: Layout,
    pub reserve_basis_points: i64,
    pub max_voters_per_tps: i64,
    pub can_write: bool,
    pub voters: Vec<VoterLine>,
    pub others: Vec<i32>,
    pub history: Vec<CountChange>,
    pub day: DaySection,
    pub unsaved: Option<Unsaved>,
}

impl TpsPage {
    pub fn new(place: Place, s: StationSummary, x: TpsExtras) -> TpsPage {
        TpsPage {
            layout: x.layout,
            can_write: x.can_write,
            ready: s.ready(),
            ready_items: s.ready_items(),
            ballots: s.ballots.iter().map(BallotView::from).collect(),
            reserve_percent: format::basis_points_percent(x.reserve_basis_points),
            not_on_roll: (s.dptb - s.roll_dptb).max(0) + (s.dpk - s.roll_dpk).max(0),
            over_cap: over_cap(&s, x.max_voters_per_tps),
            certain_for_unlisted: s
                .ballots
                .iter()
                .map(|b| b.ballot_type())
                .find(|t| {
                    matches!(
                        t,
                        BallotType::Ppwp | BallotType::Gubernur | BallotType::BupatiWalikota
                    )
                })
                .map_or("", BallotType::label),
            items: s.items.iter().map(ItemView::from).collect(),
            statuses: Status::ALL,
            voters: x.voters,
            others: x.others,
            history: x.history.into_iter().map(HistoryLine::from).collect(),
            day: x.day,
            unsaved: x.unsaved,
            base: format!("/fasilitas/{}/tps/{}", place.facility_code, s.tps_number),
            q: format!("?pemilihan={}", place.election.slug),
            place,
            s,
        }
    }
}

/// The maximum per TPS counts DPT voters only (a TPS may exceed it once DPTb and DPK voters
/// come); the page says why a TPS holds more, or that its DPT does.
fn over_cap(s: &StationSummary, cap: i64) -> Option<String> {
    let n = format::number;
    if s.roll_dpt > cap {
        Some(format!(
            "{} pemilih DPT di TPS ini, di atas batas {} per TPS: penetapan KPU dipertahankan.",
            n(s.roll_dpt),
            n(cap)
        ))
    } else if s.voters > cap {
        Some(format!(
            "TPS ini memuat {} pemilih, di atas {} per TPS, karena pemilih DPTb/DPK: batas itu hanya menghitung DPT ({}).",
            n(s.voters),
            n(cap),
            n(s.roll_dpt)
        ))
    } else {
        None
    }
}

/// The fields the user filled in, as `(label, value)` pairs for a refused form: `fields`
/// lists each field's name and label, `value` looks a field up in the form.
pub fn typed<'a>(
    value: impl Fn(&str) -> Option<&'a String>,
    fields: impl IntoIterator<Item = (String, String)>,
) -> Vec<(String, String)> {
    fields
        .into_iter()
        .filter_map(|(key, label)| {
            value(&key)
                .filter(|v| !v.trim().is_empty())
                .map(|v| (label, v.clone()))
        })
        .collect()
}
