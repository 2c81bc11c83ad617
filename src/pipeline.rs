//! One input from bytes to committed-ready parts: blocks -> parallel parse
//! and classify -> correlate -> events (streamed) and facts -> aggregates.

use crate::aggregate::{Aggregator, Period};
use crate::batch::{parse_chunk, Batch, Counts};
use crate::correlate::Correlator;
use crate::dsn::ArchiveKind;
use crate::parse::time::{civil_from_days, syslog_month_day};
use crate::parse::{Format, LineCtx, YearRule};
use crate::record::{domain_of, SourceKind};
use crate::sink::{OutputFault, PartSink, PendingPart};
use crate::source::{self, InputFile};
use polars::prelude::*;
use rayon::prelude::*;
use std::path::PathBuf;
use std::time::SystemTime;

/// Settings that apply to every input of a run.
#[derive(Debug, Clone)]
pub struct Settings {
    pub out: PathBuf,
    pub period: Period,
    pub year: Option<i32>,
    pub format: Option<Format>,
    pub tz_offset_s: i64,
    pub tz: Option<&'static jiff::tz::TimeZone>,
    /// Decoded bytes per block (the unit of parallel parsing).
    pub block_size: usize,
    pub run_id: String,
    /// Milliseconds since the epoch when the run started.
    pub run_started_ms: i64,
    /// Where temp parts go (the run's or the shard's temp area).
    pub tmp_root: PathBuf,
    /// `--redact`: addresses are hashed before anything is written.
    pub redact: Option<crate::redact::Redactor>,
}

/// What processing one input gave (a row of the `inputs` table).
#[derive(Debug, Clone, Default)]
pub struct InputReport {
    pub path: String,
    pub size: u64,
    pub content_len: u64,
    pub fingerprint: String,
    pub format: String,
    pub counts: Counts,
    pub error: Option<String>,
}

/// The year rule for year-less stamps of one input.
pub fn year_rule(head: &[u8], year: Option<i32>, mtime: SystemTime) -> YearRule {
    match year {
        Some(year) => {
            let first_month = head
                .split(|&b| b == b'\n')
                .find_map(|l| syslog_month_day(l).map(|(m, _)| m))
                .unwrap_or(1);
            YearRule::StartsIn { year, first_month }
        }
        None => {
            let secs = mtime
                .duration_since(SystemTime::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64);
            let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
            YearRule::EndsBy {
                year: y as i32,
                month: m,
                day: d,
            }
        }
    }
}

/// Parse one block in parallel chunks, in order; line numbers continue
/// from `first_line`.
fn parse_block(
    block: &[u8],
    format: Format,
    ctx: &LineCtx,
    first_line: u64,
) -> PolarsResult<Batch> {
    let chunks = source::split_lines(block, rayon::current_num_threads() * 4);
    let built: Vec<_> = chunks
        .par_iter()
        .map(|c| parse_chunk(c, format, ctx))
        .collect();
    let mut offset = first_line;
    let mut out: Option<Batch> = None;
    for b in built {
        let lines = b.counts.lines;
        let batch = b.finish(offset)?;
        offset += lines;
        out = Some(match out {
            None => batch,
            Some(mut acc) => {
                acc.deliveries.vstack_mut(&batch.deliveries)?;
                acc.meta.vstack_mut(&batch.meta)?;
                acc.removed.vstack_mut(&batch.removed)?;
                acc.counts.merge(&batch.counts);
                acc
            }
        });
    }
    Ok(out.unwrap_or_else(|| {
        crate::batch::BatchBuilder::new(0)
            .finish(0)
            .expect("empty batch")
    }))
}

fn utc_ms(e: Expr) -> Expr {
    e.cast(DataType::Datetime(
        TimeUnit::Milliseconds,
        Some(TimeZone::UTC),
    ))
}

/// Lower-case domain of each sender (null where the sender is null).
fn sender_domains(df: &DataFrame) -> PolarsResult<Column> {
    let s = df.column("sender")?.str()?;
    let ca: StringChunked = s
        .iter()
        .map(|o| o.map(|a| domain_of(a).to_ascii_lowercase()))
        .collect();
    Ok(ca.with_name("sender_domain".into()).into_column())
}

/// The MTA host most lines of a batch name (the `host=` partition of the
/// input: the first batch with a host decides).
fn main_host(batch: &Batch) -> Option<String> {
    let mut counts: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for df in [&batch.deliveries, &batch.meta] {
        if let Some(c) = df.column("mta_host").ok().and_then(|c| c.str().ok()) {
            for h in c.iter().flatten().filter(|h| !h.is_empty()) {
                *counts.entry(h).or_default() += 1;
            }
        }
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
        .map(|(h, _)| h.to_owned())
}

/// What an input holds: log lines of a format, or bounce messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    Log(Format),
    Archive(ArchiveKind),
}

