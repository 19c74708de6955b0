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

/// Adds to every operation the error answers that come from the layers around the
/// handlers (body and query extractors, the cross-site check, the database), so the
/// document lists every status a route can answer, each with the error body's schema.
/// A status a handler documents itself keeps its own description.
pub fn document_errors(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::path::{Operation, ParameterIn};
    for (path, item) in doc.paths.paths.iter_mut() {
        let operations = [
            (false, item.get.as_mut()),
            (true, item.post.as_mut()),
            (true, item.put.as_mut()),
            (true, item.delete.as_mut()),
            (true, item.patch.as_mut()),
        ];
        for (changes_state, operation) in operations {
            let Some(operation) = operation else { continue };
            let operation: &mut Operation = operation;
            let mut add = |status: &str, text: &str| {
                operation
                    .responses
                    .responses
                    .entry(status.to_owned())
                    .or_insert_with(|| error_response(text).into());
            };
            add(
                "503",
                "`database_unavailable`: the database does not answer right now",
            );
            let public =
                PUBLIC.contains(&(changes_state, path.as_str())) || path.starts_with("/api/cal/");
            if !public {
                add("401", "`unauthenticated`: no session, or one that ended");
            }
            if path.contains('{') {
                add(
                    "404",
                    "`not_found`: no such object, or one the caller may not see",
                );
            }
            if changes_state {
                add(
                    "403",
                    "`cross_site_request`: a state-changing request without this site's `Origin`",
                );
                add("413", "`payload_too_large`: the body is over 64 KiB");
            }
            if operation.request_body.is_some() {
                add(
                    "415",
                    "`unsupported_media_type`: the body is not `application/json`",
                );
                add(
                    "422",
                    "`invalid_json`: the body is not JSON of the expected shape",
                );
            }
            let has_query = (operation.parameters.iter().flatten())
                .any(|p| p.parameter_in == ParameterIn::Query);
            if has_query || path.contains('{') {
                add("400", "`bad_request`: a malformed path or query");
            }
        }
    }
}

/// The routes callable without a session, as `(changes state, path)`; the private
/// calendar feeds (`/api/cal/…`) are reached by their token instead.
const PUBLIC: [(bool, &str); 6] = [
    (false, "/api/health"),
    (false, "/api/openapi.json"),
    (true, "/api/auth/sign-up"),
    (true, "/api/auth/sign-in"),
    (true, "/api/auth/sign-out"),
    (false, "/api/associations"),
];

fn error_response(description: &str) -> utoipa::openapi::Response {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ApiError")))
                .build(),
        )
        .build()
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
