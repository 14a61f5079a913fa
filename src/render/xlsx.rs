//! Workbooks: shared formats and deterministic settings for every xlsx kefu writes.
//!
//! Output is byte-identical for the same data and run date: the document properties carry the
//! run date, never the clock.

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, XlsxError};

use crate::error::Error;

/// A workbook whose metadata is fixed by `date`, `title` and `company`.
pub fn workbook(date: NaiveDate, title: &str, company: &str) -> Result<Workbook, Error> {
    let mut wb = Workbook::new();
    let when = ExcelDateTime::from_ymd(date.year() as u16, date.month() as u8, date.day() as u8).map_err(xlsx_error)?;
    let props =
        DocProperties::new().set_title(title).set_company(company).set_author(company).set_creation_datetime(&when);
    wb.set_properties(&props);
    Ok(wb)
}

/// An xlsx library failure as a kefu error.
pub fn xlsx_error(e: XlsxError) -> Error {
    Error::Internal(format!("生成 xlsx 失败：{e}"))
}

/// The formats of a printed register: title, header cells, body cells.
pub struct Formats {
    pub title: Format,
    pub subtitle: Format,
    pub header: Format,
    pub cell: Format,
    pub cell_center: Format,
}

impl Default for Formats {
    fn default() -> Self {
        let base = Format::new().set_font_name("宋体").set_font_size(10.5);
        let bordered =
            base.clone().set_border(FormatBorder::Thin).set_align(FormatAlign::VerticalCenter).set_text_wrap();
        Formats {
            title: base
                .clone()
                .set_font_name("黑体")
                .set_font_size(16)
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            subtitle: base
                .clone()
                .set_font_size(10)
                .set_align(FormatAlign::Left)
                .set_align(FormatAlign::VerticalCenter),
            header: bordered
                .clone()
                .set_font_name("黑体")
                .set_bold()
                .set_background_color("#E8E8E8")
                .set_align(FormatAlign::Center),
            cell: bordered.clone(),
            cell_center: bordered.set_align(FormatAlign::Center),
        }
    }
}

/// Excel column width (in character units) for a column meant to hold `chars` Chinese characters.
pub fn width_for_chars(chars: f64) -> f64 {
    // A CJK character is about two Latin character widths in Excel's unit, plus padding.
    (chars * 2.0 + 1.5).clamp(4.0, 80.0)
}
