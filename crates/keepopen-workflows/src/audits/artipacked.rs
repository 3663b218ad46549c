//! `actions/checkout` leaves the token in `.git/config` unless told
//! `persist-credentials: false`; any later step, and any artifact that
//! uploads the checkout directory, can then leak it.

use keepopen_findings::{Confidence, Severity};

use github_actions_models::workflow::job::UsesStep;

use crate::context::{Ctx, input};
use crate::{AuditInfo, Finding};

pub(crate) const INFO: AuditInfo = AuditInfo {
    id: "workflow-artipacked",
    name: "Credentials persisted by checkout",
    description: "actions/checkout without persist-credentials: false leaves the token in .git/config, where later steps and uploaded artifacts can leak it.",
    severity: Severity::High,
    fix: "Set `persist-credentials: false` on `actions/checkout` and give a token only to the steps that push.",
};

pub(crate) fn run(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let uploads = cx.uses_action("actions/upload-artifact");
    for (path, step) in cx.uses_action("actions/checkout") {
        let setting = input(step, "persist-credentials").map(|v| v.trim().to_ascii_lowercase());
        if setting.as_deref() == Some("false") {
            continue;
        }
        let root = input(step, "path").unwrap_or_default();
        // Only an upload in the same job, after the checkout, sees its
        // folder; jobs run on separate machines.
        let later: Vec<&UsesStep> = uploads
            .iter()
            .filter(|(up, _)| same_job_after(&path, up))
            .map(|(_, u)| *u)
            .collect();
        let exposed = later.iter().map(|u| uploaded(u, &root)).max();
        // An explicit `true` is a choice (e.g. to push to gh-pages): zizmor
        // keeps it for its auditor persona; it is still worth knowing.
        let (severity, confidence, message) = match (setting.as_deref(), exposed) {
            (Some("true"), _) => (
                Severity::Low,
                Confidence::Medium,
                "checkout is told to persist the token in .git/config; keep later steps and artifacts away from it".to_string(),
            ),
            (_, Some(Upload::Root)) => (
                Severity::High,
                Confidence::High,
                "checkout persists the token in .git/config and a later step uploads the checkout folder as an artifact".to_string(),
            ),
            (_, Some(Upload::Unknown)) => (
                Severity::High,
                Confidence::Low,
                "checkout persists the token in .git/config and a later step uploads a path given by an expression, which may be the checkout folder".to_string(),
            ),
            (_, Some(Upload::Outputs(paths))) => (
                Severity::Medium,
                Confidence::Medium,
                format!(
                    "checkout persists the token in .git/config; the artifacts uploaded ({}) are build outputs, not the checkout folder, so set persist-credentials: false",
                    paths.join(", ")
                ),
            ),
            (_, None) => (
                Severity::Medium,
                Confidence::Medium,
                "checkout persists the token in .git/config; set persist-credentials: false".to_string(),
            ),
        };
        out.push(cx.finding(
            &INFO,
            severity,
            confidence,
            format!("{path}.uses"),
            None,
            message,
        ));
    }
}

/// What an upload step takes from the runner, worst first when ordered
/// descending: the checkout folder itself, an unknown path, build outputs.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Upload {
    Outputs(Vec<String>),
    Unknown,
    Root,
}

/// `jobs.<id>.steps[i]...` paths: whether `later` is a step of the same job
/// as `first`, after it.
fn same_job_after(first: &str, later: &str) -> bool {
    let job = |p: &str| {
        p.split_once(".steps[")
            .map(|(j, rest)| (j.to_string(), rest.to_string()))
    };
    let index = |rest: &str| rest.split(']').next().and_then(|n| n.parse::<usize>().ok());
    match (job(first), job(later)) {
        (Some((a, ra)), Some((b, rb))) => a == b && index(&rb) > index(&ra),
        _ => false,
    }
}

/// Whether an upload's `path:` lines reach the checkout folder `root` (the
/// workspace when empty), or its `.git`.
fn uploaded(step: &UsesStep, root: &str) -> Upload {
    let Some(paths) = input(step, "path") else {
        return Upload::Unknown;
    };
    let root = normal(root);
    let mut outputs = Vec::new();
    for line in paths.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if line.starts_with('!') {
            continue;
        }
        if outside_workspace(line) {
            outputs.push(line.to_string());
            continue;
        }
        if line.contains("${{") && !line.contains("github.workspace") {
            return Upload::Unknown;
        }
        let p = normal(
            &line
                .replace("${{ github.workspace }}", "")
                .replace("${{github.workspace}}", ""),
        );
        let globbed = p
            .trim_end_matches("**")
            .trim_end_matches('*')
            .trim_end_matches('/');
        let covers_root = p.is_empty()
            || globbed.is_empty() && p != globbed
            || p == root
            || (!root.is_empty() && (globbed == root || root.starts_with(&format!("{p}/"))))
            || p.split('/').any(|part| part == ".git");
        if covers_root {
            return Upload::Root;
        }
        outputs.push(line.to_string());
    }
    Upload::Outputs(outputs)
}

