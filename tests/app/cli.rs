//! The `loksus` binary with no configuration: its own private cluster in a data directory.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use loksus::db::Cluster;

use crate::helpers::row_cells;

const BIN: &str = env!("CARGO_BIN_EXE_loksus");

fn loksus(data_dir: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env_remove("DATABASE_URL")
        .env("LOKSUS_DATA_DIR", data_dir)
        .env("RUST_LOG", "warn");
    cmd
}

/// Starts `loksus serve` on a random port and waits for the address it prints.
fn start_server(data_dir: &Path) -> (Child, String) {
    let mut child = loksus(data_dir)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let base = loop {
        let line = lines
            .next()
            .expect("the server exited before printing its address")
            .unwrap();
        if let Some(rest) = line.strip_prefix("Loksus is serving ") {
            break rest.trim().to_owned();
        }
    };
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (child, base)
}

fn terminate(mut child: Child) {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    for _ in 0..600 {
        if let Some(exit) = child.try_wait().unwrap() {
            assert!(exit.success(), "the server exited with {exit}");
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill().unwrap();
    panic!("the server did not stop within 30 s of SIGTERM");
}

/// A temporary folder the `postgres` system user can pass through (when tests run as root).
fn open_tempdir() -> tempfile::TempDir {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

async fn sumsel_row(base: &str) -> Vec<String> {
    let body = reqwest::get(format!("{base}/"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    row_cells(&body, r#"data-province="16""#)
}

#[tokio::test]
async fn private_cluster_serves_demo_data_and_stops_with_the_server() {
    let dir = open_tempdir();
    let data_dir = dir.path().join("data");

    let (server, base) = start_server(&data_dir);
    let first = sumsel_row(&base).await;
    assert_eq!(
        first[1..],
        [
            "20", "51", "15.895", "9.084", "1.913", "2.522", "13.519", "85%"
        ]
    );
    terminate(server);
    let cluster = Cluster::new(&data_dir).unwrap();
    assert!(!cluster.is_running(), "SIGTERM left PostgreSQL running");
    assert!(!cluster.pgdata().join("postmaster.pid").exists());

    // Other commands start the cluster for their own length only.
    let out = loksus(&data_dir).args(["demo", "load"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already loaded"));
    let out = loksus(&data_dir).arg("migrate").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!cluster.is_running());

    // A second start reuses the data: the same figures, no duplicated rows.
    let (server, base) = start_server(&data_dir);
    assert_eq!(sumsel_row(&base).await, first);
    terminate(server);
    assert!(!cluster.is_running());
}

#[test]
fn missing_postgres_binaries_are_explained_and_leave_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let out = loksus(&data_dir)
        .env("LOKSUS_PG_BIN", dir.path().join("nowhere"))
        .arg("migrate")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("apt-get install postgresql"), "{stderr}");
    assert!(!data_dir.join("postgres").exists());
}

#[test]
fn help_describes_every_subcommand() {
    for args in [
        &["--help"][..],
        &["serve", "--help"],
        &["migrate", "--help"],
        &["demo", "load", "--help"],
    ] {
        let out = Command::new(BIN).args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("Usage: loksus"),
            "{args:?}"
        );
    }
}
