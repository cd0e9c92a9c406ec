//! The reports' pages as templates see them: the dashboard, the province page and the
//! facility page, their rows, and the formatting that turns figures into text.

use askama::Template;

use super::countdown::Deadline;
use super::day::DayPanel;
use super::home::Home;
use super::queries::CountChange;
use crate::domain::allocation;
use crate::domain::figures::{Figures, FiguresView};
use crate::domain::format;
use crate::domain::turnout::DayFigures;
use crate::http::charts::{self, BarChart, LineChart};
use crate::http::layout::Layout;
use crate::read::elections::Election;
use crate::read::figures::FacilityFigures;
use crate::read::neutrality::{BriefingRecord, FacilityBriefing};
use crate::read::places::type_label;
use crate::read::summary::{Rules, StationSummary};

/// A row of a figures table: a province (national dashboard) or a facility (province page).
pub struct ReportRow {
    pub key: String,
    pub name: String,
    pub href: String,
    /// A second line under the name (a facility's type, class and kab/kota).
    pub detail: String,
    pub illustrative: bool,
    pub f: FiguresView,
}

/// The sentence the press quotes for a province.
pub fn press_sentence(province: &str, f: &Figures) -> String {
    format!(
        "Sebanyak {} WBP ({}) dari {} WBP di {} Lapas/Rutan/LPKA se-{} memiliki hak pilih dan \
         akan memilih di {} TPS khusus.",
        format::number(f.with_vote()),
        format::percent(f.with_vote(), f.inmates),
        format::number(f.inmates),
        format::number(f.facilities),
        province,
        format::number(f.stations)
    )
}

/// The sentence the press quotes for a province after voting day, from the latest turnout
/// reports (`day`) and the province's facilities and TPS.
pub fn press_sentence_after(province: &str, day: &DayFigures) -> String {
    format!(
        "Sebanyak {} WBP ({}) dari {} WBP yang memiliki hak pilih di {} Lapas/Rutan/LPKA se-{} \
         menggunakan hak pilihnya di {} TPS khusus.",
        format::number(day.voted),
        format::percent(day.voted, day.with_vote),
        format::number(day.with_vote),
        format::number(day.facilities),
        province,
        format::number(day.stations)
    )
}

#[derive(Template)]
#[template(path = "reports/dashboard.html")]
pub struct DashboardPage {
    pub layout: Layout,
    /// "Nasional", or the province or facility the user sees.
    pub scope: String,
    pub election: Option<Election>,
    pub rows: Vec<ReportRow>,
    pub total: FiguresView,
    pub charts: Vec<BarChart>,
    pub deadlines: Vec<Deadline>,
    /// The voting day's panel, from voting day on.
    pub day: Option<DayPanel>,
    /// What the user must do now (when there is an election).
    pub home: Option<Home>,
    pub q: String,
}

/// The dashboard's bar charts (none without provinces).
pub fn dashboard_charts(provinces: &[(String, String, Figures)]) -> Vec<BarChart> {
    if provinces.is_empty() {
        return Vec::new();
    }
    vec![
        charts::readiness(
            "TPS siap per provinsi".into(),
            &provinces
                .iter()
                .map(|(_, name, f)| (name.clone(), f.stations_ready, f.stations))
                .collect::<Vec<_>>(),
        ),
        charts::composition(
            "Komposisi DPT, DPTb dan DPK per provinsi".into(),
            &provinces
                .iter()
                .map(|(_, name, f)| (name.clone(), f.dpt, f.dptb, f.dpk))
                .collect::<Vec<_>>(),
        ),
    ]
}

/// A province of the dashboard.
pub fn province_row((code, name, f): (String, String, Figures), q: &str) -> ReportRow {
    ReportRow {
        href: format!("/provinsi/{code}{q}"),
        key: code,
        name,
        detail: String::new(),
        illustrative: false,
        f: f.view(),
    }
}

#[derive(Template)]
#[template(path = "facilities/province.html")]
pub struct ProvincePage {
    pub layout: Layout,
    pub election: Option<Election>,
    /// Whether the page links to the form for a new facility (admins and kanwil staff).
    pub can_add_facility: bool,
    pub code: String,
    pub name: String,
    pub rows: Vec<ReportRow>,
    pub total: FiguresView,
    pub press: Option<String>,
    pub charts: Vec<BarChart>,
    pub line: Option<LineChart>,
    /// The facilities in view that have not held the ASN neutrality briefing.
    pub not_briefed: Option<NotBriefed>,
    pub day: Option<DayPanel>,
    pub q: String,
}

pub struct NotBriefed {
    pub names: Vec<String>,
    pub of: usize,
}

