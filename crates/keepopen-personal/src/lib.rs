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
