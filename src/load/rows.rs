//! A sheet's data rows → records, reading cells the way staff write them.
//!
//! Input: the rows below a sheet's header, the [`HeaderMatch`] (which column is which field, the
//! time half of a date-time, the 楼号/单元 of a room kept in three columns, a `from-to` column,
//! the 序号), and what the sheet and the mapping say beyond the cells (the year of year-less
//! dates, the department's words for options, constants, rows to skip). Output: records pushed
//! into the register, and every problem located by file, sheet, row and column.
//!
//! Staff's habits read here: ditto marks (`〃`, `同上`, `"`) repeat the cell above; `/`, `—`, `无`
//! mean not applicable; `当日` in a date means the record's own day; `已还` without a date means
//! done (a warning asks for the date); 合计/小计 rows are checked against the rows above them
//! instead of read as records; footers (`制表：… 审核：`) are skipped; a skipped or repeated 序号
//! and an amount stored as text are warnings.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use crate::error::{Location, Problem};
use crate::forms::{Field, FieldType};
use crate::model::{Origin, Register, Source, Value, YearMonth};
use crate::parse::text;

use super::cell::{self, Cell, DONE_WORDS};
use super::header::{HeaderMatch, RoomPart};
use super::mapping::SourceSpec;
use super::workbook::column_letter;

/// The columns read into one record: all plain columns, plus one month's columns of a wide fee ledger.
type ColumnGroup = (Option<YearMonth>, Vec<(usize, usize, String)>);

/// Words that mark a total line under a register, not a record.
const TOTAL_WORDS: [&str; 3] = ["合计", "小计", "总计"];

/// The first words of a footer under a register (who made and checked the table, notes).
const FOOTER_WORDS: [&str; 8] = ["制表", "审核", "填表", "复核", "说明：", "注：", "备注：", "负责人："];

/// Ditto marks: the same as the cell above.
const DITTO: [&str; 9] = ["〃", "同上", "\"", "”", "“", "″", "＂", "''", "々"];

/// Not applicable.
const NOT_APPLICABLE: [&str; 9] = ["/", "／", "—", "——", "－", "-", "--", "无", "\\"];

/// In a date column: the record's own day (a key lent and due back the same day).
const SAME_DAY: [&str; 4] = ["当日", "当天", "同日", "即日"];

/// Turns the data rows of one sheet into records.
pub(super) struct SheetReader<'a> {
    file: &'a Path,
    sheet: &'a str,
    fields: &'a [Field],
    /// Plain columns: (column, field, header).
    plain: Vec<(usize, usize, String)>,
    /// Columns of the wide fee ledger's months.
    monthly: Vec<usize>,
    pub(super) groups: Vec<ColumnGroup>,
    sources: Vec<u32>,
    period: Option<usize>,
    values: Vec<Option<Value>>,
    bad: Vec<bool>,
    /// Per field, the conversions of shared texts seen before: registers repeat the same
    /// names, choices, rooms and phrases thousands of times.
    memo: Vec<Memo>,
    /// Per field, text already interned into the register for this record.
    symbols: Vec<Option<u32>>,
    /// The year of year-less dates on this sheet.
    year: Option<i32>,
    /// Per field: the mapping's words for its options, by header key.
    value_maps: Vec<Option<HashMap<String, String>>>,
    /// Fields the workbook has no column for, with the value the mapping gives them.
    constants: Vec<(usize, Value)>,
    time_parts: Vec<(usize, usize, String)>,
    /// The room field and the columns of its 楼号 and 单元, when the room is kept in three columns.
    room: Option<(usize, Option<usize>, Option<usize>)>,
    pairs: Vec<(usize, usize, usize, String)>,
    serial: Option<(usize, String)>,
    last_serial: Option<i64>,
    skip_rows: &'a [String],
    /// The previous record row's cells (after its own ditto marks were resolved).
    prev: Option<Vec<Cell>>,
    /// The columns a ditto mark or a not-applicable mark may stand in: (column, header, whether
    /// `/`, `—`, `无` mean not applicable there — not in a yes/no column, where 无 means no).
    marked: Vec<(usize, String, bool)>,
    /// Wide fee ledger: the per-room 欠费 column (field index, column), checked against the months.
    row_total: Option<(usize, usize)>,
    /// Sums of the money columns since the last 小计, and since the start: what a 合计 row should say.
    since_subtotal: HashMap<usize, i64>,
    since_start: HashMap<usize, i64>,
    /// Amounts typed as text since the last total row: worth a warning once a 合计 shows the
    /// workbook sums them (its SUM skips text).
    text_amounts: Vec<Problem>,
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

