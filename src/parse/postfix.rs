//! Postfix syslog lines -> [`Record`]s.
//!
//! Handles any `syslog_name` (`postfix/smtp`, `postfix/submission/smtpd`,
//! `postfix-10.20.30.40/smtp`, whose suffix becomes `sending_ip`), short and
//! long queue ids, delivery lines with `status=`, `status=expired`,
//! `NOQUEUE: reject:` / `milter-reject:`, qmgr `from=`, smtpd `client=`.
//! Vocabulary from postfix.org's logging documentation (MAILLOG_README).

use super::{
    before_b, field, fields_at, find_b, host_and_ip, is_ip, rfind_b, strip_angle, syslog_stamp,
    value_at, LineCtx,
};
use crate::record::{Delivery, Outcome, QueueMeta, Record};

/// Postfix daemon names (the part of the tag after the last `/`).
fn is_daemon(name: &str) -> bool {
    matches!(
        name,
        "smtp"
            | "lmtp"
            | "local"
            | "virtual"
            | "error"
            | "retry"
            | "discard"
            | "pipe"
            | "qmgr"
            | "smtpd"
            | "cleanup"
            | "pickup"
            | "bounce"
            | "postscreen"
            | "anvil"
            | "master"
            | "scache"
            | "tlsmgr"
            | "trivial-rewrite"
            | "verify"
            | "postdrop"
            | "sendmail"
            | "dnsblog"
            | "tlsproxy"
            | "postqueue"
            | "postsuper"
            | "flush"
            | "showq"
            | "proxymap"
            | "oqmgr"
            | "defer"
            | "trace"
            | "qmqpd"
            | "lmtpd"
    )
}

/// Split `host tag[pid]: msg` (after the stamp) into (host, syslog_name, daemon, msg).
fn split_header(rest: &str) -> Option<(&str, &str, &str, &str)> {
    let sp = find_b(rest, b' ')?;
    let host = &rest[..sp];
    let rest = &rest[sp + 1..];
    let colon = super::find_colon_space(rest)?;
    let tag = &rest[..colon];
    let tag = before_b(tag, b'[');
    let slash = rfind_b(tag, b'/')?;
    let (name, daemon) = (&tag[..slash], &tag[slash + 1..]);
    if name.is_empty() || !is_daemon(daemon) {
        return None;
    }
    Some((host, name, daemon, &rest[colon + 2..]))
}

/// True for a line that is a Postfix line (used by format detection).
pub fn looks_like(line: &[u8]) -> bool {
    let Ok(line) = std::str::from_utf8(line) else {
        return false;
    };
    let ctx = LineCtx::default();
    syslog_stamp(line, &ctx)
        .and_then(|(_, rest)| split_header(rest))
        .is_some()
}

/// The sending IP encoded in a syslog name like `postfix-10.20.30.40`.
fn sending_ip_of(syslog_name: &str) -> Option<&str> {
    let first = before_b(syslog_name, b'/');
    let ip = &first[rfind_b(first, b'-')? + 1..];
    is_ip(ip).then_some(ip)
}

/// Queue ids: short (hex) or long (base-52 style) alphanumerics.
fn is_queue_id(s: &str) -> bool {
    s.len() >= 5
        && s.len() <= 20
        && s.bytes().all(|b| b.is_ascii_alphanumeric())
        && s.bytes()
            .any(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        && s != "NOQUEUE"
}

/// Parse one Postfix log line.
pub fn parse_line<'a>(line: &'a str, ctx: &LineCtx) -> Record<'a> {
    let line = line.strip_suffix('\r').unwrap_or(line);
    let Some((ts, rest)) = syslog_stamp(line, ctx) else {
        return Record::Unparsed;
    };
    let Some((host, name, _daemon, msg)) = split_header(rest) else {
        return Record::Unparsed;
    };
    let sending_ip = sending_ip_of(name);
    let (qid, body) = match super::split_colon_space(msg) {
        Some(("NOQUEUE", b)) => (None, b),
        Some((q, b)) if is_queue_id(q) => (Some(q), b),
        _ => return Record::Ignored,
    };
    let base = Delivery {
        ts,
        host,
        queue_id: qid,
        sending_ip,
        ..Delivery::default()
    };
    if let Some(r) = body
        .strip_prefix("reject: ")
        .or_else(|| body.strip_prefix("milter-reject: "))
    {
        return parse_reject(r, base);
    }
    let Some(qid) = qid else {
        return Record::Ignored;
    };
    if body.starts_with("to=<") {
        return parse_delivery(body, base);
    }
    if let Some(v) = body.strip_prefix("from=") {
        return parse_from(v, body, base, qid);
    }
    if body == "removed" {
        return Record::Removed(QueueMeta {
            ts,
            host,
            queue_id: qid,
            ..QueueMeta::default()
        });
    }
    if body.starts_with("client=") {
        let (_, client_ip) = host_and_ip(field(body, "client=").unwrap_or(""));
        return Record::Meta(QueueMeta {
            ts,
            host,
            queue_id: qid,
            client_ip,
            sasl_user: field(body, "sasl_username="),
            sender: None,
        });
    }
    Record::Ignored
}

