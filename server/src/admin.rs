//! The ward admin's tools: accounts and their roles, and the audit log.

use axum::{
    Json,
    extract::{Path, Query, State},
};
use domain::{
    ErrorCode,
    accounts::Role,
    admin::{AuditPage, AuditVerification, RolesUpdate, UserSummary},
};
use serde::Deserialize;
use sqlx::Row;

use crate::{
    AppState, accounts, audit,
    db::{self, Db},
    error::{AppError, JsonBody},
    sessions::CurrentUser,
};

fn require_admin(user: &CurrentUser) -> Result<(), AppError> {
    if user.has_role(Role::Admin) {
        Ok(())
    } else {
        Err(AppError::Code(ErrorCode::Forbidden))
    }
}

/// Every account with its ward roles.
#[utoipa::path(
    get,
    path = "/api/admin/users",
    tag = "admin",
    responses(
        (status = 200, description = "Accounts by name", body = Vec<UserSummary>),
        (status = 401, description = "`unauthenticated`", body = domain::ApiError),
        (status = 403, description = "`forbidden`: not an admin", body = domain::ApiError),
    )
)]
pub async fn users(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<UserSummary>>, AppError> {
    require_admin(&user)?;
    let rows = sqlx::query("SELECT id FROM users ORDER BY login")
        .fetch_all(&state.db.pool)
        .await?;
    let mut list = Vec::with_capacity(rows.len());
    for row in rows {
        list.push(summary(&state.db, &row.try_get::<String, _>("id")?).await?);
    }
    Ok(Json(list))
}

async fn summary(db: &Db, id: &str) -> Result<UserSummary, AppError> {
    let row = sqlx::query("SELECT id, login, display_name, created_at FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(AppError::Code(ErrorCode::NotFound))?;
    Ok(UserSummary {
        id: row.try_get("id")?,
        login: row.try_get("login")?,
        display_name: row.try_get("display_name")?,
        roles: accounts::roles_of(db, id).await?,
        created_at: row.try_get("created_at")?,
    })
}

/// Sets the complete list of an account's ward roles; each grant and removal is audited.
#[utoipa::path(
    put,
    path = "/api/admin/users/{id}/roles",
    tag = "admin",
    params(("id" = String, Path, description = "The account")),
    request_body = RolesUpdate,
    responses(
        (status = 200, description = "The account after the change", body = UserSummary),
        (status = 403, description = "`forbidden`: not an admin; `own_roles`: granting a role to yourself", body = domain::ApiError),
        (status = 404, description = "No such account", body = domain::ApiError),
        (status = 422, description = "`roles_incompatible`: admin and health_staff together", body = domain::ApiError),
    )
)]
pub async fn set_roles(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    JsonBody(form): JsonBody<RolesUpdate>,
) -> Result<Json<UserSummary>, AppError> {
    require_admin(&user)?;
    let before = summary(&state.db, &id).await?.roles;
    // Separation of duties: no one grants a role to themself, and the admin who grants
    // roles never also reads the health centre's handbooks.
    if id == user.id && form.roles.iter().any(|role| !before.contains(role)) {
        return Err(AppError::Code(ErrorCode::OwnRoles));
    }
    if form.roles.contains(&Role::Admin) && form.roles.contains(&Role::HealthStaff) {
        return Err(AppError::Code(ErrorCode::RolesIncompatible));
    }
    let mut events = Vec::new();
    let mut tx = state.db.begin_write().await?;
    for role in Role::ALL {
        let wanted = form.roles.contains(&role);
        let held = before.contains(&role);
        if wanted && !held {
            sqlx::query("INSERT INTO user_roles (user_id, role, granted_at) VALUES ($1, $2, $3)")
                .bind(&id)
                .bind(role.as_str())
                .bind(db::now())
                .execute(&mut *tx)
                .await?;
            events.push(format!("role.grant.{}", role.as_str()));
        } else if !wanted && held {
            sqlx::query("DELETE FROM user_roles WHERE user_id = $1 AND role = $2")
                .bind(&id)
                .bind(role.as_str())
                .execute(&mut *tx)
                .await?;
            events.push(format!("role.revoke.{}", role.as_str()));
        }
    }
    tx.commit().await?;
    for action in &events {
        audit::record(
            &state.db,
            audit::Event {
                actor: Some(&user),
                action,
                object_type: "account",
                object_id: &id,
                outcome: audit::Outcome::Allowed,
            },
        )
        .await?;
    }
    Ok(Json(summary(&state.db, &id).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only entries older than this sequence number.
    pub before: Option<i64>,
    /// At most this many entries (1–200, default 50).
    pub limit: Option<i64>,
}

/// The audit log, newest first.
#[utoipa::path(
    get,
    path = "/api/admin/audit",
    tag = "admin",
    params(AuditQuery),
    responses(
        (status = 200, description = "A page of entries", body = AuditPage),
        (status = 403, description = "`forbidden`: not an admin", body = domain::ApiError),
    )
)]
pub async fn audit_log(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<AuditQuery>,
) -> Result<Json<AuditPage>, AppError> {
    require_admin(&user)?;
    Ok(Json(
        audit::page(&state.db, query.before, query.limit.unwrap_or(50)).await?,
    ))
}

/// Checks the audit log's hash chain.
#[utoipa::path(
    get,
    path = "/api/admin/audit/verify",
    tag = "admin",
    responses(
        (status = 200, description = "Whether every entry is as written", body = AuditVerification),
        (status = 403, description = "`forbidden`: not an admin", body = domain::ApiError),
    )
)]
pub async fn verify_audit(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<AuditVerification>, AppError> {
    require_admin(&user)?;
    Ok(Json(audit::verify(&state.db).await?))
}

/// Signs an account out on every device (a lost phone, a compromised account).
#[utoipa::path(
    delete,
    path = "/api/admin/users/{id}/sessions",
    tag = "admin",
    params(("id" = String, Path, description = "The account")),
    responses(
        (status = 204, description = "Every session of the account has ended"),
        (status = 403, description = "`forbidden`: not an admin", body = domain::ApiError),
        (status = 404, description = "No such account", body = domain::ApiError),
    )
)]
pub async fn end_sessions(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<axum::http::StatusCode, AppError> {
    require_admin(&user)?;
    summary(&state.db, &id).await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(&id)
        .execute(&state.db.pool)
        .await?;
    audit::record(
        &state.db,
        audit::Event {
            actor: Some(&user),
            action: "sessions.end_all",
            object_type: "account",
            object_id: &id,
            outcome: audit::Outcome::Allowed,
        },
    )
    .await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