/// Whether `t` (trimmed) is one of `words`; only short texts are compared.
fn is_one_of(t: &str, words: &[&str]) -> bool {
    let t = t.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}');
    t.len() <= 9 && words.contains(&t)
}

impl<'a> SheetReader<'a> {
    pub(super) fn new(
        spec: &'a SourceSpec,
        sheet: &'a str,
        m: &HeaderMatch,
        fields: &'a [Field],
        year: Option<i32>,
        register: &mut Register,
        problems: &mut Vec<Problem>,
    ) -> Self {
        let months = months_of(m);
        let row_total = (!months.is_empty())
            .then(|| m.columns.iter().find(|(_, f, _)| fields[*f].key == "arrears").map(|(c, f, _)| (*f, *c)))
            .flatten();
        // The per-room 欠费 of a wide ledger is no month's: it is checked against the row instead.
        let plain: Vec<(usize, usize, String)> =
            m.columns.iter().filter(|(c, ..)| row_total.is_none_or(|(_, rc)| rc != *c)).cloned().collect();
        let groups = groups_of(&plain, m, &months);
        let sources = sources_of(spec, sheet, fields, m, &groups, register);
        let room_field = fields.iter().position(|f| matches!(f.ty, FieldType::Room | FieldType::Place));
        let part = |p: RoomPart| m.room_parts.iter().find(|x| x.1 == p).map(|x| x.0);
        let room = room_field
            .filter(|_| !m.room_parts.is_empty())
            .map(|f| (f, part(RoomPart::Building), part(RoomPart::Unit)));
        let at = Location { file: spec.file.clone(), sheet: Some(sheet.to_string()), ..Location::default() };
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
            year,
            value_maps: value_maps(spec, fields),
            constants: constants(spec, fields, m, &at, problems),
            time_parts: m.time_parts.clone(),
            room,
            pairs: m.pairs.clone(),
            serial: m.serial.clone(),
            last_serial: None,
            skip_rows: &spec.skip_rows,
            prev: None,
            marked: marked_columns(m, fields, room),
            row_total,
            since_subtotal: HashMap::new(),
            since_start: HashMap::new(),
            text_amounts: Vec::new(),
        }
    }

    /// Where cell `col` of 0-based row `r` is, for messages.
    fn loc(&self, r: usize, col: usize, head: &str) -> Location {
        Location {
            file: self.file.to_path_buf(),
            sheet: Some(self.sheet.to_string()),
            row: Some(r + 1),
            column: Some(column_letter(col)),
            header: Some(head.to_string()),
        }
    }

    /// Every column the reader looks at.
    fn read_columns(&self) -> impl Iterator<Item = usize> + '_ {
        self.plain
            .iter()
            .map(|c| c.0)
            .chain(self.monthly.iter().copied())
            .chain(self.time_parts.iter().map(|c| c.0))
            .chain(self.pairs.iter().map(|c| c.0))
            .chain(self.room.iter().flat_map(|r| [r.1, r.2]).flatten())
            .chain(self.row_total.map(|r| r.1))
    }

    /// Reads one data row into records (one, or one per month of a wide fee ledger).
    pub(super) fn row(
        &mut self,
        r: usize,
        cells: &[Cell],
        strings: &[Arc<str>],
        register: &mut Register,
        problems: &mut Vec<Problem>,
    ) {
        let blank =
            |c: usize| cells.get(c).is_none_or(|cell| cell.text(strings).map_or(cell.is_empty(), text::is_blank));
        if self.read_columns().all(blank) {
            return;
        }
        if self.is_footer(cells, strings) {
            return;
        }
        if let Some(kind) = self.total_kind(cells, strings) {
            self.check_total(r, kind, cells, strings, problems);
            return;
        }
        let cells = self.resolve_marks(r, cells, strings, problems);
        self.check_serial(r, &cells, strings, problems);
        let get = |c: usize| cells.get(c).unwrap_or(&Cell::Empty);
        let groups = std::mem::take(&mut self.groups);
        let sources = std::mem::take(&mut self.sources);
        let mut month_sums = (0i64, 0i64);
        for ((month, cols), source) in groups.iter().zip(&sources) {
            if month.is_some()
                && cols.iter().filter(|(c, ..)| self.monthly.contains(c)).all(|(c, ..)| get(*c).is_empty())
            {
                continue;
            }
            self.bad.iter_mut().for_each(|b| *b = false);
            let mut same_day = Vec::new();
            for (col, fi, head) in cols {
                self.read_cell(r, *col, *fi, head, get(*col), strings, register, &mut same_day, problems);
            }
            self.read_parts(r, &get, strings, problems);
            self.fill_record(&same_day, month.as_ref());
            if month.is_some() {
                month_sums.0 += self.money_of("due");
                month_sums.1 += self.money_of("paid");
            }
            self.add_to_totals(cols);
            register.push_interned(
                Origin { source: *source, row: (r + 1) as u32 },
                &mut self.values,
                &mut self.symbols,
            );
            report_missing(register, self.fields, &self.bad, problems);
        }
        self.groups = groups;
        self.sources = sources;
        self.check_row_total(r, &get, strings, month_sums, problems);
        // The row is kept for the next row's ditto marks, in the buffer of the row before.
        let prev = self.prev.get_or_insert_with(Vec::new);
        prev.clear();
        prev.extend_from_slice(&cells);
    }

    /// A footer line (制表、审核、说明) or a row the mapping says to skip.
    fn is_footer(&self, cells: &[Cell], strings: &[Arc<str>]) -> bool {
        let first = cells.iter().find_map(|c| c.text(strings).map(str::trim).filter(|t| !t.is_empty()));
        match first {
            Some(t) => {
                FOOTER_WORDS.iter().any(|w| t.starts_with(w))
                    || self.skip_rows.iter().any(|w| t.starts_with(w.as_str()))
            }
            None => false,
        }
    }

    /// 小计 or 合计 when the row is a total line (the word in one of the first columns).
    fn total_kind(&self, cells: &[Cell], strings: &[Arc<str>]) -> Option<&'static str> {
        let firsts = (0..3).chain(self.plain.iter().take(3).map(|(c, _, _)| *c));
        for c in firsts {
            let Some(t) = cells.get(c).and_then(|cell| cell.text(strings)) else { continue };
            let t = t.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}');
            if t.chars().count() > 12 {
                continue;
            }
            if let Some(w) = TOTAL_WORDS.iter().find(|w| t.contains(*w)) {
                return Some(if *w == "小计" { "小计" } else { "合计" });
            }
        }
        None
    }

    /// The row with ditto marks replaced by the cell above and not-applicable marks emptied.
    fn resolve_marks<'c>(
        &self,
        r: usize,
        cells: &'c [Cell],
        strings: &[Arc<str>],
        problems: &mut Vec<Problem>,
    ) -> Cow<'c, [Cell]> {
        let mut out: Cow<'c, [Cell]> = Cow::Borrowed(cells);
        for (c, head, na) in &self.marked {
            let (c, na) = (*c, *na);
            let Some(t) = cells.get(c).and_then(|cell| cell.text(strings)) else { continue };
            if is_one_of(t, &DITTO) {
                let above = self.prev.as_ref().and_then(|p| p.get(c)).cloned();
                let cells = out.to_mut();
                if cells.len() <= c {
                    cells.resize(c + 1, Cell::Empty);
                }
                match above {
                    Some(cell) => cells[c] = cell,
                    None => {
                        cells[c] = Cell::Empty;
                        problems.push(Problem::at(
                            self.loc(r, c, head),
                            format!("「{}」表示同上，但本表上面没有可以重复的值；请填写实际内容", t.trim()),
                        ));
                    }
                }
            } else if na && is_one_of(t, &NOT_APPLICABLE) {
                out.to_mut()[c] = Cell::Empty;
            }
        }
        out
    }

    /// A 序号 that skips or repeats the one above: a record added or lost by hand.
    fn check_serial(&mut self, r: usize, cells: &[Cell], strings: &[Arc<str>], problems: &mut Vec<Problem>) {
        let Some((c, head)) = self.serial.clone() else { return };
        let n = match cells.get(c) {
            Some(Cell::Number(x)) if x.fract() == 0.0 => Some(*x as i64),
            Some(cell) => cell.text(strings).and_then(|t| text::normalize(t).parse::<i64>().ok()),
            None => None,
        };
        let Some(n) = n else { return };
        if let Some(last) = self.last_serial {
            if n == last {
                problems.push(
                    Problem::at(self.loc(r, c, &head), format!("序号 {n} 与上一行重复：可能抄重了一条记录")).warning(),
                );
            } else if n > last + 1 {
                problems.push(
                    Problem::at(self.loc(r, c, &head), format!("序号从 {last} 跳到 {n}：中间的记录可能漏记或被删除"))
                        .warning(),
                );
            }
        }
        self.last_serial = Some(n);
    }

    /// Converts one cell into field `fi` of the record being built.
    #[allow(clippy::too_many_arguments)]
    fn read_cell(
        &mut self,
        r: usize,
        col: usize,
        fi: usize,
        head: &str,
        cell: &Cell,
        strings: &[Arc<str>],
        register: &mut Register,
        same_day: &mut Vec<usize>,
        problems: &mut Vec<Problem>,
    ) {
        let field = &self.fields[fi];
        if self.room.is_some_and(|(f, ..)| f == fi) {
            return; // read with its 楼号 and 单元 in `read_parts`
        }
        if let Some(t) = cell.text(strings) {
            if matches!(field.ty, FieldType::Date) && is_one_of(t, &SAME_DAY) {
                same_day.push(fi);
                return;
            }
            if field.ty == FieldType::Datetime && is_one_of(t, &DONE_WORDS) {
                self.values[fi] = Some(Value::Text(t.trim().to_string()));
                problems.push(
                    Problem::at(
                        self.loc(r, col, head),
                        format!("只写了「{}」，没有写日期：按已办处理（不算逾期），请补上日期", t.trim()),
                    )
                    .warning(),
                );
                return;
            }
        }
        let ctx = cell::Context { year: self.year, values: self.value_maps[fi].as_ref() };
        let converted = convert(&mut self.memo[fi], fi, field, cell, strings, register, ctx);
        match converted {
            Ok(Converted::Value(v)) => self.values[fi] = v,
            Ok(Converted::Symbol(sym)) => self.symbols[fi] = Some(sym),
            Err(msg) => {
                self.bad[fi] = true;
                problems.push(Problem::at(self.loc(r, col, head), msg));
                return;
            }
        }
        if field.ty == FieldType::Money && cell.text(strings).is_some() {
            self.text_amounts.push(
                Problem::at(
                    self.loc(r, col, head),
                    format!(
                        "金额「{}」存成了文本：表中合计行的公式（SUM）不会算进它；请把这一格改成数字",
                        cell.text(strings).unwrap_or("").trim()
                    ),
                )
                .warning(),
            );
        }
    }

    /// The fields read from more than one column, or one column read into two: the time half of
    /// a date-time, the room from 楼号 + 单元 + 房号, `from-to`.
    fn read_parts<'c>(
        &mut self,
        r: usize,
        get: &impl Fn(usize) -> &'c Cell,
        strings: &[Arc<str>],
        problems: &mut Vec<Problem>,
    ) {
        for k in 0..self.time_parts.len() {
            let (col, fi) = (self.time_parts[k].0, self.time_parts[k].1);
            let cell = get(col);
            if cell.is_empty() || self.bad[fi] {
                continue;
            }
            let date = match &self.values[fi] {
                Some(v) => v.date(),
                None => continue,
            };
            let time_field = Field { ty: FieldType::Time, ..self.fields[fi].clone() };
            match cell::to_value(&cell.resolved(strings), &time_field) {
                Ok(Some(Value::Time(t))) => self.values[fi] = date.map(|d| Value::Datetime(d.and_time(t))),
                Ok(_) => {}
                Err(msg) => {
                    self.bad[fi] = true;
                    problems.push(Problem::at(self.loc(r, col, &self.time_parts[k].2), msg));
                }
            }
        }
        if let Some((fi, b, u)) = self.room {
            self.read_room(r, fi, b, u, get, strings, problems);
        }
        for k in 0..self.pairs.len() {
            let (col, from, to) = (self.pairs[k].0, self.pairs[k].1, self.pairs[k].2);
            let head = self.pairs[k].3.clone();
            let cell = get(col).resolved(strings);
            let shown = cell.shown();
            if cell.is_empty() {
                continue;
            }
            let norm = text::normalize(&shown);
            let parts: Vec<&str> =
                norm.splitn(2, |c: char| text::is_dash(c) || matches!(c, '～' | '~' | '至' | '到')).collect();
            let [a, b] = parts.as_slice() else {
                self.bad[from] = true;
                self.bad[to] = true;
                problems
                    .push(Problem::at(self.loc(r, col, &head), format!("「{shown}」应写成 开始-结束，如 19:00-20:00")));
                continue;
            };
            for (fi, part) in [(from, a), (to, b)] {
                match cell::to_value(&Cell::Text(Arc::from(part.trim())), &self.fields[fi]) {
                    Ok(v) => self.values[fi] = v,
                    Err(msg) => {
                        self.bad[fi] = true;
                        problems.push(Problem::at(self.loc(r, col, &head), msg));
                    }
                }
            }
        }
    }

    /// The room of a register that keeps 楼号, 单元 and 房号 in three columns; a room column that
    /// holds a whole room (`1-2-301`) or a place is read as it is.
    #[allow(clippy::too_many_arguments)]
    fn read_room<'c>(
        &mut self,
        r: usize,
        fi: usize,
        b: Option<usize>,
        u: Option<usize>,
        get: &impl Fn(usize) -> &'c Cell,
        strings: &[Arc<str>],
        problems: &mut Vec<Problem>,
    ) {
        let Some((col, _, head)) = self.plain.iter().find(|(_, f, _)| *f == fi).cloned() else { return };
        let door = get(col).resolved(strings);
        if door.is_empty() {
            return;
        }
        let shown = text::normalize(&door.shown());
        let bare = shown.trim_end_matches('室').chars().all(|c| c.is_ascii_digit());
        let part = |c: Option<usize>| c.map(|c| get(c).resolved(strings).shown()).unwrap_or_default();
        let result = if bare && (b.is_some() || u.is_some()) {
            crate::parse::room::room_from_parts(&part(b), &part(u), &shown).map(|room| Some(Value::Room(room)))
        } else {
            cell::to_value(&door, &self.fields[fi])
        };
        match result {
            Ok(v) => self.values[fi] = v,
            Err(msg) => {
                self.bad[fi] = true;
                problems.push(Problem::at(self.loc(r, col, &head), msg));
            }
        }
    }

    /// The record's constants, `当日` dates and wide ledger month.
    fn fill_record(&mut self, same_day: &[usize], month: Option<&YearMonth>) {
        for (fi, v) in &self.constants {
            if self.values[*fi].is_none() && self.symbols[*fi].is_none() {
                self.values[*fi] = Some(v.clone());
            }
        }
        if !same_day.is_empty() {
            let anchor = self
                .fields
                .iter()
                .enumerate()
                .filter(|(i, f)| matches!(f.ty, FieldType::Date | FieldType::Datetime) && !same_day.contains(i))
                .find_map(|(i, _)| self.values[i].as_ref().and_then(Value::date));
            for fi in same_day {
                self.values[*fi] = anchor.map(Value::Date);
            }
        }
        if let (Some(month), Some(pf)) = (month, self.period) {
            self.values[pf] = Some(Value::Month(*month));
        }
    }

    /// The amount of money field `key` of the record being built, 0 when none.
    fn money_of(&self, key: &str) -> i64 {
        self.fields
            .iter()
            .position(|f| f.key == key)
            .and_then(|i| self.values[i].as_ref())
            .and_then(Value::money)
            .unwrap_or(0)
    }

    /// Adds the record's amounts to the sums a 小计 or 合计 row is checked against.
    fn add_to_totals(&mut self, cols: &[(usize, usize, String)]) {
        for (c, fi, _) in cols {
            if self.fields[*fi].ty != FieldType::Money {
                continue;
            }
            let fen = self.values[*fi].as_ref().and_then(Value::money).unwrap_or(0);
            *self.since_subtotal.entry(*c).or_default() += fen;
            *self.since_start.entry(*c).or_default() += fen;
        }
    }

    /// A 小计 or 合计 row compared with the records above it, column by column.
    fn check_total(&mut self, r: usize, kind: &str, cells: &[Cell], strings: &[Arc<str>], problems: &mut Vec<Problem>) {
        problems.append(&mut self.text_amounts);
        let sums = if kind == "小计" { std::mem::take(&mut self.since_subtotal) } else { self.since_start.clone() };
        let columns: std::collections::BTreeMap<usize, (usize, String)> = self
            .groups
            .iter()
            .flat_map(|(_, cols)| cols.iter())
            .filter(|(_, fi, _)| self.fields[*fi].ty == FieldType::Money)
            .map(|(c, fi, h)| (*c, (*fi, h.clone())))
            .collect();
        for (c, (fi, head)) in columns {
            let cell = cells.get(c).map(|x| x.resolved(strings)).unwrap_or(Cell::Empty);
            if cell.is_empty() {
                continue;
            }
            let written = match cell::to_value(&cell, &self.fields[fi]) {
                Ok(Some(Value::Money(f))) => f,
                _ => continue,
            };
            let sum = sums.get(&c).copied().unwrap_or(0);
            if written != sum {
                let fen = plain_fen;
                problems.push(
                    Problem::at(
                        self.loc(r, c, &head),
                        format!(
                            "{kind}行与上面各行不符：写的是 {}，各行相加为 {}（相差 {}）",
                            fen(written),
                            fen(sum),
                            fen(written - sum)
                        ),
                    )
                    .warning(),
                );
            }
        }
        if kind != "小计" {
            self.since_subtotal.clear();
        }
    }

    /// A wide fee ledger's per-room 欠费 compared with its months (应收 − 实收).
    fn check_row_total<'c>(
        &self,
        r: usize,
        get: &impl Fn(usize) -> &'c Cell,
        strings: &[Arc<str>],
        (due, paid): (i64, i64),
        problems: &mut Vec<Problem>,
    ) {
        let Some((fi, c)) = self.row_total else { return };
        let cell = get(c).resolved(strings);
        let Ok(Some(Value::Money(written))) = cell::to_value(&cell, &self.fields[fi]) else { return };
        if written != due - paid {
            let fen = plain_fen;
            problems.push(
                Problem::at(
                    self.loc(r, c, &self.fields[fi].label),
                    format!(
                        "欠费写的是 {}，各月应收合计 {} 减实收合计 {} 为 {}",
                        fen(written),
                        fen(due),
                        fen(paid),
                        fen(due - paid)
                    ),
                )
                .warning(),
            );
        }
    }
}

