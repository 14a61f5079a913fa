//! Workbooks in: xlsx, xls, xlsb and ods through calamine, as grids of [`Cell`]s.
//!
//! Input: a file path. Output: its sheets, each a grid of cells with merged regions resolved the
//! way staff mean them (every cell of a merged block reads as its top-left value). Failure: a
//! Chinese sentence for files that are not workbooks, are encrypted, truncated or corrupt.
//! Reading never modifies the file.

use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use calamine::{Data, DataRef, Reader, Sheets, open_workbook_auto};

use super::cell::Cell;

/// The top of a worksheet, where the header is looked for; `rows[r][c]` is the cell at 0-based
/// row `r`, column `c`.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    pub rows: Vec<Vec<Cell>>,
}

impl Grid {
    /// The cell at `(row, col)`, `Cell::Empty` outside the grid.
    pub fn get(&self, row: usize, col: usize) -> &Cell {
        static EMPTY: Cell = Cell::Empty;
        self.rows.get(row).and_then(|r| r.get(col)).unwrap_or(&EMPTY)
    }
}

/// The spreadsheet column letters of a 0-based index: 0 → A, 27 → AB.
pub fn column_letter(mut index: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// What the first bytes say the file is.
fn sniff(path: &Path) -> Result<&'static str, String> {
    let mut head = [0u8; 8];
    let mut file = std::fs::File::open(path).map_err(|e| format!("无法打开：{}", crate::error::io_reason(&e)))?;
    let n = file.read(&mut head).map_err(|e| format!("无法读取：{}", crate::error::io_reason(&e)))?;
    Ok(match &head[..n] {
        [0x50, 0x4B, 0x03, 0x04, ..] => "zip",
        [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] => "ole",
        [] => "empty",
        _ => "other",
    })
}

/// Largest a workbook may unpack to, in all: far beyond any register (a 100,000-household fee
/// ledger unpacks to about 200 MB), far below what would exhaust memory.
const MAX_UNPACKED: u64 = 2 << 30;

/// Largest one part may unpack to when it is compressed more than [`MAX_RATIO`] to one.
const MAX_DENSE_PART: u64 = 256 << 20;
const MAX_RATIO: u64 = 200;

/// Refuses a zip package (xlsx, ods) that would unpack to more than [`MAX_UNPACKED`], or holds a
/// large part compressed beyond any real spreadsheet's ratio — a zip bomb — before any of it is
/// decompressed.
fn guard_zip(path: &Path) -> Result<(), String> {
    let file = std::fs::File::open(path).map_err(|e| format!("无法打开：{}", crate::error::io_reason(&e)))?;
    // A package whose directory cannot be read is left to the reader, which says why.
    let Ok(mut zip) = zip::ZipArchive::new(std::io::BufReader::new(file)) else { return Ok(()) };
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let Ok(entry) = zip.by_index_raw(i) else { continue };
        let (size, packed) = (entry.size(), entry.compressed_size().max(1));
        total = total.saturating_add(size);
        if size > MAX_DENSE_PART && size / packed > MAX_RATIO {
            return Err(format!(
                "工作簿中的「{}」压缩了 {} 倍，解压后达 {} MB，疑似压缩炸弹，拒绝读取",
                entry.name().unwrap_or_default(),
                size / packed,
                size >> 20
            ));
        }
    }
    if total > MAX_UNPACKED {
        return Err(format!("工作簿解压后共 {} MB，超过 {} MB 的上限，拒绝读取", total >> 20, MAX_UNPACKED >> 20));
    }
    Ok(())
}

/// Whether the file at `path` opens as a workbook; why not when it does not (a truncated or
/// encrypted file, text named `.xlsx`). Reads the directory of sheets, not their cells.
pub fn probe(path: &Path) -> Result<(), String> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    if matches!(ext.as_str(), "yaml" | "yml") {
        return Ok(());
    }
    match (sniff(path)?, ext.as_str()) {
        ("empty", _) => return Err("文件是空的（0 字节）".to_string()),
        ("ole", "xlsx" | "xlsm" | "ods") => {
            return Err("工作簿设置了打开密码（已加密），kefu 无法读取；请在 Excel/WPS 中取消密码后另存".to_string());
        }
        ("other", _) => {
            return Err(format!("不是 Excel/WPS 工作簿：文件内容不是 .{ext} 格式（可能是改了扩展名的文本或其他文件）"));
        }
        ("zip", _) => guard_zip(path)?,
        _ => {}
    }
    let book = open_workbook_auto(path).map_err(|e| describe(&e))?;
    if book.sheet_names().is_empty() { Err("工作簿中没有工作表".to_string()) } else { Ok(()) }
}

