//! Sealing what a store holds in the clear, once, when it has no `sealed` row in `meta`:
//! a store written before values were sealed (schema version 2 and before: the family's
//! records, pulled chunks, outbox entries and notices in the clear), or one that lost its
//! key (sealed values it can no longer read).
//!
//! - Family values in the clear are sealed in place (a chunk becomes one sealed value
//!   per record; a record already stored newer is kept).
//! - Records that cannot be read are deleted and their scopes forgotten from `meta`, so
//!   the next pull brings them back whole (the server sends a scope the phone does not
//!   hold in full).
//! - An outbox entry that cannot be read cannot be sent: it leaves the outbox and a
//!   notice says so in words (`Refusal::Unreadable`). The store then starts again as a
//!   new sync client, its readable changes renumbered from 1: mutation ids must follow
//!   each other without gaps for the server, and a new client id is the only way to
//!   skip one without the server taking a later change for one it already has.
//! - A notice that cannot be read is replaced by one that says so.
//!
//! If another tab changed the store in between, the repair changes nothing and runs
//! again at the next opening. Until then everything still reads: values in the clear as
//! before, sealed ones under the current key.

use std::collections::BTreeSet;

use domain::sync::{
    client::{Notice, StoreError},
    protocol::{Mutation, Record, Scope},
};
use indexed_db_futures::{
    iter::ArrayMapIter,
    prelude::*,
    transaction::{Transaction, TransactionMode},
};
use js_sys::Object;
use wasm_bindgen::JsValue;

use indexed_db_futures::database::Database;
use web_sys::CryptoKey;

use super::{
    CHUNKS, META, META_KEY, NOTICES, OUTBOX, RECORDS, finish, from_js, idb_error, json_error,
    read::ChunkText,
    seal::{self, Opened},
    to_js, transaction,
    write::{meta_in, sealing_op, sealing_record},
};

/// The `scope` index's range of family scopes (`;` follows `:`).
fn family() -> std::ops::Range<&'static str> {
    "family:".."family;"
}

fn each<T>(values: ArrayMapIter<T>) -> Result<Vec<T>, StoreError> {
    values.map(|v| v.map_err(idb_error)).collect()
}

/// The family chunks (keys and texts) and the outbox's and notices' keys, as they were:
/// the repair is written only if they are still so.
#[derive(PartialEq)]
struct Seen {
    chunk_keys: Vec<f64>,
    chunks: Vec<String>,
    outbox: Vec<f64>,
    notices: Vec<f64>,
}

async fn seen(tx: &Transaction<'_>) -> Result<Seen, StoreError> {
    let chunks = tx.object_store(CHUNKS).map_err(idb_error)?;
    let chunks = chunks.index("scope").map_err(idb_error)?;
    let chunk_keys = chunks
        .get_all_keys::<f64>()
        .with_query(family())
        .primitive();
    let texts = chunks
        .get_all::<ChunkText>()
        .with_query(family())
        .primitive();
    let keys = |store| {
        tx.object_store(store)
            .and_then(|s| s.get_all_keys::<f64>().primitive())
    };
    let (chunk_keys, texts) = (chunk_keys.map_err(idb_error)?, texts.map_err(idb_error)?);
    let (outbox, notices) = (
        keys(OUTBOX).map_err(idb_error)?,
        keys(NOTICES).map_err(idb_error)?,
    );
    Ok(Seen {
        chunk_keys: each(chunk_keys.await.map_err(idb_error)?)?,
        chunks: each(texts.await.map_err(idb_error)?)?
            .into_iter()
            .map(|c| c.0)
            .collect(),
        outbox: each(outbox.await.map_err(idb_error)?)?,
        notices: each(notices.await.map_err(idb_error)?)?,
    })
}

