//! The writes, shared by the forms and the JSON API: each checks its input
//! with the same rules as the command line, writes where the command line
//! does, and answers what it did.

use crate::App;
use crate::error::ApiError;
use crate::jobs::{no_run, unknown_repository};
use keepopen_assessment::clock::{now, today};
use keepopen_assessment::exceptions::{self, Record, RecordError};
use keepopen_assessment::verdict;
use serde::Deserialize;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct TriageInput {
    pub fingerprint: String,
    pub state: String,
    pub reason: String,
    #[serde(default)]
    pub expires: Option<String>,
}

/// A verdict on one finding of the newest run, kept in the store.
pub async fn triage(app: &Arc<App>, input: TriageInput) -> Result<Value, ApiError> {
    let fingerprint = verdict::check_fingerprint(&input.fingerprint)
        .map_err(ApiError::bad)?
        .to_string();
    let t = verdict::verdict(
        &input.state,
        &input.reason,
        input.expires.as_deref(),
        today(),
        now(),
    )
    .map_err(ApiError::bad)?;
    let (data, _) = crate::snapshot::get(app).await?;
    let org = data.org.as_ref().ok_or_else(no_run)?;
    if !org.items.iter().any(|i| i.html.fingerprint == fingerprint) {
        return Err(ApiError::missing(format!(
            "no finding of the newest organisation run has fingerprint `{}`",
            keepopen_findings::printable(&fingerprint)
        )));
    }
    let a = app.clone();
    let (f, t2) = (fingerprint.clone(), t.clone());
    tokio::task::spawn_blocking(move || {
        let mut store = a.store.lock().unwrap_or_else(|p| p.into_inner());
        store.set_triage(&f, &t2)
    })
    .await
    .map_err(ApiError::store)?
    .map_err(ApiError::store)?;
    Ok(json!({
        "fingerprint": fingerprint,
        "state": t.state.as_str(),
        "reason": t.reason,
        "expires_at": t.expires_at,
        "set_at": t.set_at,
    }))
}

/// The work tree of a repository of the newest run, where its register is.
pub async fn work_tree(app: &Arc<App>, path: &str) -> Result<PathBuf, ApiError> {
    let (data, _) = crate::snapshot::get(app).await?;
    let org = data.org.as_ref().ok_or_else(no_run)?;
    if !org.by_path.contains_key(path) {
        return Err(unknown_repository(path));
    }
    let root = PathBuf::from(path);
    if !root.join(".git").exists() {
        return Err(ApiError::conflict(format!(
            "{}: no work tree here (a bare clone, or one this server cannot see): a record is committed from a clone, with `keepopen exception new`",
            keepopen_findings::printable(path)
        )));
    }
    Ok(root)
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct ExceptionInput {
    pub repository: String,
    pub id: String,
    pub scope: Vec<String>,
    #[serde(default)]
    pub rules: Vec<String>,
    pub attacker: String,
    pub publication_adds: String,
    pub path_to_harm: String,
    pub alternatives: String,
    pub compensating_controls: String,
    pub approver: String,
    #[serde(default)]
    pub approved: Option<String>,
    #[serde(default)]
    pub expires: Option<String>,
}

fn file_error(e: RecordError) -> ApiError {
    match e {
        RecordError::Invalid(m) => ApiError::bad(m),
        RecordError::Exists(m) => ApiError::conflict(m),
        RecordError::Missing(m) => ApiError::missing(m),
        RecordError::Io(m) => ApiError::new(axum::http::StatusCode::SERVICE_UNAVAILABLE, m),
    }
}

fn limited(what: &str, s: &str) -> Result<(), ApiError> {
    if s.len() > 4000 || s.contains('\0') {
        return Err(ApiError::bad(format!(
            "{what}: at most 4,000 characters, and no NUL"
        )));
    }
    Ok(())
}

/// A new exception record in the repository's register.
pub async fn exception_new(app: &Arc<App>, i: ExceptionInput) -> Result<Value, ApiError> {
    exceptions::check_id(&i.id).map_err(file_error)?;
    for (what, s) in [
        ("attacker", &i.attacker),
        ("publication_adds", &i.publication_adds),
        ("path_to_harm", &i.path_to_harm),
        ("alternatives", &i.alternatives),
        ("compensating_controls", &i.compensating_controls),
        ("approver", &i.approver),
    ] {
        limited(what, s)?;
    }
    if i.scope.len() > 100 || i.rules.len() > 100 {
        return Err(ApiError::bad("scope and rules: at most 100 entries each"));
    }
    for s in i.scope.iter().chain(&i.rules) {
        limited("scope and rules", s)?;
    }
    let root = work_tree(app, &i.repository).await?;
    let approved = i
        .approved
        .filter(|a| !a.trim().is_empty())
        .unwrap_or_else(|| today().to_string());
    let expires = exceptions::expiry_or_default(&approved, i.expires.as_deref());
    let record = Record {
        scope: i
            .scope
            .iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
        rules: i
            .rules
            .iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
        attacker: i.attacker,
        publication_adds: i.publication_adds,
        path_to_harm: i.path_to_harm,
        alternatives: i.alternatives,
        compensating_controls: i.compensating_controls,
        approver: i.approver,
        approved,
        expires,
    };
    let id = i.id.clone();
    let path = tokio::task::spawn_blocking(move || exceptions::create(&root, &id, &record))
        .await
        .map_err(ApiError::store)?
        .map_err(file_error)?;
    Ok(
        json!({ "repository": i.repository, "id": i.id, "file": path.display().to_string(), "action": "created" }),
    )
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RenewInput {
    pub repository: String,
    pub id: String,
    pub approver: String,
    #[serde(default)]
    pub approved: Option<String>,
    pub expires: String,
}

/// An exception approved again, until a new date.
pub async fn exception_renew(app: &Arc<App>, i: RenewInput) -> Result<Value, ApiError> {
    exceptions::check_id(&i.id).map_err(file_error)?;
    limited("approver", &i.approver)?;
    limited("expires", &i.expires)?;
    let root = work_tree(app, &i.repository).await?;
    let approved = i
        .approved
        .filter(|a| !a.trim().is_empty())
        .unwrap_or_else(|| today().to_string());
    limited("approved", &approved)?;
    let (id, approver, expires) = (i.id.clone(), i.approver.clone(), i.expires.clone());
    let path = tokio::task::spawn_blocking(move || {
        exceptions::renew(&root, &id, &approver, &approved, &expires)
    })
    .await
    .map_err(ApiError::store)?
    .map_err(file_error)?;
    Ok(
        json!({ "repository": i.repository, "id": i.id, "file": path.display().to_string(), "action": "renewed" }),
    )
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct CloseInput {
    pub repository: String,
    pub id: String,
}

/// An exception ended: its record removed from the work tree.
pub async fn exception_close(app: &Arc<App>, i: CloseInput) -> Result<Value, ApiError> {
    exceptions::check_id(&i.id).map_err(file_error)?;
    let root = work_tree(app, &i.repository).await?;
    let id = i.id.clone();
    let path = tokio::task::spawn_blocking(move || exceptions::close(&root, &id))
        .await
        .map_err(ApiError::store)?
        .map_err(file_error)?;
    Ok(
        json!({ "repository": i.repository, "id": i.id, "file": path.display().to_string(), "action": "closed" }),
    )
}
