//! The audit log: who did what to which object, when, from which session, with what
//! outcome. Append-only (database triggers refuse UPDATE and DELETE) and hash-chained:
//! each row stores SHA-256(previous hash, its own fields), so changing or removing a
//! row breaks the chain at that row, which [`verify`] finds. Rows name people and
//! objects by id and never hold health values.

use domain::admin::{AuditEntry, AuditPage, AuditVerification};
use sha2::{Digest, Sha256};
use sqlx::Row;
use tokio::sync::Mutex;

use crate::{
    db::{self, Db},
    sessions::{CurrentUser, hex},
};

/// The hash before the first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Serialises appends within this process; across processes the primary key on `seq`
/// refuses a fork and the append is retried.
static APPEND: Mutex<()> = Mutex::const_new(());

/// How an audited action ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Allowed,
    Denied,
    Failed,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Allowed => "allowed",
            Outcome::Denied => "denied",
            Outcome::Failed => "failed",
        }
    }
}

/// One thing to record.
#[derive(Debug, Clone)]
pub struct Event<'a> {
    pub actor: Option<&'a CurrentUser>,
    pub action: &'a str,
    pub object_type: &'a str,
    pub object_id: &'a str,
    pub outcome: Outcome,
}

/// Appends an entry to the chain.
pub async fn record(db: &Db, event: Event<'_>) -> Result<(), sqlx::Error> {
    record_with_reason(db, event, None).await
}

/// Records handbooks read through a sync pull by someone who is not their guardian:
/// one entry per family, whose `reason` is the number of records (`2 records`).
pub async fn sync_reads(
    db: &Db,
    reader: &CurrentUser,
    families: &std::collections::BTreeMap<&str, usize>,
) -> Result<(), sqlx::Error> {
    for (family, count) in families {
        let event = Event {
            actor: Some(reader),
            action: "family.read.sync",
            object_type: "family",
            object_id: family,
            outcome: Outcome::Allowed,
        };
        record_with_reason(db, event, Some(&format!("{count} records"))).await?;
    }
    Ok(())
}

/// Records checkup findings written into handbooks by health staff: one entry per
/// family, whose `reason` is the number of records (`1 records`), never their content.
pub async fn clinician_writes(
    db: &Db,
    writer: &CurrentUser,
    families: &std::collections::BTreeMap<String, usize>,
) -> Result<(), sqlx::Error> {
    for (family, count) in families {
        let event = Event {
            actor: Some(writer),
            action: "family.checkup.write",
            object_type: "family",
            object_id: family,
            outcome: Outcome::Allowed,
        };
        record_with_reason(db, event, Some(&format!("{count} records"))).await?;
    }
    Ok(())
}

/// Appends an entry with the reason the actor gave (an admin's moderation decision).
pub async fn record_with_reason(
    db: &Db,
    event: Event<'_>,
    reason: Option<&str>,
) -> Result<(), sqlx::Error> {
    let actor = event.actor.map(|u| u.id.clone());
    let session = event.actor.map(CurrentUser::session_fingerprint);
    let _guard = APPEND.lock().await;
    let mut attempt = 0;
    loop {
        attempt += 1;
        match append(db, &event, actor.as_deref(), session.as_deref(), reason).await {
            Ok(()) => return Ok(()),
            Err(error) if attempt < 5 && is_retryable(&error) => {
                tokio::time::sleep(std::time::Duration::from_millis(10 * attempt)).await;
            }
            Err(error) => return Err(error),
        }
    }
}

fn is_retryable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Database(e) => {
            e.is_unique_violation()
                || e.message().contains("locked")
                || e.message().contains("busy")
        }
        _ => false,
    }
}

