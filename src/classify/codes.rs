//! Codes named in a failure text: the SMTP reply code (`550`), the enhanced
//! status (`5.1.1`, RFC 3463) and what the IANA registry says it means.
//!
//! In: the remote text. Out: borrowed slices and small integers; no
//! allocation, no regex. Numbers inside IP addresses, dates, times, ports and
//! durations are not codes.

/// The first SMTP reply code (4xx/5xx) in `text`.
///
/// A code right before an enhanced status of the same class (`550 5.1.1`,
/// `421-4.7.0`), at the start of the text, or after `said:`/`smtp;` wins over a
/// bare 3-digit number elsewhere in the text.
pub fn smtp_code(text: &str) -> Option<u16> {
    let b = text.as_bytes();
    let mut weak = None;
    let mut i = 0;
    while i + 3 <= b.len() {
        if let Some((code, strong)) = code_at(b, i) {
            if strong {
                return Some(code);
            }
            weak = weak.or(Some(code));
            i += 3;
        } else {
            i += 1;
        }
    }
    weak
}

/// A reply code starting at `i`, and whether its context makes it certain.
fn code_at(b: &[u8], i: usize) -> Option<(u16, bool)> {
    let (c0, c1, c2) = (b[i], b[i + 1], b[i + 2]);
    if !matches!(c0, b'4' | b'5') || !(b'0'..=b'5').contains(&c1) || !c2.is_ascii_digit() {
        return None;
    }
    let prev = if i == 0 { None } else { Some(b[i - 1]) };
    if let Some(p) = prev {
        if !matches!(
            p,
            b' ' | b'\t' | b';' | b'(' | b'[' | b'"' | b'\'' | b'<' | b'>' | b','
        ) {
            return None;
        }
    }
    let next = b.get(i + 3).copied();
    if !matches!(
        next,
        None | Some(b' ' | b'-' | b',' | b')' | b']' | b';' | b'\t')
    ) {
        return None;
    }
    let rest = &b[i + 3..];
    if next == Some(b'-') && !rest.get(1).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    if is_duration_word(rest) {
        return None;
    }
    let code = u16::from(c0 - b'0') * 100 + u16::from(c1 - b'0') * 10 + u16::from(c2 - b'0');
    let strong = status_follows(rest, c0) || leads_reply(&b[..i]);
    Some((code, strong))
}

/// `rest` (after the code) starts with `[ -]` and an enhanced status of `class`.
fn status_follows(rest: &[u8], class: u8) -> bool {
    rest.len() >= 2
        && matches!(rest[0], b' ' | b'-')
        && rest[1] == class
        && status_len(rest, 1).is_some()
}

/// The text before the code shows it opens a server reply.
fn leads_reply(before: &[u8]) -> bool {
    let t = trim_end(before);
    t.is_empty()
        || t.ends_with(b";")
        || ends_with_ci(t, b"said:")
        || ends_with_ci(t, b"reply:")
        || ends_with_ci(t, b"error:")
}

/// `450 seconds`, `552 bytes`: a number with a unit is not a reply code.
fn is_duration_word(rest: &[u8]) -> bool {
    let word = rest.strip_prefix(b" ").unwrap_or(rest);
    const UNITS: [&[u8]; 7] = [b"sec", b"min", b"hour", b"byte", b"day", b"kb", b"mb"];
    UNITS.iter().any(|u| starts_with_ci(word, u))
}

/// The first enhanced status code (`class.subject.detail`, class 2/4/5) in
/// `text` that is not part of an IP address or a longer dotted number.
pub fn enhanced_status(text: &str) -> Option<&str> {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match memchr::memchr3(b'2', b'4', b'5', &b[i..]) {
            None => return None,
            Some(off) => i += off,
        }
        let prev_ok = i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'.');
        if prev_ok {
            if let Some(len) = status_len(b, i) {
                return Some(&text[i..i + len]);
            }
        }
        i += 1;
    }
    None
}

