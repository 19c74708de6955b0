//! 乳幼児健診 through sync: health staff write checkup findings into a family's handbook
//! only while its guardians consent, every such push is audited, and they write nothing
//! else there; guardians write the parent's record but never the clinician's findings;
//! viewers write neither.

use serde_json::{Value, json};

use crate::{
    handbook::{fixture, put},
    helpers::{TestApp, spawn_app},
    moderation::user_id,
    sync::{outcomes, push, records},
};

/// `family.checkup.write` entries: (actor, family, reason).
async fn checkup_writes(app: &TestApp) -> Vec<(String, String, Option<String>)> {
    sqlx::query_as(
        "SELECT actor, object_id, reason FROM audit_log \
         WHERE action = 'family.checkup.write' ORDER BY seq",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap()
}

fn findings() -> Value {
    json!({"age": "6-7m", "date": "2026-10-20", "weight_g": 7800, "length_mm": 680,
           "nutrition": "good", "feeding": "mixed", "development": "年齢相応",
           "judgement": "healthy", "facility": "練馬区保健相談所"})
}

async fn one(app: &TestApp, cookie: &str, client: &str, mutation: Value) -> String {
    outcomes(&push(app, cookie, client, vec![mutation]).await).remove(0)
}

#[tokio::test]
async fn health_staff_write_checkup_findings_only_with_consent_and_guardians_only_their_own_record()
{
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let scope = format!("family:{}", f.family);
    let checkup = |n, id: &str| put(n, id, "handbook_checkup", &scope, 0, findings());

    // No consent: health staff cannot write, and nothing is audited.
    assert_eq!(
        one(&app, &f.staff, "hoken-tablet", checkup(1, "c-1")).await,
        "refused:permission"
    );
    assert!(checkup_writes(&app).await.is_empty());

    let response = app
        .request(
            reqwest::Method::PUT,
            &format!("/api/families/{}/consent", f.family),
            Some(&f.guardian),
        )
        .json(&json!({"health_centre": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        one(&app, &f.staff, "hoken-tablet", checkup(2, "c-1")).await,
        "applied"
    );
    let staff_id = user_id(&app, "hoken").await;
    assert_eq!(
        checkup_writes(&app).await,
        [(staff_id, f.family.clone(), Some("1 records".to_owned()))]
    );
    // The guardians and the viewer read the findings.
    for (cookie, client) in [(&f.guardian, "hanako-phone"), (&f.viewer, "grandma-phone")] {
        let held = records(&app, cookie, client).await;
        assert_eq!(held["c-1"]["body"]["judgement"], "healthy", "{client}");
    }
    // Another family, which did not consent: refused.
    let other_scope = format!("family:{}", f.other_family);
    let elsewhere = put(3, "c-2", "handbook_checkup", &other_scope, 0, findings());
    assert_eq!(
        one(&app, &f.staff, "hoken-tablet", elsewhere).await,
        "refused:permission"
    );
    // Health staff write nothing else into the handbook.
    let measured = json!({"measured_on": "2026-10-20", "weight_g": 7800});
    let measurement = put(4, "m-hoken", "handbook_measurement", &scope, 0, measured);
    assert_eq!(
        one(&app, &f.staff, "hoken-tablet", measurement).await,
        "refused:permission"
    );
    let note = json!({"age": "6-7m", "milestones": {"roll_over": "2026-09-20"}});
    let note_id = format!("checkup-note-6-7m-{}", f.family);
    let parents = put(
        5,
        &note_id,
        "handbook_checkup_note",
        &scope,
        0,
        note.clone(),
    );
    assert_eq!(
        one(&app, &f.staff, "hoken-tablet", parents).await,
        "refused:permission"
    );
    // Guardians write the parent's record, not the findings (new or changed).
    let parents = put(
        1,
        &note_id,
        "handbook_checkup_note",
        &scope,
        0,
        note.clone(),
    );
    assert_eq!(
        one(&app, &f.guardian, "hanako-phone", parents).await,
        "applied"
    );
    let own = put(2, "c-3", "handbook_checkup", &scope, 0, findings());
    assert_eq!(
        one(&app, &f.guardian, "hanako-phone", own).await,
        "refused:permission"
    );
    let change = put(3, "c-1", "handbook_checkup", &scope, 1, findings());
    assert_eq!(
        one(&app, &f.guardian, "hanako-phone", change).await,
        "refused:permission"
    );
    let delete = json!({"id": 4, "op": {"op": "delete", "id": "c-1", "base_version": 1}});
    assert_eq!(
        one(&app, &f.guardian, "hanako-phone", delete).await,
        "refused:permission"
    );
    // A viewer writes neither.
    let parents = put(1, &note_id, "handbook_checkup_note", &scope, 0, note);
    assert_eq!(
        one(&app, &f.viewer, "grandma-phone", parents).await,
        "refused:permission"
    );
    // Consent withdrawn: health staff can no longer change their own findings.
    let response = app
        .request(
            reqwest::Method::PUT,
            &format!("/api/families/{}/consent", f.family),
            Some(&f.guardian),
        )
        .json(&json!({"health_centre": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let later = json!({"id": 6, "op": {"op": "delete", "id": "c-1", "base_version": 1}});
    // (Answered as for a record it cannot see: nothing to delete.)
    one(&app, &f.staff, "hoken-tablet", later).await;
    let held = records(&app, &f.guardian, "hanako-phone").await;
    assert_eq!(held["c-1"]["body"]["judgement"], "healthy", "still there");
    assert_eq!(checkup_writes(&app).await.len(), 1);
}
