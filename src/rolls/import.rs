//! Importing a roll file into a facility's roll, in one transaction.
//!
//! The file is streamed: each row is checked (`parse`), valid rows go through `COPY` into
//! `roll_staging`, and set-based statements find duplicates and NIKs on other facilities'
//! rolls, then insert, update, depart and audit. Memory does not grow with the file (only
//! with the rejected rows). By default any rejected row means nothing is written.

use std::io::{BufRead, BufReader, Read};

use serde_json::json;
use sqlx::{PgConnection, PgPool};
use time::Date;

use crate::db::audit::{self, Actor, Entry};
use crate::domain::access::Scope;
use crate::domain::privacy::facility_name;
use crate::domain::roll_file::{self as parse, Header, RowError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Add new voters and update known ones.
    Upsert,
    /// The file is the whole roll: voters not in it are marked departed (kept, not deleted).
    Replace,
}

impl Mode {
    pub fn parse(s: &str) -> Option<Mode> {
        match s {
            "upsert" => Some(Mode::Upsert),
            "replace" => Some(Mode::Replace),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Upsert => "upsert",
            Mode::Replace => "replace",
        }
    }
}

/// What to do with a row whose NIK is on another facility's active roll.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transfers {
    /// Reject the row.
    Refuse,
    /// Record a pending arrival, which moves the inmate once the origin confirms it (the
    /// pages). The row's name and birth date must match the origin's record, else the row is
    /// rejected as a NIK conflict.
    Request,
    /// Move the inmate at once, each move listed in the report (the operator's command line).
    /// Name and birth date must match as for `Request`.
    Move,
}

#[derive(Debug, Clone)]
pub struct Options {
    pub mode: Mode,
    /// Write the valid rows even when some are rejected.
    pub skip_invalid: bool,
    pub transfers: Transfers,
    /// Check everything, write nothing.
    pub dry_run: bool,
    /// Who reads the report: another facility is named only when this scope covers it.
    pub viewer: Scope,
    /// The upload this import confirms: claimed (and its content deleted) inside the
    /// import's transaction, so a second confirm changes nothing and a failed one can be
    /// retried.
    pub confirms_upload: Option<i64>,
}

impl Options {
    /// Upsert, all-or-nothing, transfers refused, written, read by an operator.
    pub fn new(mode: Mode) -> Options {
        Options {
            mode,
            skip_invalid: false,
            transfers: Transfers::Refuse,
            dry_run: false,
            viewer: Scope::National,
            confirms_upload: None,
        }
    }
}

/// An inmate moved from another facility's roll by this import ([`Transfers::Move`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    pub nik: String,
    pub name: String,
    pub from_code: String,
}

/// The roll being imported into.
#[derive(Debug, Clone)]
pub struct Target {
    pub election_id: i64,
    pub facility_id: i64,
    pub facility_name: String,
    pub province_code: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub departed: u64,
    pub rejected: u64,
    pub flagged: u64,
    /// Voters moved here from another facility's roll ([`Transfers::Move`]).
    pub transferred: u64,
    /// The moves themselves, for the operator to read.
    pub moves: Vec<Move>,
    /// Pending arrivals recorded ([`Transfers::Request`]): they move once the origin confirms.
    pub pending_transfers: u64,
    pub errors: Vec<RowError>,
    /// Whether anything was written (false on a dry run or when rows were rejected).
    pub written: bool,
}

