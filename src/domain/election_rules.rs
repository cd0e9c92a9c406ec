//! The settings of an election as KPU runs them, checked the same way for the command line
//! (`loksus election add|edit`) and the admin page (`/admin/pemilihan`): raw text in
//! ([`Input`]), a checked [`Settings`] or a [`FieldError`] naming the field out.
//!
//! Defaults follow the kind. A Pemilu: at most 300 DPT voters per TPS (KPU's 2024 policy),
//! 2% reserve ballots (UU 7/2017 Pasal 344(2)), the five Pemilu ballots. A Pilkada: 600
//! voters, 2.5% reserve, Gubernur and Bupati/Walikota. A PSU (re-vote) repeats one of them:
//! its defaults follow its ballots (the Pemilu's unless Pilkada ballots are given). The
//! pindah-memilih deadlines default to H-30 and H-7 of the voting day.
//!
//! The cap may not pass 500 where a Pemilu ballot is cast (UU 7/2017 Pasal 350(1)); a
//! Pilkada has no number in law (KPU set 600 in 2024), so it may go up to 1000, the bound
//! for every election.

use time::{Date, Duration};

use crate::domain::ballots::BallotType;

/// What kind of vote an election is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Pemilu,
    Pilkada,
    /// Pemungutan suara ulang: a re-vote of some TPS, of a Pemilu or a Pilkada.
    Psu,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Pemilu, Kind::Pilkada, Kind::Psu];

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim().to_lowercase())
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Pemilu => "pemilu",
            Kind::Pilkada => "pilkada",
            Kind::Psu => "psu",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Pemilu => "Pemilu",
            Kind::Pilkada => "Pilkada",
            Kind::Psu => "PSU (pemungutan suara ulang)",
        }
    }
}

/// The ballots of a Pemilu and of a Pilkada.
pub const PEMILU_BALLOTS: [BallotType; 5] = [
    BallotType::Ppwp,
    BallotType::Dpr,
    BallotType::Dpd,
    BallotType::DprdProv,
    BallotType::DprdKabkota,
];
pub const PILKADA_BALLOTS: [BallotType; 2] = [BallotType::Gubernur, BallotType::BupatiWalikota];

/// The most DPT voters per TPS where a Pemilu ballot is cast (UU 7/2017 Pasal 350(1)).
pub const PEMILU_CAP_LIMIT: i32 = 500;
/// The most DPT voters per TPS for any election.
pub const CAP_LIMIT: i32 = 1000;

/// A field of the election form, named as the command line and the page name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Slug,
    Name,
    Kind,
    VotingDay,
    DeadlineH30,
    DeadlineH7,
    Cap,
    ReservePercent,
    Ballots,
    DpkAtLoksus,
    CopyTpsFrom,
}

impl Field {
    /// The command-line flag.
    pub fn flag(self) -> &'static str {
        match self {
            Field::Slug => "--slug",
            Field::Name => "--name",
            Field::Kind => "--kind",
            Field::VotingDay => "--voting-day",
            Field::DeadlineH30 => "--deadline-h30",
            Field::DeadlineH7 => "--deadline-h7",
            Field::Cap => "--cap",
            Field::ReservePercent => "--reserve-percent",
            Field::Ballots => "--ballots",
            Field::DpkAtLoksus => "--dpk-at-loksus",
            Field::CopyTpsFrom => "--copy-tps-from",
        }
    }

    /// The page's label of the field.
    pub fn label(self) -> &'static str {
        match self {
            Field::Slug => "Slug",
            Field::Name => "Nama",
            Field::Kind => "Jenis",
            Field::VotingDay => "Hari pemungutan",
            Field::DeadlineH30 => "Batas H-30",
            Field::DeadlineH7 => "Batas H-7",
            Field::Cap => "Maks. pemilih per TPS",
            Field::ReservePercent => "Cadangan (%)",
            Field::Ballots => "Surat suara",
            Field::DpkAtLoksus => "DPK di TPS Loksus",
            Field::CopyTpsFrom => "Salin TPS dari",
        }
    }
}

/// A refused value: which field, and why (Indonesian).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {message}", field.flag())]
pub struct FieldError {
    pub field: Field,
    pub message: String,
}

impl FieldError {
    pub fn new(field: Field, message: impl Into<String>) -> Self {
        FieldError {
            field,
            message: message.into(),
        }
    }
}

