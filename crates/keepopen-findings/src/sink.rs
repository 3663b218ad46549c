//! Where findings go as a run produces them. The pipeline streams each
//! finding into a [`Sink`] once it is final (merged across the versions of
//! history that hold it); what the sink does with it is its own business:
//! a report collects and orders them, a test keeps them in a vector, the
//! store writes them to a run's table.

use crate::Finding;

/// Takes findings one at a time.
pub trait Sink {
    /// Takes one final finding.
    fn put(&mut self, finding: Finding);
}

/// The plainest sink: keeps every finding, in the order they came.
impl Sink for Vec<Finding> {
    fn put(&mut self, finding: Finding) {
        self.push(finding);
    }
}

impl<S: Sink + ?Sized> Sink for &mut S {
    fn put(&mut self, finding: Finding) {
        (**self).put(finding);
    }
}

/// The order reports list findings in: most severe first, then by
/// repository, path, line and rule, with the fingerprint last so that the
/// order is total and does not depend on which worker met which blob first.
pub fn report_order(findings: &mut [Finding]) {
    let key = |f: &Finding| {
        (
            std::cmp::Reverse(f.m.severity),
            f.location.repository.as_ref().map(|r| r.root.clone()),
            f.location.path.clone(),
            f.m.line,
            f.m.rule.clone(),
            f.fingerprint.clone(),
        )
    };
    findings.sort_by_cached_key(key);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Severity;

    fn finding(path: &str, severity: Severity) -> Finding {
        crate::test_finding(path, path, severity)
    }

    #[test]
    fn a_vector_keeps_what_it_is_given_in_order_and_report_order_sorts() {
        let mut sink: Vec<Finding> = Vec::new();
        let put = |s: &mut dyn Sink, f| s.put(f);
        put(&mut sink, finding("b", Severity::Low));
        put(&mut sink, finding("a", Severity::Low));
        put(&mut sink, finding("c", Severity::Critical));
        let paths: Vec<_> = sink.iter().map(|f| f.location.path.as_str()).collect();
        assert_eq!(paths, ["b", "a", "c"]);
        report_order(&mut sink);
        let paths: Vec<_> = sink.iter().map(|f| f.location.path.as_str()).collect();
        assert_eq!(paths, ["c", "a", "b"]);
    }
}
