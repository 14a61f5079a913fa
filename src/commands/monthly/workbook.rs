//! 月度统计-YYYY-MM.xlsx: one sheet per topic, native charts, and the KPIs with the formulas and
//! the register rows behind them.

use std::collections::BTreeMap;

use rust_xlsxwriter::{Chart, ChartType, Format, FormatAlign, Formula, Workbook, Worksheet};

use crate::commands::session::Session;
use crate::error::Error;
use crate::model::RegisterId;
use crate::render::xlsx::{self, Formats, Table, xlsx_error as e};

use super::Month;
use super::registers::Printed;
use crate::rules::kpi::{Kpi, Unit};

struct Fmt {
    f: Formats,
    int: Format,
    money: Format,
    pct: Format,
    points: Format,
}

impl Fmt {
    fn new() -> Fmt {
        let f = Formats::default();
        Fmt {
            int: f.cell.clone().set_num_format("#,##0").set_align(FormatAlign::Right),
            money: f.cell.clone().set_num_format("#,##0.00").set_align(FormatAlign::Right),
            pct: f.cell.clone().set_num_format("0.0%").set_align(FormatAlign::Right),
            points: f.cell.clone().set_num_format("+0.0;-0.0;0.0").set_align(FormatAlign::Right),
            f,
        }
    }
}

/// A sheet of the workbook: a list [`Table`] under a taller title row.
fn sheet<'a>(name: &'a str, title: &'a str, sub: &'a str, heads: &'a [(&'a str, f64)]) -> Table<'a> {
    Table::new(name, title, sub, heads).title_height(24.0)
}

/// `18-投诉_意见接待台帐.xlsx 第 4–9、12 行` for a list of records.
pub fn cite(session: &Session, rows: &[(RegisterId, usize)], limit: usize) -> String {
    let mut by_file: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for &(id, r) in rows {
        let Some(reg) = session.loaded.dataset.register(id) else { continue };
        let loc = reg.locate(r, None);
        let file = loc.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        by_file.entry((file, loc.sheet.unwrap_or_default())).or_default().extend(loc.row);
    }
    let mut parts = Vec::new();
    for ((file, sheet), mut lines) in by_file {
        lines.sort_unstable();
        lines.dedup();
        let mut ranges: Vec<String> = Vec::new();
        let mut i = 0;
        let mut shown = 0;
        while i < lines.len() {
            let mut j = i;
            while j + 1 < lines.len() && lines[j + 1] == lines[j] + 1 {
                j += 1;
            }
            if shown == limit {
                ranges.push(format!("等共 {} 行", lines.len()));
                break;
            }
            ranges.push(if j > i { format!("{}–{}", lines[i], lines[j]) } else { lines[i].to_string() });
            shown += 1;
            i = j + 1;
        }
        let sheet = if sheet.is_empty() { String::new() } else { format!("「{sheet}」") };
        parts.push(format!("{file}{sheet} 第 {} 行", ranges.join("、")));
    }
    parts.join("；")
}

/// The workbook's bytes.
pub fn write(session: &Session, m: &Month<'_>, printed: &[Printed]) -> Result<Vec<u8>, Error> {
    let cfg = &session.config;
    let month = m.month;
    let mut wb = xlsx::workbook(session.as_of, &format!("{}年{}月月度统计", month.year, month.month), &cfg.company)?;
    let sub = format!(
        "{}　{}　{}年{}月　制表日期：{}",
        cfg.company,
        cfg.estate,
        month.year,
        month.month,
        crate::text::chinese_date(session.as_of)
    );
    let x = Sheets { session, m, sub, fm: Fmt::new() };
    wb.push_worksheet(kpi_sheet(&x)?);
    wb.push_worksheet(count_sheet(&x)?);
    record_sheet(&x, &mut wb)?;
    wb.push_worksheet(complaint_sheet(&x)?);
    wb.push_worksheet(visit_sheet(&x)?);
    wb.push_worksheet(collection_sheet(&x)?);
    wb.push_worksheet(repair_sheet(&x)?);
    wb.push_worksheet(deadline_sheet(&x)?);
    wb.push_worksheet(printed_sheet(&x, printed)?);
    wb.save_to_buffer().map_err(e)
}

