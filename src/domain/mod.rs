//! Pure rules and types: no database, no HTTP. Each takes plain values and returns plain
//! values, with unit (and property) tests beside it.

pub mod access;
pub mod allocation;
pub mod ballot_accounts;
pub mod ballots;
pub mod contest_file;
pub mod csv_file;
pub mod election_rules;
pub mod eligibility;
pub mod figures;
pub mod format;
pub mod incident;
pub mod local_time;
pub mod neutrality;
pub mod nik;
pub mod password;
pub mod privacy;
pub mod readiness;
pub mod region;
pub mod roll_file;
pub mod turnout;
pub mod vote_move;
pub mod voter;
