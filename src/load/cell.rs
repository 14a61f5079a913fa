//! One cell as read from a sheet or a YAML file, and its conversion into a typed [`Value`].
//!
//! Input: the raw cell (text, number, Excel date, boolean, formula error) and the field it
//! belongs to. Output: the typed value, `None` for an empty cell. Failure: a Chinese sentence
//! naming the value and what the field expects.

use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use crate::forms::{Field, FieldType};
use crate::model::YearMonth;
use crate::model::{Signature, Value};
use crate::parse::{date, idcard, money, phone, room, text};

/// In a date-time column: done, but no date written (`已还`).
pub const DONE_WORDS: [&str; 6] = ["已还", "已归还", "已交回", "已收回", "已退还", "已还回"];

/// The longest text kefu accepts in one cell.
pub const MAX_TEXT_CHARS: usize = 5_000;

/// A raw cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    /// Text.
    Text(Arc<str>),
    /// Shared string `i` of the workbook, as kefu's xlsx reader hands data rows over: a register
    /// repeats the same names, choices and rooms thousands of times, and the loader converts
    /// each once per field, by its index, without touching the text again. Resolved with
    /// [`Cell::resolved`] before anything else looks at it.
    Shared(u32),
    Number(f64),
    Bool(bool),
    /// A cell Excel formats as a date, a time or both.
    DateTime(NaiveDateTime),
    /// A formula error such as `#REF!`.
    Error(String),
}

impl Cell {
    /// The cell with a shared string replaced by its text from `strings` (the workbook's table).
    pub fn resolved(&self, strings: &[Arc<str>]) -> Cell {
        match self {
            Cell::Shared(i) => strings.get(*i as usize).map_or(Cell::Empty, |t| Cell::Text(t.clone())),
            other => other.clone(),
        }
    }

    /// The text of a text or shared-string cell.
    pub fn text<'c>(&'c self, strings: &'c [Arc<str>]) -> Option<&'c str> {
        match self {
            Cell::Text(t) => Some(t),
            Cell::Shared(i) => strings.get(*i as usize).map(|t| &**t),
            _ => None,
        }
    }

    /// Whether the cell holds nothing (or only spaces).
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => text::is_blank(s),
            _ => false,
        }
    }

    /// The cell as staff see it, for messages and header matching.
    pub fn shown(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.to_string(),
            Cell::Number(x) => number_text(*x),
            Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Cell::DateTime(dt) if dt.time() == NaiveTime::MIN => dt.format("%Y-%m-%d").to_string(),
            Cell::DateTime(dt) => dt.format("%Y-%m-%d %H:%M:%S").to_string(),
            Cell::Error(e) => e.clone(),
            // Not resolved (see `resolved`): nothing to show.
            Cell::Shared(_) => String::new(),
        }
    }
}

/// A number as Excel would show it in a General cell.
fn number_text(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 { format!("{}", x as i64) } else { format!("{x}") }
}

/// What a sheet tells the conversion of its cells beyond the cell itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'a> {
    /// The year of dates typed without one (`10.8`), from the sheet's name, title, the file's
    /// name or the mapping.
    pub year: Option<i32>,
    /// The department's own words for this field's options (`mapping.yaml` `values:`), by
    /// [`text::header_key`] of the word.
    pub values: Option<&'a std::collections::HashMap<String, String>>,
}

/// Converts `cell` into the value of `field`; `Ok(None)` when the cell is empty.
pub fn to_value(cell: &Cell, field: &Field) -> Result<Option<Value>, String> {
    to_value_in(cell, field, Context::default())
}

