//! The living demo: a *Simulasi* election beside the archived Pemilu 2024, with its voting
//! day 45 days after the load, so countdowns, deadlines and worklists are live. The same
//! facilities, TPS and official counts as the Pemilu 2024 demo; a roll for every facility,
//! generated from a fixed seed, as large as the facility's published inmate count, with the
//! defects of 2024 in about their proportions (`DOMAIN.md`, "What went wrong in 2024"); then
//! the allocation, part of the readiness, ballots with a few shortages and a KPU list with
//! differences for two facilities. Dates are relative to the voting day, the rest is the
//! same on every load.

use std::collections::HashMap;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sqlx::PgConnection;
use time::{Date, Duration, Month, OffsetDateTime};

use super::national::{Codes, Extra, Form, Voter, insert_voters};
use super::plan::PlannedFacility;
use super::{DEMO_DAPILS, DemoError};
use crate::db::audit::Actor;
use crate::read::elections::Election;
use crate::read::places::Place;
use crate::reconcile::list::Entry;
use crate::stations::dapils;

pub const SLUG: &str = "simulasi";
pub const NAME: &str = "SIMULASI Pemungutan Suara";
/// Days from the load to the simulated voting day.
pub const DAYS_AHEAD: i64 = 45;
const SEED: u64 = 2029;
/// The facilities whose KPU list differs from the roll.
pub const KPU_LIST_FACILITIES: [&str; 2] = ["lapas-lubuklinggau", "lapas-palembang"];

const FIRST: [&str; 16] = [
    "Agus", "Budi", "Dedi", "Eko", "Hendra", "Joko", "Rudi", "Yusuf", "Fajar", "Ilham", "Taufik",
    "Arif", "Sri", "Dewi", "Rina", "Yanti",
];
const LAST: [&str; 12] = [
    "Saputra",
    "Wijaya",
    "Santoso",
    "Nasution",
    "Siregar",
    "Hidayat",
    "Lubis",
    "Pratama",
    "Gunawan",
    "Halim",
    "Kurniawan",
    "Setiawan",
];

/// The simulated voting day for a load on `today`.
pub fn voting_day(today: Date) -> Date {
    today + Duration::days(DAYS_AHEAD)
}

/// One facility's roll: `inmates` voters, lists close to the official counts of its TPS.
fn facility_roll(
    fi: usize,
    f: &PlannedFacility,
    codes: &Codes,
    day: Date,
    serials: &mut HashMap<String, u32>,
) -> Vec<Voter> {
    let mut rng = StdRng::seed_from_u64(SEED + fi as u64);
    let mut voters: Vec<Voter> = (0..f.inmates as usize)
        .map(|j| person(&mut rng, fi, j, f, codes, day, serials))
        .collect();
    assign_lists(&mut rng, &mut voters, f, codes, day);
    voters
}

