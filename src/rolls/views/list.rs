//! The roll list page: filters with their counts, one page of voters, the pager.

use askama::Template;

use crate::domain::eligibility::Reason;
use crate::domain::format;
use crate::domain::nik::NikProblem;
use crate::domain::privacy::{NikView, facility_name};
use crate::domain::voter::{NikFlag, VoterStatus};
use crate::http::layout::Layout;
use crate::http::session::CurrentUser;
use crate::read::places::Place;
use crate::read::roll_figures::Counts;
use crate::rolls::filter::Filter;
use crate::rolls::queries::list::ListedVoter;

pub struct VoterItem {
    pub id: i64,
    pub name: String,
    pub nik: String,
    pub birth_date: String,
    pub sex: &'static str,
    pub list: &'static str,
    pub status_label: String,
    pub reasons: Vec<&'static str>,
    pub flags: Vec<String>,
    pub departed: bool,
}

pub struct FilterOption {
    pub value: &'static str,
    pub label: &'static str,
    pub count: String,
    pub selected: bool,
    pub href: String,
}

#[derive(Template)]
#[template(path = "rolls/list.html")]
pub struct ListPage {
    pub layout: Layout,
    pub place: Place,
    pub can_write: bool,
    pub q: String,
    pub filters: Vec<FilterOption>,
    pub active: String,
    pub eligible: String,
    pub eligible_percent: String,
    /// DPK voters without a KTP-el (they need one, or a Suket), and the link to them.
    pub dpk_without_ktp: Option<(String, String)>,
    pub voters: Vec<VoterItem>,
    pub shown: String,
    pub page: i64,
    pub pages: i64,
    pub per: i64,
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl ListPage {
    fn edit_url(&self, id: impl std::fmt::Display) -> String {
        self.place.url(&format!("/daftar/{id}/ubah"))
    }
}

/// How many voters `filter` holds.
pub fn count(c: &Counts, filter: Filter) -> i64 {
    use crate::domain::voter::VoterList::*;
    match filter {
        Filter::Active => c.active,
        Filter::Eligible => c.eligible,
        Filter::Ineligible(Reason::UnderAge) => c.under_age,
        Filter::Ineligible(Reason::RightsRevoked) => c.rights_revoked,
        Filter::Ineligible(Reason::Released) => c.released,
        Filter::Ineligible(Reason::NoValidNik) => c.no_valid_nik,
        Filter::Ineligible(Reason::OutsideRegion) => c.outside_region,
        Filter::Registered(Dpt) => c.dpt,
        Filter::Registered(Dptb) => c.dptb,
        Filter::Registered(Dpk) => c.dpk,
        Filter::Unlisted => c.unlisted,
        Filter::NoNik => c.no_nik,
        Filter::NikInvalid => c.nik_invalid,
        Filter::NikMismatch => c.nik_mismatch,
        Filter::HomeFromNik => c.home_from_nik,
        Filter::DpkWithoutKtp => c.dpk_without_ktp,
        Filter::Late => c.late,
        Filter::AdmissionUnknown => c.admission_unknown,
        Filter::Departed => c.departed,
        Filter::All => c.active + c.departed,
    }
}

/// Every filter with its count and link, `selected` marked.
pub fn filter_options(place: &Place, c: &Counts, selected: Filter) -> Vec<FilterOption> {
    Filter::ALL
        .into_iter()
        .map(|f| FilterOption {
            value: f.value(),
            label: f.label(),
            count: format::number(count(c, f)),
            selected: f == selected,
            href: format!("{}&saring={}", place.url("/daftar"), f.value()),
        })
        .collect()
}

/// The list's page `page` for the same search and filter (`per` when not the default).
pub fn page_link(place: &Place, text: &str, filter: Filter, page: i64, per: Option<i64>) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    query
        .append_pair("q", text)
        .append_pair("saring", filter.value())
        .append_pair("hal", &page.to_string());
    if let Some(per) = per {
        query.append_pair("per", &per.to_string());
    }
    format!("{}&{}", place.url("/daftar"), query.finish())
}

/// NIK as shown under the one masking rule ([`crate::domain::privacy`]); a broken one as
/// written, masked like a NIK.
pub fn show_nik(nik: Option<&str>, raw: Option<&str>, view: NikView) -> String {
    match (nik, raw) {
        (Some(n), _) => view.show(n),
        (None, Some(raw)) => format!("rusak: {}", view.show(raw)),
        (None, None) => "— (tanpa NIK)".to_owned(),
    }
}

/// What the voter is flagged for, in Indonesian.
fn flags(r: &ListedVoter, departed: bool) -> Vec<String> {
    let mut flags = Vec::new();
    match r.nik_flag {
        Some(NikFlag::NoNik) => flags.push("tanpa NIK: ke Disdukcapil".to_owned()),
        Some(NikFlag::NikInvalid) => flags.push(format!(
            "NIK rusak ({}): ke Disdukcapil",
            r.nik_problem.map_or("tidak sah", NikProblem::message)
        )),
        Some(NikFlag::NikMismatch) => {
            flags.push("NIK tidak cocok: verifikasi ke Disdukcapil".to_owned())
        }
        None => {}
    }
    if r.home_from_nik {
        flags.push("wilayah asal dari NIK: periksa KTP-el".to_owned());
    }
    if r.dpk_without_ktp {
        flags.push("DPK tanpa KTP-el: perlu KTP-el atau Suket".to_owned());
    }
    if r.late == Some(true) && !departed {
        flags.push("masuk setelah batas pindah memilih".to_owned());
    }
    flags
}

/// Where the voter is: active (and where from), or why they left, naming another facility
/// only to users whose scope covers it.
fn status_label(user: &CurrentUser, r: &ListedVoter) -> String {
    let named = |id, province: &Option<String>, name: &Option<String>| match (id, province, name) {
        (Some(id), Some(p), Some(n)) => Some(facility_name(&user.scope, id, p, n)),
        _ => None,
    };
    match r.status {
        VoterStatus::Departed => match named(r.to_id, &r.to_province, &r.to_name) {
            Some(to) => format!("keluar: dipindahkan ke {to}"),
            None => format!(
                "keluar: {}",
                r.departed_reason.as_deref().unwrap_or_default()
            ),
        },
        VoterStatus::Active => match named(r.from_id, &r.from_province, &r.from_name) {
            Some(from) => format!("aktif (pindahan dari {from})"),
            None => "aktif".to_owned(),
        },
    }
}

pub fn voter_item(user: &CurrentUser, view: NikView, r: ListedVoter) -> VoterItem {
    let departed = r.status == VoterStatus::Departed;
    VoterItem {
        status_label: status_label(user, &r),
        flags: flags(&r, departed),
        id: r.id,
        nik: show_nik(r.nik.as_deref(), r.nik_raw.as_deref(), view),
        birth_date: format::date(r.birth_date),
        sex: r.sex.as_str(),
        list: r.list.map_or("–", |l| l.file_value()),
        reasons: if departed {
            Vec::new()
        } else {
            r.reasons
                .iter()
                .filter_map(|c| Reason::from_code(c))
                .map(Reason::label)
                .collect()
        },
        name: r.name,
        departed,
    }
}