/// What every sheet of the workbook is written with.
struct Sheets<'a> {
    session: &'a Session,
    m: &'a Month<'a>,
    /// The subtitle: company, estate, month, date made.
    sub: String,
    fm: Fmt,
}

/// KPIs: numerator, denominator, the formula that makes the value, last month, target, basis.
fn kpi_sheet(x: &Sheets<'_>) -> Result<Worksheet, Error> {
    let (m, fm) = (x.m, &x.fm);
    let heads: [(&str, f64); 13] = [
        ("指标", 8.0),
        ("分子", 12.0),
        ("分子数值", 6.0),
        ("分母", 12.0),
        ("分母数值", 6.0),
        ("本月", 5.0),
        ("上月分子", 6.0),
        ("上月分母", 6.0),
        ("上月", 5.0),
        ("变化（百分点）", 6.0),
        ("目标", 4.0),
        ("计算方法", 18.0),
        ("依据记录", 40.0),
    ];
    let mut ws = Worksheet::new();
    sheet("指标", "月度指标", &x.sub, &heads).write(&mut ws, &fm.f, |ws| {
        for (i, k) in m.kpis.iter().enumerate() {
            kpi_row(x, ws, 3 + i as u32, k)?;
        }
        Ok(m.kpis.len() as u32)
    })?;
    Ok(ws)
}

/// One KPI's row of the KPI sheet, at row `r`.
fn kpi_row(x: &Sheets<'_>, ws: &mut Worksheet, r: u32, k: &Kpi) -> Result<(), Error> {
    let (session, m, fm) = (x.session, x.m, &x.fm);
    let row = r + 1;
    let num_fmt = if k.money { &fm.money } else { &fm.int };
    let scale = |v: i64| if k.money { v as f64 / 100.0 } else { v as f64 };
    ws.write_string_with_format(r, 0, &k.name, &fm.f.cell).map_err(e)?;
    ws.write_string_with_format(r, 1, &k.numerator_label, &fm.f.cell).map_err(e)?;
    ws.write_number_with_format(r, 2, scale(k.numerator), num_fmt).map_err(e)?;
    ws.write_string_with_format(r, 3, &k.denominator_label, &fm.f.cell).map_err(e)?;
    ws.write_number_with_format(r, 4, scale(k.denominator), num_fmt).map_err(e)?;
    let value = Formula::new(format!("=IF(E{row}=0,\"—\",C{row}/E{row})"));
    let value = match k.value {
        Some(v) => value.set_result(format!("{v}")),
        None => value.set_result("—"),
    };
    ws.write_formula_with_format(r, 5, value, &fm.pct).map_err(e)?;
    ws.write_number_with_format(r, 6, scale(m.previous.value(&k.numerator_key)), num_fmt).map_err(e)?;
    ws.write_number_with_format(r, 7, scale(m.previous.value(&k.denominator_key)), num_fmt).map_err(e)?;
    let prev = Formula::new(format!("=IF(H{row}=0,\"—\",G{row}/H{row})"));
    let prev = match k.previous {
        Some(v) => prev.set_result(format!("{v}")),
        None => prev.set_result("—"),
    };
    ws.write_formula_with_format(r, 8, prev, &fm.pct).map_err(e)?;
    let change = Formula::new(format!("=IF(OR(E{row}=0,H{row}=0),\"—\",(F{row}-I{row})*100)"));
    let change = match k.change_points() {
        Some(v) => change.set_result(format!("{v}")),
        None => change.set_result("—"),
    };
    ws.write_formula_with_format(r, 9, change, &fm.points).map_err(e)?;
    match k.target {
        Some(t) => ws.write_number_with_format(r, 10, t / 100.0, &fm.pct).map_err(e)?,
        None => ws.write_string_with_format(r, 10, "", &fm.f.cell).map_err(e)?,
    };
    let how = format!("{} ÷ {}（{} ÷ {}）", k.numerator_label, k.denominator_label, k.numerator_key, k.denominator_key);
    ws.write_string_with_format(r, 11, how, &fm.f.cell).map_err(e)?;
    let rows = m.counts.by_key.get(k.numerator_key.as_str()).map(|c| c.rows.as_slice()).unwrap_or_default();
    let den = m.counts.by_key.get(k.denominator_key.as_str()).map(|c| c.rows.as_slice()).unwrap_or_default();
    let basis = format!(
        "分子：{}；分母：{}（全部记录见「指标明细」）",
        or_none(cite(session, rows, 20)),
        or_none(cite(session, den, 20))
    );
    ws.write_string_with_format(r, 12, basis, &fm.f.cell).map_err(e)?;
    Ok(())
}

