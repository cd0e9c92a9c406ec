//! Property tests of the pure rules: NIK parsing, eligibility, allocation, ballots.

use std::collections::{HashMap, HashSet};

use loksus::domain::allocation::{self, Station};
use loksus::domain::ballots::{self, BallotType, Contest, Dapils};
use loksus::domain::eligibility::{self, Facts, Reason, Rule};
use loksus::domain::nik::{self, NikValue, PROVINCE_CODES};
use proptest::prelude::*;
use time::{Date, Month};

fn date(y: i32, m: u8, d: u8) -> Date {
    Date::from_calendar_date(y, Month::try_from(m).unwrap(), d).unwrap()
}

fn any_date() -> impl Strategy<Value = Date> {
    (1940i32..2015, 1u8..=12, 1u8..=31).prop_map(|(y, m, d)| {
        let last = time::util::days_in_month(Month::try_from(m).unwrap(), y);
        date(y, m, d.min(last))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn nik_parsing_never_panics(s in ".{0,40}") {
        let _ = nik::parse(&s);
    }

    #[test]
    fn nik_parsing_never_panics_on_digits(s in "[0-9]{14,18}") {
        let _ = nik::parse(&s);
    }

    #[test]
    fn valid_niks_round_trip(
        p in 0usize..PROVINCE_CODES.len(),
        kab in 1u8..=99,
        kec in 1u8..=99,
        birth in any_date(),
        female in any::<bool>(),
        serial in 1u16..=9999,
    ) {
        let day = birth.day() + if female { 40 } else { 0 };
        let s = format!(
            "{}{kab:02}{kec:02}{day:02}{:02}{:02}{serial:04}",
            PROVINCE_CODES[p],
            u8::from(birth.month()),
            birth.year().rem_euclid(100)
        );
        match nik::parse(&s) {
            NikValue::Valid(n) => {
                prop_assert_eq!(&n.digits, &s);
                prop_assert_eq!(n.day, birth.day());
                prop_assert_eq!(n.month, u8::from(birth.month()));
                prop_assert_eq!(n.female, female);
                prop_assert_eq!(n.disagreement(birth, female), None);
            }
            other => prop_assert!(false, "{s} parsed as {other:?}"),
        }
        // As a spreadsheet may write it: the same NIK.
        let written = format!("'{} {}.{} {}", &s[0..4], &s[4..8], &s[8..12], &s[12..16]);
        prop_assert_eq!(nik::parse(&written), nik::parse(&s));
    }

    /// The rule, stated again independently: 17 by voting day (a 29 February birthday falls
    /// on 28 February in other years) or ever married; not revoked; not released by voting
    /// day; a valid NIK.
    #[test]
    fn eligibility_matches_an_independent_statement(
        birth in any_date(),
        marital in prop::sample::select(vec!["never_married", "married", "divorced", "widowed"]),
        revoked in any::<bool>(),
        release in prop::option::of(any_date().prop_map(|d| d.replace_year(2024).unwrap_or(d))),
        valid_nik in any::<bool>(),
        voting_day in (2023i32..2026, 1u8..=12, 1u8..=28).prop_map(|(y, m, d)| date(y, m, d)),
    ) {
        let got = eligibility::reasons(
            &Facts { birth_date: birth, marital_status: marital, rights_revoked: revoked,
                     release_date: release, valid_nik, home_region: None },
            &Rule { voting_day, pilkada_region: None },
        );
        let (bm, bd) = (u8::from(birth.month()), birth.day());
        let leap = |y: i32| time::util::is_leap_year(y);
        let (bm, bd) = if bm == 2 && bd == 29 && !leap(voting_day.year()) { (2, 28) } else { (bm, bd) };
        let had_birthday = (u8::from(voting_day.month()), voting_day.day()) >= (bm, bd);
        let age = voting_day.year() - birth.year() - if had_birthday { 0 } else { 1 };
        let mut expected = Vec::new();
        if age < 17 && marital == "never_married" { expected.push(Reason::UnderAge); }
        if revoked { expected.push(Reason::RightsRevoked); }
        if release.is_some_and(|r| r <= voting_day) { expected.push(Reason::Released); }
        if !valid_nik { expected.push(Reason::NoValidNik); }
        prop_assert_eq!(got, expected);
    }

    #[test]
    fn allocation_respects_the_cap_and_places_everyone_once(
        n_stations in 1usize..6,
        cap in 1usize..40,
        voters in 0i64..200,
        placed in prop::collection::vec((0i64..200, 0usize..6), 0..120),
        ineligible in prop::collection::hash_set(0i64..200, 0..30),
    ) {
        // Existing placements (a voter on at most one TPS).
        let mut seen = HashSet::new();
        let mut stations: Vec<Station> = (0..n_stations as i64)
            .map(|id| Station { id, voters: Vec::new() })
            .collect();
        for (v, s) in placed {
            if v < voters && seen.insert(v) {
                stations[s % n_stations].voters.push(v);
            }
        }
        // Every third voter is on DPTb/DPK; every seventh DPT voter has a KPU TPS.
        let voter = |id: i64| allocation::Voter {
            id,
            dpt: id % 3 != 0,
            kpu_station: (id % 3 != 0 && id % 7 == 0).then_some(id % n_stations as i64),
        };
        let eligible: Vec<allocation::Voter> =
            (0..voters).filter(|v| !ineligible.contains(v)).map(voter).collect();
        let a = allocation::allocate(&stations, &eligible, cap);
        let mut on: HashMap<i64, i64> = HashMap::new();
        for s in &stations {
            for &v in &s.voters { on.insert(v, s.id); }
        }
        for &(v, to) in &a.moves {
            match to { Some(s) => { on.insert(v, s); } None => { on.remove(&v); } }
        }
        let (mut dpt_on, mut pinned_on): (HashMap<i64, usize>, HashMap<i64, usize>) =
            (HashMap::new(), HashMap::new());
        for (v, s) in &on {
            prop_assert!(!ineligible.contains(v), "an ineligible voter kept a TPS");
            let w = voter(*v);
            if let Some(k) = w.kpu_station {
                prop_assert_eq!(k, *s, "a DPT voter off KPU's TPS");
                *pinned_on.entry(*s).or_default() += 1;
            }
            if w.dpt { *dpt_on.entry(*s).or_default() += 1; }
        }
        // The cap counts DPT voters; only KPU's assignments may exceed it.
        for (s, n) in &dpt_on {
            prop_assert!(*n <= cap.max(pinned_on.get(s).copied().unwrap_or(0)), "over the cap");
        }
        // DPTb/DPK voters always find a TPS; DPT voters are left out only when all are full.
        let dpt_eligible = eligible.iter().filter(|v| v.dpt).count();
        let dpt_placed: usize = dpt_on.values().sum();
        prop_assert_eq!(on.len() - dpt_placed, eligible.len() - dpt_eligible);
        prop_assert_eq!(a.unplaced, dpt_eligible - dpt_placed);
        if a.unplaced > 0 {
            prop_assert!((0..n_stations as i64).all(|s| dpt_on.get(&s).copied().unwrap_or(0) >= cap));
        }
        // Moves name each voter once.
        let moved: HashSet<i64> = a.moves.iter().map(|(v, _)| *v).collect();
        prop_assert_eq!(moved.len(), a.moves.len());
        // Stable: an eligible DPTb/DPK voter on a TPS stays there.
        for s in &stations {
            for v in &s.voters {
                if !ineligible.contains(v) && !voter(*v).dpt {
                    prop_assert_eq!(on.get(v), Some(&s.id));
                }
            }
        }
    }

    #[test]
    fn ballots_needed_are_the_dpt_the_entitled_and_the_reserve(
        homes in prop::collection::vec(
            prop::option::of((prop::sample::select(vec!["16", "31"]), 1u8..5, 1u8..5)), 0..60),
        dpt in 0i64..400,
        not_on_roll in 0i64..30,
        bp in prop::sample::select(vec![0i64, 100, 200, 250]),
    ) {
        let mut dapils = Dapils::default();
        for k in 1..5 {
            dapils.insert(Contest::Dpr, format!("16.{k:02}"), if k < 3 { "A" } else { "B" });
            dapils.insert(Contest::DprdProv, format!("16.{k:02}"), format!("P{}", k % 2));
            dapils.insert(Contest::DprdKabkota, format!("16.01.{k:02}"), if k < 2 { "K1" } else { "K2" });
        }
        let types = [BallotType::Ppwp, BallotType::Dpr, BallotType::Dpd, BallotType::DprdProv,
                     BallotType::DprdKabkota];
        let tps = Some("16.01.01.1001");
        let homes: Vec<Option<String>> = homes
            .into_iter()
            .map(|h| h.map(|(p, k, c)| format!("{p}.{k:02}.{c:02}")))
            .collect();
        let ents: Vec<_> = homes
            .iter()
            .map(|h| ballots::entitlement(&types, h.as_deref(), tps, &dapils))
            .collect();
        let placed: Vec<ballots::Placed> = ents
            .iter()
            .map(|e| ballots::Placed { dptb: true, entitlement: *e })
            .collect();
        let dptb = placed.len() as i64 + not_on_roll;
        let counts = ballots::Counts { dpt, dptb, dpk: 0 };
        let needs = ballots::needs(&types, counts, 0, &placed, bp);
        let reserve = ballots::reserve(dpt, bp);
        prop_assert!(reserve * 10_000 >= dpt * bp && (reserve - 1) * 10_000 < dpt * bp.max(1) || reserve == 0);
        prop_assert_eq!(needs.len(), types.len());
        for n in &needs {
            let t = n.ballot_type;
            let entitled = ents.iter().filter(|e| e.ballots.contains(t)).count() as i64;
            let uncertain = ents.iter().filter(|e| e.uncertain.contains(t)).count() as i64;
            prop_assert_eq!((n.dpt, n.reserve), (dpt, reserve));
            // Voters not on the roll count for the president for certain, else as uncertain.
            if t == BallotType::Ppwp {
                prop_assert_eq!((n.entitled, n.uncertain), (entitled + not_on_roll, uncertain));
                prop_assert_eq!(n.certain(), dpt + dptb + reserve);
                prop_assert_eq!(n.planning(), n.certain());
            } else {
                prop_assert_eq!((n.entitled, n.uncertain), (entitled, uncertain + not_on_roll));
                prop_assert!(n.planning() <= dpt + dptb + reserve);
            }
            // Nobody gets a ballot that was also marked uncertain, and everybody gets PPWP.
            for e in &ents {
                prop_assert!(!(e.ballots.contains(t) && e.uncertain.contains(t)));
                prop_assert!(e.ballots.contains(BallotType::Ppwp));
            }
        }
    }
}
