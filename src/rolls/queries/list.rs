//! The roll list: one page of voters (from the view `voters_with_reasons`; the counts per
//! filter are pre-aggregated, `read::roll_figures`), the Disdukcapil list.

use sqlx::PgPool;
use time::Date;

use crate::domain::nik::NikProblem;
use crate::domain::voter::{NikFlag, Sex, VoterList, VoterStatus};
use crate::read::places::Place;

/// What the list asks for: a filter key (see `rolls::filter`), a search, a page.
pub struct Search<'a> {
    pub filter_key: &'a str,
    /// The search as typed (empty: none), and its patterns under the NIK masking rule.
    pub text: &'a str,
    pub name_pattern: String,
    pub nik_prefix: Option<String>,
    pub nik_exact: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

/// One voter of the list, with where they came from or went to and why they may not vote.
pub struct ListedVoter {
    pub id: i64,
    pub name: String,
    pub nik: Option<String>,
    pub birth_date: Date,
    pub sex: Sex,
    pub list: Option<VoterList>,
    pub status: VoterStatus,
    pub departed_reason: Option<String>,
    pub nik_flag: Option<NikFlag>,
    /// A broken NIK as written, and why it is broken.
    pub nik_raw: Option<String>,
    pub nik_problem: Option<NikProblem>,
    pub home_from_nik: bool,
    /// On the DPK without a KTP-el.
    pub dpk_without_ktp: bool,
    pub from_id: Option<i64>,
    pub from_name: Option<String>,
    pub from_province: Option<String>,
    pub to_id: Option<i64>,
    pub to_name: Option<String>,
    pub to_province: Option<String>,
    /// Admitted after the pindah memilih deadline; `None` when the admission date is unknown.
    pub late: Option<bool>,
    /// `eligibility::Reason` codes.
    pub reasons: Vec<String>,
}

pub async fn voters(
    pool: &PgPool,
    place: &Place,
    s: &Search<'_>,
) -> sqlx::Result<Vec<ListedVoter>> {
    sqlx::query_as!(
        ListedVoter,
        r#"select v.id as "id!", v.name as "name!", v.nik, v.birth_date as "birth_date!",
                  v.sex as "sex!: Sex", v.list as "list: VoterList",
                  v.status as "status!: VoterStatus", v.departed_reason,
                  v.nik_flag as "nik_flag: NikFlag", v.nik_raw,
                  v.nik_problem as "nik_problem: NikProblem", v.home_from_nik as "home_from_nik!",
                  (v.list = 'dpk' and v.ktp_el is false) is true as "dpk_without_ktp!",
                  tf.id as "from_id?", tf.name as "from_name?",
                  tf.province_code as "from_province?", dt.id as "to_id?",
                  dt.name as "to_name?", dt.province_code as "to_province?",
                  v.late, v.reasons as "reasons!"
           from voters_with_reasons v
           left join facilities tf on tf.id = v.transferred_from
           left join facilities dt on dt.id = v.departed_to
           where v.facility_id = $1 and v.election_id = $2
             and ($3 = '' or v.name ilike $7 or v.nik like $8 or v.nik = $9)
             and case $4
                   when 'all' then true
                   when 'departed' then v.status = 'departed'
                   when 'active' then v.status = 'active'
                   when 'eligible' then v.status = 'active' and cardinality(v.reasons) = 0
                   when 'dpt' then v.status = 'active' and v.list = 'dpt'
                   when 'dptb' then v.status = 'active' and v.list = 'dptb'
                   when 'dpk' then v.status = 'active' and v.list = 'dpk'
                   when 'unlisted' then v.status = 'active' and v.list is null
                   when 'no_nik' then v.status = 'active' and v.nik_flag = 'no_nik'
                   when 'nik_invalid' then v.status = 'active' and v.nik_flag = 'nik_invalid'
                   when 'nik_mismatch' then v.status = 'active' and v.nik_flag = 'nik_mismatch'
                   when 'home_from_nik' then v.status = 'active' and v.home_from_nik
                   when 'dpk_without_ktp' then v.status = 'active' and v.list = 'dpk'
                                               and v.ktp_el is false
                   when 'late' then v.status = 'active' and v.late
                   when 'admission_unknown' then v.status = 'active' and v.admitted_on is null
                   else v.status = 'active' and $4 = any(v.reasons)
                 end
           order by v.status, v.name, v.nik
           limit $5 offset $6"#,
        place.facility_id,
        place.election.id,
        s.text,
        s.filter_key,
        s.limit,
        s.offset,
        s.name_pattern,
        s.nik_prefix,
        s.nik_exact,
    )
    .fetch_all(pool)
    .await
}

/// An active voter who needs Disdukcapil (a NIK to record, find or verify, or a KTP-el).
pub struct DisdukcapilRow {
    pub name: String,
    pub nik: Option<String>,
    pub nik_flag: Option<NikFlag>,
    pub nik_raw: Option<String>,
    pub nik_problem: Option<NikProblem>,
    pub ktp_el: Option<bool>,
    pub list: Option<VoterList>,
    pub birth_date: Date,
    pub birth_place: Option<String>,
    pub registration_no: Option<String>,
}

/// The active voters without a valid NIK, with a NIK to verify or without a KTP-el, who are
/// 17 or (ever) married by voting day: children are not listed (the SQL function
/// `needs_disdukcapil`, which the home page's task counts too).
pub async fn disdukcapil(pool: &PgPool, place: &Place) -> sqlx::Result<Vec<DisdukcapilRow>> {
    sqlx::query_as!(
        DisdukcapilRow,
        r#"select name as "name!", nik, nik_flag as "nik_flag: NikFlag", nik_raw,
                  nik_problem as "nik_problem: NikProblem", ktp_el, list as "list: VoterList",
                  birth_date as "birth_date!", birth_place, registration_no
           from voters_with_reasons
           where facility_id = $1 and election_id = $2
             and needs_disdukcapil(status, nik_flag, ktp_el, reasons)
           order by name"#,
        place.facility_id,
        place.election.id
    )
    .fetch_all(pool)
    .await
}
