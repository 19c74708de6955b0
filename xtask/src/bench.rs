//! Benchmarks against DESIGN.md's budgets. Reports, not tests: figures on a busy
//! machine vary, so they are printed for people, never asserted in the test suite.

use std::{
    io::{BufRead, BufReader},
    path::Path,
    process::{Command, Stdio},
};

use anyhow::{Context, Result};

use crate::{exec, install, step};

/// Starts the server on a free port and times offline reloads in headless Chromium.
pub fn offline_reload(root: &Path) -> Result<()> {
    step("offline reload to first content (headless Chromium)");
    exec(Command::new("cargo").args(["build", "--locked", "--package", "server"]))?;
    let data = std::env::temp_dir().join(format!("tsunagaru-bench-{}", std::process::id()));
    let mut server = Command::new(root.join("target/debug/server"))
        .args(["--addr", "127.0.0.1:0", "--dist"])
        .arg(root.join("dist"))
        .arg("--database")
        .arg(format!("sqlite://{}/bench.db", data.display()))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .context("could not start the server")?;
    let mut line = String::new();
    let stdout = server.stdout.take().context("no stdout")?;
    BufReader::new(stdout).read_line(&mut line)?;
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .map(|u| u.trim_end_matches('/').to_owned());
    let result = match url {
        Some(url) => exec(
            Command::new("node")
                .args(["bench/offline-reload.mjs", &url])
                .current_dir(root.join("e2e"))
                .env("PATH", install::tool_path()),
        ),
        None => Err(anyhow::anyhow!("the server printed no URL: {line}")),
    };
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&data);
    result
}
