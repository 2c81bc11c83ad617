//! `bouncelens classify`: the `events` rows of the inputs, to stdout.

use crate::cli::{ClassifyArgs, RecordFormat};
use crate::parse::Format;
use crate::pipeline;
use crate::source;
use polars::prelude::*;
use std::io::Write;

/// Returns the number of inputs that failed.
pub fn run(args: &ClassifyArgs) -> anyhow::Result<usize> {
    let (files, errors) = source::discover(&args.input.inputs);
    let mut failed = errors.len();
    for e in &errors {
        eprintln!("bouncelens: error: {}: {}", e.path, e.reason);
    }
    let forced = args
        .input
        .input_format
        .as_deref()
        .and_then(Format::from_name);
    let (tz_offset_s, tz) = args.input.zone()?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for file in files {
        let display = file.path.display().to_string();
        let content = match source::open(&file.path, file.size) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("bouncelens: error: {display}: {e}");
                failed += 1;
                continue;
            }
        };
        let head = source::head(&content);
        if head.is_empty() {
            continue;
        }
        let Some(kind) = pipeline::InputKind::detect(&head, forced) else {
            eprintln!("bouncelens: error: {display}: format not recognised");
            failed += 1;
            continue;
        };
        let ctx = crate::parse::LineCtx {
            year: pipeline::year_rule(&head, args.input.year, file.mtime),
            tz_offset_s,
            tz,
        };
        let mut stage = pipeline::Stage::new(None);
        let mut emit = |chunks: Vec<crate::batch::Chunk>| -> anyhow::Result<()> {
            let failures = stage.block(&chunks)?;
            let mut ev = pipeline::events_frame(&failures, kind, &display)?;
            write_frame(&mut out, &mut ev, args.format)
        };
        let read = match kind {
            pipeline::InputKind::Log(format) => {
                let mut lines = 0;
                source::for_each_block(&content, 16 << 20, |block| -> anyhow::Result<()> {
                    let mut c = crate::batch::parse_chunk(block, format, &ctx);
                    c.line_offset = lines;
                    lines += c.counts.lines;
                    emit(vec![c])
                })?
                .map_err(|e| e.to_string())
            }
            pipeline::InputKind::Archive(ak) => {
                match crate::archive_input::for_each_batch(&content, ak, |c| emit(vec![c]))?.1 {
                    Some(e) => Err(e),
                    None => Ok(()),
                }
            }
        };
        if let Err(e) = read {
            eprintln!("bouncelens: error: {display}: {e}");
            failed += 1;
        }
    }
    Ok(failed)
}

fn write_frame(
    out: &mut impl Write,
    df: &mut DataFrame,
    format: RecordFormat,
) -> anyhow::Result<()> {
    if df.height() == 0 {
        return Ok(());
    }
    match format {
        RecordFormat::Jsonl => JsonWriter::new(out)
            .with_json_format(JsonFormat::JsonLines)
            .finish(df)?,
        RecordFormat::Table => writeln!(out, "{df}")?,
    }
    Ok(())
}
