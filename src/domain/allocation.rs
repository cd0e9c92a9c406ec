//! Placing a facility's eligible voters on its TPS: balanced, never above the election's
//! maximum per TPS, and stable (voters already placed stay where they are).

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashSet};

/// A TPS and the voters on it now (in the order they should keep their place).
#[derive(Debug, Clone)]
pub struct Station {
    pub id: i64,
    pub voters: Vec<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Allocation {
    /// Voters whose TPS changes: `(voter, new TPS or None for unplaced)`.
    pub moves: Vec<(i64, Option<i64>)>,
    /// Eligible voters left without a TPS because every TPS is full.
    pub unplaced: usize,
}

/// How many more TPS a facility needs for `eligible` voters at `cap` per TPS.
pub fn missing_stations(eligible: usize, stations: usize, cap: usize) -> usize {
    eligible.div_ceil(cap.max(1)).saturating_sub(stations)
}

/// Places `eligible` voters (in a stable order) on `stations`. A voter already on a TPS
/// stays there unless they are no longer eligible or the TPS is over `cap` (the last ones
/// placed leave first). Voters not eligible any more leave their TPS. New voters go one by
/// one to the TPS with the fewest voters (ties: the first listed).
pub fn allocate(stations: &[Station], eligible: &[i64], cap: usize) -> Allocation {
    let eligible_set: HashSet<i64> = eligible.iter().copied().collect();
    let mut moves = Vec::new();
    let mut placed: HashSet<i64> = HashSet::new();
    let mut heap = BinaryHeap::new();
    for (index, s) in stations.iter().enumerate() {
        let mut kept = 0usize;
        for &v in &s.voters {
            if eligible_set.contains(&v) && kept < cap && placed.insert(v) {
                kept += 1;
            } else if !placed.contains(&v) || !eligible_set.contains(&v) {
                moves.push((v, None));
            }
        }
        heap.push(Reverse((kept, index)));
    }
    let mut unplaced = 0;
    for &v in eligible {
        if placed.contains(&v) {
            continue;
        }
        match heap.pop() {
            Some(Reverse((count, index))) if count < cap => {
                moves.push((v, Some(stations[index].id)));
                placed.insert(v);
                heap.push(Reverse((count + 1, index)));
            }
            other => {
                if let Some(top) = other {
                    heap.push(top);
                }
                unplaced += 1;
            }
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

    fn empty(n: i64) -> Vec<Station> {
        (1..=n).map(|id| Station { id, voters: vec![] }).collect()
    }

    #[test]
    fn balanced_and_under_the_cap() {
        let stations = empty(3);
        let voters: Vec<i64> = (100..100 + 700).collect();
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
        let voters: Vec<i64> = (0..650).collect();
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
        let voters: Vec<i64> = (0..1000).collect();
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
        let mut eligible: Vec<i64> = (0..12).filter(|v| *v != 3).collect();
        eligible.extend(20..28);
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
        let eligible: Vec<i64> = (0..5).collect();
        let a = allocate(&stations, &eligible, 3);
        let by = apply(&stations, &a);
        let mut first = by[&1].clone();
        first.sort();
        assert_eq!(first, vec![0, 1, 2]);
        assert_eq!(by[&2].len(), 2);
    }
}