/// [`to_value`] with what the sheet tells about its cells.
pub fn to_value_in(cell: &Cell, field: &Field, ctx: Context<'_>) -> Result<Option<Value>, String> {
    if cell.is_empty() {
        return Ok(None);
    }
    if let Cell::Error(e) = cell {
        return Err(format!("单元格是公式错误 {e}，请修正公式或直接填入{}", field.ty.label()));
    }
    if let Cell::Shared(i) = cell {
        // The loader resolves shared strings first; reaching here is kefu's own mistake.
        return Err(format!("内部错误：共享字符串 {i} 未解析，请把这个工作簿发给维护人员"));
    }
    // Amounts and phone numbers typed as numbers are read as numbers (no text in between).
    match (field.ty, cell) {
        (FieldType::Money, Cell::Number(x)) => return Ok(Some(Value::Money(money::money_from_f64(*x)?))),
        (FieldType::Phone, Cell::Number(x)) if x.fract() == 0.0 && *x > 0.0 && *x < 1e12 => {
            return Ok(Some(Value::Phone(phone::parse_phone(&number_text(*x))?)));
        }
        _ => {}
    }
    // Text cells are used as they are; a typed cell (a number, a date) is read as its type, and
    // shown as Excel would show it only where a field reads text.
    let typed = matches!(
        field.ty,
        FieldType::Date
            | FieldType::Datetime
            | FieldType::Time
            | FieldType::Month
            | FieldType::Integer
            | FieldType::Decimal
    ) && !matches!(cell, Cell::Text(_));
    let shown: std::borrow::Cow<'_, str> = match cell {
        Cell::Text(t) => std::borrow::Cow::Borrowed(&**t),
        _ if typed => std::borrow::Cow::Borrowed(""),
        other => std::borrow::Cow::Owned(other.shown()),
    };
    if shown.len() > MAX_TEXT_CHARS && shown.chars().count() > MAX_TEXT_CHARS {
        return Err(format!("内容长达 {} 字，超过每格 {MAX_TEXT_CHARS} 字的上限", shown.chars().count()));
    }
    if matches!(
        field.ty,
        FieldType::Text
            | FieldType::Person
            | FieldType::Choice
            | FieldType::Signature
            | FieldType::Checklist
            | FieldType::Place
    ) {
        printable(&shown)?;
    }
    // `已还` in a return column: done, without a date (the sheet reader also says so).
    if matches!(field.ty, FieldType::Datetime)
        && let Cell::Text(t) = cell
        && DONE_WORDS.contains(&t.trim())
    {
        return Ok(Some(Value::Text(t.trim().to_string())));
    }
    let value = match field.ty {
        FieldType::Text | FieldType::Person => Value::Text(person_or_text(cell, field)?),
        FieldType::Choice => Value::Text(choice_in(&shown, field, ctx)?),
        FieldType::Date => Value::Date(to_date(cell, ctx.year)?),
        FieldType::Datetime => match to_when(cell, ctx.year)? {
            date::When::Date(d) => Value::Date(d),
            date::When::DateTime(dt) => Value::Datetime(dt),
        },
        FieldType::Time => Value::Time(to_time(cell)?),
        FieldType::Month => Value::Month(to_month(cell)?),
        FieldType::Integer => Value::Integer(to_integer(cell)?),
        FieldType::Decimal => Value::Decimal(to_decimal(cell)?),
        FieldType::Money => Value::Money(money::parse_money(&shown)?),
        FieldType::Phone => Value::Phone(phone::parse_phone(&shown)?),
        FieldType::Room => Value::Room(room::parse_room(&shown)?),
        FieldType::Place => place(&shown)?,
        FieldType::IdNumber => Value::IdNumber(match cell {
            Cell::Number(x) if *x >= 1e15 => {
                return Err(format!(
                    "身份证号「{shown}」被 Excel 存成了数字，末几位已经丢失；请把这一列设为文本格式后重新录入"
                ));
            }
            _ => idcard::parse_id_number(&shown)?,
        }),
        FieldType::Bool => {
            Value::Bool(to_bool(cell).ok_or_else(|| format!("「{shown}」不是是否值：应为 是/否（或 √/×）"))?)
        }
        FieldType::Signature => Value::Signature(signature(cell)),
        FieldType::Checklist => Value::Checklist(checklist(&shown, &field.items)?),
    };
    Ok(Some(value))
}

