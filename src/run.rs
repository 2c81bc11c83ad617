//! `bouncelens run`: discover inputs, skip what the state says is done,
//! process the rest in parallel, commit each input, print one summary line.

use crate::cli::RunArgs;
use crate::parse::Format;
use crate::pipeline::{self, Processed, Settings};
use crate::sink::OutputFault;
use crate::source::{self, InputFile};
use crate::state::{Entry, OutDir, StateError};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Instant;

/// How a run ended.
#[derive(Debug, Default)]
pub struct Summary {
    pub files: usize,
    pub skipped: usize,
    pub failed: usize,
    pub lines: u64,
    pub failures: u64,
    pub unparsed: u64,
    /// From bounce archives: auto-replies and feedback reports (no failure).
    pub auto_replies: u64,
    pub feedback_reports: u64,
}

impl Summary {
    pub fn exit_code(&self) -> u8 {
        u8::from(self.failed > 0)
    }
}

/// Parse `±HH:MM` / `±HHMM` / `Z` into seconds.
pub fn parse_offset(s: &str) -> anyhow::Result<i64> {
    if s == "Z" || s == "UTC" {
        return Ok(0);
    }
    let (sign, rest) = match s.as_bytes().first() {
        Some(b'+') => (1, &s[1..]),
        Some(b'-') => (-1, &s[1..]),
        _ => anyhow::bail!("--utc-offset {s:?}: expected ±HH:MM"),
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    anyhow::ensure!(
        digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_digit()),
        "--utc-offset {s:?}: expected ±HH:MM"
    );
    let (h, m): (i64, i64) = (digits[..2].parse()?, digits[2..].parse()?);
    anyhow::ensure!(h < 24 && m < 60, "--utc-offset {s:?} out of range");
    Ok(sign * (h * 3600 + m * 60))
}

/// A discovered file with its content identity, ready to decide on.
struct Candidate {
    file: InputFile,
    content: source::Content,
    head: Vec<u8>,
    id: String,
    gz: bool,
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

fn progress_bar(total: u64, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    // counted in inputs: a .gz's decoded size is unknown until it is read
    let pb = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    pb.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} inputs, {msg}",
        )
        .expect("valid template"),
    );
    pb.enable_steady_tick(std::time::Duration::from_millis(200));
    pb
}

/// Open every input and work out its id; unreadable ones are reported.
fn identify(files: Vec<InputFile>, summary: &mut Summary) -> Vec<Candidate> {
    let opened: Vec<_> = files
        .into_par_iter()
        .map(|file| match source::open(&file.path, file.size) {
            Ok(content) => {
                let head = source::head(&content);
                let id = source::fingerprint(&head);
                let gz = source::is_gzip(&content);
                Ok(Candidate {
                    file,
                    content,
                    head,
                    id,
                    gz,
                })
            }
            Err(e) => Err(format!("{}: {e}", file.path.display())),
        })
        .collect();
    let mut out: Vec<Candidate> = Vec::new();
    for c in opened {
        match c {
            Ok(c) => {
                // the same content twice (a copy): keep the longer one
                if let Some(prev) = out.iter_mut().find(|p| p.id == c.id) {
                    if c.content.len() > prev.content.len() {
                        *prev = c;
                    }
                    continue;
                }
                out.push(c);
            }
            Err(msg) => {
                eprintln!("bouncelens: error: {msg}");
                summary.failed += 1;
            }
        }
    }
    out
}

/// Decide whether a candidate needs processing, and under which id.
fn decide(dir: &OutDir, c: &Candidate, reprocess: bool) -> Option<String> {
    match dir.find(&c.id, &c.head) {
        None => Some(c.id.clone()),
        Some((id, _)) if reprocess => Some(id.to_owned()),
        // a plain file that grew since (the live log), or the compressed
        // copy of a log we saw while it was still plain
        Some((id, e)) if (!c.gz && c.content.len() as u64 > e.content_len) || (c.gz && !e.gz) => {
            Some(id.to_owned())
        }
        Some(_) => None,
    }
}

