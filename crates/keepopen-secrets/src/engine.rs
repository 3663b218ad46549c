//! The rule engine: one Aho-Corasick automaton over every rule's keywords;
//! a rule's regex runs only in windows around its keyword hits.

mod build;
mod leads;

use crate::decoy;
use crate::deferral::{Restricted, Which};
use crate::entropy::shannon;
use crate::keywords::Keywords;
use crate::names::NameRules;
use crate::pattern::{Groups, Pattern};
use build::Compiled;
pub use build::EngineError;
use keepopen_content::Content;
use keepopen_content::ignore::{comment_ignores, ignores};
use keepopen_content::lines::{Lines, line_start};
use keepopen_findings::{Category, Match};
use keepopen_rules::Rule;
use leads::{Span, led_by_a_pair};

/// Bytes before a keyword hit, at most, that a match may start at (within
/// the same line). Minified files have very long lines.
const LOOK_BACK: usize = 256;
/// Longest context line kept for a report.
const CONTEXT: usize = 240;
/// Longest secret kept; private keys are long, anything longer is noise.
const MAX_SECRET: usize = 16 * 1024;
/// Matches of one rule kept per piece of content; the rest are counted and
/// the first kept match says how many more there were. One blob of repeated
/// tokens otherwise holds a match per line in memory.
pub const MAX_PER_RULE: usize = 100;

/// One rule's progress through one piece of content.
#[derive(Default)]
struct RuleState {
    /// Whether the rule was checked to apply, and `off` if it does not.
    checked: bool,
    off: bool,
    /// The merged window not yet searched.
    window: Option<(usize, usize)>,
    /// Where searching got to: no byte before it is searched again.
    last_end: usize,
    /// The matches kept, each with where it lies.
    kept: Vec<(Match, Span)>,
    more: usize,
}

/// How many `\n` there are in `data` (memchr counts them with SIMD, with
/// no per-line cost where newlines are dense).
fn newlines(data: &[u8]) -> u32 {
    memchr::memchr_iter(b'\n', data).count() as u32
}

thread_local! {
    /// [`Engine::scan_text`]'s rule states, every one at its default
    /// between calls.
    static STATE: std::cell::Cell<Vec<RuleState>> = const { std::cell::Cell::new(Vec::new()) };
}

/// Compiled rules, ready to scan content. Cheap to share between threads.
pub struct Engine {
    rules: Vec<Compiled>,
    /// The rules restricted to some paths, for deferring.
    pub(crate) restricted: Restricted,
    prefilter: Option<Keywords>,
    /// For each keyword, the rules that use it.
    keyword_rules: Vec<Vec<u32>>,
    pub(crate) names: Option<NameRules>,
    /// Recent blobs' keyword hits, for the deltas made from them.
    kept: crate::reuse::Kept,
    /// Recent lockfiles' URLs with credentials, likewise.
    kept_urls: crate::reuse::Kept<u32>,
    /// Rules' regex results by the bytes of the windows they searched.
    searched: crate::windows::Searched,
}

impl Engine {
    pub fn rules(&self) -> impl Iterator<Item = &Rule> {
        self.rules.iter().map(|c| c.rule.as_ref())
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules().find(|r| r.id == id)
    }

    /// Does a rule apply to a file at `path`? Rules restricted to some paths
    /// apply only there, and generic assignment rules never to lockfiles.
    pub fn applies_to_path(&self, rule_id: &str, path: &str) -> bool {
        let Some(c) = self.rules.iter().find(|c| c.rule.id == rule_id) else {
            return true;
        };
        // Generic assignments would take lockfile hashes for keys; anchored
        // rules (a URL with credentials) are what a lockfile can leak.
        if c.rule.generic && !c.rule.anchored && crate::lockfile::is_lockfile(path) {
            return false;
        }
        c.paths.admit(path)
    }

