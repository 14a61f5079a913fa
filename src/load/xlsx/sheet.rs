//! The cells of one worksheet part, streamed: the `<dimension>` as a size hint, `<sheetData>`'s
//! rows and cells (reference `r`, type `t`, style `s`, and the `<v>`, `<is>` or `<f>` inside),
//! then `<mergeCells>`. The commonest cell shapes are read straight from the bytes; the rest
//! through the tokenizer.
//!
//! Input: the sheet XML as a [`Stream`], and what the workbook shares ([`Shared`]: strings,
//! number formats, date system). Output: (row, column, [`Cell`]) in file order, 0-based; a shared
//! string as its index. Failure: a Chinese sentence — naming the cell (`单元格 B3：…`) for a
//! value its type does not allow or a reference that is not one, or what is missing when the XML
//! ends early or the part is not a worksheet.

use std::sync::Arc;

use super::Shared;
use super::strings::{Rich, unescape_excel};
use super::styles::{Format, number};
use super::xml::{Attr, Span, Stream, Tok, attr, decode, token_at, utf8};
use crate::load::cell::Cell;

/// A cell's `t` attribute.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Number,
    Shared,
    Bool,
    Error,
    Str,
    Date,
    Inline,
    Absent,
    Unknown,
}

impl Kind {
    /// The kind a `t` attribute names (absent: a number, or text that is not one).
    fn of(t: Attr<'_>) -> Kind {
        match t {
            None => Kind::Absent,
            Some(b"n") => Kind::Number,
            Some(b"s") => Kind::Shared,
            Some(b"b") => Kind::Bool,
            Some(b"e") => Kind::Error,
            Some(b"str") => Kind::Str,
            Some(b"d") => Kind::Date,
            Some(b"inlineStr" | b"is") => Kind::Inline,
            Some(_) => Kind::Unknown,
        }
    }
}

/// The cells of one sheet, in file order.
pub struct Cells<'b> {
    pub(super) xml: Stream<'b>,
    pub(super) shared: &'b Shared,
    pub(super) row: u32,
    pub(super) col: u32,
    pub(super) text: String,
    /// `<sheetData/>`: no cells at all.
    pub(super) done: bool,
    /// Rows the sheet's `<dimension>` declares, bounded by the size of its XML.
    pub(super) rows_hint: usize,
}

impl<'b> Cells<'b> {
    /// Skips to `<sheetData>`.
    pub(super) fn seek_sheet_data(&mut self) -> Result<(), String> {
        let mut root = None;
        loop {
            let span = self.xml.next()?;
            match span.kind {
                Tok::Start if span.local(&self.xml.buf) == b"sheetData" => {
                    self.done = span.empty;
                    return Ok(());
                }
                Tok::Start if span.local(&self.xml.buf) == b"dimension" => {
                    let declared = attr(span.attrs(&self.xml.buf), b"ref").and_then(|r| {
                        let (first, last) = r.split_at(memchr::memchr(b':', r)?);
                        Some(row_of(&last[1..]).ok()?.saturating_sub(row_of(first).ok()?) as usize + 1)
                    });
                    self.rows_hint = declared.unwrap_or(0);
                }
                Tok::Start => {
                    root.get_or_insert_with(|| String::from_utf8_lossy(span.local(&self.xml.buf)).into_owned());
                }
                Tok::Eof => {
                    return Err(match root {
                        Some(r) if r != "worksheet" => format!("不是工作表（是 {r}）"),
                        _ => "XML 意外结束：没有 sheetData".to_string(),
                    });
                }
                _ => {}
            }
        }
    }

    /// The sheet's merged blocks (`<mergeCells>`, after the rows): the rest of the sheet is read.
    pub fn merges(&mut self) -> Result<Vec<crate::load::merges::Block>, String> {
        while self.next_cell()?.is_some() {}
        let mut blocks = Vec::new();
        loop {
            let span = self.xml.next()?;
            let buf = &self.xml.buf;
            match span.kind {
                Tok::Start if span.local(buf) == b"mergeCell" => {
                    if let Some(block) = attr(span.attrs(buf), b"ref")
                        .and_then(|r| std::str::from_utf8(r).ok())
                        .and_then(crate::load::merges::block)
                    {
                        blocks.push(block);
                    }
                }
                Tok::Eof => return Ok(blocks),
                _ => {}
            }
        }
    }

    /// How many rows the sheet is expected to hold (0: unknown), for reserving room.
    pub fn rows_hint(&self) -> usize {
        self.rows_hint
    }

