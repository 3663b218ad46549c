//! Decoys: values that look like secrets to a naive scanner but are not —
//! placeholders, environment lookups, templates, documented examples, test
//! keys, lockfile hashes, UUIDs, public keys, commit SHAs and digests.
//! Every one is labelled so a scanner that reports it loses precision.

mod hashes;
mod words;

use anyhow::Context;

use crate::rng::Rng;
use crate::text::{line_of, render};

pub struct DecoyFile {
    pub path: String,
    pub content: Vec<u8>,
    /// (kind, value, 1-based line)
    pub marks: Vec<(&'static str, String, u32)>,
}

pub(super) fn file(
    rng: &mut Rng,
    path: &str,
    body: &str,
    vals: Vec<(&'static str, String)>,
) -> anyhow::Result<DecoyFile> {
    let values: Vec<String> = vals.iter().map(|(_, v)| v.clone()).collect();
    let text = render(rng, body.strip_prefix('\n').unwrap_or(body), &values);
    let mut marks = Vec::new();
    for (kind, v) in vals {
        let line = line_of(&text, &v).with_context(|| format!("decoy missing in {path}"))?;
        marks.push((kind, v, line));
    }
    Ok(DecoyFile {
        path: path.to_owned(),
        content: text.into_bytes(),
        marks,
    })
}

/// Every decoy file, in a fixed order.
pub fn plan(rng: &mut Rng) -> anyhow::Result<Vec<DecoyFile>> {
    let mut v = words::placeholders(rng)?;
    v.extend(words::lookups(rng)?);
    v.extend(words::templates(rng)?);
    v.extend(words::examples_and_test_keys(rng)?);
    v.extend(hashes::lockfiles(rng)?);
    v.extend(hashes::ids_and_digests(rng)?);
    v.extend(hashes::public_keys(rng)?);
    v.extend(words::env_examples(rng)?);
    Ok(v)
}
