//! `kefu dunning`: every dunning letter due on the run date, the dunning ledger and the
//! litigation list.
//!
//! Input: a loaded session (fee ledger, 催缴记录, calendar, parameters) and the templates (letter
//! wording in `templates/letters/*.j2`, layout in `templates/dunning.typ`). Output, in
//! `output/催缴/YYYY-MM-DD/`: one PDF per letter under `函件/`, the combined print file(s)
//! `催缴函件合订本-….pdf` (at most [`LETTERS_PER_BOOK`] letters each), `催缴台帐-….xlsx` (every room
//! in arrears: periods, principal, late fee, stage, last and next step, overdue days) and
//! `起诉清单-….xlsx` (rooms past the 律师函 with the material 二.7 names). The folder is replaced
//! only when everything is written. Failure: template, calendar or write errors.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

use super::session::{Env, Outcome, Session, Stage, StageInput};
use crate::error::Error;
use crate::output::{Staging, safe_file_name};
use crate::parse::money::format_fen;
use crate::parse::room::RoomId;
use crate::progress::Progress;
use crate::render::letters::LetterTexts;
use crate::render::xlsx::{self, Formats, Table};
use crate::render::{Job, PdfFlavor, Typesetter};
use crate::rules::dunning::{self as ladder, Case, Step};
use crate::text::{chinese_date, rmb_capitals};

/// Folder of the dunning output inside the output folder.
pub const DIR: &str = "催缴";

/// Letters per combined print file: a book of thousands of pages helps nobody at the printer.
pub const LETTERS_PER_BOOK: usize = 200;

/// What was written.
#[derive(Debug, Default)]
pub struct Written {
    pub dir: PathBuf,
    pub letters: usize,
    pub by_step: Vec<(Step, usize)>,
    pub cases: usize,
    pub litigation: usize,
    /// Of those, already filed (立案).
    pub filed: usize,
    pub calendar_gaps: usize,
    /// Letters due but not printed, with why (a pay-by date in a year the calendar lacks):
    /// (room, letter, why).
    pub unprinted: Vec<(String, String, String)>,
    /// Rooms whose dunning was not computed because a record it rests on was left out.
    pub not_computed: Vec<(String, String)>,
    /// Years the calendar must be given for every date to be computed.
    pub missing_years: Vec<i32>,
}

/// `kefu dunning`: the letters due on the run date, the dunning ledger and the litigation list.
pub fn execute(env: &Env) -> Result<Outcome, Error> {
    let session = env.session()?;
    let typesetter = env.typesetter()?;
    let written = run(&session, &typesetter, &env.templates_dir, &env.output)?;
    Ok(session.outcome(summary(&written, session.as_of)))
}

/// Dunning as a stage of the month-end run.
pub struct DunningStage;

impl Stage for DunningStage {
    fn name(&self) -> &'static str {
        "欠费催缴"
    }

    fn write(&self, input: &StageInput<'_>, dir: &Path) -> Result<String, Error> {
        let w = run(input.session, input.typesetter, input.templates, dir)?;
        Ok(summary(&w, input.session.as_of))
    }
}

/// The facts a letter template may use (see docs/rules.md).
#[derive(Debug, Serialize)]
pub struct Facts {
    pub company: String,
    pub estate: String,
    pub property: String,
    pub room: String,
    pub owner: String,
    pub step: &'static str,
    pub periods: String,
    pub principal: String,
    pub late_fee: String,
    pub total: String,
    pub total_capitals: String,
    pub rate: String,
    pub pay_by: String,
    pub date: String,
    /// Dates of the steps already taken (empty when not taken).
    pub inquiry: String,
    pub reminder: String,
    pub demand: String,
    pub urgent: String,
    pub counsel: String,
    pub phone: String,
}

#[derive(Debug, Serialize)]
struct Row {
    period: String,
    due: String,
    paid: String,
    unpaid: String,
    days: String,
    late_fee: String,
}

/// One letter as the typst template reads it.
#[derive(Debug, Serialize)]
struct LetterView {
    title: &'static str,
    doc_no: String,
    recipient: String,
    room: String,
    paragraphs: Vec<String>,
    /// The table of periods goes after this many paragraphs.
    table_after: usize,
    rows: Vec<Row>,
    principal: String,
    late_fee: String,
    total: String,
    total_capitals: String,
    signoff: Vec<String>,
    date: String,
    receipt: bool,
}

#[derive(Debug, Serialize)]
struct LettersView<'a> {
    title: String,
    company: &'a str,
    letters: &'a [LetterView],
}

