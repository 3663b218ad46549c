//! `posture-binary-artifacts`: no compiled binaries committed, which nobody
//! can review and which may hide anything.
//!
//! Follows Scorecard's Binary-Artifacts: a file counts when its extension is
//! on Scorecard's list (plus `bin`, `com`, `war`, `ear` and `apk`) and its
//! content is not plain text, or when it has no such extension but starts
//! with executable magic (ELF, Mach-O, Java class, or "MZ" on non-text). The
//! score is 10 less one per artifact, never below 0. A Gradle wrapper jar at
//! `gradle/wrapper/gradle-wrapper.jar` is exempt as Scorecard exempts a
//! validated one; its checksum is not validated here, which needs the
//! network.

use super::result;
use crate::text::{extension, looks_textual};
use crate::{Check, CheckResult, Evidence, Status, Tree};

pub struct BinaryArtifacts;

const ID: &str = "posture-binary-artifacts";
const FIX: &str = "Remove committed binaries and build them from source in CI, publishing them as release assets instead.";

/// Scorecard's binary extensions, and keepopen's additions at the end.
const EXTENSIONS: &[&str] = &[
    "crx", "deb", "dex", "dey", "elf", "o", "a", "so", "macho", "iso", "class", "jar", "bundle",
    "dylib", "lib", "msi", "dll", "drv", "efi", "exe", "ocx", "pyc", "pyo", "par", "rpm", "wasm",
    "whl", "bin", "com", "war", "ear", "apk",
];

impl Check for BinaryArtifacts {
    fn id(&self) -> &'static str {
        ID
    }

    fn run(&self, tree: &Tree) -> CheckResult {
        let mut evidence = Vec::new();
        for path in tree.paths() {
            if path.ends_with("gradle/wrapper/gradle-wrapper.jar") {
                continue;
            }
            let ext = extension(path);
            let listed = ext.as_deref().is_some_and(|e| EXTENSIONS.contains(&e));
            let Some(bytes) = tree.bytes(path) else {
                continue;
            };
            if bytes.is_empty() {
                continue;
            }
            let magic = magic(bytes);
            let binary = if listed {
                magic.is_some() || !looks_textual(bytes)
            } else {
                magic.is_some_and(|m| m != "zip" && (m != "PE" || !looks_textual(bytes)))
            };
            if binary {
                let what = magic.unwrap_or("binary content");
                let kind = ext.map_or_else(|| "no extension".to_owned(), |e| format!(".{e}"));
                evidence.push(Evidence::new(
                    path,
                    0,
                    format!("binary artifact ({kind}, {what})"),
                ));
            }
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

/// The executable or archive format a file's first bytes announce.
fn magic(bytes: &[u8]) -> Option<&'static str> {
    const MAGICS: &[(&[u8], &str)] = &[
        (b"\x7fELF", "ELF"),
        (b"\xfe\xed\xfa\xce", "Mach-O"),
        (b"\xfe\xed\xfa\xcf", "Mach-O"),
        (b"\xce\xfa\xed\xfe", "Mach-O"),
        (b"\xcf\xfa\xed\xfe", "Mach-O"),
        (b"\xca\xfe\xba\xbe", "Java class or Mach-O universal"),
        (b"\0asm", "WebAssembly"),
        (b"!<arch>\n", "ar archive"),
        (b"\xd0\xcf\x11\xe0", "OLE (MSI)"),
        (b"\xed\xab\xee\xdb", "RPM"),
        (b"dex\n", "Dalvik"),
        (b"PK\x03\x04", "zip"),
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
            ("empty.exe", b""),
        ]);
        let r = BinaryArtifacts.run(&t);
        assert_eq!((r.status, r.score), (Status::Pass, Some(10)));
    }

    #[test]
    fn artifacts_lower_the_score() {
        let t = bin_tree(&[
            ("tool.exe", b"MZ\x90\0\x03\0"),
            ("lib/x.jar", b"PK\x03\x04rest"),
            ("Foo.class", b"\xca\xfe\xba\xbe\0\0"),
            ("bin/run", b"\x7fELF\x02\x01"),
            ("gradle/wrapper/gradle-wrapper.jar", b"PK\x03\x04"),
            ("data.zip", b"PK\x03\x04"),
            ("MZ.txt", b"MZ is a postcode"),
        ]);
        let r = BinaryArtifacts.run(&t);
        assert_eq!((r.status, r.score), (Status::Fail, Some(6)));
        let paths: Vec<_> = r.evidence.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["Foo.class", "bin/run", "lib/x.jar", "tool.exe"]);
    }

    #[test]
    fn score_floors_at_zero() {
        let files: Vec<_> = (0..12)
            .map(|i| (format!("m{i}.so"), b"\x7fELF".to_vec()))
            .collect();
        let r = BinaryArtifacts.run(&Tree::from_files(files));
        assert_eq!(r.score, Some(0));
        assert_eq!(r.evidence.len(), 12);
    }
}
