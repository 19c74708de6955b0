//! 回覧板 on the real server: an association's editors post circulars through sync, its
//! members read them (`read_circular`), and the server counts reads per household:
//! members see the counts, only editors see who. Attachments are uploaded by editors,
//! judged by their content, and served only to the association's members and editors.

use domain::{
    associations::{Association, AssociationRole},
    families::FamilyRole,
};
use reqwest::{Method, header};
use serde_json::{Value, json};
use server::{associations, families};

use crate::{
    helpers::{TestApp, spawn_app},
    sync::{outcomes, push},
};

const PASSWORD: &str = "回覧板を 回してください 2026";

/// The smallest PNG there is: the signature, IHDR for 1×1, IDAT, IEND.
const TINY_PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
];

/// A one-page PDF, as small as a real one gets.
const TINY_PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n\
2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n\
3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n\
trailer<</Root 1 0 R>>\n%%EOF\n";

/// An association with an editor, three member households (two people share a
/// family) and a resident who belongs to none of it.
struct Town {
    association: String,
    editor: String,
    /// 花子 and 太郎 share a family.
    hanako: String,
    taro: String,
    /// 次郎 lives alone.
    jiro: String,
    /// Signed in, not a member.
    outsider: String,
}

async fn user_id(app: &TestApp, login: &str) -> String {
    sqlx::query_scalar("SELECT id FROM users WHERE login = $1")
        .bind(login)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

async fn town(app: &TestApp) -> Town {
    let association = Association {
        id: uuid::Uuid::now_v7().to_string(),
        slug: "sakuradai".into(),
        name: "桜台つつじ町会".into(),
        area: "桜台一丁目".into(),
    };
    associations::insert_if_missing(&app.db, &association)
        .await
        .unwrap();
    let mut cookies = Vec::new();
    for (login, role) in [
        ("editor", Some(AssociationRole::Editor)),
        ("hanako", Some(AssociationRole::Member)),
        ("taro", Some(AssociationRole::Member)),
        ("jiro", Some(AssociationRole::Member)),
        ("outsider", None),
    ] {
        cookies.push(app.sign_up(login, PASSWORD).await);
        if let Some(role) = role {
            let id = user_id(app, login).await;
            associations::add_member(&app.db, &association.id, &id, role)
                .await
                .unwrap();
        }
    }
    let hanako = user_id(app, "hanako").await;
    let family = families::create_family(&app.db, &hanako, "練馬 みどり", "2025-04-01")
        .await
        .unwrap();
    families::add_member(
        &app.db,
        &family,
        &user_id(app, "taro").await,
        FamilyRole::Guardian,
    )
    .await
    .unwrap();
    let mut cookies = cookies.into_iter();
    let mut next = || cookies.next().unwrap();
    Town {
        association: association.id,
        editor: next(),
        hanako: next(),
        taro: next(),
        jiro: next(),
        outsider: next(),
    }
}

fn circular_body(association: &str, title: &str) -> Value {
    json!({"association_id": association, "title": title,
           "body": "12月5日（土）8時までに\n集積所へ出してください。",
           "posted_on": "2026-11-27", "due_date": "2026-12-05"})
}

fn put(mutation: u64, id: &str, scope: &str, body: Value) -> Value {
    json!({"id": mutation, "op": {"op": "put", "id": id, "collection": "circular",
           "scope": scope, "base_version": 0, "body": body}})
}

fn read(mutation: u64, circular_id: &str) -> Value {
    json!({"id": mutation, "op": {"op": "command", "name": "read_circular",
           "args": {"circular_id": circular_id}}})
}

/// Every live record the user can see, by id (one whole initial pull).
async fn records(app: &TestApp, cookie: &str, client: &str) -> serde_json::Map<String, Value> {
    let Value::Object(all) = crate::sync::records(app, cookie, client).await else {
        unreachable!("records are gathered in an object")
    };
    all.into_iter()
        .filter(|(_, r)| !r["deleted"].as_bool().unwrap())
        .collect()
}

async fn post_circular(app: &TestApp, town: &Town, id: &str) {
    let scope = format!("association:{}", town.association);
    let answer = push(
        app,
        &town.editor,
        "editor-phone",
        vec![put(
            1,
            id,
            &scope,
            circular_body(&town.association, "資源回収のお知らせ"),
        )],
    )
    .await;
    assert_eq!(outcomes(&answer), ["applied"]);
}

#[tokio::test]
async fn an_editor_posts_a_circular_and_members_see_it_with_no_household_read_yet() {
    let app = spawn_app().await;
    let town = town(&app).await;
    post_circular(&app, &town, "c-1").await;

    let seen = records(&app, &town.jiro, "jiro-phone").await;
    assert_eq!(seen["c-1"]["body"]["title"], "資源回収のお知らせ");
    assert_eq!(
        seen["tally-c-1"]["body"],
        json!({"circular_id": "c-1", "households_read": 0, "households_total": 2})
    );
    assert!(
        !seen.contains_key("readers-c-1"),
        "names are for editors only"
    );
    let editor_sees = records(&app, &town.editor, "editor-phone").await;
    assert_eq!(
        editor_sees["readers-c-1"]["scope"],
        format!("editors:{}", town.association)
    );
    assert_eq!(
        editor_sees["readers-c-1"]["body"]["households"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let outsider_sees = records(&app, &town.outsider, "outsider-phone").await;
    assert!(!outsider_sees.contains_key("c-1"));
    assert!(!outsider_sees.contains_key("tally-c-1"));
}

#[tokio::test]
async fn only_the_associations_editors_post_and_every_field_is_checked() {
    let app = spawn_app().await;
    let town = town(&app).await;
    let scope = format!("association:{}", town.association);
    let good = circular_body(&town.association, "お知らせ");
    let answer = push(
        &app,
        &town.hanako,
        "hanako-phone",
        vec![put(1, "c-m", &scope, good.clone())],
    )
    .await;
    assert_eq!(outcomes(&answer), ["refused:permission"], "a member");
    let answer = push(
        &app,
        &town.outsider,
        "outsider-phone",
        vec![put(1, "c-o", &scope, good.clone())],
    )
    .await;
    assert_eq!(outcomes(&answer), ["refused:permission"], "an outsider");

    let mut bad = Vec::new();
    for change in [
        json!({"title": ""}),
        json!({"title": "あ".repeat(81)}),
        json!({"body": "あ".repeat(8001)}),
        json!({"due_date": "2026-11-26"}),
        json!({"due_date": "2026-02-30"}),
        json!({"posted_on": "昨日"}),
        json!({"association_id": "another"}),
        json!({"urgent": true}),
        json!({"attachment": {"id": "never-uploaded", "kind": "png", "bytes": 70, "name": "a.png"}}),
    ] {
        let mut body = good.clone();
        for (key, value) in change.as_object().unwrap() {
            body[key] = value.clone();
        }
        bad.push(body);
    }
    let mutations: Vec<Value> = bad
        .iter()
        .enumerate()
        .map(|(n, body)| put(n as u64 + 1, &format!("c-bad-{n}"), &scope, body.clone()))
        .collect();
    let answer = push(&app, &town.editor, "editor-phone", mutations).await;
    assert_eq!(outcomes(&answer), vec!["refused:validation"; bad.len()]);

    // Only in its own association's scope, not the editors' or the public board.
    let editors = format!("editors:{}", town.association);
    let answer = push(
        &app,
        &town.editor,
        "editor-phone-2",
        vec![
            put(1, "c-e", &editors, good.clone()),
            put(2, "c-p", "public", good.clone()),
        ],
    )
    .await;
    assert_eq!(
        outcomes(&answer),
        ["refused:validation", "refused:validation"]
    );

    // Counts and reader lists are the server's to write.
    let answer = push(
        &app,
        &town.editor,
        "editor-phone-3",
        vec![
            json!({"id": 1, "op": {"op": "put", "id": "tally-x", "collection": "circular_tally",
            "scope": scope, "base_version": 0,
            "body": {"circular_id": "x", "households_read": 9, "households_total": 9}}}),
            json!({"id": 2, "op": {"op": "put", "id": "x-tally", "collection": "circular_tally",
            "scope": scope, "base_version": 0,
            "body": {"circular_id": "x", "households_read": 9, "households_total": 9}}}),
        ],
    )
    .await;
    assert_eq!(
        outcomes(&answer),
        ["refused:validation", "refused:permission"],
        "a server id is refused as an id, a server collection as a permission"
    );
}

#[tokio::test]
async fn a_read_counts_once_per_household_and_only_editors_see_who() {
    let app = spawn_app().await;
    let town = town(&app).await;
    post_circular(&app, &town, "c-1").await;

    // 花子 reads on two phones, then again: one read, one household.
    let answer = push(&app, &town.hanako, "hanako-phone", vec![read(1, "c-1")]).await;
    assert_eq!(outcomes(&answer), ["applied"]);
    let answer = push(&app, &town.hanako, "hanako-tablet", vec![read(1, "c-1")]).await;
    assert_eq!(
        answer["results"][0]["version"], 0,
        "a repeat changes nothing"
    );
    // Her family's 太郎 reading adds no household.
    let answer = push(&app, &town.taro, "taro-phone", vec![read(1, "c-1")]).await;
    assert_eq!(outcomes(&answer), ["applied"]);

    let seen = records(&app, &town.jiro, "jiro-phone").await;
    assert_eq!(
        seen["tally-c-1"]["body"],
        json!({"circular_id": "c-1", "households_read": 1, "households_total": 2})
    );
    assert!(
        !seen.values().any(|r| r["collection"] == "circular_readers"),
        "members never see names"
    );
    assert!(
        !serde_json::to_string(&seen).unwrap().contains("hanako"),
        "nor anyone's name"
    );

    // 花子's devices know she has read it; 次郎's show nothing read.
    let hers = records(&app, &town.hanako, "hanako-tablet").await;
    let marks: Vec<&Value> = hers
        .values()
        .filter(|r| r["collection"] == "circular_read")
        .collect();
    assert_eq!(marks.len(), 1);
    assert_eq!(marks[0]["body"]["circular_id"], "c-1");
    assert!(marks[0]["scope"].as_str().unwrap().starts_with("user:"));
    assert!(
        !seen.values().any(|r| r["collection"] == "circular_read"),
        "another reader's mark is not 次郎's"
    );

    let editor_sees = records(&app, &town.editor, "editor-phone").await;
    let list = &editor_sees["readers-c-1"]["body"];
    assert_eq!(list["households_read"], 1);
    assert_eq!(list["households_total"], 2);
    assert_eq!(
        list["households"],
        json!([
            {"names": ["jiro"], "read": false},
            {"names": ["hanako", "taro"], "read": true},
        ]),
        "who has not read comes first"
    );

    // The editor's own read counts no household.
    let answer = push(&app, &town.editor, "editor-phone", vec![read(2, "c-1")]).await;
    assert_eq!(outcomes(&answer), ["applied"]);
    let seen = records(&app, &town.jiro, "jiro-phone-2").await;
    assert_eq!(seen["tally-c-1"]["body"]["households_read"], 1);
}

#[tokio::test]
async fn reading_needs_a_circular_one_may_see() {
    let app = spawn_app().await;
    let town = town(&app).await;
    post_circular(&app, &town, "c-1").await;
    let answer = push(
        &app,
        &town.outsider,
        "outsider-phone",
        vec![read(1, "c-1"), read(2, "no-such-circular")],
    )
    .await;
    assert_eq!(
        outcomes(&answer),
        ["refused:permission", "refused:validation"]
    );
    let answer = push(
        &app,
        &town.jiro,
        "jiro-phone",
        vec![
            json!({"id": 1, "op": {"op": "command", "name": "read_circular",
            "args": {"circular_id": "has spaces"}}}),
        ],
    )
    .await;
    assert_eq!(outcomes(&answer), ["refused:validation"]);
}

#[tokio::test]
async fn a_deleted_circular_takes_its_counts_with_it() {
    let app = spawn_app().await;
    let town = town(&app).await;
    post_circular(&app, &town, "c-1").await;
    let answer = push(
        &app,
        &town.editor,
        "editor-phone",
        vec![json!({"id": 2, "op": {"op": "delete", "id": "c-1", "base_version": 0}})],
    )
    .await;
    assert_eq!(outcomes(&answer), ["applied"]);
    let seen = records(&app, &town.jiro, "jiro-phone").await;
    assert!(!seen.contains_key("c-1"));
    assert!(!seen.contains_key("tally-c-1"));
    let answer = push(&app, &town.jiro, "jiro-phone", vec![read(1, "c-1")]).await;
    assert_eq!(outcomes(&answer), ["refused:validation"]);
}

async fn upload(
    app: &TestApp,
    association: &str,
    cookie: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    app.request(
        Method::PUT,
        &format!("/api/associations/{association}/attachments"),
        Some(cookie),
    )
    // What the sender claims is never believed.
    .header(header::CONTENT_TYPE, "image/png")
    .body(bytes)
    .send()
    .await
    .expect("upload")
}

async fn error_code(response: reqwest::Response) -> String {
    let body: Value = response.json().await.unwrap();
    body["error"]["code"].as_str().unwrap_or("").to_owned()
}

#[tokio::test]
async fn attachments_are_judged_by_content_and_served_to_members_only() {
    let app = spawn_app().await;
    let town = town(&app).await;

    let answer = upload(&app, &town.association, &town.editor, TINY_PNG.to_vec()).await;
    assert_eq!(answer.status(), 201);
    let png: Value = answer.json().await.unwrap();
    assert_eq!(png["kind"], "png");
    assert_eq!(png["bytes"], TINY_PNG.len());
    let answer = upload(&app, &town.association, &town.editor, TINY_PDF.to_vec()).await;
    assert_eq!(answer.status(), 201);
    let pdf: Value = answer.json().await.unwrap();
    assert_eq!(pdf["kind"], "pdf");

    // A text file named and sent as a picture.
    let answer = upload(
        &app,
        &town.association,
        &town.editor,
        b"this is not a picture, only named photo.png".to_vec(),
    )
    .await;
    assert_eq!(answer.status(), 415);
    assert_eq!(error_code(answer).await, "attachment_invalid");

    // Over 5 MiB, even if it starts like a PNG.
    let mut huge = TINY_PNG.to_vec();
    huge.resize(5 * 1024 * 1024 + 1, 0);
    let answer = upload(&app, &town.association, &town.editor, huge).await;
    assert_eq!(answer.status(), 413);
    assert_eq!(error_code(answer).await, "attachment_too_large");
    // Exactly 5 MiB is fine.
    let mut largest = TINY_PDF.to_vec();
    largest.resize(5 * 1024 * 1024, b' ');
    let answer = upload(&app, &town.association, &town.editor, largest).await;
    assert_eq!(answer.status(), 201);

    // Only the association's editors upload.
    let answer = upload(&app, &town.association, &town.hanako, TINY_PNG.to_vec()).await;
    assert_eq!(answer.status(), 403);
    let answer = upload(&app, "no-such-association", &town.editor, TINY_PNG.to_vec()).await;
    assert_eq!(answer.status(), 404);

    // Members and editors read it, with its true type, privately.
    let path = format!("/api/attachments/{}", png["id"].as_str().unwrap());
    for cookie in [&town.jiro, &town.editor] {
        let answer = app
            .request(Method::GET, &path, Some(cookie))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200);
        let headers = answer.headers().clone();
        assert_eq!(headers[header::CONTENT_TYPE], "image/png");
        assert_eq!(headers[header::CACHE_CONTROL], "private, no-cache");
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(headers[header::CONTENT_DISPOSITION], "inline");
        assert_eq!(answer.bytes().await.unwrap().as_ref(), TINY_PNG);
        // Asked again with its ETag: not sent again.
        let again = app
            .request(Method::GET, &path, Some(cookie))
            .header(header::IF_NONE_MATCH, headers[header::ETAG].clone())
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 304);
    }
    let pdf_path = format!("/api/attachments/{}", pdf["id"].as_str().unwrap());
    let answer = app
        .request(Method::GET, &pdf_path, Some(&town.hanako))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.headers()[header::CONTENT_TYPE], "application/pdf");
    // Opened on its own, it may show itself and run nothing.
    let csp = answer.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("default-src 'none'"), "{csp}");
    assert!(csp.contains("object-src 'self'"), "{csp}");
    assert!(!csp.contains("script-src"), "{csp}");

    // Anyone else: as if it did not exist.
    let answer = app
        .request(Method::GET, &path, Some(&town.outsider))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 404);
    assert_eq!(answer.headers()[header::CACHE_CONTROL], "no-store");
    assert_eq!(error_code(answer).await, "not_found");
    let answer = app.request(Method::GET, &path, None).send().await.unwrap();
    assert_eq!(answer.status(), 401);
}

