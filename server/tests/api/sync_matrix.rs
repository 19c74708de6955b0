//! The authorization matrix's sync rows: a put of every collection into the scopes it
//! can live in (the caller's own and another's), and a pull of every kind of scope, for
//! every kind of caller, each with the outcome it must get, from one table.

use domain::{
    accounts::Role,
    associations::{Association, AssociationRole},
};
use reqwest::Method;
use serde_json::{Value, json};
use server::{accounts, associations, families};

use crate::{
    helpers::{TestApp, spawn_app},
    moderation::{PASSWORD, user_id},
    rsvp::event_body,
    sync::outcomes,
};

/// The callers, in the order of every row's expectations.
const ACTORS: [&str; 10] = [
    "anonymous",
    "resident",
    "guardian",
    "viewer",
    "other_family",
    "editor",
    "other_editor",
    "member",
    "health",
    "admin",
];

/// Accounts for every caller but the anonymous one: their cookies, in [`ACTORS`] order
/// (`None` first), and the two families' ids.
async fn fixture(app: &TestApp) -> (Vec<Option<String>>, String, String) {
    let mut cookies = vec![None];
    for login in &ACTORS[1..] {
        cookies.push(Some(app.sign_up(&format!("m-{login}"), PASSWORD).await));
    }
    let id = |n: usize| async move { user_id(app, &format!("m-{}", ACTORS[n])).await };
    for (slug, editor) in [("a-a", 5), ("a-b", 6)] {
        associations::insert_if_missing(
            &app.db,
            &Association {
                id: slug.into(),
                slug: slug.into(),
                name: format!("{slug} 町会"),
                area: "桜台".into(),
            },
        )
        .await
        .unwrap();
        associations::add_member(&app.db, slug, &id(editor).await, AssociationRole::Editor)
            .await
            .unwrap();
    }
    associations::add_member(&app.db, "a-a", &id(7).await, AssociationRole::Member)
        .await
        .unwrap();
    accounts::grant_role(&app.db, &id(8).await, Role::HealthStaff)
        .await
        .unwrap();
    accounts::grant_role(&app.db, &id(9).await, Role::Admin)
        .await
        .unwrap();
    let mut families = Vec::new();
    for guardian in [2, 4] {
        let created: Value = app
            .post_json(
                "/api/families",
                &json!({"child_name": "練馬 さくら", "child_birth_date": "2025-06-12"}),
                cookies[guardian].as_deref(),
            )
            .await
            .json()
            .await
            .unwrap();
        families.push(created["id"].as_str().unwrap().to_owned());
    }
    let invite: Value = app
        .post_json(
            &format!("/api/families/{}/invites", families[0]),
            &json!({"role": "viewer"}),
            cookies[2].as_deref(),
        )
        .await
        .json()
        .await
        .unwrap();
    let joined = app
        .post_json(
            "/api/invites/accept",
            &json!({"code": invite["code"]}),
            cookies[3].as_deref(),
        )
        .await;
    assert_eq!(joined.status(), 200);
    // The second family consents to the health centre: health staff read it, only.
    families::set_consent(&app.db, &families[1], true)
        .await
        .unwrap();
    (cookies, families[0].clone(), families[1].clone())
}

fn note() -> Value {
    json!({"text": "熱なし", "written_on": "2026-11-27", "author": "花子"})
}

fn event(association: &str) -> Value {
    let mut body = event_body("防災訓練", Some(30), 0, false);
    body["association_id"] = json!(association);
    body
}

fn circular(association: &str) -> Value {
    json!({"association_id": association, "title": "回覧", "posted_on": "2026-11-27"})
}

const A: &str = "applied";
const P: &str = "refused:permission";
const V: &str = "refused:validation";
const U: &str = "401";