/// qmgr `from=<s>, size=…, nrcpt=…` (meta) or `from=<s>, status=expired, returned to sender`.
fn parse_from<'a>(v: &'a str, body: &'a str, base: Delivery<'a>, qid: &'a str) -> Record<'a> {
    let sender = strip_angle(&v[..super::find_comma_space(v).unwrap_or(v.len())]);
    if field(body, "status=") == Some("expired") {
        return Record::Delivery(Delivery {
            outcome: Some(Outcome::Expired),
            sender: Some(sender),
            diagnostic: body
                .split_once("status=expired, ")
                .map_or("message expired", |(_, t)| t),
            ..base
        });
    }
    Record::Meta(QueueMeta {
        ts: base.ts,
        host: base.host,
        queue_id: qid,
        sender: Some(sender),
        client_ip: None,
        sasl_user: None,
    })
}

/// `to=<r>, relay=…, dsn=…, status=bounced (text)`.
fn parse_delivery<'a>(body: &'a str, base: Delivery<'a>) -> Record<'a> {
    let [to, status, relay, dsn] = fields_at(body, ["to=", "status=", "relay=", "dsn="]);
    let (Some(to), Some(status_at)) = (to, status) else {
        return Record::Unparsed;
    };
    let to = value_at(body, to);
    let status_rest = &body[status_at..];
    let word_end = memchr::memchr2(b' ', b',', status_rest.as_bytes()).unwrap_or(status_rest.len());
    let outcome = match &status_rest[..word_end] {
        "sent" => Outcome::Sent,
        "bounced" | "undeliverable" => Outcome::Bounced,
        "deferred" => Outcome::Deferred,
        "expired" => Outcome::Expired,
        _ => return Record::Ignored, // deliverable (address probe), softbounce…
    };
    let text = status_rest[word_end..]
        .trim_start()
        .strip_prefix('(')
        .map(|t| t.strip_suffix(')').unwrap_or(t))
        .unwrap_or("");
    let (remote_host, remote_ip) = relay.map_or((None, None), |at| host_and_ip(value_at(body, at)));
    Record::Delivery(Delivery {
        recipient: strip_angle(to),
        outcome: Some(outcome),
        remote_host,
        remote_ip,
        dsn: dsn.map(|at| value_at(body, at)),
        diagnostic: text,
        ..base
    })
}

