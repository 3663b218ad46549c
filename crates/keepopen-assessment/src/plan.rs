//! The fix plan: the blocking findings and the minimum-standard gaps as
//! ordered steps, riskiest first. Credentials come first because anyone who
//! cloned the repository already has them: rotation, not deletion or
//! closure, is what ends that exposure. Values are shown redacted.

use crate::Facts;
use keepopen_findings::{Category, Finding, Remedy, RuleKind, Severity, redact_for};
use keepopen_posture::CheckResult;

/// One step of the plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FixStep {
    /// What kind of step: `rotate-credentials`, `purge-history`,
    /// `personal-data`, `upgrade-dependencies`, `workflows`, `findings`,
    /// or a posture check's id.
    pub kind: String,
    pub title: String,
    /// The actions, in order, each to be done as written.
    pub actions: Vec<String>,
    /// Fingerprints of the findings the step puts right.
    pub findings: Vec<String>,
}

/// Listed one by one up to here; the rest are counted.
const LISTED: usize = 10;

pub(crate) fn plan(
    facts: &Facts<'_>,
    blocking: &[&Finding],
    failing_minimum: &[&CheckResult],
) -> Vec<FixStep> {
    let of = |c: Category| -> Vec<&Finding> {
        blocking
            .iter()
            .copied()
            .filter(|f| f.m.category == c)
            .collect()
    };
    let mut steps = Vec::new();
    let secrets = of(Category::Secret);
    if !secrets.is_empty() {
        steps.push(rotate(facts, &secrets));
        steps.push(purge(facts, &secrets));
    }
    let personal: Vec<&Finding> = blocking
        .iter()
        .copied()
        .filter(|f| {
            matches!(
                f.m.category,
                Category::PersonalData | Category::DisclosureControl
            )
        })
        .collect();
    if !personal.is_empty() {
        steps.push(personal_data(&personal));
    }
    let deps = of(Category::Dependency);
    if !deps.is_empty() {
        steps.push(upgrade(&deps));
    }
    let workflows = of(Category::Workflow);
    if !workflows.is_empty() {
        steps.push(each(
            facts,
            "workflows",
            "Fix the GitHub Actions workflow lines",
            &workflows,
        ));
    }
    let rest: Vec<&Finding> = blocking
        .iter()
        .copied()
        .filter(|f| matches!(f.m.category, Category::Code | Category::Exposure))
        .collect();
    if !rest.is_empty() {
        steps.push(each(
            facts,
            "findings",
            "Fix the code and configuration findings",
            &rest,
        ));
    }
    for check in failing_minimum {
        steps.push(posture(facts, check));
    }
    steps
}

fn place(f: &Finding) -> String {
    let mut s = f.location.path.clone();
    if f.m.line > 0 {
        s.push_str(&format!(":{}", f.m.line));
    }
    match (&f.location.commit, f.location.in_head) {
        (Some(c), false) => s.push_str(&format!(
            " (history only, from commit {})",
            &c[..c.len().min(12)]
        )),
        (Some(c), true) => s.push_str(&format!(" (since commit {})", &c[..c.len().min(12)])),
        _ => {}
    }
    if f.location.unreachable {
        s.push_str(", on no branch or tag");
    }
    s
}

fn more(actions: &mut Vec<String>, total: usize) {
    if total > LISTED {
        actions.push(format!(
            "… and {} more: the report lists every one.",
            total - LISTED
        ));
    }
}

/// What identifies a credential across its copies: a key's body, whatever
/// its armour, escapes, quotes and line breaks (a PEM file and the same key
/// in a Java string are one key); shorter values as they are. A key file
/// found by its name is its own.
fn credential(facts: &Facts<'_>, f: &Finding) -> String {
    if is_key_file(facts, f) || f.m.secret.is_empty() {
        return format!("finding:{}", f.fingerprint);
    }
    let unescaped = f.m.secret.replace("\\n", "\n").replace("\\r", "\n");
    let body: String = unescaped
        .lines()
        .filter(|l| !l.contains("-----"))
        .flat_map(str::chars)
        .filter(|c| c.is_ascii_alphanumeric() || *c == '/')
        .collect();
    if body.len() >= 64 {
        format!("key:{body}")
    } else {
        format!("value:{}", f.m.secret)
    }
}

