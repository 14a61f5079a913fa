//! The fee ledger (物业费台帐): one billing period per month per delivered room, 应收 = area ×
//! 2.30 元/㎡/月 rounded to the fen; most owners pay within the month, some are 1–2, 3, 6, 9 or
//! more months in arrears, a few pay part of a period; owners who never came to move in owe
//! every period since delivery. 实收 never exceeds 应收.
//!
//! Input: the [`Ctx`]. Output: long records (room × period) streamed into a sink; [`WideSink`]
//! lays them out the way the department keeps the ledger — one row per room, columns
//! `2026年5月应收 / 实收 / 收款日期` per month, a 合计 row. Failure: the sink's, or IO.

use std::path::Path;

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet};

use crate::error::Error;
use crate::forms::Field;
use crate::model::YearMonth;
use crate::parse::room::RoomId;
use crate::render::xlsx::{Formats, width_for_chars, xlsx_error};

use super::Ctx;
use super::estate::{Home, shift};
use super::record::{Rec, Sink, V};
use super::rng::Rng;
use super::style::{Style, serial};
use super::text::PROPERTY_NAME;

/// The fee rate in fen per square metre and month.
pub const RATE_FEN: i64 = 230;

/// 应收 of one month for a home, fen: area × rate, rounded half up.
pub fn monthly_due(home: &Home) -> i64 {
    (i64::from(home.area) * RATE_FEN + 50) / 100
}

/// How a home pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Habit {
    OnTime,
    /// The last `n` periods unpaid.
    Arrears(usize),
    /// One period (index) paid in part.
    Partial(usize),
    /// Never paid (never came to move in).
    Never,
}

/// One billing period's outcome (the dunning record reads it too).
pub(super) struct Period {
    pub month: YearMonth,
    pub paid: i64,
    pub paid_on: Option<NaiveDate>,
}

fn habit(home: &Home, periods: usize, rng: &mut Rng) -> Habit {
    if home.handover.is_none() {
        return Habit::Never;
    }
    let r = rng.unit();
    if r < 0.025 {
        let n = [1, 2, 3, 6, 9, 12][rng.weighted(&[20, 20, 20, 15, 15, 10])];
        Habit::Arrears(n)
    } else if r < 0.04 {
        Habit::Partial(rng.index(periods))
    } else {
        Habit::OnTime
    }
}

/// The billing periods of `home` since delivery, as the fee ledger records them.
pub(super) fn periods(ctx: &Ctx, home: &Home) -> Vec<Period> {
    let Some(delivered) = home.delivered else { return Vec::new() };
    let first = YearMonth::of(delivered);
    let months: Vec<YearMonth> = ctx.estate.window.months.iter().copied().filter(|m| *m >= first).collect();
    let mut rng = Rng::stream(home.seed, "fees", 0);
    let habit = habit(home, months.len(), &mut rng);
    let due = monthly_due(home);
    let end = ctx.end();
    let n = months.len();
    months
        .iter()
        .enumerate()
        .map(|(j, &month)| {
            let Some(h) = home.handover else { return Period { month, paid: 0, paid_on: None } };
            // Periods up to the move-in month are paid at the move-in desk.
            if month <= YearMonth::of(h) {
                return Period { month, paid: due, paid_on: Some(h) };
            }
            let unpaid = matches!(habit, Habit::Arrears(k) if j + k >= n);
            let day = rng.range(1, 25) as u32;
            let mut on = NaiveDate::from_ymd_opt(month.year, month.month, day);
            if rng.chance(0.02) {
                on = on.map(|d| shift(month.next().first_day(), i64::from(d.day() % 15)));
            }
            let on = on.filter(|d| *d <= end && !unpaid);
            let paid = match (on, habit) {
                (None, _) => 0,
                (Some(_), Habit::Partial(p)) if p == j => (due * rng.range(30, 80) / 100) / 100 * 100,
                (Some(_), _) => due,
            };
            Period { month, paid, paid_on: on.filter(|_| paid > 0) }
        })
        .collect()
}

