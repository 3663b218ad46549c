//! `keepopen serve`, whole, over HTTP on loopback: a real server process on
//! a store that a real organisation run filled. Its defences (Host, token,
//! CSRF, headers), its bad-input answers, and its actions (triage, the
//! register, a rescan with live progress) each writing where the command
//! line does. The browser tests (tests/browser/) drive the same server in
//! Chromium.

use crate::org::{org_json, organisation};
use crate::support::*;
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};

const TOKEN: &str = "serve-test-token-0123456789";

struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(db: &str, cwd: &Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_keepopen"))
        .args(["serve", "--db", db, "--addr", "127.0.0.1:0"])
        .env("KEEPOPEN_TOKEN", TOKEN)
        .current_dir(cwd)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("keepopen serve starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("the first line");
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    assert!(
        !line.contains(TOKEN),
        "a token from the environment is not printed"
    );
    Server { child, addr }
}

struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// One HTTP/1.1 request, written out by hand so that any Host, Origin or
/// malformed body can be sent.
fn request(s: &Server, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Answer {
    let mut conn = TcpStream::connect(&s.addr).expect("connect");
    let mut head = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        head.push_str(&format!("Host: {}\r\n", s.addr));
    }
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    conn.write_all(head.as_bytes()).expect("write");
    conn.write_all(body.as_bytes()).expect("write");
    let mut raw = Vec::new();
    conn.read_to_end(&mut raw).expect("read");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, rest) = text.split_once("\r\n\r\n").expect("a head");
    let mut lines = head.lines();
    let status: u16 = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .expect("a status");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(": "))
        .map(|(k, v)| (k.to_ascii_lowercase(), v.to_string()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
    let body = if chunked {
        dechunk(rest)
    } else {
        rest.to_string()
    };
    Answer {
        status,
        headers,
        body,
    }
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        s = rest[n..].trim_start_matches("\r\n");
    }
    out
}

fn get(s: &Server, path: &str) -> Answer {
    request(s, "GET", path, &[], "")
}

fn post_json(s: &Server, path: &str, body: &Value) -> Answer {
    let auth = format!("Bearer {TOKEN}");
    request(
        s,
        "POST",
        path,
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/json"),
        ],
        &body.to_string(),
    )
}

/// An organisation run kept in a store, and the server on it.
fn dashboard() -> (tempfile::TempDir, tempfile::TempDir, String, Server) {
    let (org, p) = organisation();
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir
        .path()
        .join("keepopen.db")
        .to_string_lossy()
        .into_owned();
    let (code, v) = org_json(&[&p, "--db", &db], org.path());
    assert_eq!(code, Some(1), "{v}");
    let s = serve(&db, org.path());
    (org, dir, db, s)
}

