//! One module per audit. Each exports `INFO` and `run`; the registry in
//! `lib.rs` lists them.

pub(crate) mod artipacked;
pub(crate) mod dangerous_triggers;
pub(crate) mod excessive_permissions;
pub(crate) mod hardcoded_container_credentials;
pub(crate) mod insecure_commands;
pub(crate) mod secrets_inherit;
pub(crate) mod self_hosted_runner;
pub(crate) mod template_injection;
pub(crate) mod unpinned_images;
pub(crate) mod unpinned_uses;

/// The findings one audit reports on `text`, for tests beside each audit.
#[cfg(test)]
pub(crate) fn findings(id: &str, text: &str) -> Vec<crate::Finding> {
    match crate::audit("test.yml", text) {
        Ok(all) => all.into_iter().filter(|f| f.audit == id).collect(),
        Err(e) => panic!("fixture does not parse: {e}"),
    }
}