/// Length of an enhanced status starting at `i`, if one starts there.
fn status_len(b: &[u8], i: usize) -> Option<usize> {
    if !matches!(b.get(i), Some(b'2' | b'4' | b'5')) || b.get(i + 1) != Some(&b'.') {
        return None;
    }
    let s = digits(b, i + 2, 3)?;
    if b.get(i + 2 + s) != Some(&b'.') {
        return None;
    }
    let d = digits(b, i + 3 + s, 3)?;
    let end = i + 3 + s + d;
    let dotted_on = b.get(end) == Some(&b'.') && b.get(end + 1).is_some_and(u8::is_ascii_digit);
    if dotted_on || b.get(end).is_some_and(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    Some(end - i)
}

/// Count of 1..=max ASCII digits at `at` followed by a non-digit.
fn digits(b: &[u8], at: usize, max: usize) -> Option<usize> {
    let n = b
        .get(at..)?
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    (1..=max).contains(&n).then_some(n)
}

/// Whether an enhanced status matches a rule pattern: `5.1.1` (exact),
/// `x.1.1` (any class), `4.7.` or `5.` (prefix).
pub fn status_matches(pattern: &str, status: &str) -> bool {
    if let Some(rest) = pattern.strip_prefix('x') {
        return status
            .get(1..)
            .is_some_and(|tail| status_matches_tail(rest, tail));
    }
    status_matches_tail(pattern, status)
}

fn status_matches_tail(pattern: &str, status: &str) -> bool {
    if pattern.ends_with('.') {
        status.starts_with(pattern)
    } else {
        status == pattern
    }
}

/// RFC 3463 / IANA meaning of an enhanced status code (`5.1.1` -> "Bad
/// destination mailbox address"), plus a few well-known vendor codes.
pub fn describe_status(enhanced: &str) -> Option<&'static str> {
    let e = enhanced.trim();
    if let Some(d) = vendor_status(e) {
        return Some(d);
    }
    let (class, tail) = e.split_once('.')?;
    if !matches!(class, "2" | "4" | "5") {
        return None;
    }
    STATUS_MEANINGS
        .iter()
        .find(|(t, _)| *t == tail)
        .map(|(_, m)| *m)
}

/// Vendor codes outside the IANA registry that support staff meet often.
fn vendor_status(e: &str) -> Option<&'static str> {
    if let Some(n) = e.strip_prefix("5.7.").and_then(|d| d.parse::<u16>().ok()) {
        match n {
            606..=649 => return Some("Access denied, banned sending IP (Microsoft)"),
            708 => return Some("Access denied, traffic not accepted from this IP (Microsoft)"),
            705 => return Some("Access denied, tenant has exceeded threshold (Microsoft)"),
            _ => {}
        }
    }
    None
}

