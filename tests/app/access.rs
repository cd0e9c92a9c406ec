//! Roles and scopes against every route: allowed, 404 outside the scope, 403 for a forbidden
//! action on a visible object, and the login page for visitors. New routes join `ROUTES`.

use loksus::domain::access::Role;
use reqwest::StatusCode;

use crate::helpers::{Browser, TestApp, row_cells};

/// The users every route is tried with, in the column order of `ROUTES`.
const WHO: [&str; 7] = [
    "anonymous",
    "admin",
    "kanwil-16",
    "kanwil-31",
    "registrar-lubuklinggau",
    "kpu-16",
    "kpu-national",
];

const OK: u16 = 200;
const LOGIN: u16 = 303; // redirect to the login page
/// A visitor without a session has no session CSRF token: every form but the login form is
/// refused before it reaches a handler.
const CSRF: u16 = 403;
const NF: u16 = 404;
const FB: u16 = 403;
const FORM: u16 = 303; // a successful form post redirects to the result
const DUP: u16 = 422; // allowed, but the same form was already saved by an earlier user
/// Allowed, but refused on purpose (a value out of range, an election with voters), so
/// that nothing changes for the rows after it.
const BAD: u16 = 422;
/// Allowed past the role and scope checks; the form itself was then refused or stale (400,
/// 409, 422), or done (200, 303). Forms that would change what later rows see are sent
/// stale or incomplete on purpose.
const AL: u16 = 0;

