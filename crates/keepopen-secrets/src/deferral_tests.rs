use super::*;
use crate::Engine;
use crate::testing::Rng;
use keepopen_content::{Content, Detector, PathRules};

fn builtin() -> Vec<Rule> {
    keepopen_rules::builtin().unwrap_or_else(|e| panic!("{e}"))
}

fn ends(glob: &str) -> Vec<Option<String>> {
    name_ends(glob)
        .into_iter()
        .map(|e| e.map(|e| String::from_utf8_lossy(&e).into_owned()))
        .collect()
}

#[test]
fn a_globs_literal_end_is_what_its_file_names_end_with() {
    assert_eq!(ends("**/*.py"), [Some(".py".into())]);
    assert_eq!(ends("**/.env"), [Some(".env".into())]);
    assert_eq!(ends("**/settings/*.py"), [Some(".py".into())]);
    assert_eq!(ends("Makefile"), [Some("Makefile".into())]);
    assert_eq!(ends("**/*[Pp]ostman*.json"), [Some(".json".into())]);
    assert_eq!(
        ends("**/.env.{dev,prod}"),
        [Some("dev".into()), Some("prod".into())]
    );
    // A wildcard at the end, or an alternative that ends a folder, says
    // nothing of the name.
    assert_eq!(ends("**/Dockerfile.*"), [None]);
    assert_eq!(ends("**/.Renviron.*"), [None]);
    assert_eq!(ends("src/**"), [None]);
    assert_eq!(ends("x/{a,b/}"), [None]);
    assert_eq!(ends("**/*.{py,*}"), [None]);
    assert_eq!(ends("docs/"), [None]);
}

/// Every built-in rule with paths that can be deferred (no file is held
/// now, so every one is rare): all but those a file name cannot rule out.
fn every_restricted(rules: &[Rule]) -> (Restricted, Deferral) {
    let refs: Vec<&Rule> = rules.iter().collect();
    let restricted = Restricted::new(&refs).unwrap_or_else(|e| panic!("{e}"));
    let deferral = restricted.deferral(&[]);
    let with_paths = rules.iter().filter(|r| !r.paths.is_empty()).count();
    assert!(with_paths >= 20, "{with_paths}");
    (restricted, deferral)
}

#[test]
fn a_file_name_rules_out_only_paths_no_deferred_rule_applies_at() {
    let rules = builtin();
    let (restricted, deferral) = every_restricted(&rules);
    // Folder and file names from the rules' own globs, and names a `*`
    // that crosses `/` could take apart.
    let parts = [
        "src",
        "settings",
        ".m2",
        "Dockerfile.d",
        "postman",
        "Postman",
        "insomnia",
        ".env.dev",
        ".env",
        ".env.local",
        "app.py",
        "x.ipynb",
        "main.tf",
        "vars.tfvars",
        "a.yml",
        "b.yaml",
        "c.json",
        "d.xml",
        "web.config",
        "e.ini",
        "f.properties",
        "gradle.properties",
        "profiles.yml",
        "x.bru",
        "y.http",
        "z.rest",
        "run.sh",
        "Dockerfile",
        "Dockerfile.dev",
        "Makefile",
        ".Renviron",
        ".Renviron.site",
        ".envrc",
        "app.postman_collection.json",
        "http-client.private.env.json",
        "settings.xml",
        "pom.xml",
        "notes.txt",
        "index.php",
        "m.R",
        "s.ps1",
        "p.cs",
        "q.ts",
    ];
    let singles: Vec<Deferral> = (0..rules.len() as u32)
        .filter(|&r| deferral.contains(r))
        .map(|r| Deferral::new(vec![r]))
        .collect();
    let mut rng = Rng(7);
    let mut checked = 0;
    for _ in 0..5_000 {
        let depth = 1 + rng.below(4);
        let path: Vec<&str> = (0..depth).map(|_| parts[rng.below(parts.len())]).collect();
        let path = path.join("/");
        let name = path.rsplit('/').next().unwrap_or(&path);
        // Rule by rule, so that no rule's name check hides behind
        // another's.
        for single in &singles {
            if restricted.defers_at(single, &path) {
                checked += 1;
                assert!(
                    restricted.defers_name(single, name.as_bytes()),
                    "{path}: {single:?} applies, but its name rules it out"
                );
            }
        }
    }
    assert!(checked > 500, "{checked}");
    // And the name check does rule names out.
    assert!(!restricted.defers_name(&deferral, b"index.php"));
    assert!(restricted.defers_name(&deferral, b"settings.py"));
}

