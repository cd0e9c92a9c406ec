//! Reading a dapil file (`election, contest, dapil code, dapil name, region code`): every
//! row checked, rows numbered as a spreadsheet shows them (the header is row 1).

use std::collections::HashMap;

use crate::domain::ballots::Contest;
use crate::domain::csv_file::{RowError, csv_reader, first_line, match_header};
use crate::domain::nik::PROVINCE_CODES;
use crate::domain::region::{Level, RegionCode};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DapilRow {
    pub line: u64,
    pub election: String,
    pub contest: Contest,
    pub code: String,
    pub name: String,
    pub region: String,
}

const COLUMNS: [(&str, &[&str]); 5] = [
    ("election", &["pemilihan"]),
    ("contest", &["jenis_pemilihan", "kontestasi"]),
    ("dapil_code", &["kode_dapil"]),
    ("dapil_name", &["nama_dapil"]),
    ("region_code", &["kode_wilayah"]),
];

/// A region code at any level in dotted form: province (`16`), kab/kota (`16.73`, `1673`),
/// kecamatan (`16.73.01`, `167301`) or desa (`16.73.01.1001`, `1673011001`). A DPRD
/// Kab/Kota area is a kecamatan or a desa (Pasal 192(1)); DPR and DPRD Provinsi areas may be
/// any of them. Whether the region exists is checked against the reference on import.
fn region(s: &str, contest: Contest) -> Option<String> {
    let code = RegionCode::parse(s)?;
    let small_enough =
        contest != Contest::DprdKabkota || matches!(code.level(), Level::Kecamatan | Level::Desa);
    (PROVINCE_CODES.contains(&code.province()) && small_enough).then(|| code.into_string())
}

/// Each column's position in the header row; an error on row 1 when one is missing.
fn header_positions(headers: &csv::StringRecord) -> Result<[usize; 5], RowError> {
    let found = match_header(headers.iter(), &COLUMNS).map_err(|m| {
        let mut m = m;
        m[..1].make_ascii_uppercase();
        RowError::new(1, "", format!("{m}."))
    })?;
    let missing: Vec<&str> = COLUMNS
        .iter()
        .zip(&found)
        .filter(|(_, p)| p.is_none())
        .map(|((n, _), _)| *n)
        .collect();
    if !missing.is_empty() {
        return Err(RowError::new(
            1,
            "",
            format!(
                "Kolom wajib tidak ada di baris judul: {}.",
                missing.join(", ")
            ),
        ));
    }
    let mut positions = [0; 5];
    for (p, f) in positions.iter_mut().zip(found) {
        *p = f.unwrap_or_default();
    }
    Ok(positions)
}

/// A dapil: (election, contest, code).
type Key = (String, Contest, String);

/// What the rows read so far say, to check each new row against.
#[derive(Default)]
struct Seen {
    names: HashMap<Key, String>,
    boundaries: HashMap<Key, String>,
    regions: HashMap<(String, Contest, String), (String, u64)>,
}

/// One data row's fields (trimmed), checked on their own.
fn check_fields(line: u64, get: impl Fn(usize) -> String) -> Result<DapilRow, RowError> {
    let err = |column, message: &str| RowError::new(line, column, message);
    if let Some(c) = (0..COLUMNS.len()).find(|&c| get(c).contains('\0')) {
        return Err(err(
            COLUMNS[c].0,
            "Memuat karakter NUL yang tidak diizinkan.",
        ));
    }
    let election = get(0).to_lowercase();
    if election.is_empty() {
        return Err(err(
            "election",
            "Pemilihan (slug, misalnya pemilu-2024) wajib diisi.",
        ));
    }
    let contest = Contest::parse(&get(1))
        .ok_or_else(|| err("contest", "Jenis harus dpr, dprd_prov atau dprd_kabkota."))?;
    let code = get(2);
    if code.is_empty() || code.chars().count() > 60 {
        return Err(err(
            "dapil_code",
            "Kode dapil wajib diisi (paling banyak 60 karakter).",
        ));
    }
    let name = get(3);
    if name.is_empty() || name.chars().count() > 200 {
        return Err(err(
            "dapil_name",
            "Nama dapil wajib diisi (paling banyak 200 karakter).",
        ));
    }
    let Some(region) = region(&get(4), contest) else {
        let want = if contest == Contest::DprdKabkota {
            "kode kecamatan atau desa/kelurahan, misalnya 16.73.01 atau 16.73.01.1001"
        } else {
            "kode wilayah Kemendagri, misalnya 16, 16.73, 16.73.01 atau 16.73.01.1001"
        };
        return Err(err("region_code", &format!("Kode wilayah harus {want}.")));
    };
    Ok(DapilRow {
        line,
        election,
        contest,
        code,
        name,
        region,
    })
}

impl Seen {
    /// Checks a row against the rows before it: one name per dapil, dapils within their
    /// boundary, each region in one dapil.
    fn check(&mut self, r: &DapilRow) -> Result<(), RowError> {
        let err = |column, message: String| RowError::new(r.line, column, message);
        let key = (r.election.clone(), r.contest, r.code.clone());
        if let Some(n) = self.names.get(&key)
            && *n != r.name
        {
            let msg = format!(
                "Dapil {} sudah bernama \"{n}\" di baris sebelumnya.",
                r.code
            );
            return Err(err("dapil_name", msg));
        }
        self.names.insert(key.clone(), r.name.clone());
        // Dapils do not cross provinces (DPR, DPRD Provinsi) or kab/kota (DPRD Kab/Kota).
        let boundary = &r.region[..r.contest.boundary_len()];
        if let Some(b) = self.boundaries.get(&key)
            && b != boundary
        {
            let msg = format!("Dapil {} melewati batas wilayah {b}.", r.code);
            return Err(err("region_code", msg));
        }
        self.boundaries.insert(key, boundary.to_owned());
        let region = (r.election.clone(), r.contest, r.region.clone());
        // Areas of one contest overlap only when the same region is named twice; a smaller
        // area inside a larger one is how KPU splits a kab/kota or kecamatan.
        if let Some((other, at)) = self.regions.insert(region, (r.code.clone(), r.line)) {
            let msg = format!(
                "Wilayah {} tumpang tindih: sudah masuk dapil {other} (baris {at}).",
                r.region
            );
            return Err(err("region_code", msg));
        }
        Ok(())
    }
}

