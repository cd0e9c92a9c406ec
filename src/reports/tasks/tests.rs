use super::*;
use crate::domain::figures::Figures;

fn facility(code: &str, recorded: i64, roll: i64) -> FacilityFigures {
    FacilityFigures {
        province_code: "16".into(),
        province_name: "Sumatera Selatan".into(),
        code: code.into(),
        name: format!("Lapas {code}"),
        facility_type: "lapas".into(),
        class: None,
        kabkota_name: "Kota Palembang".into(),
        illustrative: false,
        recorded_inmates: recorded,
        figures: Figures {
            roll_voters: roll,
            ..Figures::default()
        },
    }
}

#[test]
fn rolls_missing_old_or_more_than_ten_percent_off_are_listed() {
    let u = Urls { slug: "simulasi" };
    let today = time::macros::date!(2026 - 11 - 30);
    let facilities = [
        facility("a", 1000, 0),
        facility("b", 1000, 1100), // exactly 10%: not far
        facility("c", 1000, 899),
        facility("d", 1000, 1000),
    ];
    let changed = |days: i64| {
        Some(time::macros::datetime!(2026-11-30 05:00 UTC) - time::Duration::days(days))
    };
    let ages = [
        RollAge {
            code: "b".into(),
            last_change: changed(14),
        },
        RollAge {
            code: "d".into(),
            last_change: changed(15),
        },
    ];
    let tasks = rolls(&facilities, Some(&ages), today, &u, "/provinsi/16");
    let keys: Vec<_> = tasks.iter().map(|t| (t.key, t.count)).collect();
    assert_eq!(
        keys,
        [("tanpa-daftar", 1), ("daftar-lama", 1), ("daftar-jauh", 1)]
    );
    assert_eq!(
        tasks[0].links[0].href,
        "/fasilitas/a/daftar?pemilihan=simulasi"
    );
    assert!(
        tasks[1].links[0]
            .label
            .starts_with("Lapas d: terakhir 15 November 2026")
    );
    assert_eq!(
        tasks[2].links[0].label,
        "Lapas c: 899 di daftar, 1.000 resmi"
    );
    // Nationally the ages are not read: no line for old rolls.
    assert_eq!(rolls(&facilities, None, today, &u, "").len(), 2);
}

#[test]
fn long_lists_end_with_how_many_more_and_links_keep_the_election() {
    let u = Urls { slug: "simulasi" };
    assert_eq!(
        u.facility("x", "/pindah-memilih#dptb"),
        "/fasilitas/x/pindah-memilih?pemilihan=simulasi#dptb"
    );
    let links = (0..9)
        .map(|i| Link {
            label: i.to_string(),
            href: String::new(),
        })
        .collect();
    let t = Task::new("k", 9, "t", "/provinsi/16/kesiapan".into()).links(links, "TPS");
    assert_eq!(t.links.len(), SHOWN_LINKS);
    let more = t.more.unwrap();
    assert_eq!(
        (more.label.as_str(), more.href.as_str()),
        ("dan 3 TPS lainnya", "/provinsi/16/kesiapan")
    );
}
