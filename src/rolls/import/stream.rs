//! Streaming the file into `roll_staging`: this task reads the rows (CSV) in batches, a worker
//! thread checks each batch (`parse_row`, pure) and writes the valid rows as binary `COPY`, and
//! this task sends the checked batches to the server while the worker checks the next. So
//! reading, checking and the server's `COPY` run at the same time; memory holds a few
//! batches, whatever the file's size.

use std::io::Read;
use std::thread::JoinHandle;

use sqlx::PgConnection;
use time::Date;
use tokio::sync::mpsc::{Receiver, Sender, channel};

use super::{ImportError, Report};
use crate::domain::csv_file::RowError;
use crate::domain::roll_file::{Header, VoterRow, parse_row};

/// Rows per batch.
const BATCH: usize = 4096;

/// Batches being checked or waiting to be sent, at most.
const IN_FLIGHT: usize = 2;

/// Rows read from the file, each with its row number.
type Batch = Vec<(u64, csv::StringRecord)>;

/// A batch checked: the valid rows as binary `COPY` rows, the rejected rows' problems and numbers.
#[derive(Default)]
struct Checked {
    copy: Vec<u8>,
    errors: Vec<RowError>,
    rejected: Vec<i64>,
}

/// The columns of `roll_staging` each `COPY` line fills, in order.
const COPY: &str = "copy roll_staging (import_id, line, row_key, nik, nik_flag, nik_raw,
    nik_problem, name, birth_date, sex, legal_status, marital_status, home_region_code,
    home_from_nik, rights_revoked, release_date, list, birth_place, registration_no,
    disability, ktp_el, admitted_on, form_origin_tps, form_origin_desa, form_date, kpu_tps)
    from stdin with (format binary)";

/// How many columns that is.
const COLUMNS: i16 = 26;

/// Streams the file: checks each row, stages the valid ones with `COPY`, and records the
/// rejected ones in `report` and `rejected`.
pub(super) async fn stage(
    conn: &mut PgConnection,
    (mut reader, header): (csv::Reader<impl Read>, Header),
    import_id: i64,
    today: Date,
    report: &mut Report,
    rejected: &mut Vec<i64>,
) -> Result<(), ImportError> {
    let mut copy = conn.copy_in_raw(COPY).await?;
    copy.send(COPY_HEADER).await?;
    let (to_worker, batches) = channel(IN_FLIGHT);
    let (to_stage, mut checked) = channel(IN_FLIGHT);
    let mut worker = Some(spawn_checker(header, import_id, today, batches, to_stage));
    let mut record = csv::StringRecord::new();
    // Rows as a spreadsheet numbers them: the header is row 1.
    let mut line: u64 = 1;
    let mut in_flight = 0;
    loop {
        let batch = read_batch(&mut reader, &mut record, &mut line, report, rejected)?;
        let last = batch.len() < BATCH;
        if in_flight == IN_FLIGHT {
            let done = next_checked(&mut checked, &mut worker).await?;
            in_flight -= 1;
            send(&mut copy, done, report, rejected).await?;
        }
        if !batch.is_empty() {
            // The worker takes at most IN_FLIGHT batches ahead, so this never waits long.
            let _ = to_worker.send(batch).await;
            in_flight += 1;
        }
        if last {
            break;
        }
    }
    drop(to_worker);
    for _ in 0..in_flight {
        let done = next_checked(&mut checked, &mut worker).await?;
        send(&mut copy, done, report, rejected).await?;
    }
    copy.send(COPY_TRAILER).await?;
    copy.finish().await?;
    Ok(())
}

/// The next checked batch. The worker stops early only by panicking: the panic goes on here.
async fn next_checked(
    checked: &mut Receiver<Checked>,
    worker: &mut Option<JoinHandle<()>>,
) -> Result<Checked, ImportError> {
    if let Some(done) = checked.recv().await {
        return Ok(done);
    }
    if let Some(Err(panic)) = worker.take().map(JoinHandle::join) {
        std::panic::resume_unwind(panic);
    }
    Err(ImportError::File("pemeriksaan baris terhenti".into()))
}

/// Sends a checked batch's rows to the server and records its rejected rows.
async fn send(
    copy: &mut sqlx::postgres::PgCopyIn<&mut PgConnection>,
    done: Checked,
    report: &mut Report,
    rejected: &mut Vec<i64>,
) -> Result<(), ImportError> {
    if !done.copy.is_empty() {
        copy.send(done.copy).await?;
    }
    report.errors.extend(done.errors);
    rejected.extend(done.rejected);
    Ok(())
}

/// Reads up to [`BATCH`] rows, skipping blank ones; a row that cannot be read is rejected
/// here. Fewer than [`BATCH`] rows: the file has ended.
fn read_batch(
    reader: &mut csv::Reader<impl Read>,
    record: &mut csv::StringRecord,
    line: &mut u64,
    report: &mut Report,
    rejected: &mut Vec<i64>,
) -> Result<Batch, ImportError> {
    let mut batch = Vec::with_capacity(BATCH);
    while batch.len() < BATCH {
        match reader.read_record(record) {
            Ok(false) => break,
            Ok(true) => {
                *line += 1;
                if !record.iter().all(|f| f.trim().is_empty()) {
                    batch.push((*line, record.clone()));
                }
            }
            Err(e) if e.is_io_error() => {
                return Err(ImportError::File(format!("berkas tidak dapat dibaca: {e}")));
            }
            Err(e) => {
                *line += 1;
                let message = format!("baris tidak dapat dibaca (bukan teks UTF-8?): {e}");
                report.errors.push(RowError::new(*line, "", message));
                rejected.push(*line as i64);
            }
        }
    }
    Ok(batch)
}

