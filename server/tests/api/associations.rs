use crate::helpers::spawn_app;

#[tokio::test]
async fn a_new_database_has_no_associations() {
    let app = spawn_app().await;
    let list: Vec<serde_json::Value> = app.get("/api/associations").await.json().await.unwrap();
    assert!(list.is_empty());
}

#[tokio::test]
async fn demo_data_seeded_twice_is_there_once() {
    let app = spawn_app().await;
    let first = server::demo::seed(&app.db).await.unwrap();
    let second = server::demo::seed(&app.db).await.unwrap();
    assert!(first > 0);
    assert_eq!(second, 0, "the second seeding must add nothing");

    let list: Vec<domain::associations::Association> =
        app.get("/api/associations").await.json().await.unwrap();
    assert_eq!(list.len(), 2);
    let names: Vec<&str> = list.iter().map(|a| a.name.as_str()).collect();
    assert!(names.contains(&"桜台つつじ町会"), "{names:?}");
    let mut ids: Vec<&str> = list.iter().map(|a| a.id.as_str()).collect();
    ids.dedup();
    assert_eq!(ids.len(), list.len());
}
