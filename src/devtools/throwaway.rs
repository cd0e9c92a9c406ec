//! A throwaway PostgreSQL cluster for one test run, cleaned up however the process exits.

use std::ffi::OsStr;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt as _;
use std::process::{Child, ChildStdin, Command, Stdio};

use super::cluster::{Cluster, Durability};
use super::cluster_error::{ClusterError, Result, io_err};

/// A cluster in a fresh temporary folder for one test run. It is initialised and started at
/// once; a watcher process stops it and removes the folder when this process exits, however it
/// exits (the watcher sees its standard input close).
pub struct ThrowawayCluster {
    pub cluster: Cluster,
    _watcher_stdin: ChildStdin,
    _watcher: Child,
}

impl ThrowawayCluster {
    pub fn start() -> Result<Self> {
        let dir = tempfile::Builder::new()
            .prefix("loksus-test-")
            .tempdir()
            .map_err(io_err(
                "cannot create a temporary folder",
                &std::env::temp_dir(),
            ))?
            .keep();
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o711))
            .map_err(io_err("cannot open the temporary folder", &dir))?;
        let cluster = match Cluster::new(&dir) {
            Ok(c) => c,
            Err(e) => {
                let _ = fs::remove_dir_all(&dir);
                return Err(e);
            }
        };
        // Watcher first, so that even a failed start is cleaned up.
        let stop = cluster.stop_command();
        let script = format!(
            "cat >/dev/null; [ -f {pid} ] && {stop} >/dev/null 2>&1; rm -rf {dir}",
            pid = shell_quote(cluster.pgdata().join("postmaster.pid").as_os_str()),
            stop = std::iter::once(stop.get_program())
                .chain(stop.get_args())
                .map(shell_quote)
                .collect::<Vec<_>>()
                .join(" "),
            dir = shell_quote(dir.as_os_str()),
        );
        let mut watcher = Command::new("sh")
            .args(["-c", &script])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Its own process group: a Ctrl-C aimed at the test run must not kill the watcher.
            .process_group(0)
            .spawn()
            .map_err(|e| ClusterError::Command {
                what: "starting the cleanup watcher".into(),
                detail: e.to_string(),
            })?;
        let stdin = watcher.stdin.take().expect("piped stdin");
        cluster.ensure_running(Durability::Throwaway)?;
        Ok(Self {
            cluster,
            _watcher_stdin: stdin,
            _watcher: watcher,
        })
    }
}

fn shell_quote(s: &OsStr) -> String {
    format!("'{}'", s.to_string_lossy().replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_quote_survives_quotes() {
        assert_eq!(shell_quote(OsStr::new("a'b")), r"'a'\''b'");
    }
}
