//! Loading the registers: files → typed records, with every problem located.
//!
//! Input: the input folder (registers found by `mapping.yaml` or by name under `台帐/`), the
//! configuration and the form definitions. Output: a [`Dataset`] of typed records plus every
//! problem found — unreadable files, missing headers, cells that are not what their field
//! expects, and the cross-register checks of [`checks`]. Loading collects problems instead of
//! stopping; only a broken mapping file (configuration) fails it. Input files are only read.

mod cell;
pub mod checks;
mod header;
pub mod mapping;
mod workbook;
mod yaml_register;

use std::collections::{BTreeMap, HashSet};

use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::config::Config;
use crate::error::{Error, Location, Problem};
use crate::forms::{Field, FieldType, FormSet, LedgerId};
use crate::model::{Dataset, Origin, Register, RegisterId, Source, Value};
use crate::parse::text;

pub use cell::Cell;
pub use workbook::column_letter;

/// What loading found.
#[derive(Debug)]
pub struct Loaded {
    pub dataset: Dataset,
    /// Errors and warnings, in the order found.
    pub problems: Vec<Problem>,
    /// Each file read and the register it holds.
    pub files: Vec<(RegisterId, std::path::PathBuf)>,
}

/// Loads every register under `input` and checks it as of `as_of`.
pub fn load(input: &Path, config: &Config, forms: &FormSet, as_of: NaiveDate) -> Result<Loaded, Error> {
    let (specs, mut problems) = mapping::discover(input, forms).map_err(Error::Config)?;
    // Files are read in parallel; results are merged in discovery order, so output is stable.
    use rayon::prelude::*;
    let parts: Vec<(RegisterId, Register, Vec<Problem>)> = specs
        .par_iter()
        .map(|spec| {
            let fields = spec.register.fields(forms);
            let mut register = Register::new(spec.register, fields);
            let mut found = Vec::new();
            read_source(spec, fields, &mut register, &mut found);
            (spec.register, register, found)
        })
        .collect();
    let files = specs.iter().map(|s| (s.register, s.file.clone())).collect();
    let mut registers: BTreeMap<RegisterId, Register> = BTreeMap::new();
    for (id, register, found) in parts {
        problems.extend(found);
        match registers.entry(id) {
            std::collections::btree_map::Entry::Vacant(e) => {
                e.insert(register);
            }
            std::collections::btree_map::Entry::Occupied(mut e) => e.get_mut().append(register),
        }
    }
    let dataset = Dataset::new(registers, forms);
    problems.extend(checks::run(&dataset, config, forms, as_of, input));
    Ok(Loaded { dataset, problems, files })
}

fn read_source(spec: &mapping::SourceSpec, fields: &[Field], register: &mut Register, problems: &mut Vec<Problem>) {
    let names = match header::Names::new(fields, &spec.columns) {
        Ok(n) => n,
        Err(msgs) => {
            problems.extend(msgs.into_iter().map(|m| Problem::in_file(&spec.file, m)));
            return;
        }
    };
    let is_yaml = spec
        .file
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "yaml" | "yml"));
    if is_yaml {
        read_yaml(spec, fields, &names, register, problems);
    } else {
        read_workbook(spec, fields, &names, register, problems);
    }
}

