//! The handbook's collections through sync (handbook_pregnancy, handbook_prenatal_visit,
//! handbook_birth, handbook_measurement, handbook_dose, handbook_note): who may put and pull them, in which scopes they may
//! live, which ids the birth record takes, what bodies are refused. Health staff:
//! `handbook_staff.rs`.

use domain::{accounts::Role, families::FamilyRole};
use reqwest::Method;
use serde_json::{Value, json};
use server::{accounts, families};

use crate::{
    helpers::{TestApp, spawn_app},
    moderation::{PASSWORD, user_id},
    sync::{outcomes, push, records},
};

/// A family (guardian `hanako`, viewer `grandma`), another family (guardian `ichiro`),
/// health staff (`hoken`, no consent yet) and an association member (`kazuko`).
pub(crate) struct Fixture {
    pub guardian: String,
    pub viewer: String,
    pub other: String,
    pub staff: String,
    pub family: String,
    pub other_family: String,
}

async fn new_family(app: &TestApp, guardian: &str) -> String {
    let created = app
        .post_json(
            "/api/families",
            &json!({"child_name": "練馬 さくら", "child_birth_date": "2026-04-06"}),
            Some(guardian),
        )
        .await;
    assert_eq!(created.status(), 201);
    let created: Value = created.json().await.unwrap();
    created["id"].as_str().unwrap().to_owned()
}

pub(crate) async fn fixture(app: &TestApp) -> Fixture {
    let guardian = app.sign_up("hanako", PASSWORD).await;
    let viewer = app.sign_up("grandma", PASSWORD).await;
    let other = app.sign_up("ichiro", PASSWORD).await;
    let staff = app.sign_up("hoken", PASSWORD).await;
    accounts::grant_role(&app.db, &user_id(app, "hoken").await, Role::HealthStaff)
        .await
        .unwrap();
    let family = new_family(app, &guardian).await;
    families::add_member(
        &app.db,
        &family,
        &user_id(app, "grandma").await,
        FamilyRole::Viewer,
    )
    .await
    .unwrap();
    let other_family = new_family(app, &other).await;
    Fixture {
        guardian,
        viewer,
        other,
        staff,
        family,
        other_family,
    }
}

/// One valid record of each handbook collection for `family`: (id, collection, body).
pub(crate) fn handbook(family: &str) -> Vec<(String, &'static str, Value)> {
    vec![
        (
            format!("birth-{family}"),
            "handbook_birth",
            json!({"sex": "female", "gestation": 275, "weight_g": 3120, "length_mm": 492,
                   "delivery": "vaginal", "facility": "練馬の産院"}),
        ),
        (
            "m-1".into(),
            "handbook_measurement",
            json!({"measured_on": "2026-05-07", "weight_g": 4310, "length_mm": 541,
                   "head_mm": 370, "note": "1か月健診"}),
        ),
        (
            "d-1".into(),
            "handbook_dose",
            json!({"date": "2026-06-06", "vaccine": "hepb", "dose": 1, "lot_number": "A12"}),
        ),
        (
            format!("pregnancy-{family}"),
            "handbook_pregnancy",
            json!({"last_period": "2025-06-30", "height_mm": 1580, "weight_before_g": 52000,
                   "labs": {"blood_group": "A", "rh": "positive", "rubella_hi": 32}}),
        ),
        (
            "v-1".into(),
            "handbook_prenatal_visit",
            json!({"date": "2025-11-20", "weight_g": 56400, "systolic": 112, "diastolic": 68,
                   "urine_protein": "-", "urine_glucose": "+-"}),
        ),
        (
            "n-1".into(),
            "handbook_note",
            json!({"text": "よく飲みます", "written_on": "2026-06-06", "author": "花子"}),
        ),
    ]
}

pub(crate) fn put(
    mutation_id: u64,
    id: &str,
    collection: &str,
    scope: &str,
    base: u64,
    body: Value,
) -> Value {
    json!({"id": mutation_id, "op": {"op": "put", "id": id, "collection": collection,
           "scope": scope, "base_version": base, "body": body}})
}

