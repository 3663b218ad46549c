//! `keepopen serve`: the HTML report's views over the store, live, with the
//! actions a team needs to act on what it sees: triage a finding, create,
//! renew or close an exception, rescan a repository. Every action writes
//! where the command line does (the store; the register in the
//! repository's work tree), so the two always agree.
//!
//! It shows where secrets and patient data sit, so it binds to localhost
//! by default, answers only to its own Host, needs a token for every write
//! and a CSRF token for every form, sends a strict Content-Security-Policy
//! (its style and script are files it serves, never inline), and shows
//! only what the store holds: values redacted before they were written.

mod actions;
mod api;
mod error;
mod forms;
mod jobs;
mod openapi;
mod pages;
mod query;
mod security;
mod snapshot;

pub use jobs::{Rescan, Rescanned};
pub use security::random_token;

use keepopen_findings_store::Backend;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

/// How the server runs.
pub struct Config {
    /// Where it listens.
    pub addr: SocketAddr,
    /// The write token.
    pub token: String,
    /// Host names it answers to beyond the loopback names and its address.
    pub hosts: Vec<String>,
}

/// The running server's shared state.
pub(crate) struct App {
    pub store: Mutex<Box<dyn Backend>>,
    pub store_name: String,
    pub snapshot: snapshot::Cache,
    pub security: security::Security,
    pub jobs: jobs::Jobs,
}

/// Serves until Ctrl-C (or `shutdown` resolves). `ready` is called with
/// the bound address once the socket listens.
pub fn serve(
    config: Config,
    store: Box<dyn Backend>,
    rescan: Arc<dyn Rescan>,
    ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(config.addr).await?;
        let addr = listener.local_addr()?;
        let app = Arc::new(App {
            store_name: store.name(),
            store: Mutex::new(store),
            snapshot: snapshot::Cache::default(),
            security: security::Security::new(&config.token, addr, &config.hosts),
            jobs: jobs::Jobs::new(rescan),
        });
        let router = router(app);
        ready(addr);
        axum::serve(listener, router)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
    })
}

fn router(app: Arc<App>) -> axum::Router {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/", get(pages::organisation))
        .route("/repository", get(pages::repository))
        .route("/findings", get(pages::findings))
        .route("/rescans/{id}", get(pages::rescan))
        .route("/login", get(pages::login).post(security::login))
        .route("/logout", post(security::logout))
        .route("/triage", post(forms::triage))
        .route("/exceptions", post(forms::exception_new))
        .route("/exceptions/renew", post(forms::exception_renew))
        .route("/exceptions/close", post(forms::exception_close))
        .route("/rescans", post(forms::rescan_start))
        .route("/static/style.css", get(pages::style))
        .route("/static/dashboard.js", get(pages::script))
        .route("/api/openapi.json", get(openapi::document))
        .route("/api/summary", get(api::summary))
        .route("/api/repositories", get(api::repositories))
        .route("/api/repository", get(api::repository))
        .route("/api/findings", get(api::findings))
        .route("/api/triage", post(api::triage))
        .route("/api/exceptions", post(api::exception_new))
        .route("/api/exceptions/renew", post(api::exception_renew))
        .route("/api/exceptions/close", post(api::exception_close))
        .route("/api/rescans", post(api::rescan_start))
        .route("/api/rescans/{id}", get(api::rescan_status))
        .route("/api/rescans/{id}/events", get(api::rescan_events))
        .fallback(error::not_found)
        .layer(axum::extract::DefaultBodyLimit::max(64 * 1024))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            security::guard,
        ))
        .with_state(app)
}

#[cfg(test)]
mod tests;
