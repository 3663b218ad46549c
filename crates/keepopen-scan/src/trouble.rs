//! A detector that could not read a piece of content, said exactly: which
//! detector, why, and whether the other detectors still scanned it. Only
//! content no detector read is "skipped"; a template one reader could not
//! parse, whose text the others scanned, is a note.

use keepopen_findings::Problem;

#[derive(Clone, Debug)]
pub(crate) struct Trouble {
    /// "the personal-data detector: its JSON records reader could not
    /// parse it (…)".
    message: String,
    /// The other detectors that read the same content.
    others: Vec<&'static str>,
    binary: bool,
}

impl Trouble {
    pub(crate) fn new(detector: &str, why: &str, others: Vec<&'static str>, binary: bool) -> Self {
        Trouble {
            message: format!("{detector}: {why}"),
            others,
            binary,
        }
    }

    /// The problem the report lists under `subject` (a path, or a path and
    /// commit).
    pub(crate) fn problem(&self, subject: impl Into<String>) -> Problem {
        if self.others.is_empty() {
            return Problem::skip(subject, &self.message);
        }
        Problem::note(
            subject,
            format!(
                "{}; its {} still scanned by {}",
                self.message,
                if self.binary {
                    "bytes were"
                } else {
                    "text was"
                },
                and_list(&self.others)
            ),
        )
    }
}

/// "a", "a and b", "a, b and c".
fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use keepopen_findings::Level;

    #[test]
    fn a_reader_that_failed_where_others_read_is_a_note_naming_them() {
        let t = Trouble::new(
            "the personal-data detector",
            "its JSON records reader could not parse it (line 1)",
            vec!["the secret detector", "the dependency detector"],
            false,
        );
        let p = t.problem("templates/page.njk");
        assert_eq!(p.level, Level::Note);
        assert_eq!(
            p.message,
            "the personal-data detector: its JSON records reader could not parse it (line 1); its text was still scanned by the secret detector and the dependency detector"
        );
    }

    #[test]
    fn content_no_detector_read_is_skipped() {
        let t = Trouble::new(
            "the personal-data detector",
            "workbook is password-protected",
            Vec::new(),
            true,
        );
        assert_eq!(t.problem("a.xlsx").level, Level::Skip);
    }
}
