//! A typed cell value.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::Serialize;

use crate::model::YearMonth;
use crate::parse::idcard::IdNumber;
use crate::parse::phone::Phone;
use crate::parse::room::RoomId;

/// The value of one field of one record, typed by the field's [`crate::forms::FieldType`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    /// Free text, a person's name, or a choice (one of the field's options).
    Text(String),
    Date(NaiveDate),
    Datetime(NaiveDateTime),
    Time(NaiveTime),
    Month(YearMonth),
    Integer(i64),
    Decimal(f64),
    /// RMB in integer fen.
    Money(i64),
    Phone(Phone),
    Room(RoomId),
    IdNumber(IdNumber),
    Bool(bool),
    Signature(Signature),
    /// Checklist items found wanting, with their notes.
    Checklist(Vec<(String, String)>),
}

/// A signature as recorded in a register: signed or not, and by whom when the name was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Signature {
    pub signed: bool,
    pub by: Option<String>,
}

impl Value {
    /// The date of a date or datetime value.
    pub fn date(&self) -> Option<NaiveDate> {
        match self {
            Value::Date(d) => Some(*d),
            Value::Datetime(dt) => Some(dt.date()),
            _ => None,
        }
    }

    /// A datetime (a date counts as its midnight).
    pub fn datetime(&self) -> Option<NaiveDateTime> {
        match self {
            Value::Date(d) => d.and_hms_opt(0, 0, 0),
            Value::Datetime(dt) => Some(*dt),
            _ => None,
        }
    }

    /// The text of a text, name or choice value.
    pub fn text(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }

    /// The room of a room value.
    pub fn room(&self) -> Option<RoomId> {
        match self {
            Value::Room(r) => Some(*r),
            _ => None,
        }
    }

    /// Fen of a money value.
    pub fn money(&self) -> Option<i64> {
        match self {
            Value::Money(f) => Some(*f),
            _ => None,
        }
    }

    /// The number of an integer value.
    pub fn integer(&self) -> Option<i64> {
        match self {
            Value::Integer(n) => Some(*n),
            _ => None,
        }
    }

    /// The value as written back into a cell or a message.
    pub fn display(&self) -> String {
        match self {
            Value::Text(s) => s.clone(),
            Value::Date(d) => d.format("%Y-%m-%d").to_string(),
            Value::Datetime(dt) => dt.format("%Y-%m-%d %H:%M").to_string(),
            Value::Time(t) => t.format("%H:%M").to_string(),
            Value::Month(m) => m.to_string(),
            Value::Integer(n) => n.to_string(),
            Value::Decimal(x) => format!("{x}"),
            Value::Money(f) => crate::parse::money::format_fen(*f),
            Value::Phone(p) => p.to_string(),
            Value::Room(r) => r.to_string(),
            Value::IdNumber(id) => id.to_string(),
            Value::Bool(b) => if *b { "是" } else { "否" }.to_string(),
            Value::Signature(s) => match (&s.by, s.signed) {
                (Some(by), _) => by.clone(),
                (None, true) => "已签".to_string(),
                (None, false) => String::new(),
            },
            Value::Checklist(items) => items
                .iter()
                .map(|(i, n)| if n.is_empty() { i.clone() } else { format!("{i}：{n}") })
                .collect::<Vec<_>>()
                .join("；"),
        }
    }
}