/// Text kefu prints must be printable: no control characters (they are invisible and can break
/// what reads the output), and only characters the embedded fonts have — a missing one would
/// print as an empty box.
fn printable(s: &str) -> Result<(), String> {
    for c in s.chars() {
        if c.is_control() && !matches!(c, '\n' | '\r' | '\t') {
            return Err(format!("含控制字符 U+{:04X}（看不见的字符，多由复制粘贴带入），请删除后重新录入", c as u32));
        }
        if !c.is_whitespace() && !crate::fonts::printable(c) {
            return Err(format!(
                "字符「{c}」（U+{:04X}）内置字体中没有字形，无法打印或存档；请改用通用字，或写成拼音并在备注中说明",
                c as u32
            ));
        }
    }
    Ok(())
}

fn person_or_text(cell: &Cell, field: &Field) -> Result<String, String> {
    let s = match cell {
        Cell::DateTime(dt) => dt.format("%Y-%m-%d").to_string(),
        Cell::Text(t) if field.ty == FieldType::Text => text::tidy(t),
        Cell::Text(t) => text::normalize(t),
        _ => text::normalize(&cell.shown()),
    };
    if field.ty == FieldType::Person {
        let s = unpad_name(&s);
        if s.chars().count() > 30 {
            return Err(format!("「{s}」不像人名：超过 30 个字"));
        }
        if s.chars().all(|c| c.is_ascii_digit() || c.is_ascii_punctuation()) {
            return Err(format!("「{s}」不是姓名：应填写人名"));
        }
        return Ok(s);
    }
    Ok(s)
}

/// A Chinese name padded to the width of a longer one (`黄　军`, `黄 军`) is the name without the
/// padding; names in Latin letters keep their spaces.
fn unpad_name(s: &str) -> String {
    let cjk = |c: char| ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c) || c == '·';
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' || c == '\u{3000}' {
            let before = chars[..i].iter().rev().find(|c| **c != ' ' && **c != '\u{3000}');
            let after = chars[i + 1..].iter().find(|c| **c != ' ' && **c != '\u{3000}');
            if before.is_some_and(|c| cjk(*c)) && after.is_some_and(|c| cjk(*c)) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// Words that name a public place (公共区域, 业主报修处理规程 4.2.1) rather than a room.
const PLACE_WORDS: [&str; 24] = [
    "号楼",
    "栋",
    "单元",
    "楼道",
    "楼梯",
    "大堂",
    "园区",
    "小区",
    "地下",
    "车库",
    "电梯",
    "网球场",
    "门岗",
    "楼顶",
    "屋面",
    "花园",
    "广场",
    "会所",
    "泳池",
    "配电",
    "水泵",
    "公共",
    "绿地",
    "大门",
];

/// A room, or — where the form allows it — a public place or 匿名 (anonymous).
fn place(shown: &str) -> Result<Value, String> {
    let err = match room::parse_room(shown) {
        Ok(r) => return Ok(Value::Room(r)),
        Err(e) => e,
    };
    let s = text::normalize(shown);
    if matches!(s.as_str(), "匿名" | "不详" | "未留" | "未知") {
        return Ok(Value::Text("匿名".to_string()));
    }
    if PLACE_WORDS.iter().any(|w| s.contains(w)) && s.chars().count() <= 40 {
        return Ok(Value::Text(s));
    }
    Err(format!("{err}；公共部位应写明位置（如 3号楼1单元楼道、园区），匿名来电写「匿名」"))
}

/// One of the field's options, also through the form's synonyms and the mapping's value map.
fn choice_in(shown: &str, field: &Field, ctx: Context<'_>) -> Result<String, String> {
    let key = text::header_key(shown);
    if let Some(option) = ctx.values.and_then(|m| m.get(&key)) {
        return Ok(option.clone());
    }
    for (option, words) in &field.synonyms {
        if words.iter().any(|w| text::header_key(w) == key) {
            return Ok(option.clone());
        }
    }
    choice(shown, &field.options)
}

