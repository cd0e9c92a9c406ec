//! The SQL of the allocation: the facility's TPS, locked, and its roll; the moves written in
//! one statement.

use sqlx::PgConnection;

use crate::read::places::Place;

pub async fn voters_cap(conn: &mut PgConnection, election_id: i64) -> sqlx::Result<i32> {
    sqlx::query_scalar!(
        "select max_voters_per_tps from elections where id = $1",
        election_id
    )
    .fetch_one(conn)
    .await
}

pub struct LockedStation {
    pub id: i64,
    pub tps_number: i32,
}

/// The TPS of the place by number, locked against a concurrent allocation.
pub async fn lock_stations(conn: &mut PgConnection, p: &Place) -> sqlx::Result<Vec<LockedStation>> {
    sqlx::query_as!(
        LockedStation,
        "select id, tps_number from stations where election_id = $1 and facility_id = $2
         order by tps_number for update",
        p.election.id,
        p.facility_id
    )
    .fetch_all(conn)
    .await
}

/// An active voter of the roll, where they are placed, whether they may vote, whether they
/// are on the DPT and the TPS number KPU assigned them.
pub struct RollVoter {
    pub id: i64,
    pub station_id: Option<i64>,
    pub eligible: bool,
    pub dpt: bool,
    pub kpu_tps: Option<i32>,
}

/// The active voters of the place: placed by hand first, then by name.
pub async fn roll(conn: &mut PgConnection, p: &Place) -> sqlx::Result<Vec<RollVoter>> {
    sqlx::query_as!(
        RollVoter,
        r#"select v.id as "id!", v.station_id, cardinality(v.reasons) = 0 as "eligible!",
                  v.list is not distinct from 'dpt' as "dpt!", v.kpu_tps
           from voters_with_reasons v
           where v.election_id = $1 and v.facility_id = $2 and v.status = 'active'
           order by v.placed_manually desc, v.name, v.id"#,
        p.election.id,
        p.facility_id
    )
    .fetch_all(conn)
    .await
}

/// Writes the moves `(voter, TPS or none)`; a voter taken off a TPS is no longer placed by
/// hand.
pub async fn apply(conn: &mut PgConnection, moves: &[(i64, Option<i64>)]) -> sqlx::Result<()> {
    let (ids, targets): (Vec<i64>, Vec<Option<i64>>) = moves.iter().copied().unzip();
    sqlx::query!(
        "update voters v set station_id = m.station_id,
                placed_manually = v.placed_manually and m.station_id is not null
         from unnest($1::bigint[], $2::bigint[]) as m (id, station_id)
         where v.id = m.id",
        &ids,
        &targets as &[Option<i64>]
    )
    .execute(conn)
    .await?;
    Ok(())
}