/// An inmate with their NIK (or its defect), birth, home, admission and release.
fn person(
    rng: &mut StdRng,
    fi: usize,
    j: usize,
    f: &PlannedFacility,
    codes: &Codes,
    day: Date,
    serials: &mut HashMap<String, u32>,
) -> Voter {
    let juvenile = f.facility_type == "lpka";
    let female = f.facility_type == "lapas_perempuan" || rng.gen_ratio(1, 15);
    // A few LPKA inmates are under 17 on voting day.
    let age: i32 = match (juvenile, rng.gen_ratio(1, 5)) {
        (true, true) => rng.gen_range(15..=16),
        (true, false) => rng.gen_range(18..=20),
        _ => rng.gen_range(19..=70),
    };
    let birth = Date::from_calendar_date(
        day.year() - age,
        Month::try_from(rng.gen_range(1u8..=12)).expect("month"),
        rng.gen_range(1..=28),
    )
    .expect("date");
    let kabkota = codes.under(f.province_code);
    let home_kab = if rng.gen_ratio(3, 4) {
        f.kabkota_code.to_owned()
    } else {
        kabkota[rng.gen_range(0..kabkota.len())].clone()
    };
    let kecamatan = codes.under(&home_kab);
    let home = kecamatan[rng.gen_range(0..kecamatan.len())].clone();
    let offset = if female { 40 } else { 0 };
    let defect = rng.gen_range(0..1000);
    let nik_day = match defect {
        0..=39 => None, // none (0–29) or a broken one (30–39)
        40..=49 => Some(birth.day() % 28 + 1 + offset),
        _ => Some(birth.day() + offset),
    };
    let nik = nik_day.map(|d| {
        let prefix = format!(
            "{}{d:02}{:02}{:02}",
            home.replace('.', ""),
            u8::from(birth.month()),
            birth.year().rem_euclid(100)
        );
        let serial = serials.entry(prefix.clone()).or_default();
        *serial += 1;
        format!("{prefix}{serial:04}")
    });
    let (nik_flag, nik_raw, nik_problem) = match defect {
        0..=29 => (Some("no_nik"), None, None),
        // Excel turned the NIK into a number in scientific notation.
        30..=39 => (
            Some("nik_invalid"),
            Some(format!("{}.{}E+15", &home[..1], &home[1..2])),
            Some("scientific"),
        ),
        40..=49 => (Some("nik_mismatch"), None, None),
        _ => (None, None, None),
    };
    let detainee = rng.gen_ratio(1, 4);
    // Most were admitted long ago; some in the last weeks, a few detainees days ago.
    let admitted_days_ago = match rng.gen_range(0..100) {
        0..=3 => rng.gen_range(1..=20),
        4 if detainee => rng.gen_range(1..=5),
        _ => rng.gen_range(60..=1500),
    };
    let today = day - Duration::days(DAYS_AHEAD);
    // A few leave before voting day; others later.
    let release_date = match rng.gen_range(0..100) {
        0 => Some(day - Duration::days(rng.gen_range(1..=30))),
        1..=5 => Some(day + Duration::days(rng.gen_range(1..=400))),
        _ => None,
    };
    let marital = if juvenile || rng.gen_ratio(1, 3) {
        "never_married"
    } else {
        ["married", "married", "divorced", "widowed"][rng.gen_range(0..4)]
    };
    Voter {
        facility: fi,
        nik,
        nik_flag,
        name: format!(
            "{} {} {}",
            FIRST[if female {
                rng.gen_range(12..16)
            } else {
                rng.gen_range(0..12)
            }],
            LAST[rng.gen_range(0..LAST.len())],
            fi * 10_000 + j + 1
        ),
        birth_date: birth,
        sex: if female { "P" } else { "L" },
        legal_status: if detainee { "detainee" } else { "convict" },
        marital_status: marital,
        home,
        home_from_nik: false,
        rights_revoked: rng.gen_ratio(1, 500),
        release_date,
        list: None,
        departed: None,
        transferred_from: None,
        station: None,
        extra: Extra {
            nik_raw,
            nik_problem,
            admitted_on: Some(today - Duration::days(admitted_days_ago)),
            ktp_el: Some(true),
            ..Extra::default()
        },
    }
}

/// Whether the voter may vote: a valid NIK, of age, rights kept, not released before.
fn may_vote(v: &Voter, day: Date) -> bool {
    let adult = v.birth_date.year() + 17 < day.year();
    v.nik.is_some() && adult && !v.rights_revoked && v.release_date.is_none_or(|r| r > day)
}

