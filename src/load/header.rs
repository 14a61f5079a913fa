//! Finding the header row of a sheet and which column is which field.
//!
//! Input: a sheet's grid, the register's fields (labels and aliases), and what a mapping file
//! says (header row, column names). Output: the header row and, per column, its field — or, for
//! the wide fee ledger, its month and field. Failure: no header found, a required column missing,
//! two columns claiming one field; unknown columns are warnings.

use std::collections::HashMap;

use crate::forms::{Field, FieldType};
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
    /// Columns that hold the time of a date-time field whose date is in another column (a
    /// 接待时间 header merged over a date and a time column): (column, field index, header).
    pub time_parts: Vec<(usize, usize, String)>,
    /// Columns that hold part of the room (楼号, 单元) when the room's own column holds only the
    /// door number: (column, part, header).
    pub room_parts: Vec<(usize, RoomPart, String)>,
    /// Columns holding two fields as `from-to` (`时间段` 19:00-20:00): (column, from, to, header).
    pub pairs: Vec<(usize, usize, usize, String)>,
    /// The 序号 column, if any: (column, header).
    pub serial: Option<(usize, String)>,
    /// Columns with a header that names no field.
    pub unknown: Vec<(usize, String)>,
}

/// A part of a room written in a column of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoomPart {
    Building,
    Unit,
}

/// What a header names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A field, by index.
    Field(usize),
    /// Two fields written together (`from-to`).
    Pair(usize, usize),
    /// 楼号 or 单元 of the room.
    Part(RoomPart),
    /// A column the mapping says to leave unread.
    Ignore,
}

/// Headers of the building and unit columns of a register that keeps the room in three columns.
const BUILDING_NAMES: [&str; 5] = ["楼号", "楼栋", "栋号", "楼栋号", "楼"];
const UNIT_NAMES: [&str; 3] = ["单元", "单元号", "门号"];

/// What a mapping file writes for a column to be left unread.
pub const IGNORE_WORDS: [&str; 3] = ["忽略", "ignore", "不读"];

/// Header names → what they name, from labels, aliases, keys and the mapping file's names.
pub struct Names {
    map: HashMap<String, Target>,
}

impl Names {
    /// The names of `fields`, plus `extra` (header as written → field key or label, or 忽略).
    pub fn new(fields: &[Field], extra: &[(String, String)]) -> Result<Names, Vec<String>> {
        let mut map = HashMap::new();
        for (i, f) in fields.iter().enumerate() {
            for name in std::iter::once(&f.label).chain(&f.aliases).chain(std::iter::once(&f.key)) {
                map.entry(text::header_key(name)).or_insert(Target::Field(i));
            }
            if let Some(pair) = &f.pair
                && let Some(j) = fields.iter().position(|g| g.key == pair.with)
            {
                for name in &pair.aliases {
                    map.entry(text::header_key(name)).or_insert(Target::Pair(i, j));
                }
            }
        }
        if fields.iter().any(|f| matches!(f.ty, FieldType::Room | FieldType::Place)) {
            for (names, part) in [(&BUILDING_NAMES[..], RoomPart::Building), (&UNIT_NAMES[..], RoomPart::Unit)] {
                for name in names {
                    map.entry(text::header_key(name)).or_insert(Target::Part(part));
                }
            }
        }
        let mut problems = Vec::new();
        for (header, target) in extra {
            if IGNORE_WORDS.contains(&target.trim()) {
                map.insert(text::header_key(header), Target::Ignore);
                continue;
            }
            let key = text::header_key(target);
            match fields.iter().position(|f| f.key == *target || text::header_key(&f.label) == key) {
                Some(i) => {
                    map.insert(text::header_key(header), Target::Field(i));
                }
                None => problems.push(format!(
                    "映射中的列「{header}」指向的字段「{target}」不存在（可用：{}；不读的列写「忽略」）",
                    fields.iter().map(|f| f.label.as_str()).collect::<Vec<_>>().join("、")
                )),
            }
        }
        if problems.is_empty() { Ok(Names { map }) } else { Err(problems) }
    }

    /// The field a header or YAML key names.
    pub fn find_key(&self, header: &str) -> Option<usize> {
        match self.target(header) {
            Some(Target::Field(i)) => Some(i),
            _ => None,
        }
    }

