//! `kefu check`: load every register, report every problem, grouped by register.
//!
//! Input: the input folder, configuration and form definitions, the run date. Output: a report
//! (text for people, JSON for machines) listing each problem with file, sheet, row, column, the
//! value and what was expected, errors apart from warnings; the exit code is 1 when there is an
//! error. Nothing is written and no input file is modified.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

use super::session::{Env, Outcome, say};
use crate::config::Config;
use crate::error::{Error, Problem, Severity};
use crate::forms::FormSet;
use crate::load::{self, Loaded};
use crate::model::RegisterId;

/// The outcome of a check.
#[derive(Debug)]
pub struct CheckReport {
    pub as_of: NaiveDate,
    pub loaded: Loaded,
    /// Per register: title, files, records.
    pub registers: Vec<RegisterSummary>,
}

/// One register's line in the report.
#[derive(Debug, Serialize)]
pub struct RegisterSummary {
    pub register: String,
    pub title: String,
    pub files: Vec<PathBuf>,
    pub records: usize,
    #[serde(skip)]
    id: RegisterId,
}

impl CheckReport {
    /// Number of errors.
    pub fn errors(&self) -> usize {
        self.loaded.problems.iter().filter(|p| p.is_error()).count()
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.loaded.problems.len() - self.errors()
    }

    /// The one-line summary.
    pub fn summary(&self) -> String {
        format!(
            "检查完毕：{} 本台帐、{} 个文件，共 {} 条记录；{} 个错误，{} 个警告",
            self.registers.len(),
            self.loaded.files.len(),
            self.loaded.dataset.record_count(),
            self.errors(),
            self.warnings()
        )
    }
}

/// `kefu check`: prints the report (text or JSON); exit 1 when a register has an error.
pub fn execute(env: &Env, json: bool) -> Result<Outcome, Error> {
    let (config, forms) = env.definitions()?;
    let as_of = env.run_date(Some(&config));
    let report = run(&env.input, &config, &forms, as_of)?;
    let body = if json { render_json(&report) } else { render_text(&report) };
    say(&format!("{body}\n"));
    let exit = if report.errors() > 0 { 1 } else { 0 };
    Ok(Outcome { summary: report.summary(), exit })
}

/// Loads and checks every register.
pub fn run(input: &Path, config: &Config, forms: &FormSet, as_of: NaiveDate) -> Result<CheckReport, Error> {
    let loaded = load::load(input, config, forms, as_of)?;
    let registers = loaded
        .dataset
        .registers
        .values()
        .map(|r| {
            let mut files: Vec<PathBuf> =
                loaded.files.iter().filter(|(id, _)| *id == r.id).map(|(_, f)| f.clone()).collect();
            files.dedup();
            RegisterSummary { register: r.id.to_string(), title: r.id.title(forms), files, records: r.len(), id: r.id }
        })
        .collect();
    Ok(CheckReport { as_of, loaded, registers })
}

/// Which register a problem belongs to: the register whose files include the problem's file.
fn owner(report: &CheckReport, p: &Problem) -> Option<RegisterId> {
    report.registers.iter().find(|r| r.files.contains(&p.location.file)).map(|r| r.id)
}

/// The report for people: problems under their register, errors first.
pub fn render_text(report: &CheckReport) -> String {
    let mut groups: BTreeMap<Option<RegisterId>, Vec<&Problem>> = BTreeMap::new();
    for p in &report.loaded.problems {
        groups.entry(owner(report, p)).or_default().push(p);
    }
    let mut out = String::new();
    let _ = writeln!(out, "运行日期 {}", report.as_of);
    if let Some(others) = groups.get(&None) {
        let _ = writeln!(out, "\n【台帐之外】");
        write_problems(&mut out, others);
    }
    for r in &report.registers {
        let problems = groups.get(&Some(r.id)).map(Vec::as_slice).unwrap_or(&[]);
        let files: Vec<String> = r.files.iter().map(|f| f.display().to_string()).collect();
        let _ = write!(out, "\n【{}】{}：{} 条记录", r.title, files.join("、"), r.records);
        if problems.is_empty() {
            let _ = writeln!(out, "，无问题");
        } else {
            let errors = problems.iter().filter(|p| p.is_error()).count();
            let _ = writeln!(out, "，{} 个错误，{} 个警告", errors, problems.len() - errors);
            write_problems(&mut out, problems);
        }
    }
    out
}

fn write_problems(out: &mut String, problems: &[&Problem]) {
    let mut sorted = problems.to_vec();
    sorted.sort_by_key(|p| (p.severity, p.location.file.clone(), p.location.sheet.clone(), p.location.row));
    for p in sorted {
        let _ = writeln!(out, "  {}：{p}", p.severity.label());
    }
}

#[derive(Serialize)]
struct JsonReport<'a> {
    as_of: NaiveDate,
    errors: usize,
    warnings: usize,
    records: usize,
    registers: &'a [RegisterSummary],
    problems: Vec<JsonProblem<'a>>,
}

#[derive(Serialize)]
struct JsonProblem<'a> {
    severity: Severity,
    register: Option<String>,
    file: &'a Path,
    sheet: Option<&'a str>,
    row: Option<usize>,
    column: Option<&'a str>,
    header: Option<&'a str>,
    message: &'a str,
}

/// The report for machines.
pub fn render_json(report: &CheckReport) -> String {
    let problems = report
        .loaded
        .problems
        .iter()
        .map(|p| JsonProblem {
            severity: p.severity,
            register: owner(report, p).map(|r| r.to_string()),
            file: &p.location.file,
            sheet: p.location.sheet.as_deref(),
            row: p.location.row,
            column: p.location.column.as_deref(),
            header: p.location.header.as_deref(),
            message: &p.message,
        })
        .collect();
    let json = JsonReport {
        as_of: report.as_of,
        errors: report.errors(),
        warnings: report.warnings(),
        records: report.loaded.dataset.record_count(),
        registers: &report.registers,
        problems,
    };
    serde_json::to_string_pretty(&json).unwrap_or_default()
}
