//! Moderation on the real server (`domain::moderation`): residents report an event with a
//! reason; the third different resident hides it for every reader; the records that say
//! so are the server's alone; an admin reviews the reports and shows or hides the event
//! again with a reason the audit log keeps.

use domain::{
    accounts::Role,
    associations::{Association, AssociationRole},
};
use reqwest::Method;
use serde_json::{Value, json};
use server::{accounts, associations};

use crate::{
    helpers::{TestApp, spawn_app},
    rsvp::event_body,
    sync::{outcomes, push, records},
};

pub const PASSWORD: &str = "桜の咲く 練馬の春 2026";

fn report(mutation_id: u64, report_id: &str, target_id: &str, reason: &str) -> Value {
    json!({"id": mutation_id, "op": {"op": "command", "name": "report", "args": {
        "report_id": report_id, "target_id": target_id, "reason": reason}}})
}

/// Signs up `login` and makes them an admin; returns their cookie.
pub async fn admin(app: &TestApp, login: &str) -> String {
    let cookie = app.sign_up(login, PASSWORD).await;
    accounts::grant_role(&app.db, &user_id(app, login).await, Role::Admin)
        .await
        .unwrap();
    cookie
}

pub async fn user_id(app: &TestApp, login: &str) -> String {
    sqlx::query_scalar("SELECT id FROM users WHERE login = $1")
        .bind(login)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

/// The association `a-test` that `event_body` names, with `login` as its editor.
pub async fn editor(app: &TestApp, login: &str) -> String {
    let cookie = app.sign_up(login, PASSWORD).await;
    associations::insert_if_missing(
        &app.db,
        &Association {
            id: "a-test".into(),
            slug: "a-test".into(),
            name: "桜台つつじ町会".into(),
            area: "桜台一丁目".into(),
        },
    )
    .await
    .unwrap();
    associations::add_member(
        &app.db,
        "a-test",
        &user_id(app, login).await,
        AssociationRole::Editor,
    )
    .await
    .unwrap();
    cookie
}

/// An admin posts the public event `ev-1`; returns the admin's cookie.
async fn board(app: &TestApp) -> String {
    let cookie = admin(app, "kanri").await;
    let answer = push(
        app,
        &cookie,
        "admin-phone",
        vec![
            json!({"id": 1, "op": {"op": "put", "id": "ev-1", "collection": "event",
            "scope": "public", "base_version": 0,
            "body": event_body("桜台公園 防災訓練", Some(30), 0, false)}}),
        ],
    )
    .await;
    assert_eq!(outcomes(&answer), ["applied"]);
    cookie
}

/// `n` new residents report `ev-1`, each once, from their own phones.
async fn reported_by(app: &TestApp, logins: &[&str]) {
    for login in logins {
        let cookie = app.sign_up(login, PASSWORD).await;
        let answer = push(
            app,
            &cookie,
            &format!("{login}-phone"),
            vec![report(
                1,
                &format!("rep-{login}"),
                "ev-1",
                &format!("{login}: 内容がまちがっている"),
            )],
        )
        .await;
        assert_eq!(outcomes(&answer), ["applied"], "{login}");
    }
}

#[tokio::test]
async fn the_third_different_resident_hides_an_event_for_every_reader() {
    let app = spawn_app().await;
    let admin = board(&app).await;
    let a = app.sign_up("akemi", PASSWORD).await;
    let reader = app.sign_up("dora", PASSWORD).await;

    // The same resident twice, from two phones: one report.
    let first = push(
        &app,
        &a,
        "a-1",
        vec![report(1, "rep-a1", "ev-1", "宣伝・勧誘")],
    )
    .await;
    let again = push(
        &app,
        &a,
        "a-2",
        vec![report(1, "rep-a2", "ev-1", "不適切な内容")],
    )
    .await;
    assert_eq!(outcomes(&first), ["applied"]);
    assert_eq!(outcomes(&again), ["applied"]);
    let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM reports WHERE target_id = 'ev-1'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(kept, 1, "one report per resident and target");
    let own = records(&app, &a, "a-2").await;
    assert_eq!(
        own["rep-a1"]["collection"], "report",
        "every phone of the reporter learns of the report"
    );
    assert_eq!(
        own["rep-a1"]["scope"],
        format!("user:{}", user_id(&app, "akemi").await)
    );
    assert_eq!(own["rep-a1"]["body"], json!({"target_id": "ev-1"}));
    assert!(own.get("rep-a2").is_none());

    // The second reporter does not hide it yet.
    reported_by(&app, &["bunta"]).await;
    assert!(
        records(&app, &reader, "d-1")
            .await
            .get("mod-ev-1")
            .is_none()
    );

    // The third does, for everyone who reads the board.
    reported_by(&app, &["chiyo"]).await;
    for (cookie, client) in [(&reader, "d-1"), (&admin, "admin-phone"), (&a, "a-1")] {
        let seen = records(&app, cookie, client).await;
        let record = &seen["mod-ev-1"];
        assert_eq!(record["collection"], "moderation");
        assert_eq!(record["scope"], "public");
        assert_eq!(
            record["body"],
            json!({"target_id": "ev-1", "hidden": true, "by": "reports"}),
            "no reporter and no reason in what every reader receives"
        );
    }
    // Another resident's report record is theirs alone.
    assert!(
        records(&app, &reader, "d-1")
            .await
            .get("rep-bunta")
            .is_none()
    );

    // Hidden pending review, it takes no new sign-up; one made before stays.
    let signed_up = push(
        &app,
        &a,
        "a-1",
        vec![crate::rsvp::rsvp(2, "rsvp-late", "ev-1", 1, 0)],
    )
    .await;
    assert_eq!(outcomes(&signed_up), ["refused:closed"]);
    assert!(records(&app, &a, "a-1").await.get("rsvp-late").is_none());
}

#[tokio::test]
async fn a_sign_up_made_before_the_event_was_hidden_is_kept_and_can_be_cancelled() {
    let app = spawn_app().await;
    board(&app).await;
    let early = app.sign_up("hayako", PASSWORD).await;
    let first = push(
        &app,
        &early,
        "h-1",
        vec![crate::rsvp::rsvp(1, "rsvp-early", "ev-1", 2, 1)],
    )
    .await;
    assert_eq!(outcomes(&first), ["applied"]);
    reported_by(&app, &["aki", "bun", "chie"]).await;
    let seen = records(&app, &early, "h-1").await;
    assert_eq!(seen["mod-ev-1"]["body"]["hidden"], true);
    assert_eq!(seen["rsvp-early"]["body"]["status"], "confirmed");
    let cancelled = push(
        &app,
        &early,
        "h-1",
        vec![crate::rsvp::cancel(2, "rsvp-early")],
    )
    .await;
    assert_eq!(outcomes(&cancelled), ["applied"]);
}

#[tokio::test]
async fn moderation_and_report_records_are_the_servers_alone() {
    let app = spawn_app().await;
    let admin = board(&app).await;
    reported_by(&app, &["akemi", "bunta", "chiyo"]).await;
    let akemi = app.sign_in("akemi", PASSWORD).await;

    // Not a resident, not even an admin, may unhide by writing the record.
    let answer = push(
        &app,
        &admin,
        "admin-phone",
        vec![
            json!({"id": 2, "op": {"op": "put", "id": "mod-ev-1", "collection": "moderation",
                "scope": "public", "base_version": 99,
                "body": {"target_id": "ev-1", "hidden": false, "by": "admin"}}}),
            json!({"id": 3, "op": {"op": "delete", "id": "mod-ev-1", "base_version": 99}}),
            json!({"id": 4, "op": {"op": "put", "id": "mod-other", "collection": "moderation",
                "scope": "public", "base_version": 0,
                "body": {"target_id": "ev-1", "hidden": false, "by": "admin"}}}),
        ],
    )
    .await;
    assert_eq!(
        outcomes(&answer),
        [
            "refused:validation",
            "refused:permission",
            "refused:validation"
        ],
        "the server's ids are not a client's to put"
    );
    let user = user_id(&app, "akemi").await;
    let answer = push(
        &app,
        &akemi,
        "akemi-phone",
        vec![
            json!({"id": 2, "op": {"op": "delete", "id": "rep-akemi", "base_version": 99}}),
            json!({"id": 3, "op": {"op": "put", "id": "rep-fake", "collection": "report",
                "scope": format!("user:{user}"), "base_version": 0,
                "body": {"target_id": "ev-9"}}}),
        ],
    )
    .await;
    assert_eq!(
        outcomes(&answer),
        ["refused:permission", "refused:permission"]
    );
    let seen = records(&app, &akemi, "akemi-phone").await;
    assert_eq!(seen["mod-ev-1"]["body"]["hidden"], true);
    assert_eq!(seen["rep-akemi"]["body"], json!({"target_id": "ev-1"}));
}

#[tokio::test]
async fn a_report_needs_a_reason_and_a_target_the_reporter_can_see() {
    let app = spawn_app().await;
    board(&app).await;
    let editor = editor(&app, "yakuin").await;
    // A draft lives in the association's editors' scope: residents cannot see it.
    let draft = push(
        &app,
        &editor,
        "editor-phone",
        vec![
            json!({"id": 1, "op": {"op": "put", "id": "draft-1", "collection": "event",
            "scope": "editors:a-test", "base_version": 0,
            "body": event_body("下書き", None, 0, false)}}),
        ],
    )
    .await;
    assert_eq!(outcomes(&draft), ["applied"]);
    let a = app.sign_up("akemi", PASSWORD).await;
    let user = user_id(&app, "akemi").await;
    let note = push(
        &app,
        &a,
        "a-1",
        vec![
            json!({"id": 1, "op": {"op": "put", "id": "mine", "collection": "memo",
            "scope": format!("user:{user}"), "base_version": 0, "body": {"t": 1}}}),
        ],
    )
    .await;
    assert_eq!(
        outcomes(&note),
        ["refused:validation"],
        "a collection the domain does not know"
    );
    let answer = push(
        &app,
        &a,
        "a-1",
        vec![
            report(2, "r-1", "ev-1", &"長".repeat(401)),
            report(3, "r-2", "ev-1", "   "),
            report(4, "r-3", "no-such-event", "不適切な内容"),
            report(5, "r-4", "mine", "不適切な内容"),
            report(6, "r-5", "draft-1", "不適切な内容"),
            report(7, "ev-1", "ev-1", "id already used"),
            report(8, "r-6", "ev-1", &"長".repeat(400)),
        ],
    )
    .await;
    assert_eq!(
        outcomes(&answer),
        [
            "refused:validation",
            "refused:validation",
            "refused:validation",
            "refused:validation",
            "refused:validation",
            "refused:validation",
            "applied"
        ]
    );
}

async fn admin_reports(app: &TestApp, cookie: Option<&str>) -> reqwest::Response {
    app.request(Method::GET, "/api/admin/reports", cookie)
        .send()
        .await
        .unwrap()
}

async fn review(
    app: &TestApp,
    cookie: Option<&str>,
    target: &str,
    body: Value,
) -> reqwest::Response {
    app.post_json(&format!("/api/admin/moderation/{target}"), &body, cookie)
        .await
}

#[tokio::test]
async fn an_admin_reviews_reports_and_the_reason_is_kept_in_the_audit_log() {
    let app = spawn_app().await;
    let admin = board(&app).await;
    reported_by(&app, &["akemi", "bunta", "chiyo"]).await;
    let reader = app.sign_up("dora", PASSWORD).await;

    let list: Value = admin_reports(&app, Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    let entry = &list[0];
    assert_eq!(entry["target_id"], "ev-1");
    assert_eq!(entry["kind"], "event");
    assert_eq!(entry["title"], "桜台公園 防災訓練");
    assert_eq!(entry["hidden"], true);
    assert_eq!(entry["by"], "reports");
    assert_eq!(entry["reports"], 3);
    assert_eq!(
        entry["reasons"],
        json!([
            "akemi: 内容がまちがっている",
            "bunta: 内容がまちがっている",
            "chiyo: 内容がまちがっている"
        ])
    );

    // A reason is required, in 1–400 characters, with a message in the caller's language.
    let too_long = app
        .request(Method::POST, "/api/admin/moderation/ev-1", Some(&admin))
        .header("Accept-Language", "ja")
        .json(&json!({"hidden": false, "reason": "長".repeat(401)}))
        .send()
        .await
        .unwrap();
    assert_eq!(too_long.status(), 422);
    let error: Value = too_long.json().await.unwrap();
    assert_eq!(error["error"]["code"], "report_reason_invalid");
    assert_eq!(
        error["error"]["message"],
        "報告の理由を1〜400文字で書いてください。"
    );
    let empty = review(
        &app,
        Some(&admin),
        "ev-1",
        json!({"hidden": false, "reason": ""}),
    )
    .await;
    assert_eq!(empty.status(), 422);
    let missing = review(
        &app,
        Some(&admin),
        "ev-9",
        json!({"hidden": false, "reason": "x"}),
    )
    .await;
    assert_eq!(missing.status(), 404);

    // Shown again, with a reason.
    let shown = review(
        &app,
        Some(&admin),
        "ev-1",
        json!({"hidden": false, "reason": "確認しました。町会の正式な行事です。"}),
    )
    .await;
    assert_eq!(shown.status(), 200);
    let record: Value = shown.json().await.unwrap();
    assert_eq!(
        record,
        json!({"target_id": "ev-1", "hidden": false, "by": "admin"})
    );
    let seen = records(&app, &reader, "d-1").await;
    assert_eq!(seen["mod-ev-1"]["body"], record, "every reader hears of it");

    let audit: Value = app
        .request(Method::GET, "/api/admin/audit", Some(&admin))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let newest = &audit["entries"][0];
    assert_eq!(newest["action"], "moderation.show");
    assert_eq!(newest["object_type"], "event");
    assert_eq!(newest["object_id"], "ev-1");
    assert_eq!(newest["actor"], user_id(&app, "kanri").await);
    assert_eq!(newest["reason"], "確認しました。町会の正式な行事です。");
    let verified: Value = app
        .request(Method::GET, "/api/admin/audit/verify", Some(&admin))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(verified["intact"], true, "the reason is part of the chain");

    // The review closed the reports; the list is empty again.
    let list: Value = admin_reports(&app, Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list, json!([]));

    // Reviewed and left visible: new reports wait for the admin instead of hiding it.
    reported_by(&app, &["eiji", "fumi", "gen"]).await;
    let seen = records(&app, &reader, "d-1").await;
    assert_eq!(seen["mod-ev-1"]["body"]["hidden"], false);
    let list: Value = admin_reports(&app, Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list[0]["reports"], 3);
    assert_eq!(list[0]["hidden"], false);
    assert_eq!(list[0]["by"], "admin");

    // Hidden by the admin this time.
    let hidden = review(
        &app,
        Some(&admin),
        "ev-1",
        json!({"hidden": true, "reason": "宣伝のため非表示にします。"}),
    )
    .await;
    assert_eq!(hidden.status(), 200);
    let seen = records(&app, &reader, "d-1").await;
    assert_eq!(
        seen["mod-ev-1"]["body"],
        json!({"target_id": "ev-1", "hidden": true, "by": "admin"})
    );
    let list: Value = admin_reports(&app, Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        list[0]["reports"], 0,
        "still listed while hidden, to show again"
    );
    assert_eq!(list[0]["hidden"], true);
}

#[tokio::test]
async fn only_admins_review_reports() {
    let app = spawn_app().await;
    board(&app).await;
    reported_by(&app, &["akemi"]).await;
    let resident = app.sign_in("akemi", PASSWORD).await;
    let editor = editor(&app, "yakuin").await;
    let body = json!({"hidden": false, "reason": "問題ありません"});
    for cookie in [&resident, &editor] {
        let list = admin_reports(&app, Some(cookie)).await;
        assert_eq!(list.status(), 403);
        let decided = review(&app, Some(cookie), "ev-1", body.clone()).await;
        assert_eq!(decided.status(), 403);
        let error: Value = decided.json().await.unwrap();
        assert_eq!(error["error"]["code"], "forbidden");
    }
    assert_eq!(admin_reports(&app, None).await.status(), 401);
    assert_eq!(review(&app, None, "ev-1", body.clone()).await.status(), 401);

    // From another site, even an admin's session is refused (CSRF).
    let admin = admin(&app, "kanri2").await;
    let foreign = reqwest::Client::new()
        .post(app.url("/api/admin/moderation/ev-1"))
        .header("Cookie", &admin)
        .header("Origin", "https://evil.example")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.status(), 403);
    let error: Value = foreign.json().await.unwrap();
    assert_eq!(error["error"]["code"], "cross_site_request");
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sync_records WHERE id = 'mod-ev-1'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(rows, 0);
}