/// One of `options`: exact after normalising, or the only option the text starts with or that
/// starts with the text (`屋面防水` for `屋面防水（5年）`).
fn choice(shown: &str, options: &[String]) -> Result<String, String> {
    if let Some(o) = options.iter().find(|o| o.as_str() == shown) {
        return Ok(o.clone());
    }
    let s = text::normalize(shown);
    let key = text::header_key(&s);
    if let Some(o) = options.iter().find(|o| text::header_key(o) == key) {
        return Ok(o.clone());
    }
    let close: Vec<&String> = options
        .iter()
        .filter(|o| {
            let k = text::header_key(o);
            !key.is_empty() && (k.starts_with(&key) || key.starts_with(&k))
        })
        .collect();
    match close.as_slice() {
        [one] => Ok((*one).clone()),
        _ => Err(format!("「{s}」不在可选值中：应为 {} 之一", options.join("、"))),
    }
}

/// A number typed where a date belongs that reads as month.day (`10.8`, stored by Excel as the
/// number 10.8): never the number, and a date only when the year is known.
fn month_day_number(x: f64, year: Option<i32>) -> Option<Result<NaiveDate, String>> {
    if !(1.0..13.0).contains(&x) || x.fract() == 0.0 {
        return None;
    }
    Some(date::parse_date_in(&number_text(x), year))
}

fn to_date(cell: &Cell, year: Option<i32>) -> Result<NaiveDate, String> {
    if let Cell::Number(x) = cell
        && let Some(date) = month_day_number(*x, year)
    {
        return date;
    }
    match cell {
        Cell::DateTime(dt) => Ok(dt.date()),
        Cell::Number(x) if (1.0..2_958_466.0).contains(x) && x.fract() == 0.0 && *x < 100_000.0 => {
            date::from_excel_serial(*x, false)
                .map(|d| d.date())
                .ok_or_else(|| format!("「{}」不是有效日期", number_text(*x)))
        }
        other => date::parse_date_in(&other.shown(), year),
    }
}

/// A date-time, or a date alone (its time unknown). An Excel date cell whose time is midnight
/// is a date alone: staff type the date and leave the time out.
fn to_when(cell: &Cell, year: Option<i32>) -> Result<date::When, String> {
    if let Cell::Number(x) = cell
        && let Some(date) = month_day_number(*x, year)
    {
        return date.map(date::When::Date);
    }
    match cell {
        Cell::DateTime(dt) if dt.time() == NaiveTime::MIN => Ok(date::When::Date(dt.date())),
        Cell::DateTime(dt) => Ok(date::When::DateTime(*dt)),
        Cell::Number(x) if (1.0..100_000.0).contains(x) => {
            let dt = date::from_excel_serial(*x, false)
                .ok_or_else(|| format!("「{}」不是有效的日期时间", number_text(*x)))?;
            Ok(if dt.time() == NaiveTime::MIN { date::When::Date(dt.date()) } else { date::When::DateTime(dt) })
        }
        other => date::parse_when(&other.shown(), year),
    }
}

fn to_time(cell: &Cell) -> Result<NaiveTime, String> {
    match cell {
        Cell::DateTime(dt) => Ok(dt.time()),
        Cell::Number(x) if (0.0..1.0).contains(x) => {
            date::excel_serial_time(*x).ok_or_else(|| format!("「{}」不是有效时间", number_text(*x)))
        }
        other => date::parse_time(&other.shown()),
    }
}

fn to_month(cell: &Cell) -> Result<YearMonth, String> {
    let (year, month) = match cell {
        Cell::DateTime(dt) => (chrono::Datelike::year(&dt.date()), chrono::Datelike::month(&dt.date())),
        other => date::parse_month(&other.shown())?,
    };
    Ok(YearMonth { year, month })
}

