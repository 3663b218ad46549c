//! Errors as the dashboard answers them: a 4xx with a message that says
//! what was wrong and how to put it right, as JSON for the API and as a
//! page for a browser. Nothing the store or the server fails at becomes
//! a bare 500 with a stack.

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
        }
    }

    pub fn bad(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    pub fn missing(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, message)
    }

    /// The store failed: the server cannot answer now. 503, with the store
    /// named, so that a client retries rather than blames its input.
    pub fn store(e: impl std::fmt::Display) -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("the store could not be read or written: {e}"),
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": self.message });
        (
            self.status,
            [(header::CONTENT_TYPE, "application/json")],
            body.to_string(),
        )
            .into_response()
    }
}

/// An error as a page, for the forms.
pub struct PageError(pub ApiError);

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> Self {
        PageError(e)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let page = crate::pages::shell(
            "Something was not right",
            None,
            maud::html! {
                h1 { "Something was not right" }
                p class="errors" { (self.0.message) }
                p { a href="/" { "Back to the organisation" } }
            },
        );
        (self.0.status, page).into_response()
    }
}

/// Unknown paths: 404 as JSON under /api, else as a page.
pub async fn not_found(uri: axum::http::Uri, headers: HeaderMap) -> Response {
    let e = ApiError::missing(format!(
        "{}: no such page",
        keepopen_findings::printable(uri.path())
    ));
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    if uri.path().starts_with("/api/") || !wants_html {
        e.into_response()
    } else {
        PageError(e).into_response()
    }
}
