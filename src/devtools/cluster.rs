//! A private PostgreSQL cluster kept inside Loksus's data directory.
//!
//! The server, every subcommand and the test harness use this one implementation: find the
//! server binaries, initialise a cluster atomically (a half-initialised directory never stays
//! behind), start it listening only on a Unix socket inside its own directory, and stop it.
//! When Loksus runs as root (CI, containers), `initdb` and `postgres` refuse to; the cluster is
//! then owned by, and run as, the unprivileged `postgres` system user through `setpriv`.

use std::fs;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use sqlx::postgres::PgConnectOptions;

pub use super::cluster_error::ClusterError;
use super::cluster_error::{Result, SYSTEM_USER, io_err};
use super::pg_bin::{binary_major_version, find_bin_dir};

/// The superuser created by `initdb`; local connections use `trust` over the private socket.
const SUPERUSER: &str = "loksus";
/// Only names the socket file (`.s.PGSQL.5432`): the cluster opens no TCP port.
const SOCKET_PORT: u16 = 5432;

/// Settings written into `postgresql.conf` when a cluster is initialised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// The server's own data: PostgreSQL's defaults.
    Durable,
    /// Throwaway test clusters: no fsync, so tests do not wait on the disk.
    Throwaway,
}

#[derive(Debug, Clone)]
struct RunAs {
    uid: u32,
    gid: u32,
}

/// A cluster directory plus the programs that manage it.
#[derive(Debug, Clone)]
pub struct Cluster {
    /// The data directory of Loksus (the cluster lives in `postgres/` inside it).
    data_dir: PathBuf,
    pgdata: PathBuf,
    bin_dir: PathBuf,
    run_as: Option<RunAs>,
}

impl Cluster {
    /// Prepares to manage the cluster under `data_dir` (created when missing). Nothing is
    /// initialised or started yet.
    pub fn new(data_dir: &Path) -> Result<Self> {
        fs::create_dir_all(data_dir)
            .map_err(io_err("cannot create the data directory", data_dir))?;
        let data_dir = data_dir
            .canonicalize()
            .map_err(io_err("cannot resolve the data directory", data_dir))?;
        let pgdata = data_dir.join("postgres");
        let existing_version = fs::read_to_string(pgdata.join("PG_VERSION"))
            .ok()
            .map(|v| v.trim().to_owned());
        let bin_dir = find_bin_dir(existing_version.as_deref())?;
        if let Some(found) = existing_version {
            let available = binary_major_version(&bin_dir)?;
            if available != found {
                return Err(ClusterError::VersionMismatch {
                    dir: pgdata.display().to_string(),
                    found,
                    available,
                });
            }
        }
        let run_as = if nix::unistd::geteuid().is_root() {
            let user = nix::unistd::User::from_name(SYSTEM_USER)
                .ok()
                .flatten()
                .ok_or(ClusterError::NoSystemUser)?;
            Some(RunAs {
                uid: user.uid.as_raw(),
                gid: user.gid.as_raw(),
            })
        } else {
            None
        };
        Ok(Self {
            data_dir,
            pgdata,
            bin_dir,
            run_as,
        })
    }

    pub fn pgdata(&self) -> &Path {
        &self.pgdata
    }

    pub fn is_initialised(&self) -> bool {
        self.pgdata.join("PG_VERSION").is_file()
    }

    /// Runs `initdb` into a temporary folder beside the final one, configures it, then renames
    /// it into place: either a complete cluster exists afterwards, or nothing does.
    pub fn init(&self, durability: Durability) -> Result<()> {
        let tmp = self
            .data_dir
            .join(format!(".postgres-init-{}", std::process::id()));
        let result = self.init_into(&tmp, durability);
        if result.is_err() {
            let _ = fs::remove_dir_all(&tmp);
        }
        result
    }

    fn init_into(&self, tmp: &Path, durability: Durability) -> Result<()> {
        if tmp.exists() {
            fs::remove_dir_all(tmp).map_err(io_err("cannot remove a stale folder", tmp))?;
        }
        fs::create_dir(tmp).map_err(io_err("cannot create the cluster folder", tmp))?;
        fs::set_permissions(tmp, fs::Permissions::from_mode(0o700))
            .map_err(io_err("cannot restrict the cluster folder", tmp))?;
        if let Some(run_as) = &self.run_as {
            // The data directory itself must be reachable by the system user.
            ensure_traversable(&self.data_dir)?;
            std::os::unix::fs::chown(tmp, Some(run_as.uid), Some(run_as.gid)).map_err(io_err(
                "cannot hand the cluster folder to the postgres user",
                tmp,
            ))?;
        }
        self.run(
            "initdb",
            self.pg_command("initdb")
                .arg("--pgdata")
                .arg(tmp)
                .args(["--username", SUPERUSER, "--auth=trust", "--encoding=UTF8"])
                .args(["--no-locale", "--no-instructions"]),
        )?;
        let mut settings = format!(
            "\n# Written by Loksus: a private cluster reachable only through its own socket.\n\
             listen_addresses = ''\n\
             unix_socket_directories = '{}'\n\
             unix_socket_permissions = 0700\n\
             max_connections = 200\n",
            self.pgdata.display().to_string().replace('\'', "''")
        );
        if durability == Durability::Throwaway {
            settings.push_str("fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n");
        }
        let conf = tmp.join("postgresql.conf");
        fs::OpenOptions::new()
            .append(true)
            .open(&conf)
            .and_then(|mut f| f.write_all(settings.as_bytes()))
            .map_err(io_err("cannot write the cluster settings", &conf))?;
        fs::rename(tmp, &self.pgdata).map_err(io_err("cannot move the new cluster into place", tmp))
    }