/// The facilities of `all` without a neutrality briefing (`None` without facilities).
pub fn not_briefed(all: Vec<FacilityBriefing>) -> Option<NotBriefed> {
    let of = all.len();
    (of > 0).then(|| NotBriefed {
        names: all
            .into_iter()
            .filter(|f| !f.held)
            .map(|f| f.name)
            .collect(),
        of,
    })
}

/// The facility-level readiness item on the facility page: the ASN neutrality briefing,
/// and the values of its small form.
pub struct NeutralityBox {
    /// "20 Januari 2024, 45 pegawai" once recorded.
    pub held: Option<String>,
    pub date: String,
    pub staff: String,
    pub can_record: bool,
}

impl NeutralityBox {
    pub fn new(record: Option<BriefingRecord>, can_record: bool) -> Self {
        let b = record.map(|r| r.briefing);
        NeutralityBox {
            held: b.map(|b| {
                format!(
                    "{}, {} pegawai",
                    format::date(b.held_on),
                    format::number(b.staff.into())
                )
            }),
            date: b.map(|b| b.held_on.to_string()).unwrap_or_default(),
            staff: b.map(|b| b.staff.to_string()).unwrap_or_default(),
            can_record,
        }
    }
}

/// A facility of the province page: its type, class and kab/kota under the name.
pub fn facility_row(f: FacilityFigures, q: &str) -> ReportRow {
    let mut detail = format!(
        "{}{} · {}",
        type_label(&f.facility_type),
        f.class
            .as_ref()
            .map(|c| format!(" Kelas {c}"))
            .unwrap_or_default(),
        f.kabkota_name
    );
    // A roll far from the recorded count is probably incomplete: say so, since the figures
    // now count the roll.
    let (roll, recorded) = (f.figures.roll_voters, f.recorded_inmates);
    if roll > 0 && (roll - recorded).abs() * 5 > recorded {
        detail.push_str(&format!(
            " · daftar WBP {} orang, tercatat {}: periksa kelengkapan daftar",
            format::number(roll),
            format::number(recorded)
        ));
    }
    ReportRow {
        href: format!("/fasilitas/{}{q}", f.code),
        detail,
        key: f.code,
        name: f.name,
        illustrative: f.illustrative,
        f: f.figures.view(),
    }
}

/// The province page's bar charts (none while it has no TPS).
pub fn province_charts(
    name: &str,
    facilities: &[FacilityFigures],
    total: &Figures,
) -> Vec<BarChart> {
    if facilities.is_empty() || total.stations == 0 {
        return Vec::new();
    }
    let with_stations = || facilities.iter().filter(|f| f.figures.stations > 0);
    vec![
        charts::composition(
            format!("Komposisi DPT, DPTb dan DPK per fasilitas di {name}"),
            &with_stations()
                .map(|f| (f.name.clone(), f.figures.dpt, f.figures.dptb, f.figures.dpk))
                .collect::<Vec<_>>(),
        ),
        charts::readiness(
            format!("TPS siap per fasilitas di {name}"),
            &with_stations()
                .map(|f| (f.name.clone(), f.figures.stations_ready, f.figures.stations))
                .collect::<Vec<_>>(),
        ),
    ]
}

pub struct StationRow {
    pub number: i32,
    pub location: String,
    pub dpt: String,
    pub dptb: String,
    pub dpk: String,
    pub with_vote: String,
    pub voters: String,
    pub roll_differs: bool,
    pub readiness: String,
    pub ready: bool,
    pub shortage: String,
}

/// A TPS's official counts as figures (one station).
pub fn station_figures(s: &StationSummary) -> Figures {
    Figures {
        stations: 1,
        dpt: s.dpt,
        dptb: s.dptb,
        dpk: s.dpk,
        ..Figures::default()
    }
}

pub fn station_row(s: &StationSummary) -> StationRow {
    let c = station_figures(s);
    StationRow {
        number: s.tps_number,
        location: s.location_code.clone().unwrap_or_default(),
        dpt: format::number(c.dpt),
        dptb: format::number(c.dptb),
        dpk: format::number(c.dpk),
        with_vote: format::number(c.with_vote()),
        voters: format::number(s.voters),
        roll_differs: s.differs_from_roll(),
        readiness: format!("{}/{}", s.ready_items(), s.items.len()),
        ready: s.ready(),
        shortage: match s.shortage() {
            0 => String::new(),
            n => format::number(n),
        },
    }
}

pub struct HistoryRow {
    pub when: String,
    pub actor: String,
    pub number: i32,
    pub change: String,
}

