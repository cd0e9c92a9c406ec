//! The import in two steps (upload → preview → confirm), the rejected rows as CSV, and the
//! file template.

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::domain::access::Action;
use crate::domain::roll_file::Column;
use crate::http::AppState;
use crate::http::csv::{Writer, response};
use crate::http::error::{AppError, Result};
use crate::http::session::CurrentUser;
use crate::http::upload;
use crate::read::scope::AtFacility;
use crate::rolls::import::{self, ImportError, Mode, Options, Report, Transfers};
use crate::rolls::queries::uploads::{self as queries, NewUpload, Upload};
use crate::rolls::views::{PreviewPage, UploadPage};

/// Uploads larger than this are refused with a clear message (about 200.000 rows).
pub const UPLOAD_LIMIT: usize = 32 * 1024 * 1024;

const CONFIRMED: &str = "Berkas ini sudah dikonfirmasi; daftar tidak diubah lagi.";

pub async fn upload_page(scope: AtFacility) -> Result<Html<String>> {
    scope.require_to(Action::WriteRoll)?;
    let page = UploadPage {
        layout: scope.user.layout(),
        place: scope.place,
        error: None,
    };
    Ok(Html(page.render()?))
}

/// The upload page again, with what is wrong with the file (422).
fn refused(scope: AtFacility, message: String) -> Result<Response> {
    let page = UploadPage {
        layout: scope.user.layout(),
        place: scope.place,
        error: Some(message),
    };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
}

/// The options chosen on the upload form or stored with the upload.
fn options(user: &CurrentUser, mode: Mode, accept_transfers: bool, skip_invalid: bool) -> Options {
    Options {
        skip_invalid,
        transfers: if accept_transfers {
            Transfers::Request
        } else {
            Transfers::Refuse
        },
        viewer: user.scope.clone(),
        ..Options::new(mode)
    }
}

#[tracing::instrument(skip_all, fields(facility = %scope.place.facility_code, user = %scope.user.username))]
pub async fn upload(
    State(state): State<AppState>,
    scope: AtFacility,
    multipart: Multipart,
) -> Result<Response> {
    scope.require_to(Action::WriteRoll)?;
    let form = upload::read(multipart, UPLOAD_LIMIT, "daftar.csv").await?;
    // `cara` (Indonesian, the page); `mode` from forms of earlier versions.
    let mode = match form.fields.get("cara").or(form.fields.get("mode")) {
        None => Mode::Upsert,
        Some(v) => Mode::from_form(v)
            .ok_or_else(|| AppError::BadRequest("Cara impor tidak dikenal.".into()))?,
    };
    if form.content.is_empty() {
        return refused(scope, "Pilih berkas CSV yang akan diimpor.".into());
    }
    let (accept_transfers, skip_invalid) =
        (form.ticked("terima_pindahan"), form.ticked("lewati_salah"));
    let new = NewUpload {
        user_id: scope.user.id,
        filename: &form.filename,
        content: &form.content,
        mode,
        accept_transfers,
        skip_invalid,
    };
    let upload_id = queries::insert(&state.db, &scope.place, &new).await?;
    let opts = Options {
        dry_run: true,
        ..options(&scope.user, mode, accept_transfers, skip_invalid)
    };
    let shown = (upload_id, form.filename);
    run_and_show(&state, scope, shown, &form.content, opts, false).await
}

