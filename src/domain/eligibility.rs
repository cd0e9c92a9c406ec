//! Who may vote at the facility's TPS on voting day (DOMAIN.md, Pemilu 2024), and why not.
//! The same rule runs in SQL (`voter_reasons` in the migrations) for lists and counts; a test
//! checks that both agree.

use time::{Date, Month};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reason {
    UnderAge,
    RightsRevoked,
    Released,
    NoValidNik,
    OutsideRegion,
}

impl Reason {
    pub const ALL: [Reason; 5] = [
        Reason::UnderAge,
        Reason::RightsRevoked,
        Reason::Released,
        Reason::NoValidNik,
        Reason::OutsideRegion,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Reason::UnderAge => "under_age",
            Reason::RightsRevoked => "rights_revoked",
            Reason::Released => "released",
            Reason::NoValidNik => "no_valid_nik",
            Reason::OutsideRegion => "outside_region",
        }
    }

    pub fn from_code(code: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Reason::UnderAge => "Belum 17 tahun dan belum pernah kawin",
            Reason::RightsRevoked => "Hak memilih dicabut pengadilan",
            Reason::Released => "Bebas sebelum atau pada hari pemungutan suara",
            Reason::NoValidNik => "Tanpa NIK yang sah",
            Reason::OutsideRegion => "KTP-el di luar wilayah pilkada",
        }
    }
}

/// What the rule looks at for one voter.
#[derive(Debug, Clone)]
pub struct Facts<'a> {
    pub birth_date: Date,
    /// `never_married`, `married`, `divorced` or `widowed` (the database value).
    pub marital_status: &'a str,
    pub rights_revoked: bool,
    pub release_date: Option<Date>,
    /// A well-formed NIK is present (one whose date or sex disagrees with the record still
    /// counts: that is a warning for Disdukcapil, not an exclusion).
    pub valid_nik: bool,
    /// Dotted home (KTP-el) region code.
    pub home_region: Option<&'a str>,
}

/// What the rule looks at for the election.
#[derive(Debug, Clone, Copy)]
pub struct Rule<'a> {
    pub voting_day: Date,
    /// For a pilkada, the region holding it (province or kab/kota code).
    pub pilkada_region: Option<&'a str>,
}

/// The day someone born on `birth` turns `years`; 29 February births count 28 February in
/// other years (as PostgreSQL's `date + interval` does).
pub fn birthday(birth: Date, years: i32) -> Date {
    let year = birth.year() + years;
    Date::from_calendar_date(year, birth.month(), birth.day())
        .or_else(|_| Date::from_calendar_date(year, Month::February, 28))
        .expect("valid date")
}

/// Whether `region` lies within `area` (`16.71.01` lies within `16.71` and `16`).
pub fn within(region: &str, area: &str) -> bool {
    region == area
        || region
            .strip_prefix(area)
            .is_some_and(|rest| rest.starts_with('.'))
}

/// Every reason this voter may not vote; empty when they may.
pub fn reasons(f: &Facts, rule: &Rule) -> Vec<Reason> {
    let mut out = Vec::new();
    if birthday(f.birth_date, 17) > rule.voting_day && f.marital_status == "never_married" {
        out.push(Reason::UnderAge);
    }
    if f.rights_revoked {
        out.push(Reason::RightsRevoked);
    }
    if f.release_date.is_some_and(|d| d <= rule.voting_day) {
        out.push(Reason::Released);
    }
    if !f.valid_nik {
        out.push(Reason::NoValidNik);
    }
    if let Some(area) = rule.pilkada_region
        && !f.home_region.is_some_and(|h| within(h, area))
    {
        out.push(Reason::OutsideRegion);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const PEMILU: Rule = Rule {
        voting_day: date!(2024 - 02 - 14),
        pilkada_region: None,
    };

    fn facts() -> Facts<'static> {
        Facts {
            birth_date: date!(1990 - 08 - 15),
            marital_status: "never_married",
            rights_revoked: false,
            release_date: None,
            valid_nik: true,
            home_region: Some("16.74.01"),
        }
    }

    #[test]
    fn an_adult_with_a_valid_nik_may_vote() {
        assert!(reasons(&facts(), &PEMILU).is_empty());
    }

    #[test]
    fn exactly_17_on_voting_day_may_vote_a_day_younger_may_not() {
        let mut f = facts();
        f.birth_date = date!(2007 - 02 - 14);
        assert!(reasons(&f, &PEMILU).is_empty());
        f.birth_date = date!(2007 - 02 - 15);
        assert_eq!(reasons(&f, &PEMILU), [Reason::UnderAge]);
    }

    #[test]
    fn married_at_16_may_vote() {
        let mut f = facts();
        f.birth_date = date!(2007 - 06 - 01);
        f.marital_status = "married";
        assert!(reasons(&f, &PEMILU).is_empty());
        f.marital_status = "widowed";
        assert!(reasons(&f, &PEMILU).is_empty());
    }

    #[test]
    fn released_on_voting_day_votes_at_home() {
        let mut f = facts();
        f.release_date = Some(date!(2024 - 02 - 14));
        assert_eq!(reasons(&f, &PEMILU), [Reason::Released]);
        f.release_date = Some(date!(2024 - 02 - 15));
        assert!(reasons(&f, &PEMILU).is_empty());
    }

    #[test]
    fn revoked_rights_and_invalid_nik_each_count() {
        let mut f = facts();
        f.rights_revoked = true;
        f.valid_nik = false;
        assert_eq!(
            reasons(&f, &PEMILU),
            [Reason::RightsRevoked, Reason::NoValidNik]
        );
    }

    #[test]
    fn a_pilkada_needs_a_home_inside_its_region() {
        let rule = Rule {
            voting_day: date!(2024 - 11 - 27),
            pilkada_region: Some("16.71"),
        };
        let mut f = facts();
        f.home_region = Some("16.71.01.1001");
        assert!(reasons(&f, &rule).is_empty());
        f.home_region = Some("16.74.01");
        assert_eq!(reasons(&f, &rule), [Reason::OutsideRegion]);
        f.home_region = Some("16.710");
        assert_eq!(reasons(&f, &rule), [Reason::OutsideRegion]);
        f.home_region = None;
        assert_eq!(reasons(&f, &rule), [Reason::OutsideRegion]);
    }

    #[test]
    fn leap_day_birthdays() {
        assert_eq!(birthday(date!(2008 - 02 - 29), 17), date!(2025 - 02 - 28));
        assert_eq!(birthday(date!(2008 - 02 - 29), 16), date!(2024 - 02 - 29));
    }
}