/// The counts.
fn count_sheet(x: &Sheets<'_>) -> Result<Worksheet, Error> {
    let (m, fm) = (x.m, &x.fm);
    let heads: [(&str, f64); 6] =
        [("计数", 14.0), ("名称", 12.0), ("本月", 7.0), ("上月", 7.0), ("单位", 3.0), ("怎样计数", 40.0)];
    let mut ws = Worksheet::new();
    sheet("计数", "各项计数", &x.sub, &heads).write(&mut ws, &fm.f, |ws| {
        for (i, c) in m.counts.by_key.values().enumerate() {
            let r = 3 + i as u32;
            let (fmt, scale, unit) = match c.unit {
                Unit::Fen => (&fm.money, 100.0, "元"),
                Unit::Items => (&fm.int, 1.0, "项"),
            };
            ws.write_string_with_format(r, 0, c.key, &fm.f.cell).map_err(e)?;
            ws.write_string_with_format(r, 1, c.label, &fm.f.cell).map_err(e)?;
            ws.write_number_with_format(r, 2, c.value as f64 / scale, fmt).map_err(e)?;
            ws.write_number_with_format(r, 3, m.previous.value(c.key) as f64 / scale, fmt).map_err(e)?;
            ws.write_string_with_format(r, 4, unit, &fm.f.cell_center).map_err(e)?;
            ws.write_string_with_format(r, 5, c.basis, &fm.f.cell).map_err(e)?;
        }
        Ok(m.counts.by_key.len() as u32)
    })?;
    Ok(ws)
}

/// Every record behind every count.
fn record_sheet(x: &Sheets<'_>, wb: &mut Workbook) -> Result<(), Error> {
    let (session, m, fm) = (x.session, x.m, &x.fm);
    let heads: [(&str, f64); 5] = [("计数", 14.0), ("台帐", 14.0), ("文件", 18.0), ("工作表", 8.0), ("行", 4.0)];
    // Hundreds of thousands of rows at 100k households: streamed to disk as written.
    let ws = wb.add_worksheet_with_constant_memory().map_err(e)?;
    sheet("指标明细", "指标所依据的台帐记录", &x.sub, &heads).write(ws, &fm.f, |ws| {
        let mut r = 3u32;
        for c in m.counts.by_key.values() {
            for &(id, row) in &c.rows {
                let Some(reg) = session.loaded.dataset.register(id) else { continue };
                let loc = reg.locate(row, None);
                ws.write_string(r, 0, c.key).map_err(e)?;
                ws.write_string(r, 1, id.title(&session.forms)).map_err(e)?;
                ws.write_string(
                    r,
                    2,
                    loc.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
                )
                .map_err(e)?;
                ws.write_string(r, 3, loc.sheet.unwrap_or_default()).map_err(e)?;
                ws.write_number(r, 4, loc.row.unwrap_or(0) as f64).map_err(e)?;
                r += 1;
            }
        }
        Ok(r - 3)
    })?;
    Ok(())
}

