//! The 16-digit NIK: `PP KK CC DDMMYY SSSS` (province, kab/kota, kecamatan, birth date with
//! women's day + 40, serial). Pure rules, no database.

use time::{Date, Month};

/// Kemendagri province codes (DOMAIN.md); the NIK's first two digits must be one of them.
pub const PROVINCE_CODES: [&str; 38] = [
    "11", "12", "13", "14", "15", "16", "17", "18", "19", "21", "31", "32", "33", "34", "35", "36",
    "51", "52", "53", "61", "62", "63", "64", "65", "71", "72", "73", "74", "75", "76", "81", "82",
    "91", "92", "93", "94", "95", "96",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nik {
    pub digits: String,
    pub day: u8,
    pub month: u8,
    /// Two-digit year: the century comes from the recorded birth date.
    pub yy: u8,
    pub female: bool,
}

/// What a NIK field holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NikValue {
    /// Empty or all zeros: an inmate without a NIK.
    Missing,
    Valid(Nik),
}

/// Parses a NIK field; `Err` carries the Indonesian reason it is invalid.
pub fn parse(raw: &str) -> Result<NikValue, &'static str> {
    let s = raw.trim();
    if s.is_empty() || (s.bytes().all(|b| b == b'0')) {
        return Ok(NikValue::Missing);
    }
    if s.len() != 16 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err("NIK harus 16 angka");
    }
    if !PROVINCE_CODES.contains(&&s[0..2]) {
        return Err("kode provinsi NIK tidak dikenal");
    }
    let num = |r: std::ops::Range<usize>| s[r].parse::<u8>().expect("digits");
    let raw_day = num(6..8);
    let month = num(8..10);
    let yy = num(10..12);
    let female = raw_day > 40;
    let day = if female { raw_day - 40 } else { raw_day };
    let Ok(m) = Month::try_from(month) else {
        return Err("tanggal lahir dalam NIK tidak mungkin");
    };
    // A two-digit year ending in a multiple of four may be a leap year (2000 was one).
    let leap_possible = yy % 4 == 0;
    let max_day = match m {
        Month::February if leap_possible => 29,
        _ => time::util::days_in_month(m, 2001),
    };
    if day == 0 || day > max_day {
        return Err("tanggal lahir dalam NIK tidak mungkin");
    }
    if &s[12..16] == "0000" {
        return Err("nomor urut NIK tidak boleh 0000");
    }
    Ok(NikValue::Valid(Nik {
        digits: s.to_owned(),
        day,
        month,
        yy,
        female,
    }))
}

impl Nik {
    /// Whether the NIK's date and sex agree with the recorded birth date and sex.
    pub fn matches(&self, birth: Date, female: bool) -> bool {
        self.day == birth.day()
            && self.month == u8::from(birth.month())
            && i32::from(self.yy) == birth.year().rem_euclid(100)
            && self.female == female
    }

    /// The kecamatan of first issue, dotted: `16.71.01`.
    pub fn kecamatan_code(&self) -> String {
        let d = &self.digits;
        format!("{}.{}.{}", &d[0..2], &d[2..4], &d[4..6])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn valid(s: &str) -> Nik {
        match parse(s) {
            Ok(NikValue::Valid(n)) => n,
            other => panic!("{s}: {other:?}"),
        }
    }

    #[test]
    fn empty_and_zero_niks_are_missing() {
        assert_eq!(parse(""), Ok(NikValue::Missing));
        assert_eq!(parse("  "), Ok(NikValue::Missing));
        assert_eq!(parse("0000000000000000"), Ok(NikValue::Missing));
    }

    #[test]
    fn shape_province_date_and_serial_are_checked() {
        assert_eq!(parse("167101150890000"), Err("NIK harus 16 angka"));
        assert_eq!(parse("16710115089000a1"), Err("NIK harus 16 angka"));
        assert_eq!(parse("１６71011508900001"), Err("NIK harus 16 angka"));
        assert_eq!(
            parse("9971011508900001"),
            Err("kode provinsi NIK tidak dikenal")
        );
        assert_eq!(
            parse("1671013102900001"),
            Err("tanggal lahir dalam NIK tidak mungkin")
        );
        assert_eq!(
            parse("1671011513900001"),
            Err("tanggal lahir dalam NIK tidak mungkin")
        );
        assert_eq!(
            parse("1671017208900001"),
            Err("tanggal lahir dalam NIK tidak mungkin")
        );
        assert_eq!(
            parse("1671011508900000"),
            Err("nomor urut NIK tidak boleh 0000")
        );
        // 29 February of a year ending in 00 or 04 is possible.
        valid("1671012902000001");
        assert!(parse("1671012902010001").is_err());
    }

    #[test]
    fn women_have_forty_added_to_the_day() {
        let n = valid("1671015508900001");
        assert!(n.female);
        assert_eq!((n.day, n.month, n.yy), (15, 8, 90));
        assert!(n.matches(date!(1990 - 08 - 15), true));
        assert!(!n.matches(date!(1990 - 08 - 15), false));
        assert!(!n.matches(date!(1990 - 08 - 16), true));
        assert!(!n.matches(date!(1991 - 08 - 15), true));
        assert!(n.matches(date!(2090 - 08 - 15), true)); // the century is not in the NIK
        assert_eq!(n.kecamatan_code(), "16.71.01");
    }
}
