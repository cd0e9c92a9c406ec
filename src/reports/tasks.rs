//! The home page's task lines: what is left, how many, and a link to the place to act, per
//! role. Pure: they take the counts read by [`super::home`] and return lines; a line with
//! nothing left is dropped.

use time::Date;

use super::countdown::{Dates, days_text};
use crate::domain::format::{self, number};
use crate::read::figures::FacilityFigures;
use crate::read::summary::StationSummary;
use crate::read::tasks::{OpenIncidents, Reconciliation, RollAge, RollStatus};

mod stations;

pub use stations::{shortages, station_items};

/// A roll not changed for longer than this is old.
pub const OLD_ROLL_DAYS: i64 = 14;
/// A roll whose active count differs from the official inmate count by more than this
/// percentage is far from it.
pub const FAR_PERCENT: i64 = 10;
/// Links listed under a line before "N lainnya".
const SHOWN_LINKS: usize = 6;

pub struct Link {
    pub label: String,
    pub href: String,
}

/// One line of the list: `count` `text`, linked to `href`, with a note and the places
/// (TPS, facilities, provinces) it concerns.
pub struct Task {
    /// Names the line for tests and styles (`data-task`).
    pub key: &'static str,
    pub count: i64,
    pub text: String,
    pub href: String,
    pub note: String,
    pub links: Vec<Link>,
    pub more: Option<Link>,
}

impl Task {
    fn new(key: &'static str, count: i64, text: &str, href: String) -> Task {
        Task {
            key,
            count,
            text: text.to_owned(),
            href,
            note: String::new(),
            links: Vec::new(),
            more: None,
        }
    }

    fn note(mut self, note: String) -> Task {
        self.note = note;
        self
    }

    /// The first links, and "N lainnya" pointing at the line's own page.
    fn links(mut self, links: Vec<Link>, more_noun: &str) -> Task {
        let hidden = links.len().saturating_sub(SHOWN_LINKS);
        if hidden > 0 {
            self.more = Some(Link {
                label: format!("dan {} {more_noun} lainnya", number(hidden as i64)),
                href: self.href.clone(),
            });
        }
        self.links = links.into_iter().take(SHOWN_LINKS).collect();
        self
    }

    pub fn count_text(&self) -> String {
        number(self.count)
    }
}

/// Links keep the selected election.
pub struct Urls<'a> {
    pub slug: &'a str,
}

impl Urls<'_> {
    /// `/fasilitas/{code}{rest}?pemilihan={slug}` (`rest` may end in a `#fragment`).
    pub fn facility(&self, code: &str, rest: &str) -> String {
        let (path, fragment) = rest.split_once('#').unwrap_or((rest, ""));
        let fragment = if fragment.is_empty() {
            String::new()
        } else {
            format!("#{fragment}")
        };
        format!("/fasilitas/{code}{path}?pemilihan={}{fragment}", self.slug)
    }

    /// A roll page with a filter (`?saring=`).
    pub fn roll(&self, code: &str, filter: &str) -> String {
        format!(
            "/fasilitas/{code}/daftar?pemilihan={}&saring={filter}",
            self.slug
        )
    }

    pub fn province(&self, code: &str, rest: &str) -> String {
        format!("/provinsi/{code}{rest}?pemilihan={}", self.slug)
    }
}

fn keep(tasks: Vec<Task>) -> Vec<Task> {
    tasks.into_iter().filter(|t| t.count > 0).collect()
}