    /// Rules on file names: the files whose mere presence is a finding
    /// (keystores, PKCS#12 bundles).
    pub fn match_filename(&self, path: &str) -> Vec<Match> {
        let Some(names) = &self.names else {
            return Vec::new();
        };
        names
            .matching(path)
            .into_iter()
            .map(|i| &self.rules[i])
            .map(|c| Match {
                remedy: None,
                rule: c.rule.id.clone(),
                category: Category::Secret,
                severity: c.rule.severity,
                confidence: c.rule.confidence,
                secret: path.rsplit('/').next().unwrap_or(path).to_string(),
                line: 0,
                column: 0,
                context: format!("{} (the file itself)", path),
                detail: None,
            })
            .collect()
    }

    /// Searches every window afresh, keeping none (see `windows`).
    #[cfg(test)]
    pub(crate) fn forget_windows(&mut self) {
        self.searched = crate::windows::Searched::off();
    }

    /// How many windows' results are kept.
    #[cfg(test)]
    pub(crate) fn windows_kept(&self) -> usize {
        self.searched.len()
    }

    /// Every match in `content`.
    pub fn scan(&self, content: &Content<'_>) -> Vec<Match> {
        let mut out = Vec::new();
        self.scan_into(content, &mut |m| out.push(m));
        out
    }

    pub(crate) fn scan_into(&self, content: &Content<'_>, emit: &mut dyn FnMut(Match)) {
        self.scan_rules(content, Which::All, emit);
    }

    pub(crate) fn scan_rules(
        &self,
        content: &Content<'_>,
        which: Which<'_>,
        emit: &mut dyn FnMut(Match),
    ) {
        let Some(prefilter) = &self.prefilter else {
            return;
        };
        if content.is_binary() {
            // A key store is found by its bytes on the first pass.
            if matches!(which, Which::Only(_)) {
                return;
            }
            if let Some(id) = crate::magic::key_store_rule(content.data)
                && let Some(c) = self.rules.iter().find(|c| c.rule.id == id)
            {
                emit(Match {
                    remedy: None,
                    rule: c.rule.id.clone(),
                    category: Category::Secret,
                    severity: c.rule.severity,
                    confidence: c.rule.confidence,
                    secret: String::new(),
                    line: 0,
                    column: 0,
                    context: format!("a {} by its content", c.rule.name),
                    detail: None,
                });
            }
            return;
        }
        let data = content.data;
        if crate::lockfile::looks_like_lockfile(data)
            || content.path.is_some_and(crate::lockfile::is_lockfile)
        {
            // Line numbers counted from one line with a match to the next,
            // and only when a rule matched: indexing every line of a
            // lockfile of tens of thousands was a tenth of a JavaScript
            // history's time, and counting to each URL with a query (most
            // hold nothing) another 1%.
            let (mut counted, mut line_no) = (0, 1u32);
            let urls = self.lockfile_urls(content);
            for (s, e) in crate::lockfile::lines_of(data, &urls) {
                self.scan_text(
                    prefilter,
                    which,
                    &Content::new(&data[s..e], content.path),
                    &mut |mut m: Match| {
                        if counted < s {
                            line_no += newlines(&data[counted..s]);
                            counted = s;
                        }
                        m.line += line_no - 1;
                        emit(m)
                    },
                );
            }
            return;
        }
        self.scan_text(prefilter, which, content, emit);
    }

