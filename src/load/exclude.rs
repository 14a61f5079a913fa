//! Leaving out what is wrong: every record with an error, and every file that could not be read,
//! so that the rest of the month-end can run.
//!
//! Input: what [`super::load`] found — the registers and every problem. Output: the registers
//! without the records that have an error, the typed views rebuilt, and the [`Exclusions`]: each
//! record left out (file, sheet, row, the room it was about, its errors) and each file not read.
//! Warnings exclude nothing. Nothing fails.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use crate::error::Problem;
use crate::forms::{FieldType, FormSet};
use crate::model::{Dataset, Excluded, Exclusions, Register, RegisterId};

use super::Loaded;

/// Where a record was read: (file, sheet, 1-based row).
type Place = (PathBuf, Option<String>, usize);

/// `loaded` without the records that have an error; what was left out.
pub fn exclude(mut loaded: Loaded, forms: &FormSet) -> (Loaded, Exclusions) {
    let errors: Vec<&Problem> = loaded.problems.iter().filter(|p| p.is_error()).collect();
    if errors.is_empty() {
        return (loaded, Exclusions::default());
    }
    let mut registers = std::mem::take(&mut loaded.dataset.registers);
    let places = places(&registers);
    let file_register: HashMap<&PathBuf, RegisterId> = loaded.files.iter().map(|(id, f)| (f, *id)).collect();
    // One exclusion per record (or file), its errors gathered.
    let mut found: BTreeMap<(PathBuf, Option<String>, Option<usize>), Excluded> = BTreeMap::new();
    let mut drop: HashMap<RegisterId, Vec<usize>> = HashMap::new();
    for p in errors {
        let loc = &p.location;
        let key = (loc.file.clone(), loc.sheet.clone(), loc.row);
        let hits = loc.row.and_then(|row| places.get(&(loc.file.clone(), loc.sheet.clone(), row)));
        let register = hits.and_then(|h| h.first()).map(|h| h.0).or_else(|| file_register.get(&loc.file).copied());
        let entry = found.entry(key).or_insert_with(|| Excluded {
            register,
            file: loc.file.clone(),
            sheet: loc.sheet.clone(),
            row: loc.row,
            room: None,
            problems: Vec::new(),
        });
        entry.problems.push(p.clone());
        for &(id, record) in hits.into_iter().flatten() {
            drop.entry(id).or_default().push(record);
            if entry.room.is_none() {
                entry.room = room_of(&registers, forms, id, record);
            }
        }
    }
    for (id, records) in drop {
        if let Some(reg) = registers.get_mut(&id) {
            let mut keep = vec![true; reg.len()];
            for r in records {
                keep[r] = false;
            }
            reg.retain(&keep);
        }
    }
    loaded.dataset = Dataset::new(registers, forms);
    (loaded, Exclusions { records: found.into_values().collect() })
}

/// Every record's place, by place (a wide fee ledger's row holds a record per month).
fn places(registers: &BTreeMap<RegisterId, Register>) -> HashMap<Place, Vec<(RegisterId, usize)>> {
    let mut out: HashMap<Place, Vec<(RegisterId, usize)>> = HashMap::new();
    for (id, reg) in registers {
        for record in 0..reg.len() {
            let origin = reg.origin(record);
            let Some(source) = reg.sources.get(origin.source as usize) else { continue };
            out.entry((source.file.clone(), source.sheet.clone(), origin.row as usize))
                .or_default()
                .push((*id, record));
        }
    }
    out
}

/// The room record `record` of register `id` is about, if it names one.
fn room_of(
    registers: &BTreeMap<RegisterId, Register>,
    forms: &FormSet,
    id: RegisterId,
    record: usize,
) -> Option<crate::parse::room::RoomId> {
    let reg = registers.get(&id)?;
    let field = id.fields(forms).iter().position(|f| matches!(f.ty, FieldType::Room | FieldType::Place))?;
    reg.room(record, field)
}
