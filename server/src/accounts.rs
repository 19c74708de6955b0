//! Accounts: sign-up, sign-in, sign-out, the signed-in user (`/api/me`), password change
//! and the list of signed-in devices.

use axum::{
    Json,
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use domain::{
    ErrorCode,
    accounts::{
        self, AssociationMembership, ChangePassword, FamilySummary, Me, PasswordChanged, Role,
        SessionInfo, SignIn, SignUp,
    },
    associations::AssociationRole,
    families::FamilyRole,
};
use sqlx::Row;

use crate::{
    AppState, audit,
    db::{self, Db},
    devices,
    error::{AppError, JsonBody},
    passwords,
    sessions::{self, CurrentUser},
};

/// Creates an account and signs it in.
#[utoipa::path(
    post,
    path = "/api/auth/sign-up",
    tag = "accounts",
    request_body = SignUp,
    responses(
        (status = 201, description = "Signed up and signed in; the session cookie is set", body = Me),
        (status = 409, description = "`login_taken`", body = domain::ApiError),
        (status = 422, description = "A field is not acceptable; the code says which", body = domain::ApiError),
        (status = 429, description = "`rate_limited`", body = domain::ApiError),
    )
)]
pub async fn sign_up(
    State(state): State<AppState>,
    headers: HeaderMap,
    JsonBody(form): JsonBody<SignUp>,
) -> Result<Response, AppError> {
    let login = accounts::validate_login(&form.login)?;
    let display_name = accounts::validate_display_name(&form.display_name)?;
    accounts::validate_password(&form.password, &login)?;
    let hash = passwords::hash(form.password).await?;
    let id = create_user(&state.db, &login, &display_name, &hash)
        .await?
        .ok_or(AppError::Code(ErrorCode::LoginTaken))?;
    let me = signed_in(&state, &headers, &id).await?;
    Ok((StatusCode::CREATED, me).into_response())
}

/// Signs in. An unknown name and a wrong password get the same answer after the same
/// amount of work.
#[utoipa::path(
    post,
    path = "/api/auth/sign-in",
    tag = "accounts",
    request_body = SignIn,
    responses(
        (status = 200, description = "Signed in; a new session cookie is set", body = Me),
        (status = 401, description = "`invalid_credentials`", body = domain::ApiError),
        (status = 429, description = "`rate_limited`, with `retry_after_seconds`", body = domain::ApiError),
    )
)]
pub async fn sign_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    JsonBody(form): JsonBody<SignIn>,
) -> Result<Response, AppError> {
    let login = accounts::normalize_login(&form.login);
    let password = form
        .password
        .chars()
        .take(accounts::PASSWORD_MAX_CHARS + 1)
        .collect();
    let user = sqlx::query("SELECT id, password_hash FROM users WHERE login = $1")
        .bind(&login)
        .fetch_optional(&state.db.pool)
        .await?
        .map(|row| -> Result<(String, String), sqlx::Error> {
            Ok((row.try_get("id")?, row.try_get("password_hash")?))
        })
        .transpose()?;
    // A device that signed in to this account before has a limit of its own (its
    // cookie): a stranger's wrong guesses elsewhere never lock the owner out of it.
    let known_device = match (&user, devices::token_from(&headers)) {
        (Some((id, _)), Some(token)) if devices::is_known(&state.db, &token, id).await? => {
            Some(sessions::token_hash(&token))
        }
        _ => None,
    };
    let allowed = match &known_device {
        Some(device) => state.security.check_device(device),
        None => state.security.check_account(&login),
    };
    if let Err(wait) = allowed {
        let key = crate::security::account_key(&login);
        if state.security.burst_audit_limiter.check_key(&key).is_ok() {
            let object_id = match &user {
                Some((id, _)) => id.clone(),
                None => format!("unknown:{}", &sessions::token_hash(&key)[..16]),
            };
            audit::record(
                &state.db,
                audit::Event {
                    actor: None,
                    action: "sign_in.rate_limited",
                    object_type: "account",
                    object_id: &object_id,
                    outcome: audit::Outcome::Denied,
                },
            )
            .await?;
        }
        tracing::warn!("sign-in refused: too many attempts for one account");
        return Err(AppError::RateLimited(wait));
    }
    let (id, stored) = match user {
        Some((id, hash)) => (Some(id), Some(hash)),
        None => (None, None),
    };
    let valid = passwords::verify(password, stored).await?;
    let Some(id) = id.filter(|_| valid) else {
        // Never the typed name: people type passwords into the name field.
        tracing::warn!(method = "password", "sign-in failed");
        return Err(AppError::Code(ErrorCode::InvalidCredentials));
    };
    let me = signed_in(&state, &headers, &id).await?;
    tracing::info!(user = %id, method = "password", "signed in");
    Ok(me.into_response())
}