#[tokio::test]
async fn a_circular_may_point_only_at_its_own_associations_attachment() {
    let app = spawn_app().await;
    let town = town(&app).await;
    let uploaded: Value = upload(&app, &town.association, &town.editor, TINY_PNG.to_vec())
        .await
        .json()
        .await
        .unwrap();
    let scope = format!("association:{}", town.association);
    let with = |kind: &str, bytes: usize| {
        let mut body = circular_body(&town.association, "写真つき");
        body["attachment"] =
            json!({"id": uploaded["id"], "kind": kind, "bytes": bytes, "name": "地図.png"});
        body
    };
    let answer = push(
        &app,
        &town.editor,
        "editor-phone",
        vec![
            put(1, "c-wrong-kind", &scope, with("pdf", TINY_PNG.len())),
            put(2, "c-wrong-size", &scope, with("png", 1)),
            put(3, "c-ok", &scope, with("png", TINY_PNG.len())),
        ],
    )
    .await;
    assert_eq!(
        outcomes(&answer),
        ["refused:validation", "refused:validation", "applied"]
    );

    // Another association's editor cannot borrow it.
    let other = Association {
        id: uuid::Uuid::now_v7().to_string(),
        slug: "hikarigaoka".into(),
        name: "光が丘町会".into(),
        area: "光が丘".into(),
    };
    associations::insert_if_missing(&app.db, &other)
        .await
        .unwrap();
    let editor_id = user_id(&app, "editor").await;
    associations::add_member(&app.db, &other.id, &editor_id, AssociationRole::Editor)
        .await
        .unwrap();
    let mut body = with("png", TINY_PNG.len());
    body["association_id"] = json!(other.id);
    let answer = push(
        &app,
        &town.editor,
        "editor-phone",
        vec![put(
            4,
            "c-borrowed",
            &format!("association:{}", other.id),
            body,
        )],
    )
    .await;
    assert_eq!(outcomes(&answer), ["refused:validation"]);
}

