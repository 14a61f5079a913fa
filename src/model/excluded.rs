//! Records left out of a run because something in them is wrong, and why.
//!
//! A bad cell invalidates its record; the record is left out of every output, and so is what
//! depends on it (a room's dunning when one of its fee rows is unreadable). The month-end still
//! runs for everything else and lists each exclusion (数据问题清单).

use std::path::PathBuf;

use crate::error::Problem;
use crate::parse::room::RoomId;

use super::RegisterId;

/// One record (or a whole file, when `row` is `None`) left out.
#[derive(Debug, Clone, PartialEq)]
pub struct Excluded {
    pub register: Option<RegisterId>,
    pub file: PathBuf,
    pub sheet: Option<String>,
    /// 1-based row of the sheet or line of the YAML file; `None`: the file was not read at all.
    pub row: Option<usize>,
    /// The room the record was about, when it names one.
    pub room: Option<RoomId>,
    /// Every error found in it.
    pub problems: Vec<Problem>,
}

/// What was left out, and what may ask about it.
#[derive(Debug, Clone, Default)]
pub struct Exclusions {
    pub records: Vec<Excluded>,
}

impl Exclusions {
    /// Whether nothing was left out.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The exclusions of register `id`.
    pub fn of(&self, id: RegisterId) -> impl Iterator<Item = &Excluded> {
        self.records.iter().filter(move |e| e.register == Some(id))
    }

    /// The first exclusion of `id` about `room`, or of a whole file of `id` (which may hold it).
    pub fn touching(&self, id: RegisterId, room: RoomId) -> Option<&Excluded> {
        self.of(id).find(|e| e.room == Some(room) || e.row.is_none())
    }

    /// How many records of `id` were left out (files not read count once).
    pub fn count(&self, id: RegisterId) -> usize {
        self.of(id).count()
    }
}
