//! Reading back the PDFs kefu writes, from Rust: text through the fonts' ToUnicode maps, and
//! whether every font is embedded. lopdf parses the file; its own text extraction cannot read
//! typst's CMaps, so the small CMap reader here does that part.

use std::collections::HashMap;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};

/// A parsed PDF.
pub struct Pdf {
    doc: Document,
}

impl Pdf {
    pub fn parse(bytes: &[u8]) -> Pdf {
        Pdf { doc: Document::load_mem(bytes).expect("kefu wrote a PDF lopdf can read") }
    }

    pub fn page_count(&self) -> usize {
        self.doc.get_pages().len()
    }

    /// The text of each page, in content-stream order, without spacing.
    pub fn page_texts(&self) -> Vec<String> {
        self.doc.get_pages().values().map(|&id| self.page_text(id)).collect()
    }

    /// All text of the document.
    pub fn text(&self) -> String {
        self.page_texts().join("\n")
    }

    fn page_text(&self, page: ObjectId) -> String {
        let fonts = self.doc.get_page_fonts(page).expect("page fonts");
        let maps: HashMap<Vec<u8>, HashMap<u32, String>> =
            fonts.iter().map(|(name, font)| (name.clone(), self.to_unicode(font))).collect();
        let content = self.doc.get_page_content(page).expect("page content");
        let mut out = String::new();
        decode_text(&content, &maps, &mut out);
        out
    }

    fn to_unicode(&self, font: &Dictionary) -> HashMap<u32, String> {
        let Ok(obj) = font.get(b"ToUnicode") else { return HashMap::new() };
        let Ok((_, Object::Stream(stream))) = self.doc.dereference(obj) else { return HashMap::new() };
        let data = stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
        parse_cmap(&String::from_utf8_lossy(&data))
    }

    /// `(font name, embedded?)` for every font dictionary in the file.
    pub fn fonts(&self) -> Vec<(String, bool)> {
        let mut out = Vec::new();
        for obj in self.doc.objects.values() {
            let Ok(dict) = obj.as_dict() else { continue };
            if dict.get(b"Type").and_then(Object::as_name).ok() != Some(b"Font") {
                continue;
            }
            let subtype = dict.get(b"Subtype").and_then(Object::as_name).unwrap_or(b"");
            if subtype == b"Type0" {
                continue; // judged through its descendant CIDFont
            }
            let name = dict
                .get(b"BaseFont")
                .and_then(Object::as_name)
                .map(|n| String::from_utf8_lossy(n).into_owned())
                .unwrap_or_default();
            let embedded = dict
                .get(b"FontDescriptor")
                .ok()
                .and_then(|d| self.doc.dereference(d).ok())
                .and_then(|(_, d)| d.as_dict().ok())
                .is_some_and(|d| d.has(b"FontFile") || d.has(b"FontFile2") || d.has(b"FontFile3"));
            out.push((name, embedded || subtype == b"Type3"));
        }
        out
    }

    /// The titles of the top-level bookmarks (outline), in order.
    pub fn outline_titles(&self) -> Vec<String> {
        let mut out = Vec::new();
        let Ok(catalog) = self.doc.catalog() else { return out };
        let Some(mut item) = catalog
            .get(b"Outlines")
            .ok()
            .and_then(|o| self.doc.dereference(o).ok())
            .and_then(|(_, o)| o.as_dict().ok())
            .and_then(|d| d.get(b"First").ok())
            .and_then(|f| self.doc.dereference(f).ok())
            .and_then(|(_, f)| f.as_dict().ok())
        else {
            return out;
        };
        loop {
            if let Ok(Object::String(bytes, _)) = item.get(b"Title") {
                out.push(pdf_string(bytes));
            }
            match item.get(b"Next").ok().and_then(|n| self.doc.dereference(n).ok()).and_then(|(_, n)| n.as_dict().ok())
            {
                Some(next) => item = next,
                None => return out,
            }
        }
    }

    /// The XMP metadata packet of the catalog, if any.
    #[allow(dead_code)]
    pub fn xmp(&self) -> Option<String> {
        let catalog = self.doc.catalog().ok()?;
        let (_, obj) = self.doc.dereference(catalog.get(b"Metadata").ok()?).ok()?;
        let Object::Stream(stream) = obj else { return None };
        let data = stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
        Some(String::from_utf8_lossy(&data).into_owned())
    }