/// The worker: checks each batch it receives until the sender is dropped.
fn spawn_checker(
    header: Header,
    import_id: i64,
    today: Date,
    mut batches: Receiver<Batch>,
    checked: Sender<Checked>,
) -> JoinHandle<()> {
    std::thread::spawn(move || {
        while let Some(batch) = batches.blocking_recv() {
            let mut done = Checked::default();
            for (line, record) in &batch {
                match parse_row(&header, record, *line, today) {
                    Ok(v) => copy_row(&mut done.copy, import_id, *line, &v),
                    Err(errors) => {
                        done.errors.extend(errors);
                        done.rejected.push(*line as i64);
                    }
                }
            }
            if checked.blocking_send(done).is_err() {
                return;
            }
        }
    })
}

/// A valid row as a row of binary `COPY`.
fn copy_row(out: &mut Vec<u8>, import_id: i64, line: u64, v: &VoterRow) {
    let mut w = Row::new(out, COLUMNS);
    w.int8(import_id);
    w.int8(line as i64);
    w.text(Some(&v.row_key()));
    w.text(v.nik.as_deref());
    w.text(v.flag.map(|f| f.code()));
    w.text(v.nik_raw.as_deref());
    w.text(v.nik_problem.map(|p| p.code()));
    w.text(Some(&v.name));
    w.date(Some(v.birth_date));
    w.text(Some(v.sex.as_str()));
    w.text(Some(v.legal_status.as_str()));
    w.text(Some(v.marital_status.as_str()));
    w.text(v.home_region_code.as_deref());
    w.boolean(Some(v.home_from_nik));
    w.boolean(Some(v.rights_revoked));
    w.date(v.release_date);
    w.text(v.list.map(|l| l.as_str()));
    w.text(v.birth_place.as_deref());
    w.text(v.registration_no.as_deref());
    w.text(v.disability.as_deref());
    w.boolean(v.ktp_el);
    w.date(v.admitted_on);
    w.text(v.form_origin_tps.as_deref());
    w.text(v.form_origin_desa.as_deref());
    w.date(v.form_date);
    w.int4(v.kpu_tps);
}

/// The start of a binary `COPY` stream: its signature, no flags, no header extension.
const COPY_HEADER: &[u8] = b"PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0";

/// The end of a binary `COPY` stream: a row of -1 fields.
const COPY_TRAILER: &[u8] = &[0xff, 0xff];

/// PostgreSQL's day 0 (2000-01-01) as a Julian day.
const PG_EPOCH_JULIAN_DAY: i32 = 2_451_545;

/// Writes the fields of one binary `COPY` row: each its length and its bytes, or -1 for none.
struct Row<'a> {
    out: &'a mut Vec<u8>,
}

impl<'a> Row<'a> {
    fn new(out: &'a mut Vec<u8>, fields: i16) -> Row<'a> {
        out.extend_from_slice(&fields.to_be_bytes());
        Row { out }
    }

    fn field(&mut self, value: Option<&[u8]>) {
        match value {
            Some(bytes) => {
                self.out
                    .extend_from_slice(&(bytes.len() as i32).to_be_bytes());
                self.out.extend_from_slice(bytes);
            }
            None => self.out.extend_from_slice(&(-1i32).to_be_bytes()),
        }
    }

    fn int8(&mut self, value: i64) {
        self.field(Some(&value.to_be_bytes()));
    }

    fn int4(&mut self, value: Option<i32>) {
        self.field(value.map(i32::to_be_bytes).as_ref().map(|b| &b[..]));
    }

    /// Days since 2000-01-01.
    fn date(&mut self, value: Option<Date>) {
        self.int4(value.map(|d| d.to_julian_day() - PG_EPOCH_JULIAN_DAY));
    }

    fn boolean(&mut self, value: Option<bool>) {
        self.field(value.map(|b| if b { &[1u8][..] } else { &[0u8][..] }));
    }

    /// Text; none, or empty as the file leaves it, is none.
    fn text(&mut self, value: Option<&str>) {
        self.field(value.filter(|v| !v.is_empty()).map(str::as_bytes));
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::Row;

    #[test]
    fn binary_copy_fields_are_length_and_bytes_and_none_is_minus_one() {
        let mut out = Vec::new();
        let mut w = Row::new(&mut out, 6);
        w.text(Some("ab"));
        w.text(None);
        w.text(Some(""));
        w.boolean(Some(true));
        w.date(Some(date!(2000 - 01 - 02)));
        w.int4(None);
        let none = [0xff, 0xff, 0xff, 0xff];
        let expected: Vec<u8> = [
            &[0, 6][..],
            &[0, 0, 0, 2, b'a', b'b'],
            &none,
            &none,
            &[0, 0, 0, 1, 1],
            &[0, 0, 0, 4, 0, 0, 0, 1],
            &none,
        ]
        .concat();
        assert_eq!(out, expected);
    }
}
