//! The registry: one line per file-based check.

use crate::{Check, CheckResult, Evidence, Status};

mod binary_artifacts;
mod ci_hygiene;
mod committed_env;
pub mod dependency_automation;
mod licence;
pub mod maintained;
mod ownership;
mod pinned_dependencies;
mod security_policy;
mod sql_dump;

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
