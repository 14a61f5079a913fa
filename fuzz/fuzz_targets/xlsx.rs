//! The xlsx sheet reader (tokenizer, cells, shared strings, styles) over arbitrary bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    kefu::load::fuzz::xlsx_parts(data);
});
