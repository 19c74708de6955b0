//! Installs the pinned tools, each only when the exact pinned version is missing.

use std::{path::Path, process::Command};

use anyhow::{Context, Result, bail};

use crate::{exec, output, step};

pub const TRUNK: &str = "0.21.14";
/// Must equal the `wasm-bindgen` crate version in Cargo.lock (checked below).
pub const WASM_BINDGEN: &str = "0.2.130";
const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// Debian packages the tests need: the browser and its driver, CJK fonts so Japanese
/// renders in screenshots, and PostgreSQL for the second storage back-end.
const TEST_PACKAGES: [&str; 4] = [
    "chromium",
    "chromium-driver",
    "fonts-noto-cjk",
    "postgresql",
];

/// What building the PWA needs: the wasm target, wasm-bindgen, wasm-opt. (The splitter
/// is a library inside xtask.)
pub fn build_tools(root: &Path) -> Result<()> {
    let targets = output(Command::new("rustup").args(["target", "list", "--installed"]));
    if !targets.is_some_and(|t| t.lines().any(|l| l == WASM_TARGET)) {
        step("installing the wasm32 target");
        exec(Command::new("rustup").args(["target", "add", WASM_TARGET]))?;
    }

    check_lock_file_wasm_bindgen(root)?;
    let bindgen = output(Command::new("wasm-bindgen").arg("--version"));
    if !bindgen.is_some_and(|v| v.starts_with(&format!("wasm-bindgen {WASM_BINDGEN}"))) {
        step(&format!(
            "installing wasm-bindgen-cli {WASM_BINDGEN} (about 3 minutes)"
        ));
        // Not --locked: its lock file pins a crate version the registry no longer serves.
        exec(Command::new("cargo").args([
            "install",
            "wasm-bindgen-cli",
            "--version",
            WASM_BINDGEN,
        ]))?;
    }

    npm_ci(&root.join("xtask"))
}

/// What development needs beyond the build tools: trunk, for `trunk serve` (an unsplit
/// debug build that rebuilds on every change). `cargo xtask dist` does not use it.
pub fn dev_tools() -> Result<()> {
    if output(Command::new("trunk").arg("--version")).as_deref() != Some(&format!("trunk {TRUNK}"))
    {
        step(&format!("installing trunk {TRUNK} (about 5 minutes)"));
        exec(Command::new("cargo").args(["install", "--locked", "trunk", "--version", TRUNK]))?;
    }
    Ok(())
}

/// What the tests need beyond the build tools: Debian packages and the e2e npm packages.
pub fn test_tools(root: &Path) -> Result<()> {
    apt_install(&TEST_PACKAGES)?;
    npm_ci(&root.join("e2e"))
}

/// What `cargo xtask bench` needs beyond the tests' tools: `wrk`, the HTTP load generator
/// (Debian's package, built from source there).
pub fn bench_tools() -> Result<()> {
    apt_install(&["wrk"])
}

/// Installs the Debian packages of `packages` that are not installed yet.
fn apt_install(packages: &[&str]) -> Result<()> {
    let missing: Vec<&str> = packages
        .iter()
        .copied()
        .filter(|pkg| {
            output(Command::new("dpkg-query").args(["-W", "-f=${Status}", pkg]))
                .is_none_or(|status| !status.ends_with("installed"))
        })
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    step(&format!(
        "installing Debian packages: {}",
        missing.join(" ")
    ));
    let sudo = !is_root();
    let apt = |args: &[&str]| {
        let mut command = if sudo {
            Command::new("sudo")
        } else {
            Command::new("apt-get")
        };
        if sudo {
            command.arg("apt-get");
        }
        command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        command
    };
    exec(&mut apt(&["update", "-q"]))?;
    exec(apt(&["install", "-y", "-q", "--no-install-recommends"]).args(&missing))
}

/// `npm ci` from the committed lock file, when node_modules is missing or older than it.
fn npm_ci(dir: &Path) -> Result<()> {
    let lock = dir.join("package-lock.json");
    let installed = dir.join("node_modules/.package-lock.json");
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let fresh = matches!((modified(&installed), modified(&lock)), (Some(i), Some(l)) if i >= l);
    if fresh {
        return Ok(());
    }
    step(&format!("installing npm packages in {}", dir.display()));
    exec(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(dir)
            // Playwright drives Debian's Chromium; it must never try to download one.
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"),
    )
}

fn check_lock_file_wasm_bindgen(root: &Path) -> Result<()> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).context("reading Cargo.lock")?;
    let locked = lock
        .split("[[package]]")
        .find(|pkg| pkg.contains("\nname = \"wasm-bindgen\"\n"))
        .and_then(|pkg| pkg.lines().find_map(|l| l.strip_prefix("version = \"")))
        .map(|v| v.trim_end_matches('"'));
    match locked {
        Some(v) if v == WASM_BINDGEN => Ok(()),
        other => bail!(
            "Cargo.lock has wasm-bindgen {other:?} but xtask installs the CLI {WASM_BINDGEN}: make them equal"
        ),
    }
}

/// The PATH every command runs with: cargo's bin folder (where `cargo install` puts
/// wasm-bindgen and trunk, not always on a fresh shell's PATH) and the npm build tools
/// (wasm-opt) first.
pub fn tool_path() -> std::ffi::OsString {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")));
    let mut dirs: Vec<std::path::PathBuf> = cargo_home.map(|h| h.join("bin")).into_iter().collect();
    dirs.push(crate::project_root().join("xtask/node_modules/.bin"));
    dirs.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(dirs).unwrap_or_default()
}

fn is_root() -> bool {
    output(Command::new("id").arg("-u")).as_deref() == Some("0")
}
