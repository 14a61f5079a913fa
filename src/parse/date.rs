//! Cell text → dates, times, date-times and months as staff type them (`2026-11-3`, `2026/11/3`,
//! `2026年11月3日`, `20261103`, `9:05`, `下午3点`, `2026-11-03 14:30`, `2026年1月`), and Excel serial
//! numbers → dates and times. Text that cannot be read gives `Err` with one Chinese sentence naming
//! the value and what was expected; serial numbers out of range give `None`.

use chrono::{Days, NaiveDate, NaiveDateTime, NaiveTime};

use super::text::{normalize, quote};

const DATE_FORMS: &str = "应写成 2026-11-03、2026/11/3 或 2026年11月3日 这样的日期";
const TIME_FORMS: &str = "应写成 9:05、14:30 或 下午3点 这样的时间";
const DATETIME_FORMS: &str = "应写成 2026-11-03 14:30 或 2026年11月3日 下午2点30分 这样的日期加时间";
const MONTH_FORMS: &str = "应写成 2026-01、2026/1 或 2026年1月 这样的年月";
const TWO_DIGIT_YEAR: &str = "年份应写全四位，如 2026，不能只写 26";
const YEAR_ORDER: &str = "年份应写在前面，按 年-月-日 的顺序，如 2026-11-03";
const YEAR_DIGITS: &str = "年份应为四位数，如 2026";
const YEAR_RANGE: &str = "年份应在 1900 至 2100 之间";
const MONTH_RANGE: &str = "月份应为 1 至 12";
const DAY_RANGE: &str = "日应为 1 至 31";
const NO_YEAR: &str = "没有年份：工作表名、标题行和文件名中都找不到是哪一年，请写全（如 2026-10-08），或在 mapping.yaml 中用 year 写明年份";

/// Why text could not be read: it does not have the shape of the thing at all (the caller then
/// lists the accepted forms), or it has the shape but a part is wrong (the reason says which).
#[derive(Debug)]
enum Fail {
    Shape,
    Reason(String),
}

impl Fail {
    fn reason(s: &str) -> Self {
        Fail::Reason(s.to_string())
    }
}

/// Builds the error sentence: `「value」不是有效{what}：{reason}`, the reason defaulting to `forms`.
fn message(value: &str, what: &str, fail: Fail, forms: &str) -> String {
    let reason = match fail {
        Fail::Shape => forms.to_string(),
        Fail::Reason(r) => r,
    };
    format!("{}不是有效{what}：{reason}", quote(value))
}

/// A position in normalised text; every step moves over whole characters, so nothing can split
/// a character or run past the end.
#[derive(Debug, Clone, Copy)]
struct Cursor<'a> {
    rest: &'a str,
}

impl<'a> Cursor<'a> {
    fn new(s: &'a str) -> Self {
        Cursor { rest: s }
    }

    /// A run of ASCII digits, if the text continues with one.
    fn digits(&mut self) -> Option<&'a str> {
        let n = self.rest.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return None;
        }
        let (digits, rest) = self.rest.split_at_checked(n)?;
        self.rest = rest;
        Some(digits)
    }

    fn eat(&mut self, prefix: &str) -> bool {
        match self.rest.strip_prefix(prefix) {
            Some(rest) => {
                self.rest = rest;
                true
            }
            None => false,
        }
    }

    /// Eats an ASCII word such as `AM`, ignoring case.
    fn eat_ignore_case(&mut self, word: &str) -> bool {
        match self.rest.get(..word.len()) {
            Some(head) if head.eq_ignore_ascii_case(word) => {
                self.rest = self.rest.get(word.len()..).unwrap_or("");
                true
            }
            _ => false,
        }
    }

    fn eat_char(&mut self, wanted: impl Fn(char) -> bool) -> Option<char> {
        let c = self.rest.chars().next().filter(|&c| wanted(c))?;
        self.rest = self.rest.get(c.len_utf8()..).unwrap_or("");
        Some(c)
    }

    fn skip_spaces(&mut self) {
        self.rest = self.rest.trim_start_matches(' ');
    }

    fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }
}

/// Separators between year, month and day: `-` (and dash look-alikes), `/`, `.`.
fn is_date_separator(c: char) -> bool {
    matches!(c, '/' | '.') || super::text::is_dash(c)
}

/// The value of a run of at most nine digits (longer runs are out of range for every field here).
fn number(digits: &str) -> Option<u32> {
    if digits.len() > 9 { None } else { digits.parse().ok() }
}

/// How the date part was written, which decides whether a time may follow without a space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// `2026-11-03`, `2026/11/3`, `2026.11.3`.
    Separated,
    /// `2026年11月3日` / `2026年11月3号`: a time may follow directly (`2026年11月3日14:30`).
    ChineseWithDay,
    /// `2026年11月3` (no 日).
    ChineseNoDay,
    /// `20261103`.
    Compact,
}

/// Checks a year of four digits in 1900–2100.
fn year_of(y: &str) -> Result<i32, Fail> {
    match y.len() {
        2 => return Err(Fail::reason(TWO_DIGIT_YEAR)),
        4 => {}
        _ => return Err(Fail::reason(YEAR_DIGITS)),
    }
    match number(y).and_then(|y| i32::try_from(y).ok()) {
        Some(year) if (1900..=2100).contains(&year) => Ok(year),
        _ => Err(Fail::reason(YEAR_RANGE)),
    }
}

/// Checks a month of one or two digits in 1–12.
fn month_of(m: &str) -> Result<u32, Fail> {
    match number(m) {
        Some(month) if m.len() <= 2 && (1..=12).contains(&month) => Ok(month),
        _ => Err(Fail::reason(MONTH_RANGE)),
    }
}

/// Builds a date from the digit runs typed for year, month and day, explaining what is wrong.
fn ymd(y: &str, m: &str, d: &str) -> Result<NaiveDate, Fail> {
    if d.len() == 4 && y.len() <= 2 {
        return Err(Fail::reason(YEAR_ORDER));
    }
    let year = year_of(y)?;
    let month = month_of(m)?;
    let day = match number(d) {
        Some(day) if d.len() <= 2 && (1..=31).contains(&day) => day,
        _ => return Err(Fail::reason(DAY_RANGE)),
    };
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| {
        let days = (28..=31).rev().find(|&n| NaiveDate::from_ymd_opt(year, month, n).is_some()).unwrap_or(28);
        Fail::Reason(format!("{year}年{month}月只有 {days} 天"))
    })
}