/// Gives the voters who may vote (and those released before voting day, still on the DPT as
/// in 2024) the lists of the facility's TPS, in their official numbers: DPT voters with
/// KPU's TPS, DPTb voters with a form (some without), DPK voters with KTP-el (some without).
fn assign_lists(
    rng: &mut StdRng,
    voters: &mut [Voter],
    f: &PlannedFacility,
    codes: &Codes,
    day: Date,
) {
    let mut slots: Vec<(&'static str, Option<i32>)> = Vec::new();
    for s in &f.stations {
        slots.extend((0..s.dpt).map(|_| ("dpt", Some(s.number as i32))));
    }
    for s in &f.stations {
        slots.extend((0..s.dptb + s.dpk).map(|k| (if k < s.dptb { "dptb" } else { "dpk" }, None)));
    }
    let candidates = voters
        .iter_mut()
        .filter(|v| may_vote(v, day) || v.release_date.is_some_and(|r| r <= day));
    for (v, (list, kpu_tps)) in candidates.zip(slots) {
        v.list = Some(list);
        match list {
            "dpt" => v.extra.kpu_tps = kpu_tps,
            "dptb" if !rng.gen_ratio(1, 8) => v.extra.form = Some(form(rng, v, codes)),
            "dpk" => v.extra.ktp_el = Some(!rng.gen_ratio(1, 8)),
            _ => {}
        }
    }
}

/// A pindah memilih form from a TPS of the voter's home desa.
fn form(rng: &mut StdRng, v: &Voter, codes: &Codes) -> Form {
    let desa = codes.under(&v.home);
    let admitted = v.extra.admitted_on.expect("admitted");
    Form {
        origin_tps: format!("{:03}", rng.gen_range(1..=40)),
        origin_desa: desa[rng.gen_range(0..desa.len())].clone(),
        date: admitted + Duration::days(rng.gen_range(1..=10)),
        reason: "detention",
    }
}

/// Every facility's roll, for a voting day `day`.
pub fn rolls(facilities: &[PlannedFacility], day: Date) -> Vec<Voter> {
    let codes = Codes::load();
    let mut serials = HashMap::new();
    let mut voters = Vec::new();
    for (fi, f) in facilities.iter().enumerate() {
        voters.extend(facility_roll(fi, f, &codes, day, &mut serials));
    }
    // A few arrived from another facility of the province.
    for (i, v) in voters.iter_mut().enumerate() {
        if i % 97 == 0 && v.facility > 0 {
            let prev = v.facility - 1;
            if facilities[prev].province_code == facilities[v.facility].province_code {
                v.transferred_from = Some(prev);
            }
        }
    }
    voters
}

/// Loads the Simulasi election after the Pemilu 2024 demo (`archived`, its election id) in
/// the same transaction.
pub async fn load(
    tx: &mut PgConnection,
    actor: &Actor,
    archived: i64,
    facilities: &[PlannedFacility],
) -> Result<(), DemoError> {
    let today = OffsetDateTime::now_utc().date();
    let day = voting_day(today);
    let election_id = sqlx::query_scalar!(
        r#"insert into elections (slug, name, kind, voting_day, transfer_deadline,
               detainee_transfer_deadline, max_voters_per_tps, reserve_basis_points, ballot_types)
           values ($1, $2, 'pemilu', $3, $4, $5, 300, 200,
                   array['ppwp', 'dpr', 'dpd', 'dprd_prov', 'dprd_kabkota'])
           returning id"#,
        SLUG,
        NAME,
        day,
        day - Duration::days(30),
        day - Duration::days(7),
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!(
        "insert into stations (election_id, facility_id, tps_number, location_code, dpt, dptb, dpk)
         select $1, facility_id, tps_number, location_code, dpt, dptb, dpk
         from stations where election_id = $2 order by id",
        election_id,
        archived
    )
    .execute(&mut *tx)
    .await?;
    let mut rows = dapils::parse(DEMO_DAPILS.as_bytes()).expect("the demo dapil file is valid");
    for r in &mut rows {
        r.election = SLUG.to_owned();
    }
    match dapils::import(&mut *tx, actor, &rows, true).await {
        Ok(_) => {}
        Err(dapils::ImportError::Database(e)) => return Err(e.into()),
        Err(dapils::ImportError::Rows(rows)) => panic!("simulasi dapils rejected: {rows:?}"),
    }
    let ids = facility_ids(tx, facilities).await?;
    let voters = rolls(facilities, day);
    let none = vec![None; voters.len()];
    let arrived = OffsetDateTime::now_utc() - Duration::days(30);
    insert_voters(tx, election_id, &ids, &voters, &none, arrived).await?;
    sqlx::query!("analyze voters").execute(&mut *tx).await?;
    let election = Election {
        id: election_id,
        slug: SLUG.to_owned(),
        name: NAME.to_owned(),
        voting_day: day,
    };
    allocate_all(tx, actor, &election).await?;
    readiness_and_ballots(tx, election_id).await?;
    for code in KPU_LIST_FACILITIES {
        kpu_list(tx, election_id, code).await?;
    }
    Ok(())
}

async fn facility_ids(
    tx: &mut PgConnection,
    facilities: &[PlannedFacility],
) -> sqlx::Result<Vec<i64>> {
    let by_code: HashMap<String, i64> = sqlx::query!("select id, code from facilities")
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|r| (r.code, r.id))
        .collect();
    Ok(facilities.iter().map(|f| by_code[f.code]).collect())
}

