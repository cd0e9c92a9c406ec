//! The entitlement rule on illustrative Sumatera Selatan dapils, and the reserve.

use super::*;
use BallotType::*;

const PEMILU: [BallotType; 5] = [Ppwp, Dpr, Dpd, DprdProv, DprdKabkota];

/// Illustrative Sumatera Selatan dapils: Lubuklinggau (16.73) and Musi Rawas (16.05)
/// share DPR dapil I; Palembang (16.71) shares it too but is its own DPRD Provinsi
/// dapil; Lubuklinggau's kecamatan 01 and 02 form DPRD Kota dapil 1, 03 dapil 2.
fn dapils() -> Dapils {
    let mut d = Dapils::default();
    for k in ["16.73", "16.05", "16.71"] {
        d.insert(Contest::Dpr, k, "SUMSEL I");
    }
    d.insert(Contest::Dpr, "16.03", "SUMSEL II");
    d.insert(Contest::DprdProv, "16.73", "SUMSEL 7");
    d.insert(Contest::DprdProv, "16.05", "SUMSEL 7");
    d.insert(Contest::DprdProv, "16.71", "SUMSEL 1");
    d.insert(Contest::DprdProv, "16.03", "SUMSEL 5");
    d.insert(Contest::DprdKabkota, "16.73.01", "LUBUKLINGGAU 1");
    d.insert(Contest::DprdKabkota, "16.73.02", "LUBUKLINGGAU 1");
    d.insert(Contest::DprdKabkota, "16.73.03", "LUBUKLINGGAU 2");
    d
}

/// Lapas Lubuklinggau's TPS stands in kecamatan 16.73.01.
const TPS: Option<&str> = Some("16.73.01.1001");

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
    assert_eq!(gets("16.73.03"), (vec![Ppwp, Dpr, Dpd, DprdProv], vec![]));
}

#[test]
fn same_dprd_kabkota_dapil_gets_all_five() {
    assert_eq!(gets("16.73.02.2003"), (PEMILU.to_vec(), vec![]));
    assert_eq!(gets("16.73.01"), (PEMILU.to_vec(), vec![]));
}

