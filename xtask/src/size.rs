//! `cargo xtask size`: what a first visit downloads, compressed, against the budget in
//! DESIGN.md (html + js + wasm + css ≤ 200 KB gzip), then every lazily loaded chunk of
//! the WebAssembly (each ≤ 150 KB gzip). A report, not a test.
//!
//! The first load is index.html, every script, module, stylesheet and wasm file it names,
//! and the modules those scripts import statically (the splitter's loader, when the
//! main module imports it). Every other `.wasm` is a chunk, fetched when first needed.

use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::dist::{brotli, gzip};
use crate::files::files_under;

const BUDGET_GZIP_BYTES: usize = 200 * 1000;
const CHUNK_BUDGET_GZIP_BYTES: usize = 150 * 1000;

pub fn report(dist: &Path) -> Result<()> {
    let index = std::fs::read_to_string(dist.join("index.html"))
        .context("dist/index.html is missing: run `cargo xtask dist` first")?;
    let mut first_load = vec!["index.html".to_owned()];
    let mut pending: Vec<String> = site_paths(&index);
    while let Some(path) = pending.pop() {
        if first_load.contains(&path) {
            continue;
        }
        if path.ends_with(".js") {
            let js = std::fs::read_to_string(dist.join(&path))
                .with_context(|| format!("index.html loads {path}, which is not in dist/"))?;
            let folder = path.rsplit_once('/').map_or("", |(folder, _)| folder);
            pending.extend(static_imports(&js).map(|import| join(folder, import)));
        }
        first_load.push(path);
    }
    first_load[1..].sort();
    let mut chunks: Vec<String> = files_under(dist)?
        .into_iter()
        .map(|(name, _)| name)
        .filter(|name| name.ends_with(".wasm") && !first_load.contains(name))
        .collect();
    // chunk_2 before chunk_10: by the name with its digits as a number.
    chunks.sort_by_key(|name| {
        let digits = name.trim_end_matches(".wasm");
        let number = digits
            .rsplit('_')
            .next()
            .and_then(|n| n.parse::<u64>().ok());
        (
            number.is_none(),
            digits
                .trim_end_matches(|c: char| c.is_ascii_digit())
                .to_owned(),
            number,
        )
    });

    let (raw, gz, br) = table(dist, "first load", &first_load)?;
    println!("{:<48} {raw:>10} {gz:>10} {br:>10}", "total");
    let sw = std::fs::read(dist.join("sw.js")).unwrap_or_default();
    println!(
        "(then, in the background: sw.js {} B gzip, which precaches every file below too)",
        gzip(&sw)?.len()
    );
    let mut over = Vec::new();
    if chunks.is_empty() {
        println!("\nno lazily loaded chunks");
    } else {
        println!();
        let (raw, gz, br) = table(dist, "chunks (loaded when first needed)", &chunks)?;
        println!("{:<48} {raw:>10} {gz:>10} {br:>10}", "all chunks");
        for name in &chunks {
            let size = gzip(&std::fs::read(dist.join(name))?)?.len();
            if size > CHUNK_BUDGET_GZIP_BYTES {
                over.push(format!("{name} is {:.1} KB gzip", kb(size)));
            }
        }
    }
    println!(
        "\nfirst-load gzip: {:.1} KB of the {} KB budget ({}%); brotli: {:.1} KB",
        kb(gz),
        BUDGET_GZIP_BYTES / 1000,
        gz * 100 / BUDGET_GZIP_BYTES,
        kb(br)
    );
    println!(
        "largest chunk allowed: {} KB gzip",
        CHUNK_BUDGET_GZIP_BYTES / 1000
    );
    if gz > BUDGET_GZIP_BYTES {
        over.insert(0, format!("the first load is {:.1} KB gzip", kb(gz)));
    }
    if !over.is_empty() {
        bail!("over budget: {}", over.join("; "));
    }
    Ok(())
}

fn kb(bytes: usize) -> f64 {
    bytes as f64 / 1000.0
}

/// Prints one line per file (raw, gzip -9, brotli 11); returns the sums.
fn table(dist: &Path, title: &str, files: &[String]) -> Result<(usize, usize, usize)> {
    println!(
        "{title:<48} {:>10} {:>10} {:>10}",
        "raw", "gzip -9", "brotli 11"
    );
    let (mut raw, mut gz, mut br) = (0, 0, 0);
    for name in files {
        let data = std::fs::read(dist.join(name))?;
        let (g, b) = (gzip(&data)?.len(), brotli(&data)?.len());
        println!("{name:<48} {:>10} {g:>10} {b:>10}", data.len());
        raw += data.len();
        gz += g;
        br += b;
    }
    Ok((raw, gz, br))
}

/// The site's own `.js`, `.wasm` and `.css` files a page names in quotes (`"/a.js"`),
/// relative to dist/; not the service worker, which is not part of the first paint.
fn site_paths(html: &str) -> Vec<String> {
    html.split(['"', '\''])
        .filter(|s| s.starts_with('/') && !s.starts_with("//") && s.len() < 200)
        .filter(|s| [".js", ".wasm", ".css"].iter().any(|ext| s.ends_with(ext)))
        .map(|s| s.trim_start_matches('/').to_owned())
        .filter(|s| s != "sw.js")
        .collect()
}

/// The relative modules a script imports statically: `from "./x.js"`, `import "./x.js"`.
fn static_imports(js: &str) -> impl Iterator<Item = &str> {
    // Minified JavaScript has no space before the quote: `import*as a from"./x.js"`.
    ["from", "import"].into_iter().flat_map(move |keyword| {
        js.match_indices(keyword).filter_map(move |(at, _)| {
            let rest = js[at + keyword.len()..].trim_start_matches(' ');
            let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
            let end = rest[1..].find(quote)?;
            let path = &rest[1..end + 1];
            path.starts_with("./").then_some(path)
        })
    })
}

/// `folder` + `./name` → `folder/name`.
fn join(folder: &str, import: &str) -> String {
    let name = import.trim_start_matches("./");
    if folder.is_empty() {
        name.to_owned()
    } else {
        format!("{folder}/{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_load_is_what_the_page_names_and_what_that_imports() {
        let html = r#"<link rel="stylesheet" href="/app-1.css" /><link rel="icon" href="/i.svg" />
            <script type="module">import init from "/pkg-1/app.js"; await init({ module_or_path: "/pkg-1/app_bg.wasm" });</script>"#;
        assert_eq!(
            site_paths(html),
            ["app-1.css", "pkg-1/app.js", "pkg-1/app_bg.wasm"]
        );
        let js = "import * as a from './__wasm_split.js';\nimport { initSync } from \"./app.js\";\n\
                  const x = fetch(new URL(\"./chunk_0.wasm\", import.meta.url)); import('./lazy.js');";
        let imports: Vec<_> = static_imports(js).collect();
        assert_eq!(imports, ["./__wasm_split.js", "./app.js"]);
        let minified =
            r#"import*as j from"./__wasm_split.js";import{initSync as a}from"./app.js";"#;
        let imports: Vec<_> = static_imports(minified).collect();
        assert_eq!(imports, ["./__wasm_split.js", "./app.js"]);
        assert_eq!(join("pkg-1", "./app.js"), "pkg-1/app.js");
    }
}