fn tool(s: &Server) -> String {
    let v = get(s, "/api/repositories").json();
    v["repositories"]
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|r| r["path"].as_str())
        .find(|p| p.ends_with("team-a/tool"))
        .expect("the tool repository")
        .to_string()
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[test]
fn the_dashboard_shows_the_store_guards_itself_and_never_shows_the_secret() {
    let (_org, _dir, _db, s) = dashboard();
    let secret = github_token(31);
    let summary = get(&s, "/api/summary");
    assert_eq!(summary.status, 200, "{}", summary.body);
    let sv = summary.json();
    assert_eq!(sv["repositories"], 3);
    assert!(sv["blocking"].as_u64().unwrap_or(0) >= 1, "{sv}");
    assert_eq!(sv["by_category"]["secret"], 1, "{sv}");
    let tool = tool(&s);
    for path in [
        "/".to_string(),
        "/findings".into(),
        "/findings?category=secret".into(),
        format!("/repository?path={}", enc(&tool)),
        "/api/findings?limit=1000".into(),
        format!("/api/repository?path={}", enc(&tool)),
    ] {
        let a = get(&s, &path);
        assert_eq!(a.status, 200, "{path}: {}", a.body);
        assert!(!a.body.contains(&secret), "{path} shows the secret");
        let csp = a.header("content-security-policy").unwrap_or("");
        assert!(
            csp.contains("default-src 'none'")
                && csp.contains("script-src 'self'")
                && csp.contains("frame-ancestors 'none'"),
            "{path}: {csp}"
        );
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert_eq!(a.header("x-frame-options"), Some("DENY"), "{path}");
        assert_eq!(a.header("referrer-policy"), Some("no-referrer"), "{path}");
    }
    let page = get(&s, "/").body;
    assert!(page.contains("3 of 3 repositories shown"), "{page}");
    assert!(
        !page.contains("<style") && !page.contains("<script>"),
        "nothing inline"
    );
    assert!(page.contains("src=\"/static/dashboard.js\""));
    let secrets = get(&s, "/api/findings?category=secret").json();
    let f = &secrets["findings"][0];
    assert_eq!(f["rule"], "github-pat-classic", "{secrets}");
    assert!(
        f["redacted"].as_str().unwrap_or("").contains('*')
            || f["redacted"].as_str().unwrap_or("").contains('…'),
        "{f}"
    );
    // The filters: by recommendation and class on the page, and in the API.
    let filtered = get(&s, "/?recommendation=open-after-fixes");
    // The guidance repository has an owner, a disclosure route and nothing
    // to update: open. The tool has a leaked token to fix first.
    assert!(
        filtered.body.contains("1 of 3 repositories shown"),
        "{}",
        filtered.body
    );
    assert!(
        !filtered.body.contains("model.git\"")
            && !filtered.body.contains("team-a/guidance<")
            && filtered.body.contains("team-a/tool<"),
        "the archived and the open ones are filtered out"
    );
    let open = get(&s, "/api/repositories?recommendation=open").json();
    let open = open["repositories"].as_array().cloned().unwrap_or_default();
    assert_eq!(open.len(), 1, "{open:?}");
    assert!(
        open[0]["path"]
            .as_str()
            .is_some_and(|p| p.ends_with("team-a/guidance")),
        "{open:?}"
    );
    // DNS rebinding: another Host is refused, whatever the path.
    for host in ["evil.example", "evil.example:80", "127.0.0.1.evil.example"] {
        let a = request(&s, "GET", "/api/summary", &[("Host", host)], "");
        assert_eq!(a.status, 421, "{host}");
        assert!(a.body.contains("DNS rebinding"), "{}", a.body);
    }
    let localhost = format!("localhost:{}", s.addr.rsplit(':').next().unwrap_or(""));
    assert_eq!(
        request(&s, "GET", "/api/summary", &[("Host", &localhost)], "").status,
        200
    );
    let css = get(&s, "/static/style.css");
    assert_eq!(css.status, 200);
    assert!(
        css.header("content-type")
            .is_some_and(|t| t.starts_with("text/css"))
    );
    let doc = get(&s, "/api/openapi.json").json();
    assert_eq!(doc["openapi"], "3.0.3");
}

