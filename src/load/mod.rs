//! Loading the registers: files → typed records, with every problem located.
//!
//! Input: the input folder (registers found by `mapping.yaml` or by name under `台帐/`), the
//! configuration and the form definitions. Output: a [`Dataset`] of typed records plus every
//! problem found — unreadable files, missing headers, cells that are not what their field
//! expects, and the cross-register checks of [`checks`]. Loading collects problems instead of
//! stopping; only a broken mapping file (configuration) fails it. Input files are only read.

mod cell;
pub mod checks;
#[doc(hidden)]
pub mod fuzz;
mod header;
pub mod mapping;
mod merges;
mod workbook;
mod xlsx;
mod yaml_register;

use std::collections::{BTreeMap, HashSet};

use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::config::Config;
use crate::error::{Error, Location, Problem};
use crate::forms::{Field, FieldType, FormSet, LedgerId};
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
            let m = match header::find(&top, fields, names, spec.header_row, wide_ok) {
                Ok(m) => m,
                Err(msg) => {
                    no_header(spec, total, sheet_loc, msg, &mut found, &mut first_failure, problems);
                    return;
                }
            };
            found += 1;
            header_warnings(spec, &m, &sheet_loc, problems);
            let mut reader = SheetReader::new(spec, name, &m, fields, register);
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

/// The columns read into one record: all plain columns, plus one month's columns of a wide fee ledger.
type ColumnGroup = (Option<crate::model::YearMonth>, Vec<(usize, usize, String)>);

/// Words that mark a total line under a register, not a record.
const TOTAL_WORDS: [&str; 3] = ["合计", "小计", "总计"];

/// Turns the data rows of one sheet into records.
struct SheetReader<'a> {
    file: &'a Path,
    sheet: &'a str,
    fields: &'a [Field],
    /// Plain columns: (column, field, header).
    plain: Vec<(usize, usize, String)>,
    /// Columns of the wide fee ledger's months.
    monthly: Vec<usize>,
    groups: Vec<ColumnGroup>,
    sources: Vec<u32>,
    period: Option<usize>,
    values: Vec<Option<Value>>,
    bad: Vec<bool>,
    /// Per field, the conversions of shared texts seen before: registers repeat the same
    /// names, choices, rooms and phrases thousands of times.
    memo: Vec<Memo>,
    /// Per field, text already interned into the register for this record.
    symbols: Vec<Option<u32>>,
}

/// Converted shared strings of one field, by the string's index into the workbook's table:
/// `slot[i]` is 0 for a string not met yet, its symbol when it was interned (the common case),
/// or [`KNOWN`] + the place of its conversion in `known`.
#[derive(Default, Clone)]
struct Memo {
    slot: Vec<u32>,
    known: Vec<Result<Converted, String>>,
}

/// Marks a [`Memo`] slot that points into `known` rather than holding a symbol.
const KNOWN: u32 = 1 << 31;

impl Memo {
    /// The remembered conversion of shared string `i` of a table of `len` strings.
    fn recall(&mut self, i: usize, len: usize) -> Option<Result<Converted, String>> {
        if self.slot.len() < len {
            self.slot.resize(len, 0);
        }
        match self.slot.get(i).copied()? {
            0 => None,
            sym @ 1..KNOWN => Some(Ok(Converted::Symbol(sym))),
            k => self.known.get((k - KNOWN) as usize).cloned(),
        }
    }

    /// Remembers the conversion of shared string `i` (after [`Memo::recall`] found none).
    fn remember(&mut self, i: usize, fresh: &Result<Converted, String>) {
        match (fresh, self.slot.get_mut(i)) {
            (Ok(Converted::Symbol(sym @ 1..KNOWN)), Some(slot)) => *slot = *sym,
            (_, Some(slot)) if self.known.len() < KNOWN as usize => {
                *slot = KNOWN + self.known.len() as u32;
                self.known.push(fresh.clone());
            }
            _ => {}
        }
    }
}

/// A remembered conversion: text interned into the register, or a value of another type.
#[derive(Clone)]
enum Converted {
    Symbol(u32),
    Value(Option<Value>),
}

