//! Header detection over arbitrary grids, against the real form definitions.
#![no_main]
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

static FORMS: OnceLock<kefu::forms::FormSet> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let forms = FORMS.get_or_init(|| {
        kefu::forms::FormSet::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../forms")).expect("forms")
    });
    let Some((&number, rest)) = data.split_first() else { return };
    if let Ok(text) = std::str::from_utf8(rest) {
        kefu::load::fuzz::header(forms, number % 32, text);
    }
});
