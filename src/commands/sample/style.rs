//! How staff write values in one register file — the "messy but valid" part of the sample:
//! dates as Excel dates or as text in several spellings, money as numbers or `¥1,234.50`, room
//! numbers as `1-2-301`, `1栋2单元301` or `1号楼2单元301室`, phones with spaces or dashes,
//! booleans as 是/否 or √, headers by alias, with stray spaces or a full-width colon.
//!
//! Input: a [`Style`] and a typed value. Output: the [`Cell`] to write. Cannot fail.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

use crate::forms::{Field, FieldType};

use super::record::V;

/// How dates are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dates {
    /// Real Excel dates (numbers with a date format).
    Excel,
    /// `2026-11-03`
    Iso,
    /// `2026/11/3`
    Slash,
    /// `2026.11.3`
    Dot,
    /// `2026年11月3日`
    Chinese,
    /// `２０２６-１１-０３`
    FullWidth,
    /// A different text spelling per row.
    Mixed,
}

/// How room numbers are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rooms {
    /// `1-2-301`
    Dash,
    /// `1栋2单元301`
    Dong,
    /// `1号楼2单元301室`
    Hao,
    /// A different spelling per row.
    Mixed,
}

/// How phone numbers are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phones {
    Plain,
    /// `139 1234 5678`
    Spaced,
    /// `139-1234-5678`
    Dashed,
    Mixed,
}

/// How column headers are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Headers {
    /// The field's label.
    Label,
    /// Every other field by its first alias.
    Alias,
    /// Stray spaces inside and around some labels.
    Spaces,
    /// Some labels followed by a full-width colon (`联系电话：`).
    Colon,
}

/// Everything about how one register file is written.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// A title row above the header.
    pub title: bool,
    /// A 制表人/日期 subtitle row under the title.
    pub subtitle: bool,
    /// Two header rows: grouped fields under a merged group cell.
    pub two_level: bool,
    /// A 序号 first column.
    pub serial: bool,
    /// How the column headers are written.
    pub headers: Headers,
    /// How dates are written.
    pub dates: Dates,
    /// Date-times as Excel date-times (else text `2026-11-03 14:30`).
    pub excel_datetimes: bool,
    /// Times as Excel times (else text `9:30`).
    pub excel_times: bool,
    /// Money as `¥1,234.50` text (else numbers).
    pub yen: bool,
    /// How room numbers are written.
    pub rooms: Rooms,
    /// How phone numbers are written.
    pub phones: Phones,
    /// Booleans as `√`/blank (else 是/否).
    pub ticks: bool,
    /// A 合计 row summing the money columns.
    pub total: bool,
    /// Consecutive equal values of this field are merged into one cell spanning the rows.
    pub merge: Option<&'static str>,
}

impl Style {
    /// Plain: labels, ISO text dates, numbers, `1-2-301`, 是/否.
    pub const PLAIN: Style = Style {
        title: false,
        subtitle: false,
        two_level: false,
        serial: false,
        headers: Headers::Label,
        dates: Dates::Iso,
        excel_datetimes: false,
        excel_times: false,
        yen: false,
        rooms: Rooms::Dash,
        phones: Phones::Plain,
        ticks: false,
        total: false,
        merge: None,
    };
}

/// What to put into a cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Blank,
    Text(String),
    /// A number and the kind of number format it needs.
    Number(f64, Num),
}

/// Number formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Num {
    General,
    Decimal,
    Money,
    Date,
    DateTime,
    Time,
}

/// The Excel serial number of a date and time (1900 system).
pub fn serial(dt: NaiveDateTime) -> f64 {
    let base = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or(NaiveDate::MIN);
    let days = (dt.date() - base).num_days() as f64;
    days + f64::from(dt.time().num_seconds_from_midnight()) / 86_400.0
}

/// The cell for value `v` of `field` in row `row` (rows vary the mixed spellings).
pub fn cell(field: &Field, v: &V, style: &Style, row: usize) -> Cell {
    match v {
        V::Text(s) => Cell::Text(s.clone()),
        V::Str(s) => Cell::Text((*s).to_string()),
        V::Int(n) => Cell::Number(*n as f64, Num::General),
        V::Dec(x) => Cell::Number(*x, Num::Decimal),
        V::Money(f) if style.yen => Cell::Text(yen(*f)),
        V::Money(f) => Cell::Number(*f as f64 / 100.0, Num::Money),
        V::Date(d) if style.dates == Dates::Excel => Cell::Number(serial(d.and_time(NaiveTime::MIN)), Num::Date),
        V::Date(d) => Cell::Text(date_text(*d, style.dates, row)),
        V::DateTime(dt) if style.excel_datetimes => Cell::Number(serial(*dt), Num::DateTime),
        V::DateTime(dt) => Cell::Text(dt.format("%Y-%m-%d %H:%M").to_string()),
        V::Time(t) if style.excel_times => Cell::Number(f64::from(t.num_seconds_from_midnight()) / 86_400.0, Num::Time),
        V::Time(t) => Cell::Text(format!("{}:{:02}", t.hour(), t.minute())),
        V::Month(m) => Cell::Text(format!("{}年{}月", m.year, m.month)),
        V::Room(r) => Cell::Text(room_text(r.building, r.unit, r.room, style.rooms, row)),
        V::Phone(p) => Cell::Text(phone_text(*p, style.phones, row)),
        V::Bool(true) if style.ticks => Cell::Text("√".to_string()),
        V::Bool(false) if style.ticks && !field.required => Cell::Blank,
        V::Bool(b) => Cell::Text(if *b { "是" } else { "否" }.to_string()),
    }
}