impl<'a> SheetReader<'a> {
    fn new(
        spec: &'a mapping::SourceSpec,
        sheet: &'a str,
        m: &header::HeaderMatch,
        fields: &'a [Field],
        register: &mut Register,
    ) -> Self {
        let plain: Vec<(usize, usize, String)> = m.columns.clone();
        let mut months: Vec<crate::model::YearMonth> = m.monthly.iter().map(|c| c.1).collect();
        months.sort();
        months.dedup();
        // One source for the plain columns; one more per month of a wide fee ledger.
        let groups: Vec<ColumnGroup> = if months.is_empty() {
            vec![(None, plain.clone())]
        } else {
            months
                .iter()
                .map(|month| {
                    let mut cols = plain.clone();
                    cols.extend(m.monthly.iter().filter(|c| c.1 == *month).map(|(c, _, f, h)| (*c, *f, h.clone())));
                    (Some(*month), cols)
                })
                .collect()
        };
        let mut sources = Vec::new();
        for (_, cols) in &groups {
            let mut columns: Vec<Option<(String, String)>> = vec![None; fields.len()];
            for (col, field, head) in cols {
                columns[*field] = Some((column_letter(*col), head.clone()));
            }
            sources.push(register.sources.len() as u32);
            register.sources.push(Arc::new(Source {
                file: spec.file.clone(),
                sheet: Some(sheet.to_string()),
                columns,
            }));
        }
        SheetReader {
            file: &spec.file,
            sheet,
            fields,
            plain,
            monthly: m.monthly.iter().map(|c| c.0).collect(),
            groups,
            sources,
            period: fields.iter().position(|f| f.key == "period"),
            values: vec![None; fields.len()],
            bad: vec![false; fields.len()],
            memo: vec![Memo::default(); fields.len()],
            symbols: vec![None; fields.len()],
        }
    }

    fn row(
        &mut self,
        r: usize,
        cells: &[Cell],
        strings: &[Arc<str>],
        register: &mut Register,
        problems: &mut Vec<Problem>,
    ) {
        static EMPTY: Cell = Cell::Empty;
        let get = |c: usize| cells.get(c).unwrap_or(&EMPTY);
        let blank = |c: usize| match get(c) {
            Cell::Shared(_) => get(c).text(strings).is_none_or(crate::parse::text::is_blank),
            cell => cell.is_empty(),
        };
        let plain_empty = self.plain.iter().all(|(c, _, _)| blank(*c));
        if plain_empty && self.monthly.iter().all(|c| blank(*c)) {
            return;
        }
        if is_total_line(get, &self.plain, strings) {
            return;
        }
        for ((month, cols), source) in self.groups.iter().zip(&self.sources) {
            if month.is_some() && cols.iter().filter(|(c, ..)| self.monthly.contains(c)).all(|(c, ..)| blank(*c)) {
                continue;
            }
            self.bad.iter_mut().for_each(|b| *b = false);
            for (col, fi, head) in cols {
                let field = &self.fields[*fi];
                let cell = get(*col);
                let converted = convert(&mut self.memo[*fi], *fi, field, cell, strings, register);
                match converted {
                    Ok(Converted::Value(v)) => self.values[*fi] = v,
                    Ok(Converted::Symbol(sym)) => self.symbols[*fi] = Some(sym),
                    Err(msg) => {
                        self.bad[*fi] = true;
                        let loc = Location {
                            file: self.file.to_path_buf(),
                            sheet: Some(self.sheet.to_string()),
                            row: Some(r + 1),
                            column: Some(column_letter(*col)),
                            header: Some(head.clone()),
                        };
                        problems.push(Problem::at(loc, msg));
                    }
                }
            }
            if let (Some(month), Some(pf)) = (month, self.period) {
                self.values[pf] = Some(Value::Month(*month));
            }
            register.push_interned(
                Origin { source: *source, row: (r + 1) as u32 },
                &mut self.values,
                &mut self.symbols,
            );
            report_missing(register, self.fields, &self.bad, problems);
        }
    }
}

/// Whether a row is a 合计 line under the register (the word in one of the first columns), which
/// is not a record.
fn is_total_line<'c>(get: impl Fn(usize) -> &'c Cell, plain: &[(usize, usize, String)], strings: &[Arc<str>]) -> bool {
    (0..3).chain(plain.iter().take(3).map(|(c, _, _)| *c)).any(|c| match get(c).text(strings) {
        Some(t) => {
            let t = t.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{3000}');
            TOTAL_WORDS.iter().any(|w| t.starts_with(w))
        }
        None => false,
    })
}

/// A cell's value for field `fi`.
fn convert(
    memo: &mut Memo,
    fi: usize,
    field: &Field,
    cell: &Cell,
    strings: &[Arc<str>],
    register: &mut Register,
) -> Result<Converted, String> {
    match cell {
        // Shared strings are converted once per field (and interned once).
        Cell::Shared(i) => match memo.recall(*i as usize, strings.len()) {
            Some(known) => known,
            None => {
                let fresh = cell::to_value(&cell.resolved(strings), field).map(|v| {
                    match v.as_ref().and_then(|v| register.symbol(fi, v)) {
                        Some(sym) => Converted::Symbol(sym),
                        None => Converted::Value(v),
                    }
                });
                memo.remember(*i as usize, &fresh);
                fresh
            }
        },
        other => cell::to_value(other, field).map(Converted::Value),
    }
}

/// A required field of the last record left empty (and not already reported as invalid).
fn report_missing(register: &Register, fields: &[Field], bad: &[bool], problems: &mut Vec<Problem>) {
    let row = register.len() - 1;
    for (i, f) in fields.iter().enumerate() {
        if !f.required || bad[i] {
            continue;
        }
        let unsigned = f.ty == FieldType::Signature && register.unsigned(row, i);
        if !register.has(row, i) || unsigned {
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
        report_missing(register, fields, &bad, problems);
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
