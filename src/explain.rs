//! `bouncelens explain`: one bounce message or one log line -> a plain
//! answer for a support person: the exact SMTP error, what its enhanced
//! status means, which server refused, whether our sending IP is blocked
//! and where, the rule that fired, the cause in plain words with what to
//! do, and the likely intended domain for a typo. One entry per failed
//! recipient. [`render_text`] prints it; serde gives `--json`.

use crate::classify::{self, describe_status, Cause, Input, Verdict};
use crate::dsn::{self, BounceRecord, MessageKind};
use crate::parse::{Format, LineCtx};
use crate::record::{domain_of, Outcome, Record};
use serde::Serialize;
use std::fmt::Write as _;

/// The answer for one input.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    /// `bounce`, `log_line`, `auto_reply`, `feedback_report`,
    /// `not_a_bounce`, `unrecognized`, `empty`.
    pub kind: &'static str,
    /// Which parser recognised it (`rfc3464`, `gmail`, `postfix_log`, ...).
    pub format: Option<&'static str>,
    pub original_sender: Option<String>,
    pub original_message_id: Option<String>,
    /// A sentence when there is nothing to explain per recipient.
    pub note: Option<String>,
    pub failures: Vec<Failure>,
}

/// One failed recipient.
#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    pub recipient: String,
    pub outcome: Outcome,
    pub permanent: bool,
    pub smtp_error: SmtpError,
    /// What the enhanced status means (RFC 3463 / IANA registry).
    pub status_meaning: Option<&'static str>,
    pub refused_by: RefusedBy,
    pub sending_ip: SendingIp,
    /// The id of the classifier rule that decided.
    pub rule: &'static str,
    pub cause: Cause,
    /// The cause in plain words, with what to do.
    pub cause_explanation: &'static str,
    /// For a typo in the domain: the likely intended domain.
    pub suggested_domain: Option<&'static str>,
    /// When it happened (ms since the epoch, UTC), when known.
    pub ts_ms: Option<i64>,
}

/// The server's reply, as exact as the input gives it.
#[derive(Debug, Clone, Serialize)]
pub struct SmtpError {
    pub code: Option<u16>,
    pub enhanced_status: Option<String>,
    pub text: String,
}

/// The server that refused (or the one that reported, when that is all
/// we know) and the receiving provider.
#[derive(Debug, Clone, Serialize)]
pub struct RefusedBy {
    pub host: Option<String>,
    pub ip: Option<String>,
    pub reporting_mta: Option<String>,
    pub provider: Option<&'static str>,
}

/// Our sending IP and whether it is blocked.
#[derive(Debug, Clone, Serialize)]
pub struct SendingIp {
    pub ip: Option<String>,
    /// Where the IP came from: `remote_text`, `received_headers`, `log`.
    pub source: Option<&'static str>,
    pub blocked: bool,
    /// The list or provider signal named (`spamhaus`, `microsoft`, ...).
    pub blocklist: Option<&'static str>,
}

/// Explain one message or one log line.
pub fn explain(input: &[u8]) -> Explanation {
    if let Some(e) = explain_line(input) {
        return e;
    }
    match dsn::parse_message(input) {
        MessageKind::Bounce(records) => {
            let first = records.first();
            Explanation {
                kind: "bounce",
                format: first.map(|r| r.format),
                original_sender: first.and_then(|r| r.original_sender.clone()),
                original_message_id: first.and_then(|r| r.original_message_id.clone()),
                note: None,
                failures: records.iter().map(failure_of_record).collect(),
            }
        }
        other => Explanation {
            kind: other.as_str(),
            format: None,
            original_sender: None,
            original_message_id: None,
            note: Some(note_for(&other).to_owned()),
            failures: Vec::new(),
        },
    }
}

fn note_for(kind: &MessageKind) -> &'static str {
    match kind {
        MessageKind::AutoReply => "This is an automatic reply (out of office / vacation), not a delivery failure. The message was delivered.",
        MessageKind::FeedbackReport => "This is a spam complaint (ARF feedback report) from a mailbox provider, not a delivery failure. The recipient marked the message as spam; consider removing them from bulk mailings.",
        MessageKind::NotABounce => "This message is not a delivery failure notice (or it reports only successful deliveries).",
        MessageKind::Unrecognized => "This looks like a bounce, but no failed recipient could be read from it. Read the text for the reason.",
        MessageKind::Empty => "The input is empty or truncated; there is nothing to explain.",
        MessageKind::Bounce(_) => "",
    }
}

