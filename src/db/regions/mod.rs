//! The Kemendagri region reference Loksus ships: every province, kab/kota, kecamatan and
//! desa/kelurahan of the npm package `idn-area-data` 3.1.2 (data under ODbL 1.0, see
//! `README.md` beside this file), as `kemendagri.tsv.gz` compiled into the binary. After the
//! migrations, [`load`] brings the `regions` table up to date when the database does not hold
//! this very file yet (recorded in `app_meta` under `regions_reference`), so a fresh database
//! needs nothing more and later starts cost one query. `scripts/regions-data` regenerates
//! the file.

use std::io::Read as _;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use flate2::read::GzDecoder;
use sha2::{Digest as _, Sha256};
use sqlx::PgPool;

/// `code<TAB>name` lines in code order, names exactly as in the package.
const DATA: &[u8] = include_bytes!("kemendagri.tsv.gz");
const SOURCE: &str = "idn-area-data 3.1.2";
const META_KEY: &str = "regions_reference";

/// One region of the reference: its dotted code and its name as the data writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    pub code: String,
    pub name: String,
}

/// What the database records once this reference is loaded: the source and the file's hash.
pub fn version() -> String {
    let hex: String = Sha256::digest(DATA)
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{SOURCE} sha256:{hex}")
}

/// Every region of the reference, in code order.
pub fn reference() -> Vec<Region> {
    let mut text = String::with_capacity(4 << 20);
    GzDecoder::new(DATA)
        .read_to_string(&mut text)
        .expect("the shipped region reference is valid gzip and UTF-8");
    text.lines()
        .map(|line| {
            let (code, name) = line
                .split_once('\t')
                .expect("the shipped region reference has a name on every line");
            Region {
                code: code.to_owned(),
                name: name.to_owned(),
            }
        })
        .collect()
}

/// How a name reads on pages. Provinces and kab/kota are upper case in the data and are
/// written in title case (`KOTA LUBUK LINGGAU` → `Kota Lubuk Linggau`), keeping `DKI` and `DI`
/// as they are and `dan` in lower case; kecamatan and desa names are kept as written.
pub fn display_name(code: &str, data_name: &str) -> String {
    if code.len() > 5 {
        return data_name.to_owned();
    }
    data_name
        .split(' ')
        .enumerate()
        .map(|(i, word)| match word {
            "DKI" | "DI" => word.to_owned(),
            "DAN" if i > 0 => "dan".to_owned(),
            _ => {
                let lower = word.to_lowercase();
                let mut chars = lower.chars();
                chars
                    .next()
                    .map(|first| first.to_uppercase().chain(chars).collect())
                    .unwrap_or_default()
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}

/// The reference as `COPY` text rows of `region_staging`: code, display name, data name.
fn copy_rows(regions: &[Region]) -> Vec<u8> {
    let escape = |s: &str| s.replace('\\', "\\\\");
    let mut out = String::with_capacity(regions.len() * 48);
    for r in regions {
        out.push_str(&r.code);
        out.push('\t');
        out.push_str(&escape(&display_name(&r.code, &r.name)));
        out.push('\t');
        out.push_str(&escape(&r.name));
        out.push('\n');
    }
    out.into_bytes()
}

/// Brings `regions` up to date with the shipped reference unless the database already
/// records this version; returns how long the load took (`None` when nothing was to do).
/// One transaction: every region is inserted or renamed (parents stay consistent: a code's
/// parent is its prefix); regions the reference lacks are left alone. Concurrent starts wait
/// for each other and load once.
pub async fn load(pool: &PgPool) -> anyhow::Result<Option<Duration>> {
    let version = version();
    let recorded = || {
        sqlx::query_scalar!(
            r#"select exists (select 1 from app_meta where key = $1 and value = $2) as "yes!""#,
            META_KEY,
            version
        )
    };
    if recorded().fetch_one(pool).await? {
        return Ok(None);
    }
    let started = Instant::now();
    let mut tx = pool.begin().await?;
    sqlx::query!("select pg_advisory_xact_lock(hashtext('loksus.regions_reference'))")
        .execute(&mut *tx)
        .await?;
    if recorded().fetch_one(&mut *tx).await? {
        return Ok(None);
    }
    let rows = tokio::task::spawn_blocking(|| copy_rows(&reference())).await?;
    sqlx::query!("create temp table region_staging (like public.region_staging) on commit drop")
        .execute(&mut *tx)
        .await?;
    let mut copy = tx
        .copy_in_raw("copy region_staging (code, name, data_name) from stdin")
        .await?;
    copy.send(rows).await?;
    copy.finish().await?;
    let changed = sqlx::query!(
        "insert into regions (code, name, data_name, parent_code)
         select code, name, data_name,
                case length(code) when 2 then null when 13 then left(code, 8)
                                  else left(code, length(code) - 3) end
         from region_staging
         on conflict (code) do update set name = excluded.name, data_name = excluded.data_name
         where (regions.name, regions.data_name) is distinct from (excluded.name, excluded.data_name)"
    )
    .execute(&mut *tx)
    .await
    .context("loading the region reference")?
    .rows_affected();
    sqlx::query!(
        "insert into app_meta (key, value) values ($1, $2)
         on conflict (key) do update set value = excluded.value, updated_at = now()",
        META_KEY,
        version
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let took = started.elapsed();
    tracing::info!(%version, changed, ms = took.as_millis(), "region reference loaded");
    Ok(Some(took))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_holds_every_level_in_code_order() {
        let all = reference();
        let count = |len: usize| all.iter().filter(|r| r.code.len() == len).count();
        assert_eq!(
            (count(2), count(5), count(8), count(13)),
            (38, 514, 7_277, 83_763)
        );
        assert!(all.windows(2).all(|w| w[0].code < w[1].code));
        let name = |code: &str| &all.iter().find(|r| r.code == code).unwrap().name;
        assert_eq!(name("16.73"), "KOTA LUBUK LINGGAU");
        assert_eq!(name("31.75"), "KOTA ADMINISTRASI JAKARTA TIMUR");
        assert_eq!(name("35.13.15.2017"), "Soka\"an");
    }

    #[test]
    fn provinces_and_kabkota_read_in_title_case() {
        assert_eq!(
            display_name("16.73", "KOTA LUBUK LINGGAU"),
            "Kota Lubuk Linggau"
        );
        assert_eq!(display_name("31", "DKI JAKARTA"), "DKI Jakarta");
        assert_eq!(
            display_name("34", "DAERAH ISTIMEWA YOGYAKARTA"),
            "Daerah Istimewa Yogyakarta"
        );
        assert_eq!(
            display_name("73.10", "KABUPATEN PANGKAJENE DAN KEPULAUAN"),
            "Kabupaten Pangkajene dan Kepulauan"
        );
        assert_eq!(
            display_name("16.71.15", "Alang-alang Lebar"),
            "Alang-alang Lebar"
        );
        assert_eq!(display_name("35.26.07.2022", "Ko\"ol"), "Ko\"ol");
    }

    #[test]
    fn copy_rows_carry_both_names() {
        let rows = copy_rows(&[Region {
            code: "16.73".into(),
            name: "KOTA LUBUK LINGGAU".into(),
        }]);
        assert_eq!(rows, b"16.73\tKota Lubuk Linggau\tKOTA LUBUK LINGGAU\n");
    }
}
