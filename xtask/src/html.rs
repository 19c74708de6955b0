//! app/index.html for `dist/`. The page is written for trunk (`trunk serve` in
//! development builds from it unchanged): its `<link data-trunk …>` elements say what
//! to build and copy. `cargo xtask dist` reads the same elements and does the work
//! itself, because trunk 0.21 cannot split the WebAssembly:
//!
//! - `rel="rust"`: the app (see `wasm.rs`); replaced by the module loader and preloads;
//! - `rel="css"`: copied minified as `<name>-<hash>.css`, linked as a stylesheet;
//! - `rel="copy-file"`, `rel="copy-dir"`: copied to the root of dist/, link removed.
//!
//! Anything else (another `rel`, an attribute with no meaning here) stops the build
//! rather than being silently ignored.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};

use crate::wasm::{self, Built};

/// One `<link data-trunk …>` element: where it sits in the page and its attributes.
pub struct TrunkLink {
    start: usize,
    end: usize,
    attributes: Vec<(String, String)>,
}

impl TrunkLink {
    fn get(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn rel(&self) -> &str {
        self.get("rel").unwrap_or("")
    }

    fn href(&self) -> Result<&str> {
        self.get("href")
            .with_context(|| format!("a data-trunk link (rel=\"{}\") has no href", self.rel()))
    }

    /// Fails on an attribute this build would not honour.
    fn only(&self, allowed: &[&str]) -> Result<()> {
        for (name, _) in &self.attributes {
            if !["data-trunk", "rel", "href"].contains(&name.as_str())
                && !allowed.contains(&name.as_str())
            {
                bail!(
                    "app/index.html: `{name}` on the rel=\"{}\" link is not handled by `cargo xtask dist`",
                    self.rel()
                );
            }
        }
        Ok(())
    }
}

/// The page and its trunk links.
pub struct Page {
    html: String,
    links: Vec<TrunkLink>,
}

impl Page {
    pub fn read(path: &Path) -> Result<Page> {
        let html =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let links = trunk_links(&html)?;
        Ok(Page { html, links })
    }

    /// What the `rel="rust"` link asks for: the binary and wasm-opt's flags.
    pub fn wasm_request(&self) -> Result<wasm::Request> {
        let mut rust = self.links.iter().filter(|l| l.rel() == "rust");
        let link = rust
            .next()
            .context("app/index.html has no <link data-trunk rel=\"rust\">")?;
        if rust.next().is_some() {
            bail!("app/index.html has more than one rel=\"rust\" link");
        }
        link.only(&["data-bin", "data-wasm-opt", "data-wasm-opt-params"])?;
        if link.href()? != "Cargo.toml" {
            bail!("the rel=\"rust\" link must name app/Cargo.toml");
        }
        let mut wasm_opt = match link.get("data-wasm-opt").unwrap_or("0") {
            "0" => bail!("dist needs wasm-opt: set data-wasm-opt on the rel=\"rust\" link"),
            level @ ("1" | "2" | "3" | "4" | "s" | "z") => vec![format!("-O{level}")],
            other => bail!("data-wasm-opt=\"{other}\" is not a wasm-opt level"),
        };
        let params = link.get("data-wasm-opt-params").unwrap_or("");
        wasm_opt.extend(params.split_whitespace().map(str::to_owned));
        Ok(wasm::Request {
            bin: link.get("data-bin").unwrap_or("app").to_owned(),
            wasm_opt,
        })
    }

