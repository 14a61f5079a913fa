//! The text of xlsx strings: the shared-strings part (`xl/sharedStrings.xml`), and the rich text
//! of a shared or inline string — its `<t>` runs joined, phonetic runs (`<rPh>`) left out, each
//! run trimmed unless `xml:space="preserve"`, Excel's `_xHHHH_` escapes undone.
//!
//! Input: the shared-strings part's bytes, or a string's tokens one at a time ([`Rich`]). Output:
//! the strings in table order (a [`Cell::Shared`](crate::load::cell::Cell) indexes them). Failure:
//! `None` for a part that does not parse, and the workbook is left to calamine; a broken
//! reference inside an inline string is the sheet reader's error, passed on.

use std::sync::Arc;

use super::xml::{Tags, Token, attr, decode, local, push_normalized, utf8};

/// Every `<si>` of the shared-strings part.
pub(super) fn shared_strings(xml: &[u8]) -> Option<Vec<Arc<str>>> {
    let mut tokens = Tags::all(xml);
    let mut out = Vec::new();
    while let Some(token) = tokens.next() {
        if let Token::Start(tag) = token.ok()?
            && tag.local() == b"si"
        {
            if tag.empty {
                out.push(Arc::from(""));
                continue;
            }
            if let Some((text, len)) = quick_si(&tokens.xml[tokens.pos..]) {
                out.push(text);
                tokens.pos += len;
                continue;
            }
            let closing = tag.name.to_vec();
            let mut rich = Rich::default();
            loop {
                if rich.feed(tokens.next()?.ok()?, &closing).ok()? {
                    break;
                }
            }
            out.push(Arc::from(rich.out));
        }
    }
    Some(out)
}

/// The commonest shared string, `<t>text</t></si>` (or `<t xml:space="preserve">`) with no
/// references, line ends or escapes in it, read in one pass: (text, bytes taken).
fn quick_si(b: &[u8]) -> Option<(Arc<str>, usize)> {
    const PRESERVE: &[u8] = b"<t xml:space=\"preserve\">";
    let (preserve, from) = if b.starts_with(b"<t>") {
        (false, 3)
    } else if b.starts_with(PRESERVE) {
        (true, PRESERVE.len())
    } else {
        return None;
    };
    let len = memchr::memchr3(b'<', b'&', b'\r', &b[from..])?;
    let end = from + len;
    if !b[end..].starts_with(b"</t></si>") {
        return None;
    }
    let text = std::str::from_utf8(&b[from..end]).ok()?;
    let kept = run_text(text, preserve);
    let shared: Arc<str> = if kept.contains('_') {
        let mut out = String::with_capacity(kept.len());
        unescape_excel(kept, &mut out);
        Arc::from(out)
    } else {
        Arc::from(kept)
    };
    Some((shared, end + 9))
}

/// The text of a shared or inline string, fed token by token up to its end tag: its `<t>` runs
/// joined, phonetic runs (`<rPh>`) left out, each run trimmed unless `xml:space="preserve"`,
/// Excel's `_xHHHH_` escapes undone.
#[derive(Default)]
pub(super) struct Rich {
    pub(super) out: String,
    run: String,
    phonetic: bool,
    /// Inside a `<t>`: its tag name and whether it preserves spaces.
    open: Option<(Vec<u8>, bool)>,
}

impl Rich {
    /// Takes one token; `true` once the end tag `closing` is reached.
    pub(super) fn feed(&mut self, token: Token<'_>, closing: &[u8]) -> Result<bool, String> {
        if let Some((name, preserve)) = &self.open {
            match token {
                Token::Text(raw) => decode(raw, &mut self.run)?,
                Token::CData(raw) => push_normalized(utf8(raw)?, &mut self.run),
                Token::End(end) if end == name.as_slice() => {
                    let preserve = *preserve;
                    self.end_run(preserve);
                    self.open = None;
                }
                _ => {}
            }
            return Ok(false);
        }
        match token {
            Token::End(name) if name == closing => return Ok(true),
            Token::Start(tag) if tag.local() == b"rPh" => self.phonetic = !tag.empty,
            Token::End(name) if local(name) == b"rPh" => self.phonetic = false,
            Token::Start(tag) if tag.local() == b"t" && !self.phonetic => {
                let preserve = attr(tag.attrs, b"xml:space") == Some(b"preserve");
                self.run.clear();
                if tag.empty {
                    self.end_run(preserve);
                } else {
                    self.open = Some((tag.name.to_vec(), preserve));
                }
            }
            _ => {}
        }
        Ok(false)
    }

    fn end_run(&mut self, preserve: bool) {
        unescape_excel(run_text(&self.run, preserve), &mut self.out);
    }
}

/// A `<t>` run's text as it counts: trimmed unless `xml:space="preserve"`.
fn run_text(text: &str, preserve: bool) -> &str {
    if preserve { text } else { text.trim_matches([' ', '\t', '\r', '\n']) }
}

/// Undoes Excel's `_xHHHH_` escapes (UTF-16 code units; a lone surrogate becomes U+FFFD).
pub(super) fn unescape_excel(text: &str, out: &mut String) {
    let bytes = text.as_bytes();
    let unit = |i: usize| -> Option<u16> {
        let b = bytes.get(i..i + 7)?;
        if b[0] != b'_' || b[1] != b'x' || b[6] != b'_' || !b[2..6].iter().all(u8::is_ascii_hexdigit) {
            return None;
        }
        u16::from_str_radix(std::str::from_utf8(&b[2..6]).ok()?, 16).ok()
    };
    let mut copied = 0;
    let mut i = 0;
    while let Some(off) = text[i..].find('_') {
        let at = i + off;
        let Some(u) = unit(at) else {
            i = at + 1;
            continue;
        };
        out.push_str(&text[copied..at]);
        let mut next = at + 7;
        match u {
            0xD800..=0xDBFF => match unit(next) {
                Some(low @ 0xDC00..=0xDFFF) => {
                    let c = 0x10000 + ((u32::from(u) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
                    out.push(char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER));
                    next += 7;
                }
                _ => out.push(char::REPLACEMENT_CHARACTER),
            },
            0xDC00..=0xDFFF => out.push(char::REPLACEMENT_CHARACTER),
            _ => out.push(char::from_u32(u32::from(u)).unwrap_or(char::REPLACEMENT_CHARACTER)),
        }
        copied = next;
        i = next;
    }
    out.push_str(&text[copied..]);
}
