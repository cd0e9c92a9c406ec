//! The SQL of the dapil page: the dapils of an election and which TPS they cover.

use sqlx::PgPool;

/// A dapil and its regions (`16.73 Kota Lubuklinggau`).
pub struct DapilLine {
    pub contest: String,
    pub code: String,
    pub name: String,
    pub illustrative: bool,
    pub regions: Vec<String>,
}

/// The dapils of `election_id` touching `province` (all when `None`).
pub async fn dapils(
    pool: &PgPool,
    election_id: Option<i64>,
    province: Option<&str>,
) -> sqlx::Result<Vec<DapilLine>> {
    sqlx::query_as!(
        DapilLine,
        r#"select d.contest, d.code, d.name, d.illustrative,
                  array_agg(r.region_code || coalesce(' ' || g.name, '') order by r.region_code) as "regions!"
           from dapils d
           join dapil_regions r on r.dapil_id = d.id
           left join regions g on g.code = r.region_code
           where d.election_id = $1 and ($2::text is null or left(r.region_code, 2) = $2)
           group by d.id
           order by case d.contest when 'dpr' then 1 when 'dprd_prov' then 2 else 3 end, d.code"#,
        election_id,
        province
    )
    .fetch_all(pool)
    .await
}

/// A TPS and whether a dapil of each contest covers its location (true also when the
/// contest's ballot does not exist there: a Pilkada, or DPRD Kab/Kota in DKI Jakarta).
pub struct Coverage {
    pub code: String,
    pub name: String,
    pub tps_number: i32,
    pub location_code: Option<String>,
    pub dpr: bool,
    pub prov: bool,
    pub kab: bool,
}

/// Every TPS of the election in scope, with its dapil coverage. An area covers a location
/// when it is the location or contains it (dapil areas are regions at any level).
pub async fn coverage(
    pool: &PgPool,
    election_id: Option<i64>,
    province: Option<&str>,
    facility: Option<i64>,
) -> sqlx::Result<Vec<Coverage>> {
    sqlx::query_as!(
        Coverage,
        r#"select f.code, f.name, s.tps_number, s.location_code,
                  (not 'dpr' = any(e.ballot_types) or exists (
                      select 1 from dapil_regions r where r.election_id = s.election_id
                      and r.contest = 'dpr' and r.region_code = any(l.areas))) as "dpr!",
                  (not 'dprd_prov' = any(e.ballot_types) or exists (
                      select 1 from dapil_regions r where r.election_id = s.election_id
                      and r.contest = 'dprd_prov' and r.region_code = any(l.areas))) as "prov!",
                  (not 'dprd_kabkota' = any(e.ballot_types) or f.province_code = '31' or exists (
                      select 1 from dapil_regions r where r.election_id = s.election_id
                      and r.contest = 'dprd_kabkota' and r.region_code = any(l.areas))) as "kab!"
           from stations s join facilities f on f.id = s.facility_id
           join elections e on e.id = s.election_id
           cross join lateral (select array[left(s.location_code, 2), left(s.location_code, 5),
                                            left(s.location_code, 8), s.location_code] as areas) l
           where s.election_id = $1 and ($2::text is null or f.province_code = $2)
             and ($3::bigint is null or f.id = $3)
           order by f.province_code, f.name, s.tps_number"#,
        election_id,
        province,
        facility
    )
    .fetch_all(pool)
    .await
}