    /// Streams the keyword hits: each rule keeps one open window, searched
    /// as soon as the next hit falls past it, so memory does not grow with
    /// the number of hits and no byte is searched twice by one rule.
    fn scan_text(
        &self,
        prefilter: &Keywords,
        which: Which<'_>,
        content: &Content<'_>,
        emit: &mut dyn FnMut(Match),
    ) {
        let data = content.data;
        let lines = Lines::new(data);
        // One state per rule, kept on the thread from one piece of content
        // to the next: a lockfile's credential lines are each a piece, and
        // making and dropping hundreds of states for each was a tenth of
        // the time on a JavaScript history.
        let mut state = STATE.take();
        if state.len() != self.rules.len() {
            state.clear();
            state.resize_with(self.rules.len(), RuleState::default);
        }
        // The rules with a hit: most blobs touch a few of hundreds, and
        // only those are finished below (and reset for the next piece).
        let mut touched: Vec<u32> = Vec::new();
        let mut on_hit = |start: usize, end: usize, keyword: usize| {
            for &r in &self.keyword_rules[keyword] {
                if !which.runs(r) {
                    continue;
                }
                if !state[r as usize].checked {
                    touched.push(r);
                }
                self.hit(r, (start, end), content, &lines, &mut state[r as usize]);
            }
        };
        self.keyword_hits(prefilter, content, &mut on_hit);
        let mut found: Vec<(u32, Match, Span)> = Vec::new();
        touched.sort_unstable();
        for r in touched {
            let r = r as usize;
            let st = &mut state[r];
            if let Some(w) = st.window.take() {
                self.search(r as u32, content, w, &lines, st);
            }
            let more = st.more;
            let mut kept = std::mem::take(&mut st.kept);
            if more > 0
                && let Some((first, _)) = kept.first_mut()
            {
                first.detail = Some(format!("and {more} more in this file"));
            }
            found.extend(kept.into_iter().map(|(m, s)| (r as u32, m, s)));
            *st = RuleState::default();
        }
        let found = led_by_a_pair(found, &|r| self.rules[r as usize].rule.id.clone());
        STATE.set(state);
        for m in self.most_specific(found, content.path.is_some()) {
            emit(m);
        }
    }

    /// Where a lockfile's URLs with credentials start. A delta whose base's
    /// are kept has them moved and only its new lines searched (see
    /// `lockfile::derive`); a lockfile's are kept for the deltas made from
    /// it.
    fn lockfile_urls(&self, content: &Content<'_>) -> Vec<usize> {
        let data = content.data;
        let Some(lineage) = content.lineage else {
            return crate::lockfile::credential_urls(data);
        };
        let derived = lineage.base.and_then(|b| {
            let base = self.kept_urls.get(b.id, b.len)?;
            crate::lockfile::derive(data, b.len, &base, b.copies)
        });
        let urls = derived.unwrap_or_else(|| crate::lockfile::credential_urls(data));
        if u32::try_from(data.len()).is_ok() {
            let starts = urls.iter().map(|&at| at as u32).collect();
            self.kept_urls.put(lineage.id, data.len(), starts);
        }
        urls
    }

    /// Every keyword hit in `content`, in order. A delta whose base's hits
    /// are kept has them moved and only its new bytes scanned (see
    /// `reuse`); a blob's hits are kept for the deltas made from it.
    fn keyword_hits(
        &self,
        prefilter: &Keywords,
        content: &Content<'_>,
        on_hit: &mut dyn FnMut(usize, usize, usize),
    ) {
        let data = content.data;
        let Some(lineage) = content
            .lineage
            .filter(|_| u32::try_from(data.len()).is_ok())
        else {
            prefilter.each(data, on_hit);
            return;
        };
        let derived = lineage.base.and_then(|b| {
            let hits = self.kept.get(b.id, b.len)?;
            crate::reuse::derive(prefilter, data, b.len, &hits, b.copies)
        });
        let hits = match derived {
            Some(hits) => {
                for &(s, e, k) in &hits {
                    on_hit(s as usize, e as usize, k as usize);
                }
                Some(hits)
            }
            None => {
                let mut hits = Some(Vec::new());
                prefilter.each(data, &mut |s, e, k| {
                    on_hit(s, e, k);
                    if let Some(v) = &mut hits {
                        if v.len() < crate::reuse::MAX_HITS {
                            v.push((s as u32, e as u32, k as u32));
                        } else {
                            hits = None;
                        }
                    }
                });
                hits
            }
        };
        if let Some(hits) = hits {
            self.kept.put(lineage.id, data.len(), hits);
        }
    }

