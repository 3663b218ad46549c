//! Sample findings for the format tests, and a checker for the subset of
//! JSON Schema the published schema uses.

use crate::{FormatKind, Report, RuleInfo};
use keepopen_findings::Problem;
use keepopen_findings::Stats;
use keepopen_findings::{Category, Confidence, Finding, Location, Match, Severity, redact_context};
use serde_json::Value;

/// Built in pieces so this file never holds a whole token.
pub(crate) const SECRET: &str = concat!("tok", "_live_", "Q2xpZW50U2VjcmV0", "Zm9yVGVzdHM");

pub(crate) fn findings() -> Vec<Finding> {
    let m = |rule: &str, severity, line, secret: &str, context: String| Match {
        remedy: None,
        rule: rule.into(),
        category: Category::Secret,
        severity,
        confidence: Confidence::High,
        secret: secret.into(),
        line,
        column: 9,
        // As the pipeline hands contexts over: already redacted.
        context: redact_context(&context, &[(Category::Secret, secret)]),
        detail: None,
    };
    vec![
        Finding::new(
            m(
                "demo-token",
                Severity::Critical,
                12,
                SECRET,
                format!("TOKEN = \"{SECRET}\""),
            ),
            Location {
                path: "src/settings.py".into(),
                in_head: true,
                in_worktree: true,
                ..Default::default()
            },
        ),
        Finding::new(
            m(
                "demo-password",
                Severity::Medium,
                3,
                "Tr0ub4dor&3x|pipe",
                "password: Tr0ub4dor&3x|pipe".into(),
            ),
            Location {
                path: "deploy/old config, \"quoted\".yml".into(),
                commit: Some("0123456789abcdef0123456789abcdef01234567".into()),
                commit_time: Some(1_700_000_000),
                author: Some("A. Developer".into()),
                commit_line: Some(3),
                repository: None,
                in_head: false,
                in_worktree: false,
                unreachable: false,
                anchor: None,
            },
        ),
        Finding::new(
            m(
                "demo-password",
                Severity::Medium,
                2,
                "Pr-only|s3cret",
                "password: Pr-only|s3cret".into(),
            ),
            // Only a deleted pull-request branch reaches it.
            Location {
                path: "deploy/.env.review".into(),
                commit: Some("fedcba9876543210fedcba9876543210fedcba98".into()),
                commit_time: Some(1_700_100_000),
                author: Some("B. Contributor".into()),
                unreachable: true,
                ..Default::default()
            },
        ),
        Finding::new(
            m(
                "demo-key-file",
                Severity::High,
                0,
                "client.p12",
                "tests/resources/client.p12 (the file itself)".into(),
            ),
            Location {
                path: "tests/resources/client.p12".into(),
                in_head: true,
                ..Default::default()
            },
        )
        // A test fixture: lowered to low, with the reason, not blocking.
        .in_context(None, &keepopen_findings::ContextPolicy::default()),
    ]
}

pub(crate) fn rules() -> Vec<RuleInfo> {
    ["demo-token", "demo-password", "demo-key-file"]
        .iter()
        .map(|id| rule(id))
        .collect()
}

fn rule(id: &str) -> RuleInfo {
    RuleInfo {
        id: id.to_string(),
        name: format!("Demo {id}"),
        description: format!("What an attacker does with a {id}."),
        severity: Severity::High,
        category: Category::Secret,
        references: vec!["https://example.org/docs".into()],
        fix: "Rotate it.".into(),
        kind: keepopen_findings::RuleKind::Pattern,
        revoke: None,
    }
}

pub(crate) fn render(kind: FormatKind, show_secrets: bool) -> String {
    render_with(kind, show_secrets, None)
}

/// A small checklist: one pass, one fail, one not applicable.
pub(crate) fn posture() -> crate::Posture {
    use keepopen_posture::{CheckResult, Evidence, Status};
    let check = |id, status, score, evidence: Vec<Evidence>| CheckResult {
        id,
        status,
        score,
        evidence,
        fix: "Do the thing.",
    };
    crate::Posture::new(vec![
        check(
            "posture-licence",
            Status::Pass,
            Some(10),
            vec![Evidence::new("LICENSE", 1, "MIT")],
        ),
        check("posture-security-policy", Status::Fail, Some(0), vec![]),
        check(
            "posture-pinned-dependencies",
            Status::NotApplicable,
            None,
            vec![],
        ),
    ])
}

/// The finding a failing repository-level check gives (here, the
/// checklist's missing security policy): about the repository as a whole,
/// so at `.`, with the file the pipeline chose to stand for it.
pub(crate) fn posture_finding() -> Finding {
    Finding::new(
        Match {
            remedy: None,
            rule: "demo-policy".into(),
            category: Category::Posture,
            severity: Severity::Medium,
            confidence: Confidence::High,
            secret: "demo-policy".into(),
            line: 0,
            column: 0,
            context: "no SECURITY.md".into(),
            detail: None,
        },
        Location {
            path: ".".into(),
            in_head: true,
            in_worktree: true,
            anchor: Some("README.md".into()),
            ..Default::default()
        },
    )
}

