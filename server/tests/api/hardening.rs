//! Rate limits on sign-in and sign-up, security headers, and body size limits.

use base64::Engine;
use reqwest::{Method, header};
use serde_json::{Value, json};
use server::config::SecurityConfig;
use sha2::{Digest, Sha256};

use crate::helpers::{SAMPLE_INLINE_SCRIPT, spawn_app, spawn_app_with};

const PASSWORD: &str = "桜の咲く 練馬の春 2026";

#[tokio::test]
async fn too_many_sign_ins_for_one_account_must_wait_and_are_audited() {
    let app = spawn_app().await;
    app.sign_up("hanako", PASSWORD).await;
    // Five attempts are allowed at once (the sign-up did not count).
    for _ in 0..5 {
        let response = app
            .post_json(
                "/api/auth/sign-in",
                &json!({"login": "hanako", "password": "guess guess guess"}),
                None,
            )
            .await;
        assert_eq!(response.status(), 401);
    }
    for password in ["guess guess guess", PASSWORD] {
        let response = app
            .request(Method::POST, "/api/auth/sign-in", None)
            .header("accept-language", "ja")
            .json(&json!({"login": "hanako", "password": password}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 429, "even the right password waits");
        let retry: u64 = response.headers()[header::RETRY_AFTER]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=180).contains(&retry), "{retry}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "rate_limited");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("分ほど待って"),
            "{body}"
        );
    }
    // Another account is not affected.
    app.sign_up("taro", PASSWORD).await;
    app.sign_in("taro", PASSWORD).await;
    let bursts: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'sign_in.rate_limited'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(bursts, 1, "one audit entry per burst, not one per attempt");
}

#[tokio::test]
async fn one_address_may_not_hammer_sign_in_and_forwarded_headers_do_not_help() {
    let app = spawn_app_with(SecurityConfig {
        auth_burst: 3,
        auth_period_seconds: 600,
        ..SecurityConfig::default()
    })
    .await;
    for n in 0..3 {
        let response = app
            .request(Method::POST, "/api/auth/sign-in", None)
            .header("x-forwarded-for", format!("203.0.113.{n}"))
            .json(&json!({"login": format!("user{n}"), "password": "whatever it is"}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401);
    }
    let response = app
        .request(Method::POST, "/api/auth/sign-up", None)
        .header("x-forwarded-for", "198.51.100.77")
        .header("accept-language", "en")
        .json(&json!({"login": "newcomer", "display_name": "N", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    assert!(response.headers().contains_key(header::RETRY_AFTER));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "rate_limited");
    assert_eq!(
        body["error"]["message"],
        "Too many attempts. Please try again in 10 minutes."
    );
    // Other routes are not limited.
    assert_eq!(app.get("/api/health").await.status(), 200);
}

#[tokio::test]
async fn every_answer_carries_the_security_headers_and_a_strict_csp() {
    let app = spawn_app().await;
    let hash = base64::engine::general_purpose::STANDARD
        .encode(Sha256::digest(SAMPLE_INLINE_SCRIPT.as_bytes()));
    for path in [
        "/",
        "/events",
        "/api/health",
        "/api/nothing",
        "/missing.js",
        "/sw.js",
    ] {
        let response = app.get(path).await;
        let headers = response.headers();
        let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(csp.contains("default-src 'self'"), "{path}: {csp}");
        assert!(
            csp.contains(&format!(
                "script-src 'self' 'wasm-unsafe-eval' 'sha256-{hash}'"
            )),
            "{path}: the loader is allowed by its hash only: {csp}"
        );
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}");
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{path}");
        assert_eq!(headers[header::REFERRER_POLICY], "no-referrer", "{path}");
        assert_eq!(
            headers["cross-origin-opener-policy"], "same-origin",
            "{path}"
        );
        assert!(
            headers["permissions-policy"]
                .to_str()
                .unwrap()
                .contains("geolocation=()")
        );
        if path.starts_with("/api") {
            assert_eq!(headers[header::CACHE_CONTROL], "no-store", "{path}");
        }
    }
}

#[tokio::test]
async fn a_request_body_over_the_limit_is_refused_in_words() {
    let app = spawn_app().await;
    let cookie = app.sign_up("hanako", PASSWORD).await;
    let huge = "あ".repeat(40_000);
    let response = app
        .request(Method::POST, "/api/families", Some(&cookie))
        .json(&json!({"child_name": huge, "child_birth_date": "2025-06-12"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "payload_too_large");
    // A bad path or query parameter is a JSON error too, not axum's plain text.
    let admin = app.request(
        Method::GET,
        "/api/admin/audit?before=yesterday",
        Some(&cookie),
    );
    let response = admin.send().await.unwrap();
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "bad_request");
}
