//! `spawn_app()` and friends: a real server on a real socket with a real database.

use std::path::Path;

use reqwest::{Method, header};
use server::{AppState, config::SecurityConfig, db::Db};
use sqlx::{Connection, Executor, postgres::PgConnection};
use tempfile::TempDir;
use tokio::{net::TcpListener, sync::oneshot};

/// A running server. Dropping it stops the server.
pub struct TestApp {
    pub address: String,
    pub db: Db,
    pub client: reqwest::Client,
    pub dist: std::path::PathBuf,
    pub database_url: String,
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

/// A client that sends `Origin: <the server>` as the app's own pages do, so
/// state-changing requests pass the cross-site check.
pub fn same_origin_client(address: &str) -> reqwest::Client {
    let mut headers = header::HeaderMap::new();
    headers.insert(header::ORIGIN, address.parse().expect("origin"));
    reqwest::Client::builder()
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

impl TestApp {
    /// A request, signed in with `cookie` when given (`__Host-tsunagaru=…`).
    pub fn request(
        &self,
        method: Method,
        path: &str,
        cookie: Option<&str>,
    ) -> reqwest::RequestBuilder {
        let builder = self.client.request(method, self.url(path));
        match cookie {
            Some(cookie) => builder.header(header::COOKIE, cookie),
            None => builder,
        }
    }

    /// POSTs JSON, optionally signed in.
    pub async fn post_json(
        &self,
        path: &str,
        body: &serde_json::Value,
        cookie: Option<&str>,
    ) -> reqwest::Response {
        self.request(Method::POST, path, cookie)
            .json(body)
            .send()
            .await
            .expect("request failed")
    }

    /// `POST /api/me/password` from `current` to `new`, signed in with `cookie`: its
    /// status and JSON answer.
    pub async fn change_password(
        &self,
        cookie: &str,
        current: &str,
        new: &str,
    ) -> (reqwest::StatusCode, serde_json::Value) {
        let response = self
            .post_json(
                "/api/me/password",
                &serde_json::json!({"current_password": current, "new_password": new}),
                Some(cookie),
            )
            .await;
        let status = response.status();
        (status, response.json().await.expect("a JSON answer"))
    }

    /// Signs up through the API and returns the session cookie to send back.
    pub async fn sign_up(&self, login: &str, password: &str) -> String {
        let response = self
            .post_json(
                "/api/auth/sign-up",
                &serde_json::json!({"login": login, "display_name": login, "password": password}),
                None,
            )
            .await;
        assert_eq!(response.status(), 201, "sign-up of {login}");
        session_cookie(&response).expect("sign-up sets the session cookie")
    }

    /// Signs in through the API and returns the session cookie to send back.
    pub async fn sign_in(&self, login: &str, password: &str) -> String {
        let response = self
            .post_json(
                "/api/auth/sign-in",
                &serde_json::json!({"login": login, "password": password}),
                None,
            )
            .await;
        assert_eq!(response.status(), 200, "sign-in of {login}");
        session_cookie(&response).expect("sign-in sets the session cookie")
    }
}

/// The `name=value` of the session cookie a response sets, ready for a `Cookie` header.
pub fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("__Host-tsunagaru=") && !v.starts_with("__Host-tsunagaru=;"))
        .and_then(|v| v.split(';').next())
        .map(str::to_owned)
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
    spawn_app_with(SecurityConfig::default()).await
}

/// [`spawn_app`] with other session and rate-limit settings.
pub async fn spawn_app_with(security: SecurityConfig) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = fresh_database_url(dir.path()).await;
    let db = Db::connect(&url).await.expect("database");
    let dist = dir.path().join("dist");
    write_sample_dist(&dist);

    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = format!("http://{}", listener.local_addr().expect("addr"));
    let origin = address.clone();
    let router = server::router(AppState::new(db.clone(), &security), &dist);
    let (stop, stopped) = oneshot::channel::<()>();
    let serving = tokio::spawn(server::serve(listener, router, async {
        let _ = stopped.await;
    }));
    TestApp {
        address,
        db,
        client: same_origin_client(&origin),
        dist,
        database_url: url,
        _dir: dir,
        stop: Some(stop),
        stopped: Some(serving),
    }
}

/// Like trunk's index.html: one inline module script that loads the app.
pub const SAMPLE_INDEX: &str = "<!doctype html><title>Tsunagaru</title>\
    <script type=\"module\">import init from '/pkg-8f3c2a1b9d0e4f56/app.js';\nawait init();\n</script>";
/// The inline script's body, as the browser hashes it for the CSP.
pub const SAMPLE_INLINE_SCRIPT: &str =
    "import init from '/pkg-8f3c2a1b9d0e4f56/app.js';\nawait init();\n";

pub const WASM_FILE: &str = "pkg-8f3c2a1b9d0e4f56/app_bg.wasm";
pub const JS_FILE: &str = "pkg-8f3c2a1b9d0e4f56/app.js";
/// A lazily loaded module's WASM chunk, beside the main module in the versioned folder.
pub const CHUNK_FILE: &str = "pkg-8f3c2a1b9d0e4f56/chunk_5.wasm";

/// The shape of `cargo xtask dist`'s output: index.html, the WASM and its JS in a folder
/// named by their hash, hashed css, the manifest, the service worker, and precompressed
/// copies of the html.
pub fn write_sample_dist(dist: &Path) {
    std::fs::create_dir_all(dist.join("icons")).expect("dist");
    std::fs::create_dir_all(dist.join("pkg-8f3c2a1b9d0e4f56")).expect("dist");
    let files: [(&str, &[u8]); 8] = [
        ("index.html", SAMPLE_INDEX.as_bytes()),
        (WASM_FILE, b"\0asm\x01\0\0\0"),
        (JS_FILE, b"export default function init() {}"),
        (CHUNK_FILE, b"\0asm\x01\0\0\0"),
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
