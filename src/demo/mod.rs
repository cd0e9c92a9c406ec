//! Demo data from real public figures: `loksus demo load`, and the first start of a private
//! cluster. Loading is one transaction and refuses to run twice or into a database that
//! already holds facilities or elections.

mod data;
pub mod national;
pub mod plan;
pub mod rolls;
pub mod simulation;

use serde_json::json;
use sqlx::{PgConnection, PgPool};
use time::macros::date;

use crate::db::audit::{self, Actor, Entry};
use crate::domain::password;

/// The election the demo data belongs to.
pub const ELECTION_SLUG: &str = "pemilu-2024";

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("the demo data was already loaded into this database (at {0}); nothing was changed")]
    AlreadyLoaded(String),
    #[error(
        "this database already holds facilities, elections or users; the demo data is only \
         loaded into an empty database, so nothing was changed"
    )]
    NotEmpty,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error("{0}")]
    Other(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    pub facilities: usize,
    pub stations: usize,
    /// One account per role, with the password generated for it (shown once).
    pub accounts: Vec<DemoAccount>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAccount {
    pub username: &'static str,
    pub role: &'static str,
    pub province_code: Option<&'static str>,
    pub facility_code: Option<&'static str>,
    /// What to look at first (the start-up output says it).
    pub first: &'static str,
    pub password: String,
}

/// The demo accounts: one per role, scoped to Sumatera Selatan.
fn demo_accounts() -> Vec<DemoAccount> {
    let account = |username, role, province_code, facility_code, first| DemoAccount {
        username,
        role,
        province_code,
        facility_code,
        first,
        password: password::generate(),
    };
    vec![
        account(
            "admin",
            "admin",
            None,
            None,
            "/ (both elections; the other one via ?pemilihan=), /admin/pemilihan",
        ),
        account(
            "kanwil-sumsel",
            "kanwil",
            Some("16"),
            None,
            "/provinsi/16/kesiapan (SIMULASI readiness, ballot shortages)",
        ),
        account(
            "registrar-lubuklinggau",
            "registrar",
            None,
            Some("lapas-lubuklinggau"),
            "/fasilitas/lapas-lubuklinggau/daftar (SIMULASI roll, NIK problems)",
        ),
        account(
            "kpu-sumsel",
            "kpu",
            Some("16"),
            None,
            "/fasilitas/lapas-lubuklinggau/rekonsiliasi (KPU list differences)",
        ),
    ]
}

/// Whether the demo data has been loaded into this database.
pub async fn is_loaded(pool: &PgPool) -> sqlx::Result<bool> {
    let found =
        sqlx::query_scalar!(r#"select 1 as "one!" from app_meta where key = 'demo_loaded_at'"#)
            .fetch_optional(pool)
            .await?;
    Ok(found.is_some())
}

/// Whether the database holds no facilities and no elections.
pub async fn is_empty(pool: &PgPool) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select not exists (select 1 from facilities) and not exists (select 1 from elections)
                  and not exists (select 1 from users) as "empty!""#
    )
    .fetch_one(pool)
    .await
}

/// Illustrative dapils for the demo provinces (not KPU's decisions).
pub const DEMO_DAPILS: &str = include_str!("dapils.csv");

/// Loads the demo in one transaction: the archived Pemilu 2024 with its facilities and TPS,
/// and the living Simulasi election beside it ([`simulation`]).
pub async fn load(pool: &PgPool) -> Result<DemoSummary, DemoError> {
    load_with(pool, true).await
}

/// Loads only the archived Pemilu 2024 demo (the figures as published, no rolls): for
/// checks that need a quiet, fixed data set.
pub async fn load_archived_only(pool: &PgPool) -> Result<DemoSummary, DemoError> {
    load_with(pool, false).await
}

