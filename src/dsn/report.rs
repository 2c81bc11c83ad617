//! RFC 3464 delivery status notifications: the `message/delivery-status`
//! (or `message/global-delivery-status`) part -> one [`BounceRecord`] per
//! recipient whose Action is `failed` or `delayed`.
//!
//! The part is split into blank-line separated field groups and each group
//! is read by [`fields`] (our own small parser: it unfolds values and keeps
//! a field that ends the input without a newline, which mail-parser drops).
//! A DSN whose report part was mangled into plain text (some gateways do
//! this) is read the same way from the body when the body has
//! `Final-Recipient:` and `Action:` lines.

use super::{clean_address, plaintext, unfold, BounceRecord, Context};
use crate::record::Outcome;
use mail_parser::{DateTime, Message, MimeHeaders};

/// The records of a DSN, `None` when the message has no DSN fields at all.
/// `Some(vec![])` is a DSN that reports only successes.
pub fn parse(msg: &Message, ctx: &Context) -> Option<Vec<BounceRecord>> {
    let part = msg.parts.iter().find(|p| {
        p.is_content_type("message", "delivery-status")
            || p.is_content_type("message", "global-delivery-status")
    });
    let text = match part {
        Some(p) => String::from_utf8_lossy(p.contents()).into_owned(),
        None => embedded_fields(&ctx.body)?.to_owned(),
    };
    let (mut records, orphans) = split_records(&text);
    if part.is_none() && records.is_empty() {
        return None;
    }
    if records.is_empty() && !orphans.is_empty() {
        records = name_orphans(orphans, ctx);
    }
    fill_from_text(&mut records, ctx);
    Some(records)
}

/// The body from the first DSN field on, when the body carries DSN fields.
fn embedded_fields(body: &str) -> Option<&str> {
    let lower = body.to_ascii_lowercase();
    let start = ["reporting-mta:", "final-recipient:", "original-recipient:"]
        .iter()
        .filter_map(|k| line_start_find(&lower, k))
        .min()?;
    line_start_find(&lower[start..], "action:")?;
    Some(&body[start..])
}

/// Offset of `key` at the start of a line of `text`.
fn line_start_find(text: &str, key: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text[from..].find(key) {
        let at = from + i;
        if at == 0 || text.as_bytes()[at - 1] == b'\n' {
            return Some(at);
        }
        from = at + key.len();
    }
    None
}

/// Every failed/delayed recipient of a delivery-status body.
pub fn records_of(text: &str) -> Vec<BounceRecord> {
    split_records(text).0
}

/// The failed/delayed recipient groups, and apart the failed/delayed
/// groups that name no recipient at all (no Final- or Original-Recipient:
/// some gateways leave them out and name the address only in the text).
fn split_records(text: &str) -> (Vec<BounceRecord>, Vec<BounceRecord>) {
    let mut reporting = None;
    let mut out = Vec::new();
    let mut orphans = Vec::new();
    for group in groups(text) {
        let f = fields(group);
        if let Some(v) = get(&f, "reporting-mta") {
            reporting = Some(mta_name(v));
        }
        let Some(r) = recipient_record(&f, reporting.as_deref()) else {
            continue;
        };
        if r.recipient.is_empty() {
            orphans.push(r);
        } else {
            out.push(r);
        }
    }
    (out, orphans)
}

/// Recipients for groups that name none: `X-Failed-Recipients`, else the
/// addresses the human-readable part names, paired in order (one group
/// serves every address when there is only one).
fn name_orphans(orphans: Vec<BounceRecord>, ctx: &Context) -> Vec<BounceRecord> {
    let text_records = plaintext::parse(ctx);
    let names: Vec<(String, Option<&BounceRecord>)> = if ctx.failed_recipients.is_empty() {
        text_records
            .iter()
            .map(|t| (t.recipient.clone(), Some(t)))
            .collect()
    } else {
        ctx.failed_recipients
            .iter()
            .map(|a| {
                let t = text_records
                    .iter()
                    .find(|t| t.recipient.eq_ignore_ascii_case(a));
                (a.clone(), t)
            })
            .collect()
    };
    if orphans.len() != 1 && orphans.len() != names.len() {
        return Vec::new();
    }
    names
        .into_iter()
        .enumerate()
        .map(|(i, (addr, text))| {
            let mut r = orphans[i.min(orphans.len() - 1)].clone();
            r.recipient = addr;
            if let Some(t) = text.filter(|_| r.diagnostic.is_empty()) {
                r.diagnostic.clone_from(&t.diagnostic);
                r.smtp_code = r.smtp_code.or(t.smtp_code);
                if r.remote_mta.is_none() {
                    r.remote_mta.clone_from(&t.remote_mta);
                    r.remote_ip.clone_from(&t.remote_ip);
                }
            }
            r
        })
        .collect()
}

