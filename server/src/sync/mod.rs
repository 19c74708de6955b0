//! Offline sync: `POST /api/sync/push` and `GET /api/sync/pull` (docs/sync.md). The
//! decisions are `domain::sync::rules`; this module stores them. Every push is one
//! transaction that first takes the commit counter's row, so writers are serialised and
//! a pull's cursor never skips a row committed out of order.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use axum::{
    Json,
    extract::{Query, State},
};
use domain::{
    ErrorCode,
    accounts::Role,
    circulars::CIRCULAR_COLLECTION,
    events::{self as board, EVENT_COLLECTION, Event},
    sync::{
        collections,
        commands::{self, Command},
        ids,
        protocol::{
            Mutation, MutationResult, Op, Outcome, PullResponse, PushRequest, PushResponse,
            Refusal, Scope,
        },
        rules::{self, Current},
    },
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, value::RawValue};
use sqlx::{Any, Row, Transaction};

pub(crate) use crate::records::write_record;
use crate::{
    AppState, audit, circulars,
    db::{self, Db},
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

/// The scopes a user may read and write now.
#[derive(Debug, Default)]
pub struct Reach {
    pub read: BTreeSet<Scope>,
    pub write: BTreeSet<Scope>,
    /// Associations whose events this user publishes on the board (its editors').
    pub editor_of: BTreeSet<String>,
}

/// Works out a user's scopes from their account, families and associations.
pub async fn reach(db: &Db, user: &CurrentUser) -> Result<Reach, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT 'f' AS kind, family_id AS id, role FROM family_members WHERE user_id = $1 \
         UNION ALL SELECT 'a', association_id, role FROM association_members WHERE user_id = $1",
    )
    .bind(&user.id)
    .fetch_all(&db.pool)
    .await?;
    reach_from(user, &rows)
}