pub(crate) fn render_with(
    kind: FormatKind,
    show_secrets: bool,
    posture: Option<&crate::Posture>,
) -> String {
    render_assessed(kind, show_secrets, posture, &[])
}

/// [`render_with`], with keep-open assessments.
pub(crate) fn render_assessed(
    kind: FormatKind,
    show_secrets: bool,
    posture: Option<&crate::Posture>,
    assessments: &[crate::Assessed],
) -> String {
    let repository = std::sync::Arc::new(keepopen_findings::Repository {
        root: "demo".into(),
        remote: Some("https://github.com/nhs-example/demo.git".into()),
        head: Some("89abcdef0123456789abcdef0123456789abcdef".into()),
    });
    let mut findings = findings();
    // Failing checks are findings too, when the checks ran.
    findings.extend(posture.map(|_| posture_finding()));
    for f in &mut findings {
        f.location.repository = Some(repository.clone());
    }
    let repositories = [repository];
    let mut rules = rules();
    rules.extend(posture.map(|_| rule("demo-policy")));
    let dependencies = dependencies();
    let mut problems = vec![
        Problem::error("objects/pack/pack-1.pack", "pack is damaged"),
        Problem::skip(
            "data/huge.csv",
            "300 MiB (314572800 bytes) is over the 256 MiB limit; raise it with --max-blob-size",
        ),
    ];
    // As the command line adds them: one note per ecosystem.
    problems.extend(
        dependencies
            .sentences()
            .map(|s| Problem::note("dependencies", s)),
    );
    let stats = Stats {
        files: 10,
        blobs: 20,
        bytes: 3000,
        commits: 5,
        ..Default::default()
    };
    let report = Report {
        findings: &findings,
        problems: &problems,
        stats: &stats,
        rules: &rules,
        fail_on: Severity::High,
        workflows_fail_on: Severity::High,
        show_secrets,
        baseline_suppressed: 1,
        color: false,
        posture,
        dependencies: Some(&dependencies),
        repositories: &repositories,
        assessments,
    };
    let mut out = Vec::new();
    kind.format().write(&report, &mut out).expect("render");
    String::from_utf8(out).expect("utf-8")
}

/// Checks `v` against `schema` for: type, required, properties,
/// additionalProperties, items, enum, const, minimum and local `$ref`s.
pub(crate) fn check_schema(schema: &Value, v: &Value, at: &str, root: &Value) -> Vec<String> {
    let mut errs = Vec::new();
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let target = r
            .trim_start_matches("#/")
            .split('/')
            .fold(root, |s, k| &s[k]);
        return check_schema(target, v, at, root);
    }
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if !types.is_empty() {
        let ok = types.iter().any(|t| match *t {
            "object" => v.is_object(),
            "array" => v.is_array(),
            "string" => v.is_string(),
            "integer" => v.is_u64() || v.is_i64(),
            "number" => v.is_number(),
            "boolean" => v.is_boolean(),
            "null" => v.is_null(),
            _ => true,
        });
        if !ok {
            errs.push(format!("{at}: expected {}, got {v}", types.join(" or ")));
            return errs;
        }
    }
    if let Some(e) = schema.get("enum").and_then(Value::as_array)
        && !e.contains(v)
    {
        errs.push(format!("{at}: {v} not in enum"));
    }
    if let Some(c) = schema.get("const")
        && c != v
    {
        errs.push(format!("{at}: {v} is not {c}"));
    }
    if let (Some(min), Some(n)) = (schema.get("minimum").and_then(Value::as_i64), v.as_i64())
        && n < min
    {
        errs.push(format!("{at}: {n} < {min}"));
    }
    if let Some(obj) = v.as_object() {
        let props = schema.get("properties").and_then(Value::as_object);
        for req in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(k) = req.as_str()
                && !obj.contains_key(k)
            {
                errs.push(format!("{at}: missing required `{k}`"));
            }
        }
        for (k, val) in obj {
            match props.and_then(|p| p.get(k)) {
                Some(s) => errs.extend(check_schema(s, val, &format!("{at}.{k}"), root)),
                None => match schema.get("additionalProperties") {
                    Some(Value::Bool(false)) => errs.push(format!("{at}: unexpected `{k}`")),
                    Some(s @ Value::Object(_)) => {
                        errs.extend(check_schema(s, val, &format!("{at}.{k}"), root))
                    }
                    _ => {}
                },
            }
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), v.as_array()) {
        for (i, item) in arr.iter().enumerate() {
            errs.extend(check_schema(items, item, &format!("{at}[{i}]"), root));
        }
    }
    errs
}

/// Lockfiles of two ecosystems, one of which the advisory database has no
/// advisories for.
pub(crate) fn dependencies() -> keepopen_findings::DependencyCoverage {
    let eco =
        |name: &str, packages, advisories_in_db, checked| keepopen_findings::EcosystemCoverage {
            ecosystem: name.into(),
            packages,
            advisories_in_db,
            checked,
        };
    keepopen_findings::DependencyCoverage {
        database: true,
        ecosystems: vec![eco("PyPI", 12, true, 12), eco("npm", 1978, false, 0)],
    }
}
