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
use mail_parser::{DateTime, Message, MessagePart, MimeHeaders};

/// The records of a DSN, `None` when the message has no DSN fields at all.
/// `Some(vec![])` is a DSN that reports only successes.
pub fn parse(msg: &Message, ctx: &Context) -> Option<Vec<BounceRecord>> {
    let part = msg.parts.iter().find(|p| {
        p.is_content_type("message", "delivery-status")
            || p.is_content_type("message", "global-delivery-status")
    });
    let text = match part {
        Some(p) => part_text(msg, p),
        None => mislabelled_part(msg).or_else(|| Some(embedded_fields(&ctx.body)?.to_owned()))?,
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

/// The text of a delivery-status part. When the part's body is empty
/// because its fields were read as part headers (no blank line after
/// `Content-Type`), the whole raw part, headers included, is the text.
fn part_text(msg: &Message, p: &MessagePart) -> String {
    let body = String::from_utf8_lossy(p.contents());
    if !body.trim().is_empty() {
        return body.into_owned();
    }
    String::from_utf8_lossy(raw_slice(msg, p.offset_header, p.offset_end)).into_owned()
}

/// The fields of a report part sent with the wrong type (`text/plain`,
/// `application/octet-stream`, ...): the first leaf part, outside the
/// returned message, whose text carries DSN fields.
///
/// A part with no blank line after its MIME headers has its fields read
/// as headers (and can take the next part's headers with it), so the raw
/// header block is looked at too.
fn mislabelled_part(msg: &Message) -> Option<String> {
    let leaves = || {
        msg.parts
            .iter()
            .filter(|p| !p.is_multipart() && !p.is_message() && !p.is_content_type("text", "html"))
    };
    let found = |bytes: &[u8]| embedded_fields(&String::from_utf8_lossy(bytes)).map(str::to_owned);
    leaves().find_map(|p| found(p.contents())).or_else(|| {
        // not the root's own header block: that is the bounce's header
        leaves()
            .filter(|p| !std::ptr::eq(*p, &msg.parts[0]))
            .find_map(|p| found(raw_slice(msg, p.offset_header, p.offset_body)))
    })
}

/// Bytes `from..to` of the message (empty when out of range).
fn raw_slice<'a>(msg: &'a Message, from: u32, to: u32) -> &'a [u8] {
    msg.raw_message
        .get(from as usize..to as usize)
        .unwrap_or_default()
}