impl Report {
    /// The last line `loksus roll import` prints (a stable contract).
    pub fn summary_line(&self) -> String {
        format!(
            "inserted {}, updated {}, unchanged {}, departed {}, rejected {}, flagged {}",
            self.inserted, self.updated, self.unchanged, self.departed, self.rejected, self.flagged
        )
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file as a whole cannot be read (no header, missing columns...).
    #[error("{0}")]
    File(String),
    /// The upload was confirmed already (a double submit): nothing was written again.
    #[error("already confirmed")]
    AlreadyConfirmed,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Staged rows are sent to the server in chunks of about this size.
const COPY_CHUNK: usize = 1 << 20;

fn csv_buffer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new().from_writer(Vec::with_capacity(COPY_CHUNK + 64 * 1024))
}

/// Imports `input` into `target`'s roll; see the module docs.
pub async fn import(
    pool: &PgPool,
    target: &Target,
    input: impl Read,
    opts: Options,
    actor: &Actor,
    today: Date,
) -> Result<Report, ImportError> {
    let mut input = BufReader::with_capacity(64 * 1024, input);
    let head = input
        .fill_buf()
        .map_err(|e| ImportError::File(format!("berkas tidak dapat dibaca: {e}")))?;
    let first_line = parse::first_line(head).to_vec();
    let mut reader = parse::csv_reader(&first_line, input);
    let header_record = reader
        .headers()
        .map_err(|e| ImportError::File(format!("baris judul tidak dapat dibaca: {e}")))?
        .clone();
    if header_record.iter().all(|h| h.trim().is_empty()) {
        return Err(ImportError::File(
            "berkas kosong: baris judul tidak ada".into(),
        ));
    }
    let header = Header::parse(header_record.iter()).map_err(ImportError::File)?;

    let mut tx = pool.begin().await?;
    if let Some(upload) = opts.confirms_upload {
        let claimed = sqlx::query!(
            "update roll_uploads set confirmed_at = now(), content = null, purged_at = now()
             where id = $1 and confirmed_at is null",
            upload
        )
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if claimed == 0 {
            return Err(ImportError::AlreadyConfirmed);
        }
    }
    // A private staging table for this transaction (see the migration), and room for the
    // hash joins and aggregates over the whole file.
    sqlx::query!("create temp table roll_staging (like public.roll_staging) on commit drop")
        .execute(&mut *tx)
        .await?;
    sqlx::query!("set local work_mem = '64MB'")
        .execute(&mut *tx)
        .await?;
    // Every join here is file-sized; a roll just loaded has no statistics yet, and a nested
    // loop planned on "one row" then costs seconds per thousand rows.
    sqlx::query!("set local enable_nestloop = off")
        .execute(&mut *tx)
        .await?;
    let import_id = sqlx::query_scalar!(r#"select nextval('roll_import_seq') as "id!""#)
        .fetch_one(&mut *tx)
        .await?;

    // Stream: check each row, stage the valid ones with COPY.
    let mut report = Report::default();
    let mut rejected_lines: Vec<i64> = Vec::new();
    {
        let mut copy = tx
            .copy_in_raw(
                "copy roll_staging (import_id, line, row_key, nik, nik_flag, name, birth_date, sex,
                     legal_status, marital_status, home_region_code, home_from_nik, rights_revoked,
                     release_date, list, birth_place, registration_no, disability, ktp_el)
                 from stdin with (format csv)",
            )
            .await?;
        let mut buf = csv_buffer();
        let mut record = csv::StringRecord::new();
        let mut line: u64 = 1;
        loop {
            let more = match reader.read_record(&mut record) {
                Ok(more) => more,
                Err(e) if e.is_io_error() => {
                    return Err(ImportError::File(format!("berkas tidak dapat dibaca: {e}")));
                }
                Err(e) => {
                    line += 1;
                    report.errors.push(RowError {
                        line,
                        column: "",
                        message: format!("baris tidak dapat dibaca (bukan teks UTF-8?): {e}"),
                    });
                    rejected_lines.push(line as i64);
                    continue;
                }
            };
            if !more {
                break;
            }
            // Rows as a spreadsheet numbers them: the header is row 1.
            line += 1;
            if record.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            match parse::parse_row(&header, &record, line, today) {
                Ok(v) => {
                    let date = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
                    let b = |x: bool| if x { "t" } else { "f" };
                    let opt = |s: &Option<String>| s.clone().unwrap_or_default();
                    buf.write_record([
                        import_id.to_string(),
                        line.to_string(),
                        v.row_key(),
                        opt(&v.nik),
                        v.flag.map(|f| f.code().to_owned()).unwrap_or_default(),
                        v.name.clone(),
                        v.birth_date.to_string(),
                        v.sex.to_owned(),
                        v.legal_status.to_owned(),
                        v.marital_status.to_owned(),
                        opt(&v.home_region_code),
                        b(v.home_from_nik).to_owned(),
                        b(v.rights_revoked).to_owned(),
                        date(v.release_date),
                        v.list.unwrap_or_default().to_owned(),
                        opt(&v.birth_place),
                        opt(&v.registration_no),
                        opt(&v.disability),
                        v.ktp_el.map(|k| b(k).to_owned()).unwrap_or_default(),
                    ])
                    .map_err(|e| ImportError::File(e.to_string()))?;
                    if buf.get_ref().len() >= COPY_CHUNK {
                        let full = std::mem::replace(&mut buf, csv_buffer());
                        let chunk = full
                            .into_inner()
                            .map_err(|e| ImportError::File(e.to_string()))?;
                        copy.send(chunk).await?;
                    }
                }
                Err(errors) => {
                    report.errors.extend(errors);
                    rejected_lines.push(line as i64);
                }
            }
        }
        let rest = buf
            .into_inner()
            .map_err(|e| ImportError::File(e.to_string()))?;
        if !rest.is_empty() {
            copy.send(rest).await?;
        }
        copy.finish().await?;
    }

    check_staged(
        &mut tx,
        target,
        import_id,
        &opts,
        &mut report,
        &mut rejected_lines,
    )
    .await?;
    rejected_lines.sort_unstable();
    rejected_lines.dedup();
    report.rejected = rejected_lines.len() as u64;
    report.errors.sort_by_key(|e| e.line);
    report.flagged = sqlx::query_scalar!(
        r#"select count(*) as "n!" from roll_staging
           where import_id = $1 and (nik_flag is not null or home_from_nik) and line <> all($2)"#,
        import_id,
        &rejected_lines
    )
    .fetch_one(&mut *tx)
    .await? as u64;

    if report.rejected > 0 && !opts.skip_invalid {
        return Ok(report); // dropping `tx` rolls back: nothing written
    }
    sqlx::query!(
        "delete from roll_staging where import_id = $1 and line = any($2)",
        import_id,
        &rejected_lines
    )
    .execute(&mut *tx)
    .await?;

    apply(&mut tx, target, import_id, &opts, actor, &mut report).await?;
    if opts.dry_run {
        return Ok(report); // rolled back
    }
    audit::record(
        &mut tx,
        actor,
        Entry::new("roll.import")
            .object(
                "roll",
                format!("{}:{}", target.election_id, target.facility_id),
            )
            .province(Some(target.province_code.clone()))
            .facility(Some(target.facility_id))
            .after(json!({
                "mode": opts.mode.as_str(),
                "inserted": report.inserted, "updated": report.updated,
                "unchanged": report.unchanged, "departed": report.departed,
                "rejected": report.rejected, "flagged": report.flagged,
                "transferred": report.transferred,
                "pending_transfers": report.pending_transfers,
            })),
    )
    .await?;
    tx.commit().await?;
    report.written = true;
    Ok(report)
}

/// The checks that need the whole file or the database: duplicates within the file, and
/// NIKs on another facility's active roll.
async fn check_staged(
    conn: &mut PgConnection,
    target: &Target,
    import_id: i64,
    opts: &Options,
    report: &mut Report,
    rejected: &mut Vec<i64>,
) -> Result<(), ImportError> {
    let dups = sqlx::query!(
        r#"select s.line, s.nik, d.lines as "lines!"
           from roll_staging s
           join (select row_key, array_agg(line order by line) as lines
                 from roll_staging where import_id = $1
                 group by row_key having count(*) > 1) d on d.row_key = s.row_key
           where s.import_id = $1
           order by s.line"#,
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
        report.errors.push(RowError {
            line: d.line as u64,
            column,
            message,
        });
        rejected.push(d.line);
    }
    // NIKs on another facility's active roll: refused, or (for a transfer) refused unless
    // the name and birth date match the origin's record.
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
        target.election_id,
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
        report.errors.push(RowError {
            line: e.line as u64,
            column: "nik",
            message,
        });
        rejected.push(e.line);
    }
    Ok(())
}

