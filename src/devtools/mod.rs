//! Tools for developers and operators that are not part of what users reach: the baseline
//! page of `scripts/bench` (served only with `--bench-routes`).

mod bench;

use axum::Router;
use axum::routing::get;

use crate::http::AppState;

/// `/bench/fortunes`, answering 404 unless the server runs with `--bench-routes`.
pub fn router() -> Router<AppState> {
    Router::new().route("/bench/fortunes", get(bench::fortunes))
}
