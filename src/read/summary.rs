//! Everything known about a set of TPS, computed in a fixed handful of queries whatever their
//! number: official counts, voters placed, ballots needed and received, readiness. The TPS
//! page, the facility page, the province readiness matrix and `loksus export stations` all
//! read it, so they always agree.

use std::collections::HashMap;

use sqlx::PgConnection;
use time::OffsetDateTime;

use crate::domain::ballots::{self, BallotType, Contest, Dapils};
use crate::domain::readiness::{self, Auto, Status};
use crate::http::error::Result;

/// The rules of an election that TPS figures depend on.
#[derive(Debug, Clone)]
pub struct Rules {
    pub election_id: i64,
    pub ballot_types: Vec<BallotType>,
    pub reserve_basis_points: i64,
    pub max_voters_per_tps: i64,
}

impl Rules {
    pub async fn load(conn: &mut PgConnection, election_id: i64) -> Result<Rules> {
        let r = sqlx::query!(
            "select ballot_types, reserve_basis_points, max_voters_per_tps
             from elections where id = $1",
            election_id
        )
        .fetch_one(&mut *conn)
        .await?;
        Ok(Rules {
            election_id,
            ballot_types: r
                .ballot_types
                .iter()
                .filter_map(|t| BallotType::parse(t))
                .collect(),
            reserve_basis_points: r.reserve_basis_points.into(),
            max_voters_per_tps: r.max_voters_per_tps.into(),
        })
    }
}

/// Which TPS to summarise (all filters optional, combined with "and").
#[derive(Debug, Clone, Copy, Default)]
pub struct Filter<'a> {
    pub province: Option<&'a str>,
    pub facility: Option<i64>,
    pub station: Option<i64>,
    /// Any of these facilities.
    pub facilities: Option<&'a [i64]>,
}

#[derive(Debug, Clone)]
pub struct BallotLine {
    pub ballot_type: BallotType,
    /// Voters placed on the TPS who receive this ballot.
    pub entitled: i64,
    pub reserve: i64,
    pub needed: i64,
    pub received: i64,
}

impl BallotLine {
    pub fn shortage(&self) -> i64 {
        (self.needed - self.received).max(0)
    }
}

#[derive(Debug, Clone)]
pub struct ItemState {
    pub item_id: i64,
    pub label: String,
    pub short_label: String,
    pub required: bool,
    pub auto: Option<Auto>,
    pub status: Status,
    pub note: String,
    pub actor: Option<String>,
    pub updated_at: Option<OffsetDateTime>,
}

#[derive(Debug, Clone)]
pub struct StationSummary {
    pub id: i64,
    pub facility_id: i64,
    pub facility_code: String,
    pub facility_name: String,
    pub province_code: String,
    pub tps_number: i32,
    pub name: Option<String>,
    pub location_code: Option<String>,
    pub dpt: i64,
    pub dptb: i64,
    pub dpk: i64,
    pub version: i32,
    /// Eligible voters placed on this TPS, and how many of them are on each list.
    pub voters: i64,
    pub roll_dpt: i64,
    pub roll_dptb: i64,
    pub roll_dpk: i64,
    /// Voters for whom some ballot could not be decided (missing dapil or home address).
    pub uncertain_voters: i64,
    pub ballots: Vec<BallotLine>,
    pub items: Vec<ItemState>,
}

impl StationSummary {
    pub fn ready_items(&self) -> usize {
        self.items
            .iter()
            .filter(|i| i.status == Status::Siap)
            .count()
    }

    pub fn ready(&self) -> bool {
        let items: Vec<(bool, Status)> =
            self.items.iter().map(|i| (i.required, i.status)).collect();
        readiness::is_ready(&items)
    }

    /// Required items that are not siap yet.
    pub fn missing(&self) -> impl Iterator<Item = &ItemState> {
        self.items
            .iter()
            .filter(|i| i.required && i.status != Status::Siap)
    }

