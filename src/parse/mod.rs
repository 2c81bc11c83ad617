//! Parsers: one log line (or one bounce message) -> typed [`Record`]s.
//!
//! Every line parser shares [`LineCtx`] (how to date year-less stamps) and
//! returns a [`Record`] borrowing from the line; a line that names several
//! recipients (sendmail's `to=<a>,<b>`) yields one record each through
//! [`Format::parse_line_into`]. Format detection looks at the first lines of
//! an input.

pub mod exim;
pub mod postfix;
pub mod sendmail;
pub mod time;

use crate::record::Record;
use std::net::IpAddr;

pub use time::YearRule;

/// Input formats bouncelens reads (the `format` column of `inputs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Postfix,
    Exim,
    Sendmail,
}

impl Format {
    /// Every line format, in the order detection prefers on a tie.
    pub const ALL: [Format; 3] = [Format::Postfix, Format::Exim, Format::Sendmail];

    pub const fn as_str(self) -> &'static str {
        match self {
            Format::Postfix => "postfix",
            Format::Exim => "exim",
            Format::Sendmail => "sendmail",
        }
    }

    pub fn from_name(s: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.as_str() == s)
    }

    /// Parse one line of this format. A sendmail `to=` line with several
    /// recipients yields its first; [`Format::parse_line_into`] yields all.
    pub fn parse_line<'a>(self, line: &'a str, ctx: &LineCtx) -> Record<'a> {
        match self {
            Format::Postfix => postfix::parse_line(line, ctx),
            Format::Exim => exim::parse_line(line, ctx),
            Format::Sendmail => sendmail::parse_line(line, ctx),
        }
    }

    /// Parse one line into `out`: one record per recipient when the line
    /// names several, else exactly one. Always pushes at least one record.
    pub fn parse_line_into<'a>(self, line: &'a str, ctx: &LineCtx, out: &mut Vec<Record<'a>>) {
        match self {
            Format::Sendmail => sendmail::parse_line_into(line, ctx, out),
            _ => out.push(self.parse_line(line, ctx)),
        }
    }

    /// True when `line` is a line of this format (for detection).
    fn looks_like(self, line: &[u8]) -> bool {
        match self {
            Format::Postfix => postfix::looks_like(line),
            Format::Exim => exim::looks_like(line),
            Format::Sendmail => sendmail::looks_like(line),
        }
    }
}

/// Per-input facts a line parser needs.
#[derive(Debug, Clone, Copy, Default)]
pub struct LineCtx {
    pub year: YearRule,
    /// Offset of local time from UTC for stamps that carry no zone.
    pub tz_offset_s: i64,
    /// A named zone (`--tz`), DST included; wins over `tz_offset_s`.
    pub tz: Option<&'static jiff::tz::TimeZone>,
}

impl LineCtx {
    /// UTC epoch ms of a local time written without a zone.
    pub fn local_to_utc_ms(&self, local_ms: i64) -> i64 {
        match self.tz {
            Some(tz) => time::zone_to_utc_ms(tz, local_ms),
            None => local_ms - self.tz_offset_s * 1000,
        }
    }
}

/// Detect the format of an input from its first 200 lines: the format with
/// the most matching lines (ties go to the earlier of [`Format::ALL`]);
/// `None` when no line looks like any known format.
pub fn detect(head: &[u8]) -> Option<Format> {
    let mut hits = [0usize; Format::ALL.len()];
    for line in head.split(|&b| b == b'\n').take(200) {
        for (n, f) in hits.iter_mut().zip(Format::ALL) {
            if f.looks_like(line) {
                *n += 1;
            }
        }
    }
    let (best, &n) = hits
        .iter()
        .enumerate()
        .max_by_key(|&(i, &n)| (n, std::cmp::Reverse(i)))?;
    (n > 0).then_some(Format::ALL[best])
}

/// A timestamp at the start of a syslog line, either form:
/// (epoch ms, rest of the line after the stamp and one space).
pub fn syslog_stamp<'a>(line: &'a str, ctx: &LineCtx) -> Option<(i64, &'a str)> {
    let b = line.as_bytes();
    let (ts, used) = if b.first()?.is_ascii_digit() {
        let (local, used, offset) = time::parse_rfc3339_parts(b)?;
        match offset {
            Some(o) => (local - o * 1000, used),
            None => (ctx.local_to_utc_ms(local), used),
        }
    } else {
        (syslog_utc_ms(b, ctx)?, time::SYSLOG_STAMP_LEN)
    };
    let rest = line.get(used..)?;
    Some((ts, rest.strip_prefix(' ')?))
}

