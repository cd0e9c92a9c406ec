//! From the rows of the summary queries to [`StationSummary`]s: each voter's ballots
//! counted per TPS, ballots needed against received, each checklist item's status. Pure.

use crate::domain::voter::VoterList;
use std::collections::{HashMap, HashSet};

use super::queries::{ItemRow, ReceivedRow, StationRow, StatusRow, VoterRow};
use super::{BallotLine, ItemState, Rules, StationSummary};
use crate::domain::ballots::{self, BallotType, Dapils};
use crate::domain::readiness::{self, Auto, Status};

/// The eligible voters placed on one TPS.
#[derive(Default)]
pub struct Tally {
    voters: i64,
    lists: [i64; 3],
    /// The DPTb and DPK voters, with the ballots each receives.
    placed: Vec<ballots::Placed>,
    uncertain: i64,
}

impl StationRow {
    /// Where the TPS stands: its location, or its facility's kab/kota.
    fn place(&self) -> &str {
        self.location_code.as_deref().unwrap_or(&self.kabkota_code)
    }

    fn types(&self, rules: &Rules) -> Vec<BallotType> {
        ballots::types_at(&rules.ballot_types, &rules.contests, Some(self.place()))
    }
}

/// Each TPS's placed voters: how many, on which list, which ballots each receives.
pub fn tally(
    stations: &[StationRow],
    voters: &[VoterRow],
    rules: &Rules,
    dapils: &Dapils,
) -> HashMap<i64, Tally> {
    let at: HashMap<i64, (Option<&str>, Vec<BallotType>)> = stations
        .iter()
        .map(|s| (s.id, (s.location_code.as_deref(), s.types(rules))))
        .collect();
    let mut tallies: HashMap<i64, Tally> = HashMap::new();
    for v in voters {
        let Some((location, types)) = at.get(&v.station_id) else {
            continue;
        };
        let t = tallies.entry(v.station_id).or_default();
        t.voters += 1;
        // An address taken from the NIK is where the NIK was issued, not where the voter
        // lives: it decides nothing beyond the president's ballot.
        let home = v.home_region_code.as_deref().filter(|_| !v.home_from_nik);
        let on_dpt = v.list == Some(VoterList::Dpt);
        let e = ballots::entitlement_on(on_dpt, types, home, *location, dapils);
        if !e.uncertain.is_empty() {
            t.uncertain += 1;
        }
        match v.list {
            Some(VoterList::Dpt) => t.lists[0] += 1,
            Some(list @ (VoterList::Dptb | VoterList::Dpk)) => {
                t.lists[if list == VoterList::Dptb { 1 } else { 2 }] += 1;
                t.placed.push(ballots::Placed {
                    dptb: list == VoterList::Dptb,
                    entitlement: e,
                });
            }
            None => {}
        }
    }
    tallies
}

/// What the summaries are made of besides the TPS rows.
pub struct Facts {
    pub tallies: HashMap<i64, Tally>,
    pub received: Vec<ReceivedRow>,
    pub items: Vec<ItemRow>,
    pub statuses: Vec<StatusRow>,
}

/// Everything per TPS, looked up by id.
struct Lookup {
    tallies: HashMap<i64, Tally>,
    received: HashMap<(i64, BallotType), i64>,
    /// The TPS with any receipt recorded.
    recorded: HashSet<i64>,
    items: Vec<ItemRow>,
    statuses: HashMap<(i64, i64), StatusRow>,
}

impl Facts {
    pub fn summaries(self, stations: Vec<StationRow>, rules: &Rules) -> Vec<StationSummary> {
        let mut received = HashMap::new();
        let recorded = self.received.iter().map(|r| r.station_id).collect();
        for r in self.received {
            if let Some(t) = BallotType::parse(&r.ballot_type) {
                received.insert((r.station_id, t), r.received.into());
            }
        }
        let statuses = self
            .statuses
            .into_iter()
            .map(|s| ((s.station_id, s.item_id), s))
            .collect();
        let mut lookup = Lookup {
            tallies: self.tallies,
            received,
            recorded,
            items: self.items,
            statuses,
        };
        stations
            .into_iter()
            .map(|s| lookup.summary(s, rules))
            .collect()
    }
}

impl Lookup {
    fn ballots(&self, s: &StationRow, tally: Option<&Tally>, rules: &Rules) -> Vec<BallotLine> {
        let counts = ballots::Counts {
            dpt: s.dpt.into(),
            dptb: s.dptb.into(),
            dpk: s.dpk.into(),
        };
        let (dpt_placed, placed) = tally.map_or((0, &[][..]), |t| (t.lists[0], &t.placed[..]));
        ballots::needs(
            &s.types(rules),
            counts,
            dpt_placed,
            placed,
            rules.reserve_basis_points,
        )
        .into_iter()
        .map(|need| BallotLine {
            received: self
                .received
                .get(&(s.id, need.ballot_type))
                .copied()
                .unwrap_or(0),
            need,
        })
        .collect()
    }

    /// The checklist of TPS `s`; `per_type` is `(needed, received)` per ballot type once
    /// voters are placed.
    fn items(&self, s: &StationRow, per_type: &[(i64, i64)]) -> Vec<ItemState> {
        self.items
            .iter()
            .map(|i| {
                let auto = Auto::parse(i.auto.as_deref());
                let set = self.statuses.get(&(s.id, i.id));
                let status = match auto {
                    Some(Auto::Location) => readiness::location_status(s.location_code.is_some()),
                    Some(Auto::Ballots) => readiness::ballots_status(per_type),
                    None => set
                        .and_then(|x| Status::from_db(&x.status))
                        .unwrap_or(Status::Missing),
                };
                ItemState {
                    item_id: i.id,
                    label: i.label.clone(),
                    short_label: i.short_label.clone(),
                    required: i.required,
                    auto,
                    status,
                    note: set.and_then(|x| x.note.clone()).unwrap_or_default(),
                    actor: set.filter(|_| auto.is_none()).map(|x| x.actor.clone()),
                    updated_at: set.filter(|_| auto.is_none()).map(|x| x.updated_at),
                }
            })
            .collect()
    }

    fn summary(&mut self, s: StationRow, rules: &Rules) -> StationSummary {
        let tally = self.tallies.remove(&s.id);
        let ballots = self.ballots(&s, tally.as_ref(), rules);
        let per_type: Vec<(i64, i64)> = ballots
            .iter()
            .map(|b| (b.need.planning(), b.received))
            .collect();
        let ballots_recorded = self.recorded.contains(&s.id);
        let items = self.items(&s, &per_type);
        let t = tally.unwrap_or_default();
        StationSummary {
            id: s.id,
            facility_id: s.facility_id,
            facility_code: s.facility_code,
            facility_name: s.facility_name,
            province_code: s.province_code,
            tps_number: s.tps_number,
            name: s.name,
            location_code: s.location_code,
            kabkota_code: s.kabkota_code,
            dpt: s.dpt.into(),
            dptb: s.dptb.into(),
            dpk: s.dpk.into(),
            version: s.version,
            voters: t.voters,
            roll_dpt: t.lists[0],
            roll_dptb: t.lists[1],
            roll_dpk: t.lists[2],
            uncertain_voters: t.uncertain,
            ballots,
            ballots_recorded,
            items,
        }
    }
}
