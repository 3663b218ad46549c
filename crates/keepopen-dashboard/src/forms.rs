//! The forms: their markup, and the handlers that take them. Each form
//! carries its session's CSRF token; each handler checks it, does what the
//! JSON API's action does (`actions`), and sends the browser back to a page.

use crate::App;
use crate::actions::{self, CloseInput, ExceptionInput, RenewInput, TriageInput};
use crate::error::ApiError;
use crate::pages::{PageAnswer, repo_link};
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect};
use keepopen_findings::{TriageState, printable};
use keepopen_report::HtmlFinding;
use maud::{Markup, html};
use serde::Deserialize;
use std::sync::Arc;

/// A finding's verdict form, or why there is none.
pub(crate) fn triage_form(f: &HtmlFinding, csrf: Option<&str>, next: &str, n: usize) -> Markup {
    let id = |k: &str| format!("t{n}-{k}");
    html! {
        @if let Some(c) = csrf {
            form method="post" action="/triage" class="triage" aria-label={ "Triage " (printable(&f.rule)) " in " (printable(&f.path)) } {
                input type="hidden" name="csrf" value=(c);
                input type="hidden" name="fingerprint" value=(f.fingerprint);
                input type="hidden" name="next" value=(next);
                label for=(id("state")) { "Verdict" }
                select id=(id("state")) name="state" {
                    @for s in TriageState::ALL { option value=(s.as_str()) { (s.as_str()) } }
                }
                label for=(id("reason")) { "Reason" }
                input id=(id("reason")) name="reason" required maxlength="2000";
                label for=(id("expires")) { "Expires (required for accepted-risk)" }
                input id=(id("expires")) name="expires" type="date";
                button type="submit" { "Save verdict" }
            }
        }
    }
}

pub(crate) fn exception_form(csrf: &str, path: &str) -> Markup {
    let field = |name: &str, label: &str, hint: &str| {
        html! {
            div {
                label for={ "xn-" (name) } { (label) }
                @if !hint.is_empty() { span class="muted" id={ "xn-" (name) "-hint" } { " " (hint) } }
                textarea id={ "xn-" (name) } name=(name) required rows="2" aria-describedby=[(!hint.is_empty()).then(|| format!("xn-{name}-hint"))] {}
            }
        }
    };
    html! {
        details {
            summary { "Create an exception" }
            form method="post" action="/exceptions" class="stack" aria-label="Create an exception" {
                input type="hidden" name="csrf" value=(csrf);
                input type="hidden" name="repository" value=(path);
                div { label for="xn-id" { "Id (letters, digits, . _ -)" } input id="xn-id" name="id" required maxlength="80" pattern="[A-Za-z0-9_\\-][A-Za-z0-9._\\-]*"; }
                div { label for="xn-scope" { "Scope: paths or globs, one per line (** for the whole repository)" } textarea id="xn-scope" name="scope" required rows="2" {} }
                div { label for="xn-rules" { "Rules (optional), one per line" } textarea id="xn-rules" name="rules" rows="1" {} }
                (field("attacker", "Attacker", "who could credibly attack this?"))
                (field("publication_adds", "What publication adds", "for that attacker, beyond what they have already"))
                (field("path_to_harm", "Path to harm", "the realistic route from this code to harm"))
                (field("alternatives", "Alternatives considered", ""))
                (field("compensating_controls", "Compensating controls", ""))
                div { label for="xn-approver" { "Approver" } input id="xn-approver" name="approver" required; }
                div { label for="xn-expires" { "Expires (at most 12 months; default 6)" } input id="xn-expires" name="expires" type="date"; }
                button type="submit" { "Create the record" }
            }
        }
    }
}

/// A form that carries its session's CSRF token.
trait Csrf {
    fn csrf(&self) -> &str;
}

/// The form parsed, and the write it asks for authorised: by its CSRF
/// token with the session, or by the bearer token.
fn checked<T: Csrf>(
    app: &App,
    headers: &HeaderMap,
    f: Result<Form<T>, FormRejection>,
) -> Result<T, ApiError> {
    let t = f
        .map(|Form(t)| t)
        .map_err(|e| ApiError::bad(format!("the form: {}", e.body_text())))?;
    app.security.authorize(headers, Some(t.csrf()))?;
    Ok(t)
}