/// Complaints by category (form 20's counts), with a chart.
fn complaint_sheet(x: &Sheets<'_>) -> Result<Worksheet, Error> {
    let (m, fm, month) = (x.m, &x.fm, x.m.month);
    let heads: [(&str, f64); 8] = [
        ("类别", 8.0),
        ("投诉总数", 4.0),
        ("有效", 3.0),
        ("无效", 3.0),
        ("已办结", 4.0),
        ("按时办结", 4.0),
        ("按时办结率", 5.0),
        ("占比", 4.0),
    ];
    let mut ws = Worksheet::new();
    sheet("投诉分类", "客户投诉分类统计", &x.sub, &heads).write(&mut ws, &fm.f, |ws| {
        let n = m.form20.rows.len() as u32;
        for (i, row) in m.form20.rows.iter().enumerate() {
            let r = 3 + i as u32;
            let line = r + 1;
            ws.write_string_with_format(r, 0, row.category, &fm.f.cell).map_err(e)?;
            for (c, v) in
                [(1u16, row.total), (2, row.valid), (3, row.invalid), (4, row.closed), (5, row.closed_on_time)]
            {
                ws.write_number_with_format(r, c, f64::from(v), &fm.int).map_err(e)?;
            }
            ws.write_formula_with_format(
                r,
                6,
                ratio(&format!("F{line}"), &format!("E{line}"), f64::from(row.closed_on_time), f64::from(row.closed)),
                &fm.pct,
            )
            .map_err(e)?;
            ws.write_formula_with_format(
                r,
                7,
                ratio(
                    &format!("B{line}"),
                    &format!("B{}", 4 + n),
                    f64::from(row.total),
                    f64::from(m.form20.total.total),
                ),
                &fm.pct,
            )
            .map_err(e)?;
        }
        let t = 3 + n;
        complaint_total(x, ws, t)?;
        let mut chart = Chart::new(ChartType::Bar);
        chart
            .add_series()
            .set_categories(("投诉分类", 3, 0, 2 + n, 0))
            .set_values(("投诉分类", 3, 1, 2 + n, 1))
            .set_name("投诉总数");
        chart.title().set_name(&format!("{}年{}月投诉分类", month.year, month.month));
        chart.legend().set_hidden();
        chart.set_width(560).set_height(360);
        ws.insert_chart(t + 2, 0, &chart).map_err(e)?;
        Ok(n)
    })?;
    Ok(ws)
}

/// The complaint sheet's total row, at row `t`: sums of the categories above, and the on-time rate.
fn complaint_total(x: &Sheets<'_>, ws: &mut Worksheet, t: u32) -> Result<(), Error> {
    let (m, fm) = (x.m, &x.fm);
    ws.write_string_with_format(t, 0, "合计", &fm.f.header).map_err(e)?;
    let tot = &m.form20.total;
    for (c, v) in [(1u16, tot.total), (2, tot.valid), (3, tot.invalid), (4, tot.closed), (5, tot.closed_on_time)] {
        let col = crate::load::column_letter(c as usize);
        let f = Formula::new(format!("=SUM({col}4:{col}{t})")).set_result(v.to_string());
        ws.write_formula_with_format(t, c, f, &fm.int).map_err(e)?;
    }
    ws.write_formula_with_format(
        t,
        6,
        ratio(
            &format!("F{}", t + 1),
            &format!("E{}", t + 1),
            f64::from(m.form20.total.closed_on_time),
            f64::from(m.form20.total.closed),
        ),
        &fm.pct,
    )
    .map_err(e)?;
    Ok(())
}