    /// One keyword hit of rule `r` at `(ks, ke)`.
    fn hit(
        &self,
        r: u32,
        (ks, ke): (usize, usize),
        content: &Content<'_>,
        lines: &Lines<'_>,
        st: &mut RuleState,
    ) {
        let c = &self.rules[r as usize];
        let data = content.data;
        if !st.checked {
            st.checked = true;
            // A pattern that does not compile was reported by `rules check`
            // and when the config was loaded; here it simply never matches.
            let compiles = c.pattern.as_ref().is_some_and(|p| p.get().is_ok());
            let applies = content
                .path
                .is_none_or(|path| self.applies_to_path(&c.rule.id, path));
            st.off = !(compiles && applies);
        }
        if st.off {
            return;
        }
        let we = (ke + c.rule.window).min(data.len());
        if c.pattern.as_ref().is_some_and(Pattern::anchored) {
            if ks < st.last_end {
                return;
            }
            let Some(p) = c.pattern.as_ref().and_then(|p| p.get().ok()) else {
                return;
            };
            if let Some(g) = p.first(&data[ks..we]) {
                st.last_end = ks + g.whole.end;
                self.found(c, content, ks, &g, lines, st);
            }
            return;
        }
        // Merge the windows around each hit so that no byte is searched twice.
        let ws = line_start(data, ks, LOOK_BACK).max(st.last_end);
        match &mut st.window {
            Some(w) if ws <= w.1 => {
                w.0 = w.0.min(ws);
                w.1 = w.1.max(we);
            }
            open => {
                if let Some(w) = open.replace((ws, we)) {
                    self.search(r, content, w, lines, st);
                }
            }
        }
    }

    /// Runs a rule's regex over one merged window.
    fn search(
        &self,
        r: u32,
        content: &Content<'_>,
        (ws, we): (usize, usize),
        lines: &Lines<'_>,
        st: &mut RuleState,
    ) {
        let c = &self.rules[r as usize];
        let Some(p) = c.pattern.as_ref().and_then(|p| p.get().ok()) else {
            return;
        };
        if ws >= we {
            return;
        }
        st.last_end = we;
        let hay = &content.data[ws..we];
        // The same bytes were searched by this rule before (see `windows`).
        let key = self.searched.key(r, hay);
        if let Some(kept) = key.as_ref().and_then(|k| self.searched.get(k)) {
            for g in kept.iter() {
                self.found(c, content, ws, g, lines, st);
            }
            return;
        }
        // Matches are handled as they come; a window with many is not kept.
        let mut seen: Option<Vec<Groups>> = key.is_some().then(Vec::new);
        p.each(hay, &mut |g| {
            if let Some(v) = &mut seen {
                if v.len() < crate::windows::MAX_GROUPS {
                    v.push(g.clone());
                } else {
                    seen = None;
                }
            }
            self.found(c, content, ws, &g, lines, st)
        });
        if let (Some(k), Some(v)) = (key, seen) {
            self.searched.put(k, &v);
        }
    }

    fn found(
        &self,
        c: &Compiled,
        content: &Content<'_>,
        base: usize,
        g: &Groups,
        lines: &Lines<'_>,
        st: &mut RuleState,
    ) {
        let Some(sm) = &g.secret else {
            return;
        };
        let (start, end) = (base + sm.start, base + sm.end);
        let secret = &content.data[start..end];
        if secret.is_empty() || secret.len() > MAX_SECRET {
            return;
        }
        if st.kept.len() < MAX_PER_RULE {
            let name = g
                .name
                .clone()
                .map(|r| &content.data[base + r.start..base + r.end]);
            if let Some(m) = self.judge(c, secret, start, name, lines) {
                let span = Span {
                    secret: (start, end),
                    whole: base + g.whole.start,
                };
                st.kept.push((m, span));
            }
        } else if self.plausible(c, secret) {
            // Past the cap only the cheap checks run: a count needs no
            // context, and building one per match was most of the time.
            st.more += 1;
        }
    }

