//! The countdown to voting day and the pindah-memilih deadlines (H-30, H-7), with what is
//! still open before each. Pure.

use time::Date;

use crate::domain::figures::Figures;
use crate::domain::format;

/// A deadline with how far away it is and what is still open before it.
pub struct Deadline {
    pub title: &'static str,
    pub date: String,
    pub days: String,
    pub passed: bool,
    pub open: Vec<String>,
}

pub(super) fn days_text(date: Date, today: Date) -> (String, bool) {
    let d = (date - today).whole_days();
    match d {
        0 => ("hari ini".to_owned(), false),
        d if d > 0 => (format!("{} hari lagi", format::number(d)), false),
        d => (format!("sudah lewat {} hari", format::number(-d)), true),
    }
}

pub struct Dates {
    pub voting_day: Date,
    pub transfer_deadline: Date,
    pub detainee_transfer_deadline: Date,
}

/// Voting day and the pindah-memilih deadlines (H-30, H-7), with what is still open.
pub fn countdown(dates: &Dates, today: Date, f: &Figures) -> Vec<Deadline> {
    let n = format::number;
    let mut h30 = Vec::new();
    if f.roll_unregistered > 0 {
        h30.push(format!(
            "{} WBP dapat memilih tetapi belum ada di DPT/DPTb/DPK (ajukan pindah memilih)",
            n(f.roll_unregistered)
        ));
    }
    if f.roll_no_valid_nik > 0 {
        h30.push(format!(
            "{} WBP tanpa NIK valid (daftar untuk Disdukcapil)",
            n(f.roll_no_valid_nik)
        ));
    }
    let mut h7 = Vec::new();
    if f.roll_unregistered_detainees > 0 {
        h7.push(format!(
            "{} tahanan dapat memilih tetapi belum terdaftar",
            n(f.roll_unregistered_detainees)
        ));
    }
    let mut day = Vec::new();
    if f.stations > f.stations_ready {
        day.push(format!(
            "{} dari {} TPS belum siap",
            n(f.stations - f.stations_ready),
            n(f.stations)
        ));
    }
    if f.shortage_stations > 0 {
        day.push(format!(
            "{} TPS kekurangan {} surat suara",
            n(f.shortage_stations),
            n(f.shortage_ballots)
        ));
    }
    [
        ("Batas pindah memilih (H-30)", dates.transfer_deadline, h30),
        (
            "Batas pindah memilih tahanan (H-7)",
            dates.detainee_transfer_deadline,
            h7,
        ),
        ("Hari pemungutan suara", dates.voting_day, day),
    ]
    .into_iter()
    .map(|(title, date, open)| {
        let (days, passed) = days_text(date, today);
        Deadline {
            title,
            date: format::date(date),
            days,
            passed,
            open,
        }
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn sumsel() -> Figures {
        Figures {
            facilities: 20,
            inmates: 15_895,
            stations: 51,
            dpt: 9_084,
            dptb: 1_913,
            dpk: 2_522,
            ..Figures::default()
        }
    }

    #[test]
    fn countdown_counts_days_and_lists_what_is_open() {
        let dates = Dates {
            voting_day: date!(2024 - 02 - 14),
            transfer_deadline: date!(2024 - 01 - 15),
            detainee_transfer_deadline: date!(2024 - 02 - 07),
        };
        let mut f = sumsel();
        f.stations_ready = 50;
        f.roll_unregistered = 12;
        let d = countdown(&dates, date!(2024 - 01 - 10), &f);
        assert_eq!(d[0].days, "5 hari lagi");
        assert_eq!(d[0].open.len(), 1);
        assert!(d[0].open[0].starts_with("12 WBP"));
        assert!(d[1].open.is_empty());
        assert_eq!(d[2].days, "35 hari lagi");
        assert_eq!(d[2].open, vec!["1 dari 51 TPS belum siap".to_owned()]);
        let d = countdown(&dates, date!(2024 - 02 - 15), &f);
        assert!(d[2].passed);
        assert_eq!(d[2].days, "sudah lewat 1 hari");
    }
}