/// An amount as a workbook cell shows it: `12338.17`, `-100.00` (no thousands separators, so the
/// message quotes what the cell holds).
fn plain_fen(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", fen.unsigned_abs() / 100, fen.unsigned_abs() % 100)
}

/// The columns where a ditto mark or a not-applicable mark may stand.
fn marked_columns(
    m: &HeaderMatch,
    fields: &[Field],
    room: Option<(usize, Option<usize>, Option<usize>)>,
) -> Vec<(usize, String, bool)> {
    let na = |f: usize| fields[f].ty != FieldType::Bool;
    m.columns
        .iter()
        .map(|(c, f, h)| (*c, h.clone(), na(*f)))
        .chain(m.time_parts.iter().map(|(c, f, h)| (*c, h.clone(), na(*f))))
        .chain(m.pairs.iter().map(|(c, _, _, h)| (*c, h.clone(), true)))
        .chain(room.iter().flat_map(|r| [r.1, r.2]).flatten().map(|c| (c, "房号".to_string(), true)))
        .collect()
}

/// The months of a wide fee ledger's columns, in order.
fn months_of(m: &HeaderMatch) -> Vec<YearMonth> {
    let mut months: Vec<YearMonth> = m.monthly.iter().map(|c| c.1).collect();
    months.sort();
    months.dedup();
    months
}

