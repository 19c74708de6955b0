//! `server`: parses the flags, then runs the Tsunagaru server until SIGTERM or ctrl-c.

use clap::Parser;
use server::config::Config;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let config = Config::parse();
    server::telemetry::init(config.log_format);
    server::run(config).await
}
