//! The attendee list as a CSV file for the event's editors: bytes Excel in Japan opens
//! as they are (UTF-8 with a BOM, CRLF), names that look like formulas defused, a totals
//! row, and only the association's editors and admins may have it.

use domain::associations::{Association, AssociationRole};
use reqwest::Method;
use serde_json::json;
use server::associations;

use crate::{
    helpers::{TestApp, spawn_app},
    moderation::{PASSWORD, admin, editor, user_id},
    rsvp::event_body,
    sync::{outcomes, push},
};

fn rsvp(mutation_id: u64, rsvp_id: &str, adults: u32, children: u32) -> serde_json::Value {
    json!({"id": mutation_id, "op": {"op": "command", "name": "rsvp", "args": {
        "rsvp_id": rsvp_id, "event_id": "ev-1", "adults": adults, "children": children}}})
}

async fn csv(app: &TestApp, event: &str, cookie: Option<&str>) -> reqwest::Response {
    app.request(
        Method::GET,
        &format!("/api/events/{event}/attendees.csv"),
        cookie,
    )
    .send()
    .await
    .unwrap()
}

/// The editor `yakuin` posts `ev-1` (「防災訓練」, 4 places); four residents answer:
/// hanako 2+1 (confirmed, checked in), a name that is a formula 1 (confirmed), taro 2
/// (waiting, 1st), jiro 1 (cancelled).
async fn event_with_parties(app: &TestApp) -> String {
    let editor = editor(app, "yakuin").await;
    let answer = push(
        app,
        &editor,
        "editor-phone",
        vec![
            json!({"id": 1, "op": {"op": "put", "id": "ev-1", "collection": "event",
            "scope": "public", "base_version": 0,
            "body": event_body("防災訓練", Some(4), 0, false)}}),
        ],
    )
    .await;
    assert_eq!(outcomes(&answer), ["applied"]);
    for (login, mutations) in [
        ("hanako", vec![rsvp(1, "r-h", 2, 1)]),
        ("evil", vec![rsvp(1, "r-e", 1, 0)]),
        ("taro", vec![rsvp(1, "r-t", 2, 0)]),
        (
            "jiro",
            vec![
                rsvp(1, "r-j", 1, 0),
                json!({"id": 2, "op": {"op": "command", "name": "cancel_rsvp",
                    "args": {"rsvp_id": "r-j"}}}),
            ],
        ),
    ] {
        let cookie = app.sign_up(login, PASSWORD).await;
        let n = mutations.len();
        let answer = push(app, &cookie, &format!("{login}-phone"), mutations).await;
        assert_eq!(outcomes(&answer), vec!["applied"; n], "{login}");
    }
    sqlx::query("UPDATE users SET display_name = $1 WHERE login = 'evil'")
        .bind("=HYPERLINK(\"http://evil.example\",\"x\")")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let answer = push(
        app,
        &editor,
        "editor-phone",
        vec![json!({"id": 2, "op": {"op": "command", "name": "check_in",
            "args": {"rsvp_id": "r-h"}}})],
    )
    .await;
    assert_eq!(outcomes(&answer), ["applied"]);
    editor
}

