//! Property-based fuzzing of every route in the OpenAPI document: generated and mutated
//! bodies, paths and queries, sent as an anonymous caller and as a resident. Whatever
//! arrives, the server never answers 5xx, every error is the JSON error shape
//! `{"error": {"code", "message"}}`, every status is one the document lists for that
//! route, and a refused request writes nothing. Bounded: a
//! fixed seed and a few cases per route and caller, so it runs in seconds.

use std::time::Instant;

use proptest::{
    prelude::*,
    strategy::ValueTree,
    test_runner::{Config, RngAlgorithm, TestRng, TestRunner},
};
use reqwest::Method;
use serde_json::{Map, Value};
use server::config::SecurityConfig;

use crate::helpers::{TestApp, spawn_app_with};

/// Cases per route and caller.
const CASES: usize = 12;

/// Rows in every table but the audit log (refusals are audited on purpose) and the
/// sessions' last use (noted on any signed-in request).
async fn footprint(app: &TestApp) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in [
        "associations",
        "users",
        "user_roles",
        "sessions",
        "families",
        "family_members",
        "family_invites",
        "association_members",
        "sync_records",
        "sync_clients",
        "sync_outcomes",
        "sync_conflicts",
        "rsvps",
        "calendar_feeds",
        "attachments",
        "circular_reads",
        "reports",
        "trusted_devices",
    ] {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        counts.push(
            sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .fetch_one(&app.db.pool)
                .await
                .unwrap(),
        );
    }
    counts.push(
        sqlx::query_scalar("SELECT seq FROM sync_counter WHERE id = 1")
            .fetch_one(&app.db.pool)
            .await
            .unwrap(),
    );
    counts
}

/// Any JSON value, its object keys drawn mostly from the document's field names.
fn json_value(keys: Vec<String>) -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,24}".prop_map(Value::from),
        Just(Value::from("x".repeat(70_000))),
        prop::sample::select(vec![
            "2026-12-06",
            "09:00",
            "public",
            "family:x",
            "user:x",
            "2345-6789",
            "ev-1",
            "mod-ev-1",
            "admin",
            "health_staff",
            "guardian",
            "viewer",
            "rsvp",
            "put",
            "delete",
            "command",
        ])
        .prop_map(Value::from),
    ];
    let key = prop_oneof![3 => prop::sample::select(keys), 1 => "[a-z_]{1,10}"];
    leaf.prop_recursive(3, 24, 5, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..6)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// A path segment: ids that exist or look like they might, and hostile strings.
fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "ev-1".to_owned(),
            "0".to_owned(),
            "-1".to_owned(),
            "..".to_owned(),
            "%2e%2e%2f".to_owned(),
            "%00".to_owned(),
            "a".repeat(300),
            "%E6%97%A5%E6%9C%AC".to_owned(),
            "0193a8f2-7c1e-7b3a-9f00-1234567890ab".to_owned(),
        ]),
        "[A-Za-z0-9._~-]{1,40}",
    ]
}

/// A query string of known and unknown keys with hostile values.
fn query() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "client_id",
        "cursor",
        "scopes",
        "before",
        "limit",
        "lang",
        "token",
        "x",
    ]);
    let value = prop_oneof![
        "[A-Za-z0-9,:._-]{0,30}",
        any::<i64>().prop_map(|n| n.to_string()),
        Just("99999999999999999999999".to_owned()),
        Just("%ZZ".to_owned()),
        Just("public,family:x,,".to_owned()),
    ];
    prop::collection::vec((key, value), 0..4).prop_map(|pairs| {
        pairs
            .into_iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    })
}

