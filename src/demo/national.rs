//! National-scale data for benchmarks and load tests (`loksus demo load --scale national`):
//! all 38 provinces, about 550 facilities of every type, about 1.800 TPS and 300.000 inmates
//! with valid and invalid NIKs, every eligibility reason, transfers and releases, voters
//! placed on TPS, readiness, ballots received and dapils. Deterministic (a fixed seed) and
//! illustrative: facility names, figures and dapils are made up; the kab/kota, kecamatan and
//! desa codes are real ones of the Kemendagri reference (`crate::db::regions`).

use std::collections::HashMap;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sqlx::PgPool;
use time::macros::date;
use time::{Date, Duration};

use super::{DemoAccount, DemoError, DemoSummary, begin, finish, hash_passwords};
use crate::db::audit::{self, Actor};
use crate::db::regions;
use crate::domain::ballots::Contest;
use crate::domain::eligibility::{self, Facts, Rule};
use crate::domain::nik::PROVINCE_CODES;
use crate::domain::password;
use crate::stations::dapils::{self, DapilRow};

pub const FACILITIES: usize = 550;
pub const INMATES: usize = 300_000;
const SEED: u64 = 2024;
const VOTING_DAY: Date = date!(2024 - 02 - 14);
/// Eligible voters per TPS the plan aims at (≈ 1.800 TPS for 300.000 inmates).
const PER_TPS: usize = 175;

/// The facility every benchmark's roll page and registrar account use.
pub const SAMPLE_FACILITY: &str = "lapas-16-01";

#[derive(Debug, Clone)]
pub struct Facility {
    pub code: String,
    pub name: String,
    pub facility_type: &'static str,
    pub province: &'static str,
    pub kabkota: String,
    pub inmates: usize,
    pub stations: usize,
    /// The desa of each TPS (in the kab/kota's first kecamatan).
    pub locations: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Voter {
    pub facility: usize,
    pub nik: Option<String>,
    pub nik_flag: Option<&'static str>,
    pub name: String,
    pub birth_date: Date,
    pub sex: &'static str,
    pub legal_status: &'static str,
    pub marital_status: &'static str,
    pub home: String,
    pub home_from_nik: bool,
    pub rights_revoked: bool,
    pub release_date: Option<Date>,
    pub list: Option<&'static str>,
    pub departed: Option<String>,
    pub transferred_from: Option<usize>,
    /// Index of the TPS within its facility.
    pub station: Option<usize>,
    pub extra: Extra,
}

/// What the living demo's rolls add to a voter: broken NIKs as the file had them, admission,
/// the pindah memilih form, KTP-el and KPU's TPS.
#[derive(Debug, Clone, Default)]
pub struct Extra {
    pub nik_raw: Option<String>,
    pub nik_problem: Option<&'static str>,
    pub admitted_on: Option<Date>,
    pub ktp_el: Option<bool>,
    pub kpu_tps: Option<i32>,
    pub form: Option<Form>,
}

/// A pindah memilih form (Model A): origin TPS and desa, date, reason.
#[derive(Debug, Clone)]
pub struct Form {
    pub origin_tps: String,
    pub origin_desa: String,
    pub date: Date,
    pub reason: &'static str,
}

pub struct Plan {
    pub kabkota: Vec<String>,
    pub facilities: Vec<Facility>,
    pub voters: Vec<Voter>,
    pub dapils: Vec<DapilRow>,
}

/// The codes of the region reference by parent: each province's kab/kota, each kab/kota's
/// kecamatan, each kecamatan's desa, in code order.
pub(super) struct Codes(HashMap<String, Vec<String>>);

impl Codes {
    pub(super) fn load() -> Codes {
        let mut under: HashMap<String, Vec<String>> = HashMap::new();
        for r in regions::reference() {
            if let Some((parent, _)) = r.code.rsplit_once('.') {
                under.entry(parent.to_owned()).or_default().push(r.code);
            }
        }
        Codes(under)
    }