/// Writes the staged rows: transfers, updates, inserts, departures, each audited.
async fn apply(
    conn: &mut PgConnection,
    target: &Target,
    import_id: i64,
    opts: &Options,
    actor: &Actor,
    report: &mut Report,
) -> Result<(), ImportError> {
    let (e, f) = (target.election_id, target.facility_id);
    match opts.transfers {
        Transfers::Refuse => {}
        Transfers::Request => {
            report.pending_transfers =
                request_arrivals(conn, target, import_id, actor).await? as u64;
        }
        Transfers::Move => {
            report.moves = move_arrivals(conn, target, import_id, actor).await?;
            report.transferred = report.moves.len() as u64;
        }
    }

    let matched = sqlx::query_scalar!(
        r#"select count(*) as "n!" from roll_staging s
           join voters v on v.election_id = $2 and v.facility_id = $3 and v.row_key = s.row_key
           where s.import_id = $1"#,
        import_id,
        e,
        f
    )
    .fetch_one(&mut *conn)
    .await? as u64;
    report.updated = sqlx::query_scalar!(
        r#"with changed as (
               select v.id, to_jsonb(v) as before
               from roll_staging s
               join voters v on v.election_id = $2 and v.facility_id = $3 and v.row_key = s.row_key
               where s.import_id = $1
                 and (v.nik, v.nik_flag, v.name, v.birth_date, v.sex, v.legal_status,
                      v.marital_status, v.home_region_code, v.home_from_nik, v.rights_revoked,
                      v.release_date, v.list, v.birth_place, v.registration_no, v.disability,
                      v.ktp_el, v.status)
                     is distinct from
                     (s.nik, s.nik_flag, s.name, s.birth_date, s.sex, s.legal_status,
                      s.marital_status, s.home_region_code, s.home_from_nik, s.rights_revoked,
                      s.release_date, s.list, s.birth_place, s.registration_no, s.disability,
                      s.ktp_el, 'active')
           ), updated as (
               update voters v
               set nik = s.nik, nik_flag = s.nik_flag, name = s.name, birth_date = s.birth_date,
                   sex = s.sex, legal_status = s.legal_status, marital_status = s.marital_status,
                   home_region_code = s.home_region_code, home_from_nik = s.home_from_nik,
                   rights_revoked = s.rights_revoked, release_date = s.release_date,
                   list = s.list, birth_place = s.birth_place,
                   registration_no = s.registration_no, disability = s.disability,
                   ktp_el = s.ktp_el, status = 'active', departed_reason = null, departed_to = null,
                   departed_at = null
               from roll_staging s, changed c
               where s.import_id = $1 and c.id = v.id and v.row_key = s.row_key
               returning v.id, to_jsonb(v) as after
           ), audited as (
               insert into audit_log (user_id, actor, client_addr, action, object_type, object_id,
                                      province_code, facility_id, before, after)
               select $4, $5, $6, 'voter.update', 'voter', u.id::text, $7, $3, c.before, u.after
               from updated u join changed c using (id)
           )
           select count(*) as "n!" from updated"#,
        import_id,
        e,
        f,
        actor.user_id,
        actor.name,
        actor.client_addr,
        target.province_code,
    )
    .fetch_one(&mut *conn)
    .await? as u64;
    report.unchanged = matched - report.updated;

    report.inserted = sqlx::query!(
        "insert into voters (election_id, facility_id, row_key, nik, nik_flag, name, birth_date,
             sex, legal_status, marital_status, home_region_code, home_from_nik, rights_revoked,
             release_date, list, birth_place, registration_no, disability, ktp_el,
             transferred_from)
         select $2, $3, s.row_key, s.nik, s.nik_flag, s.name, s.birth_date, s.sex,
                s.legal_status, s.marital_status, s.home_region_code, s.home_from_nik,
                s.rights_revoked, s.release_date, s.list, s.birth_place, s.registration_no,
                s.disability, s.ktp_el, s.transferred_from
         from roll_staging s
         where s.import_id = $1
           and not exists (select 1 from voters v where v.election_id = $2 and v.facility_id = $3
                                                     and v.row_key = s.row_key)",
        import_id,
        e,
        f
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();

    if opts.mode == Mode::Replace {
        report.departed = sqlx::query_scalar!(
            r#"with departed as (
                   update voters v
                   set status = 'departed', departed_reason = 'tidak ada di berkas impor (replace)',
                       departed_at = now()
                   where v.election_id = $2 and v.facility_id = $3 and v.status = 'active'
                     and not exists (select 1 from roll_staging s
                                     where s.import_id = $1 and s.row_key = v.row_key)
                   returning v.id, to_jsonb(v) as after
               ), audited as (
                   insert into audit_log (user_id, actor, client_addr, action, object_type,
                                          object_id, province_code, facility_id, after)
                   select $4, $5, $6, 'voter.depart', 'voter', d.id::text, $7, $3, d.after
                   from departed d
               )
               select count(*) as "n!" from departed"#,
            import_id,
            e,
            f,
            actor.user_id,
            actor.name,
            actor.client_addr,
            target.province_code,
        )
        .fetch_one(&mut *conn)
        .await? as u64;
    }

    Ok(())
}

