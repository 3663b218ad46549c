//! `posture-ownership`: someone visibly owns the repository.
//!
//! Passes on a CODEOWNERS file (top folder, `.github/` or `docs/`) with at
//! least one owner — `@user`, `@org/team` or an e-mail — on a rule line that
//! is not a comment; failing that, on a top-level README that names a
//! maintaining team or contact (an e-mail, or "maintained by", "contact" or
//! "owner" wording). Scorecard has no such check, so there is no score.
//!
//! GitHub ignores a CODEOWNERS file of 3 MB or more, so such a file names no
//! one; only its first MiB is read in any case.

use std::sync::LazyLock;

use regex::Regex;

use super::result;
use crate::text::{file_name, has_email, lines, parent};
use crate::{About, Check, CheckResult, Evidence, Status, Tree};

pub struct Ownership;

const ID: &str = "posture-ownership";
const FIX: &str = "Add a CODEOWNERS file naming the owning team, or name the maintainers and a contact in the README.";
const ABOUT: About = About {
    id: ID,
    name: "Ownership",
    description: "Whether the repository names who owns it: a CODEOWNERS file, or a README naming maintainers and a contact. GDS's minimum standard asks every open repository to have an owner.",
    fix: FIX,
};

static CONTACT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(maintained by|maintainers?|contact|owners?|owned by)\b")
        .unwrap_or_else(|_| unreachable!())
});

impl Check for Ownership {
    fn about(&self) -> &'static About {
        &ABOUT
    }

    fn run(&self, tree: &Tree) -> CheckResult {
        let mut ignored = Vec::new();
        for dir in ["", ".github", "docs"] {
            let path = if dir.is_empty() {
                "CODEOWNERS".to_owned()
            } else {
                format!("{dir}/CODEOWNERS")
            };
            let Some(text) = tree.text(&path) else {
                continue;
            };
            if let Some(len) = tree.len(&path).filter(|&l| l >= CODEOWNERS_LIMIT) {
                let note = format!(
                    "{path} is {:.1} MB: GitHub ignores CODEOWNERS files of 3 MB or more",
                    len as f64 / 1e6
                );
                ignored.push(Evidence::new(path, 0, note));
                continue;
            }
            if let Some((line, owner)) = first_owner(&text) {
                let ev = Evidence::new(path, line, format!("owner {owner}"));
                return result(ID, Status::Pass, None, vec![ev], FIX);
            }
        }
        let readmes = tree.paths().filter(|p| {
            parent(p).is_empty() && file_name(p).to_ascii_lowercase().starts_with("readme")
        });
        for path in readmes {
            let Some(text) = tree.text(path) else {
                continue;
            };
            for (n, line) in lines(&text) {
                if has_email(line) || CONTACT.is_match(line) {
                    let ev = Evidence::new(path, n, "README names a maintainer or contact");
                    ignored.push(ev);
                    return result(ID, Status::Pass, None, ignored, FIX);
                }
            }
        }
        result(ID, Status::Fail, None, ignored, FIX)
    }
}

/// GitHub's limit on a CODEOWNERS file.
const CODEOWNERS_LIMIT: u64 = 3 * 1024 * 1024;

/// The first owner on a rule line, with its line number.
fn first_owner(text: &str) -> Option<(u32, &str)> {
    lines(text).find_map(|(n, line)| {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            return None;
        }
        let owner = line
            .split_whitespace()
            .skip(1)
            .take_while(|t| !t.starts_with('#'))
            .find(|t| is_owner(t))?;
        Some((n, owner))
    })
}

fn is_owner(token: &str) -> bool {
    match token.strip_prefix('@') {
        Some(rest) => {
            !rest.is_empty()
                && rest
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_/.".contains(c))
        }
        None => has_email(token),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::tree;

    #[test]
    fn codeowners_with_team_passes() {
        let t = tree(&[(".github/CODEOWNERS", "# owners\n\n* @alphagov/team-x\n")]);
        let r = Ownership.run(&t);
        assert_eq!(r.status, Status::Pass);
        assert_eq!(r.evidence[0].path, ".github/CODEOWNERS");
        assert_eq!(r.evidence[0].line, 3);
    }

    #[test]
    fn codeowners_with_email_passes() {
        let t = tree(&[("docs/CODEOWNERS", "*.rs dev@example.gov.uk\n")]);
        assert_eq!(Ownership.run(&t).status, Status::Pass);
    }

    #[test]
    fn commented_owners_and_empty_rules_fail() {
        let t = tree(&[("CODEOWNERS", "# * @someone\n/docs/\n* # @x\n")]);
        assert_eq!(Ownership.run(&t).status, Status::Fail);
    }

    #[test]
    fn readme_contact_passes() {
        let t = tree(&[("README.md", "# Tool\n\nMaintained by the Data team.\n")]);
        let r = Ownership.run(&t);
        assert_eq!(r.status, Status::Pass);
        assert_eq!(r.evidence[0].line, 3);
    }

    #[test]
    fn nothing_fails() {
        let t = tree(&[
            ("README.md", "# Tool\nDoes things.\n"),
            ("src/README.md", "contact a@b.org"),
        ]);
        assert_eq!(Ownership.run(&t).status, Status::Fail);
    }

    #[test]
    fn long_codeowners_is_read_to_its_owner() {
        let mut text = "/a\n".repeat(100_000);
        text.push_str("* @org/team\n");
        let r = Ownership.run(&tree(&[("CODEOWNERS", &text)]));
        assert_eq!(r.status, Status::Pass);
        assert_eq!(r.evidence[0].line, 100_001);
    }

    #[test]
    fn codeowners_over_githubs_limit_names_no_one() {
        let text = "* @org/team\n".repeat(300_000);
        let t = tree(&[("CODEOWNERS", &text), ("README.md", "# x\n")]);
        let r = Ownership.run(&t);
        assert_eq!(r.status, Status::Fail);
        assert_eq!(r.evidence.len(), 1);
        assert!(
            r.evidence[0].note.contains("3.6 MB") && r.evidence[0].note.contains("ignores"),
            "{:?}",
            r.evidence
        );
        // A README contact still passes, and the ignored file is still named.
        let t = tree(&[("CODEOWNERS", &text), ("README.md", "Contact: a@b.org\n")]);
        let r = Ownership.run(&t);
        assert_eq!((r.status, r.evidence.len()), (Status::Pass, 2));
    }
}
