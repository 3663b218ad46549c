//! A job's `container:` and `services:` images are pulled by tag unless given
//! an `@sha256:` digest, so a re-pushed tag changes what the job runs.

use github_actions_models::common::expr::LoE;
use github_actions_models::workflow::job::Container;
use keepopen_findings::{Confidence, Severity};

use crate::context::Ctx;
use crate::{AuditInfo, Finding};

pub(crate) const INFO: AuditInfo = AuditInfo {
    id: "workflow-unpinned-images",
    name: "Unpinned container images",
    description: "Job container and service images without an @sha256: digest can be replaced by re-pushing the tag.",
    severity: Severity::Medium,
};

pub(crate) fn run(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (id, job) in cx.normal_jobs() {
        let containers = job
            .container
            .iter()
            .map(|c| (format!("jobs.{id}.container"), c))
            .chain(
                job.services
                    .iter()
                    .map(|(name, c)| (format!("jobs.{id}.services.{name}"), c)),
            );
        for (path, container) in containers {
            let (location, image) = match container {
                Container::Name(image) => (path, image),
                Container::Container { image, .. } => (format!("{path}.image"), image),
            };
            if let LoE::Literal(image) = image
                && image.hash().is_none()
            {
                out.push(cx.finding(
                    &INFO,
                    Severity::Medium,
                    Confidence::High,
                    location,
                    None,
                    format!(
                        "image `{}` is not pinned to an @sha256: digest",
                        image.raw()
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audits::findings;

    #[test]
    fn tagged_container_and_service_images_are_unpinned() {
        let f = findings(
            INFO.id,
            "on: push\njobs:\n  a:\n    runs-on: x\n    container: node:20\n    services:\n      db:\n        image: postgres:16\n    steps: [{run: echo}]\n",
        );
        let got: Vec<_> = f.iter().map(|f| (f.line, f.location.as_str())).collect();
        assert_eq!(
            got,
            [(5, "jobs.a.container"), (8, "jobs.a.services.db.image")]
        );
    }

    #[test]
    fn digests_are_clean() {
        let f = findings(
            INFO.id,
            "on: push\njobs:\n  a:\n    runs-on: x\n    container:\n      image: node@sha256:0000000000000000000000000000000000000000000000000000000000000000\n    steps: [{run: echo}]\n",
        );
        assert!(f.is_empty());
    }
}
