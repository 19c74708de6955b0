//! Moderation on the server (`domain::moderation`): the `report` command, decided inside
//! a push's transaction, and the admins' review (`GET /api/admin/reports`,
//! `POST /api/admin/moderation/{target_id}`). Reports are kept in the `reports` table;
//! what readers learn is the target's `moderation` record, written in the target's own
//! scope through the same sync write path as everything else, so every phone that
//! sees the target hears of it in its next pull.
//!
//! "Reviewed" is the moderation record itself: once an admin decided (`by: admin`),
//! reports no longer hide the target by themselves; the review closes the open reports
//! (`closed_at`), and newer ones are counted, listed for the admin, and left to them.

use std::collections::{BTreeMap, BTreeSet};

use axum::{
    Json,
    extract::{Path, State},
};
use domain::{
    ErrorCode,
    accounts::Role,
    moderation::{
        self, By, Decision, Kind, MODERATION_COLLECTION, Moderation, REPORT_COLLECTION, Report,
        ReportedTarget,
    },
    sync::protocol::{Outcome, Refusal, Scope},
};
use sqlx::{Any, Row, Transaction};

use crate::{
    AppState, audit, db,
    error::{AppError, JsonBody},
    sessions::CurrentUser,
    sync::{Reach, write_record},
};

/// Who wrote an admin's moderation record (no client pushed it).
const ADMIN_WRITER: &str = "server:admin";

fn refused(reason: Refusal) -> Outcome {
    Outcome::Refused { reason }
}

/// A reportable record as stored: its kind, scope and whether it was deleted.
struct Target {
    kind: Kind,
    scope: Scope,
    deleted: bool,
}

async fn target(
    tx: &mut Transaction<'static, Any>,
    target_id: &str,
) -> Result<Option<Target>, AppError> {
    let row = sqlx::query("SELECT collection, scope, deleted FROM sync_records WHERE id = $1")
        .bind(target_id)
        .fetch_optional(&mut **tx)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let Some(kind) = Kind::of_collection(&row.try_get::<String, _>("collection")?) else {
        return Ok(None);
    };
    Ok(Some(Target {
        kind,
        scope: Scope(row.try_get("scope")?),
        deleted: row.try_get::<i64, _>("deleted")? == 1,
    }))
}

/// Whether an event or circular is hidden now, pending an admin's review.
pub async fn is_hidden(
    tx: &mut Transaction<'static, Any>,
    target_id: &str,
) -> Result<bool, AppError> {
    Ok(current(tx, target_id)
        .await?
        .is_some_and(|m| m.hidden_by().is_some()))
}

/// The target's moderation record, if any.
async fn current(
    tx: &mut Transaction<'static, Any>,
    target_id: &str,
) -> Result<Option<Moderation>, AppError> {
    let body: Option<String> = sqlx::query_scalar(
        "SELECT body FROM sync_records WHERE id = $1 AND collection = $2 AND deleted = 0",
    )
    .bind(moderation::moderation_id(target_id))
    .bind(MODERATION_COLLECTION)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(body.and_then(|b| serde_json::from_str(&b).ok()))
}

async fn write_moderation(
    tx: &mut Transaction<'static, Any>,
    scope: &Scope,
    moderation: &Moderation,
    writer: &str,
    seq: &mut i64,
) -> Result<(), AppError> {
    let body = serde_json::to_string(moderation).map_err(anyhow::Error::from)?;
    write_record(
        tx,
        &moderation::moderation_id(&moderation.target_id),
        MODERATION_COLLECTION,
        scope,
        &body,
        false,
        writer,
        seq,
    )
    .await
}