    pub(super) fn under(&self, code: &str) -> &[String] {
        self.0.get(code).map_or(&[], Vec::as_slice)
    }
}

/// Splits `total` over `weights` with the largest-remainder method.
fn split(total: usize, weights: &[usize]) -> Vec<usize> {
    let sum: usize = weights.iter().sum::<usize>().max(1);
    let mut out: Vec<usize> = weights.iter().map(|w| total * w / sum).collect();
    let mut rest: Vec<(usize, usize)> = weights
        .iter()
        .enumerate()
        .map(|(i, w)| ((total * w) % sum, i))
        .collect();
    rest.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let missing = total - out.iter().sum::<usize>();
    for &(_, i) in rest.iter().take(missing) {
        out[i] += 1;
    }
    out
}

const TYPES: [(&str, &str, u32); 6] = [
    ("lapas", "Lapas", 45),
    ("rutan", "Rutan", 30),
    ("lapas_narkotika", "Lapas Narkotika", 8),
    ("lapas_perempuan", "Lapas Perempuan", 6),
    ("lpka", "LPKA", 6),
    ("cabang_rutan", "Cabang Rutan", 5),
];
const FIRST: [&str; 12] = [
    "Agus", "Budi", "Dedi", "Eko", "Hendra", "Joko", "Rudi", "Yusuf", "Sri", "Dewi", "Ani", "Rina",
];
const LAST: [&str; 10] = [
    "Saputra", "Wijaya", "Santoso", "Nasution", "Siregar", "Hidayat", "Lubis", "Pratama",
    "Gunawan", "Halim",
];

/// The whole national data set, computed without a database.
pub fn plan() -> Plan {
    let mut rng = StdRng::seed_from_u64(SEED);
    let codes = Codes::load();
    // Java and the large Sumatran provinces hold more facilities.
    let weights: Vec<usize> = PROVINCE_CODES
        .iter()
        .map(|p| match *p {
            "31" | "32" | "33" | "35" | "36" => 5,
            "11" | "12" | "13" | "14" | "16" | "18" | "63" | "64" | "73" => 3,
            _ => 1,
        })
        .collect();
    let per_province = split(FACILITIES, &weights);
    let mut kabkota = Vec::new();
    let mut facilities = Vec::new();
    for (p, &count) in PROVINCE_CODES.iter().zip(&per_province) {
        let all = codes.under(p);
        let mine = &all[..count.div_ceil(3).max(2).min(all.len())];
        kabkota.extend(mine.iter().cloned());
        for i in 0..count {
            let roll: u32 = rng.gen_range(0..100);
            let mut acc = 0;
            let (t, label, _) = *TYPES
                .iter()
                .find(|(_, _, w)| {
                    acc += w;
                    roll < acc
                })
                .unwrap_or(&TYPES[0]);
            // The sample facility is always a lapas.
            let (t, label) = if i == 0 {
                ("lapas", "Lapas")
            } else {
                (t, label)
            };
            let kab = mine[i % mine.len()].clone();
            facilities.push(Facility {
                code: format!("{}-{p}-{:02}", t.replace('_', "-"), i + 1),
                name: format!("{label} Ilustratif {p}-{:02}", i + 1),
                facility_type: t,
                province: p,
                kabkota: kab,
                inmates: 0,
                stations: 0,
                locations: Vec::new(),
            });
        }
    }
    let sizes: Vec<usize> = facilities
        .iter()
        .map(|f| match f.facility_type {
            "lpka" | "cabang_rutan" => rng.gen_range(40..200),
            _ => rng.gen_range(200..1_400),
        })
        .collect();
    for (f, n) in facilities.iter_mut().zip(split(INMATES, &sizes)) {
        f.inmates = n;
    }

    let rule = Rule {
        voting_day: VOTING_DAY,
        pilkada_region: None,
    };
    let mut voters = Vec::with_capacity(INMATES + INMATES / 20);
    let mut counter = 0usize;
    let facility_codes: Vec<String> = facilities.iter().map(|f| f.code.clone()).collect();
    let mut tps_counts = vec![0usize; facilities.len()];
    // NIK serials count up per kecamatan and birth date, as Disdukcapil issues them.
    let mut serials: HashMap<String, u32> = HashMap::new();
    for (fi, f) in facilities.iter().enumerate() {
        let first = voters.len();
        let extra = f.inmates / 25; // released or transferred away: kept as departed
        for j in 0..f.inmates + extra {
            counter += 1;
            let female = f.facility_type == "lapas_perempuan" || rng.gen_ratio(1, 15);
            let juvenile = f.facility_type == "lpka";
            let year: i32 = if juvenile {
                rng.gen_range(2005..=2009)
            } else if rng.gen_ratio(1, 60) {
                rng.gen_range(2007..=2008)
            } else {
                rng.gen_range(1955..=2005)
            };
            let birth = Date::from_calendar_date(
                year,
                time::Month::try_from(rng.gen_range(1u8..=12)).expect("month"),
                rng.gen_range(1..=28),
            )
            .expect("date");
            // Home: mostly a kab/kota of the facility's province, some from elsewhere.
            let home_province = if rng.gen_ratio(4, 5) {
                f.province
            } else {
                PROVINCE_CODES[rng.gen_range(0..PROVINCE_CODES.len())]
            };
            let home_kab = &codes.under(home_province)[rng.gen_range(0..2)];
            let kecamatan = codes.under(home_kab);
            let home = kecamatan[rng.gen_range(0..kecamatan.len())].clone();
            let offset = if female { 40 } else { 0 };
            let (nik_day, nik_flag) = match rng.gen_range(0..100) {
                0..=2 => (None, Some("no_nik")),
                // The date in the NIK disagrees with the recorded birth date.
                3 => (Some(birth.day() % 28 + 1 + offset), Some("nik_mismatch")),
                _ => (Some(birth.day() + offset), None),
            };
            let nik = nik_day.map(|day| {
                let prefix = format!(
                    "{}{day:02}{:02}{:02}",
                    home.replace('.', ""),
                    u8::from(birth.month()),
                    birth.year().rem_euclid(100)
                );
                let serial = serials.entry(prefix.clone()).or_default();
                *serial += 1;
                format!("{prefix}{serial:04}")
            });
            let marital = if juvenile && rng.gen_ratio(9, 10) {
                "never_married"
            } else {
                ["never_married", "married", "married", "divorced", "widowed"][rng.gen_range(0..5)]
            };
            let release_date = rng
                .gen_ratio(1, 20)
                .then(|| VOTING_DAY - Duration::days(rng.gen_range(-60..40)));
            let departed = (j >= f.inmates).then(|| {
                if rng.gen_ratio(2, 3) {
                    "bebas".to_owned()
                } else {
                    format!(
                        "dipindahkan ke {}",
                        facility_codes[(fi + 1) % facility_codes.len()]
                    )
                }
            });
            voters.push(Voter {
                facility: fi,
                nik,
                nik_flag,
                name: format!(
                    "{} {} {counter}",
                    FIRST[rng.gen_range(0..FIRST.len())],
                    LAST[rng.gen_range(0..LAST.len())]
                ),
                birth_date: birth,
                sex: if female { "P" } else { "L" },
                legal_status: if rng.gen_ratio(1, 4) {
                    "detainee"
                } else {
                    "convict"
                },
                marital_status: marital,
                home_from_nik: rng.gen_ratio(1, 12),
                home,
                rights_revoked: rng.gen_ratio(1, 400),
                release_date,
                list: ["dpt", "dpt", "dpt", "dptb", "dpk", "dpt"][rng.gen_range(0..6)].into(),
                departed,
                transferred_from: (j < f.inmates && rng.gen_ratio(1, 100))
                    .then(|| (fi + facility_codes.len() - 1) % facility_codes.len()),
                station: None,
                extra: Extra::default(),
            });
            if rng.gen_ratio(1, 30) {
                voters.last_mut().expect("pushed").list = None;
            }
        }
        // Eligible active voters are spread over enough TPS (never above 300).
        let eligible: Vec<usize> = (first..voters.len())
            .filter(|&i| {
                let v = &voters[i];
                v.departed.is_none()
                    && eligibility::reasons(
                        &Facts {
                            birth_date: v.birth_date,
                            marital_status: v.marital_status,
                            rights_revoked: v.rights_revoked,
                            release_date: v.release_date,
                            valid_nik: v.nik.is_some(),
                            home_region: Some(&v.home),
                        },
                        &rule,
                    )
                    .is_empty()
            })
            .collect();
        let n_tps = eligible.len().div_ceil(PER_TPS).max(1);
        for (k, &i) in eligible.iter().enumerate() {
            voters[i].station = Some(k % n_tps);
        }
        tps_counts[fi] = n_tps;
    }
    for (f, n) in facilities.iter_mut().zip(tps_counts) {
        let desa = codes.under(&codes.under(&f.kabkota)[0]);
        f.stations = n;
        f.locations = (0..n).map(|s| desa[s % desa.len()].clone()).collect();
    }

    // Illustrative dapils: DPR dapils of three kab/kota, DPRD Provinsi of two, DPRD Kab/Kota
    // of ten kecamatan (with the first kecamatan, where the TPS stand, in the first).
    let mut dapil_rows = Vec::new();
    let mut row = |contest: Contest, code: String, region: String| {
        dapil_rows.push(DapilRow {
            line: dapil_rows.len() as u64 + 2,
            election: super::ELECTION_SLUG.to_owned(),
            contest,
            name: format!("Dapil {code}"),
            code,
            region,
        });
    };
    for p in PROVINCE_CODES {
        let mine = kabkota.iter().filter(|c| c.starts_with(&format!("{p}.")));
        for (i, k) in mine.enumerate() {
            row(Contest::Dpr, format!("{p} DPR {}", i / 3 + 1), k.clone());
            row(
                Contest::DprdProv,
                format!("{p} PROV {}", i / 2 + 1),
                k.clone(),
            );
            for (j, kec) in codes.under(k).iter().enumerate() {
                row(
                    Contest::DprdKabkota,
                    format!("{k} KAB {}", j / 10 + 1),
                    kec.clone(),
                );
            }
        }
    }
    Plan {
        kabkota,
        facilities,
        voters,
        dapils: dapil_rows,
    }
}

fn accounts() -> Vec<DemoAccount> {
    let account = |username, role, province_code, facility_code, first| DemoAccount {
        username,
        role,
        province_code,
        facility_code,
        first,
        password: password::generate(),
    };
    vec![
        account("admin", "admin", None, None, "/ (national dashboard)"),
        account("kanwil-sumsel", "kanwil", Some("16"), None, "/provinsi/16"),
        account(
            "registrar-16-01",
            "registrar",
            None,
            Some(SAMPLE_FACILITY),
            "/fasilitas/lapas-16-01/daftar",
        ),
        account("kpu-nasional", "kpu", None, None, "/ (national dashboard)"),
    ]
}

/// Loads the national data set in one transaction, then builds the report figures.
pub async fn load(pool: &PgPool) -> Result<DemoSummary, DemoError> {
    let accounts = accounts();
    let hashes = hash_passwords(&accounts).await;
    let plan = tokio::task::spawn_blocking(plan)
        .await
        .expect("planning thread");
    let mut tx = pool.begin().await?;
    let election_id = begin(&mut tx).await?;
    audit::act_as(&mut tx, &Actor::demo()).await?;
    let f = &plan.facilities;
    let ids: Vec<i64> = sqlx::query_scalar!(
        r#"insert into facilities (code, name, facility_type, class, province_code, kabkota_code,
               inmates, illustrative)
           select code, name, t, case when t = 'lapas' then 'IIA' end, p, k, n, true
           from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[])
                    with ordinality as x (code, name, t, p, k, n, ord)
           order by ord
           returning id"#,
        &f.iter().map(|f| f.code.clone()).collect::<Vec<_>>(),
        &f.iter().map(|f| f.name.clone()).collect::<Vec<_>>(),
        &f.iter()
            .map(|f| f.facility_type.to_owned())
            .collect::<Vec<_>>(),
        &f.iter().map(|f| f.province.to_owned()).collect::<Vec<_>>(),
        &f.iter().map(|f| f.kabkota.clone()).collect::<Vec<_>>(),
        &f.iter().map(|f| f.inmates as i32).collect::<Vec<_>>(),
    )
    .fetch_all(&mut *tx)
    .await?;

    // TPS with official counts from the placed voters' lists (every tenth TPS differs a little).
    let mut counts: HashMap<(usize, usize), [i32; 3]> = HashMap::new();
    for v in &plan.voters {
        if let (Some(s), None) = (v.station, &v.departed) {
            let c = counts.entry((v.facility, s)).or_default();
            match v.list {
                Some("dpt") => c[0] += 1,
                Some("dptb") => c[1] += 1,
                Some("dpk") => c[2] += 1,
                _ => {}
            }
        }
    }
    let mut s_cols: (Vec<i64>, Vec<i32>, Vec<String>, [Vec<i32>; 3]) = Default::default();
    for (fi, fac) in f.iter().enumerate() {
        let first = if fac.province == "31" { 901 } else { 1 };
        for s in 0..fac.stations {
            let mut c = counts.get(&(fi, s)).copied().unwrap_or_default();
            if (fi + s) % 10 == 0 {
                c[0] += 2;
            }
            s_cols.0.push(ids[fi]);
            s_cols.1.push((first + s) as i32);
            s_cols.2.push(fac.locations[s].clone());
            for (col, v) in s_cols.3.iter_mut().zip(c) {
                col.push(v);
            }
        }
    }
    let station_ids: Vec<i64> = sqlx::query_scalar!(
        "insert into stations (election_id, facility_id, tps_number, location_code, dpt, dptb, dpk)
         select $1, f, n, l, a, b, c
         from unnest($2::bigint[], $3::int[], $4::text[], $5::int[], $6::int[], $7::int[])
                  with ordinality as x (f, n, l, a, b, c, ord)
         order by ord
         returning id",
        election_id,
        &s_cols.0,
        &s_cols.1,
        &s_cols.2,
        &s_cols.3[0],
        &s_cols.3[1],
        &s_cols.3[2],
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut station_of: HashMap<(usize, usize), i64> = HashMap::new();
    let mut k = 0;
    for (fi, fac) in f.iter().enumerate() {
        for s in 0..fac.stations {
            station_of.insert((fi, s), station_ids[k]);
            k += 1;
        }
    }

    let stations: Vec<Option<i64>> = plan
        .voters
        .iter()
        .map(|v| {
            v.station
                .filter(|_| v.departed.is_none())
                .and_then(|s| station_of.get(&(v.facility, s)).copied())
        })
        .collect();
    let arrived = time::macros::datetime!(2023-12-01 08:00 +07);
    insert_voters(&mut tx, election_id, &ids, &plan.voters, &stations, arrived).await?;

    // Readiness: most items siap, some partly; about a third of the TPS fully ready.
    sqlx::query!(
        "insert into station_readiness (station_id, item_id, status, actor)
         select s.id, i.id,
                case when abs(hashtext(s.id::text)) % 3 = 0 then 'ready'
                     when abs(hashtext(s.id::text || '-' || i.id::text)) % 10 < 7 then 'ready'
                     when abs(hashtext(i.id::text || '-' || s.id::text)) % 2 = 0 then 'partial'
                     else 'missing' end,
                'demo'
         from stations s join readiness_items i on i.election_id = s.election_id
         where s.election_id = $1 and i.auto is null",
        election_id
    )
    .execute(&mut *tx)
    .await?;
    // Ballots: enough of every type at most TPS, short at some.
    sqlx::query!(
        "insert into station_ballots (station_id, ballot_type, received)
         select s.id, t, case when abs(hashtext(s.id::text || t)) % 8 = 0
                              then (s.dpt + s.dptb + s.dpk) * 9 / 10
                              else s.dpt + s.dptb + s.dpk + 10 end
         from stations s
         cross join unnest(array['ppwp', 'dpr', 'dpd', 'dprd_prov', 'dprd_kabkota']) as t
         where s.election_id = $1",
        election_id
    )
    .execute(&mut *tx)
    .await?;
    let actor = Actor {
        user_id: None,
        name: "demo".into(),
        client_addr: None,
    };
    match dapils::import(&mut tx, &actor, &plan.dapils, true).await {
        Ok(_) => {}
        Err(dapils::ImportError::Database(e)) => return Err(e.into()),
        Err(dapils::ImportError::Rows(rows)) => panic!("national dapils rejected: {rows:?}"),
    }
    // Bulk-loaded: statistics now rather than when autovacuum comes by.
    sqlx::query!("analyze voters, facilities, stations")
        .execute(&mut *tx)
        .await?;
    finish(&mut tx, &actor, &accounts, &hashes).await?;
    sqlx::query!("insert into app_meta (key, value) values ('demo_scale', 'national')")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    crate::read::figures::ensure_fresh(pool)
        .await
        .map_err(|e| DemoError::Other(e.to_string()))?;
    Ok(DemoSummary {
        facilities: f.len(),
        stations: station_ids.len(),
        accounts,
    })
}