/// What the repair writes.
#[derive(Default)]
struct Plan {
    /// Sealed records with their ids and versions.
    records: Vec<(JsValue, String, f64)>,
    lost_records: Vec<String>,
    lost_scopes: BTreeSet<Scope>,
    /// The outbox in key order: each entry's value to keep (sealed now, or as it was),
    /// or its id when it cannot be read.
    outbox: Vec<Result<JsValue, u64>>,
    /// The notices in key order.
    notices: Vec<JsValue>,
}

/// Seals what is in the clear and sets the `sealed` row; see the module's comment.
/// `client_id` is the store's new client id if it must start again as a new client.
/// (A WASM chunk of its own was measured: the split's loader cost the first load more
/// than this code.)
pub(super) async fn run(db: Database, key: CryptoKey, client_id: String) {
    // Fails only when another tab changed the store meanwhile: it runs again at the
    // next opening, and until then everything still reads.
    let _ = repair(db, key, client_id).await;
}

async fn repair(db: Database, key: CryptoKey, client_id: String) -> Result<(), StoreError> {
    let (before, plan) = plan(&db, &key).await?;
    let tx = transaction(
        &db,
        &[RECORDS, CHUNKS, OUTBOX, NOTICES, META],
        TransactionMode::Readwrite,
    )?;
    let result = async {
        if seen(&tx).await? != before {
            return Err(StoreError("changed meanwhile".into()));
        }
        write(&tx, before, plan, client_id).await
    }
    .await;
    finish(tx, result).await
}

/// Reads the store and decides (and seals) what to write.
async fn plan(db: &Database, key: &CryptoKey) -> Result<(Seen, Plan), StoreError> {
    let tx = transaction(
        db,
        &[RECORDS, CHUNKS, OUTBOX, NOTICES],
        TransactionMode::Readonly,
    )?;
    let get_all = |store: &str| {
        tx.object_store(store)
            .and_then(|s| s.get_all::<JsValue>().primitive())
            .map_err(idb_error)
    };
    let records = tx.object_store(RECORDS).map_err(idb_error)?;
    let records = records
        .index("scope")
        .and_then(|i| i.get_all::<JsValue>().with_query(family()).primitive())
        .map_err(idb_error)?;
    let (outbox, notices) = (get_all(OUTBOX)?, get_all(NOTICES)?);
    let seen = seen(&tx).await?;
    let records = each(records.await.map_err(idb_error)?)?;
    let outbox = each(outbox.await.map_err(idb_error)?)?;
    let notices = each(notices.await.map_err(idb_error)?)?;
    drop(tx);

    let mut plan = Plan::default();
    // What to seal, in order: records, then outbox entries, then notices.
    let mut to_seal: Vec<(String, Object)> = Vec::new();
    let mut sealed_records: Vec<(String, f64)> = Vec::new();
    let mut seal_record = |record: &Record| -> Result<(), StoreError> {
        to_seal.push(sealing_record(record)?);
        sealed_records.push((record.id.clone(), record.version as f64));
        Ok(())
    };
    let clear: Vec<(String, String)> = records
        .iter()
        .map(|r| (seal::text(r, "id"), seal::text(r, "scope")))
        .collect();
    for ((id, scope), opened) in clear.into_iter().zip(seal::open_all(key, records).await) {
        match opened {
            Opened::Clear(value) => seal_record(&from_js(&value)?)?,
            Opened::Text(_) => {}
            Opened::Lost => {
                plan.lost_records.push(id);
                plan.lost_scopes.insert(Scope(scope));
            }
        }
    }
    for text in &seen.chunks {
        for record in ChunkText(text.clone()).records()? {
            seal_record(&record)?;
        }
    }

    let ids: Vec<f64> = outbox.iter().map(|v| seal::number(v, "id")).collect();
    let mut outbox_sealed = Vec::new();
    let opened = seal::open_all(key, outbox.clone()).await;
    for ((id, value), opened) in ids.into_iter().zip(outbox).zip(opened) {
        plan.outbox.push(match opened {
            Opened::Clear(_) => {
                let mutation: Mutation = from_js(&value)?;
                if seal::seals_op(&mutation.op) {
                    outbox_sealed.push(plan.outbox.len());
                    to_seal.push(sealing_op(mutation.id, &mutation.op)?);
                }
                Ok(value)
            }
            Opened::Text(_) => Ok(value),
            Opened::Lost => Err(id as u64),
        });
    }
    let mut notices_sealed = Vec::new();
    let opened = seal::open_all(key, notices.clone()).await;
    for (value, opened) in notices.into_iter().zip(opened) {
        plan.notices.push(match opened {
            Opened::Clear(_) => {
                let notice: Notice = from_js(&value)?;
                if seal::seals_op(&notice.mutation.op) {
                    notices_sealed.push(plan.notices.len());
                    let text = serde_json::to_string(&notice).map_err(json_error)?;
                    to_seal.push((text, Object::new()));
                }
                value
            }
            Opened::Text(_) => value,
            Opened::Lost => to_js(&seal::unreadable(0))?,
        });
    }

    let mut sealed = seal::seal_all(key, to_seal).await?.into_iter();
    for (id, version) in sealed_records {
        if let Some(value) = sealed.next() {
            plan.records.push((value, id, version));
        }
    }
    for index in outbox_sealed {
        if let Some(value) = sealed.next() {
            plan.outbox[index] = Ok(value);
        }
    }
    for index in notices_sealed {
        if let Some(value) = sealed.next() {
            plan.notices[index] = value;
        }
    }
    Ok((seen, plan))
}

