//! The JSON endpoints, described at `/api/openapi.json`. Reads need no
//! token; every write needs it (see `security`).

use crate::App;
use crate::actions::{self, CloseInput, ExceptionInput, RenewInput, TriageInput};
use crate::error::ApiError;
use crate::jobs::{self, no_run, unknown_repository};
use crate::query::{FindingFilter, Params, RepoFilter};
use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;

pub type Answer = Result<Response, ApiError>;

pub fn params(q: Result<Query<Params>, QueryRejection>) -> Result<Params, ApiError> {
    q.map(|Query(p)| p)
        .map_err(|e| ApiError::bad(format!("the query string: {}", e.body_text())))
}

pub fn body<T>(b: Result<Json<T>, JsonRejection>) -> Result<T, ApiError> {
    b.map(|Json(t)| t).map_err(|e| match &e {
        JsonRejection::MissingJsonContentType(_) => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send the body as JSON, with Content-Type: application/json",
        ),
        JsonRejection::BytesRejection(_) => ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "the body is over 64 KiB, or could not be read",
        ),
        _ => ApiError::bad(format!("the body: {}", e.body_text())),
    })
}

fn ok(v: Value) -> Answer {
    Ok(Json(v).into_response())
}

/// The organisation at a glance, as numbers.
pub async fn summary(State(app): State<Arc<App>>) -> Answer {
    let (data, verdicts) = crate::snapshot::get(&app).await?;
    let org = data.org.as_ref().ok_or_else(no_run)?;
    let now = keepopen_assessment::clock::now();
    let mut by_rec: BTreeMap<String, u64> = BTreeMap::new();
    let mut by_class: BTreeMap<String, u64> = BTreeMap::new();
    let mut blocking = 0;
    let mut total = 0;
    for r in &org.rows {
        *by_rec
            .entry(r["recommendation"].as_str().unwrap_or("").to_string())
            .or_default() += 1;
        *by_class
            .entry(r["class"].as_str().unwrap_or("unknown").to_string())
            .or_default() += 1;
        blocking += r["findings"]["blocking"].as_u64().unwrap_or(0);
        total += r["findings"]["total"].as_u64().unwrap_or(0);
    }
    // Only the verdicts change between reloads: they are counted here.
    let mut by_triage: BTreeMap<&str, u64> = BTreeMap::new();
    for i in &org.items {
        let t = verdicts
            .state(&i.html.fingerprint, now)
            .map_or("untriaged", |t| t.as_str());
        *by_triage.entry(t).or_default() += 1;
    }
    ok(json!({
        "runs": org.runs,
        "finished": org.finished,
        "started_at": org.started,
        "repositories": org.rows.len(),
        "findings": total,
        "findings_stored": org.items.len(),
        "blocking": blocking,
        "by_recommendation": by_rec,
        "by_class": by_class,
        "by_category": org.by_category,
        "by_severity": org.by_severity,
        "by_triage": by_triage,
    }))
}

/// One line per repository, filtered.
pub async fn repositories(
    State(app): State<Arc<App>>,
    q: Result<Query<Params>, QueryRejection>,
) -> Answer {
    let filter = RepoFilter::parse(&params(q)?)?;
    let (data, _) = crate::snapshot::get(&app).await?;
    let org = data.org.as_ref().ok_or_else(no_run)?;
    let list: Vec<Value> = org
        .rows
        .iter()
        .filter(|r| filter.pass(r))
        .map(|r| {
            json!({
                "path": r["path"].as_str().unwrap_or(""),
                "recommendation": r["recommendation"].as_str().unwrap_or(""),
                "class": r["class"].as_str(),
                "blocking": r["findings"]["blocking"].as_u64().unwrap_or(0),
                "findings": r["findings"]["total"].as_u64().unwrap_or(0),
                "posture_score": r["posture_score"].as_f64(),
                "last_commit": r["last_commit"].as_str(),
                "exceptions": r["exceptions"].as_array().map_or(0, Vec::len),
            })
        })
        .collect();
    ok(json!({ "repositories": list }))
}

/// One repository's row, as `keepopen report --format json` has it.
pub async fn repository(
    State(app): State<Arc<App>>,
    q: Result<Query<Params>, QueryRejection>,
) -> Answer {
    let q = params(q)?;
    let path = crate::query::path(&q)?;
    let (data, _) = crate::snapshot::get(&app).await?;
    let org = data.org.as_ref().ok_or_else(no_run)?;
    let i = *org
        .by_path
        .get(path)
        .ok_or_else(|| unknown_repository(path))?;
    ok(org.rows[i].clone())
}

