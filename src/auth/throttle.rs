//! Login throttling: after too many failed attempts for one username, or from one address,
//! within the window, further attempts are refused until the oldest of them ages out.

use sqlx::PgPool;
use time::OffsetDateTime;

use crate::Config;

/// Seconds to wait before the next attempt may be made, or `None` when one may be made now.
pub async fn retry_after(
    pool: &PgPool,
    config: &Config,
    username: &str,
    client_addr: &str,
) -> sqlx::Result<Option<u64>> {
    let window = config.login_window.as_secs_f64();
    let max = i32::try_from(config.login_max_failures).unwrap_or(i32::MAX);
    // The max-th most recent failure inside the window: once it leaves the window, fewer
    // than `max` remain.
    let row = sqlx::query!(
        r#"select
               (select at from login_attempts
                where username = $1 and not success and at > now() - make_interval(secs => $3)
                order by at desc offset $4 - 1 limit 1) as by_user,
               (select at from login_attempts
                where client_addr = $2 and not success and at > now() - make_interval(secs => $3)
                order by at desc offset $4 - 1 limit 1) as by_addr,
               now() as "now!""#,
        username,
        client_addr,
        window,
        max,
    )
    .fetch_one(pool)
    .await?;
    let wait = |at: Option<OffsetDateTime>| {
        at.map(|at| {
            let until = at + config.login_window;
            (until - row.now).whole_seconds().max(1) as u64
        })
    };
    Ok(wait(row.by_user).max(wait(row.by_addr)))
}
