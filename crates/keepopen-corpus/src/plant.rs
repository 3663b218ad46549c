//! Turns recipes into placements: rendered files (or copied real files with
//! a snippet spliced in) with the line of every planted value, and decides
//! what history each placement gets.

use std::collections::BTreeSet;

use anyhow::{Context, bail};

use crate::realcode::RealFile;
use crate::recipes::{self, Built, Mark, Variant};
use crate::rng::Rng;
use crate::text::{line_of, notebook, render, splice};

/// What happens to a placement in the history.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plan {
    Head,
    /// Added, then the file is deleted in a later commit.
    DeleteFile,
    /// Added, then the secret's line is rewritten to a template.
    Rewrite,
    Branch,
    Tag,
}

pub struct Placement {
    pub family: &'static str,
    pub kinds: &'static [&'static str],
    pub recipe: usize,
    pub built: Built,
    /// The real file the snippet was spliced into.
    pub base: Option<usize>,
    /// Every value sits on one line and can be replaced there.
    pub rewritable: bool,
    pub plan: Plan,
}

/// Directories a new file moves under when its path is taken.
const PREFIXES: &[&str] = &[
    "services/api",
    "services/worker",
    "apps/web",
    "tools",
    "ops",
    "legacy",
    "jobs/nightly",
    "services/reporting",
    "sandbox",
    "archive",
];

fn unique_path(rng: &mut Rng, path: String, used: &mut BTreeSet<String>) -> String {
    let mut p = path.clone();
    let mut tries = 0;
    while used.contains(&p) {
        tries += 1;
        let prefix = if tries < 20 {
            (*rng.pick(PREFIXES)).to_owned()
        } else {
            format!("misc{tries}")
        };
        p = format!("{prefix}/{path}");
    }
    used.insert(p.clone());
    p
}

fn marks_for(text: &str, values: &[String], path: &str) -> anyhow::Result<Vec<Mark>> {
    values
        .iter()
        .map(|v| {
            let line = line_of(text, v).with_context(|| format!("value not found in {path}"))?;
            Ok(Mark {
                secret: Some(v.clone()),
                line: Some(line),
            })
        })
        .collect()
}

fn build_file(rng: &mut Rng, values: &[String], path: &str, body: &str) -> anyhow::Result<Built> {
    let path = render(rng, path, &[]);
    let mut text = render(rng, body.strip_prefix('\n').unwrap_or(body), values);
    if path.ends_with(".ipynb") {
        text = notebook(&text);
    }
    let marks = marks_for(&text, values, &path)?;
    Ok(Built {
        path,
        content: text.into_bytes(),
        marks,
    })
}

/// Every placement of every recipe, with `used` holding the paths already
/// taken (real code, decoys); new paths are added to it.
pub fn plan(
    rng: &mut Rng,
    real: &[RealFile],
    used: &mut BTreeSet<String>,
) -> anyhow::Result<Vec<Placement>> {
    let mut spliced: BTreeSet<usize> = BTreeSet::new();
    let mut out = Vec::new();
    for (ri, recipe) in recipes::all().into_iter().enumerate() {
        for variant in recipe.variants {
            let values = recipe.make.values(rng);
            let (mut built, base, rewritable) = match variant {
                Variant::File(path, body) => (build_file(rng, &values, path, body)?, None, true),
                Variant::Custom(f) => (f(rng), None, false),
                Variant::Insert(ext, snippet) => {
                    let suffix = format!(".{ext}");
                    let cands: Vec<usize> = (0..real.len())
                        .filter(|i| real[*i].path.ends_with(&suffix) && !spliced.contains(i))
                        .collect();
                    if cands.is_empty() {
                        let path = format!("src/app/settings_{}.{ext}", out.len());
                        (build_file(rng, &values, &path, snippet)?, None, true)
                    } else {
                        let i = *rng.pick(&cands);
                        spliced.insert(i);
                        let original = String::from_utf8_lossy(&real[i].content).into_owned();
                        let snippet = render(rng, snippet.trim_matches('\n'), &values);
                        let (text, _) = splice(&original, &snippet, ext);
                        let marks = marks_for(&text, &values, &real[i].path)?;
                        let b = Built {
                            path: real[i].path.clone(),
                            content: text.into_bytes(),
                            marks,
                        };
                        (b, Some(i), true)
                    }
                }
            };
            if built.marks.len() != recipe.kinds.len() {
                bail!(
                    "recipe {:?} produced {} marks",
                    recipe.kinds,
                    built.marks.len()
                );
            }
            if base.is_none() {
                built.path = unique_path(rng, built.path, used);
            }
            out.push(Placement {
                family: recipe.family,
                kinds: recipe.kinds,
                recipe: ri,
                built,
                base,
                rewritable,
                plan: Plan::Head,
            });
        }
    }
    assign_plans(rng, &mut out);
    Ok(out)
}

/// About 20% deleted files, 10% rewritten lines, 5% branch-only and 5%
/// tag-only; the first placement of each recipe (in shuffled order) stays
/// at HEAD so every kind is present there.
fn assign_plans(rng: &mut Rng, ps: &mut [Placement]) {
    let n = ps.len();
    let mut left = [
        (Plan::Branch, (n * 5).div_ceil(100)),
        (Plan::Tag, (n * 5).div_ceil(100)),
        (Plan::DeleteFile, n * 20 / 100),
        (Plan::Rewrite, n * 10 / 100),
    ];
    let mut order: Vec<usize> = (0..n).collect();
    rng.shuffle(&mut order);
    let mut kept: BTreeSet<usize> = BTreeSet::new();
    for i in order {
        if kept.insert(ps[i].recipe) {
            continue;
        }
        let p = &ps[i];
        for (plan, count) in left.iter_mut() {
            let ok = match plan {
                Plan::Rewrite => p.rewritable,
                _ => p.base.is_none(),
            };
            if *count > 0 && ok {
                *count -= 1;
                ps[i].plan = *plan;
                break;
            }
        }
    }
}

/// The environment-variable name a rewritten secret is replaced by.
pub fn env_name(kind: &str) -> String {
    kind.to_uppercase().replace('-', "_")
}

/// The placement's file after its secrets were replaced by `${VAR}`
/// templates, and each template with its line.
pub fn rewrite(p: &Placement) -> (Vec<u8>, Vec<(String, u32)>) {
    let text = String::from_utf8_lossy(&p.built.content);
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let mut templates = Vec::new();
    for (mark, kind) in p.built.marks.iter().zip(p.kinds) {
        let (Some(secret), Some(line)) = (&mark.secret, mark.line) else {
            continue;
        };
        let value = format!("${{{}}}", env_name(kind));
        let l = &mut lines[line as usize - 1];
        *l = l.replacen(secret.as_str(), &value, 1);
        templates.push((value, line));
    }
    let mut s = lines.join("\n");
    if text.ends_with('\n') {
        s.push('\n');
    }
    (s.into_bytes(), templates)
}
