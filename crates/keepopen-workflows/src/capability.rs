//! How much of a `github` or `runner` context value an outsider can choose,
//! from what GitHub documents each value to be. Written from the context and
//! webhook-payload documentation rather than taken from zizmor's generated
//! table, so it is rule-shaped: a value is judged by its name.
//!
//! - **Fixed**: numbers, booleans, timestamps, hex SHAs, GitHub-assigned ids,
//!   enumerations, account logins (letters, digits and hyphens only) and
//!   values the repository itself sets. Expanding them cannot inject.
//! - **Structured**: git ref names and URLs. Their shape is constrained, but
//!   a branch name may still hold `$(…)`, `;` or `|`.
//! - **Arbitrary**: free text anyone can write: titles, bodies, messages,
//!   names, labels, e-mail addresses, head branches, payloads.

/// See the module documentation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Capability {
    Arbitrary,
    Structured,
    Fixed,
}

use Capability::{Arbitrary, Fixed, Structured};

/// `github.X` outside the event payload, by name. Names not listed are
/// treated as arbitrary, as zizmor does: a new context is not trusted until
/// someone has looked at it.
const GITHUB: &[(&str, Capability)] = &[
    ("action", Fixed),
    ("action_path", Fixed),
    ("action_ref", Structured),
    ("action_repository", Fixed),
    ("action_status", Fixed),
    ("actor", Fixed),
    ("actor_id", Fixed),
    ("api_url", Fixed),
    ("base_ref", Structured),
    ("env", Fixed),
    ("event_name", Fixed),
    ("event_path", Fixed),
    ("graphql_url", Fixed),
    ("head_ref", Arbitrary),
    ("job", Fixed),
    ("output", Fixed),
    ("path", Fixed),
    ("ref", Structured),
    ("ref_name", Structured),
    ("ref_protected", Fixed),
    ("ref_type", Fixed),
    ("repository", Fixed),
    ("repository_id", Fixed),
    ("repository_owner", Fixed),
    ("repository_owner_id", Fixed),
    ("repositoryurl", Fixed),
    ("retention_days", Fixed),
    ("run_attempt", Fixed),
    ("run_id", Fixed),
    ("run_number", Fixed),
    ("secret_source", Fixed),
    ("server_url", Fixed),
    ("sha", Fixed),
    ("state", Fixed),
    ("token", Fixed),
    ("triggering_actor", Fixed),
    ("workflow", Structured),
    ("workflow_ref", Structured),
    ("workflow_sha", Fixed),
    ("workspace", Fixed),
];

/// Event payload fields whose last name alone says they are fixed.
const EVENT_FIXED: &[&str] = &[
    "action",
    "additions",
    "after",
    "archived",
    "author_association",
    "before",
    "changed_files",
    "comments",
    "commits",
    "conclusion",
    "created",
    "default",
    "deleted",
    "deletions",
    "disabled",
    "distinct",
    "draft",
    "event",
    "forced",
    "fork",
    "id",
    "line",
    "locked",
    "login",
    "maintainer_can_modify",
    "mergeable",
    "merged",
    "number",
    "original_line",
    "position",
    "prerelease",
    "private",
    "ref_type",
    "review_comments",
    "run_attempt",
    "run_number",
    "sha",
    "side",
    "site_admin",
    "size",
    "start_line",
    "state",
    "status",
    "type",
    "verified",
    "visibility",
];

/// Suffixes and prefixes of fixed payload fields: ids, counts, timestamps,
/// SHAs and flags.
const EVENT_FIXED_SUFFIXES: &[&str] = &["_id", "_count", "_at", "_sha", "_enforcement_level"];
const EVENT_FIXED_PREFIXES: &[&str] = &["is_", "has_", "allow_", "require_"];
/// Payload ids that are free text despite the name.
const EVENT_ARBITRARY_IDS: &[&str] = &["external_id", "client_id"];

/// The capability of a context pattern (lowercase, dotted, indexes as `*`,
/// as `Context::as_pattern` gives it), or `None` outside `github.*` and
/// `runner.*`.
pub(crate) fn of(pattern: &str) -> Option<Capability> {
    let mut parts = pattern.split('.');
    match parts.next()? {
        "runner" => return Some(Fixed),
        "github" => {}
        _ => return None,
    }
    let rest: Vec<&str> = parts.collect();
    match rest.as_slice() {
        // `github` itself, e.g. `toJSON(github)`.
        [] => Some(Arbitrary),
        ["event"] => Some(Arbitrary),
        ["event", fields @ ..] => Some(event_field(fields)),
        [name, ..] => Some(
            GITHUB
                .iter()
                .find(|(n, _)| n == name)
                .map_or(Arbitrary, |&(_, c)| c),
        ),
    }
}

fn event_field(fields: &[&str]) -> Capability {
    let Some(last) = fields.last().copied() else {
        return Arbitrary;
    };
    // A whole object or array, e.g. `github.event.pull_request` or
    // `github.event.commits.*`, carries its free-text fields with it.
    if last == "*" {
        return Arbitrary;
    }
    if EVENT_ARBITRARY_IDS.contains(&last) {
        return Arbitrary;
    }
    if EVENT_FIXED.contains(&last)
        || EVENT_FIXED_SUFFIXES.iter().any(|s| last.ends_with(s))
        || EVENT_FIXED_PREFIXES.iter().any(|p| last.starts_with(p))
    {
        return Fixed;
    }
    if last == "url" || last == "href" || last.ends_with("_url") {
        return Structured;
    }
    Arbitrary
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_text_is_arbitrary() {
        for p in [
            "github.event.issue.title",
            "github.event.pull_request.body",
            "github.event.pull_request.head.ref",
            "github.event.pull_request.head.label",
            "github.event.pull_request.head.repo.default_branch",
            "github.event.comment.body",
            "github.event.commits.*.message",
            "github.event.head_commit.author.email",
            "github.event.pages.*.page_name",
            "github.event.workflow_run.head_branch",
            "github.event.client_payload.anything",
            "github.event",
            "github.event.pull_request.labels.*",
            "github.head_ref",
            "github.some_future_context",
        ] {
            assert_eq!(of(p), Some(Arbitrary), "{p}");
        }
    }

    #[test]
    fn numbers_shas_ids_and_flags_are_fixed() {
        for p in [
            "github.event.issue.number",
            "github.event.pull_request.head.sha",
            "github.event.after",
            "github.event.workflow_run.head_sha",
            "github.event.pull_request.user.id",
            "github.event.pull_request.merged",
            "github.event.pull_request.created_at",
            "github.event.repository.stargazers_count",
            "github.event.repository.has_issues",
            "github.event.sender.login",
            "github.sha",
            "github.run_id",
            "github.repository",
            "github.actor",
            "github.workspace",
            "runner.os",
            "runner.temp",
        ] {
            assert_eq!(of(p), Some(Fixed), "{p}");
        }
    }

    #[test]
    fn refs_and_urls_are_structured() {
        for p in [
            "github.ref_name",
            "github.ref",
            "github.base_ref",
            "github.event.pull_request.html_url",
            "github.event.release.upload_url",
        ] {
            assert_eq!(of(p), Some(Structured), "{p}");
        }
    }

    #[test]
    fn other_contexts_are_left_to_the_caller() {
        for p in [
            "inputs.name",
            "env.X",
            "steps.a.outputs.b",
            "matrix.os",
            "vars.X",
        ] {
            assert_eq!(of(p), None, "{p}");
        }
        assert_eq!(of("github.event.pull_request.external_id"), Some(Arbitrary));
    }
}
