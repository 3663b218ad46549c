//! A registry password written into the workflow is readable by anyone who
//! can read the repository; it belongs in `${{ secrets.* }}`.

use github_actions_models::workflow::job::Container;
use keepopen_findings::{Confidence, Severity};

use crate::context::Ctx;
use crate::expr::is_whole_expression;
use crate::{AuditInfo, Finding};

pub(crate) const INFO: AuditInfo = AuditInfo {
    id: "workflow-hardcoded-container-credentials",
    name: "Hard-coded container credentials",
    description: "A container or service registry password is written literally in the workflow instead of coming from secrets.",
    severity: Severity::High,
    fix: "Move the registry credentials to encrypted secrets (`password: ${{ secrets.REGISTRY_PASSWORD }}`) and rotate the ones that were committed.",
};

pub(crate) fn run(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (path, _, container) in cx.containers() {
        let Container::Container {
            credentials: Some(creds),
            ..
        } = container
        else {
            continue;
        };
        if let Some(password) = &creds.password
            && !password.is_empty()
            && !is_whole_expression(password)
        {
            out.push(cx.finding(
                &INFO,
                Severity::High,
                Confidence::High,
                format!("{path}.credentials.password"),
                None,
                "registry password is a literal; use ${{ secrets.* }}".into(),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audits::findings;

    #[test]
    fn literal_service_password_is_found_without_echoing_it() {
        let f = findings(
            INFO.id,
            "on: push\njobs:\n  a:\n    runs-on: x\n    services:\n      db:\n        image: registry.example/db:1\n        credentials:\n          username: bot\n          password: hunter2-synthetic\n    steps: [{run: echo}]\n",
        );
        assert_eq!((f.len(), f[0].line), (1, 10));
        assert!(!f[0].message.contains("hunter2"));
    }

    #[test]
    fn secrets_are_clean() {
        let f = findings(
            INFO.id,
            "on: push\njobs:\n  a:\n    runs-on: x\n    container:\n      image: registry.example/app:1\n      credentials:\n        username: ${{ github.actor }}\n        password: ${{ secrets.REGISTRY_TOKEN }}\n    steps: [{run: echo}]\n",
        );
        assert!(f.is_empty());
    }
}
