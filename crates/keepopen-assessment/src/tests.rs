use super::*;
use keepopen_findings::{Confidence, Location, Match, RuleKind, Severity};
use keepopen_posture::Evidence;

const NOW: i64 = 1_800_000_000;

fn finding(category: Category, rule: &str, path: &str, remedy: Option<Remedy>) -> Finding {
    Finding::new(
        Match {
            rule: rule.into(),
            category,
            severity: Severity::High,
            confidence: Confidence::High,
            secret: ["AKIA", "Q3EXAMPLEEXAMPLE7"].concat(),
            line: 3,
            column: 1,
            context: String::new(),
            detail: None,
            remedy,
        },
        Location {
            path: path.into(),
            commit: Some("0123456789abcdef0123".into()),
            in_head: false,
            ..Default::default()
        },
    )
}

fn check(id: &'static str, status: Status) -> CheckResult {
    CheckResult {
        id,
        status,
        score: None,
        evidence: vec![Evidence::new("", 0, "no file found")],
        fix: "Do it.",
    }
}

fn passing() -> Vec<CheckResult> {
    MINIMUM.iter().map(|id| check(id, Status::Pass)).collect()
}

fn rules() -> Vec<RuleInfo> {
    vec![
        RuleInfo {
            id: "aws-access-key".into(),
            name: "AWS access key".into(),
            description: String::new(),
            severity: Severity::Critical,
            category: Category::Secret,
            references: vec![
                "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html"
                    .into(),
            ],
            fix: String::new(),
            kind: RuleKind::Pattern,
            revoke: Some("https://console.aws.amazon.com/iam/home#/security_credentials".into()),
        },
        RuleInfo {
            id: "key-file-p12".into(),
            name: "PKCS#12 key store".into(),
            description: String::new(),
            severity: Severity::High,
            category: Category::Secret,
            references: vec![],
            fix: String::new(),
            kind: RuleKind::Filename,
            revoke: None,
        },
    ]
}

fn class(c: Class) -> Classified {
    Classified {
        class: c,
        evidence: vec!["test".into()],
    }
}

fn run(findings: &[Finding], posture: &[CheckResult], c: Class, last: Option<i64>) -> Assessment {
    let blocks = |f: &Finding| f.m.severity >= Severity::High;
    run_on(findings, posture, c, last, &[], &blocks)
}

fn run_on(
    findings: &[Finding],
    posture: &[CheckResult],
    c: Class,
    last: Option<i64>,
    exceptions: &[(exceptions::Exception, Vec<String>)],
    blocks: &dyn Fn(&Finding) -> bool,
) -> Assessment {
    let rules = rules();
    assess(
        Facts {
            findings,
            blocking: blocks,
            posture: Some(posture),
            class: class(c),
            last_commit: last,
            now: NOW,
            rules: &rules,
            ecosystems: vec!["npm".into(), "pip".into(), "github-actions".into()],
            exceptions,
            private: false,
        },
        &Policy::default(),
    )
}

#[test]
fn nothing_blocking_and_the_minimum_met_is_open() {
    let a = run(&[], &passing(), Class::Analysis, Some(NOW - 10 * DAY));
    assert_eq!(a.recommendation, Recommendation::Open);
    assert_eq!(a.reasons.len(), 1);
    assert_eq!(a.reasons[0].rule, "policy-open");
    assert!(a.fixes.is_empty());
}

