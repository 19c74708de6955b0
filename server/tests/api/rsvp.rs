//! RSVPs as domain commands on the real server (`domain::events`): confirmed while places
//! remain, otherwise waitlisted in order; a cancellation promotes the first waiting party
//! that fits; RSVPs and places are written by the server only; concurrent RSVPs never
//! take more places than offered.

use serde_json::{Value, json};
use server::accounts;

use crate::{
    helpers::{TestApp, spawn_app},
    sync::{outcomes, push, records},
};

pub(crate) const PASSWORD: &str = "桜の咲く 練馬の春 2026";

pub(crate) fn rsvp(
    mutation_id: u64,
    rsvp_id: &str,
    event_id: &str,
    adults: u32,
    children: u32,
) -> Value {
    json!({"id": mutation_id, "op": {"op": "command", "name": "rsvp", "args": {
        "rsvp_id": rsvp_id, "event_id": event_id, "adults": adults, "children": children}}})
}

pub(crate) fn cancel(mutation_id: u64, rsvp_id: &str) -> Value {
    json!({"id": mutation_id, "op": {"op": "command", "name": "cancel_rsvp",
           "args": {"rsvp_id": rsvp_id}}})
}

/// An event's body as the app writes it.
pub fn event_body(
    title: &str,
    capacity: Option<u32>,
    reserved: u32,
    cancelled: bool,
) -> serde_json::Value {
    json!({
        "association_id": "a-test", "title": title, "category": "disaster_prep",
        "start_date": "2026-12-06", "start_time": "09:00", "end_date": "2026-12-06",
        "end_time": "11:30", "venue": "桜台公園", "address": "練馬区桜台1-2-3",
        "rsvp_needed": true, "capacity": capacity, "reserved": reserved, "cancelled": cancelled,
    })
}

