//! Exim main log and reject log lines -> [`Record`]s.
//!
//! In: `2024-03-03 10:15:01[.123][ +0100][ [pid]] [message-id] …` lines, old
//! (`1jmFYj-00039V-QX`) and 4.97+ (`16VDhn-000000001bo-D342`) message ids,
//! or the same text behind a syslog header (`… mx1 exim[12]: …`).
//! Out: `<=`/`(=` arrivals as [`QueueMeta`]; `=>` `->` `>>` deliveries,
//! `**` bounces, `==` deferrals and ACL `rejected …` lines as [`Delivery`];
//! `Completed` as [`Record::Removed`]; `*>` and everything else of Exim's as ignored; the header
//! dump that follows a line in the reject log is ignored too.
//!
//! Exim's own lines name no host, so `host` is `""` (the syslog host when the
//! log went through syslog); correlation keys on the message id alone.
//! Vocabulary from the Exim specification, chapter "Log files".

use super::{field, strip_angle, syslog_stamp, time, LineCtx};
use crate::record::{Delivery, Outcome, QueueMeta, Record};

/// Syslog program names Exim logs under.
const PROGRAMS: &[&str] = &["exim", "exim4"];

/// True for a line of an Exim log (used by format detection): a stamp and
/// then a message id, a known flag or a known id-less event.
pub fn looks_like(line: &[u8]) -> bool {
    let Ok(line) = std::str::from_utf8(line) else {
        return false;
    };
    let line = line.strip_suffix('\r').unwrap_or(line);
    let Some((_, _, body)) = split_head(line, &LineCtx::default()) else {
        return false;
    };
    let (id, rest) = split_id(body);
    id.is_some()
        || [
            "H=",
            "U=",
            "F=<",
            "SMTP ",
            "Start queue run",
            "End queue run",
            "exim ",
        ]
        .iter()
        .any(|p| rest.starts_with(p))
}

/// Parse one Exim log line.
pub fn parse_line<'a>(line: &'a str, ctx: &LineCtx) -> Record<'a> {
    let line = line.strip_suffix('\r').unwrap_or(line);
    let Some((ts, host, body)) = split_head(line, ctx) else {
        return if is_header_dump(line) {
            Record::Ignored
        } else {
            Record::Unparsed
        };
    };
    let (id, rest) = split_id(body);
    let base = Delivery {
        ts,
        host,
        queue_id: id,
        ..Delivery::default()
    };
    if let Some(id) = id {
        let flag = rest.get(..3).unwrap_or("");
        let text = rest.get(3..).unwrap_or("");
        match flag {
            "<= " | "(= " => return parse_arrival(text, ts, host, id),
            "=> " | "-> " | ">> " => return parse_sent(text, base),
            "** " => return parse_failure(text, base),
            "== " => return parse_deferral(text, base),
            "*> " => return Record::Ignored,
            _ => {}
        }
        if rest == "Completed" || rest.starts_with("Completed ") {
            return Record::Removed(QueueMeta {
                ts,
                host,
                queue_id: id,
                ..QueueMeta::default()
            });
        }
        if matches!(
            rest.get(..2),
            Some("<=" | "(=" | "=>" | "->" | ">>" | "**" | "==")
        ) {
            return Record::Unparsed; // a flag with nothing after it
        }
    }
    parse_reject(rest, base).unwrap_or(Record::Ignored)
}

/// (epoch ms, host, text after the stamp, zone and pid) of a native Exim
/// line or of an Exim line that went through syslog.
fn split_head<'a>(line: &'a str, ctx: &LineCtx) -> Option<(i64, &'a str, &'a str)> {
    if line.as_bytes().get(10) == Some(&b' ') {
        let (ts, rest) = exim_stamp(line, ctx)?;
        return Some((ts, "", rest));
    }
    let (ts, rest) = syslog_stamp(line, ctx)?;
    let (host, rest) = super::split_once_b(rest, b' ')?;
    let (tag, msg) = super::split_colon_space(rest)?;
    let program = super::before_b(tag, b'[');
    if !PROGRAMS.contains(&program) {
        return None;
    }
    // `syslog_timestamp` (on by default) keeps Exim's own stamp in the text
    match msg.as_bytes().get(10) {
        Some(b' ') => exim_stamp(msg, ctx).map(|(ts, rest)| (ts, host, rest)),
        _ => Some((ts, host, msg)),
    }
}

/// `YYYY-MM-DD HH:MM:SS[.fff][ ±hhmm][ [pid]] ` -> (epoch ms, the rest).
/// Exim writes the zone after a space (`log_timezone`); without one the
/// input's UTC offset applies.
fn exim_stamp<'a>(line: &'a str, ctx: &LineCtx) -> Option<(i64, &'a str)> {
    let b = line.as_bytes();
    let (naive, used) = time::parse_rfc3339(b, 0)?;
    let mut frac_end = 19;
    if matches!(b.get(19), Some(b'.' | b',')) {
        frac_end += 1;
        while b.get(frac_end).is_some_and(u8::is_ascii_digit) {
            frac_end += 1;
        }
    }
    let mut rest = line.get(used..)?;
    let ts = if used > frac_end {
        naive // a zone glued to the time (not Exim's habit, but unambiguous)
    } else if let Some((offset, after)) = spaced_zone(rest) {
        rest = after;
        naive - offset * 1000
    } else {
        ctx.local_to_utc_ms(naive)
    };
    let mut rest = rest.strip_prefix(' ')?;
    if let Some(r) = rest.strip_prefix('[') {
        if let Some((pid, after)) = r.split_once("] ") {
            if !pid.is_empty() && pid.bytes().all(|c| c.is_ascii_digit()) {
                rest = after;
            }
        }
    }
    Some((ts, rest))
}

