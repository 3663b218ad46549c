//! The secret detector. Rules are data (`keepopen-rules`); this crate
//! compiles them into one keyword prefilter and runs a rule's regex only
//! near a hit of one of its keywords, then drops what fails a checksum, is
//! too uniform to be a secret, or is a known kind of decoy.

mod catalogue;
mod check;
mod decoy;
mod deferral;
mod detector;
mod engine;
mod entropy;
mod keywords;
mod lockfile;
mod magic;
mod names;
mod pattern;
mod reuse;
#[cfg(test)]
mod testing;
mod validate;
mod windows;

pub use catalogue::catalogue;
pub use check::{ExampleFailure, check_examples};
pub use decoy::Decoy;
pub use engine::{Engine, EngineError};
pub use entropy::shannon;
pub use lockfile::{is_lockfile, looks_like_lockfile};
pub use validate::{Validator, base62_crc32_checksum};