/// Records a pending arrival for every staged row whose NIK is active at another facility
/// (the rows were checked to be the same person), and takes those rows out of this import:
/// the inmate stays on the origin's roll until the origin confirms. Returns how many.
async fn request_arrivals(
    conn: &mut PgConnection,
    target: &Target,
    import_id: i64,
    actor: &Actor,
) -> Result<i64, ImportError> {
    let (e, f) = (target.election_id, target.facility_id);
    let n = sqlx::query_scalar!(
        r#"with requested as (
               insert into transfers (election_id, voter_id, from_facility_id, to_facility_id,
                                      arrival, requested_by)
               select $2, v.id, v.facility_id, $3, to_jsonb(s) - 'import_id' - 'line', $4
               from roll_staging s
               join voters v on v.election_id = $2 and v.nik = s.nik and v.status = 'active'
                            and v.facility_id <> $3
               where s.import_id = $1
               on conflict (voter_id, to_facility_id) where status = 'pending'
               do update set arrival = excluded.arrival, requested_by = excluded.requested_by,
                             requested_at = now()
               returning id, voter_id, from_facility_id
           ), audited as (
               insert into audit_log (user_id, actor, client_addr, action, object_type,
                                      object_id, province_code, facility_id, after)
               select $4, $5, $6, 'transfer.request', 'transfer', r.id::text, $7, $3,
                      jsonb_build_object('voter_id', r.voter_id,
                                         'from_facility_id', r.from_facility_id,
                                         'to_facility_id', $3::bigint)
               from requested r
           )
           select count(*) as "n!" from requested"#,
        import_id,
        e,
        f,
        actor.user_id,
        actor.name,
        actor.client_addr,
        target.province_code,
    )
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query!(
        "delete from roll_staging s using voters v
         where s.import_id = $1 and v.election_id = $2 and v.nik = s.nik
           and v.status = 'active' and v.facility_id <> $3",
        import_id,
        e,
        f
    )
    .execute(&mut *conn)
    .await?;
    Ok(n)
}