/// A letter due: the case and its step.
struct Due<'a> {
    case: &'a Case,
    step: Step,
}

/// Prints everything due on the session's run date.
/// `templates` is where the letter wording (`letters/*.j2`) is read from; `typesetter` lays out.
pub fn run(session: &Session, typesetter: &Typesetter, templates: &Path, output: &Path) -> Result<Written, Error> {
    let texts = LetterTexts::load(templates).map_err(Error::Config)?;
    let ctx = session.context();
    let (cases, gaps) = ladder::cases(&ctx);
    let as_of = session.as_of;
    let due: Vec<Due<'_>> = cases
        .iter()
        .filter(|c| c.paused_until.is_none())
        .filter_map(|c| match c.next {
            Some((step, on)) if step.is_letter() && on <= as_of => Some(Due { case: c, step }),
            _ => None,
        })
        .collect();
    let mut views = Vec::with_capacity(due.len());
    let mut unprinted = Vec::new();
    let mut missing_years: Vec<i32> = gaps.iter().map(|(_, e)| e.year).collect();
    for d in &due {
        // A letter whose pay-by date cannot be computed is not printed: it would carry a guess.
        match letter(session, &texts, d, views.len() + 1)? {
            Ok(view) => views.push(view),
            Err(gap) => {
                missing_years.push(gap.year);
                unprinted.push((d.case.room.to_string(), d.step.label().to_string(), gap.to_string()));
            }
        }
    }
    missing_years.sort_unstable();
    missing_years.dedup();
    let not_computed: Vec<(String, String)> =
        ladder::not_computed(&ctx).into_iter().map(|(r, why)| (r.to_string(), why)).collect();
    let mut staging = Staging::begin(&output.join(DIR), &as_of.to_string())?;
    write_letters(session, typesetter, &views, &mut staging)?;
    let left_out = LeftOut { unprinted: &unprinted, not_computed: &not_computed, gaps: &gaps };
    staging.write(Path::new(&format!("催缴台帐-{as_of}.xlsx")), &ledger(session, &cases, &left_out)?)?;
    let litigation: Vec<&Case> = cases.iter().filter(|c| c.steps.iter().any(|t| t.step == Step::Lawyer)).collect();
    staging.write(Path::new(&format!("起诉清单-{as_of}.xlsx")), &litigation_list(session, &litigation)?)?;
    let filed = litigation.iter().filter(|c| c.steps.iter().any(|t| t.step == Step::Filing)).count();
    let dir = staging.commit()?;
    let mut by_step: Vec<(Step, usize)> = Vec::new();
    for step in Step::ALL.into_iter().filter(|s| s.is_letter()) {
        let n = views.iter().filter(|v| v.title == step.label()).count();
        by_step.push((step, n));
    }
    Ok(Written {
        dir,
        letters: views.len(),
        by_step,
        cases: cases.len(),
        litigation: litigation.len(),
        filed,
        calendar_gaps: gaps.len(),
        unprinted,
        not_computed,
        missing_years,
    })
}

/// What the dunning ledger lists apart: rooms not computed, letters not printed, cases whose
/// dates the calendar cannot give.
struct LeftOut<'a> {
    unprinted: &'a [(String, String, String)],
    not_computed: &'a [(String, String)],
    gaps: &'a [(RoomId, crate::rules::UnknownYear)],
}

/// Each letter as its own PDF, and all of them bound in books of [`LETTERS_PER_BOOK`].
fn write_letters(
    session: &Session,
    typesetter: &Typesetter,
    views: &[LetterView],
    staging: &mut Staging,
) -> Result<(), Error> {
    let as_of = session.as_of;
    let books = views.chunks(LETTERS_PER_BOOK).count();
    let progress = Progress::new((views.len() + books) as u64, "排版催缴函件");
    // One PDF per letter, typeset on every core.
    let singles = crate::render::parallel_map(views, |v| {
        progress.inc();
        let pdf = typeset(typesetter, session, std::slice::from_ref(v), format!("kefu/dunning/{as_of}/{}", v.doc_no));
        typst::comemo::evict(1);
        pdf.map(|pdf| (format!("函件/{}-{}.pdf", v.title, safe_file_name(&v.room)), pdf))
    });
    for single in singles {
        let (name, pdf) = single?;
        staging.write(Path::new(&name), &pdf)?;
    }
    for (i, chunk) in views.chunks(LETTERS_PER_BOOK).enumerate() {
        progress.inc();
        let name = if books == 1 {
            format!("催缴函件合订本-{as_of}.pdf")
        } else {
            format!("催缴函件合订本-{as_of}-{:02}.pdf", i + 1)
        };
        let pdf = typeset(typesetter, session, chunk, format!("kefu/dunning/{as_of}/book/{i}"));
        // A book's layout cache is large and never reused: drop it before the next.
        typst::comemo::evict(0);
        staging.write(Path::new(&name), &pdf?)?;
    }
    progress.finish();
    Ok(())
}

