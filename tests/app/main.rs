//! Integration tests: the real server on port 0 against a real PostgreSQL database.

mod helpers;

mod layers;

mod access;
mod auth_security;
mod badinput;
mod ballots;
mod browser;
mod cli;
mod crawl;
mod demo;
mod elections;
mod faults;
mod forms;
mod home;
mod incidents;
mod niks;
mod page_cache;
mod pages;
mod platform;
mod props;
mod regions;
mod reports;
mod roll_export;
mod roll_walk;
mod rolls;
mod security;
mod session_cache;
mod simulation;
mod stations;
mod voting_day;
