//! The working-day calendar: weekends, statutory holidays and make-up workdays (调休), per year,
//! from `input/calendar.yaml`.
//!
//! Input: the calendar file. Output: [`Calendar`], answering whether a day is worked, the N-th
//! working day after a date ("N 个工作日内"), and calendar-day deadlines moved off a rest day
//! (民法典 arts. 201–203: the start day is not counted; a period ending on a 法定休假日 ends on the
//! next working day). Failure: a year the file does not list is an error naming the year — kefu
//! never guesses from weekdays alone.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::Deserialize;

use crate::error::{Problem, Problems};

/// The calendar file inside the input folder.
pub const CALENDAR_FILE: &str = "calendar.yaml";

/// A date the calendar cannot answer for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{year} 年的放假安排尚未录入 input/calendar.yaml，无法计算 {date} 前后的工作日；请按国务院办公厅公布的通知补充该年的节假日和调休上班日"
)]
pub struct UnknownYear {
    pub year: i32,
    pub date: NaiveDate,
}

/// One year's arrangement.
#[derive(Debug, Default)]
pub struct Year {
    /// Where the arrangement was published (the 国务院办公厅 notice).
    pub source: String,
    /// Days off, weekend days inside a holiday included.
    pub holidays: BTreeSet<NaiveDate>,
    /// Weekend days that are worked (调休上班日).
    pub workdays: BTreeSet<NaiveDate>,
}

/// China's working days for the years listed in `input/calendar.yaml`.
#[derive(Debug, Default)]
pub struct Calendar {
    years: BTreeMap<i32, Year>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    years: BTreeMap<i32, YearEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct YearEntry {
    source: String,
    #[serde(default)]
    holidays: Vec<String>,
    #[serde(default)]
    workdays: Vec<String>,
}

impl Calendar {
    /// Parses and validates the calendar text.
    pub fn parse(text: &str, origin: &Path) -> Result<Calendar, Problems> {
        let file: File = crate::yaml::from_str(text, origin)?;
        let mut problems = Vec::new();
        let mut years = BTreeMap::new();
        for (year, entry) in file.years {
            let mut y = Year { source: entry.source.trim().to_string(), ..Year::default() };
            if entry.source.trim().is_empty() {
                problems.push(Problem::in_file(origin, format!("{year} 年缺少 source（放假通知的文号或出处）")));
            }
            for (list, into, what) in
                [(&entry.holidays, &mut y.holidays, "holidays"), (&entry.workdays, &mut y.workdays, "workdays")]
            {
                for item in list {
                    match days(item) {
                        Ok(ds) => {
                            for d in ds {
                                if d.year() != year {
                                    problems.push(Problem::in_file(
                                        origin,
                                        format!("{year} 年的 {what} 中有 {d}，不属于该年"),
                                    ));
                                }
                                into.insert(d);
                            }
                        }
                        Err(e) => problems.push(Problem::in_file(origin, format!("{year} 年的 {what}：{e}"))),
                    }
                }
            }
            for d in &y.workdays {
                if !is_weekend(*d) {
                    problems.push(Problem::in_file(origin, format!("调休上班日 {d} 不是周末，无需列出")));
                }
                if y.holidays.contains(d) {
                    problems.push(Problem::in_file(origin, format!("{d} 同时列为放假日和调休上班日")));
                }
            }
            years.insert(year, y);
        }
        if problems.is_empty() { Ok(Calendar { years }) } else { Err(Problems(problems)) }
    }

    /// The arrangement of `year`, when the file lists it.
    pub fn year(&self, year: i32) -> Option<&Year> {
        self.years.get(&year)
    }

    /// The years the calendar covers.
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.keys().copied()
    }

    /// Whether `date` is a working day: a weekday that is not a holiday, or a make-up workday.
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, UnknownYear> {
        let y = self.years.get(&date.year()).ok_or(UnknownYear { year: date.year(), date })?;
        Ok(if y.workdays.contains(&date) { true } else { !is_weekend(date) && !y.holidays.contains(&date) })
    }

    /// The `n`-th working day after `start` (the start day itself is not counted): the last day of
    /// "n 个工作日内". `n = 0` gives `start`.
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> Result<NaiveDate, UnknownYear> {
        let mut day = start;
        let mut left = n;
        while left > 0 {
            day = next_day(day);
            if self.is_working_day(day)? {
                left -= 1;
            }
        }
        Ok(day)
    }

    /// The last day of a period of `days` calendar days from `start` (start not counted); when it
    /// falls on a rest day or holiday, the next working day (民法典 art. 203).
    pub fn calendar_deadline(&self, start: NaiveDate, days: u32) -> Result<NaiveDate, UnknownYear> {
        let mut day = start.checked_add_days(Days::new(u64::from(days))).unwrap_or(NaiveDate::MAX);
        while !self.is_working_day(day)? {
            day = next_day(day);
        }
        Ok(day)
    }

    /// Working days after `from` up to and including `to` (0 when `to` ≤ `from`).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> Result<u32, UnknownYear> {
        let mut n = 0;
        let mut day = from;
        while day < to {
            day = next_day(day);
            if self.is_working_day(day)? {
                n += 1;
            }
        }
        Ok(n)
    }
}

