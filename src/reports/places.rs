//! The province page (its facilities) and the facility page (its TPS) with their figures.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use axum::routing::get;

use super::{self as reports, FiguresView, ReportRow};
use crate::domain::figures::{Counts, CountsView};
use crate::domain::format;
use crate::http::AppState;
use crate::http::charts::{self, BarChart, LineChart};
use crate::http::error::{AppError, Result};
use crate::http::layout::Layout;
use crate::http::session::CurrentUser;
use crate::read::elections::{self, Election, ElectionQuery};
use crate::read::figures::{self, Figures};
use crate::read::places::{province_name, type_label};
use crate::read::summary::{self, Filter, Rules};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/provinsi/{code}", get(province))
        .route("/fasilitas/{code}", get(facility))
}

#[derive(Template)]
#[template(path = "facilities/province.html")]
pub struct ProvincePage {
    pub layout: Layout,
    pub election: Option<Election>,
    pub code: String,
    pub name: String,
    pub rows: Vec<ReportRow>,
    pub total: FiguresView,
    pub press: Option<String>,
    pub charts: Vec<BarChart>,
    pub line: Option<LineChart>,
    pub q: String,
}

async fn province(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(code): Path<String>,
    Query(query): Query<ElectionQuery>,
) -> Result<Html<String>> {
    let name = province_name(&state.db, &user, &code).await?;
    let election = elections::selected(&state.db, &query).await?;
    let election_id = election.as_ref().map(|e| e.id);
    let facilities =
        figures::facilities(&state.db, election_id, Some(&code), user.facility_filter()).await?;
    let q = election
        .as_ref()
        .map(|e| format!("?pemilihan={}", e.slug))
        .unwrap_or_default();
    let mut total = Figures::default();
    for f in &facilities {
        total.add(&f.figures);
    }
    // The press sentence speaks for the whole province: only for users who see all of it.
    let press = (election.is_some() && user.facility_filter().is_none() && !facilities.is_empty())
        .then(|| reports::press_sentence(&name, &total));
    let mut charts = Vec::new();
    if !facilities.is_empty() && total.stations > 0 {
        charts.push(charts::composition(
            format!("Komposisi DPT, DPTb dan DPK per fasilitas di {name}"),
            &facilities
                .iter()
                .filter(|f| f.figures.stations > 0)
                .map(|f| (f.name.clone(), f.figures.dpt, f.figures.dptb, f.figures.dpk))
                .collect::<Vec<_>>(),
        ));
        charts.push(charts::readiness(
            format!("TPS siap per fasilitas di {name}"),
            &facilities
                .iter()
                .filter(|f| f.figures.stations > 0)
                .map(|f| (f.name.clone(), f.figures.stations_ready, f.figures.stations))
                .collect::<Vec<_>>(),
        ));
    }
    let changes = sqlx::query!(
        "select h.changed_at, h.station_id, h.dpt + h.dptb + h.dpk as \"total!\"
         from station_count_history h
         join stations s on s.id = h.station_id
         join facilities f on f.id = s.facility_id
         where s.election_id = $1 and f.province_code = $2 and ($3::bigint is null or f.id = $3)
         order by h.changed_at, h.id",
        election_id,
        code,
        user.facility_filter()
    )
    .fetch_all(&state.db)
    .await?
    .into_iter()
    .map(|c| (c.changed_at, c.station_id, i64::from(c.total)))
    .collect::<Vec<_>>();
    let line = charts::timeline(
        format!("Hak pilih di {name} dari waktu ke waktu"),
        &charts::running_total(&changes),
    );
    let rows = facilities
        .into_iter()
        .map(|f| ReportRow {
            href: format!("/fasilitas/{}{q}", f.code),
            detail: {
                let mut d = format!(
                    "{}{} · {}",
                    type_label(&f.facility_type),
                    f.class
                        .clone()
                        .map(|c| format!(" Kelas {c}"))
                        .unwrap_or_default(),
                    f.kabkota_name
                );
                // A roll far from the recorded count is probably incomplete: say so, since
                // the figures now count the roll.
                let (roll, recorded) = (f.figures.roll_voters, f.recorded_inmates);
                if roll > 0 && (roll - recorded).abs() * 5 > recorded {
                    d.push_str(&format!(
                        " · daftar WBP {} orang, tercatat {}: periksa kelengkapan daftar",
                        format::number(roll),
                        format::number(recorded)
                    ));
                }
                d
            },
            key: f.code,
            name: f.name,
            illustrative: f.illustrative,
            f: f.figures.view(),
        })
        .collect();
    Ok(Html(
        ProvincePage {
            layout: user.layout(),
            election,
            code,
            name,
            rows,
            total: total.view(),
            press,
            charts,
            line,
            q,
        }
        .render()?,
    ))
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

pub struct HistoryRow {
    pub when: String,
    pub actor: String,
    pub number: i32,
    pub change: String,
}

/// Where the facility's eligible voters stand against its TPS.
pub struct Placement {
    pub eligible: String,
    pub placed: String,
    pub unplaced: i64,
    pub missing_stations: usize,
    pub cap: String,
}

#[derive(serde::Deserialize)]
pub struct FacilityQuery {
    pemilihan: Option<String>,
    dialokasikan: Option<u32>,
    berpindah: Option<u32>,
    tanpa_tps: Option<u32>,
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
    pub total: CountsView,
    pub placement: Option<Placement>,
    pub allocated: Option<String>,
    pub history: Vec<HistoryRow>,
    pub q: String,
}

async fn facility(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(code): Path<String>,
    Query(fq): Query<FacilityQuery>,
) -> Result<Html<String>> {
    let query = ElectionQuery {
        pemilihan: fq.pemilihan.clone(),
    };
    let f = sqlx::query!(
        r#"select f.id, f.code, f.name, f.facility_type, f.class, f.inmates, f.illustrative,
                  f.province_code, p.name as province, k.name as kabkota
           from facilities f
           join regions p on p.code = f.province_code
           join regions k on k.code = f.kabkota_code
           where f.code = $1"#,
        code
    )
    .fetch_optional(&state.db)
    .await?
    .filter(|f| user.sees_facility(f.id, &f.province_code))
    .ok_or(AppError::NotFound)?;
    let election = elections::selected(&state.db, &query).await?;
    let mut total = Counts {
        facilities: 1,
        inmates: f.inmates.into(),
        ..Counts::default()
    };
    let mut stations = Vec::new();
    let mut placement = None;
    let mut history = Vec::new();
    if let Some(e) = &election {
        let mut conn = state.db.acquire().await?;
        let rules = Rules::load(&mut conn, e.id).await?;
        let summaries = summary::load(
            &mut conn,
            &rules,
            Filter {
                facility: Some(f.id),
                ..Filter::default()
            },
        )
        .await?;
        // The roll's counts come pre-aggregated (the figures the reports read).
        let roll = figures::facilities(&state.db, Some(e.id), None, Some(f.id))
            .await?
            .pop()
            .map(|x| x.figures)
            .unwrap_or_default();
        let placed: i64 = summaries.iter().map(|s| s.voters).sum();
        if roll.roll_voters > 0 {
            let cap = usize::try_from(rules.max_voters_per_tps).unwrap_or(1);
            placement = Some(Placement {
                eligible: format::number(roll.roll_eligible),
                placed: format::number(placed),
                unplaced: roll.roll_eligible - placed,
                missing_stations: crate::domain::allocation::missing_stations(
                    usize::try_from(roll.roll_eligible).unwrap_or(0),
                    summaries.len(),
                    cap,
                ),
                cap: format::number(rules.max_voters_per_tps),
            });
        }
        for s in &summaries {
            let c = Counts {
                stations: 1,
                dpt: s.dpt,
                dptb: s.dptb,
                dpk: s.dpk,
                ..Counts::default()
            };
            total.add(&c);
            stations.push(StationRow {
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
            });
        }
        history = sqlx::query!(
            "select h.changed_at, h.actor, s.tps_number, h.dpt_before, h.dptb_before, h.dpk_before,
                    h.dpt, h.dptb, h.dpk
             from station_count_history h join stations s on s.id = h.station_id
             where s.facility_id = $1 and s.election_id = $2
             order by h.changed_at desc, h.id desc limit 50",
            f.id,
            e.id
        )
        .fetch_all(&state.db)
        .await?
        .into_iter()
        .map(|h| {
            let n = |v: i32| format::number(v.into());
            let change = match (h.dpt_before, h.dptb_before, h.dpk_before) {
                (Some(a), Some(b), Some(c)) => format!(
                    "{} / {} / {} → {} / {} / {}",
                    n(a),
                    n(b),
                    n(c),
                    n(h.dpt),
                    n(h.dptb),
                    n(h.dpk)
                ),
                _ => format!("awal {} / {} / {}", n(h.dpt), n(h.dptb), n(h.dpk)),
            };
            HistoryRow {
                when: format::datetime(h.changed_at),
                actor: h.actor,
                number: h.tps_number,
                change,
            }
        })
        .collect();
    }
    let allocated = match (fq.dialokasikan, fq.berpindah, fq.tanpa_tps) {
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
    };
    let q = election
        .as_ref()
        .map(|e| format!("?pemilihan={}", e.slug))
        .unwrap_or_default();
    Ok(Html(
        FacilityPage {
            layout: user.layout(),
            election,
            code: f.code,
            name: f.name,
            type_label: type_label(&f.facility_type),
            class: f.class.unwrap_or_default(),
            province_code: f.province_code,
            province: f.province,
            kabkota: f.kabkota,
            illustrative: f.illustrative,
            can_edit: matches!(
                user.role,
                crate::domain::access::Role::Admin | crate::domain::access::Role::Kanwil
            ),
            can_read_roll: user.role != crate::domain::access::Role::Kpu,
            stations,
            total: total.display(),
            placement,
            allocated,
            history,
            q,
        }
        .render()?,
    ))
}
