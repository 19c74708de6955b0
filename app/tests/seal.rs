//! Handbook data at rest (headless Chromium): a family's values are sealed with AES-GCM
//! under the store's non-extractable key, read back in the clear through the store, and
//! the key goes with the store at sign-out. A store that lost its key re-pulls what it
//! cannot read and names the changes it cannot send; nothing panics.
#![cfg(target_arch = "wasm32")]

use app::sync_store::IdbStore;
use domain::sync::{
    client::{Batch, Store},
    protocol::{Op, Outcome, Record, Refusal, Scope},
};
use indexed_db_futures::{database::Database, prelude::*, transaction::TransactionMode};
use js_sys::{JSON, Reflect, Uint8Array};
use serde_json::json;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// What a parent wrote: it must never be in IndexedDB as it is.
const SECRET: &str = "つわりがひどい secret-note-text";

async fn fresh(name: &str) -> IdbStore {
    Database::delete_by_name(name).unwrap().await.unwrap();
    IdbStore::open(name, || "phone-1".into()).await.unwrap()
}

fn note(id: &str, scope: &Scope, version: u64) -> Record {
    Record {
        id: id.into(),
        collection: "note".into(),
        scope: scope.clone(),
        version,
        deleted: false,
        body: json!({"text": SECRET, "written_on": "2026-12-01", "author": "まま"}),
    }
}

fn put_note(id: &str, scope: &Scope) -> Op {
    Op::Put {
        id: id.into(),
        collection: "note".into(),
        scope: scope.clone(),
        base_version: 0,
        body: json!({"text": SECRET, "written_on": "2026-12-01", "author": "まま"}),
    }
}

/// Every value of the object store `name`, read directly (as DevTools would show it).
async fn raw_values(db: &str, name: &str) -> Vec<JsValue> {
    let db = Database::open(db).await.unwrap();
    let tx = db.transaction(name).build().unwrap();
    let values = tx
        .object_store(name)
        .unwrap()
        .get_all::<JsValue>()
        .await
        .unwrap();
    let values = values.map(Result::unwrap).collect();
    drop(tx);
    db.close();
    values
}

/// One row of `meta`, read directly.
async fn raw_meta(db: &str, row: &str) -> Option<JsValue> {
    let db = Database::open(db).await.unwrap();
    let tx = db.transaction("meta").build().unwrap();
    let value = tx.object_store("meta").unwrap().get(row).await.unwrap();
    drop(tx);
    db.close();
    value
}

/// Everything a value holds, as text and as bytes: its JSON, and each binary field's
/// bytes decoded as UTF-8 (lossily), so a secret could not hide in an ArrayBuffer.
fn everything_in(value: &JsValue) -> String {
    let mut all = JSON::stringify(value).unwrap().as_string().unwrap();
    for key in js_sys::Object::keys(value.unchecked_ref::<js_sys::Object>()).iter() {
        let field = Reflect::get(value, &key).unwrap();
        if field.is_instance_of::<js_sys::ArrayBuffer>() || field.is_instance_of::<Uint8Array>() {
            all.push_str(&String::from_utf8_lossy(&Uint8Array::new(&field).to_vec()));
        }
    }
    all
}

#[wasm_bindgen_test]
async fn a_handbook_record_is_sealed_in_indexeddb_and_read_back_in_the_clear() {
    let name = "seal-test-record";
    let store = fresh(name).await;
    let family = Scope::of("family", "f1");
    // One record alone, and a page big enough to be a chunk in another scope.
    let mut put = vec![note("n1", &family, 3)];
    put.extend((0..40).map(|i| note(&format!("p{i}"), &family, 10 + i)));
    put.push(Record {
        body: json!({"title": "public-event-title"}),
        ..note("e1", &Scope::public(), 4)
    });
    store
        .commit(Batch {
            put,
            ..Batch::default()
        })
        .await
        .unwrap();

    let raw = raw_values(name, "records").await;
    assert_eq!(raw.len(), 42, "a family's page is never a chunk");
    assert!(raw_values(name, "chunks").await.is_empty());
    for value in &raw {
        let all = everything_in(value);
        assert!(
            !all.contains("つわり") && !all.contains("secret-note"),
            "{all}"
        );
    }
    // The public event is not health data: stored as before, in the clear.
    let public = raw
        .iter()
        .find(|v| Reflect::get(v, &"id".into()).unwrap() == "e1")
        .unwrap();
    assert!(everything_in(public).contains("public-event-title"));

    // The store reads it back.
    assert_eq!(
        store.record("n1").await.unwrap(),
        Some(note("n1", &family, 3))
    );
    let all = store.records_in(&family).await.unwrap();
    assert_eq!(all.len(), 41);
    assert_eq!(all[0], note("n1", &family, 3));
    let (texts, _) = store
        .read_scopes(std::slice::from_ref(&family))
        .await
        .unwrap();
    assert!(texts[0].iter().any(|t| t.contains(SECRET)));

    // A deletion, and a newer copy, as the sync engine stores them.
    store
        .commit(Batch {
            put: vec![note("p3", &family, 500)],
            delete: vec!["n1".into()],
            ..Batch::default()
        })
        .await
        .unwrap();
    assert_eq!(store.record("n1").await.unwrap(), None);
    assert_eq!(store.record("p3").await.unwrap().unwrap().version, 500);
    store.close();
}