/// Decides a `report` command: its effects are written in `tx` with versions from `seq`.
pub async fn decide(
    tx: &mut Transaction<'static, Any>,
    user: &CurrentUser,
    reach: &Reach,
    client_id: &str,
    report: (String, String, String),
    seq: &mut i64,
) -> Result<Outcome, AppError> {
    let (report_id, target_id, reason) = report;
    if moderation::check_reason(&reason).is_err() {
        return Ok(refused(Refusal::Validation));
    }
    let Some(found) = target(tx, &target_id).await?.filter(|t| !t.deleted) else {
        return Ok(refused(Refusal::Validation));
    };
    // A target this user cannot see is answered as a missing one is.
    if !reach.read.contains(&found.scope) {
        return Ok(refused(Refusal::Validation));
    }
    let already = sqlx::query("SELECT id FROM reports WHERE target_id = $1 AND user_id = $2")
        .bind(&target_id)
        .bind(&user.id)
        .fetch_optional(&mut **tx)
        .await?;
    if already.is_some() {
        // One report per resident and target: a second one changes nothing.
        return Ok(Outcome::Applied { version: 0 });
    }
    let id_taken = sqlx::query("SELECT id FROM sync_records WHERE id = $1")
        .bind(&report_id)
        .fetch_optional(&mut **tx)
        .await?
        .is_some()
        || sqlx::query("SELECT id FROM reports WHERE id = $1")
            .bind(&report_id)
            .fetch_optional(&mut **tx)
            .await?
            .is_some();
    if id_taken {
        return Ok(refused(Refusal::Validation));
    }
    sqlx::query(
        "INSERT INTO reports (id, target_id, user_id, reason, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&report_id)
    .bind(&target_id)
    .bind(&user.id)
    .bind(&reason)
    .bind(db::now())
    .execute(&mut **tx)
    .await?;
    let own = serde_json::to_string(&Report {
        target_id: target_id.clone(),
    })
    .map_err(anyhow::Error::from)?;
    write_record(
        tx,
        &report_id,
        REPORT_COLLECTION,
        &Scope::of("user", &user.id),
        &own,
        false,
        client_id,
        seq,
    )
    .await?;
    let open: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM reports WHERE target_id = $1 AND closed_at IS NULL",
    )
    .bind(&target_id)
    .fetch_one(&mut **tx)
    .await?;
    let now = current(tx, &target_id).await?;
    if let Some(hide) = moderation::after_report(&target_id, now.as_ref(), open.max(0) as usize) {
        write_moderation(tx, &found.scope, &hide, client_id, seq).await?;
    }
    Ok(Outcome::Applied {
        version: *seq as u64,
    })
}

fn require_admin(user: &CurrentUser) -> Result<(), AppError> {
    if user.has_role(Role::Admin) {
        Ok(())
    } else {
        Err(AppError::Code(ErrorCode::Forbidden))
    }
}

fn title_of(body: &str) -> String {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|b| b.get("title").and_then(|t| t.as_str()).map(str::to_owned))
        .unwrap_or_default()
}