/// Ends any session the request came with, starts a new one (so a session id planted
/// before sign-in is worthless) and answers with the user and the cookie.
async fn signed_in(
    state: &AppState,
    headers: &HeaderMap,
    user_id: &str,
) -> Result<Response, AppError> {
    if let Some(old) = sessions::token_from(headers) {
        sessions::end(&state.db, &sessions::token_hash(&old)).await?;
    }
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND expires_at < $2")
        .bind(user_id)
        .bind(db::now())
        .execute(&state.db.pool)
        .await?;
    let session = sessions::create(state, user_id, &sessions::device_from(headers)).await?;
    let me = me_of(&state.db, user_id).await?;
    let mut response = (
        [(
            header::SET_COOKIE,
            sessions::cookie(&session.token, state.security.session_max_days),
        )],
        Json(me),
    )
        .into_response();
    if let Some(device) = devices::remember(&state.db, headers, user_id).await? {
        response.headers_mut().append(header::SET_COOKIE, device);
    }
    Ok(response)
}

/// Signs out: ends the session on the server, deletes the cookie and asks the browser
/// to clear this site's storage and caches (the app also clears its own data).
#[utoipa::path(
    post,
    path = "/api/auth/sign-out",
    tag = "accounts",
    responses((status = 204, description = "Signed out (also when no one was signed in)"))
)]
pub async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    if let Some(token) = sessions::token_from(&headers) {
        sessions::end(&state.db, &sessions::token_hash(&token)).await?;
    }
    Ok((
        StatusCode::NO_CONTENT,
        [
            (header::SET_COOKIE, sessions::removal_cookie()),
            (
                header::HeaderName::from_static("clear-site-data"),
                HeaderValue::from_static("\"cache\", \"cookies\", \"storage\""),
            ),
        ],
    )
        .into_response())
}

/// The signed-in user, their roles, families and associations.
#[utoipa::path(
    get,
    path = "/api/me",
    tag = "accounts",
    responses(
        (status = 200, description = "The signed-in user", body = Me),
        (status = 401, description = "`unauthenticated`", body = domain::ApiError),
    )
)]
pub async fn me(State(state): State<AppState>, user: CurrentUser) -> Result<Json<Me>, AppError> {
    Ok(Json(me_of(&state.db, &user.id).await?))
}

