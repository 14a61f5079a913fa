//! The named counts a KPI divides, for one month, each with the register records behind it.
//!
//! Input: the rules' context and the month. Output: [`Counts`] by key ([`CATALOG`] lists every
//! key with its meaning). Nothing fails: a missing register counts zero; days the calendar lacks
//! are left out of the quality counts and noted.

use std::collections::{BTreeMap, HashSet};

use chrono::NaiveDate;

use crate::forms::LedgerId;
use crate::model::RegisterId;
use crate::model::YearMonth;
use crate::rules::{Context, Trace};

/// What a count counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Records (件、户次、人·日).
    Items,
    /// Money in fen.
    Fen,
}

/// Every count: key, label, unit, and how it is made.
pub const CATALOG: &[(&str, &str, Unit, &str)] = &[
    ("fees.current_due", "当期应收", Unit::Fen, "物业费台帐：账期为本月的应收之和"),
    ("fees.current_paid", "当期实收（属当期应收）", Unit::Fen, "物业费台帐：账期为本月、本月底前收到的实收之和"),
    (
        "fees.arrears_opening",
        "期初欠费（以前各期）",
        Unit::Fen,
        "物业费台帐：本月之前各账期，截至月初尚未收到的部分（应收 − 月初前已收）之和",
    ),
    (
        "fees.arrears_recovered",
        "本月收回以前各期欠费",
        Unit::Fen,
        "物业费台帐：本月之前各账期、收款日期在本月的实收之和",
    ),
    ("complaints.received", "受理投诉", Unit::Items, "表单 18/19：受理时间在本月的投诉"),
    ("complaints.valid", "有效投诉", Unit::Items, "其中有效的（台帐未填时按投诉分类规则判定）"),
    (
        "complaints.valid_closed_on_time",
        "时限内办结的有效投诉",
        Unit::Items,
        "有效投诉中，月底前办结且不晚于处理期限的",
    ),
    ("complaints.closed", "已办结投诉", Unit::Items, "本月受理的投诉中，月底前办结的"),
    ("complaints.visited", "已回访投诉", Unit::Items, "本月受理的投诉中，月底前回访的"),
    ("complaints.satisfied", "回访满意", Unit::Items, "回访结果为满意或基本满意的"),
    ("repairs.reported", "报修", Unit::Items, "表单 15（及无前台记录的 16、21）：报修时间在本月的"),
    ("repairs.on_time", "时限内到场或完成的报修", Unit::Items, "维修单到场不超过规定分钟数，或联系单在处理期限内完成"),
    ("repairs.completed", "已完成维修", Unit::Items, "本月报修中已完成的"),
    ("repairs.returned", "返修", Unit::Items, "已完成维修后规定天数内同户同类再次报修的"),
    (
        "reception.received",
        "前台接待（全部类别）",
        Unit::Items,
        "表单 15：接单时间在本月的各行，报修、咨询、投诉、求助、其他",
    ),
    (
        "reception.other",
        "前台接待中非报修的",
        Unit::Items,
        "表单 15 中类别为咨询、投诉、求助、其他的（未填类别的按报修）",
    ),
    ("repairs.public", "公共部位报修", Unit::Items, "表单 15：本月报修中房号栏写公共部位（楼道、园区等）的"),
    ("visits.planned", "计划走访", Unit::Items, "表单 07：计划走访日期在本月的"),
    ("visits.planned_done", "计划内已走访", Unit::Items, "其中该房本月在表单 08 有走访记录的"),
    ("visits.done", "实际走访", Unit::Items, "表单 08：走访日期在本月的"),
    ("visits.phone", "电话走访", Unit::Items, "其中走访方式为电话的"),
    ("quality.daily_required", "应做日常检查（人·日）", Unit::Items, "品质管理员与各部门每个检查日各一次"),
    ("quality.daily_done", "已做日常检查（人·日）", Unit::Items, "表单 10 中达到规定次数的"),
    ("quality.weekly_required", "应做每周联合检查", Unit::Items, "周日在本月的周"),
    ("quality.weekly_done", "已做每周联合检查", Unit::Items, "表单 10 中联合检查达到规定次数的周"),
];

/// One count of one month.
#[derive(Debug, Clone, PartialEq)]
pub struct Count {
    pub key: &'static str,
    pub label: &'static str,
    pub unit: Unit,
    pub basis: &'static str,
    pub value: i64,
    /// The records behind it (register, record index).
    pub rows: Vec<(RegisterId, usize)>,
}

