//! Registers and their records, stored column by column, each record knowing the cell it came from.
//!
//! A register of 100,000 households holds millions of records; storing each as a vector of
//! values would take gigabytes. Here each field is one typed column (dates as dates, money as
//! fen, rooms as room ids) and text is interned once per register, so repeated names, choices
//! and phrases cost four bytes per record.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use crate::error::Location;
use crate::forms::{Field, FieldType, FormSet, LedgerId};
use crate::model::YearMonth;
use crate::parse::room::RoomId;

use super::{Signature, Value};

/// `expr` on a column's vector, whatever its element type (`v` names the vector).
macro_rules! on_vec {
    ($column:expr, $v:ident => $e:expr) => {
        match $column {
            Column::Sym($v) => $e,
            Column::Date($v) => $e,
            Column::Datetime($v) => $e,
            Column::Time($v) => $e,
            Column::Month($v) => $e,
            Column::Int($v) => $e,
            Column::Decimal($v) => $e,
            Column::Room($v) => $e,
            Column::Bool($v) => $e,
        }
    };
}

/// Which register: a numbered form's, or a ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RegisterId {
    Ledger(LedgerId),
    Form(u8),
}

impl RegisterId {
    /// The register's title: `15 前台接待台帐`, or the ledger's title.
    pub fn title(self, forms: &FormSet) -> String {
        match self {
            RegisterId::Form(n) => {
                forms.get(n).map(|f| format!("{n:02} {}", f.title)).unwrap_or_else(|| format!("{n:02}"))
            }
            RegisterId::Ledger(id) => forms.ledger(id).map(|l| l.title.clone()).unwrap_or_else(|| id.key().to_string()),
        }
    }

    /// The register's fields.
    pub fn fields(self, forms: &FormSet) -> &[Field] {
        match self {
            RegisterId::Form(n) => forms.get(n).map(|f| f.fields.as_slice()).unwrap_or(&[]),
            RegisterId::Ledger(id) => forms.ledger(id).map(|l| l.fields.as_slice()).unwrap_or(&[]),
        }
    }
}

impl serde::Serialize for RegisterId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl fmt::Display for RegisterId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RegisterId::Form(n) => write!(f, "{n:02}"),
            RegisterId::Ledger(id) => f.write_str(id.key()),
        }
    }
}

/// Where records were read from: a worksheet or a YAML file, and which column held each field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub file: PathBuf,
    /// The worksheet; `None` for YAML.
    pub sheet: Option<String>,
    /// Per field (by index): the column letter (sheets; empty for YAML) and the header as written.
    pub columns: Vec<Option<(String, String)>>,
}

/// Where one record came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    /// Index into the register's sources.
    pub source: u32,
    /// 1-based row of the sheet, or line of the YAML file.
    pub row: u32,
}

/// Interned text of one register; symbol 0 is "no value". The texts lie end to end in one
/// buffer (a register of a million records holds hundreds of thousands of distinct phones,
/// names and remarks: one allocation each would cost more than the reading).
#[derive(Clone, Default)]
struct Pool {
    text: String,
    /// Where each symbol's text ends in `text` (symbol `i + 1` ends at `ends[i]`).
    ends: Vec<usize>,
    /// Symbols by the hash of their text; empty once sealed.
    index: hashbrown::HashTable<u32>,
}

impl fmt::Debug for Pool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pool").field("texts", &self.ends.len()).field("bytes", &self.text.len()).finish()
    }
}

/// The text of symbol `sym` (1-based) in a pool's buffer.
fn slice<'a>(text: &'a str, ends: &[usize], sym: u32) -> &'a str {
    let i = sym as usize - 1;
    &text[if i == 0 { 0 } else { ends[i - 1] }..ends[i]]
}

fn text_hash(s: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(s)
}

impl Pool {
    fn intern(&mut self, s: &str) -> u32 {
        if self.index.is_empty() && !self.ends.is_empty() {
            // Sealed earlier: rebuild the index before adding more.
            let (text, ends) = (&self.text, &self.ends);
            for sym in 1..=ends.len() as u32 {
                let hash = text_hash(slice(text, ends, sym));
                self.index.insert_unique(hash, sym, |&sym| text_hash(slice(text, ends, sym)));
            }
        }
        let hash = text_hash(s);
        if let Some(&sym) = self.index.find(hash, |&sym| slice(&self.text, &self.ends, sym) == s) {
            return sym;
        }
        self.text.push_str(s);
        self.ends.push(self.text.len());
        let sym = self.ends.len() as u32; // 1-based; 0 is empty
        let (text, ends) = (&self.text, &self.ends);
        self.index.insert_unique(hash, sym, |&sym| text_hash(slice(text, ends, sym)));
        sym
    }