/// Changes the password and ends every other session of the account.
#[utoipa::path(
    post,
    path = "/api/me/password",
    tag = "accounts",
    request_body = ChangePassword,
    responses(
        (status = 200, description = "Changed; other devices are signed out and the private calendar address, if any, stops working", body = PasswordChanged),
        (status = 401, description = "`unauthenticated`", body = domain::ApiError),
        (status = 422, description = "`current_password_wrong` or a password rule", body = domain::ApiError),
        (status = 429, description = "`rate_limited`: too many changes from this session", body = domain::ApiError),
    )
)]
pub async fn change_password(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(form): JsonBody<ChangePassword>,
) -> Result<Json<PasswordChanged>, AppError> {
    if let Err(wait) = state.security.check_password_change(&user.session_id) {
        tracing::warn!("password change refused: too many attempts from one session");
        return Err(AppError::RateLimited(wait));
    }
    let row = sqlx::query("SELECT login, password_hash FROM users WHERE id = $1")
        .bind(&user.id)
        .fetch_one(&state.db.pool)
        .await?;
    let login: String = row.try_get("login")?;
    let stored: String = row.try_get("password_hash")?;
    if !passwords::verify(form.current_password, Some(stored)).await? {
        return Err(AppError::Code(ErrorCode::CurrentPasswordWrong));
    }
    accounts::validate_password(&form.new_password, &login)?;
    let hash = passwords::hash(form.new_password).await?;
    let mut tx = state.db.begin_write().await?;
    sqlx::query("UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3")
        .bind(&hash)
        .bind(db::now())
        .bind(&user.id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(&user.id)
        .bind(&user.token_hash)
        .execute(&mut *tx)
        .await?;
    // A private calendar address is a key too: whoever may have learnt the old password
    // may have learnt it, so it stops working (the person makes a new one).
    let feeds = sqlx::query("DELETE FROM calendar_feeds WHERE user_id = $1")
        .bind(&user.id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Json(PasswordChanged {
        calendar_feed_stopped: feeds.rows_affected() > 0,
    }))
}

/// The devices signed in to this account.
#[utoipa::path(
    get,
    path = "/api/me/sessions",
    tag = "accounts",
    responses(
        (status = 200, description = "Live sessions, newest first", body = Vec<SessionInfo>),
        (status = 401, description = "`unauthenticated`", body = domain::ApiError),
    )
)]
pub async fn list_sessions(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<SessionInfo>>, AppError> {
    Ok(Json(sessions::list(&state, &user).await?))
}

/// Signs one of your devices out.
#[utoipa::path(
    delete,
    path = "/api/me/sessions/{id}",
    tag = "accounts",
    params(("id" = String, Path, description = "The session's public id")),
    responses(
        (status = 204, description = "That device is signed out"),
        (status = 404, description = "No such session of yours", body = domain::ApiError),
    )
)]
pub async fn end_session(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let ended = sqlx::query("DELETE FROM sessions WHERE id = $1 AND user_id = $2")
        .bind(&id)
        .bind(&user.id)
        .execute(&state.db.pool)
        .await?
        .rows_affected();
    if ended == 0 {
        return Err(AppError::Code(ErrorCode::NotFound));
    }
    if id == user.session_id {
        return Ok((
            StatusCode::NO_CONTENT,
            [(header::SET_COOKIE, sessions::removal_cookie())],
        )
            .into_response());
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Inserts an account; `None` when the log-in name is taken.
pub async fn create_user(
    db: &Db,
    login: &str,
    display_name: &str,
    password_hash: &str,
) -> Result<Option<String>, sqlx::Error> {
    create_user_with_id(
        db,
        &uuid::Uuid::now_v7().to_string(),
        login,
        display_name,
        password_hash,
    )
    .await
}

/// Inserts an account with a given id (demo data); `None` when the name is taken.
pub async fn create_user_with_id(
    db: &Db,
    id: &str,
    login: &str,
    display_name: &str,
    password_hash: &str,
) -> Result<Option<String>, sqlx::Error> {
    let now = db::now();
    let inserted = sqlx::query(
        "INSERT INTO users (id, login, display_name, password_hash, created_at, password_changed_at) \
         VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (login) DO NOTHING",
    )
    .bind(id)
    .bind(login)
    .bind(display_name)
    .bind(password_hash)
    .bind(&now)
    .execute(&db.pool)
    .await?
    .rows_affected();
    Ok((inserted == 1).then(|| id.to_owned()))
}

/// The ward roles an account holds.
pub async fn roles_of(db: &Db, user_id: &str) -> Result<Vec<Role>, sqlx::Error> {
    let rows = sqlx::query("SELECT role FROM user_roles WHERE user_id = $1 ORDER BY role")
        .bind(user_id)
        .fetch_all(&db.pool)
        .await?;
    let mut roles: Vec<Role> = rows
        .iter()
        .filter_map(|row| Role::parse(&row.try_get::<String, _>("role").ok()?))
        .collect();
    roles.sort();
    Ok(roles)
}

/// Grants a ward role (idempotent).
pub async fn grant_role(db: &Db, user_id: &str, role: Role) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO user_roles (user_id, role, granted_at) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id, role) DO NOTHING",
    )
    .bind(user_id)
    .bind(role.as_str())
    .bind(db::now())
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Everything `/api/me` says about a user.
pub async fn me_of(db: &Db, user_id: &str) -> Result<Me, sqlx::Error> {
    let user = sqlx::query("SELECT id, login, display_name FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(&db.pool)
        .await?;
    let families = sqlx::query(
        "SELECT f.id, f.child_name, f.child_birth_date, m.role FROM family_members m \
         JOIN families f ON f.id = m.family_id WHERE m.user_id = $1 ORDER BY f.created_at, f.id",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|row| {
        Ok(FamilySummary {
            id: row.try_get("id")?,
            child_name: row.try_get("child_name")?,
            child_birth_date: row.try_get("child_birth_date")?,
            role: FamilyRole::parse(&row.try_get::<String, _>("role")?)
                .unwrap_or(FamilyRole::Viewer),
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let associations = sqlx::query(
        "SELECT a.id, a.name, m.role FROM association_members m \
         JOIN associations a ON a.id = m.association_id WHERE m.user_id = $1 ORDER BY a.name, a.id",
    )
    .bind(user_id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|row| {
        Ok(AssociationMembership {
            association_id: row.try_get("id")?,
            name: row.try_get("name")?,
            role: AssociationRole::parse(&row.try_get::<String, _>("role")?)
                .unwrap_or(AssociationRole::Member),
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(Me {
        id: user.try_get("id")?,
        login: user.try_get("login")?,
        display_name: user.try_get("display_name")?,
        roles: roles_of(db, user_id).await?,
        families,
        associations,
    })
}
