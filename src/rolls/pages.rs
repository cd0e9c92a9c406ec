//! The roll pages: the list with its counts, the import in two steps (upload → preview →
//! confirm), the rejected rows as CSV, the template, and the Disdukcapil list.

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::import::{self, ImportError, Mode, Options, Report, Transfers};
use super::{Roll, readable, voter, writable};
use crate::domain::access::Role;
use crate::domain::eligibility::Reason;
use crate::domain::format;
use crate::domain::privacy::{NikView, facility_name, roll_search};
use crate::domain::roll_file::Column;
use crate::http::AppState;
use crate::http::error::{AppError, Result};
use crate::http::layout::Layout;
use crate::http::session::CurrentUser;
use crate::read::elections::ElectionQuery;

/// Uploads larger than this are refused with a clear message (about 200.000 rows).
pub const UPLOAD_LIMIT: usize = 32 * 1024 * 1024;
const PAGE_SIZE: i64 = 50;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/fasilitas/{code}/daftar", get(list))
        .route(
            "/fasilitas/{code}/daftar/impor",
            get(upload_page)
                .post(upload)
                .layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route("/fasilitas/{code}/daftar/impor/{id}", post(confirm))
        .route(
            "/fasilitas/{code}/daftar/impor/{id}/ditolak.csv",
            get(rejected_csv),
        )
        .route(
            "/fasilitas/{code}/daftar/baru",
            get(voter::new_page).post(voter::save),
        )
        .route(
            "/fasilitas/{code}/daftar/{id}/ubah",
            get(voter::edit_page).post(voter::save),
        )
        .route("/fasilitas/{code}/daftar/{id}/bebas", post(voter::release))
        .route(
            "/fasilitas/{code}/daftar/{id}/pindah",
            post(voter::transfer),
        )
        .route("/fasilitas/{code}/pindahan", get(super::transfers::page))
        .route(
            "/fasilitas/{code}/pindahan/{id}/{action}",
            post(super::transfers::decide),
        )
        .route("/fasilitas/{code}/disdukcapil", get(disdukcapil))
        .route("/fasilitas/{code}/disdukcapil.csv", get(disdukcapil_csv))
        .route("/templat-daftar.csv", get(template_csv))
}

fn reason_labels(codes: &[String]) -> Vec<&'static str> {
    codes
        .iter()
        .filter_map(|c| Reason::from_code(c))
        .map(Reason::label)
        .collect()
}

/// NIK as shown under the one masking rule ([`crate::domain::privacy`]).
fn show_nik(nik: Option<&str>, view: NikView) -> String {
    match nik {
        None => "— (tanpa NIK)".to_owned(),
        Some(n) => view.show(n),
    }
}

/// Why a voter left, naming a destination only to users whose scope covers it.
fn departed_label(
    user: &CurrentUser,
    reason: Option<String>,
    to: Option<(i64, String, String)>,
) -> String {
    match to {
        Some((id, province, name)) => format!(
            "keluar: dipindahkan ke {}",
            facility_name(&user.scope, id, &province, &name)
        ),
        None => format!("keluar: {}", reason.unwrap_or_default()),
    }
}

#[derive(Debug, Deserialize, Default)]
struct ListQuery {
    pemilihan: Option<String>,
    #[serde(default)]
    q: String,
    #[serde(default)]
    saring: String,
    #[serde(default)]
    hal: Option<i64>,
    /// Rows per page: 50 (default), 100 or 300.
    #[serde(default)]
    per: Option<i64>,
}

struct VoterItem {
    id: i64,
    name: String,
    nik: String,
    birth_date: String,
    sex: String,
    list: String,
    status_label: String,
    reasons: Vec<&'static str>,
    flags: Vec<&'static str>,
    departed: bool,
}

struct FilterOption {
    value: &'static str,
    label: &'static str,
    count: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "rolls/list.html")]