/// Reads a date at the start of the cursor, leaving whatever follows it (a time, or junk).
fn date_prefix(c: &mut Cursor<'_>) -> Result<(NaiveDate, Form), Fail> {
    let y = c.digits().ok_or(Fail::Shape)?;
    if y.len() == 8 {
        let mut look = *c;
        look.skip_spaces();
        if look.eat_char(is_date_separator).is_some() || look.eat("年") {
            return Err(Fail::Shape);
        }
        let (yy, md) = y.split_at_checked(4).ok_or(Fail::Shape)?;
        let (mm, dd) = md.split_at_checked(2).ok_or(Fail::Shape)?;
        return Ok((ymd(yy, mm, dd)?, Form::Compact));
    }
    c.skip_spaces();
    if c.eat("年") {
        c.skip_spaces();
        let m = c.digits().ok_or(Fail::Shape)?;
        c.skip_spaces();
        if !c.eat("月") {
            return Err(Fail::Shape);
        }
        c.skip_spaces();
        let d = c.digits().ok_or(Fail::Shape)?;
        let mut look = *c;
        look.skip_spaces();
        let form = if look.eat("日") || look.eat("号") {
            *c = look;
            Form::ChineseWithDay
        } else if c.is_empty() || c.rest.starts_with(' ') {
            Form::ChineseNoDay
        } else {
            return Err(Fail::Shape);
        };
        Ok((ymd(y, m, d)?, form))
    } else if c.eat_char(is_date_separator).is_some() {
        c.skip_spaces();
        let m = c.digits().ok_or(Fail::Shape)?;
        c.skip_spaces();
        c.eat_char(is_date_separator).ok_or(Fail::Shape)?;
        c.skip_spaces();
        let d = c.digits().ok_or(Fail::Shape)?;
        Ok((ymd(y, m, d)?, Form::Separated))
    } else {
        Err(Fail::Shape)
    }
}

/// A date without its year at the start of the cursor — `10.8`, `10/8`, `10-8`, `10月8日` —
/// in `year`. `Fail::Shape` when the text is not shaped so.
fn month_day_prefix(c: &mut Cursor<'_>, year: i32) -> Result<(NaiveDate, Form), Fail> {
    let m = c.digits().filter(|m| m.len() <= 2).ok_or(Fail::Shape)?;
    c.skip_spaces();
    let chinese = c.eat("月");
    if !chinese && c.eat_char(is_date_separator).is_none() {
        return Err(Fail::Shape);
    }
    c.skip_spaces();
    let d = c.digits().filter(|d| d.len() <= 2).ok_or(Fail::Shape)?;
    let mut look = *c;
    look.skip_spaces();
    let form = if chinese && (look.eat("日") || look.eat("号")) {
        *c = look;
        Form::ChineseWithDay
    } else if c.is_empty() || c.rest.starts_with(' ') {
        if chinese { Form::ChineseNoDay } else { Form::Separated }
    } else {
        return Err(Fail::Shape);
    };
    Ok((ymd(&year.to_string(), m, d)?, form))
}

/// [`date_prefix`], then — when `year` is known (from the sheet's name, title or file) — a date
/// written without its year.
fn date_prefix_in(c: &mut Cursor<'_>, year: Option<i32>) -> Result<(NaiveDate, Form), Fail> {
    let start = *c;
    match date_prefix(c) {
        Ok(found) => Ok(found),
        Err(fail) => {
            let mut md = start;
            match year {
                Some(y) => match month_day_prefix(&mut md, y) {
                    Ok(found) => {
                        *c = md;
                        Ok(found)
                    }
                    Err(Fail::Shape) => Err(fail),
                    Err(reason) => Err(reason),
                },
                None if month_day_prefix(&mut md, 2000).is_ok() => Err(Fail::reason(NO_YEAR)),
                None => Err(fail),
            }
        }
    }
}

/// After a date: the text of the time that follows, if any. `Ok(None)` when nothing follows;
/// a time must be set off by a space or `T`, except directly after `日`/`号`.
fn time_part<'a>(c: Cursor<'a>, form: Form) -> Result<Option<&'a str>, Fail> {
    let mut c = c;
    if c.is_empty() {
        return Ok(None);
    }
    if !(c.eat(" ") || c.eat("T") || c.eat("t") || form == Form::ChineseWithDay) {
        return Err(Fail::Shape);
    }
    c.skip_spaces();
    if c.is_empty() { Err(Fail::Shape) } else { Ok(Some(c.rest)) }
}

/// A date alone, allowing a midnight time after it (Excel exports dates as `2026-11-03 00:00:00`).
fn date_only(t: &str, year: Option<i32>) -> Result<NaiveDate, Fail> {
    let mut c = Cursor::new(t);
    let (date, form) = date_prefix_in(&mut c, year)?;
    match time_part(c, form)? {
        None => Ok(date),
        Some(time) => match time_of(time) {
            Ok(time) if time == NaiveTime::MIN => Ok(date),
            Ok(_) => {
                Err(Fail::Reason(format!("这一栏只填日期，不带时间，应写成 {} 这样的日期", date.format("%Y-%m-%d"))))
            }
            Err(_) => Err(Fail::Shape),
        },
    }
}

/// Parses a date as typed: `2026-11-03`, `2026-11-3`, `2026/11/3`, `2026.11.3`, `2026年11月3日`,
/// `2026年11月3号`, `20261103`, with full-width digits and spaces allowed. A trailing `00:00` or
/// `00:00:00` (as Excel exports dates) is ignored; any other time is refused, since a date is
/// expected. Two-digit years, impossible dates and years outside 1900–2100 are refused.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let t = normalize(s);
    if t.is_empty() {
        return Err(message(s, "日期", Fail::reason("内容为空，应填写 2026-11-03 这样的日期"), DATE_FORMS));
    }
    date_only(&t, None).map_err(|fail| message(s, "日期", fail, DATE_FORMS))
}

