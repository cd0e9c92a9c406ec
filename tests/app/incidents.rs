//! Voting day's paper and conduct (issue 15): the incident log with its status history, the
//! province's incidents, the ASN neutrality briefing on the readiness matrix, and KPU's voter
//! documents (Daftar Hadir per list with the men/women counts, C-Pemberitahuan with masked
//! NIKs and local hours). Expected figures are counted by hand in the comments.

use loksus::domain::access::Role;
use reqwest::StatusCode;

use crate::helpers::{Browser, TestApp, row_cells};

const LLG: &str = "/fasilitas/lapas-lubuklinggau";

async fn registrar(app: &TestApp) -> Browser {
    app.login(Role::Registrar, None, Some("lapas-lubuklinggau"))
        .await
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

/// The username a browser logged in with (the latest account of `role`).
async fn username(app: &TestApp, role: &str) -> String {
    sqlx::query_scalar("select username from users where role = $1 order by id desc limit 1")
        .bind(role)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

/// Posts a new incident at `facility`; the response.
async fn report(
    who: &Browser,
    facility: &str,
    (category, severity, tps): (&str, &str, &str),
    description: &str,
) -> reqwest::Response {
    who.post(
        &format!("/fasilitas/{facility}/insiden"),
        &[
            ("kategori", category),
            ("tingkat", severity),
            ("waktu", "2024-02-14T10:30"),
            ("tps", tps),
            ("uraian", description),
        ],
    )
    .await
}

/// The id at the end of a redirect to `/fasilitas/{code}/insiden/{id}?pemilihan=...`.
fn incident_id(resp: &reqwest::Response) -> String {
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let location = resp.headers()["location"].to_str().unwrap();
    let path = location.split('?').next().unwrap();
    path.rsplit('/').next().unwrap().to_owned()
}

#[tokio::test]
async fn an_incident_changes_status_twice_and_the_history_shows_who_and_when() {
    let app = TestApp::spawn_with_demo().await;
    let registrar = registrar(&app).await;
    let registrar_name = username(&app, "registrar").await;
    let kanwil = app.login(Role::Kanwil, Some("16"), None).await;
    let kanwil_name = username(&app, "kanwil").await;

    let resp = report(
        &registrar,
        "lapas-lubuklinggau",
        ("bencana", "darurat", "1"),
        "Air masuk ke aula TPS 1",
    )
    .await;
    let id = incident_id(&resp);
    let (category, severity, status, tps): (String, String, String, i32) = sqlx::query_as(
        "select i.category, i.severity, i.status, s.tps_number
         from incidents i join stations s on s.id = i.station_id",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(
        (category.as_str(), severity.as_str(), status.as_str(), tps),
        ("disaster", "emergency", "open", 1)
    );
    let page = format!("{LLG}/insiden/{id}");
    let change = |status: &'static str, before: &'static str, note: &'static str| {
        [
            ("status", status),
            ("status_sekarang", before),
            ("catatan", note),
        ]
    };
    let resp = kanwil
        .post(
            &format!("{page}/status"),
            &change("ditangani", "terbuka", "Surat suara dipindah ke gudang"),
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let resp = registrar
        .post(
            &format!("{page}/status"),
            &change("selesai", "ditangani", "Air surut"),
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);

    // Recorded, then two changes: each with the status, the note, who and when (WIB).
    let (_, body) = kanwil.get(&page).await;
    let first = row_cells(&body, r#"data-change="1""#);
    let second = row_cells(&body, r#"data-change="2""#);
    let third = row_cells(&body, r#"data-change="3""#);
    assert_eq!(first[1..], ["Terbuka", "dicatat", registrar_name.as_str()]);
    assert_eq!(
        second[1..],
        [
            "Ditangani",
            "Surat suara dipindah ke gudang",
            kanwil_name.as_str()
        ]
    );
    assert_eq!(
        third[1..],
        ["Selesai", "Air surut", registrar_name.as_str()]
    );
    for row in [&first, &second, &third] {
        assert!(row[0].ends_with(" WIB"), "{row:?}");
    }
    assert!(body.contains(r#"<span class="incident-status selesai">Selesai</span>"#));
    let history = count(&app, "select count(*) from incident_history").await;
    assert_eq!(history, 3);
    let audited = count(
        &app,
        "select count(*) from audit_log where action in ('incident.create', 'incident.status')",
    )
    .await;
    assert_eq!(audited, 3);

    // A form shown before the last change, or the same status again, writes nothing.
    let resp = kanwil
        .post(
            &format!("{page}/status"),
            &change("terbuka", "ditangani", "dibuka lagi"),
        )
        .await;
    assert_eq!(resp.status(), StatusCode::CONFLICT);
    let resp = kanwil
        .post(&format!("{page}/status"), &change("selesai", "selesai", ""))
        .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        resp.text()
            .await
            .unwrap()
            .contains("sudah &#34;selesai&#34;")
    );
    assert_eq!(
        count(&app, "select count(*) from incident_history").await,
        3
    );
}

#[tokio::test]
async fn bad_incidents_are_refused_with_the_message_and_nothing_is_stored() {
    let app = TestApp::spawn_with_demo().await;
    let registrar = registrar(&app).await;
    let llg = "lapas-lubuklinggau";
    let cases = [
        (
            ("kamtib", "info", ""),
            "   ",
            "Uraian kejadian wajib diisi.",
        ),
        (
            ("security", "info", ""),
            "Keributan di blok C",
            "Kategori &#34;security&#34; tidak dikenal",
        ),
        (
            ("kamtib", "tinggi", ""),
            "Keributan di blok C",
            "Tingkat &#34;tinggi&#34; tidak dikenal",
        ),
        // TPS 901 belongs to Lapas Kelas I Palembang.
        (
            ("logistik", "perhatian", "901"),
            "Segel kotak suara rusak",
            "TPS &#34;901&#34; bukan TPS fasilitas ini",
        ),
    ];
    for (values, description, message) in cases {
        let resp = report(&registrar, llg, values, description).await;
        assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY, "{message}");
        let body = resp.text().await.unwrap();
        assert!(body.contains(message), "{message}");
        // What was typed stays in the form.
        assert!(body.contains(description.trim()), "{message}");
    }
    assert_eq!(count(&app, "select count(*) from incidents").await, 0);
    assert_eq!(
        count(&app, "select count(*) from incident_history").await,
        0
    );
    let audited = count(
        &app,
        "select count(*) from audit_log where action like 'incident.%'",
    )
    .await;
    assert_eq!(audited, 0);
}

#[tokio::test]
async fn the_province_lists_open_incidents_first_emergencies_first_and_kpu_only_reads() {
    let app = TestApp::spawn_with_demo().await;
    let kanwil = app.login(Role::Kanwil, Some("16"), None).await;
    let ids = [
        (
            "lapas-palembang",
            ("kamtib", "info", "901"),
            "Antrean ricuh",
        ),
        ("lapas-lubuklinggau", ("bencana", "darurat", ""), "Banjir"),
        (
            "lapas-palembang",
            ("logistik", "perhatian", ""),
            "Tinta kurang",
        ),
        (
            "lapas-lubuklinggau",
            ("kampanye", "darurat", ""),
            "Selebaran",
        ),
    ];
    let mut made = Vec::new();
    for (facility, values, text) in ids {
        made.push(incident_id(&report(&kanwil, facility, values, text).await));
    }
    // The flood is handled and closed.
    let resp = kanwil
        .post(
            &format!("{LLG}/insiden/{}/status", made[1]),
            &[("status", "selesai"), ("status_sekarang", "terbuka")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    // Open: the campaigning emergency, then the attention, then the info; then the closed
    // flood. All four were reported at the same time, so severity alone orders the open ones.
    let (status, body) = kanwil.get("/provinsi/16/insiden").await;
    assert_eq!(status, StatusCode::OK);
    let at = |id: &str| body.find(&format!(r#"data-incident="{id}""#)).unwrap();
    assert!(at(&made[3]) < at(&made[2]));
    assert!(at(&made[2]) < at(&made[0]));
    assert!(at(&made[0]) < at(&made[1]));
    assert!(body.contains(r#"data-open="3" data-emergency="1""#));

    // The KPU liaison of the province reads, without a form; writing is refused.
    let kpu = app.login(Role::Kpu, Some("16"), None).await;
    let (status, log) = kpu.get(&format!("{LLG}/insiden")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(log.contains("Selebaran"));
    assert!(!log.contains("Catat insiden"));
    let resp = report(&kpu, "lapas-lubuklinggau", ("lainnya", "info", ""), "x").await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    // The kanwil of another province does not see them at all.
    let kanwil31 = app.login(Role::Kanwil, Some("31"), None).await;
    assert_eq!(
        kanwil31.get("/provinsi/16/insiden").await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        kanwil31.get(&format!("{LLG}/insiden/{}", made[3])).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(count(&app, "select count(*) from incidents").await, 4);
}

#[tokio::test]
async fn the_neutrality_briefing_shows_on_the_facility_page_the_matrix_and_the_province() {
    let app = TestApp::spawn_with_demo().await;
    let kanwil = app.login(Role::Kanwil, Some("16"), None).await;
    let registrar = registrar(&app).await;
    let briefing = |row: &[String]| row[1].clone();
    let (_, matrix) = kanwil.get("/provinsi/16/kesiapan").await;
    let row = row_cells(&matrix, r#"data-facility="lapas-lubuklinggau""#);
    assert_eq!(briefing(&row), "belum");

    // Bad input changes nothing.
    let resp = registrar
        .post(
            &format!("{LLG}/netralitas"),
            &[("tanggal", "2024-01-20"), ("jumlah_pegawai", "0")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        resp.text()
            .await
            .unwrap()
            .contains("harus bilangan bulat 1–100.000")
    );
    let stored = "select count(*) from neutrality_briefings";
    assert_eq!(count(&app, stored).await, 0);

    let resp = registrar
        .post(
            &format!("{LLG}/netralitas"),
            &[("tanggal", "2024-01-20"), ("jumlah_pegawai", "45")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (_, matrix) = kanwil.get("/provinsi/16/kesiapan").await;
    let row = row_cells(&matrix, r#"data-facility="lapas-lubuklinggau""#);
    assert_eq!(briefing(&row), "sudah");
    let row = row_cells(&matrix, r#"data-facility="lapas-palembang""#);
    assert_eq!(briefing(&row), "belum");
    let (_, page) = kanwil.get(LLG).await;
    assert!(page.contains("20 Januari 2024, 45 pegawai"));
    // The province page names the 19 other facilities of Sumatera Selatan.
    let (_, province) = kanwil.get("/provinsi/16").await;
    let line = province
        .split(r#"data-not-briefed="19">"#)
        .nth(1)
        .expect("the not-briefed line")
        .split("</p>")
        .next()
        .unwrap();
    assert!(line.contains("(19 dari 20 fasilitas)"), "{line}");
    assert!(line.contains("Lapas Kelas I Palembang"), "{line}");
    assert!(!line.contains("Lubuklinggau"), "{line}");
    let audited = count(
        &app,
        "select count(*) from audit_log where action = 'neutrality.briefing'",
    )
    .await;
    assert_eq!(audited, 1);

    // Another facility's registrar, and the read-only KPU liaison, cannot record one.
    let other = registrar
        .post(
            "/fasilitas/lapas-palembang/netralitas",
            &[("tanggal", "2024-01-20"), ("jumlah_pegawai", "45")],
        )
        .await;
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
    let kpu = app.login(Role::Kpu, Some("16"), None).await;
    let resp = kpu
        .post(
            &format!("{LLG}/netralitas"),
            &[("tanggal", "2024-01-21"), ("jumlah_pegawai", "50")],
        )
        .await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    assert_eq!(count(&app, stored).await, 1);
}

/// Puts eligible voters on TPS `number` of `facility` (Pemilu 2024): each `(name, sex,
/// list)` gets a NIK ending in its position (from `first`) that agrees with its birth date
/// (1 January 1990) and sex.
async fn place_voters(
    app: &TestApp,
    (facility, number): (&str, i32),
    voters: &[(&str, &str, Option<&str>)],
    first: i32,
) {
    for (i, (name, sex, list)) in voters.iter().enumerate() {
        let serial = format!("{:04}", first + i as i32);
        let day = if *sex == "P" { "41" } else { "01" };
        sqlx::query(
            "insert into voters (election_id, facility_id, row_key, nik, name, birth_date, sex,
                                 legal_status, marital_status, list, station_id)
             select e.id, f.id, 'nik:' || $3, $3, $4, date '1990-01-01', $5, 'convict',
                    'married', $6, s.id
             from elections e, facilities f, stations s
             where e.slug = 'pemilu-2024' and f.code = $1 and s.facility_id = f.id
               and s.election_id = e.id and s.tps_number = $2",
        )
        .bind(facility)
        .bind(number)
        .bind(format!("{}{day}0190{serial}", &nik_prefix(facility)))
        .bind(name)
        .bind(sex)
        .bind(list)
        .execute(&app.db.pool)
        .await
        .unwrap();
    }
}

/// The first six NIK digits of a facility's home kecamatan.
fn nik_prefix(facility: &str) -> &'static str {
    if facility.contains("kupang") {
        "537101"
    } else {
        "167301"
    }
}

#[tokio::test]
async fn each_daftar_hadir_holds_its_lists_voters_with_men_and_women_counted() {
    let app = TestApp::spawn_with_demo().await;
    // DPT: 3 men, 2 women; DPTb: 1 man, 1 woman; DPK: 2 women; one on no list yet.
    let voters = [
        ("Adi DPT", "L", Some("dpt")),
        ("Bayu DPT", "L", Some("dpt")),
        ("Citra DPT", "P", Some("dpt")),
        ("Dodi DPT", "L", Some("dpt")),
        ("Evi DPT", "P", Some("dpt")),
        ("Fajar DPTb", "L", Some("dptb")),
        ("Gita DPTb", "P", Some("dptb")),
        ("Hana DPK", "P", Some("dpk")),
        ("Intan DPK", "P", Some("dpk")),
        ("Joni Tanpa Daftar", "L", None),
    ];
    place_voters(&app, ("lapas-lubuklinggau", 1), &voters, 1).await;
    let kpu = app.login(Role::Kpu, Some("16"), None).await;
    for (list, label, (men, women)) in [
        ("dpt", "DPT", (3, 2)),
        ("dptb", "DPTb", (1, 1)),
        ("dpk", "DPK", (0, 2)),
    ] {
        let (status, body) = kpu.get(&format!("{LLG}/tps/1/daftar-hadir/{list}")).await;
        assert_eq!(status, StatusCode::OK, "{list}");
        let names: Vec<&str> = voters
            .iter()
            .filter(|v| v.2 == Some(list))
            .map(|v| v.0)
            .collect();
        for (name, _, on) in &voters {
            assert_eq!(body.contains(name), *on == Some(list), "{name} on {list}");
        }
        assert_eq!(body.matches(r#"<td class="sign">"#).count(), names.len());
        assert!(
            body.contains(&format!(r#"data-men="{men}" data-women="{women}""#)),
            "{list}"
        );
        assert!(
            body.contains(&format!("Daftar Hadir Pemilih {label} (")),
            "{list}"
        );
        assert!(
            body.contains(&format!("Pemilih {label} di daftar ini")),
            "{list}"
        );
        assert!(body.contains("Tanda tangan"));
        assert!(!body.contains("1673010101900001"), "NIKs are masked");
    }
    assert!(
        kpu.get(&format!("{LLG}/tps/1/daftar-hadir/dpt"))
            .await
            .1
            .contains("************0001")
    );
    assert_eq!(
        kpu.get(&format!("{LLG}/tps/1/daftar-hadir/semua")).await.0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn notices_show_masked_niks_and_the_local_hours_dpk_from_noon() {
    let app = TestApp::spawn_with_demo().await;
    let voters = [
        ("Yohanes DPT", "L", Some("dpt")),
        ("Maria DPK", "P", Some("dpk")),
    ];
    place_voters(&app, ("lapas-kupang", 1), &voters, 1).await;
    // Even an admin, who reads full NIKs on the roll, prints masked ones.
    let admin = app.admin().await;
    let (status, body) = admin
        .get("/fasilitas/lapas-kupang/tps/1/pemberitahuan")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body.matches(r#"<article class="notice""#).count(), 2);
    let notice = |name: &str| {
        body.split(r#"<article class="notice""#)
            .find(|n| n.contains(name))
            .unwrap()
            .split("</article>")
            .next()
            .unwrap()
            .to_owned()
    };
    let dpt = notice("Yohanes DPT");
    assert!(dpt.contains("************0001"));
    assert!(dpt.contains("07.00–13.00 WITA"), "{dpt}");
    assert!(dpt.contains("DPT (Daftar Pemilih Tetap) nomor 1"));
    assert!(dpt.contains("Rabu, 14 Februari 2024"));
    assert!(dpt.contains("Lapas Kelas IIA Kupang"));
    let dpk = notice("Maria DPK");
    assert!(dpk.contains("************0002"));
    assert!(dpk.contains("12.00–13.00 WITA"), "{dpk}");
    assert!(!body.contains("5371010101900001"));
    assert!(!body.contains("5371014101900002"));
    assert!(!body.contains("WIB"));

    // In Sumatera Selatan the same notice reads WIB.
    place_voters(&app, ("lapas-lubuklinggau", 1), &voters[..1], 5).await;
    let (_, body) = admin.get(&format!("{LLG}/tps/1/pemberitahuan")).await;
    assert!(body.contains("07.00–13.00 WIB"));
}
