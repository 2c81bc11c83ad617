//! Column builders: parsed and classified records of one chunk of input,
//! kept as columns (no row structs), then turned into polars frames.
//!
//! Chunks are parsed in parallel; each yields a [`Batch`]; batches of one
//! block are stacked in input order.

use crate::classify::{self, Input};
use crate::parse::{Format, LineCtx};
use crate::record::{domain_of, Delivery, Outcome, QueueMeta, Record};
use polars::prelude::*;

/// Line counters of a chunk.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Lines (logs) or messages (bounce archives) read.
    pub lines: u64,
    /// Lines or messages that could not be read (bad, empty, truncated,
    /// or a bounce whose failed recipient could not be found).
    pub unparsed: u64,
    pub deliveries: u64,
    pub failures: u64,
    pub meta: u64,
    /// Archives only: auto-replies (RFC 3834, vacation), ARF feedback
    /// reports, and messages that are neither bounces nor those.
    pub auto_replies: u64,
    pub feedback_reports: u64,
    pub not_bounces: u64,
}

impl Counts {
    pub fn merge(&mut self, o: &Counts) {
        self.lines += o.lines;
        self.unparsed += o.unparsed;
        self.deliveries += o.deliveries;
        self.failures += o.failures;
        self.meta += o.meta;
        self.auto_replies += o.auto_replies;
        self.feedback_reports += o.feedback_reports;
        self.not_bounces += o.not_bounces;
    }
}

/// One 64-bit key for (host, queue id): joins on it are much cheaper
/// than on two string columns.
pub fn queue_key(host: &str, queue_id: &str) -> u64 {
    let h = xxhash_rust::xxh3::xxh3_64(host.as_bytes());
    xxhash_rust::xxh3::xxh3_64_with_seed(queue_id.as_bytes(), h)
}

fn sb(name: &str, cap: usize) -> StringChunkedBuilder {
    StringChunkedBuilder::new(name.into(), cap)
}

/// Deliveries (sent and failed) of one chunk, as columns.
pub struct Deliveries {
    ts: Vec<i64>,
    line_no: Vec<u64>,
    host: StringChunkedBuilder,
    queue_id: StringChunkedBuilder,
    qkey: Vec<Option<u64>>,
    recipient: StringChunkedBuilder,
    recipient_domain: StringChunkedBuilder,
    outcome: Vec<&'static str>,
    cause: Vec<Option<&'static str>>,
    permanent: Vec<Option<bool>>,
    smtp_code: Vec<Option<i32>>,
    enhanced_status: StringChunkedBuilder,
    rule: Vec<Option<&'static str>>,
    blocklist: Vec<Option<&'static str>>,
    provider: Vec<Option<&'static str>>,
    suggested_domain: Vec<Option<&'static str>>,
    sending_ip: StringChunkedBuilder,
    remote_host: StringChunkedBuilder,
    remote_ip: StringChunkedBuilder,
    diagnostic: StringChunkedBuilder,
    line_sender: StringChunkedBuilder,
    line_client_ip: StringChunkedBuilder,
    line_sasl_user: StringChunkedBuilder,
}

impl Deliveries {
    fn new(cap: usize) -> Self {
        Deliveries {
            ts: Vec::with_capacity(cap),
            line_no: Vec::with_capacity(cap),
            host: sb("mta_host", cap),
            queue_id: sb("queue_id", cap),
            qkey: Vec::with_capacity(cap),
            recipient: sb("recipient", cap),
            recipient_domain: sb("recipient_domain", cap),
            outcome: Vec::with_capacity(cap),
            cause: Vec::with_capacity(cap),
            permanent: Vec::with_capacity(cap),
            smtp_code: Vec::with_capacity(cap),
            enhanced_status: sb("enhanced_status", cap),
            rule: Vec::with_capacity(cap),
            blocklist: Vec::with_capacity(cap),
            provider: Vec::with_capacity(cap),
            suggested_domain: Vec::with_capacity(cap),
            sending_ip: sb("sending_ip", cap),
            remote_host: sb("remote_host", cap),
            remote_ip: sb("remote_ip", cap),
            diagnostic: sb("diagnostic", cap),
            line_sender: sb("line_sender", cap),
            line_client_ip: sb("line_client_ip", cap),
            line_sasl_user: sb("line_sasl_user", cap),
        }
    }