/// The counts of a month, by key.
#[derive(Debug, Clone, Default)]
pub struct Counts {
    pub month: Option<YearMonth>,
    pub by_key: BTreeMap<&'static str, Count>,
    /// The first year the quality counts could not check (the calendar lacks it).
    pub calendar_gap: Option<i32>,
}

impl Counts {
    /// The value of `key` (0 when unknown).
    pub fn value(&self, key: &str) -> i64 {
        self.by_key.get(key).map_or(0, |c| c.value)
    }
}

/// The registers a count is made from (its records left out for errors make it smaller).
pub fn registers_of(key: &str) -> Vec<RegisterId> {
    let forms = |ns: &[u8]| ns.iter().map(|n| RegisterId::Form(*n)).collect();
    match key.split('.').next().unwrap_or("") {
        "fees" => vec![RegisterId::Ledger(LedgerId::Fees)],
        "complaints" => forms(&[18, 19]),
        "repairs" => forms(&[15, 16, 17]),
        "reception" => forms(&[15]),
        "visits" => forms(&[7, 8]),
        "quality" => forms(&[10]),
        _ => Vec::new(),
    }
}

/// Whether `key` names a count.
pub fn known(key: &str) -> bool {
    CATALOG.iter().any(|(k, ..)| *k == key)
}

struct Builder {
    by_key: BTreeMap<&'static str, Count>,
}

impl Builder {
    fn set(&mut self, key: &'static str, value: i64, rows: Vec<(RegisterId, usize)>) {
        if let Some(&(key, label, unit, basis)) = CATALOG.iter().find(|(k, ..)| *k == key) {
            self.by_key.insert(key, Count { key, label, unit, basis, value, rows });
        }
    }

    fn traced(&mut self, key: &'static str, trace: &Trace, from: &str) {
        let rows = trace.get(from).cloned().unwrap_or_default();
        self.set(key, rows.len() as i64, rows);
    }
}

/// The front desk's reception log (form 15) kept for every visitor: all its rows of the month,
/// those that are not repairs, and the repairs of public places (not a room).
fn reception(ctx: &Context<'_>, from: NaiveDate, to: NaiveDate, b: &mut Builder) {
    let Some(v) = ctx.form(15) else { return };
    let (mut all, mut other, mut public) = (Vec::new(), Vec::new(), Vec::new());
    for row in v.rows() {
        if v.date(row, "received_at").is_none_or(|d| !(from..=to).contains(&d)) {
            continue;
        }
        all.push((v.id, row));
        let repair = v.text(row, "category").is_none_or(|c| c == "报修");
        if !repair {
            other.push((v.id, row));
        } else if v.text(row, "room").is_some() && v.room(row, "room").is_none() {
            public.push((v.id, row));
        }
    }
    b.set("reception.received", all.len() as i64, all);
    b.set("reception.other", other.len() as i64, other);
    b.set("repairs.public", public.len() as i64, public);
}

/// Every count of `month`.
pub fn counts(ctx: &Context<'_>, month: YearMonth) -> Counts {
    let (from, to) = (month.first_day(), month.last_day());
    let mut b = Builder { by_key: BTreeMap::new() };
    fees(ctx, month, &mut b);
    let f20 = crate::rules::complaints::statistics(ctx, from, to);
    for (key, from_key) in [
        ("complaints.received", "received"),
        ("complaints.valid", "valid"),
        ("complaints.valid_closed_on_time", "valid_closed_on_time"),
        ("complaints.closed", "closed"),
        ("complaints.visited", "visited"),
        ("complaints.satisfied", "satisfied"),
    ] {
        b.traced(key, &f20.trace, from_key);
    }
    reception(ctx, from, to, &mut b);
    let rep = crate::rules::repairs::timeliness(ctx, from, to);
    for (key, from_key) in [
        ("repairs.reported", "orders"),
        ("repairs.on_time", "on_time"),
        ("repairs.completed", "completed"),
        ("repairs.returned", "returned"),
    ] {
        b.traced(key, &rep.trace, from_key);
    }
    visits(ctx, from, to, &mut b);
    let q = crate::rules::quality::compliance(ctx, from, to);
    // The checks of form 10 in the month behind the done counts: daily checks, and joint ones.
    let (mut daily_rows, mut joint_rows) = (Vec::new(), Vec::new());
    if let Some(v) = ctx.form(10) {
        for r in v.rows().filter(|&r| v.date(r, "check_date").is_some_and(|d| d >= from && d <= to)) {
            match v.text(r, "check_type") {
                Some("周合成检查") => joint_rows.push((RegisterId::Form(10), r)),
                Some(_) => daily_rows.push((RegisterId::Form(10), r)),
                None => {}
            }
        }
    }
    b.set("quality.daily_required", i64::from(q.daily_required), Vec::new());
    b.set("quality.daily_done", i64::from(q.daily_done), daily_rows);
    b.set("quality.weekly_required", i64::from(q.weekly_required), Vec::new());
    b.set("quality.weekly_done", i64::from(q.weekly_done), joint_rows);
    Counts { month: Some(month), by_key: b.by_key, calendar_gap: q.calendar_gap.map(|e| e.year) }
}

