//! The audit log: what gets recorded (and what never does), append-only storage, and the
//! hash chain that shows a changed or deleted row — through the API and the
//! `server verify-audit` command.

use domain::{accounts::Role, families::FamilyRole};
use reqwest::Method;
use serde_json::{Value, json};
use server::{accounts, audit, db::Backend, families};

use crate::helpers::{TestApp, spawn_app};

const PASSWORD: &str = "桜の咲く 練馬の春 2026";

struct People {
    guardian: String,
    viewer: String,
    health: String,
    admin: String,
    family: String,
}

/// A family with a guardian and a viewer, consent given, plus health staff and an admin.
async fn people(app: &TestApp) -> People {
    let guardian = app.sign_up("guardian", PASSWORD).await;
    let viewer = app.sign_up("viewer", PASSWORD).await;
    let health = app.sign_up("health", PASSWORD).await;
    let admin = app.sign_up("admin", PASSWORD).await;
    let id = |login: &'static str| async move {
        sqlx::query_scalar::<_, String>("SELECT id FROM users WHERE login = $1")
            .bind(login)
            .fetch_one(&app.db.pool)
            .await
            .unwrap()
    };
    accounts::grant_role(&app.db, &id("health").await, Role::HealthStaff)
        .await
        .unwrap();
    accounts::grant_role(&app.db, &id("admin").await, Role::Admin)
        .await
        .unwrap();
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
    let family = family["id"].as_str().unwrap().to_owned();
    families::add_member(&app.db, &family, &id("viewer").await, FamilyRole::Viewer)
        .await
        .unwrap();
    let consent = app
        .request(
            Method::PUT,
            &format!("/api/families/{family}/consent"),
            Some(&guardian),
        )
        .json(&json!({"health_centre": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(consent.status(), 200);
    People {
        guardian,
        viewer,
        health,
        admin,
        family,
    }
}

async fn actions(app: &TestApp) -> Vec<String> {
    sqlx::query_scalar("SELECT action || ' ' || outcome FROM audit_log ORDER BY seq")
        .fetch_all(&app.db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn reads_by_anyone_but_a_guardian_are_recorded_without_health_values() {
    let app = spawn_app().await;
    let p = people(&app).await;
    let before = actions(&app).await;
    assert_eq!(before, ["family.consent.grant allowed"]);
    let get = |cookie: String| {
        let request = app.request(
            Method::GET,
            &format!("/api/families/{}", p.family),
            Some(&cookie),
        );
        async move { request.send().await.unwrap().status().as_u16() }
    };
    assert_eq!(get(p.guardian.clone()).await, 200);
    assert_eq!(
        actions(&app).await.len(),
        1,
        "a guardian's own read is not audited"
    );
    assert_eq!(get(p.viewer.clone()).await, 200);
    assert_eq!(get(p.health.clone()).await, 200);
    assert_eq!(
        get(p.admin.clone()).await,
        404,
        "admins do not read handbooks"
    );
    let write = app
        .request(
            Method::PUT,
            &format!("/api/families/{}/child", p.family),
            Some(&p.health),
        )
        .json(&json!({"child_name": "練馬 さくら", "child_birth_date": "2025-06-13"}))
        .send()
        .await
        .unwrap();
    assert_eq!(write.status(), 200);
    // Through sync too: the guardian's note, pulled by health staff (consent given).
    let note = json!({"id": 1, "op": {"op": "put", "id": "note-1", "collection": "handbook_note",
        "scope": format!("family:{}", p.family), "base_version": 0,
        "body": {"text": "熱なし 37.2", "written_on": "2026-11-27", "author": "花子"}}});
    let answer = crate::sync::push(&app, &p.guardian, "guardian-phone", vec![note]).await;
    assert_eq!(crate::sync::outcomes(&answer), ["applied"]);
    crate::sync::records(&app, &p.guardian, "guardian-phone").await;
    let seen = crate::sync::records(&app, &p.health, "health-tablet").await;
    assert!(seen.get("note-1").is_some());
    assert_eq!(
        actions(&app).await,
        [
            "family.consent.grant allowed",
            "family.read allowed",
            "family.read allowed",
            "family.access denied",
            "family.write allowed",
            "family.read.sync allowed",
        ]
    );
    // Who, which object, when and which session — never the child's name or date.
    let rows: Vec<(String, Option<String>, Option<String>, String)> =
        sqlx::query_as("SELECT object_id, actor, session, at FROM audit_log ORDER BY seq")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    for (object, actor, session, at) in &rows {
        assert_eq!(object, &p.family);
        assert!(actor.is_some());
        assert_eq!(session.as_ref().map(String::len), Some(16));
        assert!(at.ends_with('Z'));
    }
    let dump: Vec<String> = sqlx::query_scalar(
        "SELECT at || action || object_type || object_id || outcome || hash || COALESCE(reason, '') \
         FROM audit_log",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert!(!dump.concat().contains("さくら") && !dump.concat().contains("2025-06"));
    assert!(!dump.concat().contains("熱") && !dump.concat().contains("37.2"));
}

#[tokio::test]
async fn role_changes_are_recorded_and_admins_can_read_the_log() {
    let app = spawn_app().await;
    let p = people(&app).await;
    let resident = app.sign_up("resident", PASSWORD).await;
    let me: Value = app
        .request(Method::GET, "/api/me", Some(&resident))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let grant = app
        .request(
            Method::PUT,
            &format!("/api/admin/users/{}/roles", me["id"].as_str().unwrap()),
            Some(&p.admin),
        )
        .json(&json!({"roles": ["college_staff", "health_staff"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(grant.status(), 200);
    let user: Value = grant.json().await.unwrap();
    assert_eq!(user["roles"], json!(["health_staff", "college_staff"]));
    let revoke = app
        .request(
            Method::PUT,
            &format!("/api/admin/users/{}/roles", me["id"].as_str().unwrap()),
            Some(&p.admin),
        )
        .json(&json!({"roles": ["college_staff"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(revoke.status(), 200);
    let page: Value = app
        .request(Method::GET, "/api/admin/audit?limit=3", Some(&p.admin))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let entries = page["entries"].as_array().unwrap();
    let newest: Vec<&str> = entries
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        newest,
        [
            "role.revoke.health_staff",
            "role.grant.college_staff",
            "role.grant.health_staff"
        ]
    );
    assert_eq!(entries[0]["object_id"], me["id"]);
    let older: Value = app
        .request(
            Method::GET,
            &format!("/api/admin/audit?before={}", page["next_before"]),
            Some(&p.admin),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(older["entries"][0]["action"], "family.consent.grant");
    let verify: Value = app
        .request(Method::GET, "/api/admin/audit/verify", Some(&p.admin))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        verify,
        json!({"intact": true, "entries": 4, "first_broken": null})
    );
}

/// What an attacker with write access to the database would have to do first.
async fn drop_append_only_guard(app: &TestApp) {
    let statement = match app.db.backend {
        Backend::Sqlite => "DROP TRIGGER audit_log_no_update",
        Backend::Postgres => "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change",
    };
    sqlx::query(statement).execute(&app.db.pool).await.unwrap();
}

#[tokio::test]
async fn the_log_is_append_only_and_a_changed_row_breaks_the_chain() {
    let app = spawn_app().await;
    let p = people(&app).await;
    for _ in 0..3 {
        app.request(
            Method::GET,
            &format!("/api/families/{}", p.family),
            Some(&p.viewer),
        )
        .send()
        .await
        .unwrap();
    }
    assert_eq!(
        audit::verify(&app.db).await.unwrap(),
        domain::admin::AuditVerification {
            intact: true,
            entries: 4,
            first_broken: None
        }
    );
    let update = sqlx::query("UPDATE audit_log SET outcome = 'denied' WHERE seq = 2")
        .execute(&app.db.pool)
        .await;
    assert!(update.is_err(), "the database refuses to change a row");
    let delete = sqlx::query("DELETE FROM audit_log WHERE seq = 3")
        .execute(&app.db.pool)
        .await;
    assert!(delete.is_err(), "the database refuses to delete a row");

    drop_append_only_guard(&app).await;
    sqlx::query("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 3")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let result = audit::verify(&app.db).await.unwrap();
    assert!(!result.intact);
    assert_eq!(result.first_broken, Some(3));

    // The command-line check says so too, and fails.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["--database", &app.database_url, "verify-audit"])
        .env("RUST_LOG", "error")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("audit log BROKEN at entry 3 of 4"),
        "{stderr}"
    );
}

#[tokio::test]
async fn a_deleted_row_breaks_the_chain_and_an_intact_log_passes_the_command() {
    let app = spawn_app().await;
    let p = people(&app).await;
    for _ in 0..3 {
        app.request(
            Method::GET,
            &format!("/api/families/{}", p.family),
            Some(&p.viewer),
        )
        .send()
        .await
        .unwrap();
    }
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["--database", &app.database_url, "verify-audit"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("audit log intact: 4 entries"));

    let delete = match app.db.backend {
        Backend::Sqlite => "DROP TRIGGER audit_log_no_delete",
        Backend::Postgres => "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change",
    };
    sqlx::query(delete).execute(&app.db.pool).await.unwrap();
    sqlx::query("DELETE FROM audit_log WHERE seq = 2")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let result = audit::verify(&app.db).await.unwrap();
    assert!(!result.intact);
    assert_eq!(
        result.first_broken,
        Some(3),
        "the row after the gap no longer fits"
    );
}
