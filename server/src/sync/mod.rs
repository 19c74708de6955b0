//! Offline sync: `POST /api/sync/push` and `GET /api/sync/pull` (docs/sync.md). The
//! decisions are `domain::sync::rules`; this module stores them. Every push is one
//! transaction that first takes the commit counter's row, so writers are serialised and
//! a pull's cursor never skips a row committed out of order. The pull is `pull.rs`; the
//! scopes a user reaches, `reach.rs`.

pub mod pull;
mod reach;

use std::collections::{BTreeMap, HashMap};

use axum::{Json, extract::State};
use domain::{
    ErrorCode,
    circulars::CIRCULAR_COLLECTION,
    events::{self as board, EVENT_COLLECTION, Event},
    sync::{
        collections::{self, CLINICIAN_COLLECTION},
        commands::{self, Command},
        ids,
        protocol::{
            Mutation, MutationResult, Op, Outcome, PushRequest, PushResponse, Refusal, Scope,
        },
        rules::{self, Current},
    },
};
use serde_json::Value;
use sqlx::{Any, Row, Transaction};

pub use self::reach::{Reach, reach};
pub(crate) use crate::records::write_record;
use crate::{
    AppState, audit, circulars, db,
    error::{AppError, JsonBody},
    events, moderation,
    records::{self, Stored, Write},
    sessions::CurrentUser,
};

/// Most mutations in one push.
pub const PUSH_LIMIT: usize = 100;
/// Most records in one pull page.
pub const PULL_PAGE: i64 = 500;
/// Largest record body, as JSON text.
pub const BODY_LIMIT: usize = 16 * 1024;

