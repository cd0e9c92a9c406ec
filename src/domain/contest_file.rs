//! The contests file of a Pilkada (`contest,region_code`: `gubernur,16`,
//! `bupati_walikota,16.73`): one row per contest, a Gubernur contest per province and a
//! Bupati/Walikota contest per kab/kota that holds one. Rows are numbered as a spreadsheet
//! shows them (the header is row 1). Whether a code exists in the region reference is the
//! database's to say; everything else is checked here.

use std::collections::HashMap;

use crate::domain::ballots::BallotType;
use crate::domain::csv_file::{RowError, csv_reader, first_line, match_header};
use crate::domain::eligibility::within;
use crate::domain::region::{Level, RegionCode};

/// What a Pilkada elects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Contest {
    Gubernur,
    BupatiWalikota,
}

/// Provinces that elect no governor: DI Yogyakarta's is the reigning Sultan (UU 13/2012).
const NO_GOVERNOR_ELECTION: [&str; 1] = ["34"];
/// Provinces whose kab/kota elect no head: DKI Jakarta's are administrative (UU 29/2007).
const NO_REGENT_ELECTION: [&str; 1] = ["31"];

impl Contest {
    pub fn parse(s: &str) -> Option<Contest> {
        match s.trim().to_lowercase().replace([' ', '/'], "_").as_str() {
            "gubernur" => Some(Contest::Gubernur),
            "bupati_walikota" => Some(Contest::BupatiWalikota),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        self.ballot().as_str()
    }

    /// The ballot this contest is voted on.
    pub fn ballot(self) -> BallotType {
        match self {
            Contest::Gubernur => BallotType::Gubernur,
            Contest::BupatiWalikota => BallotType::BupatiWalikota,
        }
    }

    /// The region code of a contest: a province (`16`) for Gubernur, a kab/kota (`16.73`
    /// or `1673`) for Bupati/Walikota; dotted.
    fn region(self, s: &str) -> Option<String> {
        let code = RegionCode::parse(s)?;
        let level = match self {
            Contest::Gubernur => Level::Province,
            Contest::BupatiWalikota => Level::KabKota,
        };
        (code.level() == level).then(|| code.into_string())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContestRow {
    pub line: u64,
    pub contest: Contest,
    /// Dotted Kemendagri code: `16` or `16.73`.
    pub region: String,
}

const COLUMNS: [(&str, &[&str]); 2] = [
    ("contest", &["kontestasi", "pemilihan"]),
    ("region_code", &["kode_wilayah", "wilayah"]),
];

fn header(reader: &mut csv::Reader<&[u8]>) -> Result<[usize; 2], RowError> {
    let unreadable = || RowError::new(1, "", "Baris judul tidak dapat dibaca (harus CSV UTF-8).");
    let headers = reader.headers().map_err(|_| unreadable())?;
    let found = match_header(headers.iter(), &COLUMNS)
        .map_err(|m| RowError::new(1, "", format!("Baris judul: {m}.")))?;
    match found[..] {
        [Some(contest), Some(region)] => Ok([contest, region]),
        _ => Err(RowError::new(
            1,
            "",
            "Baris judul harus memuat kolom contest dan region_code.",
        )),
    }
}

fn row(line: u64, contest: &str, region: &str) -> Result<ContestRow, RowError> {
    let contest = Contest::parse(contest).ok_or_else(|| {
        RowError::new(
            line,
            "contest",
            "Kontestasi harus gubernur atau bupati_walikota.",
        )
    })?;
    let err = |m: &str| RowError::new(line, "region_code", m);
    let region = contest.region(region).ok_or_else(|| match contest {
        Contest::Gubernur => err("Kontestasi gubernur memerlukan kode provinsi, misalnya 16."),
        Contest::BupatiWalikota => {
            err("Kontestasi bupati_walikota memerlukan kode kab/kota, misalnya 16.73.")
        }
    })?;
    let province = &region[..2];
    if contest == Contest::Gubernur && NO_GOVERNOR_ELECTION.contains(&province) {
        return Err(err(
            "Gubernur DI Yogyakarta ditetapkan, tidak dipilih (UU 13/2012).",
        ));
    }
    if contest == Contest::BupatiWalikota && NO_REGENT_ELECTION.contains(&province) {
        return Err(err(
            "Kota dan kabupaten administrasi DKI Jakarta tidak memilih kepala daerah (UU 29/2007).",
        ));
    }
    Ok(ContestRow {
        line,
        contest,
        region,
    })
}

/// Reads a contests file: every row checked on its own and against the rows before it.
pub fn parse(content: &[u8]) -> Result<Vec<ContestRow>, Vec<RowError>> {
    let mut reader = csv_reader(first_line(content), content);
    let [c, r] = header(&mut reader).map_err(|e| vec![e])?;
    let mut rows: Vec<ContestRow> = Vec::new();
    let mut errors = Vec::new();
    let mut seen: HashMap<(Contest, String), u64> = HashMap::new();
    for (i, record) in reader.records().enumerate() {
        let line = i as u64 + 2;
        let Ok(record) = record else {
            errors.push(RowError::new(
                line,
                "",
                "Baris tidak dapat dibaca (harus CSV UTF-8).",
            ));
            continue;
        };
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let get = |p: usize| record.get(p).unwrap_or_default();
        match row(line, get(c), get(r)) {
            Ok(row) => match seen.insert((row.contest, row.region.clone()), line) {
                Some(first) => errors.push(RowError::new(
                    line,
                    "",
                    format!("Kontestasi ini sudah ada di baris {first}."),
                )),
                None => rows.push(row),
            },
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// The rows an election cannot hold: a contest whose ballot it does not cast, or a region
/// outside the province of its own region (`region`, when it has one: a Pilkada of Kota
/// Lubuklinggau may gain the Gubernur contest of Sumatera Selatan, not one in Jambi).
pub fn misfits(rows: &[ContestRow], ballots: &[BallotType], region: Option<&str>) -> Vec<RowError> {
    let mut errors = Vec::new();
    for r in rows {
        if !ballots.contains(&r.contest.ballot()) {
            let msg = format!(
                "Pemilihan ini tidak memakai surat suara {}.",
                r.contest.as_str()
            );
            errors.push(RowError::new(r.line, "contest", msg));
        } else if let Some(outer) = region.filter(|o| !within(&r.region, &o[..2])) {
            let msg = format!(
                "Wilayah {} di luar wilayah pemilihan ini ({outer}).",
                r.region
            );
            errors.push(RowError::new(r.line, "region_code", msg));
        }
    }
    errors
}

/// The smallest region holding every contest: the kab/kota of a Pilkada that elects only
/// its Bupati/Walikota, the province when all contests lie in one, none otherwise.
pub fn common_region(rows: &[ContestRow]) -> Option<String> {
    let first = &rows.first()?.region;
    if rows.iter().all(|r| &r.region == first) {
        return Some(first.clone());
    }
    let province = &first[..2];
    rows.iter()
        .all(|r| &r.region[..2] == province)
        .then(|| province.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(errors: &[RowError]) -> Vec<(u64, &str)> {
        errors.iter().map(|e| (e.line, e.column)).collect()
    }

    #[test]
    fn reads_contests_with_dotted_or_plain_codes() {
        let rows = parse(b"contest,region_code\ngubernur,16\nBupati/Walikota,1673\n").unwrap();
        assert_eq!(rows[1].region, "16.73");
        assert_eq!(rows[1].contest, Contest::BupatiWalikota);
        assert_eq!(common_region(&rows).as_deref(), Some("16"));
        let town = parse(b"contest,region_code\nbupati_walikota,16.73\n").unwrap();
        assert_eq!(common_region(&town).as_deref(), Some("16.73"));
        // A town's Pilkada may gain its province's Gubernur contest, not another province's.
        let both = parse(b"contest,region_code\ngubernur,16\nbupati_walikota,16.73\n").unwrap();
        let ballots = [BallotType::Gubernur, BallotType::BupatiWalikota];
        assert!(misfits(&both, &ballots, Some("16.73")).is_empty());
        let semicolons = parse(b"kode_wilayah;kontestasi\n16.73;bupati_walikota\n").unwrap();
        assert_eq!(semicolons[0].region, "16.73");
    }

    #[test]
    fn refuses_each_bad_row_with_its_number() {
        let errors = parse(
            b"contest,region_code\n\
              gubernur,16.73\n\
              bupati_walikota,16\n\
              walikota,16.71\n\
              gubernur,16\n\
              gubernur,16\n\
              bupati_walikota,31.71\n\
              gubernur,34\n\
              bupati_walikota,16.7.3\n",
        )
        .unwrap_err();
        assert_eq!(
            lines(&errors),
            [
                (2, "region_code"),
                (3, "region_code"),
                (4, "contest"),
                (6, ""),
                (7, "region_code"),
                (8, "region_code"),
                (9, "region_code"),
            ]
        );
        assert!(parse(b"contest\ngubernur\n").is_err());
    }

    #[test]
    fn misfits_are_other_ballots_and_regions_outside() {
        let rows = parse(b"contest,region_code\ngubernur,16\nbupati_walikota,31.71\n");
        // 31.71 is refused on its own (DKI); use another province's kab/kota.
        assert!(rows.is_err());
        let rows = parse(b"contest,region_code\ngubernur,16\nbupati_walikota,18.71\n").unwrap();
        assert_eq!(common_region(&rows), None);
        let found = misfits(&rows, &[BallotType::BupatiWalikota], Some("18"));
        assert_eq!(lines(&found), [(2, "contest")]);
        let found = misfits(
            &rows,
            &[BallotType::Gubernur, BallotType::BupatiWalikota],
            Some("16"),
        );
        assert_eq!(lines(&found), [(3, "region_code")]);
        assert!(
            misfits(
                &rows,
                &[BallotType::Gubernur, BallotType::BupatiWalikota],
                None
            )
            .is_empty()
        );
        assert!(!within("16.73", "16.7"));
    }
}