fn typeset(t: &Typesetter, session: &Session, letters: &[LetterView], ident: String) -> Result<Vec<u8>, Error> {
    let view = LettersView { title: "催缴函件".to_string(), company: &session.config.company, letters };
    let job = Job { template: "/dunning.typ", data: &view, date: session.as_of, ident, flavor: PdfFlavor::Plain };
    let typeset = t.typeset(&job)?;
    typeset.refuse_missing_glyphs(Path::new("催缴函件"), "", "无法印出；请核对业主姓名或房号")?;
    t.export(&typeset.document, &job, None)
}

/// The wording and facts of one letter.
fn letter(
    session: &Session,
    texts: &LetterTexts,
    d: &Due<'_>,
    serial: usize,
) -> Result<Result<LetterView, crate::rules::UnknownYear>, Error> {
    let c = session.context();
    let p = &c.params.dunning;
    let case = d.case;
    let as_of = session.as_of;
    let pay_by = match d.step {
        Step::Lawyer => c.calendar.calendar_deadline(as_of, p.lawyer_days),
        Step::Urgent => c.calendar.calendar_deadline(as_of, p.urgent_days),
        _ => ladder::pay_by(c.calendar, p, as_of),
    };
    let pay_by = match pay_by {
        Ok(d) => d,
        Err(gap) => return Ok(Err(gap)),
    };
    let owner = case.owner.clone().unwrap_or_default();
    let total = case.principal() + case.late_fee();
    let counsel = p_counsel(session);
    let facts = facts(session, d, pay_by);
    let paragraphs = texts.paragraphs(&format!("{}.txt.j2", d.step.label()), &facts)?;
    // The table follows the paragraph that announces it (明细见下表), else the first.
    let table_after = paragraphs.iter().position(|p| p.contains("见下表")).map_or(1, |i| i + 1).min(paragraphs.len());
    let rows = period_rows(case);
    let signoff = if d.step == Step::Lawyer {
        vec![counsel, format!("（受{}委托）", session.config.company)]
    } else {
        vec![session.config.company.clone(), format!("{}物业服务中心", session.config.estate)]
    };
    let short = session.config.estate.chars().take(2).collect::<String>();
    Ok(Ok(LetterView {
        title: d.step.label(),
        doc_no: format!("{short}物催〔{}〕{}{:03}号", as_of.format("%Y"), as_of.format("%m%d"), serial),
        recipient: format!(
            "{}室 {}业主（住户）：",
            case.room,
            if owner.is_empty() { String::new() } else { format!("{owner} ") }
        ),
        room: case.room.to_string(),
        paragraphs,
        table_after,
        rows,
        principal: format_fen(case.principal()),
        late_fee: format_fen(case.late_fee()),
        total: format_fen(total),
        total_capitals: rmb_capitals(total),
        signoff,
        date: chinese_date(as_of),
        receipt: true,
    }))
}

/// The facts a letter's wording is filled with: who, what is owed, by when it is to be paid.
fn facts(session: &Session, d: &Due<'_>, pay_by: NaiveDate) -> Facts {
    let c = session.context();
    let p = &c.params.dunning;
    let case = d.case;
    let as_of = session.as_of;
    let taken = |s: Step| case.steps.iter().find(|t| t.step == s).map(|t| chinese_date(t.on)).unwrap_or_default();
    let owner = case.owner.clone().unwrap_or_default();
    let property =
        session.config.property.as_ref().map(|p| p.name.clone()).unwrap_or_else(|| session.config.estate.clone());
    let total = case.principal() + case.late_fee();
    let counsel = p_counsel(session);
    Facts {
        company: session.config.company.clone(),
        estate: session.config.estate.clone(),
        property,
        room: case.room.to_string(),
        owner,
        step: d.step.label(),
        periods: case.period_text(),
        principal: format_fen(case.principal()),
        late_fee: format_fen(case.late_fee()),
        total: format_fen(total),
        total_capitals: rmb_capitals(total),
        rate: String::from(p.daily_rate),
        pay_by: chinese_date(pay_by),
        date: chinese_date(as_of),
        inquiry: taken(Step::Inquiry),
        reminder: taken(Step::Reminder),
        demand: taken(Step::Demand),
        urgent: taken(Step::Urgent),
        counsel,
        phone: p.phone.clone(),
    }
}