/// A sheet's rows as they stream out of the file: (0-based row index, its cells from column A).
pub type Rows<'r> = dyn Iterator<Item = Result<(usize, Vec<Cell>), String>> + 'r;

/// Reads every sheet of the workbook at `path` (or only `only`), handing each sheet's rows to
/// `visit(name, number of sheets, rows expected (0: unknown), again, shared strings, rows)` as
/// they are decoded. `again` is set when a sheet is handed over a second time, now with its
/// merged cells spread (the fast xlsx reader finds them only at the end of the sheet): `visit`
/// must then drop what it took from the sheet the first time. Rows from kefu's xlsx reader hold
/// [`Cell::Shared`] cells, indexes into the shared strings handed over with them (empty for the
/// other readers). xlsx sheets stream cell by cell, so a sheet of a million rows never sits in
/// memory whole; other formats are read sheet by sheet.
pub fn read_sheets(
    path: &Path,
    only: Option<&[String]>,
    visit: impl FnMut(&str, usize, usize, bool, &[Arc<str>], &mut Rows<'_>),
) -> Result<(), String> {
    read_sheets_via(path, only, true, visit)
}

/// [`read_sheets`], with the fast xlsx reader tried first or not (tests compare the two).
pub(super) fn read_sheets_via(
    path: &Path,
    only: Option<&[String]>,
    fast: bool,
    mut visit: impl FnMut(&str, usize, usize, bool, &[Arc<str>], &mut Rows<'_>),
) -> Result<(), String> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match (sniff(path)?, ext.as_str()) {
        ("empty", _) => return Err("文件是空的（0 字节）".to_string()),
        ("ole", "xlsx" | "xlsm" | "ods") => {
            return Err("工作簿设置了打开密码（已加密），kefu 无法读取；请在 Excel/WPS 中取消密码后另存".to_string());
        }
        ("other", _) => {
            return Err(format!("不是 Excel/WPS 工作簿：文件内容不是 .{ext} 格式（可能是改了扩展名的文本或其他文件）"));
        }
        ("zip", _) => guard_zip(path)?,
        _ => {}
    }
    if fast
        && matches!(ext.as_str(), "xlsx" | "xlsm")
        && let Some(book) = super::xlsx::Book::open(path)
    {
        return read_fast(book, only, visit);
    }
    let mut book = open_workbook_auto(path).map_err(|e| describe(&e))?;
    let wanted = wanted_sheets(book.sheet_names(), only)?;
    let total = wanted.len();
    for name in wanted {
        let merges = merges(&mut book, &name);
        let failure =
            |e: &dyn std::fmt::Display| format!("工作表「{name}」无法读取：{}", describe_text(&e.to_string()));
        match &mut book {
            Sheets::Xlsx(x) => {
                let mut reader = x.worksheet_cells_reader(&name).map_err(|e| failure(&e))?;
                let cells = std::iter::from_fn(|| match reader.next_cell() {
                    Ok(Some(cell)) => {
                        let (r, c) = cell.get_position();
                        Some(Ok((r as usize, c as usize, convert_ref(cell.get_value()))))
                    }
                    Ok(None) => None,
                    Err(e) => Some(Err(failure(&e))),
                });
                let mut spread = Spread::new(merges, rows_of(cells));
                visit(&name, total, 0, false, &[], &mut spread);
            }
            other => {
                let range = other.worksheet_range(&name).map_err(|e| failure(&e))?;
                let (r0, c0) = range.start().map(|(r, c)| (r as usize, c as usize)).unwrap_or((0, 0));
                let stream = range.rows().enumerate().map(move |(i, row)| {
                    let mut cells = vec![Cell::Empty; c0];
                    cells.extend(row.iter().map(convert));
                    Ok((r0 + i, cells))
                });
                let mut spread = Spread::new(merges, stream);
                visit(&name, total, 0, false, &[], &mut spread);
            }
        }
    }
    Ok(())
}

/// [`read_sheets`] for a workbook the fast xlsx reader opened.
fn read_fast(
    mut book: super::xlsx::Book,
    only: Option<&[String]>,
    mut visit: impl FnMut(&str, usize, usize, bool, &[Arc<str>], &mut Rows<'_>),
) -> Result<(), String> {
    let names = book.names();
    let wanted = wanted_sheets(names, only)?;
    let total = wanted.len();
    for name in wanted {
        let failure = |e: &str| format!("工作表「{name}」无法读取：{e}");
        // Merged cells are listed after the rows: the sheet is read once without them, and
        // again only if it has blocks merged over several rows (a date for several records).
        let mut merges = Vec::new();
        for again in [false, true] {
            let mut reader = book.cells(&name).map_err(|e| failure(&e))?;
            let hint = reader.rows_hint();
            let strings = reader.strings();
            {
                let cells = std::iter::from_fn(|| match reader.next_cell() {
                    Ok(Some((r, c, cell))) => Some(Ok((r as usize, c as usize, cell))),
                    Ok(None) => None,
                    Err(e) => Some(Err(failure(&e))),
                });
                let mut spread = Spread::new(std::mem::take(&mut merges), rows_of(cells));
                visit(&name, total, hint, again, strings, &mut spread);
            }
            if again {
                break;
            }
            // A sheet that breaks off has already been reported by the rows.
            merges = reader.merges().unwrap_or_default();
            if !merges.iter().any(|((r0, _), (r1, _))| r1 > r0) {
                break;
            }
        }
    }
    Ok(())
}

/// The sheets to read: all, or the ones named in `only` (each must exist).
fn wanted_sheets(names: Vec<String>, only: Option<&[String]>) -> Result<Vec<String>, String> {
    if let Some(list) = only {
        for wanted in list {
            if !names.contains(wanted) {
                return Err(format!("找不到工作表「{wanted}」（工作簿中有：{}）", names.join("、")));
            }
        }
    }
    Ok(names.into_iter().filter(|n| only.is_none_or(|list| list.contains(n))).collect())
}

/// Cells in file order grouped into rows: (0-based row, its cells from column A). A row's
/// cells are the run of cells with the same row index; gaps are empty cells.
fn rows_of(
    mut cells: impl Iterator<Item = Result<(usize, usize, Cell), String>>,
) -> impl Iterator<Item = Result<(usize, Vec<Cell>), String>> {
    let mut pending: Option<(usize, usize, Cell)> = None;
    let mut done = false;
    // Rows of a register are alike: each starts with room for as many cells as the last.
    let mut width = 0;
    let start = |c: usize, cell: Cell, width: usize| {
        let mut cells = Vec::with_capacity(width.max(c + 1));
        cells.resize(c, Cell::Empty);
        cells.push(cell);
        cells
    };
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        // Collect the cells of one row; the first cell of the next row waits in `pending`.
        let mut row: Option<(usize, Vec<Cell>)> = pending.take().map(|(r, c, cell)| (r, start(c, cell, width)));
        loop {
            match cells.next() {
                Some(Ok((r, c, value))) => match &mut row {
                    Some((current, cells)) if *current == r => {
                        if cells.len() < c {
                            cells.resize(c, Cell::Empty);
                        }
                        cells.push(value);
                    }
                    Some((_, cells)) => {
                        width = cells.len();
                        pending = Some((r, c, value));
                        return row.take().map(Ok);
                    }
                    None => row = Some((r, start(c, value, width))),
                },
                None => {
                    done = true;
                    return row.map(Ok);
                }
                Some(Err(e)) => {
                    done = true;
                    return Some(Err(e));
                }
            }
        }
    })
}

