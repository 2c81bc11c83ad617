//! Parse + classify throughput of Postfix lines on one core (MB/s), over
//! realistic data from `bouncelens sample`.

use bouncelens::batch::parse_chunk;
use bouncelens::parse::{Format, LineCtx, YearRule};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn postfix(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bench.log");
    bouncelens::sample::write_sample(&path, 200_000, 7, "2026-03-01", 1, "mx1").expect("sample");
    let data = std::fs::read(&path).expect("read sample");
    let ctx = LineCtx {
        year: YearRule::StartsIn {
            year: 2026,
            first_month: 3,
        },
        tz_offset_s: 0,
        tz: None,
    };
    let mut g = c.benchmark_group("postfix");
    g.throughput(Throughput::Bytes(data.len() as u64));
    g.sample_size(10);
    g.bench_function("parse_classify_columns", |b| {
        b.iter(|| parse_chunk(&data, Format::Postfix, &ctx).counts)
    });
    g.bench_function("parse_only", |b| {
        b.iter(|| {
            let mut n = 0u64;
            for line in data.split(|&c| c == b'\n') {
                let line = std::str::from_utf8(line).unwrap_or("");
                if matches!(
                    Format::Postfix.parse_line(line, &ctx),
                    bouncelens::record::Record::Delivery(_)
                ) {
                    n += 1;
                }
            }
            n
        })
    });
    g.finish();
}

criterion_group!(benches, postfix);
criterion_main!(benches);
