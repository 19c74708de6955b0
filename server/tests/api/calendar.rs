//! Calendar files (.ics): one published event to download, an association's feed and a
//! person's private "my RSVPs" feed. The answers are read back the way a calendar app
//! reads them — CRLF lines of at most 75 octets, unfolded, then property by property —
//! and with the icalendar crate's own parser.

use domain::associations::{Association, AssociationRole};
use reqwest::{Method, header};
use serde_json::{Value, json};
use server::{accounts, associations};

use crate::{
    helpers::{TestApp, spawn_app},
    sync::push,
};

const PASSWORD: &str = "暦に書いておく 2026 冬";
const DESCRIPTION_LINE: &str = "起震車で揺れを体験し、消火器の使い方と避難所までの道を確かめます。";

/// Two associations, an editor of the first, an admin, and events of every kind.
struct Board {
    association: String,
    other_association: String,
    editor: String,
}

fn event(association: &str, title: &str, extra: Value) -> Value {
    let mut body = json!({
        "association_id": association, "title": title, "category": "disaster_prep",
        "description": DESCRIPTION_LINE.repeat(10),
        "start_date": "2026-12-06", "start_time": "09:00", "end_date": "2026-12-06",
        "end_time": "11:30", "venue": "桜台公園", "address": "練馬区桜台1-2-3",
        "rsvp_needed": true, "capacity": 50, "reserved": 0, "cancelled": false,
    });
    for (key, value) in extra.as_object().unwrap() {
        if value.is_null() {
            body.as_object_mut().unwrap().remove(key);
        } else {
            body[key] = value.clone();
        }
    }
    body
}

fn put(mutation: u64, id: &str, scope: &str, body: Value) -> Value {
    json!({"id": mutation, "op": {"op": "put", "id": id, "collection": "event",
           "scope": scope, "base_version": 0, "body": body}})
}

