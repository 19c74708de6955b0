//! Domain errors → HTTP. Every error answer under /api is the JSON of
//! `domain::ApiError`, with a stable code and a sentence in the caller's language
//! (chosen from `Accept-Language` by [`localize`]). Internal details go to the log only.

use axum::{
    Json,
    body::Body,
    extract::Request,
    http::{HeaderValue, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use domain::{ApiError, ErrorCode, Lang};

/// What a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0:?}")]
    Code(ErrorCode),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
}

impl From<ErrorCode> for AppError {
    fn from(code: ErrorCode) -> AppError {
        AppError::Code(code)
    }
}

impl AppError {
    fn code(&self) -> ErrorCode {
        match self {
            AppError::Code(code) => *code,
            AppError::Database(
                sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_),
            ) => ErrorCode::DatabaseUnavailable,
            AppError::Database(_) => ErrorCode::Internal,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let code = self.code();
        if code.http_status() >= 500 {
            // sqlx errors carry the statement, never bound values: safe to log.
            tracing::error!(error = %self, "request failed");
        }
        error_response(code, Lang::default())
    }
}

/// An error answer in `lang`. The code also rides along as a response extension so
/// that [`localize`] can re-word it for the caller.
pub fn error_response(code: ErrorCode, lang: Lang) -> Response {
    let status =
        StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, Json(ApiError::new(code, lang))).into_response();
    response.extensions_mut().insert(code);
    response
}

/// Middleware for /api: words error answers in the caller's language, turns axum's
/// bodiless 405 into a JSON error, and forbids caching any API answer.
pub async fn localize(request: Request, next: Next) -> Response {
    let lang = request
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(Lang::from_accept_language)
        .unwrap_or_default();
    let response = next.run(request).await;
    let code = match response.extensions().get::<ErrorCode>() {
        Some(code) => Some(*code),
        None if response.status() == StatusCode::METHOD_NOT_ALLOWED => {
            Some(ErrorCode::MethodNotAllowed)
        }
        None => None,
    };
    let mut response = match code {
        Some(code) => {
            let (mut parts, _) = response.into_parts();
            let localized = error_response(code, lang);
            let (new_parts, body) = localized.into_parts();
            parts.headers.remove(header::CONTENT_LENGTH);
            parts.headers.extend(new_parts.headers);
            parts.extensions.insert(code);
            Response::from_parts(parts, body)
        }
        None => response,
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Any /api path that names no route.
pub async fn api_not_found() -> AppError {
    AppError::Code(ErrorCode::NotFound)
}

/// Answer for a panic inside a handler: a bug, so a generic 500 in JSON, details logged.
pub fn panic_response(_panic: Box<dyn std::any::Any + Send + 'static>) -> Response<Body> {
    tracing::error!("a request handler panicked");
    error_response(ErrorCode::Internal, Lang::default())
}
