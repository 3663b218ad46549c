use super::*;
use keepopen_findings::{Category, RuleKind, Severity};

fn builtin() -> Vec<keepopen_rules::Rule> {
    keepopen_rules::builtin().expect("built-in rules load")
}

fn catalogue() -> Catalogue {
    let rules = builtin();
    Catalogue::new(&Inputs {
        secret_rules: &rules,
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
        }]
    }
    let mut detectors: Vec<Registered> = DETECTORS
        .iter()
        .map(|d| Registered {
            name: d.name,
            summary: d.summary,
            catalogue: d.catalogue,
        })
        .collect();
    detectors.push(Registered {
        name: "trivial",
        summary: "TODO comments",
        catalogue: trivial,
    });
    let rules = builtin();
    let c = Catalogue::from_detectors(
        &detectors,
        &Inputs {
            secret_rules: &rules,
        },
    )
    .expect("registers");
    assert_eq!(c.detector_of("trivial-todo"), Some("trivial"));
    assert_eq!(c.rules().len(), catalogue().rules().len() + 1);
    // Claiming an id another detector has is refused.
    detectors.push(Registered {
        name: "again",
        summary: "",
        catalogue: trivial,
    });
    let e = Catalogue::from_detectors(
        &detectors,
        &Inputs {
            secret_rules: &rules,
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
