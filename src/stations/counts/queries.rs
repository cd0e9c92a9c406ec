//! The SQL of the province counts page.

use std::collections::HashMap;

use sqlx::{PgConnection, PgPool};

/// A facility of the province and its eligible voters by list.
pub struct FacilityRoll {
    pub code: String,
    pub name: String,
    pub dpt: i64,
    pub dptb: i64,
    pub dpk: i64,
    pub voters: i64,
}

/// The facilities of province `code` (or only `facility`), with their eligible voters.
pub async fn facility_rolls(
    pool: &PgPool,
    code: &str,
    election_id: i64,
    facility: Option<i64>,
) -> sqlx::Result<Vec<FacilityRoll>> {
    sqlx::query_as!(
        FacilityRoll,
        r#"select f.code, f.name,
                  count(v.id) filter (where v.list = 'dpt') as "dpt!",
                  count(v.id) filter (where v.list = 'dptb') as "dptb!",
                  count(v.id) filter (where v.list = 'dpk') as "dpk!",
                  count(v.id) as "voters!"
           from facilities f
           left join voters_with_reasons v
                  on v.facility_id = f.id and v.election_id = $2 and v.status = 'active'
           where f.province_code = $1 and ($3::bigint is null or f.id = $3)
             and (v.id is null or cardinality(v.reasons) = 0)
           group by f.id order by f.name"#,
        code,
        election_id,
        facility
    )
    .fetch_all(pool)
    .await
}

/// Each TPS of the province by id, named `Facility TPS n` for messages.
pub async fn tps_labels(
    pool: &PgPool,
    election_id: i64,
    code: &str,
) -> sqlx::Result<HashMap<i64, String>> {
    Ok(sqlx::query!(
        "select s.id, s.tps_number, f.name from stations s join facilities f on f.id = s.facility_id
         where s.election_id = $1 and f.province_code = $2",
        election_id,
        code
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| (r.id, format!("{} TPS {}", r.name, r.tps_number)))
    .collect())
}

/// A TPS as it is now, locked, with who last changed its counts and when.
pub struct Current {
    pub id: i64,
    pub version: i32,
    pub dpt: i32,
    pub dptb: i32,
    pub dpk: i32,
    pub facility_id: i64,
    pub last_change: Option<String>,
}

/// The TPS `ids` that still exist, locked.
pub async fn lock_current(conn: &mut PgConnection, ids: &[i64]) -> sqlx::Result<Vec<Current>> {
    sqlx::query_as!(
        Current,
        "select s.id, s.version, s.dpt, s.dptb, s.dpk, s.facility_id,
                (select h.actor || ', ' || to_char(h.changed_at at time zone 'Asia/Jakarta', 'DD-MM-YYYY HH24.MI') || ' WIB'
                 from station_count_history h where h.station_id = s.id
                 order by h.changed_at desc, h.id desc limit 1) as last_change
         from stations s where s.id = any($1) order by s.id for update",
        ids
    )
    .fetch_all(conn)
    .await
}

pub async fn set_counts(
    conn: &mut PgConnection,
    id: i64,
    (dpt, dptb, dpk): (i32, i32, i32),
) -> sqlx::Result<()> {
    sqlx::query!(
        "update stations set dpt = $2, dptb = $3, dpk = $4 where id = $1",
        id,
        dpt,
        dptb,
        dpk
    )
    .execute(conn)
    .await?;
    Ok(())
}
