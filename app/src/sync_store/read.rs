//! Reading the store: one scope's records, several scopes with the outbox at once (the
//! event board), one record by id, the outbox.

use std::{
    collections::{BTreeMap, btree_map::Entry},
    future::Future,
    pin::Pin,
    task::Context,
};

use domain::sync::{
    client::StoreError,
    protocol::{Mutation, Record, Scope},
};
use futures::future::{LocalBoxFuture, MaybeDone, maybe_done};
use indexed_db_futures::{
    database::Database,
    error::SimpleValueError,
    future::GetAllPrimitiveRequest,
    prelude::*,
    primitive::TryFromJs,
    transaction::{Transaction, TransactionMode},
};
use js_sys::{JSON, Reflect};
use wasm_bindgen::JsValue;
use web_sys::CryptoKey;

use super::{
    CHUNKS, IdbStore, OUTBOX, RECORDS, from_js, idb_error, json_error,
    seal::{self, Opened},
};

/// A chunk's `text`: the JSON array of its records.
pub(super) struct ChunkText(pub(super) String);

impl TryFromJs for ChunkText {
    fn from_js(js: JsValue) -> Result<Self, SimpleValueError> {
        match Reflect::get(&js, &JsValue::from_str("text")).map(|t| t.as_string()) {
            Ok(Some(text)) => Ok(ChunkText(text)),
            _ => Err(SimpleValueError::NotAString(js)),
        }
    }
}

impl ChunkText {
    pub(super) fn records(&self) -> Result<Vec<Record>, StoreError> {
        serde_json::from_str(&self.0).map_err(json_error)
    }
}

/// A value stored in the clear, as JSON text.
fn json_text(value: &JsValue) -> Result<String, StoreError> {
    JSON::stringify(value)
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(|| StoreError("stored data could not be read".into()))
}

/// Stored values, read with their results, every one.
fn all(
    values: impl Iterator<Item = indexed_db_futures::Result<JsValue>>,
) -> Result<Vec<JsValue>, StoreError> {
    values.map(|v| v.map_err(idb_error)).collect()
}

