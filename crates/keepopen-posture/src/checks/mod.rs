//! The registry: one line per file-based check.

use crate::{Check, CheckResult, Evidence, Status};

mod binary_artifacts;
mod ci_hygiene;
mod committed_env;
mod dependency_automation;
mod licence;
pub mod maintained;
mod ownership;
mod pinned_dependencies;
mod security_policy;

pub(crate) static REGISTRY: &[&dyn Check] = &[
    &ownership::Ownership,
    &security_policy::SecurityPolicy,
    &licence::Licence,
    &dependency_automation::DependencyAutomation,
    &ci_hygiene::CiHygiene,
    &binary_artifacts::BinaryArtifacts,
    &pinned_dependencies::PinnedDependencies,
    &committed_env::CommittedEnvAndDumps,
];

/// Each check's name and what it looks at, with its fix: the catalogue
/// entries of `posture-…` ids.
pub(crate) static ABOUT: &[(&str, &str, &str, &str)] = &[
    (
        ownership::ID,
        "Ownership",
        "Whether the repository names who owns it: a CODEOWNERS file, or a README naming maintainers and a contact. GDS's minimum standard asks every open repository to have an owner.",
        ownership::FIX,
    ),
    (
        security_policy::ID,
        "Disclosure route",
        "Whether a SECURITY.md or security.txt gives a private route to report a vulnerability (Scorecard Security-Policy).",
        security_policy::FIX,
    ),
    (
        licence::ID,
        "Licence",
        "Whether a licence file in the top folder holds a recognised open licence's text (Scorecard License).",
        licence::FIX,
    ),
    (
        dependency_automation::ID,
        "Dependency automation",
        "Whether Dependabot covers each package ecosystem the lockfiles use, or Renovate is configured (Scorecard Dependency-Update-Tool).",
        dependency_automation::FIX,
    ),
    (
        ci_hygiene::ID,
        "CI hygiene",
        "Whether CI runs secret scanning, dependency scanning, static analysis and tests on every change (Scorecard SAST, as far as files show it).",
        ci_hygiene::FIX,
    ),
    (
        binary_artifacts::ID,
        "Binary artifacts",
        "Whether executables and compiled artifacts are committed, where no reviewer can read them (Scorecard Binary-Artifacts).",
        binary_artifacts::FIX,
    ),
    (
        pinned_dependencies::ID,
        "Pinned dependencies",
        "Whether actions, base images and installs are pinned by hash or digest, and nothing fetched from the network is piped to a shell (Scorecard Pinned-Dependencies).",
        pinned_dependencies::FIX,
    ),
    (
        committed_env::ID,
        "Committed .env files and dumps",
        "Whether .env files, database dumps or similar files, which usually hold credentials or data, are committed.",
        committed_env::FIX,
    ),
    (
        maintained::ID,
        "Maintained",
        "Whether the repository has had commits in the last 90 days (Scorecard Maintained); code nobody maintains should be archived.",
        maintained::FIX,
    ),
];

pub(crate) fn result(
    id: &'static str,
    status: Status,
    score: Option<u8>,
    evidence: Vec<Evidence>,
    fix: &'static str,
) -> CheckResult {
    CheckResult {
        id,
        status,
        score,
        evidence,
        fix,
    }
}

#[cfg(test)]
pub(crate) fn tree(files: &[(&str, &str)]) -> crate::Tree {
    crate::Tree::from_files(
        files
            .iter()
            .map(|(p, c)| ((*p).to_owned(), c.as_bytes().to_vec()))
            .collect(),
    )
}
