//! Why a secret finding guards nothing, if it does: each reason lowers the
//! finding to `low`, keeps it from blocking and is shown beside it. One
//! place asks every such question, in order.

use crate::Match;

/// The first reason that holds for secret match `m` found at `path`.
pub(crate) fn why(m: &Match, path: &str) -> Option<&'static str> {
    crate::disposable::why(path, &m.context)
        // The secrets engine saw the whole URL (the context is a window)
        // and marked the match.
        .or_else(|| {
            (m.detail.as_deref() == Some(crate::presigned::REASON))
                .then_some(crate::presigned::REASON)
        })
        .or_else(|| crate::disposable::default_account(&m.rule, path))
        .or_else(|| {
            (m.rule == "password-hash" && crate::default_password::cracked(&m.secret).is_some())
                .then_some(crate::default_password::REASON)
        })
}