/// `RCPT from host[ip]: 554 5.7.1 text; from=<s> to=<r> proto=ESMTP helo=<h>`,
/// postscreen's `RCPT from [ip]:port: 550 5.5.1 text; from=<s>, to=<r>, …`,
/// `CONNECT from host[ip]: text; proto=SMTP` (no `from=`) and cleanup's
/// `header Subject: … from host[ip]; from=<s> to=<r> …: 5.7.1 text`.
/// The diagnostic is just the reject text.
fn parse_reject<'a>(r: &'a str, base: Delivery<'a>) -> Record<'a> {
    let (pre, post) = r.split_once("; from=<").unwrap_or((r, ""));
    // `host[ip]` (or postscreen's bare `[ip]`) after the first " from ", and
    // what follows it: an optional `:port`, then `: ` and the reject text.
    let client = pre.find(" from ").and_then(|i| {
        let rest = &pre[i + 6..];
        let close = rest.find(']').filter(|&j| !rest[..j].contains(' '))?;
        Some((&rest[..=close], &rest[close + 1..]))
    });
    let client_ip = client.and_then(|(spec, _)| host_and_ip(spec).1);
    let diagnostic = match post.find(">: ") {
        Some(i) if post[..i].contains("helo=<") || post[..i].contains("proto=") => &post[i + 3..],
        _ => client
            .and_then(|(_, after)| skip_port(after).strip_prefix(": "))
            .or_else(|| pre.find("]: ").map(|i| &pre[i + 3..]))
            .unwrap_or(pre),
    };
    // Without a sender the session details follow the text: `; proto=… helo=<…>`.
    let diagnostic = match diagnostic.rfind("; proto=") {
        Some(i) if post.is_empty() => &diagnostic[..i],
        _ => diagnostic,
    };
    let diagnostic = diagnostic.strip_prefix(':').unwrap_or(diagnostic).trim();
    let sender = (!post.is_empty()).then(|| post.split('>').next().unwrap_or(""));
    let recipient = field(post, "to=").map_or("", strip_angle);
    Record::Delivery(Delivery {
        recipient,
        outcome: Some(Outcome::Rejected),
        diagnostic,
        client_ip,
        sender,
        ..base
    })
}