/// A single line that a log parser reads as a failed delivery.
fn explain_line(input: &[u8]) -> Option<Explanation> {
    let text = std::str::from_utf8(input).ok()?.trim();
    if text.is_empty() || text.contains('\n') {
        return None;
    }
    let Record::Delivery(d) = Format::Postfix.parse_line(text, &LineCtx::default()) else {
        return None;
    };
    let outcome = d.outcome.filter(|o| o.is_failure())?;
    let domain = domain_of(d.recipient).to_ascii_lowercase();
    let v = classify::classify(&Input {
        outcome: Some(outcome),
        text: d.diagnostic,
        dsn: d.dsn,
        remote_host: d.remote_host,
        recipient_domain: &domain,
    });
    let (ip, source) = match (d.sending_ip, &v.sending_ip) {
        (Some(ip), _) => (Some(ip.to_owned()), Some("log")),
        (None, Some(ip)) if outcome != Outcome::Rejected => (Some(ip.clone()), Some("remote_text")),
        _ => (None, None),
    };
    let failure = build(
        Facts {
            recipient: d.recipient,
            outcome,
            text: d.diagnostic,
            remote_host: d.remote_host.map(str::to_owned),
            remote_ip: d.remote_ip.map(str::to_owned),
            reporting_mta: Some(d.host.to_owned()).filter(|h| !h.is_empty()),
            ts_ms: Some(d.ts),
            ip,
            ip_source: source,
        },
        v,
    );
    Some(Explanation {
        kind: "log_line",
        format: Some("postfix_log"),
        original_sender: d.sender.map(str::to_owned),
        original_message_id: None,
        note: None,
        failures: vec![failure],
    })
}

/// What a failure says, whichever input it came from.
struct Facts<'a> {
    recipient: &'a str,
    outcome: Outcome,
    text: &'a str,
    remote_host: Option<String>,
    remote_ip: Option<String>,
    reporting_mta: Option<String>,
    ts_ms: Option<i64>,
    ip: Option<String>,
    ip_source: Option<&'static str>,
}

fn failure_of_record(r: &BounceRecord) -> Failure {
    let v = r.classify();
    // the remote's own words beat the Received headers (see dsn::original)
    let (ip, source) = match (&v.sending_ip, &r.sending_ip) {
        (Some(ip), _) => (Some(ip.clone()), Some("remote_text")),
        (None, Some(ip)) => (Some(ip.clone()), Some("received_headers")),
        _ => (None, None),
    };
    build(
        Facts {
            recipient: &r.recipient,
            outcome: r.outcome,
            text: &r.diagnostic,
            remote_host: r.remote_mta.clone(),
            remote_ip: r.remote_ip.clone(),
            reporting_mta: r.reporting_mta.clone(),
            ts_ms: r.ts_ms,
            ip,
            ip_source: source,
        },
        v,
    )
}

fn build(f: Facts, v: Verdict) -> Failure {
    let status = v.enhanced_status.clone();
    Failure {
        recipient: f.recipient.to_owned(),
        outcome: f.outcome,
        permanent: v.permanent,
        smtp_error: SmtpError {
            code: v.smtp_code,
            enhanced_status: status.clone(),
            text: f.text.to_owned(),
        },
        status_meaning: status.as_deref().and_then(describe_status),
        refused_by: RefusedBy {
            host: f.remote_host,
            ip: f.remote_ip,
            reporting_mta: f.reporting_mta,
            provider: v.provider,
        },
        sending_ip: SendingIp {
            ip: f.ip,
            source: f.ip_source,
            blocked: v.cause == Cause::IpBlocked || v.blocklist.is_some(),
            blocklist: v.blocklist,
        },
        rule: v.rule,
        cause: v.cause,
        cause_explanation: v.cause.explanation(),
        suggested_domain: v.suggested_domain,
        ts_ms: f.ts_ms,
    }
}

