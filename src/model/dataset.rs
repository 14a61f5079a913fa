//! All registers of an estate, with typed views of rooms and fees.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::Serialize;

use crate::forms::{Field, FormSet, LedgerId};
use crate::model::YearMonth;
use crate::parse::idcard::IdNumber;
use crate::parse::phone::Phone;
use crate::parse::room::RoomId;

use super::{Register, RegisterId, Value};

/// Who lives in a room.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum RoomStatus {
    /// 空置
    Vacant,
    /// 自住
    OwnerOccupied,
    /// 出租
    Rented,
}

impl RoomStatus {
    /// From the register's wording.
    pub fn from_label(s: &str) -> Option<RoomStatus> {
        match s {
            "空置" => Some(RoomStatus::Vacant),
            "自住" => Some(RoomStatus::OwnerOccupied),
            "出租" => Some(RoomStatus::Rented),
            _ => None,
        }
    }

    /// Whether someone lives there (the 走访 sample is drawn from occupied households).
    pub fn occupied(self) -> bool {
        self != RoomStatus::Vacant
    }
}

/// A room and its owner, from the rooms ledger.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Room {
    pub id: RoomId,
    pub area: Option<f64>,
    pub owner: Option<String>,
    pub id_number: Option<IdNumber>,
    pub phone: Option<Phone>,
    pub residents: Option<i64>,
    pub birthday: Option<NaiveDate>,
    pub delivered: Option<NaiveDate>,
    pub moved_in: Option<NaiveDate>,
    pub status: RoomStatus,
    /// Index of the record in the rooms register.
    pub record: usize,
}

/// One billing period of one room, from the fee ledger.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fee {
    pub room: RoomId,
    pub period: YearMonth,
    /// 应收, fen.
    pub due: i64,
    /// 实收, fen.
    pub paid: i64,
    /// 收款日期.
    pub paid_on: Option<NaiveDate>,
    /// Index of the record in the fees register.
    pub record: usize,
}

impl Fee {
    /// 欠费: what is still owed, fen.
    pub fn arrears(&self) -> i64 {
        (self.due - self.paid).max(0)
    }
}

/// Every register of the estate.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    pub registers: BTreeMap<RegisterId, Register>,
    pub rooms: Vec<Room>,
    pub fees: Vec<Fee>,
    room_index: HashMap<RoomId, usize>,
}

/// Field indices by key, for reading typed views out of a register.
pub(crate) struct Keys<'a> {
    index: HashMap<&'a str, usize>,
}

impl<'a> Keys<'a> {
    pub(crate) fn new(fields: &'a [Field]) -> Keys<'a> {
        Keys { index: fields.iter().enumerate().map(|(i, f)| (f.key.as_str(), i)).collect() }
    }

    /// The index of field `key`; usize::MAX (never a valid column) when the definition lacks it.
    pub(crate) fn get(&self, key: &str) -> Option<usize> {
        self.index.get(key).copied()
    }
}

impl Dataset {
    /// Builds the typed views from the loaded registers.
    pub fn new(registers: BTreeMap<RegisterId, Register>, forms: &FormSet) -> Dataset {
        let mut data = Dataset { registers, ..Dataset::default() };
        data.rooms = data.build_rooms(forms);
        data.fees = data.build_fees(forms);
        data.room_index = data.rooms.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
        data
    }

    fn build_rooms(&self, forms: &FormSet) -> Vec<Room> {
        let (Some(reg), Some(def)) =
            (self.registers.get(&RegisterId::Ledger(LedgerId::Rooms)), forms.ledger(LedgerId::Rooms))
        else {
            return Vec::new();
        };
        let k = Keys::new(&def.fields);
        let (Some(room), Some(status)) = (k.get("room"), k.get("status")) else { return Vec::new() };
        let at = |row: usize, key: &str| k.get(key).and_then(|i| reg.get(row, i));
        (0..reg.len())
            .filter_map(|row| {
                Some(Room {
                    id: reg.room(row, room)?,
                    status: reg.text(row, status).and_then(RoomStatus::from_label)?,
                    area: match at(row, "area") {
                        Some(Value::Decimal(x)) => Some(x),
                        Some(Value::Integer(n)) => Some(n as f64),
                        _ => None,
                    },
                    owner: k.get("owner").and_then(|i| reg.text(row, i)).map(str::to_string),
                    id_number: match at(row, "id_number") {
                        Some(Value::IdNumber(id)) => Some(id),
                        _ => None,
                    },
                    phone: match at(row, "phone") {
                        Some(Value::Phone(p)) => Some(p),
                        _ => None,
                    },
                    residents: k.get("residents").and_then(|i| reg.int(row, i)),
                    birthday: k.get("birthday").and_then(|i| reg.date(row, i)),
                    delivered: k.get("delivered").and_then(|i| reg.date(row, i)),
                    moved_in: k.get("moved_in").and_then(|i| reg.date(row, i)),
                    record: row,
                })
            })
            .collect()
    }

    fn build_fees(&self, forms: &FormSet) -> Vec<Fee> {
        let (Some(reg), Some(def)) =
            (self.registers.get(&RegisterId::Ledger(LedgerId::Fees)), forms.ledger(LedgerId::Fees))
        else {
            return Vec::new();
        };
        let k = Keys::new(&def.fields);
        let (Some(room), Some(period), Some(due)) = (k.get("room"), k.get("period"), k.get("due")) else {
            return Vec::new();
        };
        let paid = k.get("paid");
        let paid_on = k.get("paid_on");
        (0..reg.len())
            .filter_map(|row| {
                Some(Fee {
                    room: reg.room(row, room)?,
                    period: reg.month(row, period)?,
                    due: reg.int(row, due)?,
                    paid: paid.and_then(|i| reg.int(row, i)).unwrap_or(0),
                    paid_on: paid_on.and_then(|i| reg.date(row, i)),
                    record: row,
                })
            })
            .collect()
    }

    /// The room with `id`, if the rooms ledger lists it.
    pub fn room(&self, id: RoomId) -> Option<&Room> {
        self.room_index.get(&id).map(|&i| &self.rooms[i])
    }

    /// The register `id`, if it was loaded.
    pub fn register(&self, id: RegisterId) -> Option<&Register> {
        self.registers.get(&id)
    }

    /// Total records over all registers.
    pub fn record_count(&self) -> usize {
        self.registers.values().map(Register::len).sum()
    }
}
