//! Sync push and pull on the real server: round trip within a family's scope,
//! idempotent retries (also concurrent duplicates), gaps, permissions, conflicts kept
//! for review, a client id bound to its account, and pulls that miss nothing while
//! others write.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

const PASSWORD: &str = "桜の咲く 練馬の春 2026";

struct Family {
    guardian: String,
    viewer: String,
    outsider: String,
    scope: String,
}

async fn family(app: &TestApp) -> Family {
    let guardian = app.sign_up("hanako", PASSWORD).await;
    let viewer = app.sign_up("grandma", PASSWORD).await;
    let outsider = app.sign_up("ichiro", PASSWORD).await;
    let created: Value = app
        .post_json(
            "/api/families",
            &json!({"child_name": "練馬 さくら", "child_birth_date": "2025-06-12"}),
            Some(&guardian),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap().to_owned();
    let invite: Value = app
        .post_json(
            &format!("/api/families/{id}/invites"),
            &json!({"role": "viewer"}),
            Some(&guardian),
        )
        .await
        .json()
        .await
        .unwrap();
    let joined = app
        .post_json(
            "/api/invites/accept",
            &json!({"code": invite["code"]}),
            Some(&viewer),
        )
        .await;
    assert_eq!(joined.status(), 200);
    Family {
        guardian,
        viewer,
        outsider,
        scope: format!("family:{id}"),
    }
}

/// A handbook note whose text is `content` (its `text` if it has one, else its JSON).
pub(crate) fn note_body(content: Value) -> Value {
    let text = match content.get("text").and_then(Value::as_str) {
        Some(text) => text.to_owned(),
        None => content.to_string(),
    };
    json!({"text": text, "written_on": "2026-11-27", "author": "花子"})
}

fn put(mutation_id: u64, id: &str, scope: &str, base_version: u64, content: Value) -> Value {
    json!({"id": mutation_id, "op": {"op": "put", "id": id, "collection": "handbook_note",
           "scope": scope, "base_version": base_version, "body": note_body(content)}})
}

/// Every record the user can see, by id, deletions too (one whole initial pull).
pub(crate) async fn records(app: &TestApp, cookie: &str, client: &str) -> Value {
    let response = app
        .request(
            Method::GET,
            &format!("/api/sync/pull?client_id={client}&cursor=0&scopes="),
            Some(cookie),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let page: Value = response.json().await.unwrap();
    let mut by_id = serde_json::Map::new();
    for record in page["records"].as_array().unwrap() {
        by_id.insert(record["id"].as_str().unwrap().into(), record.clone());
    }
    Value::Object(by_id)
}

/// Each mutation's outcome, `refused:<reason>` for refusals.
pub(crate) fn outcomes(answer: &Value) -> Vec<String> {
    answer["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| match r["outcome"].as_str().unwrap() {
            "refused" => format!("refused:{}", r["reason"].as_str().unwrap()),
            other => other.to_owned(),
        })
        .collect()
}

/// Pushes `mutations` as `client`, signed in with `cookie`; the answer must be 200.
pub(crate) async fn push(
    app: &TestApp,
    cookie: &str,
    client: &str,
    mutations: Vec<Value>,
) -> Value {
    let response = app
        .post_json(
            "/api/sync/push",
            &json!({"client_id": client, "mutations": mutations}),
            Some(cookie),
        )
        .await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn pull(app: &TestApp, cookie: &str, client: &str, cursor: u64, scopes: &str) -> Value {
    let response = app
        .request(
            Method::GET,
            &format!("/api/sync/pull?client_id={client}&cursor={cursor}&scopes={scopes}"),
            Some(cookie),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

#[tokio::test]
async fn a_guardians_write_reaches_the_family_and_no_one_else() {
    let app = spawn_app().await;
    let f = family(&app).await;
    let answer = push(
        &app,
        &f.guardian,
        "phone-1",
        vec![put(1, "r1", &f.scope, 0, json!({"weight_g": 3120}))],
    )
    .await;
    assert_eq!(answer["status"], "done");
    assert_eq!(answer["results"][0]["outcome"], "applied");

    let seen = pull(&app, &f.viewer, "tablet-1", 0, "").await;
    let ids: Vec<&str> = seen["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["r1"]);
    assert!(seen["scopes"].as_array().unwrap().contains(&json!(f.scope)));
    let outsider = pull(&app, &f.outsider, "other-1", 0, "").await;
    assert_eq!(outsider["records"], json!([]));
    assert!(
        !outsider["scopes"]
            .as_array()
            .unwrap()
            .contains(&json!(f.scope))
    );

    // The viewer may read but not write; the outsider may not write either.
    for (cookie, client) in [(&f.viewer, "tablet-1"), (&f.outsider, "other-1")] {
        let answer = push(
            &app,
            cookie,
            client,
            vec![put(1, "r2", &f.scope, 0, json!({}))],
        )
        .await;
        assert_eq!(answer["results"][0]["outcome"], "refused");
        assert_eq!(answer["results"][0]["reason"], "permission");
    }
    // Pulling again from the returned cursor brings nothing new.
    let again = pull(
        &app,
        &f.viewer,
        "tablet-1",
        seen["cursor"].as_u64().unwrap(),
        &f.scope,
    )
    .await;
    assert_eq!(again["records"], json!([]));
}

#[tokio::test]
async fn a_retried_or_duplicated_push_is_applied_once() {
    let app = spawn_app().await;
    let f = family(&app).await;
    let batch = vec![
        put(1, "a", &f.scope, 0, json!({"n": 1})),
        put(2, "b", &f.scope, 0, json!({"n": 2})),
        put(3, "c", &f.scope, 0, json!({"n": 3})),
    ];
    let (one, two, three) = tokio::join!(
        push(&app, &f.guardian, "phone-1", batch.clone()),
        push(&app, &f.guardian, "phone-1", batch.clone()),
        push(&app, &f.guardian, "phone-1", batch.clone()),
    );
    assert_eq!(one, two);
    assert_eq!(two, three);
    let retry = push(&app, &f.guardian, "phone-1", batch).await;
    assert_eq!(retry, one, "a retry gets the first answers");
    let versions: i64 = sqlx::query_scalar("SELECT MAX(version) FROM sync_records")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(versions, 3, "three writes, not nine or twelve");
}

#[tokio::test]
async fn a_gap_is_refused_whole() {
    let app = spawn_app().await;
    let f = family(&app).await;
    let answer = push(
        &app,
        &f.guardian,
        "phone-1",
        vec![put(2, "a", &f.scope, 0, json!({}))],
    )
    .await;
    assert_eq!(answer, json!({"status": "gap", "last_mutation_id": 0}));
    let records: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sync_records")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(records, 0);
}

#[tokio::test]
async fn a_late_write_over_someone_elses_is_kept_as_a_conflict() {
    let app = spawn_app().await;
    let f = family(&app).await;
    let taro = app.sign_up("taro", PASSWORD).await;
    let family_id = f.scope.trim_start_matches("family:");
    let invite: Value = app
        .post_json(
            &format!("/api/families/{family_id}/invites"),
            &json!({"role": "guardian"}),
            Some(&f.guardian),
        )
        .await
        .json()
        .await
        .unwrap();
    app.post_json(
        "/api/invites/accept",
        &json!({"code": invite["code"]}),
        Some(&taro),
    )
    .await;

    push(
        &app,
        &f.guardian,
        "phone-h",
        vec![put(1, "memo", &f.scope, 0, json!({"text": "熱 37.5"}))],
    )
    .await;
    // Taro's phone never saw Hanako's write (base 0) and writes the same record.
    let late = push(
        &app,
        &taro,
        "phone-t",
        vec![put(1, "memo", &f.scope, 0, json!({"text": "熱 38.0"}))],
    )
    .await;
    assert_eq!(late["results"][0]["outcome"], "conflict");
    assert_eq!(late["results"][0]["current_version"], 1);
    let kept: String =
        sqlx::query_scalar("SELECT body FROM sync_conflicts WHERE client_id = 'phone-t'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert!(kept.contains("38.0"), "the losing write is kept for review");
    let seen = pull(&app, &taro, "phone-t", 0, "").await;
    assert_eq!(
        seen["records"][0]["body"]["text"], "熱 37.5",
        "the first write stays"
    );
    // Hanako writing again over her own version is not a conflict.
    let again = push(
        &app,
        &f.guardian,
        "phone-h",
        vec![put(2, "memo", &f.scope, 0, json!({"text": "熱 36.8"}))],
    )
    .await;
    assert_eq!(again["results"][0]["outcome"], "applied");
}

#[tokio::test]
async fn a_client_id_belongs_to_one_account() {
    let app = spawn_app().await;
    let f = family(&app).await;
    push(&app, &f.guardian, "phone-1", vec![]).await;
    let stolen = app
        .post_json(
            "/api/sync/push",
            &json!({"client_id": "phone-1", "mutations": []}),
            Some(&f.outsider),
        )
        .await;
    assert_eq!(stolen.status(), 403);
    let read = app
        .request(
            Method::GET,
            "/api/sync/pull?client_id=phone-1&cursor=0",
            Some(&f.outsider),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), 403);
}

#[tokio::test]
async fn pulling_while_others_write_misses_nothing() {
    let app = spawn_app().await;
    let f = family(&app).await;
    let writers = (0..4).map(|w| {
        let (app, cookie, scope) = (&app, f.guardian.clone(), f.scope.clone());
        async move {
            for n in 1..=10u64 {
                let id = format!("w{w}-{n}");
                push(
                    app,
                    &cookie,
                    &format!("writer-{w}"),
                    vec![put(n, &id, &scope, 0, json!({"n": n}))],
                )
                .await;
            }
        }
    });
    let reader = async {
        let mut seen = std::collections::BTreeSet::new();
        let mut cursor = 0;
        let mut scopes = String::new();
        for _ in 0..40 {
            let page = pull(&app, &f.viewer, "reader", cursor, &scopes).await;
            for record in page["records"].as_array().unwrap() {
                seen.insert(record["id"].as_str().unwrap().to_owned());
            }
            cursor = page["cursor"].as_u64().unwrap();
            scopes = page["scopes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap())
                .collect::<Vec<_>>()
                .join(",");
            tokio::task::yield_now().await;
        }
        (seen, cursor, scopes)
    };
    let (_, (mut seen, cursor, scopes)) = tokio::join!(futures::future::join_all(writers), reader);
    let last = pull(&app, &f.viewer, "reader", cursor, &scopes).await;
    for record in last["records"].as_array().unwrap() {
        seen.insert(record["id"].as_str().unwrap().to_owned());
    }
    assert_eq!(seen.len(), 40, "{seen:?}");
}

#[tokio::test]
async fn a_handbook_note_is_checked_by_its_domain_type() {
    let app = spawn_app().await;
    let f = family(&app).await;
    let note = |mutation_id: u64, id: &str, scope: &str, body: Value| {
        json!({"id": mutation_id, "op": {"op": "put", "id": id, "collection": "handbook_note",
               "scope": scope, "base_version": 0, "body": body}})
    };
    let good = json!({"text": "熱なし", "written_on": "2026-11-27", "author": "練馬 花子"});
    let answer = push(
        &app,
        &f.guardian,
        "phone-1",
        vec![
            note(1, "n1", &f.scope, good.clone()),
            note(
                2,
                "n2",
                &f.scope,
                json!({"text": "", "written_on": "2026-11-27", "author": "花子"}),
            ),
            note(
                3,
                "n3",
                &f.scope,
                json!({"text": "x", "written_on": "27/11/2026", "author": "花子"}),
            ),
            note(4, "n4", "user:someone", good.clone()),
            note(
                5,
                "n5",
                &f.scope,
                json!({"text": "x", "written_on": "2026-11-27", "author": "花子", "extra": 1}),
            ),
        ],
    )
    .await;
    let outcomes: Vec<(&str, &str)> = answer["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["outcome"].as_str().unwrap(),
                r["reason"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        outcomes,
        [
            ("applied", ""),
            ("refused", "validation"),
            ("refused", "validation"),
            ("refused", "validation"),
            ("refused", "validation"),
        ]
    );
    let seen = pull(&app, &f.viewer, "tablet-1", 0, "").await;
    assert_eq!(seen["records"].as_array().unwrap().len(), 1);
    assert_eq!(seen["records"][0]["body"], good);
}

/// Pull reads memberships on every request (nothing cached): a member removed from a
/// family stops seeing its scope and its new records at once, and one who joins gets
/// the family's older records whole.
#[tokio::test]
async fn a_membership_change_shows_in_the_very_next_pull() {
    let app = spawn_app().await;
    let f = family(&app).await;
    push(
        &app,
        &f.guardian,
        "phone-1",
        vec![put(1, "before", &f.scope, 0, json!({"n": 1}))],
    )
    .await;
    let seen = pull(&app, &f.viewer, "tablet-1", 0, "").await;
    assert!(seen["scopes"].as_array().unwrap().contains(&json!(f.scope)));
    assert_eq!(seen["records"][0]["id"], "before");
    let cursor = seen["cursor"].as_u64().unwrap();
    let held = seen["scopes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect::<Vec<_>>()
        .join(",");

    let family_id = f.scope.trim_start_matches("family:");
    let viewer_id: String = sqlx::query_scalar("SELECT id FROM users WHERE login = 'grandma'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let removed = app
        .request(
            Method::DELETE,
            &format!("/api/families/{family_id}/members/{viewer_id}"),
            Some(&f.guardian),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), 204);
    push(
        &app,
        &f.guardian,
        "phone-1",
        vec![put(2, "after", &f.scope, 0, json!({"n": 2}))],
    )
    .await;
    let after = pull(&app, &f.viewer, "tablet-1", cursor, &held).await;
    assert!(
        !after["scopes"]
            .as_array()
            .unwrap()
            .contains(&json!(f.scope))
    );
    assert_eq!(
        after["records"],
        json!([]),
        "a removed member sees nothing new"
    );

    // The outsider joins: the family's records arrive whole, though the cursor is past them.
    let outsider_first = pull(&app, &f.outsider, "other-1", 0, "").await;
    let outsider_cursor = outsider_first["cursor"].as_u64().unwrap();
    let invite: Value = app
        .post_json(
            &format!("/api/families/{family_id}/invites"),
            &json!({"role": "viewer"}),
            Some(&f.guardian),
        )
        .await
        .json()
        .await
        .unwrap();
    app.post_json(
        "/api/invites/accept",
        &json!({"code": invite["code"]}),
        Some(&f.outsider),
    )
    .await;
    let joined = pull(&app, &f.outsider, "other-1", outsider_cursor, "public").await;
    let mut ids: Vec<&str> = joined["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    ids.sort();
    assert_eq!(ids, ["after", "before"]);
}

/// A push decides each mutation against the ones before it in the same batch: writing
/// one record several times, deleting it, and a conflict among other writes.
#[tokio::test]
async fn a_push_that_touches_one_record_several_times_applies_each_in_order() {
    let app = spawn_app().await;
    let f = family(&app).await;
    push(
        &app,
        &f.guardian,
        "phone-a",
        vec![put(1, "theirs", &f.scope, 0, json!({"by": "a"}))],
    )
    .await;
    let answer = push(
        &app,
        &f.guardian,
        "phone-b",
        vec![
            put(1, "mine", &f.scope, 0, json!({"v": 1})),
            put(2, "mine", &f.scope, 2, json!({"v": 2})),
            // phone-b never saw phone-a's write: a conflict, kept for review.
            put(3, "theirs", &f.scope, 0, json!({"by": "b"})),
            json!({"id": 4, "op": {"op": "delete", "id": "mine", "base_version": 3}}),
            json!({"id": 5, "op": {"op": "delete", "id": "never-was", "base_version": 0}}),
            put(6, "other", &f.scope, 0, json!({"v": 6})),
            put(7, "bad id", "public", 0, json!({})),
        ],
    )
    .await;
    let outcomes: Vec<Value> = answer["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["outcome"].clone())
        .collect();
    assert_eq!(
        outcomes,
        [
            "applied", "applied", "conflict", "applied", "applied", "applied", "refused"
        ]
    );
    let versions: Vec<Value> = answer["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["version"].clone())
        .collect();
    assert_eq!(versions[..2], [json!(2), json!(3)]);
    assert_eq!(versions[3], json!(4));
    assert_eq!(
        versions[4],
        json!(0),
        "deleting what never was changes nothing"
    );
    assert_eq!(versions[5], json!(5));
    let kept: String =
        sqlx::query_scalar("SELECT body FROM sync_conflicts WHERE client_id = 'phone-b'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert!(kept.contains(r#"\"b\""#), "{kept}");

    let page = pull(&app, &f.viewer, "tablet-1", 0, "").await;
    let records: Vec<(String, u64, bool)> = page["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_owned(),
                r["version"].as_u64().unwrap(),
                r["deleted"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        records,
        [
            ("theirs".to_owned(), 1, false),
            ("mine".to_owned(), 4, true),
            ("other".to_owned(), 5, false),
        ]
    );
    assert_eq!(page["records"][0]["body"], note_body(json!({"by": "a"})));
    assert_eq!(page["cursor"], 5);
    // The same push again is answered from the stored outcomes.
    let again = push(
        &app,
        &f.guardian,
        "phone-b",
        vec![put(7, "bad id", "public", 0, json!({}))],
    )
    .await;
    assert_eq!(again["results"][0], answer["results"][6]);
}
