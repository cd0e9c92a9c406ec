//! The elections pages: the list with the form to create one, and one election's page (edit,
//! contests, delete). Values are shown the Indonesian way (14 Februari 2024, 2,5%).

use askama::Template;

use super::queries::{ContestView, Listed, Stored};
use crate::domain::ballots::BallotType;
use crate::domain::csv_file::RowError;
use crate::domain::election_rules::{Kind, Settings, percent_text};
use crate::domain::format;
use crate::http::layout::Layout;

/// The election form's values as shown (typed, or read from the database).
#[derive(Debug, Clone, Default)]
pub struct FormValues {
    pub slug: String,
    pub name: String,
    pub kind: String,
    pub voting_day: String,
    pub deadline_h30: String,
    pub deadline_h7: String,
    pub cap: String,
    pub reserve: String,
    pub ballots: Vec<String>,
    pub dpk_at_loksus: bool,
    pub copy_from: String,
}

impl FormValues {
    /// An empty creation form (defaults by kind apply to what stays empty).
    pub fn blank() -> Self {
        FormValues {
            kind: Kind::Pemilu.as_str().into(),
            dpk_at_loksus: true,
            ..FormValues::default()
        }
    }

    pub fn of(slug: &str, s: &Settings) -> Self {
        FormValues {
            slug: slug.to_owned(),
            name: s.name.clone(),
            kind: s.kind.as_str().into(),
            voting_day: s.voting_day.to_string(),
            deadline_h30: s.deadline_h30.to_string(),
            deadline_h7: s.deadline_h7.to_string(),
            cap: s.cap.to_string(),
            reserve: percent_text(s.reserve_basis_points).replace('.', ","),
            ballots: s.ballots.iter().map(|b| b.as_str().to_owned()).collect(),
            dpk_at_loksus: s.dpk_at_loksus,
            copy_from: String::new(),
        }
    }

    pub fn kinds(&self) -> Vec<Choice> {
        Kind::ALL
            .iter()
            .map(|k| Choice {
                value: k.as_str(),
                label: k.label(),
                chosen: self.kind == k.as_str(),
            })
            .collect()
    }

    pub fn ballot_choices(&self) -> Vec<Choice> {
        BallotType::ALL
            .iter()
            .map(|b| Choice {
                value: b.as_str(),
                label: b.label(),
                chosen: self.ballots.iter().any(|t| t == b.as_str()),
            })
            .collect()
    }
}

/// An option of a select or a checkbox group.
pub struct Choice {
    pub value: &'static str,
    pub label: &'static str,
    pub chosen: bool,
}

/// A row of the elections table.
pub struct ElectionLine {
    pub slug: String,
    pub name: String,
    pub kind: &'static str,
    pub voting_day: String,
    pub cap: String,
    pub reserve: String,
    pub ballots: String,
}

fn percent(basis_points: i32) -> String {
    crate::domain::format::basis_points_percent(basis_points.into())
}

fn ballot_labels(names: &[String]) -> String {
    let labels: Vec<&str> = names
        .iter()
        .map(|n| match BallotType::parse(n) {
            Some(t) => t.label(),
            None => n.as_str(),
        })
        .collect();
    labels.join(", ")
}

impl From<Listed> for ElectionLine {
    fn from(e: Listed) -> Self {
        ElectionLine {
            kind: Kind::parse(&e.kind).map_or("", Kind::label),
            voting_day: format::date(e.voting_day),
            cap: format::number(i64::from(e.cap)),
            reserve: percent(e.reserve_basis_points),
            ballots: ballot_labels(&e.ballots),
            slug: e.slug,
            name: e.name,
        }
    }
}

#[derive(Template)]
#[template(path = "elections/list.html")]
pub struct ListPage {
    pub layout: Layout,
    pub elections: Vec<ElectionLine>,
    pub form: FormValues,
    pub notice: Option<String>,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "elections/edit.html")]
pub struct EditPage {
    pub layout: Layout,
    pub slug: String,
    pub name: String,
    pub form: FormValues,
    /// "Sumatera Selatan (16)", when the election has a region.
    pub region: Option<String>,
    pub holds_contests: bool,
    pub contests: Vec<ContestView>,
    pub stations: String,
    pub voters: i64,
    pub voters_text: String,
    pub notice: Option<String>,
    pub error: Option<String>,
    pub row_errors: Vec<RowError>,
}

impl EditPage {
    pub fn new(layout: Layout, stored: Stored) -> Self {
        let settings = stored.row.settings();
        let region = stored
            .row
            .region_code
            .as_ref()
            .map(|c| format!("{} ({c})", stored.region_name.unwrap_or_default()));
        EditPage {
            layout,
            form: FormValues::of(&stored.row.slug, &settings),
            slug: stored.row.slug,
            name: settings.name.clone(),
            region,
            holds_contests: settings.holds_contests(),
            contests: stored.contests,
            stations: format::number(stored.stations),
            voters: stored.voters,
            voters_text: format::number(stored.voters),
            notice: None,
            error: None,
            row_errors: Vec::new(),
        }
    }
}