#[test]
fn every_write_needs_the_token_and_a_form_needs_its_csrf_token() {
    let (org, _dir, db, s) = dashboard();
    let secrets = get(&s, "/api/findings?category=secret").json();
    let fp = secrets["findings"][0]["fingerprint"]
        .as_str()
        .expect("fp")
        .to_string();
    let verdict = serde_json::json!({"fingerprint": fp, "state": "false-positive", "reason": "a test fixture"});
    let body = verdict.to_string();
    let json = ("Content-Type", "application/json");
    assert_eq!(
        request(&s, "POST", "/api/triage", &[json], &body).status,
        401
    );
    assert_eq!(
        request(
            &s,
            "POST",
            "/api/triage",
            &[json, ("Authorization", "Bearer wrong")],
            &body
        )
        .status,
        401
    );
    let auth = format!("Bearer {TOKEN}");
    let cross = request(
        &s,
        "POST",
        "/api/triage",
        &[
            json,
            ("Authorization", &auth),
            ("Origin", "http://evil.example"),
        ],
        &body,
    );
    assert_eq!(cross.status, 403, "{}", cross.body);
    assert_eq!(
        get(&s, "/api/findings?triage=false-positive").json()["total"],
        0,
        "nothing was written"
    );

    // Signing in: a wrong token is refused, the right one gives a session.
    let form = ("Content-Type", "application/x-www-form-urlencoded");
    assert_eq!(
        request(&s, "POST", "/login", &[form], "token=nope&next=/").status,
        401
    );
    let signed = request(
        &s,
        "POST",
        "/login",
        &[form],
        &format!("token={TOKEN}&next=/findings"),
    );
    assert_eq!(signed.status, 303);
    assert_eq!(signed.header("location"), Some("/findings"));
    let cookie_header = signed.header("set-cookie").expect("a cookie").to_string();
    assert!(
        cookie_header.contains("HttpOnly")
            && cookie_header.contains("SameSite=Strict")
            && cookie_header.contains("Max-Age=43200"),
        "{cookie_header}"
    );
    let cookie = cookie_header.split(';').next().expect("pair").to_string();
    let page = request(
        &s,
        "GET",
        "/findings?category=secret",
        &[("Cookie", &cookie)],
        "",
    )
    .body;
    let csrf = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("the page's forms carry a CSRF token")
        .to_string();
    let triage_form =
        format!("fingerprint={fp}&state=false-positive&reason=a+test+fixture&next=%2Ffindings");
    let no_csrf = request(
        &s,
        "POST",
        "/triage",
        &[form, ("Cookie", &cookie)],
        &triage_form,
    );
    assert_eq!(no_csrf.status, 403, "{}", no_csrf.body);
    let wrong = request(
        &s,
        "POST",
        "/triage",
        &[form, ("Cookie", &cookie)],
        &format!("{triage_form}&csrf=0000"),
    );
    assert_eq!(wrong.status, 403);
    let ok = request(
        &s,
        "POST",
        "/triage",
        &[form, ("Cookie", &cookie)],
        &format!("{triage_form}&csrf={csrf}"),
    );
    assert_eq!(ok.status, 303, "{}", ok.body);
    assert_eq!(ok.header("location"), Some("/findings"));

    // The verdict is in the store the command line reads.
    let v = get(&s, "/api/findings?triage=false-positive").json();
    assert_eq!(v["total"], 1, "{v}");
    assert_eq!(v["findings"][0]["triage"]["reason"], "a test fixture");
    let out = keepopen(&["report", "--db", &db, "--format", "html"], org.path());
    let html = String::from_utf8_lossy(&out.stdout);
    assert!(
        html.contains("false-positive: a test fixture"),
        "keepopen report shows the verdict"
    );
    // And one set by the command line shows in the dashboard.
    let out = keepopen(
        &["triage", &fp, "fixed", "--reason", "rotated", "--db", &db],
        org.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::thread::sleep(std::time::Duration::from_millis(700));
    assert_eq!(get(&s, "/api/findings?triage=fixed").json()["total"], 1);

    // Signing out ends the session: its cookie writes nothing more.
    let out = request(
        &s,
        "POST",
        "/logout",
        &[form, ("Cookie", &cookie)],
        &format!("csrf={csrf}"),
    );
    assert_eq!(out.status, 303);
    let after = request(
        &s,
        "POST",
        "/triage",
        &[form, ("Cookie", &cookie)],
        &format!("{triage_form}&csrf={csrf}"),
    );
    assert_eq!(after.status, 401);
}

#[test]
fn bad_input_gets_a_4xx_that_names_what_was_wrong() {
    let (_org, _dir, _db, s) = dashboard();
    let cases: Vec<(&str, &str, &str, u16, &str)> = vec![
        ("GET", "/api/findings?category=secrets", "", 400, "category"),
        ("GET", "/api/findings?severity=urgent", "", 400, "severity"),
        ("GET", "/api/findings?triage=maybe", "", 400, "triage"),
        ("GET", "/api/findings?limit=0", "", 400, "limit"),
        ("GET", "/api/findings?limit=abc", "", 400, "limit"),
        ("GET", "/api/findings?offset=-1", "", 400, "offset"),
        (
            "GET",
            "/api/findings?repository=nowhere",
            "",
            404,
            "nowhere",
        ),
        (
            "GET",
            "/api/repositories?recommendation=close",
            "",
            400,
            "recommendation",
        ),
        ("GET", "/api/repository", "", 400, "path"),
        ("GET", "/api/repository?path=%00", "", 400, "NUL"),
        ("GET", "/api/rescans/abc", "", 400, "abc"),
        ("GET", "/api/rescans/99", "", 404, "99"),
        ("GET", "/api/no-such-thing", "", 404, "no such page"),
        ("POST", "/api/triage", "{not json", 400, "body"),
        (
            "POST",
            "/api/triage",
            "{\"fingerprint\":\"x\",\"state\":\"fixed\"}",
            400,
            "reason",
        ),
        (
            "POST",
            "/api/triage",
            "{\"fingerprint\":\"x\",\"state\":\"fixed\",\"reason\":\"r\",\"extra\":1}",
            400,
            "extra",
        ),
        (
            "POST",
            "/api/triage",
            "{\"fingerprint\":\"x\",\"state\":\"ignored\",\"reason\":\"r\"}",
            400,
            "triage state",
        ),
        (
            "POST",
            "/api/triage",
            "{\"fingerprint\":\"x\",\"state\":\"accepted-risk\",\"reason\":\"r\"}",
            400,
            "expiry",
        ),
        (
            "POST",
            "/api/triage",
            "{\"fingerprint\":\"x\",\"state\":\"fixed\",\"reason\":\"r\",\"expires\":\"2099-01-01\"}",
            400,
            "12 months",
        ),
        (
            "POST",
            "/api/triage",
            "{\"fingerprint\":\"nothing-like-it\",\"state\":\"fixed\",\"reason\":\"r\"}",
            404,
            "fingerprint",
        ),
        (
            "POST",
            "/api/rescans",
            "{\"repository\":\"elsewhere\"}",
            404,
            "elsewhere",
        ),
        (
            "POST",
            "/api/exceptions/close",
            "{\"repository\":\"elsewhere\",\"id\":\"../x\"}",
            400,
            "exception id",
        ),
    ];
    let auth = format!("Bearer {TOKEN}");
    for (method, path, body, status, says) in cases {
        let a = request(
            &s,
            method,
            path,
            &[
                ("Authorization", &auth),
                ("Content-Type", "application/json"),
            ],
            body,
        );
        assert_eq!(a.status, status, "{method} {path} {body}: {}", a.body);
        let message = a.json()["error"].as_str().unwrap_or("").to_string();
        assert!(
            message.contains(says),
            "{method} {path}: `{message}` should name {says}"
        );
    }
    let text = request(
        &s,
        "POST",
        "/api/triage",
        &[("Authorization", &auth), ("Content-Type", "text/plain")],
        "{}",
    );
    assert_eq!(text.status, 415, "{}", text.body);
    let big = format!("{{\"repository\":\"{}\"}}", "a".repeat(100_000));
    let large = request(
        &s,
        "POST",
        "/api/rescans",
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/json"),
        ],
        &big,
    );
    assert_eq!(large.status, 413, "{}", large.body);
    // A page gets its error as a page.
    let page = request(
        &s,
        "GET",
        "/findings?severity=urgent",
        &[("Accept", "text/html")],
        "",
    );
    assert_eq!(page.status, 400);
    assert!(
        page.body.contains("<h1>Something was not right</h1>") && page.body.contains("severity"),
        "{}",
        page.body
    );
}

