//! Families: who shares one child's 電子母子手帳. Every route checks the object: a
//! family you are not in (and whose handbook you may not read as consented health staff)
//! answers 404, as if it did not exist. Every read or write by anyone other than a
//! guardian is written to the audit log.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use domain::{
    ErrorCode,
    accounts::Role,
    families::{
        self, AcceptInvite, ChildUpdate, Consent, Family, FamilyMember, FamilyRole,
        INVITE_CODE_CHARS, INVITE_VALID_DAYS, Invite, NewFamily, NewInvite,
    },
};
use sqlx::Row;

use crate::{
    AppState,
    audit::{self, Outcome},
    db::{self, Db},
    error::{AppError, JsonBody},
    sessions::{CurrentUser, token_hash},
};

/// How the caller may reach a family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Member(FamilyRole),
    /// Health staff, and the guardians have consented.
    HealthCentre,
}

impl Access {
    fn can_write_handbook(self) -> bool {
        matches!(
            self,
            Access::Member(FamilyRole::Guardian) | Access::HealthCentre
        )
    }

    fn is_guardian(self) -> bool {
        self == Access::Member(FamilyRole::Guardian)
    }
}

/// Finds how `user` may reach `family_id`, or `not_found` (audited as denied when the
/// family exists, so probing is visible to admins).
pub async fn access(db: &Db, user: &CurrentUser, family_id: &str) -> Result<Access, AppError> {
    let row = sqlx::query(
        "SELECT f.health_centre_consent, m.role FROM families f \
         LEFT JOIN family_members m ON m.family_id = f.id AND m.user_id = $2 WHERE f.id = $1",
    )
    .bind(family_id)
    .bind(&user.id)
    .fetch_optional(&db.pool)
    .await?;
    let Some(row) = row else {
        return Err(AppError::Code(ErrorCode::NotFound));
    };
    let role: Option<String> = row.try_get("role")?;
    if let Some(role) = role.as_deref().and_then(FamilyRole::parse) {
        return Ok(Access::Member(role));
    }
    let consent: i64 = row.try_get("health_centre_consent")?;
    if consent == 1 && user.has_role(Role::HealthStaff) {
        return Ok(Access::HealthCentre);
    }
    record(db, user, "family.access", family_id, Outcome::Denied).await?;
    Err(AppError::Code(ErrorCode::NotFound))
}

async fn record(
    db: &Db,
    user: &CurrentUser,
    action: &str,
    family_id: &str,
    outcome: Outcome,
) -> Result<(), sqlx::Error> {
    audit::record(
        db,
        audit::Event {
            actor: Some(user),
            action,
            object_type: "family",
            object_id: family_id,
            outcome,
        },
    )
    .await
}

/// Audits a handbook read or write unless a guardian did it.
async fn record_unless_guardian(
    db: &Db,
    user: &CurrentUser,
    access: Access,
    action: &str,
    family_id: &str,
) -> Result<(), sqlx::Error> {
    if access.is_guardian() {
        return Ok(());
    }
    record(db, user, action, family_id, Outcome::Allowed).await
}

/// Starts a handbook for a child; the caller becomes its first guardian.
#[utoipa::path(
    post,
    path = "/api/families",
    tag = "families",
    request_body = NewFamily,
    responses(
        (status = 201, description = "The new family", body = Family),
        (status = 401, description = "`unauthenticated`", body = domain::ApiError),
        (status = 422, description = "`child_name_invalid` or `birth_date_invalid`", body = domain::ApiError),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(form): JsonBody<NewFamily>,
) -> Result<(StatusCode, Json<Family>), AppError> {
    let child_name = families::validate_child_name(&form.child_name)?;
    let birth_date = families::validate_birth_date(&form.child_birth_date, &db::today_tokyo())?;
    let id = create_family(&state.db, &user.id, &child_name, &birth_date).await?;
    let family = load(&state.db, &id, Access::Member(FamilyRole::Guardian)).await?;
    Ok((StatusCode::CREATED, Json(family)))
}

/// Inserts a family with `guardian` as its first guardian and returns its id.
pub async fn create_family(
    db: &Db,
    guardian: &str,
    child_name: &str,
    birth_date: &str,
) -> Result<String, sqlx::Error> {
    let id = uuid::Uuid::now_v7().to_string();
    insert_family(db, &id, guardian, child_name, birth_date, false).await?;
    Ok(id)
}