/// The values as typed; `None` is "not given" (a default, or unchanged when editing).
#[derive(Debug, Clone, Default)]
pub struct Input {
    pub name: Option<String>,
    pub kind: Option<String>,
    pub voting_day: Option<String>,
    pub deadline_h30: Option<String>,
    pub deadline_h7: Option<String>,
    pub cap: Option<String>,
    pub reserve_percent: Option<String>,
    /// Ballot types separated by commas (or semicolons, as `election list` prints them).
    pub ballots: Option<String>,
    /// `yes`/`no` (also `ya`/`tidak`).
    pub dpk_at_loksus: Option<String>,
}

/// An election's settings, every rule met.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub name: String,
    pub kind: Kind,
    pub voting_day: Date,
    /// Pindah memilih for most reasons (H-30).
    pub deadline_h30: Date,
    /// Pindah memilih for detainees and others (H-7).
    pub deadline_h7: Date,
    pub cap: i32,
    /// Reserve ballots in hundredths of a percent of the DPT (250 = 2.5%).
    pub reserve_basis_points: i32,
    /// In the order of [`BallotType::ALL`], each once.
    pub ballots: Vec<BallotType>,
    pub dpk_at_loksus: bool,
}

impl Settings {
    /// Whether a Gubernur or Bupati/Walikota ballot is cast, so contests say where.
    pub fn holds_contests(&self) -> bool {
        self.ballots.iter().any(|b| PILKADA_BALLOTS.contains(b))
    }

    /// The ballots as the command line lists them: `ppwp;dpr;dpd`.
    pub fn ballots_text(&self) -> String {
        let names: Vec<&str> = self.ballots.iter().map(|b| b.as_str()).collect();
        names.join(";")
    }
}

/// A slug: lower-case letters and digits in words joined by hyphens, at most 60 characters.
pub fn check_slug(slug: &str) -> Result<String, FieldError> {
    let slug = slug.trim();
    let word_ok = |w: &str| {
        !w.is_empty()
            && w.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    };
    if slug.len() <= 60 && slug.split('-').all(word_ok) {
        Ok(slug.to_owned())
    } else {
        Err(FieldError::new(
            Field::Slug,
            "Slug wajib diisi: huruf kecil dan angka, kata dipisah tanda hubung (misalnya \
             pilkada-2024), paling banyak 60 karakter.",
        ))
    }
}

/// `2`, `2.5`, `2,25` (percent, at most two decimals, 0–100) in hundredths of a percent.
pub fn parse_reserve_percent(s: &str) -> Result<i32, String> {
    let s = s.trim();
    let (whole, frac) = s.split_once(['.', ',']).unwrap_or((s, ""));
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    let out_of_range =
        || "Cadangan harus angka persen antara 0 dan 100, misalnya 2 atau 2.5.".to_owned();
    if whole.is_empty() || whole.len() > 3 || !digits(whole) || !digits(frac) {
        return Err(out_of_range());
    }
    if s.len() > whole.len() && frac.is_empty() {
        return Err(out_of_range());
    }
    if frac.len() > 2 {
        return Err("Cadangan paling banyak dua angka di belakang koma (misalnya 2.25).".into());
    }
    let hundredths: i32 = format!("{frac:0<2}").parse().unwrap_or(0);
    let value = whole.parse::<i32>().unwrap_or(i32::MAX) * 100 + hundredths;
    if value > 10_000 {
        return Err(out_of_range());
    }
    Ok(value)
}

/// Hundredths of a percent as the command line writes them: 200 → `2`, 250 → `2.5`.
pub fn percent_text(basis_points: i32) -> String {
    crate::domain::format::basis_points_decimal(basis_points.into())
}

fn parse_date(field: Field, s: &str) -> Result<Date, FieldError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s.trim(), format).map_err(|_| {
        FieldError::new(
            field,
            "Tanggal harus berformat YYYY-MM-DD, misalnya 2024-02-14.",
        )
    })
}

fn parse_cap(s: &str) -> Result<i32, FieldError> {
    s.trim()
        .parse::<i32>()
        .ok()
        .filter(|c| (1..=CAP_LIMIT).contains(c))
        .ok_or_else(|| {
            FieldError::new(
                Field::Cap,
                format!("Maksimal pemilih per TPS harus bilangan bulat 1–{CAP_LIMIT}."),
            )
        })
}

/// `ppwp,dpr` (or `ppwp;dpr`) in the order of [`BallotType::ALL`], each once.
fn parse_ballots(s: &str) -> Result<Vec<BallotType>, FieldError> {
    let mut found = Vec::new();
    for name in s.split([',', ';']).map(|n| n.trim().to_lowercase()) {
        if name.is_empty() {
            continue;
        }
        let Some(t) = BallotType::parse(&name) else {
            let known: Vec<&str> = BallotType::ALL.iter().map(|t| t.as_str()).collect();
            let msg = format!(
                "Jenis surat suara tidak dikenal: {name} (pilihan: {}).",
                known.join(", ")
            );
            return Err(FieldError::new(Field::Ballots, msg));
        };
        found.push(t);
    }
    if found.is_empty() {
        return Err(FieldError::new(
            Field::Ballots,
            "Pilih minimal satu jenis surat suara.",
        ));
    }
    Ok(BallotType::ALL
        .into_iter()
        .filter(|t| found.contains(t))
        .collect())
}

