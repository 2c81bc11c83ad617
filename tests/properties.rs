//! Property tests: no parser panics on any input; the plain and gzip paths of
//! the source read the same bytes; parsing is independent of how a buffer is
//! cut into line-aligned chunks.
//!
//! Inputs are arbitrary bytes and, to get past the first checks of each
//! parser, real lines from `tests/corpus/` cut and spliced with noise.

use bouncelens::aggregate::Period;
use bouncelens::batch::{parse_chunk, Chunk, Counts};
use bouncelens::dsn;
use bouncelens::parse::{Format, LineCtx, YearRule};
use bouncelens::pipeline::Stage;
use bouncelens::source;
use polars::prelude::*;
use proptest::prelude::*;
use std::io::Write;
use std::path::Path;
use std::sync::OnceLock;

/// Lines of every `*.log` under `dir` (relative to the crate root).
fn corpus_lines(dir: &str) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "log"))
        .collect();
    files.sort();
    let lines: Vec<String> = files
        .iter()
        .flat_map(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            text.lines().map(str::to_string).collect::<Vec<_>>()
        })
        .filter(|l| !l.is_empty())
        .collect();
    assert!(
        !lines.is_empty(),
        "no corpus lines under {}",
        root.display()
    );
    lines
}

fn lines_of(format: Format) -> &'static [String] {
    static POSTFIX: OnceLock<Vec<String>> = OnceLock::new();
    static EXIM: OnceLock<Vec<String>> = OnceLock::new();
    static SENDMAIL: OnceLock<Vec<String>> = OnceLock::new();
    match format {
        Format::Postfix => POSTFIX.get_or_init(|| corpus_lines("tests/corpus/postfix")),
        Format::Exim => EXIM.get_or_init(|| corpus_lines("tests/corpus/exim")),
        Format::Sendmail => SENDMAIL.get_or_init(|| corpus_lines("tests/corpus/sendmail")),
    }
}

fn bounce_messages() -> &'static [Vec<u8>] {
    static MSGS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    MSGS.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dsn");
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .collect();
        files.sort();
        files.iter().map(|p| std::fs::read(p).unwrap()).collect()
    })
}

fn contexts() -> [LineCtx; 2] {
    [
        LineCtx::default(),
        LineCtx {
            year: YearRule::EndsBy {
                year: 2024,
                month: 1,
                day: 2,
            },
            tz_offset_s: 3600 * 5 + 1800,
            tz: None,
        },
    ]
}

/// A real line of `format`, cut at a byte and spliced with `noise`.
fn mutated_line(format: Format) -> impl Strategy<Value = Vec<u8>> {
    (
        prop::sample::select(lines_of(format)),
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
        prop::collection::vec(any::<u8>(), 0..12),
    )
        .prop_map(|(line, cut, resume, noise)| {
            let b = line.as_bytes();
            let cut = cut.index(b.len() + 1);
            let resume = cut + resume.index(b.len() - cut + 1);
            let mut out = b[..cut].to_vec();
            out.extend_from_slice(&noise);
            out.extend_from_slice(&b[resume..]);
            out
        })
}

/// Printable ASCII with the characters log syntax is made of.
fn loggy_string() -> impl Strategy<Value = String> {
    "[ -~]{0,160}"
}