/// `subject.detail` -> meaning, from the IANA "SMTP Enhanced Status Codes"
/// registry (RFC 3463, 3886, 4468, 4954, 5248, 6710, 7372, 7505, 8617, 8689).
const STATUS_MEANINGS: &[(&str, &str)] = &[
    ("0.0", "Other undefined status"),
    ("1.0", "Other address status"),
    ("1.1", "Bad destination mailbox address"),
    ("1.2", "Bad destination system address"),
    ("1.3", "Bad destination mailbox address syntax"),
    ("1.4", "Destination mailbox address ambiguous"),
    ("1.5", "Destination mailbox address valid"),
    (
        "1.6",
        "Destination mailbox has moved, no forwarding address",
    ),
    ("1.7", "Bad sender's mailbox address syntax"),
    ("1.8", "Bad sender's system address"),
    ("1.9", "Message relayed to non-compliant mailer"),
    ("1.10", "Recipient address has null MX"),
    ("2.0", "Other or undefined mailbox status"),
    ("2.1", "Mailbox disabled, not accepting messages"),
    ("2.2", "Mailbox full"),
    ("2.3", "Message length exceeds administrative limit"),
    ("2.4", "Mailing list expansion problem"),
    ("3.0", "Other or undefined mail system status"),
    ("3.1", "Mail system full"),
    ("3.2", "System not accepting network messages"),
    ("3.3", "System not capable of selected features"),
    ("3.4", "Message too big for system"),
    ("3.5", "System incorrectly configured"),
    ("3.6", "Requested priority was changed"),
    ("4.0", "Other or undefined network or routing status"),
    ("4.1", "No answer from host"),
    ("4.2", "Bad connection"),
    ("4.3", "Directory server failure"),
    ("4.4", "Unable to route"),
    ("4.5", "Mail system congestion"),
    ("4.6", "Routing loop detected"),
    ("4.7", "Delivery time expired"),
    ("5.0", "Other or undefined protocol status"),
    ("5.1", "Invalid command"),
    ("5.2", "Syntax error"),
    ("5.3", "Too many recipients"),
    ("5.4", "Invalid command arguments"),
    ("5.5", "Wrong protocol version"),
    ("5.6", "Authentication exchange line is too long"),
    ("6.0", "Other or undefined media error"),
    ("6.1", "Media not supported"),
    ("6.2", "Conversion required and prohibited"),
    ("6.3", "Conversion required but not supported"),
    ("6.4", "Conversion with loss performed"),
    ("6.5", "Conversion failed"),
    ("6.6", "Message content not available"),
    (
        "6.7",
        "Non-ASCII addresses not permitted for that sender/recipient",
    ),
    (
        "6.8",
        "UTF-8 string reply is required, but not permitted by the SMTP client",
    ),
    (
        "6.9",
        "UTF-8 header message cannot be transferred to one or more recipients",
    ),
    ("7.0", "Other or undefined security status"),
    ("7.1", "Delivery not authorized, message refused"),
    ("7.2", "Mailing list expansion prohibited"),
    ("7.3", "Security conversion required but not possible"),
    ("7.4", "Security features not supported"),
    ("7.5", "Cryptographic failure"),
    ("7.6", "Cryptographic algorithm not supported"),
    ("7.7", "Message integrity failure"),
    ("7.8", "Authentication credentials invalid"),
    ("7.9", "Authentication mechanism is too weak"),
    ("7.10", "Encryption needed"),
    (
        "7.11",
        "Encryption required for requested authentication mechanism",
    ),
    ("7.12", "A password transition is needed"),
    ("7.13", "User account disabled"),
    ("7.14", "Trust relationship required"),
    ("7.15", "Priority level is too low"),
    ("7.16", "Message is too big for the specified priority"),
    ("7.17", "Mailbox owner has changed"),
    ("7.18", "Domain owner has changed"),
    ("7.19", "RRVS test cannot be completed"),
    ("7.20", "No passing DKIM signature found"),
    ("7.21", "No acceptable DKIM signature found"),
    ("7.22", "No valid author-matched DKIM signature found"),
    ("7.23", "SPF validation failed"),
    ("7.24", "SPF validation error"),
    ("7.25", "Reverse DNS validation failed"),
    ("7.26", "Multiple authentication checks failed"),
    ("7.27", "Sender address has null MX"),
    ("7.28", "Mail flood detected"),
    ("7.29", "ARC validation failure"),
    ("7.30", "REQUIRETLS support required"),
];

pub(crate) fn starts_with_ci(hay: &[u8], needle: &[u8]) -> bool {
    hay.len() >= needle.len() && hay[..needle.len()].eq_ignore_ascii_case(needle)
}

pub(crate) fn ends_with_ci(hay: &[u8], needle: &[u8]) -> bool {
    hay.len() >= needle.len() && hay[hay.len() - needle.len()..].eq_ignore_ascii_case(needle)
}

