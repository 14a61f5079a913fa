//! Loading the registers: files → typed records, with every problem located.
//!
//! Input: the input folder (registers found by `mapping.yaml` or by name under `台帐/`), the
//! configuration and the form definitions. Output: a [`Dataset`] of typed records plus every
//! problem found — unreadable files, missing headers, cells that are not what their field
//! expects, and the cross-register checks of [`checks`]. Loading collects problems instead of
//! stopping; only a broken mapping file (configuration) fails it. Input files are only read.

mod cell;
pub mod checks;
pub mod exclude;
#[doc(hidden)]
pub mod fuzz;
mod header;
pub mod mapping;
mod merges;
pub mod propose;
mod rows;
mod workbook;
mod xlsx;
mod yaml_register;

use std::collections::{BTreeMap, HashSet};

use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::config::Config;
use crate::error::{Error, Location, Problem};
use crate::forms::{Field, FormSet, LedgerId};
use crate::model::{Dataset, Origin, Register, RegisterId, Source, Value};

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
    // Files are read in parallel, the largest first so that no large file is left to run alone
    // at the end; results are merged in discovery order, so output is stable.
    use rayon::prelude::*;
    let mut order: Vec<usize> = (0..specs.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(std::fs::metadata(&specs[i].file).map_or(0, |m| m.len())));
    let mut parts: Vec<(usize, RegisterId, Register, Vec<Problem>)> = order
        .into_iter()
        .par_bridge()
        .map(|i| {
            let spec = &specs[i];
            let fields = spec.register.fields(forms);
            let mut register = Register::new(spec.register, fields);
            let mut found = Vec::new();
            read_source(spec, fields, &mut register, &mut found);
            (i, spec.register, register, found)
        })
        .collect();
    parts.sort_by_key(|part| part.0);
    let files = specs.iter().map(|s| (s.register, s.file.clone())).collect();
    let mut registers: BTreeMap<RegisterId, Register> = BTreeMap::new();
    for (_, id, register, found) in parts {
        problems.extend(found);
        match registers.entry(id) {
            std::collections::btree_map::Entry::Vacant(e) => {
                e.insert(register);
            }
            std::collections::btree_map::Entry::Occupied(mut e) => e.get_mut().append(register),
        }
    }
    for register in registers.values_mut() {
        register.seal();
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
    let wide_ok = spec.register == RegisterId::Ledger(LedgerId::Fees) && spec.layout != mapping::Layout::Long;
    let mut found = 0;
    let mut first_failure = None;
    // What a sheet's first reading left behind, undone when it is read again with its merges.
    let mut mark = (0, 0, 0, 0, None);
    let result =
        workbook::read_sheets(&spec.file, spec.sheets.as_deref(), |name, total, hint, again, strings, rows| {
            if again {
                let (records, sources, reported, was_found, was_failure) = mark.clone();
                register.truncate(records, sources);
                problems.truncate(reported);
                found = was_found;
                first_failure = was_failure;
            } else {
                mark = (register.len(), register.sources.len(), problems.len(), found, first_failure.clone());
            }
            let sheet_loc = Location { file: spec.file.clone(), sheet: Some(name.to_string()), ..Location::default() };
            // Buffer the top of the sheet, where the header is looked for.
            let limit = spec.header_row.map_or(header::SCAN_ROWS, |r| r + 1);
            let (top, next) = buffer_top(rows, limit, strings);
            let constants = constant_fields(spec, fields);
            let m = match header::find(&top, fields, names, spec.header_row, wide_ok, &constants) {
                Ok(m) => m,
                Err(msg) => {
                    no_header(spec, total, sheet_loc, msg, &mut found, &mut first_failure, problems);
                    return;
                }
            };
            found += 1;
            header_warnings(spec, &m, &sheet_loc, problems);
            let year = sheet_year(spec, name, &top, m.row);
            let mut reader = rows::SheetReader::new(spec, name, &m, fields, year, register, problems);
            register.reserve(hint.saturating_sub(m.row + 1) * reader.groups.len());
            let buffered = top.rows.into_iter().enumerate().skip(m.row + 1).map(Ok);
            for item in buffered.chain(next).chain(rows) {
                match item {
                    Ok((r, cells)) => reader.row(r, &cells, strings, register, problems),
                    Err(msg) => {
                        problems.push(Problem::at(sheet_loc.clone(), msg));
                        break;
                    }
                }
            }
        });
    if let Err(msg) = result {
        problems.push(Problem::in_file(&spec.file, msg));
        return;
    }
    if found == 0 {
        no_sheet_read(spec, first_failure, problems);
    }
}

/// The fields the mapping gives a constant value (so their columns may be missing).
fn constant_fields(spec: &mapping::SourceSpec, fields: &[Field]) -> Vec<usize> {
    spec.constants
        .iter()
        .filter_map(|(target, _)| {
            let key = crate::parse::text::header_key(target);
            fields.iter().position(|f| f.key == *target || crate::parse::text::header_key(&f.label) == key)
        })
        .collect()
}