fn parse_every_way(format: Format, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    for ctx in &contexts() {
        let mut out = Vec::new();
        format.parse_line_into(&text, ctx, &mut out);
        assert!(!out.is_empty(), "parse_line_into pushed nothing");
        let _ = format.parse_line(&text, ctx);
        let _ = parse_chunk(bytes, format, ctx);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn no_line_parser_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        for format in Format::ALL {
            parse_every_way(format, &bytes);
        }
    }

    #[test]
    fn no_line_parser_panics_on_arbitrary_strings(s in any::<String>(), t in loggy_string()) {
        for format in Format::ALL {
            parse_every_way(format, s.as_bytes());
            parse_every_way(format, t.as_bytes());
        }
    }

    #[test]
    fn postfix_survives_damaged_real_lines(line in mutated_line(Format::Postfix)) {
        parse_every_way(Format::Postfix, &line);
    }

    #[test]
    fn exim_survives_damaged_real_lines(line in mutated_line(Format::Exim)) {
        parse_every_way(Format::Exim, &line);
    }

    #[test]
    fn sendmail_survives_damaged_real_lines(line in mutated_line(Format::Sendmail)) {
        parse_every_way(Format::Sendmail, &line);
    }

    #[test]
    fn parse_chunk_never_panics_on_arbitrary_buffers(
        bytes in prop::collection::vec(
            prop_oneof![any::<u8>(), Just(b'\n'), Just(b'\r'), Just(0u8)], 0..2000),
    ) {
        for format in Format::ALL {
            let b = parse_chunk(&bytes, format, &LineCtx::default());
            let newlines = bytes.iter().filter(|&&c| c == b'\n').count() as u64;
            let ends_open = !bytes.is_empty() && !bytes.ends_with(b"\n");
            prop_assert_eq!(b.counts.lines, newlines + u64::from(ends_open));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn dsn_parse_message_never_panics_on_arbitrary_bytes(
        bytes in prop::collection::vec(any::<u8>(), 0..3000),
    ) {
        let _ = dsn::parse_message(&bytes);
    }

    #[test]
    fn dsn_parse_message_survives_damaged_real_bounces(
        msg in prop::sample::select(bounce_messages()),
        cut in any::<prop::sample::Index>(),
        resume in any::<prop::sample::Index>(),
        noise in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        let cut = cut.index(msg.len() + 1);
        let resume = cut + resume.index(msg.len() - cut + 1);
        let mut raw = msg[..cut].to_vec();
        raw.extend_from_slice(&noise);
        raw.extend_from_slice(&msg[resume..]);
        let _ = dsn::parse_message(&raw);
        let _ = dsn::parse_message(&msg[..cut]);
    }
}

// ---- plain and gzip paths of the source agree ----

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// Every block `for_each_block` yields, concatenated; checks that each block
/// but the last ends a line, and that reading finished without error.
fn read_all(bytes: &[u8], block: usize) -> Vec<u8> {
    let mut out: Vec<u8> = Vec::new();
    let mut blocks = 0;
    let res = source::for_each_block(bytes, block, |b: &[u8]| {
        if blocks > 0 {
            assert_eq!(out.last(), Some(&b'\n'), "a block did not end a line");
        }
        blocks += 1;
        out.extend_from_slice(b);
        Ok::<(), ()>(())
    });
    res.unwrap().expect("an intact input reads without error");
    out
}

/// Lines of arbitrary bytes (no newline inside; the first byte is never
/// 0x1f, so plain content is not taken for gzip), joined by newlines.
fn text_of_lines() -> impl Strategy<Value = Vec<u8>> {
    let line = prop::collection::vec(
        any::<u8>().prop_filter("no newline", |&b| b != b'\n'),
        0..200,
    );
    (
        prop::collection::vec(line, 0..60),
        any::<bool>(),
        prop::collection::vec(b'a'..=b'z', 0..5000),
    )
        .prop_map(|(lines, final_newline, long)| {
            let mut text = Vec::new();
            for (i, l) in lines.iter().enumerate() {
                text.extend_from_slice(l);
                if i == 3 {
                    text.extend_from_slice(&long); // one line longer than a block
                }
                if i + 1 < lines.len() || final_newline {
                    text.push(b'\n');
                }
            }
            if text.first() == Some(&0x1f) {
                text[0] = b'x';
            }
            text
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn plain_and_gzip_sources_yield_the_same_bytes(
        text in text_of_lines(),
        block in 1usize..4096,
    ) {
        let plain = read_all(&text, block);
        prop_assert_eq!(&plain, &text);
        let gz = read_all(&gzip(&text), block);
        prop_assert_eq!(&gz, &text);
    }

    #[test]
    fn multi_member_gzip_yields_the_same_bytes_as_plain(
        text in text_of_lines(),
        cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..6),
        block in 1usize..4096,
    ) {
        let mut at: Vec<usize> = cuts.iter().map(|c| c.index(text.len() + 1)).collect();
        at.push(0);
        at.push(text.len());
        at.sort_unstable();
        // members split anywhere, even inside a line or a UTF-8 sequence,
        // and some of them empty
        let mut members = Vec::new();
        for w in at.windows(2) {
            members.extend_from_slice(&gzip(&text[w[0]..w[1]]));
        }
        prop_assert_eq!(read_all(&members, block), read_all(&text, block));
    }
}

// ---- parsing does not depend on where a buffer is cut ----

/// Real lines of one format mixed with damaged and junk lines.
fn log_buffer(format: Format) -> impl Strategy<Value = Vec<u8>> {
    let line = prop_oneof![
        6 => prop::sample::select(lines_of(format)).prop_map(String::into_bytes),
        2 => mutated_line(format),
        1 => prop::collection::vec(any::<u8>().prop_filter("no newline", |&b| b != b'\n'), 0..40),
    ];
    (prop::collection::vec(line, 0..80), any::<bool>()).prop_map(|(lines, final_newline)| {
        let mut buf = lines.join(&b'\n');
        if final_newline && !buf.is_empty() {
            buf.push(b'\n');
        }
        buf
    })
}

/// Line-aligned pieces of `buf`: cut after the newlines picked by `picks`.
fn split_at_lines<'a>(buf: &'a [u8], picks: &[prop::sample::Index]) -> Vec<&'a [u8]> {
    let ends: Vec<usize> = memchr::memchr_iter(b'\n', buf).map(|i| i + 1).collect();
    let mut cuts: Vec<usize> = if ends.is_empty() {
        Vec::new()
    } else {
        picks.iter().map(|p| ends[p.index(ends.len())]).collect()
    };
    cuts.push(0);
    cuts.push(buf.len());
    cuts.sort_unstable();
    cuts.dedup();
    cuts.windows(2).map(|w| &buf[w[0]..w[1]]).collect()
}

/// The failures and aggregate tables the sequential stage makes of chunks
/// handed over as one block.
fn staged(chunks: &[Chunk]) -> Vec<DataFrame> {
    let mut stage = Stage::new(Some(Period::Hour));
    let mut frames = vec![stage.block(chunks).unwrap()];
    frames.extend(stage.finish(None).unwrap().into_iter().map(|(_, df)| df));
    frames
}

fn check_split_invariance(
    format: Format,
    buf: &[u8],
    picks: &[prop::sample::Index],
) -> Result<(), TestCaseError> {
    let ctx = contexts()[1];
    let whole = parse_chunk(buf, format, &ctx);
    let mut counts = Counts::default();
    let mut parts = Vec::new();
    for piece in split_at_lines(buf, picks) {
        let mut part = parse_chunk(piece, format, &ctx);
        part.line_offset = counts.lines;
        counts.merge(&part.counts);
        parts.push(part);
    }
    prop_assert_eq!(counts, whole.counts);
    let (a, b) = (staged(std::slice::from_ref(&whole)), staged(&parts));
    prop_assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        prop_assert!(x.equals_missing(y), "split and whole differ:\n{x}\n{y}");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn postfix_parse_chunk_is_split_invariant(
        buf in log_buffer(Format::Postfix),
        picks in prop::collection::vec(any::<prop::sample::Index>(), 0..8),
    ) {
        check_split_invariance(Format::Postfix, &buf, &picks)?;
    }

    #[test]
    fn exim_parse_chunk_is_split_invariant(
        buf in log_buffer(Format::Exim),
        picks in prop::collection::vec(any::<prop::sample::Index>(), 0..8),
    ) {
        check_split_invariance(Format::Exim, &buf, &picks)?;
    }

    #[test]
    fn sendmail_parse_chunk_is_split_invariant(
        buf in log_buffer(Format::Sendmail),
        picks in prop::collection::vec(any::<prop::sample::Index>(), 0..8),
    ) {
        check_split_invariance(Format::Sendmail, &buf, &picks)?;
    }
}

/// Inputs the fuzzers found, kept as regression tests. The first one makes
/// mail-parser 0.11.9 reach a `debug_assert!(false)` (parsers/message.rs:485,
/// a nested multipart without its boundary); release builds carry on, and
/// bouncelens must still answer for the message.
#[test]
fn fuzzer_findings_do_not_panic() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap().flatten() {
        let raw = std::fs::read(e.path()).unwrap();
        let _ = dsn::parse_message(&raw);
        n += 1;
    }
    assert!(n >= 1);
}