fn parse_yes_no(s: &str) -> Result<bool, FieldError> {
    match s.trim().to_lowercase().as_str() {
        "yes" | "ya" | "y" => Ok(true),
        "no" | "tidak" | "n" => Ok(false),
        _ => Err(FieldError::new(
            Field::DpkAtLoksus,
            "Isi yes atau no (ya/tidak).",
        )),
    }
}

/// The given values, parsed one by one.
#[derive(Default)]
struct Given {
    name: Option<String>,
    kind: Option<Kind>,
    voting_day: Option<Date>,
    deadline_h30: Option<Date>,
    deadline_h7: Option<Date>,
    cap: Option<i32>,
    reserve: Option<i32>,
    ballots: Option<Vec<BallotType>>,
    dpk_at_loksus: Option<bool>,
}

fn parse(input: &Input) -> Result<Given, FieldError> {
    let kind = |s: &String| {
        Kind::parse(s)
            .ok_or_else(|| FieldError::new(Field::Kind, "Jenis harus pemilu, pilkada atau psu."))
    };
    let reserve = |s: &String| {
        parse_reserve_percent(s).map_err(|m| FieldError::new(Field::ReservePercent, m))
    };
    Ok(Given {
        name: input.name.as_ref().map(|n| n.trim().to_owned()),
        kind: input.kind.as_ref().map(kind).transpose()?,
        voting_day: input
            .voting_day
            .as_ref()
            .map(|s| parse_date(Field::VotingDay, s))
            .transpose()?,
        deadline_h30: input
            .deadline_h30
            .as_ref()
            .map(|s| parse_date(Field::DeadlineH30, s))
            .transpose()?,
        deadline_h7: input
            .deadline_h7
            .as_ref()
            .map(|s| parse_date(Field::DeadlineH7, s))
            .transpose()?,
        cap: input.cap.as_deref().map(parse_cap).transpose()?,
        reserve: input.reserve_percent.as_ref().map(reserve).transpose()?,
        ballots: input.ballots.as_deref().map(parse_ballots).transpose()?,
        dpk_at_loksus: input
            .dpk_at_loksus
            .as_deref()
            .map(parse_yes_no)
            .transpose()?,
    })
}

/// Whether every ballot is a Pilkada ballot (so Pilkada defaults and limits apply).
fn pilkada_ballots_only(ballots: &[BallotType]) -> bool {
    ballots.iter().all(|b| PILKADA_BALLOTS.contains(b))
}

/// A new election's settings: name, kind and voting day are required, the rest default by
/// kind (see the module's notes).
pub fn new_settings(input: &Input) -> Result<Settings, FieldError> {
    let given = parse(input)?;
    let required = |field: Field| FieldError::new(field, "Wajib diisi.");
    let kind = given.kind.ok_or_else(|| required(Field::Kind))?;
    let voting_day = given.voting_day.ok_or_else(|| required(Field::VotingDay))?;
    let ballots = given.ballots.unwrap_or_else(|| match kind {
        Kind::Pilkada => PILKADA_BALLOTS.to_vec(),
        Kind::Pemilu | Kind::Psu => PEMILU_BALLOTS.to_vec(),
    });
    let (cap, reserve) = if pilkada_ballots_only(&ballots) {
        (600, 250)
    } else {
        (300, 200)
    };
    let settings = Settings {
        name: given.name.ok_or_else(|| required(Field::Name))?,
        kind,
        voting_day,
        deadline_h30: given
            .deadline_h30
            .unwrap_or(voting_day - Duration::days(30)),
        deadline_h7: given.deadline_h7.unwrap_or(voting_day - Duration::days(7)),
        cap: given.cap.unwrap_or(cap),
        reserve_basis_points: given.reserve.unwrap_or(reserve),
        ballots,
        dpk_at_loksus: given.dpk_at_loksus.unwrap_or(true),
    };
    check(&settings)?;
    Ok(settings)
}