async fn load_with(pool: &PgPool, simulation: bool) -> Result<DemoSummary, DemoError> {
    let accounts = demo_accounts();
    let hashes = hash_passwords(&accounts).await;
    let mut tx = pool.begin().await?;
    let election_id = begin(&mut tx).await?;

    let facilities = plan::plan();
    let mut f_cols = FacilityColumns::default();
    let mut s_cols = StationColumns::default();
    for f in &facilities {
        f_cols.code.push(f.code.to_owned());
        f_cols.name.push(f.name.to_owned());
        f_cols.facility_type.push(f.facility_type.to_owned());
        f_cols.class.push(f.class.map(str::to_owned));
        f_cols.province.push(f.province_code.to_owned());
        f_cols.kabkota.push(f.kabkota_code.to_owned());
        f_cols.inmates.push(f.inmates as i32);
        f_cols.illustrative.push(f.illustrative);
        for s in &f.stations {
            s_cols.facility.push(f.code.to_owned());
            s_cols.number.push(s.number as i32);
            s_cols.dpt.push(s.dpt as i32);
            s_cols.dptb.push(s.dptb as i32);
            s_cols.dpk.push(s.dpk as i32);
        }
    }
    sqlx::query!(
        r#"insert into facilities (code, name, facility_type, class, province_code, kabkota_code,
               inmates, illustrative)
           select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
                                $6::text[], $7::int[], $8::bool[])"#,
        &f_cols.code,
        &f_cols.name,
        &f_cols.facility_type,
        &f_cols.class as &[Option<String>],
        &f_cols.province,
        &f_cols.kabkota,
        &f_cols.inmates,
        &f_cols.illustrative,
    )
    .execute(&mut *tx)
    .await?;
    audit::act_as(&mut tx, &Actor::demo()).await?;
    sqlx::query!(
        r#"insert into stations (election_id, facility_id, tps_number, dpt, dptb, dpk)
           select $1, f.id, s.number, s.dpt, s.dptb, s.dpk
           from unnest($2::text[], $3::int[], $4::int[], $5::int[], $6::int[])
                    as s (facility, number, dpt, dptb, dpk)
           join facilities f on f.code = s.facility"#,
        election_id,
        &s_cols.facility,
        &s_cols.number,
        &s_cols.dpt,
        &s_cols.dptb,
        &s_cols.dpk,
    )
    .execute(&mut *tx)
    .await?;
    let actor = Actor {
        user_id: None,
        name: "demo".into(),
        client_addr: None,
    };
    // Illustrative TPS locations (the first desa of the first kecamatan of the facility's
    // kab/kota in the region reference; NTT's left empty so the readiness pages show what a
    // missing location looks like), the illustrative dapils, and some checklist progress in
    // Sumatera Selatan.
    sqlx::query!(
        "update stations s set location_code = (
             select min(d.code) from regions d
             where d.parent_code = (select min(k.code) from regions k
                                    where k.parent_code = f.kabkota_code))
         from facilities f where f.id = s.facility_id and f.province_code <> '53'"
    )
    .execute(&mut *tx)
    .await?;
    let dapils = crate::stations::dapils::parse(DEMO_DAPILS.as_bytes())
        .expect("the demo dapil file is valid");
    match crate::stations::dapils::import(&mut tx, &actor, &dapils, true).await {
        Ok(_) => {}
        Err(crate::stations::dapils::ImportError::Database(e)) => return Err(e.into()),
        Err(crate::stations::dapils::ImportError::Rows(rows)) => {
            panic!("the demo dapil file names an unknown election: {rows:?}")
        }
    }
    sqlx::query!(
        "insert into station_readiness (station_id, item_id, status, actor)
         select s.id, i.id,
                case when i.position <= 2 + s.tps_number % 9 then 'ready' else 'partial' end,
                'demo'
         from stations s
         join facilities f on f.id = s.facility_id and f.province_code = '16'
         join readiness_items i on i.election_id = s.election_id and i.auto is null
         where i.position <= 3 + s.tps_number % 9"
    )
    .execute(&mut *tx)
    .await?;
    if simulation {
        simulation::load(&mut tx, &actor, election_id, &facilities).await?;
    }
    finish(&mut tx, &actor, &accounts, &hashes).await?;
    tx.commit().await?;
    Ok(DemoSummary {
        facilities: facilities.len(),
        stations: s_cols.number.len(),
        accounts,
    })
}