fn applied(answer: &Value) -> bool {
    answer["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["outcome"] == "applied")
}

async fn user_id(app: &TestApp, login: &str) -> String {
    sqlx::query_scalar("SELECT id FROM users WHERE login = $1")
        .bind(login)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

async fn record(app: &TestApp, id: &str) -> (i64, String) {
    let row: (i64, String) =
        sqlx::query_as("SELECT version, updated_at FROM sync_records WHERE id = $1")
            .bind(id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    row
}

/// A moderator's record about an event, as the moderation module writes it.
async fn moderate(app: &TestApp, event_id: &str, hidden: bool, version: i64) {
    sqlx::query(
        "INSERT INTO sync_records (id, collection, scope, version, deleted, body, written_by, updated_at) \
         VALUES ($1, 'moderation', 'public', $2, 0, $3, 'moderator', '2026-11-27T00:00:00.000Z')",
    )
    .bind(format!("mod-{event_id}"))
    .bind(version)
    .bind(json!({"target_id": event_id, "hidden": hidden, "reason": "spam"}).to_string())
    .execute(&app.db.pool)
    .await
    .unwrap();
}

async fn board(app: &TestApp) -> Board {
    let mut ids = Vec::new();
    for (slug, name) in [("sakuradai", "桜台つつじ町会"), ("hikari", "光が丘町会")] {
        let association = Association {
            id: uuid::Uuid::now_v7().to_string(),
            slug: slug.into(),
            name: name.into(),
            area: "練馬".into(),
        };
        associations::insert_if_missing(&app.db, &association)
            .await
            .unwrap();
        ids.push(association.id);
    }
    let (a, b) = (ids[0].clone(), ids[1].clone());
    let editor = app.sign_up("henshu", PASSWORD).await;
    associations::add_member(
        &app.db,
        &a,
        &user_id(app, "henshu").await,
        AssociationRole::Editor,
    )
    .await
    .unwrap();
    let admin = app.sign_up("kanri", PASSWORD).await;
    accounts::grant_role(
        &app.db,
        &user_id(app, "kanri").await,
        domain::accounts::Role::Admin,
    )
    .await
    .unwrap();

    let editors = format!("editors:{a}");
    let answer = push(
        app,
        &editor,
        "editor-phone",
        vec![
            put(1, "ev-timed", "public", event(&a, "防災訓練", json!({}))),
            put(
                2,
                "ev-allday",
                "public",
                event(
                    &a,
                    "歳末 夜回り",
                    json!({"start_date": "2026-12-19", "end_date": "2026-12-20",
                           "start_time": null, "end_time": null, "description": "",
                           "address": "", "category": "festival"}),
                ),
            ),
            put(
                3,
                "ev-cancelled",
                "public",
                event(&a, "もちつき大会", json!({"cancelled": true})),
            ),
            put(
                4,
                "ev-draft",
                &editors,
                event(&a, "下書きの行事", json!({})),
            ),
            put(
                5,
                "ev-deleted",
                "public",
                event(&a, "消した行事", json!({})),
            ),
            put(
                6,
                "ev-hidden",
                "public",
                event(&a, "隠された行事", json!({})),
            ),
            put(
                7,
                "ev-reviewed",
                "public",
                event(&a, "確認済みの行事", json!({})),
            ),
        ],
    )
    .await;
    assert!(applied(&answer), "{answer}");
    let (deleted_version, _) = record(app, "ev-deleted").await;
    let answer = push(
        app,
        &editor,
        "editor-phone",
        vec![
            json!({"id": 8, "op": {"op": "delete", "id": "ev-deleted", "base_version": deleted_version}}),
        ],
    )
    .await;
    assert!(applied(&answer), "{answer}");
    let answer = push(
        app,
        &admin,
        "admin-phone",
        vec![put(
            1,
            "ev-other",
            "public",
            event(&b, "光が丘 清掃", json!({})),
        )],
    )
    .await;
    assert!(applied(&answer), "{answer}");
    moderate(app, "ev-hidden", true, 1_000_001).await;
    moderate(app, "ev-reviewed", false, 1_000_002).await;
    Board {
        association: a,
        other_association: b,
        editor,
    }
}

/// A calendar file, read strictly: CRLF only, lines of at most 75 octets, then unfolded.
struct Ics {
    lines: Vec<String>,
    text: String,
}

impl Ics {
    async fn from(response: reqwest::Response) -> Ics {
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            "text/calendar; charset=utf-8"
        );
        let text = response.text().await.unwrap();
        assert!(text.ends_with("\r\n"), "ends with CRLF");
        let mut lines: Vec<String> = Vec::new();
        for line in text.split_terminator("\r\n") {
            assert!(!line.contains(['\r', '\n']), "a bare CR or LF: {line:?}");
            assert!(
                line.len() <= 75,
                "{} octets (RFC 5545 §3.1 allows 75): {line}",
                line.len()
            );
            match line.strip_prefix(' ') {
                Some(rest) => lines.last_mut().expect("a first line").push_str(rest),
                None => lines.push(line.to_owned()),
            }
        }
        Ics { lines, text }
    }

    /// The VEVENTs, each as its unfolded lines.
    fn events(&self) -> Vec<Vec<String>> {
        let mut events = Vec::new();
        let mut current: Option<Vec<String>> = None;
        for line in &self.lines {
            match line.as_str() {
                "BEGIN:VEVENT" => current = Some(Vec::new()),
                "END:VEVENT" => events.push(current.take().expect("BEGIN before END")),
                _ => {
                    if let Some(event) = &mut current {
                        event.push(line.clone());
                    }
                }
            }
        }
        events
    }

    fn uids(&self) -> Vec<String> {
        let mut uids: Vec<String> = self
            .events()
            .iter()
            .map(|e| value(e, "UID").to_owned())
            .collect();
        uids.sort();
        uids
    }

    fn event(&self, uid: &str) -> Vec<String> {
        self.events()
            .into_iter()
            .find(|e| value(e, "UID") == uid)
            .unwrap_or_else(|| panic!("no {uid} in\n{}", self.text))
    }
}

/// The value of the one line of a property, by its name with any parameters
/// (`DTSTART;TZID=Asia/Tokyo`).
fn value<'a>(lines: &'a [String], name: &str) -> &'a str {
    let found: Vec<&str> = lines
        .iter()
        .filter_map(|l| l.strip_prefix(name)?.strip_prefix(':'))
        .collect();
    assert_eq!(found.len(), 1, "{name} once in {lines:?}");
    found[0]
}

