//! Fuzz the exim line parser (see `line.rs`).
#![no_main]

#[path = "line.rs"]
mod line;

use bouncelens::parse::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| line::run(Format::Exim, data));
