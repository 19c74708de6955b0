//! The `server` binary as a person runs it: flags, environment fallbacks, demo data,
//! and a clean stop on SIGTERM.

use std::{path::Path, process::Stdio, time::Duration};

use tokio::{
    io::{AsyncBufReadExt, BufReader},
    process::{Child, Command},
};

use crate::helpers::{fresh_database_url, write_sample_dist};

pub(crate) struct Running {
    pub(crate) child: Child,
    pub(crate) url: String,
}

/// Starts the binary and waits for the line that tells where it listens.
pub(crate) async fn start(args: &[&str], envs: &[(&str, &str)], cwd: &Path) -> Running {
    let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(args)
        .env_remove("DATABASE_URL")
        .env_remove("TSUNAGARU_ADDR")
        .env_remove("TSUNAGARU_DIST")
        .env_remove("TSUNAGARU_DEMO")
        .envs(envs.iter().copied())
        .current_dir(cwd)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("the server binary starts");
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let line = tokio::time::timeout(Duration::from_secs(60), lines.next_line())
        .await
        .expect("the server printed its URL in time")
        .unwrap()
        .expect("a line on stdout");
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no URL in {line:?}"))
        .trim_end_matches('/')
        .to_owned();
    Running { child, url }
}

impl Running {
    async fn get_json(&self, path: &str) -> serde_json::Value {
        reqwest::get(format!("{}{path}", self.url))
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// Sends SIGTERM and returns whether the process exited successfully.
    async fn terminate(mut self) -> bool {
        let pid = self.child.id().unwrap().to_string();
        let sent = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .await
            .unwrap();
        assert!(sent.success());
        let status = tokio::time::timeout(Duration::from_secs(10), self.child.wait())
            .await
            .expect("the server stopped within 10 s of SIGTERM")
            .unwrap();
        status.success()
    }
}

#[tokio::test]
async fn flags_choose_address_database_dist_and_demo_data() {
    let dir = tempfile::tempdir().unwrap();
    let database = fresh_database_url(dir.path()).await;
    let dist = dir.path().join("built");
    write_sample_dist(&dist);
    let dist_arg = dist.display().to_string();
    let args = [
        "--addr",
        "127.0.0.1:0",
        "--database",
        &database,
        "--dist",
        &dist_arg,
        "--demo",
    ];

    let server = start(&args, &[], dir.path()).await;
    assert_eq!(server.get_json("/api/health").await["status"], "ok");
    let page = reqwest::get(format!("{}/", server.url))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("<title>Tsunagaru</title>"));
    let first = server
        .get_json("/api/associations")
        .await
        .as_array()
        .unwrap()
        .len();
    assert!(first > 0);
    assert!(
        server.terminate().await,
        "SIGTERM ends the server with success"
    );

    // A second start with --demo on the same database duplicates nothing.
    let server = start(&args, &[], dir.path()).await;
    let second = server
        .get_json("/api/associations")
        .await
        .as_array()
        .unwrap()
        .len();
    assert_eq!(first, second);
    assert!(server.terminate().await);
}

#[tokio::test]
async fn environment_variables_stand_in_for_flags() {
    let dir = tempfile::tempdir().unwrap();
    let database = fresh_database_url(dir.path()).await;
    let dist = dir.path().join("built");
    write_sample_dist(&dist);
    let dist_env = dist.display().to_string();
    let envs = [
        ("TSUNAGARU_ADDR", "127.0.0.1:0"),
        ("DATABASE_URL", database.as_str()),
        ("TSUNAGARU_DIST", dist_env.as_str()),
        ("TSUNAGARU_DEMO", "1"),
    ];
    let server = start(&[], &envs, dir.path()).await;
    assert_eq!(server.get_json("/api/health").await["status"], "ok");
    assert!(
        !server
            .get_json("/api/associations")
            .await
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert!(server.terminate().await);
}

#[tokio::test]
async fn by_default_the_database_is_a_sqlite_file_under_data() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&["--addr", "127.0.0.1:0"], &[], dir.path()).await;
    assert_eq!(server.get_json("/api/health").await["status"], "ok");
    assert!(dir.path().join("data/tsunagaru.db").is_file());
    assert!(server.terminate().await);
}

#[tokio::test]
async fn a_bad_database_url_stops_the_server_with_a_message_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["--addr", "127.0.0.1:0", "--database", "oracle://nowhere"])
        .current_dir(dir.path())
        .output()
        .await
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("sqlite:// or postgres://"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
