//! Server-side sessions. The cookie `__Host-tsunagaru` carries 32 random bytes; the
//! database keeps only their SHA-256, so a leaked database cannot be replayed as cookies.
//! A session ends after `session_idle_hours` without use and `session_max_days` after
//! sign-in at the latest; signing out or changing the password ends it on the server.

use axum::{
    extract::{FromRequestParts, OptionalFromRequestParts},
    http::{HeaderMap, HeaderValue, header, request::Parts},
};
use domain::{ErrorCode, accounts::Role};
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::{
    AppState,
    db::{self, Db},
    error::AppError,
};

pub const COOKIE_NAME: &str = "__Host-tsunagaru";

/// The signed-in user behind a request, with the session it came with.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    /// The public id of the session (listed on the account page).
    pub session_id: String,
    /// SHA-256 of the cookie secret: the session's key in the database.
    pub token_hash: String,
}

impl CurrentUser {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// What the audit log records for the session: a hash of its key, never the key.
    pub fn session_fingerprint(&self) -> String {
        hex(&Sha256::digest(format!("audit:{}", self.token_hash)))[..16].to_owned()
    }
}

/// A new session: the secret for the cookie (shown once) and its public id.
pub struct NewSession {
    pub token: String,
    pub id: String,
}

/// Starts a session for `user_id` and returns the cookie secret.
pub async fn create(state: &AppState, user_id: &str, device: &str) -> Result<NewSession, AppError> {
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).map_err(|_| AppError::Code(ErrorCode::Internal))?;
    let token = hex(&secret);
    let id = uuid::Uuid::now_v7().to_string();
    let now = jiff::Timestamp::now();
    let expires =
        now + jiff::SignedDuration::from_hours(24 * i64::from(state.security.session_max_days));
    sqlx::query(
        "INSERT INTO sessions (id, token_hash, user_id, device, created_at, last_seen_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $5, $6)",
    )
    .bind(&id)
    .bind(token_hash(&token))
    .bind(user_id)
    .bind(device)
    .bind(db::timestamp(now))
    .bind(db::timestamp(expires))
    .execute(&state.db.pool)
    .await?;
    Ok(NewSession { token, id })
}

