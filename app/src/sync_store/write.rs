//! Writing the store: a pulled or pushed batch (`commit`) and a local change with the
//! next mutation id (`enqueue`), each in ONE read-write transaction; the `Store` the
//! sync engine runs on.

use std::collections::{BTreeMap, BTreeSet};

use domain::sync::{
    client::{Batch, Meta, Store, StoreError},
    protocol::{Mutation, Op, Record, Scope},
};
use indexed_db_futures::{
    object_store::ObjectStore, prelude::*, transaction::Transaction, transaction::TransactionMode,
};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::JsValue;
use web_sys::CryptoKey;

use super::{
    CHUNK_MIN, CHUNKS, IdbStore, META, META_KEY, NOTICES, OUTBOX, RECORDS, finish, from_js,
    idb_error, json_error,
    read::ChunkText,
    seal::{self, seals, seals_op},
    to_js,
};

/// The page's records by scope, the newest copy of each id.
fn pages(batch: &Batch) -> BTreeMap<&Scope, BTreeMap<&str, &Record>> {
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
    by_scope
}

/// A record's sealed value: `{id, scope, version, iv, sealed}`.
pub(super) fn sealing_record(record: &Record) -> Result<(String, Object), StoreError> {
    Ok((
        serde_json::to_string(record).map_err(json_error)?,
        seal::clear_fields(&[
            ("id", JsValue::from_str(&record.id)),
            ("scope", JsValue::from_str(&record.scope.0)),
            ("version", JsValue::from_f64(record.version as f64)),
        ])?,
    ))
}

/// An outbox entry's sealed value: `{id, iv, sealed}`, `sealed` holding its op.
pub(super) fn sealing_op(id: u64, op: &Op) -> Result<(String, Object), StoreError> {
    Ok((
        serde_json::to_string(op).map_err(json_error)?,
        seal::clear_fields(&[("id", JsValue::from_f64(id as f64))])?,
    ))
}

/// The values of `batch` that are sealed, sealed before its transaction starts (a
/// transaction cannot wait for WebCrypto): the family records, then the outbox
/// entries, then the notices.
async fn seal_batch(key: &CryptoKey, batch: &Batch) -> Result<Vec<JsValue>, StoreError> {
    let mut values = Vec::new();
    // Most pages (the events of a first sync) have no family record: not grouped twice.
    if batch.put.iter().any(|r| seals(&r.scope)) {
        for (scope, page) in pages(batch) {
            if seals(scope) {
                for record in page.into_values() {
                    values.push(sealing_record(record)?);
                }
            }
        }
    }
    for mutation in batch.enqueue.iter().filter(|m| seals_op(&m.op)) {
        values.push(sealing_op(mutation.id, &mutation.op)?);
    }
    for notice in batch.notices.iter().filter(|n| seals_op(&n.mutation.op)) {
        let text = serde_json::to_string(notice).map_err(json_error)?;
        values.push((text, Object::new()));
    }
    seal::seal_all(key, values).await
}

/// A chunk value: `{scope, ids, text}`, `text` the records' JSON array.
fn chunk_value(scope: &Scope, records: &[&Record]) -> Result<JsValue, StoreError> {
    let text = serde_json::to_string(records).map_err(super::json_error)?;
    let ids: Array = records.iter().map(|r| JsValue::from_str(&r.id)).collect();
    let value = Object::new();
    for (field, v) in [
        ("scope", JsValue::from_str(&scope.0)),
        ("ids", ids.into()),
        ("text", JsValue::from_str(&text)),
    ] {
        Reflect::set(&value, &JsValue::from_str(field), &v)
            .map_err(|_| StoreError("a chunk could not be made".into()))?;
    }
    Ok(value.into())
}

