//! What kind of file a finding is in: the repository's own production code,
//! its tests and fixtures, examples and docs, or other people's code
//! (vendored), machine output (generated) and minified bundles. Worked out
//! once per file from its path and, where the path says nothing, a look at
//! the start of its content; carried in every finding. Severity and
//! blocking follow it by the [`ContextPolicy`].

use crate::level::Severity;
use serde::Serialize;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PathContext {
    #[default]
    Production,
    Test,
    Fixture,
    Example,
    Docs,
    Vendored,
    Generated,
    Minified,
}

impl PathContext {
    pub const ALL: [PathContext; 8] = [
        PathContext::Production,
        PathContext::Test,
        PathContext::Fixture,
        PathContext::Example,
        PathContext::Docs,
        PathContext::Vendored,
        PathContext::Generated,
        PathContext::Minified,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PathContext::Production => "production",
            PathContext::Test => "test",
            PathContext::Fixture => "fixture",
            PathContext::Example => "example",
            PathContext::Docs => "docs",
            PathContext::Vendored => "vendored",
            PathContext::Generated => "generated",
            PathContext::Minified => "minified",
        }
    }

    pub fn parse(s: &str) -> Option<PathContext> {
        PathContext::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// What a reviewer should know about a finding in such a file.
    pub fn reason(self) -> &'static str {
        match self {
            PathContext::Production | PathContext::Docs => "",
            PathContext::Test => "in test code: confirm it is not a live credential or real data",
            PathContext::Fixture => {
                "in a test fixture: confirm it is not a live credential or real data"
            }
            PathContext::Example => {
                "in an example, sample or template: confirm it holds placeholders"
            }
            PathContext::Vendored => "in third-party code copied into the repository",
            PathContext::Generated => "in a generated file",
            PathContext::Minified => "in minified or bundled code, or a source map",
        }
    }

    /// The context of the file at `path` (`/`-separated), with `sniffed`,
    /// what its content showed (see [`sniff`]), where the path says nothing
    /// stronger.
    pub fn of(path: &str, sniffed: Option<PathContext>) -> PathContext {
        let lower = path.to_ascii_lowercase();
        let mut parts: Vec<&str> = lower.split(['/', '\\']).collect();
        let name = parts.pop().unwrap_or("");
        let dirs = &parts[..];
        if crate::is_vendored(path) || vendored_dirs(dirs) {
            return PathContext::Vendored;
        }
        if sniffed == Some(PathContext::Vendored) {
            return PathContext::Vendored;
        }
        if is_minified_name(name) {
            return PathContext::Minified;
        }
        if is_example_name(name) || dirs.iter().any(|d| EXAMPLE_DIRS.contains(d)) {
            return PathContext::Example;
        }
        // Files that configure a running system are what they say, in any
        // folder: a `.env.dev` beside the end-to-end tests holds the keys
        // those tests use against a real environment.
        if is_config_name(name) || is_ci_definition(dirs) {
            return PathContext::Production;
        }
        let original = path.rsplit(['/', '\\']).next().unwrap_or(path);
        let tests = dirs
            .iter()
            .position(|d| is_test_dir(d))
            .or_else(|| bdd_steps(dirs));
        if dirs.iter().any(|d| FIXTURE_DIRS.contains(d))
            || tests.is_some_and(|i| dirs[i + 1..].iter().any(|d| TEST_DATA_DIRS.contains(d)))
            || has_word(
                name,
                &[
                    "dummy", "fake", "mock", "mocks", "stub", "fixture", "fixtures", "testdata",
                    "seed", "seeds", "seeddata",
                ],
            )
            || is_test_data_name(name, original)
            || is_local_dev_tls(dirs, name)
        {
            return PathContext::Fixture;
        }
        if tests.is_some() || is_test_name(name, original) || name.ends_with(".feature") {
            return PathContext::Test;
        }
        // Long lines make a bundle minified, not a data file.
        let code = name
            .rsplit_once('.')
            .is_some_and(|(_, ext)| BUNDLE_EXTENSIONS.contains(&ext));
        match sniffed {
            Some(PathContext::Minified) if !code => {}
            Some(c) if c != PathContext::Production => return c,
            _ => {}
        }
        if dirs.iter().any(|d| GENERATED_DIRS.contains(d)) || is_generated_name(name) {
            return PathContext::Generated;
        }
        if dirs.iter().any(|d| DOCS_DIRS.contains(d)) || is_docs_name(name) {
            return PathContext::Docs;
        }
        PathContext::Production
    }
}

