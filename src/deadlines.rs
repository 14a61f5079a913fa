//! `kefu deadlines`: one list of everything due or overdue — what, which rule, which room or record,
//! due date, days overdue, who owns it — as a terminal table, xlsx and PDF, or JSON.
//!
//! Input: a loaded session and how many days ahead to look. Output: the list, and
//! `output/期限清单/期限清单-YYYY-MM-DD.xlsx|.pdf` written atomically. Failure: template or write errors.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

use crate::error::Error;
use crate::output::write_atomic;
use crate::render::xlsx::{self, Formats};
use crate::render::{Job, PdfFlavor, Typesetter};
use crate::rules::{self, Finding, State};
use crate::session::Session;
use crate::text::chinese_date;

/// Folder of the lists inside the output folder.
pub const DIR: &str = "期限清单";

/// The PDF prints the most urgent items up to this many; the xlsx always holds all of them.
pub const PDF_MAX_ITEMS: usize = 1_000;

/// The list as of a date.
#[derive(Debug)]
pub struct Report {
    pub as_of: NaiveDate,
    /// Overdue items first (most overdue first), then open items by due date.
    pub items: Vec<Finding>,
    /// Days ahead that open items are listed for.
    pub within: u32,
}

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

/// Everything open that is overdue, or due within `within` days of the run date.
pub fn collect(session: &Session, within: u32) -> Report {
    let ctx = session.context();
    let horizon = session.as_of + chrono::Days::new(u64::from(within));
    let mut items: Vec<Finding> =
        rules::run_all(&ctx).into_iter().filter(|f| f.state.is_open() && f.due.is_none_or(|d| d <= horizon)).collect();
    items.sort_by(|a, b| {
        let key = |f: &Finding| (f.state != State::Overdue, -f.days_overdue(session.as_of), f.due, f.procedure, f.row);
        key(a).cmp(&key(b))
    });
    Report { as_of: session.as_of, items, within }
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

    /// The display lines; `record` names the register and row.
    pub fn lines(&self, session: &Session) -> Vec<Line> {
        self.items
            .iter()
            .map(|f| Line {
                state: f.state.label().to_string(),
                due: f.due.map(|d| d.to_string()).unwrap_or_default(),
                overdue: match f.days_overdue(self.as_of) {
                    0 => String::new(),
                    n => n.to_string(),
                },
                what: f.what.clone(),
                rule: format!("{} {}", f.procedure, f.clause),
                room: f.room.map(|r| r.to_string()).unwrap_or_default(),
                record: match (f.register, f.row) {
                    (Some(id), Some(row)) => session
                        .loaded
                        .dataset
                        .register(id)
                        .map(|reg| {
                            let loc = reg.locate(row, None);
                            let file =
                                loc.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
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

#[derive(Serialize)]
struct PdfView<'a> {
    title: String,
    company: &'a str,
    estate: &'a str,
    department: &'a str,
    as_of: String,
    summary: String,
    items: &'a [Line],
}

/// Writes the xlsx and PDF; returns their paths.
pub fn write(
    session: &Session,
    typesetter: &Typesetter,
    report: &Report,
    lines: &[Line],
    output: &Path,
) -> Result<(PathBuf, PathBuf), Error> {
    let c = &session.config;
    let title = "待办与逾期事项清单".to_string();
    let shown = &lines[..lines.len().min(PDF_MAX_ITEMS)];
    let rest = if shown.len() < lines.len() {
        format!("本清单印出最紧急的 {} 项，其余 {} 项见同名 xlsx。", shown.len(), lines.len() - shown.len())
    } else {
        String::new()
    };
    let view = PdfView {
        title: title.clone(),
        company: &c.company,
        estate: &c.estate,
        department: &c.department,
        as_of: chinese_date(report.as_of),
        summary: format!("截至{}，{}。{rest}", chinese_date(report.as_of), report.summary()),
        items: shown,
    };
    let job = Job {
        template: "/deadlines.typ",
        data: &view,
        date: report.as_of,
        ident: format!("kefu/deadlines/{}", report.as_of),
        flavor: PdfFlavor::Plain,
    };
    let (pdf, _) = typesetter.pdf(&job)?;
    let dir = output.join(DIR);
    let stem = format!("期限清单-{}", report.as_of);
    let (pdf_path, xlsx_path) = (dir.join(format!("{stem}.pdf")), dir.join(format!("{stem}.xlsx")));
    write_atomic(&pdf_path, &pdf)?;
    write_atomic(&xlsx_path, &workbook(session, report, lines, &title)?)?;
    Ok((pdf_path, xlsx_path))
}

fn workbook(session: &Session, report: &Report, lines: &[Line], title: &str) -> Result<Vec<u8>, Error> {
    let e = xlsx::xlsx_error;
    let c = &session.config;
    let mut wb = xlsx::workbook(report.as_of, title, &c.company)?;
    let f = Formats::default();
    let ws = wb.add_worksheet();
    ws.set_name("期限清单").map_err(e)?;
    let heads: [(&str, f64); 10] = [
        ("序号", 2.5),
        ("状态", 4.0),
        ("到期日", 5.5),
        ("逾期天数", 4.0),
        ("事项", 14.0),
        ("规程条款", 14.0),
        ("房号", 5.0),
        ("记录", 14.0),
        ("负责人", 5.0),
        ("依据", 40.0),
    ];
    let last = (heads.len() - 1) as u16;
    let sub = format!("{}　{}　运行日期：{}　{}", c.company, c.estate, report.as_of, report.summary());
    xlsx::heading(ws, title, &sub, &heads, &f)?;
    let date_format =
        rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd").set_border(rust_xlsxwriter::FormatBorder::Thin);
    for (r, (line, item)) in lines.iter().zip(&report.items).enumerate() {
        let row = 3 + r as u32;
        ws.write_number_with_format(row, 0, (r + 1) as f64, &f.cell_center).map_err(e)?;
        ws.write_string_with_format(row, 1, &line.state, &f.cell_center).map_err(e)?;
        match item.due {
            Some(d) => {
                let when = rust_xlsxwriter::ExcelDateTime::from_ymd(
                    chrono::Datelike::year(&d) as u16,
                    chrono::Datelike::month(&d) as u8,
                    chrono::Datelike::day(&d) as u8,
                )
                .map_err(e)?;
                ws.write_datetime_with_format(row, 2, &when, &date_format).map_err(e)?;
            }
            None => {
                ws.write_blank(row, 2, &f.cell).map_err(e)?;
            }
        }
        ws.write_number_with_format(row, 3, item.days_overdue(report.as_of) as f64, &f.cell_center).map_err(e)?;
        for (col, text) in
            [(4, &line.what), (5, &line.rule), (6, &line.room), (7, &line.record), (8, &line.owner), (9, &line.why)]
        {
            ws.write_string_with_format(row, col, text, &f.cell).map_err(e)?;
        }
    }
    ws.set_freeze_panes(3, 0).map_err(e)?;
    ws.autofilter(2, 0, (2 + lines.len()) as u32, last).map_err(e)?;
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 2).map_err(e)?;
    wb.save_to_buffer().map_err(e)
}