    /// The next cell: (row, column, value), 0-based; `None` after the last.
    pub fn next_cell(&mut self) -> Result<Option<(u32, u32, Cell)>, String> {
        if self.done {
            return Ok(None);
        }
        loop {
            if let Some(cell) = self.quick_cell()? {
                return Ok(Some(cell));
            }
            let span = self.xml.next()?;
            let buf = &self.xml.buf;
            match span.kind {
                Tok::Start if span.local(buf) == b"row" => {
                    if let Some(r) = attr(span.attrs(buf), b"r") {
                        self.row = row_of(r)?;
                    }
                    if span.empty {
                        self.row = self.row.wrapping_add(1);
                        self.col = 0;
                    }
                }
                Tok::End if span.local(buf) == b"row" => {
                    self.row = self.row.wrapping_add(1);
                    self.col = 0;
                }
                Tok::Start if span.local(buf) == b"c" => {
                    let attrs = span.attrs(buf);
                    let pos = match attr(attrs, b"r") {
                        Some(r) => {
                            let (row, col) = cell_of(r)?;
                            self.col = col;
                            (row, col)
                        }
                        None => (self.row, self.col),
                    };
                    let style = attr(attrs, b"s").map(|s| digits(s).unwrap_or(0));
                    let kind = Kind::of(attr(attrs, b"t"));
                    let mut value = Cell::Empty;
                    if !span.empty {
                        loop {
                            let child = self.xml.next()?;
                            let buf = &self.xml.buf;
                            match child.kind {
                                Tok::End if child.local(buf) == b"c" => break,
                                Tok::Start => {
                                    let name = child.local(buf).to_vec();
                                    value = self.value(&name, child, kind, style).map_err(|e| located(pos, &e))?;
                                }
                                Tok::Eof => return Err("XML 意外结束：单元格没有结束".to_string()),
                                _ => {}
                            }
                        }
                    }
                    self.col = pos.1.wrapping_add(1);
                    return Ok(Some((pos.0, pos.1, value)));
                }
                Tok::End if span.local(buf) == b"sheetData" => {
                    self.done = true;
                    return Ok(None);
                }
                Tok::Eof => return Err("XML 意外结束：没有 sheetData 的结束标记".to_string()),
                _ => {}
            }
        }
    }