/// A CI definition runs with the repository's own secrets and token,
/// whatever it is called (`test-coverage.yaml`, `tests.yml`): GitHub
/// workflows and local actions, CircleCI, Buildkite.
fn is_ci_definition(dirs: &[&str]) -> bool {
    matches!(
        dirs,
        [".github", "workflows", ..]
            | [".github", "actions", ..]
            | [".circleci", ..]
            | [".buildkite", ..]
    )
}

/// Folders of other people's code beyond the dependency folders every
/// detector skips: bower and libman targets, PHP frameworks' extension
/// folders, iOS pods.
fn vendored_dirs(dirs: &[&str]) -> bool {
    const NAMES: &[&str] = &[
        "vendors",
        "third-party",
        "thirdparty",
        "3rdparty",
        "jspm_packages",
        "pods",
        "carthage",
        "external_libs",
    ];
    dirs.iter().any(|d| NAMES.contains(d))
        || dirs.windows(2).any(|w| {
            matches!(
                w,
                ["assets", "components"] | ["protected", "extensions"] | ["wwwroot", "lib"]
            )
        })
}

/// Files a bundler or minifier writes: long lines there mean minified.
const BUNDLE_EXTENSIONS: &[&str] = &[
    "js", "mjs", "cjs", "css", "map", "json", "html", "htm", "svg",
];

const FIXTURE_DIRS: &[&str] = &[
    "fixtures",
    "fixture",
    "__fixtures__",
    "testdata",
    "test-data",
    "test_data",
    "__mocks__",
    "mocks",
    "__snapshots__",
    "test-resources",
    "test_resources",
];

/// Data folders that hold fixtures when they sit inside a test folder.
const TEST_DATA_DIRS: &[&str] = &["resources", "data", "files", "certs", "keys", "samples"];

const EXAMPLE_DIRS: &[&str] = &["example", "examples", "sample", "samples", "demo", "demos"];

const GENERATED_DIRS: &[&str] = &["dist", "coverage", "htmlcov", "__generated__", "generated"];

const DOCS_DIRS: &[&str] = &["docs", "doc", "documentation", "wiki"];

/// `test`, `tests`, `__tests__`, `spec`, `e2e`, `bdd-tests`, `Foo.Tests`,
/// `androidTest`: a folder of tests, by its words.
fn is_test_dir(d: &str) -> bool {
    matches!(
        d,
        "__tests__" | "spec" | "specs" | "androidtest" | "unittest" | "e2e" | "cypress"
    ) || has_word(
        d,
        &["test", "tests", "testing", "unittests", "integrationtests"],
    )
}

/// The step code of a Behat, Cucumber or behave suite: `features/bootstrap/`,
/// `features/step_definitions/`, `features/steps/`. A `features` folder
/// alone is not a test folder: Redux and data-science templates keep
/// production code in one.
fn bdd_steps(dirs: &[&str]) -> Option<usize> {
    dirs.windows(2).position(|w| {
        w[0] == "features" && matches!(w[1], "bootstrap" | "step_definitions" | "steps")
    })
}

