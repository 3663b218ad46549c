//! `posture-security-policy`: a route to report vulnerabilities privately.
//!
//! Looks where Scorecard's Security-Policy looks — `SECURITY.md`,
//! `.markdown`, `.adoc` or `.rst` (any case) in the top folder, `.github/`
//! or `docs/`, and `doc/SECURITY.rst` — and, as keepopen's addition,
//! `SECURITY` and `security.txt` in those folders and
//! `.well-known/security.txt`. Scorecard also falls back to the
//! organisation's `.github` repository, which needs the hosting API and is
//! not done here.
//!
//! The score follows Scorecard's `checks/evaluation/security_policy.go`,
//! each part counted once over all the policy files:
//! - 6 when a file has a URL or e-mail (Scorecard's link and e-mail
//!   patterns, `name[at]host` included);
//! - 3 when a non-empty file is longer, in bytes, than its distinct links
//!   and e-mails plus 2 bytes for each of them (free text beyond links);
//! - 1 when a file has 2 or more hits of `vuln`, `disclos` or a number of 1
//!   to 4 digits (disclosure wording and timelines).
//!
//! The check passes when a policy gives a URL or e-mail to report to.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;

use super::result;
use crate::text::{file_name, lines, parent};
use crate::{About, Check, CheckResult, Evidence, Status, Tree};

pub struct SecurityPolicy;

const ID: &str = "posture-security-policy";
const FIX: &str = "Add a SECURITY.md giving an e-mail address or URL for private vulnerability reports and saying how they are handled.";
const ABOUT: About = About {
    id: ID,
    name: "Disclosure route",
    description: "Whether a SECURITY.md or security.txt gives a private route to report a vulnerability (Scorecard Security-Policy).",
    fix: FIX,
};

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|_| unreachable!())
}

static URL: LazyLock<Regex> = LazyLock::new(|| re(r"(http|https)://[a-zA-Z0-9./?=_%:-]*"));
static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?-u:\b)[A-Za-z0-9._%+-]+(@|\\?\[at\\?\])[A-Za-z0-9.-]+\.[A-Za-z]{2,6}(?-u:\b)")
});
static HINT: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)[0-9]{1,4}(?-u:\b)|disclos|vuln"));

/// What Scorecard's three content probes find in one policy file.
#[derive(Debug, Default, PartialEq, Eq)]
struct Policy {
    links: bool,
    text: bool,
    disclosure: bool,
    /// The line of the first URL or e-mail.
    contact_line: Option<u32>,
}

impl Check for SecurityPolicy {
    fn about(&self) -> &'static About {
        &ABOUT
    }

    fn run(&self, tree: &Tree) -> CheckResult {
        let mut evidence = Vec::new();
        let mut any = Policy::default();
        for path in tree.paths().filter(|p| is_policy(p)) {
            let Some(bytes) = tree.bytes(path) else {
                continue;
            };
            let p = analyse(&String::from_utf8_lossy(bytes), bytes.len());
            let note = format!(
                "security policy: {}, {}, {}",
                if p.links {
                    "reporting URL or e-mail"
                } else {
                    "no URL or e-mail"
                },
                if p.text {
                    "text beyond links"
                } else {
                    "no text beyond links"
                },
                if p.disclosure {
                    "disclosure wording"
                } else {
                    "under 2 disclosure or timeline hints"
                },
            );
            evidence.push(Evidence::new(path, p.contact_line.unwrap_or(0), note));
            any.links |= p.links;
            any.text |= p.text;
            any.disclosure |= p.disclosure;
        }
        let score = score(&any);
        let status = if any.links {
            Status::Pass
        } else {
            Status::Fail
        };
        result(ID, status, Some(score), evidence, FIX)
    }
}

/// Scorecard's points: 6 for links, 3 for text, 1 for disclosure wording.
fn score(p: &Policy) -> u8 {
    6 * u8::from(p.links) + 3 * u8::from(p.text) + u8::from(p.disclosure)
}

fn is_policy(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    if lower == ".well-known/security.txt" || lower == "doc/security.rst" {
        return true;
    }
    if !matches!(parent(path), "" | ".github" | "docs") {
        return false;
    }
    matches!(
        file_name(&lower),
        "security"
            | "security.md"
            | "security.markdown"
            | "security.rst"
            | "security.adoc"
            | "security.txt"
    )
}

