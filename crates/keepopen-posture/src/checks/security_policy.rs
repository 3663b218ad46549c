//! `posture-security-policy`: a route to report vulnerabilities privately.
//!
//! Looks for `SECURITY.md` (any case; `.md`, `.markdown`, `.rst`, `.adoc`,
//! `.txt` or none) in the top folder, `.github/` or `docs/`, and for
//! `.well-known/security.txt`. Scored as Scorecard's Security-Policy: 6 for
//! an e-mail or URL to report to, 3 for substantial other text, 1 for
//! disclosure or vulnerability wording. Passes when a contact is given.

use super::result;
use crate::text::{file_name, has_email, has_url, lines, normalise, parent};
use crate::{Check, CheckResult, Evidence, Status, Tree};

pub struct SecurityPolicy;

const ID: &str = "posture-security-policy";
const FIX: &str = "Add a SECURITY.md giving an e-mail address or URL for private vulnerability reports and saying how they are handled.";

impl Check for SecurityPolicy {
    fn id(&self) -> &'static str {
        ID
    }

    fn run(&self, tree: &Tree) -> CheckResult {
        let mut best: Option<u8> = None;
        let mut evidence = Vec::new();
        let mut contact = false;
        for path in tree.paths().filter(|p| is_policy(p)) {
            let Some(text) = tree.text(path) else {
                continue;
            };
            let (score, line) = score_policy(&text);
            contact |= line.is_some();
            let note = match line {
                Some(_) => format!("security policy with a reporting contact (score {score})"),
                None => format!("security policy without an e-mail or URL (score {score})"),
            };
            evidence.push(Evidence::new(path, line.unwrap_or(0), note));
            best = Some(best.map_or(score, |b| b.max(score)));
        }
        for path in tree
            .paths()
            .filter(|p| p.eq_ignore_ascii_case(".well-known/security.txt"))
        {
            let Some(text) = tree.text(path) else {
                continue;
            };
            let found = lines(&text)
                .find(|(_, l)| l.trim_start().to_ascii_lowercase().starts_with("contact:"));
            if let Some((n, _)) = found {
                contact = true;
                evidence.push(Evidence::new(path, n, "security.txt Contact field"));
                best = Some(best.unwrap_or(0).max(6));
            }
        }
        match best {
            None => result(ID, Status::Fail, Some(0), evidence, FIX),
            Some(score) => {
                let status = if contact { Status::Pass } else { Status::Fail };
                result(ID, status, Some(score), evidence, FIX)
            }
        }
    }
}

fn is_policy(path: &str) -> bool {
    if !matches!(parent(path), "" | ".github" | "docs") {
        return false;
    }
    let name = file_name(path).to_ascii_lowercase();
    matches!(
        name.as_str(),
        "security"
            | "security.md"
            | "security.markdown"
            | "security.rst"
            | "security.adoc"
            | "security.txt"
    )
}

/// The Scorecard score and the line of the first contact.
fn score_policy(text: &str) -> (u8, Option<u32>) {
    let contact = lines(text)
        .find(|(_, l)| has_email(l) || has_url(l))
        .map(|(n, _)| n);
    let mut score = 0;
    if contact.is_some() {
        score += 6;
    }
    let norm = normalise(text);
    if norm.len() > 50 && contact.is_some() {
        score += 3;
    }
    if norm.contains("disclos") || norm.contains("vulnerab") {
        score += 1;
    }
    (score, contact)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::tree;

    const FULL: &str = "# Security\n\nPlease report vulnerabilities privately to security@example.gov.uk.\nWe follow coordinated disclosure and reply within 5 days.\n";

    #[test]
    fn full_policy_scores_ten() {
        let r = SecurityPolicy.run(&tree(&[(".github/security.md", FULL)]));
        assert_eq!(r.status, Status::Pass);
        assert_eq!(r.score, Some(10));
        assert_eq!(r.evidence[0].line, 3);
    }

    #[test]
    fn url_only_is_partial_pass() {
        let r = SecurityPolicy.run(&tree(&[("SECURITY.md", "https://hackerone.com/x")]));
        assert_eq!(r.status, Status::Pass);
        assert_eq!(r.score, Some(6));
    }

    #[test]
    fn policy_without_contact_fails() {
        let r = SecurityPolicy.run(&tree(&[(
            "docs/SECURITY.md",
            "Report vulnerabilities to us.",
        )]));
        assert_eq!(r.status, Status::Fail);
        assert_eq!(r.score, Some(1));
    }

    #[test]
    fn security_txt_counts() {
        let r = SecurityPolicy.run(&tree(&[(
            ".well-known/security.txt",
            "Contact: mailto:a@b.gov.uk\n",
        )]));
        assert_eq!(r.status, Status::Pass);
        assert_eq!(r.evidence[0].line, 1);
    }

    #[test]
    fn missing_or_nested_fails() {
        let r = SecurityPolicy.run(&tree(&[("src/SECURITY.md", FULL)]));
        assert_eq!(r.status, Status::Fail);
        assert_eq!(r.score, Some(0));
    }
}
