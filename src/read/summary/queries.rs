//! The SQL behind the TPS summaries: a fixed handful of queries whatever the number of TPS.

use sqlx::PgConnection;
use time::OffsetDateTime;

use super::Filter;
use crate::domain::voter::VoterList;

pub struct StationRow {
    pub id: i64,
    pub facility_id: i64,
    pub facility_code: String,
    pub facility_name: String,
    pub province_code: String,
    pub tps_number: i32,
    pub name: Option<String>,
    pub location_code: Option<String>,
    pub kabkota_code: String,
    pub dpt: i32,
    pub dptb: i32,
    pub dpk: i32,
    pub version: i32,
}

pub async fn stations(
    conn: &mut PgConnection,
    election_id: i64,
    filter: &Filter<'_>,
) -> sqlx::Result<Vec<StationRow>> {
    sqlx::query_as!(
        StationRow,
        r#"select s.id, s.facility_id, f.code as facility_code, f.name as facility_name,
                  f.province_code, s.tps_number, s.name, s.location_code, f.kabkota_code,
                  s.dpt, s.dptb, s.dpk, s.version
           from stations s join facilities f on f.id = s.facility_id
           where s.election_id = $1 and ($2::text is null or f.province_code = $2)
             and ($3::bigint is null or f.id = $3) and ($4::bigint is null or s.id = $4)
             and ($5::bigint[] is null or f.id = any($5))
           order by f.province_code, f.name, s.tps_number"#,
        election_id,
        filter.province,
        filter.facility,
        filter.station,
        filter.facilities as Option<&[i64]>,
    )
    .fetch_all(conn)
    .await
}

/// An eligible voter placed on one of the TPS.
pub struct VoterRow {
    pub station_id: i64,
    pub home_region_code: Option<String>,
    pub home_from_nik: bool,
    pub list: Option<VoterList>,
}

pub async fn eligible_voters(conn: &mut PgConnection, ids: &[i64]) -> sqlx::Result<Vec<VoterRow>> {
    sqlx::query_as!(
        VoterRow,
        r#"select v.station_id as "station_id!", v.home_region_code,
                  v.home_from_nik as "home_from_nik!", v.list as "list: VoterList"
           from voters_with_reasons v
           where v.station_id = any($1) and v.status = 'active' and cardinality(v.reasons) = 0"#,
        ids
    )
    .fetch_all(conn)
    .await
}

pub struct ReceivedRow {
    pub station_id: i64,
    pub ballot_type: String,
    pub received: i32,
}

pub async fn received(conn: &mut PgConnection, ids: &[i64]) -> sqlx::Result<Vec<ReceivedRow>> {
    sqlx::query_as!(
        ReceivedRow,
        "select station_id, ballot_type, received from station_ballots where station_id = any($1)",
        ids
    )
    .fetch_all(conn)
    .await
}

pub struct ItemRow {
    pub id: i64,
    pub label: String,
    pub short_label: String,
    pub required: bool,
    pub auto: Option<String>,
}

pub async fn items(conn: &mut PgConnection, election_id: i64) -> sqlx::Result<Vec<ItemRow>> {
    sqlx::query_as!(
        ItemRow,
        "select id, label, short_label, required, auto from readiness_items
         where election_id = $1 order by position, id",
        election_id
    )
    .fetch_all(conn)
    .await
}

pub struct StatusRow {
    pub station_id: i64,
    pub item_id: i64,
    pub status: String,
    pub note: Option<String>,
    pub actor: String,
    pub updated_at: OffsetDateTime,
}

pub async fn statuses(conn: &mut PgConnection, ids: &[i64]) -> sqlx::Result<Vec<StatusRow>> {
    sqlx::query_as!(
        StatusRow,
        "select station_id, item_id, status, note, actor, updated_at
         from station_readiness where station_id = any($1)",
        ids
    )
    .fetch_all(conn)
    .await
}
