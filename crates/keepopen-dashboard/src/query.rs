//! The filters pages and the API take, parsed and checked: an unknown
//! category, a negative offset or an over-long path is a 400 that names
//! the parameter and what it accepts.

use crate::error::ApiError;
use crate::snapshot::{Item, Org, Verdicts};
use keepopen_findings::{Category, Severity, TriageState};
use serde_json::Value;
use std::collections::HashMap;

pub type Params = HashMap<String, String>;

/// The most findings one page or answer holds.
pub const MAX_LIMIT: usize = 1000;
/// The furthest offset: past any run's findings.
pub const MAX_OFFSET: usize = 100_000_000;

fn text<'a>(q: &'a Params, name: &str) -> Result<Option<&'a str>, ApiError> {
    match q.get(name).map(String::as_str) {
        None | Some("") => Ok(None),
        Some(v) if v.len() > 4096 || v.contains('\0') => Err(ApiError::bad(format!(
            "{name}: at most 4,096 characters, and no NUL"
        ))),
        Some(v) => Ok(Some(v)),
    }
}

fn named<T: std::str::FromStr<Err = String>>(
    q: &Params,
    name: &str,
) -> Result<Option<T>, ApiError> {
    text(q, name)?
        .map(|v| {
            v.parse::<T>()
                .map_err(|e| ApiError::bad(format!("{name}: {e}")))
        })
        .transpose()
}

fn number(
    q: &Params,
    name: &str,
    default: usize,
    min: usize,
    max: usize,
) -> Result<usize, ApiError> {
    match text(q, name)? {
        None => Ok(default),
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| (min..=max).contains(n))
            .ok_or_else(|| {
                ApiError::bad(format!(
                    "{name}: `{}` is not a whole number from {min} to {max}",
                    keepopen_findings::printable(v)
                ))
            }),
    }
}

/// The `path` of a repository, required.
pub fn path(q: &Params) -> Result<&str, ApiError> {
    text(q, "path")?
        .ok_or_else(|| ApiError::bad("path: give the repository's path, as the run names it"))
}

/// Which triage state a finding is in.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum TriageFilter {
    Untriaged,
    Is(TriageState),
}

impl std::str::FromStr for TriageFilter {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        if s == "untriaged" {
            return Ok(TriageFilter::Untriaged);
        }
        s.parse::<TriageState>().map(TriageFilter::Is).map_err(|_| {
            format!("`{s}` is not one of untriaged, false-positive, accepted-risk, fixed")
        })
    }
}

/// The findings filters.
#[derive(Default, Debug)]
pub struct FindingFilter {
    pub repository: Option<String>,
    pub category: Option<Category>,
    pub severity: Option<Severity>,
    pub triage: Option<TriageFilter>,
    pub limit: usize,
    pub offset: usize,
}

impl FindingFilter {
    pub fn parse(q: &Params, default_limit: usize) -> Result<Self, ApiError> {
        Ok(FindingFilter {
            repository: text(q, "repository")?.map(str::to_string),
            category: named(q, "category")?,
            severity: named(q, "severity")?,
            triage: named(q, "triage")?,
            limit: number(q, "limit", default_limit, 1, MAX_LIMIT)?,
            offset: number(q, "offset", 0, 0, MAX_OFFSET)?,
        })
    }

    /// The findings that pass, in the run's order, and how many pass.
    pub fn apply<'a>(
        &self,
        org: &'a Org,
        verdicts: &Verdicts,
        now: i64,
    ) -> Result<(Vec<&'a Item>, usize), ApiError> {
        let repo = match &self.repository {
            Some(p) => Some(
                *org.by_path
                    .get(p)
                    .ok_or_else(|| crate::jobs::unknown_repository(p))?,
            ),
            None => None,
        };
        let items: &[Item] = match repo {
            // Items are in repository order: the one repository's slice.
            Some(r) => {
                let start = org.items.partition_point(|i| i.repo < r);
                let end = org.items.partition_point(|i| i.repo <= r);
                &org.items[start..end]
            }
            None => &org.items,
        };
        let mut total = 0;
        let mut page = Vec::new();
        for i in items {
            let pass = self.category.is_none_or(|c| i.html.category == c)
                && self.severity.is_none_or(|s| i.html.severity == s)
                && match self.triage {
                    None => true,
                    Some(TriageFilter::Untriaged) => {
                        verdicts.state(&i.html.fingerprint, now).is_none()
                    }
                    Some(TriageFilter::Is(t)) => {
                        verdicts.state(&i.html.fingerprint, now) == Some(t)
                    }
                };
            if pass {
                if total >= self.offset && page.len() < self.limit {
                    page.push(i);
                }
                total += 1;
            }
        }
        Ok((page, total))
    }

    /// The filters as a query string, for links to other pages of them.
    pub fn query(&self, offset: usize) -> String {
        let mut parts = Vec::new();
        if let Some(r) = &self.repository {
            parts.push(format!("repository={}", crate::pages::enc(r)));
        }
        if let Some(c) = self.category {
            parts.push(format!("category={}", c.as_str()));
        }
        if let Some(s) = self.severity {
            parts.push(format!("severity={}", s.as_str()));
        }
        match self.triage {
            Some(TriageFilter::Untriaged) => parts.push("triage=untriaged".into()),
            Some(TriageFilter::Is(t)) => parts.push(format!("triage={t}")),
            None => {}
        }
        if offset > 0 {
            parts.push(format!("offset={offset}"));
        }
        parts.join("&")
    }
}

/// The repositories filters: recommendation, class, text in the path.
pub struct RepoFilter {
    pub recommendation: Option<String>,
    pub class: Option<String>,
    pub text: Option<String>,
}

const RECOMMENDATIONS: [&str; 5] = [
    "open",
    "open-after-fixes",
    "exception-review",
    "archive",
    "error",
];

impl RepoFilter {
    pub fn parse(q: &Params) -> Result<Self, ApiError> {
        let recommendation = text(q, "recommendation")?.map(str::to_string);
        if let Some(r) = &recommendation
            && !RECOMMENDATIONS.contains(&r.as_str())
        {
            return Err(ApiError::bad(format!(
                "recommendation: `{}` is not one of {}",
                keepopen_findings::printable(r),
                RECOMMENDATIONS.join(", ")
            )));
        }
        Ok(RepoFilter {
            recommendation,
            class: text(q, "class")?.map(str::to_string),
            text: text(q, "q")?.map(str::to_lowercase),
        })
    }

    pub fn is_empty(&self) -> bool {
        self.recommendation.is_none() && self.class.is_none() && self.text.is_none()
    }

    pub fn pass(&self, row: &Value) -> bool {
        let t = |k: &str| row[k].as_str().unwrap_or("");
        self.recommendation
            .as_deref()
            .is_none_or(|r| t("recommendation") == r)
            && self.class.as_deref().is_none_or(|c| t("class") == c)
            && self
                .text
                .as_deref()
                .is_none_or(|q| t("path").to_lowercase().contains(q))
    }
}
