//! Checking region codes people type (a facility's kab/kota, a TPS location, a voter's KTP
//! address, a dapil area) against the Kemendagri reference in `regions`. One query answers
//! for any number of codes (every distinct code and the codes above it), so an import of
//! thousands of rows costs the same as a form. Also the regions under a region, for lists.

use std::collections::{BTreeSet, HashMap};

use sqlx::PgExecutor;

use crate::domain::region::{Level, RegionCode, malformed_message, unknown_message};

/// A region of the reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    pub code: String,
    /// As pages show it (`Kota Lubuk Linggau`).
    pub name: String,
    /// Exactly as the reference data writes it (`KOTA LUBUK LINGGAU`).
    pub data_name: String,
}

/// The regions of `level` under `parent` (everywhere when `None`), in code order.
pub async fn list<'c>(
    db: impl PgExecutor<'c>,
    parent: Option<&RegionCode>,
    level: Level,
) -> sqlx::Result<Vec<Region>> {
    sqlx::query_as!(
        Region,
        r#"select code, name, coalesce(data_name, name) as "data_name!" from regions
           where level = $1 and ($2::text is null or code like $2 || '.%')
           order by code collate "C""#,
        level.as_str(),
        parent.map(RegionCode::as_str)
    )
    .fetch_all(db)
    .await
}

/// For each code of `typed` that is malformed or not in the reference, why, in Indonesian
/// (`Kode wilayah 16.75.01 tidak dikenal: provinsi 16 (Sumatera Selatan) ada, tetapi kab/kota
/// 16.75 tidak ada.`), keyed by the code as given. Known codes are absent from the answer.
/// Takes a pool or a connection (`&mut *tx`).
pub async fn problems<'c, S: AsRef<str>>(
    db: impl PgExecutor<'c>,
    typed: &[S],
) -> sqlx::Result<HashMap<String, String>> {
    let parsed: Vec<(&str, Option<RegionCode>)> = typed
        .iter()
        .map(|t| (t.as_ref(), RegionCode::parse(t.as_ref())))
        .collect();
    let wanted: BTreeSet<String> = parsed
        .iter()
        .filter_map(|(_, code)| code.as_ref())
        .flat_map(|code| code.lineage().into_iter().map(|(_, c)| c.to_owned()))
        .collect();
    let wanted: Vec<String> = wanted.into_iter().collect();
    let names: HashMap<String, String> = sqlx::query!(
        "select code, name from regions where code = any($1)",
        &wanted
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|r| (r.code, r.name))
    .collect();
    let name_of = |c: &str| names.get(c).map(String::as_str);
    Ok(parsed
        .into_iter()
        .filter_map(|(typed, code)| {
            let message = match code {
                None => Some(malformed_message(typed)),
                Some(code) => unknown_message(&code, name_of),
            };
            message.map(|m| (typed.to_owned(), m))
        })
        .collect())
}

/// One typed code: its dotted form when the reference holds it, else why not.
pub async fn check<'c>(
    db: impl PgExecutor<'c>,
    typed: &str,
) -> sqlx::Result<Result<RegionCode, String>> {
    let mut problems = problems(db, &[typed]).await?;
    Ok(match problems.remove(typed) {
        Some(message) => Err(message),
        None => Ok(RegionCode::parse(typed).expect("a known code is well formed")),
    })
}