/// [`parse_date`], where a date typed without its year (`10.8`, `10/8`, `10月8日`) is in `year`
/// when one is known.
pub fn parse_date_in(s: &str, year: Option<i32>) -> Result<NaiveDate, String> {
    let t = normalize(s);
    if t.is_empty() {
        return Err(message(s, "日期", Fail::reason("内容为空，应填写 2026-11-03 这样的日期"), DATE_FORMS));
    }
    date_only(&t, year).map_err(|fail| message(s, "日期", fail, DATE_FORMS))
}

/// A date with or without its time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// Only the date was written: the time is unknown.
    Date(NaiveDate),
    DateTime(NaiveDateTime),
}

/// A date-time as [`parse_datetime`] reads it, or a date alone (the time unknown); a date without
/// its year is in `year` when one is known.
pub fn parse_when(s: &str, year: Option<i32>) -> Result<When, String> {
    const WHAT: &str = "的日期时间";
    let t = normalize(s);
    let fail = |fail| message(s, WHAT, fail, DATETIME_FORMS);
    if t.is_empty() {
        return Err(fail(Fail::reason("内容为空，应填写 2026-11-03 14:30 这样的日期加时间")));
    }
    let mut c = Cursor::new(&t);
    let (date, form) = match date_prefix_in(&mut c, year) {
        Ok(found) => found,
        Err(Fail::Shape) if time_of(&t).is_ok() => {
            return Err(fail(Fail::reason("缺少日期，应写成 2026-11-03 14:30 这样的日期加时间")));
        }
        Err(other) => return Err(fail(other)),
    };
    match time_part(c, form).map_err(fail)? {
        None => Ok(When::Date(date)),
        Some(time) => Ok(When::DateTime(date.and_time(time_of(time).map_err(fail)?))),
    }
}

/// Morning/afternoon words before a time, or AM/PM after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Period {
    /// 上午, 早上, 早晨: hours 0–12 as written.
    Morning,
    /// 凌晨: hours 0–6 (12 meaning 0).
    EarlyMorning,
    /// 中午: 11, 12 as written; 1, 2 in the afternoon.
    Noon,
    /// 下午: 1–11 plus twelve; 12–23 as written.
    Afternoon,
    /// 晚上, 傍晚: 5–11 plus twelve; 17–23 as written.
    Evening,
    /// AM after the time: 12 AM is 0:00.
    Am,
    /// PM after the time: 12 PM is 12:00.
    Pm,
}

fn period_prefix(c: &mut Cursor<'_>) -> Option<Period> {
    const WORDS: [(&str, Period); 9] = [
        ("上午", Period::Morning),
        ("早上", Period::Morning),
        ("早晨", Period::Morning),
        ("凌晨", Period::EarlyMorning),
        ("中午", Period::Noon),
        ("下午", Period::Afternoon),
        ("傍晚", Period::Evening),
        ("晚上", Period::Evening),
        ("夜里", Period::Evening),
    ];
    WORDS.iter().find(|(word, _)| c.eat(word)).map(|&(_, period)| period)
}

/// The hour of the day meant by `hour` said in `period`.
fn apply_period(period: Option<Period>, hour: u32) -> Result<u32, Fail> {
    let bad = |s: &str| Err(Fail::reason(s));
    match period {
        None if hour <= 23 => Ok(hour),
        None => bad("小时应为 0 至 23"),
        Some(Period::Morning) if hour <= 12 => Ok(hour),
        Some(Period::Morning) => bad("“上午”后的钟点应为 0 至 12 点"),
        Some(Period::EarlyMorning) if hour <= 6 => Ok(hour),
        Some(Period::EarlyMorning) if hour == 12 => Ok(0),
        Some(Period::EarlyMorning) => bad("“凌晨”后的钟点应为 0 至 6 点"),
        Some(Period::Noon) if (11..=12).contains(&hour) => Ok(hour),
        Some(Period::Noon) if (1..=2).contains(&hour) => Ok(hour + 12),
        Some(Period::Noon) => bad("“中午”后的钟点应为 11 点至 2 点"),
        Some(Period::Afternoon) if (1..=11).contains(&hour) => Ok(hour + 12),
        Some(Period::Afternoon) if (12..=23).contains(&hour) => Ok(hour),
        Some(Period::Afternoon) => bad("“下午”后的钟点应为 1 至 12 点"),
        Some(Period::Evening) if (5..=11).contains(&hour) => Ok(hour + 12),
        Some(Period::Evening) if (17..=23).contains(&hour) => Ok(hour),
        Some(Period::Evening) => bad("“晚上”后的钟点应为 5 至 11 点，半夜请写成次日 0:00"),
        Some(Period::Am) if (1..=11).contains(&hour) => Ok(hour),
        Some(Period::Am) if hour == 12 => Ok(0),
        Some(Period::Pm) if (1..=11).contains(&hour) => Ok(hour + 12),
        Some(Period::Pm) if hour == 12 => Ok(12),
        Some(Period::Am | Period::Pm) => bad("AM/PM 前的钟点应为 1 至 12"),
    }
}

/// Minutes or seconds of at most two digits in 0–59.
fn sexagesimal(digits: &str, what: &str) -> Result<u32, Fail> {
    match number(digits) {
        Some(n) if digits.len() <= 2 && n <= 59 => Ok(n),
        _ => Err(Fail::Reason(format!("{what}应为 0 至 59"))),
    }
}

