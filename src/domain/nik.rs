//! The 16-digit NIK: `PP KK CC DDMMYY SSSS` (province, kab/kota, kecamatan, birth date with
//! women's day + 40, serial). Pure rules, no database.
//!
//! A field is normalised before it is checked: spaces, dots and a leading apostrophe (as
//! spreadsheets write NIKs) are dropped. A value that is not a well-formed NIK is kept as it
//! was written, with why it is broken ([`NikProblem`]): the inmate stays on the roll.

use time::{Date, Month};

/// Kemendagri province codes (DOMAIN.md); the NIK's first two digits must be one of them.
pub const PROVINCE_CODES: [&str; 38] = [
    "11", "12", "13", "14", "15", "16", "17", "18", "19", "21", "31", "32", "33", "34", "35", "36",
    "51", "52", "53", "61", "62", "63", "64", "65", "71", "72", "73", "74", "75", "76", "81", "82",
    "91", "92", "93", "94", "95", "96",
];

/// The longest broken value kept as written (`voters.nik_raw`); longer ones are cut.
pub const MAX_RAW: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nik {
    pub digits: String,
    pub day: u8,
    pub month: u8,
    /// Two-digit year: the century comes from the recorded birth date.
    pub yy: u8,
    pub female: bool,
}

/// Why a NIK field holds no well-formed NIK (stored in English in `voters.nik_problem`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum NikProblem {
    /// Not 16 digits.
    Length,
    /// Something other than digits.
    Letters,
    /// The first two digits are no province code.
    Province,
    /// No real day and month (women's day + 40).
    Date,
    /// Serial `0000`.
    Serial,
    /// Written in scientific notation by a spreadsheet (`1.67101E+15`): the digits are lost.
    Scientific,
}

impl NikProblem {
    /// The database value.
    pub fn code(self) -> &'static str {
        match self {
            NikProblem::Length => "length",
            NikProblem::Letters => "letters",
            NikProblem::Province => "province",
            NikProblem::Date => "date",
            NikProblem::Serial => "serial",
            NikProblem::Scientific => "scientific",
        }
    }

    /// What is wrong, in Indonesian.
    pub fn message(self) -> &'static str {
        match self {
            NikProblem::Length => "NIK harus 16 angka",
            NikProblem::Letters => "NIK hanya boleh berisi angka",
            NikProblem::Province => "kode provinsi NIK tidak dikenal",
            NikProblem::Date => "tanggal lahir dalam NIK tidak mungkin",
            NikProblem::Serial => "nomor urut NIK tidak boleh 0000",
            NikProblem::Scientific => "NIK rusak oleh spreadsheet (format angka ilmiah)",
        }
    }
}

/// A field that holds no well-formed NIK: the value as written (trimmed, at most
/// [`MAX_RAW`] characters) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenNik {
    pub raw: String,
    pub problem: NikProblem,
}

/// What a NIK field holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NikValue {
    /// Empty or all zeros: an inmate without a NIK.
    Missing,
    Valid(Nik),
    Broken(BrokenNik),
}

/// `1.67101E+15`, `1,67101e15`: what a spreadsheet makes of a long number.
fn is_scientific(s: &str) -> bool {
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let Some((mantissa, exponent)) = s.split_once(['e', 'E']) else {
        return false;
    };
    let exponent = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
    let mantissa_ok = match mantissa.split_once(['.', ',']) {
        Some((int, frac)) => digits(int) && digits(frac),
        None => digits(mantissa),
    };
    mantissa_ok && digits(exponent)
}

/// Parses a NIK field (see the module docs for the normalisation).
pub fn parse(raw: &str) -> NikValue {
    let written = raw.trim();
    let unquoted = written.strip_prefix('\'').unwrap_or(written);
    let compact: String = unquoted.chars().filter(|c| !c.is_whitespace()).collect();
    let broken = |problem| {
        NikValue::Broken(BrokenNik {
            raw: written.chars().take(MAX_RAW).collect(),
            problem,
        })
    };
    if is_scientific(&compact) {
        return broken(NikProblem::Scientific);
    }
    let s: String = compact.chars().filter(|&c| c != '.').collect();
    if s.bytes().all(|b| b == b'0') {
        return NikValue::Missing;
    }
    match check(&s) {
        Ok(nik) => NikValue::Valid(nik),
        Err(problem) => broken(problem),
    }
}

/// Checks a normalised, non-empty NIK.
fn check(s: &str) -> Result<Nik, NikProblem> {
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(NikProblem::Letters);
    }
    if s.len() != 16 {
        return Err(NikProblem::Length);
    }
    if !PROVINCE_CODES.contains(&&s[0..2]) {
        return Err(NikProblem::Province);
    }
    let num = |r: std::ops::Range<usize>| s[r].parse::<u8>().expect("digits");
    let raw_day = num(6..8);
    let month = num(8..10);
    let yy = num(10..12);
    let female = raw_day > 40;
    let day = if female { raw_day - 40 } else { raw_day };
    let m = Month::try_from(month).map_err(|_| NikProblem::Date)?;
    // A two-digit year ending in a multiple of four may be a leap year (2000 was one).
    let leap_possible = yy % 4 == 0;
    let max_day = match m {
        Month::February if leap_possible => 29,
        _ => time::util::days_in_month(m, 2001),
    };
    if day == 0 || day > max_day {
        return Err(NikProblem::Date);
    }
    if &s[12..16] == "0000" {
        return Err(NikProblem::Serial);
    }
    Ok(Nik {
        digits: s.to_owned(),
        day,
        month,
        yy,
        female,
    })
}