/// One credential found in several places, or spelt two ways (a PEM key
/// and the same key in a Java string), is one credential to rotate.
#[test]
fn a_credential_is_counted_once_wherever_and_however_it_was_found() {
    let b64 = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let body: Vec<String> = (0..4)
        .map(|l| {
            (0..64)
                .map(|i| b64[(i * 7 + l * 13 + 3) % 64] as char)
                .collect()
        })
        .collect();
    let (begin, end) = (
        ["-----BEGIN ", "RSA PRIVATE KEY-----"].concat(),
        ["-----END ", "RSA PRIVATE KEY-----"].concat(),
    );
    let pem = format!("{begin}\n{}\n{end}", body.join("\n"));
    let in_string = format!("{begin}\\n\" +\n  \"{}\\n{end}", body.join("\\n\" +\n  \""));
    let with = |rule: &str, path: &str, secret: &str| {
        let mut f = finding(Category::Secret, rule, path, None);
        f.m.secret = secret.into();
        f
    };
    let found = [
        with(
            "private-key-rsa",
            "src/main/resources/application.yml",
            &pem,
        ),
        with(
            "private-key-in-string",
            "src/main/java/Gpc.java",
            &in_string,
        ),
        with("aws-access-key", "a.php", "same-value-1"),
        with("aws-access-key", "b.php", "same-value-1"),
        with("aws-access-key", "c.php", "same-value-1"),
        with("aws-access-key", "d.php", "same-value-2"),
        finding(Category::Secret, "key-file-p12", "x.p12", None),
        finding(Category::Secret, "key-file-p12", "y.p12", None),
    ];
    let a = run(&found, &passing(), Class::Service, Some(NOW));
    let rotate = &a.fixes[0];
    assert_eq!(rotate.title, "Rotate 5 leaked credentials", "{rotate:?}");
    assert_eq!(rotate.findings.len(), 8, "every finding is still put right");
    let actions = rotate.actions.join("\n");
    assert!(
        actions.contains(
            "application.yml:3 (history only, from commit 0123456789ab) (found at 1 more place)"
        ),
        "{actions}"
    );
    assert!(
        actions
            .contains("a.php:3 (history only, from commit 0123456789ab) (found at 2 more places)"),
        "{actions}"
    );
    assert!(!actions.contains("b.php"), "{actions}");
}

#[test]
fn a_leaked_key_is_rotated_first_then_purged() {
    let found = [
        finding(
            Category::Dependency,
            "dependency-vulnerable",
            "package-lock.json",
            Some(Remedy::Upgrade {
                ecosystem: "npm".into(),
                package: "lodash".into(),
                from: "4.17.15".into(),
                to: Some("4.17.21".into()),
            }),
        ),
        finding(
            Category::Secret,
            "aws-access-key",
            "config/settings.py",
            None,
        ),
        finding(Category::Secret, "key-file-p12", "certs/signing.p12", None),
    ];
    let a = run(&found, &passing(), Class::Service, Some(NOW));
    assert_eq!(a.recommendation, Recommendation::OpenAfterFixes);
    let kinds: Vec<&str> = a.fixes.iter().map(|s| s.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "rotate-credentials",
            "purge-history",
            "upgrade-dependencies"
        ]
    );
    let rotate = a.fixes[0].actions.join("\n");
    assert!(rotate.contains("AWS access key"), "{rotate}");
    assert!(
        rotate.contains(
            "Revoke it at https://console.aws.amazon.com/iam/home#/security_credentials."
        ),
        "the rule's revocation route: {rotate}"
    );
    // Without one, the rule's first reference.
    let mut p12 = finding(Category::Secret, "key-file-p12", "x.p12", None);
    p12.m.severity = Severity::High;
    let b = run(&[p12], &passing(), Class::Service, Some(NOW));
    assert!(
        !b.fixes[0].actions[0].contains("Revoke it at"),
        "{:?}",
        b.fixes[0]
    );
    assert!(
        rotate.contains("history only, from commit 0123456789ab"),
        "{rotate}"
    );
    assert!(rotate.contains("does not un-publish"), "{rotate}");
    assert!(
        !rotate.contains("Q3EXAMPLEEXAMPLE7"),
        "values are redacted: {rotate}"
    );
    let purge = a.fixes[1].actions.join("\n");
    assert!(purge.contains("git filter-repo --replace-text"), "{purge}");
    assert!(
        purge.contains("--invert-paths --path 'certs/signing.p12'"),
        "{purge}"
    );
    assert!(purge.contains("--force"), "{purge}");
    assert!(
        a.fixes[2].actions[0].contains("Upgrade npm `lodash` from 4.17.15 to 4.17.21"),
        "{:?}",
        a.fixes[2]
    );
    let reason = &a.reasons[0];
    assert_eq!(reason.rule, "policy-blocking");
    assert!(
        reason
            .text
            .starts_with("3 findings block (1 dependency, 2 secret)"),
        "{}",
        reason.text
    );
}