struct ListPage {
    layout: Layout,
    roll: Roll,
    voting_day: String,
    can_write: bool,
    q: String,
    filters: Vec<FilterOption>,
    active: String,
    eligible: String,
    eligible_percent: String,
    voters: Vec<VoterItem>,
    shown: String,
    page: i64,
    pages: i64,
    per: i64,
    prev: Option<String>,
    next: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(code): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Html<String>> {
    let equery = ElectionQuery {
        pemilihan: q.pemilihan.clone(),
    };
    let roll = readable(&state.db, &user, &code, &equery).await?;
    let c = sqlx::query!(
        r#"select count(*) filter (where status = 'active') as "active!",
                  count(*) filter (where status = 'active' and cardinality(r) = 0) as "eligible!",
                  count(*) filter (where status = 'active' and 'under_age' = any(r)) as "under_age!",
                  count(*) filter (where status = 'active' and 'rights_revoked' = any(r)) as "rights_revoked!",
                  count(*) filter (where status = 'active' and 'released' = any(r)) as "released!",
                  count(*) filter (where status = 'active' and 'no_valid_nik' = any(r)) as "no_valid_nik!",
                  count(*) filter (where status = 'active' and 'outside_region' = any(r)) as "outside_region!",
                  count(*) filter (where status = 'active' and list = 'dpt') as "dpt!",
                  count(*) filter (where status = 'active' and list = 'dptb') as "dptb!",
                  count(*) filter (where status = 'active' and list = 'dpk') as "dpk!",
                  count(*) filter (where status = 'active' and list is null) as "unlisted!",
                  count(*) filter (where status = 'active' and nik_flag = 'no_nik') as "no_nik!",
                  count(*) filter (where status = 'active' and nik_flag = 'nik_mismatch') as "nik_mismatch!",
                  count(*) filter (where status = 'active' and home_from_nik) as "home_from_nik!",
                  count(*) filter (where status = 'active' and late) as "late!",
                  count(*) filter (where status = 'departed') as "departed!"
           from (select v.status, v.list, v.nik_flag, v.home_from_nik,
                        (v.arrived_at at time zone 'Asia/Jakarta')::date > e.transfer_deadline as late,
                        voter_reasons(v.birth_date, v.marital_status, v.rights_revoked,
                                      v.release_date, v.nik, v.nik_flag, v.home_region_code,
                                      e.voting_day, e.kind, e.region_code) as r
                 from voters v join elections e on e.id = v.election_id
                 where v.facility_id = $1 and v.election_id = $2) x"#,
        roll.facility_id,
        roll.election.id
    )
    .fetch_one(&state.db)
    .await?;

    let n = format::number;
    let saring = if q.saring.is_empty() {
        "aktif".to_owned()
    } else {
        q.saring.clone()
    };
    let options: [(&'static str, &'static str, i64); 17] = [
        ("aktif", "Semua WBP aktif", c.active),
        ("layak", "Dapat memilih", c.eligible),
        ("under_age", Reason::UnderAge.label(), c.under_age),
        (
            "rights_revoked",
            Reason::RightsRevoked.label(),
            c.rights_revoked,
        ),
        ("released", Reason::Released.label(), c.released),
        ("no_valid_nik", Reason::NoValidNik.label(), c.no_valid_nik),
        (
            "outside_region",
            Reason::OutsideRegion.label(),
            c.outside_region,
        ),
        ("dpt", "Terdaftar di DPT", c.dpt),
        ("dptb", "Terdaftar di DPTb", c.dptb),
        ("dpk", "Terdaftar di DPK", c.dpk),
        ("belum", "Belum terdaftar di daftar mana pun", c.unlisted),
        ("no_nik", "Tanpa NIK", c.no_nik),
        (
            "nik_mismatch",
            "NIK tidak cocok dengan tanggal lahir/jenis kelamin",
            c.nik_mismatch,
        ),
        (
            "wilayah_nik",
            "Wilayah asal diambil dari NIK",
            c.home_from_nik,
        ),
        ("terlambat", "Masuk setelah batas pindah memilih", c.late),
        ("keluar", "Sudah keluar (bebas/dipindahkan)", c.departed),
        (
            "semua",
            "Semua, termasuk yang keluar",
            c.active + c.departed,
        ),
    ];
    if !options.iter().any(|o| o.0 == saring) {
        return Err(AppError::BadRequest(format!(
            "Saringan \"{saring}\" tidak dikenal."
        )));
    }
    let filtered = options.iter().find(|o| o.0 == saring).map_or(0, |o| o.2);
    let search = q.q.trim().to_owned();
    let view = user.nik_view(roll.facility_id);
    let (name_pattern, nik_prefix, nik_exact) = roll_search(view, &search);
    // Far pages are empty, never an overflow.
    let page = q.hal.unwrap_or(1).clamp(1, 1_000_000);
    let per = match q.per {
        Some(n @ (100 | 300)) => n,
        _ => PAGE_SIZE,
    };
    let rows = sqlx::query!(
        r#"select id, name, nik, birth_date, sex, list, status, departed_reason, nik_flag,
                  home_from_nik, from_id as "from_id?", from_name as "from_name?",
                  from_province as "from_province?", to_id as "to_id?", to_name as "to_name?",
                  to_province as "to_province?", late as "late!", reasons as "reasons!"
           from (
               select v.id, v.name, v.nik, v.birth_date, v.sex, v.list, v.status, v.departed_reason,
                      v.nik_flag, v.home_from_nik, tf.id as from_id, tf.name as from_name,
                      tf.province_code as from_province, dt.id as to_id, dt.name as to_name,
                      dt.province_code as to_province,
                      (v.arrived_at at time zone 'Asia/Jakarta')::date > e.transfer_deadline as late,
                      voter_reasons(v.birth_date, v.marital_status, v.rights_revoked,
                                    v.release_date, v.nik, v.nik_flag, v.home_region_code,
                                    e.voting_day, e.kind, e.region_code) as reasons
               from voters v
               join elections e on e.id = v.election_id
               left join facilities tf on tf.id = v.transferred_from
               left join facilities dt on dt.id = v.departed_to
               where v.facility_id = $1 and v.election_id = $2
                 and ($3 = '' or v.name ilike $7 or v.nik like $8 or v.nik = $9)
           ) x
           where case $4
                   when 'semua' then true
                   when 'keluar' then status = 'departed'
                   when 'aktif' then status = 'active'
                   when 'layak' then status = 'active' and cardinality(reasons) = 0
                   when 'dpt' then status = 'active' and list = 'dpt'
                   when 'dptb' then status = 'active' and list = 'dptb'
                   when 'dpk' then status = 'active' and list = 'dpk'
                   when 'belum' then status = 'active' and list is null
                   when 'no_nik' then status = 'active' and nik_flag = 'no_nik'
                   when 'nik_mismatch' then status = 'active' and nik_flag = 'nik_mismatch'
                   when 'wilayah_nik' then status = 'active' and home_from_nik
                   when 'terlambat' then status = 'active' and late
                   else status = 'active' and $4 = any(reasons)
                 end
           order by status, name, nik
           limit $5 offset $6"#,
        roll.facility_id,
        roll.election.id,
        search,
        saring,
        per,
        (page - 1) * per,
        name_pattern,
        nik_prefix,
        nik_exact,
    )
    .fetch_all(&state.db)
    .await?;
    let voters = rows
        .into_iter()
        .map(|r| {
            let mut flags = Vec::new();
            match r.nik_flag.as_deref() {
                Some("no_nik") => flags.push("tanpa NIK: ke Disdukcapil"),
                Some("nik_mismatch") => flags.push("NIK tidak cocok: ke Disdukcapil"),
                _ => {}
            }
            if r.home_from_nik {
                flags.push("wilayah asal dari NIK: periksa KTP-el");
            }
            if r.late && r.status == "active" {
                flags.push("masuk setelah batas pindah memilih");
            }
            let departed = r.status == "departed";
            let to = match (r.to_id, r.to_province, r.to_name) {
                (Some(id), Some(p), Some(n)) => Some((id, p, n)),
                _ => None,
            };
            let status_label = if departed {
                departed_label(&user, r.departed_reason, to)
            } else if let (Some(id), Some(p), Some(from)) =
                (r.from_id, &r.from_province, &r.from_name)
            {
                format!(
                    "aktif (pindahan dari {})",
                    facility_name(&user.scope, id, p, from)
                )
            } else {
                "aktif".to_owned()
            };
            VoterItem {
                id: r.id,
                name: r.name,
                nik: show_nik(r.nik.as_deref(), view),
                birth_date: format::date(r.birth_date),
                sex: r.sex,
                list: r
                    .list
                    .map(|l| l.to_uppercase())
                    .unwrap_or_else(|| "–".into()),
                status_label,
                reasons: if departed {
                    Vec::new()
                } else {
                    reason_labels(&r.reasons)
                },
                flags,
                departed,
            }
        })
        .collect();
    // Paging counts the filter without the search (the search narrows the current page set).
    let pages = ((filtered + per - 1) / per).max(1);
    let link = |p: i64| {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query
            .append_pair("q", &search)
            .append_pair("saring", &saring)
            .append_pair("hal", &p.to_string());
        if per != PAGE_SIZE {
            query.append_pair("per", &per.to_string());
        }
        let query = query.finish();
        format!("/fasilitas/{}/daftar?{query}", roll.facility_code)
    };
    let page_html = ListPage {
        per,
        layout: user.layout(),
        voting_day: format::date(roll.election.voting_day),
        can_write: user.role == Role::Registrar,
        q: search.clone(),
        filters: options
            .iter()
            .map(|&(value, label, count)| FilterOption {
                value,
                label,
                count: n(count),
                selected: value == saring,
            })
            .collect(),
        active: n(c.active),
        eligible: n(c.eligible),
        eligible_percent: format::percent(c.eligible, c.active),
        voters,
        shown: n(filtered),
        page,
        pages,
        prev: (page > 1).then(|| link(page - 1)),
        next: (page < pages && search.is_empty()).then(|| link(page + 1)),
        roll,
    };
    Ok(Html(page_html.render()?))
}

#[derive(Template)]
#[template(path = "rolls/upload.html")]
struct UploadPage {
    layout: Layout,
    roll: Roll,
    error: Option<String>,
}

async fn upload_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(code): Path<String>,
    Query(q): Query<ElectionQuery>,
) -> Result<Html<String>> {
    let roll = writable(&state.db, &user, &code, &q).await?;
    Ok(Html(
        UploadPage {
            layout: user.layout(),
            roll,
            error: None,
        }
        .render()?,
    ))
}