/// A time making up the whole of `t` (already normalised).
fn time_of(t: &str) -> Result<NaiveTime, Fail> {
    let mut c = Cursor::new(t);
    c.skip_spaces();
    let mut period = period_prefix(&mut c);
    c.skip_spaces();
    let h = c.digits().ok_or(Fail::Shape)?;
    let (mut minute, mut second) = (0, 0);
    if c.eat(":") {
        let m = c.digits().ok_or(Fail::Shape)?;
        if m.len() != 2 {
            return Err(Fail::reason("分钟应写两位，如 9:05"));
        }
        minute = sexagesimal(m, "分钟")?;
        if c.eat(":") {
            let s = c.digits().ok_or(Fail::Shape)?;
            if s.len() != 2 {
                return Err(Fail::reason("秒应写两位，如 9:05:30"));
            }
            second = sexagesimal(s, "秒")?;
            if c.eat(".") {
                // Fractions of a second (exports write `14:30:00.000`) are dropped.
                c.digits().ok_or(Fail::Shape)?;
            }
        }
    } else if c.eat("点") || c.eat("时") {
        c.skip_spaces();
        if c.eat("半") {
            minute = 30;
        } else if let Some(m) = c.digits() {
            minute = sexagesimal(m, "分钟")?;
            c.skip_spaces();
            if c.eat("分") {
                c.skip_spaces();
                if let Some(s) = c.digits() {
                    second = sexagesimal(s, "秒")?;
                    c.skip_spaces();
                    c.eat("秒");
                }
            }
        } else {
            c.eat("整");
        }
    } else {
        return Err(Fail::Shape);
    }
    c.skip_spaces();
    if period.is_none() {
        if c.eat_ignore_case("AM") {
            period = Some(Period::Am);
        } else if c.eat_ignore_case("PM") {
            period = Some(Period::Pm);
        }
        c.skip_spaces();
    }
    if !c.is_empty() {
        return Err(Fail::Shape);
    }
    let hour = match number(h) {
        Some(hour) if h.len() <= 2 => apply_period(period, hour)?,
        _ => return Err(Fail::reason("小时应为 0 至 23")),
    };
    NaiveTime::from_hms_opt(hour, minute, second).ok_or(Fail::Shape)
}

/// Parses a time of day: `9:05`, `09:05`, `9:05:30`, `9点05分`, `9时5分`, `9点`, `9点半`,
/// `上午9点`, `下午3点` / `下午3:30` (afternoon: plus twelve hours), `晚上8点`, `3:30 PM`,
/// with full-width digits allowed.
pub fn parse_time(s: &str) -> Result<NaiveTime, String> {
    let t = normalize(s);
    if t.is_empty() {
        return Err(message(s, "时间", Fail::reason("内容为空，应填写 14:30 这样的时间"), TIME_FORMS));
    }
    time_of(&t).map_err(|fail| message(s, "时间", fail, TIME_FORMS))
}

/// Parses a date followed by a time: a date as [`parse_date`] reads it, then a space, `T`, or
/// nothing (after `日`/`号`), then a time as [`parse_time`] reads it: `2026-11-03 14:30`,
/// `2026/11/3 9:05:30`, `2026年11月3日下午3点`. A date without a time is refused: the time is
/// needed here.
pub fn parse_datetime(s: &str) -> Result<NaiveDateTime, String> {
    const WHAT: &str = "的日期时间";
    let t = normalize(s);
    let fail = |fail| message(s, WHAT, fail, DATETIME_FORMS);
    if t.is_empty() {
        return Err(fail(Fail::reason("内容为空，应填写 2026-11-03 14:30 这样的日期加时间")));
    }
    let mut c = Cursor::new(&t);
    let (date, form) = match date_prefix(&mut c) {
        Ok(found) => found,
        Err(Fail::Shape) if time_of(&t).is_ok() => {
            return Err(fail(Fail::reason("缺少日期，应写成 2026-11-03 14:30 这样的日期加时间")));
        }
        Err(other) => return Err(fail(other)),
    };
    match time_part(c, form).map_err(fail)? {
        None => Err(fail(Fail::Reason(format!("缺少时间，应写成 {} 14:30 这样的日期加时间", date.format("%Y-%m-%d"))))),
        Some(time) => Ok(date.and_time(time_of(time).map_err(fail)?)),
    }
}

/// A year and month making up the whole of `t`, or `None` when `t` is not shaped like one.
fn month_only(t: &str) -> Option<Result<(i32, u32), Fail>> {
    let mut c = Cursor::new(t);
    let y = c.digits()?;
    if y.len() == 6 && c.is_empty() {
        let (yy, mm) = y.split_at_checked(4)?;
        return Some(year_of(yy).and_then(|year| Ok((year, month_of(mm)?))));
    }
    c.skip_spaces();
    let chinese = if c.eat("年") {
        true
    } else if c.eat_char(is_date_separator).is_some() {
        false
    } else {
        return None;
    };
    c.skip_spaces();
    let m = c.digits()?;
    c.skip_spaces();
    if chinese {
        if !c.eat("月") {
            return None;
        }
        c.eat("份");
    }
    if !c.is_empty() {
        return None;
    }
    if m.len() == 4 && y.len() <= 2 {
        return Some(Err(Fail::reason("年份应写在前面，如 2026-01")));
    }
    Some(year_of(y).and_then(|year| Ok((year, month_of(m)?))))
}

/// Parses a month as `(year, month)`: `2026-01`, `2026-1`, `2026/1`, `2026.01`, `2026年1月`,
/// `2026年1月份`, `202601`, or a whole date (its month is taken). Months outside 1–12 and years
/// outside 1900–2100 are refused.
pub fn parse_month(s: &str) -> Result<(i32, u32), String> {
    use chrono::Datelike;
    let t = normalize(s);
    if t.is_empty() {
        return Err(message(s, "月份", Fail::reason("内容为空，应填写 2026-01 这样的年月"), MONTH_FORMS));
    }
    let result = match month_only(&t) {
        Some(result) => result,
        None => date_only(&t, None).map(|date| (date.year(), date.month())),
    };
    result.map_err(|fail| message(s, "月份", fail, MONTH_FORMS))
}

/// The last day Excel can hold, serial 2958465 in the 1900 system.
fn excel_last_day() -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(9999, 12, 31)
}

