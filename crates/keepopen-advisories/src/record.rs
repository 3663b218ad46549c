//! The OSV record, as the schema (https://ossf.github.io/osv-schema/)
//! defines it: only the fields matching and reporting use. Unknown fields
//! are ignored, so newer schema versions still load.

use serde::{Deserialize, Serialize};

/// One advisory.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct Record {
    pub id: String,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub aliases: Vec<String>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub details: Option<String>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub modified: Option<String>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub published: Option<String>,
    /// Set when the advisory was withdrawn: it then affects nothing.
    #[serde(default, skip_serializing_if = "is_empty")]
    pub withdrawn: Option<String>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub affected: Vec<Affected>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub severity: Vec<SeverityScore>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub references: Vec<Reference>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub database_specific: Option<serde_json::Value>,
}

/// A link about the advisory.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct Reference {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub url: String,
}

/// The versions of one package that an advisory affects.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct Affected {
    #[serde(default, skip_serializing_if = "is_empty")]
    pub package: Option<Package>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub ranges: Vec<Range>,
    /// Every affected version, listed.
    #[serde(default, skip_serializing_if = "is_empty")]
    pub versions: Vec<String>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub severity: Vec<SeverityScore>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub database_specific: Option<serde_json::Value>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct Package {
    /// With its suffix where it has one (`Debian:12`).
    pub ecosystem: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub purl: Option<String>,
}

/// A range of versions, as events in that ecosystem's order.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct Range {
    /// `SEMVER`, `ECOSYSTEM` or `GIT`.
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub events: Vec<Event>,
}

/// One event; exactly one field is set in a valid record.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct Event {
    #[serde(default, skip_serializing_if = "is_empty")]
    pub introduced: Option<String>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub fixed: Option<String>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub last_affected: Option<String>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub limit: Option<String>,
}

/// A severity: a CVSS vector (`CVSS_V3`, `CVSS_V4`) or an ecosystem's own.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct SeverityScore {
    #[serde(rename = "type")]
    pub kind: String,
    pub score: String,
}

/// Empty vectors and absent options are left out when a record is stored.
trait Empty {
    fn empty(&self) -> bool;
}
impl<T> Empty for Vec<T> {
    fn empty(&self) -> bool {
        self.is_empty()
    }
}
impl<T> Empty for Option<T> {
    fn empty(&self) -> bool {
        self.is_none()
    }
}
fn is_empty<T: Empty>(v: &T) -> bool {
    v.empty()
}

impl Record {
    /// The id and aliases (CVE, GHSA), the advisory's own id first.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.id.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}
