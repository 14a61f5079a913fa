//! Finding the header row of a sheet and which column is which field.
//!
//! Input: a sheet's grid, the register's fields (labels and aliases), and what a mapping file
//! says (header row, column names). Output: the header row and, per column, its field — or, for
//! the wide fee ledger, its month and field. Failure: no header found, a required column missing,
//! two columns claiming one field; unknown columns are warnings.

use std::collections::HashMap;

use crate::forms::Field;
use crate::model::YearMonth;
use crate::parse::{date, text};

use super::workbook::{Grid, column_letter};

/// How far down a sheet kefu looks for the header (title rows above it are skipped).
pub const SCAN_ROWS: usize = 30;

/// Headers that need no field: the printed row number.
const IGNORED: [&str; 4] = ["序号", "序", "no", "no."];

/// Which column is which field.
#[derive(Debug, Clone, Default)]
pub struct HeaderMatch {
    /// 0-based index of the (last) header row; data starts below it.
    pub row: usize,
    /// (column, field index, header as written).
    pub columns: Vec<(usize, usize, String)>,
    /// Wide layout: (column, month, field index, header as written).
    pub monthly: Vec<(usize, YearMonth, usize, String)>,
    /// Columns with a header that names no field.
    pub unknown: Vec<(usize, String)>,
}

/// Header names → field index, from labels, aliases, keys and the mapping file's names.
pub struct Names {
    map: HashMap<String, usize>,
}

impl Names {
    /// The names of `fields`, plus `extra` (header as written → field key or label).
    pub fn new(fields: &[Field], extra: &[(String, String)]) -> Result<Names, Vec<String>> {
        let mut map = HashMap::new();
        for (i, f) in fields.iter().enumerate() {
            for name in std::iter::once(&f.label).chain(&f.aliases).chain(std::iter::once(&f.key)) {
                map.entry(text::header_key(name)).or_insert(i);
            }
        }
        let mut problems = Vec::new();
        for (header, target) in extra {
            let key = text::header_key(target);
            match fields.iter().position(|f| f.key == *target || text::header_key(&f.label) == key) {
                Some(i) => {
                    map.insert(text::header_key(header), i);
                }
                None => problems.push(format!(
                    "映射中的列「{header}」指向的字段「{target}」不存在（可用：{}）",
                    fields.iter().map(|f| f.label.as_str()).collect::<Vec<_>>().join("、")
                )),
            }
        }
        if problems.is_empty() { Ok(Names { map }) } else { Err(problems) }
    }

    /// The field a header or YAML key names.
    pub fn find_key(&self, header: &str) -> Option<usize> {
        self.find(header)
    }

    fn find(&self, header: &str) -> Option<usize> {
        self.map.get(&text::header_key(header)).copied()
    }
}

/// `2026年5月应收` → (2026-05, `应收`); `2026-05实收`, `2026.5 收款日期` likewise.
pub fn split_month(header: &str) -> Option<(YearMonth, String)> {
    let s = text::normalize(header);
    let s = s.trim();
    let digits: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.len() != 4 {
        return None;
    }
    for cut in s.char_indices().map(|(i, _)| i).chain(std::iter::once(s.len())).skip(5) {
        let (head, rest) = s.split_at(cut);
        if rest.is_empty() || !head.ends_with(|c: char| c == '月' || c.is_ascii_digit()) {
            continue;
        }
        if rest.starts_with(|c: char| c.is_ascii_digit() || c == '月') {
            continue;
        }
        if let Ok((year, month)) = date::parse_month(head) {
            return Some((YearMonth { year, month }, rest.trim().to_string()));
        }
    }
    None
}