struct ErrorItem {
    line: u64,
    column: &'static str,
    message: String,
}

#[derive(Template)]
#[template(path = "rolls/preview.html")]
struct PreviewPage {
    layout: Layout,
    roll: Roll,
    upload_id: i64,
    filename: String,
    report: Report,
    errors: Vec<ErrorItem>,
    mode: &'static str,
    can_confirm: bool,
    confirmed: bool,
}

fn error_items(report: &Report) -> Vec<ErrorItem> {
    report
        .errors
        .iter()
        .map(|e| ErrorItem {
            line: e.line,
            column: if e.column.is_empty() { "–" } else { e.column },
            message: e.message.clone(),
        })
        .collect()
}

async fn upload(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(code): Path<String>,
    Query(q): Query<ElectionQuery>,
    mut multipart: Multipart,
) -> Result<Response> {
    let roll = writable(&state.db, &user, &code, &q).await?;
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut mode = Mode::Upsert;
    let (mut accept_transfers, mut skip_invalid) = (false, false);
    let too_big = || {
        AppError::TooLarge(format!(
            "Berkas terlalu besar atau terputus (batas {} MB).",
            UPLOAD_LIMIT / (1024 * 1024)
        ))
    };
    while let Some(field) = multipart.next_field().await.map_err(|_| too_big())? {
        match field.name().unwrap_or_default() {
            "berkas" => {
                let name = field.file_name().unwrap_or("daftar.csv").to_owned();
                let bytes = field.bytes().await.map_err(|_| too_big())?;
                file = Some((name, bytes.to_vec()));
            }
            "mode" => {
                let v = field.text().await.map_err(|_| too_big())?;
                mode = Mode::parse(&v)
                    .ok_or_else(|| AppError::BadRequest("Mode impor tidak dikenal.".into()))?;
            }
            "terima_pindahan" => accept_transfers = true,
            "lewati_salah" => skip_invalid = true,
            _ => {}
        }
    }
    let Some((filename, content)) = file.filter(|(_, c)| !c.is_empty()) else {
        let page = UploadPage {
            layout: user.layout(),
            roll,
            error: Some("Pilih berkas CSV yang akan diimpor.".into()),
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response());
    };
    let upload_id = sqlx::query_scalar!(
        "insert into roll_uploads (election_id, facility_id, user_id, filename, content, mode,
                                   accept_transfers, skip_invalid)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning id",
        roll.election.id,
        roll.facility_id,
        user.id,
        filename,
        content,
        mode.as_str(),
        accept_transfers,
        skip_invalid
    )
    .fetch_one(&state.db)
    .await?;
    let opts = Options {
        skip_invalid,
        transfers: if accept_transfers {
            Transfers::Request
        } else {
            Transfers::Refuse
        },
        dry_run: true,
        viewer: user.scope.clone(),
        ..Options::new(mode)
    };
    run_and_show(
        &state, &user, roll, upload_id, filename, &content, opts, false,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn run_and_show(
    state: &AppState,
    user: &CurrentUser,
    roll: Roll,
    upload_id: i64,
    filename: String,
    content: &[u8],
    opts: Options,
    confirmed: bool,
) -> Result<Response> {
    let today = time::OffsetDateTime::now_utc().date();
    let result = import::import(
        &state.db,
        &roll.target(),
        content,
        opts.clone(),
        &user.actor(),
        today,
    )
    .await;
    let report = match result {
        Ok(r) => r,
        Err(ImportError::AlreadyConfirmed) => {
            return Err(AppError::BadRequest(
                "Berkas ini sudah dikonfirmasi; daftar tidak diubah lagi.".into(),
            ));
        }
        Err(ImportError::File(msg)) => {
            let page = UploadPage {
                layout: user.layout(),
                roll,
                error: Some(format!("Berkas tidak dapat diimpor: {msg}.")),
            };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response());
        }
        Err(ImportError::Database(e)) => return Err(e.into()),
    };
    let valid_rows = report.inserted + report.updated + report.unchanged;
    let can_confirm = !confirmed
        && (report.rejected == 0 || opts.skip_invalid)
        && (valid_rows > 0 || report.departed > 0 || report.pending_transfers > 0);
    let page = PreviewPage {
        layout: user.layout(),
        errors: error_items(&report),
        mode: opts.mode.as_str(),
        can_confirm,
        confirmed,
        roll,
        upload_id,
        filename,
        report,
    };
    Ok(Html(page.render()?).into_response())
}

