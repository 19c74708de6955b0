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

use domain::sync::{
    client::{Batch, Meta, Notice, Store, StoreError},
    protocol::{Mutation, Op, Record, Scope},
};
use std::collections::{BTreeMap, BTreeSet, btree_map::Entry};

use js_sys::{Array, JSON, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue, closure::Closure};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    IdbDatabase, IdbIndexParameters, IdbObjectStore, IdbObjectStoreParameters, IdbOpenDbRequest,
    IdbRequest, IdbTransaction, IdbTransactionMode,
};

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
    db: IdbDatabase,
    /// Closes this connection when another wants to delete or upgrade the database
    /// (signing out deletes it), so that one is never blocked.
    _on_version_change: Closure<dyn FnMut(web_sys::Event)>,
}

fn js_error(error: JsValue) -> StoreError {
    // The browser's own words (e.g. QuotaExceededError); never any stored value.
    let name = js_sys::Reflect::get(&error, &JsValue::from_str("name"))
        .ok()
        .and_then(|n| n.as_string());
    StoreError(name.unwrap_or_else(|| "IndexedDB error".to_owned()))
}

fn json_error(error: serde_json::Error) -> StoreError {
    StoreError(format!("stored data could not be read: {error}"))
}

/// Waits for a request to succeed and returns its result.
async fn done(request: &IdbRequest) -> Result<JsValue, StoreError> {
    Watched::new(request.clone()).result().await
}

/// A promise that settles when the transaction commits (or fails). Made at once, before
/// any request of the transaction is awaited, so its end is never missed.
fn finished(tx: &IdbTransaction) -> JsFuture {
    let promise = Promise::new(&mut |resolve, reject| {
        tx.set_oncomplete(Some(&resolve));
        tx.set_onerror(Some(&reject));
        tx.set_onabort(Some(&reject));
    });
    JsFuture::from(promise)
}

fn to_js<T: serde::Serialize>(value: &T) -> Result<JsValue, StoreError> {
    let text = serde_json::to_string(value).map_err(json_error)?;
    JSON::parse(&text).map_err(js_error)
}

fn from_js<T: serde::de::DeserializeOwned>(value: &JsValue) -> Result<T, StoreError> {
    let text: String = JSON::stringify(value).map_err(js_error)?.into();
    serde_json::from_str(&text).map_err(json_error)
}

/// A chunk value: `{scope, ids, text}`, `text` the records' JSON array.
fn chunk_value(scope: &Scope, records: &[&Record]) -> Result<JsValue, StoreError> {
    let text = serde_json::to_string(records).map_err(json_error)?;
    let ids: Array = records.iter().map(|r| JsValue::from_str(&r.id)).collect();
    let value = Object::new();
    for (field, v) in [
        ("scope", JsValue::from_str(&scope.0)),
        ("ids", ids.into()),
        ("text", JsValue::from_str(&text)),
    ] {
        Reflect::set(&value, &JsValue::from_str(field), &v).map_err(js_error)?;
    }
    Ok(value.into())
}

/// The records of a chunk value.
fn chunk_records(value: &JsValue) -> Result<Vec<Record>, StoreError> {
    let text = Reflect::get(value, &JsValue::from_str("text"))
        .map_err(js_error)?
        .as_string()
        .ok_or_else(|| StoreError("stored data could not be read: a chunk has no text".into()))?;
    serde_json::from_str(&text).map_err(json_error)
}

/// Keeps the newest copy of each record (the highest version).
fn keep_newest(newest: &mut BTreeMap<String, Record>, record: Record) {
    match newest.entry(record.id.clone()) {
        Entry::Vacant(slot) => {
            slot.insert(record);
        }
        Entry::Occupied(mut slot) => {
            if slot.get().version < record.version {
                slot.insert(record);
            }
        }
    }
}

