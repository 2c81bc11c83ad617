//! Parsed chunks: the records of one chunk of input, parsed and (failures)
//! classified in parallel, kept compact and owned.
//!
//! A [`Chunk`] copies the strings it keeps into one text arena and refers
//! to them by [`Str`] (offset, length and a 64-bit hash). Sent deliveries,
//! by far the most common record, keep only what the aggregates need; a
//! failure keeps everything the `events` table shows, in a [`Fail`]. The
//! sequential stage ([`crate::correlate`]) takes the chunks of a block in
//! input order.

use crate::classify::{self, Cause, Input};
use crate::parse::{Format, LineCtx};
use crate::record::{domain_of, Delivery, Outcome, QueueMeta, Record};
use xxhash_rust::xxh3::xxh3_64;

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

/// One 64-bit key for (host, queue id): maps keyed by it are much cheaper
/// than keyed by two strings.
pub fn queue_key(host: &str, queue_id: &str) -> u64 {
    let h = xxh3_64(host.as_bytes());
    xxhash_rust::xxh3::xxh3_64_with_seed(queue_id.as_bytes(), h)
}

/// A string kept in a chunk's arena, with its xxh3 hash (the sequential
/// stage interns by hash, so a repeated string is copied out only once).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Str {
    pub hash: u64,
    start: u32,
    len: u32,
}

/// A delivery attempt (sent or failed), as the aggregates need it.
#[derive(Debug, Clone)]
pub struct Dlv {
    pub ts: i64,
    pub qkey: Option<u64>,
    /// xxh3 of the recipient address.
    pub rcpt: u64,
    /// Lower-case recipient domain.
    pub domain: Str,
    /// Our sending IP (from the log, or for a failure from the remote text).
    pub sending_ip: Option<Str>,
    pub provider: Option<&'static str>,
    pub outcome: Outcome,
    pub cause: Option<Cause>,
    /// Facts on the delivery line itself (rejections); they win over the
    /// queue's metadata.
    pub sender: Option<Str>,
    pub client_ip: Option<Str>,
    pub sasl_user: Option<Str>,
    /// Index into [`Chunk::fails`] for a failure.
    pub fail: Option<u32>,
}

/// What the `events` row of a failure needs beyond [`Dlv`].
#[derive(Debug, Clone)]
pub struct Fail {
    /// Line (or message index) within the chunk, 1-based for lines.
    pub line: u64,
    pub host: Str,
    pub queue_id: Option<Str>,
    pub recipient: Str,
    pub permanent: bool,
    pub smtp_code: Option<i32>,
    pub enhanced_status: Option<String>,
    pub rule: &'static str,
    pub blocklist: Option<&'static str>,
    pub suggested_domain: Option<&'static str>,
    pub remote_host: Option<Str>,
    pub remote_ip: Option<Str>,
    pub diagnostic: Str,
}

/// Sender and client facts about a queue id.
#[derive(Debug, Clone)]
pub struct Meta {
    pub ts: i64,
    pub qkey: u64,
    pub sender: Option<Str>,
    pub client_ip: Option<Str>,
    pub sasl_user: Option<Str>,
}

/// The parsed records of one chunk of input, in input order per kind.
#[derive(Debug, Clone, Default)]
pub struct Chunk {
    text: String,
    pub deliveries: Vec<Dlv>,
    pub fails: Vec<Fail>,
    pub metas: Vec<Meta>,
    /// Queue ids that left the queue: (ts, queue key).
    pub removed: Vec<(i64, u64)>,
    /// Added to every [`Fail::line`] (lines of the chunks before this one).
    pub line_offset: u64,
    /// MTA host names of deliveries and metadata, with how often each came
    /// (among the first records of the chunk).
    pub hosts: Vec<(String, u64)>,
    host_records: u32,
    pub counts: Counts,
    hosts_memo: ProviderMemo,
}

/// The provider named by each of the last few remote hosts: a log sends
/// to the same big MX hosts over and over, and [`classify::by_host`] costs
/// a few hash lookups.
#[derive(Debug, Clone, Default)]
struct ProviderMemo {
    entries: Vec<(Box<str>, Option<&'static str>)>,
    next: usize,
}

impl ProviderMemo {
    const SIZE: usize = 8;

    /// [`classify::provider_of`], remembering `remote_host`'s answer.
    fn provider(&mut self, remote_host: Option<&str>, domain: &str) -> Option<&'static str> {
        let by_host = remote_host.and_then(|host| {
            if let Some((_, p)) = self.entries.iter().find(|(h, _)| **h == *host) {
                return *p;
            }
            let p = classify::by_host(host);
            let entry = (host.into(), p);
            if self.entries.len() < Self::SIZE {
                self.entries.push(entry);
            } else {
                self.entries[self.next] = entry;
                self.next = (self.next + 1) % Self::SIZE;
            }
            p
        });
        by_host.or_else(|| classify::by_domain(domain))
    }
}

/// Records per chunk whose MTA host is counted.
const HOST_SAMPLE: u32 = 4096;