/// `¥1,234.50`
pub fn yen(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let fen = fen.unsigned_abs();
    let yuan = (fen / 100).to_string();
    let mut grouped = String::with_capacity(yuan.len() + yuan.len() / 3);
    for (i, c) in yuan.chars().enumerate() {
        if i > 0 && (yuan.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}¥{grouped}.{:02}", fen % 100)
}

/// A date as text in the given spelling.
pub fn date_text(d: NaiveDate, dates: Dates, row: usize) -> String {
    let (y, m, day) = (d.year(), d.month(), d.day());
    let spelling = match dates {
        Dates::Mixed => [Dates::Iso, Dates::Slash, Dates::Chinese, Dates::Dot][row % 4],
        other => other,
    };
    match spelling {
        Dates::Slash => format!("{y}/{m}/{day}"),
        Dates::Dot => format!("{y}.{m}.{day}"),
        Dates::Chinese => format!("{y}年{m}月{day}日"),
        Dates::FullWidth => full_width(&format!("{y:04}-{m:02}-{day:02}")),
        _ => format!("{y:04}-{m:02}-{day:02}"),
    }
}

/// ASCII digits as their full-width forms (an input method left in full-width mode).
fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(u32::from(c) + 0xFEE0).unwrap_or(c),
            c => c,
        })
        .collect()
}

fn room_text(b: u16, u: u8, r: u16, rooms: Rooms, row: usize) -> String {
    let spelling = match rooms {
        Rooms::Mixed => [Rooms::Dash, Rooms::Dong, Rooms::Dash, Rooms::Hao][row % 4],
        other => other,
    };
    match spelling {
        Rooms::Dong => format!("{b}栋{u}单元{r}"),
        Rooms::Hao => format!("{b}号楼{u}单元{r}室"),
        _ => format!("{b}-{u}-{r}"),
    }
}

fn phone_text(p: u64, phones: Phones, row: usize) -> String {
    let spelling = match phones {
        Phones::Mixed => [Phones::Plain, Phones::Spaced, Phones::Plain, Phones::Dashed][row % 4],
        other => other,
    };
    let (a, b, c) = (p / 100_000_000, p / 10_000 % 10_000, p % 10_000);
    match spelling {
        Phones::Spaced => format!("{a} {b:04} {c:04}"),
        Phones::Dashed => format!("{a}-{b:04}-{c:04}"),
        _ => p.to_string(),
    }
}

/// The header text of field number `i` in the given style.
pub fn header(field: &Field, i: usize, headers: Headers) -> String {
    match headers {
        Headers::Alias if i % 2 == 1 => field.aliases.first().cloned().unwrap_or_else(|| field.label.clone()),
        Headers::Spaces if i.is_multiple_of(3) => {
            let spaced: Vec<String> = field.label.chars().map(String::from).collect();
            if field.label.chars().count() == 2 { spaced.join(" ") } else { format!(" {} ", field.label) }
        }
        Headers::Spaces if i % 3 == 1 => format!("{} ", field.label),
        Headers::Colon if i.is_multiple_of(2) || field.ty == FieldType::Phone => format!("{}：", field.label),
        _ => field.label.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{date::parse_date, money::parse_money, room::parse_room};

    #[test]
    fn every_spelling_parses_back() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 3).unwrap();
        for s in [Dates::Iso, Dates::Slash, Dates::Dot, Dates::Chinese, Dates::FullWidth, Dates::Mixed] {
            for row in 0..4 {
                assert_eq!(parse_date(&date_text(d, s, row)).unwrap(), d);
            }
        }
        assert_eq!(date_text(d, Dates::FullWidth, 0), "２０２６-１１-０３");
        for s in [Rooms::Dash, Rooms::Dong, Rooms::Hao, Rooms::Mixed] {
            for row in 0..4 {
                let r = parse_room(&room_text(1, 2, 301, s, row)).unwrap();
                assert_eq!((r.building, r.unit, r.room), (1, 2, 301));
            }
        }
        for fen in [0, 5, 123_450, 100_000_053] {
            assert_eq!(parse_money(&yen(fen)).unwrap(), fen);
        }
        assert_eq!(yen(123_450), "¥1,234.50");
        assert_eq!(phone_text(13_912_345_678, Phones::Spaced, 0), "139 1234 5678");
        assert_eq!(phone_text(13_912_345_678, Phones::Dashed, 0), "139-1234-5678");
    }

    #[test]
    fn serial_numbers_match_excel() {
        let d = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        assert_eq!(serial(d.and_hms_opt(12, 0, 0).unwrap()), 46023.5);
    }
}
