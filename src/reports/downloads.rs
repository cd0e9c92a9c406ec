//! Every report table as a download: `/unduh/nasional.csv`, `/unduh/ringkasan.xlsx`,
//! `/unduh/provinsi/16.xlsx`, `/unduh/fasilitas/lapas-lubuklinggau.csv` (with `?pemilihan=`).
//! Scoped like the pages: 404 outside the user's scope.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;

use super::dashboard::national as national_figures;
use super::table::{Cell, FileFormat, Table, download_book};
use super::{export, figures_table};
use crate::http::AppState;
use crate::http::error::{AppError, Result};
use crate::http::session::CurrentUser;
use crate::read::elections::{self, ElectionQuery};
use crate::read::figures;
use crate::read::scope::{AtFacility, AtProvince};
use crate::read::summary::{self, Filter, Rules};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/unduh/{file}", get(national))
        .route("/unduh/provinsi/{file}", get(province))
        .route("/unduh/fasilitas/{file}", get(facility))
}

async fn national(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(file): Path<String>,
    Query(q): Query<ElectionQuery>,
) -> Result<Response> {
    let (stem, format) = FileFormat::split(&file).ok_or(AppError::NotFound)?;
    let election = elections::selected(&state.db, &q)
        .await?
        .ok_or(AppError::NotFound)?;
    let (province, facility) = (user.province_filter(), user.facility_filter());
    let tables = match stem {
        "nasional" => {
            let (_, rows) = national_figures(&state.db, &user, Some(&election.slug)).await?;
            vec![figures_table(
                "Nasional",
                ["kode_provinsi", "provinsi"],
                &rows,
            )]
        }
        // The workbook adds the participation on voting day as a second sheet.
        "ringkasan" => vec![
            export::summary(&state.db, election.id, province, facility).await?,
            export::participation(&state.db, election.id, province, facility).await?,
        ],
        _ => return Err(AppError::NotFound),
    };
    let sheets: Vec<&Table> = tables.iter().collect();
    download_book(&sheets, &format!("loksus-{stem}-{}", election.slug), format)
}

async fn province(
    State(state): State<AppState>,
    at: AtProvince,
    Path(file): Path<String>,
) -> Result<Response> {
    let (code, format) = FileFormat::split(&file).ok_or(AppError::NotFound)?;
    let (name, election) = (&at.name, at.election()?);
    let rows = figures::facilities(
        &state.db,
        Some(election.id),
        Some(code),
        at.user.facility_filter(),
    )
    .await?;
    let rows: Vec<_> = rows
        .into_iter()
        .map(|r| (r.code, r.name, r.figures))
        .collect();
    figures_table(name, ["kode_fasilitas", "fasilitas"], &rows)
        .download(&format!("loksus-provinsi-{code}-{}", election.slug), format)
}

async fn facility(
    State(state): State<AppState>,
    at: AtFacility,
    Path(file): Path<String>,
) -> Result<Response> {
    let (_, format) = FileFormat::split(&file).ok_or(AppError::NotFound)?;
    let p = &at.place;
    let mut conn = state.db.acquire().await?;
    let rules = Rules::load(&mut conn, p.election.id).await?;
    let stations = summary::load(
        &mut conn,
        &rules,
        Filter {
            facility: Some(p.facility_id),
            ..Filter::default()
        },
    )
    .await?;
    let table = Table {
        title: p.facility_name.chars().take(31).collect(),
        columns: vec![
            "tps",
            "lokasi",
            "dpt",
            "dptb",
            "dpk",
            "hak_pilih",
            "pemilih_dialokasikan",
            "butir_siap",
            "jumlah_butir",
            "siap",
            "surat_suara_kurang",
        ],
        rows: stations
            .iter()
            .map(|s| {
                vec![
                    Cell::Int(s.tps_number.into()),
                    Cell::text(s.location_code.clone().unwrap_or_default()),
                    Cell::Int(s.dpt),
                    Cell::Int(s.dptb),
                    Cell::Int(s.dpk),
                    Cell::Int(s.dpt + s.dptb + s.dpk),
                    Cell::Int(s.voters),
                    Cell::Int(s.ready_items() as i64),
                    Cell::Int(s.items.len() as i64),
                    Cell::Bool(s.ready()),
                    Cell::Int(s.shortage()),
                ]
            })
            .collect(),
    };
    table.download(
        &format!("loksus-{}-{}", p.facility_code, p.election.slug),
        format,
    )
}
