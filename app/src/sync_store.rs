//! The sync engine's store on the phone: one IndexedDB database with the records as last
//! pulled, the outbox, the notices (refused and conflicting changes) and the meta row
//! (client id, next mutation id, cursor, scopes). Every `commit` is ONE read-write
//! transaction over all four stores, so a record change and its outbox entry are saved
//! together or not at all. Values are plain JS objects made from the same JSON the
//! server speaks.

use domain::sync::{
    client::{Batch, Meta, Notice, Store, StoreError},
    protocol::{Mutation, Op, Record, Scope},
};
use js_sys::{Array, JSON, Promise};
use wasm_bindgen::{JsCast, JsValue, closure::Closure};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    IdbDatabase, IdbObjectStoreParameters, IdbOpenDbRequest, IdbRequest, IdbTransaction,
    IdbTransactionMode,
};

/// The schema version; raise it with a new upgrade step when the stores change.
pub const VERSION: u32 = 1;
const RECORDS: &str = "records";
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
    let promise = Promise::new(&mut |resolve, reject| {
        request.set_onsuccess(Some(&resolve));
        request.set_onerror(Some(&reject));
    });
    JsFuture::from(promise).await.map_err(|_| {
        request
            .error()
            .ok()
            .flatten()
            .map(|e| js_error(e.into()))
            .unwrap_or_else(|| StoreError("IndexedDB request failed".into()))
    })?;
    request.result().map_err(js_error)
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
            let keyed = IdbObjectStoreParameters::new();
            keyed.set_key_path(&JsValue::from_str("id"));
            if let Ok(records) = db.create_object_store_with_optional_parameters(RECORDS, &keyed) {
                let _ = records.create_index_with_str("scope", "scope");
            }
            let _ = db.create_object_store_with_optional_parameters(OUTBOX, &keyed);
            let counted = IdbObjectStoreParameters::new();
            counted.set_auto_increment(true);
            let _ = db.create_object_store_with_optional_parameters(NOTICES, &counted);
            let _ = db.create_object_store(META);
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

    /// Every pulled record of one scope.
    pub async fn records_in(&self, scope: &Scope) -> Result<Vec<Record>, StoreError> {
        let tx = self.transaction(&[RECORDS], IdbTransactionMode::Readonly)?;
        let index = tx
            .object_store(RECORDS)
            .and_then(|s| s.index("scope"))
            .map_err(js_error)?;
        let all = done(
            &index
                .get_all_with_key(&JsValue::from_str(&scope.0))
                .map_err(js_error)?,
        )
        .await?;
        Array::from(&all).iter().map(|v| from_js(&v)).collect()
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
        let tx = self.transaction(&[RECORDS], IdbTransactionMode::Readonly)?;
        let store = tx.object_store(RECORDS).map_err(js_error)?;
        let value = done(&store.get(&JsValue::from_str(id)).map_err(js_error)?).await?;
        if value.is_undefined() {
            return Ok(None);
        }
        from_js(&value).map(Some)
    }

    async fn commit(&self, batch: Batch) -> Result<(), StoreError> {
        let tx = self.transaction(
            &[RECORDS, OUTBOX, NOTICES, META],
            IdbTransactionMode::Readwrite,
        )?;
        let end = finished(&tx);
        let result = async {
            let records = tx.object_store(RECORDS).map_err(js_error)?;
            let outbox = tx.object_store(OUTBOX).map_err(js_error)?;
            let notices = tx.object_store(NOTICES).map_err(js_error)?;
            let meta = tx.object_store(META).map_err(js_error)?;
            for scope in &batch.drop_scopes {
                let index = records.index("scope").map_err(js_error)?;
                let keys = done(
                    &index
                        .get_all_keys_with_key(&JsValue::from_str(&scope.0))
                        .map_err(js_error)?,
                )
                .await?;
                for key in Array::from(&keys).iter() {
                    records.delete(&key).map_err(js_error)?;
                }
            }
            // One JSON.parse for the whole page, not one per record.
            for record in Array::from(&to_js(&batch.put)?).iter() {
                records.put(&record).map_err(js_error)?;
            }
            for id in &batch.delete {
                records.delete(&JsValue::from_str(id)).map_err(js_error)?;
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
