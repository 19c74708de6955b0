//! Sessions: cookie flags, rotation at sign-in, idle and absolute expiry, sign-out on the
//! server, the device list, and the cross-site request check.

use reqwest::{Method, header};
use serde_json::{Value, json};

use crate::helpers::{session_cookie, spawn_app};

const PASSWORD: &str = "桜の咲く 練馬の春 2026";

#[tokio::test]
async fn the_session_cookie_is_host_only_secure_httponly_and_lax() {
    let app = spawn_app().await;
    let response = app
        .post_json(
            "/api/auth/sign-up",
            &json!({"login": "hanako", "display_name": "花子", "password": PASSWORD}),
            None,
        )
        .await;
    let set = response.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_owned();
    let (pair, attributes) = set.split_once(';').unwrap();
    let (name, value) = pair.split_once('=').unwrap();
    assert_eq!(name, "__Host-tsunagaru");
    assert_eq!(value.len(), 64, "256 random bits in hex");
    for attribute in [
        "Path=/",
        "Secure",
        "HttpOnly",
        "SameSite=Lax",
        "Max-Age=2592000",
    ] {
        assert!(
            attributes.split(';').any(|a| a.trim() == attribute),
            "{attribute} in {set}"
        );
    }
    assert!(
        !set.contains("Domain"),
        "a __Host- cookie has no Domain: {set}"
    );
    // Only a hash of the secret is stored.
    let stored: String = sqlx::query_scalar("SELECT token_hash FROM sessions")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_ne!(stored, value);
    assert_eq!(stored, server::sessions::token_hash(value));
}

