//! The dapil page: the dapils, the TPS they do not cover yet, and the rows of a refused
//! file.

use askama::Template;

use super::queries::{Coverage, DapilLine};
use crate::domain::ballots::Contest;
use crate::domain::csv_file::RowError;
use crate::http::layout::Layout;
use crate::read::elections::Election;

pub struct DapilView {
    pub contest: &'static str,
    pub code: String,
    pub name: String,
    pub regions: Vec<String>,
    pub illustrative: bool,
}

impl From<DapilLine> for DapilView {
    fn from(d: DapilLine) -> Self {
        DapilView {
            contest: Contest::parse(&d.contest).map_or("", Contest::label),
            code: d.code,
            name: d.name,
            regions: d.regions,
            illustrative: d.illustrative,
        }
    }
}

pub struct GapView {
    pub facility_code: String,
    pub facility_name: String,
    pub tps_number: i32,
    pub location: String,
    pub missing: Vec<&'static str>,
}

impl GapView {
    /// What the TPS lacks, or `None` when every contest's dapil covers it.
    pub fn of(s: Coverage) -> Option<GapView> {
        let missing: Vec<&'static str> = match &s.location_code {
            None => vec!["lokasi TPS belum diisi"],
            Some(_) => [
                (s.dpr, "DPR"),
                (s.prov, "DPRD Provinsi"),
                (s.kab, "DPRD Kab/Kota"),
            ]
            .into_iter()
            .filter(|(ok, _)| !ok)
            .map(|(_, l)| l)
            .collect(),
        };
        (!missing.is_empty()).then(|| GapView {
            facility_code: s.code,
            facility_name: s.name,
            tps_number: s.tps_number,
            location: s.location_code.unwrap_or_default(),
            missing,
        })
    }
}

#[derive(Template)]
#[template(path = "stations/dapils.html")]
pub struct DapilsPage {
    pub layout: Layout,
    pub election: Option<Election>,
    pub is_admin: bool,
    pub dapils: Vec<DapilView>,
    pub gaps: Vec<GapView>,
    pub checked: usize,
    pub errors: Vec<RowError>,
    pub imported: Option<String>,
}
