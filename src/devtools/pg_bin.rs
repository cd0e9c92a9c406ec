//! Finding the PostgreSQL server programs (`initdb`, `pg_ctl`) and their version.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::cluster_error::{ClusterError, Result};

/// Where `initdb` and `pg_ctl` live: `LOKSUS_PG_BIN`, then the Debian folder of the cluster's
/// own version, then `PATH`, then the newest Debian folder.
pub(super) fn find_bin_dir(preferred_major: Option<&str>) -> Result<PathBuf> {
    let has_tools = |d: &Path| d.join("initdb").is_file() && d.join("pg_ctl").is_file();
    if let Some(dir) = std::env::var_os("LOKSUS_PG_BIN") {
        let dir = PathBuf::from(dir);
        return if has_tools(&dir) {
            Ok(dir)
        } else {
            Err(ClusterError::BinariesNotFound)
        };
    }
    let mut debian: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let major = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            has_tools(&bin).then_some((major, bin))
        })
        .collect();
    debian.sort();
    if let Some(want) = preferred_major
        && let Some((_, bin)) = debian.iter().find(|(m, _)| m.to_string() == want)
    {
        return Ok(bin.clone());
    }
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .find(|d| has_tools(d));
    on_path
        .or_else(|| debian.pop().map(|(_, bin)| bin))
        .ok_or(ClusterError::BinariesNotFound)
}

/// The major version of the server programs, as `PG_VERSION` spells it ("15").
pub(super) fn binary_major_version(bin_dir: &Path) -> Result<String> {
    let out = Command::new(bin_dir.join("pg_ctl"))
        .arg("--version")
        .output()
        .map_err(|e| ClusterError::Command {
            what: "pg_ctl --version".into(),
            detail: e.to_string(),
        })?;
    let text = String::from_utf8_lossy(&out.stdout);
    // "pg_ctl (PostgreSQL) 15.18 (Debian ...)"
    let version = text.split_whitespace().nth(2).unwrap_or_default();
    Ok(version.split('.').next().unwrap_or_default().to_owned())
}
