//! The voter form: its fields named like the import file's columns (Indonesian at the
//! boundary), checked by the same rules as a row of the file.

use serde::Deserialize;

use crate::domain::roll_file::{Column, Header, VoterRow, parse_row};
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
}

fn yes_no(b: bool) -> String {
    if b { "Y" } else { "N" }.to_owned()
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
            tanggal_bebas: v.release_date.map(|d| d.to_string()).unwrap_or_default(),
            daftar: v
                .list
                .map(|l| l.file_value().to_owned())
                .unwrap_or_default(),
            tempat_lahir: v.birth_place.unwrap_or_default(),
            no_registrasi: v.registration_no.unwrap_or_default(),
            disabilitas: v.disability.unwrap_or_default(),
            ktp_el: v.ktp_el.map(yes_no).unwrap_or_default(),
        }
    }

    fn record(&self) -> csv::StringRecord {
        csv::StringRecord::from(vec![
            self.nik.as_str(),
            &self.nama,
            &self.tanggal_lahir,
            &self.jenis_kelamin,
            &self.status,
            &self.status_perkawinan,
            &self.kode_wilayah_asal,
            &self.hak_pilih_dicabut,
            &self.tanggal_bebas,
            &self.daftar,
            &self.tempat_lahir,
            &self.no_registrasi,
            &self.disabilitas,
            &self.ktp_el,
        ])
    }

    /// The same checks as a row of the import file; the messages name their field.
    pub fn validate(&self) -> Result<VoterRow, Vec<String>> {
        let header = Header::parse(Column::ALL.iter().map(|c| c.name())).expect("all columns");
        let today = time::OffsetDateTime::now_utc().date();
        parse_row(&header, &self.record(), 0, today).map_err(|errs| {
            errs.into_iter()
                .map(|e| format!("{}: {}", e.column, e.message))
                .collect()
        })
    }
}
