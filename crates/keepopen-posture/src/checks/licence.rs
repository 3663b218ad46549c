//! `posture-licence`: the repository says under what terms it is open.
//!
//! Finds LICENSE, LICENCE, COPYING and UNLICENSE files (any case, any
//! extension or suffix) in the top folder, `LICENSES/`, `.github/` or
//! `docs/`, and recognises the common licences by distinctive phrases or an
//! `SPDX-License-Identifier`. Scored as Scorecard's License check: 6 for a
//! licence file, 3 more when it is in the top folder (or `LICENSES/`), 1 more
//! for an FSF- or OSI-approved licence. The Open Government Licence is
//! recognised but is neither, so it scores 9. Passes when a licence is
//! recognised.

use super::result;
use crate::text::{file_name, lines, normalise, parent};
use crate::{Check, CheckResult, Evidence, Status, Tree};

pub struct Licence;

const ID: &str = "posture-licence";
const FIX: &str = "Add a LICENSE file in the top folder with the full text of an open licence such as MIT or OGL-UK-3.0.";

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

impl Check for Licence {
    fn id(&self) -> &'static str {
        ID
    }

    fn run(&self, tree: &Tree) -> CheckResult {
        let mut best: Option<u8> = None;
        let mut evidence = Vec::new();
        let mut recognised = false;
        for path in tree.paths().filter(|p| is_licence_file(p)) {
            let top = matches!(parent(path), "" | "LICENSES");
            let Some(text) = tree.text(path) else {
                continue;
            };
            let found = recognise(&text);
            let mut score = 6 + if top { 3 } else { 0 };
            let note = match found {
                Some((id, approved)) => {
                    recognised = true;
                    score += u8::from(approved);
                    format!("licence file, recognised as {id}")
                }
                None => "licence file, licence not recognised".to_owned(),
            };
            evidence.push(Evidence::new(path, 0, note));
            best = Some(best.map_or(score, |b| b.max(score)));
        }
        let status = if recognised {
            Status::Pass
        } else {
            Status::Fail
        };
        result(ID, status, Some(best.unwrap_or(0)), evidence, FIX)
    }
}

fn is_licence_file(path: &str) -> bool {
    let dir = parent(path);
    if dir == "LICENSES" {
        return true;
    }
    if !matches!(dir, "" | ".github" | "docs") {
        return false;
    }
    let name = file_name(path).to_ascii_lowercase();
    ["license", "licence", "copying", "unlicense"]
        .iter()
        .any(|stem| name.starts_with(stem))
}

/// The licence a text carries, and whether it is FSF/OSI approved.
pub(crate) fn recognise(text: &str) -> Option<(&'static str, bool)> {
    for (_, line) in lines(text).take(20) {
        if let Some((_, id)) = line.split_once("SPDX-License-Identifier:") {
            let id = id.trim();
            let known = KNOWN.iter().find(|(k, _, _)| id.starts_with(k));
            if let Some((k, approved, _)) = known {
                return Some((k, *approved));
            }
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

    #[test]
    fn mit_at_top_scores_ten() {
        let r = Licence.run(&tree(&[("LICENSE", MIT)]));
        assert_eq!(r.status, Status::Pass);
        assert_eq!(r.score, Some(10));
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
    fn ogl_scores_nine() {
        let r = Licence.run(&tree(&[("LICENCE.md", OGL)]));
        assert_eq!((r.status, r.score), (Status::Pass, Some(9)));
    }

    #[test]
    fn reuse_folder_counts_as_top() {
        let r = Licence.run(&tree(&[("LICENSES/MIT.txt", MIT)]));
        assert_eq!(r.score, Some(10));
    }

    #[test]
    fn unrecognised_or_missing_fails() {
        let r = Licence.run(&tree(&[("docs/COPYING", "All rights reserved.")]));
        assert_eq!((r.status, r.score), (Status::Fail, Some(6)));
        let r = Licence.run(&tree(&[("src/LICENSE", MIT)]));
        assert_eq!((r.status, r.score), (Status::Fail, Some(0)));
    }
}
