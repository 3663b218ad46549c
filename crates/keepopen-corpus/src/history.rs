//! Writes the repository's history: a skeleton, real code in a few
//! imports, then planted files and decoys in small commits, with later
//! deletions and rewrites, a feature branch and a tag-only hotfix commit.

use std::collections::BTreeMap;
use std::path::Path;

use crate::decoys::DecoyFile;
use crate::git::Git;
use crate::labels::{Decoy, Planted, State};
use crate::plant::{Placement, Plan, rewrite};
use crate::realcode::RealFile;
use crate::rng::Rng;

pub const FEATURE_BRANCH: &str = "feature/billing-export";
pub const HOTFIX_TAG: &str = "v0.9.1-hotfix";
pub const RELEASE_TAGS: &[&str] = &["v0.5.0", "v1.0.0"];

pub struct Outcome {
    pub planted: Vec<Planted>,
    pub decoys: Vec<Decoy>,
}

enum Item {
    Place(usize),
    Decoy(usize),
}

enum Later {
    Delete(usize),
    Rewrite(usize),
}

pub(crate) const SKELETON: &[(&str, &str)] = &[
    (
        "README.md",
        "# platform\n\nData platform monorepo: ETL jobs, the reporting API, the web app and infrastructure.\n",
    ),
    (
        ".gitignore",
        "__pycache__/\n*.pyc\nnode_modules/\ntarget/\n.venv/\n",
    ),
    (
        "pyproject.toml",
        "[project]\nname = \"platform\"\nversion = \"0.1.0\"\nrequires-python = \">=3.10\"\n",
    ),
    (
        "Makefile",
        "test:\n\tpython -m pytest\n\nlint:\n\truff check .\n",
    ),
];

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn message(rng: &mut Rng, verbs: &[&str], path: &str) -> String {
    format!("{} {}", rng.pick(verbs), file_name(path))
}

/// Builds the repository in `dir` and returns the labels with their lines
/// and states.
pub fn write(
    dir: &Path,
    rng: &mut Rng,
    real: &[RealFile],
    places: &[Placement],
    decoys: &[DecoyFile],
) -> anyhow::Result<Outcome> {
    let mut git = Git::init(dir, rng.fork("git"))?;
    for (p, c) in SKELETON {
        git.write(p, c.as_bytes())?;
    }
    git.commit("Initial commit")?;

    // Real code, in eight imports of consecutive paths.
    let chunk = real.len().div_ceil(8).max(1);
    for files in real.chunks(chunk) {
        for f in files {
            git.write(&f.path, &f.content)?;
        }
        let dir = |f: Option<&RealFile>| {
            let p = f.map_or("", |f| f.path.as_str());
            p.rsplit_once('/').map_or(p, |(d, _)| d).to_owned()
        };
        let (first, last) = (dir(files.first()), dir(files.last()));
        let span = if first == last {
            first
        } else {
            format!("{first} .. {last}")
        };
        git.commit(&format!("Import {} files: {span}", files.len()))?;
    }

    let mut main: Vec<Item> = Vec::new();
    let (mut branch, mut tag) = (Vec::new(), Vec::new());
    for (i, p) in places.iter().enumerate() {
        match p.plan {
            Plan::Branch => branch.push(i),
            Plan::Tag => tag.push(i),
            _ => main.push(Item::Place(i)),
        }
    }
    main.extend((0..decoys.len()).map(Item::Decoy));
    rng.shuffle(&mut main);

    let mut decoy_labels: Vec<(String, String, String, u32)> = Vec::new();
    for d in decoys {
        for (kind, value, line) in &d.marks {
            decoy_labels.push(((*kind).to_owned(), value.clone(), d.path.clone(), *line));
        }
    }

    let mut pending: Vec<(usize, Later)> = Vec::new();
    let groups = {
        let mut g = Vec::new();
        let mut it = main.into_iter().peekable();
        while it.peek().is_some() {
            let n = rng.range(1, 3);
            g.push(it.by_ref().take(n).collect::<Vec<_>>());
        }
        g
    };
    let n_groups = groups.len();
    for (step, group) in groups.into_iter().enumerate() {
        if step == n_groups / 3 {
            git.tag(RELEASE_TAGS[0], "First internal release")?;
        }
        if step == n_groups * 3 / 5 {
            side_commits(&mut git, rng, places, &branch, &tag)?;
        }
        let mut msg = String::new();
        for item in &group {
            match item {
                Item::Place(i) => {
                    let p = &places[*i];
                    git.write(&p.built.path, &p.built.content)?;
                    let verbs = [
                        "Add",
                        "Update",
                        "Wire up",
                        "Configure",
                        "WIP:",
                        "Quick fix for",
                        "Set up",
                    ];
                    if msg.is_empty() {
                        msg = message(rng, &verbs, &p.built.path);
                    }
                    let due = step + rng.range(1, 6);
                    match p.plan {
                        Plan::DeleteFile => pending.push((due, Later::Delete(*i))),
                        Plan::Rewrite => pending.push((due, Later::Rewrite(*i))),
                        _ => {}
                    }
                }
                Item::Decoy(j) => {
                    let d = &decoys[*j];
                    git.write(&d.path, &d.content)?;
                    if msg.is_empty() {
                        msg = message(rng, &["Add", "Document", "Add example", "Pin"], &d.path);
                    }
                }
            }
        }
        git.commit(&msg)?;
        run_due(&mut git, rng, places, &mut pending, step, &mut decoy_labels)?;
    }
    run_due(
        &mut git,
        rng,
        places,
        &mut pending,
        usize::MAX,
        &mut decoy_labels,
    )?;
    git.tag(RELEASE_TAGS[1], "Release 1.0.0")?;

    Ok(Outcome {
        planted: planted_labels(places),
        decoys: decoy_ids(decoy_labels),
    })
}

