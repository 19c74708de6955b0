//! The `sync_records` table: reading the records a push touches, and writing records
//! (a push's batch, or one record a command or an admin writes). A record id belongs to
//! its first collection, scope and owner for ever: tombstones keep them, and every
//! upsert here checks the stored row's collection and scope before it replaces it.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use domain::{
    events::{EVENT_COLLECTION, Event},
    sync::{collections::CLIENT_COLLECTIONS, protocol::Scope, rules::Current},
};
use sqlx::{Any, Row, Transaction};

use crate::{db, error::AppError};

/// Rows per multi-row statement: 9 parameters each, far below both back-ends' limits.
pub const ROWS_PER_STATEMENT: usize = 100;

/// A record as stored: its collection and what the rules need to know of it.
#[derive(Debug, Clone)]
pub struct Stored {
    pub collection: String,
    pub current: Current,
    /// The association a board event belongs to (set by its first write, kept by its
    /// tombstone); `None` for other records, and for events deleted before owners were
    /// kept.
    pub owner: Option<String>,
    /// An event's body as stored (other records' bodies are not read): what changed for
    /// those who RSVP'd.
    pub event: Option<Event>,
}

/// A record row to write.
#[derive(Debug)]
pub struct Write {
    pub collection: String,
    pub scope: Scope,
    /// Kept from the first write: a later write's owner is ignored.
    pub owner: Option<String>,
    pub version: i64,
    pub deleted: bool,
    pub body: String,
}

/// Reads the stored records among `ids` (inside the push's transaction), tombstones too.
pub async fn stored(
    tx: &mut Transaction<'static, Any>,
    ids: impl Iterator<Item = &str>,
) -> Result<HashMap<String, Stored>, AppError> {
    let ids: BTreeSet<&str> = ids.filter(|id| !id.is_empty() && id.len() <= 64).collect();
    let ids: Vec<&str> = ids.into_iter().collect();
    let mut stored = HashMap::new();
    for chunk in ids.chunks(ROWS_PER_STATEMENT) {
        let placeholders: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT id, collection, scope, version, deleted, written_by, owner, \
             CASE WHEN collection = '{EVENT_COLLECTION}' AND deleted = 0 THEN body END AS event_body \
             FROM sync_records WHERE id IN ({})",
            placeholders.join(", ")
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for id in chunk {
            query = query.bind(*id);
        }
        for row in query.fetch_all(&mut **tx).await? {
            stored.insert(
                row.try_get("id")?,
                Stored {
                    collection: row.try_get("collection")?,
                    current: Current {
                        version: row.try_get::<i64, _>("version")?.max(0) as u64,
                        scope: Scope(row.try_get("scope")?),
                        written_by: row.try_get("written_by")?,
                        deleted: row.try_get::<i64, _>("deleted")? == 1,
                    },
                    owner: row.try_get("owner")?,
                    event: row
                        .try_get::<Option<String>, _>("event_body")?
                        .and_then(|body| serde_json::from_str(&body).ok()),
                },
            );
        }
    }
    Ok(stored)
}

/// What one account's devices have written and still stands: records of the collections
/// a client writes, and the bytes of their bodies.
#[derive(Debug, Clone, Copy, Default)]
pub struct Usage {
    pub records: u64,
    pub bytes: u64,
}

/// The [`Usage`] of `user_id`, read in the push's transaction.
pub async fn usage(
    tx: &mut Transaction<'static, Any>,
    backend: db::Backend,
    user_id: &str,
) -> Result<Usage, AppError> {
    let bytes = match backend {
        db::Backend::Sqlite => "LENGTH(CAST(r.body AS BLOB))",
        db::Backend::Postgres => "OCTET_LENGTH(r.body)",
    };
    let collections: Vec<String> = CLIENT_COLLECTIONS
        .iter()
        .map(|c| format!("'{c}'"))
        .collect();
    let sql = format!(
        "SELECT COUNT(*) AS records, CAST(COALESCE(SUM({bytes}), 0) AS BIGINT) AS bytes \
         FROM sync_records r JOIN sync_clients c ON c.client_id = r.written_by \
         WHERE c.user_id = $1 AND r.deleted = 0 AND r.collection IN ({})",
        collections.join(", ")
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(user_id)
        .fetch_one(&mut **tx)
        .await?;
    Ok(Usage {
        records: row.try_get::<i64, _>("records")?.max(0) as u64,
        bytes: row.try_get::<i64, _>("bytes")?.max(0) as u64,
    })
}

/// Writes a push's records, 100 to a statement. A stored row of another collection or
/// scope is never replaced: the push fails instead (the rules refuse such a write before
/// it gets here, so this is the last line, not the first).
pub async fn write_many(
    tx: &mut Transaction<'static, Any>,
    client_id: &str,
    writes: &BTreeMap<String, Write>,
) -> Result<(), AppError> {
    let now = db::now();
    let writes: Vec<(&String, &Write)> = writes.iter().collect();
    for chunk in writes.chunks(ROWS_PER_STATEMENT) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let p = i * 7;
                let params: Vec<String> = (3..10).map(|n| format!("${}", p + n)).collect();
                format!("({}, $1, $2)", params.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO sync_records (id, collection, scope, owner, version, deleted, body, written_by, updated_at) \
             VALUES {} ON CONFLICT (id) DO UPDATE SET version = excluded.version, \
             deleted = excluded.deleted, body = excluded.body, written_by = excluded.written_by, \
             updated_at = excluded.updated_at \
             WHERE sync_records.collection = excluded.collection AND sync_records.scope = excluded.scope",
            values.join(", ")
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(client_id)
            .bind(&now);
        for (id, write) in chunk {
            query = query
                .bind(id.as_str())
                .bind(&write.collection)
                .bind(&write.scope.0)
                .bind(write.owner.as_deref())
                .bind(write.version)
                .bind(i64::from(write.deleted))
                .bind(&write.body);
        }
        let written = query.execute(&mut **tx).await?.rows_affected();
        if written != chunk.len() as u64 {
            return Err(AppError::Other(anyhow::anyhow!(
                "a push would have replaced a record of another collection or scope"
            )));
        }
    }
    Ok(())
}

/// Writes a record (a command's effect, or an admin's) at the next version. A stored row
/// of another collection or scope is never replaced: the transaction fails instead.
#[allow(clippy::too_many_arguments)]
pub async fn write_record(
    tx: &mut Transaction<'static, Any>,
    id: &str,
    collection: &str,
    scope: &Scope,
    body: &str,
    deleted: bool,
    client_id: &str,
    seq: &mut i64,
) -> Result<(), AppError> {
    *seq += 1;
    let written = sqlx::query(
        "INSERT INTO sync_records (id, collection, scope, version, deleted, body, written_by, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (id) DO UPDATE SET version = $4, deleted = $5, body = $6, written_by = $7, \
         updated_at = $8 WHERE sync_records.collection = $2 AND sync_records.scope = $3",
    )
    .bind(id)
    .bind(collection)
    .bind(&scope.0)
    .bind(*seq)
    .bind(i64::from(deleted))
    .bind(body)
    .bind(client_id)
    .bind(db::now())
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if written != 1 {
        return Err(AppError::Other(anyhow::anyhow!(
            "the server would have replaced a record of another collection or scope"
        )));
    }
    Ok(())
}