fn read_workbook(
    spec: &mapping::SourceSpec,
    fields: &[Field],
    names: &header::Names,
    register: &mut Register,
    problems: &mut Vec<Problem>,
) {
    let grids = match workbook::read(&spec.file, spec.sheets.as_deref()) {
        Ok(g) => g,
        Err(msg) => {
            problems.push(Problem::in_file(&spec.file, msg));
            return;
        }
    };
    let wide_ok = spec.register == RegisterId::Ledger(LedgerId::Fees) && spec.layout != mapping::Layout::Long;
    let mut found = 0;
    let mut first_failure = None;
    let sheet_count = grids.len();
    for grid in &grids {
        let sheet_loc = Location { file: spec.file.clone(), sheet: Some(grid.name.clone()), ..Location::default() };
        let m = match header::find(grid, fields, names, spec.header_row, wide_ok) {
            Ok(m) => m,
            Err(msg) => {
                // A workbook may hold notes or other sheets besides the register.
                if spec.sheets.is_some() || sheet_count == 1 {
                    problems.push(Problem::at(sheet_loc, msg));
                    found += 1; // reported; no "no sheet" error on top
                } else {
                    first_failure.get_or_insert((sheet_loc.clone(), msg.clone()));
                    problems.push(Problem::at(sheet_loc, format!("{msg}，已跳过这张工作表")).warning());
                }
                continue;
            }
        };
        found += 1;
        if spec.layout == mapping::Layout::Wide && m.monthly.is_empty() {
            problems.push(Problem::at(
                sheet_loc.clone(),
                "mapping.yaml 指定了 layout: wide，但表头中没有「2026年1月应收」这样按月的列",
            ));
        }
        for (col, head) in &m.unknown {
            let loc = Location {
                column: Some(column_letter(*col)),
                header: Some(head.clone()),
                row: Some(m.row + 1),
                ..sheet_loc.clone()
            };
            problems.push(Problem::at(loc, format!("列名「{head}」不是本台帐的字段，这一列未读取")).warning());
        }
        read_rows(spec, grid, &m, fields, register, problems);
    }
    if found == 0 {
        match first_failure {
            Some((loc, msg)) => problems
                .push(Problem::at(Location { sheet: None, ..loc }, format!("没有一张工作表能读出本台帐：{msg}"))),
            None => problems.push(Problem::in_file(&spec.file, "工作簿中没有工作表")),
        }
    }
}

/// The columns read into one record: all plain columns, plus one month's columns of a wide fee ledger.
type ColumnGroup<'a> = (Option<crate::config::YearMonth>, Vec<(usize, usize, &'a String)>);

/// Words that mark a total line under a register, not a record.
const TOTAL_WORDS: [&str; 3] = ["合计", "小计", "总计"];

fn read_rows(
    spec: &mapping::SourceSpec,
    grid: &workbook::Grid,
    m: &header::HeaderMatch,
    fields: &[Field],
    register: &mut Register,
    problems: &mut Vec<Problem>,
) {
    let columns_of = |cols: &mut dyn Iterator<Item = (usize, usize, &String)>| {
        let mut per_field: Vec<Option<(String, String)>> = vec![None; fields.len()];
        for (col, field, head) in cols {
            per_field[field] = Some((column_letter(col), head.clone()));
        }
        per_field
    };
    // One source for the plain columns; one more per month of a wide fee ledger.
    let mut months: Vec<crate::config::YearMonth> = m.monthly.iter().map(|c| c.1).collect();
    months.sort();
    months.dedup();
    let plain: Vec<(usize, usize, &String)> = m.columns.iter().map(|(c, f, h)| (*c, *f, h)).collect();
    let mut groups: Vec<ColumnGroup> = Vec::new();
    if months.is_empty() {
        groups.push((None, plain.clone()));
    } else {
        for month in &months {
            let mut cols = plain.clone();
            cols.extend(m.monthly.iter().filter(|c| c.1 == *month).map(|(c, _, f, h)| (*c, *f, h)));
            groups.push((Some(*month), cols));
        }
    }
    let period_field = fields.iter().position(|f| f.key == "period");
    let mut source_ids = Vec::new();
    for (_, cols) in &groups {
        let source = Source {
            file: spec.file.clone(),
            sheet: Some(grid.name.clone()),
            columns: columns_of(&mut cols.iter().copied()),
        };
        source_ids.push(register.sources.len() as u32);
        register.sources.push(Arc::new(source));
    }
    for r in (m.row + 1)..grid.rows.len() {
        let row_cells: Vec<&Cell> = plain.iter().map(|(c, _, _)| grid.get(r, *c)).collect();
        let monthly_empty = m.monthly.iter().all(|(c, ..)| grid.get(r, *c).is_empty());
        if row_cells.iter().all(|c| c.is_empty()) && monthly_empty {
            continue;
        }
        // A 合计 line under the register (in one of the first columns) is not a record.
        let is_total = (0..3).chain(plain.iter().take(3).map(|(c, _, _)| *c)).any(|c| {
            let shown = text::header_key(&grid.get(r, c).shown());
            TOTAL_WORDS.iter().any(|w| shown.starts_with(w))
        });
        if is_total {
            continue;
        }
        for ((month, cols), source) in groups.iter().zip(&source_ids) {
            if month.is_some()
                && cols
                    .iter()
                    .filter(|(c, ..)| m.monthly.iter().any(|x| x.0 == *c))
                    .all(|(c, ..)| grid.get(r, *c).is_empty())
            {
                continue;
            }
            let mut values: Vec<Option<Value>> = vec![None; fields.len()];
            let mut bad = vec![false; fields.len()];
            for (col, fi, head) in cols {
                let field = &fields[*fi];
                match cell::to_value(grid.get(r, *col), field) {
                    Ok(v) => values[*fi] = v,
                    Err(msg) => {
                        bad[*fi] = true;
                        let loc = Location {
                            file: spec.file.clone(),
                            sheet: Some(grid.name.clone()),
                            row: Some(r + 1),
                            column: Some(column_letter(*col)),
                            header: Some((*head).clone()),
                        };
                        problems.push(Problem::at(loc, msg));
                    }
                }
            }
            if let (Some(month), Some(pf)) = (month, period_field) {
                values[pf] = Some(Value::Month(*month));
            }
            register.push(Origin { source: *source, row: (r + 1) as u32 }, &mut values);
            report_missing(register, fields, &bad, problems);
        }
    }
}

