use crate::helpers::{CHUNK_FILE, JS_FILE, WASM_FILE, spawn_app};

#[tokio::test]
async fn built_assets_have_the_right_content_types() {
    let app = spawn_app().await;
    let cases = [
        (format!("/{WASM_FILE}"), "application/wasm"),
        (format!("/{JS_FILE}"), "text/javascript"),
        (format!("/{CHUNK_FILE}"), "application/wasm"),
        ("/app-0123456789abcdef.css".into(), "text/css"),
        ("/manifest.webmanifest".into(), "application/manifest+json"),
        ("/".into(), "text/html"),
    ];
    for (path, expected) in cases {
        let response = app.get(&path).await;
        assert_eq!(response.status(), 200, "{path}");
        let content_type = response.headers()["content-type"].to_str().unwrap();
        assert!(content_type.starts_with(expected), "{path}: {content_type}");
    }
}

#[tokio::test]
async fn hashed_assets_are_cached_for_a_year_and_the_shell_is_always_revalidated() {
    let app = spawn_app().await;
    for path in [
        format!("/{WASM_FILE}"),
        format!("/{JS_FILE}"),
        format!("/{CHUNK_FILE}"),
        "/app-0123456789abcdef.css".to_string(),
    ] {
        let response = app.get(&path).await;
        assert_eq!(
            response.headers()["cache-control"],
            "public, max-age=31536000, immutable",
            "{path}"
        );
    }
    for path in [
        "/",
        "/index.html",
        "/sw.js",
        "/manifest.webmanifest",
        "/events",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.headers()["cache-control"], "no-cache", "{path}");
    }
}

#[tokio::test]
async fn client_side_pages_get_the_app_shell_but_missing_files_are_404() {
    let app = spawn_app().await;
    for path in ["/events", "/settings", "/handbook/child/1"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("<title>Tsunagaru</title>")
        );
    }
    let missing = app.get("/pkg-ffffffffffffffff/app.js").await;
    assert_eq!(missing.status(), 404);
    assert!(
        missing.text().await.unwrap().is_empty(),
        "a missing script must not get HTML"
    );
}

#[tokio::test]
async fn a_precompressed_copy_is_served_to_browsers_that_accept_it() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(app.url("/index.html"))
        .header("Accept-Encoding", "br, gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-encoding"], "br");
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert_eq!(response.bytes().await.unwrap().as_ref(), b"brotli bytes");
}

#[tokio::test]
async fn the_shell_is_sent_whole_even_when_asked_by_date_so_a_deploy_in_the_same_second_is_seen() {
    let app = spawn_app().await;
    for path in ["/sw.js", "/index.html", "/manifest.webmanifest"] {
        let first = app.get(path).await;
        assert_eq!(first.status(), 200, "{path}");
        // Last-Modified has one-second steps: a file replaced within the second of this
        // fetch would carry the same date, and a 304 would hide the new version.
        let since = first
            .headers()
            .get("last-modified")
            .map_or("Sat, 05 Dec 2099 00:00:00 GMT".into(), |d| {
                d.to_str().unwrap().to_owned()
            });
        let again = app
            .client
            .get(app.url(path))
            .header("if-modified-since", since)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 200, "{path}");
        assert!(!again.bytes().await.unwrap().is_empty(), "{path}");
    }
}
