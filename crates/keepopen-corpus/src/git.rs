//! A thin wrapper over the `git` command line that makes reproducible
//! commits: fixed committer identity and dates, no user or system config.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

use crate::rng::Rng;

/// 2023-01-02T09:00:00Z.
const START: i64 = 1_672_650_000;

const AUTHORS: &[(&str, &str)] = &[
    ("Priya Shah", "priya.shah@northwind-analytics.com"),
    ("Tom Okafor", "tom.okafor@northwind-analytics.com"),
    ("Mei Lin", "mei.lin@northwind-analytics.com"),
    ("Jonas Berg", "jonas.berg@northwind-analytics.com"),
    ("Sara Costa", "sara.costa@northwind-analytics.com"),
];

pub struct Git {
    dir: PathBuf,
    time: i64,
    author: usize,
    rng: Rng,
    /// An empty file standing in for the user's global config.
    empty_config: PathBuf,
}

impl Git {
    /// `git init` a new repository whose default branch is `main`.
    pub fn init(dir: &Path, rng: Rng) -> anyhow::Result<Git> {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let empty_config = std::env::temp_dir().join("keepopen-corpus-empty.gitconfig");
        std::fs::write(&empty_config, b"")?;
        let g = Git {
            dir: dir.to_owned(),
            time: START,
            author: 0,
            rng,
            empty_config,
        };
        g.run(&["init", "-q", "--initial-branch=main", "."])?;
        Ok(g)
    }

    fn command(&self) -> Command {
        let mut c = Command::new("git");
        let date = format!("{} +0000", self.time);
        let (name, email) = AUTHORS[self.author];
        c.current_dir(&self.dir)
            .args([
                "-c",
                "user.name=Build Bot",
                "-c",
                "user.email=build-bot@northwind-analytics.com",
            ])
            .args([
                "-c",
                "commit.gpgsign=false",
                "-c",
                "tag.gpgsign=false",
                "-c",
                "core.autocrlf=false",
            ])
            .args([
                "-c",
                "init.defaultBranch=main",
                "-c",
                "advice.detachedHead=false",
            ])
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", &self.empty_config)
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("LC_ALL", "C")
            .env("GIT_AUTHOR_NAME", name)
            .env("GIT_AUTHOR_EMAIL", email)
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date);
        for v in [
            "GIT_DIR",
            "GIT_WORK_TREE",
            "GIT_INDEX_FILE",
            "GIT_OBJECT_DIRECTORY",
            "GIT_COMMITTER_NAME",
            "GIT_COMMITTER_EMAIL",
        ] {
            c.env_remove(v);
        }
        c
    }

    /// Runs `git args…` and returns its standard output.
    pub fn run(&self, args: &[&str]) -> anyhow::Result<String> {
        let out = self.command().args(args).output().context("running git")?;
        if !out.status.success() {
            bail!(
                "git {} failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    pub fn write(&self, path: &str, content: &[u8]) -> anyhow::Result<()> {
        let p = self.dir.join(path);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&p, content).with_context(|| format!("writing {}", p.display()))
    }

    pub fn remove(&self, path: &str) -> anyhow::Result<()> {
        self.run(&["rm", "-q", "--", path]).map(drop)
    }

    /// Stages everything and commits; the clock then moves on by a few
    /// hours to a couple of days, and the next author takes over.
    pub fn commit(&mut self, message: &str) -> anyhow::Result<()> {
        self.run(&["add", "-A"])?;
        self.run(&["commit", "-q", "--no-verify", "-m", message])?;
        self.time += self.rng.range(2 * 3600, 60 * 3600) as i64;
        self.author = self.rng.below(AUTHORS.len());
        Ok(())
    }

    pub fn tag(&self, name: &str, message: &str) -> anyhow::Result<()> {
        self.run(&["tag", "-a", name, "-m", message]).map(drop)
    }

    pub fn switch_new(&self, branch: &str) -> anyhow::Result<()> {
        self.run(&["switch", "-q", "-c", branch]).map(drop)
    }

    pub fn switch(&self, branch: &str) -> anyhow::Result<()> {
        self.run(&["switch", "-q", branch]).map(drop)
    }

    pub fn detach(&self) -> anyhow::Result<()> {
        self.run(&["switch", "-q", "--detach"]).map(drop)
    }
}