/// Keeps the newest copy of each record (the highest version).
pub(super) fn keep_newest(newest: &mut BTreeMap<String, Record>, record: Record) {
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

/// Outbox values as mutations. One that cannot be read stops the read with an error
/// the sync bar shows: a change is never dropped without a word (the store's repair at
/// its next opening turns such a change into a notice, `repair`).
async fn mutations(key: &CryptoKey, values: Vec<JsValue>) -> Result<Vec<Mutation>, StoreError> {
    let ids: Vec<f64> = values.iter().map(|v| seal::number(v, "id")).collect();
    let opened = seal::open_all(key, values).await;
    ids.into_iter()
        .zip(opened)
        .map(|(id, value)| match value {
            Opened::Clear(value) => from_js(&value),
            Opened::Text(op) => Ok(Mutation {
                id: id as u64,
                op: serde_json::from_str(&op).map_err(json_error)?,
            }),
            Opened::Lost => Err(StoreError(
                "a change saved on this phone could not be read".into(),
            )),
        })
        .collect()
}

type Read = (Vec<Vec<String>>, Vec<Mutation>);

/// A read of several scopes and the outbox under way ([`IdbStore::start_read`]).
pub struct ScopesRead(MaybeDone<LocalBoxFuture<'static, Result<Read, StoreError>>>);

impl ScopesRead {
    /// Each scope's stored text, in the order asked, and the outbox.
    pub async fn finish(mut self) -> Result<Read, StoreError> {
        (&mut self.0).await;
        Pin::new(&mut self.0)
            .take_output()
            .unwrap_or_else(|| Err(StoreError("the read was finished before".into())))
    }
}

/// Every value of `store` in `scope` (by its `scope` index), each read as a `T`.
fn in_scope<T: TryFromJs>(
    tx: &Transaction<'_>,
    store: &str,
    scope: &Scope,
) -> indexed_db_futures::Result<GetAllPrimitiveRequest<T>> {
    tx.object_store(store)?
        .index("scope")?
        .get_all()
        .with_query(scope.0.as_str())
        .primitive()
}

/// The two reads of one scope's pulled records, made in a transaction over `records` and
/// `chunks`: its chunks and its loose records.
struct StoredTexts {
    chunks: GetAllPrimitiveRequest<ChunkText>,
    singles: GetAllPrimitiveRequest<JsValue>,
}

impl StoredTexts {
    fn request(tx: &Transaction<'_>, scope: &Scope) -> Result<StoredTexts, StoreError> {
        Ok(StoredTexts {
            chunks: in_scope(tx, CHUNKS, scope).map_err(idb_error)?,
            singles: in_scope(tx, RECORDS, scope).map_err(idb_error)?,
        })
    }

    /// JSON arrays of records: each chunk's text, then the loose records (newer copies
    /// win whatever the order; of equal versions the chunk's copy is read first). A
    /// sealed record that cannot be read is left out, as if it were not there.
    async fn texts(self, key: &CryptoKey) -> Result<Vec<String>, StoreError> {
        let singles = all(self.singles.await.map_err(idb_error)?)?;
        let chunks = self.chunks.await.map_err(idb_error)?;
        let mut texts = chunks
            .map(|chunk| chunk.map(|c| c.0).map_err(idb_error))
            .collect::<Result<Vec<_>, _>>()?;
        let mut read = Vec::with_capacity(singles.len());
        for single in seal::open_all(key, singles).await {
            match single {
                Opened::Clear(value) => read.push(json_text(&value)?),
                Opened::Text(text) => read.push(text),
                Opened::Lost => {}
            }
        }
        let singles = read;
        if !singles.is_empty() {
            texts.push(format!("[{}]", singles.join(",")));
        }
        Ok(texts)
    }
}

/// The stored text of each of `scopes` and the outbox, in one transaction. Every request
/// is made before the first wait.
async fn read_scopes_in(
    db: Database,
    key: CryptoKey,
    scopes: Vec<Scope>,
) -> Result<Read, StoreError> {
    let tx = db
        .transaction([RECORDS, CHUNKS, OUTBOX])
        .with_mode(TransactionMode::Readonly)
        .build()
        .map_err(idb_error)?;
    let reads = scopes
        .iter()
        .map(|scope| StoredTexts::request(&tx, scope))
        .collect::<Result<Vec<_>, _>>()?;
    let outbox = tx
        .object_store(OUTBOX)
        .and_then(|store| store.get_all::<JsValue>().primitive())
        .map_err(idb_error)?;
    let mut texts = Vec::with_capacity(reads.len());
    for read in reads {
        texts.push(read.texts(&key).await?);
    }
    let outbox = mutations(&key, all(outbox.await.map_err(idb_error)?)?).await?;
    Ok((texts, outbox))
}

impl IdbStore {
    /// Every pulled record of one scope (the newest copy of each), in id order.
    pub async fn records_in(&self, scope: &Scope) -> Result<Vec<Record>, StoreError> {
        let tx = self.transaction(&[RECORDS, CHUNKS], TransactionMode::Readonly)?;
        let texts = StoredTexts::request(&tx, scope)?.texts(&self.key).await?;
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
    pub async fn read_scopes(&self, scopes: &[Scope]) -> Result<Read, StoreError> {
        self.start_read(scopes)?.finish().await
    }

    /// [`IdbStore::read_scopes`] started now: its requests are made at once (IndexedDB
    /// works on them while the page is drawn), the results waited for with
    /// [`ScopesRead::finish`].
    pub fn start_read(&self, scopes: &[Scope]) -> Result<ScopesRead, StoreError> {
        let read = read_scopes_in(self.db.clone(), self.key.clone(), scopes.to_vec());
        let mut read = maybe_done(Box::pin(read) as LocalBoxFuture<'static, _>);
        // Run to its first wait: the transaction and all its requests are made here. The
        // no-op waker is replaced by `finish`'s own when that polls.
        let _ = Pin::new(&mut read).poll(&mut Context::from_waker(futures::task::noop_waker_ref()));
        Ok(ScopesRead(read))
    }

    /// The outbox in mutation order.
    pub(super) async fn read_outbox(&self) -> Result<Vec<Mutation>, StoreError> {
        let tx = self.transaction(&[OUTBOX], TransactionMode::Readonly)?;
        let store = tx.object_store(OUTBOX).map_err(idb_error)?;
        let values = all(store.get_all::<JsValue>().await.map_err(idb_error)?)?;
        mutations(&self.key, values).await
    }

    /// The newest pulled copy of one record: on its own or in a chunk.
    pub(super) async fn read_record(&self, id: &str) -> Result<Option<Record>, StoreError> {
        let tx = self.transaction(&[RECORDS, CHUNKS], TransactionMode::Readonly)?;
        let single = tx
            .object_store(RECORDS)
            .and_then(|store| store.get::<JsValue, _, _>(id).primitive())
            .map_err(idb_error)?;
        let chunks = tx
            .object_store(CHUNKS)
            .and_then(|store| {
                store
                    .index("ids")?
                    .get_all::<ChunkText>()
                    .with_query(id)
                    .primitive()
            })
            .map_err(idb_error)?;
        let single = single.await.map_err(idb_error)?;
        let chunks = chunks.await.map_err(idb_error)?;
        let mut newest = BTreeMap::new();
        for chunk in chunks {
            let records = chunk.map_err(idb_error)?.records()?;
            if let Some(record) = records.into_iter().find(|r| r.id == id) {
                keep_newest(&mut newest, record);
            }
        }
        if let Some(single) = single {
            match seal::open_all(&self.key, vec![single]).await.pop() {
                Some(Opened::Clear(value)) => keep_newest(&mut newest, from_js(&value)?),
                Some(Opened::Text(text)) => keep_newest(
                    &mut newest,
                    serde_json::from_str(&text).map_err(json_error)?,
                ),
                Some(Opened::Lost) | None => {}
            }
        }
        Ok(newest.into_values().next())
    }
}
