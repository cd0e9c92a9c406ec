//! One TPS of a place, and the voters placed on it with the ballots each receives (the TPS
//! page and the printable list show them).

use sqlx::PgPool;

use crate::domain::ballots;
use crate::domain::privacy::mask_nik;
use crate::domain::voter::{Sex, VoterList};
use crate::http::AppState;
use crate::http::error::{AppError, Result};
use crate::read::places::Place;
use crate::read::summary::{self, Filter, Rules, StationSummary};

/// The TPS `number` of the place, with everything the page shows.
pub async fn station(state: &AppState, p: &Place, number: &str) -> Result<(Rules, StationSummary)> {
    let number: i32 = number.parse().map_err(|_| AppError::NotFound)?;
    let id = sqlx::query_scalar!(
        "select id from stations where election_id = $1 and facility_id = $2 and tps_number = $3",
        p.election.id,
        p.facility_id,
        number
    )
    .fetch_optional(&state.db)
    .await?
    .ok_or(AppError::NotFound)?;
    let mut conn = state.db.acquire().await?;
    let rules = Rules::load(&mut conn, p.election.id).await?;
    let s = summary::load(
        &mut conn,
        &rules,
        Filter {
            station: Some(id),
            ..Filter::default()
        },
    )
    .await?
    .pop()
    .ok_or(AppError::NotFound)?;
    Ok((rules, s))
}

/// An eligible voter placed on a TPS, and the ballots they receive there.
pub struct PlacedVoter {
    pub id: i64,
    pub name: String,
    pub nik: Option<String>,
    pub registration_no: Option<String>,
    pub list: Option<VoterList>,
    pub sex: Sex,
    /// The KTP-el home region; `None` when unknown or only guessed from the NIK.
    pub home: Option<String>,
    pub manual: bool,
    pub entitlement: ballots::Entitlement,
}

/// The eligible voters placed on `s`, by name, with the ballots of the TPS each receives.
pub async fn placed_on(
    pool: &PgPool,
    rules: &Rules,
    s: &StationSummary,
) -> Result<Vec<PlacedVoter>> {
    let rows = sqlx::query!(
        r#"select v.id as "id!", v.name as "name!", v.nik, v.registration_no,
                  v.list as "list: VoterList", v.sex as "sex!: Sex", v.home_region_code,
                  v.home_from_nik as "home_from_nik!", v.placed_manually as "placed_manually!"
           from voters_with_reasons v
           where v.station_id = $1 and v.status = 'active' and cardinality(v.reasons) = 0
           order by v.name, v.id"#,
        s.id
    )
    .fetch_all(pool)
    .await?;
    let provinces = vec![s.place()[..2].to_owned()];
    let dapils = summary::dapils(
        &mut *pool.acquire().await?,
        rules.election_id,
        Some(&provinces),
    )
    .await?;
    let types = s.ballot_types();
    Ok(rows
        .into_iter()
        .map(|v| {
            // An address taken from the NIK is where the NIK was issued, not where the
            // voter lives: it decides nothing beyond the president's ballot.
            let home = v.home_region_code.filter(|_| !v.home_from_nik);
            let on_dpt = v.list == Some(VoterList::Dpt);
            let location = s.location_code.as_deref();
            let entitlement =
                ballots::entitlement_on(on_dpt, &types, home.as_deref(), location, &dapils);
            PlacedVoter {
                id: v.id,
                name: v.name,
                nik: v.nik,
                registration_no: v.registration_no,
                list: v.list,
                sex: v.sex,
                home,
                manual: v.placed_manually,
                entitlement,
            }
        })
        .collect())
}

pub struct VoterLine {
    pub id: i64,
    pub order: usize,
    pub name: String,
    pub nik: String,
    pub list: String,
    pub ballots: String,
    /// Whether the voter receives each of the ballot types of the TPS, in order.
    pub marks: Vec<bool>,
    /// Some ballot could not be decided (a dapil or the home address is missing).
    pub uncertain: bool,
    pub manual: bool,
}

/// The eligible voters placed on `s`, by name, with their ballots, as the TPS page and the
/// printable list show them.
pub async fn voters_on(pool: &PgPool, rules: &Rules, s: &StationSummary) -> Result<Vec<VoterLine>> {
    let types = s.ballot_types();
    Ok(placed_on(pool, rules, s)
        .await?
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            let e = v.entitlement;
            VoterLine {
                id: v.id,
                order: i + 1,
                name: v.name,
                nik: v.nik.as_deref().map_or_else(|| "—".to_owned(), mask_nik),
                list: v.list.map(VoterList::label).unwrap_or_default().to_owned(),
                ballots: e
                    .ballots
                    .iter()
                    .map(|b| b.label())
                    .collect::<Vec<_>>()
                    .join(", "),
                marks: types.iter().map(|t| e.ballots.contains(*t)).collect(),
                uncertain: !e.uncertain.is_empty(),
                manual: v.manual,
            }
        })
        .collect())
}