struct Upload {
    filename: String,
    /// Deleted once the upload is confirmed or abandoned.
    content: Option<Vec<u8>>,
    mode: String,
    accept_transfers: bool,
    skip_invalid: bool,
    confirmed: bool,
}

impl Upload {
    /// The import options chosen when the file was uploaded, for `user`.
    fn options(&self, user: &CurrentUser, dry_run: bool) -> Result<Options> {
        let mode = Mode::parse(&self.mode)
            .ok_or_else(|| AppError::Other(anyhow::anyhow!("unknown mode {}", self.mode)))?;
        Ok(Options {
            skip_invalid: self.skip_invalid,
            transfers: if self.accept_transfers {
                Transfers::Request
            } else {
                Transfers::Refuse
            },
            dry_run,
            viewer: user.scope.clone(),
            ..Options::new(mode)
        })
    }

    /// The file's content, or a clear message once it was deleted.
    fn content(&self) -> Result<&[u8]> {
        self.content.as_deref().ok_or_else(|| {
            AppError::BadRequest(
                "Berkas ini sudah dikonfirmasi atau kedaluwarsa, dan isinya sudah dihapus. \
                 Unggah berkas lagi bila perlu."
                    .into(),
            )
        })
    }
}

async fn load_upload(state: &AppState, roll: &Roll, id: i64) -> Result<Upload> {
    sqlx::query_as!(
        Upload,
        r#"select filename, content, mode, accept_transfers, skip_invalid,
                  confirmed_at is not null as "confirmed!"
           from roll_uploads where id = $1 and facility_id = $2 and election_id = $3"#,
        id,
        roll.facility_id,
        roll.election.id
    )
    .fetch_optional(&state.db)
    .await?
    .ok_or(AppError::NotFound)
}