    /// The text of `sym` (`None` for 0 and unknown symbols).
    fn get(&self, sym: u32) -> Option<&str> {
        let i = (sym as usize).checked_sub(1)?;
        (i < self.ends.len()).then(|| slice(&self.text, &self.ends, sym))
    }

    fn str(&self, sym: u32) -> &str {
        self.get(sym).unwrap_or_default()
    }

    /// Every text, in symbol order.
    fn texts(&self) -> impl Iterator<Item = &str> {
        (1..=self.ends.len() as u32).map(|sym| self.str(sym))
    }
}

/// How a text column stores a value.
fn symbol_of(pool: &mut Pool, value: &Value) -> u32 {
    match value {
        Value::Signature(Signature { by: Some(name), .. }) => pool.intern(name),
        Value::Signature(Signature { signed: true, by: None }) => SIGNED,
        Value::Signature(Signature { signed: false, by: None }) => UNSIGNED,
        Value::Text(text) => pool.intern(text),
        other => pool.intern(&other.display()),
    }
}

/// Symbols with a meaning of their own in a signature column.
const SIGNED: u32 = u32::MAX;
const UNSIGNED: u32 = u32::MAX - 1;

/// One field's values for every record. Empty values are sentinels rather than `Option`s,
/// which halves the size of the wide columns: [`NO_DAY`], [`NO_INT`], NaN.
#[derive(Debug, Clone)]
enum Column {
    /// Text, names, choices, phones, ID numbers, checklists (as written back), signatures.
    Sym(Vec<u32>),
    /// Days from the common era (`NaiveDate::num_days_from_ce`).
    Date(Vec<i32>),
    /// Seconds since 1970-01-01 00:00 (naive, local time as written).
    Datetime(Vec<i64>),
    Time(Vec<Option<NaiveTime>>),
    Month(Vec<Option<YearMonth>>),
    /// Integers and money (fen).
    Int(Vec<i64>),
    /// NaN when empty.
    Decimal(Vec<f64>),
    Room(Vec<Option<RoomId>>),
    Bool(Vec<Option<bool>>),
}

/// No date.
const NO_DAY: i32 = i32::MIN;
/// No integer, amount or datetime.
const NO_INT: i64 = i64::MIN;

fn day_code(d: NaiveDate) -> i32 {
    use chrono::Datelike;
    d.num_days_from_ce()
}

fn day_of(code: i32) -> Option<NaiveDate> {
    if code == NO_DAY { None } else { NaiveDate::from_num_days_from_ce_opt(code) }
}

/// A datetime field's "done, but no date written" (`已还` in a return column): present, undated.
const UNDATED: i64 = i64::MIN + 1;

/// A datetime as stored: seconds since 1970 times two, plus one when only the date is known
/// (a date typed alone in a datetime column: the time is unknown, not midnight).
fn datetime_code(dt: NaiveDateTime) -> i64 {
    dt.and_utc().timestamp() * 2
}

fn date_only_code(d: NaiveDate) -> i64 {
    d.and_time(NaiveTime::MIN).and_utc().timestamp() * 2 + 1
}

fn datetime_of(code: i64) -> Option<NaiveDateTime> {
    if code == NO_INT || code == UNDATED {
        None
    } else {
        chrono::DateTime::from_timestamp(code.div_euclid(2), 0).map(|t| t.naive_utc())
    }
}

/// Whether a stored datetime carries its time of day.
fn time_known(code: i64) -> bool {
    code != NO_INT && code != UNDATED && code.rem_euclid(2) == 0
}

fn int_of(code: i64) -> Option<i64> {
    (code != NO_INT).then_some(code)
}

fn decimal_of(x: f64) -> Option<f64> {
    (!x.is_nan()).then_some(x)
}

impl Column {
    fn for_type(ty: FieldType) -> Column {
        match ty {
            FieldType::Date => Column::Date(Vec::new()),
            FieldType::Datetime => Column::Datetime(Vec::new()),
            FieldType::Time => Column::Time(Vec::new()),
            FieldType::Month => Column::Month(Vec::new()),
            FieldType::Integer | FieldType::Money => Column::Int(Vec::new()),
            FieldType::Decimal => Column::Decimal(Vec::new()),
            FieldType::Room => Column::Room(Vec::new()),
            FieldType::Place => Column::Sym(Vec::new()),
            FieldType::Bool => Column::Bool(Vec::new()),
            FieldType::Text
            | FieldType::Person
            | FieldType::Choice
            | FieldType::Phone
            | FieldType::IdNumber
            | FieldType::Signature
            | FieldType::Checklist => Column::Sym(Vec::new()),
        }
    }
}

