//! `GET /api/openapi.json`: the OpenAPI 3.1 document of every API route, generated from
//! the handlers' own annotations so it cannot drift from the code.

use std::sync::Arc;

use axum::{Extension, Json};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(info(
    title = "Tsunagaru API",
    description = "The API of つながる, the offline-first app for a Tokyo ward's residents. \
                   Every error answer is `{\"error\": {\"code\", \"message\"}}` with a stable code.",
))]
pub struct ApiDoc;

/// This document.
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    tag = "meta",
    responses((status = 200, description = "The OpenAPI document of this API", content_type = "application/json"))
)]
pub async fn document(
    Extension(doc): Extension<Arc<utoipa::openapi::OpenApi>>,
) -> Json<Arc<utoipa::openapi::OpenApi>> {
    Json(doc)
}
