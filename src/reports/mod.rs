//! Reports: the dashboards (national, province, facility), the sentence the press quotes,
//! the countdown to the deadlines, charts, and every report table as CSV and XLSX.
//!
//! Figures come from `facility_figures` ([`figures`]), rebuilt exactly for whatever changed
//! before each read, so a dashboard is a handful of queries whatever the data's size.

mod downloads;
pub mod export;
mod places;
pub mod table;

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Html;
use axum::routing::get;
use time::{Date, OffsetDateTime};

use crate::domain::format;
use crate::http::AppState;
use crate::http::charts::{self, BarChart};
use crate::http::error::Result;
use crate::http::layout::Layout;
use crate::http::session::CurrentUser;
use crate::read::elections::{Election, ElectionQuery};
use crate::read::figures::{self, FacilityFigures, Figures};
use table::{Cell, Table};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(dashboard))
        .merge(places::router())
        .merge(downloads::router())
}

/// [`Figures`] written for a page.
pub struct FiguresView {
    pub facilities: String,
    pub stations: String,
    pub inmates: String,
    pub dpt: String,
    pub dptb: String,
    pub dpk: String,
    pub with_vote: String,
    pub percent: String,
    pub ready: String,
    pub ready_percent: String,
    pub shortage_stations: String,
    pub shortage_ballots: String,
    pub no_valid_nik: String,
}

impl Figures {
    pub fn view(&self) -> FiguresView {
        let n = format::number;
        FiguresView {
            facilities: n(self.facilities),
            stations: n(self.stations),
            inmates: n(self.inmates),
            dpt: n(self.dpt),
            dptb: n(self.dptb),
            dpk: n(self.dpk),
            with_vote: n(self.with_vote()),
            percent: format::percent(self.with_vote(), self.inmates),
            ready: n(self.stations_ready),
            ready_percent: format::percent(self.stations_ready, self.stations),
            shortage_stations: n(self.shortage_stations),
            shortage_ballots: n(self.shortage_ballots),
            no_valid_nik: n(self.roll_no_valid_nik),
        }
    }
}

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

pub const FIGURE_COLUMNS: [&str; 13] = [
    "fasilitas",
    "tps",
    "wbp",
    "dpt",
    "dptb",
    "dpk",
    "hak_pilih",
    "persen_hak_pilih",
    "tps_siap",
    "persen_tps_siap",
    "tps_kurang_surat_suara",
    "surat_suara_kurang",
    "wbp_tanpa_nik_valid",
];

fn figure_cells(f: &Figures) -> Vec<Cell> {
    vec![
        Cell::Int(f.facilities),
        Cell::Int(f.stations),
        Cell::Int(f.inmates),
        Cell::Int(f.dpt),
        Cell::Int(f.dptb),
        Cell::Int(f.dpk),
        Cell::Int(f.with_vote()),
        Cell::share(f.with_vote(), f.inmates),
        Cell::Int(f.stations_ready),
        Cell::share(f.stations_ready, f.stations),
        Cell::Int(f.shortage_stations),
        Cell::Int(f.shortage_ballots),
        Cell::Int(f.roll_no_valid_nik),
    ]
}