/// Visits per week against the plan.
fn visit_sheet(x: &Sheets<'_>) -> Result<Worksheet, Error> {
    let (m, fm) = (x.m, &x.fm);
    let heads: [(&str, f64); 5] = [("周", 10.0), ("计划走访", 5.0), ("实际走访", 5.0), ("完成率", 4.0), ("", 1.0)];
    let mut ws = Worksheet::new();
    sheet("走访", "每周走访：计划与实际", &x.sub, &heads[..4]).write(&mut ws, &fm.f, |ws| {
        for (i, (from, to, planned, done)) in m.visit_weeks.iter().enumerate() {
            let r = 3 + i as u32;
            ws.write_string_with_format(r, 0, format!("{}–{}", from.format("%m-%d"), to.format("%m-%d")), &fm.f.cell)
                .map_err(e)?;
            ws.write_number_with_format(r, 1, *planned as f64, &fm.int).map_err(e)?;
            ws.write_number_with_format(r, 2, *done as f64, &fm.int).map_err(e)?;
            ws.write_formula_with_format(
                r,
                3,
                ratio(&format!("C{}", r + 1), &format!("B{}", r + 1), *done as f64, *planned as f64),
                &fm.pct,
            )
            .map_err(e)?;
        }
        let w = m.visit_weeks.len() as u32;
        let mut chart = Chart::new(ChartType::Column);
        for (col, name) in [(1u16, "计划走访"), (2, "实际走访")] {
            chart
                .add_series()
                .set_categories(("走访", 3, 0, 2 + w, 0))
                .set_values(("走访", 3, col, 2 + w, col))
                .set_name(name);
        }
        chart.title().set_name("每周走访：计划与实际");
        chart.set_width(560).set_height(320);
        ws.insert_chart(4 + w, 0, &chart).map_err(e)?;
        Ok(w)
    })?;
    Ok(ws)
}

/// Collection rate by month.
fn collection_sheet(x: &Sheets<'_>) -> Result<Worksheet, Error> {
    let (m, fm) = (x.m, &x.fm);
    let heads: [(&str, f64); 4] = [("月份", 6.0), ("当期应收（元）", 7.0), ("当期实收（元）", 7.0), ("收缴率", 4.0)];
    let mut ws = Worksheet::new();
    sheet("收缴率", "物业费收缴率（按月）", &x.sub, &heads).write(&mut ws, &fm.f, |ws| {
        for (i, (mo, paid, due)) in m.collection.iter().enumerate() {
            let r = 3 + i as u32;
            ws.write_string_with_format(r, 0, format!("{}年{}月", mo.year, mo.month), &fm.f.cell_center).map_err(e)?;
            ws.write_number_with_format(r, 1, *due as f64 / 100.0, &fm.money).map_err(e)?;
            ws.write_number_with_format(r, 2, *paid as f64 / 100.0, &fm.money).map_err(e)?;
            ws.write_formula_with_format(
                r,
                3,
                ratio(&format!("C{}", r + 1), &format!("B{}", r + 1), *paid as f64, *due as f64),
                &fm.pct,
            )
            .map_err(e)?;
        }
        let h = m.collection.len() as u32;
        let mut chart = Chart::new(ChartType::Line);
        chart
            .add_series()
            .set_categories(("收缴率", 3, 0, 2 + h, 0))
            .set_values(("收缴率", 3, 3, 2 + h, 3))
            .set_name("收缴率");
        chart.title().set_name("物业费收缴率");
        chart.y_axis().set_num_format("0%");
        chart.legend().set_hidden();
        chart.set_width(560).set_height(300);
        ws.insert_chart(4 + h, 0, &chart).map_err(e)?;
        Ok(h)
    })?;
    Ok(ws)
}

/// Repairs on time per week.
fn repair_sheet(x: &Sheets<'_>) -> Result<Worksheet, Error> {
    let (m, fm) = (x.m, &x.fm);
    let heads: [(&str, f64); 4] = [("周", 10.0), ("报修", 4.0), ("时限内到场或完成", 7.0), ("及时率", 4.0)];
    let mut ws = Worksheet::new();
    sheet("维修", "每周维修及时情况", &x.sub, &heads).write(&mut ws, &fm.f, |ws| {
        for (i, (from, to, reported, on_time)) in m.repair_weeks.iter().enumerate() {
            let r = 3 + i as u32;
            ws.write_string_with_format(r, 0, format!("{}–{}", from.format("%m-%d"), to.format("%m-%d")), &fm.f.cell)
                .map_err(e)?;
            ws.write_number_with_format(r, 1, *reported as f64, &fm.int).map_err(e)?;
            ws.write_number_with_format(r, 2, *on_time as f64, &fm.int).map_err(e)?;
            ws.write_formula_with_format(
                r,
                3,
                ratio(&format!("C{}", r + 1), &format!("B{}", r + 1), *on_time as f64, *reported as f64),
                &fm.pct,
            )
            .map_err(e)?;
        }
        let w = m.repair_weeks.len() as u32;
        let mut chart = Chart::new(ChartType::Column);
        for (col, name) in [(1u16, "报修"), (2, "时限内到场或完成")] {
            chart
                .add_series()
                .set_categories(("维修", 3, 0, 2 + w, 0))
                .set_values(("维修", 3, col, 2 + w, col))
                .set_name(name);
        }
        chart.title().set_name("每周维修及时情况");
        chart.set_width(560).set_height(320);
        ws.insert_chart(4 + w, 0, &chart).map_err(e)?;
        Ok(w)
    })?;
    Ok(ws)
}

