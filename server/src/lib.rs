//! The Tsunagaru server: the JSON API under `/api` and the built PWA from `dist/`.
//!
//! `main.rs` parses flags; [`run`] wires storage, the router and graceful shutdown.
//! Each feature lives in a module named like the feature (`health`, `associations`),
//! and only this crate knows HTTP handlers and SQL.

pub mod associations;
pub mod config;
pub mod db;
pub mod demo;
pub mod dist;
pub mod error;
pub mod health;
pub mod openapi;
pub mod telemetry;

use std::{future::Future, path::Path, sync::Arc};

use anyhow::Context;
use axum::{Extension, Router, http::HeaderName, middleware, routing::any};
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower_http::{
    catch_panic::CatchPanicLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    trace::{DefaultOnResponse, TraceLayer},
};
use utoipa::OpenApi;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{config::Config, db::Db};

/// What every handler may reach. The server keeps no other state, so several
/// instances can share one PostgreSQL.
#[derive(Debug, Clone)]
pub struct AppState {
    pub db: Db,
}

/// The API routes with their OpenAPI document.
pub fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .routes(routes!(health::health))
        .routes(routes!(associations::list))
        .routes(routes!(openapi::document))
        .split_for_parts()
}

/// The whole application: API, static files and the middleware around them.
pub fn router(state: AppState, dist: &Path) -> Router {
    let (api, doc) = api();
    let api = api
        .route("/api", any(error::api_not_found))
        .route("/api/{*rest}", any(error::api_not_found))
        .layer(Extension(Arc::new(doc)))
        .layer(middleware::from_fn(error::localize))
        .with_state(state);
    let request_id = HeaderName::from_static("x-request-id");
    Router::new().merge(api).merge(dist::router(dist)).layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuid))
            .layer(
                TraceLayer::new_for_http()
                    .make_span_with(telemetry::RequestSpan)
                    .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
            )
            .layer(PropagateRequestIdLayer::new(request_id))
            .layer(CatchPanicLayer::custom(error::panic_response)),
    )
}

/// Opens the database, seeds demo data if asked, and serves until SIGTERM or ctrl-c.
pub async fn run(config: Config) -> anyhow::Result<()> {
    let db = Db::connect(&config.database).await?;
    tracing::info!(backend = ?db.backend, "database ready");
    if config.demo {
        let added = demo::seed(&db)
            .await
            .context("could not seed the demo data")?;
        tracing::info!(added, "demo data seeded");
    }
    if !config.dist.join("index.html").is_file() {
        tracing::warn!(dist = %config.dist.display(), "no index.html here: build the app first (cargo xtask run)");
    }
    let listener = TcpListener::bind(config.addr)
        .await
        .with_context(|| format!("could not listen on {}", config.addr))?;
    let addr = listener.local_addr()?;
    println!("Tsunagaru is running at http://{addr}/");
    serve(
        listener,
        router(AppState { db: db.clone() }, &config.dist),
        shutdown_signal(),
    )
    .await?;
    db.pool.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Serves until `shutdown` completes, then lets in-flight requests finish.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
