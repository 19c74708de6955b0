//! The sync store in real IndexedDB (headless Chromium): what the engine saves survives
//! closing and reopening, and a record change with its outbox entry commits together or
//! not at all.
#![cfg(target_arch = "wasm32")]

use app::sync_store::IdbStore;
use domain::sync::{
    client::{Batch, Engine, Store, Transport, TransportError},
    commands::Command,
    protocol::{PullRequest, PullResponse, PushRequest, PushResponse, Record, Scope},
};
use indexed_db_futures::{KeyPath, database::Database, prelude::*, transaction::TransactionMode};
use serde_json::json;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// No network: the phone is offline.
struct Offline;

impl Transport for Offline {
    async fn push(&self, _: PushRequest) -> Result<PushResponse, TransportError> {
        Err(TransportError::Unreachable)
    }

    async fn pull(&self, _: PullRequest) -> Result<PullResponse, TransportError> {
        Err(TransportError::Unreachable)
    }
}

async fn fresh(name: &str) -> IdbStore {
    Database::delete_by_name(name).unwrap().await.unwrap();
    IdbStore::open(name, || "phone-1".into()).await.unwrap()
}

#[wasm_bindgen_test]
async fn what_is_saved_offline_is_there_after_closing_and_reopening() {
    let store = fresh("sync-test-reopen").await;
    let engine = Engine::new(store, Offline);
    let scope = Scope::of("family", "f1");
    engine
        .put("r1", "checkup", scope.clone(), json!({"weight_g": 3120}))
        .await
        .unwrap();
    engine
        .command(&Command::Rsvp {
            rsvp_id: "rsvp-1".into(),
            event_id: "e1".into(),
            adults: 2,
            children: 0,
        })
        .await
        .unwrap();
    assert!(engine.sync().await.is_err(), "offline: nothing is sent");
    engine.store.close();

    let store = IdbStore::open("sync-test-reopen", || "a different id".into())
        .await
        .unwrap();
    let meta = store.meta().await.unwrap();
    assert_eq!(meta.client_id, "phone-1", "the client keeps its id");
    assert_eq!(meta.next_mutation_id, 3);
    let outbox = store.outbox().await.unwrap();
    let ids: Vec<u64> = outbox.iter().map(|m| m.id).collect();
    assert_eq!(ids, [1, 2], "both changes wait to be sent, in order");
    assert_eq!(outbox[0].op.record_id(), Some("r1"));
    store.close();
}

#[wasm_bindgen_test]
async fn a_record_and_its_outbox_entry_are_saved_together_or_not_at_all() {
    let store = fresh("sync-test-atomic").await;
    let engine = Engine::new(store, Offline);
    let first = engine
        .put("r1", "checkup", Scope::public(), json!({"v": 1}))
        .await
        .unwrap();
    let record = Record {
        id: "r2".into(),
        collection: "checkup".into(),
        scope: Scope::public(),
        version: 7,
        deleted: false,
        body: json!({"v": 2}),
    };
    // The same outbox entry again cannot be added: the whole batch must fail, the
    // record with it.
    let failed = engine
        .store
        .commit(Batch {
            put: vec![record.clone()],
            enqueue: vec![first.clone()],
            ..Batch::default()
        })
        .await;
    assert!(failed.is_err());
    assert_eq!(engine.store.record("r2").await.unwrap(), None);
    assert_eq!(engine.store.outbox().await.unwrap(), vec![first]);

    // The same record in a good batch is saved, and dropping its scope removes it.
    engine
        .store
        .commit(Batch {
            put: vec![record.clone()],
            ..Batch::default()
        })
        .await
        .unwrap();
    assert_eq!(engine.store.record("r2").await.unwrap(), Some(record));
    engine
        .store
        .commit(Batch {
            drop_scopes: vec![Scope::public()],
            ..Batch::default()
        })
        .await
        .unwrap();
    assert_eq!(engine.store.record("r2").await.unwrap(), None);
    engine.store.close();
}

