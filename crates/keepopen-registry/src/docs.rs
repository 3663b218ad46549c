//! `docs/rules.md`: every id's documentation, generated from the catalogue
//! so that it can never drift from what `keepopen explain` says. SARIF's
//! `helpUri` points at an anchor here.

use crate::{Catalogue, DETECTORS};
use std::fmt::Write;

pub(crate) fn markdown(c: &Catalogue) -> String {
    let mut out = String::from(
        "# keepopen rules\n\n\
         Generated from the detector registry (`crates/keepopen-registry`) by\n\
         `KEEPOPEN_UPDATE_DOCS=1 cargo test -p keepopen-registry`; do not edit by hand.\n\
         Every id works in `keepopen:ignore[ID]` comments, `rules.disable`, baselines,\n\
         SARIF and `keepopen explain ID`.\n",
    );
    for d in DETECTORS {
        let rules: Vec<_> = c
            .rules()
            .iter()
            .filter(|r| c.detector_of(&r.id) == Some(d.name))
            .collect();
        let _ = write!(
            out,
            "\n## {} ({}): {} ids\n",
            d.name,
            d.summary,
            rules.len()
        );
        for r in rules {
            let _ = write!(
                out,
                "\n<a id=\"{id}\"></a>\n### `{id}`: {name}\n\n\
                 Category `{cat}`, default severity {sev}, found by {kind}.\n\n{desc}\n\n\
                 **Fix.** {fix}\n",
                id = r.id,
                name = r.name,
                cat = r.category,
                sev = r.severity,
                kind = r.kind.as_str(),
                desc = r.description.trim(),
                fix = r.fix,
            );
            if let Some(url) = &r.revoke {
                let _ = write!(out, "\nRevoke and reissue it at <{url}>.\n");
            }
            if !r.references.is_empty() {
                out.push_str("\nReferences:");
                for link in &r.references {
                    let _ = write!(out, " <{link}>");
                }
                out.push('\n');
            }
        }
    }
    out
}
