//! The home page (`/`) per role, on the simulation demo: each task counts what is left,
//! links to the page where it is done (which shows the same count), and disappears when
//! done; nobody sees tasks outside their scope.

use loksus::domain::access::Role;
use reqwest::StatusCode;

use crate::helpers::{Browser, TestApp, row_cells};

const LLG: &str = "lapas-lubuklinggau";

/// The tasks of a home page: `(data-task, count, link of the line)`, in order.
fn tasks(page: &str) -> Vec<(String, i64, String)> {
    page.split(r#"<li data-task=""#)
        .skip(1)
        .map(|item| {
            let key = item[..item.find('"').unwrap()].to_owned();
            let count = between(item, r#"<span class="task-count">"#, "</span>");
            let href = between(item, r#"class="task-text" href=""#, "\"").replace("&#38;", "&");
            (key, count.replace('.', "").parse().unwrap(), href)
        })
        .collect()
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let Some(at) = text.find(start) else {
        return "";
    };
    let rest = &text[at + start.len()..];
    &rest[..rest.find(end).unwrap()]
}

fn task(page: &str, key: &str) -> Option<(i64, String)> {
    tasks(page)
        .into_iter()
        .find(|(k, _, _)| k == key)
        .map(|(_, n, href)| (n, href))
}

/// The number of WBP the Disdukcapil list says it holds, and its rows.
async fn disdukcapil(who: &Browser, href: &str) -> (i64, usize) {
    let (status, page) = who.get(href).await;
    assert_eq!(status, StatusCode::OK, "{href}");
    let said = between(&page, r#"<p class="election">"#, " WBP berusia");
    let said = said.rsplit("· ").next().unwrap();
    let rows = between(&page, "<tbody>", "</tbody>")
        .matches("<tr>")
        .count();
    (said.replace('.', "").parse().unwrap(), rows)
}

#[tokio::test]
async fn registrar_home_lists_the_facility_tasks_with_counts_and_links() {
    let app = TestApp::spawn_with_simulation().await;
    let registrar = app.login(Role::Registrar, None, Some(LLG)).await;
    let (status, home) = registrar.get("/").await;
    assert_eq!(status, StatusCode::OK);
    let list = tasks(&home);
    assert!(list.len() >= 4, "{list:?}");
    assert!(list.iter().all(|(_, n, _)| *n > 0), "{list:?}");
    assert!(home.contains("Daftar pemilih Lapas Kelas IIA Lubuklinggau"));
    assert!(home.contains(r#"<dd data-count="aktif">1.160</dd>"#));
    assert!(home.contains("Batas H-30"), "days to the deadline");

    // The NIK task leads to the Disdukcapil list, which holds as many.
    let (n, href) = task(&home, "disdukcapil").unwrap();
    assert!(home.contains("WBP tanpa NIK"));
    assert_eq!(
        href,
        "/fasilitas/lapas-lubuklinggau/disdukcapil?pemilihan=simulasi"
    );
    assert_eq!(disdukcapil(&registrar, &href).await, (n, n as usize));

    // DPK without KTP-el and releases lead to the roll filtered, with the same count.
    for key in ["dpk-tanpa-ktp-el", "bebas"] {
        let (n, href) = task(&home, key).unwrap();
        let (status, roll) = registrar.get(&href).await;
        assert_eq!(status, StatusCode::OK, "{href}");
        assert!(
            roll.contains(&format!("<caption>{n} WBP · halaman")),
            "{key}: {n}"
        );
    }
    // The pindah-memilih worklist and the TPS short of ballots.
    let (_, href) = task(&home, "dptb-tanpa-formulir").unwrap();
    assert_eq!(registrar.get(&href).await.0, StatusCode::OK);
    let (short, _) = task(&home, "kekurangan-surat-suara").unwrap();
    assert!(short > 0);
    assert!(home.contains(
        r#"<a href="/fasilitas/lapas-lubuklinggau/tps/3?pemilihan=simulasi">TPS 3: kurang"#
    ));

    // Tasks follow the selected election: Pemilu 2024 has no roll.
    let (_, archived) = registrar.get("/?pemilihan=pemilu-2024").await;
    assert!(task(&archived, "disdukcapil").is_none());
    assert!(archived.contains(r#"<dd data-count="aktif">0</dd>"#));
}

#[tokio::test]
async fn a_task_disappears_when_done() {
    let app = TestApp::spawn_with_simulation().await;
    let registrar = app.login(Role::Registrar, None, Some(LLG)).await;
    let (_, home) = registrar.get("/").await;
    let (dpk, _) = task(&home, "dpk-tanpa-ktp-el").unwrap();
    let (before, href) = task(&home, "disdukcapil").unwrap();

    // Disdukcapil issued a KTP-el to every DPK voter who lacked one.
    let fixed = sqlx::query(
        "update voters v set ktp_el = true from facilities f
         where f.id = v.facility_id and f.code = $1 and v.list = 'dpk' and v.ktp_el is false
           and v.status = 'active'",
    )
    .bind(LLG)
    .execute(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(fixed.rows_affected() as i64, dpk);

    let (_, home) = registrar.get("/").await;
    assert!(task(&home, "dpk-tanpa-ktp-el").is_none());
    let (after, _) = task(&home, "disdukcapil").unwrap();
    assert!(after < before, "{after} < {before}");
    assert_eq!(
        disdukcapil(&registrar, &href).await,
        (after, after as usize)
    );
}

#[tokio::test]
async fn kanwil_home_lists_only_the_province_and_links_to_the_right_tps() {
    let app = TestApp::spawn_with_simulation().await;
    let kanwil = app.login(Role::Kanwil, Some("16"), None).await;
    let (_, home) = kanwil.get("/").await;
    let section = between(&home, r#"id="tugas""#, "</section>");
    let list = tasks(section);
    assert!(list.iter().any(|(k, _, _)| k == "kesiapan"), "{list:?}");
    let elsewhere: Vec<String> =
        sqlx::query_scalar("select name from facilities where province_code <> '16'")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    for name in &elsewhere {
        assert!(!section.contains(name.as_str()), "{name}");
    }
    // The province's TPS short of ballots, as the figures count them.
    let short: i64 = sqlx::query_scalar(
        "select sum(x.shortage_stations)::bigint from facility_figures x
         join facilities f on f.id = x.facility_id join elections e on e.id = x.election_id
         where f.province_code = '16' and e.slug = 'simulasi'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(task(section, "kekurangan-surat-suara").unwrap().0, short);

    // A TPS link lands on that TPS's page.
    let link = section
        .split(r#"<a href="/fasilitas/"#)
        .skip(1)
        .map(|l| &l[..l.find('"').unwrap()])
        .find(|l| l.contains("/tps/"))
        .unwrap();
    let (code, rest) = link.split_once("/tps/").unwrap();
    let number = rest.split('?').next().unwrap();
    let province: String =
        sqlx::query_scalar("select province_code from facilities where code = $1")
            .bind(code)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(province, "16");
    let (status, tps) = kanwil.get(&format!("/fasilitas/{link}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(tps.contains(&format!("<h1>TPS {number}")), "{link}");
}

#[tokio::test]
async fn kpu_home_shows_the_reconciliation_differences() {
    let app = TestApp::spawn_with_simulation().await;
    let kpu = app.login(Role::Kpu, Some("16"), None).await;
    let (line, shown) = llg_reconciliation(&kpu).await;
    assert!(shown, "{line}");
    let (_, home) = kpu.get("/").await;
    let (total, _) = task(&home, "rekonsiliasi").unwrap();
    assert!(home.contains(&format!(
        r#"<a href="/fasilitas/{LLG}/rekonsiliasi?pemilihan=simulasi">"#
    )));
    // Two facilities have a KPU list; the rest of the province has none yet.
    assert!(home.contains("Di 2 fasilitas."));
    assert!(total > 0);
    assert_eq!(task(&home, "tanpa-daftar-kpu").unwrap().0, 18);
}

/// Lubuklinggau's line on the KPU home page as its reconciliation page counts the groups
/// now, and whether the home page shows it.
async fn llg_reconciliation(kpu: &Browser) -> (String, bool) {
    let (_, page) = kpu.get(&format!("/fasilitas/{LLG}/rekonsiliasi")).await;
    let group = |slug: &str| row_cells(&page, &format!(r#"data-group="{slug}""#))[1].clone();
    let line = format!(
        "Lapas Kelas IIA Lubuklinggau: {} hanya di daftar WBP, {} hanya di daftar KPU, {} beda TPS, {} beda nama",
        group("hanya-daftar"),
        group("hanya-kpu"),
        group("beda-tps"),
        group("beda-nama")
    );
    let (_, home) = kpu.get("/").await;
    let shown = home.contains(&line);
    (line, shown)
}

#[tokio::test]
async fn kpu_home_follows_changes_made_after_the_list_was_stored() {
    let app = TestApp::spawn_with_simulation().await;
    let kpu = app.login(Role::Kpu, Some("16"), None).await;
    let (before, shown) = llg_reconciliation(&kpu).await;
    assert!(shown, "{before}");
    // A voter on KPU's list at the same TPS moves to another TPS of the facility.
    let moved = sqlx::query(
        "with target as (
             select v.id, s.tps_number from voters v
             join elections e on e.id = v.election_id and e.slug = 'simulasi'
             join facilities f on f.id = v.facility_id and f.code = 'lapas-lubuklinggau'
             join stations s on s.id = v.station_id
             join kpu_lists l on l.election_id = e.id and l.facility_id = f.id
             join kpu_list_entries k on k.list_id = l.id and k.nik = v.nik
                                     and k.tps = s.tps_number
             where v.status = 'active' order by v.id limit 1
         )
         update voters v set station_id = (
             select o.id from stations o
             where o.election_id = v.election_id and o.facility_id = v.facility_id
               and o.tps_number <> t.tps_number
             order by o.tps_number limit 1)
         from target t where v.id = t.id",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(moved.rows_affected(), 1);
    let (after_move, shown) = llg_reconciliation(&kpu).await;
    assert_ne!(after_move, before);
    assert!(shown, "{after_move}");
    // KPU sends a new list: one NIK nobody on the roll has.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("dpt.csv");
    std::fs::write(&file, "nik;nama;tps\n1674010101900099;Orang Lain;1\n").unwrap();
    let out = crate::helpers::loksus(
        &app,
        &[
            "reconcile",
            file.to_str().unwrap(),
            "--facility",
            LLG,
            "--election",
            "simulasi",
        ],
    );
    assert!(out.status.success(), "{out:?}");
    let (after_list, shown) = llg_reconciliation(&kpu).await;
    assert!(
        after_list.ends_with("1 hanya di daftar KPU, 0 beda TPS, 0 beda nama"),
        "{after_list}"
    );
    assert!(shown, "{after_list}");
}

#[tokio::test]
async fn admin_home_shows_the_national_picture_and_administration() {
    let app = TestApp::spawn_with_simulation().await;
    let admin = app.admin().await;
    let (_, home) = admin.get("/").await;
    assert!(home.contains(r#"<a href="/admin/pengguna">"#));
    assert!(home.contains(r#"<a href="/admin/pemilihan">"#));
    assert!(
        home.contains(r#"<a href="/provinsi/16/kesiapan?pemilihan=simulasi">Sumatera Selatan: "#)
    );
    // The dashboard's figures stay below.
    assert!(home.contains(r#"data-province="16""#));
}

#[tokio::test]
async fn a_registrar_never_sees_another_facilitys_tasks() {
    let app = TestApp::spawn_with_simulation().await;
    let registrar = app
        .login(Role::Registrar, None, Some("lapas-palembang"))
        .await;
    let (_, home) = registrar.get("/").await;
    assert!(tasks(&home).len() >= 4);
    assert!(!home.contains(LLG), "links to Lubuklinggau");
    assert!(!home.contains("Lubuklinggau"));
    let (_, href) = task(&home, "disdukcapil").unwrap();
    assert!(href.starts_with("/fasilitas/lapas-palembang/"), "{href}");
    assert_eq!(
        registrar
            .get(&format!("/fasilitas/{LLG}/disdukcapil"))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
}
