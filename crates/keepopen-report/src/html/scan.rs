//! `keepopen scan --format html`: the same page as the organisation
//! report's, one section per repository the scan read. Always redacted,
//! whatever `--show-secrets` says: the file is made to be passed around.

use super::{HtmlFinding, HtmlMeta};
use crate::org::{OrgReport, RowParts, row_json};
use crate::{Format, Report};
use keepopen_findings::{Finding, Level, redact_for, redact_in_for};
use std::io::{self, Write};

pub(crate) struct Html;

impl Format for Html {
    fn write(&self, r: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
        // Each repository's root, in the order given; a folder that is not
        // a repository is one row named after what the assessment read.
        let mut roots: Vec<String> = r.repositories.iter().map(|x| x.root.clone()).collect();
        for a in r.assessments {
            if !roots.contains(&a.root) {
                roots.push(a.root.clone());
            }
        }
        if roots.is_empty() {
            roots.push(".".into());
        }
        let many = roots.len() > 1;
        let of = |f: &Finding, root: &str| {
            !many
                || f.location
                    .repository
                    .as_ref()
                    .is_some_and(|x| x.root == root)
        };
        let errors: Vec<String> = r
            .problems
            .iter()
            .filter(|p| p.level == Level::Error)
            .map(|p| p.to_string())
            .collect();
        let mut rows = Vec::new();
        let mut findings = Vec::new();
        for root in &roots {
            let own: Vec<&Finding> = r.findings.iter().filter(|f| of(f, root)).collect();
            let remote = r
                .repositories
                .iter()
                .find(|x| &x.root == root)
                .and_then(|x| x.remote.as_deref());
            rows.push(row_json(&RowParts {
                path: root,
                remote,
                visibility: None,
                assessed: r.assessments.iter().find(|a| &a.root == root),
                posture_score: r.posture.and_then(|p| p.aggregate).filter(|_| !many),
                last_commit: None,
                findings: &own,
                blocking: own.iter().filter(|f| r.blocking(f)).count(),
                errors: &errors,
                scanned: (!many).then_some(r.stats),
            }));
            findings.extend(own.iter().map(|f| HtmlFinding {
                repository: root.clone(),
                rule: f.m.rule.clone(),
                category: f.m.category,
                severity: f.m.severity,
                path: f.location.path.clone(),
                line: f.m.line,
                commit: f.location.commit.clone(),
                commit_time: f.location.commit_time,
                in_head: f.location.in_head,
                redacted: redact_for(f.m.category, &f.m.secret),
                context: redact_in_for(f.m.category, &f.m.context, &f.m.secret),
                detail: f.m.detail.clone(),
                triage: f.triage.as_ref().map(keepopen_findings::Triage::label),
                fingerprint: f.fingerprint.clone(),
            }));
        }
        let meta = HtmlMeta {
            run: "one scan".into(),
            started: None,
        };
        OrgReport {
            rows: &rows,
            shard: None,
        }
        .write_html(&findings, &meta, out)
    }
}
