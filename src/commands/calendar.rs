//! `kefu calendar`: which years the working-day calendar covers, each year's holidays and make-up
//! workdays as the file has them, and whether the run date needs a year that is missing — so a new
//! year's entries are checked before any deadline relies on them.
//!
//! Input: `input/calendar.yaml` and the run date. Output: a listing on stdout. Failure: the file's
//! problems (a 调休 day that is not a weekend, a day both off and worked, a date outside its year),
//! located, all together (exit 2); a year the run date needs and the file lacks (exit 1).

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate, Weekday};

use super::session::{Env, Outcome, say};
use crate::config::Config;
use crate::error::{Error, Problem, Problems};
use crate::rules::Calendar;
use crate::rules::calendar::CALENDAR_FILE;

/// `kefu calendar`.
pub fn execute(env: &Env) -> Result<Outcome, Error> {
    let path = env.input.join(CALENDAR_FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        Error::Config(Problems(vec![Problem::in_file(
            &path,
            format!("无法读取工作日日历：{}", crate::error::io_reason(&e)),
        )]))
    })?;
    let calendar = Calendar::parse(&text, &path).map_err(Error::Config)?;
    let as_of = env.run_date(Config::load(&env.input).ok().as_ref());
    let (listing, missing) = render(&calendar, as_of);
    say(&listing);
    let years: Vec<String> = calendar.years().map(|y| y.to_string()).collect();
    if missing.is_empty() {
        return Ok(Outcome::ok(format!("工作日日历覆盖 {} 年，各年的调休与放假日已核对无误", years.join("、"))));
    }
    let need: Vec<String> = missing.iter().map(i32::to_string).collect();
    Ok(Outcome {
        summary: format!(
            "工作日日历覆盖 {} 年；运行日期 {as_of} 的期限需要 {} 年的放假安排，尚未录入：请按国务院办公厅的通知补充后再运行",
            years.join("、"),
            need.join("、")
        ),
        exit: 1,
    })
}

/// The listing, and the years the run date needs that the calendar lacks: its own year, and
/// the next from December on (a deadline of a few working days can cross the new year).
pub fn render(calendar: &Calendar, as_of: NaiveDate) -> (String, Vec<i32>) {
    let mut out = String::new();
    for year in calendar.years() {
        let Some(y) = calendar.year(year) else { continue };
        let _ = writeln!(out, "{year} 年　出处：{}", y.source);
        let _ = writeln!(out, "  放假（含其中的周末）：{}", ranges(&y.holidays).join("、"));
        let worked: Vec<String> = y.workdays.iter().map(|d| format!("{d}（{}）", weekday(d.weekday()))).collect();
        let _ = writeln!(out, "  调休上班：{}", if worked.is_empty() { "无".to_string() } else { worked.join("、") });
    }
    let mut needed = vec![as_of.year()];
    if as_of.month() == 12 {
        needed.push(as_of.year() + 1);
    }
    let missing: Vec<i32> = needed.into_iter().filter(|y| calendar.year(*y).is_none()).collect();
    for year in &missing {
        let _ = writeln!(
            out,
            "缺少 {year} 年：国务院办公厅通常在上一年 11 月公布放假安排；在 calendar.yaml 的 years 下照上面的格式加一段 {year}:，写明 source（通知文号）、holidays 和 workdays，再运行 kefu calendar 核对"
        );
    }
    (out, missing)
}

/// Consecutive days as `2026-10-01..2026-10-07`.
fn ranges(days: &std::collections::BTreeSet<NaiveDate>) -> Vec<String> {
    let mut out: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    for d in days {
        match out.last_mut() {
            Some((_, end)) if end.succ_opt() == Some(*d) => *end = *d,
            _ => out.push((*d, *d)),
        }
    }
    out.iter().map(|(a, b)| if a == b { a.to_string() } else { format!("{a}..{b}") }).collect()
}

fn weekday(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "周一",
        Weekday::Tue => "周二",
        Weekday::Wed => "周三",
        Weekday::Thu => "周四",
        Weekday::Fri => "周五",
        Weekday::Sat => "周六",
        Weekday::Sun => "周日",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::{d, repo};

    fn real() -> Calendar {
        let path = repo("input/calendar.yaml");
        Calendar::parse(&std::fs::read_to_string(&path).unwrap(), &path).unwrap()
    }

    #[test]
    fn the_listing_shows_each_year_and_the_missing_one() {
        let (text, missing) = render(&real(), d("2026-12-31"));
        assert!(text.contains("2026-10-01..2026-10-07"), "{text}");
        assert!(text.contains("2026-10-10（周六）"), "{text}");
        assert_eq!(missing, [2027]);
        assert!(text.contains("缺少 2027 年"), "{text}");
        let (_, missing) = render(&real(), d("2026-10-31"));
        assert!(missing.is_empty());
    }

    #[test]
    fn a_new_year_with_a_workday_on_a_weekday_is_refused_with_its_reason() {
        let text = "years:\n  2027:\n    source: 测试\n    holidays: [2027-01-01]\n    workdays: [2027-01-04]\n";
        let err = Calendar::parse(text, std::path::Path::new("calendar.yaml")).unwrap_err().to_string();
        assert!(err.contains("调休上班日 2027-01-04 不是周末"), "{err}");
        let both = "years:\n  2027:\n    source: 测试\n    holidays: [2027-01-02]\n    workdays: [2027-01-02]\n";
        let err = Calendar::parse(both, std::path::Path::new("calendar.yaml")).unwrap_err().to_string();
        assert!(err.contains("同时列为放假日和调休上班日"), "{err}");
    }
}
