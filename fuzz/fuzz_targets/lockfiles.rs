//! Every lockfile parser on arbitrary bytes: packages or an error, never a
//! panic. The first byte picks which file name, and so which parser, the
//! rest is handed to.
#![no_main]

use libfuzzer_sys::fuzz_target;

const NAMES: &[&str] = &[
    "Cargo.lock",
    "package-lock.json",
    "requirements.txt",
    "poetry.lock",
    "uv.lock",
    "Pipfile.lock",
    "pdm.lock",
    "pylock.toml",
    "renv.lock",
    "yarn.lock",
    "pnpm-lock.yaml",
    "Gemfile.lock",
    "go.mod",
    "composer.lock",
    "packages.lock.json",
    "packages.config",
    "App.deps.json",
    "gradle.lockfile",
    "pom.xml",
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let name = NAMES[usize::from(selector) % NAMES.len()];
    if let Some(parser) = keepopen_lockfiles::parser_for(name) {
        let _ = parser.parse(name, rest);
    }
});
