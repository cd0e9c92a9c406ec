//! Settings shared by the handlers (the command line fills them in `cli`).

use std::time::Duration;

use time::{Date, OffsetDateTime};

#[derive(Debug, Clone)]
pub struct Config {
    /// Show the "mode demo" banner: the database holds the demo data.
    pub demo: bool,
    /// Requests taking longer are answered 408.
    pub request_timeout: Duration,
    /// Mark the session cookie `Secure` (when served over HTTPS).
    pub secure_cookies: bool,
    /// A session unused for this long expires.
    pub session_idle: Duration,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_proxy: bool,
    /// Failed logins per username and address, and per address alone, within
    /// `login_window` before 429 (see `auth::throttle`).
    pub login_max_failures: u32,
    /// Failed logins per username from all addresses together within `login_window` before
    /// 429: much higher, so that a stranger cannot lock a user out of their own address.
    pub login_max_failures_per_username: u32,
    pub login_window: Duration,
    /// Serve the benchmark baseline page `/bench/fortunes`.
    pub bench_routes: bool,
    /// Take this date as today (demos, tests, benchmarks of voting day); `None`: the date in
    /// Western Indonesian Time.
    pub today: Option<Date>,
}

impl Config {
    /// Today as the reports see it: the configured date, else today in Western Indonesian
    /// Time (UTC+7).
    pub fn today(&self) -> Date {
        self.today.unwrap_or_else(|| {
            OffsetDateTime::now_utc()
                .to_offset(time::macros::offset!(+7))
                .date()
        })
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            demo: false,
            request_timeout: Duration::from_secs(30),
            secure_cookies: false,
            session_idle: Duration::from_secs(8 * 3600),
            trust_proxy: false,
            login_max_failures: 5,
            login_max_failures_per_username: 50,
            login_window: Duration::from_secs(15 * 60),
            bench_routes: false,
            today: None,
        }
    }
}
