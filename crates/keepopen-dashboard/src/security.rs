//! The dashboard's own defences. It shows where secrets and patient data
//! sit, so:
//!
//! - every answer carries a strict Content-Security-Policy (nothing inline,
//!   nothing from another origin), refuses framing, sends no Referer and
//!   is not cached;
//! - a request whose Host is not this server's is refused (against DNS
//!   rebinding: a page on another name that resolves to 127.0.0.1);
//! - a write needs the token: either `Authorization: Bearer TOKEN` (not
//!   sent by browsers on their own, so not forgeable across sites), or the
//!   session cookie that signing in with the token sets together with the
//!   session's CSRF token in the form or the `X-CSRF-Token` header; a
//!   request another site (or another port) sent is refused outright.

use crate::App;
use crate::error::{ApiError, PageError};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use subtle::ConstantTimeEq;

const COOKIE: &str = "keepopen-session";
/// How long a session lasts: a working day, then the token again.
const SESSION: Duration = Duration::from_secs(12 * 3600);
/// The most sessions kept: the oldest go first.
const MAX_SESSIONS: usize = 1000;
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

pub struct Security {
    token: [u8; 32],
    /// Session id → its CSRF token and when it began.
    sessions: Mutex<HashMap<String, (String, Instant)>>,
    /// `host:port` values a request may name, lower case.
    hosts: Vec<String>,
}

/// 32 random bytes as 64 hex digits: the write token, a session, a CSRF
/// token.
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).expect("the operating system's random source");
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn digest(s: &str) -> [u8; 32] {
    Sha256::digest(s.as_bytes()).into()
}

impl Security {
    pub fn new(token: &str, addr: SocketAddr, extra: &[String]) -> Self {
        let port = addr.port();
        let mut hosts = vec![
            format!("127.0.0.1:{port}"),
            format!("localhost:{port}"),
            format!("[::1]:{port}"),
        ];
        if !addr.ip().is_unspecified() {
            hosts.push(match addr {
                SocketAddr::V4(a) => format!("{}:{port}", a.ip()),
                SocketAddr::V6(a) => format!("[{}]:{port}", a.ip()),
            });
        }
        for h in extra {
            let h = h.trim().to_ascii_lowercase();
            hosts.push(if h.contains(':') && !h.ends_with(']') {
                h
            } else {
                format!("{h}:{port}")
            });
        }
        Security {
            token: digest(token),
            sessions: Mutex::new(HashMap::new()),
            hosts,
        }
    }

    fn token_is(&self, given: &str) -> bool {
        bool::from(digest(given).ct_eq(&self.token))
    }

    /// The CSRF token of the request's session, if it is signed in.
    pub fn session(&self, headers: &HeaderMap) -> Option<String> {
        let id = cookie(headers)?;
        let sessions = self.sessions.lock().unwrap_or_else(|p| p.into_inner());
        sessions
            .get(&id)
            .filter(|(_, began)| began.elapsed() < SESSION)
            .map(|(csrf, _)| csrf.clone())
    }

    /// Whether the request may write. `form_csrf` is the form's CSRF
    /// field, when the write is a form.
    pub fn authorize(&self, headers: &HeaderMap, form_csrf: Option<&str>) -> Result<(), ApiError> {
        if !same_origin(headers) {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "a write from another site is refused (Origin or Sec-Fetch-Site)",
            ));
        }
        if let Some(auth) = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
        {
            return match auth.strip_prefix("Bearer ") {
                Some(t) if self.token_is(t.trim()) => Ok(()),
                _ => Err(ApiError::new(
                    StatusCode::UNAUTHORIZED,
                    "the Authorization header does not hold the token `keepopen serve` printed (or KEEPOPEN_TOKEN)",
                )),
            };
        }
        let Some(csrf) = self.session(headers) else {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "a write needs the token: sign in at /login, or send Authorization: Bearer TOKEN",
            ));
        };
        let given = form_csrf.map(str::to_string).or_else(|| {
            headers
                .get("x-csrf-token")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        });
        match given {
            Some(g) if bool::from(g.as_bytes().ct_eq(csrf.as_bytes())) => Ok(()),
            _ => Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "the form's CSRF token is missing or stale: reload the page and try again",
            )),
        }
    }
}

