//! Attacks through sync and the ids it carries: taking over others' records, the
//! server's own ids, unaudited handbook reads, unbounded pulls and writes.

use domain::associations::{Association, AssociationRole};
use reqwest::Method;
use serde_json::{Value, json};
use server::associations;

use crate::{
    helpers::{TestApp, spawn_app},
    moderation::{PASSWORD, admin, editor, user_id},
    rsvp::{cancel, event_body, rsvp},
    sync::{outcomes, push, records},
};

/// Another association, 光が丘, with `login` as its editor; returns their cookie.
async fn other_editor(app: &TestApp, login: &str) -> String {
    let cookie = app.sign_up(login, PASSWORD).await;
    associations::insert_if_missing(
        &app.db,
        &Association {
            id: "a-hikari".into(),
            slug: "a-hikari".into(),
            name: "光が丘自治会".into(),
            area: "光が丘二丁目".into(),
        },
    )
    .await
    .unwrap();
    associations::add_member(
        &app.db,
        "a-hikari",
        &user_id(app, login).await,
        AssociationRole::Editor,
    )
    .await
    .unwrap();
    cookie
}

fn put_event(mutation_id: u64, id: &str, base_version: u64, body: Value) -> Value {
    json!({"id": mutation_id, "op": {"op": "put", "id": id, "collection": "event",
           "scope": "public", "base_version": base_version, "body": body}})
}

async fn attendees_csv(app: &TestApp, event: &str, cookie: &str) -> reqwest::StatusCode {
    app.request(
        Method::GET,
        &format!("/api/events/{event}/attendees.csv"),
        Some(cookie),
    )
    .send()
    .await
    .unwrap()
    .status()
}

#[tokio::test]
async fn an_editor_cannot_take_over_another_associations_deleted_event_to_read_its_attendees() {
    let app = spawn_app().await;
    // 桜台's editor posts an event; a resident signs up for it; the event is deleted.
    let sakuradai = editor(&app, "yakuin").await;
    let answer = push(
        &app,
        &sakuradai,
        "sakuradai-phone",
        vec![put_event(
            1,
            "ev-del",
            0,
            event_body("防災訓練", Some(10), 0, false),
        )],
    )
    .await;
    assert_eq!(outcomes(&answer), ["applied"]);
    let resident = app.sign_up("hanako", PASSWORD).await;
    let answer = push(
        &app,
        &resident,
        "hanako-phone",
        vec![rsvp(1, "r-h", "ev-del", 2, 1)],
    )
    .await;
    assert_eq!(outcomes(&answer), ["applied"]);
    let answer = push(
        &app,
        &sakuradai,
        "sakuradai-phone",
        vec![json!({"id": 2, "op": {"op": "delete", "id": "ev-del", "base_version": 1_000}})],
    )
    .await;
    assert_eq!(outcomes(&answer), ["applied"]);

    // 光が丘's editor sees the tombstone and writes over it with their own association.
    let hikari = other_editor(&app, "hikari").await;
    let tombstone = records(&app, &hikari, "hikari-phone").await["ev-del"].clone();
    assert_eq!(tombstone["deleted"], true);
    let version = tombstone["version"].as_u64().unwrap();
    let mut body = event_body("乗っ取り", Some(10), 0, false);
    body["association_id"] = json!("a-hikari");
    let answer = push(
        &app,
        &hikari,
        "hikari-phone",
        vec![
            put_event(1, "ev-del", version, body),
            json!({"id": 2, "op": {"op": "command", "name": "check_in",
                "args": {"rsvp_id": "r-h"}}}),
        ],
    )
    .await;
    assert_eq!(
        outcomes(&answer),
        ["refused:permission", "refused:validation"]
    );
    assert_eq!(attendees_csv(&app, "ev-del", &hikari).await, 404);
    let seen = records(&app, &hikari, "hikari-phone").await;
    assert_eq!(seen["ev-del"]["deleted"], true, "the tombstone stays");
}

