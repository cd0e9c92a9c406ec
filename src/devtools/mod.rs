//! Tools for developers and operators that are not part of what users reach: the private
//! PostgreSQL cluster the command line and the tests start ([`cluster`], [`throwaway`]), the
//! database the command line opens ([`database`]), and the baseline page of `scripts/bench`
//! (served only with `--bench-routes`).

mod bench;
pub mod cluster;
mod cluster_error;
pub mod database;
mod pg_bin;
pub mod throwaway;

use axum::Router;
use axum::routing::get;

use crate::http::AppState;

pub use cluster::{Cluster, ClusterError, Durability};
pub use database::{Database, PRIVATE_DATABASE};
pub use throwaway::ThrowawayCluster;

/// `/bench/fortunes`, answering 404 unless the server runs with `--bench-routes`.
pub fn router() -> Router<AppState> {
    Router::new().route("/bench/fortunes", get(bench::fortunes))
}