/// A path that is never in the workspace, where actions/checkout must
/// put the repository: the runner's temporary or tool folders (r-lib's
/// workflows upload `${{ runner.temp }}/package`), `/tmp`, the home folder.
fn outside_workspace(line: &str) -> bool {
    let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    let compact = compact.trim_matches(['"', '\'']);
    ["${{runner.temp}}", "${{runner.tool_cache}}", "/tmp/", "~/"]
        .iter()
        .any(|p| compact.starts_with(p))
}

/// A path with `./` and trailing `/` removed: `.`, `./` and `` are the
/// workspace.
fn normal(p: &str) -> String {
    let mut s = p.trim().trim_matches('"').trim_matches('\'');
    while let Some(rest) = s.strip_prefix("./") {
        s = rest;
    }
    let s = s.trim_start_matches('/').trim_end_matches('/');
    if s == "." {
        String::new()
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audits::findings;

    #[test]
    fn checkout_with_upload_is_high() {
        let f = findings(
            INFO.id,
            "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/upload-artifact@v4\n        with:\n          path: .\n",
        );
        assert_eq!((f.len(), f[0].severity, f[0].line), (1, Severity::High, 6));
    }

    #[test]
    fn checkout_alone_is_medium_and_false_is_clean() {
        let f = findings(
            INFO.id,
            "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n",
        );
        assert_eq!((f.len(), f[0].severity), (1, Severity::Medium));
        let f = findings(
            INFO.id,
            "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          persist-credentials: false\n",
        );
        assert!(f.is_empty());
    }

    fn one(workflow: &str) -> (Severity, String) {
        let f = findings(INFO.id, workflow);
        assert_eq!(f.len(), 1, "{f:?}");
        (f[0].severity, f[0].message.clone())
    }

    const CHECKOUT: &str =
        "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n";

    #[test]
    fn uploading_build_outputs_only_is_medium_and_names_them() {
        let (sev, msg) = one(&format!(
            "{CHECKOUT}      - uses: actions/upload-artifact@v4\n        with:\n          name: dist-whl\n          path: dist\n"
        ));
        assert_eq!(sev, Severity::Medium);
        assert!(msg.contains("(dist)"), "{msg}");
        let (sev, _) = one(&format!(
            "{CHECKOUT}      - uses: actions/upload-artifact@v4\n        with:\n          path: |\n            ./site\n            coverage/**\n            !./.git\n"
        ));
        assert_eq!(sev, Severity::Medium);
    }

    #[test]
    fn uploading_the_workspace_in_any_spelling_is_high() {
        for path in [
            ".",
            "./",
            "${{ github.workspace }}",
            "${{ github.workspace }}/",
            "'**'",
            "'./*'",
            "\"./\"",
            "site/../.git/config",
        ] {
            let (sev, msg) = one(&format!(
                "{CHECKOUT}      - uses: actions/upload-artifact@v4\n        with:\n          path: {path}\n"
            ));
            assert_eq!(sev, Severity::High, "{path}: {msg}");
        }
    }

    #[test]
    fn a_checkout_into_a_folder_is_exposed_by_uploading_that_folder_or_its_parent() {
        let wf = "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          path: src\n      - uses: actions/upload-artifact@v4\n        with:\n          path: PATH\n";
        assert_eq!(one(&wf.replace("PATH", "src")).0, Severity::High);
        assert_eq!(one(&wf.replace("PATH", "src/")).0, Severity::High);
        assert_eq!(one(&wf.replace("PATH", "out")).0, Severity::Medium);
    }

    #[test]
    fn an_expression_path_is_high_with_low_confidence() {
        let f = findings(
            INFO.id,
            &format!(
                "{CHECKOUT}      - uses: actions/upload-artifact@v4\n        with:\n          path: ${{{{ inputs.where }}}}\n"
            ),
        );
        assert_eq!(
            (f[0].severity, f[0].confidence),
            (Severity::High, Confidence::Low)
        );
    }

    #[test]
    fn uploads_from_outside_the_workspace_are_outputs() {
        for path in [
            "${{ runner.temp }}/package",
            "${{runner.temp}}/check",
            "/tmp/results",
            "~/.cache/reports",
        ] {
            let (sev, msg) = one(&format!(
                "{CHECKOUT}      - uses: actions/upload-artifact@v4\n        with:\n          path: {path}\n"
            ));
            assert_eq!(sev, Severity::Medium, "{path}: {msg}");
        }
        let (sev, _) = one(&format!(
            "{CHECKOUT}      - uses: actions/upload-artifact@v4\n        with:\n          path: |\n            ${{{{ runner.temp }}}}/package\n            .\n"
        ));
        assert_eq!(sev, Severity::High, "the workspace beside it still counts");
    }

    #[test]
    fn an_upload_in_another_job_or_before_the_checkout_does_not_count() {
        let other_job = "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n  b:\n    runs-on: x\n    steps:\n      - uses: actions/upload-artifact@v4\n        with:\n          path: .\n";
        assert_eq!(one(other_job).0, Severity::Medium);
        let before = "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/upload-artifact@v4\n        with:\n          path: .\n      - uses: actions/checkout@v4\n";
        assert_eq!(one(before).0, Severity::Medium);
    }

    #[test]
    fn explicit_true_is_low() {
        let f = findings(
            INFO.id,
            "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          persist-credentials: TRUE\n      - uses: actions/upload-artifact@v4\n",
        );
        assert_eq!((f.len(), f[0].severity), (1, Severity::Low));
    }
}
