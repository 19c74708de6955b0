//! The database: one `sqlx::Any` pool over SQLite (the default, a file) or PostgreSQL.
//!
//! Queries are written once in the SQL both back-ends accept (`$1` placeholders, text
//! UUIDs, RFC 3339 UTC text timestamps written by the server), so the same storage code
//! and the same test suite run on both. Only the DDL differs, in `migrations/<backend>/`.

use std::{path::Path, str::FromStr, time::Duration};

use anyhow::Context;
use sqlx::{
    AnyPool, Executor, any::AnyPoolOptions, migrate::Migrator, sqlite::SqliteConnectOptions,
};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// Connections that read a SQLite database (besides the one that writes).
const SQLITE_READERS: u32 = 4;

/// Which engine a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> anyhow::Result<Backend> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(Backend::Postgres)
        } else {
            anyhow::bail!("the database URL must start with sqlite:// or postgres://")
        }
    }

    fn migrator(self) -> &'static Migrator {
        match self {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        }
    }
}

/// The application's handle on its database. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
    /// Where [`Db::begin_write`] begins. On SQLite a pool of one connection: writers
    /// queue for it in order, instead of polling SQLite's lock with the busy handler's
    /// growing sleeps (which made a few writers wait seconds under load). On PostgreSQL
    /// the same pool as `pool`.
    writer: AnyPool,
}

impl Db {
    /// Connects, creating a SQLite file (and its folder) when missing, and brings the
    /// schema up to date with the migrations embedded in this binary.
    pub async fn connect(url: &str) -> anyhow::Result<Db> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)?;
        let url = match backend {
            Backend::Sqlite => prepare_sqlite_file(url)?,
            Backend::Postgres => url.to_owned(),
        };
        let options = |connections: u32, acquire: Duration| {
            AnyPoolOptions::new()
                .max_connections(connections)
                .acquire_timeout(acquire)
                .after_connect(move |conn, _meta| {
                    Box::pin(async move {
                        if backend == Backend::Sqlite {
                            conn.execute(
                                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                                 PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
                            )
                            .await?;
                        }
                        Ok(())
                    })
                })
        };
        let pool = options(
            match backend {
                // In WAL mode readers run in parallel with each other and the writer.
                Backend::Sqlite => SQLITE_READERS,
                Backend::Postgres => 16,
            },
            Duration::from_secs(3),
        )
        .connect(&url)
        .await
        .with_context(|| format!("could not open the {backend:?} database"))?;
        backend
            .migrator()
            .run(&pool)
            .await
            .context("could not apply the database migrations")?;
        let writer = match backend {
            // As long as the busy timeout: the time a writer waited before.
            Backend::Sqlite => options(1, Duration::from_secs(5))
                .connect(&url)
                .await
                .with_context(|| format!("could not open the {backend:?} database"))?,
            Backend::Postgres => pool.clone(),
        };
        Ok(Db {
            pool,
            backend,
            writer,
        })
    }

    /// Closes both pools.
    pub async fn close(&self) {
        self.writer.close().await;
        self.pool.close().await;
    }

    /// True when the database answers a trivial query within a second.
    pub async fn is_healthy(&self) -> bool {
        let ping = sqlx::query_scalar::<_, i64>("SELECT 1").fetch_one(&self.pool);
        matches!(
            tokio::time::timeout(Duration::from_secs(1), ping).await,
            Ok(Ok(1))
        )
    }
}

/// Makes sure the folder of a SQLite file exists and asks sqlx to create the file.
fn prepare_sqlite_file(url: &str) -> anyhow::Result<String> {
    let options = SqliteConnectOptions::from_str(url).context("the SQLite URL is not valid")?;
    let file = options.get_filename();
    if file != Path::new(":memory:")
        && let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("could not create the folder {}", dir.display()))?;
    }
    Ok(if url.contains("mode=") {
        url.to_owned()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    })
}

/// The current time as the server stores it: RFC 3339, UTC, millisecond precision.
impl Db {
    /// Begins a transaction that will write. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), so a transaction that reads and then writes waits its turn
    /// (busy timeout) instead of failing when another writer committed in between.
    pub async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.writer.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.writer.begin().await,
        }
    }
}

pub fn now() -> String {
    timestamp(jiff::Timestamp::now())
}

/// The one text form of a time in the database: RFC 3339 UTC with exactly three
/// fraction digits, so comparing the text compares the times.
pub fn timestamp(t: jiff::Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// Reads a time written by [`timestamp`].
pub fn parse_timestamp(text: &str) -> Option<jiff::Timestamp> {
    text.parse().ok()
}

/// Today's date in Tokyo, `YYYY-MM-DD`: the ward's calendar day.
pub fn today_tokyo() -> String {
    jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::get("Asia/Tokyo").unwrap_or(jiff::tz::TimeZone::UTC))
        .date()
        .to_string()
}