/// Targets with open reports, and targets hidden now: newest report first, then the
/// hidden ones nobody reported since their review.
#[utoipa::path(
    get,
    path = "/api/admin/reports",
    tag = "moderation",
    responses(
        (status = 200, description = "Reported or hidden events and circulars", body = Vec<ReportedTarget>),
        (status = 401, description = "`unauthenticated`", body = domain::ApiError),
        (status = 403, description = "`forbidden`: not an admin", body = domain::ApiError),
    )
)]
pub async fn reports(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<ReportedTarget>>, AppError> {
    require_admin(&user)?;
    let pool = &state.db.pool;
    let mut open: BTreeMap<String, (Vec<String>, String)> = BTreeMap::new();
    let rows = sqlx::query(
        "SELECT target_id, reason, created_at FROM reports WHERE closed_at IS NULL \
         ORDER BY created_at, id",
    )
    .fetch_all(pool)
    .await?;
    for row in rows {
        let entry = open.entry(row.try_get("target_id")?).or_default();
        entry.0.push(row.try_get("reason")?);
        entry.1 = row.try_get("created_at")?;
    }
    let mut decided: BTreeMap<String, Moderation> = BTreeMap::new();
    let rows = sqlx::query("SELECT body FROM sync_records WHERE collection = $1 AND deleted = 0")
        .bind(MODERATION_COLLECTION)
        .fetch_all(pool)
        .await?;
    for row in rows {
        if let Ok(m) = serde_json::from_str::<Moderation>(&row.try_get::<String, _>("body")?) {
            decided.insert(m.target_id.clone(), m);
        }
    }
    let wanted: BTreeSet<&String> = open
        .keys()
        .chain(decided.iter().filter(|(_, m)| m.hidden).map(|(id, _)| id))
        .collect();
    let mut list = Vec::with_capacity(wanted.len());
    for target_id in wanted {
        let row = sqlx::query("SELECT collection, deleted, body FROM sync_records WHERE id = $1")
            .bind(target_id)
            .fetch_optional(pool)
            .await?;
        let Some(row) = row else { continue };
        let Some(kind) = Kind::of_collection(&row.try_get::<String, _>("collection")?) else {
            continue;
        };
        let (reasons, last) = open.get(target_id).cloned().unwrap_or_default();
        let moderation = decided.get(target_id);
        list.push(ReportedTarget {
            target_id: target_id.clone(),
            kind,
            title: title_of(&row.try_get::<String, _>("body")?),
            deleted: row.try_get::<i64, _>("deleted")? == 1,
            hidden: moderation.is_some_and(|m| m.hidden),
            by: moderation.map(|m| m.by),
            reports: reasons.len() as u32,
            reasons,
            last_reported_at: Some(last).filter(|l| !l.is_empty()),
        });
    }
    list.sort_by(|a, b| b.last_reported_at.cmp(&a.last_reported_at));
    Ok(Json(list))
}

/// An admin hides or shows an event or a circular, with a reason: the moderation
/// record goes to every reader, the open reports are closed, the reason is audited.
#[utoipa::path(
    post,
    path = "/api/admin/moderation/{target_id}",
    tag = "moderation",
    params(("target_id" = String, Path, description = "The event or circular")),
    request_body = Decision,
    responses(
        (status = 200, description = "The moderation record as every reader now receives it", body = Moderation),
        (status = 401, description = "`unauthenticated`", body = domain::ApiError),
        (status = 403, description = "`forbidden`: not an admin", body = domain::ApiError),
        (status = 404, description = "No such event or circular", body = domain::ApiError),
        (status = 422, description = "`report_reason_invalid`: the reason is not 1–400 characters", body = domain::ApiError),
    )
)]
pub async fn review(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(target_id): Path<String>,
    JsonBody(decision): JsonBody<Decision>,
) -> Result<Json<Moderation>, AppError> {
    require_admin(&user)?;
    moderation::check_reason(&decision.reason)?;
    let mut tx = state.db.begin_write().await?;
    // As a push does: take the counter's row first, so versions are committed in order.
    sqlx::query("UPDATE sync_counter SET seq = seq WHERE id = 1")
        .execute(&mut *tx)
        .await?;
    let mut seq: i64 = sqlx::query_scalar("SELECT seq FROM sync_counter WHERE id = 1")
        .fetch_one(&mut *tx)
        .await?;
    let found = target(&mut tx, &target_id)
        .await?
        .ok_or(AppError::Code(ErrorCode::NotFound))?;
    let record = Moderation {
        target_id: target_id.clone(),
        hidden: decision.hidden,
        by: By::Admin,
    };
    write_moderation(&mut tx, &found.scope, &record, ADMIN_WRITER, &mut seq).await?;
    sqlx::query("UPDATE reports SET closed_at = $1 WHERE target_id = $2 AND closed_at IS NULL")
        .bind(db::now())
        .bind(&target_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE sync_counter SET seq = $1 WHERE id = 1")
        .bind(seq)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    audit::record_with_reason(
        &state.db,
        audit::Event {
            actor: Some(&user),
            action: if decision.hidden {
                "moderation.hide"
            } else {
                "moderation.show"
            },
            object_type: found.kind.collection(),
            object_id: &target_id,
            outcome: audit::Outcome::Allowed,
        },
        Some(&decision.reason),
    )
    .await?;
    Ok(Json(record))
}