/// Runs the import (a dry run for the preview) and shows its report.
async fn run_and_show(
    state: &AppState,
    scope: AtFacility,
    (upload_id, filename): (i64, String),
    content: &[u8],
    opts: Options,
    confirmed: bool,
) -> Result<Response> {
    let today = state.config.today();
    let actor = scope.user.actor();
    let result = import::import(
        &state.db,
        &scope.place,
        content,
        opts.clone(),
        &actor,
        today,
    );
    let report = match result.await {
        Ok(r) => r,
        Err(ImportError::AlreadyConfirmed) => return Err(AppError::BadRequest(CONFIRMED.into())),
        Err(ImportError::File(msg)) => {
            return refused(scope, format!("Berkas tidak dapat diimpor: {msg}."));
        }
        Err(ImportError::Database(e)) => return Err(e.into()),
    };
    let valid_rows = report.inserted + report.updated + report.unchanged;
    let can_confirm = !confirmed
        && (report.rejected == 0 || opts.skip_invalid)
        && (valid_rows > 0 || report.departed > 0 || report.pending_transfers > 0);
    let page = PreviewPage {
        layout: scope.user.layout(),
        place: scope.place,
        mode: opts.mode,
        can_confirm,
        confirmed,
        upload_id,
        filename,
        report,
    };
    Ok(Html(page.render()?).into_response())
}

/// The upload's stored content, or a clear message once it was deleted.
fn content(upload: &Upload) -> Result<&[u8]> {
    upload.content.as_deref().ok_or_else(|| {
        AppError::BadRequest(
            "Berkas ini sudah dikonfirmasi atau kedaluwarsa, dan isinya sudah dihapus. \
             Unggah berkas lagi bila perlu."
                .into(),
        )
    })
}

async fn find(state: &AppState, scope: &AtFacility, id: i64) -> Result<Upload> {
    queries::find(&state.db, &scope.place, id)
        .await?
        .ok_or(AppError::NotFound)
}

#[tracing::instrument(skip_all, fields(facility = %scope.place.facility_code, user = %scope.user.username))]
pub async fn confirm(
    State(state): State<AppState>,
    scope: AtFacility,
    Path((_, id)): Path<(String, i64)>,
) -> Result<Response> {
    scope.require_to(Action::WriteRoll)?;
    let upload = find(&state, &scope, id).await?;
    if upload.confirmed {
        return Err(AppError::BadRequest(CONFIRMED.into()));
    }
    // The upload is claimed inside the import's transaction: a double submit imports once,
    // and a failed import leaves it unconfirmed.
    let opts = Options {
        confirms_upload: Some(id),
        ..options(
            &scope.user,
            upload.mode,
            upload.accept_transfers,
            upload.skip_invalid,
        )
    };
    let content = content(&upload)?;
    let shown = (id, upload.filename.clone());
    run_and_show(&state, scope, shown, content, opts, true).await
}

pub async fn rejected_csv(
    State(state): State<AppState>,
    scope: AtFacility,
    Path((_, id)): Path<(String, i64)>,
) -> Result<Response> {
    scope.require_to(Action::WriteRoll)?;
    let upload = find(&state, &scope, id).await?;
    let opts = Options {
        dry_run: true,
        ..options(
            &scope.user,
            upload.mode,
            upload.accept_transfers,
            upload.skip_invalid,
        )
    };
    let today = state.config.today();
    let actor = scope.user.actor();
    let report: Report = import::import(
        &state.db,
        &scope.place,
        content(&upload)?,
        opts,
        &actor,
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
    let mut w = Writer::in_memory();
    w.row(["baris", "kolom", "pesan"])?;
    for e in &report.errors {
        w.row([e.line.to_string().as_str(), e.column, e.message.as_str()])?;
    }
    let filename = format!("ditolak-{}.csv", scope.place.facility_code);
    Ok(response(&filename, w.finish()?))
}

/// The header row and one example row, to fill in a spreadsheet.
pub async fn template_csv(_user: CurrentUser) -> Response {
    let header: Vec<&str> = Column::ALL.iter().map(|c| c.name()).collect();
    let mut body = header.join(";");
    body.push_str("\r\n");
    body.push_str(
        "1673011508900001;Contoh Nama;15-08-1990;L;NAPI;KAWIN;16.73.01;N;;DPTB;Lubuklinggau;B.123/2023;;Y;20-11-2023;012;16.73.01.1001;10-12-2023;\r\n",
    );
    response("templat-daftar-pemilih.csv", body.into_bytes())
}
