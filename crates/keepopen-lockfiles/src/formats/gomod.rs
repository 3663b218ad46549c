//! `go.mod`: `require` lines and blocks, with `replace` directives applied
//! (a module replaced by a local folder is noted, not matched). Names are
//! module paths; versions keep their `v`, as OSV's Go ecosystem writes them.

use std::collections::HashMap;

use crate::{LockError, Lockfile, Package, Parsed};

pub(crate) struct GoMod;

/// What a `replace` directive maps a module (any version, or one) to.
struct Replacement {
    line: u32,
    target: Option<(String, String)>,
}

impl Lockfile for GoMod {
    fn name(&self) -> &'static str {
        "go-mod"
    }

    fn parse(&self, path: &str, data: &[u8]) -> Result<Parsed, LockError> {
        let text = crate::text(path, data)?;
        crate::reject_conflicts(path, text)?;
        let mut parsed = Parsed::default();
        let mut replaces: HashMap<(String, Option<String>), Replacement> = HashMap::new();
        let mut block: Option<String> = None;
        for (n, raw) in text.lines().enumerate() {
            let n = u32::try_from(n).unwrap_or(u32::MAX).saturating_add(1);
            let line = raw.split("//").next().unwrap_or_default().trim();
            if line.is_empty() {
                continue;
            }
            let (verb, rest) = match &block {
                Some(_) if line == ")" => {
                    block = None;
                    continue;
                }
                Some(verb) => (verb.clone(), line),
                None => {
                    let (verb, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
                    let rest = rest.trim();
                    if rest == "(" {
                        block = Some(verb.to_owned());
                        continue;
                    }
                    (verb.to_owned(), rest)
                }
            };
            match verb.as_str() {
                "require" => {
                    let fields: Vec<&str> = rest.split_whitespace().map(unquote).collect();
                    let [module, version] = fields.as_slice() else {
                        return Err(LockError::at_line(
                            path,
                            n,
                            "expected `require module version`",
                        ));
                    };
                    parsed.packages.push(Package {
                        ecosystem: "Go",
                        name: (*module).to_owned(),
                        version: (*version).to_owned(),
                        dev: false,
                        line: n,
                    });
                }
                "replace" => {
                    let Some((old, new)) = rest.split_once("=>") else {
                        return Err(LockError::at_line(path, n, "expected `replace old => new`"));
                    };
                    let old: Vec<&str> = old.split_whitespace().map(unquote).collect();
                    let new: Vec<&str> = new.split_whitespace().map(unquote).collect();
                    let key = match old.as_slice() {
                        [module] => ((*module).to_owned(), None),
                        [module, version] => ((*module).to_owned(), Some((*version).to_owned())),
                        _ => {
                            return Err(LockError::at_line(
                                path,
                                n,
                                "expected `replace module [version] =>`",
                            ));
                        }
                    };
                    let target = match new.as_slice() {
                        [module, version] => Some(((*module).to_owned(), (*version).to_owned())),
                        [_folder] => None,
                        _ => {
                            return Err(LockError::at_line(
                                path,
                                n,
                                "expected `=> module version` or a folder",
                            ));
                        }
                    };
                    replaces.insert(key, Replacement { line: n, target });
                }
                _ => {}
            }
        }
        let mut packages = Vec::new();
        for package in std::mem::take(&mut parsed.packages) {
            let replacement = replaces
                .get(&(package.name.clone(), Some(package.version.clone())))
                .or_else(|| replaces.get(&(package.name.clone(), None)));
            match replacement {
                None => packages.push(package),
                Some(Replacement {
                    target: Some((name, version)),
                    ..
                }) => packages.push(Package {
                    name: name.clone(),
                    version: version.clone(),
                    ..package
                }),
                Some(Replacement { line, target: None }) => parsed.notes.push(format!(
                    "{path}:{line}: `{}` is replaced by a local folder: not matched",
                    package.name
                )),
            }
        }
        parsed.packages = packages;
        Ok(parsed)
    }
}

fn unquote(s: &str) -> &str {
    s.trim_matches(|c| c == '"' || c == '`')
}

#[cfg(test)]
pub(crate) const FIXTURE: (&str, &str) = (
    "go.mod",
    "module example.org/nhs/referrals

go 1.22

require github.com/gorilla/mux v1.8.1

require (
\tgolang.org/x/net v0.24.0 // indirect
\tgithub.com/example/shared v0.3.0
\tgopkg.in/yaml.v3 v3.0.1
)

replace github.com/example/shared => ../shared

replace gopkg.in/yaml.v3 v3.0.1 => gopkg.in/yaml.v3 v3.0.2
",
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::{Must, MustErr, Rows};

    fn parse(text: &str) -> Result<Parsed, LockError> {
        GoMod.parse("go.mod", text.as_bytes())
    }

    #[test]
    fn requires_with_replacements_applied() {
        let parsed = parse(FIXTURE.1).must();
        let got = parsed.ecosystems();
        assert_eq!(
            got,
            vec![
                ("Go", "github.com/gorilla/mux", "v1.8.1", 5),
                ("Go", "golang.org/x/net", "v0.24.0", 8),
                ("Go", "gopkg.in/yaml.v3", "v3.0.2", 10),
            ]
        );
        assert_eq!(
            parsed.notes,
            vec![
                "go.mod:13: `github.com/example/shared` is replaced by a local folder: not matched"
            ]
        );
    }

    #[test]
    fn malformed_require_names_the_line() {
        let err = parse("module x\n\nrequire (\n\tgithub.com/a/b\n)\n").must_err();
        assert_eq!(
            err.to_string(),
            "go.mod:4: expected `require module version`"
        );
    }
}
