//! What can go wrong managing the private PostgreSQL cluster, in words an operator can act on.

use std::path::Path;

/// The unprivileged account used when Loksus itself runs as root.
pub(super) const SYSTEM_USER: &str = "postgres";

#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error(
        "PostgreSQL server programs (initdb, pg_ctl) were not found on PATH nor in \
         /usr/lib/postgresql/<version>/bin.\nInstall the PostgreSQL server (Debian/Ubuntu: \
         `apt-get install postgresql`; Fedora: `dnf install postgresql-server`), point \
         LOKSUS_PG_BIN at the folder holding initdb, or set DATABASE_URL to use an existing \
         database."
    )]
    BinariesNotFound,
    #[error(
        "Loksus runs as root, and PostgreSQL refuses to run as root; it would run the private \
         cluster as the `{SYSTEM_USER}` system user, but that user does not exist. Create it \
         (`adduser --system --group {SYSTEM_USER}`), run Loksus as a regular user, or set \
         DATABASE_URL."
    )]
    NoSystemUser,
    #[error(
        "the cluster in {dir} was made by PostgreSQL {found}, but only PostgreSQL {available} \
         is installed here; install PostgreSQL {found} or choose another --data-dir"
    )]
    VersionMismatch {
        dir: String,
        found: String,
        available: String,
    },
    #[error("{what} failed: {detail}")]
    Command { what: String, detail: String },
    #[error("{what} ({path}): {source}")]
    Io {
        what: &'static str,
        path: String,
        source: std::io::Error,
    },
}

pub type Result<T, E = ClusterError> = std::result::Result<T, E>;

pub(super) fn io_err(
    what: &'static str,
    path: &Path,
) -> impl FnOnce(std::io::Error) -> ClusterError {
    let path = path.display().to_string();
    move |source| ClusterError::Io { what, path, source }
}
