//! `GET /api/openapi.json`: the OpenAPI 3.1 document of every API route, generated from
//! the handlers' own annotations so it cannot drift from the code.

use std::sync::Arc;

use axum::{Extension, Json};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(modifiers(&SessionCookie), info(
    title = "Tsunagaru API",
    description = "The API of つながる, the offline-first app for a Tokyo ward's residents. \
                   Every error answer is `{\"error\": {\"code\", \"message\"}}` with a stable code.",
))]
pub struct ApiDoc;

/// Documents the session cookie that signed-in routes need.
struct SessionCookie;

impl utoipa::Modify for SessionCookie {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::sessions::COOKIE_NAME,
                "Set by sign-in and sign-up; HttpOnly, so scripts never see it.",
            ))),
        );
    }
}

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