    /// The `/S` of each output intent of the catalog, with whether it embeds an ICC profile.
    #[allow(dead_code)]
    pub fn output_intents(&self) -> Vec<(String, bool)> {
        let mut out = Vec::new();
        let Ok(catalog) = self.doc.catalog() else { return out };
        let Some(list) = catalog
            .get(b"OutputIntents")
            .ok()
            .and_then(|o| self.doc.dereference(o).ok())
            .and_then(|(_, o)| o.as_array().ok().cloned())
        else {
            return out;
        };
        for item in list {
            let Some(dict) = self.doc.dereference(&item).ok().and_then(|(_, o)| o.as_dict().ok()) else { continue };
            let s = dict
                .get(b"S")
                .and_then(Object::as_name)
                .map(|n| String::from_utf8_lossy(n).into_owned())
                .unwrap_or_default();
            let icc = dict.get(b"DestOutputProfile").is_ok();
            out.push((s, icc));
        }
        out
    }

    /// The document information dictionary's `key`, if any (as raw bytes).
    #[allow(dead_code)]
    pub fn info(&self, key: &[u8]) -> Option<Vec<u8>> {
        let info = self.doc.trailer.get(b"Info").ok()?;
        let (_, info) = self.doc.dereference(info).ok()?;
        match info.as_dict().ok()?.get(key).ok()? {
            Object::String(bytes, _) => Some(bytes.clone()),
            _ => None,
        }
    }
}

/// A PDF text string: UTF-16BE with a byte-order mark, or PDFDocEncoding (Latin-1 here).
fn pdf_string(bytes: &[u8]) -> String {
    match bytes.strip_prefix(&[0xFE, 0xFF]) {
        Some(rest) => {
            let units: Vec<u16> = rest.chunks(2).map(|p| u16::from_be_bytes([p[0], *p.get(1).unwrap_or(&0)])).collect();
            String::from_utf16_lossy(&units)
        }
        None => bytes.iter().map(|b| char::from(*b)).collect(),
    }
}

fn decode_text(content: &[u8], maps: &HashMap<Vec<u8>, HashMap<u32, String>>, out: &mut String) {
    let ops = Content::decode(content).expect("decodable content").operations;
    let empty = HashMap::new();
    let mut map = &empty;
    let show = |bytes: &[u8], map: &HashMap<u32, String>, out: &mut String| {
        for pair in bytes.chunks(2) {
            let code = pair.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b));
            if let Some(s) = map.get(&code) {
                out.push_str(s);
            }
        }
    };
    for op in ops {
        match op.operator.as_str() {
            "Tf" => {
                if let Some(Object::Name(name)) = op.operands.first() {
                    map = maps.get(name).unwrap_or(&empty);
                }
            }
            "Tj" | "'" | "\"" => {
                if let Some(Object::String(bytes, _)) = op.operands.last() {
                    show(bytes, map, out);
                }
            }
            "TJ" => {
                if let Some(Object::Array(items)) = op.operands.first() {
                    for item in items {
                        if let Object::String(bytes, _) = item {
                            show(bytes, map, out);
                        }
                    }
                }
            }
            "ET" => out.push(' '),
            _ => {}
        }
    }
}

/// Reads `bfchar` and `bfrange` entries of a ToUnicode CMap.
fn parse_cmap(text: &str) -> HashMap<u32, String> {
    let hex = |s: &str| -> Option<Vec<u8>> {
        let s = s.trim().trim_start_matches('<').trim_end_matches('>');
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
    };
    let code = |s: &str| hex(s).map(|b| b.iter().fold(0u32, |a, x| (a << 8) | u32::from(*x)));
    let utf16 = |b: Vec<u8>| {
        let units: Vec<u16> = b.chunks(2).map(|p| u16::from_be_bytes([p[0], *p.get(1).unwrap_or(&0)])).collect();
        String::from_utf16_lossy(&units)
    };
    let mut map = HashMap::new();
    let mut mode = "";
    for line in text.lines() {
        let line = line.trim();
        if line.ends_with("beginbfchar") {
            mode = "char";
            continue;
        }
        if line.ends_with("beginbfrange") {
            mode = "range";
            continue;
        }
        if line.starts_with("end") {
            mode = "";
            continue;
        }
        let parts: Vec<&str> = line.split_whitespace().collect();
        match (mode, parts.as_slice()) {
            ("char", [src, dst]) => {
                if let (Some(c), Some(d)) = (code(src), hex(dst)) {
                    map.insert(c, utf16(d));
                }
            }
            ("range", [lo, hi, dst]) if dst.starts_with('<') => {
                if let (Some(lo), Some(hi), Some(d)) = (code(lo), code(hi), hex(dst)) {
                    let base = utf16(d);
                    let first = base.chars().next().map(u32::from).unwrap_or(0);
                    for (i, c) in (lo..=hi).enumerate() {
                        if let Some(ch) = char::from_u32(first + i as u32) {
                            map.insert(c, ch.to_string());
                        }
                    }
                }
            }
            _ => {}
        }
    }
    map
}