fn has(lines: &[String], name: &str) -> bool {
    lines
        .iter()
        .any(|l| l.split([':', ';']).next() == Some(name))
}

#[tokio::test]
async fn an_event_downloads_as_an_rfc5545_file_in_tokyo_time() {
    let app = spawn_app().await;
    board(&app).await;
    let resident = app.sign_up("jumin", PASSWORD).await;
    let response = app
        .request(
            Method::GET,
            "/api/events/ev-timed/calendar.ics",
            Some(&resident),
        )
        .send()
        .await
        .unwrap();
    let disposition = response.headers()[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with("attachment; filename=\"event.ics\""),
        "{disposition}"
    );
    assert!(
        disposition.contains("filename*=UTF-8''%E9%98%B2%E7%81%BD%E8%A8%93%E7%B7%B4.ics"),
        "{disposition}"
    );
    let ics = Ics::from(response).await;
    assert_eq!(
        ics.lines.first().map(String::as_str),
        Some("BEGIN:VCALENDAR")
    );
    assert_eq!(ics.lines.last().map(String::as_str), Some("END:VCALENDAR"));
    assert_eq!(value(&ics.lines, "VERSION"), "2.0");

    // The time zone the times refer to, before the event.
    let tz_at = ics
        .lines
        .iter()
        .position(|l| l == "BEGIN:VTIMEZONE")
        .expect("VTIMEZONE");
    let event_at = ics.lines.iter().position(|l| l == "BEGIN:VEVENT").unwrap();
    assert!(tz_at < event_at);
    let tz = &ics.lines[tz_at..event_at];
    for line in [
        "TZID:Asia/Tokyo",
        "BEGIN:STANDARD",
        "TZOFFSETFROM:+0900",
        "TZOFFSETTO:+0900",
        "TZNAME:JST",
        "END:STANDARD",
        "END:VTIMEZONE",
    ] {
        assert!(tz.iter().any(|l| l == line), "{line} in {tz:?}");
    }

    let event = ics.event("ev-timed@tsunagaru");
    let (version, updated_at) = record(&app, "ev-timed").await;
    assert_eq!(value(&event, "SEQUENCE"), version.to_string());
    // DTSTAMP: the record's last change, in UTC.
    let stamp: jiff::Timestamp = updated_at.parse().unwrap();
    assert_eq!(
        value(&event, "DTSTAMP"),
        stamp.strftime("%Y%m%dT%H%M%SZ").to_string()
    );
    assert_eq!(value(&event, "DTSTART;TZID=Asia/Tokyo"), "20261206T090000");
    assert_eq!(value(&event, "DTEND;TZID=Asia/Tokyo"), "20261206T113000");
    assert_eq!(value(&event, "SUMMARY"), "防災訓練");
    assert_eq!(value(&event, "LOCATION"), "桜台公園 練馬区桜台1-2-3");
    let page = format!("{}/events/ev-timed", app.address);
    assert_eq!(value(&event, "URL"), page);
    assert_eq!(value(&event, "CATEGORIES"), "防災");
    assert_eq!(value(&event, "STATUS"), "CONFIRMED");
    // The long Japanese description was folded (it is far over 75 octets) and comes
    // back whole, with the page's address after it.
    let description = format!("{}\n\n{page}", DESCRIPTION_LINE.repeat(10));
    assert!(description.len() > 600);
    assert_eq!(
        value(&event, "DESCRIPTION"),
        description.replace('\n', "\\n").replace(',', "\\,")
    );

    // The icalendar crate's parser reads the same.
    let parsed: icalendar::Calendar = ics.text.parse().expect("parses");
    use icalendar::Component;
    let parsed = parsed.events().next().expect("one event");
    assert_eq!(parsed.get_uid(), Some("ev-timed@tsunagaru"));
    assert_eq!(parsed.get_description(), Some(description.as_str()));
    assert_eq!(parsed.get_summary(), Some("防災訓練"));
}