/// One group of columns per record: the plain columns, plus one month's of a wide fee ledger.
fn groups_of(plain: &[(usize, usize, String)], m: &HeaderMatch, months: &[YearMonth]) -> Vec<ColumnGroup> {
    if months.is_empty() {
        return vec![(None, plain.to_vec())];
    }
    months
        .iter()
        .map(|month| {
            let mut cols = plain.to_vec();
            cols.extend(m.monthly.iter().filter(|c| c.1 == *month).map(|(c, _, f, h)| (*c, *f, h.clone())));
            (Some(*month), cols)
        })
        .collect()
}

/// A source per group: where each field of its records was read.
fn sources_of(
    spec: &SourceSpec,
    sheet: &str,
    fields: &[Field],
    m: &HeaderMatch,
    groups: &[ColumnGroup],
    register: &mut Register,
) -> Vec<u32> {
    let mut sources = Vec::new();
    for (_, cols) in groups {
        let mut columns: Vec<Option<(String, String)>> = vec![None; fields.len()];
        for (col, field, head) in cols {
            columns[*field] = Some((column_letter(*col), head.clone()));
        }
        for (col, from, to, head) in &m.pairs {
            for f in [from, to] {
                columns[*f] = Some((column_letter(*col), head.clone()));
            }
        }
        sources.push(register.sources.len() as u32);
        register.sources.push(Arc::new(Source { file: spec.file.clone(), sheet: Some(sheet.to_string()), columns }));
    }
    sources
}