    /// Copies the files the links name into `dist` and writes `dist/index.html`.
    pub fn write(&self, source_dir: &Path, dist: &Path, built: &Built) -> Result<()> {
        let mut out = String::new();
        let mut at = 0;
        for link in &self.links {
            let (start, end) = whole_lines(&self.html, link.start, link.end);
            out.push_str(&self.html[at..start]);
            at = end;
            let indent = &self.html[start..link.start];
            let replacement = match link.rel() {
                "rust" => loader(built),
                "css" => {
                    link.only(&[])?;
                    let name = copy_hashed(&source_dir.join(link.href()?), dist)?;
                    vec![format!(r#"<link rel="stylesheet" href="/{name}" />"#)]
                }
                "copy-file" | "copy-dir" => {
                    link.only(&[])?;
                    copy_to_root(&source_dir.join(link.href()?), dist)?;
                    Vec::new()
                }
                other => bail!("app/index.html: data-trunk rel=\"{other}\" is not handled"),
            };
            for line in replacement {
                out.push_str(indent);
                out.push_str(&line);
                out.push('\n');
            }
        }
        out.push_str(&self.html[at..]);
        std::fs::write(dist.join("index.html"), out)?;
        Ok(())
    }
}

/// Preloads of what the first paint needs, and the module that starts the app. The
/// server allows this one inline script by its hash (see server/src/security.rs).
fn loader(built: &Built) -> Vec<String> {
    let js = built.path(&built.main_js);
    let wasm = built.path(&built.main_wasm);
    let mut lines = vec![format!(r#"<link rel="modulepreload" href="{js}" />"#)];
    if built.loader_at_start {
        let split = built.path(wasm::SPLIT_LOADER);
        lines.push(format!(r#"<link rel="modulepreload" href="{split}" />"#));
    }
    lines.push(format!(
        r#"<link rel="preload" href="{wasm}" as="fetch" type="application/wasm" crossorigin />"#
    ));
    lines.push(format!(
        r#"<script type="module">import init from "{js}"; await init({{ module_or_path: "{wasm}" }});</script>"#
    ));
    lines
}

/// Copies the stylesheet `source` into `dist`, minified, as
/// `<stem>-<16 hex of its SHA-256>.<ext>`.
fn copy_hashed(source: &Path, dist: &Path) -> Result<String> {
    let minified = dist.join(".minified.css");
    std::fs::copy(source, &minified).with_context(|| format!("reading {}", source.display()))?;
    crate::minify::stylesheet(&minified)?;
    let data = std::fs::read(&minified)?;
    std::fs::remove_file(&minified)?;
    let hash: String = Sha256::digest(&data)[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let stem = source
        .file_stem()
        .context("no file name")?
        .to_string_lossy();
    let ext = source
        .extension()
        .context("no extension")?
        .to_string_lossy();
    let name = format!("{stem}-{hash}.{ext}");
    std::fs::write(dist.join(&name), data)?;
    Ok(name)
}

fn copy_to_root(source: &Path, dist: &Path) -> Result<()> {
    let target: PathBuf = dist.join(source.file_name().context("no file name")?);
    if source.is_dir() {
        crate::files::copy_dir(source, &target)
    } else {
        std::fs::copy(source, &target)
            .map(|_| ())
            .with_context(|| format!("copying {}", source.display()))
    }
}

/// Every `<link data-trunk …>` element of `html`, in order.
fn trunk_links(html: &str) -> Result<Vec<TrunkLink>> {
    let mut links = Vec::new();
    let mut from = 0;
    while let Some(found) = html[from..].find("<link") {
        let start = from + found;
        let end = start + html[start..].find('>').context("an unclosed <link")? + 1;
        from = end;
        let attributes = attributes(&html[start + "<link".len()..end - 1])?;
        if attributes.iter().any(|(name, _)| name == "data-trunk") {
            links.push(TrunkLink {
                start,
                end,
                attributes,
            });
        }
    }
    Ok(links)
}

/// The attributes of a tag's inside: `name`, `name="value"` or `name='value'`.
fn attributes(mut tag: &str) -> Result<Vec<(String, String)>> {
    let mut found = Vec::new();
    loop {
        tag = tag.trim_start().trim_start_matches('/').trim_start();
        if tag.is_empty() {
            return Ok(found);
        }
        let name_end = tag
            .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
            .unwrap_or(tag.len());
        let name = tag[..name_end].to_ascii_lowercase();
        tag = tag[name_end..].trim_start();
        let value = if let Some(rest) = tag.strip_prefix('=') {
            let rest = rest.trim_start();
            let quote = rest.chars().next().context("an attribute with no value")?;
            if quote != '"' && quote != '\'' {
                bail!("app/index.html: quote the value of `{name}`");
            }
            let close = rest[1..]
                .find(quote)
                .context("an unclosed attribute value")?;
            tag = &rest[close + 2..];
            rest[1..close + 1].to_owned()
        } else {
            String::new()
        };
        found.push((name, value));
    }
}

/// Widens `start..end` to whole lines when nothing else shares them, so that a removed
/// element leaves no blank line.
fn whole_lines(html: &str, start: usize, end: usize) -> (usize, usize) {
    let line_start = html[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = html[end..].find('\n').map_or(html.len(), |i| end + i + 1);
    let alone = html[line_start..start].trim().is_empty() && html[end..line_end].trim().is_empty();
    if alone {
        (line_start, line_end)
    } else {
        (start, end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunk_links_and_their_attributes_are_read() {
        let html = "<head>\n  <link rel=\"icon\" href=\"/i.svg\" />\n  <link data-trunk rel=\"rust\" data-wasm-opt=\"z\"\n    data-wasm-opt-params='--enable-simd --strip-debug' />\n  <link data-trunk rel=\"css\" href=\"a.css\"/>\n</head>";
        let links = trunk_links(html).unwrap();
        assert_eq!(links.len(), 2);
        assert_eq!(links[0].rel(), "rust");
        assert_eq!(
            links[0].get("data-wasm-opt-params"),
            Some("--enable-simd --strip-debug")
        );
        assert_eq!(links[0].get("data-trunk"), Some(""));
        assert_eq!(links[1].href().unwrap(), "a.css");
        assert!(links[1].only(&[]).is_ok());
        assert!(links[0].only(&[]).is_err());
    }

    #[test]
    fn a_removed_element_takes_its_line_with_it() {
        let html = "a\n  <x>\nb <y> c\n";
        let x = html.find("<x>").unwrap();
        assert_eq!(whole_lines(html, x, x + 3), (2, 8));
        let y = html.find("<y>").unwrap();
        assert_eq!(whole_lines(html, y, y + 3), (y, y + 3));
    }
}
