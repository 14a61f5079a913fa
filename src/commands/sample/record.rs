//! Records of the sample registers before they are written: typed values keyed by field key, and
//! the [`Sink`] a register generator streams them into (a workbook, a YAML file, or a test's list).
//!
//! Input: values chosen by the generators. Output: [`Rec`]s. A sink fails only on IO or when a
//! record names a field its form does not have.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use crate::error::Error;
use crate::model::YearMonth;
use crate::parse::room::RoomId;

/// One typed value as the department records it.
#[derive(Debug, Clone, PartialEq)]
pub enum V {
    /// Free text, a name, a choice option, a signature (the signer's name), a checklist.
    Text(String),
    /// The same, from a table.
    Str(&'static str),
    Int(i64),
    /// A reading or area, printed with two decimals.
    Dec(f64),
    /// RMB in fen.
    Money(i64),
    Date(NaiveDate),
    Time(NaiveTime),
    DateTime(NaiveDateTime),
    Month(YearMonth),
    Room(RoomId),
    /// An 11-digit mobile number.
    Phone(u64),
    Bool(bool),
}

impl V {
    /// The text of a text value.
    pub fn text(&self) -> Option<&str> {
        match self {
            V::Text(s) => Some(s),
            V::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// One record: values by field key, in any order; absent keys are empty cells.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rec {
    /// (field key, value) pairs.
    pub vals: Vec<(&'static str, V)>,
}

impl Rec {
    /// An empty record.
    pub fn new() -> Rec {
        Rec { vals: Vec::with_capacity(16) }
    }

    /// Sets `key` to `v`.
    pub fn put(&mut self, key: &'static str, v: V) -> &mut Rec {
        self.vals.push((key, v));
        self
    }

    /// Sets `key` to `v` when there is one.
    pub fn opt(&mut self, key: &'static str, v: Option<V>) -> &mut Rec {
        if let Some(v) = v {
            self.vals.push((key, v));
        }
        self
    }

    /// Sets a text value.
    pub fn text(&mut self, key: &'static str, s: impl Into<String>) -> &mut Rec {
        self.put(key, V::Text(s.into()))
    }

    /// Sets a text value from a table.
    pub fn s(&mut self, key: &'static str, s: &'static str) -> &mut Rec {
        self.put(key, V::Str(s))
    }

    /// Sets a date.
    pub fn date(&mut self, key: &'static str, d: NaiveDate) -> &mut Rec {
        self.put(key, V::Date(d))
    }

    /// Sets a datetime.
    pub fn dt(&mut self, key: &'static str, d: NaiveDateTime) -> &mut Rec {
        self.put(key, V::DateTime(d))
    }

    /// Sets a whole number.
    pub fn int(&mut self, key: &'static str, n: i64) -> &mut Rec {
        self.put(key, V::Int(n))
    }

    /// Sets a yes/no value.
    pub fn flag(&mut self, key: &'static str, b: bool) -> &mut Rec {
        self.put(key, V::Bool(b))
    }

    /// The value of `key`, if set.
    pub fn get(&self, key: &str) -> Option<&V> {
        self.vals.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }
}

/// Where a register generator sends its records, in order.
pub trait Sink {
    /// Starts a new worksheet named `name` (workbooks with one sheet per month); ignored by
    /// sinks without sheets.
    fn sheet(&mut self, name: &str) -> Result<(), Error>;
    /// Adds one record.
    fn row(&mut self, rec: Rec) -> Result<(), Error>;
}

/// A sink that keeps every record with its sheet name, for tests.
#[cfg(test)]
#[derive(Debug, Default)]
pub struct Collect {
    /// The current sheet name.
    pub sheet: String,
    /// (sheet, record) in order.
    pub rows: Vec<(String, Rec)>,
}

#[cfg(test)]
impl Sink for Collect {
    fn sheet(&mut self, name: &str) -> Result<(), Error> {
        self.sheet = name.to_string();
        Ok(())
    }

    fn row(&mut self, rec: Rec) -> Result<(), Error> {
        self.rows.push((self.sheet.clone(), rec));
        Ok(())
    }
}
