//! The province readiness matrix: facilities × TPS, with what each TPS still lacks, so
//! staff see at a glance where to call.

use askama::Template;
use axum::extract::State;
use axum::response::Html;

use crate::domain::format;
use crate::http::AppState;
use crate::http::error::Result;
use crate::http::layout::Layout;
use crate::read::elections::Election;
use crate::read::scope::AtProvince;
use crate::read::summary::{self, Filter, Rules};

pub struct Cell {
    pub number: i32,
    pub ready: bool,
    pub score: String,
    pub missing: Vec<String>,
    pub shortage: String,
    pub uncertain: String,
}

pub struct Row {
    pub code: String,
    pub name: String,
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

pub async fn page(State(state): State<AppState>, at: AtProvince) -> Result<Html<String>> {
    let election = at.election()?.clone();
    let AtProvince {
        user, code, name, ..
    } = at;
    let mut conn = state.db.acquire().await?;
    let rules = Rules::load(&mut conn, election.id).await?;
    let all = summary::load(
        &mut conn,
        &rules,
        Filter {
            province: Some(&code),
            facility: user.facility_filter(),
            ..Filter::default()
        },
    )
    .await?;
    let facilities = sqlx::query!(
        "select code, name from facilities
         where province_code = $1 and ($2::bigint is null or id = $2) order by name",
        code,
        user.facility_filter()
    )
    .fetch_all(&state.db)
    .await?;
    let mut rows: Vec<Row> = facilities
        .into_iter()
        .map(|f| Row {
            code: f.code,
            name: f.name,
            ready: 0,
            cells: Vec::new(),
        })
        .collect();
    for s in &all {
        let Some(row) = rows.iter_mut().find(|r| r.code == s.facility_code) else {
            continue;
        };
        let ready = s.ready();
        row.ready += usize::from(ready);
        row.cells.push(Cell {
            number: s.tps_number,
            ready,
            score: format!("{}/{}", s.ready_items(), s.items.len()),
            missing: s.missing().map(|i| i.short_label.clone()).collect(),
            shortage: match (s.voters, s.shortage()) {
                (0, _) => "belum ada pemilih dialokasikan".to_owned(),
                (_, 0) => String::new(),
                (_, n) => format!("kurang {} surat suara", format::number(n)),
            },
            uncertain: match s.uncertain_voters {
                0 => String::new(),
                n => format!("{} pemilih: surat suara belum pasti", format::number(n)),
            },
        });
    }
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
