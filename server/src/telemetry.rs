//! Structured logs with `tracing`. Each request runs in a span carrying its request id,
//! method and path — never the query string or body, so no personal data reaches the log,
//! and never a private calendar feed's secret (`calendar::loggable_path`).

use axum::http::Request;
use tower_http::{request_id::RequestId, trace::MakeSpan};
use tracing::Span;
use tracing_subscriber::{EnvFilter, fmt};

use crate::config::LogFormat;

/// Installs the global subscriber. `RUST_LOG` overrides the default level (info).
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let result = match format {
        LogFormat::Pretty => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
    // A second call (several servers in one test process) keeps the first subscriber.
    let _ = result;
}

/// Names each request's span after its request id, set by `SetRequestIdLayer` before.
#[derive(Clone, Copy, Debug)]
pub struct RequestSpan;

impl<B> MakeSpan<B> for RequestSpan {
    fn make_span(&mut self, request: &Request<B>) -> Span {
        let id = request
            .extensions()
            .get::<RequestId>()
            .and_then(|id| id.header_value().to_str().ok())
            .unwrap_or("-");
        tracing::info_span!(
            "request",
            request_id = %id,
            method = %request.method(),
            path = %crate::calendar::loggable_path(request.uri().path()),
        )
    }
}