async fn write(
    tx: &Transaction<'_>,
    seen: Seen,
    plan: Plan,
    client_id: String,
) -> Result<(), StoreError> {
    let store = |name| tx.object_store(name).map_err(idb_error);
    let (records, chunks, outbox) = (store(RECORDS)?, store(CHUNKS)?, store(OUTBOX)?);
    let (notices, meta) = (store(NOTICES)?, store(META)?);
    // A record stored newer, or already sealed, stays.
    for (value, id, version) in plan.records {
        let stored: Option<JsValue> = records.get(id.as_str()).await.map_err(idb_error)?;
        let newer = stored.is_some_and(|stored| {
            let stored_version = seal::number(&stored, "version");
            stored_version > version || (stored_version == version && seal::is_sealed(&stored))
        });
        if !newer {
            records.put(value).build().map_err(idb_error)?;
        }
    }
    for id in &plan.lost_records {
        records.delete(id.as_str()).build().map_err(idb_error)?;
    }
    for key in seen.chunk_keys {
        chunks.delete(key).build().map_err(idb_error)?;
    }
    for (key, value) in seen.notices.into_iter().zip(plan.notices) {
        notices
            .put(value)
            .with_key(key)
            .build()
            .map_err(idb_error)?;
    }
    let mut row = meta_in(&meta).await?;
    row.scopes.retain(|scope| !plan.lost_scopes.contains(scope));
    if plan.outbox.iter().any(Result::is_err) {
        // A new client: the readable changes renumbered from 1, a notice for each other.
        outbox.clear().map_err(idb_error)?;
        row.client_id = client_id;
        row.next_mutation_id = 1;
        for entry in plan.outbox {
            match entry {
                Ok(value) => {
                    seal::set(
                        &value,
                        "id",
                        &JsValue::from_f64(row.next_mutation_id as f64),
                    )?;
                    outbox.add(value).build().map_err(idb_error)?;
                    row.next_mutation_id += 1;
                }
                Err(id) => {
                    let notice = to_js(&seal::unreadable(id))?;
                    notices.add(notice).build().map_err(idb_error)?;
                }
            }
        }
    } else {
        for value in plan.outbox.into_iter().flatten() {
            outbox.put(value).build().map_err(idb_error)?;
        }
    }
    meta.put(to_js(&row)?)
        .with_key(META_KEY)
        .build()
        .map_err(idb_error)?;
    meta.put(JsValue::TRUE)
        .with_key(seal::SEALED_ROW)
        .build()
        .map_err(idb_error)?;
    Ok(())
}