enum Req {
    Get(&'static str),
    /// A form submitted with a valid CSRF token.
    Post(&'static str, &'static [(&'static str, &'static str)]),
    /// A file uploaded as the multipart field `berkas` (the token in the URL), with fields.
    Upload(
        &'static str,
        &'static str,
        &'static [(&'static str, &'static str)],
    ),
}

const CIPINANG_FORM: &[(&str, &str)] = &[
    ("nama", "Lapas Kelas I Cipinang"),
    ("jenis", "lapas"),
    ("kelas", "I"),
    ("jumlah_wbp", "3000"),
];

/// Voter 1 as seeded by [`seed`]: saving it again changes nothing.
const VOTER_1_FORM: &[(&str, &str)] = &[
    ("nik", "1674014107920011"),
    ("nama", "Ani Lestari"),
    ("tanggal_lahir", "1992-07-01"),
    ("jenis_kelamin", "P"),
    ("status", "NAPI"),
];
const VOTER_5_FORM: &[(&str, &str)] = &[
    ("nik", "3172010101900015"),
    ("nama", "Joko Susilo"),
    ("tanggal_lahir", "1990-01-01"),
    ("jenis_kelamin", "L"),
    ("status", "NAPI"),
];
const STALE: &[(&str, &str)] = &[("versi", "0")];
const BAD_TURNOUT: &[(&str, &str)] = &[("memilih_dpt", "x")];
const ROLL_FILE: &str = "nik,nama,tanggal_lahir,jenis_kelamin,status\n,Andi,2000-01-01,L,NAPI\n";
const KPU_FILE: &str = "nik,nama,tps\n1674014107920011,Ani Lestari,1\n";
const DAPIL_FILE: &str = "election,contest,dapil code,dapil name,region code\n";
const CONTEST_FILE: &str = "contest,region_code\ngubernur,16\n";
const ELECTION_FORM: &[(&str, &str)] = &[
    ("slug", "pilkada-2024"),
    ("nama", "Pilkada 2024"),
    ("jenis", "pilkada"),
    ("hari_pemungutan", "2024-11-27"),
    ("maks_pemilih", "0"),
];

const FACILITY_FORM: &[(&str, &str)] = &[
    ("nama", "Lapas Kelas IIA Lubuklinggau"),
    ("jenis", "lapas"),
    ("kelas", "IIA"),
    ("jumlah_wbp", "1160"),
];

/// A new facility in Kabupaten Musi Rawas Utara (Sumatera Selatan).
const NEW_FACILITY_FORM: &[(&str, &str)] = &[
    ("kode", "lapas-surulangun-rawas-2"),
    ("nama", "Lapas Kelas III Surulangun Rawas 2"),
    ("jenis", "lapas"),
    ("kelas", "III"),
    ("kabkota", "16.13"),
    ("jumlah_wbp", "10"),
];

const VOTER_FORM: &[(&str, &str)] = &[
    ("nik", "1674011508900001"),
    ("nama", "Budi Santoso"),
    ("tanggal_lahir", "1990-08-15"),
    ("jenis_kelamin", "L"),
    ("status", "NAPI"),
];

const INCIDENT_FORM: &[(&str, &str)] = &[
    ("kategori", "kamtib"),
    ("tingkat", "info"),
    ("waktu", "2024-02-14T09:00"),
    ("uraian", "Uji akses"),
];
const STATUS_FORM: &[(&str, &str)] = &[("status", "ditangani"), ("status_sekarang", "terbuka")];
const BRIEFING_FORM: &[(&str, &str)] = &[("tanggal", "2024-01-20"), ("jumlah_pegawai", "45")];

const ROUTES: &[(Req, [u16; 7])] = &[
    (Req::Get("/"), [LOGIN, OK, OK, OK, OK, OK, OK]),
    (Req::Get("/provinsi/16"), [LOGIN, OK, OK, NF, OK, OK, OK]),
    (Req::Get("/provinsi/31"), [LOGIN, OK, NF, OK, NF, NF, OK]),
    (
        Req::Get("/fasilitas/lapas-lubuklinggau"),
        [LOGIN, OK, OK, NF, OK, OK, OK],
    ),
    (
        Req::Get("/fasilitas/lapas-palembang"),
        [LOGIN, OK, OK, NF, NF, OK, OK],
    ),
    (
        Req::Get("/fasilitas/lapas-cipinang"),
        [LOGIN, OK, NF, OK, NF, NF, OK],
    ),
    (
        Req::Get("/fasilitas/lapas-lubuklinggau/ubah"),
        [LOGIN, OK, OK, NF, FB, FB, FB],
    ),
    (Req::Get("/fasilitas/baru"), [LOGIN, OK, OK, OK, FB, FB, FB]),
    (
        Req::Get("/fasilitas/lapas-cipinang/ubah"),
        [LOGIN, OK, NF, OK, NF, NF, FB],
    ),
    (Req::Get("/admin/pengguna"), [LOGIN, OK, FB, FB, FB, FB, FB]),
    (
        Req::Get("/admin/pemilihan"),
        [LOGIN, OK, FB, FB, FB, FB, FB],
    ),
    (
        Req::Get("/admin/pemilihan/pemilu-2024"),
        [LOGIN, OK, FB, FB, FB, FB, FB],
    ),
    (
        Req::Get("/admin/pemilihan/tidak-ada"),
        [LOGIN, NF, FB, FB, FB, FB, FB],
    ),
    (Req::Get("/audit"), [LOGIN, OK, OK, OK, FB, FB, FB]),
    (Req::Get("/bantuan"), [LOGIN, OK, OK, OK, OK, OK, OK]),
    (
        Req::Get("/fasilitas/lapas-lubuklinggau/daftar"),
        [LOGIN, OK, OK, NF, OK, FB, FB],
    ),
    (
        Req::Get("/fasilitas/lapas-palembang/daftar"),
        [LOGIN, OK, OK, NF, NF, FB, FB],
    ),
    (
        Req::Get("/fasilitas/lapas-cipinang/daftar"),
        [LOGIN, OK, NF, OK, NF, NF, FB],
    ),
    (
        Req::Get("/fasilitas/lapas-lubuklinggau/daftar/impor"),
        [LOGIN, FB, FB, NF, OK, FB, FB],
    ),
    (
        Req::Get("/fasilitas/lapas-lubuklinggau/daftar/baru"),
        [LOGIN, FB, FB, NF, OK, FB, FB],
    ),
    (
        Req::Get("/fasilitas/lapas-palembang/daftar/baru"),
        [LOGIN, FB, FB, NF, NF, FB, FB],
    ),
    (
        Req::Get("/fasilitas/lapas-lubuklinggau/pindah-memilih"),
        [LOGIN, OK, OK, NF, OK, FB, FB],
    ),
    (
        Req::Get("/fasilitas/lapas-cipinang/pindah-memilih"),
        [LOGIN, OK, NF, OK, NF, NF, FB],
    ),
    (
        Req::Get("/fasilitas/lapas-lubuklinggau/disdukcapil"),
        [LOGIN, OK, OK, NF, OK, FB, FB],
    ),
    (
        Req::Get("/fasilitas/lapas-lubuklinggau/disdukcapil.csv"),
        [LOGIN, OK, OK, NF, OK, FB, FB],
    ),
    (
        Req::Get("/templat-daftar.csv"),
        [LOGIN, OK, OK, OK, OK, OK, OK],
    ),
    (
        Req::Get("/provinsi/16/tps"),
        [LOGIN, OK, OK, NF, OK, OK, OK],
    ),
    (
        Req::Get("/provinsi/31/tps"),
        [LOGIN, OK, NF, OK, NF, NF, OK],
    ),
    (
        Req::Get("/provinsi/31/kesiapan"),
        [LOGIN, OK, NF, OK, NF, NF, OK],
    ),
    (
        Req::Get("/provinsi/16/kesiapan"),
        [LOGIN, OK, OK, NF, OK, OK, OK],
    ),
    (
        Req::Get("/fasilitas/lapas-lubuklinggau/tps/1"),
        [LOGIN, OK, OK, NF, OK, OK, OK],
    ),
    (
        Req::Get("/fasilitas/lapas-palembang/tps/901"),
        [LOGIN, OK, OK, NF, NF, OK, OK],
    ),
    (
        Req::Get("/fasilitas/lapas-cipinang/tps/901"),
        [LOGIN, OK, NF, OK, NF, NF, OK],
    ),
    (
        Req::Get("/fasilitas/lapas-lubuklinggau/tps/99"),
        [LOGIN, NF, NF, NF, NF, NF, NF],
    ),
    (
        Req::Get("/fasilitas/lapas-lubuklinggau/tps/1/cetak"),
        [LOGIN, OK, OK, NF, OK, OK, OK],
    ),
    (
        Req::Get("/fasilitas/lapas-cipinang/tps/901/cetak"),
        [LOGIN, OK, NF, OK, NF, NF, OK],
    ),
    (
        Req::Get("/fasilitas/lapas-lubuklinggau/tps/baru"),
        [LOGIN, OK, OK, NF, FB, FB, FB],
    ),
    (
        Req::Get("/fasilitas/lapas-cipinang/tps/901/hapus"),
        [LOGIN, OK, NF, OK, NF, NF, FB],
    ),
    (Req::Get("/admin/dapil"), [LOGIN, OK, OK, OK, OK, OK, OK]),
    (Req::Get("/admin/kesiapan"), [LOGIN, OK, OK, OK, OK, OK, OK]),
    (
        Req::Get("/unduh/nasional.csv"),
        [LOGIN, OK, OK, OK, OK, OK, OK],
    ),
    (
        Req::Get("/unduh/ringkasan.xlsx"),
        [LOGIN, OK, OK, OK, OK, OK, OK],
    ),
    (
        Req::Get("/unduh/provinsi/16.xlsx"),
        [LOGIN, OK, OK, NF, OK, OK, OK],
    ),
    (
        Req::Get("/unduh/fasilitas/lapas-cipinang.csv"),
        [LOGIN, OK, NF, OK, NF, NF, OK],
    ),
    (
        Req::Get("/fasilitas/lapas-lubuklinggau/rekonsiliasi"),
        [LOGIN, OK, OK, NF, OK, OK, OK],
    ),
    (
        Req::Get("/fasilitas/lapas-cipinang/rekonsiliasi"),
        [LOGIN, OK, NF, OK, NF, NF, OK],
    ),
    (
        Req::Get("/fasilitas/lapas-lubuklinggau/rekonsiliasi/cocok.csv"),
        [LOGIN, NF, NF, NF, NF, NF, NF],
    ),
    (Req::Get("/masuk"), [OK, OK, OK, OK, OK, OK, OK]),
    (Req::Get("/health"), [OK, OK, OK, OK, OK, OK, OK]),
    (Req::Get("/static/style.css"), [OK, OK, OK, OK, OK, OK, OK]),
    (
        Req::Post("/fasilitas/lapas-lubuklinggau/ubah", FACILITY_FORM),
        [CSRF, FORM, FORM, NF, FB, FB, FB],
    ),
    (
        Req::Post("/fasilitas/baru", NEW_FACILITY_FORM),
        [CSRF, FORM, DUP, FB, FB, FB, FB],
    ),
    (
        Req::Post(
            "/admin/pengguna",
            &[("nama_pengguna", "baru"), ("peran", "kpu")],
        ),
        [CSRF, OK, FB, FB, FB, FB, FB],
    ),
    (
        Req::Post("/admin/pengguna/1/status", &[("aktif", "true")]),
        [CSRF, FORM, FB, FB, FB, FB, FB],
    ),
    // Election forms, each refused for the admin (cap 0; a Pemilu holds no contests; the
    // demo election has voters), so later rows see the same elections.
    (
        Req::Post("/admin/pemilihan", ELECTION_FORM),
        [CSRF, BAD, FB, FB, FB, FB, FB],
    ),
    (
        Req::Post("/admin/pemilihan/pemilu-2024", ELECTION_FORM),
        [CSRF, BAD, FB, FB, FB, FB, FB],
    ),
    (
        Req::Upload("/admin/pemilihan/pemilu-2024/kontestasi", CONTEST_FILE, &[]),
        [CSRF, BAD, FB, FB, FB, FB, FB],
    ),
    (
        Req::Post("/admin/pemilihan/pemilu-2024/hapus", &[]),
        [CSRF, BAD, FB, FB, FB, FB, FB],
    ),
    (
        Req::Post("/fasilitas/lapas-lubuklinggau/daftar/baru", VOTER_FORM),
        [CSRF, FB, FB, NF, FORM, FB, FB],
    ),
    (
        Req::Post("/fasilitas/lapas-lubuklinggau/alokasi", &[]),
        [CSRF, FORM, FORM, NF, FB, FB, FB],
    ),
    (
        Req::Post("/fasilitas/lapas-lubuklinggau/tps", &[("nomor", "50")]),
        [CSRF, FORM, DUP, NF, FB, FB, FB],
    ),
    (
        Req::Post("/fasilitas/lapas-cipinang/tps", &[("nomor", "950")]),
        [CSRF, FORM, NF, DUP, NF, NF, FB],
    ),
    (
        Req::Post("/provinsi/31/tps", &[]),
        [CSRF, FORM, NF, FORM, NF, NF, FB],
    ),
    (
        Req::Post("/admin/kesiapan", &[("label", "Genset cadangan")]),
        [CSRF, FORM, FB, FB, FB, FB, FB],
    ),
    // Added for issue 11: every remaining route, inside and outside each scope.
    (Req::Get("/static/print.css"), [OK, OK, OK, OK, OK, OK, OK]),
    (Req::Get("/static/copy.js"), [OK, OK, OK, OK, OK, OK, OK]),
    // Served only with --bench-routes.
    (Req::Get("/bench/fortunes"), [NF, NF, NF, NF, NF, NF, NF]),
    (
        Req::Get("/fasilitas/lapas-cipinang/tps/baru"),
        [LOGIN, OK, NF, OK, NF, NF, FB],
    ),
    (
        Req::Get("/fasilitas/lapas-lubuklinggau/tps/1/hapus"),
        [LOGIN, OK, OK, NF, FB, FB, FB],
    ),
    (
        Req::Get("/fasilitas/lapas-cipinang/daftar/impor"),
        [LOGIN, FB, NF, FB, NF, NF, FB],
    ),
    (
        Req::Get("/fasilitas/lapas-lubuklinggau/daftar/1/ubah"),
        [LOGIN, FB, FB, NF, OK, FB, FB],
    ),
    (
        Req::Get("/fasilitas/lapas-cipinang/daftar/5/ubah"),
        [LOGIN, FB, NF, FB, NF, NF, FB],
    ),
    (
        Req::Get("/fasilitas/lapas-lubuklinggau/daftar/impor/1/ditolak.csv"),
        [LOGIN, FB, FB, NF, OK, FB, FB],
    ),
    (
        Req::Get("/fasilitas/lapas-cipinang/daftar/impor/2/ditolak.csv"),
        [LOGIN, FB, NF, FB, NF, NF, FB],
    ),
    (
        Req::Get("/fasilitas/lapas-cipinang/disdukcapil"),
        [LOGIN, OK, NF, OK, NF, NF, FB],
    ),
    (
        Req::Get("/fasilitas/lapas-cipinang/disdukcapil.csv"),
        [LOGIN, OK, NF, OK, NF, NF, FB],
    ),
    (
        Req::Get("/fasilitas/lapas-lubuklinggau/pindahan"),
        [LOGIN, OK, OK, NF, OK, FB, FB],
    ),
    (
        Req::Get("/fasilitas/lapas-cipinang/pindahan"),
        [LOGIN, OK, NF, OK, NF, NF, FB],
    ),
    (
        Req::Get("/unduh/provinsi/31.csv"),
        [LOGIN, OK, NF, OK, NF, NF, OK],
    ),
    (
        Req::Get("/unduh/fasilitas/lapas-lubuklinggau.xlsx"),
        [LOGIN, OK, OK, NF, OK, OK, OK],
    ),
    (
        Req::Post("/fasilitas/lapas-cipinang/ubah", CIPINANG_FORM),
        [CSRF, FORM, NF, FORM, NF, NF, FB],
    ),
    (
        Req::Post("/admin/pengguna/1/sandi", &[]),
        [CSRF, OK, FB, FB, FB, FB, FB],
    ),
    (
        Req::Post("/provinsi/16/tps", &[]),
        [CSRF, FORM, FORM, NF, FB, FB, FB],
    ),
    (
        Req::Post("/fasilitas/lapas-lubuklinggau/tps/1/ubah", STALE),
        [CSRF, AL, AL, NF, FB, FB, FB],
    ),
    (
        Req::Post("/fasilitas/lapas-cipinang/tps/901/ubah", STALE),
        [CSRF, AL, NF, AL, NF, NF, FB],
    ),
    (
        Req::Post("/fasilitas/lapas-lubuklinggau/tps/1/kesiapan", STALE),
        [CSRF, AL, AL, NF, FB, FB, FB],
    ),
    (
        Req::Post("/fasilitas/lapas-cipinang/tps/901/kesiapan", STALE),
        [CSRF, AL, NF, AL, NF, NF, FB],
    ),
    (
        Req::Post("/fasilitas/lapas-lubuklinggau/tps/1/surat-suara", STALE),
        [CSRF, AL, AL, NF, FB, FB, FB],
    ),
    (
        Req::Post("/fasilitas/lapas-cipinang/tps/901/surat-suara", STALE),
        [CSRF, AL, NF, AL, NF, NF, FB],
    ),
    // Voting day (issue 15): turnout and ballot accounting, sent unreadable or empty (422).
    (
        Req::Post("/fasilitas/lapas-lubuklinggau/tps/1/kehadiran", BAD_TURNOUT),
        [CSRF, AL, AL, NF, AL, FB, FB],
    ),
    (
        Req::Post("/fasilitas/lapas-cipinang/tps/901/kehadiran", BAD_TURNOUT),
        [CSRF, AL, NF, AL, NF, NF, FB],
    ),
    (
        Req::Post("/fasilitas/lapas-lubuklinggau/tps/1/penghitungan", &[]),
        [CSRF, AL, AL, NF, AL, FB, FB],
    ),
    (
        Req::Post("/fasilitas/lapas-cipinang/tps/901/penghitungan", &[]),
        [CSRF, AL, NF, AL, NF, NF, FB],
    ),
    (
        Req::Post(
            "/fasilitas/lapas-lubuklinggau/tps/1/pindah",
            &[("pemilih", "x")],
        ),
        [CSRF, AL, AL, NF, FB, FB, FB],
    ),
    (
        Req::Post(
            "/fasilitas/lapas-cipinang/tps/901/pindah",
            &[("pemilih", "x")],
        ),
        [CSRF, AL, NF, AL, NF, NF, FB],
    ),
    (
        Req::Post("/fasilitas/lapas-lubuklinggau/tps/4/hapus", STALE),
        [CSRF, AL, AL, NF, FB, FB, FB],
    ),
    (
        Req::Post("/fasilitas/lapas-cipinang/tps/912/hapus", STALE),
        [CSRF, AL, NF, AL, NF, NF, FB],
    ),
    (
        Req::Post("/fasilitas/lapas-lubuklinggau/daftar/1/ubah", VOTER_1_FORM),
        [CSRF, FB, FB, NF, FORM, FB, FB],
    ),
    (
        Req::Post("/fasilitas/lapas-cipinang/daftar/5/ubah", VOTER_5_FORM),
        [CSRF, FB, NF, FB, NF, NF, FB],
    ),
    (
        Req::Post(
            "/fasilitas/lapas-lubuklinggau/daftar/2/bebas",
            &[("tanggal", "kemarin")],
        ),
        [CSRF, FB, FB, NF, AL, FB, FB],
    ),
    (
        Req::Post(
            "/fasilitas/lapas-cipinang/daftar/5/bebas",
            &[("tanggal", "kemarin")],
        ),
        [CSRF, FB, NF, FB, NF, NF, FB],
    ),
    (
        Req::Post(
            "/fasilitas/lapas-lubuklinggau/daftar/3/pindah",
            &[("tujuan", "tidak-ada")],
        ),
        [CSRF, FB, FB, NF, AL, FB, FB],
    ),
    (
        Req::Post(
            "/fasilitas/lapas-cipinang/daftar/5/pindah",
            &[("tujuan", "tidak-ada")],
        ),
        [CSRF, FB, NF, FB, NF, NF, FB],
    ),
    (
        Req::Upload(
            "/fasilitas/lapas-lubuklinggau/daftar/impor",
            ROLL_FILE,
            &[("mode", "upsert")],
        ),
        [CSRF, FB, FB, NF, OK, FB, FB],
    ),
    (
        Req::Upload(
            "/fasilitas/lapas-cipinang/daftar/impor",
            ROLL_FILE,
            &[("mode", "upsert")],
        ),
        [CSRF, FB, NF, FB, NF, NF, FB],
    ),
    (
        Req::Post("/fasilitas/lapas-lubuklinggau/daftar/impor/1", &[]),
        [CSRF, FB, FB, NF, OK, FB, FB],
    ),
    (
        Req::Post("/fasilitas/lapas-cipinang/daftar/impor/2", &[]),
        [CSRF, FB, NF, FB, NF, NF, FB],
    ),
    (
        Req::Upload("/admin/dapil", DAPIL_FILE, &[]),
        [CSRF, AL, FB, FB, FB, FB, FB],
    ),
    (
        Req::Upload("/fasilitas/lapas-lubuklinggau/rekonsiliasi", KPU_FILE, &[]),
        [CSRF, FORM, FORM, NF, FB, FORM, FORM],
    ),
    (
        Req::Upload("/fasilitas/lapas-cipinang/rekonsiliasi", KPU_FILE, &[]),
        [CSRF, FORM, NF, FORM, NF, NF, FORM],
    ),
    (
        Req::Get("/fasilitas/lapas-lubuklinggau/rekonsiliasi/hanya-daftar.csv"),
        [LOGIN, OK, OK, NF, OK, OK, OK],
    ),
    // Transfers: the origin's side decides (here the admin refuses first, so the others find
    // nothing pending), the destination's registrar withdraws.
    (
        Req::Post("/fasilitas/lapas-palembang/pindahan/1/tolak", &[]),
        [CSRF, FORM, NF, NF, NF, FB, FB],
    ),
    (
        Req::Post("/fasilitas/lapas-palembang/pindahan/2/konfirmasi", &[]),
        [CSRF, NF, NF, NF, NF, FB, FB],
    ),
    (
        Req::Post("/fasilitas/lapas-lubuklinggau/pindahan/2/konfirmasi", &[]),
        [CSRF, NF, NF, NF, NF, FB, FB],
    ),
    (
        Req::Post("/fasilitas/lapas-palembang/pindahan/2/batal", &[]),
        [CSRF, FB, FB, NF, NF, FB, FB],
    ),
    (
        Req::Post("/fasilitas/lapas-lubuklinggau/pindahan/2/batal", &[]),
        [CSRF, FB, FB, NF, FORM, FB, FB],
    ),
    (
        Req::Post("/fasilitas/lapas-cipinang/pindahan/3/konfirmasi", &[]),
        [CSRF, FORM, NF, NF, NF, NF, FB],
    ),
    // Added for issue 15: incidents (1 at Lubuklinggau, 2 at Cipinang, see `seed`), the
    // neutrality briefing, KPU's voter documents.
    (
        Req::Get("/fasilitas/lapas-lubuklinggau/insiden"),
        [LOGIN, OK, OK, NF, OK, OK, OK],
    ),
    (
        Req::Get("/fasilitas/lapas-palembang/insiden"),
        [LOGIN, OK, OK, NF, NF, OK, OK],
    ),
    (
        Req::Get("/fasilitas/lapas-cipinang/insiden"),
        [LOGIN, OK, NF, OK, NF, NF, OK],
    ),
    (
        Req::Get("/fasilitas/lapas-lubuklinggau/insiden/1"),
        [LOGIN, OK, OK, NF, OK, OK, OK],
    ),
    (
        Req::Get("/fasilitas/lapas-cipinang/insiden/2"),
        [LOGIN, OK, NF, OK, NF, NF, OK],
    ),
    // Cipinang's incident does not exist under Lubuklinggau.
    (
        Req::Get("/fasilitas/lapas-lubuklinggau/insiden/2"),
        [LOGIN, NF, NF, NF, NF, NF, NF],
    ),
    (
        Req::Get("/fasilitas/lapas-lubuklinggau/netralitas"),
        [LOGIN, OK, OK, NF, OK, OK, OK],
    ),
    (
        Req::Get("/fasilitas/lapas-cipinang/netralitas"),
        [LOGIN, OK, NF, OK, NF, NF, OK],
    ),
    (
        Req::Get("/provinsi/16/insiden"),
        [LOGIN, OK, OK, NF, OK, OK, OK],
    ),
    (
        Req::Get("/provinsi/31/insiden"),
        [LOGIN, OK, NF, OK, NF, NF, OK],
    ),
    (
        Req::Get("/fasilitas/lapas-lubuklinggau/tps/1/pemberitahuan"),
        [LOGIN, OK, OK, NF, OK, OK, OK],
    ),
    (
        Req::Get("/fasilitas/lapas-cipinang/tps/901/pemberitahuan"),
        [LOGIN, OK, NF, OK, NF, NF, OK],
    ),
    (
        Req::Get("/fasilitas/lapas-lubuklinggau/tps/1/daftar-hadir/dpt"),
        [LOGIN, OK, OK, NF, OK, OK, OK],
    ),
    (
        Req::Get("/fasilitas/lapas-palembang/tps/901/daftar-hadir/dptb"),
        [LOGIN, OK, OK, NF, NF, OK, OK],
    ),
    (
        Req::Get("/fasilitas/lapas-cipinang/tps/901/daftar-hadir/dpk"),
        [LOGIN, OK, NF, OK, NF, NF, OK],
    ),
    (
        Req::Get("/fasilitas/lapas-lubuklinggau/tps/1/daftar-hadir/semua"),
        [LOGIN, NF, NF, NF, NF, NF, NF],
    ),
    (
        Req::Post("/fasilitas/lapas-lubuklinggau/insiden", INCIDENT_FORM),
        [CSRF, FORM, FORM, NF, FORM, FB, FB],
    ),
    (
        Req::Post("/fasilitas/lapas-palembang/insiden", INCIDENT_FORM),
        [CSRF, FORM, FORM, NF, NF, FB, FB],
    ),
    (
        Req::Post("/fasilitas/lapas-cipinang/insiden", INCIDENT_FORM),
        [CSRF, FORM, NF, FORM, NF, NF, FB],
    ),
    // The first allowed user moves incident 1 on; the others' forms are then stale (409).
    (
        Req::Post(
            "/fasilitas/lapas-lubuklinggau/insiden/1/status",
            STATUS_FORM,
        ),
        [CSRF, AL, AL, NF, AL, FB, FB],
    ),
    (
        Req::Post("/fasilitas/lapas-cipinang/insiden/2/status", STATUS_FORM),
        [CSRF, AL, NF, AL, NF, NF, FB],
    ),
    (
        Req::Post("/fasilitas/lapas-lubuklinggau/netralitas", BRIEFING_FORM),
        [CSRF, FORM, FORM, NF, FORM, FB, FB],
    ),
    (
        Req::Post("/fasilitas/lapas-palembang/netralitas", BRIEFING_FORM),
        [CSRF, FORM, FORM, NF, NF, FB, FB],
    ),
    (
        Req::Post("/fasilitas/lapas-cipinang/netralitas", BRIEFING_FORM),
        [CSRF, FORM, NF, FORM, NF, NF, FB],
    ),
    // A login form without a password is refused before anything is looked up.
    (
        Req::Post("/masuk", &[("username", "x")]),
        [400, 400, 400, 400, 400, 400, 400],
    ),
    // Last: logging out ends each session.
    (
        Req::Post("/keluar", &[]),
        [CSRF, FORM, FORM, FORM, FORM, FORM, FORM],
    ),
];

async fn browsers(app: &TestApp) -> Vec<Browser> {
    vec![
        app.browser(),
        app.admin().await,
        app.login(Role::Kanwil, Some("16"), None).await,
        app.login(Role::Kanwil, Some("31"), None).await,
        app.login(Role::Registrar, None, Some("lapas-lubuklinggau"))
            .await,
        app.login(Role::Kpu, Some("16"), None).await,
        app.login(Role::Kpu, None, None).await,
    ]
}

/// What the routes of `ROUTES` address: voters 1–3 on Lubuklinggau's roll, 4 on
/// Palembang's, 5 on Cipinang's; uploads 1 (Lubuklinggau) and 2 (Cipinang); pending
/// transfers 1 (Palembang → Lubuklinggau), 2 (Cipinang → Lubuklinggau) and 3 (Cipinang →
/// Palembang); open incidents 1 (Lubuklinggau) and 2 (Cipinang).
async fn seed(app: &TestApp) {
    let voters = [
        (
            "lapas-lubuklinggau",
            "1674014107920011",
            "Ani Lestari",
            "1992-07-01",
            "P",
        ),
        (
            "lapas-lubuklinggau",
            "1674010101800012",
            "Bambang",
            "1980-01-01",
            "L",
        ),
        (
            "lapas-lubuklinggau",
            "1674010101800013",
            "Cahyo",
            "1980-01-01",
            "L",
        ),
        (
            "lapas-palembang",
            "1671010101800014",
            "Dedi",
            "1980-01-01",
            "L",
        ),
        (
            "lapas-cipinang",
            "3172010101900015",
            "Joko Susilo",
            "1990-01-01",
            "L",
        ),
    ];
    for (facility, nik, name, born, sex) in voters {
        sqlx::query(
            "insert into voters (election_id, facility_id, row_key, nik, name, birth_date, sex,
                                 legal_status, home_region_code, ktp_el)
             select e.id, f.id, 'nik:' || $2, $2, $3, $4::date, $5, 'convict',
                    substr($2, 1, 2) || '.' || substr($2, 3, 2) || '.' || substr($2, 5, 2), true
             from elections e, facilities f where f.code = $1",
        )
        .bind(facility)
        .bind(nik)
        .bind(name)
        .bind(born)
        .bind(sex)
        .execute(&app.db.pool)
        .await
        .unwrap();
    }
    for facility in ["lapas-lubuklinggau", "lapas-cipinang"] {
        sqlx::query(
            "insert into roll_uploads (election_id, facility_id, user_id, filename, content, mode)
             select e.id, f.id, (select min(id) from users), 'd.csv', $2, 'upsert'
             from elections e, facilities f where f.code = $1",
        )
        .bind(facility)
        .bind(b"nik,nama,tanggal_lahir,jenis_kelamin,status\n,Eko,1985-05-05,L,NAPI\n".to_vec())
        .execute(&app.db.pool)
        .await
        .unwrap();
    }
    for facility in ["lapas-lubuklinggau", "lapas-cipinang"] {
        sqlx::query(
            "insert into incidents (election_id, facility_id, category, severity, occurred_at,
                                    description, actor)
             select e.id, f.id, 'security', 'attention', now(), 'Keributan', 'seed'
             from elections e, facilities f where f.code = $1",
        )
        .bind(facility)
        .execute(&app.db.pool)
        .await
        .unwrap();
    }
    for (voter, to) in [
        (4, "lapas-lubuklinggau"),
        (5, "lapas-lubuklinggau"),
        (5, "lapas-palembang"),
    ] {
        sqlx::query(
            "insert into transfers (election_id, voter_id, from_facility_id, to_facility_id,
                                    arrival)
             select v.election_id, v.id, v.facility_id, f.id,
                    jsonb_build_object('row_key', v.row_key, 'nik', v.nik, 'name', v.name,
                                       'birth_date', v.birth_date, 'sex', v.sex,
                                       'legal_status', v.legal_status,
                                       'marital_status', v.marital_status,
                                       'home_from_nik', false, 'rights_revoked', false)
             from voters v, facilities f where v.id = $1 and f.code = $2",
        )
        .bind(voter)
        .bind(to)
        .execute(&app.db.pool)
        .await
        .unwrap();
    }
}