#[tokio::test]
async fn an_all_day_event_ends_the_day_after_its_last_day() {
    let app = spawn_app().await;
    board(&app).await;
    let resident = app.sign_up("jumin", PASSWORD).await;
    let ics = Ics::from(
        app.request(
            Method::GET,
            "/api/events/ev-allday/calendar.ics",
            Some(&resident),
        )
        .send()
        .await
        .unwrap(),
    )
    .await;
    let event = ics.event("ev-allday@tsunagaru");
    assert_eq!(value(&event, "DTSTART;VALUE=DATE"), "20261219");
    assert_eq!(value(&event, "DTEND;VALUE=DATE"), "20261221");
    assert_eq!(value(&event, "LOCATION"), "桜台公園");
    assert_eq!(value(&event, "CATEGORIES"), "祭り・行事");
    assert_eq!(
        value(&event, "DESCRIPTION"),
        format!("{}/events/ev-allday", app.address)
    );
}

#[tokio::test]
async fn drafts_deleted_hidden_and_unknown_events_are_not_found_and_strangers_must_sign_in() {
    let app = spawn_app().await;
    let board = board(&app).await;
    let resident = app.sign_up("jumin", PASSWORD).await;
    for id in ["ev-draft", "ev-deleted", "ev-hidden", "ev-nothing"] {
        // Even the association's editor, who sees the draft, gets no calendar file of it.
        for cookie in [&resident, &board.editor] {
            let response = app
                .request(
                    Method::GET,
                    &format!("/api/events/{id}/calendar.ics"),
                    Some(cookie),
                )
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 404, "{id}");
            let body: Value = response.json().await.unwrap();
            assert_eq!(body["error"]["code"], "not_found", "{id}");
        }
    }
    let response = app.get("/api/events/ev-timed/calendar.ics").await;
    assert_eq!(response.status(), 401);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unauthenticated");
}

