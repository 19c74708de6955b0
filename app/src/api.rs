//! The one typed client for the server's JSON API. Every call is a same-origin `fetch`
//! with the session cookie (the app never sees the token), asks for answers in the
//! language on screen, and turns every failure into an [`ApiError`] a person can be told.

use std::cell::Cell;

use domain::{
    ErrorCode, Lang,
    accounts::{ChangePassword, Me, PasswordChanged, SessionInfo, SignIn, SignUp},
    admin::{AuditPage, AuditVerification, RolesUpdate, UserSummary},
    calendar::{CalendarFeed, CalendarFeedStatus},
    error::ApiErrorBody,
    families::{AcceptInvite, ChildUpdate, Consent, Family, Invite, NewFamily, NewInvite},
    moderation::{Decision, Moderation, ReportedTarget},
    sync::protocol::{PullRequest, PullResponse, PushRequest, PushResponse},
};
use serde::{Serialize, de::DeserializeOwned};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, RequestCredentials, RequestInit, Response};

use crate::i18n::*;

thread_local! {
    /// The language on screen, for `Accept-Language`; the shell keeps it current.
    static LANG: Cell<Lang> = const { Cell::new(Lang::Ja) };
}

/// Asks the server to word its errors in this language from now on.
pub fn set_lang(lang: Lang) {
    LANG.with(|l| l.set(lang));
}

fn lang() -> Lang {
    LANG.with(Cell::get)
}

/// Why a call did not succeed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// No network, or the server did not answer at all.
    Unreachable,
    /// The server answered with an error: its code, and a sentence for the person.
    Refused(ApiErrorBody),
}

impl ApiError {
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            ApiError::Unreachable => None,
            ApiError::Refused(body) => Some(body.code),
        }
    }

    /// What to tell the person, in the language on screen when the call was made.
    pub fn message(&self) -> String {
        match self {
            ApiError::Unreachable => match lang() {
                Lang::Ja => td_string!(Locale::ja, api_unreachable).to_owned(),
                Lang::En => td_string!(Locale::en, api_unreachable).to_owned(),
            },
            ApiError::Refused(body) => body.message.clone(),
        }
    }

    /// An error the server would word the same way, made on this side.
    fn from_code(code: ErrorCode) -> ApiError {
        ApiError::Refused(ApiErrorBody {
            code,
            message: code.message(lang()).to_owned(),
            retry_after_seconds: None,
        })
    }
}

/// Sends one request and returns the body text of a 2xx answer.
async fn send(method: &str, path: &str, body: Option<String>) -> Result<String, ApiError> {
    let body = body.map(|text| (JsValue::from_str(&text), "application/json"));
    send_body(method, path, body).await
}

/// [`send`] with any body the browser can send (a file, say) and its Content-Type.
async fn send_body(
    method: &str,
    path: &str,
    body: Option<(JsValue, &str)>,
) -> Result<String, ApiError> {
    let window = web_sys::window().ok_or(ApiError::Unreachable)?;
    let headers = Headers::new().map_err(|_| ApiError::Unreachable)?;
    let _ = headers.append("Accept", "application/json");
    let _ = headers.append("Accept-Language", lang().tag());
    let init = RequestInit::new();
    init.set_method(method);
    init.set_credentials(RequestCredentials::SameOrigin);
    if let Some((body, content_type)) = body {
        let _ = headers.append("Content-Type", content_type);
        init.set_body(&body);
    }
    init.set_headers(&headers);

    let response: Response = JsFuture::from(window.fetch_with_str_and_init(path, &init))
        .await
        .map_err(|_| ApiError::Unreachable)?
        .unchecked_into();
    let text = match response.text() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()
            .and_then(|t| t.as_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    if response.ok() {
        return Ok(text);
    }
    match serde_json::from_str::<domain::ApiError>(&text) {
        Ok(error) => Err(ApiError::Refused(error.error)),
        // A proxy's error page, or a server that is starting: not our JSON.
        Err(_) if response.status() == 502 || response.status() == 504 => {
            Err(ApiError::Unreachable)
        }
        Err(_) => Err(ApiError::from_code(ErrorCode::Internal)),
    }
}

async fn call<B: Serialize, T: DeserializeOwned>(
    method: &str,
    path: &str,
    body: Option<&B>,
) -> Result<T, ApiError> {
    let body = body.and_then(|b| serde_json::to_string(b).ok());
    let text = send(method, path, body).await?;
    serde_json::from_str(&text).map_err(|_| ApiError::from_code(ErrorCode::Internal))
}

async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    call::<(), T>("GET", path, None).await
}

/// A request whose answer has no body (204).
async fn act<B: Serialize>(method: &str, path: &str, body: Option<&B>) -> Result<(), ApiError> {
    let body = body.and_then(|b| serde_json::to_string(b).ok());
    send(method, path, body).await.map(drop)
}

// Accounts.

pub async fn sign_up(form: &SignUp) -> Result<Me, ApiError> {
    call("POST", "/api/auth/sign-up", Some(form)).await
}

pub async fn sign_in(form: &SignIn) -> Result<Me, ApiError> {
    call("POST", "/api/auth/sign-in", Some(form)).await
}

