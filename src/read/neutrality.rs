//! The ASN neutrality briefing as the pages read it: the record of one facility (facility
//! page), and which facilities of a province held one (readiness matrix, province page).

use sqlx::PgPool;
use time::OffsetDateTime;

use crate::domain::neutrality::Briefing;
use crate::http::error::Result;

/// A facility's briefing for an election, with who recorded it and when.
pub struct BriefingRecord {
    pub briefing: Briefing,
    pub actor: String,
    pub recorded_at: OffsetDateTime,
}

pub async fn of_facility(
    pool: &PgPool,
    election_id: i64,
    facility_id: i64,
) -> Result<Option<BriefingRecord>> {
    Ok(sqlx::query!(
        "select held_on, staff, actor, recorded_at from neutrality_briefings
         where election_id = $1 and facility_id = $2",
        election_id,
        facility_id
    )
    .fetch_optional(pool)
    .await?
    .map(|r| BriefingRecord {
        briefing: Briefing {
            held_on: r.held_on,
            staff: r.staff,
        },
        actor: r.actor,
        recorded_at: r.recorded_at,
    }))
}

/// A facility of a province and whether it held the briefing.
pub struct FacilityBriefing {
    pub code: String,
    pub name: String,
    pub held: bool,
}

/// Every facility of province `province` (or only `facility`), by name, and whether it held
/// the briefing for the election.
pub async fn in_province(
    pool: &PgPool,
    election_id: i64,
    province: &str,
    facility: Option<i64>,
) -> Result<Vec<FacilityBriefing>> {
    Ok(sqlx::query_as!(
        FacilityBriefing,
        r#"select f.code, f.name, (b.facility_id is not null) as "held!"
           from facilities f
           left join neutrality_briefings b on b.facility_id = f.id and b.election_id = $1
           where f.province_code = $2 and ($3::bigint is null or f.id = $3)
           order by f.name"#,
        election_id,
        province,
        facility
    )
    .fetch_all(pool)
    .await?)
}
