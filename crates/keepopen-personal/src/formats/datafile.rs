//! Binary data files that cannot be read safely here: R's `.rds` and
//! `.RData`, Parquet, Feather and Arrow, SPSS, Stata, SAS, SQLite and
//! Access. They are known by their first bytes (history blobs come without
//! names) and reported by kind and size; the name, once known, can raise
//! the severity (`patients.rds`, `hes_extract.parquet`).

use flate2::read::GzDecoder;
use keepopen_findings::Severity;
use std::io::Read;

/// The kind of data file `data` is, by its magic bytes.
pub fn kind(data: &[u8]) -> Option<&'static str> {
    let starts = |m: &[u8]| data.starts_with(m);
    Some(if starts(b"SQLite format 3\0") {
        "SQLite database"
    } else if starts(b"PAR1") && data.ends_with(b"PAR1") {
        "Parquet file"
    } else if starts(b"ARROW1") {
        "Feather/Arrow file"
    } else if starts(b"FEA1") {
        "Feather file"
    } else if starts(b"$FL2") || starts(b"$FL3") {
        "SPSS data file"
    } else if starts(b"<stata_dta>") {
        "Stata data file"
    } else if data.get(12..16) == Some(b"\xc2\xea\x81\x60") && data.len() > 32 {
        "SAS data file"
    } else if data.get(4..19) == Some(b"Standard Jet DB")
        || data.get(4..19) == Some(b"Standard ACE DB")
    {
        "Access database"
    } else if is_pickle(data) {
        // Often saved as `.sav` (a scikit-learn model), which is not SPSS.
        "pickled Python object"
    } else {
        r_kind(data)?
    })
}

/// A pickle of protocol 2 to 5: the PROTO opcode, then an opcode that
/// starts an object (a frame, a global, a container, a string).
fn is_pickle(data: &[u8]) -> bool {
    match data {
        [0x80, 4 | 5, 0x95, ..] => true,
        [0x80, 2 | 3, op, ..] => b"c}])(qXUKN\x8c".contains(op),
        _ => false,
    }
}

/// An IDE's cache of the code it indexed, never data about people:
/// Visual Studio's `.vs/` folder (`storage.ide`, `Browse.VC.db`) and its
/// `*.VC.db` beside a solution, JetBrains' `.idea/`.
pub fn ide_cache(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    lower.starts_with(".vs/")
        || lower.contains("/.vs/")
        || lower.starts_with(".idea/")
        || lower.contains("/.idea/")
        || name.ends_with(".ide")
        || name.ends_with(".vc.db")
        || name.ends_with(".vc.opendb")
}

/// R's serialised objects, plain or gzip-compressed (R's default).
fn r_kind(data: &[u8]) -> Option<&'static str> {
    let mut head = [0u8; 5];
    let plain;
    let h: &[u8] = if data.starts_with(b"\x1f\x8b") {
        let mut d = GzDecoder::new(data);
        let n = d.read(&mut head).ok()?;
        &head[..n]
    } else {
        plain = data.get(..5)?;
        plain
    };
    if h.starts_with(b"RDX2\n")
        || h.starts_with(b"RDX3\n")
        || h.starts_with(b"RDA2\n")
        || h.starts_with(b"RDA3\n")
    {
        Some("R workspace (.RData)")
    } else if h.starts_with(b"X\n\0\0\0") || h.starts_with(b"A\n") || h.starts_with(b"B\n") {
        Some("R data file (.rds)")
    } else {
        None
    }
}

/// The kind a file's extension gives, for data files whose bytes this does
/// not recognise (R files compressed with xz or bzip2, Stata before 13,
/// pickled data frames). `Thumbs.db` is Windows' cache of thumbnails.
pub fn by_extension(path: &str) -> Option<&'static str> {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    if name == "thumbs.db" {
        return None;
    }
    let ext = name.rsplit_once('.')?.1;
    Some(match ext {
        "rds" => "R data file (.rds)",
        "rdata" | "rda" => "R workspace (.RData)",
        "parquet" => "Parquet file",
        "feather" | "arrow" => "Feather/Arrow file",
        "sav" | "zsav" | "por" => "SPSS data file",
        "dta" => "Stata data file",
        "sas7bdat" | "xpt" => "SAS data file",
        "sqlite" | "sqlite3" | "db" => "SQLite database",
        "mdb" | "accdb" => "Access database",
        "pkl" | "pickle" => "pickled Python object",
        "h5" | "hdf5" => "HDF5 file",
        _ => return None,
    })
}

/// Could a file called `name` be a data file by its extension? Cheap: it
/// runs on every name in a history's trees.
pub fn may_be_named(name: &[u8]) -> bool {
    const EXTENSIONS: &[&[u8]] = &[
        b"rds",
        b"rdata",
        b"rda",
        b"parquet",
        b"feather",
        b"arrow",
        b"sav",
        b"zsav",
        b"por",
        b"dta",
        b"sas7bdat",
        b"xpt",
        b"sqlite",
        b"sqlite3",
        b"db",
        b"mdb",
        b"accdb",
        b"pkl",
        b"pickle",
        b"h5",
        b"hdf5",
    ];
    let Some(dot) = name.iter().rposition(|&b| b == b'.') else {
        return false;
    };
    let ext = &name[dot + 1..];
    EXTENSIONS.iter().any(|e| e.eq_ignore_ascii_case(ext))
}