impl Chunk {
    /// A chunk for about `bytes` of log lines (capacities from the
    /// generated Postfix sample, so that most chunks never reallocate).
    pub fn new(bytes: usize) -> Self {
        Chunk {
            text: String::with_capacity(bytes / 6 + 256),
            deliveries: Vec::with_capacity(bytes / 600 + 16),
            metas: Vec::with_capacity(bytes / 400 + 16),
            removed: Vec::with_capacity(bytes / 800 + 16),
            ..Chunk::default()
        }
    }

    /// The text of a string of this chunk.
    pub fn str(&self, s: Str) -> &str {
        &self.text[s.start as usize..(s.start + s.len) as usize]
    }

    fn put(&mut self, s: &str) -> Str {
        self.put_hashed(s, 0)
    }

    fn put_hashed(&mut self, s: &str, hash: u64) -> Str {
        let start = self.text.len() as u32;
        self.text.push_str(s);
        Str {
            hash,
            start,
            len: s.len() as u32,
        }
    }

    fn put_h(&mut self, s: &str) -> Str {
        self.put_hashed(s, xxh3_64(s.as_bytes()))
    }

    fn put_h_opt(&mut self, s: Option<&str>) -> Option<Str> {
        s.map(|s| self.put_h(s))
    }

    fn put_opt(&mut self, s: Option<&str>) -> Option<Str> {
        s.map(|s| self.put(s))
    }

    /// Count the host of a record (only the first [`HOST_SAMPLE`] records
    /// of a chunk: enough to tell the main host, and no work per line after).
    fn count_host(&mut self, host: &str) {
        if self.host_records >= HOST_SAMPLE {
            return;
        }
        self.host_records += 1;
        match self.hosts.last_mut() {
            Some((h, n)) if h == host => *n += 1,
            _ => match self.hosts.iter_mut().find(|(h, _)| h == host) {
                Some((_, n)) => *n += 1,
                None => self.hosts.push((host.to_owned(), 1)),
            },
        }
    }

    /// Classify a delivery (failures only) and keep it.
    fn push_delivery(&mut self, d: &Delivery, line: u64) {
        let outcome = d.outcome.unwrap_or(Outcome::Bounced);
        let domain = domain_of(d.recipient);
        let lower;
        let domain = if domain.bytes().any(|b| b.is_ascii_uppercase()) {
            lower = domain.to_ascii_lowercase();
            lower.as_str()
        } else {
            domain
        };
        self.count_host(d.host);
        let rcpt = xxh3_64(d.recipient.as_bytes());
        let domain_s = self.put_h(domain);
        let qkey = d.queue_id.map(|q| queue_key(d.host, q));
        let (sender, client_ip, sasl_user) = (
            self.put_h_opt(d.sender),
            self.put_h_opt(d.client_ip),
            self.put_h_opt(d.sasl_user),
        );
        let (sending_ip, provider, cause, fail) = if outcome.is_failure() {
            let v = classify::classify(&Input {
                outcome: Some(outcome),
                text: d.diagnostic,
                dsn: d.dsn,
                remote_host: d.remote_host,
                recipient_domain: domain,
            });
            // an inbound reject names the remote client, never our sending IP
            let from_text = v
                .sending_ip
                .as_deref()
                .filter(|_| outcome != Outcome::Rejected);
            let sending_ip = self.put_h_opt(d.sending_ip.or(from_text));
            let fail = Fail {
                line,
                host: self.put(d.host),
                queue_id: self.put_opt(d.queue_id),
                recipient: self.put(d.recipient),
                permanent: v.permanent,
                smtp_code: v.smtp_code.map(i32::from),
                enhanced_status: v.enhanced_status,
                rule: v.rule,
                blocklist: v.blocklist,
                suggested_domain: v.suggested_domain,
                remote_host: self.put_opt(d.remote_host),
                remote_ip: self.put_opt(d.remote_ip),
                diagnostic: self.put(d.diagnostic),
            };
            self.fails.push(fail);
            let index = self.fails.len() as u32 - 1;
            (sending_ip, v.provider, Some(v.cause), Some(index))
        } else {
            let provider = self.hosts_memo.provider(d.remote_host, domain);
            (self.put_h_opt(d.sending_ip), provider, None, None)
        };
        self.deliveries.push(Dlv {
            ts: d.ts,
            qkey,
            rcpt,
            domain: domain_s,
            sending_ip,
            provider,
            outcome,
            cause,
            sender,
            client_ip,
            sasl_user,
            fail,
        });
    }

    fn push_meta(&mut self, m: &QueueMeta) {
        self.count_host(m.host);
        let meta = Meta {
            ts: m.ts,
            qkey: queue_key(m.host, m.queue_id),
            sender: self.put_h_opt(m.sender),
            client_ip: self.put_h_opt(m.client_ip),
            sasl_user: self.put_h_opt(m.sasl_user),
        };
        self.metas.push(meta);
    }

