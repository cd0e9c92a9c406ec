//! The province readiness matrix: facilities × TPS, with what each TPS still lacks, so
//! staff see at a glance where to call, and the facility-level item beside them: whether
//! the facility held the ASN neutrality briefing.

use askama::Template;
use axum::extract::State;
use axum::response::Html;

use crate::domain::format;
use crate::http::AppState;
use crate::http::error::Result;
use crate::http::layout::Layout;
use crate::read::elections::Election;
use crate::read::neutrality::{self, FacilityBriefing};
use crate::read::scope::AtProvince;
use crate::read::summary::{self, Filter, Rules, StationSummary};

/// One TPS in the matrix: compact marks, each explained by the legend and its `title`.
pub struct Cell {
    pub number: i32,
    pub ready: bool,
    pub score: String,
    /// The first required items not ready (at most three), how many more, and all of them.
    pub missing: Vec<String>,
    pub missing_more: usize,
    pub missing_all: String,
    /// Ballots: `(mark, title)`, e.g. `("SS −477", "kurang 477 surat suara")`.
    pub ballots: Option<(String, String)>,
    /// Voters whose ballots are not certain: `(mark, title)`.
    pub uncertain: Option<(String, String)>,
}

pub struct Row {
    pub code: String,
    pub name: String,
    /// The ASN neutrality briefing was held.
    pub briefed: bool,
    pub ready: usize,
    pub cells: Vec<Cell>,
}

#[derive(Template)]
#[template(path = "stations/matrix.html")]
struct MatrixPage {
    layout: Layout,
    election: Election,
    province_code: String,
    province: String,
    rows: Vec<Row>,
    stations: usize,
    ready: usize,
    percent: String,
}

impl From<&StationSummary> for Cell {
    fn from(s: &StationSummary) -> Self {
        Cell {
            number: s.tps_number,
            ready: s.ready(),
            score: format!("{}/{}", s.ready_items(), s.items.len()),
            missing: s.missing().take(3).map(|i| i.short_label.clone()).collect(),
            missing_more: s.missing().count().saturating_sub(3),
            missing_all: s
                .missing()
                .map(|i| i.short_label.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            ballots: match (s.ballots_recorded, s.shortage()) {
                (false, _) => Some((
                    "SS ?".to_owned(),
                    "penerimaan surat suara belum dicatat".to_owned(),
                )),
                (_, 0) => None,
                (_, n) => Some((
                    format!("SS −{}", format::number(n)),
                    format!("kurang {} surat suara", format::number(n)),
                )),
            },
            uncertain: match s.uncertain_voters {
                0 => None,
                n => Some((
                    format!("? {}", format::number(n)),
                    format!("{} pemilih: surat suara belum pasti", format::number(n)),
                )),
            },
        }
    }
}

/// One row per facility, its TPS as cells.
fn rows(facilities: Vec<FacilityBriefing>, all: &[StationSummary]) -> Vec<Row> {
    let mut rows: Vec<Row> = facilities
        .into_iter()
        .map(|f| Row {
            code: f.code,
            name: f.name,
            briefed: f.held,
            ready: 0,
            cells: Vec::new(),
        })
        .collect();
    for s in all {
        let Some(row) = rows.iter_mut().find(|r| r.code == s.facility_code) else {
            continue;
        };
        let cell = Cell::from(s);
        row.ready += usize::from(cell.ready);
        row.cells.push(cell);
    }
    rows
}

pub async fn page(State(state): State<AppState>, at: AtProvince) -> Result<Html<String>> {
    let election = at.election()?.clone();
    let AtProvince {
        user, code, name, ..
    } = at;
    let mut conn = state.db.acquire().await?;
    let rules = Rules::load(&mut conn, election.id).await?;
    let filter = Filter {
        province: Some(&code),
        facility: user.facility_filter(),
        ..Filter::default()
    };
    let all = summary::load(&mut conn, &rules, filter).await?;
    let facilities =
        neutrality::in_province(&state.db, election.id, &code, user.facility_filter()).await?;
    let rows = rows(facilities, &all);
    let ready = all.iter().filter(|s| s.ready()).count();
    Ok(Html(
        MatrixPage {
            layout: user.layout(),
            percent: format::percent(ready as i64, all.len() as i64),
            stations: all.len(),
            ready,
            election,
            province_code: code,
            province: name,
            rows,
        }
        .render()?,
    ))
}