/// Run the `run` command; returns the summary (exit code inside).
pub fn run(args: &RunArgs) -> anyhow::Result<Summary> {
    let started = Instant::now();
    let zone = args.input.zone()?;
    let mut settings = Settings {
        out: args.out.clone(),
        tmp_root: PathBuf::new(),
        period: args.period,
        year: args.input.year,
        format: args
            .input
            .input_format
            .as_deref()
            .and_then(Format::from_name),
        tz_offset_s: zone.0,
        tz: zone.1,
        block_size: args.block_size.max(64 * 1024),
        run_id: format!("{:x}-{}", now_ms(), std::process::id()),
        run_started_ms: now_ms(),
        redact: args
            .redact
            .as_deref()
            .map(crate::redact::Redactor::from_env_or_file)
            .transpose()?,
    };
    let dir = OutDir::open(&args.out, args.shard.as_deref(), args.reprocess)?;
    settings.tmp_root = dir.tmp_root();
    let mut summary = Summary::default();
    let (files, errors) = source::discover(&args.input.inputs);
    for e in &errors {
        eprintln!("bouncelens: error: {}: {}", e.path, e.reason);
    }
    summary.failed += errors.len();
    let candidates = identify(files, &mut summary);
    let todo: Vec<(Candidate, String)> = candidates
        .into_iter()
        .filter_map(|c| match decide(&dir, &c, args.reprocess) {
            Some(id) => Some((c, id)),
            None => {
                summary.skipped += 1;
                None
            }
        })
        .collect();
    summary.files = todo.len() + summary.skipped;
    let pb = progress_bar(todo.len() as u64, args.quiet);
    let dir = Mutex::new(dir);
    let summary = Mutex::new(summary);
    let read_bytes = std::sync::atomic::AtomicU64::new(0);
    let started_read = Instant::now();
    let on_bytes = |n: u64| {
        let done = read_bytes.fetch_add(n, std::sync::atomic::Ordering::Relaxed) + n;
        let secs = started_read.elapsed().as_secs_f64().max(0.001);
        pb.set_message(format!(
            "{} MB read ({:.0} MB/s)",
            done >> 20,
            done as f64 / secs / 1e6
        ));
    };
    // A few workers take inputs one at a time; rayon parallelises inside an
    // input. (A rayon loop over inputs would nest waits of thousands of
    // small inputs on one stack.)
    let next = std::sync::atomic::AtomicUsize::new(0);
    let workers = rayon::current_num_threads().clamp(1, todo.len().max(1));
    // an output fault (disk full, read-only) stops every worker: the next
    // input would fail the same way
    let fatal: Mutex<Option<anyhow::Error>> = Mutex::new(None);
    let work = || loop {
        if fatal.lock().expect("fatal lock").is_some() {
            break;
        }
        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let Some((c, id)) = todo.get(i) else { break };
        let result = process_one(c, id, &settings, &on_bytes, &dir);
        let result = match result {
            Err(e) if is_output_fault(&e) => {
                fatal.lock().expect("fatal lock").get_or_insert(e);
                break;
            }
            other => other,
        };
        pb.inc(1);
        let mut s = summary.lock().expect("summary lock");
        match result {
            Ok(r) => {
                s.lines += r.counts.lines;
                s.failures += r.counts.failures;
                s.unparsed += r.counts.unparsed;
                s.auto_replies += r.counts.auto_replies;
                s.feedback_reports += r.counts.feedback_reports;
                if let Some(e) = &r.error {
                    eprintln!(
                        "bouncelens: error: {}: {e} (rows before it were kept)",
                        r.path
                    );
                    s.failed += 1;
                }
            }
            Err(e) => {
                eprintln!("bouncelens: error: {}: {e:#}", c.file.path.display());
                s.failed += 1;
            }
        }
    };
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(work);
        }
    });
    pb.finish_and_clear();
    let mut dir = dir.into_inner().expect("state lock");
    if let Some(e) = fatal.into_inner().expect("fatal lock") {
        // inputs committed before the fault stay consistent (their journal
        // is rolled forward by the next run if this save fails too)
        let _ = dir.flush();
        dir.remove_temp();
        return Err(e.context("stopped: no further input was processed"));
    }
    if let Err(e) = dir.flush() {
        dir.remove_temp();
        return Err(e.into());
    }
    // the derived tables take the lock again themselves
    drop(dir);
    if args.no_merge {
        // `bouncelens merge` rebuilds them once all shards are in
    } else {
        crate::analytics::update(&args.out, args.episode_gap)?;
    }
    let summary = summary.into_inner().expect("summary lock");
    let not_failures = if summary.auto_replies + summary.feedback_reports > 0 {
        format!(
            ", {} auto-replies, {} feedback reports",
            summary.auto_replies, summary.feedback_reports
        )
    } else {
        String::new()
    };
    eprintln!(
        "bouncelens: {} inputs processed, {} already seen, {} failed; {} lines, {} failures, {} unparsed{not_failures} -> {} in {:.1}s",
        summary.files - summary.skipped,
        summary.skipped,
        summary.failed,
        summary.lines,
        summary.failures,
        summary.unparsed,
        args.out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(summary)
}

/// Whether `e` is a failure to write under `--out` rather than a bad input.
fn is_output_fault(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<OutputFault>().is_some()
            || matches!(
                c.downcast_ref::<StateError>(),
                Some(StateError::Write { .. } | StateError::Out { .. })
            )
    })
}

fn process_one(
    c: &Candidate,
    id: &str,
    s: &Settings,
    on_bytes: &(dyn Fn(u64) + Sync),
    dir: &Mutex<OutDir>,
) -> anyhow::Result<pipeline::InputReport> {
    // an empty input (a fresh rotation) is fine: it has no lines to parse
    let empty = c.head.is_empty().then_some(Format::Postfix);
    let kind = pipeline::InputKind::detect(&c.head, s.format.or(empty)).ok_or_else(|| {
        anyhow::anyhow!(
            "format not recognised (no Postfix, Exim or Sendmail line in the first 200 lines, \
             and not a mail message or mbox)"
        )
    })?;
    let Processed {
        report,
        tmp_dir,
        parts,
    } = pipeline::process(&c.file, &c.content, id, kind, s, on_bytes)?;
    let mut d = dir.lock().expect("state lock");
    // an input first seen shorter than 64 KiB keeps being matched on that length
    let head_len = d
        .state
        .inputs
        .get(id)
        .map_or(c.head.len() as u64, |e| e.head_len);
    let entry = Entry {
        path: report.path.clone(),
        head_len,
        content_len: report.content_len,
        gz: c.gz,
        format: report.format.clone(),
        run_id: s.run_id.clone(),
        parts: Vec::new(),
    };
    d.commit(id, entry, tmp_dir, parts)?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets() {
        assert_eq!(parse_offset("+01:00").unwrap(), 3600);
        assert_eq!(parse_offset("-0530").unwrap(), -19_800);
        assert_eq!(parse_offset("Z").unwrap(), 0);
        assert!(parse_offset("1:00").is_err());
        assert!(parse_offset("+25:00").is_err());
    }
}
