//! `GET /api/health`: is the server up and does its database answer?

use axum::{Json, extract::State};
use domain::{
    ErrorCode,
    health::{Health, HealthStatus},
};

use crate::{AppState, error::AppError};

/// Answers `{"status":"ok"}` when the database answers, 503 otherwise.
#[utoipa::path(
    get,
    path = "/api/health",
    tag = "health",
    responses(
        (status = 200, description = "The server and its database answer", body = Health),
        (status = 503, description = "The database does not answer", body = domain::ApiError),
    )
)]
pub async fn health(State(state): State<AppState>) -> Result<Json<Health>, AppError> {
    if state.db.is_healthy().await {
        Ok(Json(Health {
            status: HealthStatus::Ok,
        }))
    } else {
        Err(ErrorCode::DatabaseUnavailable.into())
    }
}