async fn shown_code(app: &TestApp, rsvp_id: &str) -> String {
    let code: String = sqlx::query_scalar("SELECT code FROM rsvps WHERE id = $1")
        .bind(rsvp_id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    format!("{}-{}", &code[..3], &code[3..])
}

#[tokio::test]
async fn the_editor_downloads_a_csv_excel_in_japan_opens_as_it_is() {
    let app = spawn_app().await;
    let editor = event_with_parties(&app).await;
    let response = csv(&app, "ev-1", Some(&editor)).await;
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
    assert_eq!(
        headers["content-disposition"],
        "attachment; filename=\"attendees.csv\"; \
         filename*=UTF-8''%E9%98%B2%E7%81%BD%E8%A8%93%E7%B7%B4.csv"
    );
    assert_eq!(headers["cache-control"], "no-store");
    let bytes = response.bytes().await.unwrap();

    let header_line = "受付番号,氏名,大人,子ども,状態,受付済み,申込日時\r\n";
    let mut start = b"\xEF\xBB\xBF".to_vec();
    start.extend_from_slice(header_line.as_bytes());
    assert_eq!(
        &bytes[..start.len()],
        &start[..],
        "a BOM, then the header line"
    );

    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    assert!(text.ends_with("\r\n"));
    assert_eq!(
        text.matches('\n').count(),
        text.matches("\r\n").count(),
        "every line ends with CRLF"
    );
    let lines: Vec<&str> = text.trim_end_matches("\r\n").split("\r\n").collect();
    assert_eq!(lines.len(), 6, "{text}");

    let moment = |line: &str| line.rsplit(',').next().unwrap().to_owned();
    let hanako = lines[1];
    assert!(
        hanako.starts_with(&format!(
            "{},hanako,2,1,参加確定,済,",
            shown_code(&app, "r-h").await
        )),
        "{hanako}"
    );
    let when = moment(hanako);
    assert!(
        when.len() == 16 && &when[10..11] == " " && &when[13..14] == ":",
        "申込日時 as YYYY-MM-DD HH:MM: {when}"
    );
    assert_eq!(
        lines[2],
        format!(
            "{},\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",1,0,参加確定,,{}",
            shown_code(&app, "r-e").await,
            moment(lines[2])
        ),
        "a name that is a formula comes out as text"
    );
    assert!(
        lines[3].starts_with(&format!(
            "{},taro,2,0,キャンセル待ち 1番目,,",
            shown_code(&app, "r-t").await
        )),
        "{}",
        lines[3]
    );
    assert!(lines[4].contains(",jiro,1,0,キャンセル,,"), "{}", lines[4]);
    assert_eq!(
        lines[5],
        "合計（参加確定）,2組,3,1,キャンセル待ち 1組,受付済み 1組,"
    );

    // The export is audited, by id only.
    let entry: (String, String) =
        sqlx::query_as("SELECT action, object_id FROM audit_log ORDER BY seq DESC LIMIT 1")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(entry, ("attendees.export".into(), "ev-1".into()));
}

#[tokio::test]
async fn only_the_associations_editors_and_admins_may_export_the_list() {
    let app = spawn_app().await;
    let editor = event_with_parties(&app).await;
    let resident = app.sign_in("hanako", PASSWORD).await;
    let member = app.sign_up("kaiin", PASSWORD).await;
    associations::add_member(
        &app.db,
        "a-test",
        &user_id(&app, "kaiin").await,
        AssociationRole::Member,
    )
    .await
    .unwrap();
    let other_editor = app.sign_up("yoso", PASSWORD).await;
    associations::insert_if_missing(
        &app.db,
        &Association {
            id: "a-other".into(),
            slug: "a-other".into(),
            name: "光が丘自治会".into(),
            area: "光が丘".into(),
        },
    )
    .await
    .unwrap();
    associations::add_member(
        &app.db,
        "a-other",
        &user_id(&app, "yoso").await,
        AssociationRole::Editor,
    )
    .await
    .unwrap();
    let admin = admin(&app, "kanri").await;

    // A draft lives in the editors' own scope: others are not told it exists.
    let draft = push(
        &app,
        &editor,
        "editor-phone",
        vec![
            json!({"id": 3, "op": {"op": "put", "id": "draft-1", "collection": "event",
            "scope": "editors:a-test", "base_version": 0,
            "body": event_body("下書き", None, 0, false)}}),
        ],
    )
    .await;
    assert_eq!(outcomes(&draft), ["applied"]);

    for (who, cookie, event, status, code) in [
        ("signed out", None, "ev-1", 401, "unauthenticated"),
        ("resident", Some(&resident), "ev-1", 403, "forbidden"),
        ("member", Some(&member), "ev-1", 403, "forbidden"),
        (
            "other editor",
            Some(&other_editor),
            "ev-1",
            403,
            "forbidden",
        ),
        ("editor, missing", Some(&editor), "ev-9", 404, "not_found"),
        ("member, draft", Some(&member), "draft-1", 404, "not_found"),
        (
            "other editor, draft",
            Some(&other_editor),
            "draft-1",
            404,
            "not_found",
        ),
    ] {
        let response = csv(&app, event, cookie.map(String::as_str)).await;
        assert_eq!(response.status(), status, "{who}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], code, "{who}");
        assert!(!body.to_string().contains("hanako"), "{who}");
    }
    for (who, cookie, event) in [
        ("editor", &editor, "ev-1"),
        ("admin", &admin, "ev-1"),
        ("editor, draft", &editor, "draft-1"),
    ] {
        let response = csv(&app, event, Some(cookie)).await;
        assert_eq!(response.status(), 200, "{who}");
    }
    let draft = csv(&app, "draft-1", Some(&editor))
        .await
        .bytes()
        .await
        .unwrap();
    assert!(
        std::str::from_utf8(&draft)
            .unwrap()
            .ends_with("\r\n合計（参加確定）,0組,0,0,キャンセル待ち 0組,受付済み 0組,\r\n"),
        "a draft has no parties, only the totals"
    );
}