    /// When several rules find the same secret on the same line (a GitHub
    /// token in a `password = "..."` line), keep only the most specific:
    /// provider rules before generic ones, then higher confidence, then
    /// higher severity, then the longer secret.
    ///
    /// Without a path (a history blob), a rule that only applies to some
    /// paths may yet be dropped when the blob is located, so it neither
    /// hides nor is hidden here; located findings are de-duplicated again.
    fn most_specific(&self, mut found: Vec<(u32, Match)>, path_known: bool) -> Vec<Match> {
        if found.len() < 2 {
            return found.into_iter().map(|(_, m)| m).collect();
        }
        let mut aside = Vec::new();
        if !path_known {
            let (restricted, rest): (Vec<_>, Vec<_>) = found.into_iter().partition(|(r, _)| {
                let rule = &self.rules[*r as usize];
                rule.paths.is_some() || rule.rule.generic
            });
            found = rest;
            aside = restricted.into_iter().map(|(_, m)| m).collect();
        }
        let rank = |r: u32, m: &Match| {
            let rule = &self.rules[r as usize].rule;
            (
                !rule.generic,
                m.confidence,
                m.severity,
                m.secret.len(),
                std::cmp::Reverse(r),
            )
        };
        found.sort_by(|(ra, a), (rb, b)| {
            a.line
                .cmp(&b.line)
                .then_with(|| rank(*rb, b).cmp(&rank(*ra, a)))
        });
        let mut kept: Vec<Match> = Vec::with_capacity(found.len());
        let mut line_start = 0;
        for (_, m) in found {
            if kept.last().is_some_and(|k| k.line != m.line) {
                line_start = kept.len();
            }
            let overlaps = kept[line_start..].iter().any(|k| {
                k.secret.contains(m.secret.as_str()) || m.secret.contains(k.secret.as_str())
            });
            if !overlaps {
                kept.push(m);
            }
        }
        kept.extend(aside);
        kept
    }

    /// Compiles the patterns of the rules `which` selects now rather than on
    /// first use, and returns those that do not compile.
    pub fn compile_now(&self, which: impl Fn(&Rule) -> bool) -> Vec<(String, String)> {
        self.rules
            .iter()
            .filter(|c| which(&c.rule))
            .filter_map(|c| {
                c.pattern
                    .as_ref()?
                    .check()
                    .err()
                    .map(|e| (c.rule.id.clone(), e))
            })
            .collect()
    }

    /// The checks on the secret alone: its validator and its entropy.
    fn plausible(&self, c: &Compiled, secret: &[u8]) -> bool {
        c.validator.is_none_or(|v| v.check(secret))
            && c.rule.min_entropy.is_none_or(|min| shannon(secret) >= min)
    }

    fn judge(
        &self,
        c: &Compiled,
        secret: &[u8],
        start: usize,
        name: Option<&[u8]>,
        lines: &Lines<'_>,
    ) -> Option<Match> {
        let rule = &c.rule;
        if !self.plausible(c, secret) {
            return None;
        }
        let secret_str = String::from_utf8_lossy(secret).into_owned();
        let context = lines.context(start, CONTEXT);
        let name = name.map(String::from_utf8_lossy);
        if decoy::check(&secret_str, &context, name.as_deref(), rule.generic).is_some()
            || decoy::embedded(lines.data(), start, secret.len())
        {
            return None;
        }
        if ignores(context.as_bytes(), &rule.id)
            || comment_ignores(lines.previous_line(start), &rule.id)
        {
            return None;
        }
        let (line, column) = lines.position(start);
        // A secret in a presigned URL: the URL around it, not the window
        // kept for the report, says when it was signed.
        let expired = context.contains("X-Amz-")
            && keepopen_findings::presigned::expired(&lines.context(start, 8192)).is_some();
        Some(Match {
            remedy: None,
            rule: rule.id.clone(),
            category: Category::Secret,
            severity: rule.severity,
            confidence: rule.confidence,
            secret: secret_str,
            line,
            column,
            context,
            detail: expired.then(|| keepopen_findings::presigned::REASON.to_string()),
        })
    }
}

#[cfg(test)]
#[path = "engine_tests.rs"]
mod tests;