/// Converts an Excel serial day number to a date and time. In the 1900 system serial 1 is
/// 1900-01-01 and serial 61 is 1900-03-01; serial 60 is Lotus's fictitious 1900-02-29 and gives
/// `None`, as does a serial below 0, NaN, or one whose day is past 2958465 (9999-12-31). Serial 0
/// (time-only cells) is 1899-12-31. In the 1904 system serial 0 is 1904-01-01. The fraction is the
/// time of day, rounded to the nearest second (rounding up to midnight moves to the next day).
pub fn from_excel_serial(serial: f64, date1904: bool) -> Option<NaiveDateTime> {
    if !(0.0..2_958_466.0).contains(&serial) {
        return None;
    }
    // At most about 2.6e11 seconds: exact in an f64, and well inside i64.
    let seconds = (serial * 86_400.0).round() as i64;
    let days = u64::try_from(seconds.div_euclid(86_400)).ok()?;
    let second_of_day = u32::try_from(seconds.rem_euclid(86_400)).ok()?;
    let date = if date1904 {
        NaiveDate::from_ymd_opt(1904, 1, 1)?.checked_add_days(Days::new(days))?
    } else if days < 60 {
        NaiveDate::from_ymd_opt(1899, 12, 31)?.checked_add_days(Days::new(days))?
    } else if days == 60 {
        return None;
    } else {
        NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_days(Days::new(days))?
    };
    if date > excel_last_day()? {
        return None;
    }
    Some(date.and_time(NaiveTime::from_num_seconds_from_midnight_opt(second_of_day, 0)?))
}