/// Inserts a family with a given id unless it exists (demo data).
pub async fn insert_family(
    db: &Db,
    id: &str,
    guardian: &str,
    child_name: &str,
    birth_date: &str,
    consent: bool,
) -> Result<bool, sqlx::Error> {
    let now = db::now();
    let mut tx = db.begin_write().await?;
    let added = sqlx::query(
        "INSERT INTO families (id, child_name, child_birth_date, health_centre_consent, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING",
    )
    .bind(id)
    .bind(child_name)
    .bind(birth_date)
    .bind(i64::from(consent))
    .bind(&now)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if added {
        add_member_in(&mut tx, id, guardian, FamilyRole::Guardian).await?;
    }
    tx.commit().await?;
    Ok(added)
}

async fn add_member_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    family_id: &str,
    user_id: &str,
    role: FamilyRole,
) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(
        "INSERT INTO family_members (family_id, user_id, role, joined_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (family_id, user_id) DO NOTHING",
    )
    .bind(family_id)
    .bind(user_id)
    .bind(role.as_str())
    .bind(db::now())
    .execute(&mut **tx)
    .await?
    .rows_affected())
}

/// Adds a member (demo data and tests); nothing happens if they are one already.
pub async fn add_member(
    db: &Db,
    family_id: &str,
    user_id: &str,
    role: FamilyRole,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    add_member_in(&mut tx, family_id, user_id, role).await?;
    tx.commit().await
}

/// Sets the health-centre consent flag directly (demo data and tests).
pub async fn set_consent(db: &Db, family_id: &str, consent: bool) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE families SET health_centre_consent = $1 WHERE id = $2")
        .bind(i64::from(consent))
        .bind(family_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

async fn load(db: &Db, family_id: &str, access: Access) -> Result<Family, AppError> {
    let row = sqlx::query(
        "SELECT id, child_name, child_birth_date, health_centre_consent FROM families WHERE id = $1",
    )
    .bind(family_id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(AppError::Code(ErrorCode::NotFound))?;
    let members = sqlx::query(
        "SELECT m.user_id, u.display_name, m.role FROM family_members m \
         JOIN users u ON u.id = m.user_id WHERE m.family_id = $1 ORDER BY m.joined_at, m.user_id",
    )
    .bind(family_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|row| {
        Ok(FamilyMember {
            user_id: row.try_get("user_id")?,
            display_name: row.try_get("display_name")?,
            role: FamilyRole::parse(&row.try_get::<String, _>("role")?)
                .unwrap_or(FamilyRole::Viewer),
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(Family {
        id: row.try_get("id")?,
        child_name: row.try_get("child_name")?,
        child_birth_date: row.try_get("child_birth_date")?,
        health_centre_consent: row.try_get::<i64, _>("health_centre_consent")? == 1,
        my_role: match access {
            Access::Member(role) => Some(role),
            Access::HealthCentre => None,
        },
        members,
    })
}

/// One family's handbook cover: the child and the members.
#[utoipa::path(
    get,
    path = "/api/families/{id}",
    tag = "families",
    params(("id" = String, Path, description = "The family's id")),
    responses(
        (status = 200, description = "The family", body = Family),
        (status = 401, description = "`unauthenticated`", body = domain::ApiError),
        (status = 404, description = "No such family that you may see", body = domain::ApiError),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Family>, AppError> {
    let access = access(&state.db, &user, &id).await?;
    record_unless_guardian(&state.db, &user, access, "family.read", &id).await?;
    Ok(Json(load(&state.db, &id, access).await?))
}

/// Corrects the child's name or birth date (guardians, consented health staff).
#[utoipa::path(
    put,
    path = "/api/families/{id}/child",
    tag = "families",
    params(("id" = String, Path, description = "The family's id")),
    request_body = ChildUpdate,
    responses(
        (status = 200, description = "The family after the change", body = Family),
        (status = 403, description = "`forbidden`: a viewer", body = domain::ApiError),
        (status = 404, description = "No such family that you may see", body = domain::ApiError),
        (status = 422, description = "`child_name_invalid` or `birth_date_invalid`", body = domain::ApiError),
    )
)]
pub async fn update_child(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    JsonBody(form): JsonBody<ChildUpdate>,
) -> Result<Json<Family>, AppError> {
    let access = access(&state.db, &user, &id).await?;
    if !access.can_write_handbook() {
        record(&state.db, &user, "family.write", &id, Outcome::Denied).await?;
        return Err(AppError::Code(ErrorCode::Forbidden));
    }
    let child_name = families::validate_child_name(&form.child_name)?;
    let birth_date = families::validate_birth_date(&form.child_birth_date, &db::today_tokyo())?;
    sqlx::query("UPDATE families SET child_name = $1, child_birth_date = $2 WHERE id = $3")
        .bind(&child_name)
        .bind(&birth_date)
        .bind(&id)
        .execute(&state.db.pool)
        .await?;
    record_unless_guardian(&state.db, &user, access, "family.write", &id).await?;
    Ok(Json(load(&state.db, &id, access).await?))
}

/// Lets the ward's health centre read and write this handbook, or stops it (guardians).
#[utoipa::path(
    put,
    path = "/api/families/{id}/consent",
    tag = "families",
    params(("id" = String, Path, description = "The family's id")),
    request_body = Consent,
    responses(
        (status = 200, description = "The family after the change", body = Family),
        (status = 403, description = "`forbidden`: not a guardian", body = domain::ApiError),
        (status = 404, description = "No such family that you may see", body = domain::ApiError),
    )
)]
pub async fn set_consent_route(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    JsonBody(form): JsonBody<Consent>,
) -> Result<Json<Family>, AppError> {
    let access = access(&state.db, &user, &id).await?;
    if !access.is_guardian() {
        return Err(AppError::Code(ErrorCode::Forbidden));
    }
    set_consent(&state.db, &id, form.health_centre).await?;
    let action = if form.health_centre {
        "family.consent.grant"
    } else {
        "family.consent.withdraw"
    };
    record(&state.db, &user, action, &id, Outcome::Allowed).await?;
    Ok(Json(load(&state.db, &id, access).await?))
}

/// Makes a one-time invite code, valid for 7 days (guardians).
#[utoipa::path(
    post,
    path = "/api/families/{id}/invites",
    tag = "families",
    params(("id" = String, Path, description = "The family's id")),
    request_body = NewInvite,
    responses(
        (status = 201, description = "The code, shown only this once", body = Invite),
        (status = 403, description = "`forbidden`: not a guardian", body = domain::ApiError),
        (status = 404, description = "No such family that you may see", body = domain::ApiError),
    )
)]
pub async fn create_invite(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    JsonBody(form): JsonBody<NewInvite>,
) -> Result<(StatusCode, Json<Invite>), AppError> {
    let access = access(&state.db, &user, &id).await?;
    if !access.is_guardian() {
        return Err(AppError::Code(ErrorCode::Forbidden));
    }
    let mut random = [0u8; INVITE_CODE_CHARS];
    getrandom::fill(&mut random).map_err(|_| AppError::Code(ErrorCode::Internal))?;
    let code = families::invite_code_from(random);
    let now = jiff::Timestamp::now();
    let expires_at = db::timestamp(now + jiff::SignedDuration::from_hours(24 * INVITE_VALID_DAYS));
    sqlx::query(
        "INSERT INTO family_invites (code_hash, family_id, role, created_by, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(token_hash(&code))
    .bind(&id)
    .bind(form.role.as_str())
    .bind(&user.id)
    .bind(db::timestamp(now))
    .bind(&expires_at)
    .execute(&state.db.pool)
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(Invite {
            code,
            role: form.role,
            expires_at,
        }),
    ))
}