/// A count: a whole number, possibly followed by its unit (`3人`, `2把`).
fn to_integer(cell: &Cell) -> Result<i64, String> {
    let shown = cell.shown();
    let x = match cell {
        Cell::Number(x) => *x,
        _ => match strip_unit(&text::normalize(&shown)).parse::<f64>() {
            Ok(x) => x,
            // 楼号 and 单元 as staff write them: 1号楼, 一单元.
            Err(_) => room::part_number(&shown)
                .map(f64::from)
                .ok_or_else(|| format!("「{shown}」不是整数：应填写数字，如 3"))?,
        },
    };
    if x.fract() != 0.0 || !x.is_finite() {
        return Err(format!("「{shown}」不是整数：应填写不带小数的数字"));
    }
    if x < 0.0 {
        return Err(format!("「{shown}」是负数：这里应填写 0 或正整数"));
    }
    if x > 1e12 {
        return Err(format!("「{shown}」过大：不像是数量"));
    }
    Ok(x as i64)
}

fn to_decimal(cell: &Cell) -> Result<f64, String> {
    let shown = cell.shown();
    let x = match cell {
        Cell::Number(x) => *x,
        _ => strip_unit(&text::normalize(&shown))
            .parse::<f64>()
            .map_err(|_| format!("「{shown}」不是数值：应填写数字，如 89.5"))?,
    };
    if !x.is_finite() || x.abs() > 1e12 {
        return Err(format!("「{shown}」不是合理的数值"));
    }
    Ok(x)
}

/// `89.5㎡` → `89.5`, `3 人` → `3`, `1,200` → `1200`.
fn strip_unit(s: &str) -> String {
    let digits_end = s
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.' || *c == ',' || *c == '-' || *c == '+' || *c == ' '))
        .map(|(i, _)| i)
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(digits_end);
    let unit_ok = unit.chars().all(|c| !c.is_ascii_digit());
    if unit_ok { num.replace([',', ' '], "") } else { s.to_string() }
}

/// 是/否 in the ways staff write them.
pub fn to_bool(cell: &Cell) -> Option<bool> {
    match cell {
        Cell::Bool(b) => Some(*b),
        Cell::Number(x) if *x == 1.0 => Some(true),
        Cell::Number(x) if *x == 0.0 => Some(false),
        Cell::Text(t) => {
            let s = t.trim();
            let lower;
            let s = if s.is_ascii() && s.bytes().any(|b| b.is_ascii_uppercase()) {
                lower = s.to_ascii_lowercase();
                lower.as_str()
            } else {
                s
            };
            match s {
                "是" | "√" | "✓" | "✔" | "☑" | "有" | "已" | "y" | "yes" | "true" | "对" | "已签" | "已交" | "已收" => {
                    Some(true)
                }
                "否" | "×" | "✗" | "✘" | "无" | "未" | "n" | "no" | "false" | "没有" | "未签" => {
                    Some(false)
                }
                // 已告知, 已收回, 已签收 — done; 未告知, 未收回 — not done.
                _ if s.starts_with('已') && s.chars().count() <= 4 => Some(true),
                _ if s.starts_with('未') && s.chars().count() <= 4 => Some(false),
                _ => None,
            }
        }
        _ => None,
    }
}

fn signature(cell: &Cell) -> Signature {
    match to_bool(cell) {
        Some(signed) => Signature { signed, by: None },
        None => Signature { signed: true, by: Some(unpad_name(&text::normalize(&cell.shown()))) },
    }
}

