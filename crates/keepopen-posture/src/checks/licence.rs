//! `posture-licence`: the repository says under what terms it is open.
//!
//! Finds licence files where Scorecard's License check looks
//! (`checks/raw/license.go`): in the top folder, a name containing
//! `LICENSE`, `LICENCE`, `COPYING`, `COPYRIGHT` or `PATENTS` (any case, with
//! an SPDX id or other word before or after it), and any file directly in
//! `LICENSES/`, each with no extension, a version-number extension or one of
//! `.adoc .asc .doc .docx .ext .html .markdown .md .rst .txt .xml`. Licence
//! files in `.github/` or `docs/` are reported but do not count: Scorecard
//! (and GitHub's licence API) does not look there.
//!
//! The score follows Scorecard's code, `checks/evaluation/license.go`: 9 for
//! a licence file, 1 more when a licence is FSF- or OSI-approved. (The docs
//! split the 9 as 6 for a file and 3 for the top folder, but Scorecard only
//! finds top-level files, so the code always gives both.) The licence is
//! recognised from the text, as GitHub's licence API does, or from an SPDX
//! id in the file name, as Scorecard's own heuristics do. The Open
//! Government Licence is recognised but is neither FSF nor OSI approved, so
//! it scores 9. The check passes when a licence is recognised.

use super::result;
use crate::text::{file_name, lines, normalise, parent};
use crate::{About, Check, CheckResult, Evidence, Status, Tree};

pub struct Licence;

const ID: &str = "posture-licence";
const FIX: &str = "Add a LICENSE file in the top folder with the full text of an open licence such as MIT or OGL-UK-3.0.";
const ABOUT: About = About {
    id: ID,
    name: "Licence",
    description: "Whether a licence file in the top folder holds a recognised open licence's text (Scorecard License).",
    fix: FIX,
};

/// Licence id, whether FSF/OSI approved, and phrases that must all appear
/// (lower case, whitespace collapsed). Earlier entries win, so the Lesser and
/// Affero GPLs come before the GPL they cite.
const KNOWN: &[(&str, bool, &[&str])] = &[
    ("LGPL", true, &["gnu lesser general public license"]),
    ("LGPL", true, &["gnu library general public license"]),
    ("AGPL-3.0", true, &["gnu affero general public license"]),
    (
        "GPL-3.0",
        true,
        &["gnu general public license", "version 3"],
    ),
    (
        "GPL-2.0",
        true,
        &["gnu general public license", "version 2"],
    ),
    ("Apache-2.0", true, &["apache license", "version 2.0"]),
    ("MPL-2.0", true, &["mozilla public license", "2.0"]),
    (
        "MIT",
        true,
        &["permission is hereby granted, free of charge, to any person obtaining a copy"],
    ),
    (
        "BSD-3-Clause",
        true,
        &[
            "redistribution and use in source and binary forms",
            "neither the name",
        ],
    ),
    (
        "BSD-2-Clause",
        true,
        &["redistribution and use in source and binary forms"],
    ),
    ("OGL-UK-3.0", false, &["open government licence", "3.0"]),
    (
        "Unlicense",
        true,
        &["this is free and unencumbered software released into the public domain"],
    ),
    ("CC0-1.0", true, &["cc0 1.0 universal"]),
    ("CC0-1.0", true, &["creative commons zero"]),
];

/// File extensions Scorecard accepts on a licence file.
const EXTENSIONS: &[&str] = &[
    "adoc", "asc", "doc", "docx", "ext", "html", "markdown", "md", "rst", "txt", "xml",
];

/// Words that make a top-level file a licence file for Scorecard.
const WORDS: &[&str] = &[
    "licenses",
    "licences",
    "license",
    "licence",
    "copying",
    "copyright",
    "patents",
    "patent",
];

impl Check for Licence {
    fn about(&self) -> &'static About {
        &ABOUT
    }

    fn run(&self, tree: &Tree) -> CheckResult {
        let mut found_file = false;
        let mut approved = false;
        let mut recognised = false;
        let mut evidence = Vec::new();
        for path in tree.paths() {
            let Some(stem) = licence_stem(path) else {
                if is_elsewhere(path) {
                    let note = "licence file outside the top folder and LICENSES/, where Scorecard does not look";
                    evidence.push(Evidence::new(path, 0, note));
                }
                continue;
            };
            found_file = true;
            let text = tree.text(path).unwrap_or_default();
            let by_text = recognise(&text);
            let known = by_text.or_else(|| spdx(&stem));
            let note = match (known, by_text.is_some()) {
                (Some((id, _)), true) => format!("licence file, recognised as {id}"),
                (Some((id, _)), false) => format!("licence file, {id} by its name"),
                (None, _) => "licence file, licence not recognised".to_owned(),
            };
            if let Some((_, ok)) = known {
                recognised = true;
                approved |= ok;
            }
            evidence.push(Evidence::new(path, 0, note));
        }
        let score = if found_file {
            9 + u8::from(approved)
        } else {
            0
        };
        let status = if recognised {
            Status::Pass
        } else {
            Status::Fail
        };
        result(ID, status, Some(score), evidence, FIX)
    }
}