async fn status_of_me(app: &crate::helpers::TestApp, cookie: &str) -> u16 {
    app.request(Method::GET, "/api/me", Some(cookie))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn signing_in_replaces_the_session_the_browser_came_with() {
    let app = spawn_app().await;
    let before = app.sign_up("hanako", PASSWORD).await;
    let response = app
        .request(Method::POST, "/api/auth/sign-in", Some(&before))
        .json(&json!({"login": "hanako", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let after = session_cookie(&response).unwrap();
    assert_ne!(before, after, "a new session id at sign-in");
    assert_eq!(status_of_me(&app, &before).await, 401, "the old id is dead");
    assert_eq!(status_of_me(&app, &after).await, 200);
}

#[tokio::test]
async fn signing_out_ends_the_session_on_the_server_and_clears_the_site() {
    let app = spawn_app().await;
    let cookie = app.sign_up("hanako", PASSWORD).await;
    let response = app
        .request(Method::POST, "/api/auth/sign-out", Some(&cookie))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(
        response.headers()["clear-site-data"],
        "\"cache\", \"cookies\", \"storage\""
    );
    let removal = response.headers()[header::SET_COOKIE].to_str().unwrap();
    assert!(
        removal.starts_with("__Host-tsunagaru=;") && removal.contains("Max-Age=0"),
        "{removal}"
    );
    // A copy of the old cookie replayed later is worthless.
    assert_eq!(status_of_me(&app, &cookie).await, 401);
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(left, 0);
}

#[tokio::test]
async fn a_session_unused_for_longer_than_the_idle_timeout_ends() {
    let app = spawn_app().await;
    let cookie = app.sign_up("hanako", PASSWORD).await;
    assert_eq!(status_of_me(&app, &cookie).await, 200);
    // Last used eight days ago; the idle timeout is seven days.
    let eight_days_ago =
        server::db::timestamp(jiff::Timestamp::now() - jiff::SignedDuration::from_hours(24 * 8));
    sqlx::query("UPDATE sessions SET last_seen_at = $1")
        .bind(&eight_days_ago)
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(status_of_me(&app, &cookie).await, 401);
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(left, 0, "an expired session is deleted when seen");
}

#[tokio::test]
async fn a_session_ends_at_its_absolute_lifetime_even_if_used_daily() {
    let app = spawn_app().await;
    let cookie = app.sign_up("hanako", PASSWORD).await;
    let a_minute_ago =
        server::db::timestamp(jiff::Timestamp::now() - jiff::SignedDuration::from_secs(60));
    sqlx::query("UPDATE sessions SET expires_at = $1")
        .bind(&a_minute_ago)
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(status_of_me(&app, &cookie).await, 401);
}

#[tokio::test]
async fn you_can_list_your_devices_and_sign_one_out() {
    let app = spawn_app().await;
    let phone = app.sign_up("hanako", PASSWORD).await;
    let response = app
        .request(Method::POST, "/api/auth/sign-in", None)
        .header(
            header::USER_AGENT,
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/156.0 Safari/537.36",
        )
        .json(&json!({"login": "hanako", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let pc = session_cookie(&response).unwrap();
    let list: Vec<Value> = app
        .request(Method::GET, "/api/me/sessions", Some(&phone))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list.len(), 2);
    let current: Vec<_> = list.iter().filter(|s| s["current"] == true).collect();
    assert_eq!(current.len(), 1);
    let other = list.iter().find(|s| s["current"] == false).unwrap();
    assert_eq!(other["device"], "Chrome / Windows");
    assert!(
        !other.to_string().contains(pc.split('=').nth(1).unwrap()),
        "no secrets listed"
    );

    let ended = app
        .request(
            Method::DELETE,
            &format!("/api/me/sessions/{}", other["id"].as_str().unwrap()),
            Some(&phone),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(ended.status(), 204);
    assert_eq!(status_of_me(&app, &pc).await, 401);
    assert_eq!(status_of_me(&app, &phone).await, 200);
}

#[tokio::test]
async fn state_changing_requests_from_other_sites_are_refused() {
    let app = spawn_app().await;
    let cookie = app.sign_up("hanako", PASSWORD).await;
    let family = json!({"child_name": "練馬 さくら", "child_birth_date": "2025-06-12"});
    let plain = reqwest::Client::new();
    let attempts = [
        ("no Origin", None, None),
        ("another site's Origin", Some("http://evil.example"), None),
        (
            "a cross-site fetch",
            Some(app.address.as_str()),
            Some("cross-site"),
        ),
        (
            "a same-site fetch",
            Some(app.address.as_str()),
            Some("same-site"),
        ),
    ];
    for (what, origin, fetch_site) in attempts {
        let mut request = plain
            .post(app.url("/api/families"))
            .header(header::COOKIE, &cookie)
            .json(&family);
        if let Some(origin) = origin {
            request = request.header(header::ORIGIN, origin);
        }
        if let Some(site) = fetch_site {
            request = request.header("sec-fetch-site", site);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 403, "{what}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "cross_site_request", "{what}");
    }
    let families: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM families")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(families, 0, "nothing was created");
    // The app's own pages send Origin and Sec-Fetch-Site: same-origin.
    let own = plain
        .post(app.url("/api/families"))
        .header(header::COOKIE, &cookie)
        .header(header::ORIGIN, &app.address)
        .header("sec-fetch-site", "same-origin")
        .json(&family)
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), 201);
    // Reading needs no Origin.
    assert_eq!(status_of_me(&app, &cookie).await, 200);
}

#[tokio::test]
async fn an_admin_can_sign_an_account_out_on_every_device() {
    let app = spawn_app().await;
    let admin = app.sign_up("admin", PASSWORD).await;
    let admin_id: String = sqlx::query_scalar("SELECT id FROM users WHERE login = 'admin'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    server::accounts::grant_role(&app.db, &admin_id, domain::accounts::Role::Admin)
        .await
        .unwrap();
    let phone = app.sign_up("hanako", PASSWORD).await;
    let tablet = app.sign_in("hanako", PASSWORD).await;
    let hanako: Value = app
        .request(Method::GET, "/api/me", Some(&phone))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ended = app
        .request(
            Method::DELETE,
            &format!(
                "/api/admin/users/{}/sessions",
                hanako["id"].as_str().unwrap()
            ),
            Some(&admin),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(ended.status(), 204);
    assert_eq!(status_of_me(&app, &phone).await, 401);
    assert_eq!(status_of_me(&app, &tablet).await, 401);
    assert_eq!(status_of_me(&app, &admin).await, 200);
}
