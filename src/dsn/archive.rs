//! Bounce archives -> single messages: mbox files (`From ` separated,
//! mboxrd `>From ` unquoting, LF or CRLF), single `.eml` files, Maildir
//! folders (`cur/` and `new/`, Maildir++ subfolders too); plain or gzip
//! (any number of members, always `MultiGzDecoder`).
//!
//! Plain input is sliced in place (`Cow::Borrowed`) unless a message has
//! quoted `>From ` lines; gzip input is inflated once, up front.

use crate::source::is_gzip;
use flate2::read::MultiGzDecoder;
use std::borrow::Cow;
use std::io::Read;
use std::path::{Path, PathBuf};

/// What a non-directory input holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArchiveKind {
    /// Many messages, each after a `From ` line.
    Mbox,
    /// One message (an `.eml`, or a Maildir file).
    Eml,
}

impl ArchiveKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            ArchiveKind::Mbox => "mbox",
            ArchiveKind::Eml => "eml",
        }
    }
}

/// Detect an mbox or a single message from the first bytes of an input
/// (decoded content; a gzip head is inflated here).
pub fn detect_archive(head: &[u8]) -> Option<ArchiveKind> {
    let owned;
    let head = if is_gzip(head) {
        owned = crate::source::head(head);
        &owned[..]
    } else {
        head
    };
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head.iter().position(|b| !b.is_ascii_whitespace())?;
    let first = first_line(&head[start..]);
    if is_from_line(first) {
        return Some(ArchiveKind::Mbox);
    }
    looks_like_headers(&head[start..]).then_some(ArchiveKind::Eml)
}

/// The first line, without its end of line.
fn first_line(b: &[u8]) -> &[u8] {
    let end = memchr::memchr(b'\n', b).unwrap_or(b.len());
    trim_eol(&b[..end])
}

fn trim_eol(l: &[u8]) -> &[u8] {
    let l = l.strip_suffix(b"\n").unwrap_or(l);
    l.strip_suffix(b"\r").unwrap_or(l)
}

/// The first lines are RFC 5322 header fields (`Name: value`, folds).
fn looks_like_headers(b: &[u8]) -> bool {
    let mut fields = 0;
    for line in b.split(|&c| c == b'\n').take(8) {
        let line = trim_eol(line);
        if line.is_empty() {
            break;
        }
        if line[0] == b' ' || line[0] == b'\t' {
            continue;
        }
        let Some(colon) = memchr::memchr(b':', line) else {
            return false;
        };
        let name = &line[..colon];
        if name.is_empty() || !name.iter().all(|&c| c.is_ascii_graphic() && c != b':') {
            return false;
        }
        fields += 1;
    }
    fields >= 1
}

/// An mbox `From ` separator: `From sender date`, with a time of day in it
/// (a body line starting "From the desk of ..." has none).
fn is_from_line(line: &[u8]) -> bool {
    let Some(rest) = line.strip_prefix(b"From ") else {
        return false;
    };
    rest.windows(5).any(|w| {
        w[0].is_ascii_digit()
            && w[1].is_ascii_digit()
            && w[2] == b':'
            && w[3].is_ascii_digit()
            && w[4].is_ascii_digit()
    })
}

/// Drop a leading mbox `From ` line (mail-parser would read it as a junk
/// header).
pub fn strip_from_line(raw: &[u8]) -> &[u8] {
    if raw.starts_with(b"From ") {
        let end = memchr::memchr(b'\n', raw).map_or(raw.len(), |i| i + 1);
        &raw[end..]
    } else {
        raw
    }
}

/// The decoded content of one input, ready to be split into messages.
pub struct Archive<'a> {
    data: Cow<'a, [u8]>,
    kind: ArchiveKind,
    /// Why decoding stopped early (damaged gzip): the messages before the
    /// damage are still given.
    pub error: Option<String>,
}