/// Joins a family with an invite code. The code works once, for 7 days.
#[utoipa::path(
    post,
    path = "/api/invites/accept",
    tag = "families",
    request_body = AcceptInvite,
    responses(
        (status = 200, description = "The family you joined", body = Family),
        (status = 401, description = "`unauthenticated`", body = domain::ApiError),
        (status = 409, description = "`already_member`", body = domain::ApiError),
        (status = 422, description = "`invite_invalid`: unknown, used or expired", body = domain::ApiError),
        (status = 429, description = "`rate_limited`: too many codes tried from this account or address", body = domain::ApiError),
    )
)]
pub async fn accept_invite(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(form): JsonBody<AcceptInvite>,
) -> Result<Json<Family>, AppError> {
    // Guessing is limited per account (here) and per address (the router's limit); a
    // burst is audited once per period.
    if let Err(wait) = state.security.check_invite(&user.id) {
        let key = format!("invite:{}", user.id);
        if state.security.burst_audit_limiter.check_key(&key).is_ok() {
            record(
                &state.db,
                &user,
                "invite.rate_limited",
                &user.id,
                Outcome::Denied,
            )
            .await?;
        }
        return Err(AppError::RateLimited(wait));
    }
    let code = families::normalize_invite_code(&form.code)?;
    let now = db::now();
    let mut tx = state.db.begin_write().await?;
    // Claim the code first: of two people racing with one code, only one wins.
    let claimed = sqlx::query(
        "UPDATE family_invites SET used_at = $1, used_by = $2 \
         WHERE code_hash = $3 AND used_at IS NULL AND expires_at > $1",
    )
    .bind(&now)
    .bind(&user.id)
    .bind(token_hash(&code))
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if claimed != 1 {
        return Err(AppError::Code(ErrorCode::InviteInvalid));
    }
    let row = sqlx::query("SELECT family_id, role FROM family_invites WHERE code_hash = $1")
        .bind(token_hash(&code))
        .fetch_one(&mut *tx)
        .await?;
    let family_id: String = row.try_get("family_id")?;
    let role = FamilyRole::parse(&row.try_get::<String, _>("role")?).unwrap_or(FamilyRole::Viewer);
    if add_member_in(&mut tx, &family_id, &user.id, role).await? != 1 {
        return Err(AppError::Code(ErrorCode::AlreadyMember));
    }
    tx.commit().await?;
    let action = match role {
        FamilyRole::Guardian => "family.join.guardian",
        FamilyRole::Viewer => "family.join.viewer",
    };
    record(&state.db, &user, action, &family_id, Outcome::Allowed).await?;
    Ok(Json(
        load(&state.db, &family_id, Access::Member(role)).await?,
    ))
}