impl InputKind {
    /// The `format` column of `inputs`.
    pub fn name(self) -> &'static str {
        match self {
            InputKind::Log(f) => f.as_str(),
            InputKind::Archive(ArchiveKind::Mbox) => "mbox",
            InputKind::Archive(ArchiveKind::Eml) => "eml",
        }
    }

    /// The `source_kind` column of `events`.
    pub fn source_kind(self) -> &'static str {
        match self {
            InputKind::Log(f) => f.as_str(),
            InputKind::Archive(_) => SourceKind::Dsn.as_str(),
        }
    }

    /// Detect from the head of the decoded content (a forced log format wins).
    pub fn detect(head: &[u8], forced: Option<Format>) -> Option<InputKind> {
        forced
            .or_else(|| crate::parse::detect(head))
            .map(InputKind::Log)
            .or_else(|| crate::dsn::detect_archive(head).map(InputKind::Archive))
    }
}

/// The `events` rows (failures) of correlated deliveries, in DESIGN order.
/// For bounce archives the builders' line number is the message index.
pub fn events_frame(joined: &DataFrame, kind: InputKind, file: &str) -> PolarsResult<DataFrame> {
    let by_message = matches!(kind, InputKind::Archive(_));
    let (line_no, message_index) = if by_message {
        (
            lit(NULL).cast(DataType::Int64),
            col("line_no").cast(DataType::Int64),
        )
    } else {
        (
            col("line_no").cast(DataType::Int64),
            lit(NULL).cast(DataType::Int64),
        )
    };
    let kind = kind.source_kind();
    let mut df = joined
        .clone()
        .lazy()
        .filter(col("outcome").neq(lit("sent")))
        .collect()?;
    let sd = sender_domains(&df)?;
    df.with_column(sd)?;
    df.lazy()
        .select([
            utc_ms(col("ts")).alias("ts"),
            utc_ms(col("ts")).dt().date().alias("date"),
            lit(kind).alias("source_kind"),
            lit(file).alias("source_file"),
            line_no.alias("line_no"),
            message_index.alias("message_index"),
            col("mta_host"),
            col("queue_id"),
            col("sender"),
            col("sender_domain"),
            col("sasl_user"),
            col("client_ip"),
            col("recipient"),
            col("recipient_domain"),
            col("outcome"),
            col("cause"),
            col("permanent"),
            col("smtp_code"),
            col("enhanced_status"),
            col("rule"),
            col("blocklist"),
            col("provider"),
            col("sending_ip"),
            col("remote_host"),
            col("remote_ip"),
            col("suggested_domain"),
            col("diagnostic"),
        ])
        .collect()
}

/// One row of the `inputs` table.
fn inputs_frame(r: &InputReport, s: &Settings) -> PolarsResult<DataFrame> {
    let ts = s.run_started_ms;
    df!(
        "run_started" => [ts],
        "path" => [r.path.as_str()],
        "size" => [r.size],
        "content_bytes" => [r.content_len],
        "fingerprint" => [r.fingerprint.as_str()],
        "format" => [r.format.as_str()],
        "lines" => [r.counts.lines],
        "records" => [r.counts.deliveries],
        "failures" => [r.counts.failures],
        "unparsed" => [r.counts.unparsed],
        "auto_replies" => [r.counts.auto_replies],
        "feedback_reports" => [r.counts.feedback_reports],
        "not_bounces" => [r.counts.not_bounces],
        "errors" => [r.error.as_deref()],
        "run_id" => [s.run_id.as_str()],
    )?
    .lazy()
    .with_column(utc_ms(col("run_started")))
    .with_column(col("run_started").dt().date().alias("date"))
    .collect()
}

/// The result of processing one input.
pub struct Processed {
    pub report: InputReport,
    pub tmp_dir: PathBuf,
    pub parts: Vec<PendingPart>,
}

