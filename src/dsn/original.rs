//! The original message a bounce returns: from its `message/rfc822` part,
//! its `text/rfc822-headers` part, or the copy pasted under a plain-text
//! bounce. Gives the original sender, Message-ID and sending IP.
//!
//! Sending IP, by choice: Received headers are prepended, so the top-most
//! one in the returned copy is the last hop the copy saw before the bounce
//! was made. We take the client IP (`from_ip`, or Exim's `from [ip]`) of the
//! top-most Received whose IP is public (not 10/8, 172.16/12, 192.168/16,
//! 127/8, 169.254/16, 100.64/10, 0/8, IPv6 loopback, ULA or link-local).
//! When the remote server bounced after accepting, that is our outbound
//! server's IP as the remote saw it; when our own MTA bounced after a
//! refusal, it is the submitting client's IP. It is the best evidence the
//! headers hold; the remote's own text ("Client host [ip] blocked", taken
//! by the classifier) is better and wins in the pipeline. No public IP: `None`.

use mail_parser::{HeaderValue, Host, Message, MessageParser, MimeHeaders, Received};
use std::net::IpAddr;

/// Facts about the returned original message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Original {
    pub sender: Option<String>,
    pub message_id: Option<String>,
    pub sending_ip: Option<String>,
}

/// Markers after which a plain-text bounce pastes the original message.
const COPY_MARKERS: &[&str] = &[
    "------ This is a copy of the message, including all the headers. ------",
    "------ This is a copy of the message's headers. ------",
    "--- Below this line is a copy of the message.",
    "Original message headers:",
    "----- Original message -----",
    "------ Original message ------",
    "Below is a copy of the original message:",
    "------- Returned Message --------",
    "----- Original Message -----",
    "Original message follows.",
    "------ Original message follows ------",
    "----- Unsent message follows -----",
    "----- Message header follows -----",
    "------- The original message headers are:",
    "The original message was:",
];

/// The original message of a bounce, from whatever part carries it.
pub fn find(msg: &Message, body: &str) -> Original {
    let parser = MessageParser::default();
    for p in &msg.parts {
        if let Some(m) = p.message() {
            return of_headers(m);
        }
        let headers_part = p.is_content_type("text", "rfc822-headers")
            || p.is_content_type("message", "rfc822")
            || p.is_content_type("message", "global-headers")
            || p.is_content_type("message", "global");
        if headers_part {
            if let Some(m) = parser.parse_headers(p.contents()) {
                return of_headers(&m);
            }
        }
    }
    let lower = body.to_ascii_lowercase();
    for marker in COPY_MARKERS {
        let Some(at) = lower.find(&marker.to_ascii_lowercase()) else {
            continue;
        };
        let copy = body[at + marker.len()..].trim_start();
        if let Some(m) = parser.parse_headers(copy.as_bytes()) {
            let o = of_headers(&m);
            if o != Original::default() {
                return o;
            }
        }
    }
    // A separator we do not know (a localised one, `------ Messaggio
    // originale ------`): the copy starts at its first header line.
    let first_header = super::plaintext::COPY_HEADERS
        .iter()
        .filter_map(|k| lower.find(k))
        .min();
    if let Some(at) = first_header {
        if let Some(m) = parser.parse_headers(&body.as_bytes()[at + 1..]) {
            return of_headers(&m);
        }
    }
    Original::default()
}

/// Sender, Message-ID and sending IP from a header block.
pub fn of_headers(m: &Message) -> Original {
    let from = m
        .from()
        .and_then(|a| a.first())
        .and_then(|a| a.address())
        .map(str::to_owned);
    let return_path = match m.return_path() {
        HeaderValue::Text(t) => Some(super::clean_address(t).to_owned()),
        HeaderValue::TextList(l) => l.first().map(|t| super::clean_address(t).to_owned()),
        _ => None,
    }
    .filter(|a| super::is_address(a));
    Original {
        sender: from.or(return_path),
        message_id: m.message_id().map(str::to_owned),
        sending_ip: sending_ip(m).map(|ip| ip.to_string()),
    }
}

/// Client IP of the top-most Received header that has a public one.
pub fn sending_ip(m: &Message) -> Option<IpAddr> {
    m.received_all()
        .filter_map(client_ip)
        .find(|ip| is_public(*ip))
}

/// `from_ip` is only set from a `(host [ip])` comment; Exim's
/// `from [ip] (helo=..)` puts the IP in `from()`.
fn client_ip(r: &Received) -> Option<IpAddr> {
    r.from_ip().or(match r.from() {
        Some(Host::IpAddr(ip)) => Some(*ip),
        _ => None,
    })
}