async fn confirm(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((code, id)): Path<(String, i64)>,
    Query(q): Query<ElectionQuery>,
) -> Result<Response> {
    let roll = writable(&state.db, &user, &code, &q).await?;
    let upload = load_upload(&state, &roll, id).await?;
    if upload.confirmed {
        return Err(AppError::BadRequest(
            "Berkas ini sudah dikonfirmasi; daftar tidak diubah lagi.".into(),
        ));
    }
    // The upload is claimed inside the import's transaction: a double submit imports once,
    // and a failed import leaves it unconfirmed.
    let opts = Options {
        confirms_upload: Some(id),
        ..upload.options(&user, false)?
    };
    run_and_show(
        &state,
        &user,
        roll,
        id,
        upload.filename.clone(),
        upload.content()?,
        opts,
        true,
    )
    .await
}

fn csv_response(filename: &str, body: Vec<u8>) -> Response {
    crate::http::csv::response(filename, body)
}

async fn rejected_csv(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((code, id)): Path<(String, i64)>,
    Query(q): Query<ElectionQuery>,
) -> Result<Response> {
    let roll = writable(&state.db, &user, &code, &q).await?;
    let upload = load_upload(&state, &roll, id).await?;
    let opts = upload.options(&user, true)?;
    let today = time::OffsetDateTime::now_utc().date();
    let report = import::import(
        &state.db,
        &roll.target(),
        upload.content()?,
        opts,
        &user.actor(),
        today,
    )
    .await
    .map_err(|e| match e {
        ImportError::File(m) => AppError::BadRequest(m),
        ImportError::AlreadyConfirmed => {
            AppError::BadRequest("Berkas ini sudah dikonfirmasi.".into())
        }
        ImportError::Database(e) => e.into(),
    })?;
    let mut w = crate::http::csv::Writer::in_memory();
    w.row(["baris", "kolom", "pesan"])?;
    for e in &report.errors {
        w.row([e.line.to_string().as_str(), e.column, e.message.as_str()])?;
    }
    let body = w.finish()?;
    Ok(csv_response(
        &format!("ditolak-{}.csv", roll.facility_code),
        body,
    ))
}

