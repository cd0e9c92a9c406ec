//! Streaming the file into `roll_staging`: this task reads the rows (CSV) in batches, a worker
//! thread checks each batch (`parse_row`, pure) and writes the valid rows as `COPY` text, and
//! this task sends the checked batches to the server while the worker checks the next. So
//! reading, checking and the server's `COPY` run at the same time; memory holds a few
//! batches, whatever the file's size.

use std::io::{Read, Write};
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

/// A batch checked: the valid rows as `COPY` text, the rejected rows' problems and numbers.
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
    from stdin";

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
                    Ok(v) => copy_line(&mut done.copy, import_id, *line, &v),
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

/// A valid row as a line of `COPY` text (tab-separated, `\N` for none).
fn copy_line(out: &mut Vec<u8>, import_id: i64, line: u64, v: &VoterRow) {
    let mut w = Line::new(out);
    w.shown(import_id);
    w.shown(line);
    w.text(Some(&v.row_key()));
    w.text(v.nik.as_deref());
    w.text(v.flag.map(|f| f.code()));
    w.text(v.nik_raw.as_deref());
    w.text(v.nik_problem.map(|p| p.code()));
    w.text(Some(&v.name));
    w.shown(v.birth_date);
    w.text(Some(v.sex.as_str()));
    w.text(Some(v.legal_status.as_str()));
    w.text(Some(v.marital_status.as_str()));
    w.text(v.home_region_code.as_deref());
    w.boolean(Some(v.home_from_nik));
    w.boolean(Some(v.rights_revoked));
    w.maybe(v.release_date);
    w.text(v.list.map(|l| l.as_str()));
    w.text(v.birth_place.as_deref());
    w.text(v.registration_no.as_deref());
    w.text(v.disability.as_deref());
    w.boolean(v.ktp_el);
    w.maybe(v.admitted_on);
    w.text(v.form_origin_tps.as_deref());
    w.text(v.form_origin_desa.as_deref());
    w.maybe(v.form_date);
    w.maybe(v.kpu_tps);
    out.push(b'\n');
}

/// Writes the fields of one `COPY` text line.
struct Line<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
}

impl<'a> Line<'a> {
    fn new(out: &'a mut Vec<u8>) -> Line<'a> {
        Line { out, first: true }
    }

    fn separate(&mut self) {
        if !self.first {
            self.out.push(b'\t');
        }
        self.first = false;
    }

    /// A value whose display needs no escaping (numbers, dates).
    fn shown(&mut self, value: impl std::fmt::Display) {
        self.separate();
        let _ = write!(self.out, "{value}");
    }

    fn maybe(&mut self, value: Option<impl std::fmt::Display>) {
        match value {
            Some(v) => self.shown(v),
            None => self.text(None),
        }
    }

    fn boolean(&mut self, value: Option<bool>) {
        self.text(value.map(|b| if b { "t" } else { "f" }));
    }

    /// Text, escaped; none (or empty, as the file leaves it) is `\N`.
    fn text(&mut self, value: Option<&str>) {
        self.separate();
        let value = value.unwrap_or_default();
        if value.is_empty() {
            self.out.extend_from_slice(b"\\N");
            return;
        }
        for &b in value.as_bytes() {
            match b {
                b'\\' => self.out.extend_from_slice(b"\\\\"),
                b'\t' => self.out.extend_from_slice(b"\\t"),
                b'\n' => self.out.extend_from_slice(b"\\n"),
                b'\r' => self.out.extend_from_slice(b"\\r"),
                _ => self.out.push(b),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Line;

    #[test]
    fn copy_text_escapes_separators_and_writes_none_as_null() {
        let mut out = Vec::new();
        let mut w = Line::new(&mut out);
        w.text(Some("a\tb\\c\nd"));
        w.text(None);
        w.text(Some(""));
        w.boolean(Some(true));
        w.maybe(Some(7));
        w.maybe(None::<i32>);
        assert_eq!(out, b"a\\tb\\\\c\\nd\t\\N\t\\N\tt\t7\t\\N");
    }
}
