//! Dapils as reference data: an admin imports KPU's decisions from CSV
//! (`election, contest, dapil code, dapil name, region code`), everyone can list them and
//! check which TPS locations they do not cover yet.
//!
//! An import replaces the dapils of every (election, contest) pair the file names, in one
//! transaction; a file with any bad row changes nothing and names the row and column.

use std::collections::{BTreeMap, HashMap, HashSet};

use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde_json::json;
use sqlx::PgConnection;

use crate::db::audit::{self, Actor, Entry};
use crate::domain::access::Action;
use crate::domain::ballots::Contest;
use crate::domain::nik::PROVINCE_CODES;
use crate::domain::roll_file::{RowError, csv_reader, first_line};
use crate::http::AppState;
use crate::http::error::{AppError, Result};
use crate::http::layout::Layout;
use crate::http::session::CurrentUser;
use crate::read::elections::{self, Election, ElectionQuery};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DapilRow {
    pub line: u64,
    pub election: String,
    pub contest: Contest,
    pub code: String,
    pub name: String,
    pub region: String,
}

const COLUMNS: [(&str, &[&str]); 5] = [
    ("election", &["election", "pemilihan"]),
    ("contest", &["contest", "jenis_pemilihan", "kontestasi"]),
    ("dapil_code", &["dapil_code", "kode_dapil"]),
    ("dapil_name", &["dapil_name", "nama_dapil"]),
    ("region_code", &["region_code", "kode_wilayah"]),
];

fn normalise_header(h: &str) -> String {
    h.trim()
        .trim_start_matches('\u{feff}')
        .to_lowercase()
        .replace([' ', '-'], "_")
}

/// A kab/kota (`16.74`, `1674`) or kecamatan (`16.74.01`, `167401`) code in dotted form, at
/// the level `contest` needs.
fn region(s: &str, contest: Contest) -> Option<String> {
    let digits: String = s.chars().filter(|c| *c != '.').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) || !PROVINCE_CODES.contains(&digits.get(0..2)?) {
        return None;
    }
    let dotted = match (contest, digits.len()) {
        (Contest::Dpr | Contest::DprdProv, 4) => format!("{}.{}", &digits[0..2], &digits[2..4]),
        (Contest::DprdKabkota, 6) => {
            format!("{}.{}.{}", &digits[0..2], &digits[2..4], &digits[4..6])
        }
        _ => return None,
    };
    (!s.contains('.') || s.trim() == dotted).then_some(dotted)
}

fn err(line: u64, column: &'static str, message: impl Into<String>) -> RowError {
    RowError {
        line,
        column,
        message: message.into(),
    }
}

