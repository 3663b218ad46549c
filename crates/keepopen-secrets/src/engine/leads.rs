//! An AWS key ID and the pair it starts: one credential, not two.

use keepopen_findings::{Match, Severity};

/// Where a kept match lies in its content.
#[derive(Clone, Copy)]
pub(super) struct Span {
    pub(super) secret: (usize, usize),
    pub(super) whole: usize,
}

/// A key ID that a rule for the whole key (`AKIA…` then its secret) found
/// as the start of its match is that key, not a second credential: the
/// ID's own match is kept (an ID is worth knowing, and gitleaks reports
/// it) but lowered to low, so that the fix plan counts one credential,
/// when it ends before the pair's secret starts and the pair is at least
/// as severe. (A match that holds the other's secret, a Sentry DSN holding
/// a URL's password, is not a lead's.)
pub(super) fn led_by_a_pair(
    mut found: Vec<(u32, Match, Span)>,
    rule_id: &dyn Fn(u32) -> String,
) -> Vec<(u32, Match)> {
    let leads: Vec<(Span, u32, Severity)> = found
        .iter()
        .filter(|(_, _, s)| s.whole < s.secret.0)
        .map(|(r, m, s)| (*s, *r, m.severity))
        .collect();
    for (r, m, s) in &mut found {
        let lead = leads.iter().find(|(lead, lr, sev)| {
            lead.whole == s.secret.0 && s.secret.1 <= lead.secret.0 && lr != r && *sev >= m.severity
        });
        if let Some((_, lr, _)) = lead {
            m.severity = m.severity.min(Severity::Low);
            let note = format!(
                "the start of the credential {} found with it: rotating that one retires this",
                rule_id(*lr)
            );
            m.detail = Some(match m.detail.take() {
                Some(d) => format!("{d}; {note}"),
                None => note,
            });
        }
    }
    found.into_iter().map(|(r, m, _)| (r, m)).collect()
}
