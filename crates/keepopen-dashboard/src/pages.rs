//! The dashboard's pages: the report's views (maud templates, values
//! escaped, findings as the store holds them: redacted), with the forms
//! of `forms` for the actions. Every page works without JavaScript; the script served
//! beside them adds sorting, quick filtering and a rescan's live progress.

use crate::App;
use crate::api::params;
use crate::error::{ApiError, PageError};
use crate::query::{FindingFilter, Params, RepoFilter, TriageFilter};
use crate::snapshot::{Item, Org, Verdicts};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use keepopen_findings::{Category, Severity, printable};
use keepopen_report::{HtmlFinding, parts};
use maud::{DOCTYPE, Markup, html};
use serde_json::Value;
use std::sync::Arc;

const EXTRA_STYLE: &str = include_str!("assets/dashboard.css");
const EXTRA_SCRIPT: &str = include_str!("assets/dashboard.js");

pub(crate) type PageAnswer = Result<Response, PageError>;

/// A path or value as a query-string component.
pub fn enc(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

pub(crate) fn repo_link(path: &str) -> String {
    format!("/repository?path={}", enc(path))
}

/// A page: the shared head (style and script from /static, never inline),
/// the navigation, and `body`.
pub fn shell(title: &str, csrf: Option<&str>, body: Markup) -> Html<String> {
    Html(
        html! {
            (DOCTYPE)
            html lang="en" {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { (title) " · keepopen" }
                    link rel="stylesheet" href="/static/style.css";
                    script src="/static/dashboard.js" defer {}
                }
                body {
                    a href="#main" class="skip" { "Skip to the content" }
                    header {
                        nav aria-label="Dashboard" {
                            a href="/" { "Organisation" }
                            a href="/findings" { "Findings" }
                            @if let Some(c) = csrf {
                                form method="post" action="/logout" class="inline" {
                                    input type="hidden" name="csrf" value=(c);
                                    button type="submit" { "Sign out" }
                                }
                            } @else {
                                a href="/login" { "Sign in to act" }
                            }
                        }
                    }
                    main id="main" { (body) }
                }
            }
        }
        .into_string(),
    )
}

/// The organisation page's body: the glance, the repositories (filtered
/// when `filter` says), the register.
pub fn organisation_body(org: &Org, filter: Option<&RepoFilter>, store: Option<&str>) -> Markup {
    let rows: Vec<Value> = match filter {
        Some(f) => org.rows.iter().filter(|r| f.pass(r)).cloned().collect(),
        None => Vec::new(),
    };
    let shown: &[Value] = if filter.is_some() { &rows } else { &org.rows };
    let link = |_: usize, r: &Value| repo_link(r["path"].as_str().unwrap_or(""));
    let mut classes: Vec<&str> = org
        .rows
        .iter()
        .filter_map(|r| r["class"].as_str())
        .collect();
    classes.sort_unstable();
    classes.dedup();
    let ids: Vec<String> = org.runs.iter().map(i64::to_string).collect();
    html! {
        h1 { "Can this code stay open?" }
        p id="run" {
            (org.rows.len()) " repositories, run " (ids.join(", "))
            @if let Some(t) = org.started { ", started " (keepopen_report::time::date(t)) }
            @if !org.finished { strong { " (not finished: run the same keepopen org command to resume it)" } }
            @if let Some(s) = store { ". Store: " code { (printable(s)) } }
            "."
        }
        (parts::glance(&org.rows, &mut org.items.iter().map(|i| (i.html.category, i.html.severity))))
        h2 { "Filter the repositories" }
        form method="get" action="/" class="filters" aria-label="Filter the repositories on the server" {
            div {
                label for="f-recommendation" { "Recommendation" }
                select id="f-recommendation" name="recommendation" {
                    option value="" { "any" }
                    @for r in ["open", "open-after-fixes", "exception-review", "archive", "error"] {
                        option value=(r) selected[filter.and_then(|f| f.recommendation.as_deref()) == Some(r)] { (r) }
                    }
                }
            }
            div {
                label for="f-class" { "Class" }
                select id="f-class" name="class" {
                    option value="" { "any" }
                    @for c in &classes {
                        option value=(c) selected[filter.and_then(|f| f.class.as_deref()) == Some(*c)] { (c) }
                    }
                }
            }
            div {
                label for="f-q" { "Path contains" }
                input id="f-q" name="q" type="search" value=[filter.and_then(|f| f.text.as_deref())];
            }
            button type="submit" { "Filter" }
            @if filter.is_some() { a href="/" { "Clear" } }
        }
        p id="shown" { (shown.len()) " of " (org.rows.len()) " repositories shown." }
        (parts::table(shown, &link))
        (parts::register(&org.rows, org.started, &link))
        p class="muted" { "The register is as the run found it. A record created, renewed or closed here shows on its repository's page at once, and here after a rescan." }
    }
}

