//! Workbooks in: xlsx, xls, xlsb and ods through calamine, as grids of [`Cell`]s.
//!
//! Input: a file path. Output: its sheets, each a grid of cells with merged regions resolved the
//! way staff mean them (every cell of a merged block reads as its top-left value). Failure: a
//! Chinese sentence for files that are not workbooks, are encrypted, truncated or corrupt.
//! Reading never modifies the file.

use std::io::Read;
use std::path::Path;

use calamine::{Data, Dimensions, Reader, Sheets, open_workbook_auto};

use super::cell::Cell;

/// One worksheet as a grid; `rows[r][c]` is the cell at 0-based row `r`, column `c`.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    pub name: String,
    pub rows: Vec<Vec<Cell>>,
    /// Merged regions: ((first row, first col), (last row, last col)), 0-based, inclusive.
    pub merges: Vec<((usize, usize), (usize, usize))>,
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

/// Reads every sheet of the workbook at `path` (or only `only`, when given).
pub fn read(path: &Path, only: Option<&[String]>) -> Result<Vec<Grid>, String> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match (sniff(path)?, ext.as_str()) {
        ("empty", _) => return Err("文件是空的（0 字节）".to_string()),
        ("ole", "xlsx" | "xlsm" | "ods") => {
            return Err("工作簿设置了打开密码（已加密），kefu 无法读取；请在 Excel/WPS 中取消密码后另存".to_string());
        }
        ("other", _) => {
            return Err(format!("不是 Excel/WPS 工作簿：文件内容不是 .{ext} 格式（可能是改了扩展名的文本或其他文件）"));
        }
        _ => {}
    }
    let mut book = open_workbook_auto(path).map_err(|e| describe(&e))?;
    let names: Vec<String> = book.sheet_names();
    let mut out = Vec::new();
    for name in names {
        if only.is_some_and(|list| !list.iter().any(|n| n == &name)) {
            continue;
        }
        let range = book.worksheet_range(&name).map_err(|e| format!("工作表「{name}」无法读取：{}", describe(&e)))?;
        let merges = merges(&mut book, &name);
        out.push(grid(name, &range, merges));
    }
    if let Some(list) = only {
        for wanted in list {
            if !out.iter().any(|g| &g.name == wanted) {
                return Err(format!("找不到工作表「{wanted}」（工作簿中有：{}）", book.sheet_names().join("、")));
            }
        }
    }
    Ok(out)
}

fn merges<RS: std::io::Read + std::io::Seek>(book: &mut Sheets<RS>, name: &str) -> Vec<Dimensions> {
    match book {
        Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
        Sheets::Xls(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
        _ => Vec::new(),
    }
}

fn grid(name: String, range: &calamine::Range<Data>, merges: Vec<Dimensions>) -> Grid {
    let (r0, c0) = range.start().map(|(r, c)| (r as usize, c as usize)).unwrap_or((0, 0));
    let mut rows: Vec<Vec<Cell>> = Vec::with_capacity(r0 + range.height());
    rows.resize_with(r0, Vec::new);
    for row in range.rows() {
        let mut cells = Vec::with_capacity(c0 + row.len());
        cells.resize(c0, Cell::Empty);
        cells.extend(row.iter().map(convert));
        while cells.last().is_some_and(|c| *c == Cell::Empty) {
            cells.pop();
        }
        rows.push(cells);
    }
    let merges = merges
        .into_iter()
        .map(|d| ((d.start.0 as usize, d.start.1 as usize), (d.end.0 as usize, d.end.1 as usize)))
        .collect::<Vec<_>>();
    let mut grid = Grid { name, rows, merges };
    spread_merges(&mut grid);
    grid
}

/// Copies each merged block's top-left value into the block's other cells of data rows, where
/// staff mean "the same for all these rows" (a date merged over several rows).
fn spread_merges(grid: &mut Grid) {
    for ((r0, c0), (r1, c1)) in grid.merges.clone() {
        let value = grid.get(r0, c0).clone();
        if value == Cell::Empty || r1.saturating_sub(r0) > 10_000 || c1.saturating_sub(c0) > 200 {
            continue;
        }
        for r in r0..=r1 {
            // Horizontal merges are header groups or titles; only vertical spreads carry data.
            if let Some(row) = grid.rows.get_mut(r) {
                if row.len() <= c0 {
                    row.resize(c0 + 1, Cell::Empty);
                }
                if r != r0 && row[c0] == Cell::Empty {
                    row[c0] = value.clone();
                }
            }
        }
        let _ = c1;
    }
}

fn convert(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Float(x) => Cell::Number(*x),
        Data::Int(n) => Cell::Number(*n as f64),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) if dt.is_duration() => Cell::Number(dt.as_f64()),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(v) => Cell::DateTime(v),
            None => Cell::Number(dt.as_f64()),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(format!("{e}")),
    }
}

/// calamine's error in Chinese.
fn describe(e: &calamine::Error) -> String {
    let text = e.to_string();
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