/// Whether a write comes from this server's own pages, or from no page
/// at all (a script with the token). A browser says where a request comes
/// from in `Sec-Fetch-Site`: only `same-origin` passes, since another port
/// on localhost is `same-site`. Without it, an `Origin` must be this
/// server's; `null` (what a page with `Referrer-Policy: no-referrer` sends)
/// passes only with `Sec-Fetch-Site: same-origin`.
fn same_origin(headers: &HeaderMap) -> bool {
    let value = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = value("sec-fetch-site") {
        return site == "same-origin";
    }
    match value("origin") {
        None => true,
        Some(o) => {
            let host = value("host").unwrap_or("");
            o.eq_ignore_ascii_case(&format!("http://{host}"))
        }
    }
}

fn cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_string())
}

/// Host check first, then the security headers on whatever is answered.
pub async fn guard(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_ascii_lowercase);
    let mut response = match host {
        Some(h) if app.security.hosts.contains(&h) => next.run(request).await,
        other => ApiError::new(
            StatusCode::MISDIRECTED_REQUEST,
            format!(
                "Host `{}` is not this server: keepopen serve answers to {} only (against DNS rebinding; --allow-host adds a name)",
                keepopen_findings::printable(other.as_deref().unwrap_or("")),
                app.security.hosts.join(", ")
            ),
        )
        .into_response(),
    };
    let h = response.headers_mut();
    for (k, v) in [
        ("content-security-policy", CSP),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "no-referrer"),
        ("x-content-type-options", "nosniff"),
        ("cross-origin-opener-policy", "same-origin"),
        ("cross-origin-resource-policy", "same-origin"),
    ] {
        h.insert(k, HeaderValue::from_static(v));
    }
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

#[derive(serde::Deserialize)]
pub struct Login {
    #[serde(default)]
    token: String,
    #[serde(default)]
    next: String,
}

/// A local path to go back to: never another site.
pub fn local(next: &str) -> String {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next.to_string()
    } else {
        "/".into()
    }
}

/// `POST /login`: the token, checked, gives a session.
pub async fn login(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    form: Result<axum::Form<Login>, axum::extract::rejection::FormRejection>,
) -> Result<Response, PageError> {
    let axum::Form(form) = form.map_err(|e| ApiError::bad(format!("the sign-in form: {e}")))?;
    if !same_origin(&headers) || !app.security.token_is(form.token.trim()) {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "that is not the token `keepopen serve` printed when it started (or KEEPOPEN_TOKEN)",
        )
        .into());
    }
    let id = random_token();
    {
        let mut sessions = app
            .security
            .sessions
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        sessions.retain(|_, (_, began)| began.elapsed() < SESSION);
        while sessions.len() >= MAX_SESSIONS {
            let Some(oldest) = sessions
                .iter()
                .min_by_key(|(_, (_, began))| *began)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            sessions.remove(&oldest);
        }
        sessions.insert(id.clone(), (random_token(), Instant::now()));
    }
    let mut r = Redirect::to(&local(&form.next)).into_response();
    r.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&format!(
            "{COOKIE}={id}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}",
            SESSION.as_secs()
        ))
        .map_err(|e| ApiError::bad(e.to_string()))?,
    );
    Ok(r)
}

#[derive(serde::Deserialize)]
pub struct Logout {
    #[serde(default)]
    csrf: String,
}

/// `POST /logout`: the session ends.
pub async fn logout(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    form: Result<axum::Form<Logout>, axum::extract::rejection::FormRejection>,
) -> Result<Response, PageError> {
    let axum::Form(form) = form.map_err(|e| ApiError::bad(format!("the form: {e}")))?;
    app.security.authorize(&headers, Some(&form.csrf))?;
    if let Some(id) = cookie(&headers) {
        app.security
            .sessions
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&id);
    }
    let mut r = Redirect::to("/").into_response();
    r.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("keepopen-session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"),
    );
    Ok(r)
}
