//! `actions/checkout` leaves the token in `.git/config` unless told
//! `persist-credentials: false`; any later step, and any artifact that
//! uploads the checkout directory, can then leak it.

use keepopen_findings::{Confidence, Severity};

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
    let uploads = !cx.uses_action("actions/upload-artifact").is_empty();
    for (path, step) in cx.uses_action("actions/checkout") {
        let setting = input(step, "persist-credentials").map(|v| v.trim().to_ascii_lowercase());
        if setting.as_deref() == Some("false") {
            continue;
        }
        // An explicit `true` is a choice (e.g. to push to gh-pages): zizmor
        // keeps it for its auditor persona; it is still worth knowing.
        let (severity, message) = if setting.as_deref() == Some("true") {
            (
                Severity::Low,
                "checkout is told to persist the token in .git/config; keep later steps and artifacts away from it",
            )
        } else if uploads {
            (
                Severity::High,
                "checkout persists the token in .git/config and this workflow uploads artifacts",
            )
        } else {
            (
                Severity::Medium,
                "checkout persists the token in .git/config; set persist-credentials: false",
            )
        };
        out.push(cx.finding(
            &INFO,
            severity,
            Confidence::Medium,
            format!("{path}.uses"),
            None,
            message.into(),
        ));
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

    #[test]
    fn explicit_true_is_low() {
        let f = findings(
            INFO.id,
            "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          persist-credentials: TRUE\n      - uses: actions/upload-artifact@v4\n",
        );
        assert_eq!((f.len(), f[0].severity), (1, Severity::Low));
    }
}
