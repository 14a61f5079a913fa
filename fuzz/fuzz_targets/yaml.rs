//! YAML registers: any text is read as records or refused with a located problem.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        kefu::load::fuzz::yaml_register(text);
    }
});
