//! Does a file face the network? A weakness in a web service is reachable
//! by anyone; the same pattern in an analysis script run by its author is
//! not. Code in the browser (JavaScript, TypeScript) and PHP are served by
//! nature; Python, R, C#, Java and Go face the network when they use a web
//! framework, which their imports and route declarations say.

use crate::lang::Lang;

const PYTHON: &[&str] = &[
    "flask",
    "django",
    "fastapi",
    "starlette",
    "tornado",
    "aiohttp",
    "bottle",
    "pyramid",
    "werkzeug",
    "sanic",
    "falcon",
    "streamlit",
    "dash",
    "http.server",
    "socketserver",
    "@app.route",
    "@router.",
    "@api_view",
];
const R: &[&str] = &["shiny", "plumber", "#* @get", "#* @post", "httpuv"];
const CSHARP: &[&str] = &[
    "Microsoft.AspNetCore",
    "System.Web",
    ": Controller",
    ": ControllerBase",
    "[Http",
    "[Route(",
    "HttpListener",
    "MapGet(",
    "MapPost(",
    "HttpTrigger",
];
const JAVA: &[&str] = &[
    "javax.servlet",
    "jakarta.servlet",
    "org.springframework.web",
    "javax.ws.rs",
    "jakarta.ws.rs",
    "@RestController",
    "@Controller",
    "@GetMapping",
    "@PostMapping",
    "@RequestMapping",
];
const GO: &[&str] = &[
    "\"net/http\"",
    "gin-gonic",
    "labstack/echo",
    "gofiber",
    "gorilla/mux",
    "go-chi",
];

/// Folders of code that runs by hand or at deployment, never on a
/// request: database migrations, console commands, scripts.
const OFFLINE_DIRS: &[&str] = &[
    "migrations",
    "migration",
    "commands",
    "cli_commands",
    "console",
    "scripts",
    "script",
    "bin",
    "tools",
    "notebooks",
    "seeders",
    "seeds",
];

/// What a PHP class that runs from the console extends.
const PHP_OFFLINE: &[&str] = &[
    "extends CConsoleCommand",
    "extends CDbMigration",
    "extends OEMigration",
    "extends Migration",
    "extends Command",
    "extends Seeder",
];

/// What a file says of the network.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Facing {
    /// It serves: a web framework, a route, code the browser runs.
    Yes,
    /// It runs by hand or at deployment: a migration, a console command,
    /// a script, a notebook.
    Offline,
    /// Neither: a module with no framework of its own, which serves when
    /// the repository does (the assessment's class decides).
    Silent,
}

/// Does the file at `path`, in `lang`, with `text`, face the network?
pub fn network_facing(lang: Lang, path: &str, text: &str) -> Facing {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".ipynb") {
        return Facing::Offline;
    }
    let mut dirs = lower.split('/');
    dirs.next_back();
    if dirs.any(|d| OFFLINE_DIRS.contains(&d)) {
        return Facing::Offline;
    }
    let yes_unless = |offline: bool| {
        if offline {
            Facing::Offline
        } else {
            Facing::Yes
        }
    };
    let needles = match lang {
        // A script run by hand says so on its first line.
        Lang::JavaScript | Lang::TypeScript | Lang::Tsx => {
            return yes_unless(text.starts_with("#!"));
        }
        Lang::Php => {
            return yes_unless(
                text.starts_with("#!") || PHP_OFFLINE.iter().any(|m| text.contains(m)),
            );
        }
        // Infrastructure is what is deployed: nothing to lower.
        Lang::Hcl => return Facing::Yes,
        // A shell script is run by a person or a pipeline.
        Lang::Bash => return Facing::Offline,
        // An Android app or a Ktor service: both take input from outside.
        Lang::Kotlin => return Facing::Yes,
        Lang::Python => PYTHON,
        Lang::R => R,
        Lang::CSharp => CSHARP,
        Lang::Java => JAVA,
        Lang::Go => GO,
    };
    if needles.iter().any(|n| text.contains(n)) {
        Facing::Yes
    } else {
        Facing::Silent
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frameworks_make_a_file_face_the_network() {
        assert_eq!(
            Facing::Yes,
            network_facing(Lang::Python, "app.py", "from flask import Flask\n")
        );
        assert_eq!(
            Facing::Silent,
            network_facing(Lang::Python, "model.py", "import pandas as pd\n")
        );
        assert_eq!(
            Facing::Yes,
            network_facing(Lang::R, "app.R", "library(shiny)\n")
        );
        assert_ne!(
            Facing::Yes,
            network_facing(Lang::R, "run.R", "library(dplyr)\n")
        );
        assert_eq!(
            Facing::Yes,
            network_facing(Lang::Php, "index.php", "<?php echo 1;")
        );
        assert_ne!(
            Facing::Yes,
            network_facing(Lang::JavaScript, "build.js", "#!/usr/bin/env node\n")
        );
        assert_eq!(
            Facing::Yes,
            network_facing(Lang::Go, "main.go", "import \"net/http\"\n")
        );
        assert_ne!(
            Facing::Yes,
            network_facing(
                Lang::Php,
                "protected/migrations/m1.php",
                "<?php class m1 {}"
            )
        );
        assert_ne!(
            Facing::Yes,
            network_facing(
                Lang::Php,
                "protected/x/Import.php",
                "<?php class Import extends CConsoleCommand {}"
            )
        );
    }
}