#[test]
fn a_rescan_replaces_the_result_and_its_progress_streams_as_events() {
    let (org, _dir, db, s) = dashboard();
    let tool = tool(&s);
    let before = get(&s, "/api/summary").json();
    // A second token lands in the work tree after the run.
    // The run names it by its absolute path: joining keeps it.
    let clone = org.path().join(&tool);
    std::fs::write(
        clone.join("more.py"),
        format!("OTHER = \"{}\"\n", github_token(77)),
    )
    .expect("write");
    let started = post_json(&s, "/api/rescans", &serde_json::json!({"repository": tool}));
    assert_eq!(started.status, 202, "{}", started.body);
    let id = started.json()["id"].as_u64().expect("an id");
    let events = get(&s, &format!("/api/rescans/{id}/events"));
    assert!(
        events
            .header("content-type")
            .is_some_and(|t| t.starts_with("text/event-stream"))
    );
    let names: Vec<&str> = events
        .body
        .lines()
        .filter_map(|l| l.strip_prefix("event: "))
        .collect();
    assert_eq!(names.last(), Some(&"done"), "{}", events.body);
    let status = get(&s, &format!("/api/rescans/{id}")).json();
    assert_eq!(status["state"], "done");
    let after = get(&s, "/api/summary").json();
    assert_eq!(
        after["repositories"], before["repositories"],
        "one run, the same repositories"
    );
    assert_eq!(after["by_category"]["secret"], 2, "{before} → {after}");
    // The command line reads the same result back.
    let out = keepopen(&["report", "--db", &db, "--format", "json"], org.path());
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let row = v["repositories"]
        .as_array()
        .and_then(|r| r.iter().find(|r| r["path"] == tool.as_str()))
        .expect("the row");
    assert_eq!(row["findings"]["by_category"]["secret"], 2, "{row}");
}

