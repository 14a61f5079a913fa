//! A small byte-level XML tokenizer that knows nothing of spreadsheets: a token is found by its
//! bytes (`<`, `>`, quotes, the comment, CDATA and processing-instruction markers), names and
//! attributes are handed over as raw byte slices, and text is decoded only when asked
//! ([`decode`]). Nesting is not checked; the reader above follows the elements it expects.
//!
//! Input: XML bytes, held whole ([`Tags`]) or streamed in chunks ([`Stream`]). Output: tokens —
//! start tags (name, raw attributes, whether empty), end tags, text, CDATA; comments, processing
//! instructions and document type declarations are [`Tok::Other`] (and skipped by [`Tags`]).
//! Failure: a Chinese sentence for a token the input ends inside, a tag without a name, bytes that
//! are not UTF-8 or a reference that resolves to no character; a token split by the end of a chunk
//! is no failure — [`scan`] answers `None` and the stream reads on.

use std::io::Read;

/// How many bytes a [`Stream`] reads at a time.
pub(super) const CHUNK: usize = 256 << 10;

/// Tests read in tiny chunks, so that every token is split somewhere.
#[cfg(test)]
pub(super) static TEST_CHUNK: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

pub(super) fn chunk() -> usize {
    #[cfg(test)]
    {
        let n = TEST_CHUNK.load(std::sync::atomic::Ordering::Relaxed);
        if n > 0 {
            return n;
        }
    }
    CHUNK
}

/// An XML part streamed from its source, read `chunk` bytes at a time; `buf[pos..]` is not yet
/// consumed.
pub(super) struct Stream<'z> {
    pub(super) src: Box<dyn Read + 'z>,
    pub(super) buf: Vec<u8>,
    pub(super) pos: usize,
    pub(super) eof: bool,
    pub(super) chunk: usize,
}

impl Stream<'_> {
    /// The next token, as offsets into `buf` (valid until the next call).
    pub(super) fn next(&mut self) -> Result<Span, String> {
        loop {
            match scan(&self.buf[self.pos..], self.eof)? {
                Some(mut span) => {
                    span.shift(self.pos);
                    self.pos = span.end;
                    return Ok(span);
                }
                None => self.refill()?,
            }
        }
    }

    fn refill(&mut self) -> Result<(), String> {
        self.buf.drain(..self.pos);
        self.pos = 0;
        let len = self.buf.len();
        let want = self.chunk.max(len);
        self.buf.resize(len + want, 0);
        let mut filled = len;
        while filled < len + want {
            match self.src.read(&mut self.buf[filled..]) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(format!("工作簿已损坏或不完整，无法读取（{e}）")),
            }
        }
        self.buf.truncate(filled);
        Ok(())
    }
}

/// An attribute's raw value, if the tag has it.
pub(super) type Attr<'a> = Option<&'a [u8]>;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Tok {
    /// A start tag (`empty` when it closes itself).
    Start,
    End,
    Text,
    CData,
    /// A comment, processing instruction or document type declaration.
    Other,
    Eof,
}

/// A token as byte offsets: the whole token is `[start, end)`; for tags the name is
/// `[name.0, name.1)` and the attributes `[attrs.0, attrs.1)`; for text and CDATA the content is
/// `[start, end)` (CDATA: inside the markers, in `name`).
#[derive(Debug, Clone, Copy)]
pub(super) struct Span {
    pub(super) kind: Tok,
    pub(super) start: usize,
    pub(super) end: usize,
    name: (usize, usize),
    attrs: (usize, usize),
    pub(super) empty: bool,
}

impl Span {
    fn shift(&mut self, by: usize) {
        self.start += by;
        self.end += by;
        self.name = (self.name.0 + by, self.name.1 + by);
        self.attrs = (self.attrs.0 + by, self.attrs.1 + by);
    }

    pub(super) fn name<'a>(&self, buf: &'a [u8]) -> &'a [u8] {
        &buf[self.name.0..self.name.1]
    }

    pub(super) fn local<'a>(&self, buf: &'a [u8]) -> &'a [u8] {
        local(self.name(buf))
    }

    pub(super) fn attrs<'a>(&self, buf: &'a [u8]) -> &'a [u8] {
        &buf[self.attrs.0..self.attrs.1]
    }
}