/// Converts the fraction of a day held by a time-only Excel cell (0 ≤ x < 1) to a time, rounded to
/// the nearest second; a fraction that rounds up to 24:00 gives 0:00, as Excel displays it. `None`
/// outside 0 ≤ x < 1 or for NaN.
pub fn excel_serial_time(fraction: f64) -> Option<NaiveTime> {
    if !(0.0..1.0).contains(&fraction) {
        return None;
    }
    let seconds = (fraction * 86_400.0).round() as u32 % 86_400;
    NaiveTime::from_num_seconds_from_midnight_opt(seconds, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_without_their_year_take_the_sheets_year() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        for (s, want) in
            [("10.8", d(10, 8)), ("10/8", d(10, 8)), ("10-8", d(10, 8)), ("10月8日", d(10, 8)), ("9月3号", d(9, 3))]
        {
            assert_eq!(parse_date_in(s, Some(2026)), Ok(want), "{s}");
        }
        // Without a year known, the message says where a year is looked for.
        assert!(parse_date_in("10.8", None).unwrap_err().contains("没有年份"));
        // A full date keeps its own year; an impossible day is still refused.
        assert_eq!(parse_date_in("2025-10-08", Some(2026)), Ok(NaiveDate::from_ymd_opt(2025, 10, 8).unwrap()));
        assert!(parse_date_in("9.31", Some(2026)).unwrap_err().contains("只有 30 天"));
        assert_eq!(parse_when("9.2 16:30", Some(2026)), Ok(When::DateTime(d(9, 2).and_hms_opt(16, 30, 0).unwrap())));
        assert_eq!(parse_when("2026-10-03", None), Ok(When::Date(d(10, 3))), "a date alone: time unknown");
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn t(h: u32, m: u32, s: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, s).unwrap()
    }

    fn dt(y: i32, mo: u32, day: u32, h: u32, mi: u32, s: u32) -> NaiveDateTime {
        d(y, mo, day).and_time(t(h, mi, s))
    }

    fn hostile() -> Vec<String> {
        vec![
            String::new(),
            " ".into(),
            "\u{3000}\t\n".into(),
            "\0".into(),
            "2026\0-11-03".into(),
            "😀".into(),
            "2026-11-03😀".into(),
            "9".repeat(10_000),
            "-".repeat(10_000),
            "2026-11-".to_string() + &"1".repeat(10_000),
            "年".repeat(10_000),
            "2026年".repeat(3_000),
            "\u{FEFF}\u{200B}".into(),
            "ＡＢＣ".into(),
            "🀄:🀄".into(),
            "9:".into(),
            ":".into(),
            "点".into(),
            "下午".into(),
            "2026-11-03 ".to_string() + &"1".repeat(10_000) + ":00",
            "T".into(),
            "2026-11-03T".into(),
        ]
    }

    #[test]
    fn dates_in_every_accepted_form() {
        let expected = d(2026, 11, 3);
        for s in [
            "2026-11-03",
            "2026-11-3",
            "2026/11/3",
            "2026/11/03",
            "2026.11.3",
            "2026年11月3日",
            "2026年11月3号",
            "2026年11月03日",
            "2026年11月3",
            "2026 年 11 月 3 日",
            "20261103",
            "２０２６－１１－０３",
            "２０２６年１１月３日",
            "  2026-11-03  ",
            "\u{3000}2026/11/3\u{3000}",
            "\u{FEFF}2026-11-03",
            "2026 - 11 - 03",
            "2026—11—03",
            "2026-11-03 00:00",
            "2026-11-03 00:00:00",
            "2026-11-03T00:00:00",
            "2026/11/3 0:00",
            "2026年11月3日 00:00",
            "2026年11月3日0点",
            "20261103 00:00:00",
        ] {
            assert_eq!(parse_date(s), Ok(expected), "{s}");
        }
    }

    #[test]
    fn date_edges() {
        assert_eq!(parse_date("1900-01-01"), Ok(d(1900, 1, 1)));
        assert_eq!(parse_date("2100-12-31"), Ok(d(2100, 12, 31)));
        assert_eq!(parse_date("2024-02-29"), Ok(d(2024, 2, 29)));
        assert_eq!(parse_date("2000-02-29"), Ok(d(2000, 2, 29)));
        assert_eq!(parse_date("2026-12-31"), Ok(d(2026, 12, 31)));
    }

    #[test]
    fn date_errors_explain() {
        assert_eq!(parse_date("2026/13/01").unwrap_err(), "「2026/13/01」不是有效日期：月份应为 1 至 12");
        assert_eq!(parse_date("2026-02-30").unwrap_err(), "「2026-02-30」不是有效日期：2026年2月只有 28 天");
        assert_eq!(parse_date("2024-02-30").unwrap_err(), "「2024-02-30」不是有效日期：2024年2月只有 29 天");
        assert_eq!(parse_date("1900-02-29").unwrap_err(), "「1900-02-29」不是有效日期：1900年2月只有 28 天");
        assert_eq!(parse_date("2026-04-31").unwrap_err(), "「2026-04-31」不是有效日期：2026年4月只有 30 天");
        assert_eq!(parse_date("2026-11-00").unwrap_err(), "「2026-11-00」不是有效日期：日应为 1 至 31");
        assert_eq!(parse_date("2026-11-32").unwrap_err(), "「2026-11-32」不是有效日期：日应为 1 至 31");
        assert_eq!(parse_date("2026-00-01").unwrap_err(), "「2026-00-01」不是有效日期：月份应为 1 至 12");
        assert_eq!(parse_date("20261303").unwrap_err(), "「20261303」不是有效日期：月份应为 1 至 12");
        assert_eq!(parse_date("26/11/3").unwrap_err(), format!("「26/11/3」不是有效日期：{TWO_DIGIT_YEAR}"));
        assert_eq!(parse_date("26年11月3日").unwrap_err(), format!("「26年11月3日」不是有效日期：{TWO_DIGIT_YEAR}"));
        assert_eq!(parse_date("11/3/2026").unwrap_err(), format!("「11/3/2026」不是有效日期：{YEAR_ORDER}"));
        assert_eq!(parse_date("1899-12-31").unwrap_err(), format!("「1899-12-31」不是有效日期：{YEAR_RANGE}"));
        assert_eq!(parse_date("2101-01-01").unwrap_err(), format!("「2101-01-01」不是有效日期：{YEAR_RANGE}"));
        assert_eq!(parse_date("12345678").unwrap_err(), format!("「12345678」不是有效日期：{YEAR_RANGE}"));
        assert_eq!(parse_date("226-1-1").unwrap_err(), format!("「226-1-1」不是有效日期：{YEAR_DIGITS}"));
        assert_eq!(parse_date("abc").unwrap_err(), format!("「abc」不是有效日期：{DATE_FORMS}"));
        assert!(parse_date("").unwrap_err().starts_with("「」不是有效日期：内容为空"));
        assert!(parse_date("  ").unwrap_err().starts_with("「  」不是有效日期：内容为空"));
    }

    #[test]
    fn date_refuses_a_time() {
        assert_eq!(
            parse_date("2026-11-03 14:30").unwrap_err(),
            "「2026-11-03 14:30」不是有效日期：这一栏只填日期，不带时间，应写成 2026-11-03 这样的日期"
        );
        assert!(parse_date("2026年11月3日下午3点").unwrap_err().contains("只填日期"));
        assert!(parse_date("2026-11-03 00:00:01").is_err());
        assert!(parse_date("2026-11-03 junk").unwrap_err().contains(DATE_FORMS));
        assert!(parse_date("2026-11-0300:00").is_err());
    }

    #[test]
    fn date_rejects_other_shapes() {
        for s in [
            "11月3日",
            "2026-11",
            "2026年11月",
            "2026",
            "2026-11-03-01",
            "2026--11-03",
            "2026-11-3日",
            "2026年11-3",
            "2026/11/3/",
            "202611033",
            "2026113",
            "2026-011-03",
            "2026-11-003",
            "二〇二六年十一月三日",
            "2026-11-03 星期二",
            "46329",
            "2026年11月3日x",
            "+2026-11-03",
        ] {
            let e = parse_date(s).unwrap_err();
            assert!(e.starts_with(&quote(s)), "{s}: {e}");
        }
    }

    #[test]
    fn times_in_every_accepted_form() {
        let cases = [
            ("9:05", t(9, 5, 0)),
            ("09:05", t(9, 5, 0)),
            ("9:05:30", t(9, 5, 30)),
            ("09:05:30.000", t(9, 5, 30)),
            ("0:00", t(0, 0, 0)),
            ("23:59:59", t(23, 59, 59)),
            ("9点05分", t(9, 5, 0)),
            ("9点5分", t(9, 5, 0)),
            ("9时5分", t(9, 5, 0)),
            ("9时5分30秒", t(9, 5, 30)),
            ("9点05", t(9, 5, 0)),
            ("9点", t(9, 0, 0)),
            ("9时", t(9, 0, 0)),
            ("9点整", t(9, 0, 0)),
            ("9点半", t(9, 30, 0)),
            ("下午3点", t(15, 0, 0)),
            ("下午3:30", t(15, 30, 0)),
            ("下午 3:30", t(15, 30, 0)),
            ("下午15:30", t(15, 30, 0)),
            ("下午12点", t(12, 0, 0)),
            ("上午9点", t(9, 0, 0)),
            ("上午12点", t(12, 0, 0)),
            ("早上7点半", t(7, 30, 0)),
            ("凌晨2点", t(2, 0, 0)),
            ("中午12点", t(12, 0, 0)),
            ("中午1点", t(13, 0, 0)),
            ("晚上8点", t(20, 0, 0)),
            ("晚上8点30分", t(20, 30, 0)),
            ("傍晚6点", t(18, 0, 0)),
            ("3:30 PM", t(15, 30, 0)),
            ("3:30pm", t(15, 30, 0)),
            ("12:00 AM", t(0, 0, 0)),
            ("12:00 PM", t(12, 0, 0)),
            ("９：０５", t(9, 5, 0)),
            ("９点０５分", t(9, 5, 0)),
            ("  14:30  ", t(14, 30, 0)),
        ];
        for (s, expected) in cases {
            assert_eq!(parse_time(s), Ok(expected), "{s}");
        }
    }

    #[test]
    fn time_errors_explain() {
        assert_eq!(parse_time("25:00").unwrap_err(), "「25:00」不是有效时间：小时应为 0 至 23");
        assert_eq!(parse_time("24:00").unwrap_err(), "「24:00」不是有效时间：小时应为 0 至 23");
        assert_eq!(parse_time("9:60").unwrap_err(), "「9:60」不是有效时间：分钟应为 0 至 59");
        assert_eq!(parse_time("9:05:60").unwrap_err(), "「9:05:60」不是有效时间：秒应为 0 至 59");
        assert_eq!(parse_time("9:5").unwrap_err(), "「9:5」不是有效时间：分钟应写两位，如 9:05");
        assert_eq!(parse_time("9点61分").unwrap_err(), "「9点61分」不是有效时间：分钟应为 0 至 59");
        assert!(parse_time("下午0点").unwrap_err().contains("“下午”后的钟点"));
        assert!(parse_time("上午13点").unwrap_err().contains("“上午”后的钟点"));
        assert!(parse_time("晚上12点").unwrap_err().contains("次日 0:00"));
        assert!(parse_time("13:00 PM").unwrap_err().contains("AM/PM"));
        assert_eq!(parse_time("abc").unwrap_err(), format!("「abc」不是有效时间：{TIME_FORMS}"));
        assert!(parse_time("").unwrap_err().contains("内容为空"));
    }

    #[test]
    fn time_rejects_other_shapes() {
        for s in [
            "930",
            "0930",
            "9",
            "9:",
            ":30",
            "9:05:",
            "9:05:30:00",
            "9.05",
            "九点",
            "9点5分钟",
            "下午3点 PM",
            "3:30 XM",
            "9:05 下午",
            "9点05分30秒x",
            "-9:05",
            "9:-5",
            "2026-11-03",
        ] {
            let e = parse_time(s).unwrap_err();
            assert!(e.starts_with(&quote(s)), "{s}: {e}");
        }
        // Seconds without 秒 after 分 are read leniently.
        assert_eq!(parse_time("9点05分30"), Ok(t(9, 5, 30)));
    }

    #[test]
    fn datetimes() {
        let cases = [
            ("2026-11-03 14:30", dt(2026, 11, 3, 14, 30, 0)),
            ("2026-11-3 9:05:30", dt(2026, 11, 3, 9, 5, 30)),
            ("2026/11/3 14:30", dt(2026, 11, 3, 14, 30, 0)),
            ("2026.11.3 14:30", dt(2026, 11, 3, 14, 30, 0)),
            ("2026-11-03T14:30:00", dt(2026, 11, 3, 14, 30, 0)),
            ("2026-11-03   14:30", dt(2026, 11, 3, 14, 30, 0)),
            ("2026-11-03\n14:30", dt(2026, 11, 3, 14, 30, 0)),
            ("2026年11月3日14:30", dt(2026, 11, 3, 14, 30, 0)),
            ("2026年11月3日 14:30", dt(2026, 11, 3, 14, 30, 0)),
            ("2026年11月3日下午3点", dt(2026, 11, 3, 15, 0, 0)),
            ("2026年11月3号下午2点30分", dt(2026, 11, 3, 14, 30, 0)),
            ("2026年11月3 14:30", dt(2026, 11, 3, 14, 30, 0)),
            ("20261103 14:30", dt(2026, 11, 3, 14, 30, 0)),
            ("２０２６－１１－０３　１４：３０", dt(2026, 11, 3, 14, 30, 0)),
            ("2026-11-03 00:00", dt(2026, 11, 3, 0, 0, 0)),
            ("2026/11/3 下午 3:30:15", dt(2026, 11, 3, 15, 30, 15)),
            ("2026-11-03 3:30 PM", dt(2026, 11, 3, 15, 30, 0)),
        ];
        for (s, expected) in cases {
            assert_eq!(parse_datetime(s), Ok(expected), "{s}");
        }
    }

    #[test]
    fn datetime_needs_both_parts() {
        assert_eq!(
            parse_datetime("2026-11-03").unwrap_err(),
            "「2026-11-03」不是有效的日期时间：缺少时间，应写成 2026-11-03 14:30 这样的日期加时间"
        );
        assert_eq!(
            parse_datetime("2026年11月3日").unwrap_err(),
            "「2026年11月3日」不是有效的日期时间：缺少时间，应写成 2026-11-03 14:30 这样的日期加时间"
        );
        assert!(parse_datetime("2026/1/5 ").unwrap_err().contains("2026-01-05 14:30"));
        assert!(parse_datetime("14:30").unwrap_err().contains("缺少日期"));
        assert!(parse_datetime("下午3点").unwrap_err().contains("缺少日期"));
    }

    #[test]
    fn datetime_errors_explain() {
        assert_eq!(
            parse_datetime("2026-13-03 14:30").unwrap_err(),
            "「2026-13-03 14:30」不是有效的日期时间：月份应为 1 至 12"
        );
        assert_eq!(
            parse_datetime("2026-11-03 25:30").unwrap_err(),
            "「2026-11-03 25:30」不是有效的日期时间：小时应为 0 至 23"
        );
        assert!(parse_datetime("26-11-03 14:30").unwrap_err().contains(TWO_DIGIT_YEAR));
        assert!(parse_datetime("2026-02-30 14:30").unwrap_err().contains("2026年2月只有 28 天"));
        for s in ["2026-11-0314:30", "2026-11-03 14:30 x", "2026-11-03 abc", "abc", "2026-11-03 14", "2026-11-03T"] {
            let e = parse_datetime(s).unwrap_err();
            assert!(e.starts_with(&format!("{}不是有效的日期时间：", quote(s))), "{s}: {e}");
        }
        assert!(parse_datetime("").unwrap_err().contains("内容为空"));
    }

    #[test]
    fn months() {
        for s in [
            "2026-01",
            "2026-1",
            "2026/1",
            "2026.01",
            "2026年1月",
            "2026年01月",
            "2026年1月份",
            "2026 年 1 月",
            "202601",
            "２０２６年１月",
            "2026-01-15",
            "2026/1/31",
            "2026年1月5日",
            "20260105",
            "2026-01-01 00:00:00",
            " 2026-01 ",
        ] {
            assert_eq!(parse_month(s), Ok((2026, 1)), "{s}");
        }
        assert_eq!(parse_month("2026-12"), Ok((2026, 12)));
        assert_eq!(parse_month("1900-01"), Ok((1900, 1)));
        assert_eq!(parse_month("2100-12"), Ok((2100, 12)));
    }

    #[test]
    fn month_errors_explain() {
        assert_eq!(parse_month("2026-13").unwrap_err(), "「2026-13」不是有效月份：月份应为 1 至 12");
        assert_eq!(parse_month("2026年0月").unwrap_err(), "「2026年0月」不是有效月份：月份应为 1 至 12");
        assert_eq!(parse_month("202613").unwrap_err(), "「202613」不是有效月份：月份应为 1 至 12");
        assert_eq!(parse_month("2026-001").unwrap_err(), "「2026-001」不是有效月份：月份应为 1 至 12");
        assert!(parse_month("26-01").unwrap_err().contains(TWO_DIGIT_YEAR));
        assert!(parse_month("01-2026").unwrap_err().contains("年份应写在前面"));
        assert!(parse_month("2101-01").unwrap_err().contains(YEAR_RANGE));
        assert!(parse_month("2026-02-30").unwrap_err().contains("2026年2月只有 28 天"));
        assert!(parse_month("2026-01-05 14:30").unwrap_err().contains("只填日期"));
        for s in ["2026", "1月", "2026年", "2026年1", "2026-1月", "2026-01x", "一月", "20261"] {
            assert_eq!(parse_month(s).unwrap_err(), format!("{}不是有效月份：{MONTH_FORMS}", quote(s)), "{s}");
        }
        assert!(parse_month("").unwrap_err().contains("内容为空"));
    }

    #[test]
    fn hostile_text_never_panics_and_is_refused() {
        for s in hostile() {
            assert!(parse_date(&s).is_err(), "{s:?}");
            assert!(parse_time(&s).is_err(), "{s:?}");
            assert!(parse_datetime(&s).is_err(), "{s:?}");
            assert!(parse_month(&s).is_err(), "{s:?}");
        }
        let long = "9".repeat(10_000);
        let e = parse_date(&long).unwrap_err();
        assert!(e.chars().count() < 200, "{e}");
        assert!(e.contains("（共 10000 个字符）"));
    }

    #[test]
    fn excel_serials_1900() {
        assert_eq!(from_excel_serial(1.0, false), Some(dt(1900, 1, 1, 0, 0, 0)));
        assert_eq!(from_excel_serial(59.0, false), Some(dt(1900, 2, 28, 0, 0, 0)));
        assert_eq!(from_excel_serial(60.0, false), None, "Lotus's 1900-02-29 does not exist");
        assert_eq!(from_excel_serial(60.5, false), None);
        assert_eq!(from_excel_serial(61.0, false), Some(dt(1900, 3, 1, 0, 0, 0)));
        assert_eq!(from_excel_serial(0.0, false), Some(dt(1899, 12, 31, 0, 0, 0)));
        assert_eq!(from_excel_serial(0.5, false), Some(dt(1899, 12, 31, 12, 0, 0)));
        assert_eq!(from_excel_serial(25_569.0, false), Some(dt(1970, 1, 1, 0, 0, 0)));
        assert_eq!(from_excel_serial(46_329.0, false), Some(dt(2026, 11, 3, 0, 0, 0)));
        assert_eq!(from_excel_serial(46_329.604_166_666_67, false), Some(dt(2026, 11, 3, 14, 30, 0)));
        assert_eq!(from_excel_serial(2_958_465.0, false), Some(dt(9999, 12, 31, 0, 0, 0)));
        assert_eq!(from_excel_serial(2_958_465.999_988_426, false), Some(dt(9999, 12, 31, 23, 59, 59)));
    }

    #[test]
    fn excel_serial_rounding() {
        // 14:29:59.6 rounds to 14:30:00.
        let serial = 46_329.0 + (14.0 * 3600.0 + 29.0 * 60.0 + 59.6) / 86_400.0;
        assert_eq!(from_excel_serial(serial, false), Some(dt(2026, 11, 3, 14, 30, 0)));
        // A hair before midnight rounds to midnight of the next day.
        assert_eq!(from_excel_serial(46_329.999_999_9, false), Some(dt(2026, 11, 4, 0, 0, 0)));
        // Floating noise in 0.1 + 0.2 style sums.
        assert_eq!(from_excel_serial(46_329.0 + 0.25 + 1e-9, false), Some(dt(2026, 11, 3, 6, 0, 0)));
    }

    #[test]
    fn excel_serials_1904() {
        assert_eq!(from_excel_serial(0.0, true), Some(dt(1904, 1, 1, 0, 0, 0)));
        assert_eq!(from_excel_serial(1.0, true), Some(dt(1904, 1, 2, 0, 0, 0)));
        assert_eq!(from_excel_serial(60.0, true), Some(dt(1904, 3, 1, 0, 0, 0)));
        assert_eq!(from_excel_serial(44_867.0, true), Some(dt(2026, 11, 3, 0, 0, 0)));
        assert_eq!(from_excel_serial(2_957_003.0, true), Some(dt(9999, 12, 31, 0, 0, 0)));
        assert_eq!(from_excel_serial(2_957_004.0, true), None);
        assert_eq!(from_excel_serial(2_958_465.0, true), None);
    }

    #[test]
    fn excel_serials_refused() {
        for x in [-1.0, -0.000_001, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 2_958_466.0, 1e300, f64::MAX, f64::MIN]
        {
            assert_eq!(from_excel_serial(x, false), None, "{x}");
            assert_eq!(from_excel_serial(x, true), None, "{x}");
        }
        assert_eq!(from_excel_serial(2_958_465.999_999_99, false), None, "rounds into year 10000");
        assert_eq!(from_excel_serial(-0.0, false), Some(dt(1899, 12, 31, 0, 0, 0)));
    }

    #[test]
    fn excel_times() {
        assert_eq!(excel_serial_time(0.0), Some(t(0, 0, 0)));
        assert_eq!(excel_serial_time(0.5), Some(t(12, 0, 0)));
        assert_eq!(excel_serial_time(0.604_166_666_666_666_6), Some(t(14, 30, 0)));
        assert_eq!(excel_serial_time(0.25 + 1e-9), Some(t(6, 0, 0)));
        assert_eq!(excel_serial_time(0.999_988_426), Some(t(23, 59, 59)));
        assert_eq!(excel_serial_time(0.999_999_9), Some(t(0, 0, 0)));
        for x in [1.0, 1.5, -0.1, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 46_329.5] {
            assert_eq!(excel_serial_time(x), None, "{x}");
        }
    }
}
