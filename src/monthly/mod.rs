//! `kefu monthly`: the month's registers printed as their numbered forms, a statistics workbook and
//! a typeset monthly report, all from one set of computed values.
//!
//! Input: a loaded session and the month. Output, in `output/月报/YYYY-MM/`: `月度报告-….pdf`,
//! `月度统计-….xlsx`, and under `台帐/` one PDF per register with records in the month (the
//! 维修单 one sheet per order, for the monthly binding of 业主报修 4.6) plus form 20. The folder
//! is replaced only when everything is written. Failure: unknown count names in the KPI
//! configuration (exit 2), template or write errors.

pub mod counts;
pub mod params;
mod registers;
mod report;
mod workbook;

#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

use crate::config::YearMonth;
use crate::error::{Error, Problem, Problems};
use crate::output::Staging;
use crate::rules::Context;
use crate::session::Session;

pub use counts::{Count, Counts, Unit};
pub use params::{KpiDef, Params, Privacy};

/// Folder of the monthly output inside the output folder.
pub const DIR: &str = "月报";

/// A KPI of the month, with its parts and last month's value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Kpi {
    pub name: String,
    pub numerator_key: String,
    pub numerator_label: String,
    pub numerator: i64,
    pub denominator_key: String,
    pub denominator_label: String,
    pub denominator: i64,
    /// Both counts are money (fen).
    pub money: bool,
    /// numerator ÷ denominator; `None` when the denominator is 0.
    pub value: Option<f64>,
    pub previous: Option<f64>,
    pub target: Option<f64>,
    pub lower_is_better: bool,
}

impl Kpi {
    /// The change against last month in percentage points.
    pub fn change_points(&self) -> Option<f64> {
        Some((self.value? - self.previous?) * 100.0)
    }

    /// Whether the target is met (`None` without a target or a value).
    pub fn met(&self) -> Option<bool> {
        let (v, t) = (self.value? * 100.0, self.target?);
        Some(if self.lower_is_better { v <= t + 1e-9 } else { v + 1e-9 >= t })
    }
}

/// `97.3%` (one decimal, half up); `—` when there is no value.
pub fn percent(v: Option<f64>) -> String {
    match v {
        Some(x) => format!("{:.1}%", (x * 1000.0).round() / 10.0),
        None => "—".to_string(),
    }
}

/// The KPIs of `params` from this month's and last month's counts; unknown count names are
/// configuration problems, all reported together.
pub fn kpis(params: &Params, now: &Counts, before: &Counts, origin: &Path) -> Result<Vec<Kpi>, Problems> {
    let mut problems = Vec::new();
    for (i, k) in params.kpis.iter().enumerate() {
        for name in [&k.numerator, &k.denominator] {
            if !counts::known(name) {
                let names: Vec<&str> = counts::CATALOG.iter().map(|c| c.0).collect();
                problems.push(Problem::in_file(
                    origin,
                    format!(
                        "rules.monthly.kpis 第 {} 项「{}」：没有名为「{name}」的计数；可用的计数：{}（见 docs/rules.md）",
                        i + 1,
                        k.name,
                        names.join("、")
                    ),
                ));
            }
        }
    }
    if !problems.is_empty() {
        return Err(Problems(problems));
    }
    let ratio = |c: &Counts, k: &KpiDef| {
        let d = c.value(&k.denominator);
        (d != 0).then(|| c.value(&k.numerator) as f64 / d as f64)
    };
    Ok(params
        .kpis
        .iter()
        .map(|k| {
            let label = |key: &str| counts::CATALOG.iter().find(|c| c.0 == key).map_or("", |c| c.1).to_string();
            let money = |key: &str| counts::CATALOG.iter().any(|c| c.0 == key && c.2 == Unit::Fen);
            Kpi {
                name: k.name.clone(),
                numerator_key: k.numerator.clone(),
                numerator_label: label(&k.numerator),
                numerator: now.value(&k.numerator),
                denominator_key: k.denominator.clone(),
                denominator_label: label(&k.denominator),
                denominator: now.value(&k.denominator),
                money: money(&k.numerator) && money(&k.denominator),
                value: ratio(now, k),
                previous: ratio(before, k),
                target: k.target,
                lower_is_better: k.lower_is_better,
            }
        })
        .collect())
}

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
    pub deadlines: crate::deadlines::Report,
    /// The open items as printed (report and workbook).
    pub deadline_lines: Vec<crate::deadlines::Line>,
}

/// Computes the month.
pub fn compute<'a>(session: &'a Session, month: YearMonth) -> Result<Month<'a>, Error> {
    let ctx = session.context();
    let params = &session.config.rules.monthly;
    let now = counts::counts(&ctx, month);
    let previous = counts::counts(&ctx, month.prev());
    let origin = session_config_file(session);
    let kpis = kpis(params, &now, &previous, &origin).map_err(Error::Config)?;
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
    let deadlines = crate::deadlines::collect(session, 7);
    let deadline_lines = deadlines.lines(session);
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

fn session_config_file(session: &Session) -> PathBuf {
    session.input.join(crate::config::CONFIG_FILE)
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
