//! Storing KPU's list and matching it with the facility's roll by NIK, in SQL (hash joins:
//! as fast as an anti-join of the same data). The groups are defined once, in the SQL
//! function `kpu_list_pairs` (migration `20261130000041`); counts and rows both read it.

use sqlx::{PgConnection, PgPool, Postgres, Transaction};

use super::list::Entry;
use crate::http::error::Result;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// On both lists.
    Matched,
    /// On KPU's list, not on the facility's active roll (released, transferred, unknown).
    KpuOnly,
    /// On the roll, eligible, but not on KPU's list: would lose their vote.
    RollOnly,
    /// On both, but KPU has them on another TPS than the roll.
    TpsDiffers,
    /// On both, but the names differ (ignoring case, spaces and punctuation).
    NameDiffers,
}

impl Group {
    pub const ALL: [Group; 5] = [
        Group::Matched,
        Group::KpuOnly,
        Group::RollOnly,
        Group::TpsDiffers,
        Group::NameDiffers,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Group::Matched => "cocok",
            Group::KpuOnly => "hanya-kpu",
            Group::RollOnly => "hanya-daftar",
            Group::TpsDiffers => "beda-tps",
            Group::NameDiffers => "beda-nama",
        }
    }

    pub fn parse(s: &str) -> Option<Group> {
        Group::ALL.into_iter().find(|g| g.slug() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Group::Matched => "Cocok (ada di kedua daftar)",
            Group::KpuOnly => "Ada di daftar KPU, tidak ada di daftar WBP aktif",
            Group::RollOnly => {
                "WBP dapat memilih, tidak ada di daftar KPU (terancam kehilangan hak pilih)"
            }
            Group::TpsDiffers => "Cocok, tetapi TPS berbeda",
            Group::NameDiffers => "Cocok, tetapi nama berbeda",
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub kpu: i64,
    pub matched: i64,
    pub kpu_only: i64,
    pub roll_only: i64,
    pub tps_differs: i64,
    pub name_differs: i64,
}

impl Counts {
    pub fn of(&self, g: Group) -> i64 {
        match g {
            Group::Matched => self.matched,
            Group::KpuOnly => self.kpu_only,
            Group::RollOnly => self.roll_only,
            Group::TpsDiffers => self.tps_differs,
            Group::NameDiffers => self.name_differs,
        }
    }
}

/// The facility's stored KPU list for the election.
pub struct StoredList {
    pub id: i64,
    pub filename: String,
    pub rows: i32,
    pub uploaded_at: time::OffsetDateTime,
    /// Who uploaded it (`sistem` for the command line).
    pub by: String,
}

pub async fn latest(
    pool: &PgPool,
    election_id: i64,
    facility_id: i64,
) -> Result<Option<StoredList>> {
    Ok(sqlx::query_as!(
        StoredList,
        r#"select l.id, l.filename, l.rows, l.uploaded_at, coalesce(u.username, 'sistem') as "by!"
           from kpu_lists l left join users u on u.id = l.user_id
           where l.election_id = $1 and l.facility_id = $2"#,
        election_id,
        facility_id
    )
    .fetch_optional(pool)
    .await?)
}

/// Replaces the facility's KPU list with `entries`; returns the new list's id. Run it in a
/// transaction.
#[tracing::instrument(skip_all, fields(election_id = election_id, facility_id = facility_id, rows = entries.len()))]
pub async fn store(
    conn: &mut PgConnection,
    election_id: i64,
    facility_id: i64,
    user_id: Option<i64>,
    filename: &str,
    entries: &[Entry],
) -> Result<i64> {
    sqlx::query!(
        "delete from kpu_lists where election_id = $1 and facility_id = $2",
        election_id,
        facility_id
    )
    .execute(&mut *conn)
    .await?;
    let id = sqlx::query_scalar!(
        "insert into kpu_lists (election_id, facility_id, user_id, filename, rows)
         values ($1, $2, $3, $4, $5) returning id",
        election_id,
        facility_id,
        user_id,
        filename,
        entries.len() as i32
    )
    .fetch_one(&mut *conn)
    .await?;
    for chunk in entries.chunks(20_000) {
        let lines: Vec<i32> = chunk.iter().map(|e| e.line).collect();
        let niks: Vec<String> = chunk.iter().map(|e| e.nik.clone()).collect();
        let names: Vec<String> = chunk.iter().map(|e| e.name.clone()).collect();
        let tps: Vec<i32> = chunk.iter().map(|e| e.tps).collect();
        sqlx::query!(
            "insert into kpu_list_entries (list_id, line, nik, name, tps)
             select $1, * from unnest($2::int[], $3::text[], $4::text[], $5::int[])",
            id,
            &lines,
            &niks,
            &names,
            &tps
        )
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query!("analyze kpu_list_entries")
        .execute(&mut *conn)
        .await?;
    Ok(id)
}

/// A transaction whose hash joins have room for a whole list: with the default
/// `work_mem` (4 MB) the hash of a 300.000-row list is split into batches written to and
/// read back from temporary files.
async fn with_room(pool: &PgPool) -> Result<Transaction<'static, Postgres>> {
    let mut tx = pool.begin().await?;
    sqlx::query!("set local work_mem = '64MB'")
        .execute(&mut *tx)
        .await?;
    Ok(tx)
}

/// The size of each group.
#[tracing::instrument(skip(pool))]
pub async fn counts(
    pool: &PgPool,
    election_id: i64,
    facility_id: i64,
    list_id: i64,
) -> Result<Counts> {
    let mut tx = with_room(pool).await?;
    let c = sqlx::query!(
        r#"select count(*) filter (where on_kpu) as "kpu!",
                  count(*) filter (where matched) as "matched!",
                  count(*) filter (where kpu_only) as "kpu_only!",
                  count(*) filter (where roll_only) as "roll_only!",
                  count(*) filter (where tps_differs) as "tps_differs!",
                  count(*) filter (where name_differs) as "name_differs!"
           from kpu_list_pairs($1, $2, $3)"#,
        election_id,
        facility_id,
        list_id
    )
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Counts {
        kpu: c.kpu,
        matched: c.matched,
        kpu_only: c.kpu_only,
        roll_only: c.roll_only,
        tps_differs: c.tps_differs,
        name_differs: c.name_differs,
    })
}

