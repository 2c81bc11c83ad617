//! bouncelens: why email fails to deliver, at log scale.
//!
//! Stages, one module each:
//! `source -> parse -> classify -> correlate -> aggregate -> sink`,
//! driven by `pipeline` (one input) and `run` (a whole run).

#[cfg(feature = "engine")]
pub mod aggregate;
#[cfg(feature = "engine")]
pub mod analytics;
#[cfg(feature = "engine")]
pub mod archive_input;
#[cfg(feature = "engine")]
pub mod batch;
pub mod classify;
#[cfg(feature = "engine")]
pub mod classify_cmd;
#[cfg(feature = "engine")]
pub mod cli;
#[cfg(feature = "engine")]
pub mod correlate;
pub mod dsn;
pub mod explain;
pub mod parse;
#[cfg(feature = "engine")]
pub mod pipeline;
#[cfg(feature = "engine")]
pub mod query;
pub mod record;
pub mod redact;
#[cfg(feature = "engine")]
pub mod report;
#[cfg(feature = "engine")]
pub mod run;
pub mod sample;
#[cfg(feature = "engine")]
pub mod sink;
pub mod source;
#[cfg(feature = "engine")]
pub mod state;

pub const VERSION: &str = env!("CARGO_PKG_VERSION");
