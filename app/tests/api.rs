//! The API client in a real browser: what every call sends (the session cookie, the
//! language, JSON) and how every answer becomes a value or an [`ApiError`]. `fetch` is
//! replaced for each test by a fake server that notes the request it was given.
#![cfg(target_arch = "wasm32")]

use app::api::{self, ApiError};
use domain::{
    ErrorCode, Lang,
    accounts::SignIn,
    sync::protocol::{PullRequest, Scope},
};
use js_sys::{Function, Reflect};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// `fetch` replaced until dropped: `answer` is the JS that makes the reply (a Response or
/// a rejection) once the request was noted in `globalThis.seen`.
struct FakeServer {
    real: JsValue,
}

impl FakeServer {
    fn new(answer: &str) -> FakeServer {
        let global = js_sys::global();
        let real = Reflect::get(&global, &"fetch".into()).unwrap();
        let fake = Function::new_with_args(
            "request",
            &format!(
                "return request.text().then(body => {{
                    globalThis.seen = {{
                        url: request.url, method: request.method,
                        credentials: request.credentials,
                        accept: request.headers.get('Accept'),
                        language: request.headers.get('Accept-Language'),
                        contentType: request.headers.get('Content-Type'), body }};
                    {answer}
                }});"
            ),
        );
        Reflect::set(&global, &"fetch".into(), &fake).unwrap();
        FakeServer { real }
    }

    /// Answers with `status` and `body` as JSON.
    fn answer(status: u16, body: &str) -> FakeServer {
        FakeServer::new(&format!(
            "return new Response({body:?}, {{ status: {status},
                headers: {{ 'Content-Type': 'application/json' }} }});"
        ))
    }

    /// What the app sent: field `name` of the noted request.
    fn seen(&self, name: &str) -> Option<String> {
        let seen = Reflect::get(&js_sys::global(), &"seen".into()).unwrap();
        Reflect::get(&seen, &name.into()).unwrap().as_string()
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        Reflect::set(&js_sys::global(), &"fetch".into(), &self.real).unwrap();
    }
}

#[wasm_bindgen_test]
async fn a_call_sends_the_session_cookie_and_the_language_and_reads_a_refusal_by_its_code() {
    let server = FakeServer::answer(
        401,
        r#"{"error":{"code":"unauthenticated","message":"Please sign in."}}"#,
    );
    api::set_lang(Lang::En);
    let error = api::me().await.unwrap_err();
    assert_eq!(error.code(), Some(ErrorCode::Unauthenticated));
    assert_eq!(error.message(), "Please sign in.");
    assert_eq!(server.seen("method").as_deref(), Some("GET"));
    assert!(server.seen("url").unwrap().ends_with("/api/me"));
    assert_eq!(server.seen("credentials").as_deref(), Some("same-origin"));
    assert_eq!(server.seen("language").as_deref(), Some("en"));
    assert_eq!(server.seen("accept").as_deref(), Some("application/json"));
    api::set_lang(Lang::Ja);
}

#[wasm_bindgen_test]
async fn a_write_sends_its_body_as_json_and_a_rate_limit_keeps_its_wait() {
    let server = FakeServer::answer(
        429,
        r#"{"error":{"code":"rate_limited","message":"待ってください。","retry_after_seconds":30}}"#,
    );
    let form = SignIn {
        login: "hanako".into(),
        password: "secret words".into(),
    };
    let Err(ApiError::Refused(body)) = api::sign_in(&form).await else {
        panic!("a refusal");
    };
    assert_eq!(body.code, ErrorCode::RateLimited);
    assert_eq!(body.retry_after_seconds, Some(30));
    assert_eq!(body.message, "待ってください。");
    assert_eq!(server.seen("method").as_deref(), Some("POST"));
    assert_eq!(
        server.seen("contentType").as_deref(),
        Some("application/json")
    );
    assert_eq!(server.seen("language").as_deref(), Some("ja"));
    let sent: SignIn = serde_json::from_str(&server.seen("body").unwrap()).unwrap();
    assert_eq!(sent, form);
}

#[wasm_bindgen_test]
async fn a_pull_names_its_cursor_and_scopes_in_the_query() {
    let server = FakeServer::answer(500, "not json");
    let request = PullRequest {
        client_id: "c1".into(),
        cursor: 5,
        scopes: vec![Scope::of("family", "f1"), Scope::public()],
    };
    let error = api::sync_pull(&request).await.unwrap_err();
    assert_eq!(error.code(), Some(ErrorCode::Internal), "not our JSON");
    let url = server.seen("url").unwrap();
    assert!(
        url.ends_with("/api/sync/pull?client_id=c1&cursor=5&scopes=family%3Af1%2Cpublic"),
        "{url}"
    );
}

#[wasm_bindgen_test]
async fn no_answer_or_a_proxys_error_page_is_unreachable_and_a_204_is_success() {
    let server = FakeServer::new("return Promise.reject(new TypeError('Failed to fetch'));");
    assert_eq!(api::me().await, Err(ApiError::Unreachable));
    drop(server);

    let _server = FakeServer::answer(502, "<html>Bad Gateway</html>");
    assert_eq!(api::me().await, Err(ApiError::Unreachable));
    drop(_server);

    let server = FakeServer::new("return new Response(null, { status: 204 });");
    assert_eq!(api::end_session("s1").await, Ok(()));
    assert_eq!(server.seen("method").as_deref(), Some("DELETE"));
    assert!(server.seen("url").unwrap().ends_with("/api/me/sessions/s1"));
}
