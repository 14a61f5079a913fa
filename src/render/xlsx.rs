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

/// The top of a sheet: `title` merged across the columns (row 1), `sub` below it (row 2), and
/// the header row (row 3) with each column's width for the Chinese characters it holds.
pub fn heading(
    ws: &mut rust_xlsxwriter::Worksheet,
    title: &str,
    sub: &str,
    heads: &[(&str, f64)],
    f: &Formats,
) -> Result<(), Error> {
    let last = (heads.len().max(1) - 1) as u16;
    ws.merge_range(0, 0, 0, last, title, &f.title).map_err(xlsx_error)?;
    ws.merge_range(1, 0, 1, last, sub, &f.subtitle).map_err(xlsx_error)?;
    for (i, (h, w)) in heads.iter().enumerate() {
        ws.write_string_with_format(2, i as u16, *h, &f.header).map_err(xlsx_error)?;
        ws.set_column_width(i as u16, width_for_chars(*w)).map_err(xlsx_error)?;
    }
    Ok(())
}

/// A sheet laid out as kefu's xlsx lists are: the [`heading`] (title, subtitle, header row), the
/// body from the fourth row, the heading rows kept in view, an autofilter over the header and the
/// body, and printing landscape on A4, fit to the page width, the heading repeated on every page.
/// The builder methods change or leave out what a list does differently.
pub struct Table<'a> {
    name: &'a str,
    title: &'a str,
    sub: &'a str,
    heads: &'a [(&'a str, f64)],
    title_height: Option<f64>,
    frozen_cols: u16,
    filter: bool,
    print: bool,
    repeat_heading: bool,
}

impl<'a> Table<'a> {
    /// Sheet `name`, headed by `title` and `sub`, with the columns `heads` (header, width in Chinese
    /// characters).
    pub fn new(name: &'a str, title: &'a str, sub: &'a str, heads: &'a [(&'a str, f64)]) -> Table<'a> {
        Table {
            name,
            title,
            sub,
            heads,
            title_height: None,
            frozen_cols: 0,
            filter: true,
            print: true,
            repeat_heading: true,
        }
    }

    /// The title row `height` points high.
    pub fn title_height(self, height: f64) -> Self {
        Table { title_height: Some(height), ..self }
    }

    /// Keeps the first column in view too when scrolling right.
    pub fn freeze_first_column(self) -> Self {
        Table { frozen_cols: 1, ..self }
    }

    /// Without an autofilter.
    pub fn unfiltered(self) -> Self {
        Table { filter: false, ..self }
    }

    /// Without a page setup: printed as the spreadsheet program's defaults.
    pub fn default_printing(self) -> Self {
        Table { print: false, ..self }
    }

    /// Printed with the heading on the first page only.
    pub fn heading_once(self) -> Self {
        Table { repeat_heading: false, ..self }
    }

    /// Writes the table into `ws`: `body` writes the rows from row 3 (0-based) and answers how many
    /// it wrote, which the autofilter covers.
    pub fn write(
        &self,
        ws: &mut rust_xlsxwriter::Worksheet,
        f: &Formats,
        body: impl FnOnce(&mut rust_xlsxwriter::Worksheet) -> Result<u32, Error>,
    ) -> Result<(), Error> {
        ws.set_name(self.name).map_err(xlsx_error)?;
        heading(ws, self.title, self.sub, self.heads, f)?;
        if let Some(height) = self.title_height {
            ws.set_row_height(0, height).map_err(xlsx_error)?;
        }
        ws.set_freeze_panes(3, self.frozen_cols).map_err(xlsx_error)?;
        let rows = body(ws)?;
        if self.filter {
            let last = self.heads.len().saturating_sub(1) as u16;
            ws.autofilter(2, 0, 2 + rows, last).map_err(xlsx_error)?;
        }
        if self.print {
            ws.set_landscape();
            ws.set_paper_size(9); // A4
            ws.set_print_fit_to_pages(1, 0);
            if self.repeat_heading {
                ws.set_repeat_rows(0, 2).map_err(xlsx_error)?;
            }
        }
        Ok(())
    }
}

/// Excel column width (in character units) for a column meant to hold `chars` Chinese characters.
pub fn width_for_chars(chars: f64) -> f64 {
    // A CJK character is about two Latin character widths in Excel's unit, plus padding.
    (chars * 2.0 + 1.5).clamp(4.0, 80.0)
}

/// A register filled with records as a workbook: title, the per-sheet values, a frozen header
/// row with autofilter, one row per record; widths follow the form definition.
pub fn filled_register(
    config: &crate::config::Config,
    form: &crate::forms::FormDef,
    filled: &crate::render::filled::Filled,
    date: NaiveDate,
) -> Result<Vec<u8>, Error> {
    use crate::forms::Scope;
    let e = xlsx_error;
    let code = form.code(&config.document_control.form_prefix);
    let mut wb = workbook(date, &form.title, &config.company)?;
    let f = Formats::default();
    let ws = wb.add_worksheet();
    let sheet_name: String = form.title.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect();
    ws.set_name(&sheet_name).map_err(e)?;
    let fields: Vec<&crate::forms::Field> = form.fields.iter().filter(|x| x.scope == Scope::Row).collect();
    let serial = form.register.serial;
    let ncols = fields.len() + usize::from(serial);
    let last = (ncols.max(1) - 1) as u16;
    ws.merge_range(0, 0, 0, last, &format!("{code} {}", form.title), &f.title).map_err(e)?;
    ws.set_row_height(0, 28).map_err(e)?;
    let doc: Vec<String> = form
        .fields
        .iter()
        .filter(|x| x.scope == Scope::Document)
        .map(|x| format!("{}：{}", x.label, filled.document.get(&x.key).map(String::as_str).unwrap_or("")))
        .collect();
    let subtitle = format!("{}　{}　{}", config.company, config.estate, doc.join("　"));
    if last > 0 {
        ws.merge_range(1, 0, 1, last, &subtitle, &f.subtitle).map_err(e)?;
    } else {
        ws.write_string_with_format(1, 0, &subtitle, &f.subtitle).map_err(e)?;
    }
    let mut col = 0u16;
    if serial {
        ws.write_string_with_format(2, 0, "序号", &f.header).map_err(e)?;
        ws.set_column_width(0, width_for_chars(2.5)).map_err(e)?;
        col = 1;
    }
    for (i, field) in fields.iter().enumerate() {
        let c = col + i as u16;
        ws.write_string_with_format(2, c, &field.label, &f.header).map_err(e)?;
        ws.set_column_width(c, width_for_chars(f64::from(field.width))).map_err(e)?;
    }
    for (r, row) in filled.rows.iter().enumerate() {
        let xr = 3 + r as u32;
        if serial {
            ws.write_number_with_format(xr, 0, (r + 1) as f64, &f.cell_center).map_err(e)?;
        }
        for (i, value) in row.iter().enumerate() {
            ws.write_string_with_format(xr, col + i as u16, value, &f.cell).map_err(e)?;
        }
    }
    ws.set_freeze_panes(3, 0).map_err(e)?;
    let last_row = (2 + filled.rows.len()) as u32;
    ws.autofilter(2, 0, last_row, last).map_err(e)?;
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 2).map_err(e)?;
    wb.save_to_buffer().map_err(e)
}
