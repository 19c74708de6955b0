use crate::helpers::spawn_app;

#[tokio::test]
async fn the_openapi_document_lists_every_api_route_and_each_one_answers() {
    let app = spawn_app().await;
    let response = app.get("/api/openapi.json").await;
    assert_eq!(response.status(), 200);
    let doc: serde_json::Value = response.json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().expect("paths");
    let mut names: Vec<&str> = paths.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        ["/api/associations", "/api/health", "/api/openapi.json"]
    );
    for (path, operations) in paths {
        for method in operations.as_object().unwrap().keys() {
            assert_eq!(method, "get", "only GET routes so far: {path}");
            let answer = app.get(path).await;
            assert_eq!(
                answer.status(),
                200,
                "{path} is documented but does not answer"
            );
        }
    }
}

#[tokio::test]
async fn the_error_shape_is_documented() {
    let app = spawn_app().await;
    let doc: serde_json::Value = app.get("/api/openapi.json").await.json().await.unwrap();
    let schemas = &doc["components"]["schemas"];
    assert!(schemas["ApiError"].is_object(), "{schemas}");
    assert!(
        schemas["ErrorCode"]["enum"]
            .as_array()
            .unwrap()
            .contains(&"database_unavailable".into())
    );
}
