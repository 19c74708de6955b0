//! The app's WebAssembly, built for `dist/`: a release build with the app's split points
//! on (`--cfg split`), split into a main module and lazily loaded chunks
//! (`wasm_split_cli_support`), bound to JavaScript (wasm-bindgen), then each module
//! optimised on its own (wasm-opt). The order matters: relocations are read by the
//! splitter, and wasm-opt before it would leave them stale.
//!
//! Every output file goes into one folder named by a hash of all of them,
//! `dist/pkg-<hash>/`: the splitter's loader fetches chunks by fixed names
//! (`./split_<fn>_<n>.wasm`, `./chunk_<n>.wasm`) beside itself, so a page of one build can
//! only ever reach chunks of the same build.

use std::{
    collections::HashMap,
    io::{BufRead, BufReader},
    path::{Path, PathBuf},
    process::{Command, Stdio},
    time::Instant,
};

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};

use crate::{exec, install, step};

const TARGET: &str = "wasm32-unknown-unknown";
/// Added to the wasm target's rustflags from `.cargo/config.toml` (cargo merges
/// `--config` arrays with the file's): the app's split points, and the relocations the
/// splitter reads.
const SPLIT_RUSTFLAGS: &str =
    r#"target.wasm32-unknown-unknown.rustflags=["--cfg=split","-Clink-args=--emit-relocs"]"#;
/// The splitter's loader, imported by the main module's JavaScript when there are chunks.
pub const SPLIT_LOADER: &str = "__wasm_split.js";
/// Read by the college page at compile time (`option_env!`): a build label the update
/// test deploys as a build whose only change is that module's code.
pub const COLLEGE_MARK: &str = "TSUNAGARU_COLLEGE_MARK";
/// The main module's files in the folder: `app.js` and `app_bg.wasm`.
const OUT_NAME: &str = "app";

/// What the build asks for: the cargo binary and wasm-opt's flags (from the `rust` link
/// of app/index.html, so that `trunk serve` and `cargo xtask dist` optimise alike).
pub struct Request {
    pub bin: String,
    pub wasm_opt: Vec<String>,
}

/// The built files, in a work folder until copied to `dist/<folder>/`.
pub struct Built {
    pub dir: PathBuf,
    /// `pkg-<hash>`
    pub folder: String,
    pub main_js: String,
    pub main_wasm: String,
    /// Whether the main module's JavaScript imports the splitter's loader at start.
    pub loader_at_start: bool,
    /// Every chunk file name, sorted.
    pub chunks: Vec<String>,
}

impl Built {
    pub fn path(&self, file: &str) -> String {
        format!("/{}/{file}", self.folder)
    }
}

/// Builds, splits, binds and optimises the app; `college_mark`, if any, is compiled into
/// the college page (`COLLEGE_MARK`).
pub fn build(root: &Path, request: &Request, college_mark: Option<&str>) -> Result<Built> {
    step("building the app's WebAssembly (release, split points on)");
    let started = Instant::now();
    let input = cargo_build(root, &request.bin, college_mark)?;
    took("cargo build", started);
    let work = input
        .parent()
        .context("the wasm file has no folder")?
        .join("xtask-dist");
    if work.exists() {
        std::fs::remove_dir_all(&work)?;
    }
    let (split_dir, pkg) = (work.join("split"), work.join("pkg"));

    step("splitting the WebAssembly into a main module and chunks");
    let started = Instant::now();
    let chunks = split(&input, &split_dir)?;

    let main_wasm = split_dir.join(format!("{OUT_NAME}.wasm"));
    exec(
        Command::new("wasm-bindgen")
            .args(["--target", "web", "--keep-lld-exports", "--no-demangle"])
            .args(["--no-typescript", "--out-name", OUT_NAME, "--out-dir"])
            .arg(&pkg)
            .arg(&main_wasm),
    )?;
    let main_js = format!("{OUT_NAME}.js");
    let js = std::fs::read_to_string(pkg.join(&main_js))?;
    let loader_at_start = js.contains(&format!("./{SPLIT_LOADER}"));
    if loader_at_start || !chunks.is_empty() {
        std::fs::copy(split_dir.join(SPLIT_LOADER), pkg.join(SPLIT_LOADER))?;
    }
    for chunk in &chunks {
        std::fs::copy(split_dir.join(chunk), pkg.join(chunk))?;
    }
    for js in [main_js.as_str(), SPLIT_LOADER] {
        if pkg.join(js).exists() {
            crate::minify::module(&pkg.join(js))?;
        }
    }
    took("split, wasm-bindgen and minifying the JavaScript", started);

    step("optimising each module (wasm-opt)");
    let started = Instant::now();
    let main_wasm = format!("{OUT_NAME}_bg.wasm");
    let files: Vec<&String> = std::iter::once(&main_wasm).chain(&chunks).collect();
    let cache = work.with_file_name("wasm-opt-cache");
    optimise(&pkg, &files, &request.wasm_opt, &cache)?;
    took("wasm-opt", started);

    Ok(Built {
        folder: format!("pkg-{}", folder_hash(&pkg)?),
        dir: pkg,
        main_js,
        main_wasm,
        loader_at_start,
        chunks,
    })
}

