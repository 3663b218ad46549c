use super::*;
use keepopen_findings::Severity;

/// A built-in rule, renamed, with `paths`.
fn rule(id: &str, paths: &[&str]) -> Rule {
    let mut rule = keepopen_rules::builtin()
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .find(|r| !r.generic && r.validator.is_none())
        .unwrap_or_else(|| panic!("a specific rule without a validator"));
    rule.id = id.into();
    rule.paths = paths.iter().map(|p| p.to_string()).collect();
    rule
}

fn engine(rules: Vec<Rule>) -> Engine {
    Engine::new(rules).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_rule_with_paths_applies_only_at_them_and_builds_its_set_when_first_asked() {
    let e = engine(vec![
        rule("at-paths", &["**/settings/*.py", "**/.env"]),
        rule("anywhere", &[]),
    ]);
    assert!(e.rules[0].paths.set.get().is_none(), "built before use");
    assert!(e.applies_to_path("at-paths", "app/settings/base.py"));
    assert!(e.applies_to_path("at-paths", ".env"));
    assert!(e.applies_to_path("at-paths", "deploy/.env"));
    assert!(!e.applies_to_path("at-paths", "app/base.py"));
    assert!(!e.applies_to_path("at-paths", "settings.py"));
    assert!(e.rules[0].paths.set.get().is_some());
    assert!(e.applies_to_path("anywhere", "app/base.py"));
    assert!(e.rules[1].paths.set.get().is_none(), "no globs, no set");
}

#[test]
fn a_glob_that_does_not_parse_is_named_with_its_rule() {
    let Err(e) = Engine::new(vec![rule("fine", &[]), rule("bad-glob", &["src/[a"])]) else {
        panic!("an unclosed class is no glob");
    };
    match e {
        EngineError::Rule { id, message } => {
            assert_eq!(id, "bad-glob");
            assert!(message.contains("src/[a"), "{message}");
        }
        other => panic!("{other}"),
    }
}

#[test]
fn the_first_wrong_rule_is_the_one_named() {
    let mut unknown = rule("bad-validator", &[]);
    unknown.validator = Some("no-such-check".into());
    let rules = vec![rule("bad-glob", &["src/[a"]), unknown];
    let Err(EngineError::Rule { id, .. }) = Engine::new(rules) else {
        panic!("two wrong rules");
    };
    assert_eq!(id, "bad-glob");
    let mut unknown = rule("bad-validator", &[]);
    unknown.validator = Some("no-such-check".into());
    let rules = vec![unknown, rule("bad-glob", &["src/[a"])];
    let Err(EngineError::Rule { id, .. }) = Engine::new(rules) else {
        panic!("two wrong rules");
    };
    assert_eq!(id, "bad-validator");
}

/// An AWS key ID with its secret access key below it is one credential:
/// the pair's rule begins its match at the ID, so the ID's own match is
/// kept but low, for the fix plan to count one. An ID alone, or beside a
/// different ID's pair, keeps its severity.
#[test]
fn a_key_id_that_a_pair_begins_with_is_low_not_a_second_credential() {
    let e = engine(keepopen_rules::builtin().unwrap_or_else(|e| panic!("{e}")));
    let upper = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let b64 = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let id = |seed| {
        format!(
            "AK{}{}",
            "IA",
            String::from_utf8_lossy(&crate::testing::text(seed, 16, upper))
        )
    };
    let secret = String::from_utf8_lossy(&crate::testing::text(7, 40, b64)).into_owned();
    let found = |text: &str| -> Vec<(String, Severity)> {
        let mut r: Vec<(String, Severity)> = e
            .scan(&Content::new(text.as_bytes(), Some("config/local.php")))
            .into_iter()
            .map(|m| (m.rule, m.severity))
            .collect();
        r.sort();
        r
    };
    let rules = |text: &str| -> Vec<String> { found(text).into_iter().map(|(r, _)| r).collect() };
    let pair = format!("'key' => '{}',\n'secret' => '{secret}',\n", id(3));
    assert_eq!(
        found(&pair),
        [
            ("aws-access-key-id".to_string(), Severity::Low),
            ("aws-access-key-pair".to_string(), Severity::Critical)
        ]
    );
    assert_eq!(
        found(&format!("'key' => '{}',\n", id(3))),
        [("aws-access-key-id".to_string(), Severity::High)]
    );
    let other = format!("'old' => '{}',\n{pair}", id(5));
    let mut severities: Vec<Severity> = found(&other).into_iter().map(|(_, s)| s).collect();
    severities.sort();
    assert_eq!(
        severities,
        [Severity::Low, Severity::High, Severity::Critical],
        "one ID leads the pair, the other stands alone"
    );
    // A Sentry DSN holds the password a URL rule finds in it: both stay,
    // and most_specific picks between them as before.
    let hex = b"0123456789abcdef";
    let part = |seed| String::from_utf8_lossy(&crate::testing::text(seed, 32, hex)).into_owned();
    let dsn = format!(
        "'dsn' => 'https://{}:{}@o4507.ingest.sentry.io/12',\n",
        part(9),
        part(11)
    );
    assert!(
        rules(&dsn).contains(&"sentry-dsn-with-secret".to_string()),
        "{:?}",
        rules(&dsn)
    );
}
