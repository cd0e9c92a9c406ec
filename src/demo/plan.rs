//! The demo's facilities and TPS, split deterministically from published province totals.
//!
//! Province figures are those of `DOMAIN.md` (Pemilu 2024, with their sources in the README).
//! Where a facility's figure was published (Lapas Kelas I Palembang's four TPS, Cipinang,
//! Salemba, LPKA Jakarta) it is used as is; the rest of the province total is split over the
//! other TPS by weight with the largest-remainder method, so every province total comes out
//! exactly as published and the same split is produced every time.

use super::data::{Fixed, PROVINCES, ProvinceSpec};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedStation {
    pub number: u32,
    pub dpt: u32,
    pub dptb: u32,
    pub dpk: u32,
}

impl PlannedStation {
    pub fn with_vote(&self) -> u32 {
        self.dpt + self.dptb + self.dpk
    }
}

#[derive(Debug, Clone)]
pub struct PlannedFacility {
    pub code: &'static str,
    pub name: &'static str,
    pub facility_type: &'static str,
    pub class: Option<&'static str>,
    pub province_code: &'static str,
    pub kabkota_code: &'static str,
    pub illustrative: bool,
    pub inmates: u32,
    pub stations: Vec<PlannedStation>,
}

/// Splits `total` in proportion to `weights` (largest remainder; ties go to the earlier
/// entry). The parts always add up to `total`. All-zero weights split evenly.
pub fn split(total: u32, weights: &[u32]) -> Vec<u32> {
    if weights.is_empty() {
        return Vec::new();
    }
    let even = vec![1; weights.len()];
    let weights = if weights.iter().all(|&w| w == 0) {
        &even[..]
    } else {
        weights
    };
    let sum: u64 = weights.iter().map(|&w| u64::from(w)).sum();
    let total64 = u64::from(total);
    let mut parts: Vec<u32> = Vec::with_capacity(weights.len());
    let mut remainders: Vec<(u64, usize)> = Vec::with_capacity(weights.len());
    for (i, &w) in weights.iter().enumerate() {
        let exact = total64 * u64::from(w);
        parts.push((exact / sum) as u32);
        remainders.push((exact % sum, i));
    }
    let assigned: u32 = parts.iter().sum();
    // Largest remainder first; on equal remainders the earlier index wins.
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(_, i) in remainders.iter().take((total - assigned) as usize) {
        parts[i] += 1;
    }
    parts
}

/// Every demo facility with its TPS and inmate count.
pub fn plan() -> Vec<PlannedFacility> {
    PROVINCES.iter().flat_map(plan_province).collect()
}

fn plan_province(p: &ProvinceSpec) -> Vec<PlannedFacility> {
    let ratio = [p.dpt, p.dptb, p.dpk];
    // One entry per TPS: (facility index, fixed composition or its weight).
    let mut fixed: Vec<(usize, [u32; 3])> = Vec::new();
    let mut free: Vec<(usize, u32)> = Vec::new();
    for (fi, f) in p.facilities.iter().enumerate() {
        let totals: Option<Vec<u32>> = match f.fixed {
            Fixed::None => None,
            Fixed::Total(t) => Some(split(t, &vec![1; f.tps as usize])),
            Fixed::PerTps(list) => {
                assert_eq!(list.len(), f.tps as usize, "{}: one total per TPS", f.code);
                Some(list.to_vec())
            }
        };
        match totals {
            Some(totals) => {
                for t in totals {
                    let c = split(t, &ratio);
                    fixed.push((fi, [c[0], c[1], c[2]]));
                }
            }
            None => free.extend((0..f.tps).map(|_| (fi, f.weight))),
        }
    }
    let weights: Vec<u32> = free.iter().map(|&(_, w)| w).collect();
    let mut free_parts: Vec<[u32; 3]> = vec![[0; 3]; free.len()];
    for (k, &category_total) in ratio.iter().enumerate() {
        let taken: u32 = fixed.iter().map(|(_, c)| c[k]).sum();
        let rest = category_total
            .checked_sub(taken)
            .expect("fixed figures exceed the province total");
        for (slot, part) in free_parts.iter_mut().zip(split(rest, &weights)) {
            slot[k] = part;
        }
    }

    let mut per_facility: Vec<Vec<[u32; 3]>> = vec![Vec::new(); p.facilities.len()];
    for (fi, c) in fixed {
        per_facility[fi].push(c);
    }
    for ((fi, _), c) in free.iter().zip(free_parts) {
        per_facility[*fi].push(c);
    }

    let with_vote: Vec<u32> = per_facility
        .iter()
        .map(|tps| tps.iter().map(|c| c[0] + c[1] + c[2]).sum())
        .collect();
    let province_with_vote: u32 = with_vote.iter().sum();
    let non_voters = split(
        p.inmates
            .checked_sub(province_with_vote)
            .expect("more voters than inmates"),
        &p.facilities
            .iter()
            .map(|f| f.non_voter_weight)
            .collect::<Vec<_>>(),
    );

    p.facilities
        .iter()
        .zip(per_facility)
        .enumerate()
        .map(|(fi, (f, tps))| PlannedFacility {
            code: f.code,
            name: f.name,
            facility_type: f.facility_type,
            class: f.class,
            province_code: p.code,
            kabkota_code: f.kabkota,
            illustrative: !f.named_in_news,
            inmates: with_vote[fi] + non_voters[fi],
            stations: tps
                .into_iter()
                .zip(first_tps(p, f.kabkota)..)
                .map(|(c, number)| PlannedStation {
                    number,
                    dpt: c[0],
                    dptb: c[1],
                    dpk: c[2],
                })
                .collect(),
        })
        .collect()
}

