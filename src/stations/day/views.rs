//! The voting-day section of the TPS page: the turnout form with the history of reports, and
//! the ballot accounting per type with the TPS's balance and what breaks it.

use std::collections::HashMap;

use super::forms::{ACCOUNT_FIELDS, turnout_field};
use crate::domain::ballot_accounts::{self, Account, Balance};
use crate::domain::ballots::BallotType;
use crate::domain::format;
use crate::domain::turnout::{Field, Phase, Turnout};
use crate::http::AppState;
use crate::http::error::Result;
use crate::read::day::{self, AccountRecord, TurnoutReport};
use crate::read::summary::StationSummary;

/// One turnout report as a line of the history.
pub struct TurnoutLine {
    pub when: String,
    pub actor: String,
    pub dpt: String,
    pub dptb: String,
    pub dpk: String,
    pub men: String,
    pub women: String,
    pub total: String,
    pub percent: String,
}

/// A turnout field of the form: name, label, value shown.
pub struct TurnoutInput {
    pub name: &'static str,
    pub label: &'static str,
    pub value: String,
    /// The official count it may not exceed (empty for men and women).
    pub limit: String,
}

/// A ballot type's row of the accounting form.
pub struct AccountRow {
    pub key: &'static str,
    pub label: &'static str,
    /// The ballots received before the day (logistics), for reference.
    pub logistics: i64,
    /// Field prefix, label and value of received, used, damaged, unused.
    pub inputs: Vec<(String, &'static str, String)>,
    /// "seimbang", "tidak seimbang", or empty while the type has no account.
    pub state: &'static str,
}

pub struct AccountLine {
    pub when: String,
    pub actor: String,
    pub label: &'static str,
    pub received: String,
    pub used: String,
    pub damaged: String,
    pub unused: String,
}

/// Everything the voting-day section shows.
pub struct DaySection {
    /// Voting day has come, or something is recorded already.
    pub open: bool,
    /// DPT + DPTb + DPK, the official counts.
    pub with_vote: String,
    pub can_record: bool,
    pub inputs: Vec<TurnoutInput>,
    pub history: Vec<TurnoutLine>,
    pub accounts: Vec<AccountRow>,
    /// The accounting's column headers (received, used, damaged, unused).
    pub headers: [&'static str; 4],
    /// The ballot every voter receives (PPWP, or a Pilkada's widest contest).
    pub universal: &'static str,
    pub balanced: bool,
    pub unbalanced: bool,
    pub problems: Vec<String>,
    /// Who recorded the latest account, and when (empty before any).
    pub last_account: String,
    pub account_history: Vec<AccountLine>,
}

fn turnout_line(r: &TurnoutReport, with_vote: i64) -> TurnoutLine {
    let n = format::number;
    let t = &r.turnout;
    TurnoutLine {
        when: format::datetime(r.reported_at),
        actor: r.actor.clone(),
        dpt: n(t.dpt),
        dptb: n(t.dptb),
        dpk: n(t.dpk),
        men: n(t.men),
        women: n(t.women),
        total: n(t.total()),
        percent: format::percent(t.total(), with_vote),
    }
}

fn inputs(s: &StationSummary, latest: Option<&Turnout>) -> Vec<TurnoutInput> {
    Field::ALL
        .into_iter()
        .map(|f| TurnoutInput {
            name: turnout_field(f),
            label: f.label(),
            value: latest.map(|t| t.get(f).to_string()).unwrap_or_default(),
            limit: match f {
                Field::Dpt => format::number(s.dpt),
                Field::Dptb => format::number(s.dptb),
                Field::Dpk => format::number(s.dpk),
                Field::Men | Field::Women => String::new(),
            },
        })
        .collect()
}

fn account_rows(
    s: &StationSummary,
    latest: &HashMap<BallotType, &AccountRecord>,
    turnout: Option<&Turnout>,
) -> Vec<AccountRow> {
    let types = s.ballot_types();
    types
        .iter()
        .map(|&t| {
            let rec = latest.get(&t);
            let a = rec.map(|r| r.account);
            let values = a.map_or([None; 4], |a| {
                [a.received, a.used, a.damaged, a.unused].map(Some)
            });
            AccountRow {
                key: t.as_str(),
                label: t.label(),
                logistics: s.ballot(t).map_or(0, |b| b.received),
                inputs: ACCOUNT_FIELDS
                    .iter()
                    .zip(values)
                    .map(|((key, label), v)| {
                        let value = v.map(|v| v.to_string()).unwrap_or_default();
                        (format!("{key}_{}", t.as_str()), *label, value)
                    })
                    .collect(),
                state: match a {
                    None => "",
                    Some(a) if ballot_accounts::type_balanced(t, &types, &a, turnout) => "seimbang",
                    Some(_) => "tidak seimbang",
                },
            }
        })
        .collect()
}

fn account_line(r: &AccountRecord) -> AccountLine {
    let n = format::number;
    let a: &Account = &r.account;
    AccountLine {
        when: format::datetime(r.recorded_at),
        actor: r.actor.clone(),
        label: r.ballot_type.label(),
        received: n(a.received),
        used: n(a.used),
        damaged: n(a.damaged),
        unused: n(a.unused),
    }
}

/// The voting-day section of TPS `s` for a user who may (`can_record`) or may not record.
pub async fn section(
    state: &AppState,
    s: &StationSummary,
    voting_day: time::Date,
    can_record: bool,
) -> Result<DaySection> {
    let reports = day::turnout_history(&state.db, s.id).await?;
    let records = day::account_history(&state.db, s.id).await?;
    let turnout = reports.first().map(|r| r.turnout);
    let mut latest: HashMap<BallotType, &AccountRecord> = HashMap::new();
    for r in &records {
        latest.entry(r.ballot_type).or_insert(r);
    }
    let current: Vec<(BallotType, Account)> = latest.iter().map(|(t, r)| (*t, r.account)).collect();
    let types = s.ballot_types();
    let check = ballot_accounts::check(&types, &current, turnout.as_ref());
    let with_vote = s.dpt + s.dptb + s.dpk;
    let phase = Phase::of(voting_day, state.config.today());
    Ok(DaySection {
        open: phase != Phase::Before || !reports.is_empty() || !records.is_empty(),
        with_vote: format::number(with_vote),
        can_record,
        inputs: inputs(s, turnout.as_ref()),
        history: reports.iter().map(|r| turnout_line(r, with_vote)).collect(),
        accounts: account_rows(s, &latest, turnout.as_ref()),
        headers: ACCOUNT_FIELDS.map(|(_, label)| label),
        universal: ballot_accounts::universal(&types).map_or("", BallotType::label),
        balanced: check.balance == Balance::Balanced,
        unbalanced: check.balance == Balance::Unbalanced,
        problems: check.problems,
        last_account: records
            .first()
            .map(|r| format!("{} oleh {}", format::datetime(r.recorded_at), r.actor))
            .unwrap_or_default(),
        account_history: records.iter().map(account_line).collect(),
    })
}
