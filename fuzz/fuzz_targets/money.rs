//! Amounts as staff type them, and their printing back (with capitals).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data)
        && let Ok(fen) = kefu::parse::money::parse_money(s)
    {
        let _ = kefu::parse::money::format_fen(fen);
        let _ = kefu::text::rmb_capitals(fen);
    }
    if data.len() >= 8 {
        let x = f64::from_le_bytes(data[..8].try_into().unwrap_or([0; 8]));
        if let Ok(fen) = kefu::parse::money::money_from_f64(x) {
            let _ = kefu::text::rmb_capitals(fen);
        }
    }
});