/// ` +0100` (then a space or the end) -> (offset in seconds, the rest).
fn spaced_zone(s: &str) -> Option<(i64, &str)> {
    let b = s.as_bytes();
    if b.len() < 6 || b[0] != b' ' || !matches!(b[1], b'+' | b'-') {
        return None;
    }
    if !b[2..6].iter().all(u8::is_ascii_digit) || !matches!(b.get(6), None | Some(b' ')) {
        return None;
    }
    let num = |i: usize| i64::from(b[i] - b'0') * 10 + i64::from(b[i + 1] - b'0');
    let sign = if b[1] == b'-' { -1 } else { 1 };
    Some((sign * (num(2) * 3600 + num(4) * 60), &s[6..]))
}

/// Old (`1jmFYj-00039V-QX`, 6-6-2) or 4.97+ (`16VDhn-000000001bo-D342`,
/// 6-11-4) base-62 message ids.
pub fn is_message_id(s: &str) -> bool {
    let b = s.as_bytes();
    let shape = match b.len() {
        16 => (6, 13),
        23 => (6, 18),
        _ => return false,
    };
    b.iter().enumerate().all(|(i, &c)| {
        if i == shape.0 || i == shape.1 {
            c == b'-'
        } else {
            c.is_ascii_alphanumeric()
        }
    })
}

/// (message id, the text after it) or (None, the whole text).
fn split_id(body: &str) -> (Option<&str>, &str) {
    match super::split_once_b(body, b' ') {
        Some((id, rest)) if is_message_id(id) => (Some(id), rest),
        None if is_message_id(body) => (Some(body), ""),
        _ => (None, body),
    }
}

/// A line of the header dump the reject log writes after a rejection:
/// `Envelope-from: <…>`, `P Received: …`, `  Date: …`, continuation lines.
fn is_header_dump(line: &str) -> bool {
    let b = line.as_bytes();
    match b {
        [b' ' | b'\t', ..] => true,
        [flag, b' ', rest @ ..] if b"*BCFIPRST".contains(flag) => {
            let name_end = rest.iter().position(|&c| c == b':');
            name_end.is_some_and(|n| n > 0 && !rest[..n].contains(&b' '))
        }
        _ => line.starts_with("Envelope-from: ") || line.starts_with("Envelope-to: "),
    }
}

/// `<= sender H=name (helo) [ip]:port I=[ip]:port P=esmtpsa A=auth:user S=…`.
fn parse_arrival<'a>(text: &'a str, ts: i64, host: &'a str, id: &'a str) -> Record<'a> {
    let Some(sender) = text.split(' ').next().filter(|s| !s.is_empty()) else {
        return Record::Unparsed;
    };
    // a quoted subject (T="…") may contain anything; fields come before it
    let fields = text.find(" T=\"").map_or(text, |i| &text[..i]);
    Record::Meta(QueueMeta {
        ts,
        host,
        queue_id: id,
        sender: Some(strip_angle(sender)),
        client_ip: exim_host(fields).1,
        sasl_user: auth_user(fields),
    })
}

/// The user of `A=authenticator:user` (none when only the authenticator is logged).
fn auth_user(fields: &str) -> Option<&str> {
    let a = field(fields, "A=")?;
    a.split_once(':').map(|(_, u)| u).filter(|u| !u.is_empty())
}

/// The address a delivery line is about, the text after it, and whether
/// the address ended with `:` (then the error text follows at once).
/// `x@y`, `x@y: text`, `x@y <orig@z>`, `userx <userx@test.ex>`,
/// `/path (parent) <orig>`: a local part or a file/pipe/`:blackhole:` gives
/// way to the original address.
fn recipient_of(text: &str) -> (&str, &str, bool) {
    let (first, mut rest) = super::split_once_b(text, b' ').unwrap_or((text, ""));
    if let Some(addr) = first.strip_suffix(':').filter(|a| !a.starts_with(':')) {
        return (strip_angle(addr), rest, true);
    }
    if first.contains('@') {
        return (strip_angle(first), rest, false);
    }
    while let Some(r) = rest.strip_prefix('(') {
        match r.split_once(") ") {
            Some((_, after)) => rest = after,
            None => break,
        }
    }
    if rest.starts_with('<') {
        let end = rest.find('>').map_or(rest.len(), |i| i + 1);
        let after = &rest[end..];
        return (
            strip_angle(&rest[..end]),
            after.strip_prefix(' ').unwrap_or(after),
            false,
        );
    }
    (first, rest, false)
}

/// `=> x@y R=dnslookup T=remote_smtp H=mx [ip] I=[ip]:port X=… C="250 …"`.
fn parse_sent<'a>(text: &'a str, base: Delivery<'a>) -> Record<'a> {
    let (recipient, fields, _) = recipient_of(text);
    if recipient.is_empty() {
        return Record::Unparsed;
    }
    // the remote's reply (C="…") may contain anything; fields come before it
    let fields = fields.find(" C=\"").map_or(fields, |i| &fields[..i]);
    let (remote_host, remote_ip) = exim_host(fields);
    Record::Delivery(Delivery {
        recipient,
        outcome: Some(Outcome::Sent),
        remote_host,
        remote_ip,
        sending_ip: field(fields, "I=").and_then(bracketed),
        sender: field(fields, "F=").map(strip_angle),
        ..base
    })
}

