//! The month's registers printed as their numbered forms: each 台帐 with records dated in the
//! month as one filled register (header repeated, 第 X 页 / 共 Y 页, a 合计 row when it holds
//! money), each single-sheet form named in `bind_sheets` as one sheet per record (the 维修单 of
//! 业主报修 4.6, bound monthly), and form 20 from the complaint statistics.
//!
//! A record belongs to the month by its form's first date field. Phone and ID numbers are masked
//! (and names when configured) as `rules.monthly.privacy` says.

use std::collections::BTreeMap;
use std::path::Path;

use crate::commands::session::Session;
use crate::error::Error;
use crate::forms::{FieldType, FormDef, FormKind, Scope};
use crate::model::{Register, RegisterId, Value};
use crate::render::Typesetter;
use crate::render::filled::{self, Filled};

use super::Month;
use crate::rules::kpi::params::{Privacy, mask_name};

/// Rows of a filled register per volume (册): about a hundred pages, a size that binds and that
/// typesets in bounded memory.
pub const ROWS_PER_VOLUME: usize = 1000;

/// Sheets (one record each) per volume.
pub const SHEETS_PER_VOLUME: usize = 100;

/// One printed register (or one volume of it).
pub struct Printed {
    pub number: u8,
    pub title: String,
    /// Path inside the month's folder.
    pub file: String,
    pub pdf: Vec<u8>,
    pub pages: usize,
    pub records: usize,
    /// (label, fen) of each money column.
    pub money: Vec<(String, i64)>,
}

/// A value as printed in the monthly outputs, masked.
pub fn shown(v: &Value, ty: FieldType, privacy: &Privacy) -> String {
    let text = v.display();
    match ty {
        FieldType::Phone => privacy.phone.apply(&text),
        FieldType::IdNumber => privacy.id_number.apply(&text),
        FieldType::Person if privacy.names => mask_name(&text),
        FieldType::Signature if privacy.names && !text.is_empty() && text != "已签" => mask_name(&text),
        _ => text,
    }
}

/// The records of form `n` dated in the month, in register order.
pub fn rows_in_month(m: &Month<'_>, form: &FormDef) -> Vec<usize> {
    let Some(v) = m.ctx.form(form.number) else { return Vec::new() };
    let Some(key) = form
        .fields
        .iter()
        .find(|f| f.scope == Scope::Row && matches!(f.ty, FieldType::Date | FieldType::Datetime))
        .map(|f| f.key.as_str())
    else {
        return Vec::new();
    };
    let (from, to) = (m.month.first_day(), m.month.last_day());
    v.rows()
        .filter(|&r| {
            v.date(r, key).or_else(|| v.datetime(r, key).map(|d| d.date())).is_some_and(|d| d >= from && d <= to)
        })
        .collect()
}

/// Prints every register with records in the month.
pub fn print(
    session: &Session,
    m: &Month<'_>,
    typesetter: &Typesetter,
    forms_dir: &Path,
) -> Result<Vec<Printed>, Error> {
    let jobs = jobs(session, m);
    let config = &session.config;
    let month = m.month;
    let progress = crate::progress::Progress::new(jobs.len() as u64, "排版本月台帐");
    let results = crate::render::parallel_map(&jobs, |(form, job, volume)| {
        progress.inc();
        let part = volume.map(|v| format!("-第{v}册")).unwrap_or_default();
        let ident = format!("kefu/monthly/{month}/{}{part}", form.number);
        let title = format!("{:02}-{}-{month}{part}.pdf", form.number, crate::output::safe_file_name(&form.title));
        let out = match job {
            Job::Register(filled, n, money) => {
                filled::render_filled(config, form, filled, typesetter, session.as_of, ident, forms_dir)
                    .map(|(pdf, t)| (pdf, t.document.pages().len(), *n, money.clone()))
            }
            Job::Sheets(records) => {
                filled::render_filled_sheets(config, form, records, typesetter, session.as_of, ident, forms_dir)
                    .map(|(pdf, t)| (pdf, t.document.pages().len(), records.len(), Vec::new()))
            }
        };
        typst::comemo::evict(0);
        out.map(|(pdf, pages, records, money)| Printed {
            number: form.number,
            title: form.title.clone(),
            file: format!("台帐/{title}"),
            pdf,
            pages,
            records,
            money,
        })
    });
    progress.finish();
    results.into_iter().collect()
}

