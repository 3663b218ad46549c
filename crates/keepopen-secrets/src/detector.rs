//! The secret engine as the pipeline sees it: a detector of every piece
//! of content, whose path rules (rules for some files only, rules on file
//! names) are judged once a match's path is known.

use crate::deferral::Which;
use crate::engine::Engine;
use keepopen_content::{Content, Deferral, Detector, Needs, Out, PathRules, Reads};
use keepopen_findings::Match;

impl Detector for Engine {
    fn name(&self) -> &'static str {
        "the secret detector"
    }

    fn needs(&self) -> Needs<'_> {
        Needs {
            reads: Reads::Everything,
            paths: Some(self),
        }
    }

    fn detect(&self, content: &Content<'_>, out: &mut Out) {
        self.scan_into(content, &mut |m| out.found(m));
    }

    fn detect_unplaced(&self, content: &Content<'_>, deferral: &Deferral, out: &mut Out) {
        let hit = std::cell::Cell::new(false);
        self.scan_rules(content, Which::AllBut(deferral, &hit), &mut |m| {
            out.found(m)
        });
        out.deferred |= hit.get();
    }

    fn detect_placed(
        &self,
        content: &Content<'_>,
        deferral: &Deferral,
        paths: &[&str],
        out: &mut Out,
    ) {
        let set = self.restricted.at(deferral, paths);
        if set.contains(&true) {
            self.scan_rules(content, Which::Only(&set), &mut |m| out.found(m));
        }
    }
}

/// Rules restricted to some paths, and rules on file names.
impl PathRules for Engine {
    fn at_path(&self, m: Match, path: &str) -> Option<Match> {
        self.applies_to_path(&m.rule, path).then_some(m)
    }

    fn by_name(&self, path: &str, out: &mut dyn FnMut(Match)) {
        if self.names.is_some() {
            self.match_filename(path).into_iter().for_each(out);
        }
    }

    fn may_match_name(&self, name: &[u8]) -> bool {
        self.names.as_ref().is_some_and(|n| n.may_match(name))
    }

    fn deferral(&self, paths_now: &[&str]) -> Deferral {
        self.restricted.deferral(paths_now)
    }

    fn defers_name(&self, deferral: &Deferral, name: &[u8]) -> bool {
        self.restricted.defers_name(deferral, name)
    }

    fn defers_at(&self, deferral: &Deferral, path: &str) -> bool {
        self.restricted.defers_at(deferral, path)
    }
}
