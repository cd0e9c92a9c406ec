//! The roll list's filters, `?saring=`: Indonesian values (the naming rule), the English
//! values of earlier versions kept as aliases so bookmarks keep working, a label for each,
//! and the English key the list query switches on.

use crate::domain::eligibility::Reason;
use crate::domain::voter::VoterList;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    /// Every active voter (the default).
    Active,
    /// Active and may vote.
    Eligible,
    /// Active and may not vote for this reason.
    Ineligible(Reason),
    Registered(VoterList),
    Unlisted,
    NoNik,
    /// A NIK that is not well formed (kept as written).
    NikInvalid,
    NikMismatch,
    HomeFromNik,
    /// On the DPK without a KTP-el: needs one, or a Suket from Disdukcapil.
    DpkWithoutKtp,
    /// Admitted after the pindah memilih deadline that applies.
    Late,
    /// No admission date: lateness unknown.
    AdmissionUnknown,
    Departed,
    /// Active and departed.
    All,
}

impl Filter {
    /// In the order the page lists them.
    pub const ALL: [Filter; 20] = [
        Filter::Active,
        Filter::Eligible,
        Filter::Ineligible(Reason::UnderAge),
        Filter::Ineligible(Reason::RightsRevoked),
        Filter::Ineligible(Reason::Released),
        Filter::Ineligible(Reason::NoValidNik),
        Filter::Ineligible(Reason::OutsideRegion),
        Filter::Registered(VoterList::Dpt),
        Filter::Registered(VoterList::Dptb),
        Filter::Registered(VoterList::Dpk),
        Filter::Unlisted,
        Filter::NoNik,
        Filter::NikInvalid,
        Filter::NikMismatch,
        Filter::HomeFromNik,
        Filter::DpkWithoutKtp,
        Filter::Late,
        Filter::AdmissionUnknown,
        Filter::Departed,
        Filter::All,
    ];

    /// The `?saring=` value.
    pub fn value(self) -> &'static str {
        match self {
            Filter::Active => "aktif",
            Filter::Eligible => "layak",
            Filter::Ineligible(Reason::UnderAge) => "belum_17",
            Filter::Ineligible(Reason::RightsRevoked) => "hak_dicabut",
            Filter::Ineligible(Reason::Released) => "bebas",
            Filter::Ineligible(Reason::NoValidNik) => "tanpa_nik_sah",
            Filter::Ineligible(Reason::OutsideRegion) => "luar_wilayah",
            Filter::Registered(list) => list.as_str(),
            Filter::Unlisted => "belum",
            Filter::NoNik => "tanpa_nik",
            Filter::NikInvalid => "nik_rusak",
            Filter::NikMismatch => "nik_tidak_cocok",
            Filter::HomeFromNik => "wilayah_nik",
            Filter::DpkWithoutKtp => "dpk_tanpa_ktp_el",
            Filter::Late => "terlambat",
            Filter::AdmissionUnknown => "tanpa_tanggal_masuk",
            Filter::Departed => "keluar",
            Filter::All => "semua",
        }
    }

    /// The English value earlier versions used, still accepted.
    fn alias(self) -> Option<&'static str> {
        match self {
            Filter::Ineligible(r) => Some(r.code()),
            Filter::NoNik => Some("no_nik"),
            Filter::NikMismatch => Some("nik_mismatch"),
            _ => None,
        }
    }

    /// The filter named by a `?saring=` value (empty: [`Filter::Active`]); `None` when
    /// unknown.
    pub fn parse(value: &str) -> Option<Filter> {
        if value.is_empty() {
            return Some(Filter::Active);
        }
        Filter::ALL
            .into_iter()
            .find(|f| f.value() == value || f.alias() == Some(value))
    }

    pub fn label(self) -> &'static str {
        match self {
            Filter::Active => "Semua WBP aktif",
            Filter::Eligible => "Dapat memilih",
            Filter::Ineligible(r) => r.label(),
            Filter::Registered(VoterList::Dpt) => "Terdaftar di DPT",
            Filter::Registered(VoterList::Dptb) => "Terdaftar di DPTb",
            Filter::Registered(VoterList::Dpk) => "Terdaftar di DPK",
            Filter::Unlisted => "Belum terdaftar di daftar mana pun",
            Filter::NoNik => "Tanpa NIK",
            Filter::NikInvalid => "NIK rusak (tidak sah)",
            Filter::NikMismatch => "NIK tidak cocok dengan tanggal lahir/jenis kelamin",
            Filter::HomeFromNik => "Wilayah asal diambil dari NIK",
            Filter::DpkWithoutKtp => "DPK tanpa KTP-el: perlu KTP-el atau Suket",
            Filter::Late => "Masuk setelah batas pindah memilih",
            Filter::AdmissionUnknown => "Tanggal masuk belum diisi",
            Filter::Departed => "Sudah keluar (bebas/dipindahkan)",
            Filter::All => "Semua, termasuk yang keluar",
        }
    }

    /// The key the list query switches on (English, like the database's values).
    pub fn key(self) -> &'static str {
        match self {
            Filter::Active => "active",
            Filter::Eligible => "eligible",
            Filter::Ineligible(r) => r.code(),
            Filter::Registered(list) => list.as_str(),
            Filter::Unlisted => "unlisted",
            Filter::NoNik => "no_nik",
            Filter::NikInvalid => "nik_invalid",
            Filter::NikMismatch => "nik_mismatch",
            Filter::HomeFromNik => "home_from_nik",
            Filter::DpkWithoutKtp => "dpk_without_ktp",
            Filter::Late => "late",
            Filter::AdmissionUnknown => "admission_unknown",
            Filter::Departed => "departed",
            Filter::All => "all",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_indonesian_and_the_english_ones_still_work() {
        for f in Filter::ALL {
            assert_eq!(Filter::parse(f.value()), Some(f));
            assert!(!f.value().contains("under") && !f.value().contains("region"));
        }
        let aliases = [
            ("under_age", "belum_17"),
            ("rights_revoked", "hak_dicabut"),
            ("released", "bebas"),
            ("no_valid_nik", "tanpa_nik_sah"),
            ("outside_region", "luar_wilayah"),
            ("no_nik", "tanpa_nik"),
            ("nik_mismatch", "nik_tidak_cocok"),
        ];
        for (old, new) in aliases {
            assert_eq!(Filter::parse(old).map(Filter::value), Some(new), "{old}");
        }
        assert_eq!(Filter::parse(""), Some(Filter::Active));
        assert_eq!(Filter::parse("active"), None);
    }
}