/// The mapping's words for each field's options, by header key.
fn value_maps(spec: &SourceSpec, fields: &[Field]) -> Vec<Option<HashMap<String, String>>> {
    let mut out = vec![None; fields.len()];
    for (target, words) in &spec.values {
        let key = text::header_key(target);
        if let Some(i) = fields.iter().position(|f| f.key == *target || text::header_key(&f.label) == key) {
            let map: &mut HashMap<String, String> = out[i].get_or_insert_with(HashMap::new);
            for (word, option) in words {
                map.insert(text::header_key(word), option.clone());
            }
        }
    }
    out
}

/// The mapping's constants for fields the sheet has no column for, converted once.
fn constants(
    spec: &SourceSpec,
    fields: &[Field],
    m: &HeaderMatch,
    at: &Location,
    problems: &mut Vec<Problem>,
) -> Vec<(usize, Value)> {
    let mut out = Vec::new();
    for (target, value) in &spec.constants {
        let key = text::header_key(target);
        let Some(i) = fields.iter().position(|f| f.key == *target || text::header_key(&f.label) == key) else {
            problems.push(Problem::at(at.clone(), format!("mapping.yaml 的 constants 中「{target}」不是本台帐的字段")));
            continue;
        };
        if m.columns.iter().any(|c| c.1 == i) {
            continue; // the sheet has the column: its cells win
        }
        match cell::to_value(&Cell::Text(Arc::from(value.as_str())), &fields[i]) {
            Ok(Some(v)) => out.push((i, v)),
            Ok(None) => {}
            Err(msg) => problems.push(Problem::at(at.clone(), format!("mapping.yaml 的 constants「{target}」：{msg}"))),
        }
    }
    out
}

