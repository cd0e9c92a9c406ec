//! `/bantuan`: help in Bahasa Indonesia for the role of whoever reads it — the import file,
//! what each flag means and what to do about it, the deadlines of the election, who to call.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Html;
use axum::routing::get;

use crate::domain::access::Role;
use crate::domain::format;
use crate::domain::roll_file::Column;
use crate::http::AppState;
use crate::http::error::Result;
use crate::http::layout::Layout;
use crate::http::session::CurrentUser;
use crate::read::elections::{self, ElectionQuery};

pub fn router() -> Router<AppState> {
    Router::new().route("/bantuan", get(page))
}

/// A flag on the roll: what it says and what the registrar does about it.
pub struct FlagHelp {
    pub label: &'static str,
    pub meaning: &'static str,
    pub action: &'static str,
}

const FLAGS: [FlagHelp; 8] = [
    FlagHelp {
        label: "Tanpa NIK",
        meaning: "NIK kosong atau nol semua. WBP tetap di daftar tetapi belum dapat memilih.",
        action: "Kirim daftar Disdukcapil untuk perekaman NIK / KTP-el; isi NIK setelah terbit.",
    },
    FlagHelp {
        label: "NIK rusak",
        meaning: "NIK tidak 16 angka, berisi huruf, kode provinsi tidak dikenal, tanggal tidak \
                  mungkin, nomor urut 0000, atau rusak oleh spreadsheet (1.67101E+15).",
        action: "Ambil NIK dari SDP atau KTP-el dan simpan kolom NIK sebagai teks di \
                 spreadsheet; bila tidak ada, masuk daftar Disdukcapil.",
    },
    FlagHelp {
        label: "NIK tidak cocok",
        meaning: "Tanggal lahir atau jenis kelamin di NIK berbeda dengan data registrasi. WBP \
                  tetap dapat memilih.",
        action: "Periksa data registrasi; bila NIK yang salah, minta Disdukcapil memverifikasi.",
    },
    FlagHelp {
        label: "Wilayah dari NIK",
        meaning: "Alamat KTP-el kosong, sehingga wilayah asal diambil dari NIK (tempat NIK \
                  pertama terbit, belum tentu alamat sekarang).",
        action: "Isi kode_wilayah_asal dari alamat KTP-el: surat suara DPTb/DPK bergantung padanya.",
    },
    FlagHelp {
        label: "DPK tanpa KTP-el",
        meaning: "Pemilih DPK tanpa KTP-el terekam.",
        action: "Minta KTP-el atau Suket dari Disdukcapil sebelum hari pemungutan.",
    },
    FlagHelp {
        label: "Terlambat",
        meaning: "Masuk fasilitas sesudah batas pindah memilih (H-30; tahanan H-7).",
        action: "Tanpa formulir pindah memilih, WBP hanya dapat memilih sebagai DPK.",
    },
    FlagHelp {
        label: "Perlu formulir pindah memilih",
        meaning: "Di DPTb atau belum di daftar mana pun, dan formulir Model A belum dicatat.",
        action: "Urus formulir ke PPS/KPU asal sebelum batas waktu; catat asal TPS, desa, \
                 tanggal dan alasan di formulir pemilih.",
    },
    FlagHelp {
        label: "TPS KPU di luar fasilitas",
        meaning: "Nomor TPS dari KPU untuk pemilih DPT ini bukan TPS fasilitas ini.",
        action: "Cocokkan dengan DPT KPU (rekonsiliasi); perbaiki kolom tps atau hubungi KPU.",
    },
];

#[derive(Template)]
#[template(path = "help/help.html")]
struct HelpPage {
    layout: Layout,
    role: Role,
    columns: Vec<&'static str>,
    flags: &'static [FlagHelp],
    election: Option<Deadlines>,
}

struct Deadlines {
    name: String,
    voting_day: String,
    h30: String,
    h7: String,
}

async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<ElectionQuery>,
) -> Result<Html<String>> {
    let election = match elections::selected(&state.db, &q).await? {
        Some(e) => {
            let d = sqlx::query!(
                "select transfer_deadline, detainee_transfer_deadline from elections where id = $1",
                e.id
            )
            .fetch_one(&state.db)
            .await?;
            Some(Deadlines {
                voting_day: e.voting_day_text(),
                name: e.name,
                h30: format::date(d.transfer_deadline),
                h7: format::date(d.detainee_transfer_deadline),
            })
        }
        None => None,
    };
    let page = HelpPage {
        layout: user.layout(),
        role: user.role,
        columns: Column::ALL.iter().map(|c| c.name()).collect(),
        flags: &FLAGS,
        election,
    };
    Ok(Html(page.render()?))
}
