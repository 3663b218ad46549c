//! A report with one finding of every kind a CI format must carry, and a
//! renderer for any findings: the CI formats' tests and the schema tests.

use crate::{FormatKind, Report, RuleInfo, fixture::SECRET};
use keepopen_findings::{
    Category, Confidence, Finding, Location, Match, Problem, RuleKind, Severity, Stats,
    redact_context,
};

/// A path no format may pass through raw: markup and a BEL.
pub(crate) const ODD_PATH: &str = "odd/<&\">\u{7}name.txt";

/// A personal identifier in the fixture, built in pieces.
pub(crate) fn nhs_number() -> String {
    ["943", "476", "5919"].join(" ")
}

pub(crate) fn finding(
    rule: &str,
    category: Category,
    severity: Severity,
    path: &str,
    line: u32,
    secret: &str,
) -> Finding {
    Finding::new(
        Match {
            remedy: None,
            rule: rule.into(),
            category,
            severity,
            confidence: Confidence::High,
            secret: secret.into(),
            line,
            column: if line > 0 { 5 } else { 0 },
            context: redact_context(&format!("value = {secret}"), &[(category, secret)]),
            detail: None,
        },
        Location {
            path: path.into(),
            in_head: true,
            in_worktree: true,
            anchor: (path == ".").then(|| "README.md".into()),
            ..Default::default()
        },
    )
}

/// Secret, personal data, dependency, posture, exposure, a code finding
/// with no line, a path with markup and a control character, and a secret
/// found only in history.
pub(crate) fn varied() -> Vec<Finding> {
    let mut old = finding(
        "demo-token",
        Category::Secret,
        Severity::High,
        "config/old.env",
        4,
        &format!("{SECRET}2"),
    );
    old.location.in_head = false;
    old.location.in_worktree = false;
    old.location.commit = Some("0123456789abcdef0123456789abcdef01234567".into());
    old.location.commit_time = Some(1_700_000_000);
    old.location.author = Some("A. Developer".into());
    vec![
        finding(
            "demo-token",
            Category::Secret,
            Severity::Critical,
            "src/settings.py",
            12,
            SECRET,
        ),
        finding(
            "demo-nhs-number",
            Category::PersonalData,
            Severity::High,
            "data/patients.csv",
            3,
            &nhs_number(),
        ),
        finding(
            "demo-advisory",
            Category::Dependency,
            Severity::High,
            "package-lock.json",
            120,
            "lodash 4.17.20",
        ),
        finding(
            "demo-policy",
            Category::Posture,
            Severity::Medium,
            ".",
            0,
            "demo-policy",
        ),
        finding(
            "demo-sql",
            Category::Code,
            Severity::High,
            "app/views.py",
            0,
            "cursor.execute(query)",
        ),
        finding(
            "demo-token",
            Category::Secret,
            Severity::Medium,
            ODD_PATH,
            2,
            &format!("{SECRET}3"),
        ),
        finding(
            "demo-internal-host",
            Category::Exposure,
            Severity::Low,
            "deploy/hosts",
            7,
            "db01.trust.internal",
        ),
        old,
    ]
}

pub(crate) fn rules() -> Vec<RuleInfo> {
    let rule = |id: &str, category, references: Vec<String>| RuleInfo {
        id: id.into(),
        name: format!("Demo {id}"),
        description: format!("What an attacker does with a {id}."),
        severity: Severity::High,
        category,
        references,
        fix: "Remove it from the files and the history.".into(),
        kind: RuleKind::Logic,
        revoke: None,
    };
    vec![
        rule(
            "demo-token",
            Category::Secret,
            vec!["https://example.org/tokens".into()],
        ),
        rule("demo-nhs-number", Category::PersonalData, vec![]),
        rule("demo-advisory", Category::Dependency, vec![]),
        rule("demo-policy", Category::Posture, vec![]),
        rule(
            "demo-sql",
            Category::Code,
            vec![RuleInfo::cwe_url("CWE-89")],
        ),
        rule("demo-internal-host", Category::Exposure, vec![]),
    ]
}

pub(crate) fn problems() -> Vec<Problem> {
    vec![
        Problem::error("objects/pack/pack-1.pack", "pack is damaged"),
        Problem::skip("data/huge.csv", "300 MiB is over the 256 MiB limit"),
        Problem::note("dependencies", "PyPI: 12 packages checked"),
    ]
}

impl<'a> Report<'a> {
    /// A report of `findings` failing at high, with nothing else: no
    /// posture, repositories or assessments, redacted, no colour.
    pub(crate) fn plain(
        findings: &'a [Finding],
        problems: &'a [Problem],
        stats: &'a Stats,
        rules: &'a [RuleInfo],
    ) -> Self {
        Report {
            findings,
            problems,
            stats,
            rules,
            fail_on: Severity::High,
            workflows_fail_on: Severity::High,
            show_secrets: false,
            baseline_suppressed: 0,
            color: false,
            posture: None,
            dependencies: None,
            repositories: &[],
            assessments: &[],
        }
    }
}

/// `findings` rendered as `kind`, failing at high.
pub(crate) fn render(
    kind: FormatKind,
    findings: &[Finding],
    problems: &[Problem],
    rules: &[RuleInfo],
    show_secrets: bool,
) -> String {
    let stats = Stats::default();
    let report = Report {
        show_secrets,
        ..Report::plain(findings, problems, &stats, rules)
    };
    let mut out = Vec::new();
    kind.format().write(&report, &mut out).expect("render");
    String::from_utf8(out).expect("utf-8")
}

/// The varied report as `kind`.
pub(crate) fn render_varied(kind: FormatKind, show_secrets: bool) -> String {
    render(kind, &varied(), &problems(), &rules(), show_secrets)
}

/// A clean scan as `kind`: no findings, no problems.
pub(crate) fn render_clean(kind: FormatKind) -> String {
    render(kind, &[], &[], &rules(), false)
}