/// `:41234: text` -> `: text` (postscreen logs the client port).
fn skip_port(s: &str) -> &str {
    let Some(rest) = s.strip_prefix(':') else {
        return s;
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && rest[digits..].starts_with(':') {
        &rest[digits..]
    } else {
        s
    }
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

    fn delivery(line: &str) -> Delivery<'_> {
        match parse_line(line, &ctx()) {
            Record::Delivery(d) => d,
            other => panic!("not a delivery: {other:?}"),
        }
    }

    #[test]
    fn bounced_smtp_delivery() {
        let d = delivery("Mar  3 10:15:01 mx1 postfix/smtp[12345]: 9F1E2123AB: to=<bob@example.com>, relay=mx.example.com[192.0.2.10]:25, delay=1.2, delays=0.1/0/0.5/0.6, dsn=5.1.1, status=bounced (host mx.example.com[192.0.2.10] said: 550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown (in reply to RCPT TO command))");
        assert_eq!(d.ts, (days_from_civil(2024, 3, 3) * 86_400 + 36_901) * 1000);
        assert_eq!(d.host, "mx1");
        assert_eq!(d.queue_id, Some("9F1E2123AB"));
        assert_eq!(d.recipient, "bob@example.com");
        assert_eq!(d.outcome, Some(Outcome::Bounced));
        assert_eq!(d.remote_host, Some("mx.example.com"));
        assert_eq!(d.remote_ip, Some("192.0.2.10"));
        assert_eq!(d.dsn, Some("5.1.1"));
        assert!(d
            .diagnostic
            .starts_with("host mx.example.com[192.0.2.10] said: 550 5.1.1"));
        assert!(d.diagnostic.ends_with("(in reply to RCPT TO command)"));
        assert_eq!(d.sending_ip, None);
    }

    #[test]
    fn syslog_name_with_ip_long_queue_id_and_rfc3339() {
        let d = delivery("2024-03-03T10:15:01.123456+00:00 out2 postfix-10.20.30.40/smtp[77]: 4Xt2Lq0Bz5z9vXY: to=<a@gmail.com>, relay=gmail-smtp-in.l.google.com[142.250.1.26]:25, delay=0.4, dsn=4.7.28, status=deferred (host gmail-smtp-in.l.google.com[142.250.1.26] said: 421-4.7.28 Gmail has detected an unusual rate of unsolicited mail (in reply to end of DATA command))");
        assert_eq!(d.sending_ip, Some("10.20.30.40"));
        assert_eq!(d.queue_id, Some("4Xt2Lq0Bz5z9vXY"));
        assert_eq!(d.outcome, Some(Outcome::Deferred));
        assert_eq!(d.ts % 1000, 123);
    }

    #[test]
    fn submission_smtpd_client_meta_with_sasl() {
        let line = "Mar 03 10:15:00 mx1 postfix/submission/smtpd[2211]: 9F1E2123AB: client=laptop.example.org[198.51.100.7], sasl_method=PLAIN, sasl_username=alice@example.org";
        match parse_line(line, &ctx()) {
            Record::Meta(m) => {
                assert_eq!(m.queue_id, "9F1E2123AB");
                assert_eq!(m.client_ip, Some("198.51.100.7"));
                assert_eq!(m.sasl_user, Some("alice@example.org"));
                assert_eq!(m.sender, None);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn qmgr_from_meta_and_expired() {
        let line = "Mar  3 10:15:00 mx1 postfix/qmgr[99]: 9F1E2123AB: from=<alice@example.org>, size=1234, nrcpt=2 (queue active)";
        match parse_line(line, &ctx()) {
            Record::Meta(m) => assert_eq!(m.sender, Some("alice@example.org")),
            other => panic!("{other:?}"),
        }
        let d = delivery("Mar  8 10:15:00 mx1 postfix/qmgr[99]: 9F1E2123AB: from=<alice@example.org>, status=expired, returned to sender");
        assert_eq!(d.outcome, Some(Outcome::Expired));
        assert_eq!(d.sender, Some("alice@example.org"));
        assert_eq!(d.recipient, "");
    }

    #[test]
    fn noqueue_reject_with_blocklist() {
        let d = delivery("Mar  3 10:16:00 mx1 postfix/smtpd[2212]: NOQUEUE: reject: RCPT from unknown[203.0.113.9]: 554 5.7.1 Service unavailable; Client host [203.0.113.9] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/203.0.113.9; from=<spam@bad.example> to=<user@example.org> proto=ESMTP helo=<bad>");
        assert_eq!(d.outcome, Some(Outcome::Rejected));
        assert_eq!(d.queue_id, None);
        assert_eq!(d.client_ip, Some("203.0.113.9"));
        assert_eq!(d.sender, Some("spam@bad.example"));
        assert_eq!(d.recipient, "user@example.org");
        assert!(d
            .diagnostic
            .starts_with("554 5.7.1 Service unavailable; Client host"));
    }

    #[test]
    fn postscreen_and_cleanup_rejects() {
        let d = delivery("Mar  3 10:16:00 mx1 postfix/postscreen[5]: NOQUEUE: reject: RCPT from [203.0.113.9]:41234: 550 5.7.1 Service unavailable; client [203.0.113.9] blocked using b.barracudacentral.org; from=<a@b.example>, to=<u@example.org>, proto=ESMTP, helo=<x>");
        assert_eq!(d.client_ip, Some("203.0.113.9"));
        assert_eq!(d.recipient, "u@example.org");
        assert!(d.diagnostic.contains("barracudacentral"));
        let d = delivery("Mar  3 10:16:00 mx1 postfix/cleanup[6]: 4A1B2C3D4E: milter-reject: END-OF-MESSAGE from host.example[198.51.100.2]: 5.7.1 Spam message rejected; from=<a@b.example> to=<u@example.org> proto=ESMTP helo=<h.example>");
        assert_eq!(d.queue_id, Some("4A1B2C3D4E"));
        assert_eq!(d.diagnostic, "5.7.1 Spam message rejected");
        let d = delivery("Mar  3 10:16:00 mx1 postfix/cleanup[6]: 4A1B2C3D4E: reject: header Subject: win money from host.example[198.51.100.2]; from=<a@b.example> to=<u@example.org> proto=ESMTP helo=<h.example>: 5.7.1 message content rejected");
        assert_eq!(d.diagnostic, "5.7.1 message content rejected");
        assert_eq!(d.client_ip, Some("198.51.100.2"));
    }

    #[test]
    fn postscreen_rejects_drop_client_and_port() {
        let d = delivery("Mar 22 17:03:39 mx1 postfix/postscreen[1291]: NOQUEUE: reject: RCPT from [203.0.113.11]:1038: 550 5.5.1 Protocol error; from=<a@spam.example>, to=<u@example.org>, proto=ESMTP, helo=<x>");
        assert_eq!(d.diagnostic, "550 5.5.1 Protocol error");
        assert_eq!(d.client_ip, Some("203.0.113.11"));
        assert_eq!(d.sender, Some("a@spam.example"));
        assert_eq!(d.recipient, "u@example.org");
        let d = delivery("Mar  8 17:29:37 mx1 postfix/postscreen[1293]: NOQUEUE: reject: CONNECT from [203.0.113.13]:1337: all server ports busy");
        assert_eq!(d.diagnostic, "all server ports busy");
        assert_eq!(d.client_ip, Some("203.0.113.13"));
        assert_eq!((d.sender, d.recipient), (None, ""));
        let d = delivery("Mar 15 17:50:10 mx1 postfix/postscreen[1290]: NOQUEUE: reject: RCPT from [2001:db8::9]:50000: 450 4.3.2 Service currently unavailable; from=<a@spam.example>, to=<u@example.org>, proto=ESMTP, helo=<x>");
        assert_eq!(d.diagnostic, "450 4.3.2 Service currently unavailable");
        assert_eq!(d.client_ip, Some("2001:db8::9"));
    }

    #[test]
    fn rejects_without_sender_drop_session_details() {
        let d = delivery("Dec 22 13:07:11 mx1 postfix/smtpd[1259]: NOQUEUE: reject: MAIL from localhost[127.0.0.2]: 552 5.3.4 Message size exceeds fixed limit; proto=ESMTP helo=<localhost>");
        assert_eq!(d.diagnostic, "552 5.3.4 Message size exceeds fixed limit");
        assert_eq!(d.client_ip, Some("127.0.0.2"));
        assert_eq!(d.sender, None);
        let d = delivery("Jan  8 14:17:01 mx1 postfix/smtpd[1269]: NOQUEUE: reject: CONNECT from unknown[203.0.113.1]: 503 5.5.0 <unknown[203.0.113.1]>: Client host rejected: Improper use of SMTP command pipelining; proto=ESMTP helo=<mail.example.net>");
        assert_eq!(
            d.diagnostic,
            "503 5.5.0 <unknown[203.0.113.1]>: Client host rejected: Improper use of SMTP command pipelining"
        );
        let d = delivery("Apr  8 19:05:25 mx1 postfix/smtpd[1305]: NOQUEUE: milter-reject: MAIL from example.com[192.0.2.1]: 553 5.1.7 address incomplete; proto=SMTP");
        assert_eq!(d.diagnostic, "553 5.1.7 address incomplete");
        // A "; proto=" inside the text is kept when the sender follows it.
        let d = delivery("Mar  3 10:16:00 mx1 postfix/smtpd[2212]: NOQUEUE: reject: RCPT from unknown[203.0.113.9]: 450 4.7.1 Client host rejected: cannot find your hostname, [203.0.113.9]; from=<a@b.example> to=<u@example.org> proto=ESMTP helo=<x>");
        assert_eq!(
            d.diagnostic,
            "450 4.7.1 Client host rejected: cannot find your hostname, [203.0.113.9]"
        );
    }

    #[test]
    fn removed_ends_a_queue_id() {
        let line = "Mar  3 10:15:00 mx1 postfix/qmgr[1]: 9F1E2123AB: removed";
        match parse_line(line, &ctx()) {
            Record::Removed(m) => assert_eq!((m.host, m.queue_id), ("mx1", "9F1E2123AB")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn other_lines_are_ignored_or_unparsed() {
        let c = ctx();
        for l in [
            "Mar  3 10:15:00 mx1 postfix/smtpd[1]: connect from unknown[203.0.113.9]",
            "Mar  3 10:15:00 mx1 postfix/cleanup[1]: 9F1E2123AB: message-id=<x@y>",
            "Mar  3 10:15:00 mx1 postfix/smtpd[1]: warning: unknown[1.2.3.4]: SASL LOGIN authentication failed: UGFzc3dvcmQ6",
        ] {
            assert_eq!(parse_line(l, &c), Record::Ignored, "{l}");
        }
        for l in [
            "",
            "garbage",
            "Mar  3 10:15:00 mx1 dovecot: imap-login: Login: user=<a>",
            "Mar  3 10:15:00 mx1 amavis[12]: (12-01) Passed CLEAN",
            "Mar  3 10:15:00",
        ] {
            assert_eq!(parse_line(l, &c), Record::Unparsed, "{l}");
        }
    }
}