#[wasm_bindgen_test]
async fn two_writers_at_once_get_different_ids_and_a_pull_keeps_the_counter() {
    let store = fresh("sync-test-two-writers").await;
    // A second connection to the same database: another tab of the app.
    let other = IdbStore::open("sync-test-two-writers", || "unused".into())
        .await
        .unwrap();
    let put = |id: &str| domain::sync::protocol::Op::Put {
        id: id.into(),
        collection: "note".into(),
        scope: Scope::public(),
        base_version: 0,
        body: json!({}),
    };
    let (a, b) = futures::join!(store.enqueue(put("a")), other.enqueue(put("b")));
    let mut ids = [a.unwrap().id, b.unwrap().id];
    ids.sort();
    assert_eq!(ids, [1, 2], "each tab's change has its own id");

    // A pull that read the meta row before a local write must not reset the counter.
    store
        .commit(Batch {
            cursor: Some(42),
            ..Batch::default()
        })
        .await
        .unwrap();
    let meta = other.meta().await.unwrap();
    assert_eq!((meta.cursor, meta.next_mutation_id), (42, 3));
    assert_eq!(store.enqueue(put("c")).await.unwrap().id, 3);
    store.close();
    other.close();
}

/// How many values the object store `name` of the database `db` holds, read directly.
async fn raw_count(db: &str, name: &str) -> u32 {
    let db = Database::open(db).await.unwrap();
    let tx = db.transaction(name).build().unwrap();
    let n = tx.object_store(name).unwrap().count().await.unwrap();
    drop(tx);
    db.close();
    n
}

fn event(id: &str, scope: &Scope, version: u64, v: i64) -> Record {
    Record {
        id: id.into(),
        collection: "event".into(),
        scope: scope.clone(),
        version,
        deleted: false,
        body: json!({"v": v}),
    }
}

/// A pulled page of `n` records `<prefix>0…` with versions from `first`.
fn page(prefix: &str, scope: &Scope, first: u64, n: usize) -> Vec<Record> {
    (0..n)
        .map(|i| event(&format!("{prefix}{i}"), scope, first + i as u64, 1))
        .collect()
}

#[wasm_bindgen_test]
async fn a_later_change_to_a_record_of_a_chunk_wins_and_survives_reopening() {
    let name = "sync-test-chunk-later";
    let store = fresh(name).await;
    // Not a family's: a family's records are sealed one by one, never chunked.
    let scope = Scope::of("association", "a1");
    let n = app::sync_store::CHUNK_MIN + 8;
    store
        .commit(Batch {
            put: page("r", &scope, 1, n),
            cursor: Some(n as u64),
            ..Batch::default()
        })
        .await
        .unwrap();
    assert_eq!(raw_count(name, "chunks").await, 1, "the page is one chunk");
    assert_eq!(raw_count(name, "records").await, 0);
    assert_eq!(store.records_in(&scope).await.unwrap().len(), n);
    assert_eq!(
        store.record("r5").await.unwrap(),
        Some(event("r5", &scope, 6, 1))
    );

    // A later pull of one change (stored as a single record) and one deletion.
    let changed = event("r5", &scope, 100, 2);
    store
        .commit(Batch {
            put: vec![changed.clone()],
            delete: vec!["r7".into()],
            cursor: Some(101),
            ..Batch::default()
        })
        .await
        .unwrap();
    assert_eq!(raw_count(name, "records").await, 1);
    let store = check(store, &scope, &changed, n).await;
    store.close();
    let store = IdbStore::open(name, || "unused".into()).await.unwrap();
    let store = check(store, &scope, &changed, n).await;
    assert_eq!(store.meta().await.unwrap().cursor, 101);

    // A newer big page (a chunk again) wins over the single record, and a deletion of
    // every record of the first chunk leaves no chunk behind.
    let newer = page("r", &scope, 200, n);
    store
        .commit(Batch {
            put: newer.clone(),
            ..Batch::default()
        })
        .await
        .unwrap();
    assert_eq!(store.record("r5").await.unwrap(), Some(newer[5].clone()));
    assert_eq!(
        store.record("r7").await.unwrap(),
        Some(newer[7].clone()),
        "made again"
    );
    assert_eq!(
        store.records_in(&scope).await.unwrap(),
        newer_sorted(&newer)
    );
    store
        .commit(Batch {
            delete: newer.iter().map(|r| r.id.clone()).collect(),
            ..Batch::default()
        })
        .await
        .unwrap();
    assert_eq!(store.records_in(&scope).await.unwrap(), vec![]);
    assert_eq!(store.record("r5").await.unwrap(), None);
    assert_eq!(raw_count(name, "chunks").await, 0);
    assert_eq!(raw_count(name, "records").await, 0);
    store.close();
}