impl<'a> Archive<'a> {
    /// Wrap an input's bytes (plain or gzip). `kind` `None` detects it; an
    /// input that is neither is read as one message.
    pub fn open(bytes: &'a [u8], kind: Option<ArchiveKind>) -> Archive<'a> {
        let (data, error) = if is_gzip(bytes) {
            let mut out = Vec::new();
            let err = MultiGzDecoder::new(bytes).read_to_end(&mut out).err();
            (
                Cow::Owned(out),
                err.map(|e| format!("damaged gzip stream ({e})")),
            )
        } else {
            (Cow::Borrowed(bytes), None)
        };
        let kind = kind
            .or_else(|| detect_archive(&data[..data.len().min(64 * 1024)]))
            .unwrap_or(ArchiveKind::Eml);
        Archive { data, kind, error }
    }

    pub fn kind(&self) -> ArchiveKind {
        self.kind
    }

    /// Decoded bytes.
    pub fn content(&self) -> &[u8] {
        &self.data
    }

    /// `(message_index, bytes)` of every message, from 0.
    pub fn messages(&self) -> impl Iterator<Item = (u64, Cow<'_, [u8]>)> + '_ {
        let data: &[u8] = &self.data;
        let items: Box<dyn Iterator<Item = Cow<'_, [u8]>> + '_> = match self.kind {
            ArchiveKind::Eml => Box::new(std::iter::once(Cow::Borrowed(strip_from_line(data)))),
            ArchiveKind::Mbox => Box::new(MboxSplit { data, pos: 0 }.map(unquote)),
        };
        items.enumerate().map(|(i, m)| (i as u64, m))
    }
}

/// Splits mbox content at `From ` lines that follow a blank line (or
/// start the input). Yields each message without its separator line.
struct MboxSplit<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Iterator for MboxSplit<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        let d = self.data;
        // skip to the body after the next From_ line (or take what is there)
        while self.pos < d.len() {
            let end = line_end(d, self.pos);
            let line = trim_eol(&d[self.pos..end]);
            if is_from_line(line) {
                self.pos = end;
                break;
            }
            if !line.iter().all(u8::is_ascii_whitespace) {
                break; // content before any From_ line: keep it as a message
            }
            self.pos = end;
        }
        if self.pos >= d.len() {
            return None;
        }
        let start = self.pos;
        let mut prev_blank = false;
        let mut p = start;
        while p < d.len() {
            let end = line_end(d, p);
            let line = trim_eol(&d[p..end]);
            if prev_blank && is_from_line(line) {
                self.pos = p;
                return Some(&d[start..p]);
            }
            prev_blank = line.is_empty();
            p = end;
        }
        self.pos = d.len();
        Some(&d[start..])
    }
}

fn line_end(d: &[u8], from: usize) -> usize {
    memchr::memchr(b'\n', &d[from..]).map_or(d.len(), |i| from + i + 1)
}

/// mboxrd: remove one `>` from every line matching `>+From `.
fn unquote(msg: &[u8]) -> Cow<'_, [u8]> {
    let quoted = |l: &[u8]| {
        let n = l.iter().take_while(|&&b| b == b'>').count();
        n > 0 && l[n..].starts_with(b"From ")
    };
    if !msg.split(|&b| b == b'\n').any(quoted) {
        return Cow::Borrowed(msg);
    }
    let mut out = Vec::with_capacity(msg.len());
    for line in msg.split_inclusive(|&b| b == b'\n') {
        if quoted(line) {
            out.extend_from_slice(&line[1..]);
        } else {
            out.extend_from_slice(line);
        }
    }
    Cow::Owned(out)
}

/// A directory with a `cur/` or `new/` subdirectory.
pub fn is_maildir(path: &Path) -> bool {
    path.join("cur").is_dir() || path.join("new").is_dir()
}

/// Message files of a Maildir (`cur/` and `new/`, and of its Maildir++
/// `.Folder` subfolders), sorted. `tmp/` is skipped: those are being written.
pub fn maildir_messages(path: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    collect_maildir(path, &mut out);
    if let Ok(rd) = std::fs::read_dir(path) {
        let mut subs: Vec<PathBuf> = rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
                    && is_maildir(p)
            })
            .collect();
        subs.sort();
        for s in subs {
            collect_maildir(&s, &mut out);
        }
    }
    out
}