/// A finding by a rule on file names: a key file, whose value is its
/// path.
fn is_key_file(facts: &Facts<'_>, f: &Finding) -> bool {
    facts
        .rules
        .iter()
        .any(|r| r.id == f.m.rule && r.kind == RuleKind::Filename)
}

fn rotate(facts: &Facts<'_>, secrets: &[&Finding]) -> FixStep {
    // One credential per value, with every place it was found.
    let mut distinct: Vec<(&Finding, usize)> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = Default::default();
    for f in secrets {
        match index.entry(credential(facts, f)) {
            std::collections::hash_map::Entry::Occupied(e) => distinct[*e.get()].1 += 1,
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(distinct.len());
                distinct.push((f, 0));
            }
        }
    }
    let mut actions: Vec<String> = distinct
        .iter()
        .take(LISTED)
        .map(|(f, copies)| {
            let rule = facts.rules.iter().find(|r| r.id == f.m.rule);
            let name = rule.map_or(f.m.rule.as_str(), |r| r.name.as_str());
            // The rule's own revocation page, else its first reference.
            let route = match rule {
                Some(r) => match (&r.revoke, r.references.first()) {
                    (Some(u), _) => format!(" Revoke it at {u}."),
                    (None, Some(u)) => format!(" See {u}."),
                    (None, None) => String::new(),
                },
                None => String::new(),
            };
            let also = match copies {
                0 => String::new(),
                1 => " (found at 1 more place)".to_string(),
                n => format!(" (found at {n} more places)"),
            };
            format!(
                "Revoke and replace the {name} `{}` at {}{also} with its provider.{route}",
                redact_for(f.m.category, &f.m.secret),
                place(f)
            )
        })
        .collect();
    more(&mut actions, distinct.len());
    actions.push(
        "Do this before anything else: the values were published with the repository, and making it private or deleting them does not un-publish a secret anyone may already have copied.".to_string(),
    );
    FixStep {
        kind: "rotate-credentials".into(),
        title: format!(
            "Rotate {} leaked credential{}",
            distinct.len(),
            if distinct.len() == 1 { "" } else { "s" }
        ),
        actions,
        findings: secrets.iter().map(|f| f.fingerprint.clone()).collect(),
    }
}

