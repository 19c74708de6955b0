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
//!
//! Values of family scopes (the handbook: health data) are sealed with AES-GCM under the
//! store's own non-extractable key ([`seal`]); a family scope's pages are stored one
//! value per record, never as a chunk, so a deletion never has to open and seal a chunk
//! again inside a transaction (a transaction cannot wait for WebCrypto).

mod read;
mod repair;
pub mod seal;
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
use wasm_bindgen::{JsCast, JsValue};
use web_sys::CryptoKey;

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
    /// The key family values are sealed under ([`seal`]).
    key: CryptoKey,
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

fn transaction<'a>(
    db: &'a Database,
    stores: &[&str],
    mode: TransactionMode,
) -> Result<Transaction<'a>, StoreError> {
    db.transaction(stores)
        .with_mode(mode)
        .build()
        .map_err(idb_error)
}

/// One row of `meta`.
async fn meta_value(db: &Database, row: &str) -> Result<Option<JsValue>, StoreError> {
    let tx = transaction(db, &[META], TransactionMode::Readonly)?;
    let store = tx.object_store(META).map_err(idb_error)?;
    store.get(row).await.map_err(idb_error)
}

/// Adds a row to `meta` unless it is there. Another tab may have added it first (`add`
/// then fails): theirs stays, and is read again.
async fn add_meta(db: &Database, row: &str, value: JsValue) {
    if let Ok(tx) = transaction(db, &[META], TransactionMode::Readwrite) {
        let added = tx
            .object_store(META)
            .and_then(|meta| meta.add(value).with_key(row).build().map(drop));
        let _ = finish(tx, added.map_err(idb_error)).await;
    }
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
        new_client_id: impl Fn() -> String,
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
        if meta_value(&db, META_KEY).await?.is_none() {
            add_meta(&db, META_KEY, to_js(&Meta::new(new_client_id()))?).await;
        }
        let key = match meta_value(&db, seal::KEY_ROW).await? {
            Some(key) => key,
            None => {
                add_meta(&db, seal::KEY_ROW, seal::new_key().await?.into()).await;
                meta_value(&db, seal::KEY_ROW)
                    .await?
                    .ok_or_else(|| StoreError("the sync store has no key".into()))?
            }
        };
        let store = IdbStore {
            db,
            key: key.unchecked_into(),
            _on_version_change: on_version_change,
        };
        store.meta_row().await?;
        if meta_value(&store.db, seal::SEALED_ROW).await?.is_none() {
            repair::run(store.db.clone(), store.key.clone(), new_client_id()).await;
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
        transaction(&self.db, stores, mode)
    }

    async fn read_meta(&self) -> Result<Option<Meta>, StoreError> {
        let value = meta_value(&self.db, META_KEY).await?;
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
        let keys = keys.collect::<Result<Vec<f64>, _>>().map_err(idb_error)?;
        let values = values
            .collect::<Result<Vec<JsValue>, _>>()
            .map_err(idb_error)?;
        let opened = seal::open_all(&self.key, values).await;
        keys.into_iter()
            .zip(opened)
            .map(|(key, value)| {
                let notice = match value {
                    seal::Opened::Clear(value) => from_js(&value)?,
                    seal::Opened::Text(text) => serde_json::from_str(&text).map_err(json_error)?,
                    seal::Opened::Lost => seal::unreadable(0),
                };
                Ok((key, notice))
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
