//! What each workbook under the input folder looks like: which register, where its header is,
//! which column is which field — the facts `kefu map` writes into a proposed `mapping.yaml`.
//!
//! Input: the input folder and the form definitions. Output: one [`FileGuess`] per workbook
//! (xlsx, xls, xlsb, ods) found under it, each sheet judged against every register by its header
//! words, with the labels in choice columns that are no option, and the year of its year-less
//! dates. Nothing fails: a file that cannot be read says why in its guess.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::forms::{FORM_NUMBERS, Field, FieldType, FormSet, LedgerId};
use crate::model::RegisterId;
use crate::parse::text;

use super::cell::{self, Cell};
use super::header::{self, HeaderMatch, Names, RoomPart};
use super::mapping::{self, GENERATED_FORMS};
use super::workbook::{self, Grid, column_letter};

/// What kefu made of one workbook.
#[derive(Debug, Clone)]
pub struct FileGuess {
    /// Relative to the input folder.
    pub file: PathBuf,
    /// The register its name says, if any (`15-前台接待台帐.xlsx`).
    pub named: Option<RegisterId>,
    /// Why it cannot be read, when it cannot.
    pub unreadable: Option<String>,
    pub sheets: Vec<SheetGuess>,
}

/// What kefu made of one sheet.
#[derive(Debug, Clone)]
pub struct SheetGuess {
    pub name: String,
    /// The best register and how its header matched; `None` when no register's header is there.
    pub register: Option<RegisterId>,
    /// The header words that decided it.
    pub matched_words: Vec<String>,
    /// The runner-up, when it came close.
    pub runner_up: Option<(RegisterId, usize)>,
    pub score: usize,
    /// 1-based header row.
    pub header_row: usize,
    /// (column letter, header, field label) of each column read.
    pub columns: Vec<(String, String, String)>,
    /// (column letter, header) of columns that name no field.
    pub unmatched: Vec<(String, String)>,
    /// How the room is made when it is kept in three columns: (楼号, 单元, 房号) column letters.
    pub room_rule: Option<(String, String, String)>,
    /// Columns read together: (column letters, what they make).
    pub joined: Vec<(String, String)>,
    /// Per choice field (key): labels met that are no option → the option kefu would guess, if any.
    pub labels: BTreeMap<String, BTreeMap<String, Option<String>>>,
    /// The year of year-less dates and where it was read, when the sheet has such dates.
    pub year: Option<(i32, String)>,
    /// Whether the sheet holds dates without their year.
    pub yearless: bool,
    /// Data rows below the header.
    pub rows: usize,
    /// Why the header cannot be read as it is (a required column missing), if so.
    pub problem: Option<String>,
}

/// Every register kefu reads, with its fields.
fn registers(forms: &FormSet) -> Vec<(RegisterId, &[Field])> {
    let ledgers = LedgerId::ALL.iter().map(|id| RegisterId::Ledger(*id));
    let numbered = FORM_NUMBERS.filter(|n| !GENERATED_FORMS.contains(n)).map(RegisterId::Form);
    ledgers.chain(numbered).map(|id| (id, id.fields(forms))).filter(|(_, f)| !f.is_empty()).collect()
}

/// Judges every workbook under `input`, in path order.
pub fn propose(input: &Path, forms: &FormSet) -> Vec<FileGuess> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(input).sort_by_file_name().into_iter().flatten() {
        let path = entry.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        if !entry.file_type().is_file()
            || name.starts_with('.')
            || name.starts_with("~$")
            || !matches!(ext.as_str(), "xlsx" | "xlsm" | "xls" | "xlsb" | "ods")
        {
            continue;
        }
        out.push(guess_file(input, path, forms));
    }
    out
}

