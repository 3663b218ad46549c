//! What to plant: one [`Recipe`] per kind of secret (or pair of kinds that
//! travel together), each with the token generator and the variants — file
//! type and syntax — it is planted in. Every variant is used once, so a
//! recipe with N variants plants N times.

mod apps;
mod cloud;
mod config;
mod database;
mod devops;
mod generic;
mod keyfiles;
mod platform;

use crate::rng::Rng;

/// How a recipe's values are generated.
pub enum Make {
    One(fn(&mut Rng) -> String),
    Many(fn(&mut Rng) -> Vec<String>),
    /// Custom variants generate their own material.
    None,
}

pub enum Variant {
    /// A new text file: path and body with `«0»`, `«1»` and fillers. An
    /// `.ipynb` path turns the (Python) body into a notebook.
    File(&'static str, &'static str),
    /// Lines spliced into a copied real source file with this extension.
    Insert(&'static str, &'static str),
    /// A file built by code (keys, binary files).
    Custom(fn(&mut Rng) -> Built),
}

pub struct Recipe {
    pub family: &'static str,
    /// One kind per generated value, in order.
    pub kinds: &'static [&'static str],
    pub make: Make,
    pub variants: &'static [Variant],
}

/// Where one labelled value sits in a built file.
#[derive(Clone, Debug)]
pub struct Mark {
    pub secret: Option<String>,
    pub line: Option<u32>,
}

/// A file with its labelled values, one [`Mark`] per kind of the recipe.
#[derive(Clone, Debug)]
pub struct Built {
    pub path: String,
    pub content: Vec<u8>,
    pub marks: Vec<Mark>,
}

impl Make {
    pub fn values(&self, rng: &mut Rng) -> Vec<String> {
        match self {
            Make::One(f) => vec![f(rng)],
            Make::Many(f) => f(rng),
            Make::None => Vec::new(),
        }
    }
}

/// Every recipe, in a fixed order.
pub fn all() -> Vec<&'static Recipe> {
    cloud::RECIPES
        .iter()
        .chain(devops::RECIPES)
        .chain(apps::RECIPES)
        .chain(platform::RECIPES)
        .chain(database::RECIPES)
        .chain(config::RECIPES)
        .chain(generic::RECIPES)
        .chain(keyfiles::RECIPES)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_recipe_plants_at_least_three_times_and_kinds_are_unique() {
        let mut kinds = Vec::new();
        for r in all() {
            assert!(
                r.variants.len() >= 3,
                "{:?} has {} variants",
                r.kinds,
                r.variants.len()
            );
            kinds.extend(r.kinds.iter().copied());
        }
        let n = kinds.len();
        kinds.sort_unstable();
        kinds.dedup();
        assert_eq!(n, kinds.len(), "duplicate kind names");
    }

    #[test]
    fn file_variants_hold_every_value_marker() {
        for r in all() {
            for v in r.variants {
                if let Variant::File(_, body) | Variant::Insert(_, body) = v {
                    for i in 0..r.kinds.len() {
                        let held =
                            body.contains(&format!("«{i}»")) || (i == 0 && body.contains("«AUTH»"));
                        assert!(held, "{:?}: {body}", r.kinds);
                    }
                }
            }
        }
    }
}
