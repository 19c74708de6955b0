//! `spawn_app()` and friends: a real server on a real socket with a real database.

use std::path::Path;

use server::{AppState, db::Db};
use sqlx::{Connection, Executor, postgres::PgConnection};
use tempfile::TempDir;
use tokio::{net::TcpListener, sync::oneshot};

/// A running server. Dropping it stops the server.
pub struct TestApp {
    pub address: String,
    pub db: Db,
    pub client: reqwest::Client,
    pub dist: std::path::PathBuf,
    _dir: TempDir,
    stop: Option<oneshot::Sender<()>>,
    stopped: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request failed")
    }

    /// Starts a graceful shutdown, as SIGTERM does; returns a handle that resolves when
    /// the server has finished every request in flight.
    pub fn shut_down(&mut self) -> tokio::task::JoinHandle<std::io::Result<()>> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.stopped.take().expect("shut down once")
    }
}

/// A fresh, empty database URL: a SQLite file in `dir`, or a new PostgreSQL database.
pub async fn fresh_database_url(dir: &Path) -> String {
    match std::env::var("TSUNAGARU_TEST_POSTGRES") {
        Ok(admin_url) if !admin_url.is_empty() => {
            let name = format!("t_{}", uuid::Uuid::new_v4().simple());
            let mut admin = PgConnection::connect(&admin_url)
                .await
                .expect("TSUNAGARU_TEST_POSTGRES does not answer");
            admin
                .execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .await
                .expect("could not create a test database");
            let (base, _) = admin_url
                .rsplit_once('/')
                .expect("a postgres URL has a path");
            format!("{base}/{name}")
        }
        _ => format!("sqlite://{}", dir.join("nested/folder/test.db").display()),
    }
}

/// Starts a server with a fresh database and a small built app in its `dist`.
pub async fn spawn_app() -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = fresh_database_url(dir.path()).await;
    let db = Db::connect(&url).await.expect("database");
    let dist = dir.path().join("dist");
    write_sample_dist(&dist);

    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = format!("http://{}", listener.local_addr().expect("addr"));
    let router = server::router(AppState { db: db.clone() }, &dist);
    let (stop, stopped) = oneshot::channel::<()>();
    let serving = tokio::spawn(server::serve(listener, router, async {
        let _ = stopped.await;
    }));
    TestApp {
        address,
        db,
        client: reqwest::Client::new(),
        dist,
        _dir: dir,
        stop: Some(stop),
        stopped: Some(serving),
    }
}

pub const WASM_FILE: &str = "app-8f3c2a1b9d0e4f56_bg.wasm";
pub const JS_FILE: &str = "app-8f3c2a1b9d0e4f56.js";

/// The shape of trunk's output: index.html, hashed js/wasm/css, the manifest, the service
/// worker, and precompressed copies of the html.
pub fn write_sample_dist(dist: &Path) {
    std::fs::create_dir_all(dist.join("icons")).expect("dist");
    let files: [(&str, &[u8]); 7] = [
        ("index.html", b"<!doctype html><title>Tsunagaru</title>"),
        (WASM_FILE, b"\0asm\x01\0\0\0"),
        (JS_FILE, b"export default function init() {}"),
        ("app-0123456789abcdef.css", b"body{}"),
        ("manifest.webmanifest", b"{\"name\":\"Tsunagaru\"}"),
        ("sw.js", b"self.addEventListener('fetch', () => {});"),
        ("icons/icon-192.png", b"\x89PNG"),
    ];
    for (name, content) in files {
        std::fs::write(dist.join(name), content).expect("write dist file");
    }
    std::fs::write(dist.join("index.html.br"), b"brotli bytes").expect("write br");
}
