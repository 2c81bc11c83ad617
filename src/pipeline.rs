//! One input from bytes to committed-ready parts: blocks -> parallel parse
//! and classify -> correlate -> events (streamed) and facts -> aggregates.

use crate::aggregate::{Aggregator, Period};
use crate::batch::{parse_chunk, Chunk, Counts, Dlv};
use crate::correlate::{Correlator, Names, Resolved};
use crate::dsn::ArchiveKind;
use crate::parse::time::{civil_from_days, syslog_month_day};
use crate::parse::{Format, LineCtx, YearRule};
use crate::record::{domain_of, SourceKind};
use crate::redact::Redactor;
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
fn parse_block(block: &[u8], format: Format, ctx: &LineCtx, first_line: u64) -> Vec<Chunk> {
    let pieces = source::split_lines(block, rayon::current_num_threads() * 4);
    let mut chunks: Vec<Chunk> = pieces
        .par_iter()
        .map(|piece| parse_chunk(piece, format, ctx))
        .collect();
    let mut offset = first_line;
    for c in &mut chunks {
        c.line_offset = offset;
        offset += c.counts.lines;
    }
    chunks
}

/// The correlated failures of a block, as the columns `events` is made of.
pub struct FailRows {
    ts: Vec<i64>,
    line_no: Vec<u64>,
    host: StringChunkedBuilder,
    queue_id: StringChunkedBuilder,
    recipient: StringChunkedBuilder,
    recipient_domain: StringChunkedBuilder,
    outcome: Vec<&'static str>,
    cause: Vec<&'static str>,
    permanent: Vec<bool>,
    smtp_code: Vec<Option<i32>>,
    enhanced_status: StringChunkedBuilder,
    rule: Vec<&'static str>,
    blocklist: Vec<Option<&'static str>>,
    provider: Vec<Option<&'static str>>,
    suggested_domain: Vec<Option<&'static str>>,
    sending_ip: StringChunkedBuilder,
    remote_host: StringChunkedBuilder,
    remote_ip: StringChunkedBuilder,
    diagnostic: StringChunkedBuilder,
    sender: StringChunkedBuilder,
    client_ip: StringChunkedBuilder,
    sasl_user: StringChunkedBuilder,
}

impl Default for FailRows {
    fn default() -> Self {
        let sb = |n: &str| StringChunkedBuilder::new(n.into(), 0);
        FailRows {
            ts: Vec::new(),
            line_no: Vec::new(),
            host: sb("mta_host"),
            queue_id: sb("queue_id"),
            recipient: sb("recipient"),
            recipient_domain: sb("recipient_domain"),
            outcome: Vec::new(),
            cause: Vec::new(),
            permanent: Vec::new(),
            smtp_code: Vec::new(),
            enhanced_status: sb("enhanced_status"),
            rule: Vec::new(),
            blocklist: Vec::new(),
            provider: Vec::new(),
            suggested_domain: Vec::new(),
            sending_ip: sb("sending_ip"),
            remote_host: sb("remote_host"),
            remote_ip: sb("remote_ip"),
            diagnostic: sb("diagnostic"),
            sender: sb("sender"),
            client_ip: sb("client_ip"),
            sasl_user: sb("sasl_user"),
        }
    }
}

