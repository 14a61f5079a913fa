//! Entry points for the fuzz targets in `fuzz/` (not part of kefu's interface): the parts of
//! loading that read text staff typed, fed arbitrary input. Each returns normally on any input —
//! a panic is the bug a fuzzer looks for.

use std::path::Path;

use super::cell::Cell;
use super::header::{Names, find};
use super::workbook::Grid;
use crate::forms::FormSet;

/// Header detection on a grid written as rows separated by `\n` and cells by `\t`, against the
/// definition of form `number` (1–31; others fall back to form 15).
pub fn header(forms: &FormSet, number: u8, text: &str) {
    let Some(form) = forms.get(number).or_else(|| forms.get(15)) else { return };
    let rows = text
        .split('\n')
        .take(200)
        .map(|r| {
            r.split('\t').take(300).map(|c| if c.is_empty() { Cell::Empty } else { Cell::Text(c.into()) }).collect()
        })
        .collect();
    let grid = Grid { rows };
    let Ok(names) = Names::new(&form.fields, &[]) else { return };
    let _ = find(&grid, &form.fields, &names, None, false, &[]);
    let _ = find(&grid, &form.fields, &names, None, true, &[]);
}

/// A YAML register's text, read as records.
pub fn yaml_register(text: &str) {
    let _ = super::yaml_register::read(text, Path::new("fuzz.yaml"));
}

/// Bytes read as the XML parts of an xlsx workbook by kefu's own sheet reader.
pub fn xlsx_parts(data: &[u8]) {
    super::xlsx::fuzz_parts(data);
}