/// Reads a dapil file. Rows are numbered as a spreadsheet shows them (the header is row 1).
pub fn parse(content: &[u8]) -> std::result::Result<Vec<DapilRow>, Vec<RowError>> {
    let mut reader = csv_reader(first_line(content), content);
    let headers = reader
        .headers()
        .map_err(|_| {
            vec![err(
                1,
                "–",
                "Baris judul tidak dapat dibaca (harus teks CSV UTF-8).",
            )]
        })?
        .clone();
    let mut positions = [usize::MAX; 5];
    for (i, h) in headers.iter().enumerate() {
        let h = normalise_header(h);
        if let Some(c) = COLUMNS
            .iter()
            .position(|(_, names)| names.contains(&h.as_str()))
        {
            positions[c] = i;
        }
    }
    let missing: Vec<&str> = COLUMNS
        .iter()
        .zip(positions)
        .filter(|(_, p)| *p == usize::MAX)
        .map(|((n, _), _)| *n)
        .collect();
    if !missing.is_empty() {
        return Err(vec![err(
            1,
            "–",
            format!(
                "Kolom wajib tidak ada di baris judul: {}.",
                missing.join(", ")
            ),
        )]);
    }
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut names: HashMap<(String, Contest, String), String> = HashMap::new();
    let mut seen: HashMap<(String, Contest, String), (String, u64)> = HashMap::new();
    let mut outer: HashMap<(String, Contest, String), String> = HashMap::new();
    for (i, record) in reader.records().enumerate() {
        let line = i as u64 + 2;
        let record = match record {
            Ok(r) => r,
            Err(_) => {
                errors.push(err(
                    line,
                    "–",
                    "Baris tidak dapat dibaca (harus teks CSV UTF-8).",
                ));
                continue;
            }
        };
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let get = |c: usize| record.get(positions[c]).map_or("", str::trim);
        if let Some(c) = (0..COLUMNS.len()).find(|&c| get(c).contains('\0')) {
            errors.push(err(
                line,
                COLUMNS[c].0,
                "Memuat karakter NUL yang tidak diizinkan.",
            ));
            continue;
        }
        let election = get(0).to_lowercase();
        if election.is_empty() {
            errors.push(err(
                line,
                "election",
                "Pemilihan (slug, misalnya pemilu-2024) wajib diisi.",
            ));
            continue;
        }
        let Some(contest) = Contest::parse(get(1)) else {
            errors.push(err(
                line,
                "contest",
                "Jenis harus dpr, dprd_prov atau dprd_kabkota.",
            ));
            continue;
        };
        let code = get(2).to_owned();
        if code.is_empty() || code.chars().count() > 60 {
            errors.push(err(
                line,
                "dapil_code",
                "Kode dapil wajib diisi (paling banyak 60 karakter).",
            ));
            continue;
        }
        let name = get(3).to_owned();
        if name.is_empty() || name.chars().count() > 200 {
            errors.push(err(
                line,
                "dapil_name",
                "Nama dapil wajib diisi (paling banyak 200 karakter).",
            ));
            continue;
        }
        let Some(region) = region(get(4), contest) else {
            let want = if contest == Contest::DprdKabkota {
                "kode kecamatan, misalnya 16.74.01"
            } else {
                "kode kab/kota, misalnya 16.74"
            };
            errors.push(err(
                line,
                "region_code",
                format!("Kode wilayah harus {want}."),
            ));
            continue;
        };
        let key = (election.clone(), contest, code.clone());
        if let Some(n) = names.get(&key)
            && *n != name
        {
            errors.push(err(
                line,
                "dapil_name",
                format!("Dapil {code} sudah bernama \"{n}\" di baris sebelumnya."),
            ));
            continue;
        }
        names.insert(key.clone(), name.clone());
        // Dapils do not cross provinces (DPR, DPRD Provinsi) or kab/kota (DPRD Kab/Kota).
        let boundary = if contest == Contest::DprdKabkota {
            &region[..5]
        } else {
            &region[..2]
        };
        if let Some(b) = outer.get(&key)
            && b != boundary
        {
            errors.push(err(
                line,
                "region_code",
                format!("Dapil {code} melewati batas wilayah {b}."),
            ));
            continue;
        }
        outer.insert(key, boundary.to_owned());
        if let Some((other, at)) = seen.insert(
            (election.clone(), contest, region.clone()),
            (code.clone(), line),
        ) {
            errors.push(err(
                line,
                "region_code",
                format!("Wilayah {region} sudah masuk dapil {other} (baris {at})."),
            ));
            continue;
        }
        rows.push(DapilRow {
            line,
            election,
            contest,
            code,
            name,
            region,
        });
    }
    if rows.is_empty() && errors.is_empty() {
        errors.push(err(2, "–", "Berkas tidak berisi baris data."));
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

#[derive(Debug)]
pub enum ImportError {
    Rows(Vec<RowError>),
    Database(sqlx::Error),
}

impl From<sqlx::Error> for ImportError {
    fn from(e: sqlx::Error) -> Self {
        ImportError::Database(e)
    }
}

/// Each dapil `(code, name)` of one contest and its regions.
type DapilRegions = BTreeMap<(String, String), Vec<String>>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Imported {
    pub dapils: usize,
    pub regions: usize,
}

/// Replaces the dapils of every (election, contest) the rows name. Run it in a transaction.
pub async fn import(
    conn: &mut PgConnection,
    actor: &Actor,
    rows: &[DapilRow],
    illustrative: bool,
) -> std::result::Result<Imported, ImportError> {
    let slugs: Vec<String> = rows
        .iter()
        .map(|r| r.election.clone())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let known: HashMap<String, i64> = sqlx::query!(
        "select id, slug from elections where slug = any($1)",
        &slugs
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| (r.slug, r.id))
    .collect();
    let unknown: Vec<RowError> = rows
        .iter()
        .filter(|r| !known.contains_key(&r.election))
        .map(|r| {
            err(
                r.line,
                "election",
                format!("Pemilihan \"{}\" tidak dikenal.", r.election),
            )
        })
        .collect();
    if !unknown.is_empty() {
        return Err(ImportError::Rows(unknown));
    }
    let mut groups: BTreeMap<(i64, &'static str), DapilRegions> = BTreeMap::new();
    for r in rows {
        groups
            .entry((known[&r.election], r.contest.as_str()))
            .or_default()
            .entry((r.code.clone(), r.name.clone()))
            .or_default()
            .push(r.region.clone());
    }
    let mut total = Imported {
        dapils: 0,
        regions: 0,
    };
    for ((election_id, contest), dapils) in &groups {
        sqlx::query!(
            "delete from dapils where election_id = $1 and contest = $2",
            election_id,
            contest
        )
        .execute(&mut *conn)
        .await?;
        for ((code, name), regions) in dapils {
            let id = sqlx::query_scalar!(
                "insert into dapils (election_id, contest, code, name, illustrative)
                 values ($1, $2, $3, $4, $5) returning id",
                election_id,
                contest,
                code,
                name,
                illustrative
            )
            .fetch_one(&mut *conn)
            .await?;
            sqlx::query!(
                "insert into dapil_regions (dapil_id, election_id, contest, region_code)
                 select $1, $2, $3, unnest($4::text[])",
                id,
                election_id,
                contest,
                regions
            )
            .execute(&mut *conn)
            .await?;
            total.dapils += 1;
            total.regions += regions.len();
        }
        audit::record(
            conn,
            actor,
            Entry::new("dapil.import")
                .object("election", election_id)
                .after(json!({ "contest": contest, "dapils": dapils.len(),
                               "regions": dapils.values().map(Vec::len).sum::<usize>(),
                               "illustrative": illustrative })),
        )
        .await?;
    }
    Ok(total)
}

// ----- the page -------------------------------------------------------------------------

pub struct DapilView {
    pub contest: &'static str,
    pub code: String,
    pub name: String,
    pub regions: Vec<String>,
    pub illustrative: bool,
}

pub struct GapView {
    pub facility_code: String,
    pub facility_name: String,
    pub tps_number: i32,
    pub location: String,
    pub missing: Vec<&'static str>,
}

pub struct ErrorView {
    pub line: u64,
    pub column: &'static str,
    pub message: String,
}

#[derive(Template)]
#[template(path = "stations/dapils.html")]
struct DapilsPage {
    layout: Layout,
    election: Option<Election>,
    is_admin: bool,
    dapils: Vec<DapilView>,
    gaps: Vec<GapView>,
    checked: usize,
    errors: Vec<ErrorView>,
    imported: Option<String>,
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    q: &ElectionQuery,
    errors: Vec<ErrorView>,
    imported: Option<String>,
) -> Result<String> {
    let election = elections::selected(&state.db, q).await?;
    let id = election.as_ref().map(|e| e.id);
    let dapils = sqlx::query!(
        r#"select d.contest, d.code, d.name, d.illustrative,
                  array_agg(r.region_code || coalesce(' ' || g.name, '') order by r.region_code) as "regions!"
           from dapils d
           join dapil_regions r on r.dapil_id = d.id
           left join regions g on g.code = r.region_code
           where d.election_id = $1 and ($2::text is null or left(r.region_code, 2) = $2)
           group by d.id
           order by case d.contest when 'dpr' then 1 when 'dprd_prov' then 2 else 3 end, d.code"#,
        id,
        user.province_filter()
    )
    .fetch_all(&state.db)
    .await?
    .into_iter()
    .map(|d| DapilView {
        contest: Contest::parse(&d.contest).map_or("", Contest::label),
        code: d.code,
        name: d.name,
        regions: d.regions,
        illustrative: d.illustrative,
    })
    .collect();
    // Which TPS locations no dapil covers (the ballots of their voters stay uncertain).
    let stations = sqlx::query!(
        r#"select f.code, f.name, s.tps_number, s.location_code,
                  exists (select 1 from dapil_regions r where r.election_id = s.election_id
                          and r.contest = 'dpr' and r.region_code = left(s.location_code, 5)) as "dpr!",
                  exists (select 1 from dapil_regions r where r.election_id = s.election_id
                          and r.contest = 'dprd_prov' and r.region_code = left(s.location_code, 5)) as "prov!",
                  exists (select 1 from dapil_regions r where r.election_id = s.election_id
                          and r.contest = 'dprd_kabkota' and r.region_code = left(s.location_code, 8)) as "kab!"
           from stations s join facilities f on f.id = s.facility_id
           where s.election_id = $1 and ($2::text is null or f.province_code = $2)
             and ($3::bigint is null or f.id = $3)
           order by f.province_code, f.name, s.tps_number"#,
        id,
        user.province_filter(),
        user.facility_filter()
    )
    .fetch_all(&state.db)
    .await?;
    let checked = stations.len();
    let gaps = stations
        .into_iter()
        .filter_map(|s| {
            let missing: Vec<&'static str> = match &s.location_code {
                None => vec!["lokasi TPS belum diisi"],
                Some(_) => [
                    (s.dpr, "DPR"),
                    (s.prov, "DPRD Provinsi"),
                    (s.kab, "DPRD Kab/Kota"),
                ]
                .into_iter()
                .filter(|(ok, _)| !ok)
                .map(|(_, l)| l)
                .collect(),
            };
            (!missing.is_empty()).then(|| GapView {
                facility_code: s.code,
                facility_name: s.name,
                tps_number: s.tps_number,
                location: s.location_code.unwrap_or_default(),
                missing,
            })
        })
        .collect();
    Ok(DapilsPage {
        layout: user.layout(),
        election,
        is_admin: user.may(Action::Administer),
        dapils,
        gaps,
        checked,
        errors,
        imported,
    }
    .render()?)
}

#[derive(serde::Deserialize)]
pub struct PageQuery {
    pemilihan: Option<String>,
    diimpor: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<PageQuery>,
) -> Result<Html<String>> {
    let imported = q.diimpor.as_deref().and_then(|s| {
        let (d, r) = s.split_once('-')?;
        Some(format!(
            "Impor berhasil: {} dapil, {} wilayah.",
            d.parse::<u32>().ok()?,
            r.parse::<u32>().ok()?
        ))
    });
    let eq = ElectionQuery {
        pemilihan: q.pemilihan,
    };
    Ok(Html(
        render(&state, &user, &eq, Vec::new(), imported).await?,
    ))
}

pub const UPLOAD_LIMIT: usize = 5 * 1024 * 1024;

pub fn limit() -> DefaultBodyLimit {
    DefaultBodyLimit::max(UPLOAD_LIMIT + 64 * 1024)
}

pub async fn upload(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<ElectionQuery>,
    mut multipart: Multipart,
) -> Result<Response> {
    user.require_to(Action::Administer)?;
    let too_big = || AppError::TooLarge("Berkas terlalu besar atau terputus (batas 5 MB).".into());
    let mut content = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(|_| too_big())? {
        if field.name() == Some("berkas") {
            content = field.bytes().await.map_err(|_| too_big())?.to_vec();
        }
    }
    let fail = |errors: Vec<RowError>| {
        errors
            .into_iter()
            .take(200)
            .map(|e| ErrorView {
                line: e.line,
                column: e.column,
                message: e.message,
            })
            .collect::<Vec<_>>()
    };
    if content.is_empty() {
        let html = render(
            &state,
            &user,
            &q,
            fail(vec![err(1, "–", "Pilih berkas CSV dapil.")]),
            None,
        )
        .await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response());
    }
    let rows = match parse(&content) {
        Ok(rows) => rows,
        Err(errors) => {
            let html = render(&state, &user, &q, fail(errors), None).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response());
        }
    };
    let mut tx = state.db.begin().await?;
    match import(&mut tx, &user.actor(), &rows, false).await {
        Ok(done) => {
            tx.commit().await?;
            let slug = q.pemilihan.as_deref().unwrap_or_default();
            Ok(Redirect::to(&format!(
                "/admin/dapil?pemilihan={slug}&diimpor={}-{}",
                done.dapils, done.regions
            ))
            .into_response())
        }
        Err(ImportError::Rows(errors)) => {
            drop(tx);
            let html = render(&state, &user, &q, fail(errors), None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(ImportError::Database(e)) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_good_file_in_either_separator() {
        let rows = parse(
            b"election;contest;dapil code;dapil name;region code\n\
              pemilu-2024;DPR;SUMSEL I;Sumatera Selatan I;1674\n\
              pemilu-2024;dprd_kabkota;LLG 1;Lubuklinggau 1;16.74.01\n",
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].region, "16.74");
        assert_eq!(rows[1].contest, Contest::DprdKabkota);
        assert_eq!(rows[1].region, "16.74.01");
    }

    #[test]
    fn each_bad_row_names_its_line_and_column() {
        let errors = parse(
            b"election,contest,dapil_code,dapil_name,region_code\n\
              pemilu-2024,dpr,A,Satu,16.74\n\
              pemilu-2024,dpd,B,Dua,16.71\n\
              pemilu-2024,dpr,C,Tiga,16.74.01\n\
              pemilu-2024,dpr,D,Empat,16.74\n\
              pemilu-2024,dpr,A,Lain,16.71\n\
              pemilu-2024,dpr,A,Satu,31.71\n",
        )
        .unwrap_err();
        let got: Vec<(u64, &str)> = errors.iter().map(|e| (e.line, e.column)).collect();
        assert_eq!(
            got,
            vec![
                (3, "contest"),
                (4, "region_code"),
                (5, "region_code"),
                (6, "dapil_name"),
                (7, "region_code")
            ]
        );
    }

    #[test]
    fn a_missing_column_is_reported_on_the_header() {
        let errors =
            parse(b"election,contest,dapil_code,region_code\nx,dpr,A,16.74\n").unwrap_err();
        assert_eq!(errors[0].line, 1);
        assert!(errors[0].message.contains("dapil_name"));
    }
}