/// What to typeset: form 20 from the complaint statistics, each bound sheet form's records of
/// the month (one sheet each), each register's rows of the month; large ones in volumes.
fn jobs<'s>(session: &'s Session, m: &Month<'_>) -> Vec<(&'s FormDef, Job, Option<usize>)> {
    let privacy = &session.params.monthly.privacy;
    let binds = &session.params.monthly.bind_sheets;
    let mut jobs: Vec<(&FormDef, Job, Option<usize>)> = Vec::new();
    for form in session.forms.iter() {
        if form.number == 20 {
            jobs.push((
                form,
                Job::Register(
                    crate::render::form20::form20_form(&m.form20, m.ctx.forms, m.ctx.as_of),
                    m.form20.total.total as usize,
                    Vec::new(),
                ),
                None,
            ));
            continue;
        }
        let sheet = form.kind == FormKind::Sheet && binds.contains(&form.number);
        if form.kind != FormKind::Register && !sheet {
            continue;
        }
        let rows = rows_in_month(m, form);
        if rows.is_empty() {
            continue;
        }
        let Some(reg) = session.loaded.dataset.register(RegisterId::Form(form.number)) else { continue };
        if sheet {
            sheet_jobs(form, reg, &rows, privacy, &mut jobs);
        } else {
            register_jobs(form, reg, &rows, privacy, &mut jobs);
        }
    }
    jobs
}

/// A sheet form's records as sheets, [`SHEETS_PER_VOLUME`] to a volume.
fn sheet_jobs<'f>(
    form: &'f FormDef,
    reg: &Register,
    rows: &[usize],
    privacy: &Privacy,
    jobs: &mut Vec<(&'f FormDef, Job, Option<usize>)>,
) {
    let cell =
        |row: usize, i: usize| reg.get(row, i).map(|v| shown(&v, form.fields[i].ty, privacy)).unwrap_or_default();
    let records: Vec<BTreeMap<String, String>> = rows
        .iter()
        .map(|&r| {
            (0..form.fields.len())
                .filter(|&i| reg.has(r, i))
                .map(|i| (form.fields[i].key.clone(), cell(r, i)))
                .collect()
        })
        .collect();
    let volumes = records.len().div_ceil(SHEETS_PER_VOLUME);
    for (v, chunk) in records.chunks(SHEETS_PER_VOLUME).enumerate() {
        jobs.push((form, Job::Sheets(chunk.to_vec()), (volumes > 1).then_some(v + 1)));
    }
}

/// A register's rows as a filled register, [`ROWS_PER_VOLUME`] to a volume, with a 合计 row
/// when it holds money.
fn register_jobs<'f>(
    form: &'f FormDef,
    reg: &Register,
    rows: &[usize],
    privacy: &Privacy,
    jobs: &mut Vec<(&'f FormDef, Job, Option<usize>)>,
) {
    let cell =
        |row: usize, i: usize| reg.get(row, i).map(|v| shown(&v, form.fields[i].ty, privacy)).unwrap_or_default();
    let row_fields: Vec<usize> = (0..form.fields.len()).filter(|&i| form.fields[i].scope == Scope::Row).collect();
    let mut document = BTreeMap::new();
    for (i, f) in form.fields.iter().enumerate().filter(|(_, f)| f.scope == Scope::Document) {
        if let Some(&r) = rows.iter().find(|&&r| reg.has(r, i)) {
            document.insert(f.key.clone(), cell(r, i));
        }
    }
    let table: Vec<Vec<String>> = rows.iter().map(|&r| row_fields.iter().map(|&i| cell(r, i)).collect()).collect();
    let mut money = Vec::new();
    let mut total: Vec<String> = vec![String::new(); row_fields.len()];
    for (col, &i) in row_fields.iter().enumerate() {
        if form.fields[i].ty == FieldType::Money {
            let sum: i64 = rows.iter().filter_map(|&r| reg.get(r, i).and_then(|v| v.money())).sum();
            total[col] = crate::parse::money::format_fen(sum);
            money.push((form.fields[i].label.clone(), sum));
        }
    }
    let total = (!money.is_empty()).then_some(total);
    let volumes = table.len().div_ceil(ROWS_PER_VOLUME);
    for (v, chunk) in table.chunks(ROWS_PER_VOLUME).enumerate() {
        // The 合计 row closes the last volume and covers the whole month.
        let last = v + 1 == volumes;
        let filled = Filled { document: document.clone(), rows: chunk.to_vec(), total: total.clone().filter(|_| last) };
        let money = if last { money.clone() } else { Vec::new() };
        jobs.push((form, Job::Register(filled, chunk.len(), money), (volumes > 1).then_some(v + 1)));
    }
}

enum Job {
    /// A filled register: its rows, the record count, the money totals.
    Register(Filled, usize, Vec<(String, i64)>),
    /// One sheet per record: the values by field key.
    Sheets(Vec<BTreeMap<String, String>>),
}