/// Puts every record of `records` in `scope` as one push from `client`.
pub(crate) async fn put_all(
    app: &TestApp,
    cookie: &str,
    client: &str,
    scope: &str,
    records: &[(String, &str, Value)],
) -> Vec<String> {
    let mutations = (records.iter().enumerate())
        .map(|(n, (id, collection, body))| {
            put(n as u64 + 1, id, collection, scope, 0, body.clone())
        })
        .collect();
    outcomes(&push(app, cookie, client, mutations).await)
}

/// The handbook records (of any family) a user's whole pull holds, by id.
pub(crate) async fn handbook_seen(app: &TestApp, cookie: &str, client: &str) -> Vec<String> {
    let all = records(app, cookie, client).await;
    let mut ids: Vec<String> = (all.as_object().unwrap().iter())
        .filter(|(_, r)| r["collection"].as_str().unwrap().starts_with("handbook_"))
        .map(|(id, _)| id.clone())
        .collect();
    ids.sort();
    ids
}

pub(crate) fn sorted_ids(records: &[(String, &str, Value)]) -> Vec<String> {
    let mut ids: Vec<String> = records.iter().map(|r| r.0.clone()).collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn guardians_put_and_pull_every_handbook_collection_and_viewers_only_pull() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let scope = format!("family:{}", f.family);
    let mine = handbook(&f.family);
    assert_eq!(
        put_all(&app, &f.guardian, "hanako-phone", &scope, &mine).await,
        ["applied"; 6]
    );
    assert_eq!(
        handbook_seen(&app, &f.guardian, "hanako-phone").await,
        sorted_ids(&mine)
    );
    let seen = records(&app, &f.viewer, "grandma-phone").await;
    for (id, collection, body) in &mine {
        assert_eq!(seen[id]["collection"], *collection);
        assert_eq!(seen[id]["scope"], scope);
        assert_eq!(
            &seen[id]["body"], body,
            "{id} reaches the viewer as written"
        );
    }
    // A viewer changes nothing: not a new record, not an edit, not a deletion.
    let mut mutations = Vec::new();
    for (n, (id, collection, body)) in mine.iter().enumerate() {
        let version = seen[id]["version"].as_u64().unwrap();
        let new_id = if ["handbook_birth", "handbook_pregnancy"].contains(collection) {
            id.clone()
        } else {
            format!("{id}-grandma")
        };
        mutations.push(put(
            n as u64 * 3 + 1,
            &new_id,
            collection,
            &scope,
            0,
            body.clone(),
        ));
        mutations.push(put(
            n as u64 * 3 + 2,
            id,
            collection,
            &scope,
            version,
            body.clone(),
        ));
        mutations.push(json!({"id": n as u64 * 3 + 3,
            "op": {"op": "delete", "id": id, "base_version": version}}));
    }
    let answer = push(&app, &f.viewer, "grandma-phone", mutations).await;
    assert_eq!(outcomes(&answer), ["refused:permission"; 18]);
    let after = records(&app, &f.guardian, "hanako-phone").await;
    for (id, _, body) in &mine {
        assert_eq!(after[id]["deleted"], false);
        assert_eq!(&after[id]["body"], body);
        assert_eq!(after[id]["version"], seen[id]["version"]);
    }
    assert_eq!(
        handbook_seen(&app, &f.guardian, "hanako-phone").await,
        sorted_ids(&mine)
    );
}

