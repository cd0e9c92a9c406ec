//! The voter form: its fields named like the import file's columns (Indonesian at the
//! boundary), checked by the same rules as a row of the file.

use serde::Deserialize;
use time::Date;

use crate::domain::roll_file::{Column, Header, VoterRow, parse_row};
use crate::domain::vote_move::FormReason;
use crate::domain::voter::MaritalStatus;

#[derive(Debug, Default, Deserialize)]
pub struct VoterForm {
    #[serde(default)]
    pub nik: String,
    #[serde(default)]
    pub nama: String,
    #[serde(default)]
    pub tanggal_lahir: String,
    #[serde(default)]
    pub jenis_kelamin: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub status_perkawinan: String,
    #[serde(default)]
    pub kode_wilayah_asal: String,
    #[serde(default)]
    pub hak_pilih_dicabut: String,
    #[serde(default)]
    pub tanggal_bebas: String,
    #[serde(default)]
    pub daftar: String,
    #[serde(default)]
    pub tempat_lahir: String,
    #[serde(default)]
    pub no_registrasi: String,
    #[serde(default)]
    pub disabilitas: String,
    #[serde(default)]
    pub ktp_el: String,
    #[serde(default)]
    pub tanggal_masuk: String,
    #[serde(default)]
    pub asal_tps: String,
    #[serde(default)]
    pub asal_desa: String,
    #[serde(default)]
    pub tanggal_formulir: String,
    /// The pindah memilih reason ([`FormReason::form_value`]); not a column of the file.
    #[serde(default)]
    pub alasan_pindah: String,
    /// KPU's TPS number (DPT voters).
    #[serde(default)]
    pub tps: String,
}

fn yes_no(b: bool) -> String {
    if b { "Y" } else { "N" }.to_owned()
}

fn date_text(d: Option<Date>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

impl VoterForm {
    /// The empty form for a new voter.
    pub fn blank() -> VoterForm {
        VoterForm {
            status_perkawinan: MaritalStatus::NeverMarried.file_value().into(),
            hak_pilih_dicabut: "N".into(),
            ..VoterForm::default()
        }
    }

    /// The form filled with a stored voter.
    pub fn of(v: VoterRow) -> VoterForm {
        VoterForm {
            // A broken NIK is shown as the file wrote it, to be corrected.
            nik: v.nik.or(v.nik_raw).unwrap_or_default(),
            nama: v.name,
            tanggal_lahir: v.birth_date.to_string(),
            jenis_kelamin: v.sex.as_str().to_owned(),
            status: v.legal_status.file_value().to_owned(),
            status_perkawinan: v.marital_status.file_value().to_owned(),
            kode_wilayah_asal: if v.home_from_nik {
                String::new()
            } else {
                v.home_region_code.unwrap_or_default()
            },
            hak_pilih_dicabut: yes_no(v.rights_revoked),
            tanggal_bebas: date_text(v.release_date),
            daftar: v
                .list
                .map(|l| l.file_value().to_owned())
                .unwrap_or_default(),
            tempat_lahir: v.birth_place.unwrap_or_default(),
            no_registrasi: v.registration_no.unwrap_or_default(),
            disabilitas: v.disability.unwrap_or_default(),
            ktp_el: v.ktp_el.map(yes_no).unwrap_or_default(),
            tanggal_masuk: date_text(v.admitted_on),
            asal_tps: v.form_origin_tps.unwrap_or_default(),
            asal_desa: v.form_origin_desa.unwrap_or_default(),
            tanggal_formulir: date_text(v.form_date),
            tps: v.kpu_tps.map(|n| n.to_string()).unwrap_or_default(),
            alasan_pindah: v
                .form_reason
                .map(|r| r.form_value().to_owned())
                .unwrap_or_default(),
        }
    }

    /// The field named like the file's column `col`.
    fn value(&self, col: Column) -> &str {
        match col {
            Column::Nik => &self.nik,
            Column::Nama => &self.nama,
            Column::TanggalLahir => &self.tanggal_lahir,
            Column::JenisKelamin => &self.jenis_kelamin,
            Column::Status => &self.status,
            Column::StatusPerkawinan => &self.status_perkawinan,
            Column::KodeWilayahAsal => &self.kode_wilayah_asal,
            Column::HakPilihDicabut => &self.hak_pilih_dicabut,
            Column::TanggalBebas => &self.tanggal_bebas,
            Column::Daftar => &self.daftar,
            Column::TempatLahir => &self.tempat_lahir,
            Column::NoRegistrasi => &self.no_registrasi,
            Column::Disabilitas => &self.disabilitas,
            Column::KtpEl => &self.ktp_el,
            Column::TanggalMasuk => &self.tanggal_masuk,
            Column::AsalTps => &self.asal_tps,
            Column::AsalDesa => &self.asal_desa,
            Column::TanggalFormulir => &self.tanggal_formulir,
            Column::Tps => &self.tps,
        }
    }

    fn record(&self) -> csv::StringRecord {
        Column::ALL.iter().map(|&c| self.value(c)).collect()
    }

    /// The pindah memilih reason: one of the law's, and only with the form's origin TPS.
    fn reason(&self) -> Result<Option<FormReason>, String> {
        match self.alasan_pindah.trim() {
            "" => Ok(None),
            s => match FormReason::from_form(s) {
                None => Err(format!(
                    "alasan_pindah: alasan pindah memilih \"{s}\" tidak dikenal"
                )),
                Some(_) if self.asal_tps.trim().is_empty() => {
                    Err("asal_tps: asal TPS wajib diisi bila alasan pindah memilih diisi".into())
                }
                reason => Ok(reason),
            },
        }
    }

    /// The same checks as a row of the import file (dates bounded by `today`), and the
    /// reason; the messages name their field.
    pub fn validate(&self, today: Date) -> Result<VoterRow, Vec<String>> {
        let header = Header::parse(Column::ALL.iter().map(|c| c.name())).expect("all columns");
        let row = parse_row(&header, &self.record(), 0, today).map_err(|errs| {
            errs.into_iter()
                .map(|e| format!("{}: {}", e.column, e.message))
                .collect::<Vec<_>>()
        });
        match (row, self.reason()) {
            (Ok(mut row), Ok(reason)) => {
                row.form_reason = reason;
                Ok(row)
            }
            (row, reason) => Err(row
                .err()
                .unwrap_or_default()
                .into_iter()
                .chain(reason.err())
                .collect()),
        }
    }
}
