//! One finding per rule, path and secret. The working tree's copy gives the
//! line (it is what a developer opens); history gives the first commit.

use keepopen_findings::Finding;
use std::collections::HashMap;

/// One finding per rule, path and secret; then, where several rules found
/// the same secret on the same line of the same file, only the most sure of
/// them (a provider rule over a generic one).
pub(crate) fn merge(findings: Vec<Finding>) -> Vec<Finding> {
    drop_names_found_by_content(most_specific(by_fingerprint(findings)))
}

/// A key file found by its name (line 0) says nothing more once its content
/// was found: the content finding points at the key itself.
fn drop_names_found_by_content(findings: Vec<Finding>) -> Vec<Finding> {
    let with_content: std::collections::HashSet<String> = findings
        .iter()
        .filter(|f| f.m.line > 0 && f.m.category == keepopen_findings::Category::Secret)
        .map(|f| f.location.path.clone())
        .collect();
    // A key store found both by its name and by its bytes is one finding.
    let mut whole_files = std::collections::HashSet::new();
    findings
        .into_iter()
        .filter(|f| {
            f.m.line > 0
                || f.m.category != keepopen_findings::Category::Secret
                || (!with_content.contains(&f.location.path)
                    && whole_files.insert((f.location.path.clone(), f.m.rule.clone())))
        })
        .collect()
}

fn most_specific(mut findings: Vec<Finding>) -> Vec<Finding> {
    let rank = |f: &Finding| (f.m.confidence, f.m.severity, f.m.secret.len());
    findings.sort_by(|a, b| {
        (&a.location.path, a.m.line)
            .cmp(&(&b.location.path, b.m.line))
            .then_with(|| rank(b).cmp(&rank(a)))
    });
    let mut kept: Vec<Finding> = Vec::with_capacity(findings.len());
    let mut group = 0;
    for f in findings {
        if kept
            .last()
            .is_some_and(|k| k.location.path != f.location.path || k.m.line != f.m.line)
        {
            group = kept.len();
        }
        // Only secret rules overlap: other detectors report each value once.
        let same = kept[group..].iter().any(|k| {
            k.m.category == keepopen_findings::Category::Secret
                && f.m.category == keepopen_findings::Category::Secret
                && !f.m.secret.is_empty()
                && (k.m.secret.contains(f.m.secret.as_str())
                    || f.m.secret.contains(k.m.secret.as_str()))
        });
        if !same {
            kept.push(f);
        }
    }
    kept
}

fn by_fingerprint(findings: Vec<Finding>) -> Vec<Finding> {
    let mut by_fp: HashMap<String, Finding> = HashMap::new();
    let mut order = Vec::new();
    for f in findings {
        match by_fp.get_mut(&f.fingerprint) {
            None => {
                order.push(f.fingerprint.clone());
                by_fp.insert(f.fingerprint.clone(), f);
            }
            Some(kept) => absorb(kept, f),
        }
    }
    order
        .into_iter()
        .filter_map(|fp| by_fp.remove(&fp))
        .collect()
}

fn absorb(kept: &mut Finding, other: Finding) {
    let earlier_commit = match (kept.location.commit_time, other.location.commit_time) {
        (None, Some(_)) => true,
        (Some(a), Some(b)) => b < a,
        _ => false,
    };
    if earlier_commit {
        kept.location.commit = other.location.commit.clone();
        kept.location.commit_time = other.location.commit_time;
        kept.location.author = other.location.author.clone();
    }
    // Prefer the line as it is now: working tree, then HEAD, then history.
    let rank = |f: &Finding| (f.location.in_worktree, f.location.in_head);
    if rank(&other) > rank(kept) {
        kept.m = other.m;
    }
    kept.location.in_head |= other.location.in_head;
    kept.location.in_worktree |= other.location.in_worktree;
}

#[cfg(test)]
mod tests {
    use super::*;
    use keepopen_findings::{Category, Confidence, Location, Match, Severity};

    fn f(line: u32, commit: Option<(&str, i64)>, in_head: bool, in_worktree: bool) -> Finding {
        let m = Match {
            rule: "r".into(),
            category: Category::Secret,
            severity: Severity::High,
            confidence: Confidence::High,
            secret: "tok123".into(),
            line,
            column: 1,
            context: String::new(),
            detail: None,
        };
        Finding::new(
            m,
            Location {
                path: "a".into(),
                commit: commit.map(|c| c.0.to_string()),
                commit_time: commit.map(|c| c.1),
                author: None,
                in_head,
                in_worktree,
            },
        )
    }

    #[test]
    fn the_most_sure_rule_wins_a_shared_secret_and_names_give_way_to_content() {
        let base = f(3, None, true, true);
        let mut m = base.m.clone();
        m.rule = "generic".into();
        m.confidence = Confidence::Low;
        m.secret = "password=tok123".into();
        let generic = Finding::new(m, base.location.clone());
        let provider = f(3, None, true, true);
        let mut m = base.m.clone();
        m.rule = "key-file".into();
        m.secret = "a".into();
        m.line = 0;
        let by_name = Finding::new(m, base.location.clone());
        let merged = merge(vec![generic, provider, by_name]);
        assert_eq!(merged.len(), 1, "{merged:?}");
        assert_eq!(merged[0].m.rule, "r");
    }

    #[test]
    fn history_gives_the_first_commit_and_the_worktree_gives_the_line() {
        let merged = merge(vec![
            f(9, Some(("new", 200)), true, false),
            f(3, None, true, true),
            f(7, Some(("old", 100)), false, false),
        ]);
        assert_eq!(merged.len(), 1);
        let m = &merged[0];
        assert_eq!(m.location.commit.as_deref(), Some("old"));
        assert_eq!(m.m.line, 3);
        assert!(m.location.in_head && m.location.in_worktree);
    }
}