/// After the later change to r5 and the deletion of r7.
async fn check(store: IdbStore, scope: &Scope, changed: &Record, n: usize) -> IdbStore {
    assert_eq!(store.record("r5").await.unwrap().as_ref(), Some(changed));
    assert_eq!(store.record("r7").await.unwrap(), None, "the deletion wins");
    let all = store.records_in(scope).await.unwrap();
    assert_eq!(all.len(), n - 1);
    assert!(all.iter().all(|r| r.id != "r7"));
    assert_eq!(all.iter().find(|r| r.id == "r5"), Some(changed));
    assert!(all.windows(2).all(|w| w[0].id < w[1].id), "in id order");
    // Read as text (as the event board reads), the same records, with the outbox.
    let (texts, outbox) = store
        .read_scopes(&[scope.clone(), Scope::of("family", "none")])
        .await
        .unwrap();
    let read: Vec<Record> = domain::sync::view::newest(&texts[0])
        .unwrap()
        .iter()
        .map(|s| s.to_record().unwrap())
        .collect();
    assert_eq!(read, all);
    assert!(texts[1].is_empty());
    assert_eq!(outbox, store.outbox().await.unwrap());
    store
}

fn newer_sorted(records: &[Record]) -> Vec<Record> {
    let mut sorted = records.to_vec();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    sorted
}

#[wasm_bindgen_test]
async fn dropping_a_scope_removes_its_chunks_and_keeps_the_others() {
    let name = "sync-test-chunk-drop";
    let store = fresh(name).await;
    // Not a family's: a family's records are sealed one by one, never chunked.
    let (lost, kept) = (
        Scope::of("association", "lost"),
        Scope::of("association", "kept"),
    );
    let n = app::sync_store::CHUNK_MIN;
    let mut put = page("a", &lost, 1, n);
    put.extend(page("b", &kept, 1000, n));
    put.push(event("a-single", &lost, 5000, 1));
    store
        .commit(Batch {
            put,
            ..Batch::default()
        })
        .await
        .unwrap();
    store
        .commit(Batch {
            put: page("a2-", &lost, 2000, n),
            ..Batch::default()
        })
        .await
        .unwrap();
    assert_eq!(raw_count(name, "chunks").await, 3);
    assert_eq!(store.records_in(&lost).await.unwrap().len(), 2 * n + 1);

    store
        .commit(Batch {
            drop_scopes: vec![lost.clone()],
            cursor: Some(6000),
            ..Batch::default()
        })
        .await
        .unwrap();
    assert_eq!(store.records_in(&lost).await.unwrap(), vec![]);
    assert_eq!(store.record("a3").await.unwrap(), None);
    assert_eq!(store.record("a-single").await.unwrap(), None);
    assert_eq!(
        raw_count(name, "chunks").await,
        1,
        "only the kept scope's chunk"
    );
    assert_eq!(raw_count(name, "records").await, 0);
    assert_eq!(store.records_in(&kept).await.unwrap().len(), n);
    assert_eq!(
        store.record("b3").await.unwrap().map(|r| r.version),
        Some(1003)
    );
    store.close();
}

#[wasm_bindgen_test]
async fn a_chunk_and_its_cursor_are_saved_together_or_not_at_all() {
    let name = "sync-test-chunk-atomic";
    let store = fresh(name).await;
    let engine = Engine::new(store, Offline);
    let first = engine
        .put("mine", "note", Scope::public(), json!({"v": 1}))
        .await
        .unwrap();
    // A duplicate outbox entry makes the whole batch fail: no chunk, no cursor.
    let failed = engine
        .store
        .commit(Batch {
            put: page("p", &Scope::public(), 1, app::sync_store::CHUNK_MIN),
            enqueue: vec![first],
            cursor: Some(99),
            ..Batch::default()
        })
        .await;
    assert!(failed.is_err());
    assert_eq!(raw_count(name, "chunks").await, 0);
    assert_eq!(engine.store.meta().await.unwrap().cursor, 0);
    assert_eq!(
        engine.store.records_in(&Scope::public()).await.unwrap(),
        vec![]
    );
    engine.store.close();
}

