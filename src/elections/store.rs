//! Creating, changing and deleting elections and loading a Pilkada's contests: the one write
//! path of the admin page and `loksus election`. Each change is one transaction with its
//! audit entry; a refused change writes nothing.

use serde_json::{Map, Value, json};
use sqlx::{PgConnection, PgPool};

use super::queries::{self, Row};
use crate::db::audit::{self, Actor, Entry};
use crate::domain::contest_file::{self, ContestRow};
use crate::domain::csv_file::RowError;
use crate::domain::election_rules::{
    self, Field, FieldError, Input, Settings, check_slug, percent_text,
};

#[derive(Debug, thiserror::Error)]
pub enum ElectionError {
    /// A value to fix; names the field.
    #[error("{0}")]
    Invalid(#[from] FieldError),
    /// The contests file's rows that were refused.
    #[error("rows were rejected")]
    Rows(Vec<RowError>),
    /// Not possible for this election (Indonesian message).
    #[error("{0}")]
    Refused(String),
    #[error("Pemilihan tidak ditemukan.")]
    NotFound,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

type Result<T> = std::result::Result<T, ElectionError>;

/// A new election: its id, and how many TPS were copied (`None` when none were asked for).
pub struct Created {
    pub id: i64,
    pub copied: Option<u64>,
}

/// The settings as the audit log keeps them.
fn snapshot(s: &Settings) -> Map<String, Value> {
    let ballots: Vec<&str> = s.ballots.iter().map(|b| b.as_str()).collect();
    let value = json!({
        "name": s.name,
        "kind": s.kind.as_str(),
        "voting_day": s.voting_day.to_string(),
        "transfer_deadline": s.deadline_h30.to_string(),
        "detainee_transfer_deadline": s.deadline_h7.to_string(),
        "max_voters_per_tps": s.cap,
        "reserve_percent": percent_text(s.reserve_basis_points),
        "ballot_types": ballots,
        "dpk_at_loksus": s.dpk_at_loksus,
    });
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// Creates the election `slug`; with `copy_from`, it gets the same TPS (facility, number,
/// location, name) as that election, in the same transaction.
pub async fn create(
    pool: &PgPool,
    slug: &str,
    input: &Input,
    copy_from: Option<&str>,
    actor: &Actor,
) -> Result<Created> {
    let slug = check_slug(slug)?;
    let settings = election_rules::new_settings(input)?;
    let mut tx = pool.begin().await?;
    let source = match copy_from {
        Some(from) => Some(source_id(&mut tx, from).await?),
        None => None,
    };
    let id = insert(&mut tx, &slug, &settings).await?;
    let copied = match source {
        Some(from) => Some(copy_stations(&mut tx, from, id, actor).await?),
        None => None,
    };
    let mut after = snapshot(&settings);
    after.insert("slug".into(), json!(slug));
    if let (Some(from), Some(n)) = (copy_from, copied) {
        after.insert("tps_copied_from".into(), json!(from));
        after.insert("tps_copied".into(), json!(n));
    }
    let entry = Entry::new("election.create")
        .object("election", &slug)
        .after(Value::Object(after));
    audit::record(&mut tx, actor, entry).await?;
    tx.commit().await?;
    Ok(Created { id, copied })
}

async fn source_id(conn: &mut PgConnection, slug: &str) -> Result<i64> {
    sqlx::query_scalar!("select id from elections where slug = $1", slug.trim())
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| {
            let msg = format!("Pemilihan {} tidak ada.", slug.trim());
            FieldError::new(Field::CopyTpsFrom, msg).into()
        })
}

async fn insert(conn: &mut PgConnection, slug: &str, s: &Settings) -> Result<i64> {
    let ballots: Vec<String> = s.ballots.iter().map(|b| b.as_str().to_owned()).collect();
    sqlx::query_scalar!(
        r#"insert into elections (slug, name, kind, voting_day, transfer_deadline,
               detainee_transfer_deadline, max_voters_per_tps, reserve_basis_points,
               ballot_types, dpk_at_loksus)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
           returning id"#,
        slug,
        s.name,
        s.kind.as_str(),
        s.voting_day,
        s.deadline_h30,
        s.deadline_h7,
        s.cap,
        s.reserve_basis_points,
        &ballots,
        s.dpk_at_loksus,
    )
    .fetch_one(conn)
    .await
    .map_err(|e| {
        match crate::db::unique_violation_message(&e, &[("elections_slug_key", "sudah dipakai")]) {
            Some(m) => FieldError::new(Field::Slug, format!("Slug {slug} {m}.")).into(),
            None => e.into(),
        }
    })
}

/// Copies the TPS of election `from` (facility, number, location, name; not the counts,
/// readiness, ballots or voters) to election `to`; returns how many.
async fn copy_stations(conn: &mut PgConnection, from: i64, to: i64, actor: &Actor) -> Result<u64> {
    audit::act_as(conn, actor).await?;
    let done = sqlx::query!(
        "insert into stations (election_id, facility_id, tps_number, location_code, name)
         select $2, facility_id, tps_number, location_code, name
         from stations where election_id = $1",
        from,
        to
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Changes the given values of election `slug`; returns the names of the values that
/// changed (none: nothing written, nothing audited).
pub async fn update(
    pool: &PgPool,
    slug: &str,
    input: &Input,
    actor: &Actor,
) -> Result<Vec<String>> {
    let mut tx = pool.begin().await?;
    let row = queries::lock(&mut tx, slug)
        .await?
        .ok_or(ElectionError::NotFound)?;
    let current = row.settings();
    let new = election_rules::edited(&current, input)?;
    keeps_its_contests(&mut tx, &row, &new).await?;
    let (before, after) = differences(snapshot(&current), snapshot(&new));
    if after.is_empty() {
        return Ok(Vec::new());
    }
    let ballots: Vec<String> = new.ballots.iter().map(|b| b.as_str().to_owned()).collect();
    sqlx::query!(
        r#"update elections set name = $2, kind = $3, voting_day = $4, transfer_deadline = $5,
               detainee_transfer_deadline = $6, max_voters_per_tps = $7,
               reserve_basis_points = $8, ballot_types = $9, dpk_at_loksus = $10,
               region_code = case when $3 = 'pemilu' then null else region_code end
           where id = $1"#,
        row.id,
        new.name,
        new.kind.as_str(),
        new.voting_day,
        new.deadline_h30,
        new.deadline_h7,
        new.cap,
        new.reserve_basis_points,
        &ballots,
        new.dpk_at_loksus,
    )
    .execute(&mut *tx)
    .await?;
    let changed: Vec<String> = after.keys().cloned().collect();
    let entry = Entry::new("election.update")
        .object("election", &row.slug)
        .before(Value::Object(before))
        .after(Value::Object(after));
    audit::record(&mut tx, actor, entry).await?;
    tx.commit().await?;
    Ok(changed)
}

/// The values of `before` and `after` that differ.
fn differences(
    mut before: Map<String, Value>,
    mut after: Map<String, Value>,
) -> (Map<String, Value>, Map<String, Value>) {
    let same: Vec<String> = after
        .iter()
        .filter(|(k, v)| before.get(*k) == Some(*v))
        .map(|(k, _)| k.clone())
        .collect();
    for k in same {
        before.remove(&k);
        after.remove(&k);
    }
    (before, after)
}

/// A ballot type may not be dropped while contests are voted on it.
async fn keeps_its_contests(conn: &mut PgConnection, row: &Row, new: &Settings) -> Result<()> {
    let held = queries::contests(conn, row.id).await?;
    match held
        .iter()
        .find(|c| !new.ballots.iter().any(|b| b.as_str() == c.contest))
    {
        Some(c) => Err(FieldError::new(
            Field::Ballots,
            format!(
                "Pemilihan ini punya kontestasi {}: muat dulu berkas kontestasi tanpa {0}.",
                c.contest
            ),
        )
        .into()),
        None => Ok(()),
    }
}

/// Deletes election `slug` and everything of it (TPS, checklist, dapils, contests); refused
/// while voters are on its rolls.
pub async fn delete(pool: &PgPool, slug: &str, actor: &Actor) -> Result<()> {
    let mut tx = pool.begin().await?;
    let row = queries::lock(&mut tx, slug)
        .await?
        .ok_or(ElectionError::NotFound)?;
    let counts = sqlx::query!(
        r#"select (select count(*) from voters where election_id = $1) as "voters!",
                  (select count(*) from stations where election_id = $1) as "stations!""#,
        row.id
    )
    .fetch_one(&mut *tx)
    .await?;
    if counts.voters > 0 {
        return Err(ElectionError::Refused(format!(
            "Pemilihan {} tidak dapat dihapus: {} pemilih tercatat di daftar pemilihnya.",
            row.slug, counts.voters
        )));
    }
    sqlx::query!("delete from elections where id = $1", row.id)
        .execute(&mut *tx)
        .await?;
    let mut before = snapshot(&row.settings());
    before.insert("slug".into(), json!(row.slug));
    before.insert("stations".into(), json!(counts.stations));
    let entry = Entry::new("election.delete")
        .object("election", &row.slug)
        .before(Value::Object(before));
    audit::record(&mut tx, actor, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// What a contests file loaded: how many contests, and the election's region afterwards.
pub struct Loaded {
    pub contests: usize,
    pub region: Option<String>,
}

/// Replaces the contests of election `slug` with the file's; the election's region becomes
/// the province all of them lie in, or none.
pub async fn load_contests(
    pool: &PgPool,
    slug: &str,
    content: &[u8],
    actor: &Actor,
) -> Result<Loaded> {
    let rows = contest_file::parse(content).map_err(ElectionError::Rows)?;
    let mut tx = pool.begin().await?;
    let row = queries::lock(&mut tx, slug)
        .await?
        .ok_or(ElectionError::NotFound)?;
    let settings = row.settings();
    if !settings.holds_contests() {
        return Err(ElectionError::Refused(format!(
            "Pemilihan {} ({}) tidak memakai surat suara gubernur atau bupati_walikota, jadi \
             tidak punya kontestasi.",
            row.slug,
            settings.kind.label()
        )));
    }
    let mut errors = contest_file::misfits(&rows, &settings.ballots, row.region_code.as_deref());
    errors.extend(unknown_regions(&mut tx, &rows).await?);
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.line);
        return Err(ElectionError::Rows(errors));
    }
    let before = contests_json(&mut tx, row.id, row.region_code.as_deref()).await?;
    let region = contest_file::common_region(&rows);
    replace_contests(&mut tx, row.id, &rows, region.as_deref()).await?;
    let after = contests_json(&mut tx, row.id, region.as_deref()).await?;
    let entry = Entry::new("election.contests")
        .object("election", &row.slug)
        .before(before)
        .after(after);
    audit::record(&mut tx, actor, entry).await?;
    tx.commit().await?;
    Ok(Loaded {
        contests: rows.len(),
        region,
    })
}

/// The rows whose region is not in the region reference, with the nearest level that is.
async fn unknown_regions(conn: &mut PgConnection, rows: &[ContestRow]) -> Result<Vec<RowError>> {
    let codes: Vec<&str> = rows.iter().map(|r| r.region.as_str()).collect();
    let problems = crate::read::regions::problems(&mut *conn, &codes).await?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            let message = problems.get(&r.region)?;
            Some(RowError::new(r.line, "region_code", message.clone()))
        })
        .collect())
}

async fn replace_contests(
    conn: &mut PgConnection,
    election_id: i64,
    rows: &[ContestRow],
    region: Option<&str>,
) -> Result<()> {
    sqlx::query!(
        "delete from election_contests where election_id = $1",
        election_id
    )
    .execute(&mut *conn)
    .await?;
    let contests: Vec<String> = rows.iter().map(|r| r.contest.as_str().to_owned()).collect();
    let regions: Vec<String> = rows.iter().map(|r| r.region.clone()).collect();
    sqlx::query!(
        "insert into election_contests (election_id, contest, region_code)
         select $1, c, r from unnest($2::text[], $3::text[]) as t (c, r)",
        election_id,
        &contests,
        &regions
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "update elections set region_code = $2 where id = $1",
        election_id,
        region
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// An election's contests and region as the audit log keeps them.
async fn contests_json(
    conn: &mut PgConnection,
    election_id: i64,
    region: Option<&str>,
) -> Result<Value> {
    let contests: Vec<Value> = queries::contests(conn, election_id)
        .await?
        .into_iter()
        .map(|c| json!({ "contest": c.contest, "region_code": c.region_code }))
        .collect();
    Ok(json!({ "contests": contests, "region_code": region }))
}
