//! The secret detector. Rules are data (`keepopen-rules`); this crate
//! compiles them into one keyword prefilter and runs a rule's regex only
//! near a hit of one of its keywords, then drops what fails a checksum, is
//! too uniform to be a secret, or is a known kind of decoy.

mod check;
mod decoy;
mod engine;
mod entropy;
mod lines;
mod validate;

pub use check::{ExampleFailure, check_examples};
pub use decoy::{is_lockfile, Decoy};
pub use engine::{Engine, EngineError};
pub use entropy::shannon;
pub use validate::{Validator, base62_crc32_checksum};
