//! One voter: add and edit (with the import's validation), record a release or a transfer.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;
use sqlx::PgConnection;

use crate::db::audit::{self, Entry};
use crate::db::unique_violation_message;
use crate::domain::access::Action;
use crate::domain::privacy::facility_name;
use crate::domain::roll_file::{VoterRow, parse_date};
use crate::http::AppState;
use crate::http::error::{AppError, Result};
use crate::http::form::Form;
use crate::read::places::Place;
use crate::read::regions;
use crate::read::scope::AtFacility;
use crate::rolls::queries::voters as queries;
use crate::rolls::views::VoterPage;
use crate::rolls::voter_form::VoterForm;

/// An audit entry about voter `id` of `place`'s roll.
fn entry(place: &Place, action: &'static str, id: i64) -> Entry {
    Entry::new(action)
        .object("voter", id)
        .province(Some(place.province_code.clone()))
        .facility(Some(place.facility_id))
}

pub async fn new_page(scope: AtFacility) -> Result<Html<String>> {
    scope.require_to(Action::WriteRoll)?;
    let page = VoterPage {
        layout: scope.user.layout(),
        place: scope.place,
        voter_id: None,
        form: VoterForm::blank(),
        errors: Vec::new(),
        destinations: Vec::new(),
    };
    Ok(Html(page.render()?))
}