#[test]
fn an_unfixable_advisory_in_a_service_asks_for_an_exception_review() {
    let found = [finding(
        Category::Dependency,
        "dependency-vulnerable",
        "poetry.lock",
        Some(Remedy::Upgrade {
            ecosystem: "PyPI".into(),
            package: "pyjwt".into(),
            from: "1.0".into(),
            to: None,
        }),
    )];
    let a = run(&found, &passing(), Class::Service, Some(NOW));
    assert_eq!(a.recommendation, Recommendation::ExceptionReview);
    assert_eq!(a.reasons[0].rule, "policy-exception");
    assert!(
        a.reasons[0].text.contains("threat model"),
        "{}",
        a.reasons[0].text
    );
    assert!(a.fixes[0].actions[0].contains("no version that fixes every advisory"));
    // The same in analysis code is a fix, not an exception.
    let b = run(&found, &passing(), Class::Analysis, Some(NOW));
    assert_eq!(b.recommendation, Recommendation::OpenAfterFixes);
    assert!(b.reasons.iter().all(|r| r.rule != "policy-exception"));
}

#[test]
fn a_missing_disclosure_route_is_a_fix_with_a_template() {
    let mut posture = passing();
    posture[1].status = Status::Fail;
    posture[2].status = Status::Fail;
    let a = run(&[], &posture, Class::Library, Some(NOW));
    assert_eq!(a.recommendation, Recommendation::OpenAfterFixes);
    assert_eq!(a.reasons[0].rule, "policy-minimum");
    assert!(
        a.reasons[0]
            .text
            .contains("posture-security-policy, posture-dependency-automation")
    );
    assert!(a.fixes[0].actions[0].starts_with("Add SECURITY.md"));
    assert!(
        a.fixes[1].actions[0].contains("npm, pip, github-actions"),
        "{:?}",
        a.fixes[1]
    );
}

#[test]
fn idle_and_ownerless_is_archived_but_a_leak_is_still_rotated() {
    let mut posture = passing();
    posture[0].status = Status::Fail; // posture-ownership
    let found = [finding(Category::Secret, "aws-access-key", "a.py", None)];
    let a = run(&found, &posture, Class::Analysis, Some(NOW - 400 * DAY));
    assert_eq!(a.recommendation, Recommendation::Archive);
    assert_eq!(a.reasons[0].rule, "policy-archive");
    assert!(a.reasons[0].text.contains("No commit for 400 days"));
    assert_eq!(a.fixes[0].kind, "rotate-credentials");
    let kinds: Vec<&str> = a.fixes.iter().map(|s| s.kind.as_str()).collect();
    assert_eq!(
        kinds,
        ["rotate-credentials", "purge-history", "archive"],
        "no minimum standard for code to archive"
    );
    // Idle with an owner is not archived; ownerless but active neither.
    assert_ne!(
        run(&[], &passing(), Class::Analysis, Some(NOW - 400 * DAY)).recommendation,
        Recommendation::Archive
    );
    assert_ne!(
        run(&[], &posture, Class::Analysis, Some(NOW - 30 * DAY)).recommendation,
        Recommendation::Archive
    );
}

#[test]
fn findings_that_do_not_block_leave_the_recommendation() {
    let mut low = finding(Category::Secret, "aws-access-key", "tests/fixture.py", None);
    low.m.severity = Severity::Low;
    let a = run(&[low], &passing(), Class::Library, Some(NOW));
    assert_eq!(a.recommendation, Recommendation::Open);
}