pub fn history_row(h: CountChange) -> HistoryRow {
    let n = |v: i32| format::number(v.into());
    let [dpt, dptb, dpk] = h.after;
    let change = match h.before {
        Some([a, b, c]) => format!(
            "{} / {} / {} → {} / {} / {}",
            n(a),
            n(b),
            n(c),
            n(dpt),
            n(dptb),
            n(dpk)
        ),
        None => format!("awal {} / {} / {}", n(dpt), n(dptb), n(dpk)),
    };
    HistoryRow {
        when: format::datetime(h.changed_at),
        actor: h.actor,
        number: h.tps_number,
        change,
    }
}

/// Where the facility's eligible voters stand against its TPS.
pub struct Placement {
    pub eligible: String,
    pub placed: String,
    pub unplaced: i64,
    pub missing_stations: usize,
    pub cap: String,
}

/// The placement box, once the facility has a roll (`roll`: its pre-aggregated figures).
pub fn placement(roll: &Figures, summaries: &[StationSummary], rules: &Rules) -> Option<Placement> {
    if roll.roll_voters == 0 {
        return None;
    }
    let placed: i64 = summaries.iter().map(|s| s.voters).sum();
    let cap = usize::try_from(rules.max_voters_per_tps).unwrap_or(1);
    Some(Placement {
        eligible: format::number(roll.roll_eligible),
        placed: format::number(placed),
        unplaced: roll.roll_eligible - placed,
        missing_stations: allocation::missing_stations(
            usize::try_from(roll.roll_eligible).unwrap_or(0),
            summaries.len(),
            cap,
        ),
        cap: format::number(rules.max_voters_per_tps),
    })
}

/// What the allocation left, from the query of its redirect
/// (`?dialokasikan=&berpindah=&tanpa_tps=`).
#[derive(serde::Deserialize)]
pub struct AllocationNotice {
    dialokasikan: Option<u32>,
    berpindah: Option<u32>,
    tanpa_tps: Option<u32>,
}

impl AllocationNotice {
    pub fn text(&self) -> Option<String> {
        match (self.dialokasikan, self.berpindah, self.tanpa_tps) {
            (Some(n), Some(m), Some(0)) => Some(format!(
                "Alokasi selesai: {} pemilih dapat memilih, {} berpindah TPS.",
                format::number(n.into()),
                format::number(m.into())
            )),
            (Some(_), Some(_), Some(u)) => Some(format!(
                "Alokasi selesai, tetapi {} pemilih belum mendapat TPS karena semua TPS penuh.",
                format::number(u.into())
            )),
            _ => None,
        }
    }
}

#[derive(Template)]
#[template(path = "facilities/facility.html")]
pub struct FacilityPage {
    pub layout: Layout,
    pub election: Option<Election>,
    pub code: String,
    pub name: String,
    pub type_label: &'static str,
    pub class: String,
    pub province_code: String,
    pub province: String,
    pub kabkota: String,
    pub illustrative: bool,
    pub can_edit: bool,
    pub can_read_roll: bool,
    pub stations: Vec<StationRow>,
    pub total: FiguresView,
    pub placement: Option<Placement>,
    pub allocated: Option<String>,
    pub history: Vec<HistoryRow>,
    /// The ASN neutrality briefing (with an election).
    pub neutrality: Option<NeutralityBox>,
    pub day: Option<DayPanel>,
    pub q: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sumsel() -> Figures {
        Figures {
            facilities: 20,
            inmates: 15_895,
            stations: 51,
            dpt: 9_084,
            dptb: 1_913,
            dpk: 2_522,
            ..Figures::default()
        }
    }

    #[test]
    fn after_voting_day_the_sentence_counts_who_voted() {
        let day = DayFigures {
            facilities: 20,
            stations: 51,
            with_vote: 13_519,
            voted: 12_003,
            ..DayFigures::default()
        };
        assert_eq!(
            press_sentence_after("Sumatera Selatan", &day),
            "Sebanyak 12.003 WBP (89%) dari 13.519 WBP yang memiliki hak pilih di 20 \
             Lapas/Rutan/LPKA se-Sumatera Selatan menggunakan hak pilihnya di 51 TPS khusus."
        );
    }

    #[test]
    fn the_press_sentence_for_sumatera_selatan() {
        assert_eq!(
            press_sentence("Sumatera Selatan", &sumsel()),
            "Sebanyak 13.519 WBP (85%) dari 15.895 WBP di 20 Lapas/Rutan/LPKA se-Sumatera \
             Selatan memiliki hak pilih dan akan memilih di 51 TPS khusus."
        );
    }
}
