//! The authorization matrix: every API route × every kind of caller, with the status each
//! must get, from one table. A route in the OpenAPI document without a row fails the test,
//! so no route can be added without deciding who may call it.
//!
//! Each cell runs against a fresh fixture (new accounts, families, associations), so a
//! change made by one caller never decides another caller's answer.

use std::collections::{BTreeSet, HashMap};

use domain::{
    accounts::Role,
    associations::{Association, AssociationRole},
    families::FamilyRole,
};
use reqwest::Method;
use serde_json::{Value, json};
use server::{
    AppState, accounts, associations, config::SecurityConfig, families, passwords, sessions,
};
use tokio::sync::OnceCell;

use crate::helpers::{TestApp, spawn_app_with};

const PASSWORD: &str = "matrix passphrase 2026";

/// Who calls. Everyone but `Anonymous` has a live session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Actor {
    Anonymous,
    /// Signed in, in no family and no association.
    Resident,
    /// Guardian of family A (the target family).
    Guardian,
    /// Viewer of family A.
    Viewer,
    /// Guardian of family B, asking about family A.
    OtherFamily,
    /// Editor of association A (the target association).
    Editor,
    /// Editor of association B, asking about association A.
    OtherEditor,
    /// Health staff, asking about family A, which consented.
    HealthConsent,
    /// Health staff, asking about family B, which did not consent.
    HealthNoConsent,
    CollegeStaff,
    Admin,
}

use Actor::*;

/// The columns of every row, in this order.
const ACTORS: [Actor; 11] = [
    Anonymous,
    Resident,
    Guardian,
    Viewer,
    OtherFamily,
    Editor,
    OtherEditor,
    HealthConsent,
    HealthNoConsent,
    CollegeStaff,
    Admin,
];

struct Row {
    method: Method,
    /// The route as documented, with `{placeholders}` the fixture fills in.
    path: &'static str,
    body: Option<Value>,
    /// A file sent as the raw body instead of JSON.
    raw: Option<&'static [u8]>,
    /// Expected status per actor, in the order of [`ACTORS`]:
    /// An Re Gu Vi Of Ed Oe Hc Hn Co Ad
    expect: [u16; 11],
}

fn row(method: Method, path: &'static str, body: Option<Value>, expect: [u16; 11]) -> Row {
    Row {
        method,
        path,
        body,
        raw: None,
        expect,
    }
}

/// A 1×1 PNG, the file the attachment rows upload.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
];