/// Moves every staged row's inmate whose NIK is active at another facility here at once
/// (the operator's command line): departed there, audited, and inserted here with where
/// they came from. Returns the moves.
async fn move_arrivals(
    conn: &mut PgConnection,
    target: &Target,
    import_id: i64,
    actor: &Actor,
) -> Result<Vec<Move>, ImportError> {
    let (e, f) = (target.election_id, target.facility_id);
    sqlx::query!(
        "update roll_staging s set transferred_from = v.facility_id
         from voters v
         where s.import_id = $1 and v.election_id = $2 and v.nik = s.nik
           and v.status = 'active' and v.facility_id <> $3",
        import_id,
        e,
        f
    )
    .execute(&mut *conn)
    .await?;
    let moved = sqlx::query!(
        r#"with moved as (
               update voters v
               set status = 'departed', departed_reason = 'dipindahkan', departed_to = $3,
                   departed_at = now()
               from roll_staging s
               where s.import_id = $1 and v.election_id = $2 and v.nik = s.nik
                 and v.status = 'active' and v.facility_id <> $3
               returning v.id, v.nik, v.name, v.facility_id, to_jsonb(v) as after
           ), audited as (
               insert into audit_log (user_id, actor, client_addr, action, object_type,
                                      object_id, province_code, facility_id, after)
               select $4, $5, $6, 'voter.transfer_out', 'voter', m.id::text,
                      fac.province_code, m.facility_id, m.after
               from moved m join facilities fac on fac.id = m.facility_id
           )
           select m.nik as "nik!", m.name, fac.code as from_code
           from moved m join facilities fac on fac.id = m.facility_id
           order by fac.code, m.name"#,
        import_id,
        e,
        f,
        actor.user_id,
        actor.name,
        actor.client_addr,
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(moved
        .into_iter()
        .map(|m| Move {
            nik: m.nik,
            name: m.name,
            from_code: m.from_code,
        })
        .collect())
}
