//! Login throttling. Within the window (`login_window`, 15 minutes by default) a login attempt
//! is refused with 429, before its password is looked at, when there have already been
//!
//! - `login_max_failures` (5) failed attempts for this username **from this address**, or
//! - `login_max_failures` (5) failed attempts from this address, whatever the usernames (one
//!   address cannot try many accounts), or
//! - `login_max_failures_per_username` (50) failed attempts for this username from all
//!   addresses together (a distributed guess against one account).
//!
//! So a stranger who fails five times for `admin` is throttled at their own address but does
//! not lock `admin` out of theirs; only a failure count ten times higher, from many addresses,
//! holds the account itself. A refused attempt waits until the oldest failure that counts
//! against it leaves the window (`Retry-After`).
//!
//! Check and record are one step, also across several servers on one database: [`claim`]
//! takes a transaction-scoped advisory lock on the username and one on the address, counts,
//! and records the attempt as a failure before the locks are released. The password is then
//! checked outside the lock and a correct one turns the row into a success ([`succeeded`]).
//! Every password evaluated holds one failure row while it is evaluated, so however many
//! attempts arrive at once, at most the limit of wrong passwords is evaluated per window.

use sqlx::PgConnection;
use time::OffsetDateTime;

use crate::config::Config;

/// Advisory-lock namespaces (the first key of `pg_advisory_xact_lock(int, int)`), so that a
/// username and an address with the same hash never share a lock.
const LOCK_USERNAME: i32 = 0x4c6f_6b01;
const LOCK_ADDRESS: i32 = 0x4c6f_6b02;

/// What [`claim`] decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// The attempt may go ahead; it is recorded as a failure with this id until
    /// [`succeeded`] says otherwise.
    Granted(i64),
    /// Refused: seconds to wait before the next attempt may be made.
    Refused(u64),
}

/// Decides whether an attempt for `username` from `client_addr` may check its password, and
/// if so records it (as a failure) in `tx`. Commit `tx` straight after, without slow work in
/// between: the locks taken here are held until then.
pub async fn claim(
    tx: &mut PgConnection,
    config: &Config,
    username: &str,
    client_addr: &str,
) -> sqlx::Result<Claim> {
    // Always username first, then address: two attempts never wait for each other crosswise.
    // The locks are taken in a statement of their own: under READ COMMITTED the count below
    // then sees every attempt recorded by whoever held the locks before.
    for (namespace, key) in [(LOCK_USERNAME, username), (LOCK_ADDRESS, client_addr)] {
        sqlx::query!(
            r#"select pg_advisory_xact_lock($1, hashtext($2))::text as "locked""#,
            namespace,
            key
        )
        .fetch_one(&mut *tx)
        .await?;
    }

    let window = config.login_window.as_secs_f64();
    let limit = |n: u32| i32::try_from(n.max(1)).unwrap_or(i32::MAX);
    // The n-th most recent failure inside the window for each rule: once it leaves the
    // window, fewer than n remain.
    let row = sqlx::query!(
        r#"select
               (select at from login_attempts
                where username = $1 and client_addr = $2 and not success
                  and at > now() - make_interval(secs => $3)
                order by at desc offset $4 - 1 limit 1) as by_pair,
               (select at from login_attempts
                where client_addr = $2 and not success and at > now() - make_interval(secs => $3)
                order by at desc offset $4 - 1 limit 1) as by_addr,
               (select at from login_attempts
                where username = $1 and not success and at > now() - make_interval(secs => $3)
                order by at desc offset $5 - 1 limit 1) as by_user,
               now() as "now!""#,
        username,
        client_addr,
        window,
        limit(config.login_max_failures),
        limit(config.login_max_failures_per_username),
    )
    .fetch_one(&mut *tx)
    .await?;
    let wait = |at: Option<OffsetDateTime>| {
        at.map(|at| {
            let until = at + config.login_window;
            (until - row.now).whole_seconds().max(1) as u64
        })
    };
    if let Some(wait) = [row.by_pair, row.by_addr, row.by_user]
        .into_iter()
        .filter_map(wait)
        .max()
    {
        return Ok(Claim::Refused(wait));
    }

    let id = sqlx::query_scalar!(
        "insert into login_attempts (username, client_addr, success) values ($1, $2, false)
         returning id",
        username,
        client_addr
    )
    .fetch_one(&mut *tx)
    .await?;
    Ok(Claim::Granted(id))
}

/// Marks a claimed attempt as successful: it no longer counts against the limits.
pub async fn succeeded(tx: &mut PgConnection, attempt: i64) -> sqlx::Result<()> {
    sqlx::query!(
        "update login_attempts set success = true where id = $1",
        attempt
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}