/// Findings, filtered and paged; values redacted.
pub async fn findings(
    State(app): State<Arc<App>>,
    q: Result<Query<Params>, QueryRejection>,
) -> Answer {
    let filter = FindingFilter::parse(&params(q)?, 100)?;
    let (data, verdicts) = crate::snapshot::get(&app).await?;
    let org = data.org.as_ref().ok_or_else(no_run)?;
    let now = keepopen_assessment::clock::now();
    let (page, total) = filter.apply(org, &verdicts, now)?;
    let list: Vec<Value> = page
        .iter()
        .map(|i| {
            let f = &i.html;
            json!({
                "fingerprint": i.html.fingerprint,
                "repository": f.repository,
                "rule": f.rule,
                "category": f.category.as_str(),
                "severity": f.severity.as_str(),
                "path": f.path,
                "line": f.line,
                "commit": f.commit,
                "commit_time": f.commit_time,
                "in_head": f.in_head,
                "redacted": f.redacted,
                "context": f.context,
                "detail": f.detail,
                "triage": verdicts.standing(&i.html.fingerprint, now).map(|t| json!({
                    "state": t.state.as_str(),
                    "reason": t.reason,
                    "expires_at": t.expires_at,
                    "set_at": t.set_at,
                })),
            })
        })
        .collect();
    ok(json!({
        "total": total,
        "offset": filter.offset,
        "limit": filter.limit,
        "findings": list,
    }))
}

pub async fn triage(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    b: Result<Json<TriageInput>, JsonRejection>,
) -> Answer {
    app.security.authorize(&headers, None)?;
    let input = body(b)?;
    let v = actions::triage(&app, input).await?;
    app.snapshot.invalidate();
    ok(v)
}

pub async fn exception_new(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    b: Result<Json<ExceptionInput>, JsonRejection>,
) -> Answer {
    app.security.authorize(&headers, None)?;
    let v = actions::exception_new(&app, body(b)?).await?;
    Ok((StatusCode::CREATED, Json(v)).into_response())
}

pub async fn exception_renew(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    b: Result<Json<RenewInput>, JsonRejection>,
) -> Answer {
    app.security.authorize(&headers, None)?;
    ok(actions::exception_renew(&app, body(b)?).await?)
}

pub async fn exception_close(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    b: Result<Json<CloseInput>, JsonRejection>,
) -> Answer {
    app.security.authorize(&headers, None)?;
    ok(actions::exception_close(&app, body(b)?).await?)
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RescanInput {
    pub repository: String,
}

pub async fn rescan_start(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    b: Result<Json<RescanInput>, JsonRejection>,
) -> Answer {
    app.security.authorize(&headers, None)?;
    let input = body(b)?;
    let status = jobs::start(&app, &input.repository).await?;
    Ok((StatusCode::ACCEPTED, Json(status_json(&status))).into_response())
}

pub fn status_json(s: &jobs::Status) -> Value {
    json!({
        "id": s.id,
        "repository": s.repository,
        "state": s.state,
        "message": s.message,
        "elapsed_ms": s.elapsed_ms,
        "recommendation": s.recommendation,
        "events": format!("/api/rescans/{}/events", s.id),
    })
}

fn job_id(id: &str) -> Result<u64, ApiError> {
    id.parse::<u64>().map_err(|_| {
        ApiError::bad(format!(
            "rescan id `{}`: not a number",
            keepopen_findings::printable(id)
        ))
    })
}

pub async fn rescan_status(State(app): State<Arc<App>>, Path(id): Path<String>) -> Answer {
    let id = job_id(&id)?;
    let rx = app.jobs.watch(id).ok_or_else(|| {
        ApiError::missing(format!("no rescan {id} (ids are not kept across restarts)"))
    })?;
    let s = rx.borrow().clone();
    ok(status_json(&s))
}

/// The rescan's status as server-sent events, one per change and one a
/// second while it runs, ending when it is done or has failed.
pub async fn rescan_events(State(app): State<Arc<App>>, Path(id): Path<String>) -> Answer {
    let id = job_id(&id)?;
    let rx = app.jobs.watch(id).ok_or_else(|| {
        ApiError::missing(format!("no rescan {id} (ids are not kept across restarts)"))
    })?;
    let stream =
        futures_util::stream::unfold((rx, false, true), |(mut rx, over, first)| async move {
            if over {
                return None;
            }
            if !first && rx.changed().await.is_err() {
                return None;
            }
            let s = rx.borrow_and_update().clone();
            let event = Event::default()
                .event(s.state)
                .data(status_json(&s).to_string());
            Some((
                Ok::<_, std::convert::Infallible>(event),
                (rx, s.finished(), false),
            ))
        });
    Ok(Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response())
}