/// A letter's table of the periods owed.
fn period_rows(case: &Case) -> Vec<Row> {
    case.periods
        .iter()
        .map(|x| Row {
            period: format!("{}年{}月", x.period.year, x.period.month),
            due: format_fen(x.due),
            paid: format_fen(x.paid),
            unpaid: format_fen(x.unpaid),
            days: x.days.to_string(),
            late_fee: format_fen(x.late_fee),
        })
        .collect()
}

fn p_counsel(session: &Session) -> String {
    let c = &session.params.dunning.counsel;
    if c.trim().is_empty() { "公司法律顾问".to_string() } else { c.clone() }
}

/// The dunning ledger: every room in arrears.
fn ledger(session: &Session, cases: &[Case], left_out: &LeftOut<'_>) -> Result<Vec<u8>, Error> {
    let e = xlsx::xlsx_error;
    let as_of = session.as_of;
    let mut wb = xlsx::workbook(as_of, "催缴台帐", &session.config.company)?;
    let f = Formats::default();
    let money = f.cell.clone().set_num_format("#,##0.00");
    let ws = wb.add_worksheet();
    let heads: [(&str, f64); 18] = [
        ("房号", 5.0),
        ("业主", 4.0),
        ("欠费期间", 12.0),
        ("欠费本金（元）", 6.0),
        ("违约金（合同，元）", 7.0),
        ("违约金（法院可能支持，元）", 8.0),
        ("合计（元）", 6.0),
        ("当前阶段", 5.0),
        ("上一步日期", 5.5),
        ("下一步", 5.0),
        ("下一步应办日期", 6.0),
        ("逾期天数", 4.0),
        ("质量异议暂停至", 6.0),
        ("起诉期限", 5.5),
        ("欠费账期数", 4.0),
        ("无送达凭证的函件", 12.0),
        ("诉讼时效届满（最早）", 6.0),
        ("依据", 40.0),
    ];
    let total: i64 = cases.iter().map(Case::principal).sum();
    let sub = format!(
        "{}　{}　截至 {}：欠费 {} 户，本金合计 {} 元（物业收费及催缴管理规程 二）",
        session.config.company,
        session.config.estate,
        chinese_date(as_of),
        cases.len(),
        format_fen(total)
    );
    Table::new("催缴台帐", "欠费催缴台帐", &sub, &heads).freeze_first_column().write(ws, &f, |ws| {
        for (r, c) in cases.iter().enumerate() {
            ledger_row(ws, 3 + r as u32, c, as_of, &f, &money)?;
        }
        let n = cases.len() as u32;
        if n > 0 {
            ledger_total(ws, cases, &f, &money)?;
        }
        Ok(n)
    })?;
    left_out_sheet(&mut wb, session, left_out, &f)?;
    wb.save_to_buffer().map_err(e)
}

/// The rooms the ledger leaves out, each with why: not computed (a record it rests on has an
/// error), a letter due but not printed, dates the calendar cannot give.
fn left_out_sheet(
    wb: &mut rust_xlsxwriter::Workbook,
    session: &Session,
    left: &LeftOut<'_>,
    f: &Formats,
) -> Result<(), Error> {
    let e = xlsx::xlsx_error;
    let mut rows: Vec<[String; 3]> = Vec::new();
    rows.extend(
        left.not_computed
            .iter()
            .map(|(room, why)| [room.clone(), "未计算（不出函、不列入台帐）".to_string(), why.clone()]),
    );
    rows.extend(left.unprinted.iter().map(|(room, step, why)| [room.clone(), format!("{step}未打印"), why.clone()]));
    rows.extend(left.gaps.iter().map(|(room, gap)| [room.to_string(), "期限未计算".to_string(), gap.to_string()]));
    let heads: [(&str, f64); 3] = [("房号", 6.0), ("情况", 14.0), ("原因与处理", 60.0)];
    let sub = format!(
        "{}　截至 {}：以下各户未出函或未计算，请处理后重新运行",
        session.config.estate,
        chinese_date(session.as_of)
    );
    let ws = wb.add_worksheet();
    Table::new("未计算与未出函", "未计算与未出函的房间", &sub, &heads).write(ws, f, |ws| {
        for (r, row) in rows.iter().enumerate() {
            for (c, text) in row.iter().enumerate() {
                ws.write_string_with_format(3 + r as u32, c as u16, text, &f.cell).map_err(e)?;
            }
        }
        Ok(rows.len() as u32)
    })?;
    Ok(())
}

