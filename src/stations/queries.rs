//! The SQL of one TPS and its forms (the page's history and neighbours, creating, editing,
//! the checklist, ballots received, moving voters, deleting), returning plain values.

use sqlx::{PgConnection, PgPool};
use time::OffsetDateTime;

use crate::domain::ballots::BallotType;
use crate::domain::readiness::Status;
use crate::read::places::Place;

/// One change of the official counts.
pub struct CountChange {
    pub changed_at: OffsetDateTime,
    pub actor: String,
    pub dpt_before: Option<i32>,
    pub dptb_before: Option<i32>,
    pub dpk_before: Option<i32>,
    pub dpt: i32,
    pub dptb: i32,
    pub dpk: i32,
}

/// The last 100 changes of the TPS's official counts, newest first.
pub async fn count_history(pool: &PgPool, station_id: i64) -> sqlx::Result<Vec<CountChange>> {
    sqlx::query_as!(
        CountChange,
        "select changed_at, actor, dpt_before, dptb_before, dpk_before, dpt, dptb, dpk
         from station_count_history where station_id = $1 order by changed_at desc, id desc
         limit 100",
        station_id
    )
    .fetch_all(pool)
    .await
}

/// The other TPS numbers of the place (targets for moving voters).
pub async fn other_numbers(pool: &PgPool, p: &Place, station_id: i64) -> sqlx::Result<Vec<i32>> {
    sqlx::query_scalar!(
        "select tps_number from stations where election_id = $1 and facility_id = $2 and id <> $3
         order by tps_number",
        p.election.id,
        p.facility_id,
        station_id
    )
    .fetch_all(pool)
    .await
}

/// The number a new TPS of the place is offered.
pub async fn next_number(pool: &PgPool, p: &Place) -> sqlx::Result<i32> {
    sqlx::query_scalar!(
        r#"select coalesce(max(tps_number), 0) + 1 as "n!" from stations
           where election_id = $1 and facility_id = $2"#,
        p.election.id,
        p.facility_id
    )
    .fetch_one(pool)
    .await
}

/// A TPS's number, location and name.
pub struct Details {
    pub number: i32,
    pub location: Option<String>,
    pub name: Option<String>,
}

/// Official counts: DPT, DPTb, DPK.
pub type Counts = (i32, i32, i32);

/// Inserts a TPS; a taken number is a unique violation.
pub async fn insert_station(
    conn: &mut PgConnection,
    p: &Place,
    d: &Details,
    (dpt, dptb, dpk): Counts,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        "insert into stations (election_id, facility_id, tps_number, location_code, name, dpt, dptb, dpk)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning id",
        p.election.id,
        p.facility_id,
        d.number,
        d.location,
        d.name,
        dpt,
        dptb,
        dpk
    )
    .fetch_one(conn)
    .await
}

