//! Which numbers are dates: each cell style's number format from the styles part
//! (`xl/styles.xml`), built-in or custom, and a number read as its format shows it.
//!
//! Input: the styles part's bytes; a cell's number with its style's [`Format`]. Output: one
//! [`Format`] per cell style, in `<cellXfs>` order; the cell — a date/time (1900 or 1904 date
//! system) where the format shows one, else the number. Failure: `None` for a part that does not
//! parse, and the workbook is left to calamine; a serial beyond chrono's dates stays a number.

use std::collections::HashMap;

use chrono::{NaiveDate, TimeDelta};

use super::xml::{Tags, Token, attr, local, text_of};
use crate::load::cell::Cell;

/// How a cell style shows numbers: plainly, as a date/time, or as a duration.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Format {
    Other,
    DateTime,
    Duration,
}

/// Each cell style's number format (`<cellXfs>`), by style index.
pub(super) fn formats(xml: &[u8]) -> Option<Vec<Format>> {
    let mut custom: HashMap<Vec<u8>, String> = HashMap::new();
    let mut out = Vec::new();
    let mut in_xfs = false;
    for token in Tags::all(xml) {
        match token.ok()? {
            Token::Start(tag) if tag.local() == b"numFmt" => {
                if let (Some(id), Some(code)) = (attr(tag.attrs, b"numFmtId"), attr(tag.attrs, b"formatCode")) {
                    custom.insert(id.to_vec(), text_of(code).ok()?);
                }
            }
            Token::Start(tag) if tag.local() == b"cellXfs" => in_xfs = !tag.empty,
            Token::End(name) if local(name) == b"cellXfs" => in_xfs = false,
            Token::Start(tag) if in_xfs && tag.local() == b"xf" => {
                out.push(match attr(tag.attrs, b"numFmtId") {
                    None => Format::Other,
                    Some(id) => match custom.get(id) {
                        Some(code) => custom_format(code),
                        None => builtin_format(id),
                    },
                });
            }
            _ => {}
        }
    }
    Some(out)
}

/// Whether a number format code shows a date, a time or a duration: date/time letters outside
/// quotes, brackets and escapes in its first section; `[h]`, `[m]`, `[s]` for durations.
pub(super) fn custom_format(code: &str) -> Format {
    let mut escaped = false;
    let mut quoted = false;
    let mut brackets = 0u8;
    let mut prev = ' ';
    let mut hms = false;
    let mut ampm = false;
    for c in code.chars() {
        if escaped {
            escaped = false;
        } else if matches!(c, '_' | '\\' | '*') {
            escaped = true;
        } else if quoted {
            if c == '"' {
                quoted = false;
            }
        } else if c == '"' {
            quoted = true;
        } else if c == ';' {
            return Format::Other;
        } else if c == '[' {
            brackets = brackets.saturating_add(1);
        } else if c == ']' && brackets == 1 && hms {
            return Format::Duration;
        } else if c == ']' {
            brackets = brackets.saturating_sub(1);
        } else if matches!(c, 'a' | 'A') && !ampm && brackets == 0 {
            ampm = true;
        } else if brackets == 0
            && (ampm && matches!(c, 'p' | 'm' | '/' | 'P' | 'M')
                || !ampm && matches!(c, 'd' | 'm' | 'h' | 'y' | 's' | 'D' | 'M' | 'H' | 'Y' | 'S'))
        {
            return Format::DateTime;
        } else if !(hms && c.eq_ignore_ascii_case(&prev)) {
            hms = prev == '[' && matches!(c, 'm' | 'h' | 's' | 'M' | 'H' | 'S');
        }
        prev = c;
    }
    Format::Other
}

/// Excel's built-in number formats that show dates and times (ECMA-376 18.8.30, with the East
/// Asian ones), and `[h]:mm:ss`.
pub(super) fn builtin_format(id: &[u8]) -> Format {
    match std::str::from_utf8(id).ok().and_then(|s| s.parse::<u16>().ok()) {
        Some(s) if s.to_string().as_bytes() == id => match s {
            14..=22 | 27..=36 | 45 | 47 | 50..=58 => Format::DateTime,
            46 => Format::Duration,
            _ => Format::Other,
        },
        _ => Format::Other,
    }
}

/// Excel's day 0 (with the 1900 leap-year bug, day 60 is the nonexistent 1900-02-29).
static EPOCH: std::sync::LazyLock<Option<chrono::NaiveDateTime>> =
    std::sync::LazyLock::new(|| NaiveDate::from_ymd_opt(1899, 12, 30).map(|d| d.and_time(chrono::NaiveTime::MIN)));

/// A number in a cell of the given format: a date/time where the style shows one (the
/// serial counted from 1899-12-30, the 1900 leap-year bug respected, to the millisecond).
pub(super) fn number(x: f64, format: Option<Format>, date1904: bool) -> Cell {
    match format {
        Some(Format::DateTime) => {
            let f = if date1904 { x + 1462.0 } else { x };
            let f = if f >= 60.0 { f } else { f + 1.0 };
            let ms = (f * 86_400_000.0).round() as i64;
            match EPOCH.zip(TimeDelta::try_milliseconds(ms)).and_then(|(e, d)| e.checked_add_signed(d)) {
                Some(dt) => Cell::DateTime(dt),
                None => Cell::Number(x),
            }
        }
        _ => Cell::Number(x),
    }
}
