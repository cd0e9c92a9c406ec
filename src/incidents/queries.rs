//! The SQL of the incident pages and the neutrality briefing: lists, one incident with its
//! history, and the writes, each one transaction with its audit entry.

use serde_json::json;
use sqlx::PgPool;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::db::audit::{self, Actor, Entry};
use crate::domain::incident::{Category, NewIncident, Severity, Status};
use crate::domain::neutrality::Briefing;
use crate::http::error::Result;
use crate::read::places::Place;

/// An incident as the lists and the detail page show it.
pub struct Incident {
    pub id: i64,
    pub facility_id: i64,
    pub facility_code: String,
    pub facility_name: String,
    pub province_code: String,
    pub category: Category,
    pub severity: Severity,
    pub status: Status,
    pub occurred_at: OffsetDateTime,
    pub description: String,
    pub tps_number: Option<i32>,
    pub actor: String,
    pub created_at: OffsetDateTime,
}

/// Which incidents a list shows (all filters combined with "and").
pub struct Selection<'a> {
    pub election_id: i64,
    pub province: Option<&'a str>,
    pub facility: Option<i64>,
    /// Order open incidents by severity (emergency first) before time.
    pub by_severity: bool,
}

/// Open (and handling) incidents first, then closed ones; within each, newest first (after
/// severity when asked).
pub async fn list(pool: &PgPool, s: Selection<'_>) -> Result<Vec<Incident>> {
    Ok(sqlx::query_as!(
        Incident,
        r#"select i.id, i.facility_id, f.code as facility_code, f.name as facility_name,
                  f.province_code, i.category as "category: Category",
                  i.severity as "severity: Severity", i.status as "status: Status",
                  i.occurred_at, i.description, s.tps_number as "tps_number?", i.actor,
                  i.created_at
           from incidents i
           join facilities f on f.id = i.facility_id
           left join stations s on s.id = i.station_id
           where i.election_id = $1 and ($2::text is null or f.province_code = $2)
             and ($3::bigint is null or i.facility_id = $3)
           order by i.status = 'closed',
                    case when $4 and i.status <> 'closed' then
                      case i.severity when 'emergency' then 0 when 'attention' then 1 else 2 end
                    else 0 end,
                    i.occurred_at desc, i.id desc"#,
        s.election_id,
        s.province,
        s.facility,
        s.by_severity
    )
    .fetch_all(pool)
    .await?)
}

/// Incident `id` of the place's facility and election.
pub async fn one(pool: &PgPool, p: &Place, id: i64) -> Result<Option<Incident>> {
    Ok(sqlx::query_as!(
        Incident,
        r#"select i.id, i.facility_id, f.code as facility_code, f.name as facility_name,
                  f.province_code, i.category as "category: Category",
                  i.severity as "severity: Severity", i.status as "status: Status",
                  i.occurred_at, i.description, s.tps_number as "tps_number?", i.actor,
                  i.created_at
           from incidents i
           join facilities f on f.id = i.facility_id
           left join stations s on s.id = i.station_id
           where i.id = $1 and i.facility_id = $2 and i.election_id = $3"#,
        id,
        p.facility_id,
        p.election.id
    )
    .fetch_optional(pool)
    .await?)
}

/// One entry of an incident's history.
pub struct Change {
    pub status: Status,
    pub note: Option<String>,
    pub actor: String,
    pub changed_at: OffsetDateTime,
}

/// The incident's history, oldest first.
pub async fn history(pool: &PgPool, incident_id: i64) -> Result<Vec<Change>> {
    Ok(sqlx::query_as!(
        Change,
        r#"select status as "status: Status", note, actor, changed_at
           from incident_history where incident_id = $1 order by changed_at, id"#,
        incident_id
    )
    .fetch_all(pool)
    .await?)
}

/// The facility's TPS for the election: `(number, station id)`, by number.
pub async fn stations(pool: &PgPool, p: &Place) -> Result<Vec<(i32, i64)>> {
    Ok(sqlx::query!(
        "select tps_number, id from stations
         where election_id = $1 and facility_id = $2 order by tps_number",
        p.election.id,
        p.facility_id
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|s| (s.tps_number, s.id))
    .collect())
}

