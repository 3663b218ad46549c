//! The one integration-test binary: real git repositories built in
//! temporary folders, and the real `keepopen` binary run on them.

mod api_clients;
mod assessment;
mod attribution;
mod bad_input;
mod changes;
mod ci_files;
mod clinical;
mod code;
mod context_redaction;
mod controls;
mod db;
mod decoys;
mod dependencies;
mod exposure;
mod formats;
mod history;
mod history_gaps;
mod limits;
mod org;
mod org_store;
mod path_context;
mod personal;
mod personal_bad_input;
mod personal_documents;
mod personal_quality;
mod posture;
mod pre_commit;
mod presigned;
mod quality;
mod registry;
mod self_scan;
mod staff;
mod support;
mod terminal_injection;
mod unreachable;
