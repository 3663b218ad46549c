use super::*;

fn tree(files: &[(&str, &str)]) -> Tree {
    Tree::from_files(
        files
            .iter()
            .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec()))
            .collect(),
    )
}

fn class_of(files: &[(&str, &str)]) -> Classified {
    classify(&tree(files))
}

#[test]
fn a_framework_in_the_top_manifest_is_a_service() {
    let c = class_of(&[
        ("requirements.txt", "pandas==2.1\nFlask>=2.0\n"),
        ("app/main.py", "from flask import Flask"),
    ]);
    assert_eq!(c.class, Class::Service, "{c:?}");
    assert!(c.evidence[0].contains("flask in requirements.txt"), "{c:?}");
}

#[test]
fn a_container_that_exposes_a_port_is_a_service() {
    let c = class_of(&[
        (
            "Dockerfile",
            "FROM node:20\nEXPOSE 9000\nCMD node index.js\n",
        ),
        ("src/index.js", ""),
    ]);
    assert_eq!(c.class, Class::Service);
}

#[test]
fn a_web_project_in_an_asp_net_sdk_is_a_service() {
    let c = class_of(&[(
        "src/Api/Api.csproj",
        "<Project Sdk=\"Microsoft.NET.Sdk.Web\"></Project>",
    )]);
    assert_eq!(c.class, Class::Service);
}

#[test]
fn a_published_package_with_a_preview_app_is_a_library() {
    // A component library whose private review app runs express.
    let c = class_of(&[
        (
            "packages/components/package.json",
            r#"{"name": "components", "main": "dist/index.js"}"#,
        ),
        (
            "packages/review/package.json",
            r#"{"name": "review", "private": true, "dependencies": {"express": "^4"}}"#,
        ),
        ("packages/components/src/button.mjs", ""),
    ]);
    assert_eq!(c.class, Class::Library, "{c:?}");
    assert!(
        c.evidence.iter().any(|e| e.contains("not the product")),
        "{c:?}"
    );
}

#[test]
fn a_framework_only_in_dev_dependencies_does_not_serve() {
    let c = class_of(&[(
        "web/package.json",
        r#"{"private": true, "devDependencies": {"express": "^4"}, "dependencies": {"react": "18"}}"#,
    )]);
    assert_eq!(c.class, Class::Frontend, "{c:?}");
}

#[test]
fn notebooks_and_r_scripts_are_analysis() {
    let c = class_of(&[
        ("analysis/model.R", "library(dplyr)"),
        ("notebooks/explore.ipynb", "{}"),
        ("sql/extract.sql", "select 1"),
        ("README.md", "# Analysis"),
    ]);
    assert_eq!(c.class, Class::Analysis, "{c:?}");
}

#[test]
fn an_r_package_is_a_library_and_a_shiny_app_a_service() {
    let pkg = class_of(&[
        ("DESCRIPTION", "Package: nhsr\nImports: dplyr\n"),
        ("R/a.R", ""),
    ]);
    assert_eq!(pkg.class, Class::Library);
    let app = class_of(&[("app.R", "library(shiny)"), ("R/a.R", "")]);
    assert_eq!(app.class, Class::Service);
}

#[test]
fn terraform_is_infrastructure() {
    let c = class_of(&[
        ("main.tf", ""),
        ("variables.tf", ""),
        ("modules/net/main.tf", ""),
        ("scripts/deploy.py", ""),
    ]);
    assert_eq!(c.class, Class::Infrastructure, "{c:?}");
}

#[test]
fn tables_alone_are_data_and_prose_alone_is_documentation() {
    let data = class_of(&[("data/a.csv", ""), ("data/b.xlsx", ""), ("README.md", "")]);
    assert_eq!(data.class, Class::Data);
    let docs = class_of(&[
        ("README.md", ""),
        ("guide/intro.md", ""),
        ("guide/b.md", ""),
    ]);
    assert_eq!(docs.class, Class::Documentation);
    assert_eq!(class_of(&[]).class, Class::Documentation);
}

