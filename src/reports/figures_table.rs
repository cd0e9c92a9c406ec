//! Figures as a download: the columns every figures table shares, one row per province or
//! facility and a total row; facilities grouped by province.

use super::table::{Cell, Table};
use crate::domain::figures::Figures;
use crate::read::figures::FacilityFigures;

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
