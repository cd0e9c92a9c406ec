//! Which ballots a voter receives at a TPS (pindah memilih, PKPU 7/2022 Pasal 116(4)), and how
//! many ballots a TPS needs. Pure rules: plain values in, plain values out.
//!
//! The voter's home region (from the KTP-el address, dotted Kemendagri code, kecamatan or
//! desa level) is compared with the TPS location (a desa code):
//! PPWP always; DPD and Gubernur in the same province; DPR and DPRD Provinsi in the same
//! dapil (sets of kab/kota); DPRD Kab/Kota in the same dapil (sets of kecamatan);
//! Bupati/Walikota in the same kab/kota. Where a decision needs a dapil that is not loaded,
//! the ballot is withheld and counted as uncertain, never guessed. DKI Jakarta elects no
//! DPRD Kab/Kota (its kota are administrative, UU 29/2007), so its TPS have no such ballot.

use std::collections::HashMap;

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

    /// Length of the dotted region codes a dapil of this contest is made of: kab/kota
    /// (`16.74`) or kecamatan (`16.74.01`).
    pub fn region_len(self) -> usize {
        match self {
            Contest::Dpr | Contest::DprdProv => 5,
            Contest::DprdKabkota => 8,
        }
    }
}

/// The dapil each region lies in, per contest (reference data of one election).
#[derive(Debug, Default, Clone)]
pub struct Dapils {
    map: HashMap<(Contest, String), String>,
}

impl Dapils {
    pub fn insert(
        &mut self,
        contest: Contest,
        region: impl Into<String>,
        dapil: impl Into<String>,
    ) {
        self.map.insert((contest, region.into()), dapil.into());
    }

    pub fn of(&self, contest: Contest, region: &str) -> Option<&str> {
        self.map
            .get(&(contest, region.to_owned()))
            .map(String::as_str)
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

/// Whether two regions lie in the same dapil of `contest`: `Some(true/false)` when certain,
/// `None` when a dapil needed for the answer is missing.
fn same_dapil(contest: Contest, home: &str, tps: &str, dapils: &Dapils) -> Option<bool> {
    let len = contest.region_len();
    let (h, t) = (prefix(home, len)?, prefix(tps, len)?);
    if h == t {
        return Some(true);
    }
    // Dapils never cross the boundary above them (province for DPR and DPRD Provinsi,
    // kab/kota for DPRD Kab/Kota).
    let outer = if len == 5 { 2 } else { 5 };
    if h[..outer] != t[..outer] {
        return Some(false);
    }
    match (dapils.of(contest, h), dapils.of(contest, t)) {
        (Some(a), Some(b)) => Some(a == b),
        _ => None,
    }
}

/// The ballots of `types` a voter from `home` receives at a TPS standing in `tps`. `home` is
/// `None` when the voter's address is unknown; `tps` is `None` when the TPS has no location.
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
                // DKI Jakarta's kota are administrative: no DPRD Kab/Kota is elected there.
                BallotType::DprdKabkota if l.starts_with("31.") => Some(false),
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

/// Reserve ballots per type: `basis_points` hundredths of a percent of the TPS's DPT,
/// rounded up (2% of 150 = 3; 2% of 151 = 3.02 → 4).
pub fn reserve(dpt: i64, basis_points: i64) -> i64 {
    (dpt.max(0) * basis_points.max(0) + 9_999) / 10_000
}

/// Ballots a TPS needs per type: its voters' entitlements counted, plus the reserve on the
/// TPS's DPT, for each of the election's `types` in order.
pub fn needed(
    types: &[BallotType],
    entitlements: &[Entitlement],
    dpt: i64,
    basis_points: i64,
) -> Vec<(BallotType, i64)> {
    let reserve = reserve(dpt, basis_points);
    types
        .iter()
        .map(|&t| {
            let entitled = entitlements
                .iter()
                .filter(|e| e.ballots.contains(t))
                .count() as i64;
            (t, entitled + reserve)
        })
        .collect()
}

#[cfg(test)]
mod tests;