    pub fn ballot(&self, t: BallotType) -> Option<&BallotLine> {
        self.ballots.iter().find(|b| b.ballot_type == t)
    }

    pub fn shortage(&self) -> i64 {
        self.ballots.iter().map(BallotLine::shortage).sum()
    }

    /// Whether the roll's lists differ from the official counts (only once voters are placed).
    pub fn differs_from_roll(&self) -> bool {
        self.voters > 0
            && (self.roll_dpt, self.roll_dptb, self.roll_dpk) != (self.dpt, self.dptb, self.dpk)
    }
}

/// The election's dapils in `provinces` (all when `None`), as the entitlement rule reads them.
/// A TPS only ever needs the dapils of its own province: a voter from elsewhere gets no
/// DPR or DPRD ballot whatever the dapils say.
pub async fn dapils(
    conn: &mut PgConnection,
    election_id: i64,
    provinces: Option<&[String]>,
) -> Result<Dapils> {
    let rows = sqlx::query!(
        "select r.contest, r.region_code, d.code
         from dapil_regions r join dapils d on d.id = r.dapil_id
         where r.election_id = $1 and ($2::text[] is null or left(r.region_code, 2) = any($2))",
        election_id,
        provinces
    )
    .fetch_all(conn)
    .await?;
    let mut d = Dapils::default();
    for r in rows {
        if let Some(c) = Contest::parse(&r.contest) {
            d.insert(c, r.region_code, r.code);
        }
    }
    Ok(d)
}