fn guess_file(input: &Path, path: &Path, forms: &FormSet) -> FileGuess {
    let file = path.strip_prefix(input).unwrap_or(path).to_path_buf();
    let named = mapping::register_of_file(path);
    if let Err(why) = workbook::probe(path) {
        return FileGuess { file, named, unreadable: Some(why), sheets: Vec::new() };
    }
    let regs = registers(forms);
    let mut sheets: Vec<SheetGuess> = Vec::new();
    let result = workbook::read_sheets(path, None, |name, _total, _hint, again, strings, rows| {
        if again {
            sheets.retain(|s| s.name != name);
        }
        let grid = Grid {
            rows: rows.filter_map(Result::ok).take(5_000).fold(Vec::new(), |mut acc: Vec<Vec<Cell>>, (r, cells)| {
                if acc.len() <= r {
                    acc.resize(r + 1, Vec::new());
                }
                acc[r] = cells.iter().map(|c| c.resolved(strings)).collect();
                acc
            }),
        };
        sheets.push(guess_sheet(name, &grid, &regs, named, path));
    });
    match result {
        Ok(()) => FileGuess { file, named, unreadable: None, sheets },
        Err(why) => FileGuess { file, named, unreadable: Some(why), sheets: Vec::new() },
    }
}

fn guess_sheet(
    name: &str,
    grid: &Grid,
    regs: &[(RegisterId, &[Field])],
    named: Option<RegisterId>,
    path: &Path,
) -> SheetGuess {
    let mut ranked: Vec<(usize, RegisterId, HeaderMatch, &[Field])> = Vec::new();
    for (id, fields) in regs {
        let Ok(names) = Names::new(fields, &[]) else { continue };
        let wide = *id == RegisterId::Ledger(LedgerId::Fees);
        if let Some(m) = header::best_row(grid, fields, &names, None, wide) {
            let mut score = matched_fields(&m) * 10;
            // A header that cannot be read as it is (a required column renamed) still tells
            // which register it is, but less surely.
            if header::missing_columns(&m, fields).is_some() {
                score = score.saturating_sub(10);
            }
            // The register the file's name says wins a close call.
            if Some(*id) == named {
                score += 15;
            }
            score = score.saturating_sub(m.unknown.len());
            ranked.push((score, *id, m, fields));
        }
    }
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut guess = SheetGuess {
        name: name.to_string(),
        register: None,
        matched_words: Vec::new(),
        runner_up: None,
        score: 0,
        header_row: 0,
        columns: Vec::new(),
        unmatched: Vec::new(),
        room_rule: None,
        joined: Vec::new(),
        labels: BTreeMap::new(),
        year: None,
        yearless: false,
        rows: 0,
        problem: None,
    };
    let Some((score, id, m, fields)) = ranked.first() else { return guess };
    guess.register = Some(*id);
    guess.score = *score;
    guess.runner_up = ranked.get(1).filter(|r| r.0 + 15 >= *score).map(|r| (r.1, r.0));
    guess.header_row = m.row + 1;
    guess.problem = header::missing_columns(m, fields);
    describe_columns(&mut guess, m, fields);
    guess.rows = grid.rows.len().saturating_sub(m.row + 1);
    scan_data(&mut guess, grid, m, fields, name, path);
    guess
}

/// The number of distinct fields a header match reads.
fn matched_fields(m: &HeaderMatch) -> usize {
    let fields: BTreeSet<usize> = m
        .columns
        .iter()
        .map(|c| c.1)
        .chain(m.monthly.iter().map(|c| c.2))
        .chain(m.pairs.iter().flat_map(|p| [p.1, p.2]))
        .collect();
    fields.len() + m.monthly.len().min(1)
}