fn purge(facts: &Facts<'_>, secrets: &[&Finding]) -> FixStep {
    let is_file = |f: &Finding| is_key_file(facts, f);
    let files: Vec<&str> = {
        let mut v: Vec<&str> = secrets
            .iter()
            .filter(|f| is_file(f))
            .map(|f| f.location.path.as_str())
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let values = secrets.iter().filter(|f| !is_file(f)).count();
    let mut actions = Vec::new();
    if values > 0 {
        actions.push(format!(
            "Write the {values} value{} to a file outside the repository, expressions.txt, one line each as `literal:VALUE==>***REMOVED***` (`keepopen scan --show-secrets --format json` lists them), then run `git filter-repo --replace-text ../expressions.txt` in a fresh mirror clone.",
            if values == 1 { "" } else { "s" }
        ));
    }
    if !files.is_empty() {
        let paths: Vec<String> = files.iter().map(|p| format!("--path '{p}'")).collect();
        actions.push(format!(
            "Remove the key files from every commit: `git filter-repo --invert-paths {}`.",
            paths.join(" ")
        ));
    }
    actions.push("Force-push every branch and tag (`git push --force --mirror`), ask GitHub Support to drop cached views and pull-request refs, and tell everyone with a fork or clone to delete it and clone again.".to_string());
    FixStep {
        kind: "purge-history".into(),
        title: "Purge the credentials from history".into(),
        actions,
        findings: secrets.iter().map(|f| f.fingerprint.clone()).collect(),
    }
}

fn personal_data(found: &[&Finding]) -> FixStep {
    let mut actions: Vec<String> = found
        .iter()
        .take(LISTED)
        .map(|f| {
            // `place` says "history only" for content gone from HEAD.
            let now = if f.location.in_head {
                " (still at HEAD)"
            } else {
                ""
            };
            format!(
                "{} at {}{now}: remove it, then purge it from history with `git filter-repo --invert-paths --path '{}'` (or `--replace-text` for a few values) and force-push.",
                f.m.rule,
                place(f),
                f.location.path
            )
        })
        .collect();
    more(&mut actions, found.len());
    // Patient-level data is an incident; a lone e-mail address or a count
    // to suppress is checked first.
    if found.iter().any(|f| f.m.severity >= Severity::High) {
        actions.push("Report it as a data security incident to your Information Governance lead or Data Protection Officer today: a reportable breach goes through the Data Security and Protection Toolkit within 72 hours of being found.".to_string());
    } else {
        actions.push("Ask your Information Governance lead whether it identifies anyone; if it does, it is a data security incident, reported through them.".to_string());
    }
    FixStep {
        kind: "personal-data".into(),
        title: format!(
            "Remove personal data from {} place{} and report it",
            found.len(),
            if found.len() == 1 { "" } else { "s" }
        ),
        actions,
        findings: found.iter().map(|f| f.fingerprint.clone()).collect(),
    }
}

fn upgrade(deps: &[&Finding]) -> FixStep {
    let mut actions: Vec<String> = deps
        .iter()
        .take(LISTED)
        .map(|f| match &f.m.remedy {
            Some(Remedy::Upgrade {
                ecosystem,
                package,
                from,
                to: Some(to),
            }) => format!(
                "Upgrade {ecosystem} `{package}` from {from} to {to} (the lowest version that fixes every advisory) in {}.",
                f.location.path
            ),
            Some(Remedy::Upgrade {
                ecosystem,
                package,
                from,
                to: None,
            }) => format!(
                "{ecosystem} `{package}` {from} in {} has no version that fixes every advisory: remove or replace it, or record an exception with its threat model.",
                f.location.path
            ),
            None => format!("{} at {}: {}", f.m.rule, place(f), f.m.context),
        })
        .collect();
    more(&mut actions, deps.len());
    FixStep {
        kind: "upgrade-dependencies".into(),
        title: format!(
            "Upgrade {} vulnerable dependenc{}",
            deps.len(),
            if deps.len() == 1 { "y" } else { "ies" }
        ),
        actions,
        findings: deps.iter().map(|f| f.fingerprint.clone()).collect(),
    }
}

fn each(facts: &Facts<'_>, kind: &str, title: &str, found: &[&Finding]) -> FixStep {
    let mut actions: Vec<String> = found
        .iter()
        .take(LISTED)
        .map(|f| {
            let fix = facts
                .rules
                .iter()
                .find(|r| r.id == f.m.rule)
                .map_or("", |r| r.fix.as_str());
            format!("{} at {}: {fix}", f.m.rule, place(f))
        })
        .collect();
    more(&mut actions, found.len());
    FixStep {
        kind: kind.into(),
        title: title.into(),
        actions,
        findings: found.iter().map(|f| f.fingerprint.clone()).collect(),
    }
}

fn posture(facts: &Facts<'_>, check: &CheckResult) -> FixStep {
    let mut actions = Vec::new();
    match check.id {
        "posture-security-policy" => actions.push(
            "Add SECURITY.md: how to report a vulnerability (a monitored address or the organisation's disclosure route, e.g. the NCSC's or your organisation's vulnerability disclosure policy), what reporters can expect and how soon, and which versions are supported.".to_string(),
        ),
        "posture-ownership" => actions.push(
            "Add .github/CODEOWNERS with the owning team on its first rule line (`* @org/team`), and name the maintainers and a contact in the README.".to_string(),
        ),
        "posture-dependency-automation" => {
            let names = if facts.ecosystems.is_empty() {
                "each ecosystem in use".to_string()
            } else {
                format!("each ecosystem in use: {}", facts.ecosystems.join(", "))
            };
            actions.push(format!(
                "Add .github/dependabot.yml with an update entry for {names} (or a Renovate config covering them)."
            ));
        }
        _ => actions.push(check.fix.to_string()),
    }
    for e in check.evidence.iter().take(3) {
        if !e.note.is_empty() {
            actions.push(format!("Found: {}", e.note));
        }
    }
    FixStep {
        kind: check.id.to_string(),
        title: format!("Meet the minimum standard: {}", check.id),
        actions,
        findings: Vec::new(),
    }
}
