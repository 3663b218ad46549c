use super::*;
use keepopen_findings::{Confidence, Location, Match};

fn today() -> Date {
    "2026-12-05".parse().expect("date")
}

const SOUND: &str = r#"
scope = ["services/legacy-api/"]
attacker = "An opportunistic attacker scanning public code for unpatched JWT handling"
publication_adds = "The exact library version and the endpoint that uses it"
path_to_harm = "Forge a token for the legacy API, which reads appointment slots"
alternatives = "Upgrade: no fixed release; replace: planned for Q2 2027"
compensating_controls = "The API sits behind the gateway's own token check"
approver = "A. Person, SIRO"
approved = "2026-11-01"
expires = "2027-10-31"
"#;

fn blocking(path: &str, rule: &str) -> Finding {
    Finding::new(
        Match {
            rule: rule.into(),
            category: Category::Dependency,
            severity: Severity::High,
            confidence: Confidence::High,
            secret: "pyjwt@1.0".into(),
            line: 1,
            column: 1,
            context: String::new(),
            detail: None,
            remedy: None,
        },
        Location {
            path: path.into(),
            ..Default::default()
        },
    )
}

fn files(records: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
    records
        .iter()
        .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec()))
        .collect()
}

fn rules_of(c: &Checked) -> Vec<&str> {
    c.findings.iter().map(|f| f.m.rule.as_str()).collect()
}

#[test]
fn a_sound_record_in_force_covers_the_findings_in_its_scope() {
    let (records, bad) = read(&files(&[
        (".keepopen/exceptions/legacy-jwt.toml", SOUND),
        ("README.md", "not a record"),
        (
            ".keepopen/exceptions/notes/x.toml",
            "ignored: not at the top",
        ),
    ]));
    assert!(bad.is_empty(), "{bad:?}");
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].id, "legacy-jwt");
    assert_eq!(records[0].standing(today()), Standing::Active);
    let inside = blocking("services/legacy-api/poetry.lock", "dependency-vulnerable");
    let outside = blocking("services/new-api/poetry.lock", "dependency-vulnerable");
    let c = check(&records, &bad, &[&inside, &outside], today());
    assert!(c.findings.is_empty(), "{:?}", rules_of(&c));
    assert_eq!(c.active.len(), 1);
    assert_eq!(c.active[0].1, vec![inside.fingerprint.clone()]);
}

#[test]
fn a_record_past_its_expiry_is_a_finding_and_covers_nothing() {
    let text = SOUND
        .replace("2026-11-01", "2025-11-01")
        .replace("2027-10-31", "2026-10-31");
    let (records, bad) = read(&files(&[(".keepopen/exceptions/old.toml", &text)]));
    let f = blocking("services/legacy-api/poetry.lock", "dependency-vulnerable");
    let c = check(&records, &bad, &[&f], today());
    assert_eq!(rules_of(&c), ["exception-expired"]);
    assert!(c.findings[0].m.context.contains("expired on 2026-10-31"));
    assert_eq!(c.findings[0].location.path, ".keepopen/exceptions/old.toml");
    assert!(c.active.is_empty());
}

#[test]
fn an_incomplete_record_names_the_empty_fields() {
    let text = SOUND.replace(
        "path_to_harm = \"Forge a token for the legacy API, which reads appointment slots\"",
        "path_to_harm = \"  \"",
    );
    let text = text.replace("approver = \"A. Person, SIRO\"\n", "");
    let (records, bad) = read(&files(&[(".keepopen/exceptions/x.toml", &text)]));
    let c = check(&records, &bad, &[], today());
    assert_eq!(rules_of(&c), ["exception-incomplete"]);
    assert!(
        c.findings[0].m.context.contains("path_to_harm, approver"),
        "{}",
        c.findings[0].m.context
    );
}

#[test]
fn a_malformed_record_or_field_is_named() {
    let (records, bad) = read(&files(&[
        (
            ".keepopen/exceptions/typo.toml",
            "scope = [\"a/\"]\napprover_name = \"x\"\n",
        ),
        (".keepopen/exceptions/broken.toml", "scope = [\n"),
        (".keepopen/exceptions/binary.toml", "\u{0}\u{ff}"),
    ]));
    assert!(records.is_empty());
    let whys: Vec<String> = bad
        .iter()
        .map(|b| format!("{}: {}", b.file, b.why))
        .collect();
    assert_eq!(bad.len(), 3, "{whys:?}");
    assert!(
        whys.iter()
            .any(|w| w.contains("typo.toml") && w.contains("approver_name")),
        "{whys:?}"
    );
    let c = check(&records, &bad, &[], today());
    assert_eq!(rules_of(&c), ["exception-invalid"; 3]);
    // Dates: unreadable, backwards, or more than 12 months.
    for (from, to, says) in [
        ("2026-11-01", "soon", "expires: `soon` is not a date"),
        ("2026-11-01", "2026-10-01", "is not after approved"),
        ("2026-11-01", "2027-11-02", "more than 12 months"),
    ] {
        let text = SOUND.replace("2026-11-01", from).replace("2027-10-31", to);
        let (records, bad) = read(&files(&[(".keepopen/exceptions/d.toml", &text)]));
        let c = check(&records, &bad, &[], today());
        assert_eq!(rules_of(&c), ["exception-invalid"], "{to}");
        assert!(
            c.findings[0].m.context.contains(says),
            "{}",
            c.findings[0].m.context
        );
    }
}

#[test]
fn a_record_wider_than_its_weakness_or_covering_none_is_a_finding() {
    let wide = SOUND.replace("[\"services/legacy-api/\"]", "[\"**\"]");
    let (records, bad) = read(&files(&[(".keepopen/exceptions/wide.toml", &wide)]));
    let f = blocking("services/legacy-api/poetry.lock", "dependency-vulnerable");
    let c = check(&records, &bad, &[&f], today());
    assert_eq!(rules_of(&c), ["exception-too-wide"]);
    assert!(c.findings[0].m.context.contains("services/legacy-api/"));
    assert_eq!(c.active.len(), 1, "still in force while it is narrowed");

    let (records, bad) = read(&files(&[(".keepopen/exceptions/done.toml", SOUND)]));
    let elsewhere = blocking("web/package-lock.json", "dependency-vulnerable");
    let c = check(&records, &bad, &[&elsewhere], today());
    assert_eq!(rules_of(&c), ["exception-unused"]);
    assert!(c.active.is_empty());
}

#[test]
fn rules_narrow_what_a_record_covers() {
    let text = format!("rules = [\"dependency-vulnerable\"]\n{SOUND}");
    let (records, _) = read(&files(&[(".keepopen/exceptions/r.toml", &text)]));
    let dep = blocking("services/legacy-api/poetry.lock", "dependency-vulnerable");
    let secret = blocking("services/legacy-api/config.py", "aws-access-key");
    assert!(records[0].covers(&dep));
    assert!(!records[0].covers(&secret));
}

#[test]
fn every_register_id_is_in_the_catalogue() {
    let ids: Vec<String> = catalogue().into_iter().map(|r| r.id).collect();
    for id in [
        "exception-invalid",
        "exception-incomplete",
        "exception-expired",
        "exception-too-wide",
        "exception-unused",
    ] {
        assert!(ids.iter().any(|i| i == id), "{id}");
    }
}