/// The feature branch and the tag-only hotfix commit, both off the current
/// `main`.
fn side_commits(
    git: &mut Git,
    rng: &mut Rng,
    places: &[Placement],
    branch: &[usize],
    tag: &[usize],
) -> anyhow::Result<()> {
    git.switch_new(FEATURE_BRANCH)?;
    for files in branch.chunks(3) {
        for i in files {
            git.write(&places[*i].built.path, &places[*i].built.content)?;
        }
        let first = files.first().map_or("", |i| places[*i].built.path.as_str());
        git.commit(&message(
            rng,
            &["Billing export: add", "Billing export: configure"],
            first,
        ))?;
    }
    git.switch("main")?;
    git.detach()?;
    for i in tag {
        git.write(&places[*i].built.path, &places[*i].built.content)?;
    }
    if !tag.is_empty() {
        git.commit("Hotfix: emergency credentials for the 0.9 line")?;
    }
    git.tag(HOTFIX_TAG, "Hotfix build")?;
    git.switch("main")?;
    Ok(())
}

fn run_due(
    git: &mut Git,
    rng: &mut Rng,
    places: &[Placement],
    pending: &mut Vec<(usize, Later)>,
    step: usize,
    decoys: &mut Vec<(String, String, String, u32)>,
) -> anyhow::Result<()> {
    let (due, rest): (Vec<_>, Vec<_>) = std::mem::take(pending)
        .into_iter()
        .partition(|(d, _)| *d <= step);
    *pending = rest;
    for (_, later) in due {
        match later {
            Later::Delete(i) => {
                let path = &places[i].built.path;
                git.remove(path)?;
                git.commit(&message(
                    rng,
                    &["Remove", "Stop tracking", "Delete local"],
                    path,
                ))?;
            }
            Later::Rewrite(i) => {
                let p = &places[i];
                let (content, templates) = rewrite(p);
                git.write(&p.built.path, &content)?;
                let verbs = [
                    "Read credentials from the environment in",
                    "Move secret out of",
                ];
                git.commit(&message(rng, &verbs, &p.built.path))?;
                for (value, line) in templates {
                    decoys.push(("template".to_owned(), value, p.built.path.clone(), line));
                }
            }
        }
    }
    Ok(())
}

fn planted_labels(places: &[Placement]) -> Vec<Planted> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut out = Vec::new();
    for p in places {
        let state = match p.plan {
            Plan::Head => State::Head,
            Plan::DeleteFile | Plan::Rewrite => State::Deleted,
            Plan::Branch => State::Branch,
            Plan::Tag => State::Tag,
        };
        for (mark, kind) in p.built.marks.iter().zip(p.kinds) {
            let n = counts.entry(kind).or_default();
            *n += 1;
            out.push(Planted {
                id: format!("{kind}-{n}"),
                family: p.family.to_owned(),
                kind: (*kind).to_owned(),
                secret: mark.secret.clone(),
                path: p.built.path.clone(),
                line: mark.line,
                state,
            });
        }
    }
    out
}

fn decoy_ids(labels: Vec<(String, String, String, u32)>) -> Vec<Decoy> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    labels
        .into_iter()
        .map(|(kind, value, path, line)| {
            let n = counts.entry(kind.clone()).or_default();
            *n += 1;
            Decoy {
                id: format!("decoy-{kind}-{n}"),
                kind,
                value,
                path,
                line,
            }
        })
        .collect()
}
