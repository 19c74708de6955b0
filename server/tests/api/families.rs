//! Families: invite codes (one use, seven days, typed any way), the last guardian, and
//! what a removed member can still see.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

const PASSWORD: &str = "桜の咲く 練馬の春 2026";

async fn family_with_invite(app: &TestApp, role: &str) -> (String, String, String) {
    let guardian = app.sign_up("hanako", PASSWORD).await;
    let family: Value = app
        .post_json(
            "/api/families",
            &json!({"child_name": "練馬 さくら", "child_birth_date": "2025-06-12"}),
            Some(&guardian),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = family["id"].as_str().unwrap().to_owned();
    let invite: Value = app
        .post_json(
            &format!("/api/families/{id}/invites"),
            &json!({"role": role}),
            Some(&guardian),
        )
        .await
        .json()
        .await
        .unwrap();
    (guardian, id, invite["code"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn an_invite_code_works_once_however_it_is_typed() {
    let app = spawn_app().await;
    let (guardian, family, code) = family_with_invite(&app, "viewer").await;
    assert_eq!(code.len(), 9);
    let grandma = app.sign_up("grandma", PASSWORD).await;
    let typed = code.replace('-', "").to_lowercase();
    let joined = app
        .post_json(
            "/api/invites/accept",
            &json!({"code": typed}),
            Some(&grandma),
        )
        .await;
    assert_eq!(joined.status(), 200);
    let family_seen: Value = joined.json().await.unwrap();
    assert_eq!(family_seen["id"], family);
    assert_eq!(family_seen["my_role"], "viewer");
    let roles: Vec<&str> = family_seen["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["guardian", "viewer"]);

    let again = app.sign_up("taro", PASSWORD).await;
    let used = app
        .post_json("/api/invites/accept", &json!({"code": code}), Some(&again))
        .await;
    assert_eq!(used.status(), 422);
    let body: Value = used.json().await.unwrap();
    assert_eq!(body["error"]["code"], "invite_invalid");

    // The viewer reads but cannot write.
    let write = app
        .request(
            Method::PUT,
            &format!("/api/families/{family}/child"),
            Some(&grandma),
        )
        .json(&json!({"child_name": "さくら", "child_birth_date": "2025-06-12"}))
        .send()
        .await
        .unwrap();
    assert_eq!(write.status(), 403);
    let unchanged: Value = app
        .request(
            Method::GET,
            &format!("/api/families/{family}"),
            Some(&guardian),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(unchanged["child_name"], "練馬 さくら");
}

#[tokio::test]
async fn two_people_racing_with_one_code_make_one_member() {
    let app = spawn_app().await;
    let (_, family, code) = family_with_invite(&app, "guardian").await;
    let a = app.sign_up("taro", PASSWORD).await;
    let b = app.sign_up("jiro", PASSWORD).await;
    let body = json!({"code": code});
    let (ra, rb) = tokio::join!(
        app.post_json("/api/invites/accept", &body, Some(&a)),
        app.post_json("/api/invites/accept", &body, Some(&b)),
    );
    let mut statuses = [ra.status().as_u16(), rb.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 422]);
    let members: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM family_members WHERE family_id = $1")
            .bind(&family)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(members, 2);
}

#[tokio::test]
async fn an_expired_code_is_refused_in_words() {
    let app = spawn_app().await;
    let (_, _, code) = family_with_invite(&app, "viewer").await;
    let yesterday =
        server::db::timestamp(jiff::Timestamp::now() - jiff::SignedDuration::from_hours(24));
    sqlx::query("UPDATE family_invites SET expires_at = $1")
        .bind(&yesterday)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let late = app.sign_up("grandma", PASSWORD).await;
    let response = app
        .post_json("/api/invites/accept", &json!({"code": code}), Some(&late))
        .await;
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("期限が切れています")
    );
}

#[tokio::test]
async fn the_last_guardian_cannot_leave_others_behind_and_a_removed_member_sees_nothing() {
    let app = spawn_app().await;
    let (guardian, family, code) = family_with_invite(&app, "viewer").await;
    let grandma = app.sign_up("grandma", PASSWORD).await;
    app.post_json(
        "/api/invites/accept",
        &json!({"code": code}),
        Some(&grandma),
    )
    .await;
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM users ORDER BY login")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    let (grandma_id, hanako_id) = (&ids[0], &ids[1]);
    let leave = app
        .request(
            Method::DELETE,
            &format!("/api/families/{family}/members/{hanako_id}"),
            Some(&guardian),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(leave.status(), 409);
    let body: Value = leave.json().await.unwrap();
    assert_eq!(body["error"]["code"], "last_guardian");

    let remove = app
        .request(
            Method::DELETE,
            &format!("/api/families/{family}/members/{grandma_id}"),
            Some(&guardian),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(remove.status(), 204);
    let gone = app
        .request(
            Method::GET,
            &format!("/api/families/{family}"),
            Some(&grandma),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 404);
    let me: Value = app
        .request(Method::GET, "/api/me", Some(&grandma))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["families"], json!([]));
}

#[tokio::test]
async fn bad_child_details_are_refused_with_their_own_codes() {
    let app = spawn_app().await;
    let cookie = app.sign_up("hanako", PASSWORD).await;
    for (body, code) in [
        (
            json!({"child_name": "", "child_birth_date": "2025-06-12"}),
            "child_name_invalid",
        ),
        (
            json!({"child_name": "さくら", "child_birth_date": "2025-02-30"}),
            "birth_date_invalid",
        ),
        (
            json!({"child_name": "さくら", "child_birth_date": "2099-01-01"}),
            "birth_date_invalid",
        ),
    ] {
        let response = app.post_json("/api/families", &body, Some(&cookie)).await;
        assert_eq!(response.status(), 422, "{body}");
        let answer: Value = response.json().await.unwrap();
        assert_eq!(answer["error"]["code"], code, "{body}");
    }
}
