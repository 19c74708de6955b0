//! Serves the built PWA from `dist/`: precompressed files when the browser takes them,
//! a year-long immutable cache for hashed assets, `no-cache` for everything else (so
//! index.html and the service worker are always fetched again, and sent whole, and a new
//! version is seen),
//! and index.html for any other page path, since the app routes on the client.

use std::path::Path;

use axum::{
    Router,
    body::Body,
    extract::Request,
    http::{HeaderValue, StatusCode, header},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::get,
};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

/// The router for every non-API path.
pub fn router(dist: &Path) -> Router {
    let index = ServeFile::new(dist.join("index.html"))
        .precompressed_br()
        .precompressed_gzip();
    let files = ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(true)
        .fallback(get(move |request: Request| {
            page_or_missing(index.clone(), request)
        }));
    Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn(cache_control))
}

/// Client-side pages (no file extension) get the app shell; a missing asset is a 404,
/// never HTML in place of a script.
async fn page_or_missing(index: ServeFile, request: Request) -> Response {
    let last = request.uri().path().rsplit('/').next().unwrap_or("");
    if last.contains('.') {
        return StatusCode::NOT_FOUND.into_response();
    }
    match index.oneshot(request).await {
        Ok(response) => response.map(Body::new),
        Err(never) => match never {},
    }
}

async fn cache_control(mut request: Request, next: Next) -> Response {
    let immutable = is_hashed_asset(request.uri().path());
    if !immutable {
        // The shell (index.html, sw.js, the manifest) is small and is always sent whole:
        // Last-Modified counts whole seconds, so a version deployed within the second of
        // the browser's last fetch would get a 304 and the update would not be seen.
        request.headers_mut().remove(header::IF_MODIFIED_SINCE);
        request.headers_mut().remove(header::IF_UNMODIFIED_SINCE);
    }
    let mut response = next.run(request).await;
    if response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED {
        let value = if immutable {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    response
}

/// A built file whose content never changes: `cargo xtask dist` puts the WASM, its
/// chunks and their JS in a folder named `pkg-<hash>/`, and names the css (and, under
/// `trunk serve`, the js and wasm) `name-<hash>.ext` (the wasm `name-<hash>_bg.wasm`),
/// the hash being 10 to 16 hex digits.
pub fn is_hashed_asset(path: &str) -> bool {
    let mut segments = path.trim_start_matches('/').split('/');
    let file = segments.next_back().unwrap_or("");
    if segments.any(|folder| folder.strip_prefix("pkg-").is_some_and(is_hash)) {
        return true;
    }
    let stem = file.split('.').next().unwrap_or("");
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(name, hash)| !name.is_empty() && is_hash(hash))
}

fn is_hash(text: &str) -> bool {
    (10..=16).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::is_hashed_asset;

    #[test]
    fn hashed_files_are_recognised() {
        assert!(is_hashed_asset("/app-8f3c2a1b9d0e4f56_bg.wasm"));
        assert!(is_hashed_asset("/app-f3c2a1b9d0e4f5.js"));
        assert!(is_hashed_asset("/app-8f3c2a1b9d0e4f56.js"));
        assert!(is_hashed_asset("/style-0123456789abcdef.css"));
        assert!(is_hashed_asset("/pkg-4e7c663811f6f3df/app_bg.wasm"));
        assert!(is_hashed_asset("/pkg-4e7c663811f6f3df/chunk_10.wasm"));
        assert!(is_hashed_asset("/pkg-4e7c663811f6f3df/__wasm_split.js"));
        assert!(!is_hashed_asset("/pkg-nothex/app.js"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/sw.js"));
        assert!(!is_hashed_asset("/manifest.webmanifest"));
        assert!(!is_hashed_asset("/icons/icon-192.png"));
        assert!(!is_hashed_asset("/events"));
    }
}
