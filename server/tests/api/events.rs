//! The event board's records: who may publish an association's events, drafts only its
//! editors see, notices when an event moves or is called off, and check-in by code.

use domain::associations::{Association, AssociationRole};
use serde_json::{Value, json};
use server::associations;

use crate::{
    helpers::{TestApp, spawn_app},
    rsvp::{PASSWORD, event_body, rsvp},
    sync::{outcomes, push, records},
};

const A: &str = "a-sakura";
const B: &str = "a-hikari";

/// Two associations; `ed_a` edits A, `ed_b` edits B, `member` belongs to A, `resident`
/// to none. Returns their cookies in that order.
async fn neighbourhood(app: &TestApp) -> [String; 4] {
    for (id, slug) in [(A, "sakura"), (B, "hikari")] {
        let association = Association {
            id: id.into(),
            slug: slug.into(),
            name: format!("{slug} 町会"),
            area: String::new(),
        };
        associations::insert_if_missing(&app.db, &association)
            .await
            .unwrap();
    }
    let mut cookies = Vec::new();
    for (login, membership) in [
        ("ed-a", Some((A, AssociationRole::Editor))),
        ("ed-b", Some((B, AssociationRole::Editor))),
        ("member", Some((A, AssociationRole::Member))),
        ("resident", None),
    ] {
        cookies.push(app.sign_up(login, PASSWORD).await);
        let id: String = sqlx::query_scalar("SELECT id FROM users WHERE login = $1")
            .bind(login)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        if let Some((association, role)) = membership {
            associations::add_member(&app.db, association, &id, role)
                .await
                .unwrap();
        }
    }
    cookies.try_into().unwrap()
}

fn body_of(association: &str, title: &str) -> Value {
    let mut body = event_body(title, Some(10), 0, false);
    body["association_id"] = json!(association);
    body
}

fn put(id: u64, record: &str, scope: &str, base: u64, body: Value) -> Value {
    json!({"id": id, "op": {"op": "put", "id": record, "collection": "event",
        "scope": scope, "base_version": base, "body": body}})
}

fn notices(seen: &Value) -> Vec<Value> {
    seen.as_object()
        .unwrap()
        .values()
        .filter(|r| r["collection"] == "notice" && r["deleted"] != true)
        .map(|r| r["body"].clone())
        .collect()
}

#[tokio::test]
async fn only_an_associations_editors_publish_its_events_and_see_its_drafts() {
    let app = spawn_app().await;
    let [ed_a, ed_b, member, resident] = neighbourhood(&app).await;
    let answer = push(
        &app,
        &ed_a,
        "ed-a",
        vec![put(1, "ev-1", "public", 0, body_of(A, "防災訓練"))],
    )
    .await;
    assert_eq!(outcomes(&answer), ["applied"]);
    // Another association's editor may neither post as A nor take A's event over.
    let answer = push(
        &app,
        &ed_b,
        "ed-b",
        vec![
            put(1, "ev-2", "public", 0, body_of(A, "なりすまし")),
            put(2, "ev-1", "public", 1, body_of(B, "乗っ取り")),
            json!({"id": 3, "op": {"op": "delete", "id": "ev-1", "base_version": 1}}),
        ],
    )
    .await;
    assert_eq!(
        outcomes(&answer),
        [
            "refused:permission",
            "refused:permission",
            "refused:permission"
        ]
    );
    // A plain member may not publish; nobody may publish an event whose end is before
    // its start.
    let answer = push(
        &app,
        &member,
        "member",
        vec![put(1, "ev-3", "public", 0, body_of(A, "会員"))],
    )
    .await;
    assert_eq!(outcomes(&answer), ["refused:permission"]);
    let mut backwards = body_of(A, "逆さま");
    backwards["end_time"] = json!("08:00");
    let answer = push(
        &app,
        &ed_a,
        "ed-a",
        vec![put(2, "ev-4", "public", 0, backwards)],
    )
    .await;
    assert_eq!(outcomes(&answer), ["refused:validation"]);
    // Drafts: in the editors' scope of their own association only.
    let answer = push(
        &app,
        &ed_a,
        "ed-a",
        vec![
            put(
                3,
                "draft-1",
                &format!("editors:{A}"),
                0,
                body_of(A, "下書き"),
            ),
            put(
                4,
                "draft-2",
                &format!("editors:{A}"),
                0,
                body_of(B, "よその下書き"),
            ),
            put(
                5,
                "draft-3",
                &format!("editors:{B}"),
                0,
                body_of(B, "よその下書き"),
            ),
        ],
    )
    .await;
    assert_eq!(
        outcomes(&answer),
        ["applied", "refused:validation", "refused:permission"]
    );
    let by_resident = records(&app, &resident, "resident").await;
    assert_eq!(
        by_resident["ev-1"]["body"]["title"], "防災訓練",
        "published to everyone"
    );
    for cookie in [&member, &resident, &ed_b] {
        let seen = records(&app, cookie, "x").await;
        assert!(
            seen.get("draft-1").is_none(),
            "a draft is its editors' alone"
        );
    }
    assert_eq!(
        records(&app, &ed_a, "ed-a").await["draft-1"]["body"]["title"],
        "下書き"
    );
    // A draft takes no RSVPs, even from its editor.
    let answer = push(&app, &ed_a, "ed-a", vec![rsvp(6, "r-d", "draft-1", 1, 0)]).await;
    assert_eq!(outcomes(&answer), ["refused:permission"]);
}

