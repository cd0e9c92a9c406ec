//! The set-based writes of the staged rows: transfers, updates, inserts and departures,
//! each audited (the checks before them: [`super::checks`]).

use sqlx::PgConnection;

use super::arrivals::{move_arrivals, request_arrivals};
use super::{ImportError, Mode, Options, Report, Stages, Transfers};
use crate::db::audit::Actor;
use crate::read::places::Place;

/// Writes the staged rows: transfers, updates, inserts, departures, each audited.
pub(super) async fn apply(
    conn: &mut PgConnection,
    target: &Place,
    import_id: i64,
    opts: &Options,
    actor: &Actor,
    report: &mut Report,
    stages: &mut Stages,
) -> Result<(), ImportError> {
    match opts.transfers {
        Transfers::Refuse => {}
        Transfers::Request => {
            report.pending_transfers =
                request_arrivals(conn, target, import_id, actor).await? as u64;
        }
        Transfers::Move => {
            report.moves = move_arrivals(conn, target, import_id, actor).await?;
            report.transferred = report.moves.len() as u64;
        }
    }
    stages.done("transfers");
    // A first import (an empty roll) has nothing to compare, update or depart: the
    // statements that join the whole file with the roll are left out.
    let empty = roll_is_empty(conn, target).await?;
    if !empty {
        let matched = matched(conn, target, import_id).await?;
        report.updated = update_changed(conn, target, import_id, actor).await?;
        report.unchanged = matched - report.updated;
        stages.done("update changed");
    }
    report.inserted = insert_new(conn, target, import_id).await?;
    stages.done("insert new");
    if opts.mode == Mode::Replace && !empty {
        report.departed = depart_missing(conn, target, import_id, actor).await?;
        stages.done("depart missing");
    }
    Ok(())
}

/// Whether the roll holds no voter at all, active or departed.
async fn roll_is_empty(conn: &mut PgConnection, target: &Place) -> Result<bool, ImportError> {
    let (e, f) = (target.election.id, target.facility_id);
    Ok(sqlx::query_scalar!(
        r#"select not exists (select 1 from voters where election_id = $1 and facility_id = $2)
               as "empty!""#,
        e,
        f
    )
    .fetch_one(&mut *conn)
    .await?)
}

/// How many staged rows match a voter of the roll.
async fn matched(
    conn: &mut PgConnection,
    target: &Place,
    import_id: i64,
) -> Result<u64, ImportError> {
    let (e, f) = (target.election.id, target.facility_id);
    Ok(sqlx::query_scalar!(
        r#"select count(*) as "n!" from roll_staging s
           join voters v on v.election_id = $2 and v.facility_id = $3 and v.row_key = s.row_key
           where s.import_id = $1"#,
        import_id,
        e,
        f
    )
    .fetch_one(&mut *conn)
    .await? as u64)
}