#[test]
fn a_missing_dapil_withholds_only_what_it_decides() {
    // 16.04 (Lahat) is in no DPR or DPRD Provinsi dapil here: same province is certain.
    assert_eq!(gets("16.04.01"), (vec![Ppwp, Dpd], vec![Dpr, DprdProv]));
    // Kecamatan 16.73.04 is in no DPRD Kota dapil.
    assert_eq!(
        gets("16.73.04"),
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
    let e = entitlement(&PEMILU, Some("16.73.01"), None, &dapils());
    assert_eq!(e.ballots.iter().collect::<Vec<_>>(), vec![Ppwp]);
}

#[test]
fn a_voter_on_the_tps_dpt_receives_every_ballot_of_the_tps() {
    let e = entitlement_on(true, &PEMILU, Some("31.75.07"), TPS, &dapils());
    assert_eq!(e.ballots.iter().collect::<Vec<_>>(), PEMILU.to_vec());
    let e = entitlement_on(false, &PEMILU, Some("31.75.07"), TPS, &dapils());
    assert_eq!(e.ballots.iter().collect::<Vec<_>>(), vec![Ppwp]);
}

#[test]
fn jakarta_has_no_dprd_kabkota_ballot() {
    let types = types_at(&PEMILU, &[], Some("31.75.02.1001"));
    assert_eq!(types, vec![Ppwp, Dpr, Dpd, DprdProv]);
    let mut d = Dapils::default();
    d.insert(Contest::Dpr, "31.75", "DKI I");
    d.insert(Contest::DprdProv, "31.75", "DKI 4");
    let e = entitlement(&types, Some("31.75.02"), Some("31.75.02.1001"), &d);
    assert_eq!(
        e.ballots.iter().collect::<Vec<_>>(),
        vec![Ppwp, Dpr, Dpd, DprdProv]
    );
    assert!(e.uncertain.is_empty());
    // No reserve (nor any need) for a ballot that does not exist there.
    let needs = needs(
        &types,
        Counts {
            dpt: 250,
            ..Counts::default()
        },
        0,
        &[],
        200,
    );
    assert_eq!(needs.len(), 4);
    assert!(needs.iter().all(|n| n.ballot_type != DprdKabkota));
}

/// DKI's DPRD Provinsi dapils split Jakarta Timur (31.75) by kecamatan: Matraman …
/// Pasar Rebo (01–05) in one dapil, the rest in another (illustrative split), while the
/// DPR dapil is the whole kota. The TPS of Lapas Cipinang stands in Pulogadung (31.75.02).
fn jakarta_timur() -> Dapils {
    let mut d = Dapils::default();
    d.insert(Contest::Dpr, "31.75", "DKI I");
    for k in 1..=10 {
        let dapil = if k <= 5 { "DKI 4" } else { "DKI 5" };
        d.insert(Contest::DprdProv, format!("31.75.{k:02}"), dapil);
    }
    // One desa of Pulogadung is moved to the other dapil (a dapil smaller than a kecamatan).
    d.insert(Contest::DprdProv, "31.75.02.1009", "DKI 5");
    d
}

#[test]
fn pasal_348_4_with_a_kecamatan_level_dprd_provinsi_dapil() {
    let types = types_at(&PEMILU, &[], Some("31.75.02.1001"));
    let at_cipinang = |home: &str| {
        let e = entitlement(&types, Some(home), Some("31.75.02.1001"), &jakarta_timur());
        (
            e.ballots.iter().collect::<Vec<_>>(),
            e.uncertain.iter().collect::<Vec<_>>(),
        )
    };
    // Same kab/kota, same dapil (Jatinegara, 03): every ballot of the TPS.
    assert_eq!(
        at_cipinang("31.75.03"),
        (vec![Ppwp, Dpr, Dpd, DprdProv], vec![])
    );
    // Same kab/kota, other dapil (Duren Sawit, 07): no DPRD Provinsi ballot.
    assert_eq!(at_cipinang("31.75.07"), (vec![Ppwp, Dpr, Dpd], vec![]));
    // The desa moved to the other dapil: no DPRD Provinsi ballot either.
    assert_eq!(at_cipinang("31.75.02.1009"), (vec![Ppwp, Dpr, Dpd], vec![]));
    // Pulogadung known only as a kecamatan: it is split, so the ballot is uncertain.
    assert_eq!(
        at_cipinang("31.75.02"),
        (vec![Ppwp, Dpr, Dpd], vec![DprdProv])
    );
    // Another kota of DKI (Jakarta Pusat), no dapil loaded for it: DPR uncertain.
    assert_eq!(
        at_cipinang("31.71.01"),
        (vec![Ppwp, Dpd], vec![Dpr, DprdProv])
    );
    // Another province: the president only.
    assert_eq!(at_cipinang("16.73.01"), (vec![Ppwp], vec![]));
}

#[test]
fn the_most_specific_area_decides() {
    let d = jakarta_timur();
    assert_eq!(d.of(Contest::DprdProv, "31.75.02.1009"), Some("DKI 5"));
    assert_eq!(d.of(Contest::DprdProv, "31.75.02.1001"), Some("DKI 4"));
    assert_eq!(d.of(Contest::DprdProv, "31.75.02"), None);
    assert_eq!(d.of(Contest::DprdProv, "31.75.08.1002"), Some("DKI 5"));
    assert_eq!(d.of(Contest::Dpr, "31.75.08.1002"), Some("DKI I"));
    assert_eq!(d.of(Contest::Dpr, "31.74.01"), None);
}

/// Pilkada Sumatera Selatan: a Gubernur contest for the province, a Walikota contest in
/// Lubuklinggau (16.73) but none in Palembang (16.71).
fn pilkada_contests() -> Vec<(BallotType, String)> {
    vec![(Gubernur, "16".into()), (BupatiWalikota, "16.73".into())]
}

#[test]
fn pilkada_ballots_follow_province_and_kabkota() {
    let types = types_at(&[Gubernur, BupatiWalikota], &pilkada_contests(), TPS);
    assert_eq!(types, vec![Gubernur, BupatiWalikota]);
    let d = Dapils::default();
    let gets = |home| {
        entitlement(&types, Some(home), TPS, &d)
            .ballots
            .iter()
            .collect::<Vec<_>>()
    };
    // Home in the same kab/kota, another kab/kota of the province, another province.
    assert_eq!(gets("16.73.02"), vec![Gubernur, BupatiWalikota]);
    assert_eq!(gets("16.05.02"), vec![Gubernur]);
    assert_eq!(gets("31.75.02"), Vec::<BallotType>::new());
}

#[test]
fn a_pilkada_ballot_exists_only_where_its_contest_is_held() {
    let contests = pilkada_contests();
    let both = [Gubernur, BupatiWalikota];
    assert_eq!(
        types_at(&both, &contests, Some("16.71.01.1001")),
        vec![Gubernur]
    );
    assert_eq!(types_at(&both, &contests, Some("16.73")), both.to_vec());
    assert_eq!(
        types_at(&both, &contests, Some("31.75.02.1001")),
        Vec::new()
    );
}

/// Lapas Kelas I Palembang TPS 1: DPT 223, DPTb 47, DPK 62; reserve 2% of 223 → 5.
const PALEMBANG_1: Counts = Counts {
    dpt: 223,
    dptb: 47,
    dpk: 62,
};

fn placed(dptb: bool, ballots: &[BallotType], uncertain: &[BallotType], n: usize) -> Vec<Placed> {
    let entitlement = Entitlement {
        ballots: ballots.iter().copied().collect(),
        uncertain: uncertain.iter().copied().collect(),
    };
    vec![Placed { dptb, entitlement }; n]
}

fn certain_and_planning(needs: &[Need]) -> Vec<(BallotType, i64, i64)> {
    needs
        .iter()
        .map(|n| (n.ballot_type, n.certain(), n.planning()))
        .collect()
}

#[test]
fn with_an_empty_roll_the_counts_decide() {
    let n = needs(&PEMILU, PALEMBANG_1, 0, &[], 200);
    // PPWP: 223 + 47 + 62 + 5 for certain; every other ballot 223 + 5 for certain and the
    // 109 DPTb/DPK voters as uncertain.
    assert_eq!(
        certain_and_planning(&n),
        vec![
            (Ppwp, 337, 337),
            (Dpr, 228, 337),
            (Dpd, 228, 337),
            (DprdProv, 228, 337),
            (DprdKabkota, 228, 337)
        ]
    );
    assert_eq!(n[0].reserve, 5);
}

#[test]
fn a_partial_roll_decides_for_the_voters_it_covers() {
    let all = PEMILU;
    let mut on_roll = placed(true, &all, &[], 12); // DPTb from Palembang, same dapils
    on_roll.extend(placed(true, &[Ppwp], &[], 5)); // DPTb from another province
    on_roll.extend(placed(true, &[Ppwp], &[Dpr, Dpd, DprdProv, DprdKabkota], 3)); // home unknown
    on_roll.extend(placed(false, &all, &[], 10)); // DPK from Palembang
    let n = needs(&PEMILU, PALEMBANG_1, 200, &on_roll, 200);
    // Not on the roll yet: 47 − 20 DPTb and 62 − 10 DPK = 79.
    // PPWP: 223 + 30 + 79 + 5. DPR: 223 + 22 + 5 certain, + 3 + 79 uncertain.
    // DPD: the five from another province get none.
    assert_eq!(
        certain_and_planning(&n),
        vec![
            (Ppwp, 337, 337),
            (Dpr, 250, 332),
            (Dpd, 250, 332),
            (DprdProv, 250, 332),
            (DprdKabkota, 250, 332)
        ]
    );
}

#[test]
fn a_full_roll_leaves_only_unknown_homes_uncertain() {
    let mut on_roll = placed(true, &PEMILU, &[], 40);
    on_roll.extend(placed(true, &[Ppwp], &[], 7));
    on_roll.extend(placed(false, &PEMILU, &[], 50));
    on_roll.extend(placed(
        false,
        &[Ppwp, Dpd],
        &[Dpr, DprdProv, DprdKabkota],
        12,
    ));
    let n = needs(&PEMILU, PALEMBANG_1, 223, &on_roll, 200);
    assert_eq!(
        certain_and_planning(&n),
        vec![
            (Ppwp, 337, 337),
            (Dpr, 318, 330),
            (Dpd, 330, 330),
            (DprdProv, 318, 330),
            (DprdKabkota, 318, 330)
        ]
    );
}

#[test]
fn more_dpt_voters_on_the_roll_than_counted_raise_the_need() {
    let n = needs(&[Ppwp], Counts::default(), 150, &[], 200);
    assert_eq!((n[0].dpt, n[0].reserve, n[0].certain()), (150, 3, 153));
}

#[test]
fn in_a_pilkada_voters_not_on_the_roll_count_for_the_widest_contest() {
    let types = [Gubernur, BupatiWalikota];
    let counts = Counts {
        dpt: 400,
        dptb: 30,
        dpk: 10,
    };
    let n = needs(&types, counts, 0, &[], 250);
    // Reserve 2.5% of 400 = 10. Gubernur: 400 + 40 + 10; Walikota: 410 + 40 uncertain.
    assert_eq!(
        certain_and_planning(&n),
        vec![(Gubernur, 450, 450), (BupatiWalikota, 410, 450)]
    );
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