/// Names that say a file holds records about people.
const PERSONAL_NAMES: &[&str] = &[
    "patient",
    "person",
    "people",
    "hes",
    "sus",
    "ecds",
    "apc",
    "extract",
    "cohort",
    "linked",
    "pseudo",
    "pid",
    "gp_",
    "admission",
    "episode",
    "record",
    "demograph",
    "mortality",
    "death",
    "cancer",
    "mental",
    "maternity",
    "nhs",
    "pii",
    "identif",
];

/// Severity by size: an empty test database is not an extract.
pub fn severity(size: usize) -> Severity {
    match size {
        0..=8_192 => Severity::Low,
        8_193..=1_048_576 => Severity::Medium,
        _ => Severity::High,
    }
}

/// Whether a file's name suggests records about people.
pub fn telling_name(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    PERSONAL_NAMES.iter().any(|w| name.contains(w))
}

/// The severity once the name is known: one step up when it suggests data
/// about people; a file that neither its name nor its size (over 1 MiB)
/// points at people is a review item (`info`), not evidence of a leak (a
/// public life-expectancy table saved as `.rds`).
pub fn by_name(severity: Severity, path: &str) -> Severity {
    if telling_name(path) {
        match severity {
            Severity::Info | Severity::Low => Severity::Medium,
            Severity::Medium => Severity::High,
            _ => Severity::Critical,
        }
    } else if severity < Severity::High {
        Severity::Info
    } else {
        severity
    }
}

/// `2.3 MB`, `512 bytes`.
pub fn size_text(n: usize) -> String {
    match n {
        0..=1023 => format!("{n} bytes"),
        1024..=1_048_575 => format!("{:.1} KB", n as f64 / 1024.0),
        _ => format!("{:.1} MB", n as f64 / 1_048_576.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::{Compression, write::GzEncoder};
    use std::io::Write;

    #[test]
    fn kinds_by_magic_bytes() {
        assert_eq!(kind(b"SQLite format 3\0rest"), Some("SQLite database"));
        assert_eq!(kind(b"PAR1....PAR1"), Some("Parquet file"));
        assert_eq!(kind(b"PAR1 but truncated"), None);
        assert_eq!(kind(b"$FL2@(#) IBM SPSS"), Some("SPSS data file"));
        assert_eq!(kind(b"<stata_dta><header>"), Some("Stata data file"));
        let mut mdb = vec![0u8; 4];
        mdb.extend_from_slice(b"Standard Jet DB\0");
        assert_eq!(kind(&mdb), Some("Access database"));
        assert_eq!(kind(b"plain text"), None);
        assert_eq!(
            kind(b"\x80\x04\x95\x10\0\0\0\0\0\0\0\x8c\x07sklearn"),
            Some("pickled Python object")
        );
        assert_eq!(
            kind(b"\x80\x03csklearn.pipeline\nPipeline\n"),
            Some("pickled Python object")
        );
        assert_eq!(kind(b"\x80\x03\x00\x01"), None);
    }

    #[test]
    fn ide_caches_are_known_by_path() {
        for p in [
            "IndicatorsUI/.vs/IndicatorsUI/v15/Server/sqlite3/storage.ide",
            ".vs/App/v17/Browse.VC.db",
            "src/App.VC.db",
            "web/.idea/dataSources/local.db",
        ] {
            assert!(ide_cache(p), "{p}");
        }
        for p in ["data/patients.db", "vs/extract.sqlite", "src/idea.db"] {
            assert!(!ide_cache(p), "{p}");
        }
    }

    #[test]
    fn r_files_are_read_through_gzip() {
        let mut e = GzEncoder::new(Vec::new(), Compression::default());
        e.write_all(b"X\n\0\0\0\x03\0\x04").expect("gzip");
        let rds = e.finish().expect("gzip");
        assert_eq!(kind(&rds), Some("R data file (.rds)"));
        let mut e = GzEncoder::new(Vec::new(), Compression::default());
        e.write_all(b"RDX3\nX\n").expect("gzip");
        assert_eq!(
            kind(&e.finish().expect("gzip")),
            Some("R workspace (.RData)")
        );
        assert_eq!(kind(b"\x1f\x8b\x08broken"), None);
    }

    #[test]
    fn extensions_name_what_bytes_cannot() {
        assert_eq!(
            by_extension("data/cohort.RData"),
            Some("R workspace (.RData)")
        );
        assert_eq!(by_extension("x/y.pkl"), Some("pickled Python object"));
        assert_eq!(by_extension("img/Thumbs.db"), None);
        assert_eq!(by_extension("README.md"), None);
        assert!(may_be_named(b"extract.parquet") && !may_be_named(b"main.rs"));
    }

    #[test]
    fn severity_rises_with_size_and_telling_names() {
        assert_eq!(severity(100), Severity::Low);
        assert_eq!(severity(5_000_000), Severity::High);
        assert_eq!(
            by_name(Severity::Medium, "data/hes_apc_2023.parquet"),
            Severity::High
        );
        assert_eq!(
            by_name(Severity::Medium, "data/lookup.parquet"),
            Severity::Info,
            "neither name nor size says people: a review item"
        );
        assert_eq!(
            by_name(severity(18_000), "outputs/inst/life_expectancy.rds"),
            Severity::Info
        );
        assert_eq!(
            by_name(severity(5_000_000), "data/lookup.parquet"),
            Severity::High,
            "big enough to hold records about many people"
        );
        assert_eq!(
            by_name(Severity::Low, "tests/patients.db"),
            Severity::Medium
        );
    }
}
