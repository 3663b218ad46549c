//! Loading records: one JSON or YAML file, a directory of them (the PyPA
//! database keeps YAML, RustSec's OSV export JSON), or an osv.dev
//! per-ecosystem `all.zip`. A record that does not parse is reported with
//! its file (and zip entry) and the rest load.

use crate::record::Record;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Why one file or entry could not be loaded.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{source_name}: {message}")]
pub struct LoadError {
    /// The file, or `archive.zip!entry.json`.
    pub source_name: String,
    pub message: String,
}

/// What a load found.
#[derive(Debug, Default)]
pub struct Loaded {
    pub records: Vec<Record>,
    pub errors: Vec<LoadError>,
}

/// Entries larger than this in an archive are not inflated: no advisory
/// is near it, and a zip bomb would be.
const MAX_ENTRY: u64 = 16 * 1024 * 1024;

/// Loads every record under `path`.
pub fn load(path: &Path) -> Loaded {
    let mut out = Loaded::default();
    if path.is_dir() {
        let mut files = Vec::new();
        walk(path, &mut files, &mut out);
        files.sort();
        for f in files {
            load_file(&f, &mut out);
        }
    } else {
        load_file(path, &mut out);
    }
    out
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, out: &mut Loaded) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            out.errors.push(err(dir, e));
            return;
        }
    };
    for entry in entries.flatten() {
        let p = entry.path();
        // Links are not followed: a loop would never end.
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            walk(&p, files, out);
        } else if kind.is_file() && record_ext(&p).is_some() {
            files.push(p);
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Yaml,
    Zip,
}

fn record_ext(p: &Path) -> Option<Format> {
    match p.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "json" => Some(Format::Json),
        "yaml" | "yml" => Some(Format::Yaml),
        "zip" => Some(Format::Zip),
        _ => None,
    }
}

fn err(p: &Path, e: impl std::fmt::Display) -> LoadError {
    LoadError {
        source_name: p.display().to_string(),
        message: e.to_string(),
    }
}

fn load_file(p: &Path, out: &mut Loaded) {
    let data = match std::fs::read(p) {
        Ok(d) => d,
        Err(e) => {
            out.errors.push(err(p, e));
            return;
        }
    };
    let name = p.display().to_string();
    match record_ext(p) {
        Some(Format::Zip) => load_zip(&name, &data, out),
        Some(Format::Yaml) => push(parse_yaml(&data), &name, out),
        _ => push(parse_json(&data), &name, out),
    }
}

fn push(r: Result<Vec<Record>, String>, name: &str, out: &mut Loaded) {
    match r {
        Ok(mut rs) => out.records.append(&mut rs),
        Err(message) => out.errors.push(LoadError {
            source_name: name.to_string(),
            message,
        }),
    }
}

/// A JSON record, or an array of them.
pub fn parse_json(data: &[u8]) -> Result<Vec<Record>, String> {
    let t = data.trim_ascii_start();
    if t.starts_with(b"[") {
        serde_json::from_slice(data).map_err(|e| e.to_string())
    } else {
        serde_json::from_slice(data)
            .map(|r| vec![r])
            .map_err(|e| e.to_string())
    }
}

/// A YAML record.
pub fn parse_yaml(data: &[u8]) -> Result<Vec<Record>, String> {
    yaml_serde::from_slice(data)
        .map(|r| vec![r])
        .map_err(|e| e.to_string())
}

fn load_zip(name: &str, data: &[u8], out: &mut Loaded) {
    let mut archive = match zip::ZipArchive::new(std::io::Cursor::new(data)) {
        Ok(a) => a,
        Err(e) => {
            out.errors.push(LoadError {
                source_name: name.to_string(),
                message: format!("not a readable zip archive: {e}"),
            });
            return;
        }
    };
    for i in 0..archive.len() {
        let mut entry = match archive.by_index(i) {
            Ok(e) => e,
            Err(e) => {
                out.errors.push(LoadError {
                    source_name: format!("{name}!#{i}"),
                    message: e.to_string(),
                });
                continue;
            }
        };
        let inner = entry.name().map(|n| n.to_string()).unwrap_or_default();
        let entry_name = format!("{name}!{inner}");
        let format = record_ext(Path::new(&inner));
        if entry.is_dir() || !matches!(format, Some(Format::Json | Format::Yaml)) {
            continue;
        }
        if entry.size() > MAX_ENTRY {
            out.errors.push(LoadError {
                source_name: entry_name,
                message: format!(
                    "declares {} bytes; entries over {MAX_ENTRY} are not read",
                    entry.size()
                ),
            });
            continue;
        }
        let mut buf = Vec::new();
        if let Err(e) = (&mut entry).take(MAX_ENTRY + 1).read_to_end(&mut buf) {
            out.errors.push(LoadError {
                source_name: entry_name,
                message: e.to_string(),
            });
            continue;
        }
        let parsed = if format == Some(Format::Yaml) {
            parse_yaml(&buf)
        } else {
            parse_json(&buf)
        };
        push(parsed, &entry_name, out);
    }
}
