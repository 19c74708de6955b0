use std::collections::BTreeSet;

use server::db::{Backend, Db};

use crate::helpers::fresh_database_url;

fn migration_names(backend: &str) -> BTreeSet<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend);
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn both_back_ends_have_the_same_migrations() {
    let sqlite = migration_names("sqlite");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, migration_names("postgres"));
}

#[tokio::test]
async fn connecting_twice_applies_migrations_once_and_keeps_data() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(dir.path()).await;
    let db = Db::connect(&url).await.unwrap();
    server::demo::seed(&db).await.unwrap();
    db.close().await;

    let again = Db::connect(&url).await.unwrap();
    let count = server::associations::all(&again).await.unwrap().len();
    assert_eq!(count, 2);
}

#[tokio::test]
async fn a_sqlite_database_is_created_with_its_folder_in_wal_mode_with_foreign_keys() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("new/sub/folder/tsunagaru.db");
    let db = Db::connect(&format!("sqlite://{}", file.display()))
        .await
        .unwrap();
    assert_eq!(db.backend, Backend::Sqlite);
    assert!(file.is_file());
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(fk, 1);
    let busy: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert!(busy >= 1000, "busy timeout {busy}");
}

#[tokio::test]
async fn an_unknown_database_scheme_is_refused_with_a_clear_message() {
    let error = Db::connect("mysql://localhost/x").await.unwrap_err();
    assert!(
        error.to_string().contains("sqlite:// or postgres://"),
        "{error}"
    );
}