#[tokio::test]
async fn another_family_neither_puts_into_nor_pulls_this_familys_handbook() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let scope = format!("family:{}", f.family);
    let mine = handbook(&f.family);
    put_all(&app, &f.guardian, "hanako-phone", &scope, &mine).await;
    // New records and the ones already there, in the family's scope: not theirs.
    let theirs: Vec<_> = (mine.iter())
        .map(|(id, c, b)| match *c {
            "handbook_birth" | "handbook_pregnancy" => (id.clone(), *c, b.clone()),
            _ => (format!("{id}-ichiro"), *c, b.clone()),
        })
        .collect();
    assert_eq!(
        put_all(&app, &f.other, "ichiro-phone", &scope, &theirs).await,
        ["refused:permission"; 6]
    );
    assert_eq!(
        put_all(&app, &f.other, "ichiro-phone-2", &scope, &mine).await,
        ["refused:permission"; 6]
    );
    // The same ids in their own family's scope: answered as taken, never written.
    let own = format!("family:{}", f.other_family);
    assert_eq!(
        put_all(&app, &f.other, "ichiro-phone-3", &own, &mine).await,
        ["refused:validation"; 6]
    );
    // Deleting them answers as for a missing record, and deletes nothing.
    let deletes = (mine.iter().enumerate())
        .map(|(n, (id, _, _))| json!({"id": n + 1, "op": {"op": "delete", "id": id, "base_version": 1}}))
        .collect();
    let answer = push(&app, &f.other, "ichiro-phone-4", deletes).await;
    assert!(outcomes(&answer).iter().all(|o| o == "applied"));
    assert!(
        answer["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["version"] == 0)
    );
    assert!(
        handbook_seen(&app, &f.other, "ichiro-phone")
            .await
            .is_empty()
    );
    // Asking for the scope by name in a pull brings nothing either.
    let page: Value = app
        .request(
            Method::GET,
            &format!("/api/sync/pull?client_id=ichiro-phone&cursor=0&scopes={scope}"),
            Some(&f.other),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(!page["scopes"].as_array().unwrap().contains(&json!(scope)));
    assert!(
        page["records"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["scope"] != scope)
    );
    let kept = records(&app, &f.guardian, "hanako-phone").await;
    for (id, _, body) in &mine {
        assert_eq!(kept[id]["deleted"], false);
        assert_eq!(&kept[id]["body"], body);
    }
}

#[tokio::test]
async fn handbook_records_live_only_in_a_family_scope() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let hanako = user_id(&app, "hanako").await;
    let records = handbook(&f.family);
    for (n, scope) in [
        "public".to_owned(),
        format!("user:{hanako}"),
        "association:a-1".to_owned(),
        "editors:a-1".to_owned(),
        "family:".to_owned(),
    ]
    .iter()
    .enumerate()
    {
        let client = format!("hanako-{n}");
        let got = put_all(&app, &f.guardian, &client, scope, &records).await;
        assert_eq!(got, ["refused:validation"; 6], "{scope}");
    }
    assert!(
        handbook_seen(&app, &f.guardian, "hanako-phone")
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn the_birth_record_takes_its_own_familys_id_and_no_other() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let scope = format!("family:{}", f.family);
    let birth = handbook(&f.family)[0].2.clone();
    let note = handbook(&f.family)[3].2.clone();
    let measurement = handbook(&f.family)[1].2.clone();
    let cases = vec![
        (
            format!("birth-{}", f.other_family),
            "handbook_birth",
            birth.clone(),
        ),
        ("birth-".to_owned(), "handbook_birth", birth.clone()),
        ("birth-x".to_owned(), "handbook_birth", birth.clone()),
        ("b-1".to_owned(), "handbook_birth", birth.clone()),
        (f.family.clone(), "handbook_birth", birth.clone()),
        (format!("birth-{}", f.family), "handbook_note", note),
        (
            format!("birth-{}", f.family),
            "handbook_measurement",
            measurement,
        ),
    ];
    let got = put_all(&app, &f.guardian, "hanako-phone", &scope, &cases).await;
    assert_eq!(got, ["refused:validation"; 7]);
    // The right id still works afterwards, and a second write updates the same record.
    let id = format!("birth-{}", f.family);
    let first = push(
        &app,
        &f.guardian,
        "hanako-phone",
        vec![put(8, &id, "handbook_birth", &scope, 0, birth.clone())],
    )
    .await;
    assert_eq!(outcomes(&first), ["applied"]);
    let version = first["results"][0]["version"].as_u64().unwrap();
    let mut heavier = birth;
    heavier["weight_g"] = json!(3150);
    let taro = push(
        &app,
        &f.guardian,
        "hanako-tablet",
        vec![put(
            1,
            &id,
            "handbook_birth",
            &scope,
            version,
            heavier.clone(),
        )],
    )
    .await;
    assert_eq!(outcomes(&taro), ["applied"]);
    let seen = records(&app, &f.viewer, "grandma-phone").await;
    assert_eq!(seen[&id]["body"], heavier);
    assert_eq!(handbook_seen(&app, &f.viewer, "grandma-phone").await, [id]);
}

#[tokio::test]
async fn malformed_and_impossible_handbook_bodies_are_refused_as_invalid_never_a_500() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let scope = format!("family:{}", f.family);
    let birth_id = format!("birth-{}", f.family);
    let b = |body: Value| (birth_id.clone(), "handbook_birth", body);
    let m = |id: &str, body: Value| (id.to_owned(), "handbook_measurement", body);
    let d = |id: &str, body: Value| (id.to_owned(), "handbook_dose", body);
    let n = |id: &str, body: Value| (id.to_owned(), "handbook_note", body);
    let pregnancy_id = format!("pregnancy-{}", f.family);
    let p = |body: Value| (pregnancy_id.clone(), "handbook_pregnancy", body);
    let v = |id: &str, body: Value| (id.to_owned(), "handbook_prenatal_visit", body);
    let deep = (0..200).fold(json!(1), |inner, _| json!([inner]));
    let cases = vec![
        p(json!({})),
        p(json!({"last_period": "2025-06-30", "due_date": "2025-06-01"})),
        p(json!({"last_period": "2025-06-30", "height_mm": 2})),
        p(json!({"last_period": "2025-06-30", "labs": {"rubella_hi": 24}})),
        p(json!({"last_period": "2025-06-30", "labs": {"blood_group": "Z"}})),
        v(
            "v-1",
            json!({"date": "2025-11-20", "systolic": 60, "diastolic": 110}),
        ),
        v("v-2", json!({"date": "2025-11-20", "urine_protein": "4+"})),
        v("v-3", json!({"date": "2025-11-20", "weight_g": 56})),
        v(
            "v-4",
            json!({"date": "2025-11-20", "next_visit": "2025-11-01"}),
        ),
        b(json!({"sex": "female", "weight_g": "3120"})),
        b(json!({"sex": "female", "weight_g": 50000})),
        b(json!({"sex": "female", "weight_g": -3120})),
        b(json!({"sex": "female", "weight_g": 3120.5})),
        b(json!({"sex": "girl"})),
        b(json!({"weight_g": 3120})),
        b(json!({"sex": "female", "gestation": 400})),
        b(json!({"sex": "female", "time": "25:00"})),
        b(json!({"sex": "female", "blood_type": "A"})),
        b(json!([{"sex": "female"}])),
        b(json!(null)),
        b(json!("female")),
        m("m-1", json!({"measured_on": "2026-05-07"})),
        m("m-2", json!({"measured_on": "2026-05-07", "weight_g": 0})),
        m(
            "m-3",
            json!({"measured_on": "2026-05-07", "weight_g": 4_000_000_000u64}),
        ),
        m(
            "m-4",
            json!({"measured_on": "2026-02-30", "weight_g": 4310}),
        ),
        m("m-5", json!({"measured_on": 20260507, "weight_g": 4310})),
        m("m-6", json!({"weight_g": 4310})),
        m(
            "m-7",
            json!({"measured_on": "2026-05-07", "weight_g": 4310, "bmi": 14}),
        ),
        m(
            "m-8",
            json!({"measured_on": "2026-05-07", "length_mm": 5400}),
        ),
        m(
            "m-9",
            json!({"measured_on": "2026-05-07", "head_mm": 370, "note": "x".repeat(201)}),
        ),
        d(
            "d-1",
            json!({"date": "2026-06-06", "vaccine": "nonsense", "dose": 1}),
        ),
        d(
            "d-2",
            json!({"date": "2026-06-06", "vaccine": "hepb", "dose": 0}),
        ),
        d(
            "d-3",
            json!({"date": "2026-06-06", "vaccine": "hepb", "dose": 9}),
        ),
        d(
            "d-4",
            json!({"date": "2026-06-06", "vaccine": "hepb", "dose": 300}),
        ),
        d(
            "d-5",
            json!({"date": "yesterday", "vaccine": "hepb", "dose": 1}),
        ),
        d(
            "d-6",
            json!({"date": "2026-06-06", "vaccine": "hepb", "dose": 1, "extra": true}),
        ),
        d(
            "d-7",
            json!({"date": "2026-06-06", "vaccine": "hepb", "dose": 1, "product": "PCV20"}),
        ),
        d(
            "d-8",
            json!({"date": "2026-06-06", "vaccine": "hepb", "dose": 1, "lot_number": "x".repeat(41)}),
        ),
        n(
            "n-1",
            json!({"text": "", "written_on": "2026-06-06", "author": "花子"}),
        ),
        n(
            "n-2",
            json!({"text": "x".repeat(2001), "written_on": "2026-06-06", "author": "花子"}),
        ),
        n(
            "n-3",
            json!({"text": 5, "written_on": "2026-06-06", "author": "花子"}),
        ),
        // Over the 16 KiB a record body may hold.
        n(
            "n-4",
            json!({"text": "熱".repeat(6000), "written_on": "2026-06-06", "author": "花子"}),
        ),
    ];
    let count = cases.len();
    for (chunk, cases) in cases.chunks(10).enumerate() {
        let got = put_all(&app, &f.guardian, &format!("hanako-{chunk}"), &scope, cases).await;
        for ((id, collection, body), outcome) in cases.iter().zip(&got) {
            assert_eq!(outcome, "refused:validation", "{collection} {id}: {body}");
        }
    }
    assert!(count > 30);
    assert!(
        handbook_seen(&app, &f.guardian, "hanako-phone")
            .await
            .is_empty()
    );
    // A request over the 64 KiB a request may be is refused whole, as too large.
    let huge = "x".repeat(70 * 1024);
    let response = app
        .post_json(
            "/api/sync/push",
            &json!({"client_id": "hanako-huge", "mutations": [put(1, "n-9", "handbook_note",
                &scope, 0, json!({"text": huge, "written_on": "2026-06-06", "author": "花子"}))]}),
            Some(&f.guardian),
        )
        .await;
    assert_eq!(response.status(), 413);
    let answer: Value = response.json().await.unwrap();
    assert_eq!(answer["error"]["code"], "payload_too_large");
    // A mutation of the wrong shape, or JSON nested past what the server reads, spoils
    // the whole request as `invalid_json`.
    for (n, mutation) in [
        json!({"id": 1, "op": {"op": "put", "id": "m-1", "collection": "handbook_measurement",
               "scope": scope}}),
        put(1, "m-1", "handbook_measurement", &scope, 0, deep),
    ]
    .into_iter()
    .enumerate()
    {
        let response = app
            .post_json(
                "/api/sync/push",
                &json!({"client_id": format!("hanako-shape-{n}"), "mutations": [mutation]}),
                Some(&f.guardian),
            )
            .await;
        assert_eq!(response.status(), 422, "{n}");
        let answer: Value = response.json().await.unwrap();
        assert_eq!(answer["error"]["code"], "invalid_json", "{n}");
    }
    assert!(
        handbook_seen(&app, &f.guardian, "hanako-phone")
            .await
            .is_empty()
    );
}
