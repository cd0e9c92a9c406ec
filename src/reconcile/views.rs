//! The reconciliation page as its template sees it: the stored list, each group with its
//! first rows, and the rejected rows of a refused file.

use askama::Template;

use super::matching::{Counts, Group, Row, StoredList};
use crate::domain::access::Scope;
use crate::domain::csv_file::RowError;
use crate::domain::format;
use crate::domain::privacy::NikView;
use crate::http::layout::Layout;
use crate::read::places::Place;

/// How many rows of each group the page shows (the CSV has them all).
pub const SHOWN: i64 = 200;

pub struct ListInfo {
    pub filename: String,
    pub rows: String,
    pub uploaded: String,
    pub by: String,
}

impl From<StoredList> for ListInfo {
    fn from(l: StoredList) -> Self {
        ListInfo {
            filename: l.filename,
            rows: format::number(l.rows.into()),
            uploaded: format::datetime(l.uploaded_at),
            by: l.by,
        }
    }
}

pub struct RowView {
    pub nik: String,
    pub roll_name: String,
    pub kpu_name: String,
    pub roll_tps: String,
    pub kpu_tps: String,
    pub note: String,
}

impl RowView {
    /// The row as `scope` may see it: the NIK through `nik`, other facilities named only
    /// within the scope.
    pub fn new(r: Row, nik: NikView, scope: &Scope) -> RowView {
        RowView {
            nik: nik.show(&r.nik),
            roll_name: r.roll_name.unwrap_or_default(),
            kpu_name: r.kpu_name.unwrap_or_default(),
            roll_tps: r.roll_tps.map(|t| t.to_string()).unwrap_or_default(),
            kpu_tps: r.kpu_tps.map(|t| t.to_string()).unwrap_or_default(),
            note: r.whereabouts.note(scope),
        }
    }

    /// The row as a line of the group's CSV.
    pub fn cells(self) -> [String; 6] {
        [
            self.nik,
            self.roll_name,
            self.kpu_name,
            self.roll_tps,
            self.kpu_tps,
            self.note,
        ]
    }
}

pub const CSV_COLUMNS: [&str; 6] = [
    "nik",
    "nama_daftar_wbp",
    "nama_kpu",
    "tps_daftar_wbp",
    "tps_kpu",
    "keterangan",
];

pub struct GroupView {
    pub slug: &'static str,
    pub label: &'static str,
    pub count: String,
    pub shown: usize,
    pub rows: Vec<RowView>,
    pub alarm: bool,
}

impl GroupView {
    pub fn new(g: Group, counts: &Counts, rows: Vec<RowView>) -> GroupView {
        GroupView {
            slug: g.slug(),
            label: g.label(),
            count: format::number(counts.of(g)),
            shown: rows.len(),
            alarm: g != Group::Matched && counts.of(g) > 0,
            rows,
        }
    }
}

#[derive(Template)]
#[template(path = "reconcile/page.html")]
pub struct ReconcilePage {
    pub layout: Layout,
    pub place: Place,
    pub can_upload: bool,
    pub list: Option<ListInfo>,
    pub groups: Vec<GroupView>,
    pub errors: Vec<RowError>,
    pub q: String,
}
