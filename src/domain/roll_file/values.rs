//! The roll file's values: dates, yes/no, region codes, and the closed sets of
//! [`crate::domain::voter`] as the file writes them (case-insensitive, with long forms).

use time::{Date, Month};

use crate::domain::nik;
use crate::domain::region::{Level, RegionCode};
use crate::domain::voter::{LegalStatus, MaritalStatus, Sex, VoterList};

/// Parses `YYYY-MM-DD`, `DD-MM-YYYY` or `DD/MM/YYYY`.
pub fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    let parts: Vec<&str> = if s.contains('/') {
        s.split('/').collect()
    } else {
        s.split('-').collect()
    };
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let (y, m, d) = if parts[0].len() == 4 && !s.contains('/') {
        (parts[0], parts[1], parts[2])
    } else if parts[2].len() == 4 {
        (parts[2], parts[1], parts[0])
    } else {
        return None;
    };
    let month = Month::try_from(m.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok()
}

/// `Y`/`YA` or `N`/`TIDAK`, any case.
pub fn yes_no(s: &str) -> Option<bool> {
    match s.to_uppercase().as_str() {
        "Y" | "YA" => Some(true),
        "N" | "TIDAK" => Some(false),
        _ => None,
    }
}

/// Accepts `16.71.01`, `167101`, `16.71.01.1001`, `1671011001` (a kecamatan or desa of a known
/// province); returns the dotted form. Whether the region exists is checked against the
/// reference when the file is imported.
pub fn parse_region(s: &str) -> Option<String> {
    RegionCode::parse(s)
        .filter(|c| matches!(c.level(), Level::Kecamatan | Level::Desa))
        .filter(|c| nik::PROVINCE_CODES.contains(&c.province()))
        .map(RegionCode::into_string)
}

/// A desa/kelurahan code, `16.71.01.1001` or `1671011001`, of a known province; returns the
/// dotted form (whether it exists is checked against the reference on import).
pub fn parse_desa(s: &str) -> Option<String> {
    RegionCode::parse(s)
        .filter(|c| c.level() == Level::Desa)
        .filter(|c| nik::PROVINCE_CODES.contains(&c.province()))
        .map(RegionCode::into_string)
}

/// `L`/`LAKI-LAKI` or `P`/`PEREMPUAN`, upper-cased already.
pub fn parse_sex(upper: &str) -> Option<Sex> {
    match upper {
        "L" | "LAKI-LAKI" => Some(Sex::Male),
        "P" | "PEREMPUAN" => Some(Sex::Female),
        _ => None,
    }
}

/// `NAPI`/`NARAPIDANA` or `TAHANAN`, upper-cased already.
pub fn parse_legal_status(upper: &str) -> Option<LegalStatus> {
    match upper {
        "NAPI" | "NARAPIDANA" => Some(LegalStatus::Convict),
        "TAHANAN" => Some(LegalStatus::Detainee),
        _ => None,
    }
}

/// `BELUM KAWIN` (also empty), `KAWIN`, `CERAI HIDUP`, `CERAI MATI`, upper-cased already,
/// underscores for spaces accepted.
pub fn parse_marital_status(upper: &str) -> Option<MaritalStatus> {
    match upper.replace('_', " ").as_str() {
        "" => Some(MaritalStatus::NeverMarried),
        s => MaritalStatus::ALL.into_iter().find(|m| m.file_value() == s),
    }
}

/// `DPT`, `DPTB` or `DPK`, upper-cased already.
pub fn parse_list(upper: &str) -> Option<VoterList> {
    VoterList::ALL.into_iter().find(|l| l.file_value() == upper)
}