/// `客厅墙面：裂缝；卫生间防水：渗漏` → items with notes; each item must be one of `items`.
fn checklist(shown: &str, items: &[String]) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut keys: Option<Vec<String>> = None;
    for part in shown.split(['；', ';', '\n']).map(text::normalize).filter(|p| !p.is_empty()) {
        let (name, note) = match part.split_once(['：', ':']) {
            Some((n, note)) => (text::normalize(n), text::normalize(note)),
            None => (part.clone(), String::new()),
        };
        // Items are mostly written exactly; the looser matches (by header key, computed once
        // per cell) are tried only when they are not.
        let found = items.iter().find(|i| **i == name).or_else(|| {
            let keys = keys.get_or_insert_with(|| items.iter().map(|i| text::header_key(i)).collect::<Vec<_>>());
            let key = text::header_key(&name);
            let at = keys.iter().position(|k| *k == key).or_else(|| {
                let mut matches = keys.iter().enumerate().filter(|(_, k)| k.contains(&key));
                match (matches.next(), matches.next()) {
                    (Some((i, _)), None) => Some(i),
                    _ => None,
                }
            });
            at.map(|i| &items[i])
        });
        match found {
            Some(item) => out.push((item.clone(), note)),
            None => {
                let listed: Vec<&str> = items.iter().take(8).map(String::as_str).collect();
                return Err(format!(
                    "检查项「{name}」不在本表的检查项目中（如 {}{}）；应写成 项目：说明；项目：说明",
                    listed.join("、"),
                    if items.len() > 8 { " 等" } else { "" }
                ));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_writing_is_read() {
        let person = field("person", "");
        assert_eq!(v(Cell::Text("黄\u{3000}军".into()), &person).unwrap(), Some(Value::Text("黄军".into())));
        assert_eq!(v(Cell::Text("黄 军".into()), &person).unwrap(), Some(Value::Text("黄军".into())));
        assert_eq!(v(Cell::Text("John Smith".into()), &person).unwrap(), Some(Value::Text("John Smith".into())));
        let place = field("place", "");
        assert_eq!(v(Cell::Text("1号楼2单元楼道".into()), &place).unwrap(), Some(Value::Text("1号楼2单元楼道".into())));
        assert_eq!(v(Cell::Text("不详".into()), &place).unwrap(), Some(Value::Text("匿名".into())));
        assert!(matches!(v(Cell::Text("1-2-301".into()), &place).unwrap(), Some(Value::Room(_))));
        assert!(v(Cell::Text("楼上那家".into()), &place).is_err());
        // A number in a date column that reads as month.day is that date, given the year.
        let date = field("date", "");
        let ctx = Context { year: Some(2026), values: None };
        assert_eq!(
            to_value_in(&Cell::Number(9.15), &date, ctx).unwrap(),
            Some(Value::Date(NaiveDate::from_ymd_opt(2026, 9, 15).unwrap()))
        );
        // A date alone in a datetime column: the time is unknown, not midnight.
        let dt = field("datetime", "");
        let midnight = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap().and_hms_opt(0, 0, 0).unwrap();
        assert_eq!(v(Cell::DateTime(midnight), &dt).unwrap(), Some(Value::Date(midnight.date())));
        assert_eq!(v(Cell::Text("已还".into()), &dt).unwrap(), Some(Value::Text("已还".into())));
        let integer = field("integer", "");
        assert_eq!(v(Cell::Text("一单元".into()), &integer).unwrap(), Some(Value::Integer(1)));
        assert_eq!(v(Cell::Text("2号楼".into()), &integer).unwrap(), Some(Value::Integer(2)));
        let yes = field("bool", "");
        assert_eq!(v(Cell::Text("已告知".into()), &yes).unwrap(), Some(Value::Bool(true)));
    }

    #[test]
    fn staff_words_for_options() {
        let f = field("choice", "options: [工程部维修单, 部门工作联系单]\nsynonyms:\n  部门工作联系单: [联系单]");
        assert_eq!(v(Cell::Text("联系单".into()), &f).unwrap(), Some(Value::Text("部门工作联系单".into())));
        let map: std::collections::HashMap<String, String> =
            [(text::header_key("派工"), "工程部维修单".to_string())].into_iter().collect();
        let ctx = Context { year: None, values: Some(&map) };
        assert_eq!(to_value_in(&Cell::Text("派工".into()), &f, ctx).unwrap(), Some(Value::Text("工程部维修单".into())));
    }

    fn field(ty: &str, extra: &str) -> Field {
        let yaml = format!("key: x\nlabel: 字段\ntype: {ty}\nwidth: 5\n{extra}");
        crate::yaml::from_str(&yaml, std::path::Path::new("t.yaml")).unwrap()
    }

    fn v(cell: Cell, f: &Field) -> Result<Option<Value>, String> {
        to_value(&cell, f)
    }

    #[test]
    fn choices_match_exactly_or_by_unique_prefix() {
        let f = field("choice", "options: [屋面防水（5年）, 供热与供冷系统（2个采暖期）]");
        assert_eq!(v(Cell::Text("屋面防水".into()), &f).unwrap(), Some(Value::Text("屋面防水（5年）".into())));
        assert!(v(Cell::Text("电梯".into()), &f).unwrap_err().contains("应为 屋面防水（5年）、"));
    }

    #[test]
    fn counts_take_units_and_refuse_fractions() {
        let f = field("integer", "");
        assert_eq!(v(Cell::Text("3人".into()), &f).unwrap(), Some(Value::Integer(3)));
        assert_eq!(v(Cell::Number(2.0), &f).unwrap(), Some(Value::Integer(2)));
        assert!(v(Cell::Number(2.5), &f).unwrap_err().contains("不是整数"));
        assert!(v(Cell::Text("-1".into()), &f).unwrap_err().contains("负数"));
    }

    #[test]
    fn formula_errors_and_huge_cells_are_refused() {
        let f = field("text", "");
        assert!(v(Cell::Error("#REF!".into()), &f).unwrap_err().contains("#REF!"));
        assert!(v(Cell::Text("字".repeat(6000).into()), &f).unwrap_err().contains("上限"));
    }

    #[test]
    fn id_numbers_stored_as_numbers_are_explained() {
        let f = field("id_number", "");
        assert!(v(Cell::Number(210102198001011234.0), &f).unwrap_err().contains("存成了数字"));
    }

    #[test]
    fn signatures_and_checklists() {
        let s = field("signature", "");
        assert_eq!(
            v(Cell::Text("王敏".into()), &s).unwrap(),
            Some(Value::Signature(Signature { signed: true, by: Some("王敏".into()) }))
        );
        assert_eq!(
            v(Cell::Text("√".into()), &s).unwrap(),
            Some(Value::Signature(Signature { signed: true, by: None }))
        );
        let c = field("checklist", "items: [客厅墙面, 卫生间防水]\ncolumns: [合格, 问题描述]");
        assert_eq!(
            v(Cell::Text("客厅墙面：裂缝；卫生间防水：渗漏".into()), &c).unwrap(),
            Some(Value::Checklist(vec![("客厅墙面".into(), "裂缝".into()), ("卫生间防水".into(), "渗漏".into())]))
        );
        assert!(v(Cell::Text("阳台：脏".into()), &c).unwrap_err().contains("检查项「阳台」"));
    }

    #[test]
    fn dates_from_excel_cells_and_text() {
        let f = field("date", "");
        let d = NaiveDate::from_ymd_opt(2026, 11, 3).unwrap();
        assert_eq!(v(Cell::DateTime(d.and_hms_opt(0, 0, 0).unwrap()), &f).unwrap(), Some(Value::Date(d)));
        assert_eq!(v(Cell::Number(46329.0), &f).unwrap(), Some(Value::Date(d)));
        assert_eq!(v(Cell::Text("2026年11月3日".into()), &f).unwrap(), Some(Value::Date(d)));
        assert_eq!(v(Cell::Number(20261103.0), &f).unwrap(), Some(Value::Date(d)));
    }
}