/// Blank-line separated groups (LF or CRLF). A group that holds a second
/// `Final-Recipient` (no blank line between recipients) is split there.
fn groups(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let lower = line.get(..16).unwrap_or(line).to_ascii_lowercase();
        let blank = line.trim().is_empty();
        let new_rcpt = lower.starts_with("final-recipient:")
            && pos > start
            && text[start..pos]
                .to_ascii_lowercase()
                .contains("final-recipient:");
        if blank || new_rcpt {
            if pos > start {
                out.push(&text[start..pos]);
            }
            start = if blank { pos + line.len() } else { pos };
        }
        pos += line.len();
    }
    if pos > start {
        out.push(&text[start..pos]);
    }
    out
}

/// `Name: value` fields of one group, names lower-cased, values unfolded.
pub fn fields(group: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in group.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some(last) = out.last_mut() {
                last.1.push(' ');
                last.1.push_str(line.trim());
            }
            continue;
        }
        if let Some((name, value)) = line.split_once(':') {
            let name = name.trim();
            if !name.is_empty() && !name.contains(' ') {
                out.push((name.to_ascii_lowercase(), value.trim().to_owned()));
            }
        }
    }
    for f in &mut out {
        f.1 = unfold(&f.1);
    }
    out
}

fn get<'a>(f: &'a [(String, String)], name: &str) -> Option<&'a str> {
    f.iter()
        .find(|(n, v)| n == name && !v.is_empty())
        .map(|(_, v)| v.as_str())
}

/// `dns; mx.example.com` -> `mx.example.com`.
fn mta_name(v: &str) -> String {
    let v = v.split_once(';').map_or(v, |(_, r)| r).trim();
    v.trim_end_matches('.').to_owned()
}

/// The outcome of an Action value; the Status class decides when Action
/// is missing or not standard.
fn outcome_of(action: Option<&str>, status: Option<&str>) -> Option<Outcome> {
    let action = action.map(|a| {
        a.split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
    });
    match action.as_deref() {
        Some("failed" | "failure" | "fail") => Some(Outcome::Bounced),
        Some("delayed" | "delay") => Some(Outcome::Deferred),
        Some("delivered" | "relayed" | "expanded") => None,
        _ => match status.map(str::trim) {
            Some(s) if s.starts_with('5') => Some(Outcome::Bounced),
            Some(s) if s.starts_with('4') => Some(Outcome::Deferred),
            _ => None,
        },
    }
}

fn recipient_record(f: &[(String, String)], reporting: Option<&str>) -> Option<BounceRecord> {
    let final_rcpt = get(f, "final-recipient").map(clean_address);
    let orig_rcpt = get(f, "original-recipient").map(clean_address);
    // No recipient field at all: an orphan, named later from the text.
    // A field that is present but empty or garbled is no failure record.
    let named = final_rcpt.is_some() || orig_rcpt.is_some();
    let recipient = match final_rcpt
        .filter(|a| !a.is_empty())
        .or(orig_rcpt.filter(|a| !a.is_empty()))
    {
        Some(r) => r,
        None if !named && (get(f, "action").is_some() || get(f, "status").is_some()) => "",
        None => return None,
    };
    let status = get(f, "status").map(|s| {
        let s = s.split_whitespace().next().unwrap_or("");
        s.trim_end_matches([',', ';', ')']).to_owned()
    });
    let status = status.filter(|s| crate::classify::enhanced_status(s) == Some(s.as_str()));
    let outcome = outcome_of(get(f, "action"), status.as_deref())?;
    // Exchange's edge servers put the remote reply in X-Supplementary-Info
    // when they give no Diagnostic-Code.
    let diagnostic = get(f, "diagnostic-code")
        .or_else(|| get(f, "x-supplementary-info"))
        .map(diagnostic_text)
        .unwrap_or_default();
    let (remote_mta, remote_ip) = match get(f, "remote-mta").map(mta_name) {
        Some(m) => split_host_ip(&m),
        None => (None, None),
    };
    let ts_ms = get(f, "last-attempt-date")
        .and_then(DateTime::parse_rfc822)
        .map(|d| d.to_timestamp() * 1000);
    let original_recipient = orig_rcpt
        .filter(|o| !o.is_empty() && !o.eq_ignore_ascii_case(recipient))
        .map(str::to_owned);
    Some(BounceRecord {
        recipient: recipient.to_owned(),
        original_recipient,
        outcome,
        status,
        smtp_code: crate::classify::smtp_code(&diagnostic),
        diagnostic,
        remote_mta,
        remote_ip,
        reporting_mta: reporting.map(str::to_owned),
        ts_ms,
        original_sender: None,
        original_message_id: None,
        sending_ip: None,
        format: "rfc3464",
    })
}

/// `smtp; 550 5.1.1 text` -> `550 5.1.1 text` (the type is dropped).
fn diagnostic_text(v: &str) -> String {
    match v.split_once(';') {
        Some((kind, rest)) if !kind.contains(' ') && kind.len() < 20 => rest.trim().to_owned(),
        _ => v.trim().to_owned(),
    }
}

