//! The checks over the staged rows that need the whole file or the database: duplicates
//! within the file, NIKs on other facilities' active rolls, home regions and form origins
//! the region reference does not hold.

use std::collections::BTreeSet;

use sqlx::PgConnection;

use super::{ImportError, Options, Report, Stages, Transfers};
use crate::domain::csv_file::RowError;
use crate::domain::privacy::facility_name;
use crate::read::places::Place;
use crate::read::regions;
/// The checks that need the whole file or the database: duplicates within the file, NIKs
/// on another facility's active roll, and home regions or form origins the reference does
/// not hold. Each rejected row is added to `report` and its line to `rejected`.
pub(super) async fn check_staged(
    conn: &mut PgConnection,
    target: &Place,
    import_id: i64,
    opts: &Options,
    (report, rejected): (&mut Report, &mut Vec<i64>),
    stages: &mut Stages,
) -> Result<(), ImportError> {
    let mut errors = duplicates(conn, import_id).await?;
    stages.done("check duplicates");
    errors.extend(niks_elsewhere(conn, target, import_id, opts).await?);
    stages.done("check NIKs elsewhere");
    errors.extend(unknown_homes(conn, import_id).await?);
    errors.extend(unknown_form_desas(conn, import_id).await?);
    stages.done("check region codes");
    rejected.extend(errors.iter().map(|e| e.line as i64));
    report.errors.extend(errors);
    Ok(())
}

/// Rows that name the same voter as another row of the file.
async fn duplicates(conn: &mut PgConnection, import_id: i64) -> Result<Vec<RowError>, ImportError> {
    let mut errors = Vec::new();
    let dups = sqlx::query!(
        // The repeated keys are found by counting alone; only their rows are gathered.
        r#"with repeated as (
               select row_key from roll_staging where import_id = $1
               group by row_key having count(*) > 1
           ), rows as (
               select s.line, s.nik, s.row_key
               from roll_staging s join repeated r using (row_key)
               where s.import_id = $1
           )
           select r.line as "line!", r.nik, d.lines as "lines!"
           from rows r
           join (select row_key, array_agg(line order by line) as lines
                 from rows group by row_key) d using (row_key)
           order by r.line"#,
        import_id
    )
    .fetch_all(&mut *conn)
    .await?;
    for d in dups {
        let others: Vec<String> = d
            .lines
            .iter()
            .filter(|&&l| l != d.line)
            .map(i64::to_string)
            .collect();
        let (column, message) = match d.nik {
            Some(nik) => (
                "nik",
                format!(
                    "NIK {nik} muncul lebih dari sekali di berkas (juga baris {})",
                    others.join(", ")
                ),
            ),
            None => (
                "nama",
                format!(
                    "pemilih yang sama muncul lebih dari sekali di berkas (juga baris {})",
                    others.join(", ")
                ),
            ),
        };
        errors.push(RowError::new(d.line as u64, column, message));
    }
    Ok(errors)
}

/// Rows whose `kode_wilayah_asal` names no region of the reference (the message names the
/// nearest level that exists). A home taken from the NIK is not checked: the NIK keeps the
/// code where it was first issued, which may be gone since.
async fn unknown_homes(
    conn: &mut PgConnection,
    import_id: i64,
) -> Result<Vec<RowError>, ImportError> {
    let codes: Vec<String> = sqlx::query_scalar!(
        r#"select distinct home_region_code as "code!" from roll_staging
           where import_id = $1 and not home_from_nik and home_region_code is not null"#,
        import_id
    )
    .fetch_all(&mut *conn)
    .await?;
    let problems = regions::problems(&mut *conn, &codes).await?;
    if problems.is_empty() {
        return Ok(Vec::new());
    }
    let unknown: Vec<String> = problems.keys().cloned().collect();
    let rows = sqlx::query!(
        r#"select line, home_region_code as "code!" from roll_staging
           where import_id = $1 and not home_from_nik and home_region_code = any($2)
           order by line"#,
        import_id,
        &unknown
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            RowError::new(
                r.line as u64,
                "kode_wilayah_asal",
                problems[&r.code].clone(),
            )
        })
        .collect())
}

/// Rows whose `asal_desa` (the pindah memilih form's origin) names no desa of the reference.
async fn unknown_form_desas(
    conn: &mut PgConnection,
    import_id: i64,
) -> Result<Vec<RowError>, ImportError> {
    let staged = sqlx::query!(
        r#"select line, form_origin_desa as "code!" from roll_staging
           where import_id = $1 and form_origin_desa is not null
           order by line"#,
        import_id
    )
    .fetch_all(&mut *conn)
    .await?;
    let codes: BTreeSet<&str> = staged.iter().map(|r| r.code.as_str()).collect();
    let codes: Vec<&str> = codes.into_iter().collect();
    let problems = regions::problems(&mut *conn, &codes).await?;
    Ok(staged
        .iter()
        .filter_map(|r| {
            let message = problems.get(&r.code)?;
            Some(RowError::new(r.line as u64, "asal_desa", message.clone()))
        })
        .collect())
}

/// Rows whose NIK is on another facility's active roll: refused, or (for a transfer) refused
/// unless the name and birth date match the origin's record.
async fn niks_elsewhere(
    conn: &mut PgConnection,
    target: &Place,
    import_id: i64,
    opts: &Options,
) -> Result<Vec<RowError>, ImportError> {
    let mut errors = Vec::new();
    let elsewhere = sqlx::query!(
        r#"select s.line, s.nik as "nik!", f.id as facility_id, f.name as facility,
                  f.province_code,
                  (regexp_replace(lower(v.name), '[^a-z0-9]+', '', 'g')
                       = regexp_replace(lower(s.name), '[^a-z0-9]+', '', 'g')
                   and v.birth_date = s.birth_date) as "same_person!"
           from roll_staging s
           join voters v on v.election_id = $2 and v.nik = s.nik and v.status = 'active'
                        and v.facility_id <> $3
           join facilities f on f.id = v.facility_id
           where s.import_id = $1
           order by s.line"#,
        import_id,
        target.election.id,
        target.facility_id
    )
    .fetch_all(&mut *conn)
    .await?;
    for e in elsewhere {
        let at = facility_name(&opts.viewer, e.facility_id, &e.province_code, &e.facility);
        let message = match opts.transfers {
            Transfers::Refuse => format!(
                "NIK {} terdaftar aktif di {at}; centang \"terima sebagai pindahan\" bila WBP ini dipindahkan ke sini",
                e.nik
            ),
            Transfers::Request | Transfers::Move if !e.same_person => format!(
                "konflik NIK: NIK {} terdaftar aktif di {at} dengan nama atau tanggal lahir lain; periksa NIK ini dengan Disdukcapil",
                e.nik
            ),
            Transfers::Request | Transfers::Move => continue,
        };
        errors.push(RowError::new(e.line as u64, "nik", message));
    }
    Ok(errors)
}