impl Nik {
    /// What disagrees with the recorded birth date and sex: `None` when both agree, else
    /// `"tanggal lahir"`, `"jenis kelamin"` or both.
    pub fn disagreement(&self, birth: Date, female: bool) -> Option<&'static str> {
        let date = self.day != birth.day()
            || self.month != u8::from(birth.month())
            || i32::from(self.yy) != birth.year().rem_euclid(100);
        match (date, self.female != female) {
            (false, false) => None,
            (true, false) => Some("tanggal lahir"),
            (false, true) => Some("jenis kelamin"),
            (true, true) => Some("tanggal lahir dan jenis kelamin"),
        }
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
            NikValue::Valid(n) => n,
            other => panic!("{s}: {other:?}"),
        }
    }

    fn problem(s: &str) -> Option<NikProblem> {
        match parse(s) {
            NikValue::Broken(b) => Some(b.problem),
            _ => None,
        }
    }

    #[test]
    fn empty_and_zero_niks_are_missing() {
        assert_eq!(parse(""), NikValue::Missing);
        assert_eq!(parse("  "), NikValue::Missing);
        assert_eq!(parse("0000000000000000"), NikValue::Missing);
        assert_eq!(parse("'0000 0000 0000 0000"), NikValue::Missing);
    }

    #[test]
    fn shape_province_date_and_serial_are_checked() {
        use NikProblem::*;
        assert_eq!(problem("167101150890000"), Some(Length));
        assert_eq!(problem("16710115089000011"), Some(Length));
        assert_eq!(problem("16710115089000a1"), Some(Letters));
        assert_eq!(problem("１６71011508900001"), Some(Letters));
        assert_eq!(problem("1671-0115-0890-0001"), Some(Letters));
        assert_eq!(problem("9971011508900001"), Some(Province));
        assert_eq!(problem("1671013102900001"), Some(Date));
        assert_eq!(problem("1671011513900001"), Some(Date));
        assert_eq!(problem("1671017208900001"), Some(Date));
        assert_eq!(problem("1671011508900000"), Some(Serial));
        // 29 February of a year ending in 00 or 04 is possible.
        valid("1671012902000001");
        assert_eq!(problem("1671012902010001"), Some(Date));
        assert_eq!(Serial.message(), "nomor urut NIK tidak boleh 0000");
        assert_eq!(Scientific.code(), "scientific");
    }

    #[test]
    fn a_broken_nik_keeps_what_was_written() {
        assert_eq!(
            parse(" 1671 0115 0890 000 "),
            NikValue::Broken(BrokenNik {
                raw: "1671 0115 0890 000".into(),
                problem: NikProblem::Length
            })
        );
        let NikValue::Broken(long) = parse(&"x".repeat(200)) else {
            panic!("kept");
        };
        assert_eq!(long.raw.chars().count(), MAX_RAW);
    }

    #[test]
    fn spaces_dots_and_a_leading_apostrophe_are_dropped() {
        for written in [
            "'1671011508900001",
            "1671 0115 0890 0001",
            "1671.0115.0890.0001",
            "16.71.01.150890.0001",
            "' 1671\u{a0}0115 0890 0001 ",
        ] {
            assert_eq!(valid(written).digits, "1671011508900001", "{written}");
        }
    }

    #[test]
    fn scientific_notation_is_a_broken_nik() {
        for written in [
            "1.67101E+15",
            "1,67101E+15",
            "1.67101e+15",
            "'1.6710115E15",
            "2E+15",
        ] {
            assert_eq!(problem(written), Some(NikProblem::Scientific), "{written}");
        }
        assert_eq!(
            parse("1.67101E+15"),
            NikValue::Broken(BrokenNik {
                raw: "1.67101E+15".into(),
                problem: NikProblem::Scientific
            })
        );
        assert_eq!(problem("1.67101E"), Some(NikProblem::Letters));
    }

    #[test]
    fn women_have_forty_added_to_the_day() {
        let n = valid("1671015508900001");
        assert!(n.female);
        assert_eq!((n.day, n.month, n.yy), (15, 8, 90));
        let agrees = |birth, female| n.disagreement(birth, female).is_none();
        assert!(agrees(date!(1990 - 08 - 15), true));
        assert!(!agrees(date!(1990 - 08 - 15), false));
        assert!(!agrees(date!(1990 - 08 - 16), true));
        assert!(!agrees(date!(1991 - 08 - 15), true));
        assert!(agrees(date!(2090 - 08 - 15), true)); // the century is not in the NIK
        assert_eq!(n.kecamatan_code(), "16.71.01");
        assert_eq!(
            n.disagreement(date!(1990 - 08 - 16), false),
            Some("tanggal lahir dan jenis kelamin")
        );
        assert_eq!(
            n.disagreement(date!(1990 - 08 - 15), false),
            Some("jenis kelamin")
        );
    }
}