/// Not private, loopback, link-local, CGNAT or unspecified. Documentation
/// ranges count as public (fixtures use them).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || o[0] == 0
                || (o[0] == 100 && (64..128).contains(&o[1])))
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            !(v6.is_loopback()
                || v6.is_unspecified()
                || (s[0] & 0xfe00) == 0xfc00
                || (s[0] & 0xffc0) == 0xfe80)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HDRS: &str = "Received: from out.example.org (out.example.org [10.1.1.1])\n\tby mx2.example.org (Postfix) with ESMTP id 1\n\tfor <x@example.com>; Tue, 3 Mar 2026 10:00:02 +0000\nReceived: from client.example.org (client.example.org [203.0.113.7])\n\tby mail.example.org (Postfix) with ESMTPSA id 2;\n\tTue, 3 Mar 2026 10:00:01 +0000\nReceived: from [192.168.1.20] (helo=laptop)\n\tby client.example.org with esmtp; Tue, 3 Mar 2026 10:00:00 +0000\nFrom: Alice <alice@example.org>\nMessage-ID: <orig-42@example.org>\nSubject: hi\n\n";

    #[test]
    fn top_most_public_received_wins() {
        let m = MessageParser::default()
            .parse_headers(HDRS.as_bytes())
            .unwrap();
        let o = of_headers(&m);
        assert_eq!(o.sending_ip.as_deref(), Some("203.0.113.7"));
        assert_eq!(o.sender.as_deref(), Some("alice@example.org"));
        assert_eq!(o.message_id.as_deref(), Some("orig-42@example.org"));
    }

    #[test]
    fn private_only_gives_none() {
        let h = "Received: from a (a [10.0.0.1]) by b; Tue, 3 Mar 2026 10:00:00 +0000\nReturn-Path: <bob@example.org>\n\n";
        let m = MessageParser::default()
            .parse_headers(h.as_bytes())
            .unwrap();
        let o = of_headers(&m);
        assert_eq!(o.sending_ip, None);
        assert_eq!(o.sender.as_deref(), Some("bob@example.org"));
    }

    #[test]
    fn copy_under_an_unknown_separator_is_found_by_its_headers() {
        let raw = format!(
            "From: MAILER-DAEMON@mx.example.net\nSubject: x\n\nfailed\n\n------ Messaggio originale ------\n\n{HDRS}body\n"
        );
        let msg = MessageParser::default().parse(raw.as_bytes()).unwrap();
        let body = msg.body_text(0).unwrap().into_owned();
        let o = find(&msg, &body);
        assert_eq!(o.sender.as_deref(), Some("alice@example.org"));
        assert_eq!(o.sending_ip.as_deref(), Some("203.0.113.7"));
    }

    #[test]
    fn public_ranges() {
        assert!(is_public("192.0.2.1".parse().unwrap()));
        assert!(!is_public("172.20.1.1".parse().unwrap()));
        assert!(!is_public("100.64.0.1".parse().unwrap()));
        assert!(!is_public("fd00::1".parse().unwrap()));
        assert!(is_public("2001:db8::1".parse().unwrap()));
    }

    /// The returned message as `text/rfc822-headers`, `message/rfc822`
    /// (behind a base64 report) or missing, in real DSN fixtures.
    #[test]
    fn returned_message_forms_in_dsn_fixtures() {
        use crate::dsn::{parse_message, MessageKind};
        let cases: [(&[u8], Option<&str>, Option<&str>); 3] = [
            (
                include_bytes!(
                    "../../tests/fixtures/dsn/dsn_report_part_text_plain_quoted_report_type.eml"
                ),
                Some("alice@example.org"),
                Some("203.0.113.7"),
            ),
            (
                include_bytes!("../../tests/fixtures/dsn/dsn_base64_report_qp_text.eml"),
                Some("alice@example.org"),
                Some("203.0.113.7"),
            ),
            (
                include_bytes!("../../tests/fixtures/dsn/dsn_action_missing_status_class.eml"),
                None,
                None,
            ),
        ];
        for (raw, sender, ip) in cases {
            let MessageKind::Bounce(r) = parse_message(raw) else {
                panic!("not a bounce")
            };
            assert_eq!(r[0].original_sender.as_deref(), sender);
            assert_eq!(r[0].sending_ip.as_deref(), ip);
        }
    }
}
