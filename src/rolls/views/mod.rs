//! The roll pages' template structs and their formatting: the list ([`list`]), the import
//! pages, the Disdukcapil list, the voter form, transfers, the pindah memilih worklist
//! ([`vote_moves`]). Every link and form keeps `?pemilihan=` through [`Place::url`].

pub mod list;
pub mod vote_moves;

use askama::Template;

use crate::domain::csv_file::RowError;
use crate::domain::format;
use crate::domain::nik::NikProblem;
use crate::domain::privacy::{NikView, facility_name};
use crate::domain::vote_move::FormReason;
use crate::domain::voter::{NikFlag, VoterList};
use crate::http::layout::Layout;
use crate::http::session::CurrentUser;
use crate::read::places::Place;
use crate::rolls::import::{Mode, Report};
use crate::rolls::queries::list::DisdukcapilRow;
use crate::rolls::queries::transfers::Pending;
use crate::rolls::voter_form::VoterForm;

#[derive(Template)]
#[template(path = "rolls/upload.html")]
pub struct UploadPage {
    pub layout: Layout,
    pub place: Place,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "rolls/preview.html")]
pub struct PreviewPage {
    pub layout: Layout,
    pub place: Place,
    pub upload_id: i64,
    pub filename: String,
    pub report: Report,
    pub mode: Mode,
    pub can_confirm: bool,
    pub confirmed: bool,
}

impl PreviewPage {
    /// The rejected rows, each as the page shows it.
    fn errors(&self) -> &[RowError] {
        &self.report.errors
    }

    /// The flagged rows whose notes are not listed, as a number.
    fn unlisted(&self) -> String {
        format::number(self.report.unlisted_flagged as i64)
    }

    fn upload_url(&self, rest: &str) -> String {
        self.place
            .url(&format!("/daftar/impor/{}{rest}", self.upload_id))
    }
}

pub struct DisdukcapilItem {
    pub name: String,
    /// The NIK, or a broken one as written (masked like a NIK as `view` requires).
    pub nik: String,
    pub birth_date: String,
    pub birth_place: String,
    pub registration_no: String,
    pub need: &'static str,
    /// Why the inmate is listed: the NIK's problem, a KTP-el missing.
    pub reason: String,
}

/// Why an inmate is on the Disdukcapil list, in Indonesian (`; `-separated).
fn disdukcapil_reason(r: &DisdukcapilRow) -> String {
    let mut reasons = Vec::new();
    match r.nik_flag {
        Some(NikFlag::NoNik) => reasons.push("tanpa NIK".to_owned()),
        Some(NikFlag::NikInvalid) => reasons.push(format!(
            "NIK rusak: {}",
            r.nik_problem.map_or("tidak sah", NikProblem::message)
        )),
        Some(NikFlag::NikMismatch) => reasons
            .push("NIK tidak cocok dengan tanggal lahir/jenis kelamin: perlu verifikasi".into()),
        None => {}
    }
    match (r.ktp_el, r.list) {
        (Some(false), Some(VoterList::Dpk)) => {
            reasons.push("DPK tanpa KTP-el: perlu KTP-el atau Suket".into())
        }
        (Some(false), _) => reasons.push("tanpa KTP-el".into()),
        _ => {}
    }
    reasons.join("; ")
}

/// The Disdukcapil list with NIKs as `view` allows.
pub fn disdukcapil_items(rows: Vec<DisdukcapilRow>, view: NikView) -> Vec<DisdukcapilItem> {
    rows.into_iter()
        .map(|r| DisdukcapilItem {
            reason: disdukcapil_reason(&r),
            nik: r
                .nik
                .as_deref()
                .or(r.nik_raw.as_deref())
                .map(|n| view.show(n))
                .unwrap_or_default(),
            birth_date: r.birth_date.to_string(),
            birth_place: r.birth_place.unwrap_or_default(),
            registration_no: r.registration_no.unwrap_or_default(),
            need: NikFlag::need(r.nik_flag),
            name: r.name,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "rolls/disdukcapil.html")]
pub struct DisdukcapilPage {
    pub layout: Layout,
    pub place: Place,
    pub rows: Vec<DisdukcapilItem>,
}

#[derive(Template)]
#[template(path = "rolls/voter.html")]
pub struct VoterPage {
    pub layout: Layout,
    pub place: Place,
    /// `None` when adding.
    pub voter_id: Option<i64>,
    pub form: VoterForm,
    pub errors: Vec<String>,
    pub destinations: Vec<(String, String)>,
}

impl VoterPage {
    /// The pindah memilih reasons of the select: form value and label (with the deadline
    /// of those MK 20/PUU-XVII/2019 allows until H-7).
    fn reasons(&self) -> Vec<(&'static str, String)> {
        FormReason::ALL
            .into_iter()
            .map(|r| {
                let until = if r.until_h7() {
                    "sampai H-7"
                } else {
                    "sampai H-30"
                };
                (r.form_value(), format!("{} ({until})", r.label()))
            })
            .collect()
    }

    /// `/daftar/baru` when adding, else `/daftar/{id}{rest}`.
    fn voter_url(&self, rest: &str) -> String {
        match self.voter_id {
            Some(id) => self.place.url(&format!("/daftar/{id}{rest}")),
            None => self.place.url("/daftar/baru"),
        }
    }
}

pub struct PendingItem {
    pub id: i64,
    pub name: String,
    pub nik: String,
    pub birth_date: String,
    /// The other side: the origin for an arrival, the destination for a departure.
    pub other: String,
    pub requested: String,
    pub by: String,
}

/// Splits pending transfers into arrivals and departures as `user` may see them.
pub fn pending_items(
    user: &CurrentUser,
    place: &Place,
    rows: Vec<Pending>,
) -> (Vec<PendingItem>, Vec<PendingItem>) {
    let (mut arrivals, mut departures) = (Vec::new(), Vec::new());
    for r in rows {
        // The inmate's record belongs to the origin: its NIK is shown in full only to the
        // origin's registrar and admins. The destination's registrar typed that NIK.
        let origin = if r.arriving {
            r.other_id
        } else {
            place.facility_id
        };
        let view = user.nik_view(origin);
        let item = PendingItem {
            id: r.id,
            name: r.name,
            nik: r.nik.as_deref().map(|n| view.show(n)).unwrap_or_default(),
            birth_date: format::date(r.birth_date),
            // An arrival's origin is where the inmate is held now: named only within scope.
            other: if r.arriving {
                facility_name(&user.scope, r.other_id, &r.other_province, &r.other_name)
            } else {
                r.other_name
            },
            requested: format::datetime(r.requested_at),
            by: r.by,
        };
        if r.arriving {
            arrivals.push(item);
        } else {
            departures.push(item);
        }
    }
    (arrivals, departures)
}

#[derive(Template)]
#[template(path = "rolls/transfers.html")]
pub struct TransfersPage {
    pub layout: Layout,
    pub place: Place,
    pub arrivals: Vec<PendingItem>,
    pub departures: Vec<PendingItem>,
    /// The origin's registrar or a kanwil/admin in scope: may confirm or refuse departures.
    pub can_decide: bool,
    /// The destination's registrar: may withdraw its requests.
    pub can_withdraw: bool,
    pub message: Option<String>,
}

impl TransfersPage {
    fn transfer_url(&self, id: impl std::fmt::Display, action: &str) -> String {
        self.place.url(&format!("/pindahan/{id}/{action}"))
    }
}
