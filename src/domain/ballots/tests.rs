//! The entitlement rule on illustrative Sumatera Selatan dapils, and the reserve.

use super::*;
use BallotType::*;

const PEMILU: [BallotType; 5] = [Ppwp, Dpr, Dpd, DprdProv, DprdKabkota];

/// Illustrative Sumatera Selatan dapils: Lubuklinggau (16.74) and Musi Rawas (16.05)
/// share DPR dapil I; Palembang (16.71) shares it too but is its own DPRD Provinsi
/// dapil; Lubuklinggau's kecamatan 01 and 02 form DPRD Kota dapil 1, 03 dapil 2.
fn dapils() -> Dapils {
    let mut d = Dapils::default();
    for k in ["16.74", "16.05", "16.71"] {
        d.insert(Contest::Dpr, k, "SUMSEL I");
    }
    d.insert(Contest::Dpr, "16.03", "SUMSEL II");
    d.insert(Contest::DprdProv, "16.74", "SUMSEL 7");
    d.insert(Contest::DprdProv, "16.05", "SUMSEL 7");
    d.insert(Contest::DprdProv, "16.71", "SUMSEL 1");
    d.insert(Contest::DprdProv, "16.03", "SUMSEL 5");
    d.insert(Contest::DprdKabkota, "16.74.01", "LUBUKLINGGAU 1");
    d.insert(Contest::DprdKabkota, "16.74.02", "LUBUKLINGGAU 1");
    d.insert(Contest::DprdKabkota, "16.74.03", "LUBUKLINGGAU 2");
    d
}

/// Lapas Lubuklinggau's TPS stands in kecamatan 16.74.01.
const TPS: Option<&str> = Some("16.74.01.1001");

fn gets(home: &str) -> (Vec<BallotType>, Vec<BallotType>) {
    let e = entitlement(&PEMILU, Some(home), TPS, &dapils());
    (e.ballots.iter().collect(), e.uncertain.iter().collect())
}

#[test]
fn another_province_gets_only_the_president() {
    assert_eq!(gets("31.72.01"), (vec![Ppwp], vec![]));
}

#[test]
fn same_province_other_dpr_dapil_adds_dpd() {
    assert_eq!(gets("16.03.01"), (vec![Ppwp, Dpd], vec![]));
}

#[test]
fn same_dpr_dapil_other_dprd_provinsi_dapil() {
    assert_eq!(gets("16.71.05"), (vec![Ppwp, Dpr, Dpd], vec![]));
}

#[test]
fn same_dprd_provinsi_dapil_other_kabkota() {
    assert_eq!(gets("16.05.02"), (vec![Ppwp, Dpr, Dpd, DprdProv], vec![]));
}

#[test]
fn same_kabkota_other_dprd_kabkota_dapil() {
    assert_eq!(gets("16.74.03"), (vec![Ppwp, Dpr, Dpd, DprdProv], vec![]));
}

#[test]
fn same_dprd_kabkota_dapil_gets_all_five() {
    assert_eq!(gets("16.74.02.2003"), (PEMILU.to_vec(), vec![]));
    assert_eq!(gets("16.74.01"), (PEMILU.to_vec(), vec![]));
}

#[test]
fn a_missing_dapil_withholds_only_what_it_decides() {
    // 16.04 (Lahat) is in no DPR or DPRD Provinsi dapil here: same province is certain.
    assert_eq!(gets("16.04.01"), (vec![Ppwp, Dpd], vec![Dpr, DprdProv]));
    // Kecamatan 16.74.04 is in no DPRD Kota dapil.
    assert_eq!(
        gets("16.74.04"),
        (vec![Ppwp, Dpr, Dpd, DprdProv], vec![DprdKabkota])
    );
}

#[test]
fn unknown_home_or_location_gives_only_the_president() {
    let e = entitlement(&PEMILU, None, TPS, &dapils());
    assert_eq!(e.ballots.iter().collect::<Vec<_>>(), vec![Ppwp]);
    assert_eq!(
        e.uncertain.iter().collect::<Vec<_>>(),
        vec![Dpr, Dpd, DprdProv, DprdKabkota]
    );
    let e = entitlement(&PEMILU, Some("16.74.01"), None, &dapils());
    assert_eq!(e.ballots.iter().collect::<Vec<_>>(), vec![Ppwp]);
}

#[test]
fn jakarta_has_no_dprd_kabkota_ballot() {
    let mut d = Dapils::default();
    d.insert(Contest::Dpr, "31.72", "DKI I");
    d.insert(Contest::DprdProv, "31.72", "DKI 5");
    let e = entitlement(&PEMILU, Some("31.72.01"), Some("31.72.01.1001"), &d);
    assert_eq!(
        e.ballots.iter().collect::<Vec<_>>(),
        vec![Ppwp, Dpr, Dpd, DprdProv]
    );
    assert!(e.uncertain.is_empty());
}

#[test]
fn pilkada_ballots_follow_province_and_kabkota() {
    let types = [Gubernur, BupatiWalikota];
    let d = Dapils::default();
    let e = entitlement(&types, Some("16.74.02"), TPS, &d);
    assert_eq!(
        e.ballots.iter().collect::<Vec<_>>(),
        vec![Gubernur, BupatiWalikota]
    );
    let e = entitlement(&types, Some("16.05.02"), TPS, &d);
    assert_eq!(e.ballots.iter().collect::<Vec<_>>(), vec![Gubernur]);
}

#[test]
fn reserve_is_two_percent_rounded_up() {
    assert_eq!(reserve(0, 200), 0);
    assert_eq!(reserve(1, 200), 1);
    assert_eq!(reserve(50, 200), 1);
    assert_eq!(reserve(51, 200), 2);
    assert_eq!(reserve(150, 200), 3);
    assert_eq!(reserve(151, 200), 4);
    assert_eq!(reserve(300, 200), 6);
    assert_eq!(reserve(332, 200), 7);
    assert_eq!(reserve(300, 0), 0);
}

#[test]
fn contest_names_are_forgiving() {
    assert_eq!(Contest::parse("DPRD Kab/Kota"), Some(Contest::DprdKabkota));
    assert_eq!(Contest::parse("dprd provinsi"), Some(Contest::DprdProv));
    assert_eq!(Contest::parse("DPR"), Some(Contest::Dpr));
    assert_eq!(Contest::parse("dpd"), None);
}