    /// The common cell shapes — `<c r="B3" s="1" t="s"><v>12</v></c>` and `<c r="B3" s="1"/>`,
    /// wholly in the buffer — read in one pass over their bytes; `None` for anything else, which
    /// the tokenizer then reads.
    fn quick_cell(&mut self) -> Result<Option<(u32, u32, Cell)>, String> {
        let b = &self.xml.buf[self.xml.pos..];
        if b.len() < 4 || b[0] != b'<' || b[1] != b'c' || !(b[2] == b' ' || b[2] == b'>' || b[2] == b'/') {
            return Ok(None);
        }
        let (mut r, mut st, mut t): (Attr<'_>, Attr<'_>, Attr<'_>) = (None, None, None);
        let mut i = 2;
        let empty = loop {
            while i < b.len() && b[i] == b' ' {
                i += 1;
            }
            match b.get(i..i + 2) {
                None => return Ok(None),
                Some([b'/', b'>']) => {
                    i += 2;
                    break true;
                }
                Some([b'>', _]) => {
                    i += 1;
                    break false;
                }
                _ => {}
            }
            let Some(eq) = b[i..].iter().take(32).position(|c| *c == b'=') else { return Ok(None) };
            let name = &b[i..i + eq];
            if b.get(i + eq + 1) != Some(&b'"') {
                return Ok(None);
            }
            let from = i + eq + 2;
            let Some(len) = b[from..].iter().take(64).position(|c| *c == b'"') else { return Ok(None) };
            let value = &b[from..from + len];
            match name {
                b"r" => r = Some(value),
                b"s" => st = Some(value),
                b"t" => t = Some(value),
                _ if name.iter().all(|c| c.is_ascii_alphanumeric() || *c == b':') => {}
                _ => return Ok(None),
            }
            i = from + len + 1;
        };
        let kind = Kind::of(t);
        if matches!(kind, Kind::Date | Kind::Inline | Kind::Unknown) {
            return Ok(None);
        }
        let text = if empty {
            None
        } else {
            if !b[i..].starts_with(b"<v>") {
                return Ok(None);
            }
            let from = i + 3;
            let Some(len) = memchr::memchr(b'<', &b[from..]) else { return Ok(None) };
            let raw = &b[from..from + len];
            if !b[from + len..].starts_with(b"</v></c>") || raw.contains(&b'&') || raw.contains(&b'\r') {
                return Ok(None);
            }
            i = from + len + 8;
            Some(raw)
        };
        let pos = match r {
            Some(r) => cell_of(r)?,
            None => (self.row, self.col),
        };
        let style = st.map(|s| digits(s).unwrap_or(0));
        let value = match text {
            None => Ok(Cell::Empty),
            Some(b"") if kind != Kind::Str => Ok(Cell::Empty),
            // The two commonest, read from the bytes: a shared string, a number.
            Some(raw) if kind == Kind::Shared && digits(raw).is_some() => self.shared_string(digits(raw).unwrap_or(0)),
            Some(raw) if matches!(kind, Kind::Number | Kind::Absent) => match fast_float2::parse::<f64, _>(raw) {
                Ok(x) => Ok(number(x, style_format(self.shared, style), self.shared.date1904)),
                Err(_) => utf8(raw).and_then(|v| self.read_v(v, kind, style)),
            },
            Some(raw) => utf8(raw).and_then(|v| self.read_v(v, kind, style)),
        }
        .map_err(|e| located(pos, &e))?;
        self.col = pos.1.wrapping_add(1);
        self.xml.pos += i;
        Ok(Some((pos.0, pos.1, value)))
    }

    /// The value of a cell's child element `<v>`, `<is>` or `<f>` (already opened).
    fn value(&mut self, name: &[u8], open: Span, kind: Kind, style: Option<usize>) -> Result<Cell, String> {
        let full = open.name(&self.xml.buf).to_vec();
        match name {
            b"is" => {
                if open.empty {
                    return Ok(Cell::Text(Arc::from("")));
                }
                let mut rich = Rich::default();
                loop {
                    let span = self.xml.next()?;
                    if span.kind == Tok::Eof {
                        return Err("XML 意外结束：<is> 没有结束".to_string());
                    }
                    if let Some(token) = token_at(&span, &self.xml.buf)
                        && rich.feed(token, &full)?
                    {
                        return Ok(Cell::Text(rich.out.into()));
                    }
                }
            }
            b"f" => {
                if !open.empty {
                    self.skip_to_end(&full)?;
                }
                Ok(Cell::Empty)
            }
            b"v" if kind == Kind::Inline => {
                if !open.empty {
                    self.skip_to_end(&full)?;
                }
                Ok(Cell::Empty)
            }
            b"v" if matches!(kind, Kind::Number | Kind::Shared | Kind::Bool | Kind::Error | Kind::Absent) => {
                if open.empty {
                    return Ok(Cell::Empty);
                }
                let first = self.xml.next()?;
                let buf = &self.xml.buf;
                let value = match first.kind {
                    Tok::End if first.name(buf) == full.as_slice() => return Ok(Cell::Empty),
                    Tok::Eof => return Err("XML 意外结束：<v> 没有结束".to_string()),
                    Tok::Text => {
                        let raw = &buf[first.start..first.end];
                        let raw = raw.split(|b| *b == b'&').next().unwrap_or_default();
                        if raw.is_empty() {
                            Cell::Empty
                        } else {
                            let v = utf8(raw)?.to_string();
                            self.read_v(&v, kind, style)?
                        }
                    }
                    _ => Cell::Empty,
                };
                if !(first.kind == Tok::End && first.name(&self.xml.buf) == full.as_slice()) {
                    self.skip_to_end(&full)?;
                }
                Ok(value)
            }
            b"v" => {
                let mut v = std::mem::take(&mut self.text);
                v.clear();
                if !open.empty {
                    loop {
                        let t = self.xml.next()?;
                        let buf = &self.xml.buf;
                        match t.kind {
                            Tok::Text => decode(&buf[t.start..t.end], &mut v)?,
                            Tok::End if t.name(buf) == full.as_slice() => break,
                            Tok::Eof => return Err("XML 意外结束：<v> 没有结束".to_string()),
                            _ => {}
                        }
                    }
                }
                let value = self.read_v(&v, kind, style);
                self.text = v;
                value
            }
            other => Err(format!("单元格中有意外的元素 <{}>", String::from_utf8_lossy(other))),
        }
    }

    /// Skips to the end tag `full`, across anything nested in it.
    fn skip_to_end(&mut self, full: &[u8]) -> Result<(), String> {
        let mut depth = 0usize;
        loop {
            let t = self.xml.next()?;
            let buf = &self.xml.buf;
            match t.kind {
                Tok::Start if !t.empty && t.name(buf) == full => depth += 1,
                Tok::End if t.name(buf) == full => {
                    if depth == 0 {
                        return Ok(());
                    }
                    depth -= 1;
                }
                Tok::Eof => return Err("XML 意外结束".to_string()),
                _ => {}
            }
        }
    }

    /// Shared string `i`, by its index (the table is [`Cells::strings`]).
    fn shared_string(&self, i: usize) -> Result<Cell, String> {
        match u32::try_from(i) {
            Ok(at) if i < self.shared.strings.len() => Ok(Cell::Shared(at)),
            _ => Err(format!("共享字符串 {i} 不存在（工作簿已损坏）")),
        }
    }

    /// The workbook's shared strings, which [`Cell::Shared`] cells index.
    pub fn strings(&self) -> &'b [Arc<str>] {
        &self.shared.strings
    }

