//! Unit checks of the pieces; the server is tested whole, over HTTP, in
//! crates/keepopen/tests/cli/serve.rs and in a browser (tests/browser).

use super::*;

#[test]
fn every_api_route_is_described_and_every_described_path_is_routed() {
    let doc: serde_json::Value = serde_json::from_str(openapi::DOCUMENT).expect("JSON");
    let described: Vec<&str> = doc["paths"]
        .as_object()
        .expect("paths")
        .keys()
        .map(String::as_str)
        .collect();
    let lib = include_str!("lib.rs");
    let routed: Vec<&str> = lib
        .lines()
        .filter_map(|l| l.trim().strip_prefix(".route(\"/api/"))
        .filter_map(|l| l.split('"').next())
        .filter(|p| *p != "openapi.json")
        .collect();
    assert_eq!(routed.len(), described.len(), "{routed:?} vs {described:?}");
    for p in routed {
        assert!(
            described.contains(&format!("/api/{p}").as_str()),
            "/api/{p} is not described"
        );
    }
}

#[test]
fn a_next_address_never_leaves_the_server() {
    assert_eq!(security::local("/findings?x=1"), "/findings?x=1");
    for bad in [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil",
        "javascript:x",
        "",
    ] {
        assert_eq!(security::local(bad), "/", "{bad}");
    }
}

#[test]
fn hosts_are_this_servers_names_only() {
    let s = security::Security::new(
        "t",
        "127.0.0.1:8470".parse().expect("an address"),
        &["dash.internal".into()],
    );
    let mut h = axum::http::HeaderMap::new();
    h.insert(
        axum::http::header::AUTHORIZATION,
        "Bearer t".parse().expect("a header"),
    );
    assert!(s.authorize(&h, None).is_ok());
    h.insert(
        axum::http::header::AUTHORIZATION,
        "Bearer u".parse().expect("a header"),
    );
    assert_eq!(s.authorize(&h, None).expect_err("refused").status, 401);
    h.remove(axum::http::header::AUTHORIZATION);
    assert_eq!(s.authorize(&h, None).expect_err("refused").status, 401);
    h.insert(
        axum::http::header::HOST,
        "127.0.0.1:8470".parse().expect("an address"),
    );
    h.insert(
        axum::http::header::ORIGIN,
        "http://evil.example".parse().expect("a header"),
    );
    h.insert(
        axum::http::header::AUTHORIZATION,
        "Bearer t".parse().expect("a header"),
    );
    assert_eq!(
        s.authorize(&h, None).expect_err("refused").status,
        403,
        "a cross-site origin, even with the token"
    );
    h.insert(
        axum::http::header::ORIGIN,
        "null".parse().expect("a header"),
    );
    assert_eq!(
        s.authorize(&h, None).expect_err("refused").status,
        403,
        "an opaque origin alone"
    );
    h.insert("sec-fetch-site", "same-origin".parse().expect("a header"));
    assert!(
        s.authorize(&h, None).is_ok(),
        "a form on this server's page (no-referrer sends Origin: null)"
    );
    h.insert("sec-fetch-site", "same-site".parse().expect("a header"));
    assert_eq!(
        s.authorize(&h, None).expect_err("refused").status,
        403,
        "another port on localhost"
    );
}

/// A pipeline that fails in the two ways a rescan can.
struct Broken;

impl jobs::Rescan for Broken {
    fn rescan(
        &self,
        root: &str,
        _: &serde_json::Value,
        _: Option<&str>,
        progress: &(dyn Fn(&str) + Sync),
    ) -> Result<jobs::Rescanned, String> {
        progress("reading");
        if root.ends_with("panics") {
            panic!("a bug");
        }
        Err(format!("{root}: cannot be read"))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rescan_that_fails_or_panics_ends_failed_keeps_the_old_result_and_can_run_again() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store =
        keepopen_findings_store::open(&keepopen_store::Location::File(dir.path().join("store.db")))
            .expect("store");
    let run = store
        .begin_or_resume(&keepopen_findings_store::RunInfo {
            started_at: 100,
            keepopen_version: "0.1.0".into(),
            options: serde_json::json!({"command": "org"}),
        })
        .expect("run");
    for root in ["clones/fails", "clones/panics"] {
        let row = serde_json::json!({"path": root, "recommendation": "open"});
        store
            .put_repository(run.run_id, root, None, vec![], "open", &row, None)
            .expect("row");
    }
    store.finish_run(run.run_id, 200).expect("finish");
    let app = Arc::new(App {
        store_name: store.name(),
        store: Mutex::new(store),
        snapshot: snapshot::Cache::default(),
        security: security::Security::new("t", "127.0.0.1:1".parse().expect("addr"), &[]),
        jobs: jobs::Jobs::new(Arc::new(Broken)),
    });
    for root in ["clones/fails", "clones/panics", "clones/panics"] {
        let started = jobs::start(&app, root).await.expect("started");
        let mut rx = app.jobs.watch(started.id).expect("its status");
        let end = loop {
            let s = rx.borrow_and_update().clone();
            if s.finished() {
                break s;
            }
            rx.changed().await.expect("a change");
        };
        assert_eq!(end.state, "failed", "{end:?}");
        assert!(
            end.message.contains(if root.ends_with("panics") {
                "a bug in keepopen"
            } else {
                "cannot be read"
            }),
            "{end:?}"
        );
    }
    let (data, _) = snapshot::get(&app).await.expect("snapshot");
    let org = data.org.as_ref().expect("the run");
    assert_eq!(org.rows.len(), 2, "both results kept");
    assert!(org.rows.iter().all(|r| r["recommendation"] == "open"));
}