    /// Count and keep one record; `line` is 1-based within the chunk
    /// (or a message index). Lines are counted by the caller: one line may
    /// give several records.
    pub fn record(&mut self, rec: &Record, line: u64) {
        match rec {
            Record::Delivery(d) => {
                self.counts.deliveries += 1;
                if d.outcome.is_some_and(Outcome::is_failure) {
                    self.counts.failures += 1;
                }
                self.push_delivery(d, line);
            }
            Record::Meta(m) => {
                self.counts.meta += 1;
                self.push_meta(m);
            }
            Record::Removed(m) => self.removed.push((m.ts, queue_key(m.host, m.queue_id))),
            Record::Ignored => {}
            Record::Unparsed => self.counts.unparsed += 1,
        }
    }
}

/// Parse every line of `chunk` (line numbers relative to the chunk).
pub fn parse_chunk(chunk: &[u8], format: Format, ctx: &LineCtx) -> Chunk {
    let mut b = Chunk::new(chunk.len());
    if chunk.is_empty() {
        return b;
    }
    // one validation for the whole chunk; line by line only if it fails
    let all_utf8 = chunk.is_ascii() || std::str::from_utf8(chunk).is_ok();
    let mut recs = Vec::with_capacity(4);
    let mut line_no = 0u64;
    let mut start = 0usize;
    let end = chunk.len();
    while start < end {
        let stop = memchr::memchr(b'\n', &chunk[start..]).map_or(end, |i| start + i);
        let raw = &chunk[start..stop];
        start = stop + 1;
        line_no += 1;
        b.counts.lines += 1;
        let valid = if all_utf8 {
            // SAFETY: the chunk is valid UTF-8 and `raw` is cut at newlines,
            // which are never inside a multi-byte sequence
            Ok(unsafe { std::str::from_utf8_unchecked(raw) })
        } else {
            std::str::from_utf8(raw)
        };
        match valid {
            Ok(line) => {
                if format != Format::Sendmail {
                    // one record per line: no trip through the vector
                    b.record(&format.parse_line(line, ctx), line_no);
                    continue;
                }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_provider_memo_answers_like_provider_of() {
        let mut memo = ProviderMemo::default();
        let hosts: Vec<String> = (0..20)
            .map(|i| format!("mx{i}.example{}.com", i % 3))
            .chain([
                "gmail-smtp-in.l.google.com".into(),
                "MX.Yahoodns.NET".into(),
            ])
            .collect();
        for round in 0..3 {
            for (i, h) in hosts.iter().enumerate() {
                for domain in ["gmail.com", "example.org"] {
                    let host = (i + round) % 4 != 0;
                    let host = host.then_some(h.as_str());
                    assert_eq!(
                        memo.provider(host, domain),
                        classify::provider_of(host, domain),
                        "{host:?} {domain}"
                    );
                }
            }
        }
        assert_eq!(memo.entries.len(), ProviderMemo::SIZE);
    }

    #[test]
    fn lines_are_counted_like_split_without_the_piece_after_a_final_newline() {
        let ctx = LineCtx::default();
        for (text, lines) in [
            ("", 0),
            ("\n", 1),
            ("a", 1),
            ("a\n", 1),
            ("a\nb", 2),
            ("a\n\nb\n", 3),
        ] {
            let c = parse_chunk(text.as_bytes(), Format::Postfix, &ctx);
            assert_eq!(c.counts.lines, lines, "{text:?}");
        }
    }

    #[test]
    fn a_failure_keeps_its_strings_and_a_sent_delivery_only_keys() {
        let ctx = LineCtx::default();
        let log = "Mar  3 10:15:01 mx1 postfix/smtp[1]: 9F1E2123AB: to=<Bob@Example.COM>, relay=mx.example.com[192.0.2.10]:25, delay=1, dsn=5.1.1, status=bounced (host said: 550 5.1.1 unknown)\n\
                   Mar  3 10:15:02 mx1 postfix/smtp[1]: 9F1E2123AC: to=<al@example.org>, relay=mx.example.org[192.0.2.11]:25, delay=1, dsn=2.0.0, status=sent (250 ok)\n";
        let c = parse_chunk(log.as_bytes(), Format::Postfix, &ctx);
        assert_eq!(c.deliveries.len(), 2);
        assert_eq!(c.fails.len(), 1);
        let (bad, ok) = (&c.deliveries[0], &c.deliveries[1]);
        assert_eq!(c.str(bad.domain), "example.com");
        assert_eq!(bad.domain.hash, xxh3_64(b"example.com"));
        assert_eq!(bad.cause, Some(Cause::BadAddress));
        let f = &c.fails[bad.fail.unwrap() as usize];
        assert_eq!(c.str(f.recipient), "Bob@Example.COM");
        assert_eq!(c.str(f.host), "mx1");
        assert_eq!(f.line, 1);
        assert_eq!(f.smtp_code, Some(550));
        assert_eq!(ok.outcome, Outcome::Sent);
        assert!(ok.fail.is_none() && ok.cause.is_none());
        assert_eq!(c.hosts, vec![("mx1".to_owned(), 2)]);
    }
}