/// A loaded register: its records column by column.
#[derive(Debug, Clone)]
pub struct Register {
    pub id: RegisterId,
    pub sources: Vec<Arc<Source>>,
    types: Vec<FieldType>,
    origins: Vec<Origin>,
    columns: Vec<Column>,
    pool: Pool,
}

impl Register {
    /// An empty register with a column per field.
    pub fn new(id: RegisterId, fields: &[Field]) -> Register {
        Register {
            id,
            sources: Vec::new(),
            types: fields.iter().map(|f| f.ty).collect(),
            origins: Vec::new(),
            columns: fields.iter().map(|f| Column::for_type(f.ty)).collect(),
            pool: Pool::default(),
        }
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.origins.len()
    }

    /// Whether the register holds no record.
    pub fn is_empty(&self) -> bool {
        self.origins.is_empty()
    }

    /// Where record `row` came from.
    pub fn origin(&self, row: usize) -> Origin {
        self.origins[row]
    }

    /// The register without the records `keep` says no to (`keep[i]` for record `i`); their
    /// text stays interned, unseen.
    pub fn retain(&mut self, keep: &[bool]) {
        let kept = |i: usize| keep.get(i).copied().unwrap_or(true);
        let mut i = 0;
        self.origins.retain(|_| {
            let k = kept(i);
            i += 1;
            k
        });
        for column in &mut self.columns {
            on_vec!(column, v => {
                let mut i = 0;
                v.retain(|_| {
                    let k = kept(i);
                    i += 1;
                    k
                });
            });
        }
    }

    /// Drops every record after the first `records`, and every source after the first `sources`.
    pub fn truncate(&mut self, records: usize, sources: usize) {
        self.origins.truncate(records);
        self.sources.truncate(sources);
        for column in &mut self.columns {
            on_vec!(column, v => v.truncate(records));
        }
    }

    /// Makes room for `more` records.
    pub fn reserve(&mut self, more: usize) {
        self.origins.reserve(more);
        for column in &mut self.columns {
            on_vec!(column, v => v.reserve(more));
        }
    }

    /// Appends a record; `values` holds one entry per field, typed as the field's type.
    pub fn push(&mut self, origin: Origin, values: &mut [Option<Value>]) {
        self.push_interned(origin, values, &mut []);
    }

    /// The symbol a text field (text, names, choices, phones, ID numbers, checklists,
    /// signatures) stores `value` as, interning it; `None` for fields of other types.
    pub fn symbol(&mut self, field: usize, value: &Value) -> Option<u32> {
        match &self.columns[field] {
            Column::Sym(_) => Some(symbol_of(&mut self.pool, value)),
            _ => None,
        }
    }

    /// [`Register::push`], where `symbols[i]`, when set, is field `i`'s text already interned
    /// by [`Register::symbol`] (its value is then not looked at). Both are left empty.
    pub fn push_interned(&mut self, origin: Origin, values: &mut [Option<Value>], symbols: &mut [Option<u32>]) {
        self.origins.push(origin);
        for (i, slot) in values.iter_mut().enumerate() {
            let value = slot.take();
            let interned = symbols.get_mut(i).and_then(Option::take);
            let pool = &mut self.pool;
            match &mut self.columns[i] {
                Column::Sym(v) => v.push(match (interned, value) {
                    (Some(sym), _) => sym,
                    (None, None) => 0,
                    (None, Some(value)) => symbol_of(pool, &value),
                }),
                Column::Date(v) => v.push(value.and_then(|x| x.date()).map_or(NO_DAY, day_code)),
                Column::Datetime(v) => v.push(match value {
                    Some(Value::Datetime(dt)) => datetime_code(dt),
                    Some(Value::Date(d)) => date_only_code(d),
                    Some(Value::Text(_)) => UNDATED,
                    _ => NO_INT,
                }),
                Column::Time(v) => v.push(match value {
                    Some(Value::Time(t)) => Some(t),
                    _ => None,
                }),
                Column::Month(v) => v.push(match value {
                    Some(Value::Month(m)) => Some(m),
                    _ => None,
                }),
                Column::Int(v) => v.push(match value {
                    Some(Value::Integer(n) | Value::Money(n)) if n != NO_INT => n,
                    _ => NO_INT,
                }),
                Column::Decimal(v) => v.push(match value {
                    Some(Value::Decimal(x)) => x,
                    Some(Value::Integer(n)) => n as f64,
                    _ => f64::NAN,
                }),
                Column::Room(v) => v.push(value.and_then(|x| x.room())),
                Column::Bool(v) => v.push(match value {
                    Some(Value::Bool(b)) => Some(b),
                    _ => None,
                }),
            }
        }
    }