/// `current` with the given values changed; the rest stays (deadlines do not follow a
/// changed voting day: give them too).
pub fn edited(current: &Settings, input: &Input) -> Result<Settings, FieldError> {
    let given = parse(input)?;
    let settings = Settings {
        name: given.name.unwrap_or_else(|| current.name.clone()),
        kind: given.kind.unwrap_or(current.kind),
        voting_day: given.voting_day.unwrap_or(current.voting_day),
        deadline_h30: given.deadline_h30.unwrap_or(current.deadline_h30),
        deadline_h7: given.deadline_h7.unwrap_or(current.deadline_h7),
        cap: given.cap.unwrap_or(current.cap),
        reserve_basis_points: given.reserve.unwrap_or(current.reserve_basis_points),
        ballots: given.ballots.unwrap_or_else(|| current.ballots.clone()),
        dpk_at_loksus: given.dpk_at_loksus.unwrap_or(current.dpk_at_loksus),
    };
    check(&settings)?;
    Ok(settings)
}

/// The rules between fields.
fn check(s: &Settings) -> Result<(), FieldError> {
    if s.name.is_empty() || s.name.chars().count() > 200 {
        return Err(FieldError::new(
            Field::Name,
            "Nama wajib diisi, paling banyak 200 karakter.",
        ));
    }
    check_ballots(s)?;
    if !pilkada_ballots_only(&s.ballots) && s.cap > PEMILU_CAP_LIMIT {
        return Err(FieldError::new(
            Field::Cap,
            format!(
                "Pemilu paling banyak {PEMILU_CAP_LIMIT} pemilih per TPS (UU 7/2017 Pasal 350 \
                 ayat 1)."
            ),
        ));
    }
    for (deadline, what) in [(s.deadline_h30, "H-30"), (s.deadline_h7, "H-7")] {
        if s.voting_day < deadline {
            let msg = format!(
                "Hari pemungutan {} tidak boleh sebelum batas {what} ({deadline}).",
                s.voting_day
            );
            return Err(FieldError::new(Field::VotingDay, msg));
        }
    }
    if s.deadline_h30 > s.deadline_h7 {
        let msg = format!(
            "Batas H-30 ({}) tidak boleh sesudah batas H-7 ({}).",
            s.deadline_h30, s.deadline_h7
        );
        return Err(FieldError::new(Field::DeadlineH30, msg));
    }
    Ok(())
}