/// The fee records: per delivered room, one record per billing period.
pub fn fees(ctx: &Ctx, sink: &mut dyn Sink) -> Result<(), Error> {
    let mut receipt = 0u32;
    for home in &ctx.estate.homes {
        let due = monthly_due(home);
        let list = periods(ctx, home);
        let mut last_receipt: Option<(NaiveDate, String)> = None;
        for p in list {
            let mut rec = Rec::new();
            rec.put("room", V::Room(home.room)).put("period", V::Month(p.month)).put("due", V::Money(due));
            if let Some(on) = p.paid_on {
                let number = match &last_receipt {
                    Some((d, n)) if *d == on => n.clone(),
                    _ => {
                        receipt += 1;
                        format!("SJ{:08}", receipt)
                    }
                };
                last_receipt = Some((on, number.clone()));
                rec.put("paid", V::Money(p.paid)).date("paid_on", on).text("receipt_no", number);
            }
            if p.paid < due {
                rec.put("arrears", V::Money(due - p.paid));
                if p.paid > 0 {
                    rec.s("note", "部分缴纳，余款业主承诺补交");
                } else if home.handover.is_none() {
                    rec.s("note", "业主未办理入住");
                }
            }
            sink.row(rec)?;
        }
    }
    Ok(())
}

/// One room's row being assembled: per window month (due, paid, paid_on), and the last note.
struct WideRow {
    room: RoomId,
    cells: Vec<Option<(i64, i64, Option<NaiveDate>)>>,
    note: Option<String>,
}

/// Writes the fee ledger in the wide layout.
pub struct WideSink<'a> {
    fields: &'a [Field],
    months: Vec<YearMonth>,
    book: Workbook,
    ws: Worksheet,
    row: u32,
    current: Option<WideRow>,
    totals: Vec<(i64, i64)>,
    records: usize,
    money: Format,
    date: Format,
    style: Style,
}

impl<'a> WideSink<'a> {
    /// A workbook with the title rows and the header for the window's months.
    pub fn new(ctx: &Ctx, fields: &'a [Field], style: Style, title: &str, maker: &str) -> Result<Self, Error> {
        let months = ctx.estate.window.months.clone();
        let mut sink = WideSink {
            fields,
            months,
            book: super::xlsx::book(ctx.end(), title, ctx.estate.homes.len())?,
            ws: Worksheet::new(),
            row: 0,
            current: None,
            totals: Vec::new(),
            records: 0,
            money: Format::new().set_num_format("#,##0.00"),
            date: Format::new().set_num_format("yyyy-mm-dd").set_align(FormatAlign::Center),
            style,
        };
        sink.totals = vec![(0, 0); sink.months.len()];
        sink.ws.set_name(title).map_err(xlsx_error)?;
        sink.header(ctx, title, maker)?;
        Ok(sink)
    }

    fn label(&self, key: &str) -> String {
        self.fields.iter().find(|f| f.key == key).map(|f| f.label.clone()).unwrap_or_default()
    }

    fn header(&mut self, ctx: &Ctx, title: &str, maker: &str) -> Result<(), Error> {
        let heads = Formats::default();
        let last = (self.months.len() * 3 + 1) as u16;
        if self.style.title {
            let text = format!("{PROPERTY_NAME}{title}");
            self.ws.merge_range(0, 0, 0, last, &text, &heads.title).map_err(xlsx_error)?;
            self.row += 1;
        }
        if self.style.subtitle {
            let text = format!(
                "收费标准：{}.{:02}元/㎡·月　　制表人：{maker}　　制表日期：{}",
                RATE_FEN / 100,
                RATE_FEN % 100,
                ctx.end().format("%Y年%-m月%-d日")
            );
            self.ws.merge_range(self.row, 0, self.row, last, &text, &heads.subtitle).map_err(xlsx_error)?;
            self.row += 1;
        }
        let h = self.row;
        let (due, paid, on) = (self.label("due"), self.label("paid"), self.label("paid_on"));
        self.ws.write_string_with_format(h, 0, self.label("room"), &heads.header).map_err(xlsx_error)?;
        self.ws.set_column_width(0, 10).map_err(xlsx_error)?;
        for (j, m) in self.months.iter().enumerate() {
            let c = (j * 3 + 1) as u16;
            for (k, l) in [&due, &paid, &on].iter().enumerate() {
                let text = format!("{}年{}月{l}", m.year, m.month);
                self.ws.write_string_with_format(h, c + k as u16, text, &heads.header).map_err(xlsx_error)?;
                self.ws.set_column_width(c + k as u16, width_for_chars(5.5)).map_err(xlsx_error)?;
            }
        }
        self.ws.write_string_with_format(h, last, self.label("note"), &heads.header).map_err(xlsx_error)?;
        self.ws.set_column_width(last, width_for_chars(12.0)).map_err(xlsx_error)?;
        self.row += 1;
        self.ws.set_freeze_panes(self.row, 1).map_err(xlsx_error)?;
        Ok(())
    }

