//! Our sending IP when the remote text names it (the `sending_ip` column).
//!
//! In: the remote text. Out: an [`IpAddr`] only when the words around the
//! address say it is ours: "Client host [..] blocked", "Messages from ..",
//! "sending IP [..]", ".. is listed", "/query/ip/..", Gmail's
//! `550-5.7.1 [ip      12]`. The relay's own address in Postfix's
//! `host mx[ip] said:` or `connect to mx[ip]:25` is never taken. Never
//! guessed: no context, no IP.

use super::codes::{ends_with_ci, starts_with_ci};
use std::net::IpAddr;

/// Words that, right before an address, say it is the sender's.
const BEFORE: &[&[u8]] = &[
    b"client host",
    b"client",
    b"from",
    b"ip",
    b"ipv4",
    b"ipv6",
    b"ip address",
    b"mail server",
    b"bl.shtml",
    b"lookup",
    b"lookup.shtml",
];

/// Words that, right after an address, say it is listed or blocked.
const AFTER: &[&[u8]] = &[
    b"is listed",
    b"listed",
    b"is blocked",
    b"is_blocked",
    b"blocked",
    b"is blacklisted",
    b"blacklisted",
    b"has been blocked",
    b"is on ",
];

/// Separators between a marker word and the address.
const SEP_BEFORE: &[u8] = b" \t[(:=<\"'/?#";
const SEP_AFTER: &[u8] = b" \t])>_\"'";

/// The first address in `text` whose context says it is our sending IP.
pub fn sending_ip(text: &str) -> Option<IpAddr> {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let Some((start, end)) = next_run(b, i) else {
            break;
        };
        i = end.max(start + 1);
        // The words around the address are cheaper to check than parsing it.
        let Some(ip_end) = address_end(text, start, end) else {
            continue;
        };
        if !said_ours(b, start, ip_end) {
            continue;
        }
        if let Ok(ip) = text[start..ip_end].parse::<IpAddr>() {
            return Some(ip);
        }
    }
    None
}

/// The next run of `[0-9A-Fa-f.:]` at or after `from` that starts with a
/// digit and starts and ends on a word boundary.
fn next_run(b: &[u8], from: usize) -> Option<(usize, usize)> {
    let mut i = from;
    while i < b.len() {
        // Public sending addresses start with a digit (IPv6 ones too:
        // 2001:, 2a00:, 2600:), which skips words made of hex letters.
        let boundary = || {
            i == 0 || !(b[i - 1].is_ascii_alphanumeric() || matches!(b[i - 1], b'.' | b':' | b'-'))
        };
        if b[i].is_ascii_digit() && boundary() {
            let len = b[i..]
                .iter()
                .take_while(|c| c.is_ascii_hexdigit() || matches!(c, b'.' | b':'))
                .count();
            let end = i + len;
            if !b.get(end).is_some_and(|c| c.is_ascii_alphanumeric()) {
                return Some((i, end));
            }
            i = end;
        } else {
            i += 1;
        }
    }
    None
}

/// Where an address at the start of the run `text[start..end]` would end:
/// IPv6 (two or more colons) or dotted quad, not yet parsed.
fn address_end(text: &str, start: usize, end: usize) -> Option<usize> {
    let run = &text[start..end];
    let colons = run.bytes().filter(|&c| c == b':').count();
    let cut = if colons >= 2 {
        run.trim_end_matches(['.', ':'])
    } else {
        // `192.0.2.1:25`, or `192.0.2.1.` at the end of a sentence.
        run.split(':').next().unwrap_or(run).trim_end_matches('.')
    };
    if colons < 2 && cut.bytes().filter(|&c| c == b'.').count() != 3 {
        return None;
    }
    Some(start + cut.len())
}

/// Whether the words around `b[start..end]` say the address is ours.
fn said_ours(b: &[u8], start: usize, end: usize) -> bool {
    let before = trim_end_set(&b[..start], SEP_BEFORE);
    if BEFORE.iter().any(|m| ends_with_word(before, m)) {
        return true;
    }
    let after = trim_start_set(&b[end..], SEP_AFTER);
    if AFTER.iter().any(|m| starts_with_ci(after, m)) {
        return true;
    }
    gmail_bracket(b, start, end)
}

