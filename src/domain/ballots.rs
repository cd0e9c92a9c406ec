//! Which ballots exist at a TPS, which ones a voter receives there (pindah memilih, PKPU
//! 7/2022 Pasal 116(4), UU 7/2017 Pasal 348(4)), and how many ballots a TPS needs. Pure
//! rules: plain values in, plain values out.
//!
//! The voter's home region (from the KTP-el address, dotted Kemendagri code, kecamatan or
//! desa level) is compared with the TPS location (a desa code): PPWP always; DPD and
//! Gubernur in the same province; DPR, DPRD Provinsi and DPRD Kab/Kota in the same dapil
//! (areas at any level, the most specific one containing an address decides);
//! Bupati/Walikota in the same kab/kota. Where a decision needs a dapil that is not loaded,
//! the ballot is withheld and counted as uncertain, never guessed.

use std::collections::{HashMap, HashSet};

use crate::domain::eligibility::within;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BallotType {
    Ppwp,
    Dpr,
    Dpd,
    DprdProv,
    DprdKabkota,
    Gubernur,
    BupatiWalikota,
}

impl BallotType {
    pub const ALL: [BallotType; 7] = [
        BallotType::Ppwp,
        BallotType::Dpr,
        BallotType::Dpd,
        BallotType::DprdProv,
        BallotType::DprdKabkota,
        BallotType::Gubernur,
        BallotType::BupatiWalikota,
    ];