    /// The text of field `field` of record `row` (text, names, choices, phones, ID numbers).
    pub fn text(&self, row: usize, field: usize) -> Option<&str> {
        match &self.columns[field] {
            Column::Sym(v) => self.pool.get(v[row]),
            _ => None,
        }
    }

    /// The date of a date or datetime field.
    pub fn date(&self, row: usize, field: usize) -> Option<NaiveDate> {
        match &self.columns[field] {
            Column::Date(v) => day_of(v[row]),
            Column::Datetime(v) => datetime_of(v[row]).map(|dt| dt.date()),
            _ => None,
        }
    }

    /// A datetime (a date counts as its midnight).
    pub fn datetime(&self, row: usize, field: usize) -> Option<NaiveDateTime> {
        match &self.columns[field] {
            Column::Datetime(v) => datetime_of(v[row]),
            Column::Date(v) => day_of(v[row]).and_then(|d| d.and_hms_opt(0, 0, 0)),
            _ => None,
        }
    }

    /// An integer or an amount in fen.
    pub fn int(&self, row: usize, field: usize) -> Option<i64> {
        match &self.columns[field] {
            Column::Int(v) => int_of(v[row]),
            _ => None,
        }
    }

    /// A room (for a field that takes a room or a place: the room, when it is one).
    pub fn room(&self, row: usize, field: usize) -> Option<RoomId> {
        match &self.columns[field] {
            Column::Room(v) => v[row],
            Column::Sym(v) if self.types[field] == FieldType::Place => {
                self.pool.get(v[row]).and_then(|t| crate::parse::room::parse_room(t).ok())
            }
            _ => None,
        }
    }

    /// Whether the datetime of field `field` of record `row` carries its time of day (not a
    /// date typed alone, not a `已还` without date).
    pub fn time_known(&self, row: usize, field: usize) -> bool {
        match &self.columns[field] {
            Column::Datetime(v) => time_known(v[row]),
            Column::Time(v) => v[row].is_some(),
            _ => false,
        }
    }

    /// Whether a datetime field says "done" without a date (`已还`).
    pub fn undated(&self, row: usize, field: usize) -> bool {
        matches!(&self.columns[field], Column::Datetime(v) if v[row] == UNDATED)
    }

    /// A month.
    pub fn month(&self, row: usize, field: usize) -> Option<YearMonth> {
        match &self.columns[field] {
            Column::Month(v) => v[row],
            _ => None,
        }
    }

    /// A yes/no.
    pub fn flag(&self, row: usize, field: usize) -> Option<bool> {
        match &self.columns[field] {
            Column::Bool(v) => v[row],
            _ => None,
        }
    }

    /// The value of field `field` of record `row`, typed as its field.
    pub fn get(&self, row: usize, field: usize) -> Option<Value> {
        let ty = self.types[field];
        Some(match &self.columns[field] {
            Column::Sym(v) => {
                let sym = v[row];
                if ty == FieldType::Signature {
                    return match sym {
                        0 => None,
                        SIGNED => Some(Value::Signature(Signature { signed: true, by: None })),
                        UNSIGNED => Some(Value::Signature(Signature { signed: false, by: None })),
                        s => Some(Value::Signature(Signature {
                            signed: true,
                            by: self.pool.get(s).map(|t| t.to_string()),
                        })),
                    };
                }
                let text = self.pool.get(sym)?;
                match ty {
                    FieldType::Phone => Value::Phone(crate::parse::phone::parse_phone(text).ok()?),
                    FieldType::Place => match crate::parse::room::parse_room(text) {
                        Ok(room) => Value::Room(room),
                        Err(_) => Value::Text(text.to_string()),
                    },
                    FieldType::IdNumber => Value::IdNumber(crate::parse::idcard::parse_id_number(text).ok()?),
                    FieldType::Checklist => Value::Checklist(
                        text.split('；')
                            .map(|p| match p.split_once('：') {
                                Some((i, n)) => (i.to_string(), n.to_string()),
                                None => (p.to_string(), String::new()),
                            })
                            .collect(),
                    ),
                    _ => Value::Text(text.to_string()),
                }
            }
            Column::Date(v) => Value::Date(day_of(v[row])?),
            Column::Datetime(v) if v[row] == UNDATED => Value::Text("已办（未写日期）".to_string()),
            Column::Datetime(v) if !time_known(v[row]) => Value::Date(datetime_of(v[row])?.date()),
            Column::Datetime(v) => Value::Datetime(datetime_of(v[row])?),
            Column::Time(v) => Value::Time(v[row]?),
            Column::Month(v) => Value::Month(v[row]?),
            Column::Int(v) => match ty {
                FieldType::Money => Value::Money(int_of(v[row])?),
                _ => Value::Integer(int_of(v[row])?),
            },
            Column::Decimal(v) => Value::Decimal(decimal_of(v[row])?),
            Column::Room(v) => Value::Room(v[row]?),
            Column::Bool(v) => Value::Bool(v[row]?),
        })
    }

