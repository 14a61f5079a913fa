//! The fonts kefu prints with, compiled into the binary from `fonts/`.
//!
//! Noto Serif SC (宋体-like, body text) and Noto Sans SC (黑体-like, headings), Regular and Bold,
//! OFL-licensed (see `fonts/README.md`). Embedding them means Chinese prints the same on a fresh
//! machine with no fonts installed, and indexing them costs a few milliseconds instead of reading
//! 50 MB from disk. System fonts are never consulted, so output does not depend on the machine.

use typst::foundations::Bytes;
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;

/// The serif family for body text and table contents.
pub const SERIF: &str = "Noto Serif SC";
/// The sans family for titles, headers and stamps.
pub const SANS: &str = "Noto Sans SC";

static FILES: [&[u8]; 4] = [
    include_bytes!("../fonts/NotoSerifSC-Regular.ttf"),
    include_bytes!("../fonts/NotoSerifSC-Bold.ttf"),
    include_bytes!("../fonts/NotoSansSC-Regular.ttf"),
    include_bytes!("../fonts/NotoSansSC-Bold.ttf"),
];

/// The parsed fonts and their book; build once per process and share.
#[derive(Debug)]
pub struct FontStore {
    pub(crate) book: LazyHash<FontBook>,
    pub(crate) fonts: Vec<Font>,
}

impl FontStore {
    /// Parses the embedded fonts.
    pub fn embedded() -> FontStore {
        let fonts: Vec<Font> = FILES.iter().flat_map(|data| Font::iter(Bytes::new(*data))).collect();
        let book = LazyHash::new(FontBook::from_fonts(&fonts));
        FontStore { book, fonts }
    }

    /// Whether any embedded font has a glyph for `c`.
    pub fn covers(&self, c: char) -> bool {
        self.fonts.iter().any(|f| f.info().coverage.contains(c as u32))
    }

    /// The family names available, for messages.
    pub fn families(&self) -> Vec<String> {
        let mut names: Vec<String> = self.fonts.iter().map(|f| f.info().family.clone()).collect();
        names.dedup();
        names
    }
}

/// Whether the embedded fonts can print `c`: one lookup in a bitmap of the Basic Multilingual
/// Plane built on first use (the fonts are parsed once for it), the font tables beyond it.
pub fn printable(c: char) -> bool {
    use std::sync::OnceLock;
    static STORE: OnceLock<FontStore> = OnceLock::new();
    static BMP: OnceLock<Vec<u64>> = OnceLock::new();
    let store = || STORE.get_or_init(FontStore::embedded);
    let code = c as u32;
    if code < 0x10000 {
        let bits = BMP.get_or_init(|| {
            let s = store();
            let mut bits = vec![0u64; 0x10000 / 64];
            for code in 0..0x10000u32 {
                if let Some(ch) = char::from_u32(code)
                    && s.covers(ch)
                {
                    bits[code as usize / 64] |= 1 << (code % 64);
                }
            }
            bits
        });
        bits[code as usize / 64] & (1 << (code % 64)) != 0
    } else {
        store().covers(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_families_in_both_weights() {
        let store = FontStore::embedded();
        assert_eq!(store.fonts.len(), 4);
        assert_eq!(store.families(), vec![SERIF.to_string(), SANS.to_string()]);
    }

    #[test]
    fn rare_name_characters_are_covered() {
        let store = FontStore::embedded();
        for c in "堃喆赟昇珺玥囍龘客服部".chars() {
            assert!(store.covers(c), "{c} is not covered");
        }
        // CJK Extension B lies outside the shipped fonts: callers must refuse it, not print tofu.
        assert!(!store.covers('𠀀'));
    }
}
