//! Elections: which one a page shows (`?pemilihan=slug`, else the nearest upcoming one: the
//! soonest voting day from today on, or the latest past one when none is ahead).

use serde::Deserialize;
use sqlx::PgPool;
use time::Date;

use crate::domain::format;
use crate::http::error::{AppError, Result};

#[derive(Debug, Clone)]
pub struct Election {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub voting_day: Date,
}

impl Election {
    pub fn voting_day_text(&self) -> String {
        format::date(self.voting_day)
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ElectionQuery {
    pub pemilihan: Option<String>,
}

/// Whether any election exists (a fresh database has none until one is created).
pub async fn any(pool: &PgPool) -> Result<bool> {
    Ok(
        sqlx::query_scalar!(r#"select exists (select 1 from elections) as "any!""#)
            .fetch_one(pool)
            .await?,
    )
}

/// The election a page is about. An unknown slug is a 404; a database without any election
/// gives `None` (pages then show facilities without TPS figures).
pub async fn selected(pool: &PgPool, query: &ElectionQuery) -> Result<Option<Election>> {
    match query.pemilihan.as_deref().filter(|s| !s.is_empty()) {
        Some(slug) => sqlx::query_as!(
            Election,
            "select id, slug, name, voting_day from elections where slug = $1",
            slug
        )
        .fetch_optional(pool)
        .await?
        .map(Some)
        .ok_or(AppError::NotFound),
        None => Ok(sqlx::query_as!(
            Election,
            "select id, slug, name, voting_day from elections
             order by voting_day >= current_date desc,
                      case when voting_day >= current_date then voting_day end,
                      voting_day desc, id desc
             limit 1"
        )
        .fetch_optional(pool)
        .await?),
    }
}