/// A cell's value for field `fi`.
fn convert(
    memo: &mut Memo,
    fi: usize,
    field: &Field,
    cell: &Cell,
    strings: &[Arc<str>],
    register: &mut Register,
    ctx: cell::Context<'_>,
) -> Result<Converted, String> {
    match cell {
        // Shared strings are converted once per field (and interned once).
        Cell::Shared(i) => match memo.recall(*i as usize, strings.len()) {
            Some(known) => known,
            None => {
                let fresh = cell::to_value_in(&cell.resolved(strings), field, ctx).map(|v| {
                    match v.as_ref().and_then(|v| register.symbol(fi, v)) {
                        Some(sym) => Converted::Symbol(sym),
                        None => Converted::Value(v),
                    }
                });
                memo.remember(*i as usize, &fresh);
                fresh
            }
        },
        other => cell::to_value_in(other, field, ctx).map(Converted::Value),
    }
}

/// A required field of the last record left empty (and not already reported as invalid). A
/// field required only for some records (`required_when`) is checked only for those.
pub(super) fn report_missing(register: &Register, fields: &[Field], bad: &[bool], problems: &mut Vec<Problem>) {
    let row = register.len() - 1;
    for (i, f) in fields.iter().enumerate() {
        if !f.required || bad[i] || !required_here(register, fields, row, f) {
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

/// Whether field `f`'s `required_when` holds for record `row` (always, without one).
fn required_here(register: &Register, fields: &[Field], row: usize, f: &Field) -> bool {
    f.required_when.iter().all(|(key, wanted)| {
        let Some(i) = fields.iter().position(|g| g.key == *key) else { return true };
        let value = register.text(row, i).map(str::to_string).or_else(|| fields[i].default.clone());
        value.is_none_or(|v| wanted.contains(&v))
    })
}