/// Runs the allocation of every facility, as a registrar would.
async fn allocate_all(
    tx: &mut PgConnection,
    actor: &Actor,
    election: &Election,
) -> Result<(), DemoError> {
    let places = sqlx::query!(
        "select f.id, f.code, f.name, f.province_code, p.name as province_name, f.kabkota_code
         from facilities f join regions p on p.code = f.province_code order by f.id"
    )
    .fetch_all(&mut *tx)
    .await?;
    for f in places {
        let place = Place {
            facility_id: f.id,
            facility_code: f.code,
            facility_name: f.name,
            province_code: f.province_code,
            province_name: f.province_name,
            kabkota_code: f.kabkota_code,
            election: election.clone(),
        };
        crate::stations::allocate::allocate(&mut *tx, actor, &place)
            .await
            .map_err(|e| {
                DemoError::Other(format!("allocation of {}: {e:?}", place.facility_code))
            })?;
    }
    Ok(())
}

/// Readiness well ahead in Sumatera Selatan (every item done at a third of its TPS, so some
/// are ready where no ballots are short), under way in DKI Jakarta, begun in Bangka Belitung,
/// not begun in NTT: a TPS has its first `done + n % 3` items ready and the next one partly;
/// ballots for the placed voters and the reserve, a few TPS short.
async fn readiness_and_ballots(tx: &mut PgConnection, election_id: i64) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into station_readiness (station_id, item_id, status, actor)
         select s.id, i.id,
                case when i.position <= p.done + s.tps_number % 3 then 'ready' else 'partial' end,
                'demo'
         from stations s
         join facilities f on f.id = s.facility_id
         join (values ('16', 10), ('31', 5), ('19', 3)) as p (code, done) on p.code = f.province_code
         join readiness_items i on i.election_id = s.election_id and i.auto is null
         where s.election_id = $1 and i.position <= p.done + s.tps_number % 3 + 1",
        election_id
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "insert into station_ballots (station_id, ballot_type, received)
         select s.id, t, case when s.tps_number % 7 = 3 and t in ('ppwp', 'dpr')
                              then n.placed * 9 / 10
                              else n.placed + (n.placed * 2 + 99) / 100 end
         from stations s
         join lateral (select count(*)::int as placed from voters v where v.station_id = s.id) n
              on true
         cross join unnest(array['ppwp', 'dpr', 'dpd', 'dprd_prov', 'dprd_kabkota']) as t
         where s.election_id = $1",
        election_id
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// KPU's list for a facility: its DPT voters with KPU's TPS, except that a few are missing,
/// a few are on KPU's list only, a few on another TPS and a few spelled differently.
async fn kpu_list(tx: &mut PgConnection, election_id: i64, code: &str) -> Result<(), DemoError> {
    let rows = sqlx::query!(
        r#"select v.nik as "nik!", v.name, v.kpu_tps as "kpu_tps!", f.id as facility_id
           from voters v join facilities f on f.id = v.facility_id
           where v.election_id = $1 and f.code = $2 and v.list = 'dpt' and v.nik is not null
                 and v.kpu_tps is not null
           order by v.id"#,
        election_id,
        code
    )
    .fetch_all(&mut *tx)
    .await?;
    let Some(facility_id) = rows.first().map(|r| r.facility_id) else {
        return Ok(());
    };
    let mut entries: Vec<Entry> = Vec::with_capacity(rows.len() + 3);
    for (i, r) in rows.iter().enumerate() {
        let (name, tps) = match i % 53 {
            0 => continue,
            7 => (format!("{}.", r.name.to_uppercase()), r.kpu_tps),
            11 => (r.name.clone(), r.kpu_tps % 4 + 1),
            _ => (r.name.clone(), r.kpu_tps),
        };
        entries.push(Entry {
            line: entries.len() as i32 + 2,
            nik: r.nik.clone(),
            name,
            tps,
        });
    }
    for k in 0..3 {
        entries.push(Entry {
            line: entries.len() as i32 + 2,
            nik: format!("16710{k}0101900001"),
            name: format!("Pemilih Luar Lapas {}", k + 1),
            tps: 1,
        });
    }
    let filename = format!("DPT-KPU-{code}-simulasi.csv");
    crate::reconcile::matching::store(tx, election_id, facility_id, None, &filename, &entries)
        .await
        .map_err(|e| DemoError::Other(format!("KPU list of {code}: {e:?}")))?;
    Ok(())
}