/// Deletes every value of `store` whose `index` has `key`.
async fn delete_by_index(
    store: &ObjectStore<'_>,
    index: &str,
    key: &str,
) -> Result<(), StoreError> {
    let keys = store
        .index(index)
        .map_err(idb_error)?
        .get_all_keys::<JsValue>()
        .with_query(key)
        .await
        .map_err(idb_error)?;
    for key in keys {
        store
            .delete(key.map_err(idb_error)?)
            .build()
            .map_err(idb_error)?;
    }
    Ok(())
}

/// Removes the records `gone` from every chunk that holds one: each such chunk is
/// rewritten without them, or deleted when nothing is left.
async fn remove_from_chunks(chunks: &ObjectStore<'_>, gone: &[String]) -> Result<(), StoreError> {
    let index = chunks.index("ids").map_err(idb_error)?;
    let requests = gone
        .iter()
        .map(|id| {
            index
                .get_all_keys::<f64>()
                .with_query(id.as_str())
                .primitive()
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(idb_error)?;
    let mut keys = Vec::new();
    for request in requests {
        for key in request.await.map_err(idb_error)? {
            keys.push(key.map_err(idb_error)?);
        }
    }
    keys.sort_by(f64::total_cmp);
    keys.dedup();
    if keys.is_empty() {
        return Ok(());
    }
    let gone: BTreeSet<&str> = gone.iter().map(String::as_str).collect();
    let values = keys
        .iter()
        .map(|key| chunks.get::<JsValue, _, _>(*key).primitive())
        .collect::<Result<Vec<_>, _>>()
        .map_err(idb_error)?;
    for (key, request) in keys.into_iter().zip(values) {
        let Some(value) = request.await.map_err(idb_error)? else {
            continue;
        };
        let scope = Reflect::get(&value, &JsValue::from_str("scope"))
            .ok()
            .and_then(|s| s.as_string())
            .map(Scope)
            .ok_or_else(|| {
                StoreError("stored data could not be read: a chunk has no scope".into())
            })?;
        let text = <ChunkText as indexed_db_futures::primitive::TryFromJs>::from_js(value)
            .map_err(|_| StoreError("stored data could not be read: a chunk has no text".into()))?;
        let records = text.records()?;
        let kept: Vec<&Record> = records
            .iter()
            .filter(|r| !gone.contains(r.id.as_str()))
            .collect();
        if kept.is_empty() {
            chunks.delete(key).build().map_err(idb_error)?;
        } else {
            chunks
                .put(chunk_value(&scope, &kept)?)
                .with_key(key)
                .build()
                .map_err(idb_error)?;
        }
    }
    Ok(())
}

/// Reads the meta row in a read-write transaction over `meta`.
pub(super) async fn meta_in(meta: &ObjectStore<'_>) -> Result<Meta, StoreError> {
    let row: Option<JsValue> = meta.get(META_KEY).await.map_err(idb_error)?;
    from_js(&row.ok_or_else(|| StoreError("the sync store has no meta row".into()))?)
}

/// Every change of `batch`, made in `tx` (not committed here).
async fn write_batch(
    tx: &Transaction<'_>,
    batch: &Batch,
    sealed: Vec<JsValue>,
) -> Result<(), StoreError> {
    let records = tx.object_store(RECORDS).map_err(idb_error)?;
    let chunks = tx.object_store(CHUNKS).map_err(idb_error)?;
    let outbox = tx.object_store(OUTBOX).map_err(idb_error)?;
    let notices = tx.object_store(NOTICES).map_err(idb_error)?;
    let meta = tx.object_store(META).map_err(idb_error)?;
    for scope in &batch.drop_scopes {
        delete_by_index(&records, "scope", &scope.0).await?;
        delete_by_index(&chunks, "scope", &scope.0).await?;
    }
    // The sealed values, in `seal_batch`'s order: the family records first.
    let mut sealed = sealed.into_iter();
    // The page's records by scope (the newest copy of each id): one chunk per scope with
    // many, one value per record for the others, all of those with one JSON.parse; a
    // family scope's records one sealed value each.
    let mut singles: Vec<&Record> = Vec::new();
    for (scope, page) in pages(batch) {
        let page: Vec<&Record> = page.into_values().collect();
        if seals(scope) {
            for value in sealed.by_ref().take(page.len()) {
                records.put(value).build().map_err(idb_error)?;
            }
        } else if page.len() >= CHUNK_MIN {
            chunks
                .add(chunk_value(scope, &page)?)
                .build()
                .map_err(idb_error)?;
        } else {
            singles.extend(page);
        }
    }
    if !singles.is_empty() {
        for record in Array::from(&to_js(&singles)?).iter() {
            records.put(record).build().map_err(idb_error)?;
        }
    }
    for id in &batch.delete {
        records.delete(id.as_str()).build().map_err(idb_error)?;
    }
    if !batch.delete.is_empty() {
        remove_from_chunks(&chunks, &batch.delete).await?;
    }
    // `add`, not `put`: a queued change is never overwritten.
    for mutation in &batch.enqueue {
        let value = match seals_op(&mutation.op) {
            true => sealed.next(),
            false => Some(to_js(mutation)?),
        };
        outbox
            .add(value.unwrap_or_default())
            .build()
            .map_err(idb_error)?;
    }
    for id in &batch.dequeue {
        outbox.delete(*id as f64).build().map_err(idb_error)?;
    }
    for notice in &batch.notices {
        let value = match seals_op(&notice.mutation.op) {
            true => sealed.next(),
            false => Some(to_js(notice)?),
        };
        notices
            .add(value.unwrap_or_default())
            .build()
            .map_err(idb_error)?;
    }
    if batch.cursor.is_some() || batch.scopes.is_some() {
        // Read and written in this transaction: only these fields change.
        let mut row = meta_in(&meta).await?;
        if let Some(cursor) = batch.cursor {
            row.cursor = cursor;
        }
        if let Some(scopes) = &batch.scopes {
            row.scopes = scopes.clone();
        }
        meta.put(to_js(&row)?)
            .with_key(META_KEY)
            .build()
            .map_err(idb_error)?;
    }
    Ok(())
}

impl Store for IdbStore {
    async fn meta(&self) -> Result<Meta, StoreError> {
        self.meta_row().await
    }

    async fn outbox(&self) -> Result<Vec<Mutation>, StoreError> {
        self.read_outbox().await
    }

    async fn record(&self, id: &str) -> Result<Option<Record>, StoreError> {
        self.read_record(id).await
    }

    async fn commit(&self, batch: Batch) -> Result<(), StoreError> {
        let sealed = seal_batch(&self.key, &batch).await?;
        let tx = self.transaction(
            &[RECORDS, CHUNKS, OUTBOX, NOTICES, META],
            TransactionMode::Readwrite,
        )?;
        let result = write_batch(&tx, &batch, sealed).await;
        finish(tx, result).await
    }

    async fn enqueue(&self, op: Op) -> Result<Mutation, StoreError> {
        // Sealed before the transaction; its id is set in it.
        let sealed = match seals_op(&op) {
            true => seal::seal_all(&self.key, vec![sealing_op(0, &op)?])
                .await?
                .pop(),
            false => None,
        };
        let tx = self.transaction(&[OUTBOX, META], TransactionMode::Readwrite)?;
        let result = async {
            let outbox = tx.object_store(OUTBOX).map_err(idb_error)?;
            let meta = tx.object_store(META).map_err(idb_error)?;
            let mut row = meta_in(&meta).await?;
            let mutation = Mutation {
                id: row.next_mutation_id,
                op,
            };
            row.next_mutation_id += 1;
            let value = match sealed {
                Some(value) => {
                    seal::set(&value, "id", &JsValue::from_f64(mutation.id as f64))?;
                    value
                }
                None => to_js(&mutation)?,
            };
            outbox.add(value).build().map_err(idb_error)?;
            meta.put(to_js(&row)?)
                .with_key(META_KEY)
                .build()
                .map_err(idb_error)?;
            Ok(mutation)
        }
        .await;
        finish(tx, result).await
    }
}