async fn append(
    db: &Db,
    event: &Event<'_>,
    actor: Option<&str>,
    session: Option<&str>,
    reason: Option<&str>,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let last = sqlx::query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
        .fetch_optional(&mut *tx)
        .await?;
    let (prev_seq, prev_hash) = match last {
        Some(row) => (
            row.try_get::<i64, _>("seq")?,
            row.try_get::<String, _>("hash")?,
        ),
        None => (0, GENESIS.to_owned()),
    };
    let entry = AuditEntry {
        seq: prev_seq + 1,
        at: db::now(),
        actor: actor.map(str::to_owned),
        session: session.map(str::to_owned),
        action: event.action.to_owned(),
        object_type: event.object_type.to_owned(),
        object_id: event.object_id.to_owned(),
        outcome: event.outcome.as_str().to_owned(),
        reason: reason.map(str::to_owned),
        hash: String::new(),
    };
    let hash = chain_hash(&prev_hash, &entry);
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor, session, action, object_type, object_id, \
         outcome, prev_hash, hash, reason) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(entry.seq)
    .bind(&entry.at)
    .bind(entry.actor.as_deref())
    .bind(entry.session.as_deref())
    .bind(&entry.action)
    .bind(&entry.object_type)
    .bind(&entry.object_id)
    .bind(&entry.outcome)
    .bind(&prev_hash)
    .bind(&hash)
    .bind(entry.reason.as_deref())
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// SHA-256 over the previous hash and every field of the entry, one per line. A reason,
/// when there is one, is the last line (entries without one hash as they always did).
pub fn chain_hash(prev_hash: &str, entry: &AuditEntry) -> String {
    let mut text = [
        prev_hash,
        &entry.seq.to_string(),
        &entry.at,
        entry.actor.as_deref().unwrap_or("-"),
        entry.session.as_deref().unwrap_or("-"),
        &entry.action,
        &entry.object_type,
        &entry.object_id,
        &entry.outcome,
    ]
    .join("\n");
    if let Some(reason) = &entry.reason {
        text.push('\n');
        text.push_str(reason);
    }
    hex(&Sha256::digest(text.as_bytes()))
}

fn entry_from(row: &sqlx::any::AnyRow) -> Result<(AuditEntry, String), sqlx::Error> {
    Ok((
        AuditEntry {
            seq: row.try_get("seq")?,
            at: row.try_get("at")?,
            actor: row.try_get("actor")?,
            session: row.try_get("session")?,
            action: row.try_get("action")?,
            object_type: row.try_get("object_type")?,
            object_id: row.try_get("object_id")?,
            outcome: row.try_get("outcome")?,
            reason: row.try_get("reason")?,
            hash: row.try_get("hash")?,
        },
        row.try_get("prev_hash")?,
    ))
}

const COLUMNS: &str =
    "seq, at, actor, session, action, object_type, object_id, outcome, prev_hash, hash, reason";

/// Walks the whole chain from the first row: sequence numbers without gaps, each row
/// pointing at the previous hash, each hash matching its fields.
pub async fn verify(db: &Db) -> Result<AuditVerification, sqlx::Error> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM audit_log ORDER BY seq"
    )))
    .fetch_all(&db.pool)
    .await?;
    let mut expected_prev = GENESIS.to_owned();
    let mut first_broken = None;
    for (index, row) in rows.iter().enumerate() {
        let (entry, prev_hash) = entry_from(row)?;
        let in_place = entry.seq == index as i64 + 1;
        if !in_place || prev_hash != expected_prev || chain_hash(&prev_hash, &entry) != entry.hash {
            first_broken = Some(entry.seq);
            break;
        }
        expected_prev = entry.hash;
    }
    Ok(AuditVerification {
        intact: first_broken.is_none(),
        entries: rows.len() as i64,
        first_broken,
    })
}

/// A page of entries, newest first, older than `before` when given.
pub async fn page(db: &Db, before: Option<i64>, limit: i64) -> Result<AuditPage, sqlx::Error> {
    let limit = limit.clamp(1, 200);
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM audit_log WHERE seq < $1 ORDER BY seq DESC LIMIT $2"
    )))
    .bind(before.unwrap_or(i64::MAX))
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    let entries = rows
        .iter()
        .map(|row| entry_from(row).map(|(entry, _)| entry))
        .collect::<Result<Vec<_>, _>>()?;
    let next_before = (entries.len() as i64 == limit)
        .then(|| entries.last().map(|e| e.seq))
        .flatten();
    Ok(AuditPage {
        entries,
        next_before,
    })
}
