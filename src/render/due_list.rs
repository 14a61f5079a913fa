//! The deadline list as people read it: one display line per item (terminal table, PDF, xlsx,
//! monthly report), and the list as JSON for machines.
//!
//! Input: a [`Report`] of the rules and the dataset (to name each item's file and row). Output:
//! text. Nothing fails.

use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::Dataset;
use crate::rules::Finding;
use crate::rules::due::Report;

/// One line of the list, as every output shows it.
#[derive(Debug, Serialize)]
pub struct Line {
    pub state: String,
    pub due: String,
    pub overdue: String,
    pub what: String,
    pub rule: String,
    pub room: String,
    pub record: String,
    pub owner: String,
    pub why: String,
}

/// The display lines of `report`; `record` names the register's file and row.
pub fn lines(report: &Report, data: &Dataset) -> Vec<Line> {
    report
        .items
        .iter()
        .map(|f| Line {
            state: f.state.label().to_string(),
            due: f.due.map(|d| d.to_string()).unwrap_or_default(),
            overdue: match f.days_overdue(report.as_of) {
                0 => String::new(),
                n => n.to_string(),
            },
            what: f.what.clone(),
            rule: format!("{} {}", f.procedure, f.clause),
            room: f.room.map(|r| r.to_string()).unwrap_or_default(),
            record: match (f.register, f.row) {
                (Some(id), Some(row)) => data
                    .register(id)
                    .map(|reg| {
                        let loc = reg.locate(row, None);
                        let file = loc.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                        format!("{file} 第 {} 行", loc.row.unwrap_or(0))
                    })
                    .unwrap_or_default(),
                _ => String::new(),
            },
            owner: f.owner.clone().unwrap_or_default(),
            why: f.why.clone(),
        })
        .collect()
}

/// Display width of text in a terminal: CJK characters take two columns.
fn width(s: &str) -> usize {
    s.chars().map(|c| if (c as u32) >= 0x1100 && !matches!(c as u32, 0x2000..=0x206F) { 2 } else { 1 }).sum()
}

fn pad(s: &str, w: usize) -> String {
    let clipped: String = {
        let mut out = String::new();
        let mut used = 0;
        for c in s.chars() {
            let cw = width(&c.to_string());
            if used + cw > w {
                break;
            }
            used += cw;
            out.push(c);
        }
        out
    };
    let fill = w.saturating_sub(width(&clipped));
    format!("{clipped}{}", " ".repeat(fill))
}

/// The list as a terminal table.
pub fn render_text(report: &Report, lines: &[Line]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "截至 {}：{}", report.as_of, report.summary());
    if lines.is_empty() {
        return out;
    }
    let cols =
        [("状态", 10), ("到期日", 10), ("逾期", 4), ("事项", 24), ("房号", 10), ("负责人", 10), ("规程条款", 34)];
    let _ = writeln!(out, "{}", cols.iter().map(|(h, w)| pad(h, *w)).collect::<Vec<_>>().join(" "));
    for l in lines {
        let cells = [&l.state, &l.due, &l.overdue, &l.what, &l.room, &l.owner, &l.rule];
        let _ = writeln!(out, "{}", cells.iter().zip(cols).map(|(c, (_, w))| pad(c, w)).collect::<Vec<_>>().join(" "));
    }
    out
}

#[derive(Serialize)]
struct JsonReport<'a> {
    as_of: NaiveDate,
    overdue: usize,
    open: usize,
    items: &'a [Finding],
}

/// The list for machines: every finding with all its fields.
pub fn render_json(report: &Report) -> String {
    let json = JsonReport {
        as_of: report.as_of,
        overdue: report.overdue(),
        open: report.items.len() - report.overdue(),
        items: &report.items,
    };
    serde_json::to_string_pretty(&json).unwrap_or_default()
}