fn next_day(d: NaiveDate) -> NaiveDate {
    d.succ_opt().unwrap_or(NaiveDate::MAX)
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// `2026-02-15` or a range `2026-02-15..2026-02-23`.
fn days(item: &str) -> Result<Vec<NaiveDate>, String> {
    let parse = |s: &str| {
        NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .map_err(|_| format!("「{}」不是日期，应写成 2026-02-15", s.trim()))
    };
    match item.split_once("..") {
        None => Ok(vec![parse(item)?]),
        Some((a, b)) => {
            let (a, b) = (parse(a)?, parse(b)?);
            if b < a || (b - a).num_days() > 31 {
                return Err(format!("范围「{item}」不合理：终点应在起点之后 31 天以内"));
            }
            Ok(a.iter_days().take_while(|d| *d <= b).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cal() -> Calendar {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/input/calendar.yaml")).unwrap();
        Calendar::parse(&text, Path::new("calendar.yaml")).unwrap()
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn counts_match_the_state_council_notices() {
        let c = cal();
        // domain.md: 248 working days in 2025 and in 2026.
        for year in [2025, 2026] {
            let worked = d(&format!("{year}-01-01"))
                .iter_days()
                .take_while(|x| x.year() == year)
                .filter(|x| c.is_working_day(*x).unwrap())
                .count();
            assert_eq!(worked, 248, "{year}");
        }
    }

    #[test]
    fn make_up_saturdays_are_worked_and_holiday_weekdays_are_not() {
        let c = cal();
        assert!(c.is_working_day(d("2026-02-14")).unwrap(), "调休 Saturday before 春节");
        assert!(c.is_working_day(d("2026-01-04")).unwrap(), "调休 Sunday after 元旦");
        assert!(!c.is_working_day(d("2026-02-16")).unwrap(), "春节 Monday");
        assert!(!c.is_working_day(d("2026-10-07")).unwrap());
        assert!(c.is_working_day(d("2026-10-10")).unwrap());
        assert!(!c.is_working_day(d("2026-11-28")).unwrap(), "an ordinary Saturday");
    }

    #[test]
    fn working_days_skip_the_spring_festival() {
        let c = cal();
        // Friday 2026-02-13: next working day is Saturday 02-14 (调休), then Tuesday 02-24 after the holiday.
        assert_eq!(c.add_working_days(d("2026-02-13"), 1).unwrap(), d("2026-02-14"));
        assert_eq!(c.add_working_days(d("2026-02-13"), 2).unwrap(), d("2026-02-24"));
        // Archive built "within 1 working day" of a move-in on Friday 2026-10-30: Monday 11-02.
        assert_eq!(c.add_working_days(d("2026-10-30"), 1).unwrap(), d("2026-11-02"));
        // Move-in on Wednesday 2026-09-30, before 国庆 (10-01..10-07): the next working day is Thursday 10-08.
        assert_eq!(c.add_working_days(d("2026-09-30"), 1).unwrap(), d("2026-10-08"));
        assert_eq!(
            c.working_days_between(d("2026-09-30"), d("2026-10-10")).unwrap(),
            3,
            "10-08, 10-09, 10-10 (调休 Saturday)"
        );
    }

    #[test]
    fn a_period_ending_on_a_rest_day_moves_to_the_next_working_day() {
        let c = cal();
        // 7 days from Friday 2026-09-18 end on Friday 09-25, a holiday (中秋) → Monday 09-28.
        assert_eq!(c.calendar_deadline(d("2026-09-18"), 7).unwrap(), d("2026-09-28"));
        // 3 days from Thursday 2026-09-17 end on Sunday 09-20, a 调休 workday: not moved.
        assert_eq!(c.calendar_deadline(d("2026-09-17"), 3).unwrap(), d("2026-09-20"));
        // 7 days from 2026-11-20 end on Friday 11-27, a working day.
        assert_eq!(c.calendar_deadline(d("2026-11-20"), 7).unwrap(), d("2026-11-27"));
        // 1 month from a 律师函 on 2026-12-31 would run into 2027.
    }

    #[test]
    fn an_unlisted_year_is_an_error_naming_it() {
        let c = cal();
        let err = c.is_working_day(d("2027-01-04")).unwrap_err();
        assert_eq!(err.year, 2027);
        assert!(err.to_string().contains("2027 年的放假安排尚未录入"));
        // A deadline that runs from late 2026 into 2027 fails rather than guessing.
        assert!(c.add_working_days(d("2026-12-30"), 3).is_err());
    }

    #[test]
    fn bad_entries_are_refused() {
        let err = Calendar::parse(
            "years:\n  2026:\n    source: x\n    workdays: [2026-11-27]\n    holidays: [2026-13-01]\n",
            Path::new("c.yaml"),
        )
        .unwrap_err();
        let all = err.to_string();
        assert!(all.contains("「2026-13-01」不是日期"), "{all}");
        assert!(all.contains("2026-11-27 不是周末"), "{all}");
    }
}
