//! OSV advisories for known-vulnerable dependency matching: the record
//! model ([`record`]), loading JSON, YAML and osv.dev `all.zip` exports
//! ([`load`]), the schema's range evaluation with each ecosystem's own
//! version order ([`evaluate`]), and an [`Index`] by package for queries.

pub mod evaluate;
pub mod index;
pub mod load;
pub mod record;

pub use index::{Hit, Index, lowest_fix_for_all, normalise};
pub use load::{LoadError, Loaded, load};
pub use record::Record;
