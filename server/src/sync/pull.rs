//! `GET /api/sync/pull`: the changes after a cursor, in commit order, in the scopes the
//! user reaches now (`reach.rs`); a handbook read by anyone but its guardians is audited.

use std::collections::{BTreeMap, BTreeSet};

use axum::{
    Json,
    extract::{Query, State},
};
use domain::{
    ErrorCode,
    sync::protocol::{PullResponse, Scope},
};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use sqlx::Row;

use super::{PULL_PAGE, reach, valid_client_id};
use crate::{AppState, audit, db::Db, error::AppError, sessions::CurrentUser};

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
    // so a removed member stops seeing the family's records at once, and health staff
    // stop seeing a family's the moment its consent is withdrawn). One statement reads
    // one snapshot on both back-ends.
    let sql = format!(
        "SELECT 'n' AS kind, CAST(seq AS TEXT) AS id, '' AS role FROM sync_counter WHERE id = 1 \
         UNION ALL SELECT 'o', user_id, '' FROM sync_clients WHERE client_id = $2 \
         UNION ALL {}",
        reach::rows_sql(&user)
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
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
    let reach = reach::reach_from(&user, &rows)?;
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
