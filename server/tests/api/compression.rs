//! The API answers compressed (brotli or gzip) when asked, with the same JSON, the same
//! headers (`Cache-Control: no-store`, the security headers) and the same error bodies.
//! The built app's files keep their precompressed copies (see `dist.rs`).

use std::io::Read;

use reqwest::{Method, header};
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

const PASSWORD: &str = "桜の咲く 練馬の春 2026";

/// Sends `path` with `Accept-Encoding: encoding` (none when `None`) and returns the
/// status, the headers and the body as sent on the wire.
async fn fetch(
    app: &TestApp,
    path: &str,
    cookie: &str,
    encoding: Option<&str>,
) -> (u16, header::HeaderMap, Vec<u8>) {
    let mut request = app.request(Method::GET, path, Some(cookie));
    if let Some(encoding) = encoding {
        request = request.header(header::ACCEPT_ENCODING, encoding);
    }
    let response = request.send().await.expect("request failed");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.bytes().await.expect("body").to_vec();
    (status, headers, body)
}

fn decode(encoding: &str, wire: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    match encoding {
        "br" => brotli::Decompressor::new(wire, 4096)
            .read_to_end(&mut out)
            .expect("valid brotli"),
        "gzip" => flate2::read::GzDecoder::new(wire)
            .read_to_end(&mut out)
            .expect("valid gzip"),
        other => panic!("unexpected encoding {other}"),
    };
    out
}

#[tokio::test]
async fn api_answers_are_compressed_when_asked_and_decode_to_the_same_json() {
    let app = spawn_app().await;
    let cookie = app.sign_up("hanako", PASSWORD).await;
    // Find the user's own scope, then write 40 records there: a pull page of ~10 KB.
    let (_, _, first) = fetch(
        &app,
        "/api/sync/pull?client_id=phone-1&cursor=0&scopes=",
        &cookie,
        None,
    )
    .await;
    let first: Value = serde_json::from_slice(&first).unwrap();
    assert!(first["records"].as_array().unwrap().is_empty());
    let family: Value = app
        .post_json(
            "/api/families",
            &json!({"child_name": "練馬 さくら", "child_birth_date": "2025-06-12"}),
            Some(&cookie),
        )
        .await
        .json()
        .await
        .unwrap();
    let own = format!("family:{}", family["id"].as_str().unwrap());
    let mutations: Vec<Value> = (1..=40u64)
        .map(|n| {
            json!({"id": n, "op": {"op": "put", "id": format!("rec-{n}"), "collection": "handbook_note",
                   "scope": own, "base_version": 0,
                   "body": {"text": format!("健診メモ {n} {}", "体重と身長を記録しました。".repeat(4)),
                            "written_on": "2026-11-27", "author": "花子"}}})
        })
        .collect();
    let pushed = app
        .post_json(
            "/api/sync/push",
            &json!({"client_id": "phone-1", "mutations": mutations}),
            Some(&cookie),
        )
        .await;
    assert_eq!(pushed.status(), 200);

    let path = "/api/sync/pull?client_id=phone-1&cursor=0&scopes=";
    let (status, plain_headers, plain) = fetch(&app, path, &cookie, None).await;
    assert_eq!(status, 200);
    assert!(plain_headers.get(header::CONTENT_ENCODING).is_none());
    let expected: Value = serde_json::from_slice(&plain).unwrap();
    assert_eq!(expected["records"].as_array().unwrap().len(), 40);

    for encoding in ["br", "gzip"] {
        let (status, headers, wire) = fetch(&app, path, &cookie, Some(encoding)).await;
        assert_eq!(status, 200, "{encoding}");
        assert_eq!(
            headers.get(header::CONTENT_ENCODING).unwrap(),
            encoding,
            "{encoding}"
        );
        assert!(
            wire.len() * 3 < plain.len(),
            "{encoding}: {} bytes on the wire for {} of JSON",
            wire.len(),
            plain.len()
        );
        let decoded: Value = serde_json::from_slice(&decode(encoding, &wire)).unwrap();
        assert_eq!(decoded, expected, "{encoding}");
        assert_eq!(headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
        assert_eq!(
            headers.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(),
            "nosniff"
        );
        assert!(headers.get(header::CONTENT_SECURITY_POLICY).is_some());
        assert!(
            headers
                .get_all(header::VARY)
                .iter()
                .any(|v| v.to_str().unwrap().contains("accept-encoding")),
            "{encoding}: Vary names Accept-Encoding"
        );
    }

    // Both offered, the server picks brotli.
    let (_, headers, _) = fetch(&app, path, &cookie, Some("br, gzip")).await;
    assert_eq!(headers.get(header::CONTENT_ENCODING).unwrap(), "br");

    // A small answer goes uncompressed: not worth the CPU.
    let (status, headers, wire) = fetch(&app, "/api/me", &cookie, Some("br, gzip")).await;
    assert_eq!(status, 200);
    assert!(wire.len() <= usize::from(server::COMPRESS_ABOVE));
    assert!(headers.get(header::CONTENT_ENCODING).is_none());
    let me: Value = serde_json::from_slice(&wire).unwrap();
    assert_eq!(me["login"], "hanako");

    // An error keeps its JSON shape, compressed or not.
    let (status, headers, wire) = fetch(&app, "/api/no-such-route", &cookie, Some("gzip")).await;
    assert_eq!(status, 404);
    assert_eq!(headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
    let body = match headers.get(header::CONTENT_ENCODING) {
        Some(_) => decode("gzip", &wire),
        None => wire,
    };
    let error: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(error["error"]["code"], "not_found");
}

#[tokio::test]
async fn the_apps_files_are_not_compressed_twice() {
    let app = spawn_app().await;
    // index.html has a precompressed .br copy: it is sent as is, once.
    let response = app
        .client
        .get(app.url("/"))
        .header(header::ACCEPT_ENCODING, "br")
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.headers().get(header::CONTENT_ENCODING).unwrap(),
        "br"
    );
    assert_eq!(&response.bytes().await.unwrap()[..], b"brotli bytes");
}