/// Open and overdue items.
fn deadline_sheet(x: &Sheets<'_>) -> Result<Worksheet, Error> {
    let (m, fm) = (x.m, &x.fm);
    let heads: [(&str, f64); 8] = [
        ("状态", 4.0),
        ("到期日", 5.5),
        ("逾期天数", 4.0),
        ("事项", 14.0),
        ("规程条款", 14.0),
        ("房号", 5.0),
        ("负责人", 5.0),
        ("依据", 40.0),
    ];
    let mut ws = Worksheet::new();
    sheet("待办与逾期", "待办与逾期事项", &x.sub, &heads).write(&mut ws, &fm.f, |ws| {
        let lines = &m.deadline_lines;
        for (i, l) in lines.iter().enumerate() {
            let r = 3 + i as u32;
            for (c, v) in [&l.state, &l.due, &l.overdue, &l.what, &l.rule, &l.room, &l.owner, &l.why].iter().enumerate()
            {
                ws.write_string(r, c as u16, v.as_str()).map_err(e)?;
            }
        }
        Ok(lines.len() as u32)
    })?;
    Ok(ws)
}

/// The printed registers.
fn printed_sheet(x: &Sheets<'_>, printed: &[Printed]) -> Result<Worksheet, Error> {
    let (fm, cfg) = (&x.fm, &x.session.config);
    let heads: [(&str, f64); 6] =
        [("表单", 14.0), ("本月记录", 4.0), ("页数", 3.0), ("文件", 20.0), ("金额合计", 20.0), ("", 1.0)];
    let mut ws = Worksheet::new();
    sheet("打印台帐", "本月打印的台帐", &x.sub, &heads[..5]).write(&mut ws, &fm.f, |ws| {
        for (i, p) in printed.iter().enumerate() {
            let r = 3 + i as u32;
            let code = format!("{}-{:02} {}", cfg.document_control.form_prefix, p.number, p.title);
            ws.write_string_with_format(r, 0, code, &fm.f.cell).map_err(e)?;
            ws.write_number_with_format(r, 1, p.records as f64, &fm.int).map_err(e)?;
            ws.write_number_with_format(r, 2, p.pages as f64, &fm.int).map_err(e)?;
            ws.write_string_with_format(r, 3, &p.file, &fm.f.cell).map_err(e)?;
            let money: Vec<String> =
                p.money.iter().map(|(l, f)| format!("{l} {} 元", crate::parse::money::format_fen(*f))).collect();
            ws.write_string_with_format(r, 4, money.join("；"), &fm.f.cell).map_err(e)?;
        }
        Ok(printed.len() as u32)
    })?;
    Ok(ws)
}

/// `=IF(den=0,"—",num/den)` with its value cached, so readers that do not recalculate on opening
/// (LibreOffice by default, viewers, calamine) show the number.
fn ratio(num_cell: &str, den_cell: &str, num: f64, den: f64) -> Formula {
    let f = Formula::new(format!("=IF({den_cell}=0,\"—\",{num_cell}/{den_cell})"));
    if den == 0.0 { f.set_result("—") } else { f.set_result(format!("{}", num / den)) }
}

fn or_none(s: String) -> String {
    if s.is_empty() { "无".to_string() } else { s }
}
