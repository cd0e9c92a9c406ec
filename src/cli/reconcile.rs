//! `loksus reconcile FILE --facility CODE`: store KPU's list and print each group's size.

use super::{Rejected, UsageError};
use crate::db::audit::Actor;
use crate::devtools::Database;

pub(super) async fn run(
    db: &Database,
    file: &std::path::Path,
    facility: &str,
    election: Option<&str>,
) -> anyhow::Result<()> {
    let roll = super::place_or_usage_error(db, facility, election).await?;
    let content = std::fs::read(file)
        .map_err(|e| UsageError(format!("cannot open {}: {e}", file.display())))?;
    let entries = match crate::reconcile::list::parse(&content) {
        Ok(e) => e,
        Err(errors) => {
            for e in errors.iter().take(100) {
                eprintln!("row {}, {}: {}", e.line, e.column, e.message);
            }
            return Err(Rejected.into());
        }
    };
    let name = file
        .file_name()
        .map_or("dpt-kpu.csv".into(), |n| n.to_string_lossy().into_owned());
    let mut tx = db.pool.begin().await?;
    let id = crate::reconcile::matching::store(
        &mut tx,
        roll.election.id,
        roll.facility_id,
        None,
        &name,
        &entries,
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    crate::db::audit::record(
        &mut tx,
        &Actor::command_line(),
        crate::db::audit::Entry::new("kpu_list.upload")
            .object("kpu_list", id)
            .province(Some(roll.province_code.clone()))
            .facility(Some(roll.facility_id))
            .after(serde_json::json!({ "filename": name, "rows": entries.len() })),
    )
    .await?;
    tx.commit().await?;
    let started = std::time::Instant::now();
    let c = crate::reconcile::matching::counts(&db.pool, roll.election.id, roll.facility_id, id)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    println!(
        "kpu {}, matched {}, kpu_only {}, roll_only {}, tps_differs {}, name_differs {} (matched in {ms:.0} ms)",
        c.kpu, c.matched, c.kpu_only, c.roll_only, c.tps_differs, c.name_differs
    );
    Ok(())
}