/// A user's scopes from rows of `(kind, id, role)`: kind `f` a family membership, `a` an
/// association membership; rows of any other kind are skipped.
fn reach_from(user: &CurrentUser, rows: &[sqlx::any::AnyRow]) -> Result<Reach, sqlx::Error> {
    let mut reach = Reach::default();
    reach.read.insert(Scope::public());
    let own = Scope::of("user", &user.id);
    reach.read.insert(own.clone());
    reach.write.insert(own);
    for row in rows {
        let kind: String = row.try_get("kind")?;
        let (scope, writer) = match kind.as_str() {
            "f" => (
                Scope::of("family", &row.try_get::<String, _>("id")?),
                "guardian",
            ),
            "a" => (
                Scope::of("association", &row.try_get::<String, _>("id")?),
                "editor",
            ),
            _ => continue,
        };
        if row.try_get::<String, _>("role")? == writer {
            reach.write.insert(scope.clone());
            // An association's editors share a scope of their own: drafts, attendee
            // lists and who has read a circular, which plain members do not see.
            if kind == "a" {
                let id: String = row.try_get("id")?;
                let editors = Scope::of("editors", &id);
                reach.read.insert(editors.clone());
                reach.write.insert(editors);
                reach.editor_of.insert(id);
            }
        }
        reach.read.insert(scope);
    }
    if user.has_role(Role::Admin) {
        reach.write.insert(Scope::public());
    }
    Ok(reach)
}

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
    let allowed = if collection == EVENT_COLLECTION && scope == Scope::public() {
        events::may_write_on_board(reach, stored.map(|_| owner), new_association)
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

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PullQuery {
    pub client_id: String,
    /// The cursor of the last page applied; 0 at first.
    #[serde(default)]
    pub cursor: u64,
    /// The scopes the client already holds, comma-separated.
    #[serde(default)]
    pub scopes: String,
}

/// Changes after the cursor, in commit order, in the scopes the user may see now.
#[utoipa::path(
    get,
    path = "/api/sync/pull",
    tag = "sync",
    params(PullQuery),
    responses(
        (status = 200, description = "A page of changes", body = PullResponse),
        (status = 400, description = "`bad_request`: a malformed client id, cursor or query", body = domain::ApiError),
        (status = 401, description = "`unauthenticated`", body = domain::ApiError),
        (status = 403, description = "`forbidden`: the client id belongs to another account", body = domain::ApiError),
    )
)]
pub async fn pull(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<PullQuery>,
) -> Result<Json<PullPage>, AppError> {
    if !valid_client_id(&query.client_id) {
        return Err(AppError::Code(ErrorCode::BadRequest));
    }
    // One round trip for everything the page depends on: the counter (read before the
    // records, below: every version up to it is committed, since writers hold its row),
    // the client id's owner, and the user's memberships as they are now (never cached,
    // so a removed member stops seeing the family's records at once). One statement
    // reads one snapshot on both back-ends.
    let rows = sqlx::query(
        "SELECT 'n' AS kind, CAST(seq AS TEXT) AS id, '' AS role FROM sync_counter WHERE id = 1 \
         UNION ALL SELECT 'o', user_id, '' FROM sync_clients WHERE client_id = $2 \
         UNION ALL SELECT 'f', family_id, role FROM family_members WHERE user_id = $1 \
         UNION ALL SELECT 'a', association_id, role FROM association_members WHERE user_id = $1",
    )
    .bind(&user.id)
    .bind(&query.client_id)
    .fetch_all(&state.db.pool)
    .await?;
    let mut upto: Option<i64> = None;
    for row in &rows {
        match row.try_get::<String, _>("kind")?.as_str() {
            "n" => {
                let seq: String = row.try_get("id")?;
                upto = Some(seq.parse().map_err(anyhow::Error::from)?);
            }
            "o" if row.try_get::<String, _>("id")? != user.id => {
                return Err(AppError::Code(ErrorCode::Forbidden));
            }
            _ => {}
        }
    }
    let upto = upto.ok_or_else(|| anyhow::anyhow!("the sync counter row is missing"))?;
    let reach = reach_from(&user, &rows)?;
    let cursor = query.cursor.min(i64::MAX as u64) as i64;
    // A scope the client does not hold yet arrives whole, whatever the cursor: its
    // records up to the cursor first, the newer ones in the page. Versions start at 1, so
    // there are none up to a cursor of 0. Every answer holds one page at most: when those
    // older records do not fit in it, the client pages through everything from the start
    // instead (records are idempotent by version).
    let known: BTreeSet<&str> = query.scopes.split(',').filter(|s| !s.is_empty()).collect();
    let unknown: Vec<&Scope> = (reach.read.iter())
        .filter(|s| !known.contains(s.0.as_str()))
        .collect();
    let mut records = Vec::new();
    let mut cursor = cursor;
    let older_upto = cursor.min(upto);
    if older_upto > 0 && !unknown.is_empty() {
        let older = changes(&state.db, &unknown, None, older_upto, PULL_PAGE + 1).await?;
        if older.len() as i64 > PULL_PAGE {
            cursor = 0;
        } else {
            for row in older {
                records.push(record_from(row)?);
            }
        }
    }
    let scopes: Vec<&Scope> = reach.read.iter().collect();
    let room = PULL_PAGE - records.len() as i64;
    let mut rows = changes(&state.db, &scopes, Some(cursor), upto, room + 1).await?;
    let has_more = rows.len() as i64 > room;
    rows.truncate(room as usize);
    let mut next = cursor.max(0);
    for row in rows {
        let record = record_from(row)?;
        next = record.version as i64;
        records.push(record);
    }
    if !has_more {
        next = upto.max(cursor);
    }
    // A handbook read by anyone but its guardians is audited: one entry per family and
    // page, with the count of records and nothing of their content.
    let mut read: BTreeMap<&str, usize> = BTreeMap::new();
    for record in records.iter().filter(|r| !reach.write.contains(&r.scope)) {
        if let ("family", family) = record.scope.parts() {
            *read.entry(family).or_default() += 1;
        }
    }
    audit::sync_reads(&state.db, &user, &read).await?;
    Ok(Json(PullPage {
        records,
        scopes: reach.read.into_iter().collect(),
        cursor: next.max(0) as u64,
        has_more,
    }))
}