fn describe_columns(guess: &mut SheetGuess, m: &HeaderMatch, fields: &[Field]) {
    for (c, f, head) in &m.columns {
        guess.columns.push((column_letter(*c), head.clone(), fields[*f].label.clone()));
        guess.matched_words.push(head.clone());
    }
    if !m.monthly.is_empty() {
        let first = m.monthly.iter().map(|c| c.0).min().unwrap_or(0);
        let last = m.monthly.iter().map(|c| c.0).max().unwrap_or(0);
        guess.joined.push((
            format!("{}–{}", column_letter(first), column_letter(last)),
            format!("宽表：每月一组（{} 个月）的应收、实收，每户每月读成一条记录", months(m)),
        ));
    }
    for (c, f, head) in &m.time_parts {
        let date_col = m.columns.iter().find(|x| x.1 == *f).map_or(0, |x| x.0);
        guess.joined.push((
            format!("{}+{}", column_letter(date_col), column_letter(*c)),
            format!("「{}」：日期和时间两列合成一个日期时间（{}）", fields[*f].label, head),
        ));
    }
    for (c, from, to, head) in &m.pairs {
        guess.joined.push((
            column_letter(*c),
            format!(
                "「{head}」一格写开始和结束（如 19:00-20:00），读成「{}」和「{}」",
                fields[*from].label, fields[*to].label
            ),
        ));
    }
    let part = |p: RoomPart| m.room_parts.iter().find(|x| x.1 == p).map(|x| column_letter(x.0));
    let room = m.columns.iter().find(|c| matches!(fields[c.1].ty, FieldType::Room | FieldType::Place));
    if let (Some(b), Some(u), Some(r)) = (part(RoomPart::Building), part(RoomPart::Unit), room) {
        guess.room_rule = Some((b, u, column_letter(r.0)));
    }
    for (c, head) in &m.unknown {
        let is_part = m.room_parts.iter().any(|p| p.0 == *c);
        if !is_part {
            guess.unmatched.push((column_letter(*c), head.clone()));
        }
    }
}

fn months(m: &HeaderMatch) -> usize {
    m.monthly.iter().map(|c| c.1).collect::<BTreeSet<_>>().len()
}

/// Labels in choice columns that are no option, and whether dates lack their year.
fn scan_data(guess: &mut SheetGuess, grid: &Grid, m: &HeaderMatch, fields: &[Field], sheet: &str, path: &Path) {
    let titles: Vec<String> = grid.rows.iter().take(m.row).flat_map(|r| r.iter().map(Cell::shown)).collect();
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let sources = std::iter::once(("工作表名", sheet.to_string()))
        .chain(titles.into_iter().map(|t| ("标题行", t)))
        .chain(std::iter::once(("文件名", stem)));
    guess.year = sources.into_iter().find_map(|(what, t)| super::year_in(&t).map(|y| (y, format!("{what}「{t}」"))));
    for row in grid.rows.iter().skip(m.row + 1) {
        for (c, f, _) in &m.columns {
            let field = &fields[*f];
            let Some(cell) = row.get(*c) else { continue };
            match field.ty {
                FieldType::Choice => note_label(guess, field, cell),
                FieldType::Date | FieldType::Datetime => {
                    if let Cell::Text(t) = cell
                        && cell::to_value(cell, field).is_err()
                        && cell::to_value_in(cell, field, cell::Context { year: Some(2000), values: None }).is_ok()
                    {
                        let _ = t;
                        guess.yearless = true;
                    }
                }
                _ => {}
            }
        }
    }
}

/// A choice cell whose text is no option nor a known word for one.
fn note_label(guess: &mut SheetGuess, field: &Field, cell: &Cell) {
    let Cell::Text(t) = cell else { return };
    let t = text::normalize(t);
    if t.is_empty() || is_marker(&t) || cell::to_value(&Cell::Text(Arc::from(t.as_str())), field).is_ok() {
        return;
    }
    let near = field.options.iter().find(|o| o.contains(t.as_str()) || t.contains(o.as_str())).cloned();
    guess.labels.entry(field.key.clone()).or_default().insert(t, near);
}

/// Ditto and not-applicable marks, which are not labels.
fn is_marker(t: &str) -> bool {
    matches!(t, "〃" | "同上" | "\"" | "/" | "—" | "-" | "无" | "——" | "－")
}