/// A registrar's lines for their facility: the roll's worklists, then its TPS.
pub fn registrar(
    roll: &RollStatus,
    stations: &[StationSummary],
    dates: &Dates,
    today: Date,
    u: &Urls,
) -> Vec<Task> {
    let code = roll.code.as_str();
    let deadline = format!(
        "Batas H-30 {} ({}); tahanan H-7 {} ({}).",
        format::date(dates.transfer_deadline),
        days_text(dates.transfer_deadline, today).0,
        format::date(dates.detainee_transfer_deadline),
        days_text(dates.detainee_transfer_deadline, today).0,
    );
    let mut tasks = vec![
        Task::new(
            "disdukcapil",
            roll.disdukcapil,
            "WBP tanpa NIK, dengan NIK rusak atau tanpa KTP-el: daftar untuk Disdukcapil",
            u.facility(code, "/disdukcapil"),
        ),
        Task::new(
            "dptb-tanpa-formulir",
            roll.dptb_without_form,
            "WBP di DPTb belum punya formulir pindah memilih",
            u.facility(code, "/pindah-memilih#dptb"),
        )
        .note(deadline.clone()),
        Task::new(
            "pendatang-tanpa-formulir",
            roll.arrivals_without_form,
            "WBP pendatang belum di daftar mana pun: perlu formulir pindah memilih",
            u.facility(code, "/pindah-memilih#belum"),
        )
        .note(deadline),
        Task::new(
            "dpk-tanpa-ktp-el",
            roll.dpk_without_ktp,
            "WBP di DPK tanpa KTP-el: perlu KTP-el atau Suket Disdukcapil",
            u.roll(code, "dpk_tanpa_ktp_el"),
        ),
        Task::new(
            "bebas",
            roll.released,
            "WBP bebas sebelum hari pemungutan suara: mereka memilih di alamat KTP-el, beri tahu KPU",
            u.roll(code, "bebas"),
        ),
    ];
    tasks.extend(station_items(stations, u, u.facility(code, ""), true));
    tasks.extend(shortages(stations, u, u.facility(code, ""), true));
    keep(tasks)
}

fn is_far(f: &FacilityFigures) -> bool {
    let official = f.recorded_inmates;
    f.figures.roll_voters > 0
        && (f.figures.roll_voters - official).abs() * 100 > official * FAR_PERCENT
}

/// Facilities without a roll, with an old one (when their ages are known: a province), or
/// with one far from the official inmate count.
pub fn rolls(
    facilities: &[FacilityFigures],
    ages: Option<&[RollAge]>,
    today: Date,
    u: &Urls,
    href: &str,
) -> Vec<Task> {
    let roll_link = |f: &FacilityFigures, label: String| Link {
        label,
        href: u.facility(&f.code, "/daftar"),
    };
    let none: Vec<Link> = facilities
        .iter()
        .filter(|f| f.figures.roll_voters == 0)
        .map(|f| roll_link(f, f.name.clone()))
        .collect();
    let old: Vec<Link> = facilities
        .iter()
        .filter_map(|f| {
            let changed = ages?.iter().find(|a| a.code == f.code)?.last_change?;
            let age = (today - changed.to_offset(time::macros::offset!(+7)).date()).whole_days();
            (f.figures.roll_voters > 0 && age > OLD_ROLL_DAYS).then(|| {
                roll_link(
                    f,
                    format!("{}: terakhir {}", f.name, format::datetime(changed)),
                )
            })
        })
        .collect();
    let far: Vec<Link> = facilities
        .iter()
        .filter(|f| is_far(f))
        .map(|f| Link {
            label: format!(
                "{}: {} di daftar, {} resmi",
                f.name,
                number(f.figures.roll_voters),
                number(f.recorded_inmates)
            ),
            href: u.facility(&f.code, ""),
        })
        .collect();
    keep(vec![
        Task::new("tanpa-daftar", none.len() as i64, "fasilitas belum punya daftar pemilih WBP", href.to_owned())
            .links(none, "fasilitas"),
        Task::new(
            "daftar-lama",
            old.len() as i64,
            &format!("fasilitas dengan daftar pemilih yang tidak berubah lebih dari {OLD_ROLL_DAYS} hari"),
            href.to_owned(),
        )
        .links(old, "fasilitas"),
        Task::new(
            "daftar-jauh",
            far.len() as i64,
            &format!(
                "fasilitas dengan daftar pemilih jauh dari jumlah WBP resmi (jumlah WBP aktif di daftar berselisih lebih dari {FAR_PERCENT}% dari jumlah resmi)"
            ),
            href.to_owned(),
        )
        .links(far, "fasilitas"),
    ])
}

