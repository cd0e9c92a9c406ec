//! The elections as stored: the list (page and `loksus election list`), one election with
//! its contests and what hangs on it, and the row a change locks.

use sqlx::{PgConnection, PgPool};
use time::Date;

use crate::domain::ballots::BallotType;
use crate::domain::election_rules::{Kind, Settings};

/// One election of the list.
#[derive(Debug, Clone)]
pub struct Listed {
    pub slug: String,
    pub name: String,
    pub kind: String,
    pub voting_day: Date,
    pub cap: i32,
    pub reserve_basis_points: i32,
    pub ballots: Vec<String>,
}

/// Every election by voting day.
pub async fn list(pool: &PgPool) -> sqlx::Result<Vec<Listed>> {
    sqlx::query_as!(
        Listed,
        r#"select slug, name, kind, voting_day, max_voters_per_tps as cap, reserve_basis_points,
                  ballot_types as ballots
           from elections order by voting_day, slug"#
    )
    .fetch_all(pool)
    .await
}

/// An election's row.
pub struct Row {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub kind: String,
    pub voting_day: Date,
    pub transfer_deadline: Date,
    pub detainee_transfer_deadline: Date,
    pub max_voters_per_tps: i32,
    pub reserve_basis_points: i32,
    pub ballot_types: Vec<String>,
    pub dpk_at_loksus: bool,
    pub region_code: Option<String>,
}

impl Row {
    pub fn settings(&self) -> Settings {
        Settings {
            name: self.name.clone(),
            kind: Kind::parse(&self.kind).unwrap_or(Kind::Pemilu),
            voting_day: self.voting_day,
            deadline_h30: self.transfer_deadline,
            deadline_h7: self.detainee_transfer_deadline,
            cap: self.max_voters_per_tps,
            reserve_basis_points: self.reserve_basis_points,
            ballots: BallotType::ALL
                .into_iter()
                .filter(|t| self.ballot_types.iter().any(|s| s == t.as_str()))
                .collect(),
            dpk_at_loksus: self.dpk_at_loksus,
        }
    }
}

/// The election `slug`, locked for the rest of the transaction (a voter added meanwhile
/// waits for it: its foreign key check takes a share lock on this row).
pub async fn lock(conn: &mut PgConnection, slug: &str) -> sqlx::Result<Option<Row>> {
    sqlx::query_as!(
        Row,
        r#"select id, slug, name, kind, voting_day, transfer_deadline, detainee_transfer_deadline,
                  max_voters_per_tps, reserve_basis_points, ballot_types, dpk_at_loksus,
                  region_code
           from elections where slug = $1 for update"#,
        slug
    )
    .fetch_optional(conn)
    .await
}

/// A contest of a Pilkada, with its region's name.
#[derive(Debug, Clone)]
pub struct ContestView {
    pub contest: String,
    pub region_code: String,
    pub region_name: String,
}

/// One election for its page: settings, region, contests, and how many TPS and voters it has.
pub struct Stored {
    pub row: Row,
    pub region_name: Option<String>,
    pub contests: Vec<ContestView>,
    pub stations: i64,
    pub voters: i64,
}

pub async fn find(pool: &PgPool, slug: &str) -> sqlx::Result<Option<Stored>> {
    let mut conn = pool.acquire().await?;
    let Some(row) = sqlx::query_as!(
        Row,
        r#"select id, slug, name, kind, voting_day, transfer_deadline, detainee_transfer_deadline,
                  max_voters_per_tps, reserve_basis_points, ballot_types, dpk_at_loksus,
                  region_code
           from elections where slug = $1"#,
        slug
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let counts = sqlx::query!(
        r#"select (select name from regions where code = $2) as region_name,
                  (select count(*) from stations where election_id = $1) as "stations!",
                  (select count(*) from voters where election_id = $1) as "voters!""#,
        row.id,
        row.region_code
    )
    .fetch_one(&mut *conn)
    .await?;
    let contests = contests(&mut conn, row.id).await?;
    Ok(Some(Stored {
        row,
        region_name: counts.region_name,
        contests,
        stations: counts.stations,
        voters: counts.voters,
    }))
}

/// An election's contests, Gubernur first, by region.
pub async fn contests(conn: &mut PgConnection, election_id: i64) -> sqlx::Result<Vec<ContestView>> {
    sqlx::query_as!(
        ContestView,
        r#"select c.contest, c.region_code, r.name as region_name
           from election_contests c join regions r on r.code = c.region_code
           where c.election_id = $1
           order by c.contest = 'bupati_walikota', c.region_code"#,
        election_id
    )
    .fetch_all(conn)
    .await
}