/// One case's row of the dunning ledger, at row `row`.
fn ledger_row(
    ws: &mut rust_xlsxwriter::Worksheet,
    row: u32,
    c: &Case,
    as_of: NaiveDate,
    f: &Formats,
    money: &rust_xlsxwriter::Format,
) -> Result<(), Error> {
    let e = xlsx::xlsx_error;
    let (next, next_on) =
        c.next.map_or((String::new(), String::new()), |(s, d)| (s.label().to_string(), d.to_string()));
    let overdue = c.next.map_or(0, |(_, d)| (as_of - d).num_days().max(0));
    let unproven: Vec<String> = c
        .unproven_letters()
        .map(|t| format!("{} {}（{}）", t.step.label(), t.on, t.delivery.as_deref().unwrap_or("未记录送达方式")))
        .collect();
    let texts: [(u16, String); 12] = [
        (0, c.room.to_string()),
        (1, c.owner.clone().unwrap_or_default()),
        (2, c.period_text()),
        (7, c.stage().map(|t| t.step.label().to_string()).unwrap_or_else(|| "未催缴".to_string())),
        (8, c.stage().map(|t| t.on.to_string()).unwrap_or_default()),
        (9, next),
        (10, next_on),
        (12, c.paused_until.map(|d| d.to_string()).unwrap_or_default()),
        (13, c.filing_deadline.map(|d| d.to_string()).unwrap_or_default()),
        (15, unproven.join("；")),
        (16, c.limitation_ends.to_string()),
        (17, c.why.clone()),
    ];
    for (col, text) in texts {
        ws.write_string_with_format(row, col, text, &f.cell).map_err(e)?;
    }
    for (col, fen) in [(3u16, c.principal()), (4, c.late_fee()), (5, c.court_fee()), (6, c.principal() + c.late_fee())]
    {
        ws.write_number_with_format(row, col, yuan(fen), money).map_err(e)?;
    }
    ws.write_number_with_format(row, 11, overdue as f64, &f.cell_center).map_err(e)?;
    ws.write_number_with_format(row, 14, c.periods.len() as f64, &f.cell_center).map_err(e)?;
    Ok(())
}

/// The ledger's 合计 row under the cases: each money column summed by a formula.
fn ledger_total(
    ws: &mut rust_xlsxwriter::Worksheet,
    cases: &[Case],
    f: &Formats,
    money: &rust_xlsxwriter::Format,
) -> Result<(), Error> {
    let e = xlsx::xlsx_error;
    let n = cases.len() as u32;
    let sum_row = 3 + n;
    ws.write_string_with_format(sum_row, 0, "合计", &f.header).map_err(e)?;
    let sums = [
        cases.iter().map(Case::principal).sum::<i64>(),
        cases.iter().map(Case::late_fee).sum(),
        cases.iter().map(Case::court_fee).sum(),
        cases.iter().map(|c| c.principal() + c.late_fee()).sum(),
    ];
    for (col, sum) in (3u16..=6).zip(sums) {
        let letter = crate::load::column_letter(col as usize);
        // The total cached, for readers that do not recalculate on opening.
        let formula = rust_xlsxwriter::Formula::new(format!("=SUM({letter}4:{letter}{})", 3 + n))
            .set_result(format!("{}", yuan(sum)));
        ws.write_formula_with_format(sum_row, col, formula, money).map_err(e)?;
    }
    Ok(())
}

/// Fen as yuan, for a money cell.
fn yuan(fen: i64) -> f64 {
    fen as f64 / 100.0
}