#[wasm_bindgen_test]
async fn an_outbox_entry_and_a_notice_are_sealed_and_survive_a_round_trip() {
    let name = "seal-test-outbox";
    let store = fresh(name).await;
    let family = Scope::of("family", "f1");
    let first = store.enqueue(put_note("n1", &family)).await.unwrap();
    let second = store
        .enqueue(Op::Delete {
            id: "n0".into(),
            base_version: 2,
        })
        .await
        .unwrap();
    assert_eq!((first.id, second.id), (1, 2));
    for value in raw_values(name, "outbox").await {
        assert!(!everything_in(&value).contains("secret-note"));
    }
    store.close();

    let store = IdbStore::open(name, || "unused".into()).await.unwrap();
    assert_eq!(
        store.outbox().await.unwrap(),
        vec![first.clone(), second.clone()]
    );
    // The server refuses it: the notice keeps what was written, sealed.
    store
        .commit(Batch {
            dequeue: vec![1],
            notices: vec![domain::sync::client::Notice {
                mutation: first.clone(),
                outcome: Outcome::Refused {
                    reason: Refusal::Validation,
                },
            }],
            ..Batch::default()
        })
        .await
        .unwrap();
    for value in raw_values(name, "notices").await {
        assert!(!everything_in(&value).contains("secret-note"));
    }
    assert_eq!(store.notices().await.unwrap()[0].mutation, first);
    assert_eq!(store.outbox().await.unwrap(), vec![second]);
    store.close();
}

#[wasm_bindgen_test]
async fn the_key_is_a_non_extractable_crypto_key_and_goes_at_sign_out() {
    let name = "tsunagaru-sync-seal-test";
    let store = fresh(name).await;
    let key: web_sys::CryptoKey = raw_meta(name, "key").await.unwrap().unchecked_into();
    assert!(!key.extractable());
    let subtle = web_sys::window().unwrap().crypto().unwrap().subtle();
    let exported = JsFuture::from(subtle.export_key("raw", &key).unwrap()).await;
    assert!(exported.is_err(), "exportKey must fail");

    // Signing out deletes the store, and the key with it.
    app::account::state::forget_stored_data().await;
    drop(store);
    let databases = indexed_db_futures::factory::DBFactory::new()
        .unwrap()
        .databases()
        .unwrap()
        .await
        .unwrap();
    assert_eq!(databases.count(), 0);
    // Opened again, the store is new: a new key, none of the old data.
    let store = IdbStore::open(name, || "phone-2".into()).await.unwrap();
    assert_eq!(store.meta().await.unwrap().client_id, "phone-2");
    store.close();
}

/// Deletes the key and the `sealed` row, as a partial wipe would.
async fn lose_the_key(name: &str) {
    let db = Database::open(name).await.unwrap();
    let tx = db
        .transaction("meta")
        .with_mode(TransactionMode::Readwrite)
        .build()
        .unwrap();
    let meta = tx.object_store("meta").unwrap();
    meta.delete("key").build().unwrap();
    meta.delete("sealed").build().unwrap();
    tx.commit().await.unwrap();
    db.close();
}

