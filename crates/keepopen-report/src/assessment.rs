//! The keep-open assessment as every report shows it: per repository, its
//! class with evidence, the recommendation, the reasons with the policy rule
//! behind each, and the ordered fix plan.

use keepopen_assessment::Assessment;
use serde_json::{Value, json};
use std::io::{self, Write};

/// One repository's assessment, with the root it is for.
pub struct Assessed {
    pub root: String,
    pub assessment: Assessment,
    /// Its exceptions register, every record as it stands.
    pub register: Vec<RegisterEntry>,
}

/// One record of a repository's exceptions register, as reports show it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RegisterEntry {
    pub id: String,
    /// The record's path in the repository.
    pub file: String,
    pub scope: Vec<String>,
    pub rules: Vec<String>,
    pub attacker: String,
    pub publication_adds: String,
    pub path_to_harm: String,
    pub approver: String,
    pub approved: String,
    pub expires: String,
    /// `active`, `expired`, `incomplete`, `invalid` or `unreadable`.
    pub standing: String,
    /// Why a record is not sound, when it is not.
    pub problem: Option<String>,
    /// How many blocking findings it covers.
    pub covers: usize,
}

impl RegisterEntry {
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "file": self.file,
            "scope": self.scope,
            "rules": self.rules,
            "attacker": self.attacker,
            "publication_adds": self.publication_adds,
            "path_to_harm": self.path_to_harm,
            "approver": self.approver,
            "approved": self.approved,
            "expires": self.expires,
            "standing": self.standing,
            "problem": self.problem,
            "covers": self.covers,
        })
    }
}

impl Assessed {
    pub fn to_json(&self) -> Value {
        let a = &self.assessment;
        json!({
            "repository": self.root,
            "class": a.class.class.as_str(),
            "class_evidence": a.class.evidence,
            "recommendation": a.recommendation.as_str(),
            "reasons": a.reasons.iter().map(|r| json!({"rule": r.rule, "text": r.text})).collect::<Vec<_>>(),
            "fixes": a.fixes.iter().enumerate().map(|(i, s)| json!({
                "step": i + 1,
                "kind": s.kind,
                "title": s.title,
                "actions": s.actions,
                "findings": s.findings,
            })).collect::<Vec<_>>(),
        })
    }

    /// Plain text, for the terminal; `heading` wraps a heading in colour.
    pub fn write_text(
        &self,
        out: &mut dyn Write,
        heading: &dyn Fn(&str) -> String,
    ) -> io::Result<()> {
        let a = &self.assessment;
        writeln!(
            out,
            "{}",
            heading(&format!("keep-open recommendation: {}", a.recommendation))
        )?;
        writeln!(
            out,
            "  class: {} ({})",
            a.class.class,
            keepopen_findings::printable(&a.class.evidence.join("; "))
        )?;
        for r in &a.reasons {
            writeln!(
                out,
                "  - {} [{}]",
                keepopen_findings::printable(&r.text),
                r.rule
            )?;
        }
        if !a.fixes.is_empty() {
            writeln!(out, "  fix plan:")?;
            for (i, s) in a.fixes.iter().enumerate() {
                writeln!(
                    out,
                    "  {}. {}",
                    i + 1,
                    keepopen_findings::printable(&s.title)
                )?;
                for action in &s.actions {
                    writeln!(out, "     - {}", keepopen_findings::printable(action))?;
                }
            }
        }
        writeln!(out)
    }

    pub fn write_markdown(&self, out: &mut dyn Write) -> io::Result<()> {
        let a = &self.assessment;
        writeln!(out, "## Keep-open recommendation: `{}`\n", a.recommendation)?;
        writeln!(
            out,
            "Class: **{}** ({}).\n",
            a.class.class,
            crate::markdown::escape(&a.class.evidence.join("; "))
        )?;
        for r in &a.reasons {
            writeln!(out, "- {} (`{}`)", crate::markdown::escape(&r.text), r.rule)?;
        }
        writeln!(out)?;
        if !a.fixes.is_empty() {
            writeln!(out, "### Fix plan\n")?;
            for (i, s) in a.fixes.iter().enumerate() {
                writeln!(out, "{}. **{}**", i + 1, crate::markdown::escape(&s.title))?;
                for action in &s.actions {
                    writeln!(out, "   - {}", crate::markdown::escape(action))?;
                }
            }
            writeln!(out)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FormatKind, fixture};
    use keepopen_assessment::{Class, Classified, FixStep, Reason, Recommendation};

    fn assessed() -> Assessed {
        Assessed {
            register: Vec::new(),
            root: "demo".into(),
            assessment: Assessment {
                class: Classified {
                    class: Class::Service,
                    evidence: vec!["express in package.json".into()],
                },
                recommendation: Recommendation::OpenAfterFixes,
                reasons: vec![Reason {
                    rule: "policy-blocking",
                    text: "1 finding blocks (1 secret): critical aws-access-key at a.py:3.".into(),
                }],
                fixes: vec![FixStep {
                    kind: "rotate-credentials".into(),
                    title: "Rotate 1 leaked credential".into(),
                    actions: vec![
                        "Revoke and replace the AWS access key `AKIA…` at a.py:3.".into(),
                    ],
                    findings: vec!["0123abcd".into()],
                }],
            },
        }
    }

    #[test]
    fn the_assessment_is_in_the_json_report_and_follows_the_schema() {
        let json: Value = serde_json::from_str(&fixture::render_assessed(
            FormatKind::Json,
            false,
            None,
            &[assessed()],
        ))
        .expect("json");
        let a = &json["assessments"][0];
        assert_eq!(a["recommendation"], "open-after-fixes");
        assert_eq!(a["class"], "service");
        assert_eq!(a["reasons"][0]["rule"], "policy-blocking");
        assert_eq!(a["fixes"][0]["step"], 1);
        let schema: Value = serde_json::from_str(crate::SCHEMA).expect("schema");
        let errors = fixture::check_schema(&schema, &json, "$", &schema);
        assert!(errors.is_empty(), "{errors:#?}");
        let mut bad = json.clone();
        bad["assessments"][0]["recommendation"] = "close".into();
        assert!(!fixture::check_schema(&schema, &bad, "$", &schema).is_empty());
        // A report without assessments has no such key.
        let plain: Value =
            serde_json::from_str(&fixture::render(FormatKind::Json, false)).expect("json");
        assert!(plain.get("assessments").is_none());
    }

    #[test]
    fn the_human_and_markdown_reports_give_the_recommendation_and_the_plan() {
        for kind in [FormatKind::Human, FormatKind::Markdown] {
            let text = fixture::render_assessed(kind, false, None, &[assessed()]);
            assert!(
                text.contains("Keep-open recommendation")
                    || text.contains("keep-open recommendation: open-after-fixes"),
                "{text}"
            );
            assert!(text.contains("open-after-fixes"), "{text}");
            assert!(text.contains("policy-blocking"), "{text}");
            assert!(text.contains("Rotate 1 leaked credential"), "{text}");
            assert!(text.contains("express in package.json"), "{text}");
        }
    }
}
