//! The pindah memilih worklist page: who still needs a form, by when, and who left for
//! another facility while still registered here.

use askama::Template;
use time::Date;

use crate::domain::format;
use crate::domain::privacy::{NikView, facility_name};
use crate::domain::vote_move::{self, Deadlines};
use crate::domain::voter::{LegalStatus, VoterList, VoterStatus};
use crate::http::layout::Layout;
use crate::http::session::CurrentUser;
use crate::read::places::Place;
use crate::rolls::queries::vote_moves::{Entry, Settings};
use crate::rolls::views::list::show_nik;

/// A voter who still needs a pindah memilih form.
pub struct NeedItem {
    pub id: i64,
    pub name: String,
    pub nik: String,
    pub legal_status: &'static str,
    /// The admission date, or "belum diisi".
    pub admitted: String,
    /// Admitted after the deadline that applies.
    pub late: bool,
    /// "pindahan dari …" for a transferred voter.
    pub from: Option<String>,
    /// `H-30, 15 Januari 2024`.
    pub deadline: String,
    /// `5 hari lagi`, `hari ini`, `lewat 3 hari`.
    pub days: String,
    pub passed: bool,
    pub no_valid_nik: bool,
}

/// A voter transferred out who is still on a list of this facility's TPS.
pub struct DepartureItem {
    pub id: i64,
    pub name: String,
    pub nik: String,
    pub to: String,
    pub list: &'static str,
}

#[derive(Template)]
#[template(path = "rolls/vote_moves.html")]
pub struct VoteMovesPage {
    pub layout: Layout,
    pub place: Place,
    pub can_write: bool,
    /// On DPTb without a recorded form.
    pub dptb: Vec<NeedItem>,
    /// On no list (admitted, transferred in, or admission unknown).
    pub unlisted: Vec<NeedItem>,
    pub departures: Vec<DepartureItem>,
    /// Of `dptb` and `unlisted`: past their deadline (DPK is all that is left).
    pub passed: usize,
    /// Of `unlisted`: no admission date.
    pub admission_unknown: usize,
    pub h30: String,
    pub h7: String,
    pub dpk_at_loksus: bool,
    pub today: String,
}

impl VoteMovesPage {
    /// The two lists of voters who need a form: anchor, heading, voters.
    fn sections(&self) -> [(&'static str, &'static str, &[NeedItem]); 2] {
        [
            (
                "dptb",
                "DPTb tanpa formulir pindah memilih tercatat",
                &self.dptb,
            ),
            (
                "belum",
                "Belum terdaftar: perlu pindah memilih (masuk atau pindahan)",
                &self.unlisted,
            ),
        ]
    }

    fn edit_url(&self, id: impl std::fmt::Display) -> String {
        self.place.url(&format!("/daftar/{id}/ubah"))
    }
}

fn legal_status_label(s: LegalStatus) -> &'static str {
    match s {
        LegalStatus::Convict => "Narapidana",
        LegalStatus::Detainee => "Tahanan",
    }
}

fn need_item(
    user: &CurrentUser,
    view: NikView,
    deadlines: Deadlines,
    today: Date,
    e: Entry,
) -> NeedItem {
    let (deadline, name) = vote_move::deadline(e.legal_status, deadlines);
    let days = vote_move::days_left(deadline, today);
    let from = match (e.from_id, &e.from_province, &e.from_name) {
        (Some(id), Some(p), Some(n)) => Some(format!(
            "pindahan dari {}",
            facility_name(&user.scope, id, p, n)
        )),
        _ => None,
    };
    NeedItem {
        id: e.id,
        nik: show_nik(e.nik.as_deref(), None, view),
        legal_status: legal_status_label(e.legal_status),
        admitted: e
            .admitted_on
            .map_or_else(|| "belum diisi".to_owned(), format::date),
        late: e.late == Some(true),
        from,
        deadline: format!("{name}, {}", format::date(deadline)),
        days: vote_move::days_text(days),
        passed: days < 0,
        no_valid_nik: e.no_valid_nik,
        name: e.name,
    }
}

fn departure_item(user: &CurrentUser, view: NikView, e: Entry) -> DepartureItem {
    let to = match (e.to_id, &e.to_province, &e.to_name) {
        (Some(id), Some(p), Some(n)) => facility_name(&user.scope, id, p, n),
        _ => String::new(),
    };
    DepartureItem {
        id: e.id,
        nik: show_nik(e.nik.as_deref(), None, view),
        to,
        list: e.list.map_or("–", VoterList::label),
        name: e.name,
    }
}

/// The page for `user` at `place` on `today`.
pub fn page(
    user: &CurrentUser,
    place: Place,
    settings: Settings,
    today: Date,
    entries: Vec<Entry>,
) -> VoteMovesPage {
    let view = user.nik_view(place.facility_id);
    let d = settings.deadlines;
    let (mut dptb, mut unlisted, mut departures) = (Vec::new(), Vec::new(), Vec::new());
    let mut admission_unknown = 0;
    for e in entries {
        match (e.status, e.list) {
            (VoterStatus::Departed, _) => departures.push(departure_item(user, view, e)),
            (_, Some(_)) => dptb.push(need_item(user, view, d, today, e)),
            (_, None) => {
                admission_unknown += usize::from(e.admitted_on.is_none());
                unlisted.push(need_item(user, view, d, today, e));
            }
        }
    }
    let passed = dptb.iter().chain(&unlisted).filter(|i| i.passed).count();
    VoteMovesPage {
        layout: user.layout(),
        can_write: user.may(crate::domain::access::Action::WriteRoll),
        dptb,
        unlisted,
        departures,
        passed,
        admission_unknown,
        h30: format::date(d.general),
        h7: format::date(d.detainee),
        dpk_at_loksus: settings.dpk_at_loksus,
        today: format::date(today),
        place,
    }
}
