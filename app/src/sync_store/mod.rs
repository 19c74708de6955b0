//! The sync engine's store on the phone: one IndexedDB database with the records as last
//! pulled, the outbox, the notices (refused and conflicting changes) and the meta row
//! (client id, next mutation id, cursor, scopes). Every `commit` is ONE read-write
//! transaction over all five stores, so a record change and its outbox entry, or a
//! pulled page and its cursor, are saved together or not at all.
//!
//! Pulled records live in two places, because IndexedDB costs per request (one `put`
//! per record made a first sync of 10,000 records take ~2.5 s):
//!
//! - `chunks`: the records of one scope from one pulled page, when there are at least
//!   [`CHUNK_MIN`] of them, as ONE value `{scope, ids, text}` where `text` is their JSON
//!   array (a string is cloned into IndexedDB far faster than 500 objects). Indexed by
//!   `scope` and, multi-entry, by `ids`.
//! - `records`: one value per record (the server's JSON as a JS object), for smaller
//!   pages (the everyday pull of a few changes) and for records stored by version 1.
//!
//! The same id may be in both, or in several chunks (a record changed after its page was
//! stored): a read takes the copy with the highest `version` (the server's commit
//! counter, so higher is newer). A record's scope never changes (`rules`), so reading
//! one scope sees every copy of its records. A pulled deletion removes the record
//! everywhere (its chunks are rewritten without it), and dropping a scope deletes its
//! chunks with its records, so no older copy can come back.
//!
//! IndexedDB is reached through `indexed_db_futures`: its transactions roll back unless
//! committed, so an early `?` never leaves half a batch behind. Values are plain JS
//! objects made from their JSON (`gloo_utils`' `JsValueSerdeExt`), as every version of
//! this store wrote them, so a database written before reads the same.

mod read;
mod write;

pub use read::ScopesRead;

use domain::sync::client::{Meta, Notice, StoreError};
use gloo_events::EventListener;
use gloo_utils::format::JsValueSerdeExt;
use indexed_db_futures::{
    KeyPath,
    database::{Database, VersionChangeEvent},
    error::{Error, OpenDbError},
    internals::SystemRepr,
    prelude::*,
    transaction::{Transaction, TransactionMode},
};
use wasm_bindgen::JsValue;

/// The schema version; raise it with a new upgrade step when the stores change.
/// 1: `records`, `outbox`, `notices`, `meta`. 2: adds `chunks` (nothing else changes, so
/// the upgrade keeps every record, the outbox, the notices and the cursor).
pub const VERSION: u32 = 2;
/// The fewest records of one scope in one pulled page that are stored as a chunk; fewer
/// go into `records` one by one.
pub const CHUNK_MIN: usize = 32;
const RECORDS: &str = "records";
const CHUNKS: &str = "chunks";
const OUTBOX: &str = "outbox";
const NOTICES: &str = "notices";
const META: &str = "meta";
const META_KEY: &str = "meta";

/// The sync store in IndexedDB.
pub struct IdbStore {
    db: Database,
    /// Closes this connection when another wants to delete or upgrade the database
    /// (signing out deletes it), so that one is never blocked.
    _on_version_change: EventListener,
}

/// The browser's own words (e.g. QuotaExceededError); never any stored value.
fn idb_error(error: Error) -> StoreError {
    match error {
        Error::DomException(e) => StoreError(web_sys::DomException::from(e).name()),
        _ => StoreError("IndexedDB error".into()),
    }
}

fn open_error(error: OpenDbError) -> StoreError {
    match error {
        OpenDbError::Base(error) => idb_error(error),
        _ => StoreError("IndexedDB is not available".into()),
    }
}

fn json_error(error: serde_json::Error) -> StoreError {
    StoreError(format!("stored data could not be read: {error}"))
}

fn to_js<T: serde::Serialize>(value: &T) -> Result<JsValue, StoreError> {
    JsValue::from_serde(value).map_err(json_error)
}

fn from_js<T: serde::de::DeserializeOwned>(value: &JsValue) -> Result<T, StoreError> {
    value.into_serde().map_err(json_error)
}

/// Commits `tx` when `result` is a success, else rolls it back; the result either way.
async fn finish<T>(tx: Transaction<'_>, result: Result<T, StoreError>) -> Result<T, StoreError> {
    match result {
        Ok(value) => tx
            .commit()
            .await
            .map(|()| value)
            .map_err(|error| match error {
                Error::DomException(_) => idb_error(error),
                _ => StoreError("the change was not saved".into()),
            }),
        Err(error) => {
            let _ = tx.abort().await;
            Err(error)
        }
    }
}