/// Ends one session by its cookie key.
pub async fn end(db: &Db, token_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// The `Set-Cookie` value that stores a session in the browser until its absolute end.
pub fn cookie(token: &str, max_age_days: u32) -> HeaderValue {
    let max_age = u64::from(max_age_days) * 24 * 3600;
    HeaderValue::from_str(&format!(
        "{COOKIE_NAME}={token}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age={max_age}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The `Set-Cookie` value that deletes the session cookie.
pub fn removal_cookie() -> HeaderValue {
    HeaderValue::from_static("__Host-tsunagaru=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0")
}

/// The session secret sent with a request, if any.
pub fn token_from(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| cookie::Cookie::parse(pair.trim()).ok())
        .find(|c| c.name() == COOKIE_NAME)
        .map(|c| c.value().to_owned())
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Finds the live session for a cookie secret, ending it if it has run out, and notes
/// its use (at most once a minute, to spare the database a write per request).
pub async fn lookup(state: &AppState, token: &str) -> Result<Option<CurrentUser>, AppError> {
    let hash = token_hash(token);
    // The session, its user and the user's roles in one round trip: a row per role (one
    // row with no role for a user without any).
    let rows = sqlx::query(
        "SELECT s.id, s.user_id, s.last_seen_at, s.expires_at, u.display_name, r.role \
         FROM sessions s JOIN users u ON u.id = s.user_id \
         LEFT JOIN user_roles r ON r.user_id = s.user_id WHERE s.token_hash = $1",
    )
    .bind(&hash)
    .fetch_all(&state.db.pool)
    .await?;
    let Some(row) = rows.first() else {
        return Ok(None);
    };
    let last_seen: String = row.try_get("last_seen_at")?;
    let expires: String = row.try_get("expires_at")?;
    let now = jiff::Timestamp::now();
    let idle_limit = db::parse_timestamp(&last_seen).map(|t| {
        t + jiff::SignedDuration::from_hours(i64::from(state.security.session_idle_hours))
    });
    let alive = idle_limit.is_some_and(|t| t > now)
        && db::parse_timestamp(&expires).is_some_and(|t| t > now);
    if !alive {
        end(&state.db, &hash).await?;
        return Ok(None);
    }
    if db::parse_timestamp(&last_seen)
        .is_some_and(|t| now.duration_since(t) > jiff::SignedDuration::from_secs(60))
    {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(db::timestamp(now))
            .bind(&hash)
            .execute(&state.db.pool)
            .await?;
    }
    let user_id: String = row.try_get("user_id")?;
    let mut roles = Vec::new();
    for row in &rows {
        if let Some(role) = row.try_get::<Option<String>, _>("role")?
            && let Some(role) = Role::parse(&role)
        {
            roles.push(role);
        }
    }
    roles.sort();
    Ok(Some(CurrentUser {
        id: user_id,
        display_name: row.try_get("display_name")?,
        roles,
        session_id: row.try_get("id")?,
        token_hash: hash,
    }))
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        <CurrentUser as OptionalFromRequestParts<AppState>>::from_request_parts(parts, state)
            .await?
            .ok_or(AppError::Code(ErrorCode::Unauthenticated))
    }
}

impl OptionalFromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, AppError> {
        if let Some(user) = parts.extensions.get::<CurrentUser>() {
            return Ok(Some(user.clone()));
        }
        let Some(token) = token_from(&parts.headers) else {
            return Ok(None);
        };
        let user = lookup(state, &token).await?;
        if let Some(user) = &user {
            parts.extensions.insert(user.clone());
        }
        Ok(user)
    }
}

/// A short, coarse description of the device from its `User-Agent`, for the list of
/// signed-in devices: browser and system only, never the full string.
pub fn device_from(headers: &HeaderMap) -> String {
    let ua = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let browser = if ua.contains("Edg/") {
        "Edge"
    } else if ua.contains("Firefox/") {
        "Firefox"
    } else if ua.contains("Chrome/") || ua.contains("Chromium/") || ua.contains("CriOS/") {
        "Chrome"
    } else if ua.contains("Safari/") {
        "Safari"
    } else {
        "ブラウザ"
    };
    let system = if ua.contains("Android") {
        "Android"
    } else if ua.contains("iPhone") {
        "iPhone"
    } else if ua.contains("iPad") {
        "iPad"
    } else if ua.contains("Windows") {
        "Windows"
    } else if ua.contains("Mac OS") {
        "Mac"
    } else if ua.contains("Linux") {
        "Linux"
    } else {
        "?"
    };
    format!("{browser} / {system}")
}

/// Lists the live sessions of a user, newest first.
pub async fn list(
    state: &AppState,
    user: &CurrentUser,
) -> Result<Vec<domain::accounts::SessionInfo>, AppError> {
    let rows = sqlx::query(
        "SELECT id, device, created_at, last_seen_at, expires_at FROM sessions \
         WHERE user_id = $1 ORDER BY created_at DESC, id DESC",
    )
    .bind(&user.id)
    .fetch_all(&state.db.pool)
    .await?;
    let now = jiff::Timestamp::now();
    let idle = jiff::SignedDuration::from_hours(i64::from(state.security.session_idle_hours));
    let mut sessions = Vec::new();
    for row in rows {
        let last_seen_at: String = row.try_get("last_seen_at")?;
        let expires_at: String = row.try_get("expires_at")?;
        let live = db::parse_timestamp(&last_seen_at).is_some_and(|t| t + idle > now)
            && db::parse_timestamp(&expires_at).is_some_and(|t| t > now);
        if !live {
            continue;
        }
        let id: String = row.try_get("id")?;
        sessions.push(domain::accounts::SessionInfo {
            current: id == user.session_id,
            id,
            device: row.try_get("device")?,
            created_at: row.try_get("created_at")?,
            last_seen_at,
            expires_at,
        });
    }
    Ok(sessions)
}
