//! Project automation, rust-analyzer style: `cargo xtask <command>`.
//!
//! - `run`:  install the build tools, build the PWA (release), start the server with demo data.
//! - `test`: install everything the tests need, then run every test: unit, server on SQLite
//!   and PostgreSQL, WASM in headless Chromium, end-to-end with Playwright.
//! - `dist`: build the PWA into `dist/` only: the WebAssembly split into a main module and
//!   lazily loaded chunks.
//! - `size`: report the gzip size of what a first visit downloads and of each chunk,
//!   against the budgets.
//! - `bench`: `size`, an offline reload to the first content in Chromium, the server's sync
//!   routes under load (wrk), a 10,000-record initial sync, and browsing and searching
//!   2,000 events offline, and a first visit on a slow phone, against their budgets.
//!
//! Every tool is pinned here and installed only when the pinned version is missing.
//! Nothing downloads a prebuilt binary: tools come from crates.io, npm and Debian.

mod bench;
mod dist;
mod files;
mod html;
mod install;
mod minify;
mod postgres;
mod size;
mod wasm;

use std::{
    path::{Path, PathBuf},
    process::Command,
    time::{Duration, Instant},
};

use anyhow::{Context, Result, bail};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = project_root();
    let typed_in = std::env::current_dir()?;
    std::env::set_current_dir(&root)?;
    match args.first().map(String::as_str) {
        Some("run") => run_app(&root, &args[1..]),
        Some("test") => test(&root),
        Some("dist") => {
            let options = DistOptions::parse(&args[1..], &typed_in)?;
            install::build_tools(&root)?;
            dist::build_into(&root, &options.out, options.college_mark.as_deref())
        }
        Some("size") => size::report(&root.join("dist")),
        Some("bench") => {
            install::build_tools(&root)?;
            install::test_tools(&root)?;
            install::bench_tools()?;
            dist::build(&root)?;
            // Every part runs even when one misses its budget; fails afterwards.
            bench::run(&root)
        }
        Some("install") => {
            install::build_tools(&root)?;
            install::dev_tools()?;
            install::test_tools(&root)
        }
        _ => {
            eprintln!(
                "usage: cargo xtask <run | test | dist | size | bench | install>\n\
                 \n  run      build the app and serve it at http://127.0.0.1:8080 with demo data\
                 \n  test     run every test (installs Chromium, PostgreSQL, npm packages if missing)\
                 \n  dist     build the PWA into dist/ (--out DIR: elsewhere; --college-mark TEXT: a label in the college chunk)\
                 \n  size     gzip size of the first load and of each chunk, against the 200 KB and 150 KB budgets\
                 \n  bench    size, offline reload, sync under load (wrk), initial sync, event board, slow phone, against budgets\
                 \n  install  install every pinned tool (and trunk, for `trunk serve`) without running anything"
            );
            bail!("unknown command")
        }
    }
}

/// `cargo xtask dist [--out DIR] [--college-mark TEXT]`.
struct DistOptions {
    out: PathBuf,
    college_mark: Option<String>,
}

impl DistOptions {
    /// `typed_in`: the folder the command was typed in, which a relative `--out` is under.
    fn parse(args: &[String], typed_in: &Path) -> Result<Self> {
        let mut options = DistOptions {
            out: project_root().join("dist"),
            college_mark: None,
        };
        let mut args = args.iter();
        while let Some(flag) = args.next() {
            let mut value = || args.next().with_context(|| format!("{flag} needs a value"));
            match flag.as_str() {
                "--out" => options.out = typed_in.join(value()?),
                "--college-mark" => options.college_mark = Some(value()?.clone()),
                _ => bail!("dist: unknown flag {flag} (known: --out DIR, --college-mark TEXT)"),
            }
        }
        Ok(options)
    }
}

/// `cargo xtask run [server flags…]`: extra flags go to the server.
fn run_app(root: &Path, server_args: &[String]) -> Result<()> {
    install::build_tools(root)?;
    dist::build(root)?;
    let mut server = Command::new("cargo");
    server
        .args(["run", "--release", "--package", "server", "--", "--demo"])
        .args(server_args);
    step("starting the server (stop it with ctrl-c)");
    exec(&mut server)
}

