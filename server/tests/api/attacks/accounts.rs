//! Attacks on accounts: hammering the password change, guessing invite codes, locking
//! an owner out.

use serde_json::{Value, json};

use super::sync::family;
use crate::{
    helpers::{TestApp, spawn_app},
    moderation::{PASSWORD, user_id},
};

#[tokio::test]
async fn a_session_cannot_hammer_the_password_change() {
    let app = spawn_app().await;
    let hanako = app.sign_up("hanako", PASSWORD).await;
    let mut statuses = Vec::new();
    for n in 0..7 {
        let (status, answer) = app
            .change_password(
                &hanako,
                &format!("wrong guess {n} 2026"),
                "a whole new passphrase",
            )
            .await;
        statuses.push(status.as_u16());
        if status == 429 {
            assert_eq!(answer["error"]["code"], "rate_limited");
        }
    }
    assert_eq!(statuses, [422, 422, 422, 422, 422, 429, 429]);
}

async fn accept(app: &TestApp, cookie: &str, code: &str) -> reqwest::Response {
    app.post_json(
        "/api/invites/accept",
        &json!({ "code": code }),
        Some(cookie),
    )
    .await
}

#[tokio::test]
async fn invite_codes_cannot_be_guessed_without_limit_and_bursts_are_audited() {
    let app = spawn_app().await;
    let hanako = app.sign_up("hanako", PASSWORD).await;
    let id = family(&app, &hanako, None).await;
    let invite: Value = app
        .post_json(
            &format!("/api/families/{id}/invites"),
            &json!({"role": "guardian"}),
            Some(&hanako),
        )
        .await
        .json()
        .await
        .unwrap();
    let mallory = app.sign_up("mallory", PASSWORD).await;
    let mut statuses = Vec::new();
    for guess in [
        "2345-6789",
        "2345-678A",
        "2345-678B",
        "2345-678C",
        "2345-678D",
    ] {
        statuses.push(accept(&app, &mallory, guess).await.status().as_u16());
    }
    // Even the right code waits once the account has used up its tries.
    let hit = accept(&app, &mallory, invite["code"].as_str().unwrap()).await;
    statuses.push(hit.status().as_u16());
    assert_eq!(statuses, [422, 422, 422, 422, 422, 429]);
    let answer: Value = hit.json().await.unwrap();
    assert_eq!(answer["error"]["code"], "rate_limited");
    let audited: Vec<(String, String)> =
        sqlx::query_as("SELECT actor, outcome FROM audit_log WHERE action = 'invite.rate_limited'")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(
        audited,
        [(user_id(&app, "mallory").await, "denied".to_owned())]
    );
}

#[tokio::test]
async fn invite_guesses_are_limited_per_address_too() {
    let app = crate::helpers::spawn_app_with(server::config::SecurityConfig {
        auth_burst: 4,
        auth_period_seconds: 3600,
        ..Default::default()
    })
    .await;
    let a = app.sign_up("akemi", PASSWORD).await;
    let b = app.sign_up("bunta", PASSWORD).await;
    assert_eq!(accept(&app, &a, "2345-6789").await.status(), 422);
    assert_eq!(accept(&app, &b, "2345-6789").await.status(), 422);
    assert_eq!(accept(&app, &b, "2345-678A").await.status(), 429);
}

/// Signs in with an optional device cookie; the status, and the cookies set.
async fn sign_in_from(
    app: &TestApp,
    login: &str,
    password: &str,
    device: Option<&str>,
) -> (u16, Vec<String>) {
    let mut request = app.client.post(app.url("/api/auth/sign-in")).json(&json!({
        "login": login, "password": password}));
    if let Some(device) = device {
        request = request.header(reqwest::header::COOKIE, device);
    }
    let response = request.send().await.unwrap();
    let cookies = response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap().to_owned())
        .collect();
    (response.status().as_u16(), cookies)
}

#[tokio::test]
async fn a_stranger_guessing_passwords_cannot_lock_the_owner_out_of_a_device_they_used_before() {
    let app = spawn_app().await;
    app.sign_up("hoken", PASSWORD).await;
    let (status, cookies) = sign_in_from(&app, "hoken", PASSWORD, None).await;
    assert_eq!(status, 200);
    let device = cookies
        .into_iter()
        .find(|c| c.starts_with("__Host-tsunagaru-device="))
        .expect("a device cookie");
    // Anyone, anywhere, four wrong passwords: with that sign-in, the account's five
    // tries are used up.
    for n in 0..4 {
        let (status, _) = sign_in_from(&app, "hoken", &format!("wrong {n} passphrase"), None).await;
        assert_eq!(status, 401);
    }
    let (status, _) = sign_in_from(&app, "hoken", PASSWORD, None).await;
    assert_eq!(status, 429, "a new device waits");
    // The owner's phone, which signed in before, is not locked out.
    let (status, _) = sign_in_from(&app, "hoken", PASSWORD, Some(&device)).await;
    assert_eq!(status, 200);
    // A device cookie of another account counts for nothing here.
    app.sign_up("hanako", PASSWORD).await;
    let (_, cookies) = sign_in_from(&app, "hanako", PASSWORD, None).await;
    let theirs = cookies
        .into_iter()
        .find(|c| c.starts_with("__Host-tsunagaru-device="))
        .unwrap();
    let (status, _) = sign_in_from(&app, "hoken", PASSWORD, Some(&theirs)).await;
    assert_eq!(status, 429);
}