pub async fn load(
    conn: &mut PgConnection,
    rules: &Rules,
    filter: Filter<'_>,
) -> Result<Vec<StationSummary>> {
    let stations = sqlx::query!(
        r#"select s.id, s.facility_id, f.code as facility_code, f.name as facility_name,
                  f.province_code, s.tps_number, s.name, s.location_code,
                  s.dpt, s.dptb, s.dpk, s.version
           from stations s join facilities f on f.id = s.facility_id
           where s.election_id = $1 and ($2::text is null or f.province_code = $2)
             and ($3::bigint is null or f.id = $3) and ($4::bigint is null or s.id = $4)
             and ($5::bigint[] is null or f.id = any($5))
           order by f.province_code, f.name, s.tps_number"#,
        rules.election_id,
        filter.province,
        filter.facility,
        filter.station,
        filter.facilities as Option<&[i64]>,
    )
    .fetch_all(&mut *conn)
    .await?;
    let ids: Vec<i64> = stations.iter().map(|s| s.id).collect();
    let voters = sqlx::query!(
        r#"select v.station_id as "station_id!", v.home_region_code, v.home_from_nik, v.list
           from voters v join elections e on e.id = v.election_id
           where v.station_id = any($1) and v.status = 'active'
             and cardinality(voter_reasons(v.birth_date, v.marital_status, v.rights_revoked,
                     v.release_date, v.nik, v.nik_flag, v.home_region_code,
                     e.voting_day, e.kind, e.region_code)) = 0"#,
        &ids
    )
    .fetch_all(&mut *conn)
    .await?;
    let provinces: Vec<String> = stations
        .iter()
        .filter_map(|s| s.location_code.as_ref().map(|l| l[..2].to_owned()))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let dapils = dapils(conn, rules.election_id, Some(&provinces)).await?;
    let received = sqlx::query!(
        "select station_id, ballot_type, received from station_ballots where station_id = any($1)",
        &ids
    )
    .fetch_all(&mut *conn)
    .await?;
    let items = sqlx::query!(
        "select id, label, short_label, required, auto from readiness_items
         where election_id = $1 order by position, id",
        rules.election_id
    )
    .fetch_all(&mut *conn)
    .await?;
    let statuses = sqlx::query!(
        "select station_id, item_id, status, note, actor, updated_at
         from station_readiness where station_id = any($1)",
        &ids
    )
    .fetch_all(&mut *conn)
    .await?;

    struct Tally {
        voters: i64,
        lists: [i64; 3],
        entitlements: Vec<ballots::Entitlement>,
        uncertain: i64,
    }
    let location: HashMap<i64, Option<String>> = stations
        .iter()
        .map(|s| (s.id, s.location_code.clone()))
        .collect();
    let mut tallies: HashMap<i64, Tally> = HashMap::new();
    for v in &voters {
        let t = tallies.entry(v.station_id).or_insert_with(|| Tally {
            voters: 0,
            lists: [0; 3],
            entitlements: Vec::new(),
            uncertain: 0,
        });
        t.voters += 1;
        match v.list.as_deref() {
            Some("dpt") => t.lists[0] += 1,
            Some("dptb") => t.lists[1] += 1,
            Some("dpk") => t.lists[2] += 1,
            _ => {}
        }
        // An address taken from the NIK is where the NIK was issued, not where the voter
        // lives: it decides nothing beyond the president's ballot.
        let home = v.home_region_code.as_deref().filter(|_| !v.home_from_nik);
        let tps = location.get(&v.station_id).and_then(|l| l.as_deref());
        let e = ballots::entitlement(&rules.ballot_types, home, tps, &dapils);
        if !e.uncertain.is_empty() {
            t.uncertain += 1;
        }
        t.entitlements.push(e);
    }
    let mut received_by: HashMap<(i64, BallotType), i64> = HashMap::new();
    for r in received {
        if let Some(t) = BallotType::parse(&r.ballot_type) {
            received_by.insert((r.station_id, t), r.received.into());
        }
    }
    let mut status_by: HashMap<(i64, i64), _> = HashMap::new();
    for s in statuses {
        status_by.insert((s.station_id, s.item_id), s);
    }

    Ok(stations
        .into_iter()
        .map(|s| {
            let tally = tallies.remove(&s.id);
            let reserve = ballots::reserve(s.dpt.into(), rules.reserve_basis_points);
            let entitlements = tally.as_ref().map_or(&[][..], |t| &t.entitlements[..]);
            let ballots: Vec<BallotLine> = ballots::needed(
                &rules.ballot_types,
                entitlements,
                s.dpt.into(),
                rules.reserve_basis_points,
            )
            .into_iter()
            .map(|(t, needed)| BallotLine {
                ballot_type: t,
                entitled: needed - reserve,
                reserve,
                needed,
                received: received_by.get(&(s.id, t)).copied().unwrap_or(0),
            })
            .collect();
            let per_type: Vec<(i64, i64)> = if tally.is_some() {
                ballots.iter().map(|b| (b.needed, b.received)).collect()
            } else {
                Vec::new()
            };
            let items = items
                .iter()
                .map(|i| {
                    let auto = Auto::parse(i.auto.as_deref());
                    let set = status_by.get(&(s.id, i.id));
                    let status = match auto {
                        Some(Auto::Location) => {
                            readiness::location_status(s.location_code.is_some())
                        }
                        Some(Auto::Ballots) => readiness::ballots_status(&per_type),
                        None => set
                            .and_then(|x| Status::parse(&x.status))
                            .unwrap_or(Status::Belum),
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
                .collect();
            let (voters, lists, uncertain) = tally
                .map(|t| (t.voters, t.lists, t.uncertain))
                .unwrap_or((0, [0; 3], 0));
            StationSummary {
                id: s.id,
                facility_id: s.facility_id,
                facility_code: s.facility_code,
                facility_name: s.facility_name,
                province_code: s.province_code,
                tps_number: s.tps_number,
                name: s.name,
                location_code: s.location_code,
                dpt: s.dpt.into(),
                dptb: s.dptb.into(),
                dpk: s.dpk.into(),
                version: s.version,
                voters,
                roll_dpt: lists[0],
                roll_dptb: lists[1],
                roll_dpk: lists[2],
                uncertain_voters: uncertain,
                ballots,
                items,
            }
        })
        .collect())
}
