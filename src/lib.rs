//! bouncelens: why email fails to deliver, at log scale.
//!
//! Stages, one module each:
//! `source -> parse -> classify -> correlate -> aggregate -> sink`,
//! driven by `pipeline` (one input) and `run` (a whole run).

pub mod aggregate;
pub mod analytics;
pub mod archive_input;
pub mod batch;
pub mod classify;
pub mod classify_cmd;
pub mod cli;
pub mod correlate;
pub mod dsn;
pub mod explain;
pub mod parse;
pub mod pipeline;
pub mod query;
pub mod record;
pub mod redact;
pub mod report;
pub mod run;
pub mod sample;
pub mod sink;
pub mod source;
pub mod state;

pub const VERSION: &str = env!("CARGO_PKG_VERSION");