fn table() -> Vec<Row> {
    use Method as M;
    vec![
        //                                                      An   Re   Gu   Vi   Of   Ed   Oe   Hc   Hn   Co   Ad
        row(
            M::GET,
            "/api/health",
            None,
            [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        row(
            M::GET,
            "/api/openapi.json",
            None,
            [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        row(
            M::POST,
            "/api/auth/sign-up",
            Some(json!({"login": "{fresh}", "display_name": "新しい人", "password": PASSWORD})),
            [201, 201, 201, 201, 201, 201, 201, 201, 201, 201, 201],
        ),
        row(
            M::POST,
            "/api/auth/sign-in",
            Some(json!({"login": "{resident_login}", "password": PASSWORD})),
            [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        row(
            M::POST,
            "/api/auth/sign-out",
            None,
            [204, 204, 204, 204, 204, 204, 204, 204, 204, 204, 204],
        ),
        row(
            M::GET,
            "/api/me",
            None,
            [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        row(
            M::POST,
            "/api/me/password",
            Some(json!({"current_password": PASSWORD, "new_password": "a brand new passphrase"})),
            [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        row(
            M::GET,
            "/api/me/sessions",
            None,
            [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        // Someone else's session (the resident's): only the resident may end it.
        row(
            M::DELETE,
            "/api/me/sessions/{resident_session}",
            None,
            [401, 204, 404, 404, 404, 404, 404, 404, 404, 404, 404],
        ),
        row(
            M::POST,
            "/api/families",
            Some(json!({"child_name": "練馬 みどり", "child_birth_date": "2025-04-01"})),
            [401, 201, 201, 201, 201, 201, 201, 201, 201, 201, 201],
        ),
        row(
            M::GET,
            "/api/families/{family}",
            None,
            [401, 404, 200, 200, 404, 404, 404, 200, 404, 404, 404],
        ),
        row(
            M::GET,
            "/api/families/{missing}",
            None,
            [401, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
        ),
        row(
            M::PUT,
            "/api/families/{family}/child",
            Some(json!({"child_name": "練馬 さくら", "child_birth_date": "2025-06-12"})),
            [401, 404, 200, 403, 404, 404, 404, 200, 404, 404, 404],
        ),
        row(
            M::PUT,
            "/api/families/{family}/consent",
            Some(json!({"health_centre": true})),
            [401, 404, 200, 403, 404, 404, 404, 403, 404, 404, 404],
        ),
        row(
            M::POST,
            "/api/families/{family}/invites",
            Some(json!({"role": "viewer"})),
            [401, 404, 201, 403, 404, 404, 404, 403, 404, 404, 404],
        ),
        // The target member is family A's viewer: a guardian may remove them, they may leave.
        row(
            M::DELETE,
            "/api/families/{family}/members/{member}",
            None,
            [401, 404, 204, 204, 404, 404, 404, 403, 404, 404, 404],
        ),
        row(
            M::POST,
            "/api/invites/accept",
            Some(json!({"code": "{invite}"})),
            [401, 200, 409, 409, 200, 200, 200, 200, 200, 200, 200],
        ),
        row(
            M::GET,
            "/api/health-centre/families",
            None,
            [401, 403, 403, 403, 403, 403, 403, 200, 200, 403, 403],
        ),
        row(
            M::GET,
            "/api/associations",
            None,
            [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        row(
            M::POST,
            "/api/associations",
            Some(json!({"slug": "{fresh}", "name": "新しい町会", "area": "練馬一丁目"})),
            [401, 403, 403, 403, 403, 403, 403, 403, 403, 403, 201],
        ),
        row(
            M::POST,
            "/api/associations/{association}/join",
            None,
            [401, 204, 204, 204, 204, 409, 204, 204, 204, 204, 204],
        ),
        row(
            M::GET,
            "/api/associations/{association}/members",
            None,
            [401, 403, 403, 403, 403, 200, 403, 403, 403, 403, 200],
        ),
        row(
            M::PUT,
            "/api/associations/{association}/members/{user}",
            Some(json!({"role": "editor"})),
            [401, 403, 403, 403, 403, 403, 403, 403, 403, 403, 204],
        ),
        Row {
            raw: Some(PNG),
            ..row(
                M::PUT,
                "/api/associations/{association}/attachments",
                None,
                [401, 403, 403, 403, 403, 201, 403, 403, 403, 403, 403],
            )
        },
        // An attachment of association A: its members and editors only.
        row(
            M::GET,
            "/api/attachments/{attachment}",
            None,
            [401, 404, 404, 404, 404, 200, 404, 404, 404, 404, 404],
        ),
        row(
            M::GET,
            "/api/admin/users",
            None,
            [401, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200],
        ),
        row(
            M::PUT,
            "/api/admin/users/{user}/roles",
            Some(json!({"roles": ["college_staff"]})),
            [401, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200],
        ),
        row(
            M::DELETE,
            "/api/admin/users/{user}/sessions",
            None,
            [401, 403, 403, 403, 403, 403, 403, 403, 403, 403, 204],
        ),
        row(
            M::POST,
            "/api/sync/push",
            Some(json!({"client_id": "{fresh}", "mutations": []})),
            [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        row(
            M::GET,
            "/api/sync/pull?client_id={fresh}&cursor=0",
            None,
            [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        // Calendar files: one published event for the signed-in; an association's feed
        // for calendar apps, which cannot sign in; a private feed only by its secret.
        row(
            M::GET,
            "/api/events/{missing}/calendar.ics",
            None,
            [401, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
        ),
        row(
            M::GET,
            "/api/cal/associations/{association_ics}",
            None,
            [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        row(
            M::GET,
            "/api/cal/u/{unknown_feed}",
            None,
            [404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
        ),
        row(
            M::GET,
            "/api/me/calendar-feed",
            None,
            [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        row(
            M::POST,
            "/api/me/calendar-feed",
            None,
            [401, 201, 201, 201, 201, 201, 201, 201, 201, 201, 201],
        ),
        row(
            M::DELETE,
            "/api/me/calendar-feed",
            None,
            [401, 204, 204, 204, 204, 204, 204, 204, 204, 204, 204],
        ),
        row(
            M::GET,
            "/api/admin/audit",
            None,
            [401, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200],
        ),
        row(
            M::GET,
            "/api/admin/audit/verify",
            None,
            [401, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200],
        ),
        row(
            M::GET,
            "/api/admin/reports",
            None,
            [401, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200],
        ),
        row(
            M::POST,
            "/api/admin/moderation/{target}",
            Some(json!({"hidden": true, "reason": "行事ではない宣伝のため"})),
            [401, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200],
        ),
        // Association A's published event: on the board for all, its list the editors'.
        row(
            M::GET,
            "/api/events/{event}/attendees.csv",
            None,
            [401, 403, 403, 403, 403, 200, 403, 403, 403, 403, 200],
        ),
    ]
}

/// Everything one cell needs: accounts for each actor, two families, two associations.
struct Fixture {
    cookies: HashMap<Actor, String>,
    values: HashMap<&'static str, String>,
    family_b: String,
    other_guardian: String,
}

async fn password_hash() -> &'static str {
    static HASH: OnceCell<String> = OnceCell::const_new();
    HASH.get_or_init(|| async { passwords::hash(PASSWORD.into()).await.expect("hash") })
        .await
}

async fn fixture(app: &TestApp, state: &AppState, n: usize) -> Fixture {
    let db = &app.db;
    let hash = password_hash().await;
    let mut ids = HashMap::new();
    for actor in ACTORS.iter().skip(1) {
        let login = format!("{actor:?}-{n}").to_lowercase();
        let id = accounts::create_user(db, &login, &format!("{actor:?}"), hash)
            .await
            .unwrap()
            .expect("fresh login");
        ids.insert(*actor, id);
    }
    let health = ids[&HealthConsent].clone();
    ids.insert(HealthNoConsent, health.clone());
    accounts::grant_role(db, &health, Role::HealthStaff)
        .await
        .unwrap();
    accounts::grant_role(db, &ids[&CollegeStaff], Role::CollegeStaff)
        .await
        .unwrap();
    accounts::grant_role(db, &ids[&Admin], Role::Admin)
        .await
        .unwrap();

    let family_a = families::create_family(db, &ids[&Guardian], "練馬 さくら", "2025-06-12")
        .await
        .unwrap();
    families::add_member(db, &family_a, &ids[&Viewer], FamilyRole::Viewer)
        .await
        .unwrap();
    families::set_consent(db, &family_a, true).await.unwrap();
    let family_b = families::create_family(db, &ids[&OtherFamily], "光が丘 そら", "2024-12-01")
        .await
        .unwrap();

    let mut association_ids = Vec::new();
    for (editor, slug) in [(Editor, "a"), (OtherEditor, "b")] {
        let association = Association {
            id: uuid::Uuid::now_v7().to_string(),
            slug: format!("matrix-{slug}-{n}"),
            name: format!("町会 {slug} {n}"),
            area: "練馬".into(),
        };
        associations::insert_if_missing(db, &association)
            .await
            .unwrap();
        associations::add_member(db, &association.id, &ids[&editor], AssociationRole::Editor)
            .await
            .unwrap();
        association_ids.push(association.id);
    }

    let mut cookies = HashMap::new();
    let mut resident_session = String::new();
    for actor in ACTORS.iter().skip(1) {
        let session = sessions::create(state, &ids[actor], "matrix")
            .await
            .unwrap();
        if *actor == Resident {
            resident_session = session.id.clone();
        }
        cookies.insert(
            *actor,
            format!("{}={}", sessions::COOKIE_NAME, session.token),
        );
    }

    // An invite for family A, made as its guardian would.
    let invite: Value = app
        .post_json(
            &format!("/api/families/{family_a}/invites"),
            &json!({"role": "viewer"}),
            Some(&cookies[&Guardian]),
        )
        .await
        .json()
        .await
        .unwrap();

    // Association A's editor publishes an event on the board.
    let event = format!("matrix-event-{n}");
    let published = app
        .post_json(
            "/api/sync/push",
            &json!({"client_id": format!("matrix-editor-{n}"), "mutations": [
                {"id": 1, "op": {"op": "put", "id": event, "collection": "event",
                 "scope": "public", "base_version": 0, "body": {
                    "association_id": association_ids[0], "title": "防災訓練",
                    "category": "disaster_prep", "start_date": "2026-12-06",
                    "end_date": "2026-12-06", "venue": "桜台公園", "rsvp_needed": true}}}]}),
            Some(&cookies[&Editor]),
        )
        .await;
    assert_eq!(published.status(), 200);
    // A file on association A, uploaded as its editor would.
    let attachment: Value = app
        .request(
            Method::PUT,
            &format!("/api/associations/{}/attachments", association_ids[0]),
            Some(&cookies[&Editor]),
        )
        .body(PNG)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    let values = HashMap::from([
        ("{fresh}", format!("fresh-{n}")),
        ("{event}", event.clone()),
        ("{target}", event),
        ("{resident_login}", format!("resident-{n}")),
        ("{resident_session}", resident_session),
        ("{family}", family_a),
        ("{missing}", uuid::Uuid::now_v7().to_string()),
        ("{member}", ids[&Viewer].clone()),
        (
            "{invite}",
            invite["code"].as_str().expect("invite code").to_owned(),
        ),
        ("{association}", association_ids[0].clone()),
        ("{association_ics}", format!("{}.ics", association_ids[0])),
        ("{unknown_feed}", format!("{}.ics", "A".repeat(43))),
        ("{user}", ids[&Resident].clone()),
        (
            "{attachment}",
            attachment["id"].as_str().expect("attachment id").to_owned(),
        ),
    ]);
    Fixture {
        cookies,
        values,
        family_b,
        other_guardian: ids[&OtherFamily].clone(),
    }
}

fn fill(template: &str, fixture: &Fixture, actor: Actor) -> String {
    let mut text = template.to_owned();
    for (key, value) in &fixture.values {
        let value = match (actor, *key) {
            // Health staff without consent ask about family B, which never consented.
            (HealthNoConsent, "{family}") => &fixture.family_b,
            (HealthNoConsent, "{member}") => &fixture.other_guardian,
            _ => value,
        };
        text = text.replace(key, value);
    }
    text
}

#[tokio::test]
async fn every_route_answers_every_caller_as_the_matrix_says() {
    let security = SecurityConfig {
        auth_burst: 10_000,
        ..SecurityConfig::default()
    };
    let app = spawn_app_with(security.clone()).await;
    let state = AppState::new(app.db.clone(), &security);

    // The table covers every documented route.
    let doc: Value = app.get("/api/openapi.json").await.json().await.unwrap();
    let documented: BTreeSet<String> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, ops)| {
            ops.as_object()
                .unwrap()
                .keys()
                .map(move |method| format!("{} {path}", method.to_uppercase()))
        })
        .collect();
    let rows = table();
    let covered: BTreeSet<String> = rows
        .iter()
        .map(|r| format!("{} {}", r.method, documented_path(r.path)))
        .collect();
    let missing: Vec<_> = documented.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "routes without a row in the matrix: {missing:?}"
    );

    // The cells of one row run at once, each on its own fixture.
    let mut failures = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        let cells = ACTORS.iter().enumerate().map(|(column, actor)| {
            let (app, state) = (&app, &state);
            async move {
                let fixture = fixture(app, state, r * ACTORS.len() + column).await;
                check_cell(app, &fixture, row, column, *actor).await
            }
        });
        failures.extend(futures::future::join_all(cells).await.into_iter().flatten());
    }
    assert!(
        failures.is_empty(),
        "{} cells differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Calls one route as one actor; `Some(description)` when the answer is not as expected.
async fn check_cell(
    app: &TestApp,
    fixture: &Fixture,
    row: &Row,
    column: usize,
    actor: Actor,
) -> Option<String> {
    let path = fill(row.path, fixture, actor);
    let mut request = app.request(
        row.method.clone(),
        &path,
        fixture.cookies.get(&actor).map(String::as_str),
    );
    if let Some(raw) = row.raw {
        request = request.body(raw);
    }
    if let Some(body) = &row.body {
        let body: Value = serde_json::from_str(&fill(&body.to_string(), fixture, actor)).unwrap();
        request = request.json(&body);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let expected = row.expect[column];
    let body: Value = response.json().await.unwrap_or(Value::Null);
    let code = body["error"]["code"].as_str().unwrap_or("");
    let right_code = match status {
        401 => code == "unauthenticated",
        403 => code == "forbidden",
        404 => code == "not_found",
        _ => true,
    };
    // A refused caller never sees the child's data.
    assert!(
        status < 400 || !body.to_string().contains("練馬 さくら"),
        "{path} leaked data to {actor:?}"
    );
    (status != expected || !right_code).then(|| {
        format!(
            "{} {} as {actor:?}: expected {expected}, got {status} {code}",
            row.method, row.path
        )
    })
}

/// Maps the table's placeholders back to the documented path parameters.
fn documented_path(path: &str) -> String {
    let path = path.split('?').next().unwrap_or(path);
    [
        ("{resident_session}", "{id}"),
        ("{family}", "{id}"),
        ("{missing}", "{id}"),
        ("{member}", "{user_id}"),
        ("{association}", "{id}"),
        ("{user}", "{user_id}"),
        ("{association_ics}", "{file}"),
        ("{unknown_feed}", "{file}"),
        ("{event}", "{id}"),
        ("{target}", "{target_id}"),
        ("{attachment}", "{id}"),
    ]
    .iter()
    .fold(path.to_owned(), |p, (from, to)| p.replace(from, to))
    .replace("/api/admin/users/{user_id}/", "/api/admin/users/{id}/")
}
