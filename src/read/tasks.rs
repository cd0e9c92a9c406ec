//! What is left to do in a place, counted for the home page (`/`) with the definitions the
//! pages it links to use: `needs_disdukcapil` (the Disdukcapil list), `needs_form` of the
//! view `voters_with_reasons` (the pindah-memilih worklist), the roll filters' counts
//! (`roll_figures`), and the reconciliation groups of `kpu_list_pairs` (the reconciliation
//! page), kept per facility in `kpu_list_figures`. One set-based query each; TPS readiness
//! and ballots come from `read::summary`, facility totals from `read::figures`.

use sqlx::PgPool;
use time::OffsetDateTime;

use crate::http::error::Result;

/// A facility's roll for one election: its size by list, and what is left to do on it.
pub struct RollStatus {
    pub code: String,
    pub name: String,
    /// The last `roll.import` written, and the last change of any voter (import or form).
    pub last_import: Option<OffsetDateTime>,
    pub last_change: Option<OffsetDateTime>,
    pub active: i64,
    pub eligible: i64,
    pub dpt: i64,
    pub dptb: i64,
    pub dpk: i64,
    /// Rows of the Disdukcapil list (no or broken NIK, NIK to verify, no KTP-el).
    pub disdukcapil: i64,
    /// Rows of the pindah-memilih worklist still needing a form: on the DPTb, on no list.
    pub dptb_without_form: i64,
    pub arrivals_without_form: i64,
    /// The roll filter `dpk_tanpa_ktp_el`.
    pub dpk_without_ktp: i64,
    /// The roll filter `bebas`: released on or before voting day.
    pub released: i64,
}

pub async fn roll_status(pool: &PgPool, election_id: i64, facility_id: i64) -> Result<RollStatus> {
    // The sizes and the roll filters' counts are the roll page's own (`roll_figures`); only
    // what no filter counts is counted here.
    super::figures::ensure_fresh(pool).await?;
    let counts = super::roll_figures::counts(pool, election_id, facility_id).await?;
    let r = sqlx::query!(
        r#"select f.code, f.name,
                  (select max(a.at) from audit_log a
                   where a.facility_id = f.id and a.action = 'roll.import'
                     and a.object_id = $1::bigint::text || ':' || f.id::text) as last_import,
                  r.last_change,
                  r.disdukcapil as "disdukcapil!", r.dptb_without_form as "dptb_without_form!",
                  r.arrivals_without_form as "arrivals_without_form!"
           from facilities f
           cross join lateral (
               select max(v.updated_at) as last_change,
                      count(*) filter (where needs_disdukcapil(v.status, v.nik_flag, v.ktp_el,
                                                               v.reasons)) as disdukcapil,
                      count(*) filter (where v.needs_form and v.list = 'dptb')
                          as dptb_without_form,
                      count(*) filter (where v.needs_form and v.list is null)
                          as arrivals_without_form
               from voters_with_reasons v
               where v.facility_id = f.id and v.election_id = $1
           ) r
           where f.id = $2"#,
        election_id,
        facility_id
    )
    .fetch_one(pool)
    .await?;
    Ok(RollStatus {
        code: r.code,
        name: r.name,
        last_import: r.last_import,
        last_change: r.last_change,
        active: counts.active,
        eligible: counts.eligible,
        dpt: counts.dpt,
        dptb: counts.dptb,
        dpk: counts.dpk,
        disdukcapil: r.disdukcapil,
        dptb_without_form: r.dptb_without_form,
        arrivals_without_form: r.arrivals_without_form,
        dpk_without_ktp: counts.dpk_without_ktp,
        released: counts.released,
    })
}

/// When a facility's roll last changed (`None`: no roll), for the facilities of a province.
pub struct RollAge {
    pub code: String,
    pub last_change: Option<OffsetDateTime>,
}

/// Every facility of `province` with the last change of its roll (a voter written, or an
/// import that changed nothing).
pub async fn roll_ages(pool: &PgPool, election_id: i64, province: &str) -> Result<Vec<RollAge>> {
    Ok(sqlx::query_as!(
        RollAge,
        r#"select f.code,
                  greatest((select max(v.updated_at) from voters v
                            where v.facility_id = f.id and v.election_id = $1),
                           (select max(a.at) from audit_log a
                            where a.facility_id = f.id and a.action = 'roll.import'
                              and a.object_id = $1::bigint::text || ':' || f.id::text))
                      as last_change
           from facilities f
           where f.province_code = $2
           order by f.name"#,
        election_id,
        province
    )
    .fetch_all(pool)
    .await?)
}

/// A facility with incidents not closed.
pub struct OpenIncidents {
    pub province_code: String,
    pub code: String,
    pub name: String,
    pub open: i64,
}

pub async fn open_incidents(
    pool: &PgPool,
    election_id: i64,
    province: Option<&str>,
) -> Result<Vec<OpenIncidents>> {
    Ok(sqlx::query_as!(
        OpenIncidents,
        r#"select f.province_code, f.code, f.name, count(*) as "open!"
           from incidents i join facilities f on f.id = i.facility_id
           where i.election_id = $1 and i.status <> 'closed'
             and ($2::text is null or f.province_code = $2)
           group by f.id
           order by f.province_code, f.name"#,
        election_id,
        province
    )
    .fetch_all(pool)
    .await?)
}

/// A facility's reconciliation with KPU's list: the groups that need action (see
/// `reconcile::matching::Group`); `listed` is false when no KPU list is stored.
pub struct Reconciliation {
    pub province_code: String,
    pub code: String,
    pub name: String,
    pub listed: bool,
    pub kpu_only: i64,
    pub roll_only: i64,
    pub tps_differs: i64,
    pub name_differs: i64,
}

impl Reconciliation {
    pub fn differences(&self) -> i64 {
        self.kpu_only + self.roll_only + self.tps_differs + self.name_differs
    }
}

/// Every facility in scope (the province, or all) with its reconciliation counts, as kept in
/// `kpu_list_figures` (rebuilt first for what changed).
pub async fn reconciliations(
    pool: &PgPool,
    election_id: i64,
    province: Option<&str>,
) -> Result<Vec<Reconciliation>> {
    super::figures::ensure_fresh(pool).await?;
    Ok(sqlx::query_as!(
        Reconciliation,
        r#"select f.province_code, f.code, f.name, x.facility_id is not null as "listed!",
                  coalesce(x.kpu_only, 0)::int8 as "kpu_only!",
                  coalesce(x.roll_only, 0)::int8 as "roll_only!",
                  coalesce(x.tps_differs, 0)::int8 as "tps_differs!",
                  coalesce(x.name_differs, 0)::int8 as "name_differs!"
           from facilities f
           left join kpu_list_figures x on x.facility_id = f.id and x.election_id = $1
           where ($2::text is null or f.province_code = $2)
           order by f.province_code, f.name"#,
        election_id,
        province
    )
    .fetch_all(pool)
    .await?)
}
