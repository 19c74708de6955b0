//! Health staff and the handbook through sync: they pull a family's handbook only while
//! its guardians consent to the health centre, never write it, and every page they pull
//! is audited; and the demo family's handbook, which `hoken` can open.

use domain::{dates::Day, sync::protocol::Scope};
use reqwest::Method;
use serde_json::{Value, json};

use crate::{
    handbook::{fixture, handbook, handbook_seen, put, put_all, sorted_ids},
    helpers::{TestApp, spawn_app},
    moderation::user_id,
    sync::{outcomes, push, records},
};

/// `family.read.sync` entries: (actor, family, reason).
async fn sync_reads(app: &TestApp) -> Vec<(String, String, Option<String>)> {
    sqlx::query_as(
        "SELECT actor, object_id, reason FROM audit_log \
         WHERE action = 'family.read.sync' ORDER BY seq",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap()
}

async fn consent(app: &TestApp, cookie: &str, family: &str, given: bool) {
    let response = app
        .request(
            Method::PUT,
            &format!("/api/families/{family}/consent"),
            Some(cookie),
        )
        .json(&json!({"health_centre": given}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

async fn pull_page(app: &TestApp, cookie: &str, client: &str, cursor: u64, scopes: &str) -> Value {
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
async fn health_staff_pull_a_handbook_only_while_consent_stands_and_every_page_is_audited() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let scope = format!("family:{}", f.family);
    let mine = handbook(&f.family);
    put_all(&app, &f.guardian, "hanako-phone", &scope, &mine).await;
    let other_scope = format!("family:{}", f.other_family);
    put_all(
        &app,
        &f.other,
        "ichiro-phone",
        &other_scope,
        &handbook(&f.other_family)[1..],
    )
    .await;
    // No consent yet: nothing of either family, and no audit entry.
    assert!(
        handbook_seen(&app, &f.staff, "hoken-tablet")
            .await
            .is_empty()
    );
    assert!(sync_reads(&app).await.is_empty());

    consent(&app, &f.guardian, &f.family, true).await;
    let page = pull_page(&app, &f.staff, "hoken-tablet", 0, "").await;
    assert!(page["scopes"].as_array().unwrap().contains(&json!(scope)));
    assert!(
        !page["scopes"]
            .as_array()
            .unwrap()
            .contains(&json!(other_scope))
    );
    let seen = handbook_seen(&app, &f.staff, "hoken-tablet").await;
    assert_eq!(seen, sorted_ids(&mine), "this family's, not the other's");
    let staff_id = user_id(&app, "hoken").await;
    let entry = (
        staff_id.clone(),
        f.family.clone(),
        Some("6 records".to_owned()),
    );
    assert_eq!(sync_reads(&app).await, [entry.clone(), entry.clone()]);
    // Read only: health staff write nothing into the handbook through sync.
    let edits: Vec<_> = (mine.iter())
        .map(|(id, c, b)| match *c {
            "handbook_birth" | "handbook_pregnancy" => (id.clone(), *c, b.clone()),
            _ => (format!("{id}-hoken"), *c, b.clone()),
        })
        .collect();
    assert_eq!(
        put_all(&app, &f.staff, "hoken-tablet", &scope, &edits).await,
        ["refused:permission"; 6]
    );
    let delete = json!({"id": 5, "op": {"op": "delete", "id": "n-1", "base_version": 1}});
    let answer = push(&app, &f.staff, "hoken-tablet", vec![delete]).await;
    assert_eq!(outcomes(&answer), ["refused:permission"]);
    // A guardian's own pull is still not audited.
    records(&app, &f.guardian, "hanako-phone").await;
    assert_eq!(sync_reads(&app).await.len(), 2);
    // An up-to-date pull returns nothing and audits nothing.
    let cursor = page["cursor"].as_u64().unwrap();
    let held: Vec<&str> = (page["scopes"].as_array().unwrap().iter())
        .map(|s| s.as_str().unwrap())
        .collect();
    let held = held.join(",");
    let again = pull_page(&app, &f.staff, "hoken-tablet", cursor, &held).await;
    assert!(again["records"].as_array().unwrap().is_empty());
    assert_eq!(sync_reads(&app).await.len(), 2);

    // Consent withdrawn: the next pull drops the scope and brings no record of it, even
    // one written since, and nothing more is audited.
    consent(&app, &f.guardian, &f.family, false).await;
    let note = json!({"text": "同意の後", "written_on": "2026-06-07", "author": "花子"});
    let answer = push(
        &app,
        &f.guardian,
        "hanako-phone",
        vec![put(5, "n-2", "handbook_note", &scope, 0, note)],
    )
    .await;
    assert_eq!(outcomes(&answer), ["applied"]);
    let after = pull_page(&app, &f.staff, "hoken-tablet", cursor, &held).await;
    assert!(!after["scopes"].as_array().unwrap().contains(&json!(scope)));
    assert!(after["records"].as_array().unwrap().is_empty(), "{after}");
    assert!(
        handbook_seen(&app, &f.staff, "hoken-tablet")
            .await
            .is_empty()
    );
    assert_eq!(sync_reads(&app).await.len(), 2);
    // The API agrees: the family is gone for them too.
    let response = app
        .request(
            Method::GET,
            &format!("/api/families/{}", f.family),
            Some(&f.staff),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn the_demo_child_is_eight_months_old_with_her_handbook_shared_with_the_health_centre() {
    let app = spawn_app().await;
    assert!(server::demo::seed(&app.db).await.unwrap() > 0);
    assert_eq!(server::demo::seed(&app.db).await.unwrap(), 0, "seeded once");
    let hanako = app.sign_in("hanako", server::demo::DEMO_PASSWORD).await;
    let family = "0193a6f0-0000-7000-8000-00000000f001";
    let cover: Value = app
        .request(
            Method::GET,
            &format!("/api/families/{family}"),
            Some(&hanako),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let today = Day::parse(&server::db::today_tokyo()).unwrap();
    let born = Day::parse(cover["child_birth_date"].as_str().unwrap()).unwrap();
    assert_eq!(born, today.add_months(-8));
    assert_eq!(cover["health_centre_consent"], true);
    let seen = records(&app, &hanako, "hanako-phone").await;
    let scope = Scope::of("family", family);
    let count = |collection: &str| {
        (seen.as_object().unwrap().values())
            .filter(|r| r["collection"] == collection && r["scope"] == scope.0)
            .count()
    };
    assert_eq!(count("handbook_birth"), 1);
    assert_eq!(count("handbook_measurement"), 4);
    // A checkup's findings and the parent's record for each of the four checkups.
    assert_eq!(count("handbook_checkup"), 4);
    assert_eq!(count("handbook_checkup_note"), 4);
    assert!(count("handbook_dose") >= 12, "{}", count("handbook_dose"));
    let birth = &seen[&format!("birth-{family}")]["body"];
    assert_eq!(birth["weight_g"], 3120);
    assert_eq!(birth["gestation"], 39 * 7 + 2);
    // The health centre's tablet gets the same records, and the read is audited.
    let hoken = app.sign_in("hoken", server::demo::DEMO_PASSWORD).await;
    let staff_seen = handbook_seen(&app, &hoken, "hoken-tablet").await;
    // ...and the second pregnancy's (consented too): its record and four visits.
    let second = Scope::of("family", "0193a6f0-0000-7000-8000-00000000f002");
    let in_second = (seen.as_object().unwrap().values())
        .filter(|r| r["scope"] == second.0)
        .count();
    assert_eq!(
        in_second,
        1 + 4,
        "the pregnancy record and the visits so far"
    );
    assert_eq!(
        staff_seen.len(),
        1 + 4 + 4 + 4 + count("handbook_dose") + in_second
    );
    assert_eq!(sync_reads(&app).await.len(), 2, "one entry per family read");
    // Viewers read it too, and write nothing.
    let grandma = app.sign_in("grandma", server::demo::DEMO_PASSWORD).await;
    let m1 = "0193a6f0-0000-7000-8000-00000f0a0001";
    let version = seen[m1]["version"].as_u64().unwrap();
    let mut body = seen[m1]["body"].clone();
    body["weight_g"] = json!(3000);
    let answer = push(
        &app,
        &grandma,
        "grandma-phone",
        vec![put(1, m1, "handbook_measurement", &scope.0, version, body)],
    )
    .await;
    assert_eq!(outcomes(&answer), ["refused:permission"]);
}
