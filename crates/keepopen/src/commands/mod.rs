//! One module per subcommand.

pub mod baseline;
pub mod db;
pub mod exception;
pub mod explain;
pub mod org;
pub mod posture;
pub mod rules;
pub mod sbom;
pub mod scan;
pub mod serve;
pub mod triage;
