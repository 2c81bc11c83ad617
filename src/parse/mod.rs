//! Parsers: one log line (or one bounce message) -> typed [`Record`]s.
//!
//! Every line parser shares [`LineCtx`] (how to date year-less stamps) and
//! returns a [`Record`] borrowing from the line. Format detection looks at
//! the first lines of an input.

pub mod postfix;
pub mod time;

use crate::record::Record;
use std::net::IpAddr;

pub use time::YearRule;

/// Input formats bouncelens reads (the `format` column of `inputs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Postfix,
}

impl Format {
    pub const fn as_str(self) -> &'static str {
        match self {
            Format::Postfix => "postfix",
        }
    }

    pub fn from_name(s: &str) -> Option<Format> {
        match s {
            "postfix" => Some(Format::Postfix),
            _ => None,
        }
    }

    /// Parse one line of this format.
    pub fn parse_line<'a>(self, line: &'a str, ctx: &LineCtx) -> Record<'a> {
        match self {
            Format::Postfix => postfix::parse_line(line, ctx),
        }
    }
}

/// Per-input facts a line parser needs.
#[derive(Debug, Clone, Copy, Default)]
pub struct LineCtx {
    pub year: YearRule,
    /// Offset of local time from UTC for stamps that carry no zone.
    pub tz_offset_s: i64,
}

/// Detect the format of an input from its first lines; `None` when no line
/// looks like any known format.
pub fn detect(head: &[u8]) -> Option<Format> {
    let mut postfix = 0;
    for line in head.split(|&b| b == b'\n').take(200) {
        if postfix::looks_like(line) {
            postfix += 1;
        }
    }
    (postfix > 0).then_some(Format::Postfix)
}

/// A timestamp at the start of a syslog line, either form:
/// (epoch ms, rest of the line after the stamp and one space).
pub fn syslog_stamp<'a>(line: &'a str, ctx: &LineCtx) -> Option<(i64, &'a str)> {
    let b = line.as_bytes();
    let (ts, used) = if b.first()?.is_ascii_digit() {
        time::parse_rfc3339(b, ctx.tz_offset_s)?
    } else {
        time::parse_syslog(b, ctx.year, ctx.tz_offset_s)?
    };
    let rest = line.get(used..)?;
    Some((ts, rest.strip_prefix(' ')?))
}

/// `name[1.2.3.4]` or `name[1.2.3.4]:25` -> (name, ip). The name may be
/// `unknown`; the ip may be missing (`relay=none`).
pub fn host_and_ip(s: &str) -> (Option<&str>, Option<&str>) {
    match s.find('[') {
        Some(open) => {
            let name = &s[..open];
            let ip = s[open + 1..].split(']').next().filter(|ip| !ip.is_empty());
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

/// The value of `key` in `text` up to the next `delim` (`, ` or space).
pub fn field<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    let mut from = 0;
    while let Some(i) = text[from..].find(key) {
        let at = from + i;
        // a key must start the text or follow a separator
        if at == 0 || matches!(text.as_bytes()[at - 1], b' ' | b',' | b'(') {
            let v = &text[at + key.len()..];
            let end = v.find([',', ' ']).unwrap_or(v.len());
            return Some(&v[..end]);
        }
        from = at + key.len();
    }
    None
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
    }
}
