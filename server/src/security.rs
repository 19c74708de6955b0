//! Hardening shared by every route: security headers with a strict Content-Security-Policy,
//! the cross-site request check for state-changing API calls, rate limits on sign-in and
//! sign-up, and the real peer address they key on.

use std::{
    net::{IpAddr, SocketAddr},
    num::NonZeroU32,
    path::Path,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use axum::{
    extract::{ConnectInfo, Request, State},
    http::{HeaderMap, HeaderName, HeaderValue, Method, header},
    middleware::Next,
    response::Response,
};
use domain::ErrorCode;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use sha2::{Digest, Sha256};
use tower_governor::{GovernorError, key_extractor::KeyExtractor};

use crate::{config::SecurityConfig, error::AppError};

/// Settings and in-memory limiters every handler can reach through `AppState`.
#[derive(Debug)]
pub struct Security {
    pub session_idle_hours: u32,
    pub session_max_days: u32,
    pub auth_burst: u32,
    pub auth_period: Duration,
    pub trusted_proxies: Arc<Vec<IpAddr>>,
    pub public_origin: Option<String>,
    /// Sign-in attempts per account (normalized log-in name).
    pub account_limiter: DefaultKeyedRateLimiter<String>,
    /// At most one audit entry per account per period for a burst of failures.
    pub burst_audit_limiter: DefaultKeyedRateLimiter<String>,
    pub account_period: Duration,
    /// Sign-in attempts per known device (its cookie's hash), instead of per account.
    pub device_limiter: DefaultKeyedRateLimiter<String>,
    /// Invite codes tried per account.
    pub invite_limiter: DefaultKeyedRateLimiter<String>,
    /// Password changes per session (each runs argon2 twice).
    pub password_limiter: DefaultKeyedRateLimiter<String>,
    /// Checks since the limiters were last pruned.
    checks: AtomicU64,
    /// Most live records, and bytes of their bodies, one account may have written.
    pub quota_records: u64,
    pub quota_bytes: u64,
}

impl Security {
    pub fn new(config: &SecurityConfig) -> Security {
        let account_period = Duration::from_secs(config.account_period_seconds.max(1));
        let burst = NonZeroU32::new(config.account_burst.max(1)).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::with_period(account_period)
            .unwrap_or_else(|| Quota::per_minute(NonZeroU32::MIN))
            .allow_burst(burst);
        let audit_quota = Quota::with_period(account_period)
            .unwrap_or_else(|| Quota::per_minute(NonZeroU32::MIN));
        Security {
            session_idle_hours: config.session_idle_hours.max(1),
            session_max_days: config.session_max_days.max(1),
            auth_burst: config.auth_burst.max(1),
            auth_period: Duration::from_secs(config.auth_period_seconds.max(1)),
            trusted_proxies: Arc::new(config.trusted_proxies.clone()),
            public_origin: config
                .public_origin
                .as_ref()
                .map(|o| o.trim_end_matches('/').to_owned()),
            account_limiter: RateLimiter::keyed(quota),
            password_limiter: RateLimiter::keyed(quota),
            invite_limiter: RateLimiter::keyed(quota),
            device_limiter: RateLimiter::keyed(quota),
            checks: AtomicU64::new(0),
            burst_audit_limiter: RateLimiter::keyed(audit_quota),
            account_period,
            quota_records: config.quota_records,
            quota_bytes: config.quota_bytes,
        }
    }

    /// Takes one sign-in attempt for the normalized log-in name `login`; `Err(seconds)`
    /// says how long to wait.
    pub fn check_account(&self, login: &str) -> Result<(), u64> {
        self.tick();
        check(&self.account_limiter, &account_key(login))
    }

    /// Takes one password change for a session; `Err(seconds)` says how long to wait.
    pub fn check_password_change(&self, session_id: &str) -> Result<(), u64> {
        self.tick();
        check(&self.password_limiter, &session_id.to_owned())
    }

    /// Takes one sign-in attempt from a device known to the account (the SHA-256 of its
    /// cookie); `Err(seconds)` says how long to wait.
    pub fn check_device(&self, device_hash: &str) -> Result<(), u64> {
        self.tick();
        check(&self.device_limiter, &device_hash.to_owned())
    }

    /// Takes one invite code try for an account; `Err(seconds)` says how long to wait.
    pub fn check_invite(&self, user_id: &str) -> Result<(), u64> {
        self.tick();
        check(&self.invite_limiter, &user_id.to_owned())
    }

    /// Every 1024 checks, forgets the keys whose limits have refilled, so the maps
    /// never grow beyond the keys of the last period.
    fn tick(&self) {
        if self.checks.fetch_add(1, Ordering::Relaxed) % 1024 == 1023 {
            self.prune();
        }
    }

    /// Forgets the keys whose limits have refilled.
    pub fn prune(&self) {
        for limiter in [
            &self.account_limiter,
            &self.burst_audit_limiter,
            &self.password_limiter,
            &self.invite_limiter,
            &self.device_limiter,
        ] {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }
}

/// The per-account limiter's key: the normalized log-in name, bounded. No account has a
/// name longer than `LOGIN_MAX_CHARS`, so every longer one shares one key.
pub fn account_key(login: &str) -> String {
    if login.chars().count() <= domain::accounts::LOGIN_MAX_CHARS {
        login.to_owned()
    } else {
        "(too long)".to_owned()
    }
}

fn check(limiter: &DefaultKeyedRateLimiter<String>, key: &String) -> Result<(), u64> {
    limiter.check_key(key).map_err(|not_until| {
        let wait = not_until.wait_time_from(governor::clock::DefaultClock::default().now());
        wait.as_secs().max(1)
    })
}

use governor::clock::Clock;

/// The rate-limit key: the TCP peer's address, or — only when the peer is a configured
/// trusted proxy — the last address that proxy appended to `X-Forwarded-For`.
#[derive(Debug, Clone)]
pub struct PeerKey {
    pub trusted_proxies: Arc<Vec<IpAddr>>,
}

impl KeyExtractor for PeerKey {
    type Key = IpAddr;

    fn extract<T>(&self, req: &axum::http::Request<T>) -> Result<IpAddr, GovernorError> {
        let peer = req
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip())
            .ok_or(GovernorError::UnableToExtractKey)?;
        Ok(client_ip(peer, req.headers(), &self.trusted_proxies))
    }
}

/// The client's address as far as it can be believed.
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted_proxies: &[IpAddr]) -> IpAddr {
    if !trusted_proxies.contains(&peer) {
        return peer;
    }
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|hop| hop.trim().parse::<IpAddr>().ok())
        .next_back()
        .unwrap_or(peer)
}