fn trim_end(b: &[u8]) -> &[u8] {
    let n = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(0, |p| p + 1);
    &b[..n]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_after_said() {
        let t = "host mx.example.com[192.0.2.1] said: 550 5.1.1 <a@b.c>: User unknown";
        assert_eq!(smtp_code(t), Some(550));
        assert_eq!(enhanced_status(t), Some("5.1.1"));
    }

    #[test]
    fn multiline_dash_form() {
        let t = "421-4.7.0 [198.51.100.7      15] Our system has detected ... - gsmtp";
        assert_eq!(smtp_code(t), Some(421));
        assert_eq!(enhanced_status(t), Some("4.7.0"));
    }

    #[test]
    fn ips_are_not_codes_or_statuses() {
        let t = "connect to mx.example.net[450.4.2.1]:25: Connection timed out";
        assert_eq!(smtp_code(t), None);
        assert_eq!(enhanced_status(t), None);
        let t = "lost connection with 4.2.2.1 and 10.5.1.1 while sending RCPT TO";
        assert_eq!(enhanced_status(t), None);
        assert_eq!(smtp_code("relay=[192.0.2.250]:25"), None);
    }

    #[test]
    fn dates_times_ports_are_not_codes() {
        assert_eq!(smtp_code("on 2024-05-12 at 14:52:45 via port 465:"), None);
        assert_eq!(smtp_code("greylisted, try again in 450 seconds"), None);
        assert_eq!(smtp_code("Message exceeds 552 bytes"), None);
        assert_eq!(smtp_code("mailbox disabled (554.30)"), None);
    }

    #[test]
    fn strong_code_beats_earlier_weak_number() {
        let t = "DNSBL:RBL 521< 192.0.2.4 >_is_blocked 553 5.3.0 flpd575";
        assert_eq!(smtp_code(t), Some(553));
        assert_eq!(smtp_code("smtp;554 Transaction failed"), Some(554));
        assert_eq!(smtp_code("refused with 550 because"), Some(550));
    }

    #[test]
    fn yahoo_internal_numbers_are_not_statuses() {
        let t = "421 4.7.0 [TSS04] Messages from 192.0.2.9 temporarily deferred - 4.16.55.1;";
        assert_eq!(enhanced_status(t), Some("4.7.0"));
        assert_eq!(enhanced_status("deferred - 4.16.55.1; see"), None);
    }

    #[test]
    fn status_with_three_digit_detail_and_sentence_dot() {
        assert_eq!(
            enhanced_status("550 5.7.606 Access denied"),
            Some("5.7.606")
        );
        assert_eq!(enhanced_status("failed with 5.1.10."), Some("5.1.10"));
        assert_eq!(enhanced_status("version 5.1.1a"), None);
    }

    #[test]
    fn status_patterns() {
        assert!(status_matches("5.1.1", "5.1.1"));
        assert!(!status_matches("5.1.1", "5.1.10"));
        assert!(status_matches("x.1.1", "4.1.1"));
        assert!(status_matches("4.7.", "4.7.28"));
        assert!(!status_matches("4.7.", "5.7.1"));
        assert!(status_matches("4.", "4.0.0"));
        assert!(!status_matches("x.1.1", ""));
    }

    #[test]
    fn describes_statuses() {
        assert_eq!(
            describe_status("5.1.1"),
            Some("Bad destination mailbox address")
        );
        assert_eq!(
            describe_status("4.7.26"),
            Some("Multiple authentication checks failed")
        );
        assert_eq!(
            describe_status("5.1.10"),
            Some("Recipient address has null MX")
        );
        assert!(describe_status("5.7.612").unwrap().contains("Microsoft"));
        assert_eq!(describe_status("9.9.9"), None);
        assert_eq!(describe_status(""), None);
    }

    #[test]
    fn odd_input_does_not_panic() {
        for t in [
            "",
            "5",
            "55",
            "550",
            "5.",
            "5.1.",
            "4.4.4.4.4",
            "ü550 5.1.1ü",
            "—421—",
        ] {
            let _ = (smtp_code(t), enhanced_status(t));
        }
        let long = "5.1.".repeat(10_000);
        assert_eq!(enhanced_status(&long), None);
    }
}