/// Copies each vertically merged block's top-left value into the cells below it, where staff
/// mean "the same for all these rows" (a date merged over several rows). Horizontal merges are
/// titles and header groups and carry no data.
struct Spread<I> {
    inner: I,
    /// Merged blocks not yet reached, sorted by first row (reversed: the next one is last).
    waiting: Vec<((usize, usize), (usize, usize))>,
    /// Blocks being spread: (column, last row, value).
    active: Vec<(usize, usize, Cell)>,
}

impl<I> Spread<I> {
    fn new(merges: Vec<super::merges::Block>, inner: I) -> Spread<I> {
        let mut waiting: Vec<_> = merges.into_iter().filter(|((r0, _), (r1, _))| r1 > r0).collect();
        waiting.sort_by_key(|b| std::cmp::Reverse(b.0));
        Spread { inner, waiting, active: Vec::new() }
    }
}

impl<I: Iterator<Item = Result<(usize, Vec<Cell>), String>>> Iterator for Spread<I> {
    type Item = Result<(usize, Vec<Cell>), String>;

    fn next(&mut self) -> Option<Self::Item> {
        let item = self.inner.next()?;
        if self.waiting.is_empty() && self.active.is_empty() {
            return Some(item);
        }
        let Ok((r, mut cells)) = item else { return Some(item) };
        self.active.retain(|(_, last, _)| *last >= r);
        for (c, _, value) in &self.active {
            if cells.len() <= *c {
                cells.resize(c + 1, Cell::Empty);
            }
            if cells[*c] == Cell::Empty {
                cells[*c] = value.clone();
            }
        }
        while self.waiting.last().is_some_and(|((r0, _), _)| *r0 <= r) {
            let Some(((r0, c0), (r1, _))) = self.waiting.pop() else { break };
            if r0 == r
                && let Some(value) = cells.get(c0).filter(|v| **v != Cell::Empty)
            {
                self.active.push((c0, r1, value.clone()));
            }
        }
        Some(Ok((r, cells)))
    }
}