/// Runs wasm-opt on each file of `pkg`, in place. Its output for an input it has seen in
/// the last build (same bytes, flags and wasm-opt) is taken from `cache`: modules a
/// change did not touch come out of the splitter byte for byte as before, so a build
/// that changed one module (the update test's second build) optimises only that one.
/// The cache keeps the last build's outputs only.
fn optimise(pkg: &Path, files: &[&String], flags: &[String], cache: &Path) -> Result<()> {
    let version = crate::output(Command::new("wasm-opt").arg("--version")).unwrap_or_default();
    std::fs::create_dir_all(cache)?;
    let mut used = std::collections::HashSet::new();
    for file in files {
        let path = pkg.join(file);
        let mut key = Sha256::new();
        for part in std::iter::once(&version).chain(flags) {
            key.update(part.as_bytes());
            key.update([0]);
        }
        key.update(std::fs::read(&path)?);
        let name: String = key.finalize().iter().map(|b| format!("{b:02x}")).collect();
        let cached = cache.join(format!("{name}.wasm"));
        if cached.exists() {
            eprintln!("{file}: unchanged since the last build, wasm-opt's output kept then");
            std::fs::copy(&cached, &path)?;
        } else {
            exec(
                Command::new("wasm-opt")
                    .args(flags)
                    .arg("--output")
                    .arg(&path)
                    .arg(&path),
            )?;
            std::fs::copy(&path, &cached)?;
        }
        used.insert(cached);
    }
    for entry in std::fs::read_dir(cache)? {
        let path = entry?.path();
        if !used.contains(&path) {
            std::fs::remove_file(&path)?;
        }
    }
    Ok(())
}

pub fn took(what: &str, started: Instant) {
    eprintln!("({what}: {:.1} s)", started.elapsed().as_secs_f64());
}

/// `cargo build` of the app for the web with the split flags; the path of the linked
/// `.wasm`, as cargo reports it.
fn cargo_build(root: &Path, bin: &str, college_mark: Option<&str>) -> Result<PathBuf> {
    let mut command = Command::new("cargo");
    // Set only when asked, never inherited: the usual build has no mark.
    command.env_remove(COLLEGE_MARK);
    if let Some(mark) = college_mark {
        command.env(COLLEGE_MARK, mark);
    }
    command
        .args(["build", "--release", "--locked", "--target", TARGET])
        .args([
            "--package",
            "app",
            "--bin",
            bin,
            "--config",
            SPLIT_RUSTFLAGS,
        ])
        .args(["--message-format", "json-render-diagnostics"])
        .current_dir(root)
        .env("PATH", install::tool_path())
        .stdout(Stdio::piped());
    let env_text = college_mark.map_or(String::new(), |m| format!("{COLLEGE_MARK}={m} "));
    eprintln!(
        "$ {env_text}cargo build --release --target {TARGET} --package app --bin {bin} (+ split flags)"
    );
    let mut child = command.spawn().context("could not start cargo")?;
    let stdout = child.stdout.take().context("no stdout")?;
    let mut wasm = None;
    for line in BufReader::new(stdout).lines() {
        let message: serde_json::Value = serde_json::from_str(&line?)?;
        let is_bin = message["reason"] == "compiler-artifact"
            && message["target"]["name"] == bin
            && message["target"]["kind"][0] == "bin";
        if is_bin {
            wasm = message["filenames"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|f| f.as_str())
                .find(|f| f.ends_with(".wasm"))
                .map(PathBuf::from);
        }
    }
    let status = child.wait()?;
    if !status.success() {
        bail!("cargo build of the app failed ({status})");
    }
    wasm.context("cargo reported no .wasm for the app")
}

/// Splits `input` into `out`: `app.wasm` (the main module, for wasm-bindgen), the
/// loader and the chunks. Returns the chunk file names, sorted (none when the app has
/// no split points).
fn split(input: &Path, out: &Path) -> Result<Vec<String>> {
    let wasm = std::fs::read(input).with_context(|| format!("reading {}", input.display()))?;
    let main_out = out.join(format!("{OUT_NAME}.wasm"));
    let main_module = format!("./{OUT_NAME}.js");
    let link_name = format!("./{SPLIT_LOADER}");
    let mut options = wasm_split_cli_support::Options::new(&wasm);
    options.output_dir = out;
    options.main_out_path = &main_out;
    options.main_module = &main_module;
    options.link_name = &link_name;
    options.target.web();
    let split = wasm_split_cli_support::transform(options)
        .map_err(|e| anyhow::anyhow!("wasm-split: {e:?}"))?;
    let mut chunks = split
        .split_modules
        .iter()
        .map(|path| {
            path.strip_prefix(out)
                .map(|p| p.to_string_lossy().into_owned())
                .context("a chunk outside the split folder")
        })
        .collect::<Result<Vec<_>>>()?;
    chunks.sort();
    print_prefetch_map(&split.prefetch_map);
    Ok(chunks)
}

fn print_prefetch_map(map: &HashMap<String, Vec<String>>) {
    let mut splits: Vec<_> = map.iter().collect();
    splits.sort();
    if splits.is_empty() {
        eprintln!("no split points: one module");
    }
    for (split, files) in splits {
        eprintln!("split point {split}: loads {}", files.join(", "));
    }
}

/// 16 hex digits of a SHA-256 over every file of the folder (path and content).
fn folder_hash(folder: &Path) -> Result<String> {
    let mut hash = Sha256::new();
    for (name, path) in crate::files::files_under(folder)? {
        let data = std::fs::read(&path)?;
        hash.update(name.as_bytes());
        hash.update([0]);
        hash.update((data.len() as u64).to_le_bytes());
        hash.update(data);
    }
    Ok(hash.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}