/// A figures table for download: one row per `(code, name, figures)` and a total row.
pub fn figures_table(
    title: &str,
    key_columns: [&'static str; 2],
    rows: &[(String, String, Figures)],
) -> Table {
    let mut total = Figures::default();
    let mut out = Vec::new();
    for (code, name, f) in rows {
        total.add(f);
        let mut r = vec![Cell::text(code), Cell::text(name)];
        r.extend(figure_cells(f));
        out.push(r);
    }
    let mut t = vec![Cell::text(""), Cell::text("Jumlah")];
    t.extend(figure_cells(&total));
    out.push(t);
    let mut columns = key_columns.to_vec();
    columns.extend(FIGURE_COLUMNS);
    Table {
        title: title.to_owned(),
        columns,
        rows: out,
    }
}

/// Facilities grouped into one row per province, in code order.
pub fn by_province(facilities: &[FacilityFigures]) -> Vec<(String, String, Figures)> {
    let mut out: Vec<(String, String, Figures)> = Vec::new();
    for f in facilities {
        match out.last_mut() {
            Some(last) if last.0 == f.province_code => last.2.add(&f.figures),
            _ => out.push((
                f.province_code.clone(),
                f.province_name.clone(),
                f.figures.clone(),
            )),
        }
    }
    out
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

/// A deadline with how far away it is and what is still open before it.
pub struct Deadline {
    pub title: &'static str,
    pub date: String,
    pub days: String,
    pub passed: bool,
    pub open: Vec<String>,
}

fn days_text(date: Date, today: Date) -> (String, bool) {
    let d = (date - today).whole_days();
    match d {
        0 => ("hari ini".to_owned(), false),
        d if d > 0 => (format!("{} hari lagi", format::number(d)), false),
        d => (format!("sudah lewat {} hari", format::number(-d)), true),
    }
}

pub struct Dates {
    pub voting_day: Date,
    pub transfer_deadline: Date,
    pub detainee_transfer_deadline: Date,
}

/// Voting day and the pindah-memilih deadlines (H-30, H-7), with what is still open.
pub fn countdown(dates: &Dates, today: Date, f: &Figures) -> Vec<Deadline> {
    let n = format::number;
    let mut h30 = Vec::new();
    if f.roll_unregistered > 0 {
        h30.push(format!(
            "{} WBP dapat memilih tetapi belum ada di DPT/DPTb/DPK (ajukan pindah memilih)",
            n(f.roll_unregistered)
        ));
    }
    if f.roll_no_valid_nik > 0 {
        h30.push(format!(
            "{} WBP tanpa NIK valid (daftar untuk Disdukcapil)",
            n(f.roll_no_valid_nik)
        ));
    }
    let mut h7 = Vec::new();
    if f.roll_unregistered_detainees > 0 {
        h7.push(format!(
            "{} tahanan dapat memilih tetapi belum terdaftar",
            n(f.roll_unregistered_detainees)
        ));
    }
    let mut day = Vec::new();
    if f.stations > f.stations_ready {
        day.push(format!(
            "{} dari {} TPS belum siap",
            n(f.stations - f.stations_ready),
            n(f.stations)
        ));
    }
    if f.shortage_stations > 0 {
        day.push(format!(
            "{} TPS kekurangan {} surat suara",
            n(f.shortage_stations),
            n(f.shortage_ballots)
        ));
    }
    [
        ("Batas pindah memilih (H-30)", dates.transfer_deadline, h30),
        (
            "Batas pindah memilih tahanan (H-7)",
            dates.detainee_transfer_deadline,
            h7,
        ),
        ("Hari pemungutan suara", dates.voting_day, day),
    ]
    .into_iter()
    .map(|(title, date, open)| {
        let (days, passed) = days_text(date, today);
        Deadline {
            title,
            date: format::date(date),
            days,
            passed,
            open,
        }
    })
    .collect()
}

/// Today in Western Indonesian Time.
pub fn today() -> Date {
    OffsetDateTime::now_utc()
        .to_offset(time::macros::offset!(+7))
        .date()
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
    pub q: String,
}

/// The dashboard's data: the election, its deadlines, and one row per province in scope.
struct DashboardData {
    election: Option<(Election, Dates)>,
    provinces: Vec<(String, String, Figures)>,
    stale: bool,
}

/// Everything the national dashboard needs, in one query (the election by slug or the
/// latest, whether figures must be rebuilt first, and the province totals).
async fn dashboard_data(
    pool: &sqlx::PgPool,
    slug: Option<&str>,
    province: Option<&str>,
) -> Result<DashboardData> {
    let rows = sqlx::query!(
        r#"with e as (
               select id, slug, name, voting_day, transfer_deadline, detainee_transfer_deadline,
                      exists (select 1 from figures_stale) as stale
               from elections
               where $1::text is null or slug = $1
               order by voting_day desc, id desc
               limit 1
           )
           select e.id, e.slug, e.name, e.voting_day, e.transfer_deadline,
                  e.detainee_transfer_deadline, e.stale as "stale!",
                  p.province_code as "code?", r.name as "province?",
                  p.facilities as "facilities?", p.inmates as "inmates?",
                  p.stations as "stations?", p.stations_ready as "stations_ready?",
                  p.dpt as "dpt?", p.dptb as "dptb?", p.dpk as "dpk?",
                  p.shortage_stations as "shortage_stations?",
                  p.shortage_ballots as "shortage_ballots?", p.roll_voters as "roll_voters?",
                  p.roll_eligible as "roll_eligible?", p.roll_under_age as "roll_under_age?",
                  p.roll_rights_revoked as "roll_rights_revoked?",
                  p.roll_released as "roll_released?",
                  p.roll_no_valid_nik as "roll_no_valid_nik?",
                  p.roll_unregistered as "roll_unregistered?",
                  p.roll_unregistered_detainees as "roll_unregistered_detainees?"
           from e
           left join province_figures p
                  on p.election_id = e.id and ($2::text is null or p.province_code = $2)
           left join regions r on r.code = p.province_code
           order by p.province_code"#,
        slug,
        province
    )
    .fetch_all(pool)
    .await?;
    let Some(first) = rows.first() else {
        return Ok(DashboardData {
            election: None,
            provinces: Vec::new(),
            stale: false,
        });
    };
    let election = (
        Election {
            id: first.id,
            slug: first.slug.clone(),
            name: first.name.clone(),
            voting_day: first.voting_day,
        },
        Dates {
            voting_day: first.voting_day,
            transfer_deadline: first.transfer_deadline,
            detainee_transfer_deadline: first.detainee_transfer_deadline,
        },
    );
    let stale = first.stale;
    let n = |v: Option<i32>| i64::from(v.unwrap_or(0));
    let m = |v: Option<i64>| v.unwrap_or(0);
    let provinces = rows
        .into_iter()
        .filter_map(|r| {
            let f = Figures {
                facilities: n(r.facilities),
                inmates: m(r.inmates),
                stations: n(r.stations),
                stations_ready: n(r.stations_ready),
                dpt: m(r.dpt),
                dptb: m(r.dptb),
                dpk: m(r.dpk),
                shortage_stations: n(r.shortage_stations),
                shortage_ballots: m(r.shortage_ballots),
                roll_voters: m(r.roll_voters),
                roll_eligible: m(r.roll_eligible),
                roll_under_age: m(r.roll_under_age),
                roll_rights_revoked: m(r.roll_rights_revoked),
                roll_released: m(r.roll_released),
                roll_no_valid_nik: m(r.roll_no_valid_nik),
                roll_unregistered: m(r.roll_unregistered),
                roll_unregistered_detainees: m(r.roll_unregistered_detainees),
            };
            Some((r.code?, r.province?, f))
        })
        .collect();
    Ok(DashboardData {
        election: Some(election),
        provinces,
        stale,
    })
}

/// The national table as `user` may see it: the election (by slug, else the latest) with its
/// deadlines, and one row per province in scope (a registrar's counts only their facility).
/// Stale figures are rebuilt first. The dashboard and its downloads both read this.
pub(crate) async fn national(
    pool: &sqlx::PgPool,
    user: &CurrentUser,
    slug: Option<&str>,
) -> Result<(Option<(Election, Dates)>, Vec<(String, String, Figures)>)> {
    let mut data = dashboard_data(pool, slug, user.province_filter()).await?;
    if data.election.is_none() && slug.is_some() {
        return Err(crate::http::error::AppError::NotFound);
    }
    if data.stale {
        figures::rebuild_stale(pool, true).await?;
        data = dashboard_data(pool, slug, user.province_filter()).await?;
    }
    if let Some(f) = user.facility_filter() {
        let id = data.election.as_ref().map(|(e, _)| e.id);
        data.provinces =
            by_province(&figures::facilities(pool, id, user.province_filter(), Some(f)).await?);
    }
    Ok((data.election, data.provinces))
}

/// Scoped: a kanwil or provincial KPU user sees their province, a registrar their facility.
async fn dashboard(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<ElectionQuery>,
) -> Result<Html<String>> {
    let slug = query.pemilihan.as_deref().filter(|s| !s.is_empty());
    let (election, provinces) = national(&state.db, &user, slug).await?;
    let (election, dates) = match election {
        Some((e, d)) => (Some(e), Some(d)),
        None => (None, None),
    };
    let mut total = Figures::default();
    for (_, _, f) in &provinces {
        total.add(f);
    }
    let q = election
        .as_ref()
        .map(|e| format!("?pemilihan={}", e.slug))
        .unwrap_or_default();
    let deadlines = match &dates {
        Some(d) => countdown(d, today(), &total),
        None => Vec::new(),
    };
    let charts = if provinces.is_empty() {
        Vec::new()
    } else {
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
    };
    let rows = provinces
        .into_iter()
        .map(|(code, name, f)| ReportRow {
            href: format!("/provinsi/{code}{q}"),
            key: code,
            name,
            detail: String::new(),
            illustrative: false,
            f: f.view(),
        })
        .collect();
    Ok(Html(
        DashboardPage {
            scope: user.scope_name.clone(),
            layout: user.layout(),
            election,
            rows,
            total: total.view(),
            charts,
            deadlines,
            q,
        }
        .render()?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

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
    fn the_press_sentence_for_sumatera_selatan() {
        assert_eq!(
            press_sentence("Sumatera Selatan", &sumsel()),
            "Sebanyak 13.519 WBP (85%) dari 15.895 WBP di 20 Lapas/Rutan/LPKA se-Sumatera \
             Selatan memiliki hak pilih dan akan memilih di 51 TPS khusus."
        );
    }

    #[test]
    fn countdown_counts_days_and_lists_what_is_open() {
        let dates = Dates {
            voting_day: date!(2024 - 02 - 14),
            transfer_deadline: date!(2024 - 01 - 15),
            detainee_transfer_deadline: date!(2024 - 02 - 07),
        };
        let mut f = sumsel();
        f.stations_ready = 50;
        f.roll_unregistered = 12;
        let d = countdown(&dates, date!(2024 - 01 - 10), &f);
        assert_eq!(d[0].days, "5 hari lagi");
        assert_eq!(d[0].open.len(), 1);
        assert!(d[0].open[0].starts_with("12 WBP"));
        assert!(d[1].open.is_empty());
        assert_eq!(d[2].days, "35 hari lagi");
        assert_eq!(d[2].open, vec!["1 dari 51 TPS belum siap".to_owned()]);
        let d = countdown(&dates, date!(2024 - 02 - 15), &f);
        assert!(d[2].passed);
        assert_eq!(d[2].days, "sudah lewat 1 hari");
    }
}
