//! A TPS of an election with what voting day needs of it: where it is, its official counts
//! and the ballot types it has; for the voting-day forms (one TPS) and the command line's
//! turnout and ballot-account files (every TPS, named by province, facility and number).

use sqlx::{PgConnection, PgPool};

use crate::domain::ballots::{self, BallotType, Counts};
use crate::http::error::{AppError, Result};
use crate::read::places::Place;
use crate::read::summary::Rules;

#[derive(Debug, Clone)]
pub struct DayStation {
    pub id: i64,
    pub facility_id: i64,
    pub province_code: String,
    pub facility_code: String,
    pub tps_number: i32,
    pub counts: Counts,
    /// The ballot types that exist at this TPS, in the election's order.
    pub types: Vec<BallotType>,
}

/// The TPS of the election of `rules` (one province, or all), by province, facility name and
/// number.
pub async fn stations(
    conn: &mut PgConnection,
    rules: &Rules,
    province: Option<&str>,
) -> Result<Vec<DayStation>> {
    select(conn, rules, province, None).await
}

/// TPS `number` of the place (404 when it has none), with no more than a voting-day form
/// needs: three small queries, whatever the TPS holds.
pub async fn station(pool: &PgPool, p: &Place, number: &str) -> Result<DayStation> {
    let number: i32 = number.parse().map_err(|_| AppError::NotFound)?;
    let mut conn = pool.acquire().await?;
    let rules = Rules::load(&mut conn, p.election.id).await?;
    select(&mut conn, &rules, None, Some((p.facility_id, number)))
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

async fn select(
    conn: &mut PgConnection,
    rules: &Rules,
    province: Option<&str>,
    tps: Option<(i64, i32)>,
) -> Result<Vec<DayStation>> {
    let (facility, number) = tps.unzip();
    let rows = sqlx::query!(
        "select s.id, s.facility_id, f.province_code, f.code, s.tps_number, s.dpt, s.dptb, s.dpk,
                coalesce(s.location_code, f.kabkota_code) as \"place!\"
         from stations s join facilities f on f.id = s.facility_id
         where s.election_id = $1 and ($2::text is null or f.province_code = $2)
           and ($3::bigint is null or s.facility_id = $3)
           and ($4::int is null or s.tps_number = $4)
         order by f.province_code, f.name, s.tps_number",
        rules.election_id,
        province,
        facility,
        number
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| DayStation {
            types: ballots::types_at(&rules.ballot_types, &rules.contests, Some(&r.place)),
            id: r.id,
            facility_id: r.facility_id,
            province_code: r.province_code,
            facility_code: r.code,
            tps_number: r.tps_number,
            counts: Counts {
                dpt: r.dpt.into(),
                dptb: r.dptb.into(),
                dpk: r.dpk.into(),
            },
        })
        .collect())
}
