//! `labels.json`: what was planted where, and which values are decoys.

use std::path::Path;

use anyhow::Context;
use serde::{Deserialize, Serialize};

/// Where a planted secret can be found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// In the tree at HEAD of the default branch.
    Head,
    /// Committed on the default branch, then removed (file deleted or the
    /// line rewritten); only in history.
    Deleted,
    /// Only on a non-default branch.
    Branch,
    /// Only reachable from an annotated tag.
    Tag,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Head => "head",
            State::Deleted => "deleted",
            State::Branch => "branch",
            State::Tag => "tag",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Planted {
    pub id: String,
    pub family: String,
    pub kind: String,
    /// The secret as written in the file; `null` for binary key files,
    /// which are matched on path alone.
    pub secret: Option<String>,
    /// Repository-relative path with `/`.
    pub path: String,
    /// 1-based line in the commit that introduced it; `null` with `secret`.
    pub line: Option<u32>,
    pub state: State,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decoy {
    pub id: String,
    pub kind: String,
    pub value: String,
    pub path: String,
    /// 1-based line at HEAD.
    pub line: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Labels {
    pub version: u32,
    pub seed: u64,
    pub planted: Vec<Planted>,
    pub decoys: Vec<Decoy>,
}

impl Labels {
    pub fn read(path: &Path) -> anyhow::Result<Labels> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
    }

    pub fn write(&self, path: &Path) -> anyhow::Result<()> {
        let text = serde_json::to_string_pretty(self)? + "\n";
        std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
    }
}
