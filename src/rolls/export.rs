//! `loksus export roll`: a facility's active roll, one row per inmate, with what each needs —
//! the operator's view of the rules, in a fixed column order.

use std::io::Write;

use sqlx::PgPool;

use crate::read::places::Place;

pub const COLUMNS: [&str; 10] = [
    "no_registrasi",
    "nama",
    "nik_status",
    "list",
    "eligible",
    "reasons",
    "flags",
    "late",
    "needs_form",
    "tps_number",
];

/// Writes the active voters of the place's roll, by name; returns how many. NIKs are not
/// written: `nik_status` says `valid`, `missing`, `invalid` or `mismatch`.
pub async fn write_csv(pool: &PgPool, place: &Place, out: impl Write) -> anyhow::Result<usize> {
    let rows = sqlx::query!(
        r#"select v.registration_no, v.name as "name!",
                  case v.nik_flag when 'no_nik' then 'missing' when 'nik_invalid' then 'invalid'
                                  when 'nik_mismatch' then 'mismatch' else 'valid' end
                      as "nik_status!",
                  v.list, cardinality(v.reasons) = 0 as "eligible!",
                  array_to_string(v.reasons, '|') as "reasons!",
                  array_to_string(array_remove(array[
                      v.nik_flag,
                      case when v.home_from_nik then 'home_from_nik' end,
                      case when v.list = 'dpk' and v.ktp_el is false then 'dpk_without_ktp' end,
                      case when v.list = 'dpt' and v.kpu_tps is not null and not exists (
                               select 1 from stations k where k.election_id = v.election_id
                               and k.facility_id = v.facility_id and k.tps_number = v.kpu_tps)
                           then 'kpu_tps_elsewhere' end
                  ], null), '|') as "flags!",
                  v.late, v.needs_form as "needs_form!", s.tps_number as "tps_number?"
           from voters_with_reasons v
           left join stations s on s.id = v.station_id
           where v.facility_id = $1 and v.election_id = $2 and v.status = 'active'
           order by v.name, v.id"#,
        place.facility_id,
        place.election.id
    )
    .fetch_all(pool)
    .await?;
    let mut w = crate::http::csv::Writer::new(out);
    w.row(COLUMNS)?;
    for r in &rows {
        let late = match r.late {
            Some(true) => "true",
            Some(false) => "false",
            None => "unknown",
        };
        w.row([
            r.registration_no.as_deref().unwrap_or_default(),
            &r.name,
            &r.nik_status,
            r.list.as_deref().unwrap_or_default(),
            if r.eligible { "true" } else { "false" },
            &r.reasons,
            &r.flags,
            late,
            if r.needs_form { "true" } else { "false" },
            &r.tps_number.map(|n| n.to_string()).unwrap_or_default(),
        ])?;
    }
    w.finish()?.flush()?;
    Ok(rows.len())
}