/// A Pemilu casts Pemilu ballots, a Pilkada Pilkada ballots, a PSU those of one of them.
fn check_ballots(s: &Settings) -> Result<(), FieldError> {
    let pemilu_only = s.ballots.iter().all(|b| PEMILU_BALLOTS.contains(b));
    let pilkada_only = pilkada_ballots_only(&s.ballots);
    let fits = match s.kind {
        Kind::Pemilu => pemilu_only,
        Kind::Pilkada => pilkada_only,
        Kind::Psu => pemilu_only || pilkada_only,
    };
    if fits {
        return Ok(());
    }
    let msg = match s.kind {
        Kind::Pemilu => "Pemilu memakai surat suara ppwp, dpr, dpd, dprd_prov, dprd_kabkota.",
        Kind::Pilkada => "Pilkada memakai surat suara gubernur, bupati_walikota.",
        Kind::Psu => {
            "PSU mengulang satu pemilihan: surat suara Pemilu saja atau Pilkada saja, tidak \
             keduanya."
        }
    };
    Err(FieldError::new(Field::Ballots, msg))
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn input(kind: &str, day: &str) -> Input {
        Input {
            name: Some("Uji".into()),
            kind: Some(kind.into()),
            voting_day: Some(day.into()),
            ..Input::default()
        }
    }

    #[test]
    fn defaults_follow_the_kind() {
        let pemilu = new_settings(&input("pemilu", "2024-02-14")).unwrap();
        assert_eq!((pemilu.cap, pemilu.reserve_basis_points), (300, 200));
        assert_eq!(pemilu.ballots, PEMILU_BALLOTS);
        assert_eq!(pemilu.deadline_h30, date!(2024 - 01 - 15));
        assert_eq!(pemilu.deadline_h7, date!(2024 - 02 - 07));
        assert!(pemilu.dpk_at_loksus);
        let pilkada = new_settings(&input("pilkada", "2024-11-27")).unwrap();
        assert_eq!((pilkada.cap, pilkada.reserve_basis_points), (600, 250));
        assert_eq!(pilkada.ballots_text(), "gubernur;bupati_walikota");
        let psu = new_settings(&input("psu", "2024-02-24")).unwrap();
        assert_eq!((psu.cap, psu.ballots.len()), (300, 5));
        let psu_pilkada = new_settings(&Input {
            ballots: Some("bupati_walikota".into()),
            ..input("psu", "2024-12-07")
        })
        .unwrap();
        assert_eq!(
            (psu_pilkada.cap, psu_pilkada.reserve_basis_points),
            (600, 250)
        );
    }

    #[test]
    fn reserve_percent_takes_up_to_two_decimals_between_0_and_100() {
        assert_eq!(parse_reserve_percent("2"), Ok(200));
        assert_eq!(parse_reserve_percent("2.5"), Ok(250));
        assert_eq!(parse_reserve_percent("2,25"), Ok(225));
        assert_eq!(parse_reserve_percent("0"), Ok(0));
        assert_eq!(parse_reserve_percent("100"), Ok(10_000));
        for bad in ["101", "100.01", "-1", "2.", ".5", "2.555", "dua", "", "1e2"] {
            assert!(parse_reserve_percent(bad).is_err(), "{bad}");
        }
        assert!(
            parse_reserve_percent("2.555")
                .unwrap_err()
                .contains("dua angka")
        );
        assert_eq!(percent_text(200), "2");
        assert_eq!(percent_text(250), "2.5");
        assert_eq!(percent_text(225), "2.25");
        assert_eq!(percent_text(5), "0.05");
    }

    fn refused(i: &Input) -> Field {
        new_settings(i).unwrap_err().field
    }

    #[test]
    fn each_refusal_names_its_field() {
        let base = || input("pemilu", "2024-02-14");
        let with = |f: fn(&mut Input)| {
            let mut i = base();
            f(&mut i);
            refused(&i)
        };
        assert_eq!(with(|i| i.cap = Some("0".into())), Field::Cap);
        assert_eq!(with(|i| i.cap = Some("501".into())), Field::Cap);
        assert_eq!(
            with(|i| i.reserve_percent = Some("101".into())),
            Field::ReservePercent
        );
        assert_eq!(
            with(|i| i.ballots = Some("ppwp,dprd".into())),
            Field::Ballots
        );
        assert_eq!(
            with(|i| i.ballots = Some("gubernur".into())),
            Field::Ballots
        );
        assert_eq!(with(|i| i.kind = Some("pileg".into())), Field::Kind);
        assert_eq!(with(|i| i.name = Some(" ".into())), Field::Name);
        assert_eq!(
            with(|i| i.voting_day = Some("14-02-2024".into())),
            Field::VotingDay
        );
        assert_eq!(
            with(|i| i.deadline_h7 = Some("2024-02-20".into())),
            Field::VotingDay
        );
        assert_eq!(
            with(|i| i.deadline_h30 = Some("2024-02-10".into())),
            Field::DeadlineH30
        );
        assert_eq!(
            with(|i| i.dpk_at_loksus = Some("mungkin".into())),
            Field::DpkAtLoksus
        );
        assert_eq!(with(|i| i.voting_day = None), Field::VotingDay);
    }

    #[test]
    fn a_pilkada_may_hold_up_to_1000_voters_per_tps_a_pemilu_500() {
        let pilkada = |cap: &str| {
            new_settings(&Input {
                cap: Some(cap.into()),
                ..input("pilkada", "2024-11-27")
            })
        };
        assert_eq!(pilkada("1000").unwrap().cap, 1000);
        assert_eq!(pilkada("1001").unwrap_err().field, Field::Cap);
        let pemilu = Input {
            cap: Some("500".into()),
            ..input("pemilu", "2024-02-14")
        };
        assert_eq!(new_settings(&pemilu).unwrap().cap, 500);
    }

    #[test]
    fn editing_changes_only_what_is_given() {
        let current = new_settings(&input("pemilu", "2024-02-14")).unwrap();
        let changed = edited(
            &current,
            &Input {
                cap: Some("250".into()),
                ..Input::default()
            },
        )
        .unwrap();
        assert_eq!(
            changed,
            Settings {
                cap: 250,
                ..current.clone()
            }
        );
        // A voting day moved before the deadlines that stay is refused.
        let moved = Input {
            voting_day: Some("2024-01-10".into()),
            ..Input::default()
        };
        assert_eq!(
            edited(&current, &moved).unwrap_err().field,
            Field::VotingDay
        );
        // Changing the kind needs ballots that fit it.
        let to_pilkada = Input {
            kind: Some("pilkada".into()),
            ..Input::default()
        };
        assert_eq!(
            edited(&current, &to_pilkada).unwrap_err().field,
            Field::Ballots
        );
    }

    #[test]
    fn slugs_are_lowercase_words_joined_by_hyphens() {
        assert_eq!(check_slug("pilkada-2024").unwrap(), "pilkada-2024");
        for bad in ["", "Pilkada", "a--b", "-a", "a b", &"a".repeat(61)] {
            assert!(check_slug(bad).is_err(), "{bad}");
        }
    }
}
