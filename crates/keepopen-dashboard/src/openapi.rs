//! `/api/openapi.json`: the JSON endpoints described, for clients and for
//! the schemathesis run in the test script (no 5xx, nothing outside it).

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

pub const DOCUMENT: &str = include_str!("openapi.json");

pub async fn document() -> Response {
    let mut r = DOCUMENT.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}
