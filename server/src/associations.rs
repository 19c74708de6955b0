//! 町会・自治会: the neighbourhood associations, public to every visitor.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use domain::{
    ErrorCode,
    accounts::Role,
    associations::{Association, AssociationMember, AssociationRole, MemberRole, NewAssociation},
};
use sqlx::Row;

use crate::{
    AppState, audit,
    db::Db,
    error::{AppError, JsonBody},
    sessions::CurrentUser,
};

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

/// Creates an association (admins).
#[utoipa::path(
    post,
    path = "/api/associations",
    tag = "associations",
    request_body = NewAssociation,
    responses(
        (status = 201, description = "The new association", body = Association),
        (status = 401, description = "`unauthenticated`", body = domain::ApiError),
        (status = 403, description = "`forbidden`: not an admin", body = domain::ApiError),
        (status = 409, description = "`association_slug_taken`", body = domain::ApiError),
        (status = 422, description = "`association_invalid`", body = domain::ApiError),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(form): JsonBody<NewAssociation>,
) -> Result<(StatusCode, Json<Association>), AppError> {
    if !user.has_role(Role::Admin) {
        return Err(AppError::Code(ErrorCode::Forbidden));
    }
    let form = form.validate()?;
    let association = Association {
        id: uuid::Uuid::now_v7().to_string(),
        slug: form.slug,
        name: form.name,
        area: form.area,
    };
    if !insert_if_missing(&state.db, &association).await? {
        return Err(AppError::Code(ErrorCode::AssociationSlugTaken));
    }
    audit::record(
        &state.db,
        audit::Event {
            actor: Some(&user),
            action: "association.create",
            object_type: "association",
            object_id: &association.id,
            outcome: audit::Outcome::Allowed,
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(association)))
}

async fn exists(db: &Db, id: &str) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query("SELECT id FROM associations WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .is_some())
}

/// The caller's part in an association, if any.
pub async fn role_in(
    db: &Db,
    association_id: &str,
    user_id: &str,
) -> Result<Option<AssociationRole>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT role FROM association_members WHERE association_id = $1 AND user_id = $2",
    )
    .bind(association_id)
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row
        .and_then(|row| row.try_get::<String, _>("role").ok())
        .and_then(|role| AssociationRole::parse(&role)))
}

/// Joins an association as a member, to receive its circulars.
#[utoipa::path(
    post,
    path = "/api/associations/{id}/join",
    tag = "associations",
    params(("id" = String, Path, description = "The association's id")),
    responses(
        (status = 204, description = "You are a member"),
        (status = 401, description = "`unauthenticated`", body = domain::ApiError),
        (status = 404, description = "No such association", body = domain::ApiError),
        (status = 409, description = "`already_member`", body = domain::ApiError),
    )
)]
pub async fn join(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    if !exists(&state.db, &id).await? {
        return Err(AppError::Code(ErrorCode::NotFound));
    }
    if !add_member(&state.db, &id, &user.id, AssociationRole::Member).await? {
        return Err(AppError::Code(ErrorCode::AlreadyMember));
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Adds a member with a role unless they are one already; true when added.
pub async fn add_member(
    db: &Db,
    association_id: &str,
    user_id: &str,
    role: AssociationRole,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "INSERT INTO association_members (association_id, user_id, role, joined_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (association_id, user_id) DO NOTHING",
    )
    .bind(association_id)
    .bind(user_id)
    .bind(role.as_str())
    .bind(crate::db::now())
    .execute(&db.pool)
    .await?
    .rows_affected()
        == 1)
}

/// The members of an association (its editors and admins only).
#[utoipa::path(
    get,
    path = "/api/associations/{id}/members",
    tag = "associations",
    params(("id" = String, Path, description = "The association's id")),
    responses(
        (status = 200, description = "Members, editors first", body = Vec<AssociationMember>),
        (status = 401, description = "`unauthenticated`", body = domain::ApiError),
        (status = 403, description = "`forbidden`: not this association's editor", body = domain::ApiError),
        (status = 404, description = "No such association", body = domain::ApiError),
    )
)]
pub async fn members(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<AssociationMember>>, AppError> {
    if !exists(&state.db, &id).await? {
        return Err(AppError::Code(ErrorCode::NotFound));
    }
    let editor = role_in(&state.db, &id, &user.id).await? == Some(AssociationRole::Editor);
    if !(editor || user.has_role(Role::Admin)) {
        return Err(AppError::Code(ErrorCode::Forbidden));
    }
    let rows = sqlx::query(
        "SELECT m.user_id, u.display_name, m.role FROM association_members m \
         JOIN users u ON u.id = m.user_id WHERE m.association_id = $1 \
         ORDER BY m.role, u.display_name, m.user_id",
    )
    .bind(&id)
    .fetch_all(&state.db.pool)
    .await?;
    let members = rows
        .iter()
        .map(|row| {
            Ok(AssociationMember {
                user_id: row.try_get("user_id")?,
                display_name: row.try_get("display_name")?,
                role: AssociationRole::parse(&row.try_get::<String, _>("role")?)
                    .unwrap_or(AssociationRole::Member),
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(Json(members))
}

/// Makes an account an editor or a plain member of an association (admins).
#[utoipa::path(
    put,
    path = "/api/associations/{id}/members/{user_id}",
    tag = "associations",
    params(
        ("id" = String, Path, description = "The association's id"),
        ("user_id" = String, Path, description = "The account"),
    ),
    request_body = MemberRole,
    responses(
        (status = 204, description = "Set"),
        (status = 403, description = "`forbidden`: not an admin", body = domain::ApiError),
        (status = 404, description = "No such association or account", body = domain::ApiError),
    )
)]
pub async fn set_member_role(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, member)): Path<(String, String)>,
    JsonBody(form): JsonBody<MemberRole>,
) -> Result<StatusCode, AppError> {
    if !user.has_role(Role::Admin) {
        return Err(AppError::Code(ErrorCode::Forbidden));
    }
    let account = sqlx::query("SELECT id FROM users WHERE id = $1")
        .bind(&member)
        .fetch_optional(&state.db.pool)
        .await?;
    if account.is_none() || !exists(&state.db, &id).await? {
        return Err(AppError::Code(ErrorCode::NotFound));
    }
    if !add_member(&state.db, &id, &member, form.role).await? {
        sqlx::query(
            "UPDATE association_members SET role = $1 WHERE association_id = $2 AND user_id = $3",
        )
        .bind(form.role.as_str())
        .bind(&id)
        .bind(&member)
        .execute(&state.db.pool)
        .await?;
    }
    let action = match form.role {
        AssociationRole::Editor => "association.role.editor",
        AssociationRole::Member => "association.role.member",
    };
    audit::record(
        &state.db,
        audit::Event {
            actor: Some(&user),
            action,
            object_type: "account",
            object_id: &format!("{member}@{id}"),
            outcome: audit::Outcome::Allowed,
        },
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
