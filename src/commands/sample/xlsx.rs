//! Writes one register as a workbook the way a department keeps it: optional title and
//! 制表人 rows, a one- or two-level header, an optional 序号 column, rows streamed in as they are
//! generated, merged cells over runs of equal dates, a 合计 row, one sheet per month on request.
//!
//! Input: the register's fields, a [`Style`] and [`Rec`]s. Output: an `.xlsx` file whose
//! properties carry the last day of the report month, so the same records give the same bytes.
//! Failure: a record naming a field the register does not have, or the workbook library/IO
//! failing, as a [`crate::Error`].

use std::path::Path;

use chrono::NaiveDate;
use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet};

use crate::error::Error;
use crate::forms::Field;
use crate::render::xlsx::{Formats, width_for_chars, workbook, xlsx_error};

use super::record::{Rec, Sink, V};
use super::style::{Cell, Num, Style, cell, header, yen};
use super::text::{COMPANY, PROPERTY_NAME};

/// Estates from this many rooms on are written with the fastest zip compression: at benchmark
/// scale deflate dominates the run time (files grow by about 70 %).
const FAST_FROM_ROOMS: usize = 20_000;

/// A workbook dated `end`, compressed fast for large estates of `rooms` rooms.
pub fn book(end: NaiveDate, title: &str, rooms: usize) -> Result<Workbook, Error> {
    let mut book = workbook(end, title, COMPANY)?;
    if rooms >= FAST_FROM_ROOMS {
        book.set_zip_compression_level(1);
    }
    Ok(book)
}

/// Rows per sheet before a continuation sheet is started (Excel's limit is 1,048,576).
const MAX_ROWS: u32 = 1_000_000;

/// Number formats of body cells.
struct NumFormats {
    decimal: Format,
    money: Format,
    date: Format,
    datetime: Format,
    time: Format,
    center: Format,
}

impl NumFormats {
    fn new() -> NumFormats {
        NumFormats {
            decimal: Format::new().set_num_format("0.00"),
            money: Format::new().set_num_format("#,##0.00"),
            date: Format::new().set_num_format("yyyy-mm-dd").set_align(FormatAlign::VerticalCenter),
            datetime: Format::new().set_num_format("yyyy-mm-dd hh:mm"),
            time: Format::new().set_num_format("h:mm"),
            center: Format::new().set_align(FormatAlign::Center).set_align(FormatAlign::VerticalCenter),
        }
    }

    fn of(&self, num: Num) -> Option<&Format> {
        match num {
            Num::General => None,
            Num::Decimal => Some(&self.decimal),
            Num::Money => Some(&self.money),
            Num::Date => Some(&self.date),
            Num::DateTime => Some(&self.datetime),
            Num::Time => Some(&self.time),
        }
    }
}

/// A run of equal values in the merged column: first row, last row, the value.
struct Run {
    first: u32,
    last: u32,
    value: Cell,
}

/// A register being written into a workbook.
pub struct XlsxSink<'a> {
    fields: &'a [Field],
    style: Style,
    title: String,
    maker: String,
    end: NaiveDate,
    book: Workbook,
    sheet: Option<(Worksheet, String)>,
    row: u32,
    serial: u32,
    records: usize,
    totals: Vec<i64>,
    run: Option<Run>,
    heads: Formats,
    nums: NumFormats,
}

impl<'a> XlsxSink<'a> {
    /// A workbook for the register `title` with `fields`; `maker` signs the subtitle row; an
    /// estate of `rooms` rooms decides the compression.
    pub fn new(
        fields: &'a [Field],
        style: Style,
        title: &str,
        maker: &str,
        end: NaiveDate,
        rooms: usize,
    ) -> Result<Self, Error> {
        Ok(XlsxSink {
            fields,
            style,
            title: title.to_string(),
            maker: maker.to_string(),
            end,
            book: book(end, title, rooms)?,
            sheet: None,
            row: 0,
            serial: 0,
            records: 0,
            totals: vec![0; fields.len()],
            run: None,
            heads: Formats::default(),
            nums: NumFormats::new(),
        })
    }

    /// Closes the last sheet and saves the workbook to `path`; returns the number of records.
    pub fn finish(mut self, path: &Path) -> Result<usize, Error> {
        if self.sheet.is_none() {
            let name = self.default_sheet_name();
            self.open(&name)?;
        }
        self.close()?;
        self.book.save(path).map_err(|e| match e {
            rust_xlsxwriter::XlsxError::IoError(io) => Error::io("写入", path, &io),
            other => xlsx_error(other),
        })?;
        Ok(self.records)
    }