/// Changes a TPS's details if it is still at `version`; `false` when the form was stale.
pub async fn update_details(
    conn: &mut PgConnection,
    id: i64,
    version: Option<i32>,
    d: &Details,
) -> sqlx::Result<bool> {
    let r = sqlx::query!(
        "update stations set tps_number = $3, location_code = $4, name = $5
         where id = $1 and version = $2",
        id,
        version,
        d.number,
        d.location,
        d.name
    )
    .execute(conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Raises the TPS's version if it is still `version`: the guard every form of the TPS page
/// passes before it writes. `false` when the form is stale.
pub async fn claim(conn: &mut PgConnection, id: i64, version: Option<i32>) -> sqlx::Result<bool> {
    let r = sqlx::query!(
        "update stations set version = version where id = $1 and version = $2",
        id,
        version
    )
    .execute(conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Who set a checklist status.
pub struct Setter<'a> {
    pub user_id: i64,
    pub name: &'a str,
}

pub async fn set_readiness(
    conn: &mut PgConnection,
    station_id: i64,
    item_id: i64,
    status: Status,
    note: &str,
    by: &Setter<'_>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into station_readiness (station_id, item_id, status, note, user_id, actor)
         values ($1, $2, $3, nullif($4, ''), $5, $6)
         on conflict (station_id, item_id) do update
         set status = excluded.status, note = excluded.note, user_id = excluded.user_id,
             actor = excluded.actor, updated_at = now()",
        station_id,
        item_id,
        status.as_str(),
        note,
        by.user_id,
        by.name
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn set_received(
    conn: &mut PgConnection,
    station_id: i64,
    ballot: BallotType,
    received: i32,
    user_id: i64,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into station_ballots (station_id, ballot_type, received, user_id)
         values ($1, $2, $3, $4)
         on conflict (station_id, ballot_type) do update
         set received = excluded.received, user_id = excluded.user_id, updated_at = now()",
        station_id,
        ballot.as_str(),
        received,
        user_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Voters placed on the TPS (all statuses).
pub async fn voters_placed(pool: &PgPool, station_id: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from voters where station_id = $1"#,
        station_id
    )
    .fetch_one(pool)
    .await
}

/// Locks the TPS and returns its version.
pub async fn lock_version(conn: &mut PgConnection, id: i64) -> sqlx::Result<i32> {
    sqlx::query_scalar!("select version from stations where id = $1 for update", id)
        .fetch_one(conn)
        .await
}

/// Locks the voters placed on the TPS and returns their ids.
pub async fn lock_voters(conn: &mut PgConnection, id: i64) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar!("select id from voters where station_id = $1 for update", id)
        .fetch_all(conn)
        .await
}

/// Takes every voter off the TPS, to be allocated again.
pub async fn release_voters(conn: &mut PgConnection, id: i64) -> sqlx::Result<()> {
    sqlx::query!(
        "update voters set station_id = null, placed_manually = false where station_id = $1",
        id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Another TPS of the place, locked, with the voters on it (and the election's cap).
pub struct Destination {
    pub id: i64,
    /// DPT voters on it: the election's maximum per TPS counts only them.
    pub dpt_voters: i64,
    pub cap: i32,
}

/// The TPS `number` of the place (other than `except`), locked.
pub async fn lock_destination(
    conn: &mut PgConnection,
    p: &Place,
    number: i32,
    except: Option<i64>,
) -> sqlx::Result<Option<Destination>> {
    Ok(sqlx::query!(
        r#"select s.id, e.max_voters_per_tps,
                  (select count(*) from voters v
                   where v.station_id = s.id and v.list = 'dpt') as "n!"
           from stations s join elections e on e.id = s.election_id
           where s.election_id = $1 and s.facility_id = $2 and s.tps_number = $3
             and ($4::bigint is null or s.id <> $4)
           for update of s"#,
        p.election.id,
        p.facility_id,
        number,
        except
    )
    .fetch_optional(conn)
    .await?
    .map(|d| Destination {
        id: d.id,
        dpt_voters: d.n,
        cap: d.max_voters_per_tps,
    }))
}

/// Moves every voter of TPS `from` to TPS `to`.
pub async fn move_all_voters(conn: &mut PgConnection, from: i64, to: i64) -> sqlx::Result<()> {
    sqlx::query!(
        "update voters set station_id = $2 where station_id = $1",
        from,
        to
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Whether a voter is on the DPT, and the TPS number KPU assigned them.
pub async fn dpt_assignment(
    conn: &mut PgConnection,
    voter: i64,
) -> sqlx::Result<(bool, Option<i32>)> {
    let r = sqlx::query!(
        r#"select list is not distinct from 'dpt' as "dpt!", kpu_tps from voters where id = $1"#,
        voter
    )
    .fetch_optional(conn)
    .await?;
    Ok(r.map_or((false, None), |r| (r.dpt, r.kpu_tps)))
}

/// Moves one voter from TPS `from` to TPS `to` by hand; `false` when the voter is not (or no
/// longer) on `from`.
pub async fn move_voter(
    conn: &mut PgConnection,
    voter: i64,
    from: i64,
    to: i64,
) -> sqlx::Result<bool> {
    let r = sqlx::query!(
        "update voters set station_id = $3, placed_manually = true
         where id = $1 and station_id = $2",
        voter,
        from,
        to
    )
    .execute(conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn delete_station(conn: &mut PgConnection, id: i64) -> sqlx::Result<()> {
    sqlx::query!("delete from stations where id = $1", id)
        .execute(conn)
        .await?;
    Ok(())
}

/// An item of an election's readiness checklist.
pub struct ChecklistItem {
    pub label: String,
    pub required: bool,
    pub auto: Option<String>,
}

pub async fn checklist(pool: &PgPool, election_id: i64) -> sqlx::Result<Vec<ChecklistItem>> {
    sqlx::query_as!(
        ChecklistItem,
        "select label, required, auto from readiness_items where election_id = $1 order by position, id",
        election_id
    )
    .fetch_all(pool)
    .await
}

/// A checklist item an admin adds (set by hand, at the end of the list).
pub struct NewItem<'a> {
    pub label: &'a str,
    pub short_label: &'a str,
    pub required: bool,
}

pub async fn insert_item(
    conn: &mut PgConnection,
    election_id: i64,
    item: &NewItem<'_>,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        "insert into readiness_items (election_id, key, label, short_label, required, position)
         select $1, 'tambahan_' || (count(*) + 1), $2, $4, $3, coalesce(max(position), 0) + 1
         from readiness_items where election_id = $1
         returning id",
        election_id,
        item.label,
        item.required,
        item.short_label
    )
    .fetch_one(conn)
    .await
}
