//! The task lines about TPS: readiness items still open and ballots short.

use super::{Link, Task, Urls, keep};
use crate::domain::format::number;
use crate::read::summary::StationSummary;

fn tps_label(s: &StationSummary, with_facility: bool) -> String {
    if with_facility {
        format!("{} · TPS {}", s.facility_name, s.tps_number)
    } else {
        format!("TPS {}", s.tps_number)
    }
}

/// Required readiness items not siap: one line per TPS of a facility (`per_tps`), else one
/// line per item, each linking to the TPS that lack it.
pub fn station_items(
    stations: &[StationSummary],
    u: &Urls,
    href: String,
    per_tps: bool,
) -> Vec<Task> {
    let tps_url =
        |s: &StationSummary| u.facility(&s.facility_code, &format!("/tps/{}", s.tps_number));
    if per_tps {
        let open: Vec<&StationSummary> = stations
            .iter()
            .filter(|s| s.missing().count() > 0)
            .collect();
        let count = open.iter().map(|s| s.missing().count() as i64).sum();
        let links = open
            .iter()
            .map(|s| Link {
                label: format!(
                    "{}: {}",
                    tps_label(s, false),
                    s.missing()
                        .map(|i| i.short_label.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                href: tps_url(s),
            })
            .collect();
        let note = format!(
            "Di {} dari {} TPS.",
            number(open.len() as i64),
            number(stations.len() as i64)
        );
        return keep(vec![
            Task::new("kesiapan", count, "butir kesiapan TPS belum siap", href)
                .note(note)
                .links(links, "TPS"),
        ]);
    }
    // Every TPS of an election has the same checklist, in the checklist's order.
    let checklist = stations.first().map_or(&[][..], |s| &s.items[..]);
    checklist
        .iter()
        .map(|item| {
            let lacking = |s: &&StationSummary| s.missing().any(|i| i.item_id == item.item_id);
            (
                &item.label,
                stations.iter().filter(lacking).collect::<Vec<_>>(),
            )
        })
        .map(|(label, list)| {
            let links = list
                .iter()
                .map(|s| Link {
                    label: tps_label(s, true),
                    href: tps_url(s),
                })
                .collect();
            Task::new(
                "kesiapan",
                list.len() as i64,
                &format!("TPS belum siap: {}", label.to_lowercase()),
                href.clone(),
            )
            .links(links, "TPS")
        })
        .filter(|t| t.count > 0)
        .collect()
}

/// TPS short of ballots (once receipt is recorded): ballots short at a facility
/// (`per_facility`), TPS short in a province.
pub fn shortages(
    stations: &[StationSummary],
    u: &Urls,
    href: String,
    at_facility: bool,
) -> Vec<Task> {
    let short: Vec<&StationSummary> = stations.iter().filter(|s| s.shortage() > 0).collect();
    let links = short
        .iter()
        .map(|s| Link {
            label: format!(
                "{}: kurang {}",
                tps_label(s, !at_facility),
                number(s.shortage())
            ),
            href: u.facility(&s.facility_code, &format!("/tps/{}", s.tps_number)),
        })
        .collect();
    let task = if at_facility {
        Task::new(
            "kekurangan-surat-suara",
            short.iter().map(|s| s.shortage()).sum(),
            "surat suara kurang dari kebutuhan (termasuk cadangan)",
            href,
        )
    } else {
        Task::new(
            "kekurangan-surat-suara",
            short.len() as i64,
            "TPS kekurangan surat suara",
            href,
        )
    };
    keep(vec![task.links(links, "TPS")])
}