fn no_run_page(app: &App) -> Markup {
    html! {
        h1 { "No organisation run yet" }
        p { "The store " code { (printable(&app.store_name)) } " holds no organisation run. Run one, and reload:" }
        pre { code { "keepopen org DIR --db " (printable(&app.store_name)) } }
    }
}

/// `GET /`: the organisation at a glance.
pub async fn organisation(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    q: Result<Query<Params>, QueryRejection>,
) -> PageAnswer {
    let filter = RepoFilter::parse(&params(q)?)?;
    let csrf = app.security.session(&headers);
    let (data, _) = crate::snapshot::get(&app).await?;
    let Some(org) = &data.org else {
        return Ok(shell("Organisation", csrf.as_deref(), no_run_page(&app)).into_response());
    };
    if filter.is_empty() {
        // The cached body, inside this request's shell.
        let page = shell(
            "Organisation",
            csrf.as_deref(),
            maud::PreEscaped(org.page.clone()),
        );
        return Ok(page.into_response());
    }
    let body = organisation_body(org, Some(&filter), None);
    Ok(shell("Organisation", csrf.as_deref(), body).into_response())
}

/// The findings on a page, with their verdicts and forms.
fn finding_list(items: &[&Item], verdicts: &Verdicts, csrf: Option<&str>, next: &str) -> Markup {
    let now = keepopen_assessment::clock::now();
    let page: Vec<HtmlFinding> = items
        .iter()
        .map(|i| {
            let mut f = i.html.clone();
            f.triage = verdicts
                .standing(&f.fingerprint, now)
                .map(keepopen_findings::Triage::label);
            f
        })
        .collect();
    let refs: Vec<&HtmlFinding> = page.iter().collect();
    let n = std::cell::Cell::new(0);
    html! {
        @if csrf.is_none() && !page.is_empty() {
            p class="muted" { a href={ "/login?next=" (enc(next)) } { "Sign in" } " to triage these findings." }
        }
        (parts::findings(&refs, true, &|f| {
            n.set(n.get() + 1);
            crate::forms::triage_form(f, csrf, next, n.get())
        }))
    }
}