    /// Classify a delivery (failures only) and append it.
    pub fn push(&mut self, d: &Delivery, line_no: u64) {
        let outcome = d.outcome.unwrap_or(Outcome::Bounced);
        let domain = domain_of(d.recipient);
        let lower;
        let domain = if domain.bytes().any(|b| b.is_ascii_uppercase()) {
            lower = domain.to_ascii_lowercase();
            lower.as_str()
        } else {
            domain
        };
        self.ts.push(d.ts);
        self.line_no.push(line_no);
        self.host.append_value(d.host);
        self.queue_id.append_option(d.queue_id);
        self.qkey.push(d.queue_id.map(|q| queue_key(d.host, q)));
        self.recipient.append_value(d.recipient);
        self.recipient_domain.append_value(domain);
        self.outcome.push(outcome.as_str());
        if outcome.is_failure() {
            let v = classify::classify(&Input {
                outcome: Some(outcome),
                text: d.diagnostic,
                dsn: d.dsn,
                remote_host: d.remote_host,
                recipient_domain: domain,
            });
            self.cause.push(Some(v.cause.as_str()));
            self.permanent.push(Some(v.permanent));
            self.smtp_code.push(v.smtp_code.map(i32::from));
            self.enhanced_status
                .append_option(v.enhanced_status.as_deref());
            self.rule.push(Some(v.rule));
            self.blocklist.push(v.blocklist);
            self.provider.push(v.provider);
            self.suggested_domain.push(v.suggested_domain);
            // an inbound reject names the remote client, never our sending IP
            let from_text = v
                .sending_ip
                .as_deref()
                .filter(|_| outcome != Outcome::Rejected);
            self.sending_ip.append_option(d.sending_ip.or(from_text));
            self.diagnostic.append_value(d.diagnostic);
        } else {
            self.cause.push(None);
            self.permanent.push(None);
            self.smtp_code.push(None);
            self.enhanced_status.append_null();
            self.rule.push(None);
            self.blocklist.push(None);
            self.provider
                .push(classify::provider_of(d.remote_host, domain));
            self.suggested_domain.push(None);
            self.sending_ip.append_option(d.sending_ip);
            self.diagnostic.append_null();
        }
        self.remote_host.append_option(d.remote_host);
        self.remote_ip.append_option(d.remote_ip);
        self.line_sender.append_option(d.sender);
        self.line_client_ip.append_option(d.client_ip);
        self.line_sasl_user.append_option(d.sasl_user);
    }

    fn finish(self, line_offset: u64) -> PolarsResult<DataFrame> {
        let n = self.ts.len();
        let line_no: Vec<u64> = self.line_no.into_iter().map(|l| l + line_offset).collect();
        DataFrame::new(
            n,
            vec![
                Column::new("ts".into(), self.ts),
                Column::new("line_no".into(), line_no),
                self.host.finish().into_column(),
                self.queue_id.finish().into_column(),
                Column::new("qkey".into(), self.qkey),
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
                self.line_sender.finish().into_column(),
                self.line_client_ip.finish().into_column(),
                self.line_sasl_user.finish().into_column(),
            ],
        )
    }
}

/// Queue metadata of one chunk (sender lines and client lines together;
/// absent facts are null), keyed by [`queue_key`].
pub struct Metas {
    ts: Vec<i64>,
    qkey: Vec<u64>,
    sender: StringChunkedBuilder,
    client_ip: StringChunkedBuilder,
    sasl_user: StringChunkedBuilder,
}

impl Metas {
    fn new(cap: usize) -> Self {
        Metas {
            ts: Vec::with_capacity(cap),
            qkey: Vec::with_capacity(cap),
            sender: sb("sender", cap),
            client_ip: sb("client_ip", cap),
            sasl_user: sb("sasl_user", cap),
        }
    }

    pub fn push(&mut self, m: &QueueMeta) {
        self.ts.push(m.ts);
        self.qkey.push(queue_key(m.host, m.queue_id));
        self.sender.append_option(m.sender);
        self.client_ip.append_option(m.client_ip);
        self.sasl_user.append_option(m.sasl_user);
    }