    fn flush(&mut self) -> Result<(), Error> {
        let Some(w) = self.current.take() else { return Ok(()) };
        let r = self.row;
        self.ws.write_string(r, 0, w.room.to_string()).map_err(xlsx_error)?;
        for (j, cell) in w.cells.iter().enumerate() {
            let Some((due, paid, on)) = cell else { continue };
            let c = (j * 3 + 1) as u16;
            self.ws.write_number_with_format(r, c, *due as f64 / 100.0, &self.money).map_err(xlsx_error)?;
            if *paid > 0 {
                self.ws.write_number_with_format(r, c + 1, *paid as f64 / 100.0, &self.money).map_err(xlsx_error)?;
            }
            if let Some(d) = on {
                let n = serial(d.and_time(chrono::NaiveTime::MIN));
                self.ws.write_number_with_format(r, c + 2, n, &self.date).map_err(xlsx_error)?;
            }
            if let Some(t) = self.totals.get_mut(j) {
                t.0 += due;
                t.1 += paid;
            }
        }
        if let Some(note) = w.note {
            self.ws.write_string(r, (self.months.len() * 3 + 1) as u16, note).map_err(xlsx_error)?;
        }
        self.row += 1;
        Ok(())
    }

    /// Writes the last room and the 合计 row, and saves; returns the number of period records.
    pub fn finish(mut self, path: &Path) -> Result<usize, Error> {
        self.flush()?;
        if self.style.total {
            self.ws.write_string(self.row, 0, "合计").map_err(xlsx_error)?;
            for (j, (due, paid)) in self.totals.iter().enumerate() {
                let c = (j * 3 + 1) as u16;
                self.ws.write_number_with_format(self.row, c, *due as f64 / 100.0, &self.money).map_err(xlsx_error)?;
                self.ws
                    .write_number_with_format(self.row, c + 1, *paid as f64 / 100.0, &self.money)
                    .map_err(xlsx_error)?;
            }
        }
        let ws = std::mem::replace(&mut self.ws, Worksheet::new());
        self.book.push_worksheet(ws);
        self.book.save(path).map_err(|e| match e {
            rust_xlsxwriter::XlsxError::IoError(io) => Error::io("写入", path, &io),
            other => xlsx_error(other),
        })?;
        Ok(self.records)
    }
}

impl Sink for WideSink<'_> {
    fn sheet(&mut self, _name: &str) -> Result<(), Error> {
        Ok(())
    }

    fn row(&mut self, rec: Rec) -> Result<(), Error> {
        let (Some(V::Room(room)), Some(V::Month(month))) = (rec.get("room"), rec.get("period")) else {
            return Err(Error::Internal("样例数据：物业费记录缺少房号或账期".to_string()));
        };
        let (room, month) = (*room, *month);
        if self.current.as_ref().is_some_and(|w| w.room != room) {
            self.flush()?;
        }
        let n = self.months.len();
        let w = self.current.get_or_insert_with(|| WideRow { room, cells: vec![None; n], note: None });
        let money = |k: &str| match rec.get(k) {
            Some(V::Money(f)) => *f,
            _ => 0,
        };
        let on = match rec.get("paid_on") {
            Some(V::Date(d)) => Some(*d),
            _ => None,
        };
        if let Some(j) = self.months.iter().position(|m| *m == month)
            && let Some(slot) = w.cells.get_mut(j)
        {
            *slot = Some((money("due"), money("paid"), on));
        }
        if let Some(note) = rec.get("note").and_then(V::text) {
            w.note = Some(note.to_string());
        }
        self.records += 1;
        Ok(())
    }
}