/// `** x@y [<orig>] [F=<s>] R=… T=… [H=mx [ip] X=…]: [strerror: ]message`.
fn parse_failure<'a>(text: &'a str, base: Delivery<'a>) -> Record<'a> {
    let (recipient, after, colon) = recipient_of(text);
    if recipient.is_empty() {
        return Record::Unparsed;
    }
    let (fields, diagnostic) = match after.find(": ") {
        _ if colon => ("", after),
        Some(i) => (&after[..i], &after[i + 2..]),
        None => (after, ""),
    };
    let (remote_host, remote_ip) = host_or_text(fields, diagnostic);
    let expired = diagnostic.contains("retry timeout exceeded")
        || diagnostic.contains("have been failing for a long time");
    Record::Delivery(Delivery {
        recipient,
        outcome: Some(if expired {
            Outcome::Expired
        } else {
            Outcome::Bounced
        }),
        remote_host,
        remote_ip,
        diagnostic,
        sender: field(fields, "F=").map(strip_angle),
        sending_ip: field(fields, "I=").and_then(bracketed),
        ..base
    })
}

/// `== x@y R=… T=… defer (errno)[: strerror][ H=mx [ip][:port]][: message]`
/// (older Exim: the host is inside the message, `…: host mx [ip]: 451 …`).
fn parse_deferral<'a>(text: &'a str, base: Delivery<'a>) -> Record<'a> {
    let (recipient, after, _) = recipient_of(text);
    if recipient.is_empty() {
        return Record::Unparsed;
    }
    let (fields, tail) = match after.find("defer (") {
        Some(i) => {
            let t = &after[i + 7..];
            (&after[..i], t.find(')').map_or("", |j| &t[j + 1..]))
        }
        None => (after, ""),
    };
    let (host_part, diagnostic) = match tail.strip_prefix(": ") {
        Some(d) => (tail, d), // strerror, then maybe H= and the message: keep it all
        None => match tail.find(": ") {
            Some(i) => (&tail[..i], &tail[i + 2..]),
            None => (tail, ""),
        },
    };
    let (remote_host, remote_ip) = host_or_text(host_part, diagnostic);
    Record::Delivery(Delivery {
        recipient,
        outcome: Some(Outcome::Deferred),
        remote_host,
        remote_ip,
        diagnostic,
        sender: field(fields, "F=").map(strip_angle),
        sending_ip: field(host_part, "I=")
            .or_else(|| field(fields, "I="))
            .and_then(bracketed),
        ..base
    })
}

/// `H=` from the fields, else `host name [ip]` named in the error text.
fn host_or_text<'a>(fields: &'a str, text: &'a str) -> (Option<&'a str>, Option<&'a str>) {
    match exim_host(fields) {
        (None, None) => host_in_text(text),
        found => found,
    }
}

/// `…: host mx.example.com [192.0.2.1]: 550 …` -> (name, ip).
fn host_in_text(text: &str) -> (Option<&str>, Option<&str>) {
    let at = if text.starts_with("host ") {
        0
    } else {
        match text.find(": host ") {
            Some(i) => i + 2,
            None => return (None, None),
        }
    };
    let rest = &text[at + 5..];
    let Some((name, after)) = rest.split_once(" [") else {
        return (None, None);
    };
    match after.split_once(']') {
        Some((ip, _)) if !name.contains(' ') && !ip.is_empty() => (Some(name), Some(ip)),
        _ => (None, None),
    }
}

/// `H=name (helo) [ip]:port`, `H=(helo) [ip]`, `H=[ip]` -> (name, ip).
fn exim_host(fields: &str) -> (Option<&str>, Option<&str>) {
    let Some(at) = find_key(fields, "H=") else {
        return (None, None);
    };
    let mut s = &fields[at + 2..];
    let mut name = None;
    if !s.starts_with(['(', '[']) {
        let end = s.find(' ').unwrap_or(s.len());
        name = Some(&s[..end]).filter(|n| !n.is_empty());
        s = s[end..].trim_start_matches(' ');
    }
    if s.starts_with('(') {
        match s.find(") ") {
            Some(e) => s = &s[e + 2..],
            None => return (name, None),
        }
    }
    (name, bracketed(s))
}

/// Where `key` starts a field (at the start or after a space).
fn find_key(text: &str, key: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text[from..].find(key) {
        let at = from + i;
        if at == 0 || text.as_bytes()[at - 1] == b' ' {
            return Some(at);
        }
        from = at + key.len();
    }
    None
}

/// `[ip]` or `[ip]:port` at the start of `s` -> ip.
fn bracketed(s: &str) -> Option<&str> {
    let (ip, _) = s.strip_prefix('[')?.split_once(']')?;
    (!ip.is_empty()).then_some(ip)
}

/// ACL rejections: `H=… F=<s> [temporarily ]rejected RCPT <r>: reason`,
/// `rejected MAIL <s>`, `rejected [after ]DATA`, `rejected connection …`,
/// `rejected EHLO or HELO …`, `rejected by non-SMTP ACL`. `None` when the
/// text is not one of these.
fn parse_reject<'a>(text: &'a str, base: Delivery<'a>) -> Option<Record<'a>> {
    if let Some(r) = text.strip_prefix("rejected from ") {
        return Some(rejected_from(r, base));
    }
    // `F=` may carry a bare address (`F=a@b.example H=… rejected by local_scan()`)
    if !["H=", "U=", "F=", "A=", "I=", "P="]
        .iter()
        .any(|p| text.starts_with(p))
    {
        return None;
    }
    let at = find_key(text, "rejected ")?;
    let fields = &text[..at];
    let what = &text[at + 9..];
    let (recipient, sender_in_cmd, reason) = if let Some(r) = what.strip_prefix("RCPT ") {
        let (addr, reason) = angle_then_reason(r);
        (addr, None, reason)
    } else if let Some(r) = what.strip_prefix("MAIL ") {
        let (addr, reason) = angle_then_reason(r);
        ("", Some(addr), reason)
    } else if [
        "after DATA",
        "DATA",
        "connection",
        "EHLO or HELO",
        "by non-SMTP ACL",
        "by local_scan()",
    ]
    .iter()
    .any(|p| what.starts_with(p))
    {
        ("", None, what.split_once(": ").map_or("", |(_, r)| r))
    } else {
        return None; // VRFY, EXPN, ETRN, AUTH, STARTTLS: no mail involved
    };
    Some(Record::Delivery(Delivery {
        recipient,
        outcome: Some(Outcome::Rejected),
        diagnostic: reason,
        client_ip: exim_host(fields).1,
        sender: sender_in_cmd.or_else(|| field(fields, "F=").map(strip_angle)),
        sasl_user: auth_user(fields),
        ..base
    }))
}

