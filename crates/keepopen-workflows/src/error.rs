//! Why a file could not be audited, always naming the file.

/// A workflow file that could not be audited. The scan reports it and goes on.
#[derive(Debug, thiserror::Error)]
pub enum WorkflowError {
    /// The text is not YAML at all.
    #[error("{path}: invalid YAML{}: {message}", at_line(*line))]
    InvalidYaml {
        path: String,
        line: Option<u32>,
        message: String,
    },
    /// An `action.yml` that is not an action's metadata.
    #[error("{path}: not an action{}: {message}", at_line(*line))]
    NotAnAction {
        path: String,
        line: Option<u32>,
        message: String,
    },
    /// The bytes are not text GitHub would read (it reads UTF-8).
    #[error("{path}: {message}")]
    Encoding { path: String, message: String },
    /// Nested too deeply to parse safely; the file is skipped.
    #[error("{path}: {message}")]
    TooDeep { path: String, message: String },
    /// The text is YAML but not a GitHub Actions workflow.
    #[error("{path}: not a workflow{}: {message}", at_line(*line))]
    NotAWorkflow {
        path: String,
        line: Option<u32>,
        message: String,
    },
}

impl WorkflowError {
    /// The file the error is about.
    pub fn path(&self) -> &str {
        match self {
            Self::InvalidYaml { path, .. }
            | Self::NotAWorkflow { path, .. }
            | Self::NotAnAction { path, .. }
            | Self::Encoding { path, .. }
            | Self::TooDeep { path, .. } => path,
        }
    }
}

fn at_line(line: Option<u32>) -> String {
    line.map(|l| format!(" at line {l}")).unwrap_or_default()
}