/// `test_x.py`, `x_test.go`, `x.test.ts`, `x.spec.js`, `XTest.java`,
/// `XTests.cs`, `conftest.py`; not `latest_results.py` or `contest.py`.
/// `name` is lower-cased, `original` as written.
fn is_test_name(name: &str, original: &str) -> bool {
    let mut dotted = name.split('.');
    let stem = dotted.next().unwrap_or(name);
    let words: Vec<&str> = stem.split(['-', '_']).collect();
    let edge = |w: Option<&&str>| w.is_some_and(|w| matches!(*w, "test" | "tests" | "spec"));
    let original_stem = original.split('.').next().unwrap_or(original);
    name == "conftest.py"
        || (words.len() > 1 && (edge(words.first()) || edge(words.last())))
        || dotted.any(|part| matches!(part, "test" | "tests" | "spec"))
        || ((original_stem.ends_with("Test") || original_stem.ends_with("Tests"))
            && original_stem.len() > 5)
}

/// Keys and certificates made for HTTPS on a developer's machine:
/// `local-ssl/`, `localhost-ssl/certs/key.pem`, `livereload.key`,
/// `localhost.key`, Debian's snakeoil pair. They guard nothing anyone else
/// reaches.
fn is_local_dev_tls(dirs: &[&str], name: &str) -> bool {
    const WORDS: &[&str] = &["localhost", "livereload", "snakeoil", "selfsigned"];
    dirs.iter().any(|d| {
        matches!(
            *d,
            "local-ssl" | "local_ssl" | "self-signed" | "dev-certs" | "devcerts"
        ) || has_word(d, WORDS)
    }) || has_word(name, WORDS)
}

/// A file named as test data: in camel case at the end of its name
/// (`CapitaInterfaceTestFile.txt`, `PatientTestData.csv`, but not
/// `TestFileReader.cs`), or as a word (`nhs_test_data.csv`).
/// `name` is the file name in lower case, `original` as written.
fn is_test_data_name(name: &str, original: &str) -> bool {
    let stem = original.split('.').next().unwrap_or(original);
    ["TestFile", "TestData", "TestInput"]
        .iter()
        .any(|w| stem.ends_with(w))
        || {
            let lower = name.split('.').next().unwrap_or(name);
            let words: Vec<&str> = lower.split(['-', '_', ' ']).collect();
            words.contains(&"testfile")
                || words
                    .windows(2)
                    .any(|w| w[0] == "test" && matches!(w[1], "data" | "file" | "files" | "input"))
        }
}

fn is_example_name(name: &str) -> bool {
    const SUFFIXES: &[&str] = &[".example", ".sample", ".template", ".tmpl", ".dist", ".tpl"];
    SUFFIXES.iter().any(|s| name.ends_with(s)) || has_word(name, &["example", "sample", "template"])
}

/// Configuration a deployment reads: `.env`, `.env.production`, `.npmrc`.
/// (`.env.example` was taken as an example before this is asked.)
fn is_config_name(name: &str) -> bool {
    name == ".env"
        || name.starts_with(".env.")
        || name.ends_with(".env")
        || matches!(name, ".npmrc" | ".pypirc" | ".netrc" | ".git-credentials")
        || name.ends_with(".tfvars")
}

fn is_minified_name(name: &str) -> bool {
    name.ends_with(".map")
        || [".min.js", ".min.css", ".min.mjs", "-min.js", ".bundle.js"]
            .iter()
            .any(|s| name.ends_with(s))
}

fn is_generated_name(name: &str) -> bool {
    [
        ".pb.go",
        "_pb2.py",
        ".g.cs",
        ".designer.cs",
        ".generated.ts",
        ".gen.go",
    ]
    .iter()
    .any(|s| name.ends_with(s))
}

fn is_docs_name(name: &str) -> bool {
    [".md", ".markdown", ".rst", ".adoc"]
        .iter()
        .any(|s| name.ends_with(s))
}

/// Whether `text` has one of `words` as a whole word, words being split
/// at `.`, `-`, `_` and spaces.
fn has_word(text: &str, words: &[&str]) -> bool {
    text.split(['.', '-', '_', ' ']).any(|w| words.contains(&w))
}