/// The token at the start of `buf`; `None` when `buf` ends inside it and more is to come.
pub(super) fn scan(buf: &[u8], eof: bool) -> Result<Option<Span>, String> {
    let span = |kind, start, end| Span { kind, start, end, name: (0, 0), attrs: (0, 0), empty: false };
    if buf.is_empty() {
        return Ok(if eof { Some(span(Tok::Eof, 0, 0)) } else { None });
    }
    if buf[0] != b'<' {
        return Ok(match memchr::memchr(b'<', buf) {
            Some(i) => Some(span(Tok::Text, 0, i)),
            None if eof => Some(span(Tok::Text, 0, buf.len())),
            None => None,
        });
    }
    let until = |from: usize, pat: &[u8]| memchr::memmem::find(&buf[from..], pat).map(|i| from + i + pat.len());
    let need = |found: Option<usize>, what: &str| -> Result<Option<usize>, String> {
        match found {
            Some(end) => Ok(Some(end)),
            None if eof => Err(format!("XML 意外结束：{what} 没有结束")),
            None => Ok(None),
        }
    };
    if buf.len() < 9 && !eof && (b"<!--".starts_with(buf) || b"<![CDATA[".starts_with(buf) || buf.len() < 2) {
        return Ok(None);
    }
    if buf.starts_with(b"<!--") {
        return Ok(need(until(4, b"-->"), "注释")?.map(|end| span(Tok::Other, 0, end)));
    }
    if buf.starts_with(b"<![CDATA[") {
        return Ok(need(until(9, b"]]>"), "CDATA")?.map(|end| Span { name: (9, end - 3), ..span(Tok::CData, 0, end) }));
    }
    if buf.starts_with(b"<?") {
        return Ok(need(until(2, b"?>"), "处理指令")?.map(|end| span(Tok::Other, 0, end)));
    }
    if buf.starts_with(b"<!") {
        // A document type declaration, possibly with an internal subset in brackets.
        let gt = memchr::memchr(b'>', buf);
        let open = memchr::memchr(b'[', buf);
        let end = match (open, gt) {
            (Some(o), Some(g)) if o < g => until(o, b"]>"),
            (_, Some(g)) => Some(g + 1),
            _ => None,
        };
        return Ok(need(end, "文档类型声明")?.map(|end| span(Tok::Other, 0, end)));
    }
    // A tag: find its closing `>` outside quoted attribute values.
    let mut i = 1;
    let mut quote = 0u8;
    let close = loop {
        let found =
            if quote == 0 { memchr::memchr3(b'>', b'"', b'\'', &buf[i..]) } else { memchr::memchr(quote, &buf[i..]) };
        match found {
            None => break None,
            Some(off) => {
                let at = i + off;
                let b = buf[at];
                if quote != 0 {
                    quote = 0;
                } else if b == b'>' {
                    break Some(at);
                } else {
                    quote = b;
                }
                i = at + 1;
            }
        }
    };
    let Some(close) = need(close.map(|c| c + 1), "标签")? else { return Ok(None) };
    let gt = close - 1;
    let end_tag = buf.get(1) == Some(&b'/');
    let name_start = if end_tag { 2 } else { 1 };
    let name_end =
        buf[name_start..gt].iter().position(|b| b.is_ascii_whitespace() || *b == b'/').map_or(gt, |p| name_start + p);
    if name_end == name_start {
        return Err("XML 中有没有名字的标签".to_string());
    }
    let empty = !end_tag && gt > name_start && buf[gt - 1] == b'/';
    let attrs_end = if empty { gt - 1 } else { gt };
    Ok(Some(Span {
        kind: if end_tag { Tok::End } else { Tok::Start },
        start: 0,
        end: close,
        name: (name_start, name_end),
        attrs: (name_end.min(attrs_end), attrs_end),
        empty,
    }))
}

pub(super) fn local(name: &[u8]) -> &[u8] {
    match memchr::memrchr(b':', name) {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

/// The attributes of a tag as (name, raw value) pairs; stops at anything malformed.
pub(super) fn attrs(mut s: &[u8]) -> impl Iterator<Item = (&[u8], &[u8])> {
    std::iter::from_fn(move || {
        let trim = |s: &[u8]| -> usize { s.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(s.len()) };
        s = &s[trim(s)..];
        let eq = memchr::memchr(b'=', s)?;
        let name = s[..eq].trim_ascii_end();
        let rest = &s[eq + 1..];
        let rest = &rest[trim(rest)..];
        let quote = *rest.first().filter(|q| **q == b'"' || **q == b'\'')?;
        let len = memchr::memchr(quote, &rest[1..])?;
        let value = &rest[1..1 + len];
        s = &rest[len + 2..];
        Some((name, value))
    })
}

/// The raw value of attribute `key` (matched by its full name).
pub(super) fn attr<'a>(s: &'a [u8], key: &[u8]) -> Option<&'a [u8]> {
    attrs(s).find(|(k, _)| *k == key).map(|(_, v)| v)
}

