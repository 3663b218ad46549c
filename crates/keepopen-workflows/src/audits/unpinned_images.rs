//! A job's `container:` and `services:` images are pulled by tag unless given
//! an `@sha256:` digest, so a re-pushed tag changes what the job runs.
//!
//! No tag, or `latest`, is medium; a fixed tag without a digest is low (zizmor
//! leaves it to its pedantic persona, Scorecard's Pinned-Dependencies counts
//! it as unpinned). An image given by an expression is followed through its
//! possible values (string literals, and the job's literal matrix); one that
//! comes from elsewhere (an input, an output) cannot be checked and is
//! reported as "may be unpinned" with low confidence.

use github_actions_expressions::Expr;
use github_actions_expressions::literal::Literal;
use github_actions_models::common::DockerUses;
use github_actions_models::common::expr::LoE;
use github_actions_models::workflow::job::{Container, NormalJob};
use keepopen_findings::{Confidence, Severity};

use crate::context::{Ctx, matrix_entries};
use crate::expr::has_expression;
use crate::{AuditInfo, Finding};

pub(crate) const INFO: AuditInfo = AuditInfo {
    id: "workflow-unpinned-images",
    name: "Unpinned container images",
    description: "Job container and service images without an @sha256: digest can be replaced by re-pushing the tag.",
    severity: Severity::Medium,
    fix: "Pin container images by digest (`image: postgres@sha256:…`), with the tag in a comment.",
};

pub(crate) fn run(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (path, job, container) in cx.containers() {
        let (location, image) = match container {
            Container::Name(image) => (path, image),
            Container::Container { image, .. } => (format!("{path}.image"), image),
        };
        for v in judge(image, job) {
            let mut f = cx.finding(
                &INFO,
                v.severity,
                v.confidence,
                location.clone(),
                None,
                v.message,
            );
            // The image tells findings at one location apart.
            f.key = format!("{location} ({})", v.image);
            out.push(f);
        }
    }
}

/// One possible image and what is wrong with it.
struct Verdict {
    severity: Severity,
    confidence: Confidence,
    image: String,
    message: String,
}

fn judge(image: &LoE<DockerUses>, job: &NormalJob) -> Vec<Verdict> {
    let expr = match image {
        LoE::Literal(image) => return concrete(image).into_iter().collect(),
        LoE::Expr(e) => e.as_bare(),
    };
    let opaque = || {
        let image = format!("${{{{ {expr} }}}}");
        vec![Verdict {
            severity: Severity::Low,
            confidence: Confidence::Low,
            message: format!("image `{image}` comes from an expression and may be unpinned"),
            image,
        }]
    };
    let Ok(parsed) = Expr::parse(expr) else {
        return opaque();
    };
    let mut out = Vec::new();
    for leaf in parsed.leaf_expressions() {
        match &leaf.inner {
            Expr::Literal(Literal::String(s)) if s.is_empty() => {}
            Expr::Literal(Literal::String(s)) => {
                out.extend(concrete(&DockerUses::parse(s.as_ref())))
            }
            Expr::Context(c) if c.child_of("matrix") => {
                let Some(values) = c.single_tail().and_then(|k| matrix_values(job, k)) else {
                    return opaque();
                };
                out.extend(
                    values
                        .iter()
                        .filter_map(|v| concrete(&DockerUses::parse(v.as_str()))),
                );
            }
            _ => return opaque(),
        }
    }
    out
}

fn concrete(image: &DockerUses) -> Option<Verdict> {
    let (severity, how) = match (image.tag(), image.hash()) {
        (_, Some(_)) => return None,
        (Some("latest"), None) => (Severity::Medium, "uses the floating `latest` tag"),
        (Some(_), None) => (Severity::Low, "is not pinned to an @sha256: digest"),
        (None, None) => (Severity::Medium, "has no tag or digest"),
    };
    Some(Verdict {
        severity,
        confidence: Confidence::High,
        image: image.raw().to_owned(),
        message: format!("image `{}` {how}", image.raw()),
    })
}

/// Every literal value the job's matrix gives key `key`, as text; `None`
/// when any of them is an expression or not a scalar, or there is none.
fn matrix_values(job: &NormalJob, key: &str) -> Option<Vec<String>> {
    let values: Vec<Option<String>> = matrix_entries(job, key)?.into_iter().map(scalar).collect();
    let literal = values
        .iter()
        .all(|v| v.as_ref().is_some_and(|s| !has_expression(s)));
    (literal && !values.is_empty()).then(|| values.into_iter().flatten().collect())
}

fn scalar(v: &yaml_serde::Value) -> Option<String> {
    match v {
        yaml_serde::Value::String(s) => Some(s.clone()),
        yaml_serde::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audits::findings;

    fn got(text: &str) -> Vec<(u32, Severity, Confidence)> {
        findings(INFO.id, text)
            .iter()
            .map(|f| (f.line, f.severity, f.confidence))
            .collect()
    }

    #[test]
    fn tagged_container_and_service_images_are_unpinned() {
        let f = findings(
            INFO.id,
            "on: push\njobs:\n  a:\n    runs-on: x\n    container: node:20\n    services:\n      db:\n        image: postgres\n      c:\n        image: redis:latest\n    steps: [{run: echo}]\n",
        );
        let got: Vec<_> = f
            .iter()
            .map(|f| (f.line, f.location.as_str(), f.severity))
            .collect();
        assert_eq!(
            got,
            [
                (5, "jobs.a.container", Severity::Low),
                (8, "jobs.a.services.db.image", Severity::Medium),
                (10, "jobs.a.services.c.image", Severity::Medium),
            ]
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

    #[test]
    fn expressions_are_followed_through_literals_and_the_matrix() {
        let digest = "0".repeat(64);
        let wf = |image: &str, matrix: &str| {
            format!(
                "on: push\njobs:\n  a:\n    runs-on: x\n{matrix}    container:\n      image: {image}\n    steps: [{{run: echo}}]\n"
            )
        };
        let m = format!(
            "    strategy:\n      matrix:\n        img: [\"a@sha256:{digest}\", \"b:1\"]\n"
        );
        assert_eq!(
            got(&wf("${{ matrix.img }}", &m)),
            [(9, Severity::Low, Confidence::High)]
        );
        let pinned =
            format!("    strategy:\n      matrix:\n        img: [\"a@sha256:{digest}\"]\n");
        assert!(got(&wf("${{ matrix.img }}", &pinned)).is_empty());
        assert_eq!(
            got(&wf("${{ inputs.x && 'node' || 'ubuntu:24.04' }}", "")),
            [
                (6, Severity::Medium, Confidence::High),
                (6, Severity::Low, Confidence::High)
            ]
        );
        assert_eq!(
            got(&wf("${{ inputs.image }}", "")),
            [(6, Severity::Low, Confidence::Low)]
        );
        let dynamic = "    strategy:\n      matrix: ${{ fromJSON(needs.x.outputs.m) }}\n";
        assert_eq!(
            got(&wf("${{ matrix.img }}", dynamic)),
            [(8, Severity::Low, Confidence::Low)]
        );
    }
}