/// Runs Scorecard's link, text and disclosure probes over one file of
/// `size` bytes.
fn analyse(text: &str, size: usize) -> Policy {
    let mut urls = BTreeSet::new();
    let mut emails = BTreeSet::new();
    let mut hints = 0;
    let mut contact_line = None;
    for (n, line) in lines(text) {
        urls.extend(URL.find_iter(line).map(|m| m.as_str()));
        emails.extend(EMAIL.find_iter(line).map(|m| m.as_str()));
        if contact_line.is_none() && (URL.is_match(line) || EMAIL.is_match(line)) {
            contact_line = Some(n);
        }
        hints += HINT.find_iter(line).count();
    }
    let linked: usize = urls.iter().chain(&emails).map(|m| m.len()).sum();
    let count = urls.len() + emails.len();
    Policy {
        links: count > 0,
        text: size > 1 && size > linked + 2 * count,
        disclosure: hints > 1,
        contact_line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::tree;

    const FULL: &str = "# Security\n\nPlease report vulnerabilities privately to security@example.gov.uk.\nWe follow coordinated disclosure and reply within 5 days.\n";

    fn run(files: &[(&str, &str)]) -> (Status, Option<u8>) {
        let r = SecurityPolicy.run(&tree(files));
        (r.status, r.score)
    }

    #[test]
    fn full_policy_scores_ten() {
        let r = SecurityPolicy.run(&tree(&[(".github/security.md", FULL)]));
        assert_eq!((r.status, r.score), (Status::Pass, Some(10)));
        assert_eq!(r.evidence[0].line, 3);
    }

    #[test]
    fn link_only_scores_six() {
        // 23 bytes, one link of 23 bytes: no text beyond it, no hints.
        assert_eq!(
            run(&[("SECURITY.md", "https://hackerone.com/x")]),
            (Status::Pass, Some(6))
        );
    }

    #[test]
    fn text_is_measured_against_link_length_plus_two_per_link() {
        // 25 bytes = 23 (link) + 2: not more, so no text points.
        assert_eq!(
            run(&[("SECURITY.md", "  https://hackerone.com/x")]),
            (Status::Pass, Some(6))
        );
        // 26 bytes > 25: text.
        assert_eq!(
            run(&[("SECURITY.md", "   https://hackerone.com/x")]),
            (Status::Pass, Some(9))
        );
        // The same link twice counts once in the length.
        let twice = "https://hackerone.com/x https://hackerone.com/x";
        assert_eq!(run(&[("SECURITY.md", twice)]), (Status::Pass, Some(9)));
    }

    #[test]
    fn disclosure_needs_two_hints() {
        // One hint ("vuln") only: text, no links, no disclosure point.
        assert_eq!(
            run(&[("docs/SECURITY.md", "Report vulnerabilities to us.")]),
            (Status::Fail, Some(3))
        );
        // "vuln" and "90": 3 + 1.
        assert_eq!(
            run(&[("docs/SECURITY.md", "Vulnerabilities are fixed in 90 days.")]),
            (Status::Fail, Some(4))
        );
    }

    #[test]
    fn points_are_counted_once_across_files() {
        let files = [
            ("SECURITY.md", "https://hackerone.com/x"),
            (".github/SECURITY.md", "Disclosure of vulnerabilities"),
        ];
        // Links from one file (6), text and disclosure from the other (3 + 1).
        assert_eq!(run(&files), (Status::Pass, Some(10)));
    }

    #[test]
    fn obfuscated_email_is_a_link() {
        let p = analyse("mail security[at]example.org", 28);
        assert!(p.links && p.text && !p.disclosure);
        assert_eq!(p.contact_line, Some(1));
    }

    #[test]
    fn security_txt_and_doc_rst_count() {
        let r = SecurityPolicy.run(&tree(&[(
            ".well-known/security.txt",
            "# hello\nContact: mailto:a@b.gov.uk\n",
        )]));
        assert_eq!((r.status, r.evidence[0].line), (Status::Pass, 2));
        assert_eq!(run(&[("doc/SECURITY.rst", "a@b.gov.uk")]).0, Status::Pass);
    }

    #[test]
    fn empty_missing_or_nested_scores_zero() {
        assert_eq!(run(&[("SECURITY.md", "")]), (Status::Fail, Some(0)));
        assert_eq!(run(&[("src/SECURITY.md", FULL)]), (Status::Fail, Some(0)));
        assert_eq!(run(&[]), (Status::Fail, Some(0)));
    }
}
