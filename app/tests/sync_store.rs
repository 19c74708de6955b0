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
use serde_json::json;
use wasm_bindgen_futures::JsFuture;
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
    let factory = web_sys::window().unwrap().indexed_db().unwrap().unwrap();
    let deleting = factory.delete_database(name).unwrap();
    let promise = js_sys::Promise::new(&mut |resolve, _| deleting.set_onsuccess(Some(&resolve)));
    JsFuture::from(promise).await.unwrap();
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
