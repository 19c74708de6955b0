//! Offline sync: `POST /api/sync/push` and `GET /api/sync/pull` (docs/sync.md). The
//! decisions are `domain::sync::rules`; this module stores them. Every push is one
//! transaction that first takes the commit counter's row, so writers are serialised and
//! a pull's cursor never skips a row committed out of order.

use std::collections::BTreeSet;

use axum::{
    Json,
    extract::{Query, State},
};
use domain::{
    ErrorCode,
    accounts::Role,
    sync::{
        collections,
        commands::{self, Command},
        protocol::{
            Mutation, MutationResult, Op, Outcome, PullResponse, PushRequest, PushResponse, Record,
            Refusal, Scope,
        },
        rules::{self, Current},
    },
};
use serde::Deserialize;
use sqlx::{Any, Row, Transaction};

use crate::{
    AppState,
    db::{self, Db},
    error::{AppError, JsonBody},
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
}

/// Works out a user's scopes from their account, families and associations.
pub async fn reach(db: &Db, user: &CurrentUser) -> Result<Reach, sqlx::Error> {
    let mut reach = Reach::default();
    reach.read.insert(Scope::public());
    let own = Scope::of("user", &user.id);
    reach.read.insert(own.clone());
    reach.write.insert(own);
    for row in sqlx::query("SELECT family_id, role FROM family_members WHERE user_id = $1")
        .bind(&user.id)
        .fetch_all(&db.pool)
        .await?
    {
        let scope = Scope::of("family", &row.try_get::<String, _>("family_id")?);
        if row.try_get::<String, _>("role")? == "guardian" {
            reach.write.insert(scope.clone());
        }
        reach.read.insert(scope);
    }
    for row in
        sqlx::query("SELECT association_id, role FROM association_members WHERE user_id = $1")
            .bind(&user.id)
            .fetch_all(&db.pool)
            .await?
    {
        let scope = Scope::of("association", &row.try_get::<String, _>("association_id")?);
        if row.try_get::<String, _>("role")? == "editor" {
            reach.write.insert(scope.clone());
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
    // Take the counter's row first: pushes run one after another.
    sqlx::query("UPDATE sync_counter SET seq = seq WHERE id = 1")
        .execute(&mut *tx)
        .await?;
    let mut seq: i64 = sqlx::query_scalar("SELECT seq FROM sync_counter WHERE id = 1")
        .fetch_one(&mut *tx)
        .await?;
    let last = client_last_applied(&mut tx, &request.client_id, &user.id).await?;
    let (already, _) = match rules::plan_push(last, &request.mutations) {
        Ok(plan) => plan,
        Err(last_mutation_id) => return Ok(Json(PushResponse::Gap { last_mutation_id })),
    };
    let mut results = Vec::with_capacity(request.mutations.len());
    for (index, mutation) in request.mutations.iter().enumerate() {
        let outcome = if index < already {
            stored_outcome(&mut tx, &request.client_id, mutation.id).await?
        } else {
            let outcome = apply(
                &mut tx,
                &user,
                &reach,
                &request.client_id,
                mutation,
                &mut seq,
            )
            .await?;
            sqlx::query(
                "INSERT INTO sync_outcomes (client_id, mutation_id, outcome) VALUES ($1, $2, $3)",
            )
            .bind(&request.client_id)
            .bind(mutation.id as i64)
            .bind(serde_json::to_string(&outcome).map_err(anyhow::Error::from)?)
            .execute(&mut *tx)
            .await?;
            outcome
        };
        results.push(MutationResult {
            mutation_id: mutation.id,
            outcome,
        });
    }
    if let Some(last) = request.mutations.last().filter(|m| m.id > last) {
        sqlx::query("UPDATE sync_clients SET last_mutation_id = $1 WHERE client_id = $2")
            .bind(last.id as i64)
            .bind(&request.client_id)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("UPDATE sync_counter SET seq = $1 WHERE id = 1")
        .bind(seq)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Json(PushResponse::Done { results }))
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

async fn apply(
    tx: &mut Transaction<'static, Any>,
    user: &CurrentUser,
    reach: &Reach,
    client_id: &str,
    mutation: &Mutation,
    seq: &mut i64,
) -> Result<Outcome, AppError> {
    let Some(id) = mutation.op.record_id() else {
        let Op::Command { name, args } = &mutation.op else {
            unreachable!("only a command writes no record directly");
        };
        return match Command::parse(name, args) {
            Ok(command) => crate::events::decide(tx, user, reach, client_id, command, seq).await,
            Err(reason) => Ok(refused(reason)),
        };
    };
    if id.is_empty() || id.len() > 64 {
        return Ok(refused(Refusal::Validation));
    }
    let current_row = sqlx::query(
        "SELECT collection, scope, version, deleted, written_by FROM sync_records WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    // Only commands write RSVPs and places, never a put or a delete.
    if let Some(row) = &current_row
        && commands::written_by_commands(&row.try_get::<String, _>("collection")?)
    {
        return Ok(refused(Refusal::Permission));
    }
    let current = match &current_row {
        Some(row) => Some(Current {
            version: row.try_get::<i64, _>("version")?.max(0) as u64,
            scope: Scope(row.try_get("scope")?),
            written_by: row.try_get("written_by")?,
            deleted: row.try_get::<i64, _>("deleted")? == 1,
        }),
        None => None,
    };
    let (collection, scope, body) = match (&mutation.op, &current_row, &current) {
        (
            Op::Put {
                collection,
                scope,
                body,
                ..
            },
            _,
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
            if let Err(reason) = collections::check(collection, scope, body) {
                return Ok(refused(reason));
            }
            (collection.clone(), scope.clone(), text)
        }
        (_, Some(row), Some(current)) => (
            row.try_get::<String, _>("collection")?,
            current.scope.clone(),
            "null".to_owned(),
        ),
        // Deleting what the server never had: nothing to do.
        _ => return Ok(Outcome::Applied { version: 0 }),
    };
    if !reach.write.contains(&scope) {
        return Ok(refused(Refusal::Permission));
    }
    if let Err(outcome) = rules::decide_write(&mutation.op, current.as_ref(), client_id) {
        if let (Outcome::Conflict { .. }, Op::Put { body, .. }) = (&outcome, &mutation.op) {
            sqlx::query(
                "INSERT INTO sync_conflicts (client_id, mutation_id, user_id, record_id, body, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(client_id)
            .bind(mutation.id as i64)
            .bind(&user.id)
            .bind(id)
            .bind(serde_json::to_string(body).map_err(anyhow::Error::from)?)
            .bind(db::now())
            .execute(&mut **tx)
            .await?;
        }
        return Ok(outcome);
    }
    let deleted = matches!(mutation.op, Op::Delete { .. });
    write_record(tx, id, &collection, &scope, &body, deleted, client_id, seq).await?;
    Ok(Outcome::Applied {
        version: *seq as u64,
    })
}

/// Writes a record (a put, a tombstone, or a command's effect) at the next version.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn write_record(
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
    sqlx::query(
        "INSERT INTO sync_records (id, collection, scope, version, deleted, body, written_by, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (id) DO UPDATE SET collection = $2, scope = $3, version = $4, deleted = $5, \
         body = $6, written_by = $7, updated_at = $8",
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
    .await?;
    Ok(())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
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
        (status = 401, description = "`unauthenticated`", body = domain::ApiError),
        (status = 403, description = "`forbidden`: the client id belongs to another account", body = domain::ApiError),
    )
)]
pub async fn pull(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<PullQuery>,
) -> Result<Json<PullResponse>, AppError> {
    if !valid_client_id(&query.client_id) {
        return Err(AppError::Code(ErrorCode::BadRequest));
    }
    let owner: Option<String> =
        sqlx::query_scalar("SELECT user_id FROM sync_clients WHERE client_id = $1")
            .bind(&query.client_id)
            .fetch_optional(&state.db.pool)
            .await?;
    if owner.is_some_and(|owner| owner != user.id) {
        return Err(AppError::Code(ErrorCode::Forbidden));
    }
    let reach = reach(&state.db, &user).await?;
    // Read the counter first: every version up to it is committed (writers hold its row).
    let upto: i64 = sqlx::query_scalar("SELECT seq FROM sync_counter WHERE id = 1")
        .fetch_one(&state.db.pool)
        .await?;
    let cursor = query.cursor.min(i64::MAX as u64) as i64;
    let scopes: Vec<&Scope> = reach.read.iter().collect();
    let placeholders: Vec<String> = (0..scopes.len()).map(|i| format!("${}", i + 4)).collect();
    let sql = format!(
        "SELECT id, collection, scope, version, deleted, body FROM sync_records \
         WHERE version > $1 AND version <= $2 AND scope IN ({}) ORDER BY version LIMIT $3",
        placeholders.join(", ")
    );
    let mut changed = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(cursor)
        .bind(upto)
        .bind(PULL_PAGE + 1);
    for scope in &scopes {
        changed = changed.bind(&scope.0);
    }
    let mut rows = changed.fetch_all(&state.db.pool).await?;
    let has_more = rows.len() as i64 > PULL_PAGE;
    rows.truncate(PULL_PAGE as usize);
    let mut records = Vec::new();
    // A scope the client does not hold yet arrives whole, whatever the cursor.
    let known: BTreeSet<&str> = query.scopes.split(',').filter(|s| !s.is_empty()).collect();
    for scope in reach.read.iter().filter(|s| !known.contains(s.0.as_str())) {
        let older = sqlx::query(
            "SELECT id, collection, scope, version, deleted, body FROM sync_records \
             WHERE scope = $1 AND version <= $2 AND deleted = 0 ORDER BY version",
        )
        .bind(&scope.0)
        .bind(cursor.min(upto))
        .fetch_all(&state.db.pool)
        .await?;
        for row in older {
            records.push(record_from(&row)?);
        }
    }
    let mut next = cursor.max(0);
    for row in &rows {
        let record = record_from(row)?;
        next = record.version as i64;
        records.push(record);
    }
    if !has_more {
        next = upto.max(cursor);
    }
    Ok(Json(PullResponse {
        records,
        scopes: reach.read.into_iter().collect(),
        cursor: next.max(0) as u64,
        has_more,
    }))
}

fn record_from(row: &sqlx::any::AnyRow) -> Result<Record, AppError> {
    let body: String = row.try_get("body")?;
    Ok(Record {
        id: row.try_get("id")?,
        collection: row.try_get("collection")?,
        scope: Scope(row.try_get("scope")?),
        version: row.try_get::<i64, _>("version")?.max(0) as u64,
        deleted: row.try_get::<i64, _>("deleted")? == 1,
        body: serde_json::from_str(&body).map_err(anyhow::Error::from)?,
    })
}