/// An admin posts a public event with these places; returns the admin's cookie.
async fn event(app: &TestApp, id: &str, capacity: u32, reserved: u32) -> String {
    let admin = app.sign_up("kanri", PASSWORD).await;
    let admin_id: String = sqlx::query_scalar("SELECT id FROM users WHERE login = 'kanri'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    accounts::grant_role(&app.db, &admin_id, domain::accounts::Role::Admin)
        .await
        .unwrap();
    let answer = push(
        app,
        &admin,
        "admin-phone",
        vec![
            json!({"id": 1, "op": {"op": "put", "id": id, "collection": "event",
            "scope": "public", "base_version": 0,
            "body": event_body("桜台公園 防災訓練", Some(capacity), reserved, false)}}),
        ],
    )
    .await;
    assert_eq!(outcomes(&answer), ["applied"]);
    admin
}

#[tokio::test]
async fn a_full_event_waitlists_in_order_and_a_cancellation_promotes() {
    let app = spawn_app().await;
    event(&app, "ev-1", 4, 1).await;
    let a = app.sign_up("akemi", PASSWORD).await;
    let b = app.sign_up("bunta", PASSWORD).await;
    let c = app.sign_up("chiyo", PASSWORD).await;

    // 3 places offered: a takes 2; b's party of 2 must wait; c's 1 still fits.
    assert_eq!(
        outcomes(&push(&app, &a, "a-1", vec![rsvp(1, "r-a", "ev-1", 2, 0)]).await),
        ["applied"]
    );
    assert_eq!(
        outcomes(&push(&app, &b, "b-1", vec![rsvp(1, "r-b", "ev-1", 1, 1)]).await),
        ["applied"]
    );
    assert_eq!(
        outcomes(&push(&app, &c, "c-1", vec![rsvp(1, "r-c", "ev-1", 1, 0)]).await),
        ["applied"]
    );

    let seen_by_b = records(&app, &b, "b-1").await;
    assert_eq!(seen_by_b["r-b"]["collection"], "rsvp");
    let mut body = seen_by_b["r-b"]["body"].clone();
    let code = body["code"].as_str().unwrap().to_owned();
    assert!(
        code.len() == 6
            && code
                .bytes()
                .all(|b| domain::events::CODE_ALPHABET.contains(&b)),
        "a check-in code to show at the door: {code}"
    );
    body.as_object_mut().unwrap().remove("code");
    assert_eq!(
        body,
        json!({"event_id": "ev-1", "adults": 1, "children": 1, "status": "waitlisted", "position": 1})
    );
    assert!(
        seen_by_b.get("r-a").is_none(),
        "another resident's RSVP is theirs alone"
    );
    assert_eq!(
        seen_by_b["places-ev-1"]["body"],
        json!({"event_id": "ev-1", "confirmed": 3, "waitlisted": 1, "left": 0})
    );
    assert_eq!(
        records(&app, &c, "c-1").await["r-c"]["body"]["status"],
        "confirmed"
    );

    // Only a cancels a's RSVP; then b's party of 2 fits and is confirmed.
    assert_eq!(
        outcomes(&push(&app, &b, "b-1", vec![cancel(2, "r-a")]).await),
        ["refused:validation"],
        "as for an RSVP that does not exist"
    );
    assert_eq!(
        outcomes(&push(&app, &a, "a-1", vec![cancel(2, "r-a")]).await),
        ["applied"]
    );
    let seen_by_b = records(&app, &b, "b-1").await;
    assert_eq!(seen_by_b["r-b"]["body"]["status"], "confirmed");
    assert_eq!(
        seen_by_b["r-b"]["body"]["code"],
        code.as_str(),
        "the code stays"
    );
    let notices: Vec<&Value> = seen_by_b
        .as_object()
        .unwrap()
        .values()
        .filter(|r| r["collection"] == "notice")
        .collect();
    assert_eq!(notices.len(), 1, "b is told of the promotion");
    assert_eq!(notices[0]["body"]["change"], "promoted");
    assert_eq!(notices[0]["body"]["title"], "桜台公園 防災訓練");
    assert!(
        !records(&app, &a, "a-1")
            .await
            .as_object()
            .unwrap()
            .values()
            .any(|r| r["collection"] == "notice"),
        "the one who cancelled is not told"
    );
    assert!(seen_by_b["r-b"]["body"].get("position").is_none());
    assert_eq!(
        seen_by_b["places-ev-1"]["body"],
        json!({"event_id": "ev-1", "confirmed": 3, "waitlisted": 0, "left": 0})
    );
    assert_eq!(
        records(&app, &a, "a-1").await["r-a"]["body"]["status"],
        "cancelled"
    );
    // Cancelling again changes nothing and is not an error.
    assert_eq!(
        outcomes(&push(&app, &a, "a-1", vec![cancel(3, "r-a")]).await),
        ["applied"]
    );
}

#[tokio::test]
async fn rsvps_are_checked_and_written_by_the_server_only() {
    let app = spawn_app().await;
    let admin = event(&app, "ev-1", 10, 0).await;
    let a = app.sign_up("akemi", PASSWORD).await;
    let answer = push(
        &app,
        &a,
        "a-1",
        vec![
            rsvp(1, "r-1", "no-such-event", 1, 0),
            rsvp(2, "r-2", "ev-1", 0, 0),
            rsvp(3, "r-3", "ev-1", 11, 0),
            rsvp(4, "r-4", "ev-1", 2, 1),
            rsvp(5, "r-5", "ev-1", 1, 0),
            json!({"id": 6, "op": {"op": "command", "name": "reserve", "args": {}}}),
            json!({"id": 7, "op": {"op": "command", "name": "rsvp", "args": {"rsvp_id": "x"}}}),
            json!({"id": 8, "op": {"op": "put", "id": "r-4", "collection": "rsvp",
                "scope": "user:me", "base_version": 0, "body": {"status": "confirmed"}}}),
            json!({"id": 9, "op": {"op": "delete", "id": "r-4", "base_version": 99}}),
            json!({"id": 10, "op": {"op": "put", "id": "mine", "collection": "event_places",
                "scope": "public", "base_version": 0, "body": {}}}),
        ],
    )
    .await;
    assert_eq!(
        outcomes(&answer),
        [
            "refused:validation",
            "refused:validation",
            "refused:full",
            "applied",
            "refused:validation",
            "refused:unknown_command",
            "refused:validation",
            "refused:permission",
            "refused:permission",
            "refused:permission",
        ]
    );
    // An admin may write public records, but not RSVPs or places either.
    let answer = push(
        &app,
        &admin,
        "admin-phone",
        vec![json!({"id": 2, "op": {"op": "delete", "id": "places-ev-1", "base_version": 99}})],
    )
    .await;
    assert_eq!(outcomes(&answer), ["refused:permission"]);
    // A cancelled event takes no more RSVPs.
    let answer = push(
        &app,
        &admin,
        "admin-phone",
        vec![
            json!({"id": 3, "op": {"op": "put", "id": "ev-1", "collection": "event",
            "scope": "public", "base_version": 2,
            "body": event_body("桜台公園 防災訓練", Some(10), 0, true)}}),
        ],
    )
    .await;
    assert_eq!(outcomes(&answer), ["applied"]);
    let b = app.sign_up("bunta", PASSWORD).await;
    assert_eq!(
        outcomes(&push(&app, &b, "b-1", vec![rsvp(1, "r-b", "ev-1", 1, 0)]).await),
        ["refused:closed"]
    );
    let seen = records(&app, &a, "a-1").await;
    assert_eq!(seen["r-4"]["body"]["status"], "confirmed");
}

#[tokio::test]
async fn concurrent_rsvps_never_take_more_places_than_offered() {
    let app = spawn_app().await;
    event(&app, "ev-1", 6, 1).await;
    let mut residents = Vec::new();
    for n in 0..8 {
        residents.push(app.sign_up(&format!("resident{n}"), PASSWORD).await);
    }
    // Each sends its RSVP twice at once (a retry racing the first try), all together.
    let pushes = residents.iter().enumerate().flat_map(|(n, cookie)| {
        let app = &app;
        (0..2).map(move |_| async move {
            push(
                app,
                cookie,
                &format!("phone-{n}"),
                vec![rsvp(1, &format!("r-{n}"), "ev-1", 1, 0)],
            )
            .await
        })
    });
    for answer in futures::future::join_all(pushes).await {
        assert_eq!(outcomes(&answer), ["applied"]);
    }
    let mut confirmed = 0;
    let mut positions = Vec::new();
    for (n, cookie) in residents.iter().enumerate() {
        let body = &records(&app, cookie, &format!("phone-{n}")).await[format!("r-{n}")]["body"];
        match body["status"].as_str().unwrap() {
            "confirmed" => confirmed += 1,
            "waitlisted" => positions.push(body["position"].as_u64().unwrap()),
            other => panic!("unexpected status {other}"),
        }
    }
    positions.sort_unstable();
    assert_eq!(confirmed, 5);
    assert_eq!(positions, [1, 2, 3]);
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM rsvps")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(rows, 8, "each RSVP is kept once, whatever the retries");
}

#[tokio::test]
async fn a_push_mixing_writes_and_commands_is_decided_in_order() {
    let app = spawn_app().await;
    let admin = event(&app, "ev-1", 10, 0).await;
    // The event written earlier in the same push takes the RSVP after it; the RSVP's
    // record, written by the command, is the server's alone for the put after that.
    let answer = push(
        &app,
        &admin,
        "admin-phone",
        vec![
            json!({"id": 2, "op": {"op": "put", "id": "ev-2", "collection": "event",
                "scope": "public", "base_version": 0, "body": event_body("夏祭り", Some(2), 0, false)}}),
            rsvp(3, "r-1", "ev-2", 2, 0),
            json!({"id": 4, "op": {"op": "put", "id": "r-1", "collection": "note",
                "scope": "public", "base_version": 0, "body": {}}}),
            json!({"id": 5, "op": {"op": "put", "id": "n-1", "collection": "event",
                "scope": "public", "base_version": 0, "body": event_body("一", None, 0, false)}}),
            json!({"id": 6, "op": {"op": "put", "id": "n-1", "collection": "event",
                "scope": "public", "base_version": 0, "body": event_body("二", None, 0, false)}}),
        ],
    )
    .await;
    assert_eq!(
        outcomes(&answer),
        [
            "applied",
            "applied",
            "refused:permission",
            "applied",
            "applied"
        ]
    );
    let seen = records(&app, &admin, "admin-phone").await;
    assert_eq!(seen["r-1"]["body"]["status"], "confirmed");
    assert_eq!(seen["places-ev-2"]["body"]["left"], 0);
    assert_eq!(seen["n-1"]["body"]["title"], "二");
    // Retried whole, the push is answered the same and nothing is applied again.
    let again = push(
        &app,
        &admin,
        "admin-phone",
        vec![rsvp(3, "r-1", "ev-2", 2, 0)],
    )
    .await;
    assert_eq!(outcomes(&again), ["applied"]);
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM rsvps")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(rows, 1);
}

#[tokio::test]
async fn the_demo_board_has_a_month_of_events_and_a_full_class_with_a_waiting_list() {
    let app = spawn_app().await;
    server::demo::seed(&app.db).await.unwrap();
    assert_eq!(
        server::demo::seed(&app.db).await.unwrap(),
        0,
        "seeding twice adds nothing"
    );
    let hanako = app.sign_in("hanako", server::demo::DEMO_PASSWORD).await;
    let seen = records(&app, &hanako, "hanako-phone").await;
    let seen = seen.as_object().unwrap();
    let events: Vec<&Value> = seen
        .values()
        .filter(|r| r["collection"] == "event")
        .collect();
    assert_eq!(events.len(), 14, "8 events and the fair's 6 programmes");
    for event in &events {
        let body: domain::events::Event = serde_json::from_value(event["body"].clone()).unwrap();
        assert_eq!(body.validate(), Ok(()), "{}", body.title);
    }
    let programmes = events
        .iter()
        .filter(|e| e["body"]["fair_id"] == "0193a6f0-0000-7000-8000-0000000e0f00")
        .count();
    assert_eq!(programmes, 6, "the fair runs at six libraries");
    let class = "0193a6f0-0000-7000-8000-0000000e0005";
    assert_eq!(
        seen[&format!("places-{class}")]["body"],
        json!({"event_id": class, "confirmed": 5, "waitlisted": 1, "left": 0})
    );
    let mine = &seen["0193a6f0-0000-7000-8000-0000000e05a4"]["body"];
    assert_eq!(
        (&mine["status"], &mine["position"]),
        (&json!("waitlisted"), &json!(1))
    );
}