/// Read, parse, classify, correlate and write one input under part name
/// `id`. A damaged stream keeps what came before the damage and sets
/// `report.error`.
pub fn process(
    file: &InputFile,
    content: &source::Content,
    id: &str,
    kind: InputKind,
    s: &Settings,
    on_bytes: &(dyn Fn(u64) + Sync),
) -> anyhow::Result<Processed> {
    let head = source::head(content);
    let ctx = LineCtx {
        year: year_rule(&head, s.year, file.mtime),
        tz_offset_s: s.tz_offset_s,
        tz: s.tz,
    };
    let display = file.path.display().to_string();
    let fault = |e: &dyn std::fmt::Display| anyhow::Error::new(OutputFault::new(&s.out, e));
    let mut sink =
        PartSink::new(&s.tmp_root, id, content.len() < (1 << 20)).map_err(|e| fault(&e))?;
    let mut counts = Counts::default();
    let mut content_len = 0u64;
    // Three stages overlap: parsing (rayon) of block k+2, correlating and
    // writing the events of block k+1 (writer thread), and counting block k
    // into the aggregates (counter thread).
    let (tx, rx) = crossbeam_channel::bounded::<Batch>(1);
    let (read_error, parse_time, agg, writer_time) = std::thread::scope(|scope| {
        let sink = &mut sink;
        let display = display.as_str();
        let (to_counter, joined_rx) = crossbeam_channel::bounded::<DataFrame>(1);
        let counter = scope.spawn(
            move || -> anyhow::Result<(Aggregator, std::time::Duration)> {
                let mut agg = Aggregator::new(s.period);
                let mut busy = std::time::Duration::ZERO;
                for joined in joined_rx {
                    let t = std::time::Instant::now();
                    agg.add(&joined)?;
                    busy += t.elapsed();
                }
                Ok((agg, busy))
            },
        );
        let writer = scope.spawn(
            move || -> anyhow::Result<(Aggregator, [std::time::Duration; 3])> {
                let mut corr = Correlator::default();
                let mut timing = [std::time::Duration::ZERO; 3];
                let written = (|| -> anyhow::Result<()> {
                    for batch in rx {
                        if !sink.has_host() {
                            if let Some(h) = main_host(&batch) {
                                sink.set_host(&h);
                            }
                        }
                        let t = std::time::Instant::now();
                        let mut joined = corr.join(batch.deliveries, batch.meta, &batch.removed)?;
                        if let Some(r) = &s.redact {
                            joined = crate::redact::redact_frame(&joined, r)?;
                        }
                        timing[0] += t.elapsed();
                        // a closed channel means the counter failed: reported below
                        if to_counter.send(joined.clone()).is_err() {
                            break;
                        }
                        let t = std::time::Instant::now();
                        let events = events_frame(&joined, kind, display)?;
                        sink.write("events", &events).map_err(|e| fault(&e))?;
                        timing[1] += t.elapsed();
                    }
                    Ok(())
                })();
                drop(to_counter);
                let counted = counter
                    .join()
                    .map_err(|_| anyhow::anyhow!("counter thread panicked"))?;
                written?;
                let (agg, busy) = counted?;
                timing[2] = busy;
                Ok((agg, timing))
            },
        );
        let mut send = |batch: Batch| -> anyhow::Result<()> {
            counts.merge(&batch.counts);
            // a closed channel means the writer failed: its error is reported below
            tx.send(batch)
                .map_err(|_| anyhow::anyhow!("writer stopped"))
        };
        let mut parse_time = std::time::Duration::ZERO;
        let read: anyhow::Result<Option<String>> = match kind {
            InputKind::Log(format) => {
                let mut lines = 0;
                source::for_each_block_of(content, s.block_size, |block| -> anyhow::Result<()> {
                    content_len += block.len() as u64;
                    let t = std::time::Instant::now();
                    let batch = parse_block(block, format, &ctx, lines)?;
                    parse_time += t.elapsed();
                    lines += batch.counts.lines;
                    send(batch)?;
                    on_bytes(block.len() as u64);
                    Ok(())
                })
                .map(|r| r.err().map(|e| e.to_string()))
            }
            InputKind::Archive(ak) => {
                let r = crate::archive_input::for_each_batch(content, ak, &mut send);
                on_bytes(content.len() as u64);
                r.map(|(decoded, error)| {
                    content_len = decoded;
                    error
                })
            }
        };
        drop(tx);
        let written = writer
            .join()
            .map_err(|_| anyhow::anyhow!("writer thread panicked"))?;
        let (agg, timing) = written?;
        Ok::<_, anyhow::Error>((read?, parse_time, agg, timing))
    })?;
    if std::env::var_os("BOUNCELENS_TIMING").is_some() {
        eprintln!(
            "timing {display}: parse {parse_time:?} correlate {:?} events {:?} facts {:?}",
            writer_time[0], writer_time[1], writer_time[2]
        );
    }
    for (table, df) in agg.finish()? {
        sink.write(table, &df).map_err(|e| fault(&e))?;
    }
    let report = InputReport {
        path: display,
        size: file.size,
        content_len,
        fingerprint: id.to_owned(),
        format: if content_len == 0 {
            "empty"
        } else {
            kind.name()
        }
        .to_owned(),
        counts,
        error: read_error,
    };
    sink.write("inputs", &inputs_frame(&report, s)?)
        .map_err(|e| fault(&e))?;
    let (tmp_dir, parts) = sink.finish().map_err(|e| fault(&e))?;
    Ok(Processed {
        report,
        tmp_dir,
        parts,
    })
}
