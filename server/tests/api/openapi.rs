use crate::helpers::spawn_app;

#[tokio::test]
async fn the_openapi_document_lists_every_api_route_and_each_one_answers() {
    let app = spawn_app().await;
    let response = app.get("/api/openapi.json").await;
    assert_eq!(response.status(), 200);
    let doc: serde_json::Value = response.json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().expect("paths");
    for must in [
        "/api/health",
        "/api/me",
        "/api/auth/sign-in",
        "/api/families/{id}",
        "/api/admin/audit",
    ] {
        assert!(paths.contains_key(must), "{must} is not documented");
    }
    for (path, operations) in paths {
        assert!(path.starts_with("/api/"), "{path}");
        for (method, operation) in operations.as_object().unwrap() {
            assert!(
                operation["responses"]
                    .as_object()
                    .is_some_and(|r| !r.is_empty()),
                "{method} {path} documents no response"
            );
            // Every route without a path parameter answers a plain GET with no 5xx;
            // the authorization matrix (authz.rs) calls every route as every caller.
            if method == "get" && !path.contains('{') {
                let answer = app.get(path).await;
                assert!(
                    answer.status().as_u16() < 500,
                    "{path}: {}",
                    answer.status()
                );
            }
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