/// The answer when an address makes too many attempts: JSON `rate_limited`, re-worded
/// for the caller by `error::localize`.
pub fn rate_limited_response(error: GovernorError) -> Response {
    let wait = match error {
        GovernorError::TooManyRequests { wait_time, .. } => wait_time.max(1),
        _ => 60,
    };
    crate::error::rate_limited(wait, domain::Lang::default())
}

/// Refuses state-changing API requests that another site could have made a browser
/// send: `Sec-Fetch-Site` must be `same-origin` (or absent, for non-browser clients) and
/// `Origin` must be present and name this server.
pub async fn same_origin_only(
    State(security): State<Arc<Security>>,
    request: Request,
    next: Next,
) -> Result<Response, AppError> {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe && !is_same_origin(request.headers(), security.public_origin.as_deref()) {
        tracing::warn!("refused a cross-site request");
        return Err(AppError::Code(ErrorCode::CrossSiteRequest));
    }
    Ok(next.run(request).await)
}

fn is_same_origin(headers: &HeaderMap, public_origin: Option<&str>) -> bool {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if header("sec-fetch-site").is_some_and(|site| site != "same-origin") {
        return false;
    }
    let Some(origin) = header("origin") else {
        return false;
    };
    match public_origin {
        Some(expected) => origin == expected,
        None => {
            let authority = origin
                .strip_prefix("https://")
                .or_else(|| origin.strip_prefix("http://"));
            authority.is_some() && authority == header("host")
        }
    }
}

/// The headers every answer carries, pages and API alike.
#[derive(Debug, Clone)]
pub struct SecurityHeaders {
    headers: Vec<(HeaderName, HeaderValue)>,
}