    pub fn is_running(&self) -> bool {
        self.pg_command("pg_ctl")
            .arg("status")
            .arg("--pgdata")
            .arg(&self.pgdata)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    pub fn start(&self) -> Result<()> {
        let log = self.pgdata.join("postgres.log");
        let started = self.run(
            "starting PostgreSQL",
            self.pg_command("pg_ctl")
                .arg("start")
                .arg("--pgdata")
                .arg(&self.pgdata)
                .arg("--log")
                .arg(&log)
                .args(["--wait", "--timeout=60", "--silent"]),
        );
        started.map_err(|err| match fs::read_to_string(&log) {
            Ok(text) => ClusterError::Command {
                what: "starting PostgreSQL".into(),
                detail: format!(
                    "{err}\nlast lines of {}:\n{}",
                    log.display(),
                    tail(&text, 15)
                ),
            },
            Err(_) => err,
        })
    }

    pub fn stop(&self) -> Result<()> {
        self.run("stopping PostgreSQL", &mut self.stop_command())
    }

    pub(super) fn stop_command(&self) -> Command {
        let mut cmd = self.pg_command("pg_ctl");
        cmd.arg("stop").arg("--pgdata").arg(&self.pgdata).args([
            "--mode=fast",
            "--wait",
            "--silent",
        ]);
        cmd
    }

    /// Initialises the cluster when needed and starts it unless it already runs (another
    /// Loksus process may be using it). Returns whether this call started it.
    pub fn ensure_running(&self, durability: Durability) -> Result<bool> {
        if !self.is_initialised() {
            self.init(durability)?;
        }
        if self.is_running() {
            return Ok(false);
        }
        self.start()?;
        Ok(true)
    }

    /// How to reach `database` on this cluster.
    pub fn connect_options(&self, database: &str) -> PgConnectOptions {
        PgConnectOptions::new()
            .host(&self.pgdata.to_string_lossy())
            .port(SOCKET_PORT)
            .username(SUPERUSER)
            .database(database)
    }

    /// A command for one of the server programs, run as the system user when we are root.
    fn pg_command(&self, program: &str) -> Command {
        let exe = self.bin_dir.join(program);
        let mut cmd = match &self.run_as {
            None => Command::new(exe),
            Some(run_as) => {
                let mut cmd = Command::new("setpriv");
                cmd.arg(format!("--reuid={}", run_as.uid))
                    .arg(format!("--regid={}", run_as.gid))
                    .arg("--init-groups")
                    .arg("--")
                    .arg(exe);
                cmd
            }
        };
        // The system user may not be allowed into the caller's working directory.
        cmd.current_dir(&self.data_dir).stdin(Stdio::null());
        cmd
    }

    fn run(&self, what: &str, cmd: &mut Command) -> Result<()> {
        let out = cmd.output().map_err(|e| ClusterError::Command {
            what: what.into(),
            detail: format!("cannot run {:?}: {e}", cmd.get_program()),
        })?;
        if out.status.success() {
            return Ok(());
        }
        let mut detail = String::from_utf8_lossy(&out.stderr).trim().to_owned();
        if detail.is_empty() {
            detail = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        }
        Err(ClusterError::Command {
            what: what.into(),
            detail: format!("{} ({})", detail, out.status),
        })
    }
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// Every folder from `/` down to `dir` must let others pass, or the system user cannot reach
/// its cluster; say so rather than letting `initdb` fail obscurely.
fn ensure_traversable(dir: &Path) -> Result<()> {
    for ancestor in dir.ancestors() {
        let meta = fs::metadata(ancestor).map_err(io_err("cannot inspect", ancestor))?;
        if meta.permissions().mode() & 0o001 == 0 {
            return Err(ClusterError::Command {
                what: "preparing the private cluster".into(),
                detail: format!(
                    "the `{SYSTEM_USER}` user cannot enter {} (no search permission for \
                     others); choose a --data-dir it can reach, e.g. /var/lib/loksus",
                    ancestor.display()
                ),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tail_keeps_last_lines() {
        assert_eq!(tail("1\n2\n3", 2), "2\n3");
        assert_eq!(tail("1", 5), "1");
    }
}
