//! Device cookies (OWASP's answer to lock-outs): a browser that signed in to an account
//! gets `__Host-tsunagaru-device`, 32 random bytes, kept for a year; the database keeps
//! only their SHA-256. A sign-in that brings a device cookie known for that account
//! counts against that device's own limit instead of the account's, so five wrong
//! passwords from anywhere else never lock the owner out of their own phone.

use axum::http::{HeaderMap, HeaderValue, header};
use domain::ErrorCode;

use crate::{
    db::{self, Db},
    error::AppError,
    sessions::{hex, token_hash},
};

pub const COOKIE_NAME: &str = "__Host-tsunagaru-device";

/// How long a device is remembered.
const KEPT_DAYS: i64 = 365;

/// The device secret a request came with, if any.
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

/// Whether `token` is a device that signed in to `user_id` within the last year.
pub async fn is_known(db: &Db, token: &str, user_id: &str) -> Result<bool, sqlx::Error> {
    let since =
        db::timestamp(jiff::Timestamp::now() - jiff::SignedDuration::from_hours(24 * KEPT_DAYS));
    Ok(sqlx::query(
        "SELECT 1 FROM trusted_devices WHERE token_hash = $1 AND user_id = $2 AND created_at > $3",
    )
    .bind(token_hash(token))
    .bind(user_id)
    .bind(since)
    .fetch_optional(&db.pool)
    .await?
    .is_some())
}

/// After a sign-in: the `Set-Cookie` that makes this browser a known device of
/// `user_id`, or `None` when it already is one.
pub async fn remember(
    db: &Db,
    headers: &HeaderMap,
    user_id: &str,
) -> Result<Option<HeaderValue>, AppError> {
    if let Some(token) = token_from(headers)
        && is_known(db, &token, user_id).await?
    {
        return Ok(None);
    }
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).map_err(|_| AppError::Code(ErrorCode::Internal))?;
    let token = hex(&secret);
    sqlx::query(
        "INSERT INTO trusted_devices (token_hash, user_id, created_at) VALUES ($1, $2, $3)",
    )
    .bind(token_hash(&token))
    .bind(user_id)
    .bind(db::now())
    .execute(&db.pool)
    .await?;
    let max_age = KEPT_DAYS * 24 * 3600;
    Ok(HeaderValue::from_str(&format!(
        "{COOKIE_NAME}={token}; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age={max_age}"
    ))
    .ok())
}
