//! `loksus export turnout` and `loksus export ballot-accounts`: the latest turnout report of
//! every TPS, and the latest account of every ballot type of every TPS, in fixed column
//! orders that scripts outside Loksus (and the imports) rely on.

use std::io::Write;

use sqlx::PgPool;
use time::OffsetDateTime;
use time::macros::format_description;

use crate::domain::ballot_accounts;
use crate::read::day::{self, settle};
use crate::read::summary::Rules;

pub const TURNOUT_COLUMNS: [&str; 12] = [
    "province_code",
    "facility_code",
    "tps_number",
    "dpt",
    "dptb",
    "dpk",
    "voted_dpt",
    "voted_dptb",
    "voted_dpk",
    "voted_men",
    "voted_women",
    "reported_at",
];

pub const ACCOUNT_COLUMNS: [&str; 9] = [
    "province_code",
    "facility_code",
    "tps_number",
    "ballot_type",
    "received",
    "used",
    "damaged",
    "unused",
    "balanced",
];

/// `2024-02-14T10:05:00+07:00`: ISO 8601 in Western Indonesian Time, to the second.
fn iso_time(t: OffsetDateTime) -> String {
    t.to_offset(time::macros::offset!(+7))
        .format(format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second][offset_hour sign:mandatory]:[offset_minute]"
        ))
        .unwrap_or_default()
}

/// One row per TPS of the election (one province, or all): official counts and the latest
/// turnout report (empty figures and `reported_at` while the TPS has not reported).
/// Returns the number of rows written.
pub async fn write_turnout_csv(
    pool: &PgPool,
    election_id: i64,
    province: Option<&str>,
    out: impl Write,
) -> anyhow::Result<usize> {
    let mut conn = pool.acquire().await?;
    let rules = Rules::load(&mut conn, election_id).await?;
    let stations = day::stations(&mut conn, &rules, province).await?;
    let ids: Vec<i64> = stations.iter().map(|s| s.id).collect();
    let latest = settle::latest_turnout(&mut conn, &ids).await?;
    let mut w = crate::http::csv::Writer::new(out);
    w.row(TURNOUT_COLUMNS)?;
    for s in &stations {
        let mut row = vec![
            s.province_code.clone(),
            s.facility_code.clone(),
            s.tps_number.to_string(),
            s.counts.dpt.to_string(),
            s.counts.dptb.to_string(),
            s.counts.dpk.to_string(),
        ];
        match latest.get(&s.id) {
            Some((t, at)) => {
                row.extend([t.dpt, t.dptb, t.dpk, t.men, t.women].map(|v| v.to_string()));
                row.push(iso_time(*at));
            }
            None => row.extend(std::iter::repeat_n(String::new(), 6)),
        }
        w.row(row)?;
    }
    w.finish()?;
    Ok(stations.len())
}

/// One row per TPS and ballot type that exists there: the latest account (empty figures
/// when none is recorded) and whether that type keeps the balance rule against the TPS's
/// latest turnout report (`false` without an account or a report). Returns the rows written.
pub async fn write_accounts_csv(
    pool: &PgPool,
    election_id: i64,
    province: Option<&str>,
    out: impl Write,
) -> anyhow::Result<usize> {
    let mut conn = pool.acquire().await?;
    let rules = Rules::load(&mut conn, election_id).await?;
    let stations = day::stations(&mut conn, &rules, province).await?;
    let ids: Vec<i64> = stations.iter().map(|s| s.id).collect();
    let turnout = settle::latest_turnout(&mut conn, &ids).await?;
    let accounts = settle::latest_accounts(&mut conn, &ids).await?;
    let mut w = crate::http::csv::Writer::new(out);
    w.row(ACCOUNT_COLUMNS)?;
    let mut rows = 0;
    for s in &stations {
        let t = turnout.get(&s.id).map(|(t, _)| t);
        for &ty in &s.types {
            let a = accounts
                .get(&s.id)
                .and_then(|l| l.iter().find(|(x, _)| *x == ty))
                .map(|(_, a)| *a);
            let mut row = vec![
                s.province_code.clone(),
                s.facility_code.clone(),
                s.tps_number.to_string(),
                ty.as_str().to_owned(),
            ];
            match a {
                Some(a) => {
                    row.extend([a.received, a.used, a.damaged, a.unused].map(|v| v.to_string()))
                }
                None => row.extend(std::iter::repeat_n(String::new(), 4)),
            }
            let balanced = a.is_some_and(|a| ballot_accounts::type_balanced(ty, &s.types, &a, t));
            row.push(balanced.to_string());
            w.row(row)?;
            rows += 1;
        }
    }
    w.finish()?;
    Ok(rows)
}