/// What the start of a file says about it, when it says anything: a
/// licence banner of a bundled library (`/*! jQuery v3.7`, `@license`),
/// a generated-file header, minified lines, a source map.
pub fn sniff(data: &[u8]) -> Option<PathContext> {
    let head = &data[..data.len().min(4096)];
    if head.contains(&0) {
        return None; // binary: nothing to read
    }
    let text = String::from_utf8_lossy(head);
    let start = text.trim_start_matches('\u{feff}').trim_start();
    if start.starts_with("{\"version\":3,") && text.contains("\"mappings\"") {
        return Some(PathContext::Minified);
    }
    let first_lines: String = text.lines().take(5).collect::<Vec<_>>().join("\n");
    let lower = first_lines.to_ascii_lowercase();
    if start.starts_with("/*!") || lower.contains("@license") {
        return Some(PathContext::Vendored);
    }
    if [
        "@generated",
        "do not edit",
        "auto-generated",
        "autogenerated",
        "this file was generated",
        "generated by",
    ]
    .iter()
    .any(|m| lower.contains(m))
    {
        return Some(PathContext::Generated);
    }
    let sample = &data[..data.len().min(64 * 1024)];
    let longest = sample
        .split(|&b| b == b'\n')
        .map(<[u8]>::len)
        .max()
        .unwrap_or(0);
    let spaces = sample.iter().filter(|&&b| b == b' ').count();
    if longest > 2000 && spaces * 20 < sample.len() {
        return Some(PathContext::Minified);
    }
    None
}

/// How a context changes a finding: the highest severity it may keep, and
/// whether it can still block. Applies to secrets, personal data and
/// disclosure control; the rest are about the repository, not a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ContextRule {
    pub cap: Option<Severity>,
    pub blocks: bool,
}

/// The rule for each context. By default a finding in test code, fixtures,
/// examples, vendored, generated or minified files is reported at `low`
/// with the reason, and does not block; production code and docs keep
/// their severity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContextPolicy {
    rules: [ContextRule; 8],
}

impl Default for ContextPolicy {
    fn default() -> Self {
        let keep = ContextRule {
            cap: None,
            blocks: true,
        };
        let low = ContextRule {
            cap: Some(Severity::Low),
            blocks: false,
        };
        ContextPolicy {
            rules: PathContext::ALL.map(|c| match c {
                PathContext::Production | PathContext::Docs => keep,
                _ => low,
            }),
        }
    }
}

impl ContextPolicy {
    pub fn rule(&self, c: PathContext) -> ContextRule {
        self.rules[c as usize]
    }

    pub fn set(&mut self, c: PathContext, rule: ContextRule) {
        self.rules[c as usize] = rule;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(path: &str) -> &'static str {
        PathContext::of(path, None).as_str()
    }