/// Incidents not closed, by facility.
pub fn incidents(open: &[OpenIncidents], u: &Urls, href: String) -> Vec<Task> {
    let links = open
        .iter()
        .map(|i| Link {
            label: format!("{}: {}", i.name, number(i.open)),
            href: u.facility(&i.code, "/insiden"),
        })
        .collect();
    let count = open.iter().map(|i| i.open).sum();
    keep(vec![
        Task::new("insiden", count, "insiden belum selesai", href).links(links, "fasilitas"),
    ])
}

/// Differences between KPU's lists and the rolls, per facility, and the facilities whose
/// KPU list is not loaded yet.
pub fn reconciliation(rows: &[Reconciliation], u: &Urls, href: String) -> Vec<Task> {
    let page = |r: &Reconciliation| u.facility(&r.code, "/rekonsiliasi");
    let differing: Vec<&Reconciliation> = rows.iter().filter(|r| r.differences() > 0).collect();
    let links = differing
        .iter()
        .map(|r| Link {
            label: format!(
                "{}: {} hanya di daftar WBP, {} hanya di daftar KPU, {} beda TPS, {} beda nama",
                r.name,
                number(r.roll_only),
                number(r.kpu_only),
                number(r.tps_differs),
                number(r.name_differs)
            ),
            href: page(r),
        })
        .collect();
    let unlisted: Vec<Link> = rows
        .iter()
        .filter(|r| !r.listed)
        .map(|r| Link {
            label: r.name.clone(),
            href: page(r),
        })
        .collect();
    keep(vec![
        Task::new(
            "rekonsiliasi",
            differing.iter().map(|r| r.differences()).sum(),
            "selisih daftar KPU (DPT) dengan daftar pemilih WBP",
            href.clone(),
        )
        .note(format!("Di {} fasilitas.", number(differing.len() as i64)))
        .links(links, "fasilitas"),
        Task::new(
            "tanpa-daftar-kpu",
            unlisted.len() as i64,
            "fasilitas belum punya daftar KPU untuk dicocokkan",
            href,
        )
        .links(unlisted, "fasilitas"),
    ])
}

/// Nationally, TPS not ready and TPS short of ballots per province, from the figures.
pub fn provinces(facilities: &[FacilityFigures], u: &Urls) -> Vec<Task> {
    let mut by: Vec<(&str, &str, i64, i64)> = Vec::new();
    for f in facilities {
        let row = match by.iter_mut().find(|p| p.0 == f.province_code) {
            Some(row) => row,
            None => {
                by.push((&f.province_code, &f.province_name, 0, 0));
                by.last_mut().expect("just pushed")
            }
        };
        row.2 += f.figures.stations - f.figures.stations_ready;
        row.3 += f.figures.shortage_stations;
    }
    let line = |key, pick: fn(&(&str, &str, i64, i64)) -> i64, text: &str| {
        let links = by
            .iter()
            .filter(|p| pick(p) > 0)
            .map(|p| Link {
                label: format!("{}: {} TPS", p.1, number(pick(p))),
                href: u.province(p.0, "/kesiapan"),
            })
            .collect();
        // At most 38 provinces: all listed, the line itself links nowhere.
        Task {
            links,
            ..Task::new(key, by.iter().map(pick).sum(), text, String::new())
        }
    };
    keep(vec![
        line("kesiapan", |p| p.2, "TPS belum siap"),
        line(
            "kekurangan-surat-suara",
            |p| p.3,
            "TPS kekurangan surat suara",
        ),
    ])
}

#[cfg(test)]
mod tests;
