//! Small text and path helpers the checks share.

use std::sync::LazyLock;

use regex::Regex;

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
        .unwrap_or_else(|_| unreachable!())
});

/// Lines with their 1-based numbers.
pub fn lines(text: &str) -> impl Iterator<Item = (u32, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, line)| (u32::try_from(i + 1).unwrap_or(u32::MAX), line))
}

pub fn has_email(text: &str) -> bool {
    EMAIL.is_match(text)
}

/// The last path component.
pub fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The folder a path sits in, `""` at the top.
pub fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// The lower-cased extension, without the dot.
pub fn extension(path: &str) -> Option<String> {
    let name = file_name(path);
    let (stem, ext) = name.rsplit_once('.')?;
    (!stem.is_empty()).then(|| ext.to_ascii_lowercase())
}

/// Lower case with every run of whitespace made one space, so that phrases
/// match across line wraps.
pub fn normalise(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// CI and automation files that run commands: GitHub workflows, Azure,
/// GitLab, pre-commit, CircleCI and Jenkins.
pub fn is_ci_config(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let yaml = lower.ends_with(".yml") || lower.ends_with(".yaml");
    (lower.starts_with(".github/workflows/") && yaml)
        || matches!(
            lower.as_str(),
            "azure-pipelines.yml"
                | "azure-pipelines.yaml"
                | ".gitlab-ci.yml"
                | ".gitlab-ci.yaml"
                | ".pre-commit-config.yaml"
                | ".pre-commit-config.yml"
                | ".circleci/config.yml"
                | ".circleci/config.yaml"
        )
        || file_name(path) == "Jenkinsfile"
}

/// Dockerfiles and Containerfiles by their usual names.
pub fn is_dockerfile(path: &str) -> bool {
    let name = file_name(path).to_ascii_lowercase();
    name == "dockerfile"
        || name == "containerfile"
        || name.starts_with("dockerfile.")
        || name.ends_with(".dockerfile")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert!(has_email("write to team@example.gov.uk please"));
        assert!(!has_email("@org/team"));
        assert_eq!(parent("a/b/c"), "a/b");
        assert_eq!(parent("c"), "");
        assert_eq!(extension("a/.env"), None);
        assert_eq!(extension("a/x.TAR"), Some("tar".into()));
        assert!(is_ci_config(".github/workflows/ci.yml"));
        assert!(is_dockerfile("build/Dockerfile.dev"));
    }
}
