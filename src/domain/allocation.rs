//! Placing a facility's eligible voters on its TPS. KPU assigns each DPT voter to a TPS:
//! that assignment is kept and never moved. The election's maximum per TPS counts DPT voters
//! only (a TPS may exceed it once DPTb and DPK voters come); other DPT voters go to the TPS
//! with the fewest DPT voters under the cap, DPTb/DPK/unlisted voters to the TPS with the
//! fewest voters. Stable: voters already placed stay where they are.

use std::collections::{HashMap, HashSet};

/// A TPS and the voters on it now (in the order they should keep their place).
#[derive(Debug, Clone)]
pub struct Station {
    pub id: i64,
    pub voters: Vec<i64>,
}

/// An eligible voter: on the DPT or not, and the TPS (one of the facility's) KPU assigned
/// them to, when it did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Voter {
    pub id: i64,
    pub dpt: bool,
    pub kpu_station: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Allocation {
    /// Voters whose TPS changes: `(voter, new TPS or None for unplaced)`.
    pub moves: Vec<(i64, Option<i64>)>,
    /// DPT voters left without a TPS because every TPS holds the maximum of DPT voters.
    pub unplaced: usize,
}

/// How many more TPS a facility needs for `dpt` DPT voters at `cap` per TPS.
pub fn missing_stations(dpt: usize, stations: usize, cap: usize) -> usize {
    dpt.div_ceil(cap.max(1)).saturating_sub(stations)
}

/// Voters and DPT voters per TPS while placing.
struct Load {
    dpt: Vec<usize>,
    all: Vec<usize>,
}

impl Load {
    fn add(&mut self, index: usize, dpt: bool) {
        self.all[index] += 1;
        if dpt {
            self.dpt[index] += 1;
        }
    }

    /// The TPS with the fewest DPT voters under `cap` (ties: the first listed).
    fn for_dpt(&self, cap: usize) -> Option<usize> {
        (0..self.dpt.len())
            .filter(|&i| self.dpt[i] < cap)
            .min_by_key(|&i| (self.dpt[i], i))
    }

    /// The TPS with the fewest voters (ties: the first listed).
    fn for_others(&self) -> Option<usize> {
        (0..self.all.len()).min_by_key(|&i| (self.all[i], i))
    }
}

