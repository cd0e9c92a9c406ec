//! One voter: add and edit (with the import's validation), record a release or a transfer.

use crate::http::form::Form;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;
use sqlx::PgConnection;

use super::{Roll, writable};
use crate::db::audit::{self, Entry};
use crate::domain::roll_file::{self as parse, Column, Header, VoterRow};
use crate::http::error::{AppError, Result};
use crate::http::layout::Layout;
use crate::http::session::CurrentUser;
use crate::read::elections::ElectionQuery;

/// The form fields, named like the import file's columns.
#[derive(Debug, Default, Deserialize)]
pub struct VoterForm {
    #[serde(default)]
    nik: String,
    #[serde(default)]
    nama: String,
    #[serde(default)]
    tanggal_lahir: String,
    #[serde(default)]
    jenis_kelamin: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    status_perkawinan: String,
    #[serde(default)]
    kode_wilayah_asal: String,
    #[serde(default)]
    hak_pilih_dicabut: String,
    #[serde(default)]
    tanggal_bebas: String,
    #[serde(default)]
    daftar: String,
    #[serde(default)]
    tempat_lahir: String,
    #[serde(default)]
    no_registrasi: String,
    #[serde(default)]
    disabilitas: String,
    #[serde(default)]
    ktp_el: String,
}

impl VoterForm {
    fn record(&self) -> csv::StringRecord {
        csv::StringRecord::from(vec![
            self.nik.as_str(),
            &self.nama,
            &self.tanggal_lahir,
            &self.jenis_kelamin,
            &self.status,
            &self.status_perkawinan,
            &self.kode_wilayah_asal,
            &self.hak_pilih_dicabut,
            &self.tanggal_bebas,
            &self.daftar,
            &self.tempat_lahir,
            &self.no_registrasi,
            &self.disabilitas,
            &self.ktp_el,
        ])
    }

    /// The same checks as a row of the import file.
    fn validate(&self) -> std::result::Result<VoterRow, Vec<String>> {
        let header = Header::parse(Column::ALL.iter().map(|c| c.name())).expect("all columns");
        let today = time::OffsetDateTime::now_utc().date();
        parse::parse_row(&header, &self.record(), 0, today).map_err(|errs| {
            errs.into_iter()
                .map(|e| format!("{}: {}", e.column, e.message))
                .collect()
        })
    }
}

#[derive(Template)]
#[template(path = "rolls/voter.html")]
struct VoterPage {
    layout: Layout,
    roll: Roll,
    /// `None` when adding.
    voter_id: Option<i64>,
    form: VoterForm,
    errors: Vec<String>,
    destinations: Vec<(String, String)>,
}

async fn destinations(state: &crate::http::AppState, roll: &Roll) -> Result<Vec<(String, String)>> {
    Ok(sqlx::query!(
        "select code, name from facilities where id <> $1 order by province_code = $2 desc, name",
        roll.facility_id,
        roll.province_code
    )
    .fetch_all(&state.db)
    .await?
    .into_iter()
    .map(|r| (r.code, r.name))
    .collect())
}

pub async fn new_page(
    State(state): State<crate::http::AppState>,
    user: CurrentUser,
    Path(code): Path<String>,
    Query(q): Query<ElectionQuery>,
) -> Result<Html<String>> {
    let roll = writable(&state.db, &user, &code, &q).await?;
    let page = VoterPage {
        layout: user.layout(),
        roll,
        voter_id: None,
        form: VoterForm {
            status_perkawinan: "BELUM KAWIN".into(),
            hak_pilih_dicabut: "N".into(),
            ..VoterForm::default()
        },
        errors: Vec::new(),
        destinations: Vec::new(),
    };
    Ok(Html(page.render()?))
}