pub async fn edit_page(
    State(state): State<AppState>,
    scope: AtFacility,
    Path((_, id)): Path<(String, i64)>,
) -> Result<Html<String>> {
    scope.require_to(Action::WriteRoll)?;
    let stored = queries::active(&state.db, &scope.place, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let page = VoterPage {
        layout: scope.user.layout(),
        destinations: queries::destinations(&state.db, &scope.place).await?,
        place: scope.place,
        voter_id: Some(id),
        form: VoterForm::of(stored),
        errors: Vec::new(),
    };
    Ok(Html(page.render()?))
}

/// The messages for the unique constraints a voter can hit when two saves race past
/// [`conflicts`].
const VOTER_CONSTRAINTS: [(&str, &str); 2] = [
    (
        "voters_active_nik_idx",
        "nik: NIK ini terdaftar aktif di fasilitas lain; pemindahan dicatat oleh fasilitas asal",
    ),
    (
        "voters_election_id_facility_id_row_key_key",
        "nik: WBP ini sudah ada di daftar fasilitas ini",
    ),
];

/// Why this voter cannot be saved as is (a NIK on another active roll, a duplicate here, a
/// home region or a form's origin desa the reference does not hold). The other facility is named only to a user
/// whose scope covers it.
async fn conflicts(
    conn: &mut PgConnection,
    scope: &AtFacility,
    row: &VoterRow,
    except_id: Option<i64>,
) -> Result<Vec<String>> {
    let mut errors = Vec::new();
    if let Some(nik) = &row.nik
        && let Some(f) = queries::nik_elsewhere(conn, &scope.place, nik).await?
    {
        let at = facility_name(&scope.user.scope, f.id, &f.province_code, &f.name);
        errors.push(format!(
            "nik: NIK {nik} terdaftar aktif di {at}; pemindahan dicatat oleh fasilitas asal"
        ));
    }
    if queries::duplicate(conn, &scope.place, &row.row_key(), except_id).await? {
        errors.push("nik: WBP ini sudah ada di daftar fasilitas ini".into());
    }
    if !row.home_from_nik
        && let Some(home) = &row.home_region_code
        && let Err(message) = regions::check(&mut *conn, home).await?
    {
        errors.push(format!("kode_wilayah_asal: {message}"));
    }
    if let Some(desa) = &row.form_origin_desa
        && let Err(message) = regions::check(&mut *conn, desa).await?
    {
        errors.push(format!("asal_desa: {message}"));
    }
    Ok(errors)
}

/// The form again with what is wrong (422).
async fn invalid(
    state: &AppState,
    scope: AtFacility,
    voter_id: Option<i64>,
    form: VoterForm,
    errors: Vec<String>,
) -> Result<Response> {
    let destinations = match voter_id {
        Some(_) => queries::destinations(&state.db, &scope.place).await?,
        None => Vec::new(),
    };
    let page = VoterPage {
        layout: scope.user.layout(),
        place: scope.place,
        voter_id,
        form,
        errors,
        destinations,
    };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
}

/// `POST …/daftar/baru` and `POST …/daftar/{id}/ubah`.
#[tracing::instrument(skip_all, fields(facility = %scope.place.facility_code, user = %scope.user.username))]
pub async fn save(
    State(state): State<AppState>,
    scope: AtFacility,
    Path(params): Path<Vec<(String, String)>>,
    Form(form): Form<VoterForm>,
) -> Result<Response> {
    scope.require_to(Action::WriteRoll)?;
    let voter_id: Option<i64> = match params.iter().find(|(k, _)| k == "id") {
        Some((_, v)) => Some(v.parse().map_err(|_| AppError::NotFound)?),
        None => None,
    };
    let row = match form.validate(state.config.today()) {
        Ok(row) => row,
        Err(errors) => return invalid(&state, scope, voter_id, form, errors).await,
    };
    let mut tx = state.db.begin().await?;
    let errors = conflicts(&mut tx, &scope, &row, voter_id).await?;
    if !errors.is_empty() {
        drop(tx);
        return invalid(&state, scope, voter_id, form, errors).await;
    }
    let before = match voter_id {
        Some(id) => Some(
            queries::lock(&mut tx, &scope.place, id)
                .await?
                .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    let (id, after) = match queries::save(&mut tx, &scope.place, voter_id, &row).await {
        Ok(saved) => saved,
        Err(e) => match unique_violation_message(&e, &VOTER_CONSTRAINTS) {
            Some(message) => {
                drop(tx);
                return invalid(&state, scope, voter_id, form, vec![message]).await;
            }
            None => return Err(e.into()),
        },
    };
    let action = if before.is_some() {
        "voter.update"
    } else {
        "voter.create"
    };
    let mut e = entry(&scope.place, action, id).after(after);
    if let Some(b) = before {
        e = e.before(b);
    }
    audit::record(&mut tx, &scope.user.actor(), e).await?;
    tx.commit().await?;
    Ok(Redirect::to(&scope.place.url("/daftar")).into_response())
}

#[derive(Deserialize)]
pub struct ReleaseForm {
    tanggal: String,
}

/// Records a release: the voter leaves the roll (kept as departed) with the release date.
#[tracing::instrument(skip_all, fields(facility = %scope.place.facility_code, user = %scope.user.username))]
pub async fn release(
    State(state): State<AppState>,
    scope: AtFacility,
    Path((_, id)): Path<(String, i64)>,
    Form(form): Form<ReleaseForm>,
) -> Result<Redirect> {
    scope.require_to(Action::WriteRoll)?;
    let date = parse_date(&form.tanggal).ok_or_else(|| {
        AppError::BadRequest("Tanggal bebas tidak dikenali (TTTT-BB-HH atau HH-BB-TTTT).".into())
    })?;
    let mut tx = state.db.begin().await?;
    let change = queries::release(&mut tx, &scope.place, id, date)
        .await?
        .ok_or(AppError::NotFound)?;
    let e = entry(&scope.place, "voter.release", id)
        .before(change.before)
        .after(change.after);
    audit::record(&mut tx, &scope.user.actor(), e).await?;
    tx.commit().await?;
    Ok(Redirect::to(&scope.place.url("/daftar")))
}

#[derive(Deserialize)]
pub struct TransferForm {
    tujuan: String,
}

/// Records a transfer: the voter leaves this roll and appears on the destination's roll of
/// the same election, with where they came from.
#[tracing::instrument(skip_all, fields(facility = %scope.place.facility_code, user = %scope.user.username))]
pub async fn transfer(
    State(state): State<AppState>,
    scope: AtFacility,
    Path((_, id)): Path<(String, i64)>,
    Form(form): Form<TransferForm>,
) -> Result<Redirect> {
    scope.require_to(Action::WriteRoll)?;
    let place = &scope.place;
    let dest = queries::other_facility(&state.db, place, &form.tujuan)
        .await?
        .ok_or_else(|| AppError::BadRequest("Fasilitas tujuan tidak dikenal.".into()))?;
    let mut tx = state.db.begin().await?;
    let (left, arrived_id, arrived) = queries::transfer(&mut tx, place, id, dest.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let actor = scope.user.actor();
    audit::record(
        &mut tx,
        &actor,
        entry(place, "voter.transfer_out", id).after(left),
    )
    .await?;
    let arrival = Entry::new("voter.transfer_in")
        .object("voter", arrived_id)
        .province(Some(dest.province_code))
        .facility(Some(dest.id))
        .after(json!({ "from": place.facility_code, "voter": arrived }));
    audit::record(&mut tx, &actor, arrival).await?;
    tx.commit().await?;
    Ok(Redirect::to(&place.url("/daftar")))
}