/// Removes a member: a guardian may remove anyone, anyone may leave. The last guardian
/// cannot leave while others remain.
#[utoipa::path(
    delete,
    path = "/api/families/{id}/members/{user_id}",
    tag = "families",
    params(
        ("id" = String, Path, description = "The family's id"),
        ("user_id" = String, Path, description = "The member to remove (yourself to leave)"),
    ),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, description = "`forbidden`: a viewer removing someone else", body = domain::ApiError),
        (status = 404, description = "No such family or member", body = domain::ApiError),
        (status = 409, description = "`last_guardian`", body = domain::ApiError),
    )
)]
pub async fn remove_member(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, member)): Path<(String, String)>,
) -> Result<StatusCode, AppError> {
    let access = access(&state.db, &user, &id).await?;
    if !(access.is_guardian() || (member == user.id && matches!(access, Access::Member(_)))) {
        return Err(AppError::Code(ErrorCode::Forbidden));
    }
    let mut tx = state.db.begin_write().await?;
    // Lock the family first, so two guardians removing each other cannot both succeed.
    sqlx::query("UPDATE families SET id = id WHERE id = $1")
        .bind(&id)
        .execute(&mut *tx)
        .await?;
    let rows = sqlx::query("SELECT user_id, role FROM family_members WHERE family_id = $1")
        .bind(&id)
        .fetch_all(&mut *tx)
        .await?;
    let mut target = None;
    let mut guardians = 0;
    for row in &rows {
        let uid: String = row.try_get("user_id")?;
        let role: String = row.try_get("role")?;
        if role == "guardian" {
            guardians += 1;
        }
        if uid == member {
            target = Some(role);
        }
    }
    let Some(target_role) = target else {
        return Err(AppError::Code(ErrorCode::NotFound));
    };
    if target_role == "guardian" && guardians == 1 && rows.len() > 1 {
        return Err(AppError::Code(ErrorCode::LastGuardian));
    }
    sqlx::query("DELETE FROM family_members WHERE family_id = $1 AND user_id = $2")
        .bind(&id)
        .bind(&member)
        .execute(&mut *tx)
        .await?;
    if rows.len() == 1 {
        // The last member left: the handbook goes with them, its synced records too
        // (no one may read that scope any more, so no tombstone is owed to anyone).
        sqlx::query("DELETE FROM families WHERE id = $1")
            .bind(&id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "DELETE FROM sync_conflicts WHERE record_id IN \
             (SELECT id FROM sync_records WHERE scope = $1)",
        )
        .bind(format!("family:{id}"))
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM sync_records WHERE scope = $1")
            .bind(format!("family:{id}"))
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    record(
        &state.db,
        &user,
        "family.member.remove",
        &id,
        Outcome::Allowed,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The handbooks the health centre may open: families whose guardians consented.
#[utoipa::path(
    get,
    path = "/api/health-centre/families",
    tag = "families",
    responses(
        (status = 200, description = "Consenting families", body = Vec<Family>),
        (status = 401, description = "`unauthenticated`", body = domain::ApiError),
        (status = 403, description = "`forbidden`: not health staff", body = domain::ApiError),
    )
)]
pub async fn health_centre_list(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<Family>>, AppError> {
    if !user.has_role(Role::HealthStaff) {
        return Err(AppError::Code(ErrorCode::Forbidden));
    }
    let ids: Vec<String> = sqlx::query(
        "SELECT id FROM families WHERE health_centre_consent = 1 ORDER BY created_at, id",
    )
    .fetch_all(&state.db.pool)
    .await?
    .iter()
    .map(|row| row.try_get("id"))
    .collect::<Result<_, _>>()?;
    let mut list = Vec::with_capacity(ids.len());
    for id in ids {
        record(&state.db, &user, "family.read", &id, Outcome::Allowed).await?;
        list.push(load(&state.db, &id, Access::HealthCentre).await?);
    }
    Ok(Json(list))
}