/// A required field of the last record left empty (and not already reported as invalid).
fn report_missing(register: &Register, fields: &[Field], bad: &[bool], problems: &mut Vec<Problem>) {
    let row = register.len() - 1;
    for (i, f) in fields.iter().enumerate() {
        let unsigned = f.ty == FieldType::Signature
            && matches!(register.get(row, i), Some(Value::Signature(crate::model::Signature { signed: false, .. })));
        if f.required && !bad[i] && (!register.has(row, i) || unsigned) {
            let loc = register.locate(row, Some((i, f)));
            let what = if f.ty == FieldType::Signature { "缺少签字" } else { "必填项为空" };
            problems.push(Problem::at(loc, format!("{what}：「{}」不能空着", f.label)));
        }
    }
}

fn read_yaml(
    spec: &mapping::SourceSpec,
    fields: &[Field],
    names: &header::Names,
    register: &mut Register,
    problems: &mut Vec<Problem>,
) {
    let text = match std::fs::read_to_string(&spec.file) {
        Ok(t) => t,
        Err(e) => {
            problems.push(Problem::in_file(&spec.file, format!("无法读取：{}", crate::error::io_reason(&e))));
            return;
        }
    };
    let rows = match yaml_register::read(&text, &spec.file) {
        Ok(r) => r,
        Err(p) => {
            problems.push(p);
            return;
        }
    };
    if rows.is_empty() {
        problems.push(Problem::in_file(&spec.file, "台帐中没有任何记录").warning());
        return;
    }
    let mut columns: Vec<Option<(String, String)>> = vec![None; fields.len()];
    let mut unknown_seen = HashSet::new();
    let mut parsed = Vec::with_capacity(rows.len());
    for row in rows {
        let mut values: Vec<Option<Value>> = vec![None; fields.len()];
        let mut bad = vec![false; fields.len()];
        for (key, line, c) in &row.cells {
            let Some(fi) = names_find(names, key) else {
                if unknown_seen.insert(key.clone()) {
                    let loc = Location {
                        file: spec.file.clone(),
                        row: Some(*line),
                        header: Some(key.clone()),
                        ..Location::default()
                    };
                    problems.push(Problem::at(loc, format!("「{key}」不是本台帐的字段，未读取")).warning());
                }
                continue;
            };
            columns[fi].get_or_insert_with(|| (String::new(), key.clone()));
            match cell::to_value(c, &fields[fi]) {
                Ok(v) => values[fi] = v,
                Err(msg) => {
                    bad[fi] = true;
                    let loc = Location {
                        file: spec.file.clone(),
                        row: Some(*line),
                        header: Some(key.clone()),
                        ..Location::default()
                    };
                    problems.push(Problem::at(loc, msg));
                }
            }
        }
        parsed.push((row.line, values, bad));
    }
    let source = register.sources.len() as u32;
    register.sources.push(Arc::new(Source { file: spec.file.clone(), sheet: None, columns }));
    for (line, values, bad) in parsed {
        let mut values = values;
        register.push(Origin { source, row: line as u32 }, &mut values);
        report_missing(register, fields, &bad, problems);
    }
}

fn names_find(names: &header::Names, key: &str) -> Option<usize> {
    names.find_key(key)
}