fn collect_maildir(path: &Path, out: &mut Vec<PathBuf>) {
    for sub in ["cur", "new"] {
        let Ok(rd) = std::fs::read_dir(path.join(sub)) else {
            continue;
        };
        let mut files: Vec<PathBuf> = rd
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| e.path())
            .filter(|p| {
                !p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            })
            .collect();
        files.sort();
        out.extend(files);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::GzEncoder;
    use std::io::Write;

    const MBOX: &str = "From MAILER-DAEMON Tue Mar  3 10:15:02 2026\nSubject: one\n\nbody one\n\nFrom alice@example.org Tue Mar  3 11:00:00 2026\nSubject: two\n\n>From here, quoted.\n>>From there.\nFrom the desk of Alice, unquoted but no time.\n\nFrom bob@example.org Tue Mar  3 12:00:00 2026\nSubject: three\n\nx\n";

    fn gz(d: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(d).unwrap();
        e.finish().unwrap()
    }

    fn subjects(a: &Archive) -> Vec<String> {
        a.messages()
            .map(|(_, m)| {
                let s = String::from_utf8_lossy(&m).into_owned();
                s.lines().next().unwrap_or("").to_owned()
            })
            .collect()
    }

    #[test]
    fn mbox_split_and_unquote() {
        let a = Archive::open(MBOX.as_bytes(), None);
        assert_eq!(a.kind(), ArchiveKind::Mbox);
        assert_eq!(
            subjects(&a),
            ["Subject: one", "Subject: two", "Subject: three"]
        );
        let two = a.messages().nth(1).unwrap().1;
        let two = String::from_utf8_lossy(&two);
        assert!(two.contains("\nFrom here, quoted.\n>From there.\n"));
        assert!(two.contains("From the desk of Alice"));
    }

    #[test]
    fn crlf_gzip_and_multi_member_give_the_same_messages() {
        let crlf = MBOX.replace('\n', "\r\n");
        let plain = Archive::open(crlf.as_bytes(), None);
        let mut two = gz(&crlf.as_bytes()[..100]);
        two.extend(gz(&crlf.as_bytes()[100..]));
        let z = Archive::open(&two, None);
        assert_eq!(z.kind(), ArchiveKind::Mbox);
        assert!(z.error.is_none());
        let a: Vec<_> = plain.messages().map(|(i, m)| (i, m.into_owned())).collect();
        let b: Vec<_> = z.messages().map(|(i, m)| (i, m.into_owned())).collect();
        assert_eq!(a.len(), 3);
        assert_eq!(a, b);
    }

    #[test]
    fn eml_and_truncated_gzip() {
        let eml = b"Received: from x\nSubject: hi\n\nbody\n";
        assert_eq!(detect_archive(eml), Some(ArchiveKind::Eml));
        assert_eq!(detect_archive(b"just some text"), None);
        assert_eq!(detect_archive(b""), None);
        let a = Archive::open(eml, None);
        assert_eq!(a.messages().count(), 1);
        let z = gz(MBOX.as_bytes());
        let cut = Archive::open(&z[..z.len() / 2], None);
        assert!(cut.error.is_some());
    }

    #[test]
    fn maildir_lists_cur_and_new() {
        let dir = tempfile::tempdir().unwrap();
        for sub in ["cur", "new", "tmp", ".Bounces/cur"] {
            std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        }
        std::fs::write(dir.path().join("cur/1.host:2,S"), "Subject: a\n\n").unwrap();
        std::fs::write(dir.path().join("new/2.host"), "Subject: b\n\n").unwrap();
        std::fs::write(dir.path().join("tmp/3.host"), "Subject: c\n\n").unwrap();
        std::fs::write(dir.path().join(".Bounces/cur/4.host"), "Subject: d\n\n").unwrap();
        assert!(is_maildir(dir.path()));
        let m = maildir_messages(dir.path());
        assert_eq!(m.len(), 3);
    }
}
