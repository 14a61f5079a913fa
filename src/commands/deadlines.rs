//! `kefu deadlines`: one list of everything due or overdue — what, which rule, which room or record,
//! due date, days overdue, who owns it — as a terminal table, xlsx and PDF, or JSON.
//!
//! Input: a loaded session and how many days ahead to look. Output: the list, and
//! `output/期限清单/期限清单-YYYY-MM-DD.xlsx|.pdf` written atomically. Failure: template or write errors.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::session::{Env, Outcome, Session, Stage, StageInput, say};
use crate::error::Error;
use crate::output::write_atomic;
use crate::render::due_list::{self, Line};
use crate::render::xlsx::{self, Formats, Table};
use crate::render::{Job, PdfFlavor, Typesetter};
use crate::rules::due::{self, Report};
use crate::text::chinese_date;

/// Folder of the lists inside the output folder.
pub const DIR: &str = "期限清单";

/// The PDF prints the most urgent items up to this many; the xlsx always holds all of them.
pub const PDF_MAX_ITEMS: usize = 1_000;

/// `kefu deadlines`: prints the list (a table, or JSON) and writes its PDF and xlsx.
pub fn execute(env: &Env, within: u32, json: bool) -> Result<Outcome, Error> {
    let typesetter = env.typesetter()?;
    let session = env.session()?;
    let report = due::collect(&session.context(), within);
    let lines = due_list::lines(&report, &session.loaded.dataset);
    if json {
        say(&format!("{}\n", due_list::render_json(&report)));
    } else {
        say(&due_list::render_text(&report, &lines));
    }
    let (pdf, xlsx) = write(&session, &typesetter, &report, &lines, &env.output)?;
    Ok(session.outcome(format!("{}；输出 {} 和 {}", report.summary(), pdf.display(), xlsx.display())))
}

/// The deadline list as a stage of the month-end run.
pub struct DeadlineStage {
    /// Days ahead that open items are listed for.
    pub within: u32,
}

impl Stage for DeadlineStage {
    fn name(&self) -> &'static str {
        "期限清单"
    }

    fn write(&self, input: &StageInput<'_>, dir: &Path) -> Result<String, Error> {
        let report = due::collect(&input.session.context(), self.within);
        let lines = due_list::lines(&report, &input.session.loaded.dataset);
        write(input.session, input.typesetter, &report, &lines, dir)?;
        Ok(report.summary())
    }
}

#[derive(Serialize)]
struct PdfView<'a> {
    title: String,
    company: &'a str,
    estate: &'a str,
    department: &'a str,
    as_of: String,
    summary: String,
    /// Records left out for their errors, in one sentence; empty when none was.
    notice: String,
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
        notice: crate::render::problem_list::notice(&session.exclusions, &session.forms),
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
    let sub = format!("{}　{}　运行日期：{}　{}", c.company, c.estate, report.as_of, report.summary());
    let date_format =
        rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd").set_border(rust_xlsxwriter::FormatBorder::Thin);
    Table::new("期限清单", title, &sub, &heads).write(ws, &f, |ws| {
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
        Ok(lines.len() as u32)
    })?;
    wb.save_to_buffer().map_err(e)
}