#[wasm_bindgen_test]
async fn a_store_that_lost_its_key_re_pulls_its_records_and_names_the_changes_it_cannot_send() {
    let name = "seal-test-lost-key";
    let store = fresh(name).await;
    let (family, public) = (Scope::of("family", "f1"), Scope::public());
    store
        .commit(Batch {
            put: vec![note("n1", &family, 3), note("e1", &public, 4)],
            scopes: Some([family.clone(), public.clone()].into()),
            cursor: Some(4),
            ..Batch::default()
        })
        .await
        .unwrap();
    let lost = store.enqueue(put_note("n2", &family)).await.unwrap();
    let kept = store.enqueue(put_note("e2", &public)).await.unwrap();
    assert_eq!((lost.id, kept.id), (1, 2));
    store.close();
    lose_the_key(name).await;

    let store = IdbStore::open(name, || "phone-new".into()).await.unwrap();
    // The record it cannot read is gone, and its scope is pulled again whole.
    assert_eq!(store.record("n1").await.unwrap(), None);
    assert_eq!(store.records_in(&family).await.unwrap(), vec![]);
    assert_eq!(
        store.record("e1").await.unwrap(),
        Some(note("e1", &public, 4))
    );
    let meta = store.meta().await.unwrap();
    assert_eq!(
        meta.scopes,
        [public.clone()].into(),
        "the family scope is re-pulled"
    );
    assert_eq!(meta.cursor, 4);
    // The change it cannot read is not sent and not lost silently: a notice says so. The
    // one it can read waits to be sent under a new client id, numbered from 1.
    assert_eq!(meta.client_id, "phone-new");
    assert_eq!(meta.next_mutation_id, 2);
    let outbox = store.outbox().await.unwrap();
    assert_eq!(outbox.len(), 1);
    assert_eq!((outbox[0].id, &outbox[0].op), (1, &kept.op));
    let notices = store.notices().await.unwrap();
    assert_eq!(notices.len(), 1);
    assert_eq!(
        notices[0].outcome,
        Outcome::Refused {
            reason: Refusal::Unreadable
        }
    );
    // The store works on: what is written now is sealed under the new key and reads.
    store
        .commit(Batch {
            put: vec![note("n1", &family, 3)],
            ..Batch::default()
        })
        .await
        .unwrap();
    assert_eq!(
        store.record("n1").await.unwrap(),
        Some(note("n1", &family, 3))
    );
    store.close();
}

#[wasm_bindgen_test]
async fn a_store_written_in_the_clear_still_reads_and_is_sealed_when_opened() {
    let name = "seal-test-clear";
    let store = fresh(name).await;
    store.close();
    lose_the_key(name).await;
    // What the previous version wrote: a family's chunk, a record, an outbox entry and a
    // notice, all in the clear.
    let family = Scope::of("family", "f1");
    let records: Vec<Record> = (0..40)
        .map(|i| note(&format!("p{i}"), &family, i + 1))
        .collect();
    let queued = domain::sync::protocol::Mutation {
        id: 1,
        op: put_note("mine", &family),
    };
    {
        let db = Database::open(name).await.unwrap();
        let tx = db
            .transaction(["records", "chunks", "outbox", "notices"])
            .with_mode(TransactionMode::Readwrite)
            .build()
            .unwrap();
        let store = |n| tx.object_store(n).unwrap();
        let chunk = js_sys::Object::new();
        let ids: js_sys::Array = records[1..]
            .iter()
            .map(|r| JsValue::from_str(&r.id))
            .collect();
        Reflect::set(&chunk, &"scope".into(), &family.0.as_str().into()).unwrap();
        Reflect::set(&chunk, &"ids".into(), &ids).unwrap();
        let text = serde_json::to_string(&records[1..]).unwrap();
        Reflect::set(&chunk, &"text".into(), &text.into()).unwrap();
        store("chunks").add(chunk).build().unwrap();
        store("records").put(parse(&records[0])).build().unwrap();
        store("outbox").add(parse(&queued)).build().unwrap();
        let notice = domain::sync::client::Notice {
            mutation: queued.clone(),
            outcome: Outcome::Conflict { current_version: 9 },
        };
        store("notices").add(parse(&notice)).build().unwrap();
        tx.commit().await.unwrap();
        db.close();
    }

    let store = IdbStore::open(name, || "phone-new".into()).await.unwrap();
    // Everything reads as before, nothing is lost, and the client is the same.
    let mut read = store.records_in(&family).await.unwrap();
    read.sort_by_key(|r| r.version);
    assert_eq!(read, records);
    assert_eq!(store.outbox().await.unwrap(), vec![queued.clone()]);
    assert_eq!(store.notices().await.unwrap()[0].mutation, queued);
    assert_eq!(store.meta().await.unwrap().client_id, "phone-1");
    // And now it is sealed.
    assert!(raw_values(name, "chunks").await.is_empty());
    for store_name in ["records", "outbox", "notices"] {
        let values = raw_values(name, store_name).await;
        assert!(!values.is_empty());
        for value in values {
            assert!(
                !everything_in(&value).contains("secret-note"),
                "{store_name}"
            );
        }
    }
    store.close();
}

/// A JS object made from a value's JSON, as the previous version saved values.
fn parse<T: serde::Serialize>(value: &T) -> JsValue {
    JSON::parse(&serde_json::to_string(value).unwrap()).unwrap()
}