#[tokio::test]
async fn moving_or_calling_off_an_event_tells_those_who_signed_up() {
    let app = spawn_app().await;
    let [ed_a, _, member, resident] = neighbourhood(&app).await;
    let body = body_of(A, "夏祭り");
    push(
        &app,
        &ed_a,
        "ed-a",
        vec![put(1, "ev-1", "public", 0, body.clone())],
    )
    .await;
    let answer = push(&app, &resident, "res", vec![rsvp(1, "r-1", "ev-1", 2, 1)]).await;
    assert_eq!(outcomes(&answer), ["applied"]);

    let mut described = body.clone();
    described["description"] = json!("持ち物: うちわ");
    let mut moved = described.clone();
    moved["start_time"] = json!("10:00");
    let answer = push(
        &app,
        &ed_a,
        "ed-a",
        vec![
            put(2, "ev-1", "public", 1, described),
            put(3, "ev-1", "public", 1, moved.clone()),
        ],
    )
    .await;
    assert_eq!(outcomes(&answer), ["applied", "applied"]);
    let told = notices(&records(&app, &resident, "res").await);
    assert_eq!(
        told.len(),
        1,
        "a new description is no news; a new time is: {told:?}"
    );
    assert_eq!(told[0]["change"], "moved");
    assert_eq!(told[0]["start_time"], "10:00");
    assert!(
        notices(&records(&app, &member, "m").await).is_empty(),
        "only those who signed up"
    );

    let mut off = moved;
    off["cancelled"] = json!(true);
    push(&app, &ed_a, "ed-a", vec![put(4, "ev-1", "public", 1, off)]).await;
    let seen = records(&app, &resident, "res").await;
    let mut changes: Vec<Value> = notices(&seen).iter().map(|n| n["change"].clone()).collect();
    changes.sort_by_key(|c| c.to_string());
    assert_eq!(changes, [json!("cancelled"), json!("moved")]);

    // The resident dismisses a notice; nobody writes one.
    let id = seen
        .as_object()
        .unwrap()
        .iter()
        .find(|(_, r)| r["collection"] == "notice")
        .map(|(id, _)| id.clone())
        .unwrap();
    let answer = push(
        &app,
        &resident,
        "res",
        vec![
            json!({"id": 2, "op": {"op": "delete", "id": id, "base_version": 99}}),
            json!({"id": 3, "op": {"op": "put", "id": "n-fake", "collection": "notice",
                "scope": "public", "base_version": 0, "body": {}}}),
        ],
    )
    .await;
    assert_eq!(outcomes(&answer), ["applied", "refused:permission"]);
    assert_eq!(notices(&records(&app, &resident, "res").await).len(), 1);
}

#[tokio::test]
async fn an_editor_checks_in_a_confirmed_party_by_its_code() {
    let app = spawn_app().await;
    let [ed_a, ed_b, member, resident] = neighbourhood(&app).await;
    let mut body = body_of(A, "スマホ教室");
    body["capacity"] = json!(3);
    push(&app, &ed_a, "ed-a", vec![put(1, "ev-1", "public", 0, body)]).await;
    push(&app, &resident, "res", vec![rsvp(1, "r-1", "ev-1", 2, 0)]).await;
    push(&app, &member, "mem", vec![rsvp(1, "r-2", "ev-1", 2, 0)]).await;

    let list = &records(&app, &ed_a, "ed-a").await["attendees-ev-1"];
    assert_eq!(list["scope"], format!("editors:{A}"));
    let parties = list["body"]["parties"].as_array().unwrap();
    assert_eq!(parties.len(), 2);
    assert_eq!(parties[0]["name"], "resident");
    assert_eq!(parties[0]["status"], "confirmed");
    assert_eq!(parties[1]["status"], "waitlisted");
    let code = records(&app, &resident, "res").await["r-1"]["body"]["code"].clone();
    assert_eq!(
        parties[0]["code"], code,
        "the editor's list has the code the resident shows"
    );
    for cookie in [&member, &resident, &ed_b] {
        assert!(
            records(&app, cookie, "x")
                .await
                .get("attendees-ev-1")
                .is_none()
        );
    }

    let check_in = |id: u64, rsvp: &str| json!({"id": id, "op": {"op": "command", "name": "check_in", "args": {"rsvp_id": rsvp}}});
    // Another association's party is answered as a missing one (ids cannot be probed).
    let answer = push(&app, &ed_b, "ed-b", vec![check_in(1, "r-1")]).await;
    assert_eq!(outcomes(&answer), ["refused:validation"]);
    let answer = push(&app, &member, "mem", vec![check_in(2, "r-1")]).await;
    assert_eq!(outcomes(&answer), ["refused:validation"]);
    let answer = push(
        &app,
        &ed_a,
        "ed-a",
        vec![
            check_in(2, "r-1"),
            check_in(3, "r-1"),
            check_in(4, "r-2"),
            check_in(5, "nope"),
        ],
    )
    .await;
    assert_eq!(
        outcomes(&answer),
        [
            "applied",
            "applied",
            "refused:validation",
            "refused:validation"
        ],
        "a repeat changes nothing; a waiting party is not checked in"
    );
    assert_eq!(answer["results"][1]["version"], 0);
    let list = &records(&app, &ed_a, "ed-a").await["attendees-ev-1"]["body"]["parties"];
    assert_eq!(
        (&list[0]["checked_in"], &list[1]["checked_in"]),
        (&json!(true), &json!(false))
    );
}
