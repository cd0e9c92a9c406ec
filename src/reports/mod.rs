//! Reports: the dashboards (national, province, facility), led on and after voting day by
//! the day's panel ([`day`]: turnout, TPS reporting, ballot accounting, open incidents), the
//! sentence the press quotes (before and after voting day), the countdown to the deadlines,
//! charts, and every report table as CSV and XLSX.
//!
//! Figures come from `facility_figures` (`read::figures`), rebuilt exactly for whatever
//! changed before each read, so a dashboard is a handful of queries whatever the data's size.
//!
//! `/` is the home page: the user's tasks ([`home`], lines in [`tasks`]) above the dashboard.
//!
//! Handlers: [`dashboard`], [`places`] (province and facility pages), [`downloads`]; their
//! SQL in [`queries`], their templates and formatting in [`views`], [`countdown`] and
//! [`figures_table`].

mod countdown;
mod dashboard;
mod day;
mod downloads;
pub mod export;
mod figures_table;
mod home;
mod places;
mod queries;
pub mod table;
mod tasks;
mod views;

use axum::Router;
use axum::routing::get;

use crate::http::AppState;

pub use countdown::{Dates, Deadline, countdown};
pub use figures_table::{FIGURE_COLUMNS, by_province, figures_table};
pub use views::{ReportRow, press_sentence, press_sentence_after};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(dashboard::dashboard))
        .merge(places::router())
        .merge(downloads::router())
}