#[test]
fn test_and_example_folders_do_not_speak_for_the_repository() {
    // A fixture Dockerfile under tests/ does not make a library a service.
    let c = class_of(&[
        ("setup.py", "from setuptools import setup"),
        ("tests/fixtures/Dockerfile", "EXPOSE 80"),
        ("karate-tests/Dockerfile", "EXPOSE 8080"),
        ("examples/app/requirements.txt", "flask"),
        ("pkg/a.py", ""),
    ]);
    assert_eq!(c.class, Class::Library, "{c:?}");
}

#[test]
fn declares_matches_names_not_prefixes() {
    assert!(declares("flask>=2\n", "flask"));
    assert!(declares("\"express\": \"4\"", "express"));
    assert!(!declares("flask-cors==1\n", "flask"));
    assert!(!declares("expressive\n", "express"));
    assert!(declares(
        "require github.com/gin-gonic/gin v1.9.1",
        "github.com/gin-gonic/gin"
    ));
}

#[test]
fn every_class_has_an_id_that_parses_back() {
    for c in Class::ALL {
        assert_eq!(Class::parse(c.as_str()), Some(c));
    }
    assert_eq!(Class::parse("website"), None);
}

#[test]
fn a_static_site_is_documentation_whatever_its_pinned_requirements_name() {
    let mkdocs = class_of(&[
        ("mkdocs.yml", "site_name: Data science"),
        (
            "requirements.txt",
            "mkdocs==1.6\ntornado==6.4\nflask==3.0\n",
        ),
        ("docs/index.md", ""),
    ]);
    assert_eq!(mkdocs.class, Class::Documentation, "{mkdocs:?}");
    assert!(mkdocs.evidence[0].contains("a static site (mkdocs.yml)"));
    // A site that also runs a container exposing a port is a service.
    let served = class_of(&[
        ("mkdocs.yml", ""),
        ("requirements.txt", "flask\n"),
        ("Dockerfile", "EXPOSE 80\n"),
    ]);
    assert_eq!(served.class, Class::Service);
}

#[test]
fn a_commented_out_dependency_is_not_declared() {
    let c = class_of(&[
        ("Gemfile", "# gem \"rails\"\ngem \"jekyll\", \"~> 3.3\"\n"),
        ("index.html", ""),
    ]);
    assert_ne!(c.class, Class::Service, "{c:?}");
    assert!(!declares("// \"express\": \"4\"", "express"));
}

#[test]
fn a_mobile_app_is_a_frontend() {
    let c = class_of(&[
        ("app/src/main/AndroidManifest.xml", "<manifest/>"),
        ("app/src/main/java/uk/nhs/App.kt", ""),
        ("app/src/main/java/uk/nhs/Main.kt", ""),
        ("scripts/report.py", ""),
        ("scripts/build.py", ""),
    ]);
    assert_eq!(c.class, Class::Frontend, "{c:?}");
    assert!(c.evidence[0].contains("an Android app"));
}

#[test]
fn a_package_with_a_documentation_site_is_still_a_package() {
    let c = class_of(&[
        ("mkdocs.yml", "site_name: Model"),
        (
            "pyproject.toml",
            "[project]\nname = \"model\"\n[build-system]\nrequires = [\"hatchling\"]\n",
        ),
        ("src/model/run.py", ""),
    ]);
    assert_eq!(c.class, Class::Library, "{c:?}");
}

#[test]
fn a_site_with_a_plugin_package_in_a_sub_folder_is_still_a_site() {
    let c = class_of(&[
        ("mkdocs.yml", ""),
        ("plugins/quiet/setup.py", "from setuptools import setup"),
        ("overrides/main.html", ""),
    ]);
    assert_eq!(c.class, Class::Documentation, "{c:?}");
}

#[test]
fn a_rust_crate_is_a_library_unless_it_serves_with_a_framework() {
    let lib = class_of(&[
        ("Cargo.toml", "[package]\nname = \"tool\"\n"),
        ("src/main.rs", ""),
    ]);
    assert_eq!(lib.class, Class::Library);
    let web = class_of(&[(
        "Cargo.toml",
        "[package]\nname = \"api\"\n[dependencies]\naxum = \"0.7\"\n",
    )]);
    assert_eq!(web.class, Class::Service, "{web:?}");
}