/// The last traditional stamp a thread decoded, and for which context:
/// a log repeats the same second on many consecutive lines.
#[derive(Clone, Copy)]
struct StampMemo {
    /// The stamp's bytes 0..8 and 7..15, compared as two words.
    stamp: (u64, u64),
    year: YearRule,
    tz_offset_s: i64,
    tz: Option<&'static jiff::tz::TimeZone>,
    utc_ms: i64,
}

impl StampMemo {
    fn answers(&self, stamp: (u64, u64), ctx: &LineCtx) -> bool {
        self.stamp == stamp
            && self.year == ctx.year
            && self.tz_offset_s == ctx.tz_offset_s
            && match (self.tz, ctx.tz) {
                (None, None) => true,
                (Some(a), Some(b)) => std::ptr::eq(a, b),
                _ => false,
            }
    }
}

thread_local! {
    /// The two most recent distinct stamps (the newest first): lines of
    /// neighbouring seconds interleave where processes flush late.
    static LAST_STAMPS: std::cell::Cell<[Option<StampMemo>; 2]> =
        const { std::cell::Cell::new([None; 2]) };
}

/// UTC epoch ms of the `Mmm dd HH:MM:SS` stamp starting `b`, decoded once
/// per distinct stamp and context in a row (the answer is a pure function
/// of both, so the memo cannot change a result).
fn syslog_utc_ms(b: &[u8], ctx: &LineCtx) -> Option<i64> {
    let word = |at: usize| Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?));
    let stamp = (word(0)?, word(time::SYSLOG_STAMP_LEN - 8)?);
    let memo = LAST_STAMPS.get();
    if let Some(m) = memo.iter().flatten().find(|m| m.answers(stamp, ctx)) {
        return Some(m.utc_ms);
    }
    let (local, _) = time::parse_syslog(b, ctx.year, 0)?;
    let utc_ms = ctx.local_to_utc_ms(local);
    let newest = StampMemo {
        stamp,
        year: ctx.year,
        tz_offset_s: ctx.tz_offset_s,
        tz: ctx.tz,
        utc_ms,
    };
    LAST_STAMPS.set([Some(newest), memo[0]]);
    Some(utc_ms)
}

/// Byte position of an ASCII byte in `s` (memchr: `str::find(char)` also
/// compares the char's encoding at every hit, which shows in profiles).
#[inline]
pub fn find_b(s: &str, b: u8) -> Option<usize> {
    memchr::memchr(b, s.as_bytes())
}

/// Last byte position of an ASCII byte in `s`.
#[inline]
pub fn rfind_b(s: &str, b: u8) -> Option<usize> {
    memchr::memrchr(b, s.as_bytes())
}

/// `s` up to the first ASCII byte `b` (all of `s` without one).
#[inline]
pub fn before_b(s: &str, b: u8) -> &str {
    &s[..find_b(s, b).unwrap_or(s.len())]
}

/// `s.split_once(b as char)` for an ASCII byte.
#[inline]
pub fn split_once_b(s: &str, b: u8) -> Option<(&str, &str)> {
    find_b(s, b).map(|i| (&s[..i], &s[i + 1..]))
}

/// `name[1.2.3.4]` or `name[1.2.3.4]:25` -> (name, ip). The name may be
/// `unknown`; the ip may be missing (`relay=none`).
pub fn host_and_ip(s: &str) -> (Option<&str>, Option<&str>) {
    match find_b(s, b'[') {
        Some(open) => {
            let name = &s[..open];
            let ip = Some(before_b(&s[open + 1..], b']')).filter(|ip| !ip.is_empty());
            let name = (!name.is_empty() && name != "unknown").then_some(name);
            (name, ip)
        }
        None => ((!s.is_empty() && s != "none").then_some(s), None),
    }
}

/// True when `s` is an IPv4 or IPv6 address.
pub fn is_ip(s: &str) -> bool {
    s.parse::<IpAddr>().is_ok()
}

/// The value of `key` in `text` up to the next `, ` or space. A key must
/// start the text or follow a separator (space, comma, parenthesis).
pub fn field<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    Some(value_at(text, field_at(text, key)?))
}

/// [`field_at`] for several keys that all end in `=`, in one pass over
/// the `=` signs of `text` (each answer is that key's first occurrence,
/// exactly as `field_at` finds it).
pub fn fields_at<const N: usize>(text: &str, keys: [&str; N]) -> [Option<usize>; N] {
    let b = text.as_bytes();
    let mut found = [None; N];
    let mut missing = N;
    for eq in memchr::memchr_iter(b'=', b) {
        for (key, slot) in keys.iter().zip(found.iter_mut()) {
            let k = key.as_bytes();
            debug_assert_eq!(k.last(), Some(&b'='));
            if slot.is_some() {
                continue;
            }
            let Some(at) = (eq + 1).checked_sub(k.len()) else {
                continue;
            };
            // a short key: a byte loop beats a call to memcmp
            if b[at..=eq].iter().zip(k).all(|(x, y)| x == y)
                && (at == 0 || matches!(b[at - 1], b' ' | b',' | b'('))
            {
                *slot = Some(eq + 1);
                missing -= 1;
            }
        }
        if missing == 0 {
            break;
        }
    }
    found
}

