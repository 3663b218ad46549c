//! What a run could not do, said with the name of the thing: a file, an
//! object, a pack, a repository. No problem stops a run.

use std::fmt;

/// How bad a problem is: a `Skip` is a file deliberately not scanned (too
/// large, a special file); an `Error` is something that should have been
/// scanned and could not be.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Note,
    Skip,
    Error,
}

/// A problem with one named thing: a file, an object, a pack, a repository.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub level: Level,
    pub subject: String,
    pub message: String,
}

impl Problem {
    pub fn error(subject: impl Into<String>, message: impl fmt::Display) -> Self {
        Problem {
            level: Level::Error,
            subject: subject.into(),
            message: message.to_string(),
        }
    }
    pub fn skip(subject: impl Into<String>, message: impl fmt::Display) -> Self {
        Problem {
            level: Level::Skip,
            subject: subject.into(),
            message: message.to_string(),
        }
    }
    pub fn note(subject: impl Into<String>, message: impl fmt::Display) -> Self {
        Problem {
            level: Level::Note,
            subject: subject.into(),
            message: message.to_string(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.subject, self.message)
    }
}
