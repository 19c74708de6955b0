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
    /// Too many attempts: try again after this many seconds.
    #[error("rate limited for {0} s")]
    RateLimited(u64),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("{0}")]
    Other(#[from] anyhow::Error),
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
            AppError::RateLimited(_) => ErrorCode::RateLimited,
            AppError::Other(_) => ErrorCode::Internal,
            AppError::Database(
                sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_),
            ) => ErrorCode::DatabaseUnavailable,
            // PostgreSQL refuses text with a NUL character (SQLSTATE 22021, "invalid byte
            // sequence"), which a path, a query or a JSON string can carry: bad input,
            // not a server fault. (SQLite stores it.)
            AppError::Database(sqlx::Error::Database(e))
                if e.code().as_deref() == Some("22021") =>
            {
                ErrorCode::BadRequest
            }
            AppError::Database(_) => ErrorCode::Internal,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::RateLimited(seconds) = self {
            return rate_limited(seconds, Lang::default());
        }
        let code = self.code();
        if matches!(code, ErrorCode::Forbidden | ErrorCode::CrossSiteRequest) {
            // The request span carries the request id, method and path.
            tracing::warn!(?code, "request refused");
        }
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

/// Seconds until a rate-limited caller may try again; rides along as an extension.
#[derive(Debug, Clone, Copy)]
pub struct RetryAfter(pub u64);

/// A `rate_limited` answer (429) with `Retry-After` and the wait in words.
pub fn rate_limited(seconds: u64, lang: Lang) -> Response {
    let mut response = (
        StatusCode::TOO_MANY_REQUESTS,
        [(header::RETRY_AFTER, seconds.to_string())],
        Json(ApiError::rate_limited(seconds, lang)),
    )
        .into_response();
    response.extensions_mut().insert(ErrorCode::RateLimited);
    response.extensions_mut().insert(RetryAfter(seconds));
    response
}

/// Middleware for /api: words error answers in the caller's language, turns axum's
/// bodiless 405 into a JSON error, and forbids caching any API answer but those whose
/// handler set their own `Cache-Control` (attachments).
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
        // An answer axum or a layer made itself (a rejected path or query, a 405):
        // give it this API's JSON shape too.
        None if response.status().is_client_error() && !is_json(&response) => {
            Some(match response.status() {
                StatusCode::METHOD_NOT_ALLOWED => ErrorCode::MethodNotAllowed,
                StatusCode::NOT_FOUND => ErrorCode::NotFound,
                StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::PayloadTooLarge,
                StatusCode::UNSUPPORTED_MEDIA_TYPE => ErrorCode::UnsupportedMediaType,
                StatusCode::UNPROCESSABLE_ENTITY => ErrorCode::InvalidJson,
                _ => ErrorCode::BadRequest,
            })
        }
        None => None,
    };
    let mut response = match code {
        Some(code) => {
            let retry = response.extensions().get::<RetryAfter>().copied();
            let (mut parts, _) = response.into_parts();
            let localized = match retry {
                Some(RetryAfter(seconds)) => rate_limited(seconds, lang),
                None => error_response(code, lang),
            };
            let (new_parts, body) = localized.into_parts();
            parts.headers.remove(header::CONTENT_LENGTH);
            parts.headers.extend(new_parts.headers);
            parts.extensions.insert(code);
            Response::from_parts(parts, body)
        }
        None => response,
    };
    // A handler that says how its answer may be kept (an attachment) is believed when
    // it succeeds; everything else is never stored.
    let keeps = code.is_none() && response.headers().contains_key(header::CACHE_CONTROL);
    if !keeps {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

fn is_json(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
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

/// `axum::Json` with its rejections turned into this API's JSON errors:
/// `invalid_json` (422), `unsupported_media_type` (415), `payload_too_large` (413).
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonBody<T>(pub T);

impl<T, S> axum::extract::FromRequest<S> for JsonBody<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        use axum::extract::rejection::JsonRejection;
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(JsonBody(value)),
            Err(JsonRejection::MissingJsonContentType(_)) => {
                Err(AppError::Code(ErrorCode::UnsupportedMediaType))
            }
            Err(JsonRejection::BytesRejection(_)) => {
                Err(AppError::Code(ErrorCode::PayloadTooLarge))
            }
            Err(_) => Err(AppError::Code(ErrorCode::InvalidJson)),
        }
    }
}
