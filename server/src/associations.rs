//! 町会・自治会: the neighbourhood associations, public to every visitor.

use axum::{Json, extract::State};
use domain::associations::Association;
use sqlx::Row;

use crate::{AppState, db::Db, error::AppError};

/// Every association, by name.
#[utoipa::path(
    get,
    path = "/api/associations",
    tag = "associations",
    responses((status = 200, description = "All associations, ordered by name", body = Vec<Association>))
)]
pub async fn list(State(state): State<AppState>) -> Result<Json<Vec<Association>>, AppError> {
    Ok(Json(all(&state.db).await?))
}

pub async fn all(db: &Db) -> Result<Vec<Association>, sqlx::Error> {
    let rows = sqlx::query("SELECT id, slug, name, area FROM associations ORDER BY name, id")
        .fetch_all(&db.pool)
        .await?;
    rows.into_iter()
        .map(|row| {
            Ok(Association {
                id: row.try_get("id")?,
                slug: row.try_get("slug")?,
                name: row.try_get("name")?,
                area: row.try_get("area")?,
            })
        })
        .collect()
}

/// Adds an association unless one with the same slug exists; true when it was added.
pub async fn insert_if_missing(db: &Db, association: &Association) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "INSERT INTO associations (id, slug, name, area, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (slug) DO NOTHING",
    )
    .bind(&association.id)
    .bind(&association.slug)
    .bind(&association.name)
    .bind(&association.area)
    .bind(crate::db::now())
    .execute(&db.pool)
    .await?;
    Ok(result.rows_affected() == 1)
}
