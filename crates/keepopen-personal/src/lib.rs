//! The personal-data detector. Patient-level data slips into a repository
//! through a CSV extract, a notebook whose outputs show rows, a spreadsheet
//! with a hidden sheet, or a table of counts that breaks small-number
//! suppression; this crate finds each of them in any piece of content,
//! from the working tree or from any blob in history.

mod detector;
pub mod formats;
pub mod ids;
mod route;
pub mod rules;
pub mod table;
pub mod text;

pub use detector::{PersonalData, Settings};

/// What the crate's tests share.
#[cfg(test)]
pub(crate) mod testing {
    /// Marsaglia's xorshift64: repeatable pseudo-random numbers for tests
    /// that try many inputs, without a dependency.
    pub(crate) struct XorShift(pub u64);

    impl XorShift {
        pub(crate) fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
    }
}
