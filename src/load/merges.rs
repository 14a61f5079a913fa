//! Merged cells of every sheet of an xlsx workbook, found by scanning the sheet XML for
//! `<mergeCell ref="A5:A9"/>` instead of parsing it a second time.
//!
//! Input: the workbook file. Output: per sheet name, its merged blocks as 0-based inclusive
//! ((first row, first column), (last row, last column)). Failure: `None` when the workbook's
//! structure cannot be followed; callers then fall back to calamine's own (slower) reader.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

/// A merged block: ((first row, first col), (last row, last col)), 0-based, inclusive.
pub type Block = ((usize, usize), (usize, usize));

/// The merged blocks of each sheet of the xlsx file at `path`.
pub fn xlsx(path: &Path) -> Option<HashMap<String, Vec<Block>>> {
    let file = std::fs::File::open(path).ok()?;
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file)).ok()?;
    let workbook = read_entry(&mut zip, "xl/workbook.xml")?;
    let rels = read_entry(&mut zip, "xl/_rels/workbook.xml.rels")?;
    let targets: HashMap<String, String> =
        elements(&rels, b"<Relationship ").filter_map(|e| Some((attr(e, "Id")?, attr(e, "Target")?))).collect();
    let mut out = HashMap::new();
    for sheet in elements(&workbook, b"<sheet ") {
        let name = unescape(&attr(sheet, "name")?);
        let target = targets.get(&attr(sheet, "r:id")?)?;
        let entry = match target.strip_prefix('/') {
            Some(abs) => abs.to_string(),
            None => format!("xl/{target}"),
        };
        out.insert(name, scan_merges(&mut zip, &entry)?);
    }
    Some(out)
}

/// The whole of a (small or large) zip entry; xlsx parts are limited to 1 GiB uncompressed.
fn read_entry<R: std::io::Read + std::io::Seek>(zip: &mut zip::ZipArchive<R>, name: &str) -> Option<Vec<u8>> {
    let mut entry = zip.by_name(name).ok()?;
    let mut bytes = Vec::new();
    entry.by_ref().take(1 << 30).read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

/// Streams a sheet's XML in chunks (a sheet can be hundreds of megabytes) collecting its
/// `<mergeCell ref=…>` elements.
fn scan_merges<R: std::io::Read + std::io::Seek>(zip: &mut zip::ZipArchive<R>, name: &str) -> Option<Vec<Block>> {
    let entry = zip.by_name(name).ok()?;
    scan(entry, 1 << 20)
}

/// Finds every `<mergeCell ref=…>` in `xml`, reading it `chunk` bytes at a time.
fn scan(mut xml: impl Read, chunk: usize) -> Option<Vec<Block>> {
    const TAG: &[u8] = b"<mergeCell ";
    let finder = memchr::memmem::Finder::new(TAG);
    let mut blocks = Vec::new();
    let mut buf: Vec<u8> = Vec::with_capacity(chunk * 2);
    let mut piece = vec![0u8; chunk.max(1)];
    loop {
        let n = xml.read(&mut piece).ok()?;
        buf.extend_from_slice(&piece[..n]);
        let mut from = 0;
        let mut unfinished = None;
        while let Some(at) = finder.find(&buf[from..]).map(|i| i + from) {
            match memchr::memchr(b'>', &buf[at..]) {
                Some(end) => {
                    if let Some(b) = attr(&buf[at..at + end], "ref").and_then(|r| block(&r)) {
                        blocks.push(b);
                    }
                    from = at + end;
                }
                None => {
                    unfinished = Some(at);
                    break;
                }
            }
        }
        if n == 0 {
            return Some(blocks);
        }
        // Keep an element cut by the chunk's end, or enough bytes for a tag cut in two.
        let keep = unfinished.unwrap_or_else(|| buf.len().saturating_sub(TAG.len() - 1).max(from));
        buf.drain(..keep);
    }
}

/// The raw start tags beginning with `tag` (e.g. `<sheet `), each up to its `>`.
fn elements<'a>(xml: &'a [u8], tag: &'a [u8]) -> impl Iterator<Item = &'a [u8]> + 'a {
    memchr::memmem::find_iter(xml, tag).filter_map(move |start| {
        let rest = &xml[start..];
        let end = memchr::memchr(b'>', rest)?;
        Some(&rest[..end])
    })
}

/// The value of attribute `name` in a raw start tag.
fn attr(element: &[u8], name: &str) -> Option<String> {
    let pattern = format!(" {name}=\"");
    let at = memchr::memmem::find(element, pattern.as_bytes())? + pattern.len();
    let len = memchr::memchr(b'"', &element[at..])?;
    String::from_utf8(element[at..at + len].to_vec()).ok()
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

/// `A5:C9` → ((4, 0), (8, 2)).
pub(super) fn block(reference: &str) -> Option<Block> {
    let (a, b) = reference.split_once(':')?;
    Some((cell(a)?, cell(b)?))
}

/// `AB12` → (11, 27).
fn cell(reference: &str) -> Option<(usize, usize)> {
    let letters = reference.bytes().take_while(u8::is_ascii_alphabetic).count();
    let (col, row) = reference.split_at(letters);
    let col = col.bytes().try_fold(0usize, |acc, b| {
        acc.checked_mul(26)?.checked_add(usize::from(b.to_ascii_uppercase().checked_sub(b'A')?) + 1)
    })?;
    let row: usize = row.parse().ok()?;
    Some((row.checked_sub(1)?, col.checked_sub(1)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_are_found_across_chunk_boundaries() {
        let mut xml = String::from("<sheetData>");
        for r in 1..200 {
            xml.push_str(&format!("<row r=\"{r}\"><c r=\"A{r}\"><v>1</v></c></row>"));
        }
        xml.push_str("</sheetData><mergeCells count=\"3\"><mergeCell ref=\"A1:K1\"/><mergeCell ref=\"A5:A9\"/>");
        xml.push_str("<mergeCell ref=\"B20:C21\"/></mergeCells>");
        for chunk in [1, 3, 7, 11, 64, 1 << 20] {
            let found = scan(xml.as_bytes(), chunk).unwrap();
            assert_eq!(found, vec![((0, 0), (0, 10)), ((4, 0), (8, 0)), ((19, 1), (20, 2))], "chunk {chunk}");
        }
    }

    #[test]
    fn references() {
        assert_eq!(block("A5:C9"), Some(((4, 0), (8, 2))));
        assert_eq!(block("AB12:AB12"), Some(((11, 27), (11, 27))));
        assert_eq!(block("A0:B1"), None);
        assert_eq!(block("nonsense"), None);
    }
}
