//! Checks across records and registers, after every cell has been read.
//!
//! Input: the loaded dataset, the configuration (buildings), the form definitions and the run
//! date. Output: problems — rooms no ledger lists, duplicate serial numbers, events dated after
//! the run date, an end before its start (a key returned before it was lent), payments above
//! what was due, owners whose birthday disagrees with their ID number, and the like.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::config::Config;
use crate::error::{Location, Problem};
use crate::forms::{Field, FieldType, FormSet, LedgerId};
use crate::model::YearMonth;
use crate::model::{Dataset, Register, RegisterId, RoomStatus, Value};
use crate::parse::money::format_fen;

/// Every cross-check; `input` names the folder in messages about missing registers.
pub fn run(
    data: &Dataset,
    config: &Config,
    forms: &FormSet,
    as_of: NaiveDate,
    input: &std::path::Path,
) -> Vec<Problem> {
    let mut out = Vec::new();
    let has_rooms = data.register(RegisterId::Ledger(LedgerId::Rooms)).is_some();
    if !has_rooms {
        out.push(Problem::in_file(
            &input.join(super::mapping::REGISTER_DIR),
            "缺少房屋及业主台帐：请放一个以「房屋」开头的工作簿（如 房屋及业主台帐.xlsx），或在 mapping.yaml 中指定；没有它就无法核对房号",
        ));
    }
    // The registers are independent: checked side by side, reported in register order.
    use rayon::prelude::*;
    let registers: Vec<&Register> = data.registers.values().collect();
    let (per_register, (mut in_rooms, mut in_fees)) = rayon::join(
        || {
            registers
                .par_iter()
                .map(|register| {
                    let fields = register.id.fields(forms);
                    let mut found = Vec::new();
                    per_record(data, register, fields, as_of, has_rooms, &mut found);
                    unique(register, fields, &mut found);
                    found
                })
                .collect::<Vec<_>>()
        },
        || {
            let (mut a, mut b) = (Vec::new(), Vec::new());
            rooms(data, config, forms, &mut a);
            fees(data, forms, &mut b);
            (a, b)
        },
    );
    out.extend(per_register.into_iter().flatten());
    out.append(&mut in_rooms);
    out.append(&mut in_fees);
    out
}

fn per_record(
    data: &Dataset,
    register: &Register,
    fields: &[Field],
    as_of: NaiveDate,
    has_rooms: bool,
    out: &mut Vec<Problem>,
) {
    let is_rooms = register.id == RegisterId::Ledger(LedgerId::Rooms);
    let index: HashMap<&str, usize> = fields.iter().enumerate().map(|(i, f)| (f.key.as_str(), i)).collect();
    let as_of_month = YearMonth::of(as_of);
    for (i, field) in fields.iter().enumerate() {
        let is_time = matches!(field.ty, FieldType::Date | FieldType::Datetime | FieldType::Month | FieldType::Time);
        let check_room = matches!(field.ty, FieldType::Room | FieldType::Place) && has_rooms && !is_rooms;
        let earlier = field.not_before.as_deref().and_then(|k| index.get(k).copied());
        if !is_time && !check_room {
            continue;
        }
        for row in 0..register.len() {
            let at = || register.locate(row, Some((i, field)));
            if check_room {
                if let Some(room) = register.room(row, i)
                    && data.room(room).is_none()
                {
                    out.push(Problem::at(
                        at(),
                        format!("房号 {room} 不在房屋及业主台帐中：请核对房号，或先在房屋台帐中登记这间房"),
                    ));
                }
                continue;
            }
            if !register.has(row, i) {
                continue;
            }
            let late = match field.ty {
                FieldType::Month => register.month(row, i).is_some_and(|m| m > as_of_month),
                FieldType::Time => false,
                _ => register.date(row, i).is_some_and(|d| d > as_of),
            };
            if late
                && !field.planned
                && let Some(value) = register.get(row, i)
            {
                out.push(Problem::at(
                    at(),
                    format!(
                        "{}「{}」晚于运行日期 {as_of}：已发生的事不能记在将来（只有预约、计划、期限类字段可以填将来的日期）",
                        field.label,
                        value.display()
                    ),
                ));
            }
            if let Some(j) = earlier
                && register.has(row, j)
                && let (Some(value), Some(start)) = (register.get(row, i), register.get(row, j))
                && before(&value, &start)
            {
                out.push(Problem::at(
                    at(),
                    format!(
                        "{}「{}」早于{}「{}」，先后颠倒了",
                        field.label,
                        value.display(),
                        fields[j].label,
                        start.display()
                    ),
                ));
            }
        }
    }
}

/// Whether `later` lies before `earlier` (a date counts as its whole day against a datetime).
fn before(later: &Value, earlier: &Value) -> bool {
    match (later, earlier) {
        (Value::Time(a), Value::Time(b)) => a < b,
        (Value::Month(a), Value::Month(b)) => a < b,
        (Value::Datetime(a), Value::Datetime(b)) => a < b,
        (a, b) => match (a.date(), b.date()) {
            (Some(a), Some(b)) => a < b,
            _ => false,
        },
    }
}

