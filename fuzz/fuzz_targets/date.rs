//! Dates, times, datetimes and months as staff type them.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = kefu::parse::date::parse_date(s);
        let _ = kefu::parse::date::parse_time(s);
        let _ = kefu::parse::date::parse_datetime(s);
        let _ = kefu::parse::date::parse_month(s);
    }
    if data.len() >= 8 {
        let x = f64::from_le_bytes(data[..8].try_into().unwrap_or([0; 8]));
        let _ = kefu::parse::date::from_excel_serial(x, data.len() % 2 == 0);
        let _ = kefu::parse::date::excel_serial_time(x);
    }
});