/// A tag of a whole small part.
pub(super) struct Tag<'a> {
    pub(super) name: &'a [u8],
    pub(super) attrs: &'a [u8],
    pub(super) empty: bool,
}

impl Tag<'_> {
    pub(super) fn local(&self) -> &[u8] {
        local(self.name)
    }
}

/// A token of a whole small part.
pub(super) enum Token<'a> {
    Start(Tag<'a>),
    End(&'a [u8]),
    Text(&'a [u8]),
    CData(&'a [u8]),
}

/// The tokens of a part held whole in memory.
pub(super) struct Tags<'a> {
    pub(super) xml: &'a [u8],
    pub(super) pos: usize,
}

impl<'a> Tags<'a> {
    /// Only its start tags.
    pub(super) fn starts(xml: &'a [u8]) -> impl Iterator<Item = Result<Tag<'a>, String>> {
        Tags { xml, pos: 0 }.filter_map(|t| match t {
            Ok(Token::Start(tag)) => Some(Ok(tag)),
            Ok(_) => None,
            Err(e) => Some(Err(e)),
        })
    }

    /// All its tokens.
    pub(super) fn all(xml: &'a [u8]) -> Tags<'a> {
        Tags { xml, pos: 0 }
    }
}

impl<'a> Iterator for Tags<'a> {
    type Item = Result<Token<'a>, String>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let mut span = match scan(&self.xml[self.pos..], true) {
                Ok(Some(s)) => s,
                Ok(None) => return None,
                Err(e) => return Some(Err(e)),
            };
            span.shift(self.pos);
            self.pos = span.end;
            if span.kind == Tok::Eof {
                return None;
            }
            if let Some(token) = token_at(&span, self.xml) {
                return Some(Ok(token));
            }
        }
    }
}

/// The token a span marks in `buf`; `None` for comments and the like (and the end).
pub(super) fn token_at<'a>(span: &Span, buf: &'a [u8]) -> Option<Token<'a>> {
    Some(match span.kind {
        Tok::Start => Token::Start(Tag { name: span.name(buf), attrs: span.attrs(buf), empty: span.empty }),
        Tok::End => Token::End(span.name(buf)),
        Tok::Text => Token::Text(&buf[span.start..span.end]),
        Tok::CData => Token::CData(span.name(buf)),
        Tok::Other | Tok::Eof => return None,
    })
}

pub(super) fn utf8(raw: &[u8]) -> Result<&str, String> {
    std::str::from_utf8(raw).map_err(|_| "XML 中有不是 UTF-8 的字节（工作簿已损坏）".to_string())
}

/// Text content with XML's line ends normalised (`\r\n` and `\r` become `\n`) and its
/// character and entity references resolved, appended to `out`.
pub(super) fn decode(raw: &[u8], out: &mut String) -> Result<(), String> {
    let text = utf8(raw)?;
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        push_normalized(&rest[..i], out);
        let end = rest[i..].find(';').ok_or("XML 中的 & 没有以 ; 结束")? + i;
        let entity = &rest[i + 1..end];
        match entity {
            "lt" => out.push('<'),
            "gt" => out.push('>'),
            "amp" => out.push('&'),
            "quot" => out.push('"'),
            "apos" => out.push('\''),
            _ => {
                let code = if let Some(hex) = entity.strip_prefix("#x") {
                    u32::from_str_radix(hex, 16).ok()
                } else if let Some(dec) = entity.strip_prefix('#') {
                    dec.parse::<u32>().ok()
                } else {
                    None
                };
                match code.and_then(char::from_u32).filter(|c| *c != '\0') {
                    Some(c) => out.push(c),
                    None => return Err(format!("XML 中无法识别的字符引用「&{entity};」")),
                }
            }
        }
        rest = &rest[end + 1..];
    }
    push_normalized(rest, out);
    Ok(())
}

pub(super) fn push_normalized(text: &str, out: &mut String) {
    if !text.contains('\r') {
        out.push_str(text);
        return;
    }
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            out.push('\n');
        } else {
            out.push(c);
        }
    }
}

/// An attribute value as text (references resolved).
pub(super) fn text_of(raw: &[u8]) -> Result<String, String> {
    let mut out = String::new();
    decode(raw, &mut out)?;
    Ok(out)
}