#[tokio::test]
async fn an_association_feed_lists_its_published_events_and_nothing_else() {
    let app = spawn_app().await;
    let board = board(&app).await;
    // No sign-in: a calendar app asks.
    let ics = Ics::from(
        app.get(&format!("/api/cal/associations/{}.ics", board.association))
            .await,
    )
    .await;
    assert_eq!(
        ics.uids(),
        [
            "ev-allday@tsunagaru",
            "ev-cancelled@tsunagaru",
            "ev-reviewed@tsunagaru",
            "ev-timed@tsunagaru",
        ],
        "no draft, deleted, hidden or other association's event"
    );
    assert_eq!(value(&ics.lines, "X-WR-CALNAME"), "桜台つつじ町会 行事");
    assert!(has(&ics.lines, "REFRESH-INTERVAL"));
    assert!(!ics.text.contains("隠された行事") && !ics.text.contains("下書き"));
    let cancelled = ics.event("ev-cancelled@tsunagaru");
    assert_eq!(value(&cancelled, "STATUS"), "CANCELLED");
    assert_eq!(value(&cancelled, "SUMMARY"), "【中止】もちつき大会");

    let other = Ics::from(
        app.get(&format!(
            "/api/cal/associations/{}.ics",
            board.other_association
        ))
        .await,
    )
    .await;
    assert_eq!(other.uids(), ["ev-other@tsunagaru"]);
    assert_eq!(value(&other.lines, "X-WR-CALNAME"), "光が丘町会 行事");

    for path in [
        "/api/cal/associations/no-such-association.ics".to_owned(),
        format!("/api/cal/associations/{}", board.association),
    ] {
        let response = app.get(&path).await;
        assert_eq!(response.status(), 404, "{path}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "not_found");
    }
}

fn rsvp(mutation: u64, rsvp_id: &str, event_id: &str) -> Value {
    json!({"id": mutation, "op": {"op": "command", "name": "rsvp", "args": {
        "rsvp_id": rsvp_id, "event_id": event_id, "adults": 1, "children": 0}}})
}

async fn new_feed(app: &TestApp, cookie: &str) -> String {
    let response = app
        .request(Method::POST, "/api/me/calendar-feed", Some(cookie))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    let url = body["url"].as_str().unwrap().to_owned();
    let token = url
        .strip_prefix("/api/cal/u/")
        .and_then(|t| t.strip_suffix(".ics"))
        .expect("/api/cal/u/<token>.ics");
    assert_eq!(token.len(), 43, "32 bytes in base64url");
    url
}

#[tokio::test]
async fn a_private_feed_shows_only_its_owners_rsvps_until_it_is_replaced_or_stopped() {
    let app = spawn_app().await;
    board(&app).await;
    let akemi = app.sign_up("akemi", PASSWORD).await;
    let bunta = app.sign_up("bunta", PASSWORD).await;
    let answer = push(
        &app,
        &akemi,
        "akemi-phone",
        vec![
            rsvp(1, "r-a1", "ev-timed"),
            rsvp(2, "r-a2", "ev-other"),
            rsvp(3, "r-a3", "ev-reviewed"),
        ],
    )
    .await;
    assert!(applied(&answer), "{answer}");
    let answer = push(
        &app,
        &bunta,
        "bunta-phone",
        vec![rsvp(1, "r-b1", "ev-cancelled")],
    )
    .await;
    assert!(
        answer["results"][0]["outcome"] == "refused",
        "a cancelled event takes no RSVP"
    );
    let answer = push(
        &app,
        &bunta,
        "bunta-phone",
        vec![rsvp(2, "r-b2", "ev-reviewed")],
    )
    .await;
    assert!(applied(&answer), "{answer}");
    // akemi calls one off: it leaves her feed.
    let answer = push(
        &app,
        &akemi,
        "akemi-phone",
        vec![
            json!({"id": 4, "op": {"op": "command", "name": "cancel_rsvp",
                    "args": {"rsvp_id": "r-a3"}}}),
        ],
    )
    .await;
    assert!(applied(&answer), "{answer}");

    let akemi_feed = new_feed(&app, &akemi).await;
    let bunta_feed = new_feed(&app, &bunta).await;
    assert_ne!(akemi_feed, bunta_feed);
    let ics = Ics::from(app.get(&akemi_feed).await).await;
    assert_eq!(ics.uids(), ["ev-other@tsunagaru", "ev-timed@tsunagaru"]);
    assert!(ics.lines.iter().any(|l| l == "BEGIN:VTIMEZONE"));
    let ics = Ics::from(app.get(&bunta_feed).await).await;
    assert_eq!(ics.uids(), ["ev-reviewed@tsunagaru"]);

    // The state, without the address (shown once only).
    let status: Value = app
        .request(Method::GET, "/api/me/calendar-feed", Some(&akemi))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(status["created_at"].is_string(), "{status}");
    assert!(!status.to_string().contains("/api/cal/u/"));

    // A new address replaces the old one, which stops working.
    let replaced = new_feed(&app, &akemi).await;
    assert_eq!(app.get(&akemi_feed).await.status(), 404);
    assert_eq!(app.get(&replaced).await.status(), 200);

    // Stopping it: 404 from then on, also for a guessed secret of the right shape.
    let response = app
        .request(Method::DELETE, "/api/me/calendar-feed", Some(&akemi))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    let response = app.get(&replaced).await;
    assert_eq!(response.status(), 404);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found");
    let guessed = format!("/api/cal/u/{}.ics", "A".repeat(43));
    assert_eq!(app.get(&guessed).await.status(), 404);
    assert_eq!(
        app.get(&bunta_feed).await.status(),
        200,
        "bunta's still works"
    );
    let status: Value = app
        .request(Method::GET, "/api/me/calendar-feed", Some(&akemi))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(status, json!({"created_at": null}));
}

#[tokio::test]
async fn a_new_password_stops_the_old_private_feed_address() {
    let app = spawn_app().await;
    board(&app).await;
    let akemi = app.sign_up("akemi", PASSWORD).await;
    let bunta = app.sign_up("bunta", PASSWORD).await;
    let akemi_feed = new_feed(&app, &akemi).await;
    let bunta_feed = new_feed(&app, &bunta).await;
    assert_eq!(app.get(&akemi_feed).await.status(), 200);

    let (status, answer) = app
        .change_password(&akemi, PASSWORD, "a whole new passphrase")
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        answer,
        json!({"calendar_feed_stopped": true}),
        "the page can tell akemi"
    );
    assert_eq!(app.get(&akemi_feed).await.status(), 404);
    assert_eq!(
        app.get(&bunta_feed).await.status(),
        200,
        "bunta's still works"
    );
    let status: Value = app
        .request(Method::GET, "/api/me/calendar-feed", Some(&akemi))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        status,
        json!({"created_at": null}),
        "the account page says so"
    );
    let fresh = new_feed(&app, &akemi).await;
    assert_eq!(app.get(&fresh).await.status(), 200);
}

