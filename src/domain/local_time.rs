//! Local time in Indonesia's three zones and the polling hours: a TPS is open 07.00–13.00
//! local time, DPK voters vote in the last hour (from 12.00). The zone follows the province:
//! WIB (UTC+7) for Sumatra, Java, West and Central Kalimantan; WITA (UTC+8) for Bali, Nusa
//! Tenggara, South, East and North Kalimantan and Sulawesi; WIT (UTC+9) for Maluku and Papua.

use time::{Date, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

use crate::domain::format;
use crate::domain::voter::VoterList;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    Wib,
    Wita,
    Wit,
}

impl Zone {
    /// The zone of a Kemendagri province code (`53` → WITA); `None` for an unknown code.
    pub fn of_province(code: &str) -> Option<Zone> {
        let n: u8 = code.get(..2)?.parse().ok()?;
        match n {
            11..=19 | 21 | 31..=36 | 61 | 62 => Some(Zone::Wib),
            51..=53 | 63..=65 | 71..=76 => Some(Zone::Wita),
            81 | 82 | 91..=96 => Some(Zone::Wit),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Zone::Wib => "WIB",
            Zone::Wita => "WITA",
            Zone::Wit => "WIT",
        }
    }

    pub fn offset(self) -> UtcOffset {
        let hours = match self {
            Zone::Wib => 7,
            Zone::Wita => 8,
            Zone::Wit => 9,
        };
        UtcOffset::from_hms(hours, 0, 0).expect("a whole-hour offset")
    }

    /// `t` in this zone: `"14 Februari 2024 10.05 WITA"`.
    pub fn datetime(self, t: OffsetDateTime) -> String {
        let local = t.to_offset(self.offset());
        format!(
            "{} {} {}",
            format::date(local.date()),
            clock(local.time()),
            self.label()
        )
    }

    /// What a `datetime-local` field sends (`2024-02-14T10:30`, also with a space or
    /// seconds), read as a time in this zone.
    pub fn parse_local(self, s: &str) -> Option<OffsetDateTime> {
        let s = s.trim();
        let (date, time) = s.split_once(['T', ' '])?;
        let date = Date::parse(
            date.trim(),
            time::macros::format_description!("[year]-[month]-[day]"),
        )
        .ok()?;
        let time = time.trim();
        let time = Time::parse(
            time,
            time::macros::format_description!("[hour]:[minute]:[second]"),
        )
        .or_else(|_| Time::parse(time, time::macros::format_description!("[hour]:[minute]")))
        .ok()?;
        Some(PrimitiveDateTime::new(date, time).assume_offset(self.offset()))
    }

    /// `t` in this zone as a `datetime-local` field shows it: `2024-02-14T10:30`.
    pub fn input_value(self, t: OffsetDateTime) -> String {
        let local = t.to_offset(self.offset());
        format!("{}T{:02}:{:02}", local.date(), local.hour(), local.minute())
    }
}

/// `07.00`: hours and minutes as Indonesian texts write them.
pub fn clock(t: Time) -> String {
    format!("{:02}.{:02}", t.hour(), t.minute())
}

/// When voters of `list` may vote at a TPS (local time): 07.00–13.00, DPK from 12.00.
pub fn voting_hours(list: VoterList) -> (Time, Time) {
    let opens = match list {
        VoterList::Dpk => time::macros::time!(12:00),
        VoterList::Dpt | VoterList::Dptb => time::macros::time!(07:00),
    };
    (opens, time::macros::time!(13:00))
}

/// `"07.00–13.00 WITA"`; without a known zone, `"07.00–13.00 waktu setempat"`.
pub fn voting_hours_text(list: VoterList, zone: Option<Zone>) -> String {
    let (opens, closes) = voting_hours(list);
    format!(
        "{}–{} {}",
        clock(opens),
        clock(closes),
        zone.map_or("waktu setempat", Zone::label)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provinces_have_their_zone() {
        for (code, zone) in [
            ("11", Zone::Wib),
            ("16", Zone::Wib),
            ("19", Zone::Wib),
            ("21", Zone::Wib),
            ("31", Zone::Wib),
            ("36", Zone::Wib),
            ("61", Zone::Wib),
            ("62", Zone::Wib),
            ("51", Zone::Wita),
            ("53", Zone::Wita),
            ("63", Zone::Wita),
            ("65", Zone::Wita),
            ("71", Zone::Wita),
            ("76", Zone::Wita),
            ("81", Zone::Wit),
            ("82", Zone::Wit),
            ("91", Zone::Wit),
            ("96", Zone::Wit),
        ] {
            assert_eq!(Zone::of_province(code), Some(zone), "{code}");
        }
        assert_eq!(Zone::of_province("53.71"), Some(Zone::Wita));
        for unknown in ["20", "37", "54", "99", "x", ""] {
            assert_eq!(Zone::of_province(unknown), None, "{unknown}");
        }
    }

    #[test]
    fn dpk_voters_vote_in_the_last_hour() {
        assert_eq!(
            voting_hours_text(VoterList::Dpt, Some(Zone::Wib)),
            "07.00–13.00 WIB"
        );
        assert_eq!(
            voting_hours_text(VoterList::Dptb, Some(Zone::Wit)),
            "07.00–13.00 WIT"
        );
        assert_eq!(
            voting_hours_text(VoterList::Dpk, Some(Zone::Wita)),
            "12.00–13.00 WITA"
        );
        assert_eq!(
            voting_hours_text(VoterList::Dpk, None),
            "12.00–13.00 waktu setempat"
        );
    }

    #[test]
    fn local_times_read_and_write_in_the_zone() {
        let t = Zone::Wita.parse_local("2024-02-14T10:30").unwrap();
        assert_eq!(t, time::macros::datetime!(2024-02-14 02:30 UTC));
        assert_eq!(Zone::Wita.datetime(t), "14 Februari 2024 10.30 WITA");
        assert_eq!(Zone::Wib.datetime(t), "14 Februari 2024 09.30 WIB");
        assert_eq!(Zone::Wit.input_value(t), "2024-02-14T11:30");
        assert_eq!(Zone::Wib.parse_local("2024-02-14 09:30:00"), Some(t));
        for bad in [
            "",
            "2024-02-14",
            "14-02-2024 10:30",
            "2024-02-30T10:00",
            "2024-02-14T25:00",
        ] {
            assert_eq!(Zone::Wib.parse_local(bad), None, "{bad}");
        }
    }
}