/// `rejected from <s> [H=… ]: reason`: a whole message refused while it was
/// being received (size limit, bad header, CHUNKING error).
fn rejected_from<'a>(r: &'a str, base: Delivery<'a>) -> Record<'a> {
    let (sender, after) = if r.starts_with('<') {
        let end = r.find('>').map_or(r.len(), |i| i + 1);
        (strip_angle(&r[..end]), &r[end..])
    } else {
        let end = r.find([' ', ':']).unwrap_or(r.len());
        (&r[..end], &r[end..])
    };
    let (fields, reason) = after.split_once(": ").unwrap_or((after, ""));
    Record::Delivery(Delivery {
        outcome: Some(Outcome::Rejected),
        diagnostic: reason,
        client_ip: exim_host(fields.trim_start()).1,
        sender: Some(sender),
        sasl_user: auth_user(fields),
        ..base
    })
}

/// `<addr>: reason` (either part may be missing) -> (addr, reason).
fn angle_then_reason(s: &str) -> (&str, &str) {
    let end = if s.starts_with('<') {
        s.find('>').map_or(s.len(), |i| i + 1)
    } else {
        s.find([' ', ':']).unwrap_or(s.len())
    };
    let reason = s[end..].trim_start_matches(':').trim_start();
    (strip_angle(&s[..end]), reason)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::time::{days_from_civil, YearRule};

    fn ctx() -> LineCtx {
        LineCtx {
            year: YearRule::StartsIn {
                year: 2024,
                first_month: 1,
            },
            tz_offset_s: 0,
            tz: None,
        }
    }

    /// 2024-03-03 10:15:01 UTC in epoch ms.
    const BASE: i64 = (19_785 * 86_400 + 36_901) * 1000;

    fn delivery(line: &str) -> Delivery<'_> {
        match parse_line(line, &ctx()) {
            Record::Delivery(d) => d,
            other => panic!("not a delivery: {other:?}\n{line}"),
        }
    }

    fn meta(line: &str) -> QueueMeta<'_> {
        match parse_line(line, &ctx()) {
            Record::Meta(m) => m,
            other => panic!("not meta: {other:?}\n{line}"),
        }
    }

    const SAMPLES: &[&str] = &[
        "2024-03-03 10:15:01 1jmFYj-00039V-QX <= alice@example.org H=laptop.example.org (alice-pc) [198.51.100.7]:52114 I=[192.0.2.25]:587 P=esmtpsa X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=no A=dovecot_plain:alice@example.org S=2841 id=20240303101500.4711@example.org T=\"Re: minutes A=x\" for bob@example.com",
        "2024-03-03 10:15:02 1jmFYj-00039V-QX => bob@example.com R=dnslookup T=remote_smtp H=mx.example.com [192.0.2.10] I=[192.0.2.25] X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes C=\"250 2.0.0 Ok: queued as 4Xt2Lq0Bz5z9vXY\" QT=1s DT=0s",
        "2024-03-03 10:15:02 1jmFYj-00039V-QX Completed",
        "2024-03-03 10:15:03 16VDhn-000000001bo-D342 ** bob@example.com R=dnslookup T=remote_smtp H=mx.example.com [192.0.2.10] X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes: SMTP error from remote mail server after RCPT TO:<bob@example.com>: 550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown",
        "2024-03-03 10:15:04 1uXyZ1-000ABC-2A == user@yahoo.com R=dkim_lookuphost T=remote_smtp defer (-46) H=mta7.am0.yahoodns.net [203.0.113.40]: SMTP error from remote mail server after end of data: 421 4.7.0 [TSS04] Messages from 192.0.2.25 temporarily deferred due to user complaints",
        "2024-03-03 10:15:05 H=(bad.example) [203.0.113.9]:41234 F=<spam@bad.example> rejected RCPT <user@example.org>: JunkMail rejected - bad.example [203.0.113.9] is in an RBL: see http://www.spamhaus.org/query/bl?ip=203.0.113.9",
        "2024-03-03 10:15:01.123 +0100 [1234] 1jmFYj-00039V-QX *> bob@example.com R=dnslookup T=remote_smtp",
    ];

    #[test]
    fn arrival_gives_sender_client_and_sasl_user() {
        let m = meta(SAMPLES[0]);
        assert_eq!(m.ts, BASE);
        assert_eq!(m.host, "");
        assert_eq!(m.queue_id, "1jmFYj-00039V-QX");
        assert_eq!(m.sender, Some("alice@example.org"));
        assert_eq!(m.client_ip, Some("198.51.100.7")); // not the I= interface
        assert_eq!(m.sasl_user, Some("alice@example.org"));
    }

    #[test]
    fn arrival_variants() {
        let m = meta("2024-03-03 10:15:01 10HmbC-0005vi-00 <= <> R=10HmaX-0005vi-00 U=Debian-exim P=local S=1811");
        assert_eq!(m.sender, Some(""));
        assert_eq!((m.client_ip, m.sasl_user), (None, None));
        let m = meta("2024-03-03 10:15:01 10HmbH-0005vi-00 <= ok@test3 H=[10.9.8.8] U=CALLER P=smtp S=333 A=plain");
        assert_eq!(m.client_ip, Some("10.9.8.8"));
        assert_eq!(m.sasl_user, None, "authenticator without an id");
        let m = meta("2024-03-03 10:15:01 10HmbH-0005vi-00 <= a@b.example H=mail.b.example [2001:db8::25]:40112 P=esmtps S=1");
        assert_eq!(m.client_ip, Some("2001:db8::25"));
        // a subject that looks like a field does not count
        let m = meta("2024-03-03 10:15:01 10HmbH-0005vi-00 <= a@b.example U=www P=local S=1 T=\"H=x [6.6.6.6] A=y:z\"");
        assert_eq!((m.client_ip, m.sasl_user), (None, None));
        // fakereject arrival
        let m = meta(
            "2024-03-03 10:15:01 10HmbH-0005vi-00 (= a@b.example H=(x) [198.51.100.3] P=esmtp S=1",
        );
        assert_eq!(m.client_ip, Some("198.51.100.3"));
    }

    #[test]
    fn stamp_with_ms_zone_and_pid_and_both_id_forms() {
        let m = meta("2024-03-03 11:15:01.123 +0100 [1234] 16VDhn-000000001bo-D342 <= a@b.example U=www P=local S=1");
        assert_eq!(m.ts, BASE + 123);
        assert_eq!(m.queue_id, "16VDhn-000000001bo-D342");
        let m = meta("2024-03-03 05:15:01 -0500 1jmFYj-00039V-QX <= a@b.example U=www P=local S=1");
        assert_eq!(m.ts, BASE);
        let m = meta("2024-03-03 10:15:01 [99] 1jmFYj-00039V-QX <= a@b.example U=www P=local S=1");
        assert_eq!(m.ts, BASE);
        let m = meta("2024-03-03 10:15:01.5 1jmFYj-00039V-QX <= a@b.example U=www P=local S=1");
        assert_eq!(m.ts, BASE + 500);
        // no zone logged: the input's offset applies
        let c = LineCtx {
            tz_offset_s: 3600,
            tz: None,
            ..ctx()
        };
        match parse_line(
            "2024-03-03 11:15:01 1jmFYj-00039V-QX <= a@b.example U=www P=local",
            &c,
        ) {
            Record::Meta(m) => assert_eq!(m.ts, BASE),
            other => panic!("{other:?}"),
        }
        assert!(is_message_id("1jmFYj-00039V-QX"));
        assert!(is_message_id("16VDhn-000000001bo-D342"));
        assert!(!is_message_id("1jmFYj-00039V-Q"));
        assert!(!is_message_id("1jmFYj_00039V-QX"));
        assert!(!is_message_id("16VDhn-000000001b-oD342"));
    }

    #[test]
    fn deliveries_are_sent_with_remote_and_sending_ip() {
        let d = delivery(SAMPLES[1]);
        assert_eq!(d.ts, BASE + 1000);
        assert_eq!(d.queue_id, Some("1jmFYj-00039V-QX"));
        assert_eq!(d.recipient, "bob@example.com");
        assert_eq!(d.outcome, Some(Outcome::Sent));
        assert_eq!(d.remote_host, Some("mx.example.com"));
        assert_eq!(d.remote_ip, Some("192.0.2.10"));
        assert_eq!(d.sending_ip, Some("192.0.2.25"));
        let d = delivery("2024-03-03 10:15:02 1jmFYj-00039V-QX -> carol@example.com R=dnslookup T=remote_smtp H=mx.example.com [192.0.2.10]:25 I=[192.0.2.25]:41000 C=\"250 OK H=x [1.1.1.1]\"");
        assert_eq!(d.recipient, "carol@example.com");
        assert_eq!(d.remote_ip, Some("192.0.2.10"));
        assert_eq!(d.sending_ip, Some("192.0.2.25"));
        // local delivery: the local part gives way to the address
        let d = delivery(
            "2024-03-03 10:15:02 10HmbD-0005vi-00 => userx <userx@test.ex> R=accept T=appendfile",
        );
        assert_eq!(d.recipient, "userx@test.ex");
        assert_eq!((d.remote_host, d.sending_ip), (None, None));
        let d = delivery("2024-03-03 10:15:02 10HmbD-0005vi-00 => |/usr/bin/procmail (bob@example.org) <bob@example.org> R=procmail T=procmail_pipe");
        assert_eq!(d.recipient, "bob@example.org");
        let d = delivery("2024-03-03 10:15:02 10HmbD-0005vi-00 => :blackhole: <spam@example.org> R=blackhole_router");
        assert_eq!(d.recipient, "spam@example.org");
        let d = delivery("2024-03-03 10:15:02 10HmbD-0005vi-00 >> a@b.example R=dnslookup T=remote_smtp H=mx.b.example [192.0.2.11] C=\"250 OK\"");
        assert_eq!(d.outcome, Some(Outcome::Sent));
    }

    #[test]
    fn bounce_with_host_field_and_both_id_forms() {
        let d = delivery(SAMPLES[3]);
        assert_eq!(d.queue_id, Some("16VDhn-000000001bo-D342"));
        assert_eq!(d.recipient, "bob@example.com");
        assert_eq!(d.outcome, Some(Outcome::Bounced));
        assert_eq!(d.remote_host, Some("mx.example.com"));
        assert_eq!(d.remote_ip, Some("192.0.2.10"));
        assert_eq!(
            d.diagnostic,
            "SMTP error from remote mail server after RCPT TO:<bob@example.com>: 550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown"
        );
        let d = delivery("2024-03-03 10:15:03 1jmFYj-00039V-QX ** bad@gmail.com F=<alice@example.org> R=lookuphost T=remote_smtp H=gmail-smtp-in.l.google.com [142.250.1.26]: SMTP error from remote mail server after RCPT TO:<bad@gmail.com>: 550-5.1.1 The email account that you tried to reach does not exist.");
        assert_eq!(d.sender, Some("alice@example.org"));
        assert_eq!(d.remote_ip, Some("142.250.1.26"));
        assert!(d.diagnostic.starts_with(
            "SMTP error from remote mail server after RCPT TO:<bad@gmail.com>: 550-5.1.1"
        ));
    }

    #[test]
    fn bounce_older_layouts() {
        // host named inside the error text (Exim before 4.8x)
        let d = delivery("2012-02-13 15:02:27 1Rwtcp-0000Ac-BW ** pm@example.ru R=dnslookup T=remote_smtp: SMTP error from remote mail server after RCPT TO:<pm@example.ru>: host tmg.example.ru [198.51.100.210]: 550 5.7.1 Client host 192.0.2.6 blocked using bl.example.net");
        assert_eq!(d.remote_host, Some("tmg.example.ru"));
        assert_eq!(d.remote_ip, Some("198.51.100.210"));
        assert!(d.diagnostic.ends_with("blocked using bl.example.net"));
        let d = delivery(
            "2024-03-03 10:15:03 1jmFYj-00039V-QX ** nobody@nowhere.example: Unrouteable address",
        );
        assert_eq!(d.recipient, "nobody@nowhere.example");
        assert_eq!(d.diagnostic, "Unrouteable address");
        assert_eq!(d.outcome, Some(Outcome::Bounced));
        let d = delivery("2024-03-03 10:15:03 1jmFYj-00039V-QX ** fwd@example.com <orig@example.org>: Unrouteable address");
        assert_eq!(d.recipient, "fwd@example.com");
        assert_eq!(d.diagnostic, "Unrouteable address");
    }

    #[test]
    fn retry_timeout_is_expired() {
        let d = delivery("2012-02-13 14:39:22 1RookS-000Pg8-VO ** someone@london.example: retry timeout exceeded");
        assert_eq!(d.outcome, Some(Outcome::Expired));
        assert_eq!(d.recipient, "someone@london.example");
        let d = delivery("2024-03-03 10:15:03 1jmFYj-00039V-QX ** a@b.example R=dnslookup T=remote_smtp: retry timeout exceeded");
        assert_eq!(d.outcome, Some(Outcome::Expired));
        assert_eq!(d.diagnostic, "retry timeout exceeded");
    }

    #[test]
    fn deferrals() {
        let d = delivery(SAMPLES[4]);
        assert_eq!(d.outcome, Some(Outcome::Deferred));
        assert_eq!(d.recipient, "user@yahoo.com");
        assert_eq!(d.remote_host, Some("mta7.am0.yahoodns.net"));
        assert_eq!(d.remote_ip, Some("203.0.113.40"));
        assert!(d.diagnostic.starts_with(
            "SMTP error from remote mail server after end of data: 421 4.7.0 [TSS04]"
        ));
        let d = delivery("2024-03-03 10:15:04 1TrXXb-0003AY-Fw == vv@gmail.com R=smarthost T=remote_smtp_smarthost defer (110): Connection timed out");
        assert_eq!(d.diagnostic, "Connection timed out");
        assert_eq!((d.remote_host, d.remote_ip), (None, None));
        // strerror, then the host, then the message: all kept
        let d = delivery("2024-03-03 10:15:04 1TrXXb-0003AY-Fw == a@b.example R=dnslookup T=remote_smtp defer (111): Connection refused H=mx.b.example [192.0.2.30]:25: retry later");
        assert_eq!(d.remote_host, Some("mx.b.example"));
        assert_eq!(d.remote_ip, Some("192.0.2.30"));
        assert!(d.diagnostic.starts_with("Connection refused"));
        let d = delivery("2024-03-03 10:15:04 10HmbC-0005vi-00 == userx@nonexist R=all defer (-32): lookup of host \"nonexist.test.ex\" failed in all router");
        assert_eq!(d.outcome, Some(Outcome::Deferred));
        let d = delivery("2024-03-03 10:15:04 1b8lwj-0003bo-6W == authority@example.com R=dnslookup T=remote_smtp defer (-44): SMTP error from remote mail server after RCPT TO:<authority@example.com>: host eu-smtp-inbound-1.example.com [195.130.217.211]: 451 Internal resource temporarily unavailable");
        assert_eq!(d.remote_ip, Some("195.130.217.211"));
        let d = delivery("2024-03-03 10:15:04 10HmbC-0005vi-00 == a@b.example routing defer (-51): retry time not reached");
        assert_eq!(d.diagnostic, "retry time not reached");
        let d = delivery("2024-03-03 10:15:04 1wtMbN-00000004FD2-1H7i == fish@gmail.com (info@example.gr) <info@example.gr> R=dkim_lookuphost T=remote_smtp defer (-46) H=alt3.gmail-smtp-in.l.google.com [192.178.211.26]: SMTP error from remote mail server after end of data: 421-4.7.28 Gmail has detected an unusual rate of unsolicited mail.");
        assert_eq!(d.recipient, "fish@gmail.com");
        assert_eq!(d.queue_id, Some("1wtMbN-00000004FD2-1H7i"));
        assert_eq!(d.remote_ip, Some("192.178.211.26"));
    }

    #[test]
    fn acl_rejections() {
        let d = delivery(SAMPLES[5]);
        assert_eq!(d.outcome, Some(Outcome::Rejected));
        assert_eq!(d.queue_id, None);
        assert_eq!(d.client_ip, Some("203.0.113.9"));
        assert_eq!(d.sender, Some("spam@bad.example"));
        assert_eq!(d.recipient, "user@example.org");
        assert!(d.diagnostic.starts_with("JunkMail rejected - bad.example [203.0.113.9] is in an RBL: see http://www.spamhaus.org/"));
        let d = delivery("2021-05-04 13:37:00 +0100 H=mail.remotehost.example [198.51.100.123]:1337 X=TLSv1.2:ECDHE-RSA-AES128-GCM-SHA256:128 CV=no F=<mail@sender.example> temporarily rejected RCPT <mail@recipient.example>: Deferred due to greylisting.");
        assert_eq!(d.outcome, Some(Outcome::Rejected));
        assert_eq!(d.recipient, "mail@recipient.example");
        assert_eq!(d.client_ip, Some("198.51.100.123"));
        assert_eq!(d.diagnostic, "Deferred due to greylisting.");
        let d = delivery("2024-03-03 10:15:05 1jmFYj-00039V-QX H=client.example.net [198.51.100.8] A=dovecot_login:bob@example.org F=<bob@example.org> rejected after DATA: This message contains a virus (Eicar-Signature)");
        assert_eq!(d.queue_id, Some("1jmFYj-00039V-QX"));
        assert_eq!(d.recipient, "");
        assert_eq!(d.sender, Some("bob@example.org"));
        assert_eq!(d.sasl_user, Some("bob@example.org"));
        assert_eq!(
            d.diagnostic,
            "This message contains a virus (Eicar-Signature)"
        );
        let d = delivery(
            "2024-03-03 10:15:05 H=[10.9.8.8] U=CALLER rejected MAIL <bad@test1>: Access denied",
        );
        assert_eq!(d.sender, Some("bad@test1"));
        assert_eq!(d.diagnostic, "Access denied");
        assert_eq!(d.client_ip, Some("10.9.8.8"));
        let d = delivery("2024-03-03 10:15:05 H=[10.9.8.8] U=CALLER rejected MAIL <bad@test1>");
        assert_eq!((d.sender, d.diagnostic), (Some("bad@test1"), ""));
        let d = delivery(
            "2024-03-03 10:15:05 U=CALLER F=<> rejected RCPT <cantverify.fail@y>: failure message",
        );
        assert_eq!((d.sender, d.recipient), (Some(""), "cantverify.fail@y"));
        let d = delivery("2024-03-03 10:15:05 H=(x) [203.0.113.5] rejected connection in \"connect\" ACL: 203.0.113.5 is listed in zen.spamhaus.org");
        assert_eq!(d.client_ip, Some("203.0.113.5"));
        assert!(d.diagnostic.contains("zen.spamhaus.org"));
        let d = delivery("2024-03-03 10:15:05 10HmaX-0005vi-00 F=<userx@test1> rejected by non-SMTP ACL: don't like sender userx@test1");
        assert_eq!(d.sender, Some("userx@test1"));
    }

    #[test]
    fn local_scan_and_rejected_from_are_rejections() {
        // fail2ban fixture: bare F= address, local_scan() verdict
        let d = delivery("2013-06-09 10:21:28 [14127] 1UlasQ-0003fr-45 F=mcorporation4@example.com H=(mail38.example.ru) [203.0.113.82]:43671 I=[192.0.2.4]:25 P=esmtp rejected by local_scan(): Rejected");
        assert_eq!(d.outcome, Some(Outcome::Rejected));
        assert_eq!(d.sender, Some("mcorporation4@example.com"));
        assert_eq!(d.client_ip, Some("203.0.113.82"));
        assert_eq!(d.diagnostic, "Rejected");
        let d = delivery("2010-11-24 21:48:41 1PLKOW-00046U-EW F=w@example.net H=dsl.example.hr (example.net) [203.0.113.237] I=[192.0.2.32]:25 P=esmtp temporarily rejected by local_scan(): Temporary local problem");
        assert_eq!(d.outcome, Some(Outcome::Rejected));
        assert_eq!(d.diagnostic, "Temporary local problem");
        assert_eq!(d.queue_id, Some("1PLKOW-00046U-EW"));
        // test suite 0900 / message size limit
        let d = delivery("2024-03-03 10:15:05 rejected from <someone@example.net> H=(tester) [203.0.113.9]: message too big: read=52428900 max=52428800");
        assert_eq!(d.outcome, Some(Outcome::Rejected));
        assert_eq!(d.sender, Some("someone@example.net"));
        assert_eq!(d.client_ip, Some("203.0.113.9"));
        assert_eq!(d.diagnostic, "message too big: read=52428900 max=52428800");
        let d = delivery("2024-03-03 10:15:05 rejected from <> H=[203.0.113.9]: Non-CRLF-terminated header, under CHUNKING: message abandoned");
        assert_eq!(d.sender, Some(""));
        assert_eq!(
            d.diagnostic,
            "Non-CRLF-terminated header, under CHUNKING: message abandoned"
        );
        // protocol errors that merely contain "rejected" stay ignored
        assert_eq!(parse_line("2013-06-02 06:54:20 [13314] SMTP protocol synchronization error (input sent without waiting for greeting): rejected connection from H=[203.0.113.192]:25936 I=[192.0.2.4]:25 input=\"GET / HTTP/1.1\"", &ctx()), Record::Ignored);
    }

    #[test]
    fn reject_log_header_dump_is_ignored() {
        let c = ctx();
        for l in [
            "Envelope-from: <>",
            "Envelope-to: <x@y>",
            "P Received: from CALLER by the.local.host.name with local-smtp (Exim x.yz)",
            "\tid 10HmaX-0005vi-00",
            "\tfor x@y; Tue, 2 Mar 1999 09:44:33 +0000",
            "F From: <bad@syntax",
            "I Message-Id: <E10HmaX-0005vi-00@the.local.host.name>",
            "  Date: Tue, 2 Mar 1999 09:44:33 +0000",
            "  X-warning: this is a test warning",
            "T to: group name: x@y, p@q;",
        ] {
            assert_eq!(parse_line(l, &c), Record::Ignored, "{l}");
        }
    }

    #[test]
    fn other_lines_are_ignored_or_unparsed() {
        let c = ctx();
        for l in [
            SAMPLES[6],
            "2024-03-03 10:15:02 Start queue run: pid=1234",
            "2024-03-03 10:15:02 SMTP connection from (x) [203.0.113.9]:4411 I=[192.0.2.25]:25 closed by QUIT",
            "2024-03-03 10:15:02 1wvYIb-00000005S1o-3buz H=smtp.example.com [40.83.44.179]: SMTP error from remote mail server after initial connection: 421 Too many concurrent SMTP connections",
            "2024-03-03 10:15:02 H=(x) [203.0.113.9] sender verify fail for <a@b.example>: Unrouteable address",
            "2024-03-03 10:15:02 H=(x) [203.0.113.9] rejected VRFY root",
            "2024-03-03 10:15:02 1jmFYj-00039V-QX Message is frozen",
            "2024-03-03 10:15:02 cwd=/var/spool/exim 3 args: /usr/sbin/exim -Mc 1ajLoq-0001wC-Pk",
        ] {
            assert_eq!(parse_line(l, &c), Record::Ignored, "{l}");
        }
        for l in [
            SAMPLES[2],
            "2024-03-03 10:15:02 1jmFYj-00039V-QX Completed QT=1s",
            "Mar  3 10:15:02 mx1 exim[77]: 1jmFYj-00039V-QX Completed",
        ] {
            assert!(
                matches!(parse_line(l, &c), Record::Removed(m) if m.queue_id == "1jmFYj-00039V-QX"),
                "{l}"
            );
        }
        for l in [
            "",
            "garbage",
            "******** SERVER ********",
            "2024-03-03 10:15:02",
            "2024-03-03 10:15:02 1jmFYj-00039V-QX **",
            "2024-03-03 10:15:02 1jmFYj-00039V-QX <= ",
            "Mar  3 10:15:00 mx1 postfix/smtp[1]: 9F1E2123AB: to=<a@b>, status=sent (ok)",
        ] {
            assert_eq!(parse_line(l, &c), Record::Unparsed, "{l:?}");
        }
    }

    #[test]
    fn through_syslog() {
        let d = delivery("Mar  3 10:15:03 mx1 exim[4242]: 1jmFYj-00039V-QX ** bob@example.com R=dnslookup T=remote_smtp H=mx.example.com [192.0.2.10]: SMTP error from remote mail server after RCPT TO:<bob@example.com>: 550 5.1.1 User unknown");
        assert_eq!(d.host, "mx1");
        assert_eq!(d.ts, BASE + 2000);
        assert_eq!(d.outcome, Some(Outcome::Bounced));
        assert!(looks_like(
            b"Mar  3 10:15:03 mx1 exim4[4242]: 1jmFYj-00039V-QX Completed"
        ));
    }

    #[test]
    fn through_syslog_with_exims_own_stamp() {
        let d = delivery("Mar  3 10:15:09 mx1 exim4[4242]: 2024-03-03 10:15:03.250 1jmFYj-00039V-QX == a@b.example R=dnslookup T=remote_smtp defer (-53): retry time not reached for any host for 'b.example'");
        assert_eq!(d.ts, BASE + 2250, "Exim's own stamp wins");
        assert_eq!(d.outcome, Some(Outcome::Deferred));
        assert_eq!(d.host, "mx1");
    }

    #[test]
    fn looks_like_exim_lines_only() {
        for l in SAMPLES {
            assert!(looks_like(l.as_bytes()), "{l}");
        }
        assert!(!looks_like(
            b"Mar  3 10:15:00 mx1 postfix/smtp[1]: 9F1E2123AB: to=<a@b>"
        ));
        assert!(!looks_like(
            b"2024-03-03T10:15:01Z mx1 postfix/smtp[1]: 9F1E2123AB: to=<a@b>"
        ));
        assert!(!looks_like(b"2024-03-03 10:15:01 something else entirely"));
        assert!(!looks_like(b"\xff\xfe"));
    }

    #[test]
    fn truncated_and_mangled_lines_never_panic() {
        let extra = [
            "2024-03-03 10:15:01.123 +0100 [1234] 16VDhn-000000001bo-D342 == a@b.example R=r T=t defer (-44) H=mx [2001:db8::1]:25: x",
            "2024-03-03 10:15:01 1jmFYj-00039V-QX ** x@y <z@w>: host h [1.2.3.4]: 550 no",
            "2024-03-03 10:15:01 H=(h [1.2.3.4] F=<a rejected RCPT <b: c",
            "Mar  3 10:15:03 mx1 exim[4242]: 1jmFYj-00039V-QX => a@é.example R=r H=ü [ß]",
        ];
        let c = ctx();
        for l in SAMPLES.iter().chain(extra.iter()) {
            for (i, _) in l.char_indices() {
                let _ = parse_line(&l[..i], &c);
                let _ = parse_line(&l[i..], &c);
                let _ = looks_like(&l.as_bytes()[..i]);
            }
        }
    }

    #[test]
    fn utc_base_is_right() {
        assert_eq!(BASE, (days_from_civil(2024, 3, 3) * 86_400 + 36_901) * 1000);
    }
}