    fn finish(self) -> PolarsResult<DataFrame> {
        let n = self.ts.len();
        DataFrame::new(
            n,
            vec![
                Column::new("ts".into(), self.ts),
                Column::new("qkey".into(), self.qkey),
                self.sender.finish().into_column(),
                self.client_ip.finish().into_column(),
                self.sasl_user.finish().into_column(),
            ],
        )
    }
}

/// Queue ids that left the queue (ts, [`queue_key`]).
#[derive(Default)]
pub struct Removals {
    ts: Vec<i64>,
    qkey: Vec<u64>,
}

impl Removals {
    fn push(&mut self, m: &QueueMeta) {
        self.ts.push(m.ts);
        self.qkey.push(queue_key(m.host, m.queue_id));
    }

    fn finish(self) -> PolarsResult<DataFrame> {
        let n = self.ts.len();
        DataFrame::new(
            n,
            vec![
                Column::new("removed_ts".into(), self.ts),
                Column::new("qkey".into(), self.qkey),
            ],
        )
    }
}

/// Parsed frames of one chunk.
pub struct Batch {
    pub deliveries: DataFrame,
    pub meta: DataFrame,
    pub removed: DataFrame,
    pub counts: Counts,
}

/// Builder for a [`Batch`]; records are pushed one by one.
pub struct BatchBuilder {
    pub deliveries: Deliveries,
    pub meta: Metas,
    pub removed: Removals,
    pub counts: Counts,
}

impl BatchBuilder {
    pub fn new(cap: usize) -> Self {
        BatchBuilder {
            deliveries: Deliveries::new(cap),
            meta: Metas::new(cap / 2),
            removed: Removals::default(),
            counts: Counts::default(),
        }
    }

    /// Count and keep one record; `line_no` is 1-based within the chunk.
    /// (Lines are counted by the caller: one line may give several records.)
    pub fn record(&mut self, rec: &Record, line_no: u64) {
        match rec {
            Record::Delivery(d) => {
                self.counts.deliveries += 1;
                if d.outcome.is_some_and(Outcome::is_failure) {
                    self.counts.failures += 1;
                }
                self.deliveries.push(d, line_no);
            }
            Record::Meta(m) => {
                self.counts.meta += 1;
                self.meta.push(m);
            }
            Record::Removed(m) => self.removed.push(m),
            Record::Ignored => {}
            Record::Unparsed => self.counts.unparsed += 1,
        }
    }

    /// Finish into frames; `line_offset` is added to every line number.
    pub fn finish(self, line_offset: u64) -> PolarsResult<Batch> {
        Ok(Batch {
            deliveries: self.deliveries.finish(line_offset)?,
            meta: self.meta.finish()?,
            removed: self.removed.finish()?,
            counts: self.counts,
        })
    }
}

/// Parse every line of `chunk` (line numbers relative to the chunk).
pub fn parse_chunk(chunk: &[u8], format: Format, ctx: &LineCtx) -> BatchBuilder {
    let mut b = BatchBuilder::new(chunk.len() / 400 + 16);
    if chunk.is_empty() {
        return b;
    }
    let mut recs = Vec::with_capacity(4);
    for (i, raw) in chunk.split(|&c| c == b'\n').enumerate() {
        if i > 0 && raw.is_empty() && raw.as_ptr() == chunk.as_ptr_range().end {
            break; // the empty piece after a final newline
        }
        let line_no = i as u64 + 1;
        b.counts.lines += 1;
        match std::str::from_utf8(raw) {
            Ok(line) => {
                recs.clear();
                format.parse_line_into(line, ctx, &mut recs);
                for rec in &recs {
                    b.record(rec, line_no);
                }
            }
            Err(_) => {
                // rare: the records borrow a lossy copy of this one line
                let owned = String::from_utf8_lossy(raw).into_owned();
                let mut lossy = Vec::new();
                format.parse_line_into(&owned, ctx, &mut lossy);
                for rec in &lossy {
                    b.record(rec, line_no);
                }
            }
        }
    }
    b
}
