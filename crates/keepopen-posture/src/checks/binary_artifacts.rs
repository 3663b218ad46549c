//! `posture-binary-artifacts`: no compiled binaries committed, which nobody
//! can review and which may hide anything.
//!
//! Follows Scorecard's Binary-Artifacts (`checks/raw/binary_artifact.go`,
//! scored in `checks/evaluation/binary_artifacts.go`). A non-empty file
//! counts when its first bytes announce an executable (ELF, Mach-O or Java
//! class, PE, WebAssembly, Dalvik, RPM, Debian package or Chrome extension),
//! or when its extension is on Scorecard's list (plus keepopen's `bin`,
//! `com`, `war`, `ear` and `apk`) and its first 1024 bytes are not text in
//! Scorecard's sense: a control character other than tab, CR or LF. One
//! difference is kept on purpose: "MZ" at the start of an otherwise textual
//! file with no listed extension does not count, where Scorecard's sniffer
//! calls it a PE executable.
//!
//! The score is Scorecard's: 10 less one per artifact, never below 0.
//! Scorecard exempts `gradle-wrapper.jar` only when a wrapper-validation
//! workflow has passed on the latest commit, which needs the hosting API;
//! offline it counts, as it does when Scorecard scans a local folder.

use super::result;
use crate::text::{extension, file_name, is_ci_config};
use crate::{About, Check, CheckResult, Evidence, Status, Tree};

pub struct BinaryArtifacts;

const ID: &str = "posture-binary-artifacts";
const FIX: &str = "Remove committed binaries and build them from source in CI, publishing them as release assets instead.";
const ABOUT: About = About {
    id: ID,
    name: "Binary artifacts",
    description: "Whether executables and compiled artifacts are committed, where no reviewer can read them (Scorecard Binary-Artifacts).",
    fix: FIX,
};

/// Scorecard's binary extensions, and keepopen's additions at the end.
const EXTENSIONS: &[&str] = &[
    "crx", "deb", "dex", "dey", "elf", "o", "a", "so", "macho", "iso", "class", "jar", "bundle",
    "dylib", "lib", "msi", "dll", "drv", "efi", "exe", "ocx", "pyc", "pyo", "par", "rpm", "wasm",
    "whl", "bin", "com", "war", "ear", "apk",
];

/// How many bytes Scorecard reads to decide.
const SNIFF: usize = 1024;

impl Check for BinaryArtifacts {
    fn about(&self) -> &'static About {
        &ABOUT
    }

    fn run(&self, tree: &Tree) -> CheckResult {
        let mut evidence = Vec::new();
        for path in tree.paths() {
            let Some(bytes) = tree.bytes(path) else {
                continue;
            };
            if bytes.is_empty() {
                continue;
            }
            let head = &bytes[..bytes.len().min(SNIFF)];
            let ext = extension(path);
            let listed = ext.as_deref().is_some_and(|e| EXTENSIONS.contains(&e));
            let textual = is_text(head);
            let magic = magic(head).filter(|m| *m != "PE" || !textual || listed);
            let binary_listed = listed && !textual;
            if magic.is_none() && !binary_listed {
                continue;
            }
            let what = magic.unwrap_or("binary content");
            let kind = ext.map_or_else(|| "no extension".to_owned(), |e| format!(".{e}"));
            let mut note = format!("binary artifact ({kind}, {what})");
            if file_name(path) == "gradle-wrapper.jar" {
                note.push_str(&gradle_note(tree));
            }
            evidence.push(Evidence::new(path, 0, note));
        }
        let count = u8::try_from(evidence.len().min(10)).unwrap_or(10);
        let status = if evidence.is_empty() {
            Status::Pass
        } else {
            Status::Fail
        };
        result(ID, status, Some(10 - count), evidence, FIX)
    }
}

fn gradle_note(tree: &Tree) -> String {
    let validated = tree.paths().filter(|p| is_ci_config(p)).any(|p| {
        tree.text(p).is_some_and(|t| {
            t.contains("gradle/wrapper-validation-action@")
                || t.contains("gradle/actions/wrapper-validation@")
        })
    });
    if validated {
        "; a workflow validates it, but Scorecard exempts it only after a passing run on the latest commit, which needs the hosting API".to_owned()
    } else {
        "; no workflow validates it with gradle/actions/wrapper-validation".to_owned()
    }
}

/// Scorecard's text test: no control character other than tab, LF or CR,
/// looking at every byte that has 3 more after it.
fn is_text(head: &[u8]) -> bool {
    let checked = head.len().saturating_sub(3);
    !head[..checked]
        .iter()
        .any(|&b| b < b' ' && !matches!(b, b'\n' | b'\t' | b'\r'))
}