#[test]
fn an_exception_is_created_renewed_and_closed_in_the_work_tree() {
    let (org, _dir, _db, s) = dashboard();
    let tool = tool(&s);
    let record = serde_json::json!({
        "repository": tool,
        "id": "pilot-config",
        "scope": ["config/**"],
        "attacker": "an opportunistic scanner of public code",
        "publication_adds": "the hostnames of a pilot's test servers",
        "path_to_harm": "none without network access the pilot does not give",
        "alternatives": "moving the config out: planned for the next release",
        "compensating_controls": "the servers are behind the VPN",
        "approver": "Head of Engineering",
        "expires": (jiff::Zoned::now().date() + jiff::Span::new().months(3)).to_string(),
    });
    let created = post_json(&s, "/api/exceptions", &record);
    assert_eq!(created.status, 201, "{}", created.body);
    // The run names it by its absolute path: joining keeps it.
    let root = org.path().join(&tool);
    let file = root.join(".keepopen/exceptions/pilot-config.toml");
    assert!(file.is_file());
    let out = keepopen(
        &["exception", "list", &root.to_string_lossy(), "--json"],
        org.path(),
    );
    let list: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(list["exceptions"][0]["standing"], "active", "{list}");
    assert_eq!(
        post_json(&s, "/api/exceptions", &record).status,
        409,
        "never written over"
    );
    let page = get(&s, &format!("/repository?path={}", enc(&tool))).body;
    assert!(
        page.contains("pilot-config · active"),
        "the page reads the register live"
    );

    let expires = (jiff::Zoned::now().date() + jiff::Span::new().months(9)).to_string();
    let renewed = post_json(
        &s,
        "/api/exceptions/renew",
        &serde_json::json!({"repository": tool, "id": "pilot-config", "approver": "SIRO", "expires": expires}),
    );
    assert_eq!(renewed.status, 200, "{}", renewed.body);
    let text = std::fs::read_to_string(&file).expect("the record");
    assert!(
        text.contains(&expires) && text.contains("SIRO") && text.contains("behind the VPN"),
        "{text}"
    );
    let too_long = post_json(
        &s,
        "/api/exceptions/renew",
        &serde_json::json!({"repository": tool, "id": "pilot-config", "approver": "SIRO", "expires": "2099-01-01"}),
    );
    assert_eq!(too_long.status, 400, "{}", too_long.body);
    assert!(too_long.body.contains("12 months"));

    let closed = post_json(
        &s,
        "/api/exceptions/close",
        &serde_json::json!({"repository": tool, "id": "pilot-config"}),
    );
    assert_eq!(closed.status, 200, "{}", closed.body);
    assert!(!file.exists());
    assert_eq!(
        post_json(
            &s,
            "/api/exceptions/close",
            &serde_json::json!({"repository": tool, "id": "pilot-config"})
        )
        .status,
        404
    );
    // A bare clone has no work tree to write a record into.
    let bare = get(&s, "/api/repositories").json()["repositories"]
        .as_array()
        .and_then(|r| {
            r.iter()
                .filter_map(|r| r["path"].as_str())
                .find(|p| p.ends_with("model.git"))
                .map(str::to_string)
        })
        .expect("the bare clone");
    let mut r = record.clone();
    r["repository"] = Value::String(bare);
    let refused = post_json(&s, "/api/exceptions", &r);
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(refused.body.contains("no work tree"));
}