/// Rooms past the 律师函, with what 二.7 asks for: 业主姓名或单位名称、欠费时间段、核算滞纳金.
fn litigation_list(session: &Session, cases: &[&Case]) -> Result<Vec<u8>, Error> {
    let e = xlsx::xlsx_error;
    let as_of = session.as_of;
    let p = &session.params.dunning;
    let mut wb = xlsx::workbook(as_of, "起诉清单", &session.config.company)?;
    let f = Formats::default();
    let ws = wb.add_worksheet();
    let heads: [(&str, f64); 10] = [
        ("业主姓名或单位名称", 7.0),
        ("房号", 5.0),
        ("欠费时间段", 12.0),
        ("欠费本金（元）", 6.0),
        ("违约金核算（合同约定）", 36.0),
        ("违约金合计（元）", 6.0),
        ("法院可能支持的违约金（元）", 8.0),
        ("律师函日期", 5.5),
        ("起诉期限", 5.5),
        ("已立案", 3.5),
    ];
    let sub = format!(
        "{}　截至 {}：律师函已发出 {} 户；律师函发出 3 日后仍无反应的收集起诉材料，1 个月内提起诉讼（物业收费及催缴管理规程 二.7）",
        session.config.company,
        chinese_date(as_of),
        cases.len()
    );
    Table::new("起诉清单", "欠费起诉清单", &sub, &heads).freeze_first_column().heading_once().write(ws, &f, |ws| {
        let rate = String::from(p.daily_rate);
        for (r, c) in cases.iter().enumerate() {
            litigation_row(ws, 3 + r as u32, c, &rate, &f)?;
        }
        Ok(cases.len() as u32)
    })?;
    wb.save_to_buffer().map_err(e)
}

/// One case's row of the litigation list, at row `row`; `rate` is the daily late-fee rate.
fn litigation_row(
    ws: &mut rust_xlsxwriter::Worksheet,
    row: u32,
    c: &Case,
    rate: &str,
    f: &Formats,
) -> Result<(), Error> {
    let e = xlsx::xlsx_error;
    let detail: Vec<String> = c
        .periods
        .iter()
        .map(|x| {
            format!(
                "{}年{}月：{}元×{}天×{rate}={}元",
                x.period.year,
                x.period.month,
                format_fen(x.unpaid),
                x.days,
                format_fen(x.late_fee)
            )
        })
        .collect();
    let lawyer = c.steps.iter().find(|t| t.step == Step::Lawyer).map(|t| t.on.to_string()).unwrap_or_default();
    let filed = if c.steps.iter().any(|t| t.step == Step::Filing) { "是" } else { "否" };
    let texts: [(u16, String); 7] = [
        (0, c.owner.clone().unwrap_or_else(|| "（未登记业主）".to_string())),
        (1, c.room.to_string()),
        (2, c.period_text()),
        (4, detail.join("；")),
        (7, lawyer),
        (8, c.filing_deadline.map(|d| d.to_string()).unwrap_or_default()),
        (9, filed.to_string()),
    ];
    for (col, text) in texts {
        ws.write_string_with_format(row, col, text, &f.cell).map_err(e)?;
    }
    for (col, fen) in [(3u16, c.principal()), (5, c.late_fee()), (6, c.court_fee())] {
        ws.write_number_with_format(row, col, fen as f64 / 100.0, &f.cell).map_err(e)?;
    }
    Ok(())
}

/// `提示函 3 封、催缴函 2 封 …`.
pub fn summary(w: &Written, as_of: NaiveDate) -> String {
    let parts: Vec<String> =
        w.by_step.iter().filter(|(_, n)| *n > 0).map(|(s, n)| format!("{} {n} 封", s.label())).collect();
    let mut gaps = String::new();
    if w.calendar_gaps > 0 || !w.unprinted.is_empty() {
        let years: Vec<String> = w.missing_years.iter().map(i32::to_string).collect();
        let mut what = Vec::new();
        if w.calendar_gaps > 0 {
            what.push(format!("{} 户的期限未计算", w.calendar_gaps));
        }
        if !w.unprinted.is_empty() {
            what.push(format!("{} 封应发函件的缴费期限无法计算、未打印", w.unprinted.len()));
        }
        gaps = format!(
            "；需要 {} 年的放假安排：{}（见催缴台帐「未计算与未出函」）；请按国务院办公厅的放假通知在 calendar.yaml 中补上该年，并用 kefu calendar 核对",
            years.join("、"),
            what.join("、")
        );
    }
    if !w.not_computed.is_empty() {
        gaps.push_str(&format!(
            "；{} 户因台帐记录有误未计算（见催缴台帐「未计算与未出函」和数据问题清单）",
            w.not_computed.len()
        ));
    }
    format!(
        "{as_of} 应发催缴函件 {} 封（{}）；欠费 {} 户，已发律师函 {} 户（已立案 {} 户）{gaps}；输出在 {}",
        w.letters,
        if parts.is_empty() { "无".to_string() } else { parts.join("、") },
        w.cases,
        w.litigation,
        w.filed,
        w.dir.display()
    )
}
