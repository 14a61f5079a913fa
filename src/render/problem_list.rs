//! The data problems list (数据问题清单): every record left out of a run because something in it
//! is wrong — where it is, what is wrong and what was expected, and which outputs it was left out
//! of — as an xlsx, as lines for the monthly report's page, and as the one-sentence notice the
//! first page of other documents carries.
//!
//! Input: the run's [`Exclusions`] and the form definitions. Output: the lines, the workbook's
//! bytes, the notice. Failure: only writing the workbook.

use chrono::NaiveDate;
use serde::Serialize;

use crate::error::Error;
use crate::forms::FormSet;
use crate::model::Exclusions;
use crate::render::xlsx::{self, Formats, Table};
use crate::rules::left_out_of;
use crate::text::chinese_date;

/// The list's file name.
pub const FILE: &str = "数据问题清单.xlsx";

/// One excluded record (or file), as printed.
#[derive(Debug, Clone, Serialize)]
pub struct Line {
    pub register: String,
    pub file: String,
    pub sheet: String,
    pub row: String,
    pub column: String,
    /// Every error of the record: the value and what was expected.
    pub problem: String,
    pub left_out_of: String,
}

/// The lines of `exclusions`, in the order found.
pub fn lines(exclusions: &Exclusions, forms: &FormSet) -> Vec<Line> {
    exclusions
        .records
        .iter()
        .map(|e| {
            let columns: Vec<String> = e
                .problems
                .iter()
                .filter_map(|p| {
                    let l = &p.location;
                    l.column
                        .as_ref()
                        .map(|c| format!("{c}{}", l.header.as_ref().map(|h| format!("（{h}）")).unwrap_or_default()))
                })
                .collect();
            Line {
                register: e.register.map(|r| r.title(forms)).unwrap_or_default(),
                file: e.file.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default(),
                sheet: e.sheet.clone().unwrap_or_default(),
                row: e.row.map(|r| r.to_string()).unwrap_or_else(|| "整个文件".to_string()),
                column: columns.join("、"),
                problem: printable(&e.problems.iter().map(|p| p.message.clone()).collect::<Vec<_>>().join("；")),
                left_out_of: left_out_of(e.register).to_string(),
            }
        })
        .collect()
}

/// The text with each character the fonts cannot show written as its code (`U+20000`): the
/// list must print even when the problem is such a character.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_whitespace() || crate::fonts::printable(c) { c.to_string() } else { format!("U+{:04X}", c as u32) })
        .collect()
}

/// One sentence for the first page of a document: how many records were left out, of which
/// registers; empty when none was.
pub fn notice(exclusions: &Exclusions, forms: &FormSet) -> String {
    if exclusions.is_empty() {
        return String::new();
    }
    let mut by: Vec<(String, usize)> = Vec::new();
    for e in &exclusions.records {
        let title = e.register.map(|r| r.title(forms)).unwrap_or_else(|| "未知台帐".to_string());
        match by.iter_mut().find(|(t, _)| *t == title) {
            Some((_, n)) => *n += 1,
            None => by.push((title, 1)),
        }
    }
    let parts: Vec<String> = by.iter().map(|(t, n)| format!("{t} {n} 处")).collect();
    format!(
        "注意：{} 处记录因数据有误未计入本文件（{}），详见数据问题清单；改正台帐后重新运行即可补上。",
        exclusions.records.len(),
        parts.join("、")
    )
}

/// The list as a workbook.
pub fn workbook(lines: &[Line], as_of: NaiveDate, company: &str, estate: &str) -> Result<Vec<u8>, Error> {
    let e = xlsx::xlsx_error;
    let mut wb = xlsx::workbook(as_of, "数据问题清单", company)?;
    let f = Formats::default();
    let heads: [(&str, f64); 8] = [
        ("序号", 2.5),
        ("台帐", 10.0),
        ("文件", 14.0),
        ("工作表", 6.0),
        ("行", 4.0),
        ("列", 8.0),
        ("问题（取值与应有的写法）", 36.0),
        ("未计入", 22.0),
    ];
    let sub = format!(
        "{company}　{estate}　运行日期：{}　共 {} 处：有错误的记录不计入任何输出，依赖它的内容也不计入；其余照常输出",
        chinese_date(as_of),
        lines.len()
    );
    let ws = wb.add_worksheet();
    Table::new("数据问题清单", "数据问题清单", &sub, &heads).write(ws, &f, |ws| {
        for (r, l) in lines.iter().enumerate() {
            let row = 3 + r as u32;
            ws.write_number_with_format(row, 0, (r + 1) as f64, &f.cell_center).map_err(e)?;
            for (c, text) in
                [&l.register, &l.file, &l.sheet, &l.row, &l.column, &l.problem, &l.left_out_of].into_iter().enumerate()
            {
                ws.write_string_with_format(row, 1 + c as u16, text, &f.cell).map_err(e)?;
            }
        }
        Ok(lines.len() as u32)
    })?;
    wb.save_to_buffer().map_err(e)
}