/// The header row and one example row, to fill in a spreadsheet.
async fn template_csv(_user: CurrentUser) -> Response {
    let header: Vec<&str> = Column::ALL.iter().map(|c| c.name()).collect();
    let mut body = header.join(";");
    body.push_str("\r\n");
    body.push_str(
        "1674011508900001;Contoh Nama;15-08-1990;L;NAPI;KAWIN;16.74.01;N;;DPTB;Lubuklinggau;B.123/2023;;Y\r\n",
    );
    csv_response("templat-daftar-pemilih.csv", body.into_bytes())
}

struct DisdukcapilItem {
    name: String,
    nik: String,
    birth_date: String,
    birth_place: String,
    registration_no: String,
    need: &'static str,
}

/// The list, with NIKs as `user` may see them.
async fn disdukcapil_rows(
    state: &AppState,
    user: &CurrentUser,
    roll: &Roll,
) -> Result<Vec<DisdukcapilItem>> {
    let view = user.nik_view(roll.facility_id);
    let rows = sqlx::query!(
        "select name, nik, nik_flag, birth_date, birth_place, registration_no, ktp_el
         from voters
         where facility_id = $1 and election_id = $2 and status = 'active'
           and (nik_flag is not null or ktp_el is false)
         order by name",
        roll.facility_id,
        roll.election.id
    )
    .fetch_all(&state.db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| DisdukcapilItem {
            name: r.name,
            nik: r.nik.as_deref().map(|n| view.show(n)).unwrap_or_default(),
            birth_date: r.birth_date.to_string(),
            birth_place: r.birth_place.unwrap_or_default(),
            registration_no: r.registration_no.unwrap_or_default(),
            need: match r.nik_flag.as_deref() {
                Some("no_nik") => "perekaman NIK / KTP-el",
                Some("nik_mismatch") => "perbaikan NIK (tanggal lahir/jenis kelamin tidak cocok)",
                _ => "perekaman KTP-el",
            },
        })
        .collect())
}

#[derive(Template)]
#[template(path = "rolls/disdukcapil.html")]
struct DisdukcapilPage {
    layout: Layout,
    roll: Roll,
    rows: Vec<DisdukcapilItem>,
}

async fn disdukcapil(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(code): Path<String>,
    Query(q): Query<ElectionQuery>,
) -> Result<Html<String>> {
    let roll = readable(&state.db, &user, &code, &q).await?;
    let rows = disdukcapil_rows(&state, &user, &roll).await?;
    Ok(Html(
        DisdukcapilPage {
            layout: user.layout(),
            roll,
            rows,
        }
        .render()?,
    ))
}

async fn disdukcapil_csv(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(code): Path<String>,
    Query(q): Query<ElectionQuery>,
) -> Result<Response> {
    let roll = readable(&state.db, &user, &code, &q).await?;
    let rows = disdukcapil_rows(&state, &user, &roll).await?;
    let mut w = crate::http::csv::Writer::in_memory();
    w.row([
        "nama",
        "nik",
        "tanggal_lahir",
        "tempat_lahir",
        "no_registrasi",
        "kebutuhan",
    ])?;
    for r in &rows {
        w.row([
            &r.name,
            &r.nik,
            &r.birth_date,
            &r.birth_place,
            &r.registration_no,
            r.need,
        ])?;
    }
    let body = w.finish()?;
    Ok(csv_response(
        &format!("disdukcapil-{}.csv", roll.facility_code),
        body,
    ))
}