/// Records of `scopes` up to version `upto`, in commit order, `limit` at most: the
/// changes after `after`, or (with `None`) the live records, for a scope the client does
/// not hold yet.
async fn changes(
    db: &Db,
    scopes: &[&Scope],
    after: Option<i64>,
    upto: i64,
    limit: i64,
) -> Result<Vec<sqlx::any::AnyRow>, AppError> {
    let placeholders: Vec<String> = (0..scopes.len()).map(|i| format!("${}", i + 4)).collect();
    let which = match after {
        Some(_) => "version > $1",
        None => "deleted = 0 AND $1 = 0",
    };
    let sql = format!(
        "SELECT id, collection, scope, version, deleted, body FROM sync_records \
         WHERE {which} AND version <= $2 AND scope IN ({}) ORDER BY version LIMIT $3",
        placeholders.join(", ")
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(after.unwrap_or(0))
        .bind(upto)
        .bind(limit);
    for scope in scopes {
        query = query.bind(&scope.0);
    }
    Ok(query.fetch_all(&db.pool).await?)
}

/// [`PullResponse`] as the server writes it: each body is the stored JSON text, sent as
/// is instead of parsed and written again. Bodies are stored by `serde_json::to_string`
/// of a parsed value, so the bytes are the same as [`PullResponse`]'s (tested below).
#[derive(Debug, Serialize)]
pub struct PullPage {
    records: Vec<StoredRecord>,
    scopes: Vec<Scope>,
    cursor: u64,
    has_more: bool,
}

/// [`Record`] with its body as stored.
#[derive(Debug, Serialize)]
struct StoredRecord {
    id: String,
    collection: String,
    scope: Scope,
    version: u64,
    deleted: bool,
    body: Box<RawValue>,
}

fn record_from(row: sqlx::any::AnyRow) -> Result<StoredRecord, AppError> {
    let body: String = row.try_get("body")?;
    Ok(StoredRecord {
        id: row.try_get("id")?,
        collection: row.try_get("collection")?,
        scope: Scope(row.try_get("scope")?),
        version: row.try_get::<i64, _>("version")?.max(0) as u64,
        deleted: row.try_get::<i64, _>("deleted")? == 1,
        // Checked as JSON (without building a value): a broken row fails the request.
        body: RawValue::from_string(body).map_err(anyhow::Error::from)?,
    })
}

#[cfg(test)]
mod tests {
    use domain::sync::protocol::Record;
    use serde_json::json;

    use super::*;

    /// A pull page sends each stored body as is; the bytes must be those of the protocol's
    /// `PullResponse`, which parses the body and writes it again.
    #[test]
    fn a_page_of_stored_bodies_is_byte_for_byte_the_protocols() {
        let bodies = [
            json!({}),
            json!({"weight_g": 3120, "note": "熱 37.5\n\"quoted\" \\ <tag> \u{1F338}"}),
            json!({"z": [1, 2.5, -0.0, 1e300, 0.1], "a": {"nested": null, "t": true}}),
            json!({"title": "\u{0}\u{1f}\u{7f}", "n": -9_007_199_254_740_993_i64}),
        ];
        let mut records = Vec::new();
        let mut stored = Vec::new();
        for (n, body) in bodies.iter().enumerate() {
            // What push stores, read back as the pull reads it.
            let text = serde_json::to_string(body).unwrap();
            let reparsed: serde_json::Value = serde_json::from_str(&text).unwrap();
            records.push(Record {
                id: format!("r{n}"),
                collection: "event".into(),
                scope: Scope::public(),
                version: n as u64 + 1,
                deleted: n == 0,
                body: reparsed,
            });
            stored.push(StoredRecord {
                id: format!("r{n}"),
                collection: "event".into(),
                scope: Scope::public(),
                version: n as u64 + 1,
                deleted: n == 0,
                body: RawValue::from_string(text).unwrap(),
            });
        }
        let scopes = vec![Scope::public(), Scope::of("user", "u1")];
        let protocol = PullResponse {
            records,
            scopes: scopes.clone(),
            cursor: 7,
            has_more: true,
        };
        let page = PullPage {
            records: stored,
            scopes,
            cursor: 7,
            has_more: true,
        };
        assert_eq!(
            serde_json::to_string(&page).unwrap(),
            serde_json::to_string(&protocol).unwrap()
        );
    }
}
