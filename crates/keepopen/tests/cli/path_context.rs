//! A finding carries its file's context, and the context policy decides
//! its severity and whether it blocks: fixtures, tests, examples and
//! other people's code are listed at `low` with the reason; production
//! code keeps its severity; `.keepopen.toml` can change the policy.

use crate::support::{Repo, findings, github_token, scan_json};
use serde_json::Value;

fn by_path<'a>(fs: &'a [Value], path: &str) -> &'a Value {
    fs.iter()
        .find(|f| f["path"] == path)
        .unwrap_or_else(|| panic!("no finding at {path}: {fs:#?}"))
}

fn planted() -> Repo {
    let mut r = Repo::new();
    for (i, path) in [
        "src/settings.py",
        "tests/fixtures/settings.py",
        "tests/test_client.py",
        "vendor/lib/client.py",
        "config/settings.py.example",
        "bdd-tests/.env.dev",
    ]
    .iter()
    .enumerate()
    {
        r.write(
            path,
            format!("TOKEN = '{}'\n", github_token(400 + i as u64)),
        );
    }
    r.commit("tokens everywhere");
    r
}

#[test]
fn fixtures_tests_examples_and_vendored_code_are_low_with_the_reason_and_do_not_block() {
    let r = planted();
    let (code, v) = scan_json(r.path(), &["--no-history"]);
    let fs = findings(&v);
    assert_eq!(fs.len(), 6, "nothing is dropped: {v:#}");
    for (path, context) in [
        ("src/settings.py", "production"),
        ("bdd-tests/.env.dev", "production"),
    ] {
        let f = by_path(&fs, path);
        assert_eq!(f["path_context"], context, "{f:#}");
        assert_eq!(f["blocking"], true, "{f:#}");
        assert_ne!(f["severity"], "low", "{f:#}");
        assert!(f.get("context_note").is_none(), "{f:#}");
    }
    for (path, context) in [
        ("tests/fixtures/settings.py", "fixture"),
        ("tests/test_client.py", "test"),
        ("vendor/lib/client.py", "vendored"),
        ("config/settings.py.example", "example"),
    ] {
        let f = by_path(&fs, path);
        assert_eq!(f["path_context"], context, "{f:#}");
        assert_eq!(f["severity"], "low", "{f:#}");
        assert_eq!(f["blocking"], false, "{f:#}");
        assert!(f["severity_before"].is_string(), "{f:#}");
        let note = f["context_note"].as_str().unwrap_or_default();
        assert!(note.contains("does not block"), "{note}");
    }
    assert_eq!(v["summary"]["blocking"], 2, "{v:#}");
    assert_eq!(code, 1);
}

#[test]
fn the_policy_is_set_in_the_repository_config_and_ignored_with_the_flag() {
    let mut r = planted();
    r.write(
        ".keepopen.toml",
        "[contexts.test]\nseverity = \"keep\"\nblocks = true\n[contexts.fixture]\nseverity = \"medium\"\n",
    );
    r.commit("policy");
    let (_, v) = scan_json(r.path(), &["--no-history"]);
    let fs = findings(&v);
    let test = by_path(&fs, "tests/test_client.py");
    assert_eq!(test["blocking"], true, "{test:#}");
    assert_ne!(test["severity"], "low", "{test:#}");
    let fixture = by_path(&fs, "tests/fixtures/settings.py");
    assert_eq!(fixture["severity"], "medium", "{fixture:#}");
    assert_eq!(fixture["blocking"], false, "{fixture:#}");

    let (_, v) = scan_json(r.path(), &["--no-history", "--ignore-repo-config"]);
    let test = by_path(&findings(&v), "tests/test_client.py").clone();
    assert_eq!(test["severity"], "low", "{test:#}");
}

#[test]
fn a_bundled_library_is_vendored_by_its_banner_wherever_it_lies() {
    let mut r = Repo::new();
    r.write(
        "static/js/modernizr.js",
        format!(
            "/*! modernizr 3.6.0 (Custom Build) | MIT */\nvar k='{}';\n",
            github_token(410)
        ),
    );
    r.commit("bundled");
    let (code, v) = scan_json(r.path(), &[]);
    let fs = findings(&v);
    assert_eq!(fs.len(), 1, "{v:#}");
    assert_eq!(fs[0]["path_context"], "vendored");
    assert_eq!(fs[0]["severity"], "low");
    assert_eq!(code, 0, "nothing blocks: {v:#}");
}

/// A password a container image reads to set up its own database, in the
/// Compose file or CI pipeline that starts the container, guards nothing
/// that outlives the run: `low`, with the reason, not blocking. The same
/// variable in an application's settings is a real password.
#[test]
fn passwords_of_disposable_containers_are_low_with_the_reason_and_do_not_block() {
    use crate::support::random_chars;
    let pw = |seed| {
        let letters = random_chars(
            seed,
            16,
            b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ",
        );
        format!("{letters}-{}", seed % 97)
    };
    let mut r = Repo::new();
    r.write(
        "docker-compose.yml",
        format!(
            "services:\n  db:\n    image: mcr.microsoft.com/mssql/server:2022-latest\n    environment:\n      ACCEPT_EULA: \"Y\"\n      SA_PASSWORD: \"{}\"\n",
            pw(500)
        ),
    );
    r.write(
        ".github/workflows/test.yml",
        format!(
            "on: push\npermissions: {{}}\njobs:\n  test:\n    runs-on: ubuntu-latest\n    services:\n      postgres:\n        image: postgres:16\n        env:\n          POSTGRES_PASSWORD: {}\n    steps:\n      - run: make test\n",
            pw(501)
        ),
    );
    r.write(".env", format!("POSTGRES_PASSWORD={}\n", pw(502)));
    r.commit("containers");
    let (_, v) = scan_json(r.path(), &["--no-history", "--detectors", "secrets"]);
    let fs = findings(&v);
    for path in ["docker-compose.yml", ".github/workflows/test.yml"] {
        let f = by_path(&fs, path);
        assert_eq!(f["severity"], "low", "{f:#}");
        assert_eq!(f["blocking"], false, "{f:#}");
        let note = f["context_note"].as_str().expect("a reason");
        assert!(
            note.contains("disposable") && note.contains("does not block"),
            "{note}"
        );
        assert!(f["severity_before"].is_string(), "{f:#}");
    }
    let f = by_path(&fs, ".env");
    assert_eq!(f["blocking"], true, "{f:#}");
    assert_ne!(f["severity"], "low", "{f:#}");
}
