//! The ASN neutrality briefing: a facility records, per election, the day its staff were
//! briefed on the neutrality of civil servants and how many attended. Pure rules.

use time::Date;

use crate::domain::roll_file::parse_date;

/// A briefing as recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Briefing {
    pub held_on: Date,
    pub staff: i32,
}

/// Checks the form (`tanggal`, `jumlah_pegawai`): a date not after `today`, 1–100.000 staff.
pub fn check_briefing(held_on: &str, staff: &str, today: Date) -> Result<Briefing, String> {
    let held_on = parse_date(held_on)
        .ok_or("Tanggal sosialisasi harus berupa tanggal, misalnya 2024-01-20 atau 20-01-2024.")?;
    if held_on > today {
        return Err("Tanggal sosialisasi tidak boleh di masa depan.".into());
    }
    let staff = staff
        .trim()
        .replace('.', "")
        .parse::<i32>()
        .ok()
        .filter(|n| (1..=100_000).contains(n))
        .ok_or("Jumlah pegawai yang mengikuti harus bilangan bulat 1–100.000.")?;
    Ok(Briefing { held_on, staff })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2024 - 02 - 01);

    #[test]
    fn a_briefing_has_a_past_date_and_some_staff() {
        assert_eq!(
            check_briefing("2024-01-20", "1.250", TODAY),
            Ok(Briefing {
                held_on: date!(2024 - 01 - 20),
                staff: 1250
            })
        );
        assert_eq!(
            check_briefing("01-02-2024", " 40 ", TODAY).map(|b| b.held_on),
            Ok(TODAY)
        );
        assert!(
            check_briefing("besok", "40", TODAY)
                .unwrap_err()
                .starts_with("Tanggal")
        );
        assert!(
            check_briefing("2024-02-02", "40", TODAY)
                .unwrap_err()
                .contains("masa depan")
        );
        for bad in ["0", "", "-3", "dua", "100001"] {
            assert!(
                check_briefing("2024-01-20", bad, TODAY)
                    .unwrap_err()
                    .starts_with("Jumlah"),
                "{bad}"
            );
        }
    }
}