/// Updates the voters whose staged row differs (audited); returns how many. An empty
/// admission date or form column keeps what is recorded (a file of an older shape, or one
/// from SDP that knows nothing of forms, never erases them).
async fn update_changed(
    conn: &mut PgConnection,
    target: &Place,
    import_id: i64,
    actor: &Actor,
) -> Result<u64, ImportError> {
    let (e, f) = (target.election.id, target.facility_id);
    Ok(sqlx::query_scalar!(
        r#"with changed as (
               select v.id, to_jsonb(v) as before
               from roll_staging s
               join voters v on v.election_id = $2 and v.facility_id = $3 and v.row_key = s.row_key
               where s.import_id = $1
                 and (v.nik, v.nik_flag, v.nik_raw, v.nik_problem, v.name, v.birth_date, v.sex,
                      v.legal_status, v.marital_status, v.home_region_code, v.home_from_nik,
                      v.rights_revoked, v.release_date, v.list, v.birth_place,
                      v.registration_no, v.disability, v.ktp_el, v.status, v.admitted_on,
                      v.form_origin_tps, v.form_origin_desa, v.form_date, v.kpu_tps)
                     is distinct from
                     (s.nik, s.nik_flag, s.nik_raw, s.nik_problem, s.name, s.birth_date, s.sex,
                      s.legal_status, s.marital_status, s.home_region_code, s.home_from_nik,
                      s.rights_revoked, s.release_date, s.list, s.birth_place,
                      s.registration_no, s.disability, s.ktp_el, 'active',
                      coalesce(s.admitted_on, v.admitted_on),
                      coalesce(s.form_origin_tps, v.form_origin_tps),
                      coalesce(s.form_origin_desa, v.form_origin_desa),
                      coalesce(s.form_date, v.form_date), coalesce(s.kpu_tps, v.kpu_tps))
           ), updated as (
               update voters v
               set nik = s.nik, nik_flag = s.nik_flag, nik_raw = s.nik_raw,
                   nik_problem = s.nik_problem, name = s.name, birth_date = s.birth_date,
                   sex = s.sex, legal_status = s.legal_status, marital_status = s.marital_status,
                   home_region_code = s.home_region_code, home_from_nik = s.home_from_nik,
                   rights_revoked = s.rights_revoked, release_date = s.release_date,
                   list = s.list, birth_place = s.birth_place,
                   registration_no = s.registration_no, disability = s.disability,
                   ktp_el = s.ktp_el, status = 'active', departed_reason = null, departed_to = null,
                   departed_at = null, admitted_on = coalesce(s.admitted_on, v.admitted_on),
                   form_origin_tps = coalesce(s.form_origin_tps, v.form_origin_tps),
                   form_origin_desa = coalesce(s.form_origin_desa, v.form_origin_desa),
                   form_date = coalesce(s.form_date, v.form_date),
                   kpu_tps = coalesce(s.kpu_tps, v.kpu_tps)
               from roll_staging s, changed c
               where s.import_id = $1 and c.id = v.id and v.row_key = s.row_key
               returning v.id, to_jsonb(v) as after
           ), audited as (
               insert into audit_log (user_id, actor, client_addr, action, object_type, object_id,
                                      province_code, facility_id, before, after)
               select $4, $5, $6, 'voter.update', 'voter', u.id::text, $7, $3, c.before, u.after
               from updated u join changed c using (id)
           )
           select count(*) as "n!" from updated"#,
        import_id,
        e,
        f,
        actor.user_id,
        actor.name,
        actor.client_addr,
        target.province_code,
    )
    .fetch_one(&mut *conn)
    .await? as u64)
}

/// Inserts the staged rows that match no voter of the roll; returns how many.
async fn insert_new(
    conn: &mut PgConnection,
    target: &Place,
    import_id: i64,
) -> Result<u64, ImportError> {
    let (e, f) = (target.election.id, target.facility_id);
    Ok(sqlx::query!(
        "insert into voters (election_id, facility_id, row_key, nik, nik_flag, nik_raw,
             nik_problem, name, birth_date,
             sex, legal_status, marital_status, home_region_code, home_from_nik, rights_revoked,
             release_date, list, birth_place, registration_no, disability, ktp_el,
             transferred_from, admitted_on, form_origin_tps, form_origin_desa, form_date, kpu_tps)
         select $2, $3, s.row_key, s.nik, s.nik_flag, s.nik_raw, s.nik_problem, s.name,
                s.birth_date, s.sex,
                s.legal_status, s.marital_status, s.home_region_code, s.home_from_nik,
                s.rights_revoked, s.release_date, s.list, s.birth_place, s.registration_no,
                s.disability, s.ktp_el, s.transferred_from, s.admitted_on, s.form_origin_tps,
                s.form_origin_desa, s.form_date, s.kpu_tps
         from roll_staging s
         where s.import_id = $1
           and not exists (select 1 from voters v where v.election_id = $2 and v.facility_id = $3
                                                     and v.row_key = s.row_key)",
        import_id,
        e,
        f
    )
    .execute(&mut *conn)
    .await?
    .rows_affected())
}

/// Marks departed the active voters absent from the file (replace mode, audited); returns
/// how many.
async fn depart_missing(
    conn: &mut PgConnection,
    target: &Place,
    import_id: i64,
    actor: &Actor,
) -> Result<u64, ImportError> {
    let (e, f) = (target.election.id, target.facility_id);
    Ok(sqlx::query_scalar!(
        r#"with departed as (
               update voters v
               set status = 'departed', departed_reason = 'tidak ada di berkas impor (replace)',
                   departed_at = now()
               where v.election_id = $2 and v.facility_id = $3 and v.status = 'active'
                 and not exists (select 1 from roll_staging s
                                 where s.import_id = $1 and s.row_key = v.row_key)
               returning v.id, to_jsonb(v) as after
           ), audited as (
               insert into audit_log (user_id, actor, client_addr, action, object_type,
                                      object_id, province_code, facility_id, after)
               select $4, $5, $6, 'voter.depart', 'voter', d.id::text, $7, $3, d.after
               from departed d
           )
           select count(*) as "n!" from departed"#,
        import_id,
        e,
        f,
        actor.user_id,
        actor.name,
        actor.client_addr,
        target.province_code,
    )
    .fetch_one(&mut *conn)
    .await? as u64)
}