/// Places the `eligible` voters (in a stable order) on `stations`. A DPT voter goes to the
/// TPS KPU assigned and stays there whatever the count. Otherwise a voter already on a TPS
/// stays unless no longer eligible, or a DPT voter on a TPS over `cap` DPT voters (the last
/// ones placed leave first). Voters not eligible any more leave their TPS.
pub fn allocate(stations: &[Station], eligible: &[Voter], cap: usize) -> Allocation {
    let by_id: HashMap<i64, Voter> = eligible.iter().map(|v| (v.id, *v)).collect();
    let index: HashMap<i64, usize> = stations
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id, i))
        .collect();
    let mut load = Load {
        dpt: vec![0; stations.len()],
        all: vec![0; stations.len()],
    };
    let mut moves = Vec::new();
    let mut placed: HashSet<i64> = HashSet::new();
    let kpu = |v: &Voter| {
        v.kpu_station
            .filter(|_| v.dpt)
            .and_then(|s| index.get(&s).copied())
    };
    // KPU's assignments first: they count towards the cap and never move.
    for v in eligible {
        if let Some(i) = kpu(v) {
            load.add(i, true);
            placed.insert(v.id);
            if !stations[i].voters.contains(&v.id) {
                moves.push((v.id, Some(stations[i].id)));
            }
        }
    }
    for (i, s) in stations.iter().enumerate() {
        for id in &s.voters {
            match by_id.get(id) {
                Some(v) if kpu(v).is_some() => {}
                Some(v) if !(v.dpt && load.dpt[i] >= cap) && placed.insert(v.id) => {
                    load.add(i, v.dpt);
                }
                _ => moves.push((*id, None)),
            }
        }
    }
    let mut unplaced = 0;
    for v in eligible.iter().filter(|v| v.dpt && !placed.contains(&v.id)) {
        match load.for_dpt(cap) {
            Some(i) => {
                load.add(i, true);
                moves.push((v.id, Some(stations[i].id)));
            }
            None => unplaced += 1,
        }
    }
    for v in eligible
        .iter()
        .filter(|v| !v.dpt && !placed.contains(&v.id))
    {
        if let Some(i) = load.for_others() {
            load.add(i, false);
            moves.push((v.id, Some(stations[i].id)));
        }
    }
    // A voter unplaced above and placed again later keeps only the final move.
    let mut seen = HashSet::new();
    let mut last_moves: Vec<(i64, Option<i64>)> = moves
        .into_iter()
        .rev()
        .filter(|(v, _)| seen.insert(*v))
        .collect();
    last_moves.reverse();
    Allocation {
        moves: last_moves,
        unplaced,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// Applies an allocation and returns each TPS's voters.
    fn apply(stations: &[Station], a: &Allocation) -> HashMap<i64, Vec<i64>> {
        let mut on: HashMap<i64, i64> = HashMap::new();
        for s in stations {
            for &v in &s.voters {
                on.insert(v, s.id);
            }
        }
        for &(v, to) in &a.moves {
            match to {
                Some(s) => on.insert(v, s),
                None => on.remove(&v),
            };
        }
        let mut by: HashMap<i64, Vec<i64>> = stations.iter().map(|s| (s.id, vec![])).collect();
        for (v, s) in on {
            by.get_mut(&s).unwrap().push(v);
        }
        by
    }

    /// DPT voters without a KPU assignment.
    fn dpt(ids: impl IntoIterator<Item = i64>) -> Vec<Voter> {
        ids.into_iter()
            .map(|id| Voter {
                id,
                dpt: true,
                kpu_station: None,
            })
            .collect()
    }

    fn empty(n: i64) -> Vec<Station> {
        (1..=n).map(|id| Station { id, voters: vec![] }).collect()
    }

    #[test]
    fn balanced_and_under_the_cap() {
        let stations = empty(3);
        let voters = dpt(100..100 + 700);
        let a = allocate(&stations, &voters, 300);
        let by = apply(&stations, &a);
        let mut sizes: Vec<usize> = by.values().map(Vec::len).collect();
        sizes.sort();
        assert_eq!(sizes, vec![233, 233, 234]);
        assert_eq!(a.unplaced, 0);
    }

    #[test]
    fn too_few_stations_leave_voters_unplaced_and_say_how_many_are_missing() {
        let stations = empty(2);
        let voters = dpt(0..650);
        let a = allocate(&stations, &voters, 300);
        let by = apply(&stations, &a);
        assert!(by.values().all(|v| v.len() == 300));
        assert_eq!(a.unplaced, 50);
        assert_eq!(missing_stations(650, 2, 300), 1);
        assert_eq!(missing_stations(600, 2, 300), 0);
        assert_eq!(missing_stations(1201, 2, 300), 3);
    }

    #[test]
    fn rerunning_moves_nobody() {
        let stations = empty(4);
        let voters = dpt(0..1000);
        let first = allocate(&stations, &voters, 300);
        let by = apply(&stations, &first);
        let placed: Vec<Station> = (1..=4)
            .map(|id| Station {
                id,
                voters: by[&id].clone(),
            })
            .collect();
        let again = allocate(&placed, &voters, 300);
        assert_eq!(again, Allocation::default());
    }

    #[test]
    fn new_voters_fill_the_emptiest_tps_and_old_ones_stay() {
        let stations = vec![
            Station {
                id: 1,
                voters: (0..10).collect(),
            },
            Station {
                id: 2,
                voters: vec![10, 11],
            },
        ];
        // Voter 3 is no longer eligible; 20..28 are new.
        let mut eligible = dpt((0..12).filter(|v| *v != 3));
        eligible.extend(dpt(20..28));
        let a = allocate(&stations, &eligible, 300);
        assert!(a.moves.contains(&(3, None)));
        let by = apply(&stations, &a);
        assert_eq!(by[&1].len(), 9 + 1);
        assert_eq!(by[&2].len(), 2 + 7);
        for v in [0, 1, 2, 4, 9] {
            assert!(by[&1].contains(&v));
        }
    }

    #[test]
    fn an_overfull_tps_sheds_its_last_voters() {
        let stations = vec![
            Station {
                id: 1,
                voters: (0..5).collect(),
            },
            Station {
                id: 2,
                voters: vec![],
            },
        ];
        let eligible = dpt(0..5);
        let a = allocate(&stations, &eligible, 3);
        let by = apply(&stations, &a);
        let mut first = by[&1].clone();
        first.sort();
        assert_eq!(first, vec![0, 1, 2]);
        assert_eq!(by[&2].len(), 2);
    }

    #[test]
    fn kpus_tps_is_kept_and_the_cap_counts_the_dpt_only() {
        // TPS 1 holds 3 DPT voters (the cap), two of them assigned by KPU to TPS 2.
        let stations = vec![
            Station {
                id: 1,
                voters: vec![0, 1, 2],
            },
            Station {
                id: 2,
                voters: vec![],
            },
        ];
        let mut eligible = dpt(0..3);
        eligible[1].kpu_station = Some(2);
        eligible[2].kpu_station = Some(2);
        // Two more DPT voters assigned to TPS 2: four there, above the cap, and they stay.
        eligible.extend((3..5).map(|id| Voter {
            id,
            dpt: true,
            kpu_station: Some(2),
        }));
        // Four DPTb/DPK voters: no cap, they even out the totals.
        eligible.extend((10..14).map(|id| Voter {
            id,
            dpt: false,
            kpu_station: None,
        }));
        let a = allocate(&stations, &eligible, 3);
        let by = apply(&stations, &a);
        let mut two = by[&2].clone();
        two.sort();
        assert_eq!(
            two,
            [1, 2, 3, 4],
            "KPU's TPS, above the cap of 3 DPT voters"
        );
        let mut one = by[&1].clone();
        one.sort();
        assert_eq!(
            one,
            [0, 10, 11, 12, 13],
            "the DPTb/DPK voters fill the emptier TPS"
        );
        assert_eq!(a.unplaced, 0);
        // Running again moves nobody.
        let placed: Vec<Station> = (1..=2)
            .map(|id| Station {
                id,
                voters: by[&id].clone(),
            })
            .collect();
        assert_eq!(allocate(&placed, &eligible, 3), Allocation::default());
    }

    #[test]
    fn dptb_and_dpk_voters_are_never_left_without_a_tps() {
        let stations = empty(1);
        let mut eligible = dpt(0..3);
        eligible.extend((3..6).map(|id| Voter {
            id,
            dpt: false,
            kpu_station: None,
        }));
        let a = allocate(&stations, &eligible, 3);
        assert_eq!(apply(&stations, &a)[&1].len(), 6);
        assert_eq!(a.unplaced, 0);
    }
}
