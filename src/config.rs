//! Settings shared by the handlers (the command line fills them in `cli`).

use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Config {
    /// Show the "mode demo" banner: the database holds the demo data.
    pub demo: bool,
    /// Requests taking longer are answered 408.
    pub request_timeout: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            demo: false,
            request_timeout: Duration::from_secs(30),
        }
    }
}
