//! One module per lockfile or manifest format; each is registered by one
//! line in the crate root.

pub(crate) mod cargo_lock;
pub(crate) mod composer;
pub(crate) mod deps_json;
pub(crate) mod gemfile;
pub(crate) mod gomod;
pub(crate) mod gradle;
pub(crate) mod npm;
pub(crate) mod nuget_lock;
pub(crate) mod packages_config;
pub(crate) mod pdm;
pub(crate) mod pipfile;
pub(crate) mod pnpm;
pub(crate) mod poetry;
pub(crate) mod pom;
pub(crate) mod pylock;
pub(crate) mod renv;
pub(crate) mod requirements;
pub(crate) mod toml_util;
pub(crate) mod uv;
pub(crate) mod xml_util;
pub(crate) mod yaml_util;
pub(crate) mod yarn;