/// `mx.example.com [192.0.2.1]` / `192.0.2.1` / `mx.example.com` /
/// Gmail's `mx.example.com. (192.0.2.44, the server for ...)` -> parts.
fn split_host_ip(m: &str) -> (Option<String>, Option<String>) {
    let m = m.trim();
    let ip_of = |s: &str| {
        let s = s.trim().trim_start_matches("IPv6:");
        crate::parse::is_ip(s).then(|| s.to_owned())
    };
    if let Some(ip) = ip_of(m.trim_matches(['[', ']'])) {
        return (None, Some(ip));
    }
    let end = m
        .find(|c: char| c.is_whitespace() || c == '[' || c == '(')
        .unwrap_or(m.len());
    let host = m[..end].trim_end_matches('.');
    let ip = m[end..]
        .trim_start()
        .strip_prefix(['[', '('])
        .and_then(|r| r.split([']', ')', ',', ' ']).next())
        .and_then(ip_of);
    let host = (!host.is_empty()).then(|| host.to_owned());
    (host, ip)
}

/// Records without a Diagnostic-Code take the reason the human-readable
/// part gives for the same address (Gmail, Exchange often omit it).
fn fill_from_text(records: &mut [BounceRecord], ctx: &Context) {
    if records.iter().all(|r| !r.diagnostic.is_empty()) {
        return;
    }
    let found = plaintext::parse(ctx);
    for r in records.iter_mut().filter(|r| r.diagnostic.is_empty()) {
        let same = found
            .iter()
            .find(|f| f.recipient.eq_ignore_ascii_case(&r.recipient))
            .or(if found.len() == 1 {
                found.first()
            } else {
                None
            });
        if let Some(f) = same {
            r.diagnostic.clone_from(&f.diagnostic);
            r.smtp_code = r.smtp_code.or(f.smtp_code);
            if r.remote_mta.is_none() {
                r.remote_mta.clone_from(&f.remote_mta);
                r.remote_ip.clone_from(&f.remote_ip);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DS: &str = "Reporting-MTA: dns; mx.example.net\nArrival-Date: Tue, 3 Mar 2026 10:15:00 +0000\n\nFinal-Recipient: rfc822; bob@example.com\nOriginal-Recipient: rfc822;bob@example.com\nAction: failed\nStatus: 5.1.1\nRemote-MTA: dns; mx.example.com\nDiagnostic-Code: smtp; 550 5.1.1 <bob@example.com>: Recipient address\n    rejected: User unknown\nLast-Attempt-Date: Tue, 3 Mar 2026 10:15:01 +0000\n\nFinal-Recipient: rfc822; carol@example.com\nAction: delayed\nStatus: 4.4.1\n\nFinal-Recipient: rfc822; dan@example.com\nAction: delivered\nStatus: 2.0.0";

    #[test]
    fn failed_and_delayed_recipients() {
        let r = records_of(DS);
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].recipient, "bob@example.com");
        assert_eq!(r[0].outcome, Outcome::Bounced);
        assert_eq!(r[0].status.as_deref(), Some("5.1.1"));
        assert_eq!(r[0].smtp_code, Some(550));
        assert_eq!(
            r[0].diagnostic,
            "550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown"
        );
        assert_eq!(r[0].remote_mta.as_deref(), Some("mx.example.com"));
        assert_eq!(r[0].reporting_mta.as_deref(), Some("mx.example.net"));
        assert_eq!(r[0].ts_ms, Some(1_772_532_901_000));
        assert_eq!(r[1].outcome, Outcome::Deferred);
        assert_eq!(r[1].recipient, "carol@example.com");
    }

    #[test]
    fn crlf_and_missing_blank_lines() {
        let crlf = DS.replace('\n', "\r\n");
        assert_eq!(records_of(&crlf).len(), 2);
        let squashed = DS.replace("\n\n", "\n");
        assert_eq!(records_of(&squashed).len(), 2);
    }

    #[test]
    fn groups_without_a_recipient_field_are_kept_apart() {
        let (named, orphans) = split_records(
            "Reporting-MTA: dns; gw.example.net\n\nAction: failed\nStatus: 5.7.1\nDiagnostic-Code: smtp; 554 5.7.1 blocked\n",
        );
        assert!(named.is_empty());
        assert_eq!(orphans.len(), 1);
        assert_eq!(orphans[0].status.as_deref(), Some("5.7.1"));
        // an empty Final-Recipient is no record at all
        let (named, orphans) =
            split_records("Final-Recipient: rfc822;\nAction: failed\nStatus: 5.1.1\n");
        assert!(named.is_empty() && orphans.is_empty());
    }

    #[test]
    fn action_missing_uses_status_class() {
        let r = records_of("Final-Recipient: rfc822; x@example.org\nStatus: 5.2.2\n");
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].outcome, Outcome::Bounced);
    }
}
