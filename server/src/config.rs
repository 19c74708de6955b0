//! Configuration: command-line flags, each with an environment-variable fallback.

use std::{
    net::{IpAddr, SocketAddr},
    path::PathBuf,
};

use clap::{Parser, ValueEnum};

/// The Tsunagaru server: the JSON API under /api and the built PWA.
#[derive(Debug, Clone, Parser)]
#[command(name = "server", version)]
pub struct Config {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, env = "TSUNAGARU_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,

    /// Database URL in sqlx's form: `sqlite://path/to/file.db` or `postgres://user@host/db`.
    /// A SQLite file and its folder are created if missing.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://data/tsunagaru.db"
    )]
    pub database: String,

    /// Folder holding the built PWA (trunk's output).
    #[arg(long, env = "TSUNAGARU_DIST", default_value = "dist")]
    pub dist: PathBuf,

    /// Seed demo data (idempotent: running it again adds nothing twice).
    /// The variable takes true/false, 1/0, yes/no or on/off.
    #[arg(long, env = "TSUNAGARU_DEMO", value_parser = clap::builder::BoolishValueParser::new())]
    pub demo: bool,

    /// Log format: `pretty` for people, `json` for log collectors.
    #[arg(long, env = "TSUNAGARU_LOG_FORMAT", value_enum, default_value_t = LogFormat::Pretty)]
    pub log_format: LogFormat,

    #[command(flatten)]
    pub security: SecurityConfig,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Something to do instead of serving.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum Command {
    /// Checks the audit log's hash chain; exits 1 if a row was changed or removed.
    VerifyAudit,
}

/// Sessions, rate limits and the origin that state-changing requests must come from.
#[derive(Debug, Clone, clap::Args)]
pub struct SecurityConfig {
    /// A session ends after this many hours without use.
    #[arg(long, env = "TSUNAGARU_SESSION_IDLE_HOURS", default_value_t = 168)]
    pub session_idle_hours: u32,

    /// A session ends this many days after sign-in, however much it is used.
    #[arg(long, env = "TSUNAGARU_SESSION_MAX_DAYS", default_value_t = 30)]
    pub session_max_days: u32,

    /// Sign-in and sign-up attempts one address may make at once before it must wait...
    #[arg(long, env = "TSUNAGARU_AUTH_BURST", default_value_t = 30)]
    pub auth_burst: u32,

    /// ...and then one more attempt per this many seconds.
    #[arg(long, env = "TSUNAGARU_AUTH_PERIOD_SECONDS", default_value_t = 2)]
    pub auth_period_seconds: u64,

    /// Sign-in attempts for one account at once before it must wait...
    #[arg(long, env = "TSUNAGARU_ACCOUNT_BURST", default_value_t = 5)]
    pub account_burst: u32,

    /// ...and then one more attempt per this many seconds.
    #[arg(long, env = "TSUNAGARU_ACCOUNT_PERIOD_SECONDS", default_value_t = 180)]
    pub account_period_seconds: u64,

    /// A reverse proxy whose `X-Forwarded-For` is believed (repeatable). Without one, rate
    /// limits key on the TCP peer address and forwarded headers are ignored.
    #[arg(
        long = "trusted-proxy",
        env = "TSUNAGARU_TRUSTED_PROXIES",
        value_delimiter = ','
    )]
    pub trusted_proxies: Vec<IpAddr>,

    /// The public origin, e.g. `https://tsunagaru.example.jp`. When set, state-changing
    /// requests must carry exactly this `Origin`; otherwise the `Origin` must match `Host`.
    #[arg(long, env = "TSUNAGARU_PUBLIC_ORIGIN")]
    pub public_origin: Option<String>,

    /// Most live records one account may have written through sync (its own notes,
    /// events and circulars); a put beyond it is refused `quota_exceeded`.
    #[arg(long, env = "TSUNAGARU_QUOTA_RECORDS", default_value_t = 20_000)]
    pub quota_records: u64,

    /// Most bytes of record bodies one account may have written through sync.
    #[arg(long, env = "TSUNAGARU_QUOTA_BYTES", default_value_t = 50 * 1024 * 1024)]
    pub quota_bytes: u64,
}

impl Default for SecurityConfig {
    fn default() -> SecurityConfig {
        SecurityConfig {
            session_idle_hours: 168,
            session_max_days: 30,
            auth_burst: 30,
            auth_period_seconds: 2,
            account_burst: 5,
            account_period_seconds: 180,
            trusted_proxies: Vec::new(),
            public_origin: None,
            quota_records: 20_000,
            quota_bytes: 50 * 1024 * 1024,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Pretty,
    Json,
}