/// The body sent: JSON, broken JSON, or JSON with the wrong content type.
#[derive(Debug, Clone)]
enum Body {
    None,
    Json(Value),
    Text(&'static str, String),
}

fn body(keys: Vec<String>) -> impl Strategy<Value = Body> {
    prop_oneof![
        1 => Just(Body::None),
        6 => json_value(keys.clone()).prop_map(Body::Json),
        1 => prop_oneof![Just("{\"a\":"), Just("[1,2"), Just("nul"), Just("\u{feff}{}")]
            .prop_map(|t| Body::Text("application/json", t.to_owned())),
        1 => json_value(keys).prop_map(|v| Body::Text("text/plain", v.to_string())),
    ]
}

/// One generated request for a documented route.
#[derive(Debug, Clone)]
struct Case {
    method: Method,
    path: String,
    body: Body,
}

fn case(method: Method, path: String, keys: Vec<String>) -> impl Strategy<Value = Case> {
    let params = path.matches('{').count();
    (
        prop::collection::vec(segment(), params),
        query(),
        body(keys),
        prop::bool::weighted(0.1),
    )
        .prop_map(move |(segments, query, body, other_method)| {
            let mut filled = String::new();
            let mut rest = path.as_str();
            let mut segments = segments.into_iter();
            while let Some(open) = rest.find('{') {
                let close = rest[open..].find('}').map_or(rest.len(), |c| open + c + 1);
                filled.push_str(&rest[..open]);
                filled.push_str(&segments.next().unwrap_or_default());
                rest = &rest[close..];
            }
            filled.push_str(rest);
            if !query.is_empty() {
                filled = format!("{filled}?{query}");
            }
            let method = if other_method {
                Method::PATCH
            } else {
                method.clone()
            };
            Case {
                method,
                path: filled,
                body,
            }
        })
}

/// Every property name in the document's schemas.
fn field_names(doc: &Value) -> Vec<String> {
    let mut names = std::collections::BTreeSet::new();
    let mut stack = vec![doc];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(map) => {
                if let Some(Value::Object(props)) = map.get("properties") {
                    names.extend(props.keys().cloned());
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    names.into_iter().collect()
}

#[tokio::test]
async fn no_generated_request_gets_a_5xx_a_shapeless_error_or_writes_when_refused() {
    let app = spawn_app_with(SecurityConfig {
        auth_burst: 10_000,
        account_burst: 10_000,
        ..SecurityConfig::default()
    })
    .await;
    let resident = app
        .sign_up("fuzz-resident", "fuzzing passphrase 2026")
        .await;
    let doc: Value = app.get("/api/openapi.json").await.json().await.unwrap();
    let keys = field_names(&doc);
    let mut routes: Vec<(Method, String)> = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if let Ok(method) = method.to_uppercase().parse::<Method>() {
                routes.push((method, path.clone()));
            }
        }
    }
    let started = Instant::now();
    let mut sent = 0;
    let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
    let mut undocumented = std::collections::BTreeSet::new();
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &[15; 32]),
    );
    for (method, path) in &routes {
        for cookie in [None, Some(resident.as_str())] {
            // Signing the resident out would leave the rest anonymous.
            if cookie.is_some() && path == "/api/auth/sign-out" {
                continue;
            }
            let strategy = case(method.clone(), path.clone(), keys.clone());
            for _ in 0..CASES {
                let case = strategy.new_tree(&mut runner).unwrap().current();
                let before = footprint(&app).await;
                let mut request = app.request(case.method.clone(), &case.path, cookie);
                request = match &case.body {
                    Body::None => request,
                    Body::Json(value) => request.json(value),
                    Body::Text(kind, text) => request
                        .header(reqwest::header::CONTENT_TYPE, *kind)
                        .body(text.clone()),
                };
                let response = request.send().await.unwrap();
                sent += 1;
                let status = response.status();
                *statuses.entry(status.as_u16()).or_default() += 1;
                let text = response.text().await.unwrap();
                assert!(status.as_u16() < 500, "{status} for {case:?}: {text}");
                let documented = &doc["paths"][path][method.as_str().to_lowercase()]["responses"];
                if case.method == *method && documented.get(status.as_str()).is_none() {
                    undocumented.insert(format!("{method} {path} {}", status.as_u16()));
                }
                if status.is_client_error() {
                    let error: Value = serde_json::from_str(&text)
                        .unwrap_or_else(|_| panic!("{status} not JSON for {case:?}: {text}"));
                    assert!(
                        error["error"]["code"].is_string() && error["error"]["message"].is_string(),
                        "{status} without the error shape for {case:?}: {text}"
                    );
                    assert_eq!(
                        footprint(&app).await,
                        before,
                        "{status} wrote something for {case:?}"
                    );
                }
            }
        }
    }
    assert!(
        undocumented.is_empty(),
        "answered but not in the OpenAPI document:\n{}",
        undocumented.into_iter().collect::<Vec<_>>().join("\n")
    );
    eprintln!(
        "fuzz: {sent} requests to {} routes in {:.1} s, by status {statuses:?}",
        routes.len(),
        started.elapsed().as_secs_f64()
    );
}
