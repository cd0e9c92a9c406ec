//! Ballot accounting of a TPS after closing (issue 15): per ballot type that exists at the
//! TPS, the ballots received, used, damaged or spoiled, and unused; and whether the TPS
//! *balances*. Pure.
//!
//! The rule, per ballot type of the TPS:
//! - received = used + damaged + unused;
//! - the TPS's *universal* ballot (PPWP in a Pemilu; in a Pilkada the Gubernur ballot, or the
//!   Bupati/Walikota ballot where no Gubernur ballot exists) goes to every voter, so its
//!   `used` equals everyone who voted (DPT + DPTb + DPK of the latest turnout report);
//! - every other type goes to every DPT voter but only to the DPTb/DPK voters entitled to it
//!   (a voter from another province gets no DPD ballot, one from another dapil no DPR
//!   ballot), so its `used` lies between the DPT voters who voted and everyone who voted.
//!
//! A TPS balances when every type has an account, each type keeps the rule, and a turnout
//! report exists to compare with. A TPS without any account is not judged yet.

use crate::domain::ballots::BallotType;
use crate::domain::format;
use crate::domain::turnout::Turnout;

/// One ballot type's account.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Account {
    pub received: i64,
    pub used: i64,
    pub damaged: i64,
    pub unused: i64,
}

impl Account {
    pub fn accounted(&self) -> i64 {
        self.used + self.damaged + self.unused
    }
}

/// Whether a TPS's ballot accounting balances (stored as `station_voting_day.balance`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Balance {
    /// No account recorded yet.
    #[default]
    None,
    Balanced,
    Unbalanced,
}

impl Balance {
    pub fn as_str(self) -> &'static str {
        match self {
            Balance::None => "none",
            Balance::Balanced => "balanced",
            Balance::Unbalanced => "unbalanced",
        }
    }

    pub fn parse(s: &str) -> Balance {
        match s {
            "balanced" => Balance::Balanced,
            "unbalanced" => Balance::Unbalanced,
            _ => Balance::None,
        }
    }
}

/// The ballot every voter of the TPS receives: PPWP, else Gubernur, else Bupati/Walikota.
pub fn universal(types: &[BallotType]) -> Option<BallotType> {
    [
        BallotType::Ppwp,
        BallotType::Gubernur,
        BallotType::BupatiWalikota,
    ]
    .into_iter()
    .find(|t| types.contains(t))
}

/// What is wrong with one type's account (empty when it keeps the rule). `is_universal`:
/// the type is the TPS's [`universal`] ballot; `turnout`: the latest report (without one,
/// only the sum is checked).
pub fn type_problems(
    t: BallotType,
    is_universal: bool,
    a: &Account,
    turnout: Option<&Turnout>,
) -> Vec<String> {
    let n = format::number;
    let label = t.label();
    let mut out = Vec::new();
    if a.received != a.accounted() {
        out.push(format!(
            "{label}: diterima {}, tetapi digunakan + rusak + sisa = {} + {} + {} = {}.",
            n(a.received),
            n(a.used),
            n(a.damaged),
            n(a.unused),
            n(a.accounted())
        ));
    }
    let Some(v) = turnout else { return out };
    if is_universal && a.used != v.total() {
        out.push(format!(
            "{label}: digunakan {}, tetapi yang memilih {}: harus sama, karena setiap pemilih \
             menerima surat suara ini.",
            n(a.used),
            n(v.total())
        ));
    } else if a.used > v.total() {
        out.push(format!(
            "{label}: digunakan {}, lebih banyak dari yang memilih ({}).",
            n(a.used),
            n(v.total())
        ));
    } else if a.used < v.dpt {
        out.push(format!(
            "{label}: digunakan {}, kurang dari pemilih DPT yang memilih ({}): setiap pemilih \
             DPT menerima surat suara ini.",
            n(a.used),
            n(v.dpt)
        ));
    }
    out
}

/// Whether one type's account keeps the rule against a turnout report.
pub fn type_balanced(
    t: BallotType,
    types: &[BallotType],
    a: &Account,
    turnout: Option<&Turnout>,
) -> bool {
    turnout.is_some() && type_problems(t, universal(types) == Some(t), a, turnout).is_empty()
}

/// The TPS's balance and, when it does not balance, why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub balance: Balance,
    pub problems: Vec<String>,
}