/// The number of a facility's first TPS: 901 where TPS Loksus use the 9xx range.
fn first_tps(p: &ProvinceSpec, kabkota: &str) -> u32 {
    let nine_hundreds = p
        .numbered_from_901
        .iter()
        .any(|c| kabkota == *c || kabkota.starts_with(&format!("{c}.")));
    if nine_hundreds { 901 } else { 1 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_adds_up_and_is_proportional() {
        assert_eq!(split(10, &[1, 1, 1]), vec![4, 3, 3]);
        assert_eq!(split(7, &[0, 0]), vec![4, 3]);
        assert_eq!(split(100, &[3, 1]), vec![75, 25]);
        assert_eq!(split(0, &[5, 5]), vec![0, 0]);
        assert!(split(9, &[]).is_empty());
        let parts = split(13_519, &[7, 11, 13, 17]);
        assert_eq!(parts.iter().sum::<u32>(), 13_519);
    }

    struct Totals {
        facilities: usize,
        tps: usize,
        inmates: u32,
        dpt: u32,
        dptb: u32,
        dpk: u32,
    }

    fn totals(province: &str) -> Totals {
        let fs: Vec<_> = plan()
            .into_iter()
            .filter(|f| f.province_code == province)
            .collect();
        let st = || fs.iter().flat_map(|f| f.stations.iter());
        Totals {
            facilities: fs.len(),
            tps: st().count(),
            inmates: fs.iter().map(|f| f.inmates).sum(),
            dpt: st().map(|s| s.dpt).sum(),
            dptb: st().map(|s| s.dptb).sum(),
            dpk: st().map(|s| s.dpk).sum(),
        }
    }

    #[test]
    fn sumatera_selatan_matches_the_published_figures() {
        let t = totals("16");
        assert_eq!((t.facilities, t.tps, t.inmates), (20, 51, 15_895));
        assert_eq!((t.dpt, t.dptb, t.dpk), (9_084, 1_913, 2_522));
        assert_eq!(t.dpt + t.dptb + t.dpk, 13_519);
    }

    #[test]
    fn other_provinces_match_their_published_figures() {
        let ntt = totals("53");
        assert_eq!((ntt.facilities, ntt.tps, ntt.dpt), (14, 16, 2_184));
        let dki = totals("31");
        assert_eq!((dki.facilities, dki.tps, dki.inmates), (8, 56, 14_599));
        assert_eq!(dki.dpt + dki.dptb + dki.dpk, 13_630);
    }

    #[test]
    fn named_facilities_keep_their_published_figures() {
        let plan = plan();
        let get = |code: &str| plan.iter().find(|f| f.code == code).unwrap();
        let voters =
            |code: &str| -> Vec<u32> { get(code).stations.iter().map(|s| s.with_vote()).collect() };
        assert_eq!(voters("lapas-palembang"), vec![332, 398, 345, 353]);
        let numbers =
            |code: &str| -> Vec<u32> { get(code).stations.iter().map(|s| s.number).collect() };
        assert_eq!(numbers("lapas-palembang"), vec![901, 902, 903, 904]);
        assert_eq!(numbers("lapas-lubuklinggau"), vec![1, 2, 3, 4]);
        let cipinang = get("lapas-cipinang");
        assert_eq!(cipinang.stations.len(), 12);
        assert_eq!(cipinang.stations[0].number, 901);
        assert_eq!(cipinang.stations[11].number, 912);
        assert_eq!(voters("lapas-cipinang").iter().sum::<u32>(), 2_585);
        assert_eq!(voters("rutan-salemba").iter().sum::<u32>(), 2_964);
        assert_eq!(voters("lpka-jakarta"), vec![63]);
        assert!(!get("lapas-lubuklinggau").illustrative);
        assert!(get("rutan-baturaja").illustrative);
        assert_eq!(get("lapas-lubuklinggau").kabkota_code, "16.73");
        assert_eq!(get("lapas-cipinang").kabkota_code, "31.75");
        assert_eq!(get("rutan-salemba").kabkota_code, "31.71");
        let surulangun = get("lapas-surulangun-rawas");
        assert_eq!(
            (surulangun.kabkota_code, surulangun.class),
            ("16.13", Some("III"))
        );
        assert!(surulangun.illustrative);
    }

    #[test]
    fn no_tps_has_more_than_300_on_its_dpt_and_codes_are_unique() {
        let plan = plan();
        for f in &plan {
            assert!(f.inmates >= f.stations.iter().map(|s| s.with_vote()).sum());
            for s in &f.stations {
                assert!(
                    s.dpt <= 300,
                    "{} TPS {} has DPT {}",
                    f.code,
                    s.number,
                    s.dpt
                );
            }
            assert!(f.kabkota_code.starts_with(f.province_code));
        }
        let mut codes: Vec<_> = plan.iter().map(|f| f.code).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), plan.len());
    }

    #[test]
    fn every_kabkota_is_in_the_region_reference() {
        let known: std::collections::HashSet<String> = crate::db::regions::reference()
            .into_iter()
            .map(|r| r.code)
            .collect();
        for f in plan() {
            assert!(
                known.contains(f.kabkota_code),
                "{}: {}",
                f.code,
                f.kabkota_code
            );
        }
    }

    #[test]
    fn the_split_is_deterministic() {
        let a: Vec<_> = plan()
            .into_iter()
            .map(|f| (f.inmates, f.stations))
            .collect();
        let b: Vec<_> = plan()
            .into_iter()
            .map(|f| (f.inmates, f.stations))
            .collect();
        assert_eq!(a, b);
    }
}