#[tokio::test]
async fn a_waiting_rsvp_shows_as_tentative_in_the_private_feed() {
    let app = spawn_app().await;
    let board = board(&app).await;
    let answer = push(
        &app,
        &board.editor,
        "editor-phone-2",
        vec![put(
            1,
            "ev-small",
            "public",
            event(&board.association, "お茶会", json!({"capacity": 1})),
        )],
    )
    .await;
    assert!(applied(&answer), "{answer}");
    let first = app.sign_up("hajime", PASSWORD).await;
    let second = app.sign_up("tsugi", PASSWORD).await;
    assert!(applied(
        &push(&app, &first, "h-1", vec![rsvp(1, "r-h", "ev-small")]).await
    ));
    assert!(applied(
        &push(&app, &second, "t-1", vec![rsvp(1, "r-t", "ev-small")]).await
    ));
    let ics = Ics::from(app.get(&new_feed(&app, &second).await).await).await;
    let event = ics.event("ev-small@tsunagaru");
    assert_eq!(value(&event, "STATUS"), "TENTATIVE");
    assert_eq!(value(&event, "SUMMARY"), "【キャンセル待ち】お茶会");
}

#[tokio::test]
async fn feed_management_needs_a_session_and_this_sites_origin() {
    let app = spawn_app().await;
    for method in [Method::GET, Method::POST, Method::DELETE] {
        let response = app
            .request(method.clone(), "/api/me/calendar-feed", None)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401, "{method}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "unauthenticated");
    }
    let cookie = app.sign_up("jumin", PASSWORD).await;
    // Another site's page cannot make (and so learn nothing of) a feed.
    let cross_site = reqwest::Client::new();
    for method in [Method::POST, Method::DELETE] {
        let response = cross_site
            .request(method.clone(), app.url("/api/me/calendar-feed"))
            .header(header::COOKIE, &cookie)
            .header(header::ORIGIN, "https://evil.example")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403, "{method}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "cross_site_request");
    }
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM calendar_feeds")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(count, 0);
    // Only a hash of the secret is kept.
    let url = new_feed(&app, &cookie).await;
    let token = url
        .trim_start_matches("/api/cal/u/")
        .trim_end_matches(".ics");
    let stored: String = sqlx::query_scalar("SELECT token_hash FROM calendar_feeds")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_ne!(stored, token);
    assert_eq!(stored, server::sessions::token_hash(token));
}