    fn default_sheet_name(&self) -> String {
        self.title.replace('/', "_").chars().take(31).collect()
    }

    fn offset(&self) -> u16 {
        u16::from(self.style.serial)
    }

    fn last_col(&self) -> u16 {
        (self.fields.len() as u16 + self.offset()).saturating_sub(1)
    }

    /// Starts a worksheet and writes its title, subtitle and header rows.
    fn open(&mut self, name: &str) -> Result<(), Error> {
        let mut ws = Worksheet::new();
        ws.set_name(name).map_err(xlsx_error)?;
        self.row = 0;
        self.serial = 0;
        self.totals.iter_mut().for_each(|t| *t = 0);
        self.write_titles(&mut ws)?;
        self.write_header(&mut ws)?;
        ws.set_freeze_panes(self.row, 0).map_err(xlsx_error)?;
        for (i, f) in self.fields.iter().enumerate() {
            ws.set_column_width(i as u16 + self.offset(), width_for_chars(f64::from(f.width))).map_err(xlsx_error)?;
        }
        if self.style.serial {
            ws.set_column_width(0, 5).map_err(xlsx_error)?;
        }
        self.sheet = Some((ws, name.to_string()));
        Ok(())
    }

    fn span(&self, ws: &mut Worksheet, row: u32, text: &str, format: &Format) -> Result<(), Error> {
        let last = self.last_col();
        if last > 0 {
            ws.merge_range(row, 0, row, last, text, format).map_err(xlsx_error)?;
        } else {
            ws.write_string_with_format(row, 0, text, format).map_err(xlsx_error)?;
        }
        Ok(())
    }

    fn write_titles(&mut self, ws: &mut Worksheet) -> Result<(), Error> {
        if self.style.title {
            let text = format!("{PROPERTY_NAME}{}", self.title);
            self.span(ws, self.row, &text, &self.heads.title)?;
            ws.set_row_height(self.row, 28).map_err(xlsx_error)?;
            self.row += 1;
        }
        if self.style.subtitle {
            let text = format!("制表人：{}　　制表日期：{}", self.maker, self.end.format("%Y年%-m月%-d日"));
            self.span(ws, self.row, &text, &self.heads.subtitle)?;
            self.row += 1;
        }
        Ok(())
    }

    fn write_header(&mut self, ws: &mut Worksheet) -> Result<(), Error> {
        let top = self.row;
        let two = self.style.two_level && self.fields.iter().any(|f| f.group.is_some());
        let bottom = if two { top + 1 } else { top };
        let fmt = &self.heads.header;
        let cell = |ws: &mut Worksheet, col: u16, text: &str| -> Result<(), Error> {
            if two {
                ws.merge_range(top, col, bottom, col, text, fmt).map_err(xlsx_error)?;
            } else {
                ws.write_string_with_format(top, col, text, fmt).map_err(xlsx_error)?;
            }
            Ok(())
        };
        if self.style.serial {
            cell(ws, 0, "序号")?;
        }
        let mut i = 0;
        while i < self.fields.len() {
            let col = i as u16 + self.offset();
            let group = self.fields[i].group.as_deref().filter(|_| two);
            let Some(group) = group else {
                cell(ws, col, &header(&self.fields[i], i, self.style.headers))?;
                i += 1;
                continue;
            };
            let n = self.fields[i..].iter().take_while(|f| f.group.as_deref() == Some(group)).count();
            if n > 1 {
                ws.merge_range(top, col, top, col + n as u16 - 1, group, fmt).map_err(xlsx_error)?;
            } else {
                ws.write_string_with_format(top, col, group, fmt).map_err(xlsx_error)?;
            }
            for j in i..i + n {
                let text = header(&self.fields[j], j, self.style.headers);
                ws.write_string_with_format(bottom, j as u16 + self.offset(), text, fmt).map_err(xlsx_error)?;
            }
            i += n;
        }
        self.row = bottom + 1;
        Ok(())
    }

    /// Ends the current sheet: the pending merge, the 合计 row, and hands it to the workbook.
    fn close(&mut self) -> Result<(), Error> {
        let Some((mut ws, _)) = self.sheet.take() else { return Ok(()) };
        self.flush_run(&mut ws)?;
        if self.style.total {
            self.write_total(&mut ws)?;
        }
        self.book.push_worksheet(ws);
        Ok(())
    }