/// A short, readable report for a support person.
pub fn render_text(e: &Explanation) -> String {
    let mut s = String::new();
    let what = match e.kind {
        "bounce" => "Bounce message",
        "log_line" => "Log line",
        _ => "Message",
    };
    let _ = write!(s, "{what}");
    if let Some(fmt) = e.format {
        let _ = write!(s, " ({fmt})");
    }
    if let Some(id) = &e.original_message_id {
        let _ = write!(s, " about message <{id}>");
    }
    if let Some(from) = &e.original_sender {
        let _ = write!(s, " from {from}");
    }
    s.push('\n');
    if let Some(note) = &e.note {
        let _ = writeln!(s, "{note}");
    }
    for f in &e.failures {
        s.push('\n');
        render_failure(&mut s, f);
    }
    s
}

fn render_failure(s: &mut String, f: &Failure) {
    let kind = match (f.outcome, f.permanent) {
        (Outcome::Deferred, _) => "delayed, still being retried",
        (_, true) => "failed permanently",
        (_, false) => "failed temporarily",
    };
    let _ = writeln!(s, "{}: {kind}", f.recipient);
    let _ = writeln!(s, "  Server said:   {}", one_line(&f.smtp_error.text, 300));
    if let Some(st) = &f.smtp_error.enhanced_status {
        let meaning = f.status_meaning.unwrap_or("no standard meaning");
        let _ = writeln!(s, "  Status {st}:  {meaning}");
    }
    let host = f
        .refused_by
        .host
        .as_deref()
        .or(f.refused_by.reporting_mta.as_deref());
    match (host, &f.refused_by.ip) {
        (Some(h), Some(ip)) => {
            let _ = writeln!(s, "  Refused by:    {h} [{ip}]");
        }
        (Some(h), None) => {
            let _ = writeln!(s, "  Refused by:    {h}");
        }
        (None, Some(ip)) => {
            let _ = writeln!(s, "  Refused by:    [{ip}]");
        }
        (None, None) => {}
    }
    if let Some(p) = f.refused_by.provider {
        let _ = writeln!(s, "  Provider:      {p}");
    }
    let ip = f.sending_ip.ip.as_deref().unwrap_or("unknown");
    let blocked = match (f.sending_ip.blocked, f.sending_ip.blocklist) {
        (true, Some(l)) => format!("BLOCKED (listed by {l})"),
        (true, None) => "BLOCKED".to_owned(),
        (false, _) => "not blocked".to_owned(),
    };
    let _ = writeln!(s, "  Our IP:        {ip}, {blocked}");
    let _ = writeln!(s, "  Cause:         {} (rule {})", f.cause, f.rule);
    if let Some(d) = f.suggested_domain {
        let _ = writeln!(s, "  Did you mean:  @{d}");
    }
    let _ = writeln!(s, "  What to do:    {}", f.cause_explanation);
}

fn one_line(t: &str, max: usize) -> String {
    let t = crate::dsn::unfold(t);
    if t.is_empty() {
        return "(no text given)".to_owned();
    }
    if t.chars().count() <= max {
        return t;
    }
    let mut cut: String = t.chars().take(max).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postfix_line_is_explained() {
        let line = "Mar  3 10:15:01 mx1 postfix/smtp[123]: 9F1E2: to=<bob@gmial.com>, relay=mx.gmial.com[192.0.2.1]:25, delay=1, delays=0/0/0/1, dsn=5.1.1, status=bounced (host mx.gmial.com[192.0.2.1] said: 550 5.1.1 <bob@gmial.com>: Recipient address rejected: User unknown (in reply to RCPT TO command))";
        let e = explain(line.as_bytes());
        assert_eq!(e.kind, "log_line");
        let f = &e.failures[0];
        assert_eq!(f.recipient, "bob@gmial.com");
        assert_eq!(f.cause, Cause::BadAddress);
        assert_eq!(f.smtp_error.code, Some(550));
        assert_eq!(f.suggested_domain, Some("gmail.com"));
        assert!(render_text(&e).contains("Did you mean:  @gmail.com"));
    }

    #[test]
    fn empty_input_has_a_note() {
        let e = explain(b"");
        assert_eq!(e.kind, "empty");
        assert!(e.failures.is_empty() && e.note.is_some());
    }
}
