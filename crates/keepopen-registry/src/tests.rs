use super::*;
use keepopen_findings::{Category, RuleKind, Severity};

fn builtin() -> Vec<keepopen_rules::Rule> {
    keepopen_rules::builtin().expect("built-in rules load")
}

fn catalogue() -> Catalogue {
    let rules = builtin();
    Catalogue::new(&Inputs {
        secret_rules: &rules,
        code_rules: &[],
    })
    .expect("no id is claimed twice")
}

#[test]
fn every_detector_contributes_ids_with_names_fixes_and_categories() {
    let c = catalogue();
    for d in DETECTORS {
        assert!(
            c.rules()
                .iter()
                .any(|r| c.detector_of(&r.id) == Some(d.name)),
            "{} has no ids",
            d.name
        );
    }
    for r in c.rules() {
        assert!(!r.name.is_empty() && !r.description.is_empty(), "{}", r.id);
        assert!(!r.fix.is_empty(), "{} has no fix", r.id);
        assert!(r.docs_url().ends_with(&format!("#{}", r.id)));
    }
    let category = |id: &str| c.get(id).map(|r| r.category);
    assert_eq!(
        category("workflow-template-injection"),
        Some(Category::Workflow)
    );
    assert_eq!(category("posture-maintained"), Some(Category::Posture));
    assert_eq!(
        category("vulnerable-dependency"),
        Some(Category::Dependency)
    );
    assert_eq!(
        category("small-number-unsuppressed"),
        Some(Category::DisclosureControl)
    );
}

#[test]
fn an_unknown_id_is_an_error_that_names_ids_like_it() {
    let c = catalogue();
    let e = c.lookup("template-injection").expect_err("not an id");
    let text = e.to_string();
    assert!(text.contains("workflow-template-injection"), "{text}");
    assert!(c.lookup("no-such-thing-at-all").is_err());
}

/// A trivial detector: every line with `TODO`.
struct Todo;

impl keepopen_content::Detector for Todo {
    fn needs(&self) -> keepopen_content::Needs<'_> {
        keepopen_content::Needs {
            reads: keepopen_content::Reads::Everything,
            paths: None,
        }
    }

    fn detect(&self, content: &keepopen_content::Content<'_>, out: &mut keepopen_content::Out) {
        let text = String::from_utf8_lossy(content.data);
        for (i, line) in text.lines().enumerate() {
            if line.contains("TODO") {
                out.found(keepopen_findings::Match {
                    remedy: None,
                    rule: "trivial-todo".into(),
                    category: Category::Code,
                    severity: Severity::Info,
                    confidence: keepopen_findings::Confidence::Low,
                    secret: String::new(),
                    line: i as u32 + 1,
                    column: 1,
                    context: line.trim().into(),
                    detail: None,
                });
            }
        }
    }
}

/// A detector added by one crate and one registry line: here, a trivial
/// one in a test.
#[test]
fn a_new_detector_is_one_registry_line() {
    fn trivial(_: &Inputs<'_>) -> Vec<keepopen_findings::RuleInfo> {
        vec![keepopen_findings::RuleInfo {
            id: "trivial-todo".into(),
            name: "A TODO".into(),
            description: "A TODO comment.".into(),
            severity: Severity::Info,
            category: Category::Code,
            references: vec![],
            fix: "Do it.".into(),
            kind: RuleKind::Logic,
            revoke: None,
        }]
    }
    let mut detectors: Vec<Registered> = DETECTORS
        .iter()
        .map(|d| Registered {
            name: d.name,
            summary: d.summary,
            catalogue: d.catalogue,
            runs: d.runs,
        })
        .collect();
    detectors.push(Registered {
        name: "trivial",
        summary: "TODO comments",
        catalogue: trivial,
        runs: Runs::Content(|_, _, _| Ok(Some(Box::new(Todo)))),
    });
    let rules = builtin();
    let c = Catalogue::from_detectors(
        &detectors,
        &Inputs {
            secret_rules: &rules,
            code_rules: &[],
        },
    )
    .expect("registers");
    assert_eq!(c.detector_of("trivial-todo"), Some("trivial"));
    assert_eq!(c.rules().len(), catalogue().rules().len() + 1);
    // It is built by name, like any other, and runs.
    let config = keepopen_config::Config::default();
    let setup = Setup {
        config: &config,
        db: None,
        now: 0,
    };
    let built = build_from(&detectors, &["trivial".to_string()], &setup).expect("builds");
    assert_eq!(built.detectors.len(), 1);
    assert!(!built.repository_checks);
    let content = keepopen_content::Content::new(b"fn main() {}\n// TODO: tests\n", None);
    let found = built.detectors[0].look_at(&content).matches;
    assert_eq!(
        found
            .iter()
            .map(|m| (m.rule.as_str(), m.line))
            .collect::<Vec<_>>(),
        [("trivial-todo", 2)]
    );
    // Claiming an id another detector has is refused.
    detectors.push(Registered {
        name: "again",
        summary: "",
        catalogue: trivial,
        runs: Runs::Repository,
    });
    let e = Catalogue::from_detectors(
        &detectors,
        &Inputs {
            secret_rules: &rules,
            code_rules: &[],
        },
    )
    .err()
    .expect("a duplicate id");
    assert!(e.to_string().contains("trivial-todo"), "{e}");
}

#[test]
fn docs_rules_md_is_generated_from_the_catalogue() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules.md");
    let want = catalogue().markdown();
    if std::env::var_os("KEEPOPEN_UPDATE_DOCS").is_some() {
        std::fs::write(&path, &want).expect("write docs/rules.md");
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/rules.md is stale: run `KEEPOPEN_UPDATE_DOCS=1 cargo test -p keepopen-registry`"
    );
    for r in catalogue().rules() {
        assert!(
            have.contains(&format!("<a id=\"{}\"></a>", r.id)),
            "{}",
            r.id
        );
    }
}

#[test]
fn every_registered_detector_is_built_by_name_and_bad_names_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("empty.db");
    let config = keepopen_config::Config::default();
    let setup = Setup {
        config: &config,
        db: Some(&db),
        now: 0,
    };
    let all = build(&[], &setup).expect("builds");
    // An empty advisory database says so; the dependency detector is
    // built all the same, to count what went unchecked. Every content
    // detector is built, and posture runs beside.
    assert_eq!(all.detectors.len(), 6);
    assert!(all.repository_checks);
    assert!(
        all.said
            .notes
            .iter()
            .any(|n| n.message.contains("not checked")),
        "{:?}",
        all.said.notes
    );
    assert!(all.said.dependencies.as_ref().is_some_and(|c| !c.has_db()));
    let one = build(&["workflows".to_string()], &setup).expect("builds");
    assert_eq!((one.detectors.len(), one.repository_checks), (1, false));
    let e = build(&["secret".to_string()], &setup)
        .err()
        .expect("no such detector");
    assert!(e.to_string().contains("secrets, personal"), "{e}");

    let mut config = keepopen_config::Config::default();
    config
        .disabled_rules
        .insert("workflow-template-injectio".into());
    let e = build(
        &[],
        &Setup {
            config: &config,
            db: Some(&db),
            now: 0,
        },
    )
    .err()
    .expect("an unknown id in rules.disable");
    let text = e.to_string();
    assert!(
        text.contains("rules.disable names `workflow-template-injectio`")
            && text.contains("did you mean workflow-template-injection"),
        "{text}"
    );
}
