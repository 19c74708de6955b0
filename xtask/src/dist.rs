//! Builds the PWA into `dist/`: the app's WebAssembly, split into a main module and
//! lazily loaded chunks (`wasm.rs`), index.html and its assets (`html.rs`), then the
//! service worker's precache list and version, then precompressed copies for the server.
//!
//! trunk is not used here (0.21 cannot split the WebAssembly); `trunk serve` still
//! builds the same index.html, unsplit, for development.

use std::{
    io::Write,
    path::{Path, PathBuf},
};

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};

use crate::files::{copy_dir, files_under};
use crate::{html, step, wasm};

/// Files the server may send compressed (`ServeDir::precompressed_*`).
const COMPRESSIBLE: [&str; 7] = ["html", "js", "wasm", "css", "svg", "webmanifest", "json"];

/// Builds the PWA into `dist/`.
pub fn build(root: &Path) -> Result<()> {
    build_into(root, &root.join("dist"), None)
}

/// Builds the PWA into `dist` (emptied first). `college_mark` is compiled into the
/// college page (`wasm::COLLEGE_MARK`): a build that differs from the usual one only in
/// that module's code, for the update test.
pub fn build_into(root: &Path, dist: &Path, college_mark: Option<&str>) -> Result<()> {
    let source = root.join("app");
    let page = html::Page::read(&source.join("index.html"))?;
    let built = wasm::build(root, &page.wasm_request()?, college_mark)?;

    step(&format!(
        "writing {}: index.html, the assets, the service worker",
        dist.display()
    ));
    if dist.exists() {
        // Only ever empty an earlier build, never a folder given by mistake (`--out .`).
        let earlier = dist.join("sw.js").exists() || std::fs::read_dir(dist)?.next().is_none();
        if !earlier {
            bail!(
                "{} is not an earlier build (no sw.js): not emptying it",
                dist.display()
            );
        }
        std::fs::remove_dir_all(dist).with_context(|| format!("emptying {}", dist.display()))?;
    }
    std::fs::create_dir_all(dist)?;
    copy_dir(&built.dir, &dist.join(&built.folder))?;
    page.write(&source, dist, &built)?;
    write_service_worker(dist)?;
    let started = std::time::Instant::now();
    precompress(dist)?;
    wasm::took("precompress", started);
    eprintln!(
        "{}/{}: {} and {} chunk(s)",
        dist.display(),
        built.folder,
        built.main_wasm,
        built.chunks.len()
    );
    Ok(())
}

/// Every file of the build, as site paths (`/pkg-…/app_bg.wasm`), sorted; not the
/// worker itself and not the compressed copies.
fn built_files(dist: &Path) -> Result<Vec<(String, PathBuf)>> {
    Ok(files_under(dist)?
        .into_iter()
        .filter(|(name, _)| name != "sw.js" && !name.ends_with(".gz") && !name.ends_with(".br"))
        .map(|(name, path)| (format!("/{name}"), path))
        .collect())
}

/// Fills in `VERSION` (a hash of every built file) and `PRECACHE` in dist/sw.js.
fn write_service_worker(dist: &Path) -> Result<()> {
    let files = built_files(dist)?;
    let mut hash = Sha256::new();
    for (site, path) in &files {
        hash.update(site.as_bytes());
        hash.update(std::fs::read(path)?);
    }
    let version: String = hash
        .finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect();
    let list = files
        .iter()
        .map(|(site, _)| format!("\"{site}\""))
        .collect::<Vec<_>>()
        .join(", ");

    let sw = dist.join("sw.js");
    let template = std::fs::read_to_string(&sw).context("dist/sw.js is missing")?;
    let version_line = "const VERSION = \"dev\";";
    let precache_line = "const PRECACHE = [];";
    if !template.contains(version_line) || !template.contains(precache_line) {
        bail!("public/sw.js must contain the lines `{version_line}` and `{precache_line}`");
    }
    let filled = template
        .replace(version_line, &format!("const VERSION = \"{version}\";"))
        .replace(precache_line, &format!("const PRECACHE = [{list}];"));
    std::fs::write(&sw, filled)?;
    eprintln!("service worker {version}: {} files precached", files.len());
    Ok(())
}

fn precompress(dist: &Path) -> Result<()> {
    let mut files = built_files(dist)?;
    files.push(("/sw.js".into(), dist.join("sw.js")));
    for (_, path) in files {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !COMPRESSIBLE.contains(&ext) {
            continue;
        }
        let data = std::fs::read(&path)?;
        std::fs::write(with_suffix(&path, "gz"), gzip(&data)?)?;
        std::fs::write(with_suffix(&path, "br"), brotli(&data)?)?;
    }
    Ok(())
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

pub fn gzip(data: &[u8]) -> Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(data)?;
    Ok(encoder.finish()?)
}

pub fn brotli(data: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &data[..], &mut out, &params)?;
    Ok(out)
}
