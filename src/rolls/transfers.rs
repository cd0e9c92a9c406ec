//! Transfers between facilities that the destination asked for: a registrar importing an
//! inmate whose NIK is active on another facility's roll records a *pending arrival* (the
//! name and birth date matched the origin's record). The inmate stays on the origin's roll
//! until the origin confirms: its registrar, or a kanwil/admin whose scope covers it. Then,
//! in one transaction, the inmate leaves the origin's roll (departed, "dipindahkan") and
//! arrives on the destination's with where they came from. The origin may refuse, the
//! destination may withdraw its request.
//!
//! `/fasilitas/{kode}/pindahan` lists both sides for a facility.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde_json::json;
use sqlx::PgConnection;

use super::{Roll, readable};
use crate::db::audit::{self, Actor, Entry};
use crate::domain::format;
use crate::domain::privacy::facility_name;
use crate::http::AppState;
use crate::http::error::{AppError, Result};
use crate::http::layout::Layout;
use crate::http::session::CurrentUser;
use crate::read::elections::ElectionQuery;

pub struct PendingItem {
    pub id: i64,
    pub name: String,
    pub nik: String,
    pub birth_date: String,
    /// The other side: the origin for an arrival, the destination for a departure.
    pub other: String,
    pub requested: String,
    pub by: String,
}

#[derive(Template)]
#[template(path = "rolls/transfers.html")]
struct TransfersPage {
    layout: Layout,
    roll: Roll,
    arrivals: Vec<PendingItem>,
    departures: Vec<PendingItem>,
    /// The origin's registrar or a kanwil/admin in scope: may confirm or refuse departures.
    can_decide: bool,
    /// The destination's registrar: may withdraw its requests.
    can_withdraw: bool,
    message: Option<String>,
}

async fn pending(
    state: &AppState,
    user: &CurrentUser,
    roll: &Roll,
) -> Result<(Vec<PendingItem>, Vec<PendingItem>)> {
    let rows = sqlx::query!(
        r#"select t.id, t.to_facility_id = $2 as "arriving!", v.name, v.nik, v.birth_date,
                  o.id as other_id, o.name as other_name, o.province_code as other_province,
                  t.requested_at, coalesce(u.username, 'sistem') as "by!"
           from transfers t
           join voters v on v.id = t.voter_id
           join facilities o on o.id = case when t.to_facility_id = $2 then t.from_facility_id
                                            else t.to_facility_id end
           left join users u on u.id = t.requested_by
           where t.election_id = $1 and t.status = 'pending'
             and (t.to_facility_id = $2 or t.from_facility_id = $2)
           order by t.requested_at, t.id"#,
        roll.election.id,
        roll.facility_id
    )
    .fetch_all(&state.db)
    .await?;
    let (mut arrivals, mut departures) = (Vec::new(), Vec::new());
    for r in rows {
        // The inmate's record belongs to the origin: its NIK is shown in full only to the
        // origin's registrar and admins. The destination's registrar typed that NIK.
        let origin = if r.arriving {
            r.other_id
        } else {
            roll.facility_id
        };
        let view = user.nik_view(origin);
        let item = PendingItem {
            id: r.id,
            name: r.name,
            nik: r.nik.as_deref().map(|n| view.show(n)).unwrap_or_default(),
            birth_date: format::date(r.birth_date),
            // An arrival's origin is where the inmate is held now: named only within scope.
            other: if r.arriving {
                facility_name(&user.scope, r.other_id, &r.other_province, &r.other_name)
            } else {
                r.other_name
            },
            requested: format::datetime(r.requested_at),
            by: r.by,
        };
        if r.arriving {
            arrivals.push(item);
        } else {
            departures.push(item);
        }
    }
    Ok((arrivals, departures))
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    roll: Roll,
    message: Option<String>,
) -> Result<String> {
    let (arrivals, departures) = pending(state, user, &roll).await?;
    Ok(TransfersPage {
        layout: user.layout(),
        can_decide: true,
        can_withdraw: user.role == crate::domain::access::Role::Registrar,
        arrivals,
        departures,
        message,
        roll,
    }
    .render()?)
}

/// `GET /fasilitas/{code}/pindahan`: pending arrivals and departures.
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(code): Path<String>,
    Query(q): Query<ElectionQuery>,
) -> Result<Html<String>> {
    let roll = readable(&state.db, &user, &code, &q).await?;
    Ok(Html(render(&state, &user, roll, None).await?))
}

/// What the origin decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Confirm,
    Refuse,
}

/// `POST /fasilitas/{code}/pindahan/{id}/{konfirmasi|tolak}`: `code` is the origin.
pub async fn decide(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((code, id, action)): Path<(String, i64, String)>,
    Query(q): Query<ElectionQuery>,
) -> Result<Response> {
    let roll = readable(&state.db, &user, &code, &q).await?;
    let decision = match action.as_str() {
        "konfirmasi" => Decision::Confirm,
        "tolak" => Decision::Refuse,
        "batal" => return withdraw(state, user, roll, id).await,
        _ => return Err(AppError::NotFound),
    };
    let mut tx = state.db.begin().await?;
    let outcome = apply_decision(&mut tx, roll.facility_id, id, decision, &user.actor()).await?;
    if let Err(message) = outcome {
        drop(tx);
        let html = render(&state, &user, roll, Some(message)).await?;
        return Ok((axum::http::StatusCode::CONFLICT, Html(html)).into_response());
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!(
        "/fasilitas/{}/pindahan?pemilihan={}",
        roll.facility_code, roll.election.slug
    ))
    .into_response())
}

