//! The fast path for xlsx sheets: cells read straight from the sheet XML with a small
//! byte-level tokenizer instead of calamine's general XML event reader.
//!
//! At 100,000 households the registers unpack to 2.4 GB of sheet XML, and calamine's reader spent
//! over half the load time on it. This reader produces exactly the cells calamine does — same
//! positions, same values, same date handling (styles' number formats, 1904 dates), same shared
//! and inline strings (rich text runs joined, phonetic runs skipped, `_xHHHH_` escapes) — and the
//! tests compare the two on every workbook in the fixtures. Anything outside the plain package
//! layout Excel, WPS and LibreOffice write (parts under other names, chart sheets, a part that
//! does not parse) makes [`Book::open`] return `None`, and calamine reads the file as before, with
//! its own messages.
//!
//! Input: an xlsx file. Output: per sheet, its cells in file order as (row, column, [`Cell`]),
//! 0-based; a shared string is handed over as its index ([`Cell::Shared`]) into the workbook's
//! table ([`Cells::strings`]), which the loader converts once per field. Failure: a Chinese
//! sentence when a sheet's XML is broken.
//!
//! The parts, one file each: [`xml`] is the tokenizer (bytes → tokens, knowing nothing of
//! spreadsheets); this file opens the package (the workbook and its relationships); [`strings`]
//! reads the shared strings and rich text, [`styles`] the number formats that make a number a
//! date, and [`sheet`] a sheet's cells.

mod sheet;
mod strings;
mod styles;
#[cfg(test)]
mod tests;
mod xml;

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;
use std::sync::Arc;

pub use sheet::Cells;
use strings::shared_strings;
use styles::{Format, formats};
use xml::{CHUNK, Stream, Tags, attr, attrs, chunk, local, text_of};

/// An xlsx workbook opened for the fast path.
pub struct Book {
    zip: zip::ZipArchive<BufReader<File>>,
    /// (sheet name, part path), in workbook order.
    sheets: Vec<(String, String)>,
    shared: Shared,
}

/// What every sheet of a workbook refers to.
struct Shared {
    strings: Vec<Arc<str>>,
    formats: Vec<Format>,
    date1904: bool,
}

impl Book {
    /// Opens `path`, or `None` when it is not a plain xlsx package this reader follows.
    pub fn open(path: &Path) -> Option<Book> {
        let file = File::open(path).ok()?;
        let mut zip = zip::ZipArchive::new(BufReader::new(file)).ok()?;
        let rels = read_part(&mut zip, "xl/_rels/workbook.xml.rels")?;
        let workbook = read_part(&mut zip, "xl/workbook.xml")?;
        let mut targets: HashMap<Vec<u8>, (String, Vec<u8>)> = HashMap::new();
        for tag in Tags::starts(&rels) {
            let tag = tag.ok()?;
            if tag.local() == b"Relationship" {
                let id = attr(tag.attrs, b"Id")?.to_vec();
                let target = text_of(attr(tag.attrs, b"Target")?).ok()?;
                let kind = attr(tag.attrs, b"Type")?.rsplit(|b| *b == b'/').next()?.to_vec();
                targets.insert(id, (target, kind));
            }
        }
        let mut sheets = Vec::new();
        let mut date1904 = false;
        for tag in Tags::starts(&workbook) {
            let tag = tag.ok()?;
            match tag.local() {
                b"sheet" => {
                    let name = text_of(attr(tag.attrs, b"name")?).ok()?;
                    let id = attrs(tag.attrs).find(|(k, _)| local(k) == b"id").map(|(_, v)| v)?;
                    let (target, kind) = targets.get(id)?;
                    if kind != b"worksheet" {
                        return None;
                    }
                    let part = match target.strip_prefix('/') {
                        Some(abs) => abs.to_string(),
                        None => format!("xl/{target}"),
                    };
                    zip.index_for_name(&part)?;
                    sheets.push((name, part));
                }
                b"workbookPr" => {
                    if let Some(v) = attr(tag.attrs, b"date1904") {
                        date1904 = v == b"1" || v == b"true";
                    }
                }
                _ => {}
            }
        }
        let strings = match zip.index_for_name("xl/sharedStrings.xml") {
            Some(_) => shared_strings(&read_part(&mut zip, "xl/sharedStrings.xml")?)?,
            None => Vec::new(),
        };
        let formats = match zip.index_for_name("xl/styles.xml") {
            Some(_) => formats(&read_part(&mut zip, "xl/styles.xml")?)?,
            None => Vec::new(),
        };
        Some(Book { zip, sheets, shared: Shared { strings, formats, date1904 } })
    }

    /// The sheet names, in workbook order.
    pub fn names(&self) -> Vec<String> {
        self.sheets.iter().map(|(n, _)| n.clone()).collect()
    }

    /// The cells of sheet `name`, streamed from the file.
    pub fn cells(&mut self, name: &str) -> Result<Cells<'_>, String> {
        let part = self.sheets.iter().find(|(n, _)| n == name).map(|(_, p)| p.clone()).ok_or("没有这张工作表")?;
        let entry = self.zip.by_name(&part).map_err(|e| format!("工作簿已损坏或不完整，无法读取（{e}）"))?;
        // A data row takes at least some 64 bytes of XML, whatever the dimension claims.
        let most = usize::try_from(entry.size() / 64).unwrap_or(usize::MAX);
        let mut cells = Cells {
            xml: Stream {
                src: Box::new(entry),
                buf: Vec::with_capacity(CHUNK * 2),
                pos: 0,
                eof: false,
                chunk: chunk(),
            },
            shared: &self.shared,
            row: 0,
            col: 0,
            text: String::new(),
            done: false,
            rows_hint: 0,
        };
        cells.seek_sheet_data()?;
        cells.rows_hint = cells.rows_hint.min(most);
        Ok(cells)
    }
}

/// A whole (small) part: the workbook, its relationships, styles, shared strings.
fn read_part(zip: &mut zip::ZipArchive<BufReader<File>>, name: &str) -> Option<Vec<u8>> {
    let mut entry = zip.by_name(name).ok()?;
    let mut bytes = Vec::new();
    entry.by_ref().take(1 << 30).read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

/// For the fuzz target: `data` read as a sheet (its first byte sets the read size, so tokens are
/// split anywhere), as a shared-strings part and as a styles part. Any error is an answer; a
/// panic or a hang is the bug.
#[doc(hidden)]
pub fn fuzz_parts(data: &[u8]) {
    let Some((&size, xml)) = data.split_first() else { return };
    let shared = Shared {
        strings: vec![Arc::from("甲"), Arc::from("")],
        formats: vec![Format::Other, Format::DateTime, Format::Duration],
        date1904: size & 0x80 != 0,
    };
    let mut cells = Cells {
        xml: Stream { src: Box::new(xml), buf: Vec::new(), pos: 0, eof: false, chunk: usize::from(size & 0x0F) + 1 },
        shared: &shared,
        row: 0,
        col: 0,
        text: String::new(),
        done: false,
        rows_hint: 0,
    };
    if cells.seek_sheet_data().is_ok() {
        while let Ok(Some(_)) = cells.next_cell() {}
        let _ = cells.merges();
    }
    let _ = shared_strings(xml);
    let _ = formats(xml);
}