#[tokio::test]
async fn every_route_answers_each_role_as_specified() {
    let app = TestApp::spawn_with_demo().await;
    seed(&app).await;
    let who = browsers(&app).await;
    let mut wrong = Vec::new();
    for (req, expected) in ROUTES {
        for (i, browser) in who.iter().enumerate() {
            let (label, status) = match req {
                Req::Get(path) => (format!("GET {path}"), browser.get(path).await.0),
                Req::Post(path, fields) => {
                    let resp = browser.post(path, fields).await;
                    (format!("POST {path}"), resp.status())
                }
                Req::Upload(path, content, fields) => {
                    let token = browser.csrf().await;
                    let mut form = reqwest::multipart::Form::new().part(
                        "berkas",
                        reqwest::multipart::Part::bytes(content.as_bytes().to_vec())
                            .file_name("berkas.csv"),
                    );
                    for (k, v) in *fields {
                        form = form.text(*k, *v);
                    }
                    let resp = browser
                        .client
                        .post(browser.url(&format!("{path}?csrf={token}")))
                        .multipart(form)
                        .send()
                        .await
                        .unwrap();
                    (format!("POST {path} (file)"), resp.status())
                }
            };
            let ok = match expected[i] {
                AL => matches!(status.as_u16(), 200 | 303 | 400 | 409 | 422),
                code => status.as_u16() == code,
            };
            if !ok {
                wrong.push(format!(
                    "{label} as {}: {status}, expected {}",
                    WHO[i],
                    match expected[i] {
                        AL => "allowed (200/303/400/409/422)".to_owned(),
                        code => code.to_string(),
                    }
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[tokio::test]
async fn visitors_are_sent_to_the_login_page_and_back() {
    let app = TestApp::spawn_with_demo().await;
    app.login(Role::Kanwil, Some("16"), None).await; // creates kanwil-<n>
    let browser = app.browser();
    let resp = browser
        .client
        .get(browser.url("/provinsi/16"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(resp.headers()["location"], "/masuk?next=%2Fprovinsi%2F16");

    let username: String = sqlx::query_scalar(
        "select username from users where role = 'kanwil' and username <> 'kanwil-sumsel'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let resp = browser
        .post(
            "/masuk",
            &[
                ("username", &username),
                ("password", "kata-sandi-uji-123"),
                ("next", "/provinsi/16"),
            ],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(resp.headers()["location"], "/provinsi/16");
    let cookie = resp.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert_eq!(browser.get("/provinsi/16").await.0, StatusCode::OK);

    // Logging out ends the session at once.
    let resp = browser.post("/keluar", &[]).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(browser.get("/provinsi/16").await.0, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn registrar_never_sees_another_facility() {
    let app = TestApp::spawn_with_demo().await;
    let registrar = app
        .login(Role::Registrar, None, Some("lapas-lubuklinggau"))
        .await;
    let other_names: Vec<String> =
        sqlx::query_scalar("select name from facilities where code <> 'lapas-lubuklinggau'")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    for path in [
        "/",
        "/provinsi/16",
        "/fasilitas/lapas-lubuklinggau",
        "/masuk",
    ] {
        let (status, body) = registrar.get(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        for name in &other_names {
            assert!(!body.contains(name.as_str()), "{path} shows {name}");
        }
    }
    // The dashboard counts only the registrar's facility.
    let (_, body) = registrar.get("/").await;
    let row = row_cells(&body, r#"data-province="16""#);
    assert_eq!(row[1..4], ["1", "4", "1.160"]);
    assert!(!body.contains(r#"data-province="31""#));
}

#[tokio::test]
async fn missing_or_wrong_csrf_token_is_refused_and_changes_nothing() {
    let app = TestApp::spawn_with_demo().await;
    let kanwil = app.login(Role::Kanwil, Some("16"), None).await;
    let inmates = || async {
        sqlx::query_scalar::<_, i32>(
            "select inmates from facilities where code = 'lapas-lubuklinggau'",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
    };
    let before = inmates().await;
    let fields = [
        ("nama", "Lapas Kelas IIA Lubuklinggau"),
        ("jenis", "lapas"),
        ("kelas", "IIA"),
        ("jumlah_wbp", "9999"),
    ];
    let resp = kanwil
        .post_raw("/fasilitas/lapas-lubuklinggau/ubah", &fields)
        .await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let mut with_wrong = fields.to_vec();
    with_wrong.push(("csrf", "0000"));
    let resp = kanwil
        .post_raw("/fasilitas/lapas-lubuklinggau/ubah", &with_wrong)
        .await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    assert!(
        resp.text()
            .await
            .unwrap()
            .contains("Formulir tidak dapat diproses")
    );
    assert_eq!(inmates().await, before);

    // With the token the same change goes through, audited with its values.
    let resp = kanwil
        .post("/fasilitas/lapas-lubuklinggau/ubah", &fields)
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(inmates().await, 9999);
    let (before_json, after_json): (serde_json::Value, serde_json::Value) =
        sqlx::query_as("select before, after from audit_log where action = 'facility.update'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(before_json["inmates"], before);
    assert_eq!(after_json["inmates"], 9999);
}

#[tokio::test]
async fn sixth_bad_password_answers_429() {
    let app = TestApp::spawn_with_demo().await;
    let browser = app.browser();
    for attempt in 1..=5 {
        let resp = browser.log_in("admin", "salah-salah-salah").await;
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "attempt {attempt}");
        assert!(
            resp.text()
                .await
                .unwrap()
                .contains("Nama pengguna atau kata sandi salah")
        );
    }
    let resp = browser.log_in("admin", "salah-salah-salah").await;
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = resp.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&wait), "{wait}");
    let throttled: i64 =
        sqlx::query_scalar("select count(*) from audit_log where action = 'login_throttled'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(throttled, 1);
    let failed: i64 =
        sqlx::query_scalar("select count(*) from audit_log where action = 'login_failed'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(failed, 5);
}

#[tokio::test]
async fn unknown_user_and_wrong_password_look_the_same() {
    let app = TestApp::spawn_with_demo().await;
    let browser = app.browser();
    let a = browser.log_in("tidak-ada", "salah-salah-salah").await;
    let b = browser.log_in("admin", "salah-salah-salah").await;
    assert_eq!(a.status(), b.status());
}

#[tokio::test]
async fn deactivated_user_loses_the_open_session_at_once() {
    let app = TestApp::spawn_with_demo().await;
    let admin = app.admin().await;
    let kpu = app.login(Role::Kpu, Some("16"), None).await;
    assert_eq!(kpu.get("/").await.0, StatusCode::OK);
    let id: i64 =
        sqlx::query_scalar("select id from users where role = 'kpu' and username <> 'kpu-sumsel'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let resp = admin
        .post(
            &format!("/admin/pengguna/{id}/status"),
            &[("aktif", "false")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(kpu.get("/").await.0, StatusCode::SEE_OTHER);
    // And cannot log in again.
    let username: String = sqlx::query_scalar("select username from users where id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let resp = kpu.log_in(&username, "kata-sandi-uji-123").await;
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn password_reset_ends_sessions_and_shows_the_new_password_once() {
    let app = TestApp::spawn_with_demo().await;
    let admin = app.admin().await;
    let kanwil = app.login(Role::Kanwil, Some("16"), None).await;
    let (id, username): (i64, String) = sqlx::query_as(
        "select id, username from users where role = 'kanwil' and username <> 'kanwil-sumsel'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let resp = admin
        .post(&format!("/admin/pengguna/{id}/sandi"), &[])
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let body = resp.text().await.unwrap();
    let at = body.find(r#"<span class="secret">"#).unwrap() + r#"<span class="secret">"#.len();
    let new_password = &body[at..at + 16];
    assert_eq!(kanwil.get("/").await.0, StatusCode::SEE_OTHER);
    let resp = kanwil.log_in(&username, new_password).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn admin_creates_a_user_who_can_log_in() {
    let app = TestApp::spawn_with_demo().await;
    let admin = app.admin().await;
    let resp = admin
        .post(
            "/admin/pengguna",
            &[
                ("nama_pengguna", "registrar-palembang"),
                ("peran", "registrar"),
                ("fasilitas", "lapas-palembang"),
                ("kata_sandi", "sandi-panjang-sekali"),
            ],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let browser = app.browser();
    let resp = browser
        .log_in("registrar-palembang", "sandi-panjang-sekali")
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        browser.get("/fasilitas/lapas-palembang").await.0,
        StatusCode::OK
    );
    assert_eq!(
        browser.get("/fasilitas/lapas-lubuklinggau").await.0,
        StatusCode::NOT_FOUND
    );

    // Bad input: a clear message, nothing created.
    let resp = admin
        .post(
            "/admin/pengguna",
            &[
                ("nama_pengguna", "kanwil-x"),
                ("peran", "kanwil"),
                ("kata_sandi", "pendek"),
            ],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        resp.text()
            .await
            .unwrap()
            .contains("Kata sandi minimal 10 karakter")
    );
    let n: i64 = sqlx::query_scalar("select count(*) from users where username = 'kanwil-x'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(n, 0);
}

#[tokio::test]
async fn user_input_is_escaped_on_every_page() {
    let app = TestApp::spawn_with_demo().await;
    let kanwil = app.login(Role::Kanwil, Some("16"), None).await;
    let resp = kanwil
        .post(
            "/fasilitas/lapas-lubuklinggau/ubah",
            &[
                ("nama", "<script>alert(1)</script>"),
                ("jenis", "lapas"),
                ("kelas", "IIA"),
                ("jumlah_wbp", "1160"),
            ],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    for path in ["/fasilitas/lapas-lubuklinggau", "/provinsi/16", "/audit"] {
        let (_, body) = kanwil.get(path).await;
        assert!(!body.contains("<script>alert(1)</script>"), "{path}");
        assert!(
            body.contains("&#60;script&#62;alert(1)&#60;/script&#62;")
                || body.contains("&lt;script&gt;"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn audit_page_is_scoped_to_the_kanwil_province() {
    let app = TestApp::spawn_with_demo().await;
    let kanwil16 = app.login(Role::Kanwil, Some("16"), None).await;
    let kanwil31 = app.login(Role::Kanwil, Some("31"), None).await;
    let admin = app.admin().await;
    let form = |name| {
        [
            ("nama", name),
            ("jenis", "lapas"),
            ("kelas", "I"),
            ("jumlah_wbp", "3000"),
        ]
    };
    kanwil31
        .post(
            "/fasilitas/lapas-cipinang/ubah",
            &form("Lapas Kelas I Cipinang (diubah)"),
        )
        .await;
    kanwil16
        .post(
            "/fasilitas/lapas-palembang/ubah",
            &form("Lapas Kelas I Palembang (diubah)"),
        )
        .await;
    let (_, body) = kanwil16.get("/audit").await;
    assert!(body.contains("Lapas Kelas I Palembang (diubah)"));
    assert!(!body.contains("Cipinang (diubah)"));
    // Even asking for another province shows only their own.
    let (_, body) = kanwil16.get("/audit?provinsi=31").await;
    assert!(!body.contains("Cipinang (diubah)"));
    let (_, body) = admin.get("/audit?fasilitas=lapas-cipinang").await;
    assert!(body.contains("Cipinang (diubah)"));
    assert!(!body.contains("Palembang (diubah)"));
}

#[tokio::test]
async fn an_active_session_stays_open_beyond_the_idle_time_an_idle_one_does_not() {
    let app = TestApp::spawn_with_config(loksus::config::Config {
        session_idle: std::time::Duration::from_secs(3),
        ..loksus::config::Config::default()
    })
    .await;
    let active = app.admin().await;
    let idle = app.admin().await;
    // The active user keeps working: a request every second for four seconds.
    for _ in 0..4 {
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        assert_eq!(active.get("/").await.0, StatusCode::OK);
    }
    // More than three seconds since either logged in: only the idle session has expired.
    assert_eq!(active.get("/").await.0, StatusCode::OK);
    assert_eq!(idle.get("/").await.0, StatusCode::SEE_OTHER);
}