    #[test]
    fn paths_name_their_context() {
        for (path, want) in [
            ("src/app.py", "production"),
            ("web/vendor/pdf.js/build/pdf.worker.js", "vendored"),
            ("protected/extensions/tcpdf/tcpdf.php", "vendored"),
            ("assets/components/modernizr/modernizr.js", "vendored"),
            ("Web/wwwroot/lib/jquery/jquery.js", "vendored"),
            ("js/app.min.js", "minified"),
            ("static/app.js.map", "minified"),
            ("tests/resources/cert.pem", "fixture"),
            ("src/test/resources/keystore.jks", "fixture"),
            ("spec/fixtures/patients.csv", "fixture"),
            ("build/dummy-keystore", "fixture"),
            ("app/testdata/key.pem", "fixture"),
            ("tests/test_nhs_number.py", "test"),
            ("src/qr/parser.test.ts", "test"),
            ("src/qr/parser.spec.js", "test"),
            ("pkg/parse_test.go", "test"),
            ("Nhs.Api.Tests/TokenTests.cs", "test"),
            ("app/src/androidTest/java/KeyTest.kt", "test"),
            ("conftest.py", "test"),
            ("bdd-tests/steps.py", "test"),
            ("features/bootstrap/FeatureContext.php", "test"),
            ("features/step_definitions/login_steps.js", "test"),
            ("features/steps/patient.py", "test"),
            ("features/login.feature", "test"),
            ("src/features/auth/authSlice.ts", "production"),
            ("features/build_features.py", "production"),
            ("bdd-tests/.env.dev", "production"),
            ("tests/.env", "production"),
            ("deploy/prod.tfvars", "production"),
            (".env.example", "example"),
            ("config/secrets.yml.sample", "example"),
            ("config/settings.template", "example"),
            ("examples/client.py", "example"),
            ("docs/setup.md", "docs"),
            ("README.md", "docs"),
            ("api/gen/service.pb.go", "generated"),
            ("dist/index.js", "generated"),
            ("latest_test_results.py", "production"),
            ("test_settings.py", "test"),
            ("KeyTest.java", "test"),
            ("latest.py", "production"),
            ("api/openapi-spec/patient.yaml", "production"),
            ("attestation.py", "production"),
            ("contest/entries.py", "production"),
            (".github/workflows/test-coverage.yaml", "production"),
            (".github/workflows/tests.yml", "production"),
            (".github/actions/test-setup/action.yml", "production"),
            (".circleci/config.yml", "production"),
            ("Worker/CapitaInterfaceTestFile.txt", "fixture"),
            ("data/PatientTestData.csv", "fixture"),
            ("data/nhs_test_data.csv", "fixture"),
            ("src/TestFileReader.cs", "production"),
            ("local-ssl/certs/key.pem", "fixture"),
            ("docker/localhost-ssl/certs/key.pem", "fixture"),
            ("service-front/assets/config/livereload.key", "fixture"),
            ("certs/localhost.key", "fixture"),
            ("certs/localhost-key.pem", "fixture"),
            ("certs/prod.key", "production"),
            ("src/localhostname.py", "production"),
            ("data/latest_data.csv", "production"),
        ] {
            assert_eq!(of(path), want, "{path}");
        }
    }

    #[test]
    fn content_speaks_where_the_path_does_not() {
        let banner = b"/*! modernizr 3.6.0 | MIT */\nvar x=1;";
        assert_eq!(sniff(banner), Some(PathContext::Vendored));
        assert_eq!(
            PathContext::of("js/modernizr.js", sniff(banner)),
            PathContext::Vendored
        );
        let map = br#"{"version":3,"sources":["a.ts"],"mappings":"AAAA"}"#;
        assert_eq!(sniff(map), Some(PathContext::Minified));
        let generated = b"// Code generated by protoc-gen-go. DO NOT EDIT.\npackage x\n";
        assert_eq!(sniff(generated), Some(PathContext::Generated));
        let minified = format!("var a={};", "b+c;".repeat(1000));
        assert_eq!(sniff(minified.as_bytes()), Some(PathContext::Minified));
        assert_eq!(sniff(b"import os\nTOKEN = os.environ['T']\n"), None);
        // Long lines in data are not minification; binary says nothing.
        assert_eq!(
            PathContext::of("data/rows.csv", sniff(minified.as_bytes())),
            PathContext::Production
        );
        assert_eq!(sniff(b"SQLite format 3\0\x01\x01"), None);
        // The path wins over the content for tests.
        assert_eq!(
            PathContext::of("tests/bundle.js", sniff(minified.as_bytes())),
            PathContext::Test
        );
    }

    #[test]
    fn the_default_policy_keeps_production_and_docs_and_lowers_the_rest() {
        let p = ContextPolicy::default();
        for c in PathContext::ALL {
            let r = p.rule(c);
            let keeps = matches!(c, PathContext::Production | PathContext::Docs);
            assert_eq!(r.blocks, keeps, "{c:?}");
            assert_eq!(r.cap.is_none(), keeps, "{c:?}");
        }
    }
}
