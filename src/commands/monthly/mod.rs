//! `kefu monthly`: the month's registers printed as their numbered forms, a statistics workbook and
//! a typeset monthly report, all from one set of computed values.
//!
//! Input: a loaded session and the month. Output, in `output/月报/YYYY-MM/`: `月度报告-….pdf`,
//! `月度统计-….xlsx`, and under `台帐/` one PDF per register with records in the month (the
//! 维修单 one sheet per order, for the monthly binding of 业主报修 4.6) plus form 20. The folder
//! is replaced only when everything is written. Failure: unknown count names in the KPI
//! configuration (exit 2), template or write errors.

mod registers;
mod report;
mod workbook;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::session::{Env, Outcome, Session, Stage, StageInput};
use crate::error::Error;
use crate::model::YearMonth;
use crate::output::Staging;
use crate::rules::Context;

use crate::rules::kpi::{self, Counts, Kpi, counts};

/// Folder of the monthly output inside the output folder.
pub const DIR: &str = "月报";

/// Everything the report and the workbook show, computed once.
pub struct Month<'a> {
    pub month: YearMonth,
    pub ctx: Context<'a>,
    pub counts: Counts,
    pub previous: Counts,
    pub kpis: Vec<Kpi>,
    /// 物业费收缴率 by month, oldest first: (month, paid, due).
    pub collection: Vec<(YearMonth, i64, i64)>,
    /// Per week of the month (Monday–Sunday, by visits::weeks_of): (from, to, planned, done).
    pub visit_weeks: Vec<(NaiveDate, NaiveDate, usize, usize)>,
    /// Per week: (from, to, reported, on time).
    pub repair_weeks: Vec<(NaiveDate, NaiveDate, usize, usize)>,
    pub form20: crate::rules::complaints::Form20,
    pub deadlines: crate::rules::due::Report,
    /// The open items as printed (report and workbook).
    pub deadline_lines: Vec<crate::render::due_list::Line>,
}

/// Computes the month.
pub fn compute<'a>(session: &'a Session, month: YearMonth) -> Result<Month<'a>, Error> {
    let ctx = session.context();
    let params = &session.params.monthly;
    let now = counts::counts(&ctx, month);
    let previous = counts::counts(&ctx, month.prev());
    let origin = session.config_file();
    let kpis = kpi::kpis(params, &now, &previous, &origin).map_err(Error::Config)?;
    let mut collection = Vec::new();
    let mut m = month;
    for _ in 0..params.history_months.max(1) {
        let c = counts::counts_fees_only(&ctx, m);
        collection.push((m, c.0, c.1));
        m = m.prev();
    }
    collection.reverse();
    let weeks = crate::rules::visits::weeks_of(month);
    let visit_weeks = weeks
        .iter()
        .map(|&(from, to)| {
            let c = counts::visit_counts(&ctx, from, to);
            (from, to, c.0, c.1)
        })
        .collect();
    let repair_weeks = weeks
        .iter()
        .map(|&(from, to)| {
            let s = crate::rules::repairs::timeliness(&ctx, from, to);
            (from, to, s.orders, s.on_time)
        })
        .collect();
    let form20 = crate::rules::complaints::statistics(&ctx, month.first_day(), month.last_day());
    let deadlines = crate::rules::due::collect(&ctx, 7);
    let deadline_lines = crate::render::due_list::lines(&deadlines, &session.loaded.dataset);
    Ok(Month {
        month,
        ctx,
        counts: now,
        previous,
        kpis,
        collection,
        visit_weeks,
        repair_weeks,
        form20,
        deadlines,
        deadline_lines,
    })
}

/// What was written.
#[derive(Debug, Default)]
pub struct Written {
    pub dir: PathBuf,
    pub report_pages: usize,
    pub register_files: usize,
    pub register_pages: usize,
    pub kpis: usize,
}

/// Writes the month's report, workbook and printed registers.
pub fn run(
    session: &Session,
    typesetter: &crate::render::Typesetter,
    month: YearMonth,
    output: &Path,
) -> Result<Written, Error> {
    let m = compute(session, month)?;
    let mut staging = Staging::begin(&output.join(DIR), &month.to_string())?;
    let printed = registers::print(session, &m, typesetter, &session.forms_dir)?;
    let mut register_pages = 0;
    for p in &printed {
        staging.write(Path::new(&p.file), &p.pdf)?;
        register_pages += p.pages;
    }
    let xlsx = workbook::write(session, &m, &printed)?;
    staging.write(Path::new(&format!("月度统计-{month}.xlsx")), &xlsx)?;
    let (pdf, report_pages) = report::write(session, &m, &printed, typesetter)?;
    staging.write(Path::new(&format!("月度报告-{month}.pdf")), &pdf)?;
    let dir = staging.commit()?;
    Ok(Written { dir, report_pages, register_files: printed.len(), register_pages, kpis: m.kpis.len() })
}

/// `kefu monthly`: the report, workbook and printed registers of the month.
pub fn execute(env: &Env, month: Option<YearMonth>) -> Result<Outcome, Error> {
    // The run date stays the run date for an earlier month: the registers hold what has
    // happened since, and each count is taken as of the month's end.
    let session = env.session()?;
    let month = env.month(month, &session);
    let typesetter = env.typesetter()?;
    let written = run(&session, &typesetter, month, &env.output)?;
    Ok(session.outcome(summary(&written, month)))
}

/// The monthly report as a stage of the month-end run.
pub struct MonthlyStage;

impl Stage for MonthlyStage {
    fn name(&self) -> &'static str {
        "月报"
    }

    fn write(&self, input: &StageInput<'_>, dir: &Path) -> Result<String, Error> {
        let w = run(input.session, input.typesetter, input.month, dir)?;
        Ok(summary(&w, input.month))
    }
}

/// `2026-10 月报：报告 6 页，台帐 19 份共 120 页，指标 11 项；输出在 …`.
pub fn summary(w: &Written, month: YearMonth) -> String {
    format!(
        "{}年{}月月报：报告 {} 页，打印台帐 {} 份共 {} 页，指标 {} 项；输出在 {}",
        month.year,
        month.month,
        w.report_pages,
        w.register_files,
        w.register_pages,
        w.kpis,
        w.dir.display()
    )
}