impl FailRows {
    /// Keep a correlated delivery if it failed.
    pub fn push(&mut self, c: &Chunk, d: &Dlv, r: Resolved, names: &Names) {
        let Some(i) = d.fail else { return };
        let f = &c.fails[i as usize];
        let opt = |s: Option<crate::batch::Str>| s.map(|s| c.str(s));
        self.ts.push(d.ts);
        self.line_no.push(f.line + c.line_offset);
        self.host.append_value(c.str(f.host));
        self.queue_id.append_option(opt(f.queue_id));
        self.recipient.append_value(c.str(f.recipient));
        self.recipient_domain.append_value(c.str(d.domain));
        self.outcome.push(d.outcome.as_str());
        self.cause
            .push(d.cause.map_or("unknown", crate::classify::Cause::as_str));
        self.permanent.push(f.permanent);
        self.smtp_code.push(f.smtp_code);
        self.enhanced_status
            .append_option(f.enhanced_status.as_deref());
        self.rule.push(f.rule);
        self.blocklist.push(f.blocklist);
        self.provider.push(d.provider);
        self.suggested_domain.push(f.suggested_domain);
        self.sending_ip.append_option(opt(d.sending_ip));
        self.remote_host.append_option(opt(f.remote_host));
        self.remote_ip.append_option(opt(f.remote_ip));
        self.diagnostic.append_value(c.str(f.diagnostic));
        let name = |id: Option<u32>| id.map(|i| names.get(i));
        self.sender.append_option(name(r.sender));
        self.client_ip.append_option(name(r.client_ip));
        self.sasl_user.append_option(name(r.sasl_user));
    }

    pub fn finish(self) -> PolarsResult<DataFrame> {
        let n = self.ts.len();
        DataFrame::new(
            n,
            vec![
                Column::new("ts".into(), self.ts),
                Column::new("line_no".into(), self.line_no),
                self.host.finish().into_column(),
                self.queue_id.finish().into_column(),
                self.recipient.finish().into_column(),
                self.recipient_domain.finish().into_column(),
                Column::new("outcome".into(), self.outcome),
                Column::new("cause".into(), self.cause),
                Column::new("permanent".into(), self.permanent),
                Column::new("smtp_code".into(), self.smtp_code),
                self.enhanced_status.finish().into_column(),
                Column::new("rule".into(), self.rule),
                Column::new("blocklist".into(), self.blocklist),
                Column::new("provider".into(), self.provider),
                Column::new("suggested_domain".into(), self.suggested_domain),
                self.sending_ip.finish().into_column(),
                self.remote_host.finish().into_column(),
                self.remote_ip.finish().into_column(),
                self.diagnostic.finish().into_column(),
                self.sender.finish().into_column(),
                self.client_ip.finish().into_column(),
                self.sasl_user.finish().into_column(),
            ],
        )
    }
}

/// The sequential stage of one input: correlation, then (for `run`) the
/// aggregates, and the failures of each block as a frame.
pub struct Stage {
    corr: Correlator,
    agg: Option<Aggregator>,
}

impl Stage {
    /// A stage that counts aggregates per `period` (`None`: events only).
    pub fn new(period: Option<Period>) -> Self {
        Stage {
            corr: Correlator::default(),
            agg: period.map(Aggregator::new),
        }
    }

    /// Correlate (and count) one block; its failures in input order.
    pub fn block(&mut self, chunks: &[Chunk]) -> PolarsResult<DataFrame> {
        let mut rows = FailRows::default();
        let agg = &mut self.agg;
        self.corr.block(chunks, |c, d, r, names| {
            if let Some(a) = agg.as_mut() {
                a.add(c, d, r, names);
            }
            rows.push(c, d, r, names);
        });
        if let Some(a) = agg.as_mut() {
            a.retire();
        }
        rows.finish()
    }