#[test]
fn the_rules_deferred_are_those_at_few_of_the_files_held_now() {
    let rules = builtin();
    let refs: Vec<&Rule> = rules.iter().collect();
    let restricted = Restricted::new(&refs).unwrap_or_else(|e| panic!("{e}"));
    let index = |id: &str| {
        rules
            .iter()
            .position(|r| r.id == id)
            .unwrap_or_else(|| panic!("{id}")) as u32
    };
    let mut now: Vec<String> = (0..40).map(|i| format!("src/m{i}.js")).collect();
    now.push("tools/build.py".into());
    now.push("Dockerfile".into());
    let now: Vec<&str> = now.iter().map(String::as_str).collect();
    let d = restricted.deferral(&now);
    assert!(
        d.contains(index("generic-python-password")),
        "1 in 42 files"
    );
    assert!(!d.contains(index("generic-js-password")), "40 in 42 files");
    // `**/Dockerfile.*` can match any name under a `Dockerfile.d/`: the
    // rule is never deferred.
    assert!(!d.contains(index("generic-shell-export")));
    let py: Vec<String> = (0..10).map(|i| format!("m{i}.py")).collect();
    let py: Vec<&str> = py.iter().map(String::as_str).collect();
    assert!(
        !restricted
            .deferral(&py)
            .contains(index("generic-python-password"))
    );
}

#[test]
fn the_two_looks_find_what_one_finds() {
    let engine = Engine::new(builtin()).unwrap_or_else(|e| panic!("{e}"));
    let secret = format!("Tr0ub{}4dor&3x!", "ad");
    let text = format!("import os\nDB_PASSWORD = \"{secret}\"\n");
    let content = Content::new(text.as_bytes(), None);
    // The rules of the matches that stand at `path`, sorted.
    let at = |out: &keepopen_content::Out, path: &str| -> Vec<String> {
        let mut rules: Vec<String> = out
            .matches
            .iter()
            .filter_map(|m| engine.at_path(m.clone(), path))
            .map(|m| m.rule)
            .collect();
        rules.sort();
        rules
    };
    let all = |out: &keepopen_content::Out| -> Vec<String> {
        out.matches.iter().map(|m| m.rule.clone()).collect()
    };
    let path = "tools/settings.py";
    let whole = engine.look_at(&content);
    assert!(at(&whole, path).contains(&"generic-python-password".to_string()));
    let deferral = engine.deferral(&["a.js", "b.js", "c.js"]);
    let mut first = keepopen_content::Out::default();
    engine.detect_unplaced(&content, &deferral, &mut first);
    assert!(first.deferred);
    assert!(!all(&first).contains(&"generic-python-password".to_string()));
    let mut second = keepopen_content::Out::default();
    engine.detect_placed(&content, &deferral, &[path], &mut second);
    assert!(all(&second).contains(&"generic-python-password".to_string()));
    first.matches.extend(second.matches);
    assert_eq!(at(&first, path), at(&whole, path));
    // At a path no deferred rule applies to, the second look runs none.
    let mut elsewhere = keepopen_content::Out::default();
    engine.detect_placed(&content, &deferral, &["notes.txt"], &mut elsewhere);
    assert!(elsewhere.matches.is_empty());
    // Nothing deferred: one look, nothing left.
    let mut one = keepopen_content::Out::default();
    engine.detect_unplaced(&content, &Deferral::default(), &mut one);
    assert!(!one.deferred);
    let (mut a, mut b) = (all(&one), all(&whole));
    a.sort();
    b.sort();
    assert_eq!(a, b);
}

/// A lockfile is read again only for the rules that may match in one: the
/// generic assignments take its hashes for passwords and never apply there.
#[test]
fn lockfiles_are_not_read_again_for_generic_rules() {
    let rules = builtin();
    let (restricted, deferral) = every_restricted(&rules);
    let generic_json = rules
        .iter()
        .position(|r| r.id == "generic-json-password")
        .unwrap_or_else(|| panic!("generic-json-password is built in"));
    for lock in ["src/App/packages.lock.json", "web/package-lock.json"] {
        assert!(!restricted.defers_at(&deferral, lock), "{lock}");
        assert!(!restricted.at(&deferral, &[lock]).contains(&true), "{lock}");
    }
    assert!(restricted.defers_at(&deferral, "src/App/appsettings.json"));
    let at = restricted.at(&deferral, &["web/package-lock.json", "appsettings.json"]);
    assert!(
        at[generic_json],
        "another path of the same blob still counts"
    );
    // A rule that is not a generic assignment (Django's key) may match
    // in a file of any name, a lockfile too.
    let django = rules
        .iter()
        .position(|r| r.id == "django-secret-key")
        .unwrap_or_else(|| panic!("django-secret-key is built in"));
    assert!(restricted.in_lockfiles[django] && !restricted.in_lockfiles[generic_json]);
}