/// For a file Scorecard takes as a licence file, what is left of its name
/// for an SPDX id: the name in `LICENSES/` without its extension, or the
/// words around `LICENSE` (or `COPYING`, …) in the top folder.
fn licence_stem(path: &str) -> Option<String> {
    let dir = parent(path);
    let name = file_name(path);
    let lower = name.to_ascii_lowercase();
    let stem = match lower.rsplit_once('.') {
        Some((stem, ext)) if EXTENSIONS.contains(&ext) => stem,
        Some((_, ext)) if ext.bytes().all(|b| b.is_ascii_digit()) => &lower,
        Some(_) => return None,
        None => &lower,
    };
    let rest = if dir.eq_ignore_ascii_case("LICENSES") {
        stem.to_owned()
    } else if dir.is_empty() {
        let word = WORDS.iter().find(|w| stem.contains(*w))?;
        stem.replacen(word, "", 1)
    } else {
        return None;
    };
    Some(rest.trim_matches(['-', '_', '.']).to_owned())
}

/// A licence file in `.github/` or `docs/`, which Scorecard does not find.
fn is_elsewhere(path: &str) -> bool {
    let lower = file_name(path).to_ascii_lowercase();
    matches!(parent(path), ".github" | "docs")
        && ["license", "licence", "copying"]
            .iter()
            .any(|w| lower.starts_with(w))
}

/// The known licence an SPDX id (or its start) names, ignoring case.
fn spdx(id: &str) -> Option<(&'static str, bool)> {
    let id = id.to_ascii_lowercase();
    if id == "un" {
        return Some(("Unlicense", true));
    }
    KNOWN
        .iter()
        .find(|(k, _, _)| !id.is_empty() && id.starts_with(&k.to_ascii_lowercase()))
        .map(|(k, approved, _)| (*k, *approved))
}

/// The licence a text carries, and whether it is FSF/OSI approved.
pub(crate) fn recognise(text: &str) -> Option<(&'static str, bool)> {
    for (_, line) in lines(text).take(20) {
        if let Some((_, id)) = line.split_once("SPDX-License-Identifier:")
            && let Some(known) = spdx(id.trim())
        {
            return Some(known);
        }
    }
    let norm = normalise(text);
    KNOWN
        .iter()
        .find(|(_, _, phrases)| phrases.iter().all(|p| norm.contains(p)))
        .map(|(id, approved, _)| (*id, *approved))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::tree;

    const MIT: &str = "MIT License\n\nPermission is hereby granted, free of charge, to any person\nobtaining a copy of this software";
    const OGL: &str =
        "Open Government Licence v3.0\nYou are encouraged to use and re-use the Information";
    const APACHE: &str = "Apache License\nVersion 2.0, January 2004";
    const LGPL: &str =
        "GNU LESSER GENERAL PUBLIC LICENSE\nVersion 3, 29 June 2007\nGNU General Public License";
    const BSD3: &str = "Redistribution and use in source and binary forms, with or without\nmodification ... Neither the name of the copyright holder";

    fn run(files: &[(&str, &str)]) -> (Status, Option<u8>) {
        let r = Licence.run(&tree(files));
        (r.status, r.score)
    }

    #[test]
    fn approved_licence_at_top_scores_ten() {
        let r = Licence.run(&tree(&[("LICENSE", MIT)]));
        assert_eq!((r.status, r.score), (Status::Pass, Some(10)));
        assert!(r.evidence[0].note.contains("MIT"));
    }

    #[test]
    fn recognises_common_licences() {
        assert_eq!(recognise(OGL), Some(("OGL-UK-3.0", false)));
        assert_eq!(recognise(APACHE), Some(("Apache-2.0", true)));
        assert_eq!(recognise(LGPL), Some(("LGPL", true)));
        assert_eq!(recognise(BSD3), Some(("BSD-3-Clause", true)));
        assert_eq!(
            recognise("// SPDX-License-Identifier: MPL-2.0"),
            Some(("MPL-2.0", true))
        );
    }

    #[test]
    fn unapproved_or_unrecognised_licence_file_scores_nine() {
        // Scorecard's code: 9 for the file, whatever it says.
        assert_eq!(run(&[("LICENCE.md", OGL)]), (Status::Pass, Some(9)));
        let rights = [("COPYRIGHT.txt", "All rights reserved.")];
        assert_eq!(run(&rights), (Status::Fail, Some(9)));
    }

    #[test]
    fn spdx_id_in_the_name_counts() {
        for name in ["LICENSES/Apache-2.0.txt", "LICENSE-MIT", "MIT-LICENSE.md"] {
            assert_eq!(
                run(&[(name, "see upstream")]),
                (Status::Pass, Some(10)),
                "{name}"
            );
        }
        assert_eq!(run(&[("UNLICENSE", "x")]), (Status::Pass, Some(10)));
        assert_eq!(run(&[("LICENSE-2.0.txt", "x")]), (Status::Fail, Some(9)));
    }

    #[test]
    fn reuse_folder_counts() {
        assert_eq!(run(&[("LICENSES/MIT.txt", MIT)]), (Status::Pass, Some(10)));
        assert_eq!(run(&[("LICENSES/x/MIT.txt", MIT)]), (Status::Fail, Some(0)));
    }

    #[test]
    fn names_scorecard_does_not_take_score_zero() {
        for name in [
            "LICENSE.MIT",
            "COPYING.LESSER",
            "license_check.py",
            "src/LICENSE",
        ] {
            assert_eq!(run(&[(name, MIT)]), (Status::Fail, Some(0)), "{name}");
        }
    }

    #[test]
    fn docs_and_github_folders_are_reported_not_counted() {
        let r = Licence.run(&tree(&[("docs/COPYING", MIT)]));
        assert_eq!((r.status, r.score), (Status::Fail, Some(0)));
        assert!(r.evidence[0].note.contains("where Scorecard does not look"));
    }
}
