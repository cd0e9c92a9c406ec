//! Staged rows whose NIK is active on another facility's roll (checked to be the same
//! person): recorded as pending arrivals for the origin to confirm (the pages), or moved at once
//! (the operator's command line). Either way the law keeps an arrival registered at the
//! origin's TPS: they arrive on no list ("perlu pindah memilih") unless the row says DPTB
//! with a pindah memilih form for this facility (`asal_tps`).

use sqlx::PgConnection;

use super::{ImportError, Move};
use crate::db::audit::Actor;
use crate::read::places::Place;

/// Clears the list of every staged arrival (a row whose NIK is active at another facility)
/// that does not say DPTB with a form's origin TPS: what the origin's roll says (DPT, say)
/// is that TPS's registration, not this facility's.
async fn keep_registration(
    conn: &mut PgConnection,
    target: &Place,
    import_id: i64,
) -> Result<(), ImportError> {
    sqlx::query!(
        "update roll_staging s set list = null
         from voters v
         where s.import_id = $1 and v.election_id = $2 and v.nik = s.nik
           and v.status = 'active' and v.facility_id <> $3
           and (s.list is distinct from 'dptb' or s.form_origin_tps is null)",
        import_id,
        target.election.id,
        target.facility_id
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Records a pending arrival for every staged row whose NIK is active at another facility
/// (the rows were checked to be the same person), and takes those rows out of this import:
/// the inmate stays on the origin's roll until the origin confirms. Returns how many.
pub(super) async fn request_arrivals(
    conn: &mut PgConnection,
    target: &Place,
    import_id: i64,
    actor: &Actor,
) -> Result<i64, ImportError> {
    keep_registration(conn, target, import_id).await?;
    let (e, f) = (target.election.id, target.facility_id);
    let n = sqlx::query_scalar!(
        r#"with requested as (
               insert into transfers (election_id, voter_id, from_facility_id, to_facility_id,
                                      arrival, requested_by)
               select $2, v.id, v.facility_id, $3, to_jsonb(s) - 'import_id' - 'line', $4
               from roll_staging s
               join voters v on v.election_id = $2 and v.nik = s.nik and v.status = 'active'
                            and v.facility_id <> $3
               where s.import_id = $1
               on conflict (voter_id, to_facility_id) where status = 'pending'
               do update set arrival = excluded.arrival, requested_by = excluded.requested_by,
                             requested_at = now()
               returning id, voter_id, from_facility_id
           ), audited as (
               insert into audit_log (user_id, actor, client_addr, action, object_type,
                                      object_id, province_code, facility_id, after)
               select $4, $5, $6, 'transfer.request', 'transfer', r.id::text, $7, $3,
                      jsonb_build_object('voter_id', r.voter_id,
                                         'from_facility_id', r.from_facility_id,
                                         'to_facility_id', $3::bigint)
               from requested r
           )
           select count(*) as "n!" from requested"#,
        import_id,
        e,
        f,
        actor.user_id,
        actor.name,
        actor.client_addr,
        target.province_code,
    )
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query!(
        "delete from roll_staging s using voters v
         where s.import_id = $1 and v.election_id = $2 and v.nik = s.nik
           and v.status = 'active' and v.facility_id <> $3",
        import_id,
        e,
        f
    )
    .execute(&mut *conn)
    .await?;
    Ok(n)
}

/// Moves every staged row's inmate whose NIK is active at another facility here at once
/// (the operator's command line): departed there, audited, and inserted here with where
/// they came from. Returns the moves.
pub(super) async fn move_arrivals(
    conn: &mut PgConnection,
    target: &Place,
    import_id: i64,
    actor: &Actor,
) -> Result<Vec<Move>, ImportError> {
    keep_registration(conn, target, import_id).await?;
    let (e, f) = (target.election.id, target.facility_id);
    sqlx::query!(
        "update roll_staging s set transferred_from = v.facility_id
         from voters v
         where s.import_id = $1 and v.election_id = $2 and v.nik = s.nik
           and v.status = 'active' and v.facility_id <> $3",
        import_id,
        e,
        f
    )
    .execute(&mut *conn)
    .await?;
    let moved = sqlx::query!(
        r#"with moved as (
               update voters v
               set status = 'departed', departed_reason = 'dipindahkan', departed_to = $3,
                   departed_at = now()
               from roll_staging s
               where s.import_id = $1 and v.election_id = $2 and v.nik = s.nik
                 and v.status = 'active' and v.facility_id <> $3
               returning v.id, v.nik, v.name, v.facility_id, to_jsonb(v) as after
           ), audited as (
               insert into audit_log (user_id, actor, client_addr, action, object_type,
                                      object_id, province_code, facility_id, after)
               select $4, $5, $6, 'voter.transfer_out', 'voter', m.id::text,
                      fac.province_code, m.facility_id, m.after
               from moved m join facilities fac on fac.id = m.facility_id
           )
           select m.nik as "nik!", m.name, fac.code as from_code
           from moved m join facilities fac on fac.id = m.facility_id
           order by fac.code, m.name"#,
        import_id,
        e,
        f,
        actor.user_id,
        actor.name,
        actor.client_addr,
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(moved
        .into_iter()
        .map(|m| Move {
            nik: m.nik,
            name: m.name,
            from_code: m.from_code,
        })
        .collect())
}