#[test]
fn patient_data_is_reported_as_an_incident() {
    let found = [finding(
        Category::PersonalData,
        "nhs-number-table",
        "data/extract.csv",
        None,
    )];
    let a = run(&found, &passing(), Class::Analysis, Some(NOW));
    let step = &a.fixes[0];
    assert_eq!(step.kind, "personal-data");
    let text = step.actions.join("\n");
    assert!(text.contains("(history only, from commit"), "{text}");
    assert!(!text.contains("only) (in history"), "said once: {text}");
    assert!(text.contains("72 hours"), "{text}");
    assert!(
        text.contains("--invert-paths --path 'data/extract.csv'"),
        "{text}"
    );
    // A low-severity e-mail address is checked with IG first, not reported
    // as an incident outright.
    let mut email = finding(
        Category::PersonalData,
        "email-address",
        "data/contacts.xlsx",
        None,
    );
    email.m.severity = Severity::Low;
    let a = run_on(
        &[email],
        &passing(),
        Class::Analysis,
        Some(NOW),
        &[],
        &|_| true,
    );
    let text = a.fixes[0].actions.join("\n");
    assert!(!text.contains("72 hours"), "{text}");
    assert!(text.contains("whether it identifies anyone"), "{text}");
}

#[test]
fn a_sound_exception_takes_what_it_covers_out_of_the_recommendation() {
    let unfixable = finding(
        Category::Dependency,
        "dependency-vulnerable",
        "legacy/poetry.lock",
        Some(Remedy::Upgrade {
            ecosystem: "PyPI".into(),
            package: "pyjwt".into(),
            from: "1.0".into(),
            to: None,
        }),
    );
    let e = exceptions::Exception {
        id: "legacy-jwt".into(),
        file: ".keepopen/exceptions/legacy-jwt.toml".into(),
        record: exceptions::Record {
            scope: vec!["legacy/".into()],
            approver: "A. Person, SIRO".into(),
            approved: "2026-11-01".into(),
            expires: "2027-10-31".into(),
            ..Default::default()
        },
    };
    let covered = [(e, vec![unfixable.fingerprint.clone()])];
    let blocks = |f: &Finding| f.m.severity >= Severity::High;
    let a = run_on(
        &[unfixable],
        &passing(),
        Class::Service,
        Some(NOW),
        &covered,
        &blocks,
    );
    assert_eq!(a.recommendation, Recommendation::Open, "{a:#?}");
    assert!(a.fixes.is_empty());
    assert_eq!(a.reasons[0].rule, "policy-exception");
    assert!(a.reasons[0].text.contains("Exception legacy-jwt (legacy/) covers 1 finding, approved by A. Person, SIRO on 2026-11-01 until 2027-10-31"), "{}", a.reasons[0].text);
}

#[test]
fn every_recommendation_id_is_stable_and_every_policy_rule_is_explained() {
    let ids: Vec<&str> = Recommendation::ALL.iter().map(|r| r.as_str()).collect();
    assert_eq!(
        ids,
        ["open", "open-after-fixes", "exception-review", "archive"]
    );
    let text = Policy::default().explain();
    for r in RULES {
        assert!(text.contains(r.id), "{}", r.id);
    }
    assert!(text.contains("archive_after_days = 365"));
}

#[test]
fn a_private_repository_is_opened_once_its_plan_is_done() {
    let rules = rules();
    let blocks = |f: &Finding| f.m.severity >= Severity::High;
    let private = |findings: &[Finding], last: i64| {
        assess(
            Facts {
                findings,
                blocking: &blocks,
                posture: Some(&passing()),
                class: class(Class::Analysis),
                last_commit: Some(last),
                now: NOW,
                rules: &rules,
                ecosystems: vec![],
                exceptions: &[],
                private: true,
            },
            &Policy::default(),
        )
    };
    let a = private(&[], NOW);
    assert_eq!(a.fixes.len(), 1);
    assert_eq!(a.fixes[0].kind, "make-public");
    assert!(a.fixes[0].actions[0].starts_with("Nothing stands in the way"));
    let leak = [finding(Category::Secret, "aws-access-key", "a.py", None)];
    let a = private(&leak, NOW);
    assert_eq!(a.fixes.last().map(|s| s.kind.as_str()), Some("make-public"));
    assert_eq!(
        a.fixes[0].kind, "rotate-credentials",
        "rotation still comes first"
    );
}