/// Hashes the accounts' generated passwords (off the async threads).
pub(crate) async fn hash_passwords(accounts: &[DemoAccount]) -> Vec<String> {
    let plain: Vec<String> = accounts.iter().map(|a| a.password.clone()).collect();
    tokio::task::spawn_blocking(move || plain.iter().map(|p| password::hash(p)).collect())
        .await
        .expect("hashing thread")
}

/// Checks that the database is empty and not loaded yet (waiting for a concurrent load), and
/// creates the demo election. Returns its id.
pub(crate) async fn begin(tx: &mut PgConnection) -> Result<i64, DemoError> {
    // Two loads at once: the second waits here, then sees the first one's marker.
    sqlx::query!("lock table app_meta in share row exclusive mode")
        .execute(&mut *tx)
        .await?;
    let marker = sqlx::query_scalar!("select value from app_meta where key = 'demo_loaded_at'")
        .fetch_optional(&mut *tx)
        .await?;
    if let Some(at) = marker {
        return Err(DemoError::AlreadyLoaded(at));
    }
    let empty = sqlx::query_scalar!(
        r#"select not exists (select 1 from facilities) and not exists (select 1 from elections)
                  and not exists (select 1 from users) as "empty!""#
    )
    .fetch_one(&mut *tx)
    .await?;
    if !empty {
        return Err(DemoError::NotEmpty);
    }

    let election_id = sqlx::query_scalar!(
        r#"insert into elections (slug, name, kind, voting_day, transfer_deadline,
               detainee_transfer_deadline, max_voters_per_tps, reserve_basis_points, ballot_types)
           values ($1, 'Pemilihan Umum 2024', 'pemilu', $2, $3, $4, 300, 200,
                   array['ppwp', 'dpr', 'dpd', 'dprd_prov', 'dprd_kabkota'])
           returning id"#,
        ELECTION_SLUG,
        date!(2024 - 02 - 14),
        date!(2024 - 01 - 15),
        date!(2024 - 02 - 07),
    )
    .fetch_one(&mut *tx)
    .await?;
    Ok(election_id)
}

/// Creates the accounts and marks the demo data as loaded.
pub(crate) async fn finish(
    tx: &mut PgConnection,
    actor: &Actor,
    accounts: &[DemoAccount],
    hashes: &[String],
) -> Result<(), DemoError> {
    for (a, hash) in accounts.iter().zip(hashes) {
        let id = sqlx::query_scalar!(
            "insert into users (username, password_hash, role, province_code, facility_id)
             values ($1, $2, $3, $4, (select id from facilities where code = $5))
             returning id",
            a.username,
            hash,
            a.role,
            a.province_code,
            a.facility_code,
        )
        .fetch_one(&mut *tx)
        .await?;
        audit::record(
            &mut *tx,
            actor,
            Entry::new("user.create").object("user", id).after(json!({
                "username": a.username, "role": a.role,
                "province_code": a.province_code, "facility": a.facility_code,
            })),
        )
        .await?;
    }
    sqlx::query!("insert into app_meta (key, value) values ('demo_loaded_at', now()::text)")
        .execute(&mut *tx)
        .await?;
    Ok(())
}

#[derive(Default)]
struct FacilityColumns {
    code: Vec<String>,
    name: Vec<String>,
    facility_type: Vec<String>,
    class: Vec<Option<String>>,
    province: Vec<String>,
    kabkota: Vec<String>,
    inmates: Vec<i32>,
    illustrative: Vec<bool>,
}

#[derive(Default)]
struct StationColumns {
    facility: Vec<String>,
    number: Vec<i32>,
    dpt: Vec<i32>,
    dptb: Vec<i32>,
    dpk: Vec<i32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_dapils_name_regions_of_the_reference() {
        let known: std::collections::HashSet<String> = crate::db::regions::reference()
            .into_iter()
            .map(|r| r.code)
            .collect();
        for line in DEMO_DAPILS.lines().skip(1) {
            let region = line.rsplit(',').next().unwrap();
            assert!(known.contains(region), "{line}");
        }
    }
}