/// Where a register action returns: the repository's register.
fn register_of(repository: &str) -> String {
    format!("{}#register", repo_link(repository))
}

#[derive(Deserialize)]
pub struct TriageForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    next: String,
    fingerprint: String,
    state: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    expires: Option<String>,
}

impl Csrf for TriageForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// `POST /triage`, from a form.
pub async fn triage(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    f: Result<Form<TriageForm>, FormRejection>,
) -> PageAnswer {
    let f = checked(&app, &headers, f)?;
    actions::triage(
        &app,
        TriageInput {
            fingerprint: f.fingerprint,
            state: f.state,
            reason: f.reason,
            expires: f.expires,
        },
    )
    .await?;
    app.snapshot.invalidate();
    Ok(Redirect::to(&crate::security::local(&f.next)).into_response())
}

fn lines(s: &str) -> Vec<String> {
    s.lines()
        .flat_map(|l| l.split(','))
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

#[derive(Deserialize)]
pub struct ExceptionForm {
    #[serde(default)]
    csrf: String,
    repository: String,
    id: String,
    #[serde(default)]
    scope: String,
    #[serde(default)]
    rules: String,
    #[serde(default)]
    attacker: String,
    #[serde(default)]
    publication_adds: String,
    #[serde(default)]
    path_to_harm: String,
    #[serde(default)]
    alternatives: String,
    #[serde(default)]
    compensating_controls: String,
    #[serde(default)]
    approver: String,
    #[serde(default)]
    expires: Option<String>,
}

impl Csrf for ExceptionForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// `POST /exceptions`, from a form.
pub async fn exception_new(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    f: Result<Form<ExceptionForm>, FormRejection>,
) -> PageAnswer {
    let f = checked(&app, &headers, f)?;
    let back = register_of(&f.repository);
    actions::exception_new(
        &app,
        ExceptionInput {
            repository: f.repository,
            id: f.id,
            scope: lines(&f.scope),
            rules: lines(&f.rules),
            attacker: f.attacker,
            publication_adds: f.publication_adds,
            path_to_harm: f.path_to_harm,
            alternatives: f.alternatives,
            compensating_controls: f.compensating_controls,
            approver: f.approver,
            approved: None,
            expires: f.expires,
        },
    )
    .await?;
    Ok(Redirect::to(&back).into_response())
}

#[derive(Deserialize)]
pub struct RenewForm {
    #[serde(default)]
    csrf: String,
    repository: String,
    id: String,
    #[serde(default)]
    approver: String,
    #[serde(default)]
    expires: String,
}

impl Csrf for RenewForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// `POST /exceptions/renew`, from a form.
pub async fn exception_renew(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    f: Result<Form<RenewForm>, FormRejection>,
) -> PageAnswer {
    let f = checked(&app, &headers, f)?;
    let back = register_of(&f.repository);
    actions::exception_renew(
        &app,
        RenewInput {
            repository: f.repository,
            id: f.id,
            approver: f.approver,
            approved: None,
            expires: f.expires,
        },
    )
    .await?;
    Ok(Redirect::to(&back).into_response())
}

#[derive(Deserialize)]
pub struct CloseForm {
    #[serde(default)]
    csrf: String,
    repository: String,
    id: String,
}

impl Csrf for CloseForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// `POST /exceptions/close`, from a form.
pub async fn exception_close(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    f: Result<Form<CloseForm>, FormRejection>,
) -> PageAnswer {
    let f = checked(&app, &headers, f)?;
    let back = register_of(&f.repository);
    actions::exception_close(
        &app,
        CloseInput {
            repository: f.repository,
            id: f.id,
        },
    )
    .await?;
    Ok(Redirect::to(&back).into_response())
}

#[derive(Deserialize)]
pub struct RescanForm {
    #[serde(default)]
    csrf: String,
    repository: String,
}

impl Csrf for RescanForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// `POST /rescans`, from a form: to the rescan's page.
pub async fn rescan_start(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    f: Result<Form<RescanForm>, FormRejection>,
) -> PageAnswer {
    let f = checked(&app, &headers, f)?;
    let status = crate::jobs::start(&app, &f.repository).await?;
    Ok(Redirect::to(&format!("/rescans/{}", status.id)).into_response())
}
