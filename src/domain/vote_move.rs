//! Pindah memilih (moving one's registration to vote elsewhere, form "Model A"): the reasons
//! the law accepts, which deadline applies to whom, and how many days are left. Pure.
//!
//! UU 7/2017 Pasal 210 and MK 20/PUU-XVII/2019: the form by H-30 for most reasons; up to H-7
//! for those who fell ill, were hit by a disaster, became detainees, or are on duty on
//! voting day. An inmate's lateness is judged by the admission date (the SQL view
//! `voters_with_reasons.late`), the deadline by the legal status: H-7 for a tahanan.

use time::Date;

use crate::domain::format;
use crate::domain::voter::LegalStatus;

/// Why a voter moves, as the form states it; stored in English, written in Indonesian.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum FormReason {
    Duty,
    Inpatient,
    DisabilityCare,
    Rehabilitation,
    Detention,
    Study,
    MovedHome,
    Disaster,
    Work,
}

impl FormReason {
    pub const ALL: [FormReason; 9] = [
        FormReason::Detention,
        FormReason::Inpatient,
        FormReason::Disaster,
        FormReason::Duty,
        FormReason::DisabilityCare,
        FormReason::Rehabilitation,
        FormReason::Study,
        FormReason::MovedHome,
        FormReason::Work,
    ];

    /// The database value.
    pub fn as_str(self) -> &'static str {
        match self {
            FormReason::Duty => "duty",
            FormReason::Inpatient => "inpatient",
            FormReason::DisabilityCare => "disability_care",
            FormReason::Rehabilitation => "rehabilitation",
            FormReason::Detention => "detention",
            FormReason::Study => "study",
            FormReason::MovedHome => "moved_home",
            FormReason::Disaster => "disaster",
            FormReason::Work => "work",
        }
    }

    /// The voter form's value (`alasan_pindah`).
    pub fn form_value(self) -> &'static str {
        match self {
            FormReason::Duty => "tugas",
            FormReason::Inpatient => "rawat_inap",
            FormReason::DisabilityCare => "panti_disabilitas",
            FormReason::Rehabilitation => "rehabilitasi",
            FormReason::Detention => "tahanan",
            FormReason::Study => "belajar",
            FormReason::MovedHome => "pindah_domisili",
            FormReason::Disaster => "bencana",
            FormReason::Work => "bekerja",
        }
    }

    pub fn from_form(value: &str) -> Option<FormReason> {
        FormReason::ALL
            .into_iter()
            .find(|r| r.form_value() == value.trim())
    }

    /// As the pages write it.
    pub fn label(self) -> &'static str {
        match self {
            FormReason::Duty => "Menjalankan tugas pada hari pemungutan suara",
            FormReason::Inpatient => "Menjalani rawat inap di rumah sakit/puskesmas",
            FormReason::DisabilityCare => "Penyandang disabilitas dalam perawatan panti sosial",
            FormReason::Rehabilitation => "Menjalani rehabilitasi narkoba",
            FormReason::Detention => "Menjadi tahanan atau menjalani pidana penjara",
            FormReason::Study => "Tugas belajar/menempuh pendidikan",
            FormReason::MovedHome => "Pindah domisili",
            FormReason::Disaster => "Tertimpa bencana alam",
            FormReason::Work => "Bekerja di luar domisili",
        }
    }

    /// The reasons MK 20/PUU-XVII/2019 allows up to H-7.
    pub fn until_h7(self) -> bool {
        matches!(
            self,
            FormReason::Detention | FormReason::Inpatient | FormReason::Disaster | FormReason::Duty
        )
    }
}

/// The election's two pindah memilih deadlines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadlines {
    /// H-30: most reasons.
    pub general: Date,
    /// H-7: detainees (and the sick, disaster victims, those on duty).
    pub detainee: Date,
}

/// The deadline that applies to an inmate, and its name (`H-30` or `H-7`).
pub fn deadline(status: LegalStatus, d: Deadlines) -> (Date, &'static str) {
    match status {
        LegalStatus::Detainee => (d.detainee, "H-7"),
        LegalStatus::Convict => (d.general, "H-30"),
    }
}

/// Days from `today` to `deadline`: negative once it has passed.
pub fn days_left(deadline: Date, today: Date) -> i64 {
    (deadline - today).whole_days()
}

/// `5 hari lagi`, `hari ini`, `lewat 3 hari`.
pub fn days_text(days: i64) -> String {
    match days {
        0 => "hari ini".to_owned(),
        d if d > 0 => format!("{} hari lagi", format::number(d)),
        d => format!("lewat {} hari", format::number(-d)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    /// Pemilu 2024: voting day 14 February 2024.
    const PEMILU_2024: Deadlines = Deadlines {
        general: date!(2024 - 01 - 15),
        detainee: date!(2024 - 02 - 07),
    };

    #[test]
    fn a_detainee_has_until_h7_a_convict_until_h30() {
        assert_eq!(
            deadline(LegalStatus::Detainee, PEMILU_2024),
            (date!(2024 - 02 - 07), "H-7")
        );
        assert_eq!(
            deadline(LegalStatus::Convict, PEMILU_2024),
            (date!(2024 - 01 - 15), "H-30")
        );
    }

    #[test]
    fn days_left_count_down_then_go_negative() {
        let h30 = PEMILU_2024.general;
        assert_eq!(days_left(h30, date!(2024 - 01 - 10)), 5);
        assert_eq!(days_left(h30, date!(2024 - 01 - 15)), 0);
        assert_eq!(days_left(h30, date!(2024 - 01 - 18)), -3);
        assert_eq!(days_text(5), "5 hari lagi");
        assert_eq!(days_text(0), "hari ini");
        assert_eq!(days_text(-3), "lewat 3 hari");
        assert_eq!(days_text(-1200), "lewat 1.200 hari");
    }

    #[test]
    fn form_values_are_indonesian_and_round_trip() {
        for r in FormReason::ALL {
            assert_eq!(FormReason::from_form(r.form_value()), Some(r));
            assert_ne!(r.form_value(), r.as_str(), "{r:?}");
        }
        assert_eq!(FormReason::from_form("detention"), None);
        let h7: Vec<_> = FormReason::ALL
            .into_iter()
            .filter(|r| r.until_h7())
            .collect();
        assert_eq!(h7.len(), 4);
    }
}