#[test]
fn a_token_is_made_and_printed_once_and_binding_beyond_loopback_is_warned_about() {
    let (org, _p) = organisation();
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir
        .path()
        .join("keepopen.db")
        .to_string_lossy()
        .into_owned();
    let mut child = Command::new(env!("CARGO_BIN_EXE_keepopen"))
        .args(["serve", "--db", &db, "--addr", "0.0.0.0:0"])
        .env_remove("KEEPOPEN_TOKEN")
        .current_dir(org.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("keepopen serve starts");
    let mut warning = String::new();
    BufReader::new(child.stderr.take().expect("stderr"))
        .read_line(&mut warning)
        .expect("a line");
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    let (mut first, mut second) = (String::new(), String::new());
    out.read_line(&mut first).expect("the address");
    out.read_line(&mut second).expect("the token");
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        warning.starts_with("warning: listening on 0.0.0.0:"),
        "{warning}"
    );
    assert!(warning.contains("Bind to 127.0.0.1"), "{warning}");
    let token = second.rsplit(' ').next().unwrap_or("").trim();
    assert_eq!(token.len(), 64, "{second}");
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()), "{second}");
    // A short KEEPOPEN_TOKEN is refused before anything listens.
    let out = Command::new(env!("CARGO_BIN_EXE_keepopen"))
        .args(["serve", "--db", &db, "--addr", "127.0.0.1:0"])
        .env("KEEPOPEN_TOKEN", "short")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least 16 characters"));
}

#[test]
fn the_dashboard_on_a_postgres_store_triages_and_rescans_as_on_sqlite() {
    let Some(pg) = keepopen_store::Scratch::new("serve") else {
        eprintln!("no KEEPOPEN_TEST_POSTGRES: skipped (scripts/test.sh starts a server)");
        return;
    };
    let pg = pg.expect("a scratch database");
    let url = pg.url.secret().to_string();
    let (org, p) = organisation();
    let (code, v) = org_json(&[&p, "--db", &url], org.path());
    assert_eq!(code, Some(1), "{v}");
    let s = serve(&url, org.path());
    let summary = get(&s, "/api/summary").json();
    assert_eq!(summary["repositories"], 3, "{summary}");
    let secret = get(&s, "/api/findings?category=secret").json();
    let fp = secret["findings"][0]["fingerprint"]
        .as_str()
        .expect("fp")
        .to_string();
    let t = post_json(
        &s,
        "/api/triage",
        &serde_json::json!({"fingerprint": fp, "state": "fixed", "reason": "rotated on 1 December"}),
    );
    assert_eq!(t.status, 200, "{}", t.body);
    let tool = tool(&s);
    // The run names it by its absolute path: joining keeps it.
    let clone = org.path().join(&tool);
    std::fs::write(
        clone.join("more.py"),
        format!("OTHER = \"{}\"\n", github_token(78)),
    )
    .expect("write");
    let started = post_json(&s, "/api/rescans", &serde_json::json!({"repository": tool}));
    assert_eq!(started.status, 202, "{}", started.body);
    let id = started.json()["id"].as_u64().expect("id");
    let events = get(&s, &format!("/api/rescans/{id}/events")).body;
    assert!(events.contains("event: done"), "{events}");
    assert_eq!(get(&s, "/api/summary").json()["by_category"]["secret"], 2);
    let out = keepopen(&["report", "--db", &url, "--format", "html"], org.path());
    let html = String::from_utf8_lossy(&out.stdout);
    assert!(
        html.contains("fixed: rotated on 1 December"),
        "the verdict is in the shared store"
    );
    assert!(!html.contains(&github_token(78)), "never the secret");
}