/// Finds the header of `grid`. `fixed_row` (0-based) skips the search; `wide` allows
/// month-prefixed columns (fee ledger).
pub fn find(
    grid: &Grid,
    fields: &[Field],
    names: &Names,
    fixed_row: Option<usize>,
    wide: bool,
) -> Result<HeaderMatch, String> {
    let candidates: Vec<usize> = match fixed_row {
        Some(r) => vec![r],
        None => (0..grid.rows.len().min(SCAN_ROWS)).collect(),
    };
    let mut best: Option<(usize, HeaderMatch)> = None;
    for r in candidates {
        let m = match_row(grid, r, names, wide);
        let score = distinct(&m);
        if score > best.as_ref().map_or(0, |(s, _)| *s) {
            best = Some((score, m));
        }
    }
    let Some((score, m)) = best else {
        return Err(empty_or_missing(grid, fixed_row));
    };
    let needed = fields.iter().filter(|f| f.required).count().clamp(1, 2);
    if score < needed {
        return Err(empty_or_missing(grid, fixed_row));
    }
    check_columns(&m, fields)?;
    Ok(m)
}

fn empty_or_missing(grid: &Grid, fixed_row: Option<usize>) -> String {
    if grid.rows.iter().all(|r| r.iter().all(|c| c.is_empty())) {
        return "工作表是空的".to_string();
    }
    match fixed_row {
        Some(r) => format!("第 {} 行不是本台帐的表头：其中没有可识别的列名", r + 1),
        None => format!("前 {SCAN_ROWS} 行中找不到表头：没有一行包含本台帐的列名（见 forms/ 中的字段名称和别名）"),
    }
}

fn distinct(m: &HeaderMatch) -> usize {
    let mut fields: Vec<usize> = m.columns.iter().map(|c| c.1).chain(m.monthly.iter().map(|c| c.2)).collect();
    fields.sort_unstable();
    fields.dedup();
    fields.len() + m.monthly.len().min(1)
}

fn match_row(grid: &Grid, r: usize, names: &Names, wide: bool) -> HeaderMatch {
    let mut m = HeaderMatch { row: r, ..HeaderMatch::default() };
    for c in 0..grid.rows.get(r).map_or(0, Vec::len) {
        let mut header = grid.get(r, c).shown();
        if text::is_blank(&header) && r > 0 {
            // Two-level header: the name may sit in the row above.
            header = grid.get(r - 1, c).shown();
        }
        let header = text::normalize(&header);
        if header.is_empty() {
            continue;
        }
        if let Some(i) = names.find(&header) {
            m.columns.push((c, i, header));
            continue;
        }
        if wide
            && let Some((month, rest)) = split_month(&header)
            && let Some(i) = names.find(&rest)
        {
            m.monthly.push((c, month, i, header));
            continue;
        }
        if !IGNORED.contains(&text::header_key(&header).to_lowercase().as_str()) {
            m.unknown.push((c, header));
        }
    }
    m
}

fn check_columns(m: &HeaderMatch, fields: &[Field]) -> Result<(), String> {
    let mut seen: HashMap<usize, &(usize, usize, String)> = HashMap::new();
    for col in &m.columns {
        if let Some(first) = seen.insert(col.1, col) {
            return Err(format!(
                "{} 列「{}」和 {} 列「{}」都对应字段「{}」；请删去或改名其中一列",
                column_letter(first.0),
                first.2,
                column_letter(col.0),
                col.2,
                fields[col.1].label
            ));
        }
    }
    let monthly_fields: Vec<usize> = m.monthly.iter().map(|c| c.2).collect();
    let missing: Vec<String> = fields
        .iter()
        .enumerate()
        .filter(|(i, f)| f.required && !seen.contains_key(i) && !monthly_fields.contains(i))
        .filter(|(_, f)| f.ty != crate::forms::FieldType::Month || m.monthly.is_empty())
        .map(|(_, f)| {
            if f.aliases.is_empty() {
                format!("「{}」", f.label)
            } else {
                format!("「{}」（或 {}）", f.label, f.aliases.join("、"))
            }
        })
        .collect();
    if !missing.is_empty() {
        return Err(format!("缺少必填列{}", missing.join("、")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_prefixes() {
        let m = |y, mo| YearMonth { year: y, month: mo };
        assert_eq!(split_month("2026年5月应收"), Some((m(2026, 5), "应收".into())));
        assert_eq!(split_month("2026年12月 实收"), Some((m(2026, 12), "实收".into())));
        assert_eq!(split_month("2026-05收款日期"), Some((m(2026, 5), "收款日期".into())));
        assert_eq!(split_month("应收"), None);
        assert_eq!(split_month("2026"), None);
    }
}