#[derive(Debug, Clone)]
pub struct Row {
    pub nik: String,
    pub roll_name: Option<String>,
    pub kpu_name: Option<String>,
    pub roll_tps: Option<i32>,
    pub kpu_tps: Option<i32>,
    /// For KPU's rows not on this roll: where the NIK is active now, or why it left.
    pub whereabouts: Whereabouts,
}

/// Where a NIK on KPU's list but not on this roll is (facility id, province, name).
#[derive(Debug, Clone, Default)]
pub enum Whereabouts {
    #[default]
    NotAsked,
    ActiveAt(i64, String, String),
    Departed {
        reason: Option<String>,
        to: Option<(i64, String, String)>,
    },
    Unknown,
}

impl Whereabouts {
    /// The note shown to a user of `scope`: other facilities are named only within it.
    pub fn note(&self, scope: &crate::domain::access::Scope) -> String {
        use crate::domain::privacy::facility_name;
        match self {
            Whereabouts::NotAsked => String::new(),
            Whereabouts::ActiveAt(id, province, name) => format!(
                "terdaftar aktif di {}",
                facility_name(scope, *id, province, name)
            ),
            Whereabouts::Departed {
                to: Some((id, province, name)),
                ..
            } => format!(
                "keluar: dipindahkan ke {}",
                facility_name(scope, *id, province, name)
            ),
            Whereabouts::Departed { reason, .. } => format!(
                "keluar: {}",
                reason.as_deref().unwrap_or("tanpa keterangan")
            ),
            Whereabouts::Unknown => "tidak ada di daftar WBP fasilitas mana pun".to_owned(),
        }
    }
}

/// The rows of one group (at most `limit`), by name.
#[tracing::instrument(skip(pool))]
pub async fn rows(
    pool: &PgPool,
    election_id: i64,
    facility_id: i64,
    list_id: i64,
    group: Group,
    limit: i64,
) -> Result<Vec<Row>> {
    let mut tx = with_room(pool).await?;
    let rows = sqlx::query!(
        r#"with pairs as (
               select g.nik, g.roll_name, g.kpu_name, g.roll_tps, g.kpu_tps,
                      case $4::text
                          when 'cocok' then g.matched
                          when 'hanya-kpu' then g.kpu_only
                          when 'hanya-daftar' then g.roll_only
                          when 'beda-tps' then g.tps_differs
                          when 'beda-nama' then g.name_differs
                          else false
                      end as wanted
               from kpu_list_pairs($1, $2, $3) g
           )
           select p.nik as "nik!", p.roll_name as "roll_name?", p.kpu_name as "kpu_name?",
                  p.roll_tps as "roll_tps?", p.kpu_tps as "kpu_tps?",
                  a.facility_id as "active_facility?", fa.name as "active_name?",
                  fa.province_code as "active_province?",
                  d.nik is not null as "departed!", d.departed_reason as "departed_reason?",
                  d.departed_to as "departed_to?", ft.name as "departed_to_name?",
                  ft.province_code as "departed_to_province?"
           from pairs p
           left join voters a on $4 = 'hanya-kpu' and a.election_id = $1 and a.nik = p.nik
                             and a.status = 'active'
           left join facilities fa on fa.id = a.facility_id
           left join (
               select distinct on (x.nik) x.nik, x.departed_reason, x.departed_to from voters x
               where $4 = 'hanya-kpu' and x.election_id = $1 and x.facility_id = $2
                 and x.status = 'departed' and x.nik is not null
               order by x.nik, x.departed_at desc
           ) d on d.nik = p.nik
           left join facilities ft on ft.id = d.departed_to
           where p.wanted
           order by coalesce(p.roll_name, p.kpu_name), p.nik
           limit $5"#,
        election_id,
        facility_id,
        list_id,
        group.slug(),
        limit
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(rows
        .into_iter()
        .map(|r| Row {
            nik: r.nik,
            roll_name: r.roll_name,
            kpu_name: r.kpu_name,
            roll_tps: r.roll_tps,
            kpu_tps: r.kpu_tps,
            whereabouts: if group != Group::KpuOnly {
                Whereabouts::NotAsked
            } else if let (Some(id), Some(province), Some(name)) =
                (r.active_facility, r.active_province, r.active_name)
            {
                Whereabouts::ActiveAt(id, province, name)
            } else if r.departed {
                Whereabouts::Departed {
                    reason: r.departed_reason,
                    to: match (r.departed_to, r.departed_to_province, r.departed_to_name) {
                        (Some(id), Some(p), Some(n)) => Some((id, p, n)),
                        _ => None,
                    },
                }
            } else {
                Whereabouts::Unknown
            },
        })
        .collect())
}
