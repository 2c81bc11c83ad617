//! Parse + classify throughput on one core (MB/s, `Throughput::Bytes`):
//! Postfix lines from `bouncelens sample`; Exim and Sendmail lines from
//! the test corpora (`tests/corpus/`), repeated to a few MB; bounce
//! messages (DSNs and plain-text NDRs) from `tests/fixtures/dsn/`; and the
//! sequential stage (correlation and aggregate counting) over parsed
//! Postfix chunks.

use bouncelens::aggregate::Period;
use bouncelens::batch::parse_chunk;
use bouncelens::parse::{Format, LineCtx, YearRule};
use bouncelens::pipeline::Stage;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::path::Path;

fn ctx(year: i32, first_month: u32) -> LineCtx {
    LineCtx {
        year: YearRule::StartsIn { year, first_month },
        tz_offset_s: 0,
        tz: None,
    }
}

fn postfix_sample(lines: u64) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bench.log");
    bouncelens::sample::write_sample(&path, lines, 7, "2026-03-01", 1, "mx1").expect("sample");
    std::fs::read(&path).expect("read sample")
}

/// Every `*.log` of a corpus directory, concatenated and repeated to at
/// least `min` bytes.
fn corpus(dir: &str, min: usize) -> Vec<u8> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<_> = std::fs::read_dir(&root)
        .expect("corpus dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "log"))
        .collect();
    files.sort();
    let mut one = Vec::new();
    for f in files {
        let mut text = std::fs::read(f).expect("read corpus");
        if !text.ends_with(b"\n") {
            text.push(b'\n');
        }
        one.extend(text);
    }
    let mut all = Vec::with_capacity(min + one.len());
    while all.len() < min {
        all.extend_from_slice(&one);
    }
    all
}

fn lines(c: &mut Criterion, name: &str, format: Format, data: &[u8], ctx: &LineCtx) {
    let mut g = c.benchmark_group(name);
    g.throughput(Throughput::Bytes(data.len() as u64));
    g.sample_size(10);
    g.bench_function("parse_classify", |b| {
        b.iter(|| parse_chunk(data, format, ctx).counts)
    });
    g.bench_function("parse_only", |b| {
        b.iter(|| {
            let mut n = 0u64;
            let mut out = Vec::new();
            for line in data.split(|&c| c == b'\n') {
                out.clear();
                format.parse_line_into(std::str::from_utf8(line).unwrap_or(""), ctx, &mut out);
                n += out.len() as u64;
            }
            n
        })
    });
    g.finish();
}

fn postfix(c: &mut Criterion) {
    let data = postfix_sample(200_000);
    let ctx = ctx(2026, 3);
    lines(c, "postfix", Format::Postfix, &data, &ctx);
    // the sequential stage: correlation and aggregate counting of the
    // parsed chunks (parsed once, outside the timing)
    let chunks: Vec<_> = bouncelens::source::split_lines(&data, 8)
        .into_iter()
        .map(|piece| parse_chunk(piece, Format::Postfix, &ctx))
        .collect();
    let mut g = c.benchmark_group("postfix");
    g.throughput(Throughput::Bytes(data.len() as u64));
    g.sample_size(10);
    g.bench_function("correlate_count", |b| {
        b.iter(|| {
            let mut stage = Stage::new(Some(Period::Day));
            let failures = stage.block(&chunks).expect("stage").height();
            (failures, stage.finish(None).expect("finish").len())
        })
    });
    g.finish();
}

fn exim(c: &mut Criterion) {
    let data = corpus("tests/corpus/exim", 8 << 20);
    lines(c, "exim", Format::Exim, &data, &ctx(2024, 1));
}

fn sendmail(c: &mut Criterion) {
    let data = corpus("tests/corpus/sendmail", 8 << 20);
    lines(c, "sendmail", Format::Sendmail, &data, &ctx(2024, 1));
}

fn dsn(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dsn");
    let mut messages: Vec<Vec<u8>> = std::fs::read_dir(&root)
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .map(|p| std::fs::read(p).expect("read fixture"))
        .collect();
    messages.sort();
    let bytes: usize = messages.iter().map(Vec::len).sum();
    let mut g = c.benchmark_group("dsn");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(10);
    g.bench_function("parse_classify", |b| {
        b.iter(|| {
            messages
                .iter()
                .map(|m| match bouncelens::dsn::parse_message(m) {
                    bouncelens::dsn::MessageKind::Bounce(r) => r
                        .iter()
                        .map(|r| {
                            let v = bouncelens::classify::classify(&bouncelens::classify::Input {
                                outcome: Some(r.outcome),
                                text: &r.diagnostic,
                                dsn: r.status.as_deref(),
                                remote_host: r.remote_mta.as_deref(),
                                recipient_domain: bouncelens::record::domain_of(&r.recipient),
                            });
                            v.cause as usize
                        })
                        .sum::<usize>(),
                    _ => 0,
                })
                .sum::<usize>()
        })
    });
    g.finish();
}

criterion_group!(benches, postfix, exim, sendmail, dsn);
criterion_main!(benches);