/// The previous version's layout (schema 1), made by hand as that version made it.
async fn make_version_1(
    name: &str,
    meta: serde_json::Value,
    outbox: &[serde_json::Value],
    records: &[Record],
) {
    Database::delete_by_name(name).unwrap().await.unwrap();
    let db = Database::open(name)
        .with_version(1u32)
        .with_on_upgrade_needed(|_, db| {
            db.create_object_store("records")
                .with_key_path(KeyPath::One("id"))
                .build()?
                .create_index("scope", KeyPath::One("scope"))
                .build()?;
            db.create_object_store("outbox")
                .with_key_path(KeyPath::One("id"))
                .build()?;
            db.create_object_store("notices")
                .with_auto_increment(true)
                .build()?;
            db.create_object_store("meta").build()?;
            Ok(())
        })
        .await
        .unwrap();
    let tx = db
        .transaction(["records", "outbox", "meta"])
        .with_mode(TransactionMode::Readwrite)
        .build()
        .unwrap();
    let stores = |name| tx.object_store(name).unwrap();
    stores("meta")
        .put(parse(&meta))
        .with_key("meta")
        .build()
        .unwrap();
    for entry in outbox {
        stores("outbox").add(parse(entry)).build().unwrap();
    }
    for record in records {
        stores("records").put(parse(record)).build().unwrap();
    }
    tx.commit().await.unwrap();
    db.close();
}

/// A JS object made from a value's JSON, as the store saves values.
fn parse<T: serde::Serialize>(value: &T) -> wasm_bindgen::JsValue {
    js_sys::JSON::parse(&serde_json::to_string(value).unwrap()).unwrap()
}

#[wasm_bindgen_test]
async fn the_upgrade_from_version_1_keeps_the_outbox_the_records_and_the_cursor() {
    let name = "sync-test-upgrade";
    let scope = Scope::of("family", "f1");
    let old = event("old", &scope, 3, 1);
    let queued = json!({"id": 1, "op": {"op": "put", "id": "mine", "collection": "note",
        "scope": "family:f1", "base_version": 0, "body": {"text": "書いたこと"}}});
    make_version_1(
        name,
        json!({"client_id": "phone-old", "next_mutation_id": 2, "cursor": 3,
            "scopes": ["family:f1"]}),
        std::slice::from_ref(&queued),
        std::slice::from_ref(&old),
    )
    .await;

    let store = IdbStore::open(name, || "a new id".into()).await.unwrap();
    let meta = store.meta().await.unwrap();
    assert_eq!(meta.client_id, "phone-old");
    assert_eq!((meta.next_mutation_id, meta.cursor), (2, 3));
    let outbox = store.outbox().await.unwrap();
    assert_eq!(outbox.len(), 1);
    assert_eq!(serde_json::to_value(&outbox[0]).unwrap(), queued);
    assert_eq!(store.record("old").await.unwrap(), Some(old.clone()));

    // The new layout works on top: a chunk with a newer copy of the old record wins.
    let mut put = page("new", &scope, 10, app::sync_store::CHUNK_MIN);
    put.push(event("old", &scope, 50, 2));
    store
        .commit(Batch {
            put,
            cursor: Some(50),
            ..Batch::default()
        })
        .await
        .unwrap();
    assert_eq!(
        store.record("old").await.unwrap().map(|r| r.version),
        Some(50)
    );
    assert_eq!(
        store.records_in(&scope).await.unwrap().len(),
        app::sync_store::CHUNK_MIN + 1
    );
    assert_eq!(
        store.outbox().await.unwrap().len(),
        1,
        "the outbox is untouched"
    );
    store.close();
}
