//! The one typed client for the server's JSON API, over `gloo-net`'s `fetch`. Every call
//! is same-origin with the session cookie (the app never sees the token), asks for
//! answers in the language on screen, and turns every failure into an [`ApiError`] a
//! person can be told.

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
use gloo_net::http::{Method, Request, RequestBuilder, Response};
use serde::{Serialize, de::DeserializeOwned};
use web_sys::RequestCredentials;

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

/// A request to the API: same origin, with the session cookie (`credentials:
/// same-origin`; the app never sees the token), JSON asked for in the language on screen.
/// The browser adds this site's `Origin` to every state-changing request itself.
fn request(method: Method, path: &str) -> RequestBuilder {
    RequestBuilder::new(path)
        .method(method)
        .credentials(RequestCredentials::SameOrigin)
        .header("Accept", "application/json")
        .header("Accept-Language", lang().tag())
}

/// `builder` with `body` as JSON (`Content-Type: application/json`), or with no body.
fn with_json<B: Serialize>(builder: RequestBuilder, body: Option<&B>) -> Result<Request, ApiError> {
    match body {
        Some(body) => builder.json(body),
        None => builder.build(),
    }
    .map_err(|_| ApiError::from_code(ErrorCode::Internal))
}

/// Sends a request; a 2xx answer is returned, any other becomes an [`ApiError`].
async fn send(request: Result<Request, ApiError>) -> Result<Response, ApiError> {
    let response = request?.send().await.map_err(|_| ApiError::Unreachable)?;
    if response.ok() {
        return Ok(response);
    }
    match response.json::<domain::ApiError>().await {
        Ok(error) => Err(ApiError::Refused(error.error)),
        // A proxy's error page, or a server that is starting: not our JSON.
        Err(_) if response.status() == 502 || response.status() == 504 => {
            Err(ApiError::Unreachable)
        }
        Err(_) => Err(ApiError::from_code(ErrorCode::Internal)),
    }
}

/// The JSON body of a 2xx answer as `T`.
async fn parsed<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    response
        .json()
        .await
        .map_err(|_| ApiError::from_code(ErrorCode::Internal))
}

async fn call<B: Serialize, T: DeserializeOwned>(
    method: Method,
    path: &str,
    body: Option<&B>,
) -> Result<T, ApiError> {
    parsed(send(with_json(request(method, path), body)).await?).await
}

async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    call::<(), T>(Method::GET, path, None).await
}

/// A request whose answer has no body (204).
async fn act<B: Serialize>(method: Method, path: &str, body: Option<&B>) -> Result<(), ApiError> {
    send(with_json(request(method, path), body)).await.map(drop)
}

// Accounts.

pub async fn sign_up(form: &SignUp) -> Result<Me, ApiError> {
    call(Method::POST, "/api/auth/sign-up", Some(form)).await
}

pub async fn sign_in(form: &SignIn) -> Result<Me, ApiError> {
    call(Method::POST, "/api/auth/sign-in", Some(form)).await
}

pub async fn sign_out() -> Result<(), ApiError> {
    act::<()>(Method::POST, "/api/auth/sign-out", None).await
}

pub async fn me() -> Result<Me, ApiError> {
    get("/api/me").await
}

pub async fn change_password(form: &ChangePassword) -> Result<PasswordChanged, ApiError> {
    call(Method::POST, "/api/me/password", Some(form)).await
}

pub async fn sessions() -> Result<Vec<SessionInfo>, ApiError> {
    get("/api/me/sessions").await
}

pub async fn end_session(id: &str) -> Result<(), ApiError> {
    act::<()>(Method::DELETE, &format!("/api/me/sessions/{id}"), None).await
}

// Families.

pub async fn create_family(form: &NewFamily) -> Result<Family, ApiError> {
    call(Method::POST, "/api/families", Some(form)).await
}

pub async fn family(id: &str) -> Result<Family, ApiError> {
    get(&format!("/api/families/{id}")).await
}

/// Health staff: the families that share their handbook with the health centre.
pub async fn health_centre_families() -> Result<Vec<Family>, ApiError> {
    get("/api/health-centre/families").await
}

pub async fn update_child(id: &str, form: &ChildUpdate) -> Result<Family, ApiError> {
    call(
        Method::PUT,
        &format!("/api/families/{id}/child"),
        Some(form),
    )
    .await
}

pub async fn set_consent(id: &str, consent: Consent) -> Result<Family, ApiError> {
    call(
        Method::PUT,
        &format!("/api/families/{id}/consent"),
        Some(&consent),
    )
    .await
}

pub async fn create_invite(id: &str, invite: NewInvite) -> Result<Invite, ApiError> {
    call(
        Method::POST,
        &format!("/api/families/{id}/invites"),
        Some(&invite),
    )
    .await
}

pub async fn remove_member(id: &str, user_id: &str) -> Result<(), ApiError> {
    act::<()>(
        Method::DELETE,
        &format!("/api/families/{id}/members/{user_id}"),
        None,
    )
    .await
}

pub async fn accept_invite(form: &AcceptInvite) -> Result<Family, ApiError> {
    call(Method::POST, "/api/invites/accept", Some(form)).await
}

// Administration.

pub async fn users() -> Result<Vec<UserSummary>, ApiError> {
    get("/api/admin/users").await
}

pub async fn set_roles(user_id: &str, roles: &RolesUpdate) -> Result<UserSummary, ApiError> {
    call(
        Method::PUT,
        &format!("/api/admin/users/{user_id}/roles"),
        Some(roles),
    )
    .await
}

pub async fn audit(before: Option<i64>) -> Result<AuditPage, ApiError> {
    let before = before.map(|b| b.to_string());
    let query = before.iter().map(|b| ("before", b.as_str()));
    let request = request(Method::GET, "/api/admin/audit").query(query.chain([("limit", "50")]));
    parsed(send(with_json::<()>(request, None)).await?).await
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
    call(Method::POST, &path, Some(decision)).await
}

// Offline sync (docs/sync.md).

pub async fn sync_push(request: &PushRequest) -> Result<PushResponse, ApiError> {
    call(Method::POST, "/api/sync/push", Some(request)).await
}

pub async fn sync_pull(request: &PullRequest) -> Result<PullResponse, ApiError> {
    let scopes: Vec<&str> = request.scopes.iter().map(|s| s.0.as_str()).collect();
    let (cursor, scopes) = (request.cursor.to_string(), scopes.join(","));
    let pull = self::request(Method::GET, "/api/sync/pull").query([
        ("client_id", request.client_id.as_str()),
        ("cursor", &cursor),
        ("scopes", &scopes),
    ]);
    parsed(send(with_json::<()>(pull, None)).await?).await
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
    call::<(), CalendarFeed>(Method::POST, "/api/me/calendar-feed", None).await
}

pub async fn stop_calendar_feed() -> Result<(), ApiError> {
    act::<()>(Method::DELETE, "/api/me/calendar-feed", None).await
}

// Circulars.

/// Uploads a file for a circular (editors; needs a connection). The browser sends the
/// file as it is; the server judges what it is by its content.
pub async fn upload_attachment(
    association_id: &str,
    file: &web_sys::File,
) -> Result<domain::circulars::Uploaded, ApiError> {
    let path = format!("/api/associations/{association_id}/attachments");
    let upload = request(Method::PUT, &path)
        .header("Content-Type", "application/octet-stream")
        .body(file.clone())
        .map_err(|_| ApiError::from_code(ErrorCode::Internal));
    parsed(send(upload).await?).await
}