/// `GET /repository?path=`: one repository, its register and its actions.
pub async fn repository(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    q: Result<Query<Params>, QueryRejection>,
) -> PageAnswer {
    let q = params(q)?;
    let path = crate::query::path(&q)?.to_string();
    let csrf = app.security.session(&headers);
    let (data, verdicts) = crate::snapshot::get(&app).await?;
    let org = data.org.as_ref().ok_or_else(crate::jobs::no_run)?;
    let &i = org
        .by_path
        .get(&path)
        .ok_or_else(|| crate::jobs::unknown_repository(&path))?;
    let row = &org.rows[i];
    let filter = FindingFilter {
        repository: Some(path.clone()),
        limit: 200,
        ..Default::default()
    };
    let (items, total) = filter.apply(org, &verdicts, keepopen_assessment::clock::now())?;
    let here = repo_link(&path);
    let register = std::path::Path::new(&path)
        .join(".git")
        .exists()
        .then(|| keepopen_assessment::exceptions::list(std::path::Path::new(&path)));
    let today = keepopen_assessment::clock::today();
    let body = html! {
        h1 { (printable(&path)) }
        (parts::summary(row))
        @if let Some(c) = &csrf {
            form method="post" action="/rescans" class="inline" {
                input type="hidden" name="csrf" value=(c);
                input type="hidden" name="repository" value=(path);
                button type="submit" { "Rescan this repository" }
            }
        }
        h2 id="register" { "Exceptions register" }
        @match &register {
            None => p { "This server sees no work tree for it, so its register is as the run found it; records are created in a clone with " code { "keepopen exception new" } "." },
            Some(Err(e)) => p class="errors" { (printable(&e.to_string())) },
            Some(Ok((records, unreadable))) => {
                @if records.is_empty() && unreadable.is_empty() { p { "No exception: the code is expected to stay open." } }
                @for e in records {
                    section class="exception" aria-labelledby={ "x-" (e.id) } {
                        h3 id={ "x-" (e.id) } { (printable(&e.id)) " · " (e.standing(today).as_str()) }
                        p { "Scope: " (printable(&e.record.scope.join(", "))) ". Approved by " (printable(&e.record.approver)) " on " (printable(&e.record.approved)) ", expires " strong { (printable(&e.record.expires)) } "." }
                        dl {
                            dt { "Attacker" } dd { (printable(&e.record.attacker)) }
                            dt { "What publication adds" } dd { (printable(&e.record.publication_adds)) }
                            dt { "Path to harm" } dd { (printable(&e.record.path_to_harm)) }
                        }
                        @if let Some(c) = &csrf {
                            form method="post" action="/exceptions/renew" class="triage" aria-label={ "Renew " (e.id) } {
                                input type="hidden" name="csrf" value=(c);
                                input type="hidden" name="repository" value=(path);
                                input type="hidden" name="id" value=(e.id);
                                label for={ "rn-" (e.id) "-approver" } { "Approver" }
                                input id={ "rn-" (e.id) "-approver" } name="approver" required value=(e.record.approver);
                                label for={ "rn-" (e.id) "-expires" } { "New expiry" }
                                input id={ "rn-" (e.id) "-expires" } name="expires" type="date" required;
                                button type="submit" { "Renew" }
                            }
                            form method="post" action="/exceptions/close" class="inline" aria-label={ "Close " (e.id) } {
                                input type="hidden" name="csrf" value=(c);
                                input type="hidden" name="repository" value=(path);
                                input type="hidden" name="id" value=(e.id);
                                button type="submit" { "Close (remove the record)" }
                            }
                        }
                    }
                }
                @for u in unreadable { p class="errors" { (printable(&u.file)) ": " (printable(&u.why)) } }
                @if let Some(c) = &csrf { (crate::forms::exception_form(c, &path)) }
            }
        }
        h2 id="findings" { "Findings" }
        p {
            (total) " stored for this repository"
            @if total > items.len() { ", the " (items.len()) " most severe shown: " a href={ "/findings?repository=" (enc(&path)) } { "all of them, with filters" } }
            "."
        }
        (finding_list(&items, &verdicts, csrf.as_deref(), &here))
    };
    Ok(shell(&path, csrf.as_deref(), body).into_response())
}

