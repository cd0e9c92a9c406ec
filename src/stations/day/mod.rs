//! Voting day at a TPS (issue 15): turnout reported during the day and ballot accounting
//! after closing, on the TPS page; [`store`] is the one write path, shared with the command
//! line's imports (`loksus turnout import`, `loksus ballot-accounts import`).

pub mod export;
mod forms;
pub mod import;
pub mod store;
mod views;

pub use forms::{save_accounts, save_turnout};
pub use views::{DaySection, section};