    /// What a header names.
    pub fn target(&self, header: &str) -> Option<Target> {
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
    constants: &[usize],
) -> Result<HeaderMatch, String> {
    let m = best_row(grid, fields, names, fixed_row, wide).ok_or_else(|| empty_or_missing(grid, fixed_row))?;
    check_columns(&m, fields, constants)?;
    Ok(m)
}

/// The row that names most of the fields, without asking for the required ones (what `kefu map`
/// proposes, saying what is missing); `None` when no row names enough of them.
pub fn best_row(
    grid: &Grid,
    fields: &[Field],
    names: &Names,
    fixed_row: Option<usize>,
    wide: bool,
) -> Option<HeaderMatch> {
    let candidates: Vec<usize> = match fixed_row {
        Some(r) => vec![r],
        None => (0..grid.rows.len().min(SCAN_ROWS)).collect(),
    };
    let mut best: Option<(usize, HeaderMatch)> = None;
    for r in candidates {
        let m = match_row(grid, r, fields, names, wide);
        let score = distinct(&m);
        if score > best.as_ref().map_or(0, |(s, _)| *s) {
            best = Some((score, m));
        }
    }
    let (score, m) = best?;
    let needed = fields.iter().filter(|f| f.required).count().clamp(1, 2);
    (score >= needed).then_some(m)
}

/// Why a header match cannot be read: a field in two columns, a required column missing.
pub fn missing_columns(m: &HeaderMatch, fields: &[Field]) -> Option<String> {
    check_columns(m, fields, &[]).err()
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
    let mut fields: Vec<usize> = m
        .columns
        .iter()
        .map(|c| c.1)
        .chain(m.monthly.iter().map(|c| c.2))
        .chain(m.pairs.iter().flat_map(|p| [p.1, p.2]))
        .collect();
    fields.sort_unstable();
    fields.dedup();
    fields.len() + m.monthly.len().min(1)
}

fn match_row(grid: &Grid, r: usize, fields: &[Field], names: &Names, wide: bool) -> HeaderMatch {
    let mut m = HeaderMatch { row: r, ..HeaderMatch::default() };
    let width =
        grid.rows.get(r).map_or(0, Vec::len).max(r.checked_sub(1).map_or(0, |u| grid.rows.get(u).map_or(0, Vec::len)));
    for c in 0..width {
        let own = text::normalize(&grid.get(r, c).shown());
        let above = r.checked_sub(1).map(|u| text::normalize(&grid.get(u, c).shown())).unwrap_or_default();
        // A blank header right of a date-time column: the time half of a header merged over both.
        if own.is_empty() && above.is_empty() {
            if let Some(&(prev, field, ref head)) = m.columns.last()
                && prev + 1 == c
                && fields[field].ty == FieldType::Datetime
                && !m.time_parts.iter().any(|t| t.1 == field)
            {
                m.time_parts.push((c, field, head.clone()));
            }
            continue;
        }
        let header = if own.is_empty() { above.clone() } else { own.clone() };
        // Under a header merged over several columns (受理 ▸ 日期, 时间), try the two together.
        let group = r.checked_sub(1).and_then(|u| group_above(grid, u, c)).filter(|g| *g != header);
        let candidates: Vec<String> =
            group.iter().map(|g| format!("{g}{header}")).chain(std::iter::once(header.clone())).collect();
        if !place_column(&mut m, c, &candidates, &header, fields, names, wide) {
            if IGNORED.contains(&text::header_key(&header).to_lowercase().as_str()) {
                m.serial.get_or_insert((c, header));
            } else {
                m.unknown.push((c, header));
            }
        }
    }
    note_room_fields(&mut m, fields);
    m
}

/// The text of the header cell above column `c` in row `u`, or of the nearest cell to its left
/// there when it is blank (a merged header spans to the right).
fn group_above(grid: &Grid, u: usize, c: usize) -> Option<String> {
    (0..=c).rev().map(|k| text::normalize(&grid.get(u, k).shown())).find(|t| !t.is_empty())
}

/// Records what the first of `candidates` names; false when none names anything.
fn place_column(
    m: &mut HeaderMatch,
    c: usize,
    candidates: &[String],
    header: &str,
    fields: &[Field],
    names: &Names,
    wide: bool,
) -> bool {
    for name in candidates {
        match names.target(name) {
            Some(Target::Field(i)) => {
                let taken = m.columns.iter().any(|col| col.1 == i);
                if taken && fields[i].ty == FieldType::Datetime && !m.time_parts.iter().any(|t| t.1 == i) {
                    // 借出日期 + 借出时间, 受理 ▸ 日期 + 时间: the second column holds the time.
                    m.time_parts.push((c, i, name.clone()));
                } else {
                    m.columns.push((c, i, name.clone()));
                }
                return true;
            }
            Some(Target::Pair(i, j)) => {
                m.pairs.push((c, i, j, name.clone()));
                return true;
            }
            Some(Target::Part(part)) => {
                m.room_parts.push((c, part, name.clone()));
                return true;
            }
            Some(Target::Ignore) => return true,
            None => {}
        }
        if wide
            && let Some((month, rest)) = split_month(name)
            && let Some(i) = names.find_key(&rest)
        {
            m.monthly.push((c, month, i, name.clone()));
            return true;
        }
    }
    let _ = header;
    false
}

/// A register whose own fields are 楼号 and 单元 (the rooms ledger) keeps them as fields, and
/// they also make up the room when the room column holds only the door number.
fn note_room_fields(m: &mut HeaderMatch, fields: &[Field]) {
    for (c, i, head) in &m.columns {
        let part = match fields[*i].key.as_str() {
            "building" => RoomPart::Building,
            "unit" => RoomPart::Unit,
            _ => continue,
        };
        if !m.room_parts.iter().any(|p| p.1 == part) {
            m.room_parts.push((*c, part, head.clone()));
        }
    }
}

fn check_columns(m: &HeaderMatch, fields: &[Field], constants: &[usize]) -> Result<(), String> {
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
    let given: Vec<usize> = m
        .monthly
        .iter()
        .map(|c| c.2)
        .chain(m.pairs.iter().flat_map(|p| [p.1, p.2]))
        .chain(constants.iter().copied())
        .collect();
    let missing: Vec<String> = fields
        .iter()
        .enumerate()
        .filter(|(i, f)| f.required && !seen.contains_key(i) && !given.contains(i))
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
        let unread: Vec<String> =
            m.unknown.iter().map(|(c, h)| format!("「{h}」（{} 列）", column_letter(*c))).collect();
        let hint = if unread.is_empty() {
            String::new()
        } else {
            format!(
                "；表头中没有认出的列：{}——若其中有一列就是它，请在 mapping.yaml 的 columns 中写明",
                unread.join("、")
            )
        };
        return Err(format!("缺少必填列{}{hint}", missing.join("、")));
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