/// The executable format a file's first bytes announce.
fn magic(bytes: &[u8]) -> Option<&'static str> {
    const MAGICS: &[(&[u8], &str)] = &[
        (b"\x7fELF", "ELF"),
        (b"\xfe\xed\xfa\xce", "Mach-O"),
        (b"\xfe\xed\xfa\xcf", "Mach-O"),
        (b"\xce\xfa\xed\xfe", "Mach-O"),
        (b"\xcf\xfa\xed\xfe", "Mach-O"),
        (b"\xca\xfe\xba\xbe", "Java class or Mach-O universal"),
        (b"\0asm", "WebAssembly"),
        (b"\xed\xab\xee\xdb", "RPM"),
        (b"dex\n", "Dalvik"),
        (b"dey\n", "Dalvik"),
        (b"!<arch>\ndebian-binary", "Debian package"),
        (b"Cr24", "Chrome extension"),
        (b"MZ", "PE"),
    ];
    MAGICS
        .iter()
        .find(|(m, _)| bytes.starts_with(m))
        .map(|(_, name)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Tree;

    fn bin_tree(files: &[(&str, &[u8])]) -> Tree {
        Tree::from_files(
            files
                .iter()
                .map(|(p, b)| ((*p).to_owned(), b.to_vec()))
                .collect(),
        )
    }

    #[test]
    fn clean_tree_passes() {
        let t = bin_tree(&[
            ("src/main.rs", b"fn main() {}"),
            ("notes.lib", b"just text"),
            ("latin1.so", b"caf\xe9 au lait, no control bytes"),
            ("empty.exe", b""),
            ("docs/old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0\0"),
            ("MZ.txt", b"MZ is a postcode"),
        ]);
        let r = BinaryArtifacts.run(&t);
        assert_eq!((r.status, r.score), (Status::Pass, Some(10)), "{r:#?}");
    }

    #[test]
    fn each_artifact_costs_one_point() {
        let t = bin_tree(&[
            ("tool.exe", b"MZ\x90\0\x03\0"),
            ("lib/x.jar", b"PK\x03\x04rest"),
            ("Foo.class", b"\xca\xfe\xba\xbe\0\0"),
            ("bin/run", b"\x7fELF\x02\x01"),
            (
                "gradle/wrapper/gradle-wrapper.jar",
                b"PK\x03\x04\x14\0\x08\0",
            ),
            ("data.zip", b"PK\x03\x04"),
            ("x.so", b"text\x1bwith escape"),
        ]);
        let r = BinaryArtifacts.run(&t);
        assert_eq!((r.status, r.score), (Status::Fail, Some(4)));
        let paths: Vec<_> = r.evidence.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "Foo.class",
                "bin/run",
                "gradle/wrapper/gradle-wrapper.jar",
                "lib/x.jar",
                "tool.exe",
                "x.so"
            ]
        );
        assert!(r.evidence[2].note.contains("no workflow validates it"));
    }

    #[test]
    fn validated_gradle_wrapper_still_counts_offline() {
        let t = bin_tree(&[
            (
                "gradle/wrapper/gradle-wrapper.jar",
                b"PK\x03\x04\x14\0\x08\0",
            ),
            (
                ".github/workflows/gradle.yml",
                b"steps:\n  - uses: gradle/actions/wrapper-validation@v4\n",
            ),
        ]);
        let r = BinaryArtifacts.run(&t);
        assert_eq!(r.score, Some(9));
        assert!(r.evidence[0].note.contains("needs the hosting API"));
    }

    #[test]
    fn text_test_skips_the_last_three_bytes() {
        assert!(is_text(b"ab\0"));
        assert!(is_text(b"abcd\0\0\0"));
        assert!(!is_text(b"abc\0\0\0\0"));
        assert!(is_text(b"tab\tline\r\nend"));
    }

    #[test]
    fn score_floors_at_zero() {
        let files: Vec<_> = (0..12)
            .map(|i| (format!("m{i}.so"), b"\x7fELF".to_vec()))
            .collect();
        let r = BinaryArtifacts.run(&Tree::from_files(files));
        assert_eq!(r.score, Some(0));
        assert_eq!(r.evidence.len(), 12);
        let files: Vec<_> = (0..9)
            .map(|i| (format!("m{i}.so"), b"\x7fELF".to_vec()))
            .collect();
        assert_eq!(BinaryArtifacts.run(&Tree::from_files(files)).score, Some(1));
    }
}