/// `550-5.7.1 [192.0.2.1      12] ...` or `550 5.7.25 [192.0.2.1] ...`: an
/// address in brackets right after the reply's enhanced status is the
/// connecting client, that is us.
fn gmail_bracket(b: &[u8], start: usize, end: usize) -> bool {
    if start < 2 || b[start - 1] != b'[' || b[start - 2] != b' ' {
        return false;
    }
    let rest = &b[end..];
    let spaces = rest.iter().take_while(|&&c| c == b' ').count();
    let digits = rest[spaces..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    let closes = rest.get(spaces + digits) == Some(&b']') && (digits > 0 || spaces == 0);
    closes && ends_with_status(&b[..start - 2])
}

/// `b` ends with `d.d.d` (an enhanced status).
fn ends_with_status(b: &[u8]) -> bool {
    let tail = b
        .iter()
        .rev()
        .take_while(|c| c.is_ascii_digit() || **c == b'.')
        .count();
    let s = &b[b.len() - tail..];
    s.iter().filter(|&&c| c == b'.').count() == 2 && matches!(s.first(), Some(b'2' | b'4' | b'5'))
}

/// `hay` ends with `word`, and `word` starts on a word boundary.
fn ends_with_word(hay: &[u8], word: &[u8]) -> bool {
    ends_with_ci(hay, word) && {
        let at = hay.len() - word.len();
        at == 0 || !hay[at - 1].is_ascii_alphanumeric()
    }
}

fn trim_end_set<'a>(b: &'a [u8], set: &[u8]) -> &'a [u8] {
    let n = b
        .iter()
        .rposition(|c| !set.contains(c))
        .map_or(0, |p| p + 1);
    &b[..n]
}

fn trim_start_set<'a>(b: &'a [u8], set: &[u8]) -> &'a [u8] {
    let n = b.iter().position(|c| !set.contains(c)).unwrap_or(b.len());
    &b[n..]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(t: &str) -> Option<String> {
        sending_ip(t).map(|a| a.to_string())
    }

    #[test]
    fn named_with_context() {
        let cases = [
            ("554 5.7.1 Service unavailable; Client host [192.0.2.90] blocked using zen.spamhaus.org", "192.0.2.90"),
            ("421 4.7.0 [TSS04] Messages from 192.0.2.10 temporarily deferred", "192.0.2.10"),
            ("550 5.7.606 Access denied, banned sending IP [192.0.2.25].", "192.0.2.25"),
            ("see https://www.spamhaus.org/query/ip/198.51.100.3", "198.51.100.3"),
            ("Blocked - see https://www.spamcop.net/bl.shtml?198.51.100.4", "198.51.100.4"),
            ("550 Rejected: [203.0.113.5] is listed at a DNSBL", "203.0.113.5"),
            ("553 5.3.0 DNSBL:ATTRBL 521< 203.0.113.6 >_is_blocked.", "203.0.113.6"),
            ("554 IP=203.0.113.7 - A problem occurred.", "203.0.113.7"),
            ("SPF [example.com] with ip: [203.0.113.8] = did not pass", "203.0.113.8"),
            ("IP: 203.0.113.9", "203.0.113.9"),
            ("421-4.7.28 [192.0.2.30      15] Our system has detected", "192.0.2.30"),
            ("550-5.7.25 [192.0.2.31] The IP address sending this message", "192.0.2.31"),
            ("451 4.7.500 Server busy. Please try again later from [192.0.2.32]. (AS77712344)", "192.0.2.32"),
            ("Client host [2001:db8::25] blocked using bl.example", "2001:db8::25"),
        ];
        for (t, want) in cases {
            assert_eq!(ip(t).as_deref(), Some(want), "{t}");
        }
    }

    #[test]
    fn remote_addresses_and_bare_numbers_are_not_taken() {
        let cases = [
            "connect to mx.example.net[192.0.2.100]:25: Connection timed out",
            "host mx.example.net[192.0.2.100] said: 554 5.7.1 blocked",
            "lost connection with mx.example.net[192.0.2.100] while sending RCPT TO",
            "SPF check failed for 192.0.2.81",
            "550 5.1.1 user unknown",
            "Client host [999.1.2.3] blocked",
            "from 1.2.3",
            "deferred - 4.16.55.1; see",
            "",
        ];
        for t in cases {
            assert_eq!(ip(t), None, "{t}");
        }
    }

    #[test]
    fn odd_input_does_not_panic() {
        let long = "from 1.2.3.4x ".repeat(5_000);
        assert_eq!(ip(&long), None);
        for t in [
            "ü from 1.2.3.4",
            "[",
            "[1.2.3.4",
            "from ::::::",
            "ip 1.2.3.4.5.6",
            "日本 IP 192.0.2.1",
        ] {
            let _ = ip(t);
        }
        assert_eq!(ip("ü from 192.0.2.1").as_deref(), Some("192.0.2.1"));
    }
}
