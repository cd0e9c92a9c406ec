//! Numbers and dates the way Indonesian readers write them: 15.895, 85%, 14 Februari 2024.

use time::Date;

/// Thousands separated by dots: `15895` → `"15.895"`.
pub fn number(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// `part` of `whole` as a whole percentage, rounded half up: 13.519 of 15.895 → `"85%"`.
/// An empty whole gives a dash rather than a division by zero.
pub fn percent(part: i64, whole: i64) -> String {
    match rounded_percent(part, whole) {
        Some(p) => format!("{p}%"),
        None => "–".to_owned(),
    }
}

/// The rounded percentage itself, for callers that compare it.
pub fn rounded_percent(part: i64, whole: i64) -> Option<i64> {
    (whole > 0).then(|| (part * 200 + whole) / (whole * 2))
}

/// A rate in hundredths of a percent as a plain decimal number (for scripts): 200 → `"2"`,
/// 250 → `"2.5"`, 225 → `"2.25"`.
pub fn basis_points_decimal(bp: i64) -> String {
    let whole = bp / 100;
    match bp % 100 {
        0 => whole.to_string(),
        f if f % 10 == 0 => format!("{whole}.{}", f / 10),
        f => format!("{whole}.{f:02}"),
    }
}

/// The same rate as Indonesians write it: 200 → `"2%"`, 250 → `"2,5%"`.
pub fn basis_points_percent(bp: i64) -> String {
    format!("{}%", basis_points_decimal(bp).replace('.', ","))
}

const MONTHS: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];

/// `2024-02-14` → `"14 Februari 2024"`.
pub fn date(d: Date) -> String {
    format!(
        "{} {} {}",
        d.day(),
        MONTHS[u8::from(d.month()) as usize - 1],
        d.year()
    )
}

/// `2024-02-14` → `"Rabu, 14 Februari 2024"`: the date with its day, as forms print it.
pub fn long_date(d: Date) -> String {
    let day = match d.weekday() {
        time::Weekday::Monday => "Senin",
        time::Weekday::Tuesday => "Selasa",
        time::Weekday::Wednesday => "Rabu",
        time::Weekday::Thursday => "Kamis",
        time::Weekday::Friday => "Jumat",
        time::Weekday::Saturday => "Sabtu",
        time::Weekday::Sunday => "Minggu",
    };
    format!("{day}, {}", date(d))
}

/// A moment in Western Indonesian Time (UTC+7): `"14 Februari 2024 10.05 WIB"`.
pub fn datetime(t: time::OffsetDateTime) -> String {
    let wib = t.to_offset(time::macros::offset!(+7));
    format!(
        "{} {:02}.{:02} WIB",
        date(wib.date()),
        wib.hour(),
        wib.minute()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_use_a_decimal_comma() {
        assert_eq!(basis_points_percent(200), "2%");
        assert_eq!(basis_points_percent(250), "2,5%");
        assert_eq!(basis_points_percent(225), "2,25%");
        assert_eq!(basis_points_percent(5), "0,05%");
    }

    #[test]
    fn numbers_use_dots_for_thousands() {
        assert_eq!(number(0), "0");
        assert_eq!(number(999), "999");
        assert_eq!(number(1_000), "1.000");
        assert_eq!(number(15_895), "15.895");
        assert_eq!(number(262_000), "262.000");
        assert_eq!(number(1_234_567), "1.234.567");
        assert_eq!(number(-45), "-45");
        assert_eq!(number(-1_234), "-1.234");
    }

    #[test]
    fn percentages_round_half_up_and_survive_zero() {
        assert_eq!(percent(13_519, 15_895), "85%");
        assert_eq!(percent(1, 2), "50%");
        assert_eq!(percent(1, 200), "1%"); // 0,5% rounds up
        assert_eq!(percent(1, 201), "0%");
        assert_eq!(percent(5, 0), "–");
    }

    #[test]
    fn dates_are_written_out_in_indonesian() {
        assert_eq!(
            date(time::macros::date!(2024 - 02 - 14)),
            "14 Februari 2024"
        );
        assert_eq!(
            date(time::macros::date!(2024 - 11 - 27)),
            "27 November 2024"
        );
        assert_eq!(
            long_date(time::macros::date!(2024 - 02 - 14)),
            "Rabu, 14 Februari 2024"
        );
        assert_eq!(
            long_date(time::macros::date!(2024 - 11 - 27)),
            "Rabu, 27 November 2024"
        );
    }
}