/// Makes the stores of each version the database has not reached yet (0 for a new
/// database). The steps run in order inside the upgrade's own transaction: a failed step
/// fails the upgrade, and the database stays as it was.
fn upgrade(event: VersionChangeEvent, db: Database) -> indexed_db_futures::Result<()> {
    let old = event.old_version();
    if old < 1.0 {
        let records = db
            .create_object_store(RECORDS)
            .with_key_path(KeyPath::One("id"))
            .build()?;
        records
            .create_index("scope", KeyPath::One("scope"))
            .build()?;
        db.create_object_store(OUTBOX)
            .with_key_path(KeyPath::One("id"))
            .build()?;
        db.create_object_store(NOTICES)
            .with_auto_increment(true)
            .build()?;
        db.create_object_store(META).build()?;
    }
    if old < 2.0 {
        let chunks = db
            .create_object_store(CHUNKS)
            .with_auto_increment(true)
            .build()?;
        chunks
            .create_index("scope", KeyPath::One("scope"))
            .build()?;
        chunks
            .create_index("ids", KeyPath::One("ids"))
            .with_multi_entry(true)
            .build()?;
    }
    Ok(())
}

impl IdbStore {
    /// Opens (creating or upgrading) the database `name`. A new database gets a new
    /// client id from `new_client_id`.
    pub async fn open(
        name: &str,
        new_client_id: impl FnOnce() -> String,
    ) -> Result<IdbStore, StoreError> {
        let db = Database::open(name)
            .with_version(VERSION)
            .with_on_upgrade_needed(upgrade)
            .await
            .map_err(open_error)?;
        let to_close = db.clone();
        let on_version_change = EventListener::new(db.as_sys(), "versionchange", move |_| {
            to_close.clone().close();
        });
        let store = IdbStore {
            db,
            _on_version_change: on_version_change,
        };
        if store.read_meta().await?.is_none() {
            let tx = store.transaction(&[META], TransactionMode::Readwrite)?;
            let row = to_js(&Meta::new(new_client_id()))?;
            let added = tx
                .object_store(META)
                .and_then(|meta| meta.add(row).with_key(META_KEY).build().map(drop));
            // Another tab may have made it first (`add` then fails): theirs stays.
            let _ = finish(tx, added.map_err(idb_error)).await;
            store.meta_row().await?;
        }
        Ok(store)
    }

    /// Closes the connection (the data stays).
    pub fn close(&self) {
        self.db.clone().close();
    }

    fn transaction(
        &self,
        stores: &[&str],
        mode: TransactionMode,
    ) -> Result<Transaction<'_>, StoreError> {
        self.db
            .transaction(stores)
            .with_mode(mode)
            .build()
            .map_err(idb_error)
    }

    async fn read_meta(&self) -> Result<Option<Meta>, StoreError> {
        let tx = self.transaction(&[META], TransactionMode::Readonly)?;
        let store = tx.object_store(META).map_err(idb_error)?;
        let value: Option<JsValue> = store.get(META_KEY).await.map_err(idb_error)?;
        value.as_ref().map(from_js).transpose()
    }

    async fn meta_row(&self) -> Result<Meta, StoreError> {
        self.read_meta()
            .await?
            .ok_or_else(|| StoreError("the sync store has no meta row".into()))
    }

    /// The refused and conflicting changes kept for the person, oldest first.
    pub async fn notices(&self) -> Result<Vec<Notice>, StoreError> {
        Ok(self
            .keyed_notices()
            .await?
            .into_iter()
            .map(|(_, n)| n)
            .collect())
    }

    /// The notices with the keys [`IdbStore::dismiss`] takes, oldest first.
    pub async fn keyed_notices(&self) -> Result<Vec<(f64, Notice)>, StoreError> {
        let tx = self.transaction(&[NOTICES], TransactionMode::Readonly)?;
        let store = tx.object_store(NOTICES).map_err(idb_error)?;
        let keys = store.get_all_keys::<f64>().primitive().map_err(idb_error)?;
        let values = store.get_all::<JsValue>().primitive().map_err(idb_error)?;
        let keys = keys.await.map_err(idb_error)?;
        let values = values.await.map_err(idb_error)?;
        keys.zip(values)
            .map(|(key, value)| {
                let value = value.map_err(idb_error)?;
                Ok((key.map_err(idb_error)?, from_js(&value)?))
            })
            .collect()
    }

    /// Forgets a notice the person has read.
    pub async fn dismiss(&self, key: f64) -> Result<(), StoreError> {
        let tx = self.transaction(&[NOTICES], TransactionMode::Readwrite)?;
        let deleted = tx
            .object_store(NOTICES)
            .and_then(|store| store.delete(key).build().map(drop));
        finish(tx, deleted.map_err(idb_error)).await
    }

    /// How many changes wait to be sent.
    pub async fn pending_count(&self) -> Result<usize, StoreError> {
        let tx = self.transaction(&[OUTBOX], TransactionMode::Readonly)?;
        let store = tx.object_store(OUTBOX).map_err(idb_error)?;
        let count = store.count().await.map_err(idb_error)?;
        Ok(count as usize)
    }
}
