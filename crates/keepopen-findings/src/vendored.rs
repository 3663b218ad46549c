//! Folders that hold copies of other people's code: installed packages,
//! virtual environments, vendored sources. One list, so that the dependency
//! scan, the workflow audits and the posture checks agree on what is the
//! repository's own. `.git` is not here: it is git's state, not code, and
//! the walker never enters it.

/// Folder names that hold other people's code, at any depth. Matched
/// exactly (case-sensitively), as a whole path component.
pub const VENDORED_DIRS: &[&str] = &[
    "node_modules",
    "bower_components",
    "vendor",
    "third_party",
    ".venv",
    "venv",
    "site-packages",
];

/// Whether a folder named `name` holds other people's code.
pub fn is_vendored_dir(name: &str) -> bool {
    VENDORED_DIRS.contains(&name)
}

/// Whether the file at `path` (`/`- or `\`-separated) lies inside a
/// vendored folder. Only folders count: a file named `vendor` is not
/// vendored.
pub fn is_vendored(path: &str) -> bool {
    let mut parts = path.split(['/', '\\']);
    parts.next_back();
    parts.any(is_vendored_dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_folder_component_counts() {
        assert!(is_vendored("web/node_modules/lodash/package-lock.json"));
        assert!(is_vendored("third_party/x/action.yml"));
        assert!(is_vendored(".venv/lib/python3.12/site-packages/x/METADATA"));
        assert!(is_vendored("vendor\\github.com\\x\\go.mod"));
    }

    #[test]
    fn the_file_name_and_near_misses_do_not() {
        assert!(!is_vendored("vendor"));
        assert!(!is_vendored("web/package-lock.json"));
        assert!(!is_vendored("app/vendors/Cargo.lock"));
        assert!(!is_vendored("Vendor/x.c"));
        assert!(!is_vendored("my_node_modules/x.js"));
    }

    #[test]
    fn git_state_is_not_vendored_code() {
        assert!(!is_vendored(".git/config"));
        assert!(!is_vendored_dir(".git"));
    }
}
