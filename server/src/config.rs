//! Configuration: command-line flags, each with an environment-variable fallback.

use std::{net::SocketAddr, path::PathBuf};

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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Pretty,
    Json,
}