    fn write_total(&mut self, ws: &mut Worksheet) -> Result<(), Error> {
        ws.write_string(self.row, 0, "合计").map_err(xlsx_error)?;
        for (i, f) in self.fields.iter().enumerate() {
            if f.ty != crate::forms::FieldType::Money {
                continue;
            }
            let col = i as u16 + self.offset();
            let sum = self.totals[i];
            if self.style.yen {
                ws.write_string(self.row, col, yen(sum)).map_err(xlsx_error)?;
            } else {
                ws.write_number_with_format(self.row, col, sum as f64 / 100.0, &self.nums.money).map_err(xlsx_error)?;
            }
        }
        self.row += 1;
        Ok(())
    }

    fn put(ws: &mut Worksheet, nums: &NumFormats, row: u32, col: u16, c: Cell) -> Result<(), Error> {
        match c {
            Cell::Blank => {}
            Cell::Text(s) => {
                ws.write_string(row, col, s).map_err(xlsx_error)?;
            }
            Cell::Number(x, num) => {
                match nums.of(num) {
                    Some(f) => ws.write_number_with_format(row, col, x, f),
                    None => ws.write_number(row, col, x),
                }
                .map_err(xlsx_error)?;
            }
        }
        Ok(())
    }

    /// Merges the finished run of equal values, writing its value once into the merged cell.
    fn flush_run(&mut self, ws: &mut Worksheet) -> Result<(), Error> {
        let Some(run) = self.run.take() else { return Ok(()) };
        let Some(col) = self.merge_col() else { return Ok(()) };
        if run.last > run.first {
            ws.merge_range(run.first, col, run.last, col, "", &self.nums.center).map_err(xlsx_error)?;
            Self::put(ws, &self.nums, run.first, col, run.value)?;
        }
        Ok(())
    }

    fn merge_col(&self) -> Option<u16> {
        let key = self.style.merge?;
        self.fields.iter().position(|f| f.key == key).map(|i| i as u16 + self.offset())
    }

    fn index(&self, key: &str) -> Result<usize, Error> {
        self.fields
            .iter()
            .position(|f| f.key == key)
            .ok_or_else(|| Error::Internal(format!("样例数据：台帐「{}」没有字段 `{key}`", self.title)))
    }
}

impl Sink for XlsxSink<'_> {
    fn sheet(&mut self, name: &str) -> Result<(), Error> {
        self.close()?;
        self.open(name)
    }

    fn row(&mut self, rec: Rec) -> Result<(), Error> {
        if self.sheet.as_ref().is_none_or(|_| self.row >= MAX_ROWS) {
            let name = match &self.sheet {
                Some((_, n)) => format!("{}续", n.chars().take(29).collect::<String>()),
                None => self.default_sheet_name(),
            };
            self.close()?;
            self.open(&name)?;
        }
        let Some((mut ws, name)) = self.sheet.take() else { return Ok(()) };
        let result = self.write_row(&mut ws, rec);
        self.sheet = Some((ws, name));
        result
    }
}

impl XlsxSink<'_> {
    fn write_row(&mut self, ws: &mut Worksheet, rec: Rec) -> Result<(), Error> {
        let row = self.row;
        self.serial += 1;
        self.records += 1;
        if self.style.serial {
            ws.write_number(row, 0, self.serial).map_err(xlsx_error)?;
        }
        let merge_key = self.style.merge;
        for (key, v) in rec.vals {
            let i = self.index(key)?;
            let field = &self.fields[i];
            if let V::Money(f) = v {
                self.totals[i] += f;
            }
            let c = cell(field, &v, &self.style, row as usize);
            if merge_key == Some(key) {
                self.extend_run(ws, row, &c)?;
            }
            Self::put(ws, &self.nums, row, i as u16 + self.offset(), c)?;
        }
        self.row += 1;
        Ok(())
    }

    fn extend_run(&mut self, ws: &mut Worksheet, row: u32, c: &Cell) -> Result<(), Error> {
        match &mut self.run {
            Some(run) if run.value == *c && run.last + 1 == row => {
                run.last = row;
                Ok(())
            }
            _ => {
                self.flush_run(ws)?;
                self.run = Some(Run { first: row, last: row, value: c.clone() });
                Ok(())
            }
        }
    }
}