#[tokio::test]
async fn a_cross_site_upload_is_refused() {
    let app = spawn_app().await;
    let town = town(&app).await;
    let answer = app
        .request(
            Method::PUT,
            &format!("/api/associations/{}/attachments", town.association),
            Some(&town.editor),
        )
        .header(header::ORIGIN, "http://evil.example")
        .body(TINY_PNG.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 403);
    assert_eq!(error_code(answer).await, "cross_site_request");
}

#[tokio::test]
async fn the_demo_has_three_circulars_with_the_reads_counted_per_household() {
    let app = spawn_app().await;
    server::demo::seed(&app.db).await.unwrap();
    assert_eq!(
        server::demo::seed(&app.db).await.unwrap(),
        0,
        "seeding twice adds nothing"
    );
    let circulars_of = |seen: &Value| -> Vec<domain::circulars::Circular> {
        seen.as_object()
            .unwrap()
            .values()
            .filter(|r| r["collection"] == "circular")
            .map(|r| serde_json::from_value(r["body"].clone()).unwrap())
            .collect()
    };

    // 練馬 花子 (桜台) sees her association's two; her husband has read the first, and
    // they are one household.
    let hanako = app.sign_in("hanako", server::demo::DEMO_PASSWORD).await;
    let seen = crate::sync::records(&app, &hanako, "hanako-phone").await;
    let mut titles: Vec<String> = circulars_of(&seen).into_iter().map(|c| c.title).collect();
    titles.sort();
    assert_eq!(
        titles,
        [
            "年末年始のごみ・資源の収集について",
            "町会費（後期分）集金のお願い"
        ]
    );
    for circular in circulars_of(&seen) {
        assert_eq!(circular.validate(), Ok(()), "{}", circular.title);
    }
    assert_eq!(
        seen["tally-0193a6f0-0000-7000-8000-0000000c0001"]["body"],
        json!({"circular_id": "0193a6f0-0000-7000-8000-0000000c0001",
               "households_read": 1, "households_total": 1})
    );
    assert!(
        seen.get("0193a6f0-0000-7000-8000-0000000c0a01").is_none(),
        "a read record is her husband's alone"
    );

    // 光が丘 一郎 (光が丘) sees the third, which he has read: one of two households.
    let ichiro = app.sign_in("ichiro", server::demo::DEMO_PASSWORD).await;
    let seen = crate::sync::records(&app, &ichiro, "ichiro-phone").await;
    let circulars = circulars_of(&seen);
    assert_eq!(circulars.len(), 1);
    assert_eq!(circulars[0].title, "防災倉庫の点検と備蓄品の入れ替え");
    assert!(circulars[0].due_date.is_some());
    assert_eq!(
        seen["0193a6f0-0000-7000-8000-0000000c0a03"]["body"]["circular_id"],
        "0193a6f0-0000-7000-8000-0000000c0003"
    );
    assert_eq!(
        seen["tally-0193a6f0-0000-7000-8000-0000000c0003"]["body"]["households_total"],
        2
    );

    // The editor of 光が丘 sees who has not read yet.
    let editor = app
        .sign_in("hikarigaoka-editor", server::demo::DEMO_PASSWORD)
        .await;
    let seen = crate::sync::records(&app, &editor, "editor-phone").await;
    let readers = &seen["readers-0193a6f0-0000-7000-8000-0000000c0003"]["body"];
    assert!(readers.to_string().contains("練馬 トメ"), "{readers}");
}

