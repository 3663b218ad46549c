//! Severity follows the repository as well as the file. The code detector
//! lowers a weakness one band in a file that shows no network of its own
//! (no web framework, no route; [`SILENT_FILE`] in its detail): most of the
//! NHS estate is analysis code, run by its author. In a repository whose
//! class serves requests (a service, a front end, infrastructure), such a
//! file is a module of what serves (a query helper the routes call), so
//! the band is put back. Files that say which they are (a route, a
//! migration, a script) keep the detector's judgement.

use crate::{Class, Classified};
use keepopen_findings::{Category, Finding, SILENT_FILE};

/// Does a repository of `class` serve requests?
pub fn serves(class: Class) -> bool {
    matches!(
        class,
        Class::Service | Class::Frontend | Class::Infrastructure
    )
}

/// Settles each code finding in a file that shows no network of its own
/// by its repository's class (`class_of` the finding; `None` when the
/// repository checks did not run, and then the detector's lower band
/// stands). A finding the context policy already moved (a test file) is
/// left as it is.
pub fn settle_by_class<'a>(
    findings: &mut [Finding],
    class_of: impl Fn(&Finding) -> Option<&'a Classified>,
) {
    let phrase = format!("{SILENT_FILE}, so one band lower");
    for f in findings.iter_mut() {
        if f.m.category != Category::Code || f.adjusted.is_some() {
            continue;
        }
        let Some(detail) = f.m.detail.as_deref().filter(|d| d.contains(&phrase)) else {
            continue;
        };
        let Some(c) = class_of(f) else {
            continue;
        };
        let evidence = c
            .evidence
            .first()
            .map(|e| format!(" ({e})"))
            .unwrap_or_default();
        let why = if serves(c.class) {
            f.m.severity = f.m.severity.raise();
            format!(
                "this file shows no network of its own, but the repository is a {}{evidence}, \
                 so it is taken to serve requests",
                c.class
            )
        } else {
            format!(
                "this file shows no network of its own and the repository is {} code{evidence}, \
                 which serves no requests, so one band lower",
                c.class
            )
        };
        f.m.detail = Some(detail.replace(&phrase, &why));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use keepopen_findings::{Confidence, Location, Match, Severity};

    fn code(detail: &str, path: &str) -> Finding {
        Finding::new(
            Match {
                rule: "code-sql-injection".into(),
                category: Category::Code,
                severity: Severity::Medium,
                confidence: Confidence::High,
                secret: "cursor.execute(q)".into(),
                line: 3,
                column: 1,
                context: "cursor.execute(q)".into(),
                detail: Some(detail.into()),
                remedy: None,
            },
            Location {
                path: path.into(),
                ..Default::default()
            },
        )
    }

    fn class(class: Class) -> Classified {
        Classified {
            class,
            evidence: vec!["flask in pyproject.toml".into()],
        }
    }

    #[test]
    fn a_silent_file_serves_when_its_repository_does() {
        let silent = format!("input reaches it; {SILENT_FILE}, so one band lower");
        let mut found = vec![
            code(&silent, "app/db.py"),
            code("this file runs by hand or at deployment", "app/migrate.py"),
        ];
        let service = class(Class::Service);
        settle_by_class(&mut found, |_| Some(&service));
        assert_eq!(found[0].m.severity, Severity::High);
        let detail = found[0].m.detail.as_deref().unwrap_or_default();
        assert!(detail.starts_with("input reaches it; "), "{detail}");
        assert!(detail.contains("repository is a service (flask in pyproject.toml)"));
        assert_eq!(found[1].m.severity, Severity::Medium, "the file said");

        let mut found = vec![code(&silent, "analysis/db.py")];
        let analysis = class(Class::Analysis);
        settle_by_class(&mut found, |_| Some(&analysis));
        assert_eq!(found[0].m.severity, Severity::Medium);
        assert!(
            found[0]
                .m
                .detail
                .as_deref()
                .is_some_and(|d| d.contains("analysis code"))
        );

        // Without a class (no repository checks), the detector's band stands.
        let mut found = vec![code(&silent, "app/db.py")];
        settle_by_class(&mut found, |_| None);
        assert_eq!(found[0].m.severity, Severity::Medium);
        assert_eq!(found[0].m.detail.as_deref(), Some(silent.as_str()));
    }

    #[test]
    fn a_test_file_stays_where_the_context_policy_put_it() {
        let silent = format!("{SILENT_FILE}, so one band lower");
        let mut f = code(&silent, "tests/test_db.py");
        f.adjusted = Some(keepopen_findings::Adjusted {
            from: Severity::Medium,
            blocks: false,
        });
        f.m.severity = Severity::Low;
        let mut found = vec![f];
        let service = class(Class::Service);
        settle_by_class(&mut found, |_| Some(&service));
        assert_eq!(found[0].m.severity, Severity::Low);
    }
}