#[tokio::test]
async fn every_collection_put_and_every_scope_pulled_answers_every_caller_as_the_matrix_says() {
    let app = spawn_app().await;
    let (cookies, fam_a, fam_b) = fixture(&app).await;
    let family_a = format!("family:{fam_a}");
    let family_b = format!("family:{fam_b}");
    // (collection, scope — `own` is the caller's own `user:` scope —, body, expected)
    //                                                an re gu vi of ed oe me he ad
    let puts: Vec<(&str, &str, Value, [&str; 10])> = vec![
        (
            "handbook_note",
            &family_a,
            note(),
            [U, P, A, P, P, P, P, P, P, P],
        ),
        (
            "handbook_note",
            &family_b,
            note(),
            [U, P, P, P, A, P, P, P, P, P],
        ),
        (
            "handbook_note",
            "own",
            note(),
            [U, V, V, V, V, V, V, V, V, V],
        ),
        (
            "event",
            "public",
            event("a-a"),
            [U, P, P, P, P, A, P, P, P, A],
        ),
        (
            "event",
            "public",
            event("a-b"),
            [U, P, P, P, P, P, A, P, P, A],
        ),
        (
            "event",
            "editors:a-a",
            event("a-a"),
            [U, P, P, P, P, A, P, P, P, P],
        ),
        (
            "event",
            "editors:a-b",
            event("a-b"),
            [U, P, P, P, P, P, A, P, P, P],
        ),
        (
            "circular",
            "association:a-a",
            circular("a-a"),
            [U, P, P, P, P, A, P, P, P, P],
        ),
        (
            "circular",
            "association:a-b",
            circular("a-b"),
            [U, P, P, P, P, P, A, P, P, P],
        ),
        ("rsvp", "own", json!({}), [U, P, P, P, P, P, P, P, P, P]),
        (
            "event_places",
            "public",
            json!({}),
            [U, P, P, P, P, P, P, P, P, P],
        ),
        (
            "event_attendees",
            "editors:a-a",
            json!({}),
            [U, P, P, P, P, P, P, P, P, P],
        ),
        ("notice", "own", json!({}), [U, P, P, P, P, P, P, P, P, P]),
        (
            "moderation",
            "public",
            json!({}),
            [U, P, P, P, P, P, P, P, P, P],
        ),
        ("report", "own", json!({}), [U, P, P, P, P, P, P, P, P, P]),
        (
            "circular_read",
            "own",
            json!({}),
            [U, P, P, P, P, P, P, P, P, P],
        ),
        (
            "circular_tally",
            "association:a-a",
            json!({}),
            [U, P, P, P, P, P, P, P, P, P],
        ),
        (
            "circular_readers",
            "editors:a-a",
            json!({}),
            [U, P, P, P, P, P, P, P, P, P],
        ),
        (
            "memo",
            "own",
            json!({"x": 1}),
            [U, V, V, V, V, V, V, V, V, V],
        ),
        (
            "handbook_measurement",
            &family_a,
            json!({"measured_on": "2026-06-01", "weight_g": 7400}),
            [U, P, A, P, P, P, P, P, P, P],
        ),
        (
            "handbook_dose",
            &family_b,
            json!({"date": "2026-03-01", "vaccine": "hepb", "dose": 1}),
            [U, P, P, P, A, P, P, P, P, P],
        ),
    ];
    let mut failures = Vec::new();
    let mut next_mutation = [0u64; 10];
    for (row, (collection, scope, body, expected)) in puts.iter().enumerate() {
        for (actor, cookie) in cookies.iter().enumerate() {
            let scope = match (*scope, cookie) {
                ("own", Some(_)) => {
                    format!(
                        "user:{}",
                        user_id(&app, &format!("m-{}", ACTORS[actor])).await
                    )
                }
                ("own", None) => "user:nobody".to_owned(),
                (scope, _) => scope.to_owned(),
            };
            next_mutation[actor] += 1;
            let mutation = json!({"id": next_mutation[actor], "op": {"op": "put",
                "id": format!("x{row}-{actor}"), "collection": collection, "scope": scope,
                "base_version": 0, "body": body}});
            let response = app
                .post_json(
                    "/api/sync/push",
                    &json!({"client_id": format!("c-{actor}"), "mutations": [mutation]}),
                    cookie.as_deref(),
                )
                .await;
            let got = if response.status() == 200 {
                outcomes(&response.json().await.unwrap())[0].clone()
            } else {
                response.status().as_u16().to_string()
            };
            if got != expected[actor] {
                failures.push(format!(
                    "put {collection} in {scope} by {}: {got}, expected {}",
                    ACTORS[actor], expected[actor]
                ));
            }
        }
    }

    // Pulls: whether a record the fixture wrote in each scope reaches each caller.
    // (record id, scope) and whether each caller sees it; `false` for anonymous means 401.
    let seeded = [
        (
            "x0-2",
            &family_a,
            [
                false, false, true, true, false, false, false, false, false, false,
            ],
        ),
        (
            "x1-4",
            &family_b,
            [
                false, false, false, false, true, false, false, false, true, false,
            ],
        ),
        (
            "x19-2",
            &family_a,
            [
                false, false, true, true, false, false, false, false, false, false,
            ],
        ),
        (
            "x20-4",
            &family_b,
            [
                false, false, false, false, true, false, false, false, true, false,
            ],
        ),
        (
            "x3-5",
            &"public".to_owned(),
            [false, true, true, true, true, true, true, true, true, true],
        ),
        (
            "x5-5",
            &"editors:a-a".to_owned(),
            [
                false, false, false, false, false, true, false, false, false, false,
            ],
        ),
        (
            "x7-5",
            &"association:a-a".to_owned(),
            [
                false, false, false, false, false, true, false, true, false, false,
            ],
        ),
        (
            "x8-6",
            &"association:a-b".to_owned(),
            [
                false, false, false, false, false, false, true, false, false, false,
            ],
        ),
    ];
    for (actor, cookie) in cookies.iter().enumerate() {
        let response = app
            .request(
                Method::GET,
                &format!("/api/sync/pull?client_id=c-{actor}&cursor=0&scopes="),
                cookie.as_deref(),
            )
            .send()
            .await
            .unwrap();
        if cookie.is_none() {
            if response.status() != 401 {
                failures.push(format!("pull by anonymous: {}", response.status()));
            }
            continue;
        }
        let page: Value = response.json().await.unwrap();
        let ids: Vec<&str> = page["records"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        for (id, scope, seen) in &seeded {
            if ids.contains(id) != seen[actor] {
                failures.push(format!(
                    "pull of {scope} by {}: seen {}, expected {}",
                    ACTORS[actor],
                    ids.contains(id),
                    seen[actor]
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
