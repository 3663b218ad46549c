//! One finding per rule, path and secret. The working tree's copy gives the
//! line (it is what a developer opens); history gives the first commit.

use keepopen_findings::Finding;
use std::collections::BTreeMap;

/// One finding per rule, path and secret; then, where several rules found
/// the same secret on the same line of the same file, only the most sure of
/// them (a provider rule over a generic one).
pub(crate) fn merge(findings: Vec<Finding>) -> Vec<Finding> {
    drop_names_found_by_content(most_specific(by_fingerprint(findings)))
}

/// A key file found by its name (line 0) says nothing more once its content
/// was found: the content finding points at the key itself.
fn drop_names_found_by_content(findings: Vec<Finding>) -> Vec<Finding> {
    let with_content: std::collections::HashSet<(Option<String>, String)> = findings
        .iter()
        .filter(|f| f.m.line > 0 && f.m.category == keepopen_findings::Category::Secret)
        .map(|f| (root(f).map(str::to_owned), f.location.path.clone()))
        .collect();
    // A key store found both by its name and by its bytes is one finding.
    let mut whole_files = std::collections::HashSet::new();
    findings
        .into_iter()
        .filter(|f| {
            f.m.line > 0 || f.m.category != keepopen_findings::Category::Secret || {
                let place = (root(f).map(str::to_owned), f.location.path.clone());
                !with_content.contains(&place) && whole_files.insert((place, f.m.rule.clone()))
            }
        })
        .collect()
}

fn most_specific(mut findings: Vec<Finding>) -> Vec<Finding> {
    let rank = |f: &Finding| (f.m.confidence, f.m.severity, f.m.secret.len());
    findings.sort_by(|a, b| {
        (root(a), &a.location.path, a.m.line)
            .cmp(&(root(b), &b.location.path, b.m.line))
            .then_with(|| rank(b).cmp(&rank(a)))
            .then_with(|| a.fingerprint.cmp(&b.fingerprint))
    });
    let mut kept: Vec<Finding> = Vec::with_capacity(findings.len());
    let mut group = 0;
    for f in findings {
        if kept.last().is_some_and(|k| {
            k.location.repository != f.location.repository
                || k.location.path != f.location.path
                || k.m.line != f.m.line
        }) {
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

/// The repository a finding is in, which keys every grouping below: the
/// same path in two repositories is two files.
fn root(f: &Finding) -> Option<&str> {
    f.location.repository.as_ref().map(|r| r.root.as_str())
}

/// One finding per repository and fingerprint (rule, path, secret), chosen from all its
/// sightings by their content alone, never by the order workers met them,
/// so that every run and thread count gives the same report.
fn by_fingerprint(findings: Vec<Finding>) -> Vec<Finding> {
    let mut groups: BTreeMap<(Option<String>, String), Vec<Finding>> = BTreeMap::new();
    for f in findings {
        groups
            .entry((root(&f).map(str::to_owned), f.fingerprint.clone()))
            .or_default()
            .push(f);
    }
    groups.into_values().filter_map(combine).collect()
}

/// The sighting a developer opens (the working tree, else HEAD, else the
/// first commit), attributed to the earliest commit (by time, then id) that
/// put the secret at that path, with the line in that commit's blob.
fn combine(group: Vec<Finding>) -> Option<Finding> {
    let spot = |f: &Finding| (f.m.line, f.m.column, f.m.context.clone());
    // A commit a ref reaches names the secret's origin before one only the
    // object store keeps.
    let unreachable = group.iter().all(|f| f.location.unreachable);
    let origin = group
        .iter()
        .filter(|f| f.location.commit.is_some() && f.location.unreachable == unreachable)
        .min_by_key(|f| (f.location.commit_time, f.location.commit.clone(), spot(f)))
        .cloned();
    let now = |pick: fn(&Finding) -> bool| {
        group
            .iter()
            .filter(|f| pick(f))
            .min_by_key(|f| spot(f))
            .cloned()
    };
    let in_worktree = group.iter().any(|f| f.location.in_worktree);
    let in_head = group.iter().any(|f| f.location.in_head);
    let mut kept = now(|f| f.location.in_worktree)
        .or_else(|| now(|f| f.location.in_head))
        .or_else(|| origin.clone())
        .or_else(|| group.into_iter().min_by_key(spot))?;
    if let Some(o) = origin {
        kept.location.commit = o.location.commit;
        kept.location.commit_time = o.location.commit_time;
        kept.location.author = o.location.author;
        kept.location.commit_line = Some(o.m.line);
    }
    kept.location.in_head = in_head;
    kept.location.in_worktree = in_worktree;
    kept.location.unreachable = unreachable;
    Some(kept)
}

#[cfg(test)]
mod tests {
    use super::*;
    use keepopen_findings::{Category, Confidence, Location, Match, Severity};

    fn f(line: u32, commit: Option<(&str, i64)>, in_head: bool, in_worktree: bool) -> Finding {
        let m = Match {
            remedy: None,
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
                commit_line: None,
                repository: None,
                in_head,
                in_worktree,
                unreachable: false,
                anchor: None,
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

    #[test]
    fn the_commit_named_comes_with_its_own_line_in_any_input_order() {
        let sightings = vec![
            f(9, Some(("c-new", 200)), true, false),
            f(7, Some(("b-old", 100)), false, false),
            f(5, Some(("a-old", 100)), false, false),
            f(2, Some(("d-older-but-later-id", 100)), false, false),
        ];
        let mut seen = Vec::new();
        for rotation in 0..sightings.len() {
            let mut input = sightings.clone();
            input.rotate_left(rotation);
            let merged = merge(input);
            assert_eq!(merged.len(), 1);
            let m = &merged[0];
            // Earliest by time, then by id: a-old at its line 5.
            assert_eq!(m.location.commit.as_deref(), Some("a-old"));
            assert_eq!(m.location.commit_line, Some(5));
            // Still at HEAD, where it stands at line 9.
            assert_eq!(m.m.line, 9);
            seen.push(merged);
        }
        assert!(seen.windows(2).all(|w| w[0] == w[1]));
    }

    #[test]
    fn a_secret_only_in_history_has_one_line_for_its_commit() {
        let merged = merge(vec![
            f(40, Some(("late", 300)), false, false),
            f(4, Some(("early", 100)), false, false),
        ]);
        let m = &merged[0];
        assert_eq!(m.location.commit.as_deref(), Some("early"));
        assert_eq!((m.m.line, m.location.commit_line), (4, Some(4)));
        assert!(!m.location.in_head);
    }
}