fn valid_client_id(id: &str) -> bool {
    (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Applies a batch of mutations in order, once each.
#[utoipa::path(
    post,
    path = "/api/sync/push",
    tag = "sync",
    request_body = PushRequest,
    responses(
        (status = 200, description = "Every mutation with its outcome, or `gap`", body = PushResponse),
        (status = 400, description = "`bad_request`: a malformed client id or too many mutations", body = domain::ApiError),
        (status = 401, description = "`unauthenticated`", body = domain::ApiError),
        (status = 403, description = "`forbidden`: the client id belongs to another account", body = domain::ApiError),
    )
)]
pub async fn push(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(request): JsonBody<PushRequest>,
) -> Result<Json<PushResponse>, AppError> {
    if !valid_client_id(&request.client_id) || request.mutations.len() > PUSH_LIMIT {
        return Err(AppError::Code(ErrorCode::BadRequest));
    }
    let reach = reach(&state.db, &user).await?;
    let mut tx = state.db.begin_write().await?;
    let mut seq = take_counter(&mut tx).await?;
    let last = client_last_applied(&mut tx, &request.client_id, &user.id).await?;
    let (already, _) = match rules::plan_push(last, &request.mutations) {
        Ok(plan) => plan,
        Err(last_mutation_id) => return Ok(Json(PushResponse::Gap { last_mutation_id })),
    };
    // The records this push touches, read at once; `apply` keeps them current as it
    // decides, and the writes go out together at the end (one statement per 100 rows,
    // not three per mutation).
    // The files the pushed circulars point at, to check each is this association's.
    let attachment_ids: Vec<String> = request.mutations[already..]
        .iter()
        .filter_map(|m| match &m.op {
            Op::Put {
                collection, body, ..
            } if collection == CIRCULAR_COLLECTION => body
                .pointer("/attachment/id")
                .and_then(Value::as_str)
                .map(str::to_owned),
            _ => None,
        })
        .collect();
    let mut batch = Batch {
        stored: records::stored(
            &mut tx,
            request.mutations[already..]
                .iter()
                .filter_map(|m| m.op.record_id()),
        )
        .await?,
        attachments: circulars::attachments(&mut tx, &attachment_ids).await?,
        usage: records::usage(&mut tx, state.db.backend, &user.id).await?,
        quota: records::Usage {
            records: state.security.quota_records,
            bytes: state.security.quota_bytes,
        },
        ..Batch::default()
    };
    let mut results = Vec::with_capacity(request.mutations.len());
    for (index, mutation) in request.mutations.iter().enumerate() {
        let outcome = if index < already {
            stored_outcome(&mut tx, &request.client_id, mutation.id).await?
        } else {
            let outcome = match &mutation.op {
                Op::Command { name, args } => {
                    // A command reads and writes the tables itself: what this push decided
                    // so far goes out first, and the records it wrote are read again for
                    // the mutations after it.
                    batch.flush(&mut tx, &request.client_id, &user.id).await?;
                    let changed = std::mem::take(&mut batch.changed_events);
                    events::notify_changed(&mut tx, &request.client_id, &mut seq, changed).await?;
                    let changed = std::mem::take(&mut batch.changed_circulars);
                    circulars::after_writes(&mut tx, &request.client_id, &mut seq, changed).await?;
                    let outcome = match Command::parse(name, args) {
                        Ok(Command::Report {
                            report_id,
                            target_id,
                            reason,
                        }) => {
                            let client = &request.client_id;
                            let report = (report_id, target_id, reason);
                            moderation::decide(&mut tx, &user, &reach, client, report, &mut seq)
                                .await?
                        }
                        Ok(Command::ReadCircular { circular_id }) => {
                            let client = &request.client_id;
                            circulars::decide(
                                &mut tx,
                                &user,
                                &reach,
                                client,
                                &circular_id,
                                &mut seq,
                            )
                            .await?
                        }
                        Ok(command) => {
                            let client = &request.client_id;
                            events::decide(&mut tx, &user, &reach, client, command, &mut seq)
                                .await?
                        }
                        Err(reason) => refused(reason),
                    };
                    let after = request.mutations[index + 1..].iter();
                    batch.stored =
                        records::stored(&mut tx, after.filter_map(|m| m.op.record_id())).await?;
                    outcome
                }
                _ => apply(&mut batch, &reach, &request.client_id, mutation, &mut seq)?,
            };
            batch.outcomes.push((
                mutation.id as i64,
                serde_json::to_string(&outcome).map_err(anyhow::Error::from)?,
            ));
            outcome
        };
        results.push(MutationResult {
            mutation_id: mutation.id,
            outcome,
        });
    }
    batch.flush(&mut tx, &request.client_id, &user.id).await?;
    let changed = std::mem::take(&mut batch.changed_events);
    events::notify_changed(&mut tx, &request.client_id, &mut seq, changed).await?;
    let changed = std::mem::take(&mut batch.changed_circulars);
    circulars::after_writes(&mut tx, &request.client_id, &mut seq, changed).await?;
    if let Some(last) = request.mutations.last().filter(|m| m.id > last) {
        sqlx::query("UPDATE sync_clients SET last_mutation_id = $1 WHERE client_id = $2")
            .bind(last.id as i64)
            .bind(&request.client_id)
            .execute(&mut *tx)
            .await?;
    }
    store_counter(&mut tx, seq).await?;
    tx.commit().await?;
    audit::clinician_writes(&state.db, &user, &batch.clinician_writes).await?;
    Ok(Json(PushResponse::Done { results }))
}

/// Takes the sync counter's row for this transaction (writers run one after another,
/// so versions are committed in order) and returns its value.
pub(crate) async fn take_counter(tx: &mut Transaction<'static, Any>) -> Result<i64, AppError> {
    sqlx::query("UPDATE sync_counter SET seq = seq WHERE id = 1")
        .execute(&mut **tx)
        .await?;
    Ok(
        sqlx::query_scalar("SELECT seq FROM sync_counter WHERE id = 1")
            .fetch_one(&mut **tx)
            .await?,
    )
}