fn merges<RS: std::io::Read + std::io::Seek>(book: &mut Sheets<RS>, name: &str) -> Vec<super::merges::Block> {
    let dims = match book {
        Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
        Sheets::Xls(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
        _ => Vec::new(),
    };
    dims.into_iter().map(|d| ((d.start.0 as usize, d.start.1 as usize), (d.end.0 as usize, d.end.1 as usize))).collect()
}

fn convert_ref(d: &DataRef<'_>) -> Cell {
    match d {
        DataRef::Empty => Cell::Empty,
        DataRef::String(s) => Cell::Text(s.as_str().into()),
        DataRef::SharedString(s) => Cell::Text((*s).into()),
        DataRef::Float(x) => Cell::Number(*x),
        DataRef::Int(n) => Cell::Number(*n as f64),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) if dt.is_duration() => Cell::Number(dt.as_f64()),
        DataRef::DateTime(dt) => match dt.as_datetime() {
            Some(v) => Cell::DateTime(v),
            None => Cell::Number(dt.as_f64()),
        },
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cell::Text(s.as_str().into()),
        DataRef::Error(e) => Cell::Error(format!("{e}")),
    }
}

fn convert(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.as_str().into()),
        Data::Float(x) => Cell::Number(*x),
        Data::Int(n) => Cell::Number(*n as f64),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) if dt.is_duration() => Cell::Number(dt.as_f64()),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(v) => Cell::DateTime(v),
            None => Cell::Number(dt.as_f64()),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.as_str().into()),
        Data::Error(e) => Cell::Error(format!("{e}")),
    }
}

/// calamine's error in Chinese.
fn describe(e: &calamine::Error) -> String {
    describe_text(&e.to_string())
}

fn describe_text(text: &str) -> String {
    let lower = text.to_lowercase();
    if lower.contains("password") || lower.contains("encrypt") {
        "工作簿设置了密码（已加密），kefu 无法读取；请取消密码后另存".to_string()
    } else if lower.contains("zip") || lower.contains("eof") || lower.contains("invalid") || lower.contains("cfb") {
        format!("工作簿已损坏或不完整，无法读取（{text}）")
    } else {
        format!("工作簿无法读取（{text}）")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }
}
