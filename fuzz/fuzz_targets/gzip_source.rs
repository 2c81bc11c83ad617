//! Fuzz the input reader: any bytes (gzip or plain) through
//! `source::for_each_block`; every block must be line-aligned except the last,
//! and the plain path must hand back the input unchanged.
#![no_main]

use bouncelens::source;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let block = 1 + data.first().copied().unwrap_or(0) as usize * 64;
    let mut got: Vec<u8> = Vec::new();
    let mut blocks = 0usize;
    let res = source::for_each_block(data, block, |b: &[u8]| {
        if blocks > 0 {
            assert_eq!(got.last(), Some(&b'\n'), "block not line-aligned");
        }
        blocks += 1;
        got.extend_from_slice(b);
        Ok::<(), ()>(())
    });
    let read = res.expect("callback never fails");
    if !source::is_gzip(data) {
        assert!(read.is_ok());
        assert_eq!(got, data);
    }
});
