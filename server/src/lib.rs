//! The Tsunagaru server: the JSON API under `/api` and the built PWA from `dist/`.
//!
//! `main.rs` parses flags; [`run`] wires storage, the router and graceful shutdown.
//! Each feature lives in a module named like the feature (`health`, `associations`),
//! and only this crate knows HTTP handlers and SQL.

pub mod accounts;
pub mod admin;
pub mod associations;
pub mod attendees;
pub mod audit;
pub mod calendar;
pub mod circulars;
pub mod config;
pub mod db;
pub mod demo;
pub mod devices;
pub mod dist;
pub mod error;
pub mod events;
pub mod families;
pub mod health;
pub mod moderation;
pub mod openapi;
pub mod passwords;
pub mod records;
pub mod security;
pub mod sessions;
pub mod sync;
pub mod telemetry;

use std::{future::Future, net::SocketAddr, path::Path, sync::Arc};

use anyhow::Context;
use axum::{
    Extension, Router, extract::DefaultBodyLimit, http::HeaderName, middleware, routing::any,
};
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower_http::{
    CompressionLevel,
    catch_panic::CatchPanicLayer,
    compression::{
        CompressionLayer,
        predicate::{DefaultPredicate, Predicate, SizeAbove},
    },
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    trace::{DefaultOnResponse, TraceLayer},
};
use utoipa::OpenApi;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    config::{Command, Config, SecurityConfig},
    db::Db,
    security::Security,
};

/// The largest request body the API reads (JSON; attachment uploads have their own limit).
pub const API_BODY_LIMIT: usize = 64 * 1024;

/// API answers of at most this many bytes are sent uncompressed.
pub const COMPRESS_ABOVE: u16 = 1024;

/// What every handler may reach. Besides the database, only in-memory rate limits, so
/// several instances can share one PostgreSQL (each limiting on its own).
#[derive(Debug, Clone)]
pub struct AppState {
    pub db: Db,
    pub security: Arc<Security>,
}

impl AppState {
    pub fn new(db: Db, config: &SecurityConfig) -> AppState {
        AppState {
            db,
            security: Arc::new(Security::new(config)),
        }
    }
}

/// The API routes with their OpenAPI document. Sign-in, sign-up and accepting an invite
/// code sit behind a rate limit on the client's address (tower_governor), so `security`
/// is needed to build them.
pub fn api(security: &Security) -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let limit = tower_governor::governor::GovernorConfigBuilder::default()
        .key_extractor(security::PeerKey {
            trusted_proxies: security.trusted_proxies.clone(),
        })
        .period(security.auth_period)
        .burst_size(security.auth_burst)
        .finish()
        .map(Arc::new);
    let mut auth = OpenApiRouter::new()
        .routes(routes!(accounts::sign_up))
        .routes(routes!(accounts::sign_in))
        .routes(routes!(families::accept_invite));
    if let Some(limit) = limit {
        auth = auth.layer(
            tower_governor::GovernorLayer::new(limit)
                .error_handler(security::rate_limited_response),
        );
    }
    let api = OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .routes(routes!(health::health))
        .merge(auth)
        .routes(routes!(accounts::sign_out))
        .routes(routes!(accounts::me))
        .routes(routes!(accounts::change_password))
        .routes(routes!(accounts::list_sessions))
        .routes(routes!(accounts::end_session))
        .routes(routes!(families::create))
        .routes(routes!(families::get))
        .routes(routes!(families::update_child))
        .routes(routes!(families::set_consent_route))
        .routes(routes!(families::create_invite))
        .routes(routes!(families::remove_member))
        .routes(routes!(families::health_centre_list))
        .routes(routes!(associations::list, associations::create))
        .routes(routes!(associations::join))
        .routes(routes!(associations::members))
        .routes(routes!(associations::set_member_role))
        .routes(routes!(admin::users))
        .routes(routes!(admin::set_roles))
        .routes(routes!(admin::end_sessions))
        .routes(routes!(admin::audit_log))
        .routes(routes!(admin::verify_audit))
        .routes(routes!(moderation::reports))
        .routes(routes!(moderation::review))
        .routes(routes!(attendees::csv))
        .routes(routes!(circulars::download))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(circulars::upload))
                // Files, not JSON: this route alone reads up to 5 MiB.
                .layer(DefaultBodyLimit::max(circulars::UPLOAD_LIMIT)),
        )
        .routes(routes!(sync::push))
        .routes(routes!(sync::pull::pull))
        .routes(routes!(calendar::event_file))
        .routes(routes!(calendar::association_feed))
        .routes(routes!(calendar::rsvp_feed))
        .routes(routes!(
            calendar::feed_status,
            calendar::create_feed,
            calendar::revoke_feed
        ))
        .routes(routes!(openapi::document))
        .split_for_parts();
    let (router, mut doc) = api;
    openapi::document_errors(&mut doc);
    (router, doc)
}

/// The whole application: API, static files and the middleware around them.
pub fn router(state: AppState, dist: &Path) -> Router {
    let (api, doc) = api(&state.security);
    let headers = Arc::new(security::SecurityHeaders::for_dist(
        dist,
        state.security.public_origin.as_deref(),
    ));
    let api = api
        .route("/api", any(error::api_not_found))
        .route("/api/{*rest}", any(error::api_not_found))
        .layer(DefaultBodyLimit::max(API_BODY_LIMIT))
        .layer(middleware::from_fn_with_state(
            state.security.clone(),
            security::same_origin_only,
        ))
        .layer(Extension(Arc::new(doc)))
        .layer(middleware::from_fn(error::localize))
        // Outside `localize`, which may replace a body: compress what it finally sends.
        // Only the API: dist/ is served from its precompressed .br/.gz copies. Level 5:
        // on pull pages brotli 5 sends ~12% less than tower-http's default 4 (which sent
        // more than gzip), and gzip 5 ~3% more than gzip 6 (cargo xtask bench).
        // Bodies under 1 KiB (an up-to-date pull, errors) go as they are: setting up a
        // brotli encoder zeroes its tables, which took most of such a request's CPU
        // (perf), to save a few hundred bytes at most.
        .layer(
            CompressionLayer::new()
                .br(true)
                .gzip(true)
                .quality(CompressionLevel::Precise(5))
                .compress_when(DefaultPredicate::new().and(SizeAbove::new(COMPRESS_ABOVE))),
        )
        .with_state(state);
    let request_id = HeaderName::from_static("x-request-id");
    Router::new().merge(api).merge(dist::router(dist)).layer(
        ServiceBuilder::new()
            .layer(middleware::from_fn_with_state(
                headers,
                security::add_headers,
            ))
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
    if let Some(Command::VerifyAudit) = config.command {
        let result = audit::verify(&db).await?;
        db.close().await;
        if result.intact {
            println!("audit log intact: {} entries", result.entries);
            return Ok(());
        }
        anyhow::bail!(
            "audit log BROKEN at entry {} of {}: a row was changed or removed",
            result.first_broken.unwrap_or_default(),
            result.entries
        );
    }
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
        router(AppState::new(db.clone(), &config.security), &config.dist),
        shutdown_signal(),
    )
    .await?;
    db.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Serves until `shutdown` completes, then lets in-flight requests finish.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
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