pub async fn edit_page(
    State(state): State<crate::http::AppState>,
    user: CurrentUser,
    Path((code, id)): Path<(String, i64)>,
    Query(q): Query<ElectionQuery>,
) -> Result<Html<String>> {
    let roll = writable(&state.db, &user, &code, &q).await?;
    let v = sqlx::query!(
        "select nik, name, birth_date, sex, legal_status, marital_status, home_region_code,
                home_from_nik, rights_revoked, release_date, list, birth_place, registration_no,
                disability, ktp_el
         from voters where id = $1 and facility_id = $2 and election_id = $3 and status = 'active'",
        id,
        roll.facility_id,
        roll.election.id
    )
    .fetch_optional(&state.db)
    .await?
    .ok_or(AppError::NotFound)?;
    let yn = |b: bool| if b { "Y" } else { "N" }.to_owned();
    let form = VoterForm {
        nik: v.nik.unwrap_or_default(),
        nama: v.name,
        tanggal_lahir: v.birth_date.to_string(),
        jenis_kelamin: v.sex,
        status: v.legal_status.to_uppercase(),
        status_perkawinan: v.marital_status.replace('_', " ").to_uppercase(),
        kode_wilayah_asal: if v.home_from_nik {
            String::new()
        } else {
            v.home_region_code.unwrap_or_default()
        },
        hak_pilih_dicabut: yn(v.rights_revoked),
        tanggal_bebas: v.release_date.map(|d| d.to_string()).unwrap_or_default(),
        daftar: v.list.map(|l| l.to_uppercase()).unwrap_or_default(),
        tempat_lahir: v.birth_place.unwrap_or_default(),
        no_registrasi: v.registration_no.unwrap_or_default(),
        disabilitas: v.disability.unwrap_or_default(),
        ktp_el: v.ktp_el.map(yn).unwrap_or_default(),
    };
    let destinations = destinations(&state, &roll).await?;
    let page = VoterPage {
        layout: user.layout(),
        roll,
        voter_id: Some(id),
        form,
        errors: Vec::new(),
        destinations,
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

/// Why this voter cannot be saved as is (a NIK on another active roll, a duplicate here).
/// The other facility is named only to a user whose scope covers it.
async fn conflicts(
    conn: &mut PgConnection,
    user: &CurrentUser,
    roll: &Roll,
    row: &VoterRow,
    except_id: Option<i64>,
) -> Result<Vec<String>> {
    let mut errors = Vec::new();
    if let Some(nik) = &row.nik {
        let elsewhere = sqlx::query!(
            "select f.id, f.name, f.province_code from voters v
             join facilities f on f.id = v.facility_id
             where v.election_id = $1 and v.nik = $2 and v.status = 'active' and v.facility_id <> $3",
            roll.election.id,
            nik,
            roll.facility_id
        )
        .fetch_optional(&mut *conn)
        .await?;
        if let Some(f) = elsewhere {
            let at =
                crate::domain::privacy::facility_name(&user.scope, f.id, &f.province_code, &f.name);
            errors.push(format!(
                "nik: NIK {nik} terdaftar aktif di {at}; pemindahan dicatat oleh fasilitas asal"
            ));
        }
    }
    let same = sqlx::query_scalar!(
        r#"select id as "id!" from voters
           where election_id = $1 and facility_id = $2 and row_key = $3 and id <> $4"#,
        roll.election.id,
        roll.facility_id,
        row.row_key(),
        except_id.unwrap_or(-1)
    )
    .fetch_optional(&mut *conn)
    .await?;
    if same.is_some() {
        errors.push("nik: WBP ini sudah ada di daftar fasilitas ini".into());
    }
    Ok(errors)
}

pub async fn save(
    State(state): State<crate::http::AppState>,
    user: CurrentUser,
    Path(params): Path<Vec<(String, String)>>,
    Query(q): Query<ElectionQuery>,
    Form(form): Form<VoterForm>,
) -> Result<Response> {
    let code = params
        .iter()
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let voter_id: Option<i64> = match params.iter().find(|(k, _)| k == "id") {
        Some((_, v)) => Some(v.parse().map_err(|_| AppError::NotFound)?),
        None => None,
    };
    let roll = writable(&state.db, &user, &code, &q).await?;
    let invalid = |roll: Roll, form: VoterForm, errors: Vec<String>| async {
        let destinations = match voter_id {
            Some(_) => destinations(&state, &roll).await?,
            None => Vec::new(),
        };
        let page = VoterPage {
            layout: user.layout(),
            roll,
            voter_id,
            form,
            errors,
            destinations,
        };
        Ok::<_, AppError>((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
    };
    let row = match form.validate() {
        Ok(row) => row,
        Err(errors) => return invalid(roll, form, errors).await,
    };
    let mut tx = state.db.begin().await?;
    let errors = conflicts(&mut tx, &user, &roll, &row, voter_id).await?;
    if !errors.is_empty() {
        drop(tx);
        return invalid(roll, form, errors).await;
    }
    let before = match voter_id {
        Some(id) => Some(
            sqlx::query_scalar!(
                r#"select to_jsonb(v) as "v!" from voters v
                   where id = $1 and facility_id = $2 and election_id = $3 and status = 'active'
                   for update"#,
                id,
                roll.facility_id,
                roll.election.id
            )
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    let saved = sqlx::query!(
        r#"insert into voters (id, election_id, facility_id, row_key, nik, nik_flag, name,
               birth_date, sex, legal_status, marital_status, home_region_code, home_from_nik,
               rights_revoked, release_date, list, birth_place, registration_no, disability, ktp_el)
           overriding system value
           values (coalesce($1, nextval(pg_get_serial_sequence('voters', 'id'))), $2, $3, $4, $5,
                   $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
           on conflict (id) do update set
               row_key = excluded.row_key, nik = excluded.nik, nik_flag = excluded.nik_flag,
               name = excluded.name, birth_date = excluded.birth_date, sex = excluded.sex,
               legal_status = excluded.legal_status, marital_status = excluded.marital_status,
               home_region_code = excluded.home_region_code,
               home_from_nik = excluded.home_from_nik, rights_revoked = excluded.rights_revoked,
               release_date = excluded.release_date, list = excluded.list,
               birth_place = excluded.birth_place, registration_no = excluded.registration_no,
               disability = excluded.disability, ktp_el = excluded.ktp_el
           returning id, to_jsonb(voters) as "after!""#,
        voter_id,
        roll.election.id,
        roll.facility_id,
        row.row_key(),
        row.nik,
        row.flag.map(|f| f.code()),
        row.name,
        row.birth_date,
        row.sex,
        row.legal_status,
        row.marital_status,
        row.home_region_code,
        row.home_from_nik,
        row.rights_revoked,
        row.release_date,
        row.list,
        row.birth_place,
        row.registration_no,
        row.disability,
        row.ktp_el,
    )
    .fetch_one(&mut *tx)
    .await;
    let (id, after) = match saved {
        Ok(r) => (r.id, r.after),
        Err(e) => match crate::db::unique_violation_message(&e, &VOTER_CONSTRAINTS) {
            Some(message) => {
                drop(tx);
                return invalid(roll, form, vec![message]).await;
            }
            None => return Err(e.into()),
        },
    };
    let mut entry = Entry::new(if before.is_some() {
        "voter.update"
    } else {
        "voter.create"
    })
    .object("voter", id)
    .province(Some(roll.province_code.clone()))
    .facility(Some(roll.facility_id))
    .after(after);
    if let Some(b) = before {
        entry = entry.before(b);
    }
    audit::record(&mut tx, &user.actor(), entry).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/fasilitas/{}/daftar", roll.facility_code)).into_response())
}

#[derive(Deserialize)]
pub struct ReleaseForm {
    tanggal: String,
}

/// Records a release: the voter leaves the roll (kept as departed) with the release date.
pub async fn release(
    State(state): State<crate::http::AppState>,
    user: CurrentUser,
    Path((code, id)): Path<(String, i64)>,
    Query(q): Query<ElectionQuery>,
    Form(form): Form<ReleaseForm>,
) -> Result<Redirect> {
    let roll = writable(&state.db, &user, &code, &q).await?;
    let date = parse::parse_date(&form.tanggal).ok_or_else(|| {
        AppError::BadRequest("Tanggal bebas tidak dikenali (TTTT-BB-HH atau HH-BB-TTTT).".into())
    })?;
    let mut tx = state.db.begin().await?;
    let row = sqlx::query!(
        r#"with before as (
               select to_jsonb(v) as b from voters v
               where id = $1 and facility_id = $2 and election_id = $3 and status = 'active'
           )
           update voters v set status = 'departed', release_date = $4,
                  departed_reason = 'bebas', departed_at = now()
           from before
           where v.id = $1 and v.facility_id = $2 and v.election_id = $3 and v.status = 'active'
           returning before.b as "before!", to_jsonb(v) as "after!""#,
        id,
        roll.facility_id,
        roll.election.id,
        date
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    audit::record(
        &mut tx,
        &user.actor(),
        Entry::new("voter.release")
            .object("voter", id)
            .province(Some(roll.province_code.clone()))
            .facility(Some(roll.facility_id))
            .before(row.before)
            .after(row.after),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!(
        "/fasilitas/{}/daftar",
        roll.facility_code
    )))
}

#[derive(Deserialize)]
pub struct TransferForm {
    tujuan: String,
}

/// Records a transfer: the voter leaves this roll and appears on the destination's roll of
/// the same election, with where they came from.
pub async fn transfer(
    State(state): State<crate::http::AppState>,
    user: CurrentUser,
    Path((code, id)): Path<(String, i64)>,
    Query(q): Query<ElectionQuery>,
    Form(form): Form<TransferForm>,
) -> Result<Redirect> {
    let roll = writable(&state.db, &user, &code, &q).await?;
    let dest = sqlx::query!(
        "select id, name, province_code from facilities where code = $1 and id <> $2",
        form.tujuan,
        roll.facility_id
    )
    .fetch_optional(&state.db)
    .await?
    .ok_or_else(|| AppError::BadRequest("Fasilitas tujuan tidak dikenal.".into()))?;
    let mut tx = state.db.begin().await?;
    let moved = sqlx::query!(
        r#"update voters v set status = 'departed', departed_reason = 'dipindahkan',
                  departed_to = $4, departed_at = now()
           where id = $1 and facility_id = $2 and election_id = $3 and status = 'active'
           returning to_jsonb(v) as "after!", row_key"#,
        id,
        roll.facility_id,
        roll.election.id,
        dest.id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let arrived = sqlx::query!(
        r#"insert into voters (election_id, facility_id, row_key, nik, nik_flag, name, birth_date,
               sex, legal_status, marital_status, home_region_code, home_from_nik, rights_revoked,
               release_date, list, birth_place, registration_no, disability, ktp_el,
               transferred_from)
           select election_id, $2, row_key, nik, nik_flag, name, birth_date, sex, legal_status,
                  marital_status, home_region_code, home_from_nik, rights_revoked, release_date,
                  list, birth_place, registration_no, disability, ktp_el, facility_id
           from voters where id = $1
           on conflict (election_id, facility_id, row_key) do update set
               status = 'active', departed_reason = null, departed_at = null, departed_to = null,
               transferred_from = excluded.transferred_from, arrived_at = now()
           returning id, to_jsonb(voters) as "after!""#,
        id,
        dest.id
    )
    .fetch_one(&mut *tx)
    .await?;
    let actor = user.actor();
    audit::record(
        &mut tx,
        &actor,
        Entry::new("voter.transfer_out")
            .object("voter", id)
            .province(Some(roll.province_code.clone()))
            .facility(Some(roll.facility_id))
            .after(moved.after),
    )
    .await?;
    audit::record(
        &mut tx,
        &actor,
        Entry::new("voter.transfer_in")
            .object("voter", arrived.id)
            .province(Some(dest.province_code))
            .facility(Some(dest.id))
            .after(json!({ "from": roll.facility_code, "voter": arrived.after })),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!(
        "/fasilitas/{}/daftar",
        roll.facility_code
    )))
}
