//! The roll file's columns and its header row.

use std::collections::HashMap;

use crate::domain::csv_file::match_header;

/// The columns of the import file, a stable contract (README "Roll import file").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Nik,
    Nama,
    TanggalLahir,
    JenisKelamin,
    Status,
    StatusPerkawinan,
    KodeWilayahAsal,
    HakPilihDicabut,
    TanggalBebas,
    Daftar,
    TempatLahir,
    NoRegistrasi,
    Disabilitas,
    KtpEl,
    TanggalMasuk,
    AsalTps,
    AsalDesa,
    TanggalFormulir,
    /// KPU's TPS number for a DPT voter.
    Tps,
}

impl Column {
    pub const ALL: [Column; 19] = [
        Column::Nik,
        Column::Nama,
        Column::TanggalLahir,
        Column::JenisKelamin,
        Column::Status,
        Column::StatusPerkawinan,
        Column::KodeWilayahAsal,
        Column::HakPilihDicabut,
        Column::TanggalBebas,
        Column::Daftar,
        Column::TempatLahir,
        Column::NoRegistrasi,
        Column::Disabilitas,
        Column::KtpEl,
        Column::TanggalMasuk,
        Column::AsalTps,
        Column::AsalDesa,
        Column::TanggalFormulir,
        Column::Tps,
    ];
    const REQUIRED: [Column; 5] = [
        Column::Nik,
        Column::Nama,
        Column::TanggalLahir,
        Column::JenisKelamin,
        Column::Status,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Column::Nik => "nik",
            Column::Nama => "nama",
            Column::TanggalLahir => "tanggal_lahir",
            Column::JenisKelamin => "jenis_kelamin",
            Column::Status => "status",
            Column::StatusPerkawinan => "status_perkawinan",
            Column::KodeWilayahAsal => "kode_wilayah_asal",
            Column::HakPilihDicabut => "hak_pilih_dicabut",
            Column::TanggalBebas => "tanggal_bebas",
            Column::Daftar => "daftar",
            Column::TempatLahir => "tempat_lahir",
            Column::NoRegistrasi => "no_registrasi",
            Column::Disabilitas => "disabilitas",
            Column::KtpEl => "ktp_el",
            Column::TanggalMasuk => "tanggal_masuk",
            Column::AsalTps => "asal_tps",
            Column::AsalDesa => "asal_desa",
            Column::TanggalFormulir => "tanggal_formulir",
            Column::Tps => "tps",
        }
    }
}

/// Where each known column sits in a row.
#[derive(Debug, Clone)]
pub struct Header {
    positions: HashMap<Column, usize>,
}

impl Header {
    /// Reads the header row: names case-insensitive, any order (matched as every uploaded
    /// file's header is, [`match_header`]). Unknown columns are ignored; a missing required
    /// column or a column named twice is an error.
    pub fn parse<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<Header, String> {
        let wanted: Vec<(&'static str, &[&str])> =
            Column::ALL.iter().map(|c| (c.name(), &[][..])).collect();
        let found = match_header(names, &wanted)?;
        let positions: HashMap<Column, usize> = Column::ALL
            .iter()
            .zip(found)
            .filter_map(|(c, at)| Some((*c, at?)))
            .collect();
        let missing: Vec<&str> = Column::REQUIRED
            .iter()
            .filter(|c| !positions.contains_key(c))
            .map(|c| c.name())
            .collect();
        if !missing.is_empty() {
            return Err(format!(
                "kolom wajib tidak ada di baris judul: {}",
                missing.join(", ")
            ));
        }
        Ok(Header { positions })
    }

    /// The trimmed value of `col` in `record` (empty when the column or cell is absent).
    pub fn get<'a>(&self, record: &'a csv::StringRecord, col: Column) -> &'a str {
        self.positions
            .get(&col)
            .and_then(|&i| record.get(i))
            .map_or("", str::trim)
    }
}
