//! The deadline list: everything still to do that is overdue or due within a number of days,
//! most urgent first. What the deadline list, the monthly report and `kefu run` print.
//!
//! Input: the rules' context and how many days ahead to look. Output: a [`Report`] of findings.
//! Nothing fails: dates the calendar cannot compute are findings of their own.

use chrono::NaiveDate;

use super::{Context, Finding, State};

/// The list as of a date.
#[derive(Debug)]
pub struct Report {
    pub as_of: NaiveDate,
    /// Overdue items first (most overdue first), then open items by due date.
    pub items: Vec<Finding>,
    /// Days ahead that open items are listed for.
    pub within: u32,
}

impl Report {
    /// Number of overdue items.
    pub fn overdue(&self) -> usize {
        self.items.iter().filter(|f| f.state == State::Overdue).count()
    }

    /// `12 项已逾期，5 项 7 天内到期`.
    pub fn summary(&self) -> String {
        format!("{} 项已逾期，{} 项在 {} 天内到期", self.overdue(), self.items.len() - self.overdue(), self.within)
    }
}

/// Everything open that is overdue, or due within `within` days of the run date.
pub fn collect(ctx: &Context<'_>, within: u32) -> Report {
    let horizon = ctx.as_of + chrono::Days::new(u64::from(within));
    let mut items: Vec<Finding> =
        super::run_all(ctx).into_iter().filter(|f| f.state.is_open() && f.due.is_none_or(|d| d <= horizon)).collect();
    items.sort_by(|a, b| {
        let key = |f: &Finding| (f.state != State::Overdue, -f.days_overdue(ctx.as_of), f.due, f.procedure, f.row);
        key(a).cmp(&key(b))
    });
    Report { as_of: ctx.as_of, items, within }
}