/// The value starting at `at` in `text`, up to the next `,` or space (what
/// [`field`] returns).
pub fn value_at(text: &str, at: usize) -> &str {
    let v = &text[at..];
    let end = memchr::memchr2(b',', b' ', v.as_bytes()).unwrap_or(v.len());
    &v[..end]
}

/// Where the value of `key` starts in `text` (see [`field`]).
pub fn field_at(text: &str, key: &str) -> Option<usize> {
    let (b, k) = (text.as_bytes(), key.as_bytes());
    let starts_field = |at: usize| at == 0 || matches!(b[at - 1], b' ' | b',' | b'(');
    if k.last() == Some(&b'=') {
        // every key of the log formats ends in '=', which is rare in a
        // line: scan for it instead of building a substring searcher
        return fields_at(text, [key])[0];
    }
    let mut from = 0;
    while let Some(i) = memchr::memmem::find(&b[from..], k) {
        let at = from + i;
        if starts_field(at) {
            return Some(at + k.len());
        }
        from = at + k.len().max(1);
    }
    None
}

/// Position of the first `": "` (memchr for the colon; the hot path of
/// every syslog line, where `str::find` would build a searcher each time).
pub fn find_colon_space(s: &str) -> Option<usize> {
    find_then_space(s, b':')
}

/// Position of the first `", "`.
pub fn find_comma_space(s: &str) -> Option<usize> {
    find_then_space(s, b',')
}

/// Position of the first ASCII byte `sep` followed by a space.
fn find_then_space(s: &str, sep: u8) -> Option<usize> {
    let b = s.as_bytes();
    memchr::memchr_iter(sep, b).find(|&at| b.get(at + 1) == Some(&b' '))
}

/// `s.split_once(": ")`, faster.
pub fn split_colon_space(s: &str) -> Option<(&str, &str)> {
    find_colon_space(s).map(|i| (&s[..i], &s[i + 2..]))
}

