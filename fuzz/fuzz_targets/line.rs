//! Shared body of the line-parser fuzz targets: any bytes, as lossy UTF-8
//! (as `batch::parse_chunk` does), through `Format::parse_line_into` under
//! two year/zone contexts; every line must give at least one record.

use bouncelens::parse::{Format, LineCtx, YearRule};

pub fn run(format: Format, data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let contexts = [
        LineCtx::default(),
        LineCtx {
            year: YearRule::EndsBy {
                year: 2024,
                month: 1,
                day: 2,
            },
            tz_offset_s: -5 * 3600,
            tz: None,
        },
    ];
    let mut out = Vec::new();
    for ctx in &contexts {
        for line in text.split('\n') {
            out.clear();
            format.parse_line_into(line, ctx, &mut out);
            assert!(!out.is_empty(), "parse_line_into pushed no record");
            let _ = format.parse_line(line, ctx);
        }
    }
}
