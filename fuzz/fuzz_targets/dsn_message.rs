//! Fuzz the bounce-message parser: any bytes as one RFC 5322 message.
#![no_main]

use bouncelens::dsn;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = dsn::parse_message(data);
});
