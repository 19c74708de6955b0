//! `cargo xtask size`: what a first visit downloads, compressed, against the budget in
//! DESIGN.md (html + js + wasm + css ≤ 200 KB gzip). A report, not a test.

use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::dist::{brotli, gzip};

const BUDGET_GZIP_BYTES: usize = 200 * 1000;

pub fn report(dist: &Path) -> Result<()> {
    let index = std::fs::read_to_string(dist.join("index.html"))
        .context("dist/index.html is missing: run `cargo xtask dist` first")?;
    let mut first_load = vec!["index.html".to_owned()];
    for entry in std::fs::read_dir(dist)? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        let loaded = [".js", ".wasm", ".css"]
            .iter()
            .any(|ext| name.ends_with(ext));
        // The page loads what index.html names (the js imports the wasm by name).
        if loaded && name != "sw.js" && (index.contains(&name) || name.ends_with(".wasm")) {
            first_load.push(name);
        }
    }
    first_load.sort();

    println!(
        "{:<40} {:>10} {:>10} {:>10}",
        "first load", "raw", "gzip -9", "brotli 11"
    );
    let (mut raw, mut gz, mut br) = (0, 0, 0);
    for name in &first_load {
        let data = std::fs::read(dist.join(name))?;
        let (g, b) = (gzip(&data)?.len(), brotli(&data)?.len());
        println!("{name:<40} {:>10} {g:>10} {b:>10}", data.len());
        raw += data.len();
        gz += g;
        br += b;
    }
    println!("{:<40} {raw:>10} {gz:>10} {br:>10}", "total");
    let sw = std::fs::read(dist.join("sw.js")).unwrap_or_default();
    println!(
        "(then, in the background: sw.js {} B gzip, plus the manifest and icons it precaches)",
        gzip(&sw)?.len()
    );
    let percent = gz * 100 / BUDGET_GZIP_BYTES;
    println!(
        "first-load gzip: {:.1} KB of the {} KB budget ({percent}%)",
        gz as f64 / 1000.0,
        BUDGET_GZIP_BYTES / 1000
    );
    if gz > BUDGET_GZIP_BYTES {
        bail!("over budget");
    }
    Ok(())
}