/// Inserts `voters` (of the facilities `ids`, by index) in batches of `unnest` arrays;
/// `stations` gives each voter's TPS, `arrived` when they appeared on the roll.
pub(super) async fn insert_voters(
    tx: &mut sqlx::PgConnection,
    election_id: i64,
    ids: &[i64],
    voters: &[Voter],
    stations: &[Option<i64>],
    arrived: time::OffsetDateTime,
) -> sqlx::Result<()> {
    for (chunk_no, (chunk, placed)) in voters
        .chunks(25_000)
        .zip(stations.chunks(25_000))
        .enumerate()
    {
        let base = chunk_no * 25_000;
        let col = |g: &dyn Fn(&Voter) -> Option<String>| chunk.iter().map(g).collect::<Vec<_>>();
        let row_keys: Vec<String> = chunk
            .iter()
            .enumerate()
            .map(|(i, v)| match &v.nik {
                Some(n) if v.nik_flag.is_none() => format!("nik:{n}"),
                _ => format!("reg:N{}", base + i),
            })
            .collect();
        let forms: Vec<Option<&Form>> = chunk.iter().map(|v| v.extra.form.as_ref()).collect();
        sqlx::query!(
            r#"insert into voters (election_id, facility_id, row_key, nik, nik_flag, name,
                   birth_date, sex, legal_status, marital_status, home_region_code, home_from_nik,
                   rights_revoked, release_date, list, registration_no, status, departed_reason,
                   departed_at, transferred_from, station_id, arrived_at, nik_raw, nik_problem,
                   admitted_on, ktp_el, kpu_tps, form_origin_tps, form_origin_desa, form_date,
                   form_reason)
               select $1, f, k, nik, flag, name, birth, sex, legal, marital, home, from_nik,
                      revoked, release, list, k, case when departed is null then 'active' else 'departed' end,
                      departed, case when departed is null then null else now() end, transferred, station,
                      $19, raw, problem, admitted, ktp, kpu, ftps, fdesa, fdate, freason
               from unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::date[],
                           $8::text[], $9::text[], $10::text[], $11::text[], $12::bool[], $13::bool[],
                           $14::date[], $15::text[], $16::text[], $17::bigint[], $18::bigint[],
                           $20::text[], $21::text[], $22::date[], $23::bool[], $24::int[],
                           $25::text[], $26::text[], $27::date[], $28::text[])
                    as x (f, k, nik, flag, name, birth, sex, legal, marital, home, from_nik, revoked,
                          release, list, departed, transferred, station, raw, problem, admitted,
                          ktp, kpu, ftps, fdesa, fdate, freason)"#,
            election_id,
            &chunk.iter().map(|v| ids[v.facility]).collect::<Vec<_>>(),
            &row_keys,
            &col(&|v| v.nik.clone()) as &[Option<String>],
            &col(&|v| v.nik_flag.map(str::to_owned)) as &[Option<String>],
            &chunk.iter().map(|v| v.name.clone()).collect::<Vec<_>>(),
            &chunk.iter().map(|v| v.birth_date).collect::<Vec<_>>(),
            &chunk.iter().map(|v| v.sex.to_owned()).collect::<Vec<_>>(),
            &chunk.iter().map(|v| v.legal_status.to_owned()).collect::<Vec<_>>(),
            &chunk.iter().map(|v| v.marital_status.to_owned()).collect::<Vec<_>>(),
            &chunk.iter().map(|v| v.home.clone()).collect::<Vec<_>>(),
            &chunk.iter().map(|v| v.home_from_nik).collect::<Vec<_>>(),
            &chunk.iter().map(|v| v.rights_revoked).collect::<Vec<_>>(),
            &chunk.iter().map(|v| v.release_date).collect::<Vec<_>>() as &[Option<Date>],
            &col(&|v| v.list.map(str::to_owned)) as &[Option<String>],
            &col(&|v| v.departed.clone()) as &[Option<String>],
            &chunk
                .iter()
                .map(|v| v.transferred_from.map(|t| ids[t]))
                .collect::<Vec<_>>() as &[Option<i64>],
            placed as &[Option<i64>],
            arrived,
            &col(&|v| v.extra.nik_raw.clone()) as &[Option<String>],
            &col(&|v| v.extra.nik_problem.map(str::to_owned)) as &[Option<String>],
            &chunk.iter().map(|v| v.extra.admitted_on).collect::<Vec<_>>() as &[Option<Date>],
            &chunk.iter().map(|v| v.extra.ktp_el).collect::<Vec<_>>() as &[Option<bool>],
            &chunk.iter().map(|v| v.extra.kpu_tps).collect::<Vec<_>>() as &[Option<i32>],
            &forms.iter().map(|f| f.map(|f| f.origin_tps.clone())).collect::<Vec<_>>()
                as &[Option<String>],
            &forms.iter().map(|f| f.map(|f| f.origin_desa.clone())).collect::<Vec<_>>()
                as &[Option<String>],
            &forms.iter().map(|f| f.map(|f| f.date)).collect::<Vec<_>>() as &[Option<Date>],
            &forms.iter().map(|f| f.map(|f| f.reason.to_owned())).collect::<Vec<_>>()
                as &[Option<String>],
        )
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn the_plan_has_national_scale_and_unique_niks() {
        let p = plan();
        assert_eq!(p.facilities.len(), FACILITIES);
        let active: usize = p.voters.iter().filter(|v| v.departed.is_none()).count();
        assert_eq!(active, INMATES);
        let stations: usize = p.facilities.iter().map(|f| f.stations).sum();
        assert!((1_700..=1_950).contains(&stations), "{stations} TPS");
        let provinces: HashSet<&str> = p.facilities.iter().map(|f| f.province).collect();
        assert_eq!(provinces.len(), 38);
        let types: HashSet<&str> = p.facilities.iter().map(|f| f.facility_type).collect();
        assert_eq!(types.len(), 6);
        let mut niks = HashSet::new();
        for v in p.voters.iter().filter(|v| v.nik_flag.is_none()) {
            assert!(niks.insert(v.nik.clone().unwrap()), "duplicate NIK");
        }
        // Every TPS stays under the cap.
        let mut per: HashMap<(usize, usize), usize> = HashMap::new();
        for v in &p.voters {
            if let Some(s) = v.station {
                *per.entry((v.facility, s)).or_default() += 1;
            }
        }
        assert!(per.values().all(|n| *n <= 300));
        assert!(p.facilities.iter().any(|f| f.code == SAMPLE_FACILITY));
    }

    #[test]
    fn every_region_code_is_in_the_reference() {
        let known: HashSet<String> = regions::reference().into_iter().map(|r| r.code).collect();
        let p = plan();
        let codes = p
            .facilities
            .iter()
            .flat_map(|f| std::iter::once(&f.kabkota).chain(&f.locations))
            .chain(p.voters.iter().map(|v| &v.home))
            .chain(p.dapils.iter().map(|d| &d.region));
        for code in codes {
            assert!(known.contains(code), "{code} is not in the reference");
        }
    }

    #[test]
    fn the_plan_is_deterministic() {
        let (a, b) = (plan(), plan());
        assert_eq!(a.voters.len(), b.voters.len());
        assert_eq!(a.voters[12_345].name, b.voters[12_345].name);
        assert_eq!(a.voters[12_345].nik, b.voters[12_345].nik);
    }
}
