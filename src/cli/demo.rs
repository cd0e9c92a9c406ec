//! `loksus demo load` and `loksus demo roll-file`.

use clap::Subcommand;

use crate::demo;
use crate::devtools::Database;

#[derive(Debug, Subcommand)]
pub enum DemoCommand {
    /// Load the demo data into the configured database (refuses to load twice or into a
    /// database that already holds facilities or elections).
    Load {
        /// demo: the published Pemilu 2024 figures of four provinces; national: about 550
        /// facilities, 1.800 TPS and 300.000 inmates (illustrative, for benchmarks).
        #[arg(long, default_value = "demo", value_parser = ["demo", "national"])]
        scale: String,
    },
    /// Write a realistic, deterministic roll file (CSV) to standard output; needs no database.
    RollFile {
        /// Number of inmates.
        #[arg(long, default_value_t = 1000)]
        rows: u64,
        /// The same seed gives the same file.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

pub(super) async fn load(db: &Database, scale: &str) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let summary = if scale == "national" {
        demo::national::load(&db.pool).await?
    } else {
        demo::load(&db.pool).await?
    };
    println!(
        "demo data loaded: election {}, {} facilities, {} TPS ({scale} scale, {:.1} s)",
        demo::ELECTION_SLUG,
        summary.facilities,
        summary.stations,
        started.elapsed().as_secs_f64()
    );
    if scale != "national" {
        print_simulation();
    }
    print_accounts(&summary.accounts);
    Ok(())
}

/// The living demo beside the archived figures (printed after a demo load).
pub(super) fn print_simulation() {
    let day = demo::simulation::voting_day(time::OffsetDateTime::now_utc().date());
    println!(
        "Pages open on the SIMULASI election `{}` (voting day {}, in {} days; a roll for every \
         facility, TPS allocated); the archived Pemilu 2024 figures are at ?pemilihan={}.",
        demo::simulation::SLUG,
        crate::domain::format::date(day),
        demo::simulation::DAYS_AHEAD,
        demo::ELECTION_SLUG,
    );
}

pub(super) fn print_accounts(accounts: &[demo::DemoAccount]) {
    println!("Demo accounts (passwords are shown only now; reset with `loksus user passwd NAME`):");
    for a in accounts {
        let scope = a
            .facility_code
            .or(a
                .province_code
                .map(|p| if p == "16" { "Sumatera Selatan" } else { p }))
            .unwrap_or("national");
        println!(
            "  {:<24} {:<10} {:<20} first: {:<70} password: {}",
            a.username, a.role, scope, a.first, a.password
        );
    }
}