/// Deletes every value of `store` whose `index` has `key`.
async fn delete_by_index(store: &IdbObjectStore, index: &str, key: &str) -> Result<(), StoreError> {
    let index = store.index(index).map_err(js_error)?;
    let keys = done(
        &index
            .get_all_keys_with_key(&JsValue::from_str(key))
            .map_err(js_error)?,
    )
    .await?;
    for key in Array::from(&keys).iter() {
        store.delete(&key).map_err(js_error)?;
    }
    Ok(())
}

/// Removes the records `gone` from every chunk that holds one: each such chunk is
/// rewritten without them, or deleted when nothing is left.
async fn remove_from_chunks(chunks: &IdbObjectStore, gone: &[String]) -> Result<(), StoreError> {
    let index = chunks.index("ids").map_err(js_error)?;
    let requests = gone
        .iter()
        .map(|id| index.get_all_keys_with_key(&JsValue::from_str(id)))
        .collect::<Result<Vec<_>, _>>()
        .map_err(js_error)?;
    let mut keys = Vec::new();
    for request in &requests {
        keys.extend(
            Array::from(&done(request).await?)
                .iter()
                .filter_map(|k| k.as_f64()),
        );
    }
    keys.sort_by(f64::total_cmp);
    keys.dedup();
    if keys.is_empty() {
        return Ok(());
    }
    let gone: BTreeSet<&str> = gone.iter().map(String::as_str).collect();
    let values = keys
        .iter()
        .map(|k| chunks.get(&JsValue::from_f64(*k)))
        .collect::<Result<Vec<_>, _>>()
        .map_err(js_error)?;
    for (key, request) in keys.iter().zip(&values) {
        let key = JsValue::from_f64(*key);
        let value = done(request).await?;
        if value.is_undefined() {
            continue;
        }
        let scope = Reflect::get(&value, &JsValue::from_str("scope"))
            .map_err(js_error)?
            .as_string()
            .map(Scope)
            .ok_or_else(|| {
                StoreError("stored data could not be read: a chunk has no scope".into())
            })?;
        let records = chunk_records(&value)?;
        let kept: Vec<&Record> = records
            .iter()
            .filter(|r| !gone.contains(r.id.as_str()))
            .collect();
        if kept.is_empty() {
            chunks.delete(&key).map_err(js_error)?;
        } else {
            chunks
                .put_with_key(&chunk_value(&scope, &kept)?, &key)
                .map_err(js_error)?;
        }
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
        let factory = web_sys::window()
            .and_then(|w| w.indexed_db().ok().flatten())
            .ok_or_else(|| StoreError("IndexedDB is not available".into()))?;
        let request = factory.open_with_u32(name, VERSION).map_err(js_error)?;
        let upgrade = Closure::<dyn FnMut(web_sys::Event)>::new(|event: web_sys::Event| {
            let Some(request) = event
                .target()
                .and_then(|t| t.dyn_into::<IdbOpenDbRequest>().ok())
            else {
                return;
            };
            let Ok(db) = request.result().and_then(|r| r.dyn_into::<IdbDatabase>()) else {
                return;
            };
            // 0 for a new database. Each step runs once, in order, inside the upgrade's
            // own transaction: a failed step aborts it and the database stays as it was.
            let old = Reflect::get(&event, &JsValue::from_str("oldVersion"))
                .ok()
                .and_then(|v| v.as_f64())
                .unwrap_or(0.0);
            let counted = IdbObjectStoreParameters::new();
            counted.set_auto_increment(true);
            let mut steps = Ok(());
            if old < 1.0 {
                let keyed = IdbObjectStoreParameters::new();
                keyed.set_key_path(&JsValue::from_str("id"));
                steps = steps
                    .and_then(|_| db.create_object_store_with_optional_parameters(RECORDS, &keyed))
                    .and_then(|records| records.create_index_with_str("scope", "scope"))
                    .and_then(|_| db.create_object_store_with_optional_parameters(OUTBOX, &keyed))
                    .and_then(|_| {
                        db.create_object_store_with_optional_parameters(NOTICES, &counted)
                    })
                    .and_then(|_| db.create_object_store(META))
                    .map(drop);
            }
            if old < 2.0 {
                let multi = IdbIndexParameters::new();
                multi.set_multi_entry(true);
                steps = steps
                    .and_then(|_| db.create_object_store_with_optional_parameters(CHUNKS, &counted))
                    .and_then(|chunks| {
                        chunks.create_index_with_str("scope", "scope")?;
                        chunks.create_index_with_str_and_optional_parameters("ids", "ids", &multi)
                    })
                    .map(drop);
            }
            if steps.is_err()
                && let Some(tx) = request.transaction()
            {
                let _ = tx.abort();
            }
        });
        request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
        let db: IdbDatabase = done(&request).await?.unchecked_into();
        drop(upgrade);
        let to_close = db.clone();
        let on_version_change =
            Closure::<dyn FnMut(web_sys::Event)>::new(move |_| to_close.close());
        db.set_onversionchange(Some(on_version_change.as_ref().unchecked_ref()));
        let store = IdbStore {
            db,
            _on_version_change: on_version_change,
        };
        if store.read_meta().await?.is_none() {
            let tx = store.transaction(&[META], IdbTransactionMode::Readwrite)?;
            let end = finished(&tx);
            let row = to_js(&Meta::new(new_client_id()))?;
            tx.object_store(META)
                .and_then(|m| m.add_with_key(&row, &JsValue::from_str(META_KEY)))
                .map_err(js_error)?;
            // Another tab may have made it first (`add` then fails): theirs stays.
            let _ = end.await;
            store.meta().await?;
        }
        Ok(store)
    }

    /// Closes the connection (the data stays).
    pub fn close(&self) {
        self.db.close();
    }

    fn transaction(
        &self,
        stores: &[&str],
        mode: IdbTransactionMode,
    ) -> Result<IdbTransaction, StoreError> {
        let names: Array = stores.iter().map(|s| JsValue::from_str(s)).collect();
        self.db
            .transaction_with_str_sequence_and_mode(&names, mode)
            .map_err(js_error)
    }

    async fn read_meta(&self) -> Result<Option<Meta>, StoreError> {
        let tx = self.transaction(&[META], IdbTransactionMode::Readonly)?;
        let store = tx.object_store(META).map_err(js_error)?;
        let value = done(&store.get(&JsValue::from_str(META_KEY)).map_err(js_error)?).await?;
        if value.is_undefined() {
            return Ok(None);
        }
        from_js(&value).map(Some)
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
        let tx = self.transaction(&[NOTICES], IdbTransactionMode::Readonly)?;
        let store = tx.object_store(NOTICES).map_err(js_error)?;
        let keys = store.get_all_keys().map_err(js_error)?;
        let values = store.get_all().map_err(js_error)?;
        let keys = done(&keys).await?;
        let values = done(&values).await?;
        Array::from(&keys)
            .iter()
            .zip(Array::from(&values).iter())
            .map(|(k, v)| Ok((k.as_f64().unwrap_or_default(), from_js(&v)?)))
            .collect()
    }

    /// Forgets a notice the person has read.
    pub async fn dismiss(&self, key: f64) -> Result<(), StoreError> {
        let tx = self.transaction(&[NOTICES], IdbTransactionMode::Readwrite)?;
        let end = finished(&tx);
        let store = tx.object_store(NOTICES).map_err(js_error)?;
        store.delete(&JsValue::from_f64(key)).map_err(js_error)?;
        end.await
            .map(|_| ())
            .map_err(|_| StoreError("the change was not saved".into()))
    }

    /// How many changes wait to be sent.
    pub async fn pending_count(&self) -> Result<usize, StoreError> {
        let tx = self.transaction(&[OUTBOX], IdbTransactionMode::Readonly)?;
        let store = tx.object_store(OUTBOX).map_err(js_error)?;
        let count = done(&store.count().map_err(js_error)?).await?;
        Ok(count.as_f64().unwrap_or_default() as usize)
    }

    /// Every pulled record of one scope (the newest copy of each), in id order.
    pub async fn records_in(&self, scope: &Scope) -> Result<Vec<Record>, StoreError> {
        let tx = self.transaction(&[RECORDS, CHUNKS], IdbTransactionMode::Readonly)?;
        let texts = StoredTexts::request(&tx, scope)?.texts().await?;
        let mut newest = BTreeMap::new();
        for text in &texts {
            for record in serde_json::from_str::<Vec<Record>>(text).map_err(json_error)? {
                keep_newest(&mut newest, record);
            }
        }
        Ok(newest.into_values().collect())
    }

    /// The pulled records of each of `scopes` as stored text (JSON arrays of records, for
    /// [`domain::sync::view::newest`]), and the outbox, read in ONE transaction: a page
    /// that shows thousands of records (the event board) reads them without a round trip
    /// per scope and without building every body twice.
    pub async fn read_scopes(
        &self,
        scopes: &[Scope],
    ) -> Result<(Vec<Vec<String>>, Vec<Mutation>), StoreError> {
        self.start_read(scopes)?.finish().await
    }

    /// [`IdbStore::read_scopes`] started now: its requests are made at once (IndexedDB
    /// works on them while the page is drawn), the results waited for with
    /// [`ScopesRead::finish`].
    pub fn start_read(&self, scopes: &[Scope]) -> Result<ScopesRead, StoreError> {
        let tx = self.transaction(&[RECORDS, CHUNKS, OUTBOX], IdbTransactionMode::Readonly)?;
        let scopes = scopes
            .iter()
            .map(|scope| StoredTexts::request(&tx, scope))
            .collect::<Result<Vec<_>, _>>()?;
        let outbox = tx
            .object_store(OUTBOX)
            .and_then(|s| s.get_all())
            .map_err(js_error)?;
        Ok(ScopesRead {
            scopes,
            outbox: Watched::new(outbox),
        })
    }
}