#[tokio::test]
async fn a_withdrawn_circulars_file_is_forgotten_but_one_still_named_or_just_sent_stays() {
    let app = spawn_app().await;
    let town = town(&app).await;
    let scope = format!("association:{}", town.association);
    let mut ids = Vec::new();
    for _ in 0..3 {
        let uploaded: Value = upload(&app, &town.association, &town.editor, TINY_PNG.to_vec())
            .await
            .json()
            .await
            .unwrap();
        ids.push(uploaded["id"].as_str().unwrap().to_owned());
    }
    let with = |title: &str, id: &str| {
        let mut body = circular_body(&town.association, title);
        body["attachment"] =
            json!({"id": id, "kind": "png", "bytes": TINY_PNG.len(), "name": "地図.png"});
        body
    };
    let answer = push(
        &app,
        &town.editor,
        "editor-phone",
        vec![
            put(1, "c-withdrawn", &scope, with("取り下げる回覧", &ids[0])),
            put(2, "c-kept", &scope, with("残る回覧", &ids[1])),
        ],
    )
    .await;
    assert_eq!(outcomes(&answer), ["applied", "applied"]);
    // All three were uploaded two hours ago; the third is named by no circular (its
    // circular never came).
    sqlx::query("UPDATE attachments SET created_at = $1")
        .bind(server::db::timestamp(
            jiff::Timestamp::now() - jiff::SignedDuration::from_hours(2),
        ))
        .execute(&app.db.pool)
        .await
        .unwrap();
    // A fourth, just uploaded, whose circular is still on its way.
    let fresh: Value = upload(&app, &town.association, &town.editor, TINY_PNG.to_vec())
        .await
        .json()
        .await
        .unwrap();

    let answer = push(
        &app,
        &town.editor,
        "editor-phone",
        vec![json!({"id": 3, "op": {"op": "delete", "id": "c-withdrawn", "base_version": 1}})],
    )
    .await;
    assert_eq!(outcomes(&answer), ["applied"]);
    let status = |id: String| {
        let request = app.request(
            Method::GET,
            &format!("/api/attachments/{id}"),
            Some(&town.jiro),
        );
        async move { request.send().await.unwrap().status().as_u16() }
    };
    assert_eq!(
        status(ids[0].clone()).await,
        404,
        "the withdrawn one's file"
    );
    assert_eq!(
        status(ids[1].clone()).await,
        200,
        "still named by a circular"
    );
    assert_eq!(
        status(ids[2].clone()).await,
        404,
        "named by nothing for hours"
    );
    assert_eq!(
        status(fresh["id"].as_str().unwrap().to_owned()).await,
        200,
        "just sent: its circular may still be on its way"
    );
}
