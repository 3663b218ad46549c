//! `keepopen sbom`: a CycloneDX 1.5 JSON bill of materials of every package
//! the working tree's lockfiles pin (the NHS engineering framework asks
//! for one). Built from types frozen for the purpose, not internal structs;
//! deterministic for the same tree, so that it can be committed and diffed.

use keepopen_lockfiles::{Package, is_vendored, parser_for};
use packageurl::PackageUrl;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Bom {
    bom_format: &'static str,
    spec_version: &'static str,
    serial_number: String,
    version: u32,
    metadata: Metadata,
    components: Vec<Component>,
}

#[derive(Serialize)]
struct Metadata {
    tools: Tools,
    component: Subject,
}

#[derive(Serialize)]
struct Tools {
    components: Vec<Tool>,
}

#[derive(Serialize)]
struct Tool {
    #[serde(rename = "type")]
    kind: &'static str,
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Subject {
    #[serde(rename = "type")]
    kind: &'static str,
    name: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Component {
    #[serde(rename = "type")]
    kind: &'static str,
    bom_ref: String,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<String>,
    version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    purl: Option<String>,
    scope: &'static str,
    properties: Vec<Property>,
}

#[derive(Serialize)]
struct Property {
    name: &'static str,
    value: String,
}

/// What a bill of materials was made from, and what could not be read.
pub struct Built {
    pub bom: Bom,
    pub errors: Vec<String>,
    pub lockfiles: usize,
}

impl Built {
    /// How many components the bill lists.
    pub fn bom_components(&self) -> usize {
        self.bom.components.len()
    }
}

/// The package URL of `p` (https://github.com/package-url/purl-spec).
pub fn purl(p: &Package) -> Option<String> {
    let (ty, namespace, name) = match p.ecosystem {
        "crates.io" => ("cargo", None, p.name.as_str()),
        "PyPI" => ("pypi", None, p.name.as_str()),
        "RubyGems" => ("gem", None, p.name.as_str()),
        "NuGet" => ("nuget", None, p.name.as_str()),
        "CRAN" => ("cran", None, p.name.as_str()),
        "npm" => match p.name.strip_prefix('@').and_then(|s| s.split_once('/')) {
            Some((scope, n)) => ("npm", Some(format!("@{scope}")), n),
            None => ("npm", None, p.name.as_str()),
        },
        "Go" => match p.name.rsplit_once('/') {
            Some((ns, n)) => ("golang", Some(ns.to_string()), n),
            None => ("golang", None, p.name.as_str()),
        },
        "Packagist" => match p.name.split_once('/') {
            Some((ns, n)) => ("composer", Some(ns.to_string()), n),
            None => ("composer", None, p.name.as_str()),
        },
        "Maven" => match p.name.split_once(':') {
            Some((g, a)) => ("maven", Some(g.to_string()), a),
            None => ("maven", None, p.name.as_str()),
        },
        _ => return None,
    };
    let mut purl = PackageUrl::new(ty, name).ok()?;
    if let Some(ns) = &namespace {
        purl.with_namespace(ns.as_str()).ok()?;
    }
    purl.with_version(p.version.as_str()).ok()?;
    Some(purl.to_string())
}

/// Reads every lockfile under `root` (vendored folders and `.git` left
/// out, links not followed) and makes the bill of materials.
pub fn build(root: &Path) -> Built {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    collect(root, root, &mut files, &mut errors);
    files.sort();
    // One component per (purl or ecosystem/name, version), with every
    // lockfile that pins it.
    let mut by_key: BTreeMap<String, (Package, Vec<String>)> = BTreeMap::new();
    for rel in &files {
        let Some(parser) = parser_for(rel) else {
            continue;
        };
        let data = match std::fs::read(root.join(rel)) {
            Ok(d) => d,
            Err(e) => {
                errors.push(format!("{rel}: {e}"));
                continue;
            }
        };
        match parser.parse(rel, &data) {
            Ok(parsed) => {
                for p in parsed.packages {
                    let key = purl(&p)
                        .unwrap_or_else(|| format!("{}/{}@{}", p.ecosystem, p.name, p.version));
                    let entry = by_key.entry(key).or_insert_with(|| (p.clone(), Vec::new()));
                    // Needed anywhere at run time means needed.
                    entry.0.dev &= p.dev;
                    if !entry.1.contains(rel) {
                        entry.1.push(rel.clone());
                    }
                }
            }
            Err(e) => errors.push(e.to_string()),
        }
    }
    let components: Vec<Component> = by_key
        .into_iter()
        .map(|(key, (p, sources))| {
            let purl = purl(&p);
            let (group, name) = match p.ecosystem {
                "Maven" => match p.name.split_once(':') {
                    Some((g, a)) => (Some(g.to_string()), a.to_string()),
                    None => (None, p.name.clone()),
                },
                _ => (None, p.name.clone()),
            };
            let mut properties = vec![Property {
                name: "keepopen:ecosystem",
                value: p.ecosystem.to_string(),
            }];
            properties.extend(sources.into_iter().map(|s| Property {
                name: "keepopen:lockfile",
                value: s,
            }));
            Component {
                kind: "library",
                bom_ref: key,
                name,
                group,
                version: p.version.clone(),
                purl,
                scope: if p.dev { "optional" } else { "required" },
                properties,
            }
        })
        .collect();
    let subject = root
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "repository".to_string());
    let serial = serial(&components);
    Built {
        lockfiles: files.iter().filter(|f| parser_for(f).is_some()).count(),
        bom: Bom {
            bom_format: "CycloneDX",
            spec_version: "1.5",
            serial_number: serial,
            version: 1,
            metadata: Metadata {
                tools: Tools {
                    components: vec![Tool {
                        kind: "application",
                        name: "keepopen",
                        version: env!("CARGO_PKG_VERSION"),
                    }],
                },
                component: Subject {
                    kind: "application",
                    name: subject,
                },
            },
            components,
        },
        errors,
    }
}

/// A UUID (RFC 4122 version 5 layout) derived from the components, so the
/// same tree gives the same document.
fn serial(components: &[Component]) -> String {
    let mut h: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    for c in components {
        for b in c.bom_ref.bytes() {
            // FNV-1a, 128-bit.
            h ^= u128::from(b);
            h = h.wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013B);
        }
    }
    let h = (h & !(0xF << 76)) | (0x5 << 76);
    let h = (h & !(0x3 << 62)) | (0x2 << 62);
    let x = format!("{h:032x}");
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &x[..8],
        &x[8..12],
        &x[12..16],
        &x[16..20],
        &x[20..]
    )
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<String>, errors: &mut Vec<String>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push(format!("{}: {e}", dir.display()));
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let rel = path
            .strip_prefix(root)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        if kind.is_dir() {
            if entry.file_name() != ".git" && !is_vendored(&format!("{rel}/x")) {
                collect(root, &path, files, errors);
            }
        } else if kind.is_file() && parser_for(&rel).is_some() {
            files.push(rel);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pkg(eco: &'static str, name: &str, version: &str) -> Package {
        Package {
            ecosystem: eco,
            name: name.into(),
            version: version.into(),
            dev: false,
            line: 1,
        }
    }

    #[test]
    fn package_urls_follow_the_purl_types() {
        assert_eq!(
            purl(&pkg("npm", "@babel/core", "7.1.0")).as_deref(),
            Some("pkg:npm/%40babel/core@7.1.0")
        );
        assert_eq!(
            purl(&pkg("PyPI", "django", "4.2.1")).as_deref(),
            Some("pkg:pypi/django@4.2.1")
        );
        assert_eq!(
            purl(&pkg("Maven", "org.apache:commons", "1.0")).as_deref(),
            Some("pkg:maven/org.apache/commons@1.0")
        );
        assert_eq!(
            purl(&pkg("Go", "golang.org/x/net", "v0.1.0")).as_deref(),
            Some("pkg:golang/golang.org/x/net@v0.1.0")
        );
        assert_eq!(
            purl(&pkg("crates.io", "serde", "1.0.0")).as_deref(),
            Some("pkg:cargo/serde@1.0.0")
        );
    }

    #[test]
    fn a_tree_gives_one_component_per_package_with_its_lockfiles() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join("requirements.txt"),
            "Django==4.2.1\nrequests==2.31.0\n",
        )
        .expect("write");
        std::fs::create_dir_all(dir.path().join("api")).expect("dir");
        std::fs::write(dir.path().join("api/requirements.txt"), "django==4.2.1\n").expect("write");
        std::fs::create_dir_all(dir.path().join("node_modules/x")).expect("dir");
        std::fs::write(
            dir.path().join("node_modules/x/requirements.txt"),
            "evil==1.0\n",
        )
        .expect("write");
        let built = build(dir.path());
        assert!(built.errors.is_empty(), "{:?}", built.errors);
        assert_eq!(built.lockfiles, 2);
        let json = serde_json::to_value(&built.bom).expect("json");
        assert_eq!(json["bomFormat"], "CycloneDX");
        assert_eq!(json["specVersion"], "1.5");
        let comps = json["components"].as_array().cloned().unwrap_or_default();
        let purls: Vec<&str> = comps.iter().filter_map(|c| c["purl"].as_str()).collect();
        assert_eq!(
            purls,
            vec!["pkg:pypi/django@4.2.1", "pkg:pypi/requests@2.31.0"]
        );
        let django_sources = comps[0]["properties"].to_string();
        assert!(
            django_sources.contains("api/requirements.txt")
                && django_sources.contains("\"requirements.txt\""),
            "{django_sources}"
        );
        assert_eq!(
            build(dir.path()).bom.serial_number,
            built.bom.serial_number,
            "deterministic"
        );
        assert!(built.bom.serial_number.starts_with("urn:uuid:"));
    }
}
