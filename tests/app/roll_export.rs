//! `loksus export roll`: the operator's view of a roll, one row per inmate, in the issue's
//! column order, each value worked out by hand from the rules.

use crate::helpers::{TestApp, loksus, roll_file};

#[tokio::test]
async fn export_roll_says_for_each_inmate_what_the_rules_decide() {
    let app = TestApp::spawn_with_demo().await;
    let llg = "lapas-lubuklinggau";
    // Pemilu 2024: voting day 14 Feb 2024, H-30 15 Jan 2024, H-7 7 Feb 2024.
    let rows = [
        "1673010101900001,A Valid,1990-01-01,L,NAPI,KAWIN,DPT,Y,2023-06-01,,R01,1",
        ",B Tanpa NIK,1990-01-01,L,NAPI,KAWIN,DPT,Y,2023-06-01,,R02,",
        "1.67301E+15,C Rusak,1990-01-01,L,NAPI,KAWIN,DPT,Y,2023-06-01,,R03,",
        "1673010202900004,D Tak Cocok,1990-01-01,L,NAPI,KAWIN,DPT,Y,2023-06-01,,R04,",
        "1673010101900005,E Pindahan,1990-01-01,L,NAPI,KAWIN,DPTB,Y,2024-01-20,,R05,",
        "1673010101900006,F Berformulir,1990-01-01,L,TAHANAN,KAWIN,DPTB,Y,2024-02-01,005,R06,",
        "1673010101900007,G DPK,1990-01-01,L,NAPI,KAWIN,DPK,N,,,R07,",
        "1673010101900008,H Belum,1990-01-01,L,NAPI,KAWIN,,Y,2023-06-01,,R08,",
        "1673010101100009,I Anak,2010-01-01,L,NAPI,BELUM KAWIN,,Y,2023-06-01,,R09,",
    ];
    let refs: Vec<&str> = rows.to_vec();
    let content = roll_file(
        "nik,nama,tanggal_lahir,jenis_kelamin,status,status_perkawinan,daftar,ktp_el,\
         tanggal_masuk,asal_tps,no_registrasi,tps",
        &refs,
    )
    .lines()
    .map(|l| format!("{l},16.73.01"))
    .collect::<Vec<_>>()
    .join("\n");
    // Every row's home (KTP-el) region is kecamatan 16.73.01.
    let content = content.replacen(",tps,16.73.01", ",tps,kode_wilayah_asal", 1);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("daftar.csv");
    std::fs::write(&file, content).unwrap();
    let out = loksus(
        &app,
        &["roll", "import", file.to_str().unwrap(), "--facility", llg],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("inserted 9"));
    assert!(
        loksus(&app, &["allocate", "--facility", llg])
            .status
            .success()
    );
    let out = loksus(
        &app,
        &["export", "roll", "--facility", llg, "--format", "csv"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A on KPU's TPS 1; D (DPT) on the TPS with the fewest DPT voters (2); E, F, G, H
    // (DPTb, DPK, no list) on the TPS with the fewest voters in turn (3, 4, 1, 2).
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "no_registrasi,nama,nik_status,list,eligible,reasons,flags,late,needs_form,tps_number\n\
         R01,A Valid,valid,dpt,true,,,false,false,1\n\
         R02,B Tanpa NIK,missing,dpt,false,no_valid_nik,no_nik,false,false,\n\
         R03,C Rusak,invalid,dpt,false,no_valid_nik,nik_invalid,false,false,\n\
         R04,D Tak Cocok,mismatch,dpt,true,,nik_mismatch,false,false,2\n\
         R05,E Pindahan,valid,dptb,true,,,true,true,3\n\
         R06,F Berformulir,valid,dptb,true,,,false,false,4\n\
         R07,G DPK,valid,dpk,true,,dpk_without_ktp,unknown,false,1\n\
         R08,H Belum,valid,,true,,,false,true,2\n\
         R09,I Anak,valid,,false,under_age,,false,false,\n"
    );
    assert_eq!(
        loksus(
            &app,
            &["export", "roll", "--facility", "nowhere", "--format", "csv"]
        )
        .status
        .code(),
        Some(2)
    );
}