/// `<addr>` -> `addr` (also accepts a bare address).
pub fn strip_angle(s: &str) -> &str {
    let s = s.strip_prefix('<').unwrap_or(s);
    s.strip_suffix('>').unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_and_ip_forms() {
        assert_eq!(
            host_and_ip("mx.example.com[192.0.2.1]:25"),
            (Some("mx.example.com"), Some("192.0.2.1"))
        );
        assert_eq!(host_and_ip("unknown[192.0.2.1]"), (None, Some("192.0.2.1")));
        assert_eq!(host_and_ip("none"), (None, None));
        assert_eq!(host_and_ip("local"), (Some("local"), None));
        assert_eq!(
            host_and_ip("mx[2001:db8::1]:25"),
            (Some("mx"), Some("2001:db8::1"))
        );
    }

    #[test]
    fn field_lookup_respects_separators() {
        let t = "to=<a@b.c>, orig_to=<x@y.z>, relay=none, dsn=5.1.1, status=bounced (x)";
        assert_eq!(field(t, "to="), Some("<a@b.c>"));
        assert_eq!(field(t, "orig_to="), Some("<x@y.z>"));
        assert_eq!(field(t, "dsn="), Some("5.1.1"));
        assert_eq!(field(t, "from="), None);
        assert_eq!(field(t, "status="), Some("bounced"));
        // a key inside another key's name does not count
        assert_eq!(field("xto=<a>, to=<b>", "to="), Some("<b>"));
        assert_eq!(field("to=", "to="), Some(""));
        // keys without '=' take the general path
        assert_eq!(field("a b:c, d:e", "d:"), Some("e"));
        assert_eq!(field("x", "xyz="), None);
    }

    const POSTFIX: &str = "Mar  3 10:15:01 mx1 postfix/smtp[12345]: 9F1E2123AB: to=<bob@example.com>, relay=mx.example.com[192.0.2.10]:25, delay=1.2, dsn=5.1.1, status=bounced (host said: 550 5.1.1 unknown)\n";
    const EXIM: &str = "2024-03-03 10:15:01 1jmFYj-00039V-QX <= alice@example.org H=(x) [198.51.100.7] P=esmtp S=1\n2024-03-03 10:15:03 1jmFYj-00039V-QX ** bob@example.com: Unrouteable address\n";
    const SENDMAIL: &str = "Mar  3 10:15:03 mail sm-mta[1240]: 2A3B4C5D012345: to=<bob@example.com>, delay=00:00:02, mailer=esmtp, pri=1, dsn=5.1.1, stat=User unknown\n";

    #[test]
    fn detect_each_format() {
        assert_eq!(detect(POSTFIX.as_bytes()), Some(Format::Postfix));
        assert_eq!(detect(EXIM.as_bytes()), Some(Format::Exim));
        assert_eq!(detect(SENDMAIL.as_bytes()), Some(Format::Sendmail));
        let rejectlog = "2024-03-03 10:15:05 H=(x) [203.0.113.9] F=<a@b.example> rejected RCPT <u@example.org>: blocked\nEnvelope-from: <a@b.example>\n";
        assert_eq!(detect(rejectlog.as_bytes()), Some(Format::Exim));
    }

    #[test]
    fn detect_mixed_picks_the_majority_and_unknown_is_none() {
        let mixed = format!("{POSTFIX}{EXIM}{SENDMAIL}");
        assert_eq!(detect(mixed.as_bytes()), Some(Format::Exim));
        let mixed = format!("{POSTFIX}{POSTFIX}{EXIM}{SENDMAIL}{SENDMAIL}{SENDMAIL}");
        assert_eq!(detect(mixed.as_bytes()), Some(Format::Sendmail));
        // a tie goes to the earlier format
        let tie = format!("{POSTFIX}{SENDMAIL}");
        assert_eq!(detect(tie.as_bytes()), Some(Format::Postfix));
        assert_eq!(detect(b""), None);
        assert_eq!(detect(b"hello\nworld\n\xff\xfe\n"), None);
        assert_eq!(
            detect(b"Mar  3 10:15:00 mx1 dovecot: imap-login: Login\n"),
            None
        );
        // only the first 200 lines count
        let late = format!("{}{EXIM}{EXIM}", "noise\n".repeat(200));
        assert_eq!(detect(late.as_bytes()), None);
    }

    #[test]
    fn the_stamp_memo_never_answers_for_another_context_or_stamp() {
        let utc = LineCtx {
            year: YearRule::StartsIn {
                year: 2026,
                first_month: 1,
            },
            ..LineCtx::default()
        };
        let later_year = LineCtx {
            year: YearRule::StartsIn {
                year: 2027,
                first_month: 1,
            },
            ..utc
        };
        let east = LineCtx {
            tz_offset_s: 3600,
            ..utc
        };
        let a = "Mar  3 10:15:01 mx1 x";
        let b = "Mar  3 10:15:02 mx1 x";
        let c = "Mar  3 10:15:03 mx1 x";
        let ts = |line: &str, ctx: &LineCtx| syslog_stamp(line, ctx).map(|(t, _)| t);
        // 2026-03-03T10:15:01Z
        let t0 = 1_772_532_901_000;
        for _ in 0..2 {
            assert_eq!(ts(a, &utc), Some(t0));
            assert_eq!(ts(b, &utc), Some(t0 + 1000));
            assert_eq!(ts(a, &utc), Some(t0));
            assert_eq!(ts(a, &east), Some(t0 - 3_600_000));
            assert_eq!(ts(a, &later_year), Some(t0 + 365 * 86_400_000));
            assert_eq!(ts(c, &utc), Some(t0 + 2000));
            assert_eq!(ts(b, &utc), Some(t0 + 1000));
        }
        // every byte of the stamp is part of the key
        assert_eq!(ts("Mar  3 10:15:01 mx1 x", &utc), Some(t0));
        assert_eq!(ts("Mar  3 11:15:01 mx1 x", &utc), Some(t0 + 3_600_000));
        assert_eq!(
            ts("Mar 13 10:15:01 mx1 x", &utc),
            Some(t0 + 10 * 86_400_000)
        );
        assert_eq!(ts("Mar  3 10:15:0x mx1 x", &utc), None);
    }

    #[test]
    fn format_names_round_trip() {
        for f in Format::ALL {
            assert_eq!(Format::from_name(f.as_str()), Some(f));
        }
        assert_eq!(Format::from_name("qmail"), None);
    }

    #[test]
    fn parse_line_into_pushes_one_record_per_recipient() {
        let ctx = LineCtx::default();
        let mut out = Vec::new();
        Format::Postfix.parse_line_into(POSTFIX.trim_end(), &ctx, &mut out);
        Format::Exim.parse_line_into("garbage", &ctx, &mut out);
        assert_eq!(out.len(), 2);
        assert_eq!(out[1], Record::Unparsed);
        out.clear();
        let two = "Mar  3 10:15:03 mail sm-mta[1]: 2A3B4C5D012345: to=<a@x.example>,<b@y.example>, delay=00:00:02, mailer=esmtp, pri=1, dsn=5.1.1, stat=User unknown";
        Format::Sendmail.parse_line_into(two, &ctx, &mut out);
        assert_eq!(out.len(), 2);
        assert!(
            matches!(Format::Sendmail.parse_line(two, &ctx), Record::Delivery(d) if d.recipient == "a@x.example")
        );
    }
}
