//! The exposure checks over arbitrary text: the first byte chooses the
//! file's name (a Dockerfile, an inventory, a state file, a kubeconfig,
//! configuration), and so which whole-file reading runs; never a panic.
//! Its fixed-seed twin is `mangled_configuration_never_panics` in
//! `keepopen-exposure`.
#![no_main]

use keepopen_content::{Content, Detector};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static DETECTOR: LazyLock<keepopen_exposure::Exposure> = LazyLock::new(|| {
    keepopen_exposure::Exposure::new(&Default::default()).expect("built-in rules")
});

const PATHS: &[&str] = &[
    "Dockerfile",
    "inventory/hosts",
    "infra/terraform.tfstate",
    "kubeconfig",
    "config/app.yml",
    "Web.config",
    ".env",
];

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let path = PATHS[first as usize % PATHS.len()];
    let _ = DETECTOR.look_at(&Content::new(rest, Some(path)));
});