fn unique(register: &Register, fields: &[Field], out: &mut Vec<Problem>) {
    for (i, field) in fields.iter().enumerate().filter(|(_, f)| f.unique) {
        let mut seen: HashMap<String, usize> = HashMap::new();
        for row in 0..register.len() {
            let Some(value) = register.get(row, i) else { continue };
            let key = value.display();
            match seen.get(&key) {
                Some(&first) => {
                    let there = register.locate(first, Some((i, field)));
                    out.push(Problem::at(
                        register.locate(row, Some((i, field))),
                        format!("{}「{key}」重复：已出现在{}，每条记录应各有一个", field.label, short(&there)),
                    ));
                }
                None => {
                    seen.insert(key, row);
                }
            }
        }
    }
}

/// `工作表「x」第 3 行` or `第 3 行`, for pointing at another row of the same file.
fn short(loc: &Location) -> String {
    let row = loc.row.map(|r| format!("第 {r} 行")).unwrap_or_default();
    match &loc.sheet {
        Some(s) => format!("工作表「{s}」{row}"),
        None => row,
    }
}

fn rooms(data: &Dataset, config: &Config, forms: &FormSet, out: &mut Vec<Problem>) {
    let Some(register) = data.register(RegisterId::Ledger(LedgerId::Rooms)) else { return };
    let Some(def) = forms.ledger(LedgerId::Rooms) else { return };
    let field = |key: &str| def.fields.iter().enumerate().find(|(_, f)| f.key == key);
    let room_field = field("room");
    for room in &data.rooms {
        let record = room.record;
        if config.has_room(room.id) == Some(false) {
            out.push(Problem::at(
                register.locate(record, room_field),
                format!("房号 {} 不在 kefu.yaml 所列楼栋的房间中（楼号、单元、楼层或户号超出范围）", room.id),
            ));
        }
        if let (Some(id), Some(birthday)) = (&room.id_number, room.birthday)
            && id.birth_date() != birthday
        {
            out.push(
                Problem::at(
                    register.locate(record, field("birthday")),
                    format!("生日 {birthday} 与身份证号中的出生日期 {} 不一致", id.birth_date()),
                )
                .warning(),
            );
        }
        if room.status == RoomStatus::Vacant && room.residents.is_some_and(|n| n > 0) {
            out.push(
                Problem::at(
                    register.locate(record, field("residents")),
                    format!("状态为空置，却登记了 {} 人", room.residents.unwrap_or(0)),
                )
                .warning(),
            );
        }
    }
    if let Some(property) = &config.property {
        let listed: std::collections::HashSet<_> = data.rooms.iter().map(|r| r.id).collect();
        let missing: Vec<String> = property
            .buildings
            .iter()
            .flat_map(|b| b.rooms())
            .filter(|r| !listed.contains(r))
            .map(|r| r.to_string())
            .collect();
        if !missing.is_empty() {
            let file = register.sources.first().map(|s| s.file.clone()).unwrap_or_default();
            let shown: Vec<&str> = missing.iter().take(10).map(String::as_str).collect();
            out.push(
                Problem::in_file(
                    &file,
                    format!(
                        "kefu.yaml 中的 {} 间房没有登记在房屋及业主台帐中：{}{}",
                        missing.len(),
                        shown.join("、"),
                        if missing.len() > 10 { " 等" } else { "" }
                    ),
                )
                .warning(),
            );
        }
    }
}

fn fees(data: &Dataset, forms: &FormSet, out: &mut Vec<Problem>) {
    let Some(register) = data.register(RegisterId::Ledger(LedgerId::Fees)) else { return };
    let Some(def) = forms.ledger(LedgerId::Fees) else { return };
    let field = |key: &str| def.fields.iter().enumerate().find(|(_, f)| f.key == key);
    let mut seen: HashMap<(crate::parse::room::RoomId, YearMonth), usize> = HashMap::new();
    for fee in &data.fees {
        let record = fee.record;
        if fee.paid > fee.due {
            out.push(Problem::at(
                register.locate(record, field("paid")),
                format!("实收 {} 元大于应收 {} 元：预收款请记在以后的账期", format_fen(fee.paid), format_fen(fee.due)),
            ));
        }
        if let Some((i, f)) = field("arrears")
            && let Some(arrears) = register.int(record, i)
            && arrears != fee.due - fee.paid
        {
            out.push(Problem::at(
                register.locate(record, Some((i, f))),
                format!(
                    "欠费 {} 元不等于应收 {} 元减实收 {} 元",
                    format_fen(arrears),
                    format_fen(fee.due),
                    format_fen(fee.paid)
                ),
            ));
        }
        // A ledger without a date column (the wide ledgers kept by month) cannot say; only a
        // date column left blank is worth a word.
        let has_date_column = field("paid_on").is_some_and(|(i, _)| {
            let source = register.origin(record).source as usize;
            register.sources.get(source).is_some_and(|s| s.columns.get(i).is_some_and(Option::is_some))
        });
        if fee.paid > 0 && fee.paid_on.is_none() && has_date_column {
            out.push(Problem::at(register.locate(record, field("paid_on")), "有实收金额，却没有收款日期").warning());
        }
        if fee.paid == 0 && fee.paid_on.is_some() {
            out.push(Problem::at(register.locate(record, field("paid")), "有收款日期，却没有实收金额").warning());
        }
        if let Some(first) = seen.insert((fee.room, fee.period), fee.record) {
            let there = register.locate(first, None);
            out.push(Problem::at(
                register.locate(record, field("period")),
                format!("{} 的 {} 账期重复登记：已出现在{}", fee.room, fee.period, short(&there)),
            ));
        }
    }
    let _ = FieldType::Money;
}