/// Judges a TPS's accounts (`accounts`: the latest per type; types the TPS does not have are
/// ignored) against its `types` and its latest turnout report.
pub fn check(
    types: &[BallotType],
    accounts: &[(BallotType, Account)],
    turnout: Option<&Turnout>,
) -> Check {
    let relevant: Vec<&(BallotType, Account)> =
        accounts.iter().filter(|(t, _)| types.contains(t)).collect();
    if relevant.is_empty() {
        return Check {
            balance: Balance::None,
            problems: Vec::new(),
        };
    }
    let mut problems = Vec::new();
    if turnout.is_none() {
        problems.push(
            "Kehadiran pemilih belum dilaporkan: surat suara yang digunakan belum dapat \
             dibandingkan dengan yang memilih."
                .to_owned(),
        );
    }
    let everyone = universal(types);
    for &t in types {
        match relevant.iter().find(|(a, _)| *a == t) {
            Some((_, a)) => problems.extend(type_problems(t, everyone == Some(t), a, turnout)),
            None => problems.push(format!("{}: belum dicatat.", t.label())),
        }
    }
    Check {
        balance: if problems.is_empty() {
            Balance::Balanced
        } else {
            Balance::Unbalanced
        },
        problems,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use BallotType::*;

    const PEMILU: [BallotType; 5] = [Ppwp, Dpr, Dpd, DprdProv, DprdKabkota];

    fn voted(dpt: i64, dptb: i64, dpk: i64) -> Turnout {
        Turnout {
            dpt,
            dptb,
            dpk,
            men: dpt + dptb + dpk,
            women: 0,
        }
    }

    fn account(received: i64, used: i64, damaged: i64) -> Account {
        Account {
            received,
            used,
            damaged,
            unused: received - used - damaged,
        }
    }

    #[test]
    fn a_pemilu_tps_balances_when_ppwp_reaches_every_voter_and_the_rest_lie_between() {
        // 200 DPT + 30 DPTb + 5 DPK voted; received 210 of each (204 + 6 reserve... any).
        let v = voted(200, 30, 5);
        let accounts: Vec<_> = [
            (Ppwp, account(250, 235, 1)),
            (Dpr, account(250, 210, 0)),
            (Dpd, account(250, 230, 2)),
            (DprdProv, account(250, 200, 0)),
            (DprdKabkota, account(250, 235, 0)),
        ]
        .into();
        let c = check(&PEMILU, &accounts, Some(&v));
        assert_eq!(c.balance, Balance::Balanced, "{:?}", c.problems);
    }

    #[test]
    fn each_broken_rule_is_named() {
        let v = voted(200, 30, 5);
        let accounts = [
            // PPWP used one less than the 235 who voted.
            (Ppwp, account(250, 234, 0)),
            // DPR: 3 ballots unaccounted for.
            (
                Dpr,
                Account {
                    received: 250,
                    used: 210,
                    damaged: 0,
                    unused: 37,
                },
            ),
            // DPD: more used than voters; DPRD Provinsi: fewer than the DPT voters.
            (Dpd, account(250, 236, 0)),
            (DprdProv, account(250, 199, 0)),
        ];
        let c = check(&PEMILU, &accounts, Some(&v));
        assert_eq!(c.balance, Balance::Unbalanced);
        assert_eq!(c.problems.len(), 5, "{:?}", c.problems);
        assert!(c.problems[0].starts_with("PPWP: digunakan 234, tetapi yang memilih 235"));
        assert_eq!(
            c.problems[1],
            "DPR: diterima 250, tetapi digunakan + rusak + sisa = 210 + 0 + 37 = 247."
        );
        assert!(c.problems[2].starts_with("DPD: digunakan 236, lebih banyak"));
        assert!(c.problems[3].starts_with("DPRD Provinsi: digunakan 199, kurang dari"));
        assert_eq!(c.problems[4], "DPRD Kab/Kota: belum dicatat.");
    }

    #[test]
    fn without_accounts_nothing_is_judged_and_without_turnout_nothing_balances() {
        assert_eq!(check(&PEMILU, &[], None).balance, Balance::None);
        // An account of a type the TPS does not have (DKI: no DPRD Kab/Kota) is ignored.
        let dki = &PEMILU[..4];
        assert_eq!(
            check(dki, &[(DprdKabkota, account(1, 1, 0))], None).balance,
            Balance::None
        );
        let c = check(&[Ppwp], &[(Ppwp, account(10, 10, 0))], None);
        assert_eq!(c.balance, Balance::Unbalanced);
        assert!(c.problems[0].starts_with("Kehadiran pemilih belum dilaporkan"));
    }

    #[test]
    fn in_a_pilkada_the_widest_contest_reaches_every_voter() {
        assert_eq!(universal(&[Gubernur, BupatiWalikota]), Some(Gubernur));
        assert_eq!(universal(&[BupatiWalikota]), Some(BupatiWalikota));
        assert_eq!(universal(&PEMILU), Some(Ppwp));
        let v = voted(100, 10, 0);
        // Bupati/Walikota beside a Gubernur ballot: a voter from another kab/kota gets none.
        let c = check(
            &[Gubernur, BupatiWalikota],
            &[
                (Gubernur, account(120, 110, 0)),
                (BupatiWalikota, account(120, 104, 0)),
            ],
            Some(&v),
        );
        assert_eq!(c.balance, Balance::Balanced, "{:?}", c.problems);
        assert!(!type_balanced(
            BupatiWalikota,
            &[BupatiWalikota],
            &account(120, 104, 0),
            Some(&v)
        ));
    }
}