    pub fn parse(s: &str) -> Option<BallotType> {
        BallotType::ALL.into_iter().find(|t| t.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            BallotType::Ppwp => "ppwp",
            BallotType::Dpr => "dpr",
            BallotType::Dpd => "dpd",
            BallotType::DprdProv => "dprd_prov",
            BallotType::DprdKabkota => "dprd_kabkota",
            BallotType::Gubernur => "gubernur",
            BallotType::BupatiWalikota => "bupati_walikota",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            BallotType::Ppwp => "PPWP",
            BallotType::Dpr => "DPR",
            BallotType::Dpd => "DPD",
            BallotType::DprdProv => "DPRD Provinsi",
            BallotType::DprdKabkota => "DPRD Kab/Kota",
            BallotType::Gubernur => "Gubernur",
            BallotType::BupatiWalikota => "Bupati/Walikota",
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// A set of ballot types.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BallotSet(u8);

impl BallotSet {
    pub fn insert(&mut self, t: BallotType) {
        self.0 |= t.bit();
    }

    pub fn contains(self, t: BallotType) -> bool {
        self.0 & t.bit() != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn iter(self) -> impl Iterator<Item = BallotType> {
        BallotType::ALL
            .into_iter()
            .filter(move |t| self.contains(*t))
    }
}

impl FromIterator<BallotType> for BallotSet {
    fn from_iter<I: IntoIterator<Item = BallotType>>(iter: I) -> Self {
        let mut s = BallotSet::default();
        for t in iter {
            s.insert(t);
        }
        s
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Contest {
    Dpr,
    DprdProv,
    DprdKabkota,
}

impl Contest {
    pub const ALL: [Contest; 3] = [Contest::Dpr, Contest::DprdProv, Contest::DprdKabkota];

    pub fn parse(s: &str) -> Option<Contest> {
        match s
            .trim()
            .to_ascii_lowercase()
            .replace(['-', ' ', '/'], "_")
            .as_str()
        {
            "dpr" | "dpr_ri" => Some(Contest::Dpr),
            "dprd_prov" | "dprd_provinsi" => Some(Contest::DprdProv),
            "dprd_kabkota" | "dprd_kab_kota" | "dprd_kabupaten_kota" => Some(Contest::DprdKabkota),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Contest::Dpr => "dpr",
            Contest::DprdProv => "dprd_prov",
            Contest::DprdKabkota => "dprd_kabkota",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Contest::Dpr => "DPR",
            Contest::DprdProv => "DPRD Provinsi",
            Contest::DprdKabkota => "DPRD Kab/Kota",
        }
    }

    /// Length of the code of the region a dapil of this contest never crosses: the province
    /// (`16`) for DPR and DPRD Provinsi, the kab/kota (`16.73`) for DPRD Kab/Kota.
    pub fn boundary_len(self) -> usize {
        match self {
            Contest::Dpr | Contest::DprdProv => 2,
            Contest::DprdKabkota => 5,
        }
    }
}

/// The dotted codes of the regions containing `code`, from the largest (the province) to
/// `code` itself: `16.73.01` gives `16`, `16.73`, `16.73.01`.
pub fn regions_containing(code: &str) -> impl Iterator<Item = &str> {
    [2, 5, 8, 13]
        .into_iter()
        .filter(move |&len| len <= code.len())
        .map(move |len| &code[..len])
}

/// The areas of each dapil, per contest (reference data of one election). An area is a
/// region at any level (UU 7/2017 Pasal 189(1), 192(1)): Jakarta Timur may belong to one
/// DPRD Provinsi dapil except for some of its kecamatan, which belong to another. The most
/// specific area containing an address decides.
#[derive(Debug, Default, Clone)]
pub struct Dapils {
    areas: HashMap<(Contest, String), String>,
    /// Regions with a smaller area inside them: an address known only to this precision may
    /// lie in more than one dapil.
    split: HashSet<(Contest, String)>,
}

impl Dapils {
    pub fn insert(
        &mut self,
        contest: Contest,
        region: impl Into<String>,
        dapil: impl Into<String>,
    ) {
        let region = region.into();
        for outer in regions_containing(&region).filter(|r| r.len() < region.len()) {
            self.split.insert((contest, outer.to_owned()));
        }
        self.areas.insert((contest, region), dapil.into());
    }

    /// The dapil of `contest` an address lies in; `None` when no area contains it or the
    /// address is too coarse to tell (its region is split between dapils).
    pub fn of(&self, contest: Contest, address: &str) -> Option<&str> {
        if self.split.contains(&(contest, address.to_owned())) {
            return None;
        }
        let mut found = None;
        for region in regions_containing(address) {
            if let Some(d) = self.areas.get(&(contest, region.to_owned())) {
                found = Some(d.as_str());
            }
        }
        found
    }
}

/// The ballots one voter receives at one TPS.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Entitlement {
    pub ballots: BallotSet,
    /// Ballots withheld because a dapil (or the home region) needed to decide is unknown.
    pub uncertain: BallotSet,
}

fn prefix(code: &str, len: usize) -> Option<&str> {
    code.get(..len).filter(|_| code.len() >= len)
}

/// Whether two addresses lie in the same dapil of `contest`: `Some(true/false)` when
/// certain, `None` when the dapils loaded cannot tell.
fn same_dapil(contest: Contest, home: &str, tps: &str, dapils: &Dapils) -> Option<bool> {
    let outer = contest.boundary_len();
    if prefix(home, outer)? != prefix(tps, outer)? {
        return Some(false);
    }
    // One desa lies in one dapil, whatever the dapils loaded.
    if home == tps && home.len() == 13 {
        return Some(true);
    }
    match (dapils.of(contest, home), dapils.of(contest, tps)) {
        (Some(a), Some(b)) => Some(a == b),
        _ => None,
    }
}

/// The ballots of `types` (the types that exist at the TPS, see [`types_at`]) a voter from
/// `home` receives at a TPS standing in `tps`. `home` is `None` when the voter's address is
/// unknown; `tps` is `None` when the TPS has no location.
pub fn entitlement(
    types: &[BallotType],
    home: Option<&str>,
    tps: Option<&str>,
    dapils: &Dapils,
) -> Entitlement {
    let mut e = Entitlement::default();
    for &t in types {
        let decision = match (t, home, tps) {
            (BallotType::Ppwp, _, _) => Some(true),
            (_, Some(h), Some(l)) => match t {
                BallotType::Dpd | BallotType::Gubernur => Some(prefix(h, 2) == prefix(l, 2)),
                BallotType::BupatiWalikota => {
                    Some(prefix(h, 5).is_some() && prefix(h, 5) == prefix(l, 5))
                }
                BallotType::Dpr => same_dapil(Contest::Dpr, h, l, dapils),
                BallotType::DprdProv => same_dapil(Contest::DprdProv, h, l, dapils),
                BallotType::DprdKabkota => same_dapil(Contest::DprdKabkota, h, l, dapils),
                BallotType::Ppwp => Some(true),
            },
            _ => None,
        };
        match decision {
            Some(true) => e.ballots.insert(t),
            Some(false) => {}
            None => e.uncertain.insert(t),
        }
    }
    e
}

/// The ballots a voter receives at the TPS they are placed on: a voter on that TPS's DPT
/// receives every ballot of the TPS (KPU registered them there); a DPTb or DPK voter (or one
/// on no list yet) only those [`entitlement`] allows.
pub fn entitlement_on(
    on_dpt: bool,
    types: &[BallotType],
    home: Option<&str>,
    tps: Option<&str>,
    dapils: &Dapils,
) -> Entitlement {
    if on_dpt {
        return Entitlement {
            ballots: types.iter().copied().collect(),
            uncertain: BallotSet::default(),
        };
    }
    entitlement(types, home, tps, dapils)
}

/// The ballot types of an election that exist at a TPS standing in `place` (its location,
/// or the facility's kab/kota when the location is not set). DKI Jakarta elects no DPRD
/// Kab/Kota (its kota are administrative, UU 29/2007). A Pilkada ballot exists only where
/// one of its `contests` (ballot type, province or kab/kota code) covers the place; a type
/// without any contest loaded is taken to exist everywhere.
pub fn types_at(
    types: &[BallotType],
    contests: &[(BallotType, String)],
    place: Option<&str>,
) -> Vec<BallotType> {
    types
        .iter()
        .copied()
        .filter(|&t| match (t, place) {
            (_, None) => true,
            (BallotType::DprdKabkota, Some(p)) => !within(p, "31"),
            (BallotType::Gubernur | BallotType::BupatiWalikota, Some(p)) => {
                let mut areas = contests.iter().filter(|(c, _)| *c == t).peekable();
                areas.peek().is_none() || areas.any(|(_, area)| within(p, area))
            }
            _ => true,
        })
        .collect()
}

/// Reserve ballots per type: `basis_points` hundredths of a percent of the TPS's DPT,
/// rounded up (2% of 150 = 3; 2% of 151 = 3.02 → 4).
pub fn reserve(dpt: i64, basis_points: i64) -> i64 {
    (dpt.max(0) * basis_points.max(0) + 9_999) / 10_000
}

/// The voters of a TPS on each list: KPU's official counts, or the roll's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub dpt: i64,
    pub dptb: i64,
    pub dpk: i64,
}

/// What one TPS needs of one ballot type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Need {
    pub ballot_type: BallotType,
    /// The DPT counted: the official count, or the voters placed on the DPT when more.
    pub dpt: i64,
    /// DPTb and DPK voters certainly entitled to this ballot.
    pub entitled: i64,
    /// DPTb and DPK voters who may be entitled (home or dapil not known, or not on the
    /// roll yet).
    pub uncertain: i64,
    pub reserve: i64,
}

impl Need {
    /// The ballots certainly needed.
    pub fn certain(&self) -> i64 {
        self.dpt + self.entitled + self.reserve
    }

    /// The planning figure: the need if every uncertain voter is entitled.
    pub fn planning(&self) -> i64 {
        self.certain() + self.uncertain
    }
}

/// A DPTb or DPK voter placed on the TPS, and the ballots they receive there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placed {
    pub dptb: bool,
    pub entitlement: Entitlement,
}

/// Ballots a TPS needs per type, for the `types` that exist at it:
/// `DPT + DPTb entitled + DPK entitled + reserve on the DPT`. The official `counts` decide
/// how many voters there are; the DPTb and DPK voters placed from the roll say which ballots
/// they receive. Voters the roll does not cover yet receive the president's ballot for certain
/// (and, in a Pilkada, the widest contest at the TPS: they must live inside it to be listed
/// there); every other ballot is uncertain for them.
pub fn needs(
    types: &[BallotType],
    counts: Counts,
    dpt_placed: i64,
    placed: &[Placed],
    basis_points: i64,
) -> Vec<Need> {
    let dpt = counts.dpt.max(dpt_placed);
    let reserve = reserve(dpt, basis_points);
    let on_roll = |dptb: bool| placed.iter().filter(|p| p.dptb == dptb).count() as i64;
    let not_on_roll = (counts.dptb - on_roll(true)).max(0) + (counts.dpk - on_roll(false)).max(0);
    let widest_contest = [BallotType::Gubernur, BallotType::BupatiWalikota]
        .into_iter()
        .find(|t| types.contains(t));
    types
        .iter()
        .map(|&t| {
            let count = |set: fn(&Entitlement) -> BallotSet| {
                placed
                    .iter()
                    .filter(|p| set(&p.entitlement).contains(t))
                    .count() as i64
            };
            let (mut entitled, mut uncertain) = (count(|e| e.ballots), count(|e| e.uncertain));
            if t == BallotType::Ppwp || Some(t) == widest_contest {
                entitled += not_on_roll;
            } else {
                uncertain += not_on_roll;
            }
            Need {
                ballot_type: t,
                dpt,
                entitled,
                uncertain,
                reserve,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