/// A request whose result is waited for from the moment it is made (its handlers set at
/// once, so no result is missed whichever request is awaited first, or later).
struct Watched {
    request: IdbRequest,
    settled: JsFuture,
}

impl Watched {
    fn new(request: IdbRequest) -> Watched {
        let promise = Promise::new(&mut |resolve, reject| {
            request.set_onsuccess(Some(&resolve));
            request.set_onerror(Some(&reject));
        });
        Watched {
            request,
            settled: JsFuture::from(promise),
        }
    }

    async fn result(self) -> Result<JsValue, StoreError> {
        self.settled.await.map_err(|_| {
            self.request
                .error()
                .ok()
                .flatten()
                .map(|e| js_error(e.into()))
                .unwrap_or_else(|| StoreError("IndexedDB request failed".into()))
        })?;
        self.request.result().map_err(js_error)
    }
}

/// A read of several scopes and the outbox under way ([`IdbStore::start_read`]).
pub struct ScopesRead {
    scopes: Vec<StoredTexts>,
    outbox: Watched,
}

impl ScopesRead {
    /// Each scope's stored text, in the order asked, and the outbox.
    pub async fn finish(self) -> Result<(Vec<Vec<String>>, Vec<Mutation>), StoreError> {
        let mut texts = Vec::with_capacity(self.scopes.len());
        for scope in self.scopes {
            texts.push(scope.texts().await?);
        }
        let outbox = self.outbox.result().await?;
        let outbox = Array::from(&outbox)
            .iter()
            .map(|v| from_js(&v))
            .collect::<Result<_, _>>()?;
        Ok((texts, outbox))
    }
}