    /// Whether signature field `field` of record `row` is marked as not signed.
    pub fn unsigned(&self, row: usize, field: usize) -> bool {
        matches!(&self.columns[field], Column::Sym(v) if v[row] == UNSIGNED)
    }

    /// Whether field `field` of record `row` holds a value.
    pub fn has(&self, row: usize, field: usize) -> bool {
        match &self.columns[field] {
            Column::Sym(v) => v[row] != 0,
            Column::Date(v) => v[row] != NO_DAY,
            Column::Datetime(v) => v[row] != NO_INT,
            Column::Time(v) => v[row].is_some(),
            Column::Month(v) => v[row].is_some(),
            Column::Int(v) => v[row] != NO_INT,
            Column::Decimal(v) => !v[row].is_nan(),
            Column::Room(v) => v[row].is_some(),
            Column::Bool(v) => v[row].is_some(),
        }
    }

    /// Releases what loading needed and reading does not: spare capacity of the columns and the
    /// interning index.
    pub fn seal(&mut self) {
        self.origins.shrink_to_fit();
        self.pool.index = hashbrown::HashTable::new();
        self.pool.text.shrink_to_fit();
        self.pool.ends.shrink_to_fit();
        for c in &mut self.columns {
            on_vec!(c, v => v.shrink_to_fit());
        }
    }

    /// Appends the records of `other` (the same register read from another file).
    pub fn append(&mut self, other: Register) {
        let offset = self.sources.len() as u32;
        self.sources.extend(other.sources);
        self.origins.extend(other.origins.iter().map(|o| Origin { source: o.source + offset, ..*o }));
        let remap: Vec<u32> = other.pool.texts().map(|s| self.pool.intern(s)).collect();
        for (mine, theirs) in self.columns.iter_mut().zip(other.columns) {
            match (mine, theirs) {
                (Column::Sym(a), Column::Sym(b)) => a.extend(b.into_iter().map(|s| match s {
                    0 | SIGNED | UNSIGNED => s,
                    s => remap[(s - 1) as usize],
                })),
                (Column::Date(a), Column::Date(b)) => a.extend(b),
                (Column::Datetime(a), Column::Datetime(b)) => a.extend(b),
                (Column::Time(a), Column::Time(b)) => a.extend(b),
                (Column::Month(a), Column::Month(b)) => a.extend(b),
                (Column::Int(a), Column::Int(b)) => a.extend(b),
                (Column::Decimal(a), Column::Decimal(b)) => a.extend(b),
                (Column::Room(a), Column::Room(b)) => a.extend(b),
                (Column::Bool(a), Column::Bool(b)) => a.extend(b),
                _ => {} // same register, same fields: the kinds always agree
            }
        }
    }

    /// The location of field `field` (index) of record `row`, for messages.
    pub fn locate(&self, row: usize, field: Option<(usize, &Field)>) -> Location {
        let origin = self.origins[row];
        let source = &self.sources[origin.source as usize];
        let found = field.and_then(|(i, _)| source.columns.get(i).cloned().flatten());
        let (column, header) = match found {
            Some((col, head)) => ((!col.is_empty()).then_some(col), Some(head)),
            None => (None, field.map(|(_, f)| f.label.clone())),
        };
        Location {
            file: source.file.clone(),
            sheet: source.sheet.clone(),
            row: Some(origin.row as usize),
            column,
            header,
        }
    }
}