#[tokio::test]
async fn a_client_chosen_id_cannot_take_the_id_of_a_record_the_server_writes() {
    let app = spawn_app().await;
    let kanri = admin(&app, "kanri").await;
    let answer = push(
        &app,
        &kanri,
        "admin-phone",
        vec![put_event(
            1,
            "ev-1",
            0,
            event_body("防災訓練", Some(30), 0, false),
        )],
    )
    .await;
    assert_eq!(outcomes(&answer), ["applied"]);
    // The attacker signs up under the id of the event's moderation record, and puts
    // records under the ids of its places and attendee list.
    let mallory = app.sign_up("mallory", PASSWORD).await;
    let own = format!("user:{}", user_id(&app, "mallory").await);
    let answer = push(
        &app,
        &mallory,
        "mallory-phone",
        vec![
            rsvp(1, "mod-ev-1", "ev-1", 1, 0),
            json!({"id": 2, "op": {"op": "put", "id": "attendees-ev-2", "collection": "memo",
                "scope": own, "base_version": 0, "body": {}}}),
            json!({"id": 3, "op": {"op": "put", "id": "notice-1-ev-1", "collection": "memo",
                "scope": own, "base_version": 0, "body": {}}}),
        ],
    )
    .await;
    assert_eq!(
        outcomes(&answer),
        [
            "refused:validation",
            "refused:validation",
            "refused:validation"
        ]
    );
    // Three residents hide the event; the attacker's cancellation must not show it again.
    for login in ["akemi", "bunta", "chiyo"] {
        let cookie = app.sign_up(login, PASSWORD).await;
        let answer = push(
            &app,
            &cookie,
            &format!("{login}-phone"),
            vec![
                json!({"id": 1, "op": {"op": "command", "name": "report", "args": {
                "report_id": format!("rep-{login}"), "target_id": "ev-1",
                "reason": "内容がまちがっている"}}}),
            ],
        )
        .await;
        assert_eq!(outcomes(&answer), ["applied"]);
    }
    push(&app, &mallory, "mallory-phone", vec![cancel(4, "mod-ev-1")]).await;
    let seen = records(&app, &kanri, "admin-phone").await;
    assert_eq!(seen["mod-ev-1"]["collection"], "moderation");
    assert_eq!(seen["mod-ev-1"]["body"]["hidden"], true);
    let late = app.sign_up("late", PASSWORD).await;
    let answer = push(
        &app,
        &late,
        "late-phone",
        vec![rsvp(1, "r-late", "ev-1", 1, 0)],
    )
    .await;
    assert_eq!(outcomes(&answer), ["refused:closed"], "still hidden");
}

