//! Roll uploads: the file kept between the preview and the confirmation.

use sqlx::PgPool;

use crate::read::places::Place;
use crate::rolls::import::Mode;

/// A new upload, before its preview.
pub struct NewUpload<'a> {
    pub user_id: i64,
    pub filename: &'a str,
    pub content: &'a [u8],
    pub mode: Mode,
    pub accept_transfers: bool,
    pub skip_invalid: bool,
}

pub async fn insert(pool: &PgPool, place: &Place, u: &NewUpload<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        "insert into roll_uploads (election_id, facility_id, user_id, filename, content, mode,
                                   accept_transfers, skip_invalid)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning id",
        place.election.id,
        place.facility_id,
        u.user_id,
        u.filename,
        u.content,
        u.mode as Mode,
        u.accept_transfers,
        u.skip_invalid
    )
    .fetch_one(pool)
    .await
}

/// An upload as stored.
pub struct Upload {
    pub filename: String,
    /// Deleted once the upload is confirmed or abandoned.
    pub content: Option<Vec<u8>>,
    pub mode: Mode,
    pub accept_transfers: bool,
    pub skip_invalid: bool,
    pub confirmed: bool,
}

/// Upload `id` of this facility's roll.
pub async fn find(pool: &PgPool, place: &Place, id: i64) -> sqlx::Result<Option<Upload>> {
    sqlx::query_as!(
        Upload,
        r#"select filename, content, mode as "mode: Mode", accept_transfers, skip_invalid,
                  confirmed_at is not null as "confirmed!"
           from roll_uploads where id = $1 and facility_id = $2 and election_id = $3"#,
        id,
        place.facility_id,
        place.election.id
    )
    .fetch_optional(pool)
    .await
}

/// Deletes the content of uploads left unconfirmed for 24 hours; returns how many.
pub async fn purge(pool: &PgPool) -> sqlx::Result<u64> {
    Ok(sqlx::query!(
        "update roll_uploads set content = null, purged_at = now()
         where content is not null and confirmed_at is null
           and created_at < now() - interval '24 hours'"
    )
    .execute(pool)
    .await?
    .rows_affected())
}