/// Reads a dapil file. Rows are numbered as a spreadsheet shows them (the header is row 1).
pub fn parse(content: &[u8]) -> Result<Vec<DapilRow>, Vec<RowError>> {
    let mut reader = csv_reader(first_line(content), content);
    let headers = reader
        .headers()
        .map_err(|_| {
            vec![RowError::new(
                1,
                "",
                "Baris judul tidak dapat dibaca (harus teks CSV UTF-8).",
            )]
        })?
        .clone();
    let positions = header_positions(&headers).map_err(|e| vec![e])?;
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut seen = Seen::default();
    for (i, record) in reader.records().enumerate() {
        let line = i as u64 + 2;
        let Ok(record) = record else {
            let msg = "Baris tidak dapat dibaca (harus teks CSV UTF-8).";
            errors.push(RowError::new(line, "", msg));
            continue;
        };
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let get = |c: usize| record.get(positions[c]).map_or("", str::trim).to_owned();
        match check_fields(line, get).and_then(|r| seen.check(&r).map(|()| r)) {
            Ok(r) => rows.push(r),
            Err(e) => errors.push(e),
        }
    }
    if rows.is_empty() && errors.is_empty() {
        errors.push(RowError::new(2, "", "Berkas tidak berisi baris data."));
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_good_file_in_either_separator() {
        let rows = parse(
            b"election;contest;dapil code;dapil name;region code\n\
              pemilu-2024;DPR;SUMSEL I;Sumatera Selatan I;1673\n\
              pemilu-2024;dprd_kabkota;LLG 1;Lubuklinggau 1;16.73.01\n",
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].region, "16.73");
        assert_eq!(rows[1].contest, Contest::DprdKabkota);
        assert_eq!(rows[1].region, "16.73.01");
    }

    #[test]
    fn each_bad_row_names_its_line_and_column() {
        let errors = parse(
            b"election,contest,dapil_code,dapil_name,region_code\n\
              pemilu-2024,dpr,A,Satu,16.73\n\
              pemilu-2024,dpd,B,Dua,16.71\n\
              pemilu-2024,dprd_kabkota,C,Tiga,16.73\n\
              pemilu-2024,dpr,D,Empat,16.73\n\
              pemilu-2024,dpr,A,Lain,16.71\n\
              pemilu-2024,dpr,A,Satu,31.71\n",
        )
        .unwrap_err();
        let got: Vec<(u64, &str)> = errors.iter().map(|e| (e.line, e.column)).collect();
        assert_eq!(
            got,
            vec![
                (3, "contest"),
                (4, "region_code"),
                (5, "region_code"),
                (6, "dapil_name"),
                (7, "region_code")
            ]
        );
    }

    #[test]
    fn areas_at_any_level_nest_but_do_not_repeat() {
        let rows = parse(
            b"election,contest,dapil_code,dapil_name,region_code\n\
              pemilu-2024,dprd_prov,DKI 5,Jakarta 5,31.75\n\
              pemilu-2024,dprd_prov,DKI 4,Jakarta 4,31.75.01\n\
              pemilu-2024,dprd_prov,DKI 4,Jakarta 4,3175021009\n\
              pemilu-2024,dprd_kabkota,X 1,Satu,16.73.01.1001\n",
        )
        .unwrap();
        let regions: Vec<&str> = rows.iter().map(|r| r.region.as_str()).collect();
        assert_eq!(
            regions,
            ["31.75", "31.75.01", "31.75.02.1009", "16.73.01.1001"]
        );
        let errors = parse(
            b"election,contest,dapil_code,dapil_name,region_code\n\
              pemilu-2024,dprd_prov,DKI 4,Jakarta 4,31.75.01\n\
              pemilu-2024,dprd_prov,DKI 5,Jakarta 5,31.75.01\n\
              pemilu-2024,dprd_prov,DKI 5,Jakarta 5,16.71\n\
              pemilu-2024,dprd_kabkota,X 1,Satu,16.73.01\n\
              pemilu-2024,dprd_kabkota,X 1,Satu,16.72.01\n",
        )
        .unwrap_err();
        let got: Vec<(u64, &str)> = errors.iter().map(|e| (e.line, e.column)).collect();
        assert_eq!(
            got,
            vec![(3, "region_code"), (4, "region_code"), (6, "region_code")]
        );
        assert!(
            errors[0].message.contains("tumpang tindih"),
            "{}",
            errors[0].message
        );
        assert!(
            errors[1].message.contains("melewati batas"),
            "{}",
            errors[1].message
        );
    }

    #[test]
    fn a_missing_column_is_reported_on_the_header() {
        let errors =
            parse(b"election,contest,dapil_code,region_code\nx,dpr,A,16.74\n").unwrap_err();
        assert_eq!(errors[0].line, 1);
        assert!(errors[0].message.contains("dapil_name"));
    }
}
