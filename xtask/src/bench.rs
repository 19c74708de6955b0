//! Benchmarks against DESIGN.md's budgets. Reports, not tests: figures on a busy
//! machine vary, so they are printed for people, never asserted in the test suite.
//!
//! Each part starts its own release server on a free port with a fresh SQLite file, and
//! every part runs even when an earlier one missed its budget; `cargo xtask bench` fails
//! afterwards. The scripts are in `e2e/bench/`.

use std::{
    io::{BufRead, BufReader},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::Instant,
};

use anyhow::{Context, Result, bail};

use crate::{exec, install, size, step};

/// Builds the release server (as `cargo xtask run` does) and returns its path.
pub fn build_server(root: &Path) -> Result<PathBuf> {
    step("building the server (release)");
    exec(Command::new("cargo").args(["build", "--release", "--locked", "--package", "server"]))?;
    Ok(target_dir(root).join("release/server"))
}

/// Cargo's target folder: `CARGO_TARGET_DIR` when set, else `target/`.
pub fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => root.join(dir),
        _ => root.join("target"),
    }
}

/// A server on a free port with a fresh SQLite database; stopped and removed on drop.
struct Server {
    child: Child,
    url: String,
    data: PathBuf,
}

impl Server {
    /// `demo` seeds the demo accounts; sign-in rate limits are loose either way, since a
    /// benchmark signs in more often than a person.
    fn start(binary: &Path, root: &Path, demo: bool) -> Result<Server> {
        let data = std::env::temp_dir().join(format!(
            "tsunagaru-bench-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or_default()
        ));
        let mut command = Command::new(binary);
        command
            .args(["--addr", "127.0.0.1:0", "--dist"])
            .arg(root.join("dist"))
            .arg("--database")
            .arg(format!("sqlite://{}/bench.db", data.display()))
            .env("RUST_LOG", "warn")
            .env("TSUNAGARU_AUTH_BURST", "1000")
            .env("TSUNAGARU_ACCOUNT_BURST", "100")
            // The push benchmark writes far more records as one admin than any person
            // would: the quota stays (and its count runs on every push) but does not stop it.
            .env("TSUNAGARU_QUOTA_RECORDS", "1000000000")
            .env("TSUNAGARU_QUOTA_BYTES", "1000000000000")
            .stdout(Stdio::piped());
        if demo {
            command.arg("--demo");
        }
        let mut child = command
            .spawn()
            .with_context(|| format!("could not start {}", binary.display()))?;
        let mut line = String::new();
        let stdout = child.stdout.take().context("no stdout")?;
        BufReader::new(stdout).read_line(&mut line)?;
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .map(|u| u.trim_end_matches('/').to_owned());
        let server = Server {
            child,
            url: url.clone().unwrap_or_default(),
            data,
        };
        if url.is_none() {
            bail!("the server printed no URL: {line}");
        }
        Ok(server)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.data);
    }
}

/// Runs a Node script of `e2e/bench/` against a fresh server.
fn node(root: &Path, server: &Server, script: &str, extra: &[&str]) -> Result<()> {
    exec(
        Command::new("node")
            .arg(format!("bench/{script}"))
            .arg(&server.url)
            .args(extra)
            .current_dir(root.join("e2e"))
            .env("PATH", install::tool_path()),
    )
}

/// Times offline reloads to the first content in headless Chromium (budget 1 s).
pub fn offline_reload(root: &Path, binary: &Path) -> Result<()> {
    step("offline reload to first content (headless Chromium)");
    let server = Server::start(binary, root, false)?;
    node(root, &server, "offline-reload.mjs", &[])
}

/// The server's sync routes: seeds 10,000 records, then bytes of an initial sync
/// (budget 350 KB) and wrk on pull and push (budget p99 50 ms).
pub fn server_sync(root: &Path, binary: &Path) -> Result<()> {
    step("server sync: 10,000 records, initial sync bytes, wrk on pull and push");
    let server = Server::start(binary, root, true)?;
    node(root, &server, "server-sync.mjs", &[])
}

/// A resident's first sync of 10,000 records in headless Chromium (budget 1 s). Reports
/// "not measured" (and passes) while the app has no sync.
pub fn initial_sync(root: &Path, binary: &Path) -> Result<()> {
    step("initial sync of 10,000 records (headless Chromium)");
    let server = Server::start(binary, root, true)?;
    node(root, &server, "initial-sync.mjs", &[])
}

/// Browsing and searching 2,000 events offline in headless Chromium: the board's first
/// list render and a search (budget 100 ms each), and a cold offline reload of the board.
pub fn event_board(root: &Path, binary: &Path) -> Result<()> {
    step("event board: 2,000 events offline, list render and search (headless Chromium)");
    let server = Server::start(binary, root, true)?;
    node(root, &server, "event-board.mjs", &[])
}

/// A first visit on a slow phone in headless Chromium (1.6 Mbit/s, 150 ms, CPU 4× slower):
/// a visitor's first content (aim 3 s) and ichiro's first click to the event board (aim 1 s).
pub fn slow_phone(root: &Path, binary: &Path) -> Result<()> {
    step("first visit on a slow phone: first content and the event board (headless Chromium)");
    let server = Server::start(binary, root, true)?;
    node(root, &server, "slow-phone.mjs", &[])
}

/// `cargo xtask bench` after the build: every part, each timed, then fails if any did.
pub fn run(root: &Path) -> Result<()> {
    let start = Instant::now();
    let binary = build_server(root)?;
    let parts: [(&str, &dyn Fn() -> Result<()>); 6] = [
        ("first load size", &|| size::report(&root.join("dist"))),
        ("offline reload", &|| offline_reload(root, &binary)),
        ("server sync", &|| server_sync(root, &binary)),
        ("initial sync in Chromium", &|| initial_sync(root, &binary)),
        ("event board in Chromium", &|| event_board(root, &binary)),
        ("slow phone in Chromium", &|| slow_phone(root, &binary)),
    ];
    let mut failed = Vec::new();
    let mut took = Vec::new();
    for (name, part) in parts {
        let began = Instant::now();
        let result = part();
        took.push((name, began.elapsed().as_secs_f64(), result.is_ok()));
        if let Err(e) = result {
            eprintln!("{name}: {e:#}");
            failed.push(name);
        }
    }
    step("bench summary");
    for (name, seconds, ok) in took {
        let verdict = if ok { "ok" } else { "FAILED" };
        println!("{name}: {verdict} ({seconds:.0} s)");
    }
    println!(
        "bench (server build and parts) took {:.0} s",
        start.elapsed().as_secs_f64()
    );
    if !failed.is_empty() {
        bail!("over budget or failed: {}", failed.join(", "));
    }
    Ok(())
}