/// The destination's registrar withdraws its own pending request.
async fn withdraw(state: AppState, user: CurrentUser, roll: Roll, id: i64) -> Result<Response> {
    user.require(&[crate::domain::access::Role::Registrar])?;
    let mut tx = state.db.begin().await?;
    let done = sqlx::query_scalar!(
        "update transfers set status = 'cancelled', decided_by = $3, decided_at = now()
         where id = $1 and to_facility_id = $2 and status = 'pending' returning id",
        id,
        roll.facility_id,
        user.id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    audit::record(
        &mut tx,
        &user.actor(),
        Entry::new("transfer.cancel")
            .object("transfer", done)
            .province(Some(roll.province_code.clone()))
            .facility(Some(roll.facility_id)),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!(
        "/fasilitas/{}/pindahan?pemilihan={}",
        roll.facility_code, roll.election.slug
    ))
    .into_response())
}

/// Confirms or refuses the pending transfer `id` out of `origin`. `Ok(Err(message))` when it
/// can no longer be done (the inmate left the origin's roll meanwhile); nothing is written
/// then. 404 when there is no such pending transfer out of `origin`.
pub async fn apply_decision(
    conn: &mut PgConnection,
    origin: i64,
    id: i64,
    decision: Decision,
    actor: &Actor,
) -> Result<std::result::Result<(), String>> {
    let t = sqlx::query!(
        r#"select t.voter_id, t.to_facility_id, t.election_id, ff.province_code as from_province,
                  tf.province_code as to_province
           from transfers t
           join facilities ff on ff.id = t.from_facility_id
           join facilities tf on tf.id = t.to_facility_id
           where t.id = $1 and t.from_facility_id = $2 and t.status = 'pending'
           for update of t"#,
        id,
        origin
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    let status = match decision {
        Decision::Confirm => "confirmed",
        Decision::Refuse => "refused",
    };
    sqlx::query!(
        "update transfers set status = $2, decided_by = $3, decided_at = now() where id = $1",
        id,
        status,
        actor.user_id
    )
    .execute(&mut *conn)
    .await?;
    if decision == Decision::Refuse {
        audit::record(
            conn,
            actor,
            Entry::new("transfer.refuse")
                .object("transfer", id)
                .province(Some(t.from_province))
                .facility(Some(origin)),
        )
        .await?;
        return Ok(Ok(()));
    }
    let Some(left) = sqlx::query!(
        r#"with before as (select to_jsonb(v) as b from voters v where v.id = $1)
           update voters v
           set status = 'departed', departed_reason = 'dipindahkan', departed_to = $2,
               departed_at = now()
           from before
           where v.id = $1 and v.status = 'active'
           returning before.b as "before!", to_jsonb(v) as "after!""#,
        t.voter_id,
        t.to_facility_id
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(Err(
            "WBP ini sudah tidak aktif di daftar fasilitas asal; tolak permintaan ini.".into(),
        ));
    };
    let arrived = sqlx::query!(
        r#"insert into voters (election_id, facility_id, row_key, nik, nik_flag, name, birth_date,
               sex, legal_status, marital_status, home_region_code, home_from_nik, rights_revoked,
               release_date, list, birth_place, registration_no, disability, ktp_el,
               transferred_from)
           select $2, $3, a.row_key, a.nik, a.nik_flag, a.name, a.birth_date, a.sex,
                  a.legal_status, a.marital_status, a.home_region_code, a.home_from_nik,
                  a.rights_revoked, a.release_date, a.list, a.birth_place, a.registration_no,
                  a.disability, a.ktp_el, $4
           from transfers t, jsonb_populate_record(null::public.roll_staging, t.arrival) a
           where t.id = $1
           on conflict (election_id, facility_id, row_key) do update set
               nik = excluded.nik, nik_flag = excluded.nik_flag, name = excluded.name,
               birth_date = excluded.birth_date, sex = excluded.sex,
               legal_status = excluded.legal_status, marital_status = excluded.marital_status,
               home_region_code = excluded.home_region_code,
               home_from_nik = excluded.home_from_nik, rights_revoked = excluded.rights_revoked,
               release_date = excluded.release_date, list = excluded.list,
               birth_place = excluded.birth_place, registration_no = excluded.registration_no,
               disability = excluded.disability, ktp_el = excluded.ktp_el,
               status = 'active', departed_reason = null, departed_at = null, departed_to = null,
               transferred_from = excluded.transferred_from, arrived_at = now()
           returning id, to_jsonb(voters) as "after!""#,
        id,
        t.election_id,
        t.to_facility_id,
        origin
    )
    .fetch_one(&mut *conn)
    .await?;
    audit::record(
        conn,
        actor,
        Entry::new("voter.transfer_out")
            .object("voter", t.voter_id)
            .province(Some(t.from_province))
            .facility(Some(origin))
            .before(left.before)
            .after(left.after),
    )
    .await?;
    audit::record(
        conn,
        actor,
        Entry::new("voter.transfer_in")
            .object("voter", arrived.id)
            .province(Some(t.to_province))
            .facility(Some(t.to_facility_id))
            .after(json!({ "transfer": id, "voter": arrived.after })),
    )
    .await?;
    Ok(Ok(()))
}