fn fees(ctx: &Context<'_>, month: YearMonth, b: &mut Builder) {
    let id = RegisterId::Ledger(LedgerId::Fees);
    let (first, last) = (month.first_day(), month.last_day());
    let (mut due, mut paid, mut opening, mut recovered) = (0i64, 0i64, 0i64, 0i64);
    let (mut due_rows, mut paid_rows, mut opening_rows, mut recovered_rows) = (vec![], vec![], vec![], vec![]);
    for fee in &ctx.data.fees {
        let on = fee.paid_on;
        if fee.period == month {
            due += fee.due;
            due_rows.push((id, fee.record));
            // A payment without a date is taken as made when recorded (within the month).
            if fee.paid > 0 && on.is_none_or(|d| d <= last) {
                paid += fee.paid;
                paid_rows.push((id, fee.record));
            }
        } else if fee.period < month {
            let paid_before = if on.is_none_or(|d| d < first) { fee.paid } else { 0 };
            let owed = fee.due - paid_before;
            if owed > 0 {
                opening += owed;
                opening_rows.push((id, fee.record));
            }
            if fee.paid > 0 && on.is_some_and(|d| d >= first && d <= last) {
                recovered += fee.paid;
                recovered_rows.push((id, fee.record));
            }
        }
    }
    b.set("fees.current_due", due, due_rows);
    b.set("fees.current_paid", paid, paid_rows);
    b.set("fees.arrears_opening", opening, opening_rows);
    b.set("fees.arrears_recovered", recovered, recovered_rows);
}

fn visits(ctx: &Context<'_>, from: NaiveDate, to: NaiveDate, b: &mut Builder) {
    let within = |d: Option<NaiveDate>| d.is_some_and(|d| d >= from && d <= to);
    let mut done_rows = Vec::new();
    let mut phone_rows = Vec::new();
    let mut visited: HashSet<crate::parse::room::RoomId> = HashSet::new();
    if let Some(v) = ctx.form(8) {
        for r in v.rows().filter(|&r| within(v.date(r, "visit_date"))) {
            done_rows.push((RegisterId::Form(8), r));
            if v.text(r, "mode").is_some_and(|m| m.contains("电话")) {
                phone_rows.push((RegisterId::Form(8), r));
            }
            if let Some(room) = v.room(r, "room") {
                visited.insert(room);
            }
        }
    }
    let mut planned_rows = Vec::new();
    let mut planned_done = Vec::new();
    if let Some(v) = ctx.form(7) {
        for r in v.rows().filter(|&r| within(v.date(r, "visit_date"))) {
            planned_rows.push((RegisterId::Form(7), r));
            if v.room(r, "room").is_some_and(|room| visited.contains(&room)) {
                planned_done.push((RegisterId::Form(7), r));
            }
        }
    }
    b.set("visits.planned", planned_rows.len() as i64, planned_rows);
    b.set("visits.planned_done", planned_done.len() as i64, planned_done);
    b.set("visits.done", done_rows.len() as i64, done_rows);
    b.set("visits.phone", phone_rows.len() as i64, phone_rows);
}

/// (当期实收, 当期应收) of `month`, fen: the collection-rate history.
pub fn counts_fees_only(ctx: &Context<'_>, month: YearMonth) -> (i64, i64) {
    let mut b = Builder { by_key: BTreeMap::new() };
    fees(ctx, month, &mut b);
    let v = |k: &str| b.by_key.get(k).map_or(0, |c| c.value);
    (v("fees.current_paid"), v("fees.current_due"))
}

/// (planned, done) visits from `from` to `to`.
pub fn visit_counts(ctx: &Context<'_>, from: NaiveDate, to: NaiveDate) -> (usize, usize) {
    let mut b = Builder { by_key: BTreeMap::new() };
    visits(ctx, from, to, &mut b);
    let v = |k: &str| b.by_key.get(k).map_or(0, |c| c.value as usize);
    (v("visits.planned"), v("visits.done"))
}