/// The year of the dates a sheet writes without one: the mapping's, else the first year named
/// by the sheet's name, the rows above its header (a title, `2026年9月`), or the file's name.
fn sheet_year(spec: &mapping::SourceSpec, sheet: &str, top: &workbook::Grid, header_row: usize) -> Option<i32> {
    if spec.year.is_some() {
        return spec.year;
    }
    let titles = top.rows.iter().take(header_row).flat_map(|row| row.iter().map(Cell::shown));
    let stem = spec.file.file_stem().map(|s| s.to_string_lossy().into_owned());
    std::iter::once(sheet.to_string()).chain(titles).chain(stem).find_map(|t| year_in(&t))
}

/// A year 1990–2099 written in `text`: a run of exactly four digits followed by 年, a date
/// separator or anything but a digit.
pub(super) fn year_in(text: &str) -> Option<i32> {
    let t = crate::parse::text::normalize(text);
    let mut rest = t.as_str();
    while !rest.is_empty() {
        let skip = rest.find(|c: char| c.is_ascii_digit())?;
        rest = &rest[skip..];
        let run = rest.bytes().take_while(u8::is_ascii_digit).count();
        if run == 4
            && let Ok(year) = rest[..4].parse::<i32>()
            && (1990..=2099).contains(&year)
        {
            return Some(year);
        }
        rest = &rest[run..];
    }
    None
}

/// A sheet whose header was not found: an error when it is the register's only sheet (or the
/// mapping names it), else a warning, the sheet skipped, and the first such failure kept.
fn no_header(
    spec: &mapping::SourceSpec,
    total: usize,
    sheet_loc: Location,
    msg: String,
    found: &mut usize,
    first_failure: &mut Option<(Location, String)>,
    problems: &mut Vec<Problem>,
) {
    // A workbook may hold notes or other sheets besides the register.
    if spec.sheets.is_some() || total == 1 {
        problems.push(Problem::at(sheet_loc, msg));
        *found += 1; // reported; no "no sheet" error on top
    } else {
        first_failure.get_or_insert((sheet_loc.clone(), msg.clone()));
        problems.push(Problem::at(sheet_loc, format!("{msg}，已跳过这张工作表")).warning());
    }
}

/// No sheet of the workbook held the register: why the first one failed, or that it has none.
fn no_sheet_read(spec: &mapping::SourceSpec, first_failure: Option<(Location, String)>, problems: &mut Vec<Problem>) {
    match first_failure {
        Some((loc, msg)) => {
            problems.push(Problem::at(Location { sheet: None, ..loc }, format!("没有一张工作表能读出本台帐：{msg}")))
        }
        None => problems.push(Problem::in_file(&spec.file, "工作簿中没有工作表")),
    }
}

/// A sheet's row as the workbook reader hands it over: (0-based row, cells), or why it failed.
type RowItem = Result<(usize, Vec<Cell>), String>;

/// The rows of a sheet up to `limit` (exclusive) as a grid, and the first item after them.
fn buffer_top(rows: &mut workbook::Rows<'_>, limit: usize, strings: &[Arc<str>]) -> (workbook::Grid, Option<RowItem>) {
    let mut top = workbook::Grid { rows: Vec::new() };
    let mut next = None;
    for item in &mut *rows {
        match item {
            Ok((r, cells)) if r < limit => {
                if top.rows.len() <= r {
                    top.rows.resize(r + 1, Vec::new());
                }
                top.rows[r] = cells.iter().map(|c| c.resolved(strings)).collect();
            }
            other => {
                next = Some(other);
                break;
            }
        }
    }
    (top, next)
}

/// Warnings about a sheet's header: a wide layout without monthly columns, columns that are no
/// field of the register.
fn header_warnings(
    spec: &mapping::SourceSpec,
    m: &header::HeaderMatch,
    sheet_loc: &Location,
    problems: &mut Vec<Problem>,
) {
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
}

fn read_yaml(
    spec: &mapping::SourceSpec,
    fields: &[Field],
    names: &header::Names,
    register: &mut Register,
    problems: &mut Vec<Problem>,
) {
    let Some(rows) = yaml_rows(spec, problems) else { return };
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
        rows::report_missing(register, fields, &bad, problems);
    }
}

/// The records of a YAML register; `None` (the problem reported) when it cannot be read or holds
/// none.
fn yaml_rows(spec: &mapping::SourceSpec, problems: &mut Vec<Problem>) -> Option<Vec<yaml_register::YamlRow>> {
    let text = match std::fs::read_to_string(&spec.file) {
        Ok(t) => t,
        Err(e) => {
            problems.push(Problem::in_file(&spec.file, format!("无法读取：{}", crate::error::io_reason(&e))));
            return None;
        }
    };
    let rows = match yaml_register::read(&text, &spec.file) {
        Ok(r) => r,
        Err(p) => {
            problems.push(p);
            return None;
        }
    };
    if rows.is_empty() {
        problems.push(Problem::in_file(&spec.file, "台帐中没有任何记录").warning());
        return None;
    }
    Some(rows)
}

fn names_find(names: &header::Names, key: &str) -> Option<usize> {
    names.find_key(key)
}