    /// A `<v>`'s text as the cell's type and style say.
    fn read_v(&self, v: &str, kind: Kind, style: Option<usize>) -> Result<Cell, String> {
        let format = style_format(self.shared, style);
        match kind {
            Kind::Shared => {
                if v.is_empty() {
                    return Ok(Cell::Empty);
                }
                self.shared_string(digits(v.as_bytes()).unwrap_or(0))
            }
            Kind::Bool => {
                let b = v.trim();
                if b.is_empty() {
                    Ok(Cell::Empty)
                } else if b == "0" || b.eq_ignore_ascii_case("false") {
                    Ok(Cell::Bool(false))
                } else if b == "1" || b.eq_ignore_ascii_case("true") {
                    Ok(Cell::Bool(true))
                } else {
                    Err(format!("「{v}」不是逻辑值"))
                }
            }
            Kind::Date => Ok(Cell::Text(v.into())),
            Kind::Error => match v {
                "#DIV/0!" | "#N/A" | "#NAME?" | "#NULL!" | "#NUM!" | "#REF!" | "#VALUE!" => {
                    Ok(Cell::Error(v.to_string()))
                }
                _ => Err(format!("「{v}」不是 Excel 的错误值")),
            },
            Kind::Str => {
                let mut out = String::with_capacity(v.len());
                unescape_excel(v, &mut out);
                Ok(Cell::Text(out.into()))
            }
            Kind::Number | Kind::Absent => {
                if v.is_empty() {
                    return Ok(Cell::Empty);
                }
                match fast_float2::parse::<f64, _>(v.as_bytes()) {
                    Ok(x) => Ok(number(x, format, self.shared.date1904)),
                    Err(_) if kind == Kind::Absent => Ok(Cell::Text(v.into())),
                    Err(_) => Err(format!("「{v}」不是数字")),
                }
            }
            Kind::Inline => Ok(Cell::Empty),
            Kind::Unknown => Err("单元格类型（t 属性）无法识别".to_string()),
        }
    }
}

/// The number format of a cell's style (`None`: the style does not exist).
fn style_format(shared: &Shared, style: Option<usize>) -> Option<Format> {
    match style {
        Some(id) => shared.formats.get(id).copied(),
        None => Some(Format::Other),
    }
}

/// A cell's problem with its address: `单元格 B3：…`.
fn located((row, col): (u32, u32), problem: &str) -> String {
    format!("单元格 {}{}：{problem}", crate::load::workbook::column_letter(col as usize), u64::from(row) + 1)
}

/// A plain non-negative decimal number (style indexes, shared-string indexes).
fn digits(s: &[u8]) -> Option<usize> {
    if s.is_empty() {
        return None;
    }
    let mut n: usize = 0;
    for b in s {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n.checked_mul(10)?.checked_add((b - b'0') as usize)?;
    }
    Some(n)
}

/// A cell reference's (row, column), 0-based: `B3` → (2, 1).
fn cell_of(r: &[u8]) -> Result<(u32, u32), String> {
    let (row, col) = reference(r)?;
    Ok((row, col.ok_or_else(|| format!("单元格地址「{}」缺少列", String::from_utf8_lossy(r)))?))
}

/// A row reference's 0-based row (letters, if any, are ignored).
fn row_of(r: &[u8]) -> Result<u32, String> {
    reference(r).map(|(row, _)| row)
}

fn reference(r: &[u8]) -> Result<(u32, Option<u32>), String> {
    let bad = || format!("单元格地址「{}」无法识别", String::from_utf8_lossy(r));
    let mut col: u32 = 0;
    let mut row: u32 = 0;
    let mut i = 0;
    while i < r.len() && r[i].is_ascii_alphabetic() {
        col = col.wrapping_mul(26).wrapping_add((r[i].to_ascii_uppercase() - b'A') as u32 + 1);
        i += 1;
    }
    if i == r.len() {
        return Err(bad());
    }
    while i < r.len() {
        if !r[i].is_ascii_digit() {
            return Err(bad());
        }
        row = row.wrapping_mul(10).wrapping_add((r[i] - b'0') as u32);
        i += 1;
    }
    Ok((row.wrapping_sub(1), col.checked_sub(1)))
}