impl SecurityHeaders {
    /// Builds the policy for the app in `dist`: trunk's inline module loader is allowed
    /// by its SHA-256 (read from index.html), WebAssembly by `'wasm-unsafe-eval'`, and
    /// nothing else inline.
    pub fn for_dist(dist: &Path, public_origin: Option<&str>) -> SecurityHeaders {
        let html = std::fs::read_to_string(dist.join("index.html")).unwrap_or_default();
        let hashes: String = inline_scripts(&html)
            .into_iter()
            .map(|script| {
                let digest = Sha256::digest(script.as_bytes());
                format!(" 'sha256-{}'", base64_encode(&digest))
            })
            .collect();
        let csp = format!(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; \
             style-src 'self'; img-src 'self' data: blob:; font-src 'self'; \
             connect-src 'self'; manifest-src 'self'; worker-src 'self'; \
             object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        );
        let mut headers = vec![
            (header::CONTENT_SECURITY_POLICY, csp),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".into()),
            (header::REFERRER_POLICY, "no-referrer".into()),
            (
                HeaderName::from_static("permissions-policy"),
                "camera=(self), microphone=(), geolocation=(), payment=(), usb=(), \
                 interest-cohort=()"
                    .into(),
            ),
            (
                HeaderName::from_static("cross-origin-opener-policy"),
                "same-origin".into(),
            ),
            (
                HeaderName::from_static("cross-origin-resource-policy"),
                "same-origin".into(),
            ),
            (header::X_FRAME_OPTIONS, "DENY".into()),
        ];
        if public_origin.is_some_and(|o| o.starts_with("https://")) {
            headers.push((
                header::STRICT_TRANSPORT_SECURITY,
                "max-age=31536000; includeSubDomains".into(),
            ));
        }
        SecurityHeaders {
            headers: headers
                .into_iter()
                .filter_map(|(name, value)| Some((name, HeaderValue::from_str(&value).ok()?)))
                .collect(),
        }
    }

    /// Sets every header; a route that wrote its own Content-Security-Policy (a PDF
    /// attachment, which Chromium's viewer shows only with `object-src 'self'`) keeps it.
    pub fn apply(&self, headers: &mut HeaderMap) {
        for (name, value) in &self.headers {
            if name == header::CONTENT_SECURITY_POLICY {
                headers.entry(name.clone()).or_insert_with(|| value.clone());
            } else {
                headers.insert(name.clone(), value.clone());
            }
        }
    }
}

/// Middleware: adds [`SecurityHeaders`] to every response.
pub async fn add_headers(
    State(headers): State<Arc<SecurityHeaders>>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    headers.apply(response.headers_mut());
    response
}

/// The bodies of `<script>` elements without `src`, exactly as the browser hashes them.
fn inline_scripts(html: &str) -> Vec<&str> {
    let mut scripts = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let tag = &after[..open_end];
        let body_start = open_end + 1;
        let Some(close) = after[body_start..].find("</script>") else {
            break;
        };
        if !tag.contains("src=") {
            scripts.push(&after[body_start..body_start + close]);
        }
        rest = &after[body_start + close..];
    }
    scripts
}

fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limiter_keys_are_bounded_and_refilled_keys_are_forgotten() {
        assert_eq!(account_key("hanako"), "hanako");
        assert_eq!(account_key(&"x".repeat(65_536)), "(too long)");
        let security = Security::new(&crate::config::SecurityConfig {
            account_burst: 1,
            account_period_seconds: 1,
            ..Default::default()
        });
        for n in 0..3000 {
            let _ = security.check_account(&format!("guess{n}"));
        }
        assert!(security.account_limiter.len() >= 1000);
        // governor forgets a key two periods after its last use.
        std::thread::sleep(Duration::from_millis(2100));
        security.prune();
        assert_eq!(security.account_limiter.len(), 0);
    }

    #[test]
    fn inline_scripts_are_found_and_external_ones_skipped() {
        let html = "<head><script type=\"module\">\nimport init from '/a.js';\n</script>\
                    <script src=\"/x.js\"></script><script>b()</script></head>";
        assert_eq!(
            inline_scripts(html),
            vec!["\nimport init from '/a.js';\n", "b()"]
        );
    }

    #[test]
    fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            "203.0.113.9, 198.51.100.7".parse().unwrap(),
        );
        let peer: IpAddr = "10.0.0.2".parse().unwrap();
        assert_eq!(client_ip(peer, &headers, &[]), peer);
        assert_eq!(
            client_ip(peer, &headers, &[peer]),
            "198.51.100.7".parse::<IpAddr>().unwrap()
        );
    }

    #[test]
    fn origin_must_match_host_or_the_public_origin() {
        let mut headers = HeaderMap::new();
        headers.insert("host", "127.0.0.1:8080".parse().unwrap());
        assert!(!is_same_origin(&headers, None), "no Origin");
        headers.insert("origin", "http://127.0.0.1:8080".parse().unwrap());
        assert!(is_same_origin(&headers, None));
        headers.insert("sec-fetch-site", "cross-site".parse().unwrap());
        assert!(!is_same_origin(&headers, None));
        headers.insert("sec-fetch-site", "same-origin".parse().unwrap());
        assert!(is_same_origin(&headers, None));
        assert!(!is_same_origin(
            &headers,
            Some("https://tsunagaru.example.jp")
        ));
        headers.insert("origin", "http://evil.example:8080".parse().unwrap());
        assert!(!is_same_origin(&headers, None));
    }
}
