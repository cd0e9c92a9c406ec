//! The `loksus` binary with no configuration: its own private cluster in a data directory.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use loksus::devtools::Cluster;

use crate::helpers::{Browser, row_cells};

const BIN: &str = env!("CARGO_BIN_EXE_loksus");

fn loksus(data_dir: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env_remove("DATABASE_URL")
        .env("LOKSUS_DATA_DIR", data_dir)
        .env("RUST_LOG", "warn");
    cmd
}

/// A running `loksus serve`; killed if a test fails before stopping it.
struct Server {
    child: Option<Child>,
    base: String,
    /// What it printed before it started serving (demo accounts on a first start).
    banner: Vec<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Starts `loksus serve` on a random port and waits for the address it prints.
fn start_server(data_dir: &Path) -> Server {
    let mut child = loksus(data_dir)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let mut banner = Vec::new();
    let base = loop {
        let line = lines
            .next()
            .expect("the server exited before printing its address")
            .unwrap();
        if let Some(rest) = line.strip_prefix("Loksus is serving ") {
            break rest.trim().to_owned();
        }
        banner.push(line);
    };
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Server {
        child: Some(child),
        base,
        banner,
    }
}

/// The password printed for a demo account on first start.
fn printed_password(banner: &[String], username: &str) -> String {
    banner
        .iter()
        .find(|l| l.trim_start().starts_with(username))
        .and_then(|l| l.split("password: ").nth(1))
        .unwrap_or_else(|| panic!("no password printed for {username}: {banner:?}"))
        .trim()
        .to_owned()
}

fn terminate(server: Server) {
    sigterm(&server);
    wait_for_exit(server);
}

fn sigterm(server: &Server) {
    let pid = server.child.as_ref().unwrap().id();
    let status = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// Posts the facility form over a raw connection, sending SIGTERM after the first half of
/// the body; returns the whole response.
async fn request_across_sigterm(server: &Server, admin_password: &str) -> String {
    use std::io::{Read, Write};
    let browser = Browser {
        base: server.base.clone(),
        client: reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
    };
    let login = browser.log_in("admin", admin_password).await;
    let cookie = login.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let (_, page) = browser.get("/fasilitas/lapas-lubuklinggau/ubah").await;
    let token = crate::helpers::csrf_in(&page).unwrap();
    let body = format!(
        "nama=Lapas+Kelas+IIA+Lubuklinggau&jenis=lapas&kelas=IIA&jumlah_wbp=1160&csrf={token}"
    );
    let addr = server.base.trim_start_matches("http://").to_owned();
    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    write!(
        stream,
        "POST /fasilitas/lapas-lubuklinggau/ubah HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{}",
        body.len(),
        &body[..body.len() / 2]
    )
    .unwrap();
    stream.flush().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    sigterm(server);
    std::thread::sleep(Duration::from_millis(500));
    stream
        .write_all(&body.as_bytes()[body.len() / 2..])
        .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

fn wait_for_exit(mut server: Server) {
    let mut child = server.child.take().unwrap();
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

/// Logs in as `username` and reads the Sumatera Selatan row of the archived Pemilu 2024
/// dashboard.
async fn sumsel_row(base: &str, username: &str, password: &str) -> Vec<String> {
    let browser = Browser {
        base: base.to_owned(),
        client: reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .unwrap(),
    };
    let resp = browser.log_in(username, password).await;
    assert!(resp.status().is_success(), "login: {}", resp.status());
    let (_, body) = browser.get("/?pemilihan=pemilu-2024").await;
    row_cells(&body, r#"data-province="16""#)
}

#[tokio::test]
async fn private_cluster_serves_demo_data_and_stops_with_the_server() {
    let dir = open_tempdir();
    let data_dir = dir.path().join("data");

    let server = start_server(&data_dir);
    let admin_password = printed_password(&server.banner, "admin");
    // The first start says which election pages open on and what each account looks at.
    assert!(
        server
            .banner
            .iter()
            .any(|l| l.contains("SIMULASI") && l.contains("?pemilihan=pemilu-2024")),
        "{:?}",
        server.banner
    );
    assert!(
        server
            .banner
            .iter()
            .any(|l| l.contains("registrar-lubuklinggau")
                && l.contains("first: /fasilitas/lapas-lubuklinggau/daftar"))
    );
    let first = sumsel_row(&server.base, "admin", &admin_password).await;
    assert_eq!(
        first[1..9],
        [
            "20", "51", "15.895", "9.084", "1.913", "2.522", "13.519", "85%"
        ]
    );
    // SIGTERM while a request is half sent: the request still completes, then the server
    // and its cluster stop.
    let response = request_across_sigterm(&server, &admin_password).await;
    assert!(response.starts_with("HTTP/1.1 303"), "{response}");
    wait_for_exit(server);
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

    // Accounts from the command line: the password comes from standard input.
    let mut add = loksus(&data_dir)
        .args(["user", "add", "--username", "kpu-nasional", "--role", "kpu"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    add.stdin
        .take()
        .unwrap()
        .write_all(b"sandi-dari-stdin-1\n")
        .unwrap();
    let out = add.wait_with_output().unwrap();
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stdout).contains("sandi-dari-stdin-1"));
    let out = loksus(&data_dir).args(["user", "list"]).output().unwrap();
    let list = String::from_utf8_lossy(&out.stdout);
    assert!(
        list.contains("kpu-nasional") && list.contains("registrar-lubuklinggau"),
        "{list}"
    );

    // Importing a roll from the command line: exit 1 and nothing written when rows are
    // rejected, 0 when written, 2 for usage errors; the summary is the last stdout line.
    let roll_file = dir.path().join("daftar.csv");
    std::fs::write(
        &roll_file,
        "nik;nama;tanggal_lahir;jenis_kelamin;status\r\n\
         1674011508900001;Budi Santoso;15-08-1990;L;NAPI\r\n\
         1674010101900009;Salah;1990-13-01;L;NAPI\r\n\
         ;Tanpa NIK;1990-01-01;P;TAHANAN\r\n",
    )
    .unwrap();
    let import = |extra: &[&str]| {
        let mut cmd = loksus(&data_dir);
        cmd.args(["roll", "import"]).arg(&roll_file).args([
            "--facility",
            "lapas-lubuklinggau",
            "--election",
            "pemilu-2024",
        ]);
        cmd.args(extra).output().unwrap()
    };
    let last_line = |out: &std::process::Output| {
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .last()
            .unwrap_or_default()
            .to_owned()
    };
    let out = import(&[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("row 3, column tanggal_lahir: tanggal lahir \"1990-13-01\" tidak dikenali")
    );
    // Nothing was written, so nothing counts as inserted.
    assert_eq!(
        last_line(&out),
        "inserted 0, updated 0, unchanged 0, departed 0, rejected 1, flagged 2"
    );
    let out = import(&["--skip-invalid", "--dry-run"]);
    assert_eq!(out.status.code(), Some(0));
    let out = import(&["--skip-invalid"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        last_line(&out),
        "inserted 2, updated 0, unchanged 0, departed 0, rejected 1, flagged 2"
    );
    let out = import(&["--skip-invalid"]);
    assert_eq!(
        last_line(&out),
        "inserted 0, updated 0, unchanged 2, departed 0, rejected 1, flagged 2"
    );
    let out = loksus(&data_dir)
        .args(["roll", "import"])
        .arg(&roll_file)
        .args(["--facility", "tidak-ada"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = loksus(&data_dir)
        .args(["roll", "import", "--facility"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));

    // A second start reuses the data: no duplicated rows, no new accounts. The official
    // counts are unchanged; Lubuklinggau's imported roll (2 inmates, one without a valid NIK)
    // now stands for its recorded 1.160 inmates.
    let server = start_server(&data_dir);
    assert!(!server.banner.iter().any(|l| l.contains("password:")));
    let again = sumsel_row(&server.base, "admin", &admin_password).await;
    assert_eq!(again[..3], first[..3]);
    assert_eq!(again[3], "14.737");
    assert_eq!(again[4..8], first[4..8]);
    assert_eq!(again[8], "92%");
    assert_eq!(again[13], "1");
    let national = sumsel_row(&server.base, "kpu-nasional", "sandi-dari-stdin-1").await;
    assert_eq!(national, again);
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
