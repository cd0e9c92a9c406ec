//! Special polling stations (TPS Loksus): the TPS of a facility, their official counts and
//! history, voters placed on them, ballots per voter and per TPS, readiness, the printable
//! list and KPU's voter documents (C-Pemberitahuan, Daftar Hadir), dapils (reference data),
//! voting day at the TPS ([`day`]: turnout and ballot accounting) and the
//! `loksus export stations` file.
//!
//! Everyone in scope reads; who writes is `Action::WriteStations` (TPS, counts, readiness,
//! ballots, allocation), `Action::RecordVotingDay` (turnout, ballot accounting) and
//! `Action::Administer` (dapils, checklist items). Handlers take
//! the scope extractors (`AtFacility`, `AtProvince`), so a place outside the user's scope
//! is a 404 before any role check (403). A form that cannot be saved is a
//! [`refusal::Refusal`]: the page again, with the message and what the user typed.

pub mod allocate;
mod checklist;
mod counts;
pub mod dapils;
pub mod day;
mod delete;
mod edit;
pub mod export;
mod items;
mod matrix;
mod print;
mod queries;
mod refusal;
mod tps;
mod views;
mod voter_forms;

use axum::Router;
use axum::routing::{get, post};
use serde::Deserialize;

use crate::http::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/provinsi/{code}/tps", get(counts::page).post(counts::save))
        .route("/provinsi/{code}/kesiapan", get(matrix::page))
        .route("/fasilitas/{code}/tps", post(edit::create))
        .route("/fasilitas/{code}/tps/baru", get(edit::new_page))
        .route("/fasilitas/{code}/alokasi", post(allocate::run))
        .route("/fasilitas/{code}/tps/{number}", get(tps::page))
        .route("/fasilitas/{code}/tps/{number}/ubah", post(edit::update))
        .route(
            "/fasilitas/{code}/tps/{number}/kesiapan",
            post(checklist::save_readiness),
        )
        .route(
            "/fasilitas/{code}/tps/{number}/surat-suara",
            post(checklist::save_received),
        )
        .route(
            "/fasilitas/{code}/tps/{number}/kehadiran",
            post(day::save_turnout),
        )
        .route(
            "/fasilitas/{code}/tps/{number}/penghitungan",
            post(day::save_accounts),
        )
        .route(
            "/fasilitas/{code}/tps/{number}/pindah",
            post(allocate::move_voter),
        )
        .route(
            "/fasilitas/{code}/tps/{number}/hapus",
            get(delete::delete_page).post(delete::delete),
        )
        .route("/fasilitas/{code}/tps/{number}/cetak", get(print::page))
        .route(
            "/fasilitas/{code}/tps/{number}/pemberitahuan",
            get(voter_forms::notices),
        )
        .route(
            "/fasilitas/{code}/tps/{number}/daftar-hadir/{list}",
            get(voter_forms::attendance),
        )
        .route(
            "/admin/dapil",
            get(dapils::page)
                .post(dapils::upload)
                .layer(dapils::limit()),
        )
        .route("/admin/kesiapan", get(items::page).post(items::add))
}

/// The `{number}` of a TPS route (the facility comes with the scope extractor); an unknown
/// or malformed number is a 404 when the TPS is looked up.
#[derive(Deserialize)]
pub struct TpsPath {
    number: String,
}

/// `16.74.01.1001` from `16.74.01.1001` or `1674011001`; `None` for anything else.
pub fn parse_location(s: &str) -> Option<String> {
    crate::domain::roll_file::parse_region(s.trim()).filter(|c| c.len() == 13)
}

/// A whole number typed in a form: `1.234`, ` 12 `; between 0 and 100.000.
pub fn parse_count(s: &str) -> Option<i32> {
    let t = s.trim().replace('.', "");
    if t.is_empty() {
        return Some(0);
    }
    t.parse().ok().filter(|n| (0..=100_000).contains(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_are_desa_codes() {
        assert_eq!(
            parse_location("1674011001").as_deref(),
            Some("16.74.01.1001")
        );
        assert_eq!(parse_location("16.74.01").as_deref(), None);
        assert_eq!(parse_location("99.74.01.1001").as_deref(), None);
    }

    #[test]
    fn counts_accept_thousands_dots() {
        assert_eq!(parse_count("1.234"), Some(1234));
        assert_eq!(parse_count(""), Some(0));
        assert_eq!(parse_count("-1"), None);
        assert_eq!(parse_count("abc"), None);
    }
}