/// The two reads of one scope's pulled records, made in a transaction over `records` and
/// `chunks`: its chunks and its loose records.
struct StoredTexts {
    chunks: Watched,
    singles: Watched,
}

impl StoredTexts {
    fn request(tx: &IdbTransaction, scope: &Scope) -> Result<StoredTexts, StoreError> {
        let key = JsValue::from_str(&scope.0);
        let singles = tx
            .object_store(RECORDS)
            .and_then(|s| s.index("scope"))
            .and_then(|i| i.get_all_with_key(&key))
            .map_err(js_error)?;
        let chunks = tx
            .object_store(CHUNKS)
            .and_then(|s| s.index("scope"))
            .and_then(|i| i.get_all_with_key(&key))
            .map_err(js_error)?;
        Ok(StoredTexts {
            chunks: Watched::new(chunks),
            singles: Watched::new(singles),
        })
    }

    /// JSON arrays of records: each chunk's text, then the loose records (newer copies
    /// win whatever the order; of equal versions the chunk's copy is read first).
    async fn texts(self) -> Result<Vec<String>, StoreError> {
        let singles = self.singles.result().await?;
        let chunks = self.chunks.result().await?;
        let mut texts = Array::from(&chunks)
            .iter()
            .map(|chunk| {
                Reflect::get(&chunk, &JsValue::from_str("text"))
                    .map_err(js_error)?
                    .as_string()
                    .ok_or_else(|| {
                        StoreError("stored data could not be read: a chunk has no text".into())
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        if Array::from(&singles).length() > 0 {
            texts.push(JSON::stringify(&singles).map_err(js_error)?.into());
        }
        Ok(texts)
    }
}

impl Store for IdbStore {
    async fn meta(&self) -> Result<Meta, StoreError> {
        self.read_meta()
            .await?
            .ok_or_else(|| StoreError("the sync store has no meta row".into()))
    }

    async fn outbox(&self) -> Result<Vec<Mutation>, StoreError> {
        let tx = self.transaction(&[OUTBOX], IdbTransactionMode::Readonly)?;
        let store = tx.object_store(OUTBOX).map_err(js_error)?;
        let all = done(&store.get_all().map_err(js_error)?).await?;
        Array::from(&all).iter().map(|v| from_js(&v)).collect()
    }

    async fn record(&self, id: &str) -> Result<Option<Record>, StoreError> {
        let tx = self.transaction(&[RECORDS, CHUNKS], IdbTransactionMode::Readonly)?;
        let key = JsValue::from_str(id);
        let single = tx
            .object_store(RECORDS)
            .and_then(|s| s.get(&key))
            .map_err(js_error)?;
        let chunks = tx
            .object_store(CHUNKS)
            .and_then(|s| s.index("ids"))
            .and_then(|i| i.get_all_with_key(&key))
            .map_err(js_error)?;
        let single = done(&single).await?;
        let chunks = done(&chunks).await?;
        let mut newest = BTreeMap::new();
        for chunk in Array::from(&chunks).iter() {
            if let Some(record) = chunk_records(&chunk)?.into_iter().find(|r| r.id == id) {
                keep_newest(&mut newest, record);
            }
        }
        if !single.is_undefined() {
            keep_newest(&mut newest, from_js(&single)?);
        }
        Ok(newest.into_values().next())
    }

    async fn commit(&self, batch: Batch) -> Result<(), StoreError> {
        let tx = self.transaction(
            &[RECORDS, CHUNKS, OUTBOX, NOTICES, META],
            IdbTransactionMode::Readwrite,
        )?;
        let end = finished(&tx);
        let result = async {
            let records = tx.object_store(RECORDS).map_err(js_error)?;
            let chunks = tx.object_store(CHUNKS).map_err(js_error)?;
            let outbox = tx.object_store(OUTBOX).map_err(js_error)?;
            let notices = tx.object_store(NOTICES).map_err(js_error)?;
            let meta = tx.object_store(META).map_err(js_error)?;
            for scope in &batch.drop_scopes {
                delete_by_index(&records, "scope", &scope.0).await?;
                delete_by_index(&chunks, "scope", &scope.0).await?;
            }
            // The page's records by scope (the newest copy of each id): one chunk per
            // scope with many, one value per record for the others, all of those with
            // one JSON.parse.
            let mut by_scope: BTreeMap<&Scope, BTreeMap<&str, &Record>> = BTreeMap::new();
            for record in &batch.put {
                let slot = by_scope
                    .entry(&record.scope)
                    .or_default()
                    .entry(&record.id)
                    .or_insert(record);
                if slot.version < record.version {
                    *slot = record;
                }
            }
            let mut singles: Vec<&Record> = Vec::new();
            for (scope, page) in by_scope {
                let page: Vec<&Record> = page.into_values().collect();
                if page.len() >= CHUNK_MIN {
                    chunks.add(&chunk_value(scope, &page)?).map_err(js_error)?;
                } else {
                    singles.extend(page);
                }
            }
            if !singles.is_empty() {
                for record in Array::from(&to_js(&singles)?).iter() {
                    records.put(&record).map_err(js_error)?;
                }
            }
            for id in &batch.delete {
                records.delete(&JsValue::from_str(id)).map_err(js_error)?;
            }
            if !batch.delete.is_empty() {
                remove_from_chunks(&chunks, &batch.delete).await?;
            }
            // `add`, not `put`: a queued change is never overwritten.
            for mutation in &batch.enqueue {
                outbox.add(&to_js(mutation)?).map_err(js_error)?;
            }
            for id in &batch.dequeue {
                outbox
                    .delete(&JsValue::from_f64(*id as f64))
                    .map_err(js_error)?;
            }
            for notice in &batch.notices {
                notices.add(&to_js(notice)?).map_err(js_error)?;
            }
            if batch.cursor.is_some() || batch.scopes.is_some() {
                // Read and written in this transaction: only these fields change.
                let key = JsValue::from_str(META_KEY);
                let mut row: Meta = from_js(&done(&meta.get(&key).map_err(js_error)?).await?)?;
                if let Some(cursor) = batch.cursor {
                    row.cursor = cursor;
                }
                if let Some(scopes) = &batch.scopes {
                    row.scopes = scopes.clone();
                }
                meta.put_with_key(&to_js(&row)?, &key).map_err(js_error)?;
            }
            Ok::<(), StoreError>(())
        }
        .await;
        if let Err(error) = result {
            let _ = tx.abort();
            let _ = end.await;
            return Err(error);
        }
        end.await.map(|_| ()).map_err(|_| {
            tx.error()
                .map(|e| js_error(e.into()))
                .unwrap_or_else(|| StoreError("the change was not saved".into()))
        })
    }

    async fn enqueue(&self, op: Op) -> Result<Mutation, StoreError> {
        let tx = self.transaction(&[OUTBOX, META], IdbTransactionMode::Readwrite)?;
        let end = finished(&tx);
        let result = async {
            let outbox = tx.object_store(OUTBOX).map_err(js_error)?;
            let meta = tx.object_store(META).map_err(js_error)?;
            let key = JsValue::from_str(META_KEY);
            let mut row: Meta = from_js(&done(&meta.get(&key).map_err(js_error)?).await?)?;
            let mutation = Mutation {
                id: row.next_mutation_id,
                op,
            };
            row.next_mutation_id += 1;
            outbox.add(&to_js(&mutation)?).map_err(js_error)?;
            meta.put_with_key(&to_js(&row)?, &key).map_err(js_error)?;
            Ok::<Mutation, StoreError>(mutation)
        }
        .await;
        let mutation = match result {
            Ok(mutation) => mutation,
            Err(error) => {
                let _ = tx.abort();
                let _ = end.await;
                return Err(error);
            }
        };
        end.await.map(|_| mutation).map_err(|_| {
            tx.error()
                .map(|e| js_error(e.into()))
                .unwrap_or_else(|| StoreError("the change was not saved".into()))
        })
    }
}