pub async fn sign_out() -> Result<(), ApiError> {
    act::<()>("POST", "/api/auth/sign-out", None).await
}

pub async fn me() -> Result<Me, ApiError> {
    get("/api/me").await
}

pub async fn change_password(form: &ChangePassword) -> Result<PasswordChanged, ApiError> {
    call("POST", "/api/me/password", Some(form)).await
}

pub async fn sessions() -> Result<Vec<SessionInfo>, ApiError> {
    get("/api/me/sessions").await
}

pub async fn end_session(id: &str) -> Result<(), ApiError> {
    act::<()>("DELETE", &format!("/api/me/sessions/{id}"), None).await
}

// Families.

pub async fn create_family(form: &NewFamily) -> Result<Family, ApiError> {
    call("POST", "/api/families", Some(form)).await
}

pub async fn family(id: &str) -> Result<Family, ApiError> {
    get(&format!("/api/families/{id}")).await
}

pub async fn update_child(id: &str, form: &ChildUpdate) -> Result<Family, ApiError> {
    call("PUT", &format!("/api/families/{id}/child"), Some(form)).await
}

pub async fn set_consent(id: &str, consent: Consent) -> Result<Family, ApiError> {
    call(
        "PUT",
        &format!("/api/families/{id}/consent"),
        Some(&consent),
    )
    .await
}

pub async fn create_invite(id: &str, invite: NewInvite) -> Result<Invite, ApiError> {
    call(
        "POST",
        &format!("/api/families/{id}/invites"),
        Some(&invite),
    )
    .await
}

pub async fn remove_member(id: &str, user_id: &str) -> Result<(), ApiError> {
    act::<()>(
        "DELETE",
        &format!("/api/families/{id}/members/{user_id}"),
        None,
    )
    .await
}

pub async fn accept_invite(form: &AcceptInvite) -> Result<Family, ApiError> {
    call("POST", "/api/invites/accept", Some(form)).await
}

// Administration.

pub async fn users() -> Result<Vec<UserSummary>, ApiError> {
    get("/api/admin/users").await
}

pub async fn set_roles(user_id: &str, roles: &RolesUpdate) -> Result<UserSummary, ApiError> {
    call(
        "PUT",
        &format!("/api/admin/users/{user_id}/roles"),
        Some(roles),
    )
    .await
}

pub async fn audit(before: Option<i64>) -> Result<AuditPage, ApiError> {
    match before {
        Some(before) => get(&format!("/api/admin/audit?before={before}&limit=50")).await,
        None => get("/api/admin/audit?limit=50").await,
    }
}

pub async fn verify_audit() -> Result<AuditVerification, ApiError> {
    get("/api/admin/audit/verify").await
}

// Moderation (admins; online only).

pub async fn reports() -> Result<Vec<ReportedTarget>, ApiError> {
    get("/api/admin/reports").await
}

pub async fn moderate(target_id: &str, decision: &Decision) -> Result<Moderation, ApiError> {
    let path = format!(
        "/api/admin/moderation/{}",
        js_sys::encode_uri_component(target_id)
    );
    call("POST", &path, Some(decision)).await
}

// Offline sync (docs/sync.md).

pub async fn sync_push(request: &PushRequest) -> Result<PushResponse, ApiError> {
    call("POST", "/api/sync/push", Some(request)).await
}

pub async fn sync_pull(request: &PullRequest) -> Result<PullResponse, ApiError> {
    let scopes: Vec<&str> = request.scopes.iter().map(|s| s.0.as_str()).collect();
    let path = format!(
        "/api/sync/pull?client_id={}&cursor={}&scopes={}",
        js_sys::encode_uri_component(&request.client_id),
        request.cursor,
        js_sys::encode_uri_component(&scopes.join(","))
    );
    get(&path).await
}

/// Every association (名前 and area), for the event board's filters and names.
pub async fn associations() -> Result<Vec<domain::associations::Association>, ApiError> {
    get("/api/associations").await
}

// Calendar feeds.

pub async fn calendar_feed_status() -> Result<CalendarFeedStatus, ApiError> {
    get("/api/me/calendar-feed").await
}

/// Makes (or replaces) the private "my RSVPs" feed; its address comes this once.
pub async fn create_calendar_feed() -> Result<CalendarFeed, ApiError> {
    call::<(), CalendarFeed>("POST", "/api/me/calendar-feed", None).await
}

pub async fn stop_calendar_feed() -> Result<(), ApiError> {
    act::<()>("DELETE", "/api/me/calendar-feed", None).await
}

// Circulars.

/// Uploads a file for a circular (editors; needs a connection). The browser sends the
/// file as it is; the server judges what it is by its content.
pub async fn upload_attachment(
    association_id: &str,
    file: &web_sys::File,
) -> Result<domain::circulars::Uploaded, ApiError> {
    let path = format!("/api/associations/{association_id}/attachments");
    let body = Some((JsValue::from(file.clone()), "application/octet-stream"));
    let text = send_body("PUT", &path, body).await?;
    serde_json::from_str(&text).map_err(|_| ApiError::from_code(ErrorCode::Internal))
}