/// The body from the first DSN field on, when the body carries DSN fields.
fn embedded_fields(body: &str) -> Option<&str> {
    let lower = body.to_ascii_lowercase();
    let start = ["reporting-mta:", "final-recipient:", "original-recipient:"]
        .iter()
        .filter_map(|k| line_start_find(&lower, k))
        .min()?;
    line_start_find(&lower[start..], "action:")
        .or_else(|| line_start_find(&lower[start..], "status:"))?;
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

/// Blank-line separated groups (LF or CRLF; a line of only spaces or
/// tabs counts as blank). Without a blank line between recipients, a
/// `Final-Recipient` or `Original-Recipient` line starts a new group when
/// the current one already has that field or an Action/Status.
fn groups(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut pos = 0;
    let mut seen: Vec<String> = Vec::new();
    for line in text.split_inclusive('\n') {
        let blank = line.trim().is_empty();
        let name = field_name(line);
        let new_rcpt = name.as_deref().is_some_and(|n| {
            matches!(n, "final-recipient" | "original-recipient")
                && seen
                    .iter()
                    .any(|s| s == n || s == "action" || s == "status")
        });
        if blank || new_rcpt {
            if pos > start {
                out.push(&text[start..pos]);
            }
            start = if blank { pos + line.len() } else { pos };
            seen.clear();
        }
        seen.extend(name);
        pos += line.len();
    }
    if pos > start {
        out.push(&text[start..pos]);
    }
    out
}

/// The lower-cased name of a field line (`None` for a fold or no field).
fn field_name(line: &str) -> Option<String> {
    if line.starts_with([' ', '\t']) {
        return None;
    }
    let (name, _) = line.split_once(':')?;
    let name = name.trim();
    (!name.is_empty() && !name.contains(' ')).then(|| name.to_ascii_lowercase())
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

/// The outcome of an Action value; when Action is missing or not
/// standard, the Status class decides, else the reply code's class.
fn outcome_of(action: Option<&str>, status: Option<&str>, code: Option<u16>) -> Option<Outcome> {
    // `FAILED`, `failed (bad destination mailbox address)`, `failed(...)`
    let action = action.map(|a| {
        a.trim_start()
            .split(|c: char| !c.is_ascii_alphabetic())
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
            Some(_) => None,
            None => match code? {
                500..=599 => Some(Outcome::Bounced),
                400..=499 => Some(Outcome::Deferred),
                _ => None,
            },
        },
    }
}

fn recipient_record(f: &[(String, String)], reporting: Option<&str>) -> Option<BounceRecord> {
    let final_rcpt = get(f, "final-recipient").map(dsn_address);
    let orig_rcpt = get(f, "original-recipient").map(dsn_address);
    let actual_rcpt = get(f, "x-actual-recipient").map(dsn_address);
    // No recipient field at all: an orphan, named later from the text.
    // A field that is present but empty or garbled is no failure record.
    let named = final_rcpt.is_some() || orig_rcpt.is_some() || actual_rcpt.is_some();
    let candidates = [final_rcpt, orig_rcpt, actual_rcpt];
    let candidates = candidates.iter().flatten().filter(|a| !a.is_empty());
    // An address beats a bare local name (`Final-Recipient: LOCAL; bob`).
    let recipient = match candidates
        .clone()
        .find(|a| looks_like_address(a))
        .or(candidates.clone().next())
    {
        Some(r) => *r,
        None if !named && (get(f, "action").is_some() || get(f, "status").is_some()) => "",
        None => return None,
    };
    // Exchange's edge servers put the remote reply in X-Supplementary-Info
    // when they give no Diagnostic-Code.
    let diagnostic = get(f, "diagnostic-code")
        .or_else(|| get(f, "x-supplementary-info"))
        .map(diagnostic_text)
        .unwrap_or_default();
    let status = status_of(get(f, "status"), &diagnostic);
    let code = crate::classify::smtp_code(&diagnostic);
    let outcome = outcome_of(get(f, "action"), status.as_deref(), code)?;
    let (remote_mta, remote_ip) = match get(f, "remote-mta").map(mta_name) {
        Some(m) => split_host_ip(&m),
        None => (None, None),
    };
    let ts_ms = get(f, "last-attempt-date")
        .and_then(DateTime::parse_rfc822)
        .map(|d| d.to_timestamp() * 1000);
    let original_recipient = orig_rcpt
        .filter(|o| !o.is_empty() && !o.eq_ignore_ascii_case(recipient) && looks_like_address(o))
        .map(str::to_owned);
    Some(BounceRecord {
        recipient: recipient.to_owned(),
        original_recipient,
        outcome,
        status,
        smtp_code: code,
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

/// The Status field's code (`5.1.1`, `5.1.1 (bad destination mailbox
/// address)`, `5.2.2(full)`); without a usable one, the code the
/// Diagnostic-Code gives. A generic `5.0.0` stays as the DSN says it (the
/// classifier reads the diagnostic's own code as well).
fn status_of(field: Option<&str>, diagnostic: &str) -> Option<String> {
    use crate::classify::enhanced_status;
    let field = field.and_then(|s| {
        let s = s.trim_start();
        let code = s
            .split(|c: char| !(c.is_ascii_digit() || c == '.'))
            .next()
            .unwrap_or("")
            .trim_end_matches('.');
        (enhanced_status(code) == Some(code)).then_some(code)
    });
    let from_text = enhanced_status(diagnostic);
    let status = match (field, from_text) {
        (Some(f), _) => f,
        (None, t) => t?,
    };
    Some(status.to_owned())
}

/// A recipient field's address: the type is dropped, and a display name
/// (`rfc822; "Dana W" <dana@example.com>`) or a trailing comment
/// (`bob@example.com (Bob)`) around it too.
fn dsn_address(v: &str) -> &str {
    let v = clean_address(v);
    let v = match v.rfind('<') {
        Some(i) => v[i + 1..].split('>').next().unwrap_or(""),
        None => v,
    };
    let v = v.split_once(" (").map_or(v, |(a, _)| a);
    clean_address(v)
}

/// `local@domain` with no spaces (UTF-8 local parts allowed, RFC 6533).
fn looks_like_address(a: &str) -> bool {
    a.rsplit_once('@')
        .is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !a.contains(char::is_whitespace))
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

    #[test]
    fn original_recipient_first_without_blank_lines() {
        let r = records_of(
            "Reporting-MTA: dns; mx.example.net\nOriginal-Recipient: rfc822; list@example.org\nFinal-Recipient: rfc822; a@example.org\nAction: failed\nStatus: 5.1.1\nOriginal-Recipient: rfc822; b-alias@example.org\nFinal-Recipient: rfc822; b@example.org\nAction: failed\nStatus: 5.2.2\n",
        );
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].original_recipient.as_deref(), Some("list@example.org"));
        assert_eq!(r[1].recipient, "b@example.org");
        assert_eq!(
            r[1].original_recipient.as_deref(),
            Some("b-alias@example.org")
        );
    }

    #[test]
    fn recipient_field_forms() {
        assert_eq!(
            dsn_address("rfc822; \"Dana W\" <dana@example.com>"),
            "dana@example.com"
        );
        assert_eq!(dsn_address("RFC822; <Leo@Example.net>"), "Leo@Example.net");
        assert_eq!(
            dsn_address("Lee, Chris <chris@example.com>"),
            "chris@example.com"
        );
        assert_eq!(dsn_address("bob@example.com.  "), "bob@example.com");
        assert_eq!(
            dsn_address("rfc822; bob@example.com (Bob)"),
            "bob@example.com"
        );
        // a bare local name gives way to an address in another field
        let r = records_of("Final-Recipient: LOCAL; bob\nX-Actual-Recipient: rfc822; bob@staff.example.org\nAction: failed\nStatus: 5.2.2\n");
        assert_eq!(r[0].recipient, "bob@staff.example.org");
    }

    #[test]
    fn status_forms_and_fallbacks() {
        assert_eq!(
            status_of(Some("5.1.1 (bad destination mailbox address)"), "").as_deref(),
            Some("5.1.1")
        );
        assert_eq!(status_of(Some("5.2.2(full)"), "").as_deref(), Some("5.2.2"));
        assert_eq!(
            status_of(None, "550 5.2.1 disabled").as_deref(),
            Some("5.2.1")
        );
        assert_eq!(
            status_of(Some("5.0.0"), "550-5.1.1 no such user").as_deref(),
            Some("5.0.0")
        );
        assert_eq!(status_of(Some("failed"), "").as_deref(), None);
        // neither Action nor Status: the reply code's class decides
        let r = records_of("Final-Recipient: rfc822; x@example.org\nDiagnostic-Code: smtp; 452 too many recipients\n");
        assert_eq!(r[0].outcome, Outcome::Deferred);
        assert_eq!(
            outcome_of(Some("failed(permanent)"), None, None),
            Some(Outcome::Bounced)
        );
    }

    #[test]
    fn report_fields_swallowed_into_the_next_part_headers() {
        // no blank line after the report part's Content-Type nor before the
        // next boundary: mail-parser reads the fields as that part's headers
        let raw = "From: MAILER-DAEMON@mx.example.net\nTo: alice@example.org\nSubject: failure notice\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\n\n--b1\nContent-Type: text/plain\n\nNot delivered.\n\n--b1\nContent-Type: message/delivery-status\nReporting-MTA: dns; mx.example.net\nFinal-Recipient: rfc822; kim@example.com\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 user unknown\n--b1\nContent-Type: text/rfc822-headers\n\nFrom: alice@example.org\n\n--b1--\n";
        let crate::dsn::MessageKind::Bounce(r) = crate::dsn::parse_message(raw.as_bytes()) else {
            panic!("not a bounce");
        };
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].recipient, "kim@example.com");
        assert_eq!(r[0].status.as_deref(), Some("5.1.1"));
    }
}
