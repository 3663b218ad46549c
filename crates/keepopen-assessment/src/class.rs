//! What a repository is, judged from the files at HEAD (or in the working
//! tree): `service`, `infrastructure`, `frontend`, `library`, `analysis`,
//! `data` or `documentation`, with the evidence that decided it.
//!
//! GDS treats analysis code, guidance and libraries as low risk when open;
//! a live service is where an unfixable weakness may justify an exception.
//! So `service` needs positive evidence of something that serves: a web
//! framework in a manifest that is not a published library, a container
//! that exposes a port, an API proxy bundle, a deployment descriptor. The
//! rest is judged by what the files mostly are. Vendored folders are not
//! in the tree (see [`keepopen_posture::Tree::from_dir`]), and files under
//! test, example and docs folders do not count as the repository's code.

use keepopen_posture::Tree;
use serde::Serialize;

/// The classes, in the order they are tried.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Class {
    Service,
    Infrastructure,
    Frontend,
    Library,
    Analysis,
    Data,
    Documentation,
}

impl Class {
    pub const ALL: [Class; 7] = [
        Class::Service,
        Class::Infrastructure,
        Class::Frontend,
        Class::Library,
        Class::Analysis,
        Class::Data,
        Class::Documentation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Class::Service => "service",
            Class::Infrastructure => "infrastructure",
            Class::Frontend => "frontend",
            Class::Library => "library",
            Class::Analysis => "analysis",
            Class::Data => "data",
            Class::Documentation => "documentation",
        }
    }

    pub fn parse(s: &str) -> Option<Class> {
        Class::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

impl std::fmt::Display for Class {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A class and the facts that decided it, one short phrase each.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Classified {
    pub class: Class,
    pub evidence: Vec<String>,
}

/// Web frameworks, by the manifest they are declared in: a dependency on
/// one of these is something that serves requests.
const FRAMEWORKS: &[(&str, &[&str])] = &[
    (
        "python",
        &[
            "flask",
            "django",
            "fastapi",
            "starlette",
            "bottle",
            "pyramid",
            "sanic",
            "falcon",
            "connexion",
            "quart",
            "litestar",
        ],
    ),
    (
        "npm",
        &[
            "express",
            "koa",
            "fastify",
            "@nestjs/core",
            "@hapi/hapi",
            "hapi",
            "restify",
            "@apollo/server",
            "apollo-server",
            "next",
            "@remix-run/node",
            "nuxt",
        ],
    ),
    (
        "php",
        &[
            "laravel/framework",
            "symfony/framework-bundle",
            "slim/slim",
            "yiisoft/yii",
            "yiisoft/yii2",
            "cakephp/cakephp",
            "laminas/laminas-mvc",
            "codeigniter4/framework",
        ],
    ),
    (
        "java",
        &[
            "spring-boot-starter-web",
            "spring-boot-starter-webflux",
            "quarkus",
            "micronaut",
            "dropwizard",
        ],
    ),
    ("rust", &["axum", "actix-web", "rocket", "warp", "poem"]),
    ("ruby", &["rails", "sinatra", "hanami"]),
    (
        "go",
        &[
            "github.com/gin-gonic/gin",
            "github.com/labstack/echo",
            "github.com/gorilla/mux",
            "github.com/gofiber/fiber",
        ],
    ),
    ("r", &["plumber", "shiny", "golem", "rhino"]),
];

/// Frontend frameworks and design systems, in a package.json.
const FRONTEND: &[&str] = &[
    "react",
    "vue",
    "@angular/core",
    "svelte",
    "preact",
    "solid-js",
    "nhsuk-frontend",
    "govuk-frontend",
    "@11ty/eleventy",
    "gatsby",
    "vite",
    "webpack",
    "parcel",
];

const INFRA_EXT: &[&str] = &["tf", "tfvars", "bicep", "hcl", "pp"];
const DATA_EXT: &[&str] = &[
    "csv", "tsv", "xlsx", "xls", "ods", "parquet", "feather", "rds", "rda", "rdata", "sav", "dta",
    "sas7bdat", "sqlite", "db", "geojson", "shp", "arrow",
];
const ANALYSIS_EXT: &[&str] = &["r", "rmd", "qmd", "ipynb", "sql", "sas", "do", "jl", "py"];
const FRONTEND_EXT: &[&str] = &[
    "js", "mjs", "ts", "tsx", "jsx", "vue", "svelte", "scss", "sass", "css", "html", "njk",
];
const SERVER_EXT: &[&str] = &[
    "cs", "java", "kt", "go", "php", "rb", "scala", "rs", "fs", "vb",
];
const DOC_EXT: &[&str] = &[
    "md", "rst", "txt", "adoc", "pdf", "docx", "doc", "odt", "png", "jpg", "jpeg", "svg", "gif",
];

/// What the manifests and descriptors say, one phrase each.
#[derive(Default)]
struct Signs {
    /// Something that serves, beyond doubt: a framework in the top-level
    /// manifest, a web SDK, a container exposing a port, an API proxy.
    serves: Vec<String>,
    /// Something that may serve: a framework in a nested manifest (often a
    /// preview or review app), a deployment descriptor.
    may_serve: Vec<String>,
    library: Vec<String>,
    frontend: Vec<String>,
    /// A static site generator's configuration at the top: guidance.
    site: Vec<String>,
    /// How many of `serves` are only a framework named in a manifest.
    by_dependency: usize,
    /// Whether a package is declared at the top, not in a sub-folder.
    library_at_top: bool,
}

/// Classifies the files of `tree`.
pub fn classify(tree: &Tree) -> Classified {
    let files: Vec<&str> = tree.paths().filter(|p| counts(p)).collect();
    let mut signs = Signs::default();
    for path in &files {
        manifest(tree, path, &mut signs);
    }
    let tally = Tally::of(&files);
    let mut evidence = Vec::new();
    let serves =
        !signs.serves.is_empty() || (signs.may_serve.len() >= 2 && signs.library.is_empty());
    let site = !signs.site.is_empty()
        && !signs.library_at_top
        && signs.serves.len() == signs.by_dependency;
    let class = if site {
        // A site generator's pinned requirements name web frameworks
        // (mkdocs pulls in tornado, a Jekyll Gemfile may name rails): the
        // site is what the repository publishes.
        evidence.extend(signs.site);
        Class::Documentation
    } else if serves {
        evidence.extend(signs.serves);
        evidence.extend(signs.may_serve);
        Class::Service
    } else if tally.infra > 0 && tally.infra * 2 >= tally.code() {
        evidence.push(format!(
            "{} infrastructure-as-code files (Terraform, Bicep, Puppet) of {} code files",
            tally.infra,
            tally.code()
        ));
        Class::Infrastructure
    } else if !signs.library.is_empty() {
        evidence.extend(signs.library);
        evidence.extend(
            signs
                .may_serve
                .into_iter()
                .map(|s| format!("{s}, not the product")),
        );
        Class::Library
    } else if !signs.frontend.is_empty()
        && (tally.frontend >= tally.analysis || signs.frontend.iter().any(|f| f.contains(" app (")))
    {
        evidence.extend(signs.frontend);
        Class::Frontend
    } else if tally.analysis > 0 && tally.analysis >= tally.server {
        evidence.push(format!(
            "{} analysis files (R, notebooks, SQL, Python scripts) and no server entry point",
            tally.analysis
        ));
        Class::Analysis
    } else if tally.frontend > tally.server {
        evidence.push(format!(
            "{} web files (HTML, CSS, scripts) and no server",
            tally.frontend
        ));
        Class::Frontend
    } else if tally.server > 0 {
        evidence.push(format!(
            "{} source files and no web framework or exposed port",
            tally.server
        ));
        Class::Library
    } else if tally.data > 0 && tally.data >= tally.docs {
        evidence.push(format!("{} data files and no code", tally.data));
        Class::Data
    } else {
        evidence.push(format!("{} files, none of them code", files.len()));
        Class::Documentation
    };
    Classified { class, evidence }
}

/// Whether a file speaks for what the repository is: not under tests,
/// examples, documentation or CI folders.
fn counts(path: &str) -> bool {
    const AWAY: &[&str] = &[
        "test",
        "tests",
        "spec",
        "specs",
        "__tests__",
        "fixtures",
        "testdata",
        "example",
        "examples",
        "sample",
        "samples",
        "docs",
        "doc",
        ".github",
        ".devcontainer",
        "e2e",
        "cypress",
        "playwright",
    ];
    let dirs = path.rsplit_once('/').map_or("", |(d, _)| d);
    !dirs.split('/').any(|d| {
        let d = d.to_ascii_lowercase();
        // `bdd-tests`, `karate_tests`, `integration-test`
        AWAY.contains(&d.as_str())
            || ["-tests", "_tests", "-test", "_test"]
                .iter()
                .any(|s| d.ends_with(s))
    })
}

#[derive(Default, Debug)]
struct Tally {
    infra: usize,
    data: usize,
    analysis: usize,
    frontend: usize,
    server: usize,
    docs: usize,
}

impl Tally {
    fn of(files: &[&str]) -> Tally {
        let mut t = Tally::default();
        for p in files {
            let name = p.rsplit('/').next().unwrap_or(p);
            let ext = name
                .rsplit_once('.')
                .map(|(_, e)| e.to_ascii_lowercase())
                .unwrap_or_default();
            let e = ext.as_str();
            if INFRA_EXT.contains(&e) {
                t.infra += 1;
            } else if DATA_EXT.contains(&e) {
                t.data += 1;
            } else if ANALYSIS_EXT.contains(&e) {
                t.analysis += 1;
            } else if FRONTEND_EXT.contains(&e) {
                t.frontend += 1;
            } else if SERVER_EXT.contains(&e) {
                t.server += 1;
            } else if DOC_EXT.contains(&e) {
                t.docs += 1;
            }
        }
        t
    }

    fn code(&self) -> usize {
        self.infra + self.analysis + self.frontend + self.server
    }
}

/// Reads one manifest or descriptor into `signs`.
fn manifest(tree: &Tree, path: &str, signs: &mut Signs) {
    let name = path.rsplit('/').next().unwrap_or(path);
    let lower = name.to_ascii_lowercase();
    let top = !path.contains('/');
    let text = || tree.text(path).map(|t| t.into_owned()).unwrap_or_default();
    let mut framework = |family: &str, text: &str| {
        let found = FRAMEWORKS
            .iter()
            .filter(|(f, _)| *f == family)
            .flat_map(|(_, names)| names.iter())
            .find(|n| declares(text, n));
        if let Some(f) = found {
            let phrase = format!("{f} in {path}");
            if top {
                signs.serves.push(phrase);
                signs.by_dependency += 1;
            } else {
                signs.may_serve.push(phrase);
            }
        }
        found.is_some()
    };
    let libraries = signs.library.len();
    match lower.as_str() {
        "package.json" => {
            let t = text();
            let private = t.contains("\"private\": true") || t.contains("\"private\":true");
            let served = framework("npm", &dependencies_block(&t));
            let published = !private
                && ["\"main\"", "\"module\"", "\"exports\""]
                    .iter()
                    .any(|k| t.contains(k));
            if published && !served {
                signs
                    .library
                    .push(format!("a published npm package ({path})"));
            }
            if let Some(f) = FRONTEND.iter().find(|n| declares(&t, n)) {
                signs.frontend.push(format!("{f} in {path}"));
            }
        }
        "requirements.txt" | "pyproject.toml" | "pipfile" | "setup.py" | "setup.cfg" => {
            let t = text();
            let served = framework("python", &t.to_ascii_lowercase());
            let package =
                lower == "setup.py" || (lower == "pyproject.toml" && t.contains("[build-system]"));
            if package && !served {
                signs.library.push(format!("a Python package ({path})"));
            }
        }
        "composer.json" => {
            let t = text();
            if t.contains("\"type\": \"library\"") {
                signs.library.push(format!("a PHP library ({path})"));
            } else {
                framework("php", &t);
            }
        }
        "gemfile" => {
            framework("ruby", &text());
        }
        "go.mod" => {
            framework("go", &text());
        }
        "cargo.toml" => {
            let t = text();
            if !framework("rust", &t) && t.contains("[package]") {
                signs.library.push(format!("a Rust package ({path})"));
            }
        }
        "pom.xml" | "build.gradle" | "build.gradle.kts" => {
            framework("java", &text());
        }
        "description" => {
            let t = text();
            if t.contains("Package:") && !framework("r", &t) {
                signs.library.push(format!("an R package ({path})"));
            }
        }
        "app.r" | "server.r" => signs.serves.push(format!("a Shiny app ({path})")),
        "mkdocs.yml" | "_config.yml" | "hugo.toml" | "docusaurus.config.js" if top => {
            signs.site.push(format!("a static site ({path})"));
        }
        "androidmanifest.xml" if !signs.frontend.iter().any(|f| f.contains("Android")) => {
            signs.frontend.push(format!("an Android app ({path})"));
        }
        "dockerfile" => {
            let exposes = text()
                .lines()
                .any(|l| l.trim_start().to_ascii_uppercase().starts_with("EXPOSE "));
            if exposes {
                signs.serves.push(format!("{path} exposes a port"));
            }
        }
        "procfile" | "app.yaml" | "manifest.yml" | "serverless.yml" | "host.json" => {
            signs
                .may_serve
                .push(format!("a deployment descriptor ({path})"));
        }
        _ if lower.ends_with(".csproj") => {
            let t = text();
            let web = [
                "Microsoft.NET.Sdk.Web",
                "Microsoft.AspNetCore",
                "Microsoft.Azure.Functions",
            ]
            .iter()
            .find(|n| t.contains(*n));
            if let Some(n) = web {
                signs.serves.push(format!("{n} in {path}"));
            } else if t.contains("<PackageId>") || t.contains("<IsPackable>true") {
                signs.library.push(format!("a NuGet package ({path})"));
            }
        }
        _ if path.contains(".xcodeproj/") && !signs.frontend.iter().any(|f| f.contains("iOS")) => {
            signs.frontend.push(format!("an iOS app ({path})"));
        }
        _ if path.contains("apiproxy/")
            && lower.ends_with(".xml")
            && !signs.serves.iter().any(|s| s.contains("API proxy")) =>
        {
            signs.serves.push(format!("an API proxy bundle ({path})"));
        }
        _ => {}
    }
    if top && signs.library.len() > libraries {
        signs.library_at_top = true;
    }
}

/// Whether a manifest's text declares `name` as a dependency: quoted, or at
/// the start of a requirements line, or a Go module path.
fn declares(text: &str, name: &str) -> bool {
    let quoted = [format!("\"{name}\""), format!("'{name}'")];
    text.lines().any(|l| {
        let l = l.trim();
        if l.starts_with('#') || l.starts_with("//") {
            return false; // `# gem "rails"`: commented out
        }
        if quoted.iter().any(|q| l.contains(q.as_str())) {
            return true;
        }
        l.strip_prefix(name).is_some_and(|rest| {
            rest.is_empty() || rest.starts_with(|c: char| "=<>!~;[ (\t,".contains(c))
        }) || (name.contains('/') && l.contains(name))
            || l.strip_prefix("library(")
                .is_some_and(|r| r.starts_with(name))
    })
}

/// The `dependencies` object of a package.json (not `devDependencies`): a
/// framework used only to serve a preview while developing does not make a
/// service. Text-level, to read what a strict JSON parser would refuse.
fn dependencies_block(text: &str) -> String {
    let Some(at) = text.find("\"dependencies\"") else {
        return String::new();
    };
    let rest = &text[at..];
    let end = rest.find('}').unwrap_or(rest.len());
    rest[..end].to_string()
}

#[cfg(test)]
mod tests;