    /// The aggregate tables (empty for an events-only stage).
    pub fn finish(self, redact: Option<&Redactor>) -> PolarsResult<Vec<(&'static str, DataFrame)>> {
        match self.agg {
            Some(a) => a.finish(&self.corr.names, redact),
            None => Ok(Vec::new()),
        }
    }
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

/// The MTA host most lines of a block name (the `host=` partition of the
/// input: the first block with a host decides).
fn main_host(chunks: &[Chunk]) -> Option<String> {
    let mut counts: std::collections::HashMap<&str, u64> = std::collections::HashMap::new();
    for c in chunks {
        for (h, n) in c.hosts.iter().filter(|(h, _)| !h.is_empty()) {
            *counts.entry(h).or_default() += n;
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
    // counting block k+1 (the sequential stage), and writing the events of
    // block k (writer thread).
    let (tx, rx) = crossbeam_channel::bounded::<Vec<Chunk>>(1);
    let (read_error, parse_time, stage, seq_time, writer_time) = std::thread::scope(|scope| {
        let sink = &mut sink;
        let display = display.as_str();
        let (to_writer, writer_rx) =
            crossbeam_channel::bounded::<(Option<String>, DataFrame, Vec<Chunk>)>(2);
        let named = |n: &str| std::thread::Builder::new().name(n.to_owned());
        let writer = named("bl-writer").spawn_scoped(
            scope,
            move || -> anyhow::Result<std::time::Duration> {
                let mut busy = std::time::Duration::ZERO;
                // the writer also frees the parsed chunks, off the sequential stage
                for (host, failures, chunks) in writer_rx {
                    drop(chunks);
                    if let Some(h) = host {
                        sink.set_host(&h);
                    }
                    let t = std::time::Instant::now();
                    let failures = match &s.redact {
                        Some(r) => crate::redact::redact_frame(&failures, r)?,
                        None => failures,
                    };
                    let events = events_frame(&failures, kind, display)?;
                    sink.write("events", &events).map_err(|e| fault(&e))?;
                    busy += t.elapsed();
                }
                Ok(busy)
            },
        )?;
        let sequential = named("bl-sequential").spawn_scoped(
            scope,
            move || -> anyhow::Result<(Stage, std::time::Duration)> {
                let mut stage = Stage::new(Some(s.period));
                let mut busy = std::time::Duration::ZERO;
                let mut host_known = false;
                for chunks in rx {
                    let host = if host_known { None } else { main_host(&chunks) };
                    host_known |= host.is_some();
                    let t = std::time::Instant::now();
                    let failures = stage.block(&chunks)?;
                    busy += t.elapsed();
                    // a closed channel means the writer failed: reported below
                    if to_writer.send((host, failures, chunks)).is_err() {
                        break;
                    }
                }
                Ok((stage, busy))
            },
        )?;
        let mut send = |chunks: Vec<Chunk>| -> anyhow::Result<()> {
            for c in &chunks {
                counts.merge(&c.counts);
            }
            // a closed channel means a later stage failed: reported below
            tx.send(chunks)
                .map_err(|_| anyhow::anyhow!("sequential stage stopped"))
        };
        let mut parse_time = std::time::Duration::ZERO;
        let read: anyhow::Result<Option<String>> = match kind {
            InputKind::Log(format) => {
                let mut lines = 0;
                source::for_each_block_of(content, s.block_size, |block| -> anyhow::Result<()> {
                    content_len += block.len() as u64;
                    let t = std::time::Instant::now();
                    let chunks = parse_block(block, format, &ctx, lines);
                    parse_time += t.elapsed();
                    lines += chunks.iter().map(|c| c.counts.lines).sum::<u64>();
                    send(chunks)?;
                    on_bytes(block.len() as u64);
                    Ok(())
                })
                .map(|r| r.err().map(|e| e.to_string()))
            }
            InputKind::Archive(ak) => {
                let r = crate::archive_input::for_each_batch(content, ak, |c| send(vec![c]));
                on_bytes(content.len() as u64);
                r.map(|(decoded, error)| {
                    content_len = decoded;
                    error
                })
            }
        };
        drop(tx);
        let sequential = sequential
            .join()
            .map_err(|_| anyhow::anyhow!("sequential stage panicked"));
        let written = writer
            .join()
            .map_err(|_| anyhow::anyhow!("writer thread panicked"))?;
        // the writer's error (an output fault) explains a stopped stage
        let writer_time = written?;
        let (stage, seq_time) = sequential??;
        Ok::<_, anyhow::Error>((read?, parse_time, stage, seq_time, writer_time))
    })?;
    if std::env::var_os("BOUNCELENS_TIMING").is_some() {
        eprintln!(
            "timing {display}: parse {parse_time:?} correlate+count {seq_time:?} events {writer_time:?}"
        );
    }
    for (table, df) in stage.finish(s.redact.as_ref())? {
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
