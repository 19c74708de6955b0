//! File helpers the build steps share: listing a folder's files as site paths and
//! copying a folder. Below `dist`, `html` and `wasm`, so they never import each other
//! in a circle.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// Every file under `dir`, as paths relative to it with `/` (`pkg-…/app.js`), sorted.
pub fn files_under(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    let mut files = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder)? {
            let path = entry?.path();
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            let relative = path.strip_prefix(dir)?;
            let parts: Vec<_> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect();
            files.push((parts.join("/"), path));
        }
    }
    files.sort();
    Ok(files)
}

/// Copies every file of `from` (recursively) into `to`.
pub fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let path = entry?.path();
        let target = to.join(path.file_name().context("no file name")?);
        if path.is_dir() {
            copy_dir(&path, &target)?;
        } else {
            std::fs::copy(&path, &target).with_context(|| format!("copying {}", path.display()))?;
        }
    }
    Ok(())
}