/// `GET /findings`: every finding of the run, filtered and paged.
pub async fn findings(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    q: Result<Query<Params>, QueryRejection>,
) -> PageAnswer {
    let filter = FindingFilter::parse(&params(q)?, 100)?;
    let csrf = app.security.session(&headers);
    let (data, verdicts) = crate::snapshot::get(&app).await?;
    let Some(org) = &data.org else {
        return Ok(shell("Findings", csrf.as_deref(), no_run_page(&app)).into_response());
    };
    let (items, total) = filter.apply(org, &verdicts, keepopen_assessment::clock::now())?;
    let here = format!("/findings?{}", filter.query(filter.offset));
    let triage_value = |t: Option<TriageFilter>| match t {
        None => String::new(),
        Some(TriageFilter::Untriaged) => "untriaged".into(),
        Some(TriageFilter::Is(s)) => s.as_str().into(),
    };
    let body = html! {
        h1 { "Findings" }
        form method="get" action="/findings" class="filters" aria-label="Filter the findings" {
            div {
                label for="ff-repository" { "Repository" }
                input id="ff-repository" name="repository" list="ff-repos" value=[filter.repository.as_deref()];
                datalist id="ff-repos" { @for r in org.rows.iter().take(2000) { option value=(r["path"].as_str().unwrap_or("")) {} } }
            }
            div {
                label for="ff-category" { "Category" }
                select id="ff-category" name="category" {
                    option value="" { "any" }
                    @for c in Category::ALL { option value=(c.as_str()) selected[filter.category == Some(*c)] { (c.as_str()) } }
                }
            }
            div {
                label for="ff-severity" { "Severity" }
                select id="ff-severity" name="severity" {
                    option value="" { "any" }
                    @for s in [Severity::Critical, Severity::High, Severity::Medium, Severity::Low, Severity::Info] {
                        option value=(s.as_str()) selected[filter.severity == Some(s)] { (s.as_str()) }
                    }
                }
            }
            div {
                label for="ff-triage" { "Triage" }
                select id="ff-triage" name="triage" {
                    option value="" { "any" }
                    @for t in ["untriaged", "false-positive", "accepted-risk", "fixed"] {
                        option value=(t) selected[triage_value(filter.triage) == t] { (t) }
                    }
                }
            }
            button type="submit" { "Filter" }
            a href="/findings" { "Clear" }
        }
        p id="found" aria-live="polite" {
            (total) " findings match"
            @if total > 0 { "; " (filter.offset + 1) " to " (filter.offset + items.len()) " shown" }
            "."
        }
        nav aria-label="Pages of findings" class="pages" {
            @if filter.offset > 0 { a href={ "/findings?" (filter.query(filter.offset.saturating_sub(filter.limit))) } { "Previous" } }
            @if filter.offset + items.len() < total { a href={ "/findings?" (filter.query(filter.offset + filter.limit)) } { "Next" } }
        }
        @for chunk in items.chunk_by(|a, b| a.repo == b.repo) {
            @let path = org.rows[chunk[0].repo]["path"].as_str().unwrap_or("");
            h2 { a href=(repo_link(path)) { (printable(path)) } }
            (finding_list(chunk, &verdicts, csrf.as_deref(), &here))
        }
    };
    Ok(shell("Findings", csrf.as_deref(), body).into_response())
}

/// `GET /rescans/{id}`: a rescan's progress, live with the script.
pub async fn rescan(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> PageAnswer {
    let n: u64 = id
        .parse()
        .map_err(|_| ApiError::bad("the rescan id is a number"))?;
    let rx = app.jobs.watch(n).ok_or_else(|| {
        ApiError::missing(format!("no rescan {n} (ids are not kept across restarts)"))
    })?;
    let s = rx.borrow().clone();
    let csrf = app.security.session(&headers);
    let body = html! {
        h1 { "Rescan of " (printable(&s.repository)) }
        p { "State: " output id="rescan" data-events={ "/api/rescans/" (n) "/events" } aria-live="polite" { (s.state) ": " (printable(&s.message)) } }
        p id="elapsed" class="muted" { (s.elapsed_ms / 1000) " s" }
        @if !s.finished() { noscript { p { "Reload this page to see how it is going." } } }
        p { a id="back" href=(repo_link(&s.repository)) { "Back to the repository" } }
    };
    Ok(shell("Rescan", csrf.as_deref(), body).into_response())
}

/// `GET /login`: the token, for the actions.
pub async fn login(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    q: Result<Query<Params>, QueryRejection>,
) -> PageAnswer {
    let q = params(q)?;
    let next = crate::security::local(q.get("next").map_or("/", String::as_str));
    let csrf = app.security.session(&headers);
    let body = html! {
        h1 { "Sign in to act" }
        p { "Reading needs nothing. Triage, exceptions and rescans need the token that " code { "keepopen serve" } " printed when it started (or " code { "KEEPOPEN_TOKEN" } ")." }
        form method="post" action="/login" class="stack" {
            input type="hidden" name="next" value=(next);
            div { label for="token" { "Token" } input id="token" name="token" type="password" autocomplete="off" required; }
            button type="submit" { "Sign in" }
        }
    };
    Ok(shell("Sign in", csrf.as_deref(), body).into_response())
}

fn asset(body: String, kind: &'static str) -> Response {
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("max-age=300"),
    );
    r
}

pub async fn style() -> Response {
    asset(
        format!("{}\n{EXTRA_STYLE}", keepopen_report::STYLE),
        "text/css; charset=utf-8",
    )
}

pub async fn script() -> Response {
    asset(
        format!("{}\n{EXTRA_SCRIPT}", keepopen_report::SCRIPT),
        "text/javascript; charset=utf-8",
    )
}