fn test(root: &Path) -> Result<()> {
    let started = Instant::now();
    let mut phases = Phases::default();
    phases.time("install", || {
        install::build_tools(root)?;
        install::test_tools(root)
    })?;

    let mut tally = Tally::default();
    step("unit and integration tests (server on SQLite)");
    phases.time("unit + server on SQLite", || {
        tally.run(Command::new("cargo").args(["test", "--workspace", "--locked"]))
    })?;

    step("server integration tests on PostgreSQL");
    phases.time("server on PostgreSQL", || {
        let pg = postgres::TempCluster::start()?;
        tally.run(
            Command::new("cargo")
                .args(["test", "--locked", "--package", "server"])
                .env("TSUNAGARU_TEST_POSTGRES", pg.admin_url()),
        )
    })?;

    step("WASM tests in headless Chromium");
    phases.time("WASM tests", || {
        tally.run(
            Command::new("cargo")
                .args([
                    "test",
                    "--locked",
                    "--package",
                    "app",
                    "--target",
                    "wasm32-unknown-unknown",
                ])
                .env(
                    "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
                    "wasm-bindgen-test-runner",
                )
                .env("CHROMEDRIVER", "/usr/bin/chromedriver")
                .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
        )
    })?;

    step("end-to-end tests in headless Chromium");
    phases.time("dist (release PWA) + server build", || {
        dist::build(root)?;
        exec(Command::new("cargo").args(["build", "--locked", "--package", "server"]))
    })?;
    // A second build whose only change is the college module's code, which
    // e2e/tests/update_chunk.spec.ts deploys over dist/: mostly incremental.
    let next = bench::target_dir(root).join("dist-next");
    phases.time("second dist (college changed)", || {
        dist::build_into(root, &next, Some("next"))
    })?;
    phases.time("Playwright", || {
        tally.run(
            Command::new("npx")
                .args(["--no-install", "playwright", "test"])
                .current_dir(root.join("e2e"))
                .env(
                    "TSUNAGARU_SERVER",
                    bench::target_dir(root).join("debug/server"),
                )
                .env("TSUNAGARU_DIST", root.join("dist"))
                .env("TSUNAGARU_DIST_NEXT", &next),
        )
    })?;
    step("all tests passed");
    phases.print(started.elapsed());
    println!("total: {} passed, {} failed", tally.passed, tally.failed);
    Ok(())
}

/// The wall time of each phase of `cargo xtask test`, printed at the end (and kept in
/// the README's Measured table), so a phase that grows is seen.
#[derive(Default)]
struct Phases(Vec<(&'static str, Duration)>);

impl Phases {
    fn time<T>(&mut self, name: &'static str, phase: impl FnOnce() -> Result<T>) -> Result<T> {
        let started = Instant::now();
        let result = phase();
        self.0.push((name, started.elapsed()));
        if result.is_err() {
            self.print(self.0.iter().map(|(_, d)| *d).sum());
        }
        result
    }

    fn print(&self, total: Duration) {
        eprintln!("\nphase times (wall):");
        for (name, took) in &self.0 {
            eprintln!("  {name:<36} {}", minutes(*took));
        }
        eprintln!("  {:<36} {}", "total", minutes(total));
    }
}

fn minutes(d: Duration) -> String {
    let s = d.as_secs();
    format!("{} min {:02} s", s / 60, s % 60)
}

/// Adds up the tests every runner reports, for one closing line over all suites.
#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
}

impl Tally {
    /// Runs a test command, echoing its output and counting what its summary lines say:
    /// cargo's and wasm-bindgen's `test result: ok. N passed; M failed; …` and the e2e
    /// reporter's `e2e: N passed, M failed`.
    fn run(&mut self, command: &mut Command) -> Result<()> {
        use std::io::{BufRead, BufReader};
        eprintln!("$ {}", describe(command));
        let mut child = command
            .env("PATH", install::tool_path())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .with_context(|| format!("could not start {}", describe(command)))?;
        let stdout = child.stdout.take().context("no stdout")?;
        for line in BufReader::new(stdout).lines() {
            let line = line?;
            println!("{line}");
            let counts = line
                .split_once("test result: ")
                .map(|(_, rest)| rest)
                .or_else(|| line.strip_prefix("e2e: "));
            if let Some(counts) = counts {
                self.passed += count_before(counts, " passed");
                self.failed += count_before(counts, " failed");
            }
        }
        let status = child.wait()?;
        if !status.success() {
            bail!("{} failed ({status})", describe(command));
        }
        Ok(())
    }
}

/// The number just before `label` in `text`, e.g. 12 in "ok. 12 passed; 0 failed".
fn count_before(text: &str, label: &str) -> u64 {
    text.split_once(label)
        .and_then(|(before, _)| before.rsplit([' ', '.']).next()?.parse().ok())
        .unwrap_or(0)
}

pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the root")
        .to_path_buf()
}

/// Prints a visible heading for the next step of a long command.
pub fn step(what: &str) {
    eprintln!("\n==> {what}");
}

/// Runs a command to completion, failing with its name if it fails.
pub fn exec(command: &mut Command) -> Result<()> {
    eprintln!("$ {}", describe(command));
    let status = command
        .env("PATH", install::tool_path())
        .status()
        .with_context(|| format!("could not start {}", describe(command)))?;
    if !status.success() {
        bail!("{} failed ({status})", describe(command));
    }
    Ok(())
}

/// Runs a command and returns its standard output, or None if it cannot run or fails.
pub fn output(command: &mut Command) -> Option<String> {
    let out = command.env("PATH", install::tool_path()).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

fn describe(command: &Command) -> String {
    let mut text = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    text
}

#[cfg(test)]
mod tests {
    use super::count_before;

    #[test]
    fn summary_lines_of_every_runner_are_counted() {
        let cargo = "ok. 23 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out";
        assert_eq!(count_before(cargo, " passed"), 23);
        assert_eq!(count_before(cargo, " failed"), 1);
        let e2e = "18 passed, 0 failed";
        assert_eq!(count_before(e2e, " passed"), 18);
        assert_eq!(count_before(e2e, " failed"), 0);
        assert_eq!(count_before("no numbers here", " passed"), 0);
    }
}