/// Stores the counter after the versions this transaction wrote.
pub(crate) async fn store_counter(
    tx: &mut Transaction<'static, Any>,
    seq: i64,
) -> Result<(), AppError> {
    sqlx::query("UPDATE sync_counter SET seq = $1 WHERE id = 1")
        .bind(seq)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The client's last applied mutation id; registers a new client to this user. A client
/// id already registered to someone else is refused.
async fn client_last_applied(
    tx: &mut Transaction<'static, Any>,
    client_id: &str,
    user_id: &str,
) -> Result<u64, AppError> {
    let row =
        sqlx::query("SELECT user_id, last_mutation_id FROM sync_clients WHERE client_id = $1")
            .bind(client_id)
            .fetch_optional(&mut **tx)
            .await?;
    match row {
        Some(row) if row.try_get::<String, _>("user_id")? != user_id => {
            Err(AppError::Code(ErrorCode::Forbidden))
        }
        Some(row) => Ok(row.try_get::<i64, _>("last_mutation_id")?.max(0) as u64),
        None => {
            sqlx::query(
                "INSERT INTO sync_clients (client_id, user_id, last_mutation_id, created_at) \
                 VALUES ($1, $2, 0, $3)",
            )
            .bind(client_id)
            .bind(user_id)
            .bind(db::now())
            .execute(&mut **tx)
            .await?;
            Ok(0)
        }
    }
}

async fn stored_outcome(
    tx: &mut Transaction<'static, Any>,
    client_id: &str,
    mutation_id: u64,
) -> Result<Outcome, AppError> {
    let text: String = sqlx::query_scalar(
        "SELECT outcome FROM sync_outcomes WHERE client_id = $1 AND mutation_id = $2",
    )
    .bind(client_id)
    .bind(mutation_id as i64)
    .fetch_one(&mut **tx)
    .await?;
    Ok(serde_json::from_str(&text).map_err(anyhow::Error::from)?)
}

fn refused(reason: Refusal) -> Outcome {
    Outcome::Refused { reason }
}

/// A push's view of the records it touches and the rows it will write.
#[derive(Debug, Default)]
struct Batch {
    /// The touched records as they stand, this push's decisions included.
    stored: HashMap<String, Stored>,
    /// The last write of each record (an earlier write of the same record in this push
    /// is replaced, as it was when each write went out on its own).
    writes: BTreeMap<String, Write>,
    /// Losing bodies: (mutation id, record id, body).
    conflicts: Vec<(i64, String, String)>,
    /// Every decided mutation's outcome: (mutation id, outcome as JSON).
    outcomes: Vec<(i64, String)>,
    /// Events moved in time or place, or called off, whose RSVPs are to be told.
    changed_events: Vec<(String, Event, board::Change)>,
    /// Circulars posted or edited (with their association) or deleted (`None`), whose
    /// read counts are to be written.
    changed_circulars: Vec<(String, Option<String>)>,
    /// The stored attachments the pushed circulars name.
    attachments: BTreeMap<String, circulars::Stored>,
    /// Families whose handbook health staff wrote to in this push, with the count of
    /// records: audited once the push commits.
    clinician_writes: BTreeMap<String, usize>,
    /// What this user's devices have written so far, this push's writes included, and
    /// the most they may.
    usage: records::Usage,
    quota: records::Usage,
}

impl Batch {
    /// Writes the records, the conflicts and the outcomes decided so far, and forgets
    /// them (the view of the stored records stays).
    async fn flush(
        &mut self,
        tx: &mut Transaction<'static, Any>,
        client_id: &str,
        user_id: &str,
    ) -> Result<(), AppError> {
        let now = db::now();
        records::write_many(tx, client_id, &self.writes).await?;
        for (mutation_id, record_id, body) in &self.conflicts {
            sqlx::query(
                "INSERT INTO sync_conflicts (client_id, mutation_id, user_id, record_id, body, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(client_id)
            .bind(*mutation_id)
            .bind(user_id)
            .bind(record_id)
            .bind(body)
            .bind(&now)
            .execute(&mut **tx)
            .await?;
        }
        for chunk in self.outcomes.chunks(records::ROWS_PER_STATEMENT) {
            let values: Vec<String> = (0..chunk.len())
                .map(|i| format!("($1, ${}, ${})", i * 2 + 2, i * 2 + 3))
                .collect();
            let sql = format!(
                "INSERT INTO sync_outcomes (client_id, mutation_id, outcome) VALUES {}",
                values.join(", ")
            );
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(client_id);
            for (mutation_id, outcome) in chunk {
                query = query.bind(*mutation_id).bind(outcome);
            }
            query.execute(&mut **tx).await?;
        }
        self.writes.clear();
        self.conflicts.clear();
        self.outcomes.clear();
        Ok(())
    }
}

/// Decides one mutation against the batch's view of the records and notes its write.
fn apply(
    batch: &mut Batch,
    reach: &Reach,
    client_id: &str,
    mutation: &Mutation,
    seq: &mut i64,
) -> Result<Outcome, AppError> {
    let Some(id) = mutation.op.record_id() else {
        unreachable!("push decides commands itself");
    };
    // A put names an id a client may make, never one in the server's own namespace.
    let id_ok = match mutation.op {
        Op::Put { .. } => ids::is_client_id(id),
        _ => ids::valid_id(id),
    };
    if !id_ok {
        return Ok(refused(Refusal::Validation));
    }
    let stored = batch.stored.get(id);
    // A record of a scope this user cannot read is answered as a missing one would be
    // (a delete changes nothing, a put may not use the id), so ids cannot be probed. A
    // put naming that same scope is refused for the scope, as a new record there would be
    // (a member removed from a family learns nothing new from it).
    let same_scope = matches!(&mutation.op, Op::Put { scope, .. } if stored.is_some_and(|s| s.current.scope == *scope));
    if let Some(s) = stored
        && !reach.read.contains(&s.current.scope)
        && !same_scope
    {
        return Ok(match mutation.op {
            Op::Delete { .. } => Outcome::Applied { version: 0 },
            _ => refused(Refusal::Validation),
        });
    }
    // Only commands write RSVPs, places, attendee lists and notices, never a put or a
    // delete; a resident may only delete a notice once read (in their own scope, below).
    let is_delete = matches!(mutation.op, Op::Delete { .. });
    if stored.is_some_and(|s| {
        commands::written_by_commands(&s.collection)
            && !(is_delete && commands::deletable_by_reader(&s.collection))
    }) {
        return Ok(refused(Refusal::Permission));
    }
    let current = stored.map(|s| &s.current);
    let (collection, scope, body) = match (&mutation.op, stored) {
        (
            Op::Put {
                collection,
                scope,
                body,
                ..
            },
            _,
        ) => {
            let text = serde_json::to_string(body).map_err(anyhow::Error::from)?;
            let collection_ok = (1..=40).contains(&collection.len())
                && collection
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'_');
            if text.len() > BODY_LIMIT || !collection_ok {
                return Ok(refused(Refusal::Validation));
            }
            if let Err(reason) = collections::check(collection, id, scope, body) {
                return Ok(refused(reason));
            }
            if collection == CIRCULAR_COLLECTION && !attachment_ok(&batch.attachments, body) {
                return Ok(refused(Refusal::Validation));
            }
            (collection.clone(), scope.clone(), text)
        }
        (_, Some(stored)) => (
            stored.collection.clone(),
            stored.current.scope.clone(),
            "null".to_owned(),
        ),
        // Deleting what the server never had: nothing to do.
        _ => return Ok(Outcome::Applied { version: 0 }),
    };
    let new_association = match &mutation.op {
        Op::Put { body, .. } if collection == EVENT_COLLECTION => {
            body.get("association_id").and_then(Value::as_str)
        }
        _ => None,
    };
    let owner = stored.and_then(|s| s.owner.as_deref());
    // Checkup findings are the clinician's: health staff write them into a consenting
    // family's handbook (and nothing else there); its guardians read them.
    let allowed = if collection == EVENT_COLLECTION && scope == Scope::public() {
        events::may_write_on_board(reach, stored.map(|_| owner), new_association)
    } else if collection == CLINICIAN_COLLECTION {
        matches!(scope.parts(), ("family", family) if reach.clinician_of.contains(family))
    } else {
        reach.write.contains(&scope)
    };
    if !allowed {
        return Ok(refused(Refusal::Permission));
    }
    // An id keeps its first collection for ever, tombstones too (checked once the
    // writer may write here, so it tells nothing of another scope).
    if let (Op::Put { collection, .. }, Some(s)) = (&mutation.op, stored)
        && *collection != s.collection
    {
        return Ok(refused(Refusal::Validation));
    }
    // Within the writer's quota (a replaced body's old size is not subtracted until the
    // next push reads the usage again).
    let added = match mutation.op {
        Op::Put { .. } => (
            u64::from(stored.is_none_or(|s| s.current.deleted)),
            body.len(),
        ),
        _ => (0, 0),
    };
    let usage = records::Usage {
        records: batch.usage.records + added.0,
        bytes: batch.usage.bytes + added.1 as u64,
    };
    if added.0 + added.1 as u64 > 0
        && (usage.records > batch.quota.records || usage.bytes > batch.quota.bytes)
    {
        return Ok(refused(Refusal::QuotaExceeded));
    }
    if let Err(outcome) = rules::decide_write(&mutation.op, current, client_id) {
        if let (Outcome::Conflict { .. }, Op::Put { body, .. }) = (&outcome, &mutation.op) {
            batch.conflicts.push((
                mutation.id as i64,
                id.to_owned(),
                serde_json::to_string(body).map_err(anyhow::Error::from)?,
            ));
        }
        return Ok(outcome);
    }
    let deleted = matches!(mutation.op, Op::Delete { .. });
    // The owner is the first write's, for ever (`records`).
    let owner = match stored {
        Some(_) => owner.map(str::to_owned),
        None => new_association.map(str::to_owned),
    };
    if collection == CIRCULAR_COLLECTION {
        let association = match scope.parts() {
            ("association", id) if !deleted => Some(id.to_owned()),
            _ => None,
        };
        batch.changed_circulars.push((id.to_owned(), association));
    }
    let event: Option<Event> = match &mutation.op {
        Op::Put { body, .. } if collection == EVENT_COLLECTION => {
            serde_json::from_value(body.clone()).ok()
        }
        _ => None,
    };
    if let (Some(new), Some(old)) = (&event, stored.and_then(|s| s.event.as_ref()))
        && let Some(change) = board::change(old, new)
    {
        batch
            .changed_events
            .push((id.to_owned(), new.clone(), change));
    }
    if collection == CLINICIAN_COLLECTION
        && let ("family", family) = scope.parts()
    {
        *batch.clinician_writes.entry(family.to_owned()).or_default() += 1;
    }
    batch.usage = usage;
    *seq += 1;
    batch.stored.insert(
        id.to_owned(),
        Stored {
            collection: collection.clone(),
            current: Current {
                version: *seq as u64,
                scope: scope.clone(),
                written_by: client_id.to_owned(),
                deleted,
            },
            owner: owner.clone(),
            event,
        },
    );
    batch.writes.insert(
        id.to_owned(),
        Write {
            collection,
            scope,
            owner,
            version: *seq,
            deleted,
            body,
        },
    );
    Ok(Outcome::Applied {
        version: *seq as u64,
    })
}

/// Whether a circular's attachment, if it has one, was uploaded to its association and
/// is described as stored (kind and size).
fn attachment_ok(stored: &BTreeMap<String, circulars::Stored>, body: &Value) -> bool {
    let Some(attachment) = body.get("attachment") else {
        return true;
    };
    let Ok(attachment) =
        serde_json::from_value::<domain::circulars::AttachmentRef>(attachment.clone())
    else {
        return false;
    };
    stored.get(&attachment.id).is_some_and(|s| {
        Some(s.association_id.as_str()) == body.get("association_id").and_then(Value::as_str)
            && s.kind == attachment.kind
            && s.bytes == attachment.bytes
    })
}