/// A family of `guardian` with `viewer` joined by invite; returns the family id.
pub(super) async fn family(app: &TestApp, guardian: &str, viewer: Option<&str>) -> String {
    let created: Value = app
        .post_json(
            "/api/families",
            &json!({"child_name": "練馬 さくら", "child_birth_date": "2025-06-12"}),
            Some(guardian),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap().to_owned();
    if let Some(viewer) = viewer {
        let invite: Value = app
            .post_json(
                &format!("/api/families/{id}/invites"),
                &json!({"role": "viewer"}),
                Some(guardian),
            )
            .await
            .json()
            .await
            .unwrap();
        let joined = app
            .post_json(
                "/api/invites/accept",
                &json!({"code": invite["code"]}),
                Some(viewer),
            )
            .await;
        assert_eq!(joined.status(), 200);
    }
    id
}

fn note(mutation_id: u64, id: &str, family: &str) -> Value {
    json!({"id": mutation_id, "op": {"op": "put", "id": id, "collection": "handbook_note",
           "scope": format!("family:{family}"), "base_version": 0,
           "body": {"text": "熱なし", "written_on": "2026-11-27", "author": "花子"}}})
}

async fn set_roles(app: &TestApp, cookie: &str, user: &str, roles: Value) -> (u16, Value) {
    let response = app
        .request(
            Method::PUT,
            &format!("/api/admin/users/{user}/roles"),
            Some(cookie),
        )
        .json(&json!({ "roles": roles }))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn an_admin_cannot_grant_themself_health_staff_to_read_the_health_centres_families() {
    let app = spawn_app().await;
    let kanri = admin(&app, "kanri").await;
    let me = user_id(&app, "kanri").await;
    let (status, answer) = set_roles(&app, &kanri, &me, json!(["admin", "health_staff"])).await;
    assert_eq!(status, 403);
    assert_eq!(answer["error"]["code"], "own_roles");
    let list = app
        .request(Method::GET, "/api/health-centre/families", Some(&kanri))
        .send()
        .await
        .unwrap();
    assert_eq!(list.status(), 403);
    // Nor may another admin make anyone both admin and health staff.
    let other = admin(&app, "kanri2").await;
    let (status, answer) = set_roles(&app, &other, &me, json!(["admin", "health_staff"])).await;
    assert_eq!(status, 422);
    assert_eq!(answer["error"]["code"], "roles_incompatible");
    let hoken = app.sign_up("hoken", PASSWORD).await;
    drop(hoken);
    let nurse = user_id(&app, "hoken").await;
    let (status, _) = set_roles(&app, &other, &nurse, json!(["health_staff"])).await;
    assert_eq!(status, 200, "a different admin grants a single role");
}

#[tokio::test]
async fn a_handbook_does_not_outlive_its_family_when_the_last_member_leaves() {
    let app = spawn_app().await;
    let hanako = app.sign_up("hanako", PASSWORD).await;
    let id = family(&app, &hanako, None).await;
    let answer = push(&app, &hanako, "hanako-phone", vec![note(1, "note-1", &id)]).await;
    assert_eq!(outcomes(&answer), ["applied"]);
    let me = user_id(&app, "hanako").await;
    let left = app
        .request(
            Method::DELETE,
            &format!("/api/families/{id}/members/{me}"),
            Some(&hanako),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(left.status(), 204);
    let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sync_records WHERE scope = $1")
        .bind(format!("family:{id}"))
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(kept, 0, "no handbook record without a family");
}

#[tokio::test]
async fn ids_of_other_scopes_cannot_be_probed_through_sync() {
    let app = spawn_app().await;
    let hanako = app.sign_up("hanako", PASSWORD).await;
    let id = family(&app, &hanako, None).await;
    let kanri = admin(&app, "kanri").await;
    let answer = push(
        &app,
        &kanri,
        "admin-phone",
        vec![put_event(
            1,
            "ev-1",
            0,
            event_body("防災訓練", Some(30), 0, false),
        )],
    )
    .await;
    assert_eq!(outcomes(&answer), ["applied"]);
    let answer = push(
        &app,
        &hanako,
        "hanako-phone",
        vec![note(1, "note-1", &id), rsvp(2, "r-hanako", "ev-1", 1, 0)],
    )
    .await;
    assert_eq!(outcomes(&answer), ["applied", "applied"]);

    // An outsider asks about a record, an RSVP and a report target that exist elsewhere,
    // and about ids that exist nowhere: each pair gets the same answer.
    let mallory = app.sign_up("mallory", PASSWORD).await;
    let own = format!("user:{}", user_id(&app, "mallory").await);
    let answer = push(
        &app,
        &mallory,
        "mallory-phone",
        vec![
            json!({"id": 1, "op": {"op": "delete", "id": "note-1", "base_version": 99}}),
            json!({"id": 2, "op": {"op": "delete", "id": "no-such-note", "base_version": 99}}),
            cancel(3, "r-hanako"),
            cancel(4, "no-such-rsvp"),
            json!({"id": 5, "op": {"op": "command", "name": "report", "args": {
                "report_id": "rep-1", "target_id": "note-1", "reason": "x"}}}),
            json!({"id": 6, "op": {"op": "command", "name": "report", "args": {
                "report_id": "rep-2", "target_id": "no-such-note", "reason": "x"}}}),
            json!({"id": 7, "op": {"op": "put", "id": "r-hanako", "collection": "memo",
                "scope": own, "base_version": 0, "body": {}}}),
            json!({"id": 8, "op": {"op": "put", "id": "note-1", "collection": "memo",
                "scope": own, "base_version": 0, "body": {}}}),
        ],
    )
    .await;
    let results = answer["results"].as_array().unwrap();
    for pair in results.chunks(2) {
        let strip = |r: &Value| {
            let mut r = r.clone();
            r.as_object_mut().unwrap().remove("mutation_id");
            r
        };
        assert_eq!(strip(&pair[0]), strip(&pair[1]), "{pair:?}");
    }
    assert_eq!(
        records(&app, &hanako, "hanako-phone").await["note-1"]["deleted"],
        false
    );
}

#[tokio::test]
async fn a_viewer_reading_the_handbook_through_sync_is_audited() {
    let app = spawn_app().await;
    let hanako = app.sign_up("hanako", PASSWORD).await;
    let grandma = app.sign_up("grandma", PASSWORD).await;
    let id = family(&app, &hanako, Some(&grandma)).await;
    let answer = push(
        &app,
        &hanako,
        "hanako-phone",
        vec![note(1, "note-1", &id), note(2, "note-2", &id)],
    )
    .await;
    assert_eq!(outcomes(&answer), ["applied", "applied"]);
    let audited = || async {
        sqlx::query_as::<_, (String, String, String, Option<String>)>(
            "SELECT actor, action, object_id, reason FROM audit_log \
             WHERE action = 'family.read.sync' ORDER BY seq",
        )
        .fetch_all(&app.db.pool)
        .await
        .unwrap()
    };
    // The guardian's own pull is not audited; the viewer's is, once per page, without
    // any of the content.
    records(&app, &hanako, "hanako-phone").await;
    assert!(audited().await.is_empty());
    let seen = records(&app, &grandma, "grandma-phone").await;
    assert!(seen.get("note-1").is_some());
    let grandma_id = user_id(&app, "grandma").await;
    assert_eq!(
        audited().await,
        [(
            grandma_id,
            "family.read.sync".to_owned(),
            id,
            Some("2 records".to_owned())
        )]
    );
}

#[tokio::test]
async fn a_pull_with_a_far_future_cursor_and_no_scopes_answers_one_page_at_most() {
    let app = spawn_app().await;
    let kanri = admin(&app, "kanri").await;
    for batch in 0..6 {
        let mutations = (1..=100)
            .map(|n| {
                let id = format!("ev-{batch}-{n}");
                put_event(
                    batch * 100 + n,
                    &id,
                    0,
                    event_body("防災訓練", Some(30), 0, false),
                )
            })
            .collect();
        push(&app, &kanri, "admin-phone", mutations).await;
    }
    let resident = app.sign_up("mallory", PASSWORD).await;
    let page: Value = app
        .request(
            Method::GET,
            "/api/sync/pull?client_id=m-1&cursor=9000000000000000000&scopes=",
            Some(&resident),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let records = page["records"].as_array().unwrap();
    assert!(records.len() <= 500, "{} records", records.len());
    assert_eq!(page["has_more"], true);
    // Paging on from there brings every event, once.
    let mut seen = std::collections::BTreeSet::new();
    let mut page = page;
    loop {
        for record in page["records"].as_array().unwrap() {
            seen.insert(record["id"].as_str().unwrap().to_owned());
        }
        if page["has_more"] != true {
            break;
        }
        let scopes: Vec<&str> = page["scopes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        page = app
            .request(
                Method::GET,
                &format!(
                    "/api/sync/pull?client_id=m-1&cursor={}&scopes={}",
                    page["cursor"],
                    scopes.join(",")
                ),
                Some(&resident),
            )
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    }
    assert_eq!(seen.iter().filter(|id| id.starts_with("ev-")).count(), 600);
}

#[tokio::test]
async fn a_resident_cannot_fill_the_server_with_unknown_collections_or_without_bound() {
    let app = crate::helpers::spawn_app_with(server::config::SecurityConfig {
        quota_records: 3,
        quota_bytes: 4096,
        ..Default::default()
    })
    .await;
    let hanako = app.sign_up("hanako", PASSWORD).await;
    let id = family(&app, &hanako, None).await;
    let own = format!("user:{}", user_id(&app, "hanako").await);
    let handbook = |mutation_id: u64, record: &str, text: &str| {
        json!({"id": mutation_id, "op": {"op": "put", "id": record,
            "collection": "handbook_note", "scope": format!("family:{id}"), "base_version": 0,
            "body": {"text": text, "written_on": "2026-11-27", "author": "花子"}}})
    };
    let answer = push(
        &app,
        &hanako,
        "hanako-phone",
        vec![
            json!({"id": 1, "op": {"op": "put", "id": "junk-1", "collection": "anything_at_all",
                "scope": own, "base_version": 0, "body": {"x": 1}}}),
            handbook(2, "n-1", "熱なし"),
            handbook(3, "n-2", "熱なし"),
            handbook(4, "n-3", "熱なし"),
            handbook(5, "n-4", "熱なし"),
            // Replacing a record of one's own within the bound is still fine.
            handbook(6, "n-3", "熱なし、元気"),
        ],
    )
    .await;
    assert_eq!(
        outcomes(&answer),
        [
            "refused:validation",
            "applied",
            "applied",
            "applied",
            "refused:quota_exceeded",
            "applied"
        ]
    );
    // The bytes bound holds too: a longer text over the byte quota is refused.
    let answer = push(
        &app,
        &hanako,
        "hanako-phone",
        vec![handbook(7, "n-1", &"長".repeat(1900))],
    )
    .await;
    assert_eq!(outcomes(&answer), ["refused:quota_exceeded"]);
}
