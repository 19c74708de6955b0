//! Sign-up, sign-in, `/api/me`, password rules and change, and the demo accounts.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{session_cookie, spawn_app};

const PASSWORD: &str = "桜の咲く 練馬の春 2026";

#[tokio::test]
async fn signing_up_signs_you_in_and_me_shows_the_account() {
    let app = spawn_app().await;
    let response = app
        .post_json(
            "/api/auth/sign-up",
            &json!({"login": " Ｈａｎａｋｏ２ ", "display_name": " 練馬 花子 ", "password": PASSWORD}),
            None,
        )
        .await;
    assert_eq!(response.status(), 201);
    let cookie = session_cookie(&response).expect("cookie");
    let me: Value = response.json().await.unwrap();
    assert_eq!(
        me["login"], "hanako2",
        "full-width letters and case are folded"
    );
    assert_eq!(me["display_name"], "練馬 花子");
    assert_eq!(me["roles"], json!([]));

    let me: Value = app
        .request(Method::GET, "/api/me", Some(&cookie))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["login"], "hanako2");
    assert!(
        !me.to_string().contains("argon2"),
        "no hash in the answer: {me}"
    );

    let anonymous = app.get("/api/me").await;
    assert_eq!(anonymous.status(), 401);
    let body: Value = anonymous.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unauthenticated");
    assert_eq!(body["error"]["message"], "ログインしてください。");
}

#[tokio::test]
async fn bad_sign_up_fields_get_a_code_and_words_in_the_callers_language() {
    let app = spawn_app().await;
    let cases = [
        (
            json!({"login": "ab", "display_name": "x", "password": PASSWORD}),
            422,
            "login_invalid",
        ),
        (
            json!({"login": "hanako", "display_name": "x", "password": "short"}),
            422,
            "password_too_short",
        ),
        (
            json!({"login": "hanako", "display_name": "x", "password": "Password123"}),
            422,
            "password_too_common",
        ),
        (
            json!({"login": "hanako", "display_name": "  ", "password": PASSWORD}),
            422,
            "display_name_invalid",
        ),
        (json!({"login": "hanako"}), 422, "invalid_json"),
    ];
    for (body, status, code) in cases {
        let response = app
            .request(Method::POST, "/api/auth/sign-up", None)
            .header("accept-language", "en")
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), status, "{body}");
        let answer: Value = response.json().await.unwrap();
        assert_eq!(answer["error"]["code"], code, "{body}");
        assert!(answer["error"]["message"].as_str().unwrap().is_ascii());
    }
    app.sign_up("hanako", PASSWORD).await;
    let taken = app
        .post_json(
            "/api/auth/sign-up",
            &json!({"login": "HANAKO", "display_name": "別の人", "password": PASSWORD}),
            None,
        )
        .await;
    assert_eq!(taken.status(), 409);
    let answer: Value = taken.json().await.unwrap();
    assert_eq!(answer["error"]["code"], "login_taken");
    assert!(
        answer["error"]["message"]
            .as_str()
            .unwrap()
            .contains("すでに使われています")
    );
}

#[tokio::test]
async fn an_unknown_name_and_a_wrong_password_get_the_same_answer() {
    let app = spawn_app().await;
    app.sign_up("hanako", PASSWORD).await;
    let mut bodies = Vec::new();
    for login in ["hanako", "nobody-here"] {
        let response = app
            .post_json(
                "/api/auth/sign-in",
                &json!({"login": login, "password": "not the password at all"}),
                None,
            )
            .await;
        assert_eq!(response.status(), 401);
        assert!(session_cookie(&response).is_none());
        bodies.push(response.text().await.unwrap());
    }
    assert_eq!(bodies[0], bodies[1]);
    assert!(bodies[0].contains("invalid_credentials"));
    assert!(bodies[0].contains("ログイン名またはパスワードが違います"));
    // The log-in name is found however it is typed.
    app.sign_in("ＨＡＮＡＫＯ", PASSWORD).await;
}