/// Records a new incident, open, with the first line of its history; returns its id.
pub async fn insert(pool: &PgPool, p: &Place, actor: &Actor, new: &NewIncident) -> Result<i64> {
    let mut tx = pool.begin().await?;
    let id = sqlx::query_scalar!(
        "insert into incidents (election_id, facility_id, station_id, category, severity,
                                occurred_at, description, user_id, actor)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id",
        p.election.id,
        p.facility_id,
        new.station_id,
        new.category as Category,
        new.severity as Severity,
        new.occurred_at,
        new.description,
        actor.user_id,
        actor.name
    )
    .fetch_one(&mut *tx)
    .await?;
    add_history(&mut tx, id, Status::Open, None, actor).await?;
    audit::record(
        &mut tx,
        actor,
        Entry::new("incident.create")
            .object("incident", id)
            .province(Some(p.province_code.clone()))
            .facility(Some(p.facility_id))
            .after(json!({
                "election": p.election.slug,
                "category": new.category.as_str(),
                "severity": new.severity.as_str(),
                "station_id": new.station_id,
                "occurred_at": new.occurred_at.format(&Rfc3339).unwrap_or_default(),
                "description": new.description,
            })),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

async fn add_history(
    conn: &mut sqlx::PgConnection,
    incident_id: i64,
    status: Status,
    note: Option<&str>,
    actor: &Actor,
) -> Result<()> {
    sqlx::query!(
        "insert into incident_history (incident_id, status, note, user_id, actor)
         values ($1, $2, $3, $4, $5)",
        incident_id,
        status as Status,
        note,
        actor.user_id,
        actor.name
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Moves incident `i` from `from` to `to` with `note`; `false` (nothing written) when its
/// status is no longer `from`.
pub async fn change_status(
    pool: &PgPool,
    i: &Incident,
    (from, to): (Status, Status),
    note: Option<&str>,
    actor: &Actor,
) -> Result<bool> {
    let mut tx = pool.begin().await?;
    let updated = sqlx::query!(
        "update incidents set status = $3 where id = $1 and status = $2",
        i.id,
        from as Status,
        to as Status
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if updated == 0 {
        return Ok(false);
    }
    add_history(&mut tx, i.id, to, note, actor).await?;
    audit::record(
        &mut tx,
        actor,
        Entry::new("incident.status")
            .object("incident", i.id)
            .province(Some(i.province_code.clone()))
            .facility(Some(i.facility_id))
            .before(json!({ "status": from.as_str() }))
            .after(json!({ "status": to.as_str(), "note": note })),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Records (or corrects) the facility's neutrality briefing for the election.
pub async fn record_briefing(pool: &PgPool, p: &Place, actor: &Actor, b: Briefing) -> Result<()> {
    let mut tx = pool.begin().await?;
    let before = sqlx::query!(
        "select held_on, staff from neutrality_briefings
         where election_id = $1 and facility_id = $2 for update",
        p.election.id,
        p.facility_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .map(|r| json!({ "held_on": r.held_on.to_string(), "staff": r.staff }));
    sqlx::query!(
        "insert into neutrality_briefings (election_id, facility_id, held_on, staff, user_id, actor)
         values ($1, $2, $3, $4, $5, $6)
         on conflict (election_id, facility_id) do update
           set held_on = excluded.held_on, staff = excluded.staff, user_id = excluded.user_id,
               actor = excluded.actor, recorded_at = now()",
        p.election.id,
        p.facility_id,
        b.held_on,
        b.staff,
        actor.user_id,
        actor.name
    )
    .execute(&mut *tx)
    .await?;
    let mut entry = Entry::new("neutrality.briefing")
        .object("facility", &p.facility_code)
        .province(Some(p.province_code.clone()))
        .facility(Some(p.facility_id))
        .after(
            json!({ "election": p.election.slug, "held_on": b.held_on.to_string(),
                       "staff": b.staff }),
        );
    if let Some(before) = before {
        entry = entry.before(before);
    }
    audit::record(&mut tx, actor, entry).await?;
    tx.commit().await?;
    Ok(())
}
