//! A generator of realistic, deterministic roll files (`loksus demo roll-file`), for
//! benchmarks and trying the import: mostly adult men with NIKs that agree with their birth
//! date and sex, and the cases the import must handle: missing and mismatched NIKs,
//! juveniles, revoked rights, releases before voting day, home regions elsewhere.

use std::io::Write;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const FIRST: [&str; 24] = [
    "Budi", "Agus", "Andi", "Dedi", "Eko", "Hendra", "Joko", "Rudi", "Slamet", "Wahyu", "Yusuf",
    "Rizky", "Fajar", "Ilham", "Taufik", "Arif", "Siti", "Dewi", "Sri", "Nur", "Rina", "Yanti",
    "Putri", "Lestari",
];
const LAST: [&str; 20] = [
    "Santoso",
    "Saputra",
    "Wijaya",
    "Hidayat",
    "Pratama",
    "Kurniawan",
    "Setiawan",
    "Nugroho",
    "Siregar",
    "Nasution",
    "Harahap",
    "Lubis",
    "Simanjuntak",
    "Sembiring",
    "Putra",
    "Rahman",
    "Syahputra",
    "Gunawan",
    "Halim",
    "Susanto",
];
/// Kecamatan of first issue, by province: the province's own, and a few elsewhere.
const HOME: [&str; 8] = [
    "16.73.01", "16.73.02", "16.71.01", "16.71.05", "16.03.01", "16.05.02", "31.75.01", "19.71.01",
];

/// Writes `rows` voters (semicolon-separated, as Excel writes it on Indonesian systems) to
/// `out`. The same `seed` gives the same file.
pub fn write_roll(out: &mut impl Write, rows: u64, seed: u64) -> std::io::Result<()> {
    let mut rng = StdRng::seed_from_u64(seed);
    writeln!(
        out,
        "nik;nama;tanggal_lahir;jenis_kelamin;status;status_perkawinan;kode_wilayah_asal;\
         hak_pilih_dicabut;tanggal_bebas;daftar;tempat_lahir;no_registrasi;disabilitas;ktp_el"
    )?;
    for i in 0..rows {
        let female = rng.gen_ratio(1, 12);
        let first = if female {
            FIRST[rng.gen_range(16..FIRST.len())]
        } else {
            FIRST[rng.gen_range(0..16)]
        };
        let name = format!("{first} {} {}", LAST[rng.gen_range(0..LAST.len())], i);
        // Mostly adults; about 2% were under 17 on 14 February 2024.
        let year: i32 = if rng.gen_ratio(1, 50) {
            rng.gen_range(2007..=2009)
        } else {
            rng.gen_range(1955..=2005)
        };
        let month: u8 = rng.gen_range(1..=12);
        let day: u8 = rng.gen_range(1..=28);
        let home = HOME[rng.gen_range(0..HOME.len())];
        let region: String = home.replace('.', "");
        let serial = 1 + (i % 9999);
        let nik_day = if female { day + 40 } else { day };
        let valid_nik = format!(
            "{region}{nik_day:02}{month:02}{:02}{serial:04}",
            year.rem_euclid(100)
        );
        // Unique per row: the serial and a row-dependent kecamatan keep NIKs apart.
        let nik = match rng.gen_range(0..100) {
            0..=2 => String::new(),             // no NIK
            3 => "0000000000000000".to_owned(), // placeholder
            4 => format!(
                "{}{:02}{}",
                &valid_nik[..6],
                (day % 27) + 1,
                &valid_nik[8..]
            ), // mismatch
            _ => valid_nik,
        };
        let nik = if nik.len() == 16 && nik != "0000000000000000" {
            // Spread rows over distinct kecamatan-like prefixes so NIKs never repeat.
            let block = i / 9999;
            format!("{}{:02}{}", &nik[..4], (block % 90) + 10, &nik[6..])
        } else {
            nik
        };
        let status = if rng.gen_ratio(1, 4) {
            "TAHANAN"
        } else {
            "NAPI"
        };
        let marital =
            ["BELUM KAWIN", "KAWIN", "KAWIN", "CERAI HIDUP", "CERAI MATI"][rng.gen_range(0..5)];
        let revoked = if rng.gen_ratio(1, 500) { "Y" } else { "N" };
        let release = if rng.gen_ratio(1, 20) {
            format!(
                "2024-0{}-{:02}",
                rng.gen_range(1..=3),
                rng.gen_range(1..=28)
            )
        } else {
            String::new()
        };
        let list = ["DPT", "DPT", "DPTB", "DPK", ""][rng.gen_range(0..5)];
        let home_col = if rng.gen_ratio(1, 10) { "" } else { home };
        let ktp = if rng.gen_ratio(1, 20) { "N" } else { "Y" };
        writeln!(
            out,
            "{nik};{name};{day:02}-{month:02}-{year};{};{status};{marital};{home_col};{revoked};\
             {release};{list};;B.{i}/2023;;{ktp}",
            if female { "P" } else { "L" }
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::roll_file::{Header, parse_row};
    use time::macros::date;

    #[test]
    fn generated_rows_parse_and_repeat_with_the_seed() {
        let mut a = Vec::new();
        write_roll(&mut a, 2_000, 7).unwrap();
        let mut b = Vec::new();
        write_roll(&mut b, 2_000, 7).unwrap();
        assert_eq!(a, b);
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(&a[..]);
        let header = Header::parse(reader.headers().unwrap().iter()).unwrap();
        let mut niks = std::collections::HashSet::new();
        let mut flagged = 0;
        for (i, rec) in reader.records().enumerate() {
            let row = parse_row(&header, &rec.unwrap(), i as u64 + 2, date!(2026 - 11 - 28))
                .unwrap_or_else(|e| panic!("row {}: {e:?}", i + 2));
            if let Some(nik) = &row.nik {
                assert!(niks.insert(nik.clone()), "duplicate NIK {nik}");
            }
            flagged += u32::from(row.flag.is_some());
        }
        assert!((50..250).contains(&flagged), "{flagged}");
    }
}