#[tokio::test]
async fn passwords_are_stored_only_as_argon2id_hashes() {
    let app = spawn_app().await;
    app.sign_up("hanako", PASSWORD).await;
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE login = 'hanako'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert!(
        hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{hash}"
    );
    assert!(!hash.contains("2026"));
}

#[tokio::test]
async fn changing_the_password_signs_out_the_other_devices() {
    let app = spawn_app().await;
    let here = app.sign_up("hanako", PASSWORD).await;
    let elsewhere = app.sign_in("hanako", PASSWORD).await;

    let (status, answer) = app
        .change_password(&here, "not it at all", "a whole new passphrase")
        .await;
    assert_eq!(status, 422);
    assert_eq!(answer["error"]["code"], "current_password_wrong");

    let (status, _) = app.change_password(&here, PASSWORD, "qwertyuiop").await;
    assert_eq!(status, 422);

    let (status, answer) = app
        .change_password(&here, PASSWORD, "a whole new passphrase")
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        answer,
        json!({"calendar_feed_stopped": false}),
        "no private calendar address to stop"
    );
    let me = |cookie: String| {
        let request = app.request(Method::GET, "/api/me", Some(&cookie));
        async move { request.send().await.unwrap().status() }
    };
    assert_eq!(me(here.clone()).await, 200, "this device stays signed in");
    assert_eq!(me(elsewhere).await, 401, "the other device is signed out");
    let old = app
        .post_json(
            "/api/auth/sign-in",
            &json!({"login": "hanako", "password": PASSWORD}),
            None,
        )
        .await;
    assert_eq!(old.status(), 401);
    app.sign_in("hanako", "a whole new passphrase").await;
}

#[tokio::test]
async fn every_demo_account_signs_in_with_its_roles() {
    let app = crate::helpers::spawn_app_with(server::config::SecurityConfig {
        account_burst: 100,
        ..Default::default()
    })
    .await;
    server::demo::seed(&app.db).await.unwrap();
    let expected = [
        ("admin", json!(["admin"]), 0),
        ("hoken", json!(["health_staff"]), 0),
        ("college", json!(["college_staff"]), 0),
        ("sakuradai-editor", json!([]), 0),
        ("hikarigaoka-editor", json!([]), 0),
        // さくら's handbook and the second pregnancy's.
        ("hanako", json!([]), 2),
        ("taro", json!([]), 2),
        ("grandma", json!([]), 2),
        ("ichiro", json!([]), 0),
    ];
    for (login, roles, families) in expected {
        let response = app
            .post_json(
                "/api/auth/sign-in",
                &json!({"login": login, "password": server::demo::DEMO_PASSWORD}),
                None,
            )
            .await;
        assert_eq!(response.status(), 200, "{login}");
        let me: Value = response.json().await.unwrap();
        assert_eq!(me["roles"], roles, "{login}");
        assert_eq!(
            me["families"].as_array().unwrap().len(),
            families,
            "{login}"
        );
    }
    let grandma = app.sign_in("grandma", server::demo::DEMO_PASSWORD).await;
    let me: Value = app
        .request(Method::GET, "/api/me", Some(&grandma))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["families"][0]["role"], "viewer");
    assert_eq!(me["families"][0]["child_name"], "練馬 さくら");
    let born = me["families"][0]["child_birth_date"]
        .as_str()
        .unwrap_or_default();
    assert!(
        domain::dates::Day::parse(born).is_some(),
        "the handbook counts from the birth date, offline too: {born:?}"
    );
    let editor = app
        .sign_in("sakuradai-editor", server::demo::DEMO_PASSWORD)
        .await;
    let me: Value = app
        .request(Method::GET, "/api/me", Some(&editor))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["associations"][0]["name"], "桜台つつじ町会");
    assert_eq!(me["associations"][0]["role"], "editor");
}
