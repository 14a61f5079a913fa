//! 热水经营管理规程 (form 12 热水续费通知书): quarter-end meter readings and renewal notices
//! (3.1.3–3.1.4), and the hot-water repairs' arrival and callback (3.1.1–3.1.2, on the repair
//! registers 15 and 16).
//!
//! Input: the [`Context`]. Output: [`Finding`]s — readings outside the quarter-end window, a
//! quarter passed without a reading, renewals past their deadline, hot-water repairs reached late
//! or not called back the same day. Failure: none; a quarter end in a year the calendar lacks
//! gives one calendar-gap finding per year.
//!
//! Hot water, kept simple: form 12 is the only hot-water record kefu reads — each row is one
//! quarter-end reading with the renewal notice that follows it. A room is expected to be read
//! every quarter once it has a reading; the window ends on the 30th, or on the next working day
//! when the 30th is a rest day (民法典 art. 203: the owner has to be at home for the reading). A
//! renewal counts as settled when the owner's 回执 came back, and a notice is superseded by the
//! room's next reading (whose notice restates the balance and asks for what is then due); kefu
//! has no payment register for hot water to say more.

use std::collections::{BTreeSet, HashMap};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::yuan;
use crate::model::Value;
use crate::parse::room::{RoomId, parse_room};
use crate::rules::{Context, Finding, State, UnknownYear, View, calendar_gap, deadline_state};

/// The procedure's name in the manual.
pub const PROCEDURE: &str = "热水经营管理规程";

/// Hot-water readings and renewals.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct HotWaterParams {
    /// 3.1.3: the months that end a quarter ("每季末").
    pub quarter_months: Vec<u32>,
    /// 3.1.3: first day of the reading window ("底25日至30日").
    pub read_from_day: u32,
    /// 3.1.3: last day of the reading window; a month shorter than this ends the window on its
    /// last day.
    pub read_to_day: u32,
    /// 3.1.3–3.1.4: a balance (预存余额) below this, in 元, must be met by a notice asking for a
    /// renewal (应续费金额 above zero). The manual names no figure; 0 = an overdrawn account.
    #[serde(with = "super::yuan::required")]
    pub min_balance: i64,
}

impl Default for HotWaterParams {
    fn default() -> HotWaterParams {
        HotWaterParams { quarter_months: vec![3, 6, 9, 12], read_from_day: 25, read_to_day: 30, min_balance: 0 }
    }
}

/// One row of form 12.
struct Reading {
    row: usize,
    room: RoomId,
    date: NaiveDate,
    balance: Option<i64>,
    due: Option<i64>,
    pay_by: Option<NaiveDate>,
    receipt: bool,
    /// 续费日期 on the 回执: when the owner actually topped up.
    renewed: Option<NaiveDate>,
    /// The quarter-end month the reading belongs to (nearest window).
    quarter: (i32, u32),
}

/// Calendar gaps, one finding per year.
#[derive(Default)]
struct Gaps(BTreeSet<i32>);

impl Gaps {
    fn add(&mut self, out: &mut Vec<Finding>, what: &str, e: &UnknownYear) {
        if self.0.insert(e.year) {
            out.push(calendar_gap(PROCEDURE, "3.1.3", what, e));
        }
    }
}

fn window_day(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let last = first.checked_add_months(chrono::Months::new(1))?.pred_opt()?;
    Some(first.with_day(day.clamp(1, last.day())).unwrap_or(last))
}

/// The window of the quarter ending in (`year`, `month`): its first day, its last day as written.
fn window(p: &HotWaterParams, (year, month): (i32, u32)) -> Option<(NaiveDate, NaiveDate)> {
    Some((window_day(year, month, p.read_from_day)?, window_day(year, month, p.read_to_day)?))
}

/// The quarter-end month whose window's last day is nearest to `d`.
fn quarter_of(p: &HotWaterParams, d: NaiveDate) -> Option<(i32, u32)> {
    (d.year() - 1..=d.year() + 1)
        .flat_map(|y| p.quarter_months.iter().map(move |&m| (y, m)))
        .filter_map(|q| Some((q, window(p, q)?.1)))
        .min_by_key(|(_, end)| (*end - d).num_days().abs())
        .map(|(q, _)| q)
}

/// The window's real end: the written last day, moved to the next working day when it is a
/// rest day (民法典 art. 203).
fn window_end(ctx: &Context<'_>, end: NaiveDate) -> Result<NaiveDate, UnknownYear> {
    ctx.calendar.calendar_deadline(end, 0)
}

pub(super) fn hot_water(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    repair_calls(ctx, out);
    let Some(v) = ctx.form(12) else { return };
    let p = &ctx.params.services.hot_water;
    let mut gaps = Gaps::default();
    let mut readings = Vec::new();
    for row in v.rows() {
        let (Some(room), Some(date)) = (v.room(row, "room"), v.date(row, "read_date")) else { continue };
        let Some(quarter) = quarter_of(p, date) else { continue };
        let receipt = v.text(row, "receipt_way").is_some()
            || matches!(v.value(row, "owner_signature"), Some(Value::Signature(s)) if s.signed);
        let renewed = v.date(row, "renewed_on");
        readings.push(Reading {
            row,
            room,
            date,
            balance: v.int(row, "balance"),
            due: v.int(row, "amount_due"),
            pay_by: v.date(row, "pay_by"),
            receipt,
            renewed,
            quarter,
        });
    }
    readings.sort_by_key(|r| (r.room, r.date, r.row));
    for r in &readings {
        reading_day(ctx, p, &v, r, out, &mut gaps);
    }
    unread_quarters(ctx, p, &v, &readings, out, &mut gaps);
    renewals(ctx, p, &v, &readings, out);
}

/// A reading outside its quarter's window.
fn reading_day(
    ctx: &Context<'_>,
    p: &HotWaterParams,
    v: &View<'_>,
    r: &Reading,
    out: &mut Vec<Finding>,
    gaps: &mut Gaps,
) {
    let Some((from, to)) = window(p, r.quarter) else { return };
    if (from..=to).contains(&r.date) {
        return;
    }
    let mut end = to;
    if r.date > to {
        end = match window_end(ctx, to) {
            Ok(e) => e,
            Err(e) => return gaps.add(out, "季末抄表期限无法计算", &e),
        };
        if r.date <= end {
            return;
        }
    }
    let moved = if end == to { String::new() } else { format!("（{to} 为休息日，顺延至 {end}）") };
    let why = format!(
        "{} 抄表日期 {}，不在 {} 年 {} 月季末抄表期 {from} 至 {end}{moved} 之内；管家负责通知业主每季末底{}日至{}日抄表（热水经营管理规程 3.1.3）",
        r.room, r.date, r.quarter.0, r.quarter.1, p.read_from_day, p.read_to_day
    );
    out.push(
        Finding::new(PROCEDURE, "3.1.3", "抄表日期不在季末25日至30日", State::Breach, why)
            .at(v, r.row)
            .room(r.room)
            .due(end)
            .done(r.date)
            .owner("亲情管家".to_string()),
    );
}

/// The quarter-end months after `q`, up to and including `last`.
fn quarters_after(p: &HotWaterParams, q: (i32, u32), last: (i32, u32)) -> Vec<(i32, u32)> {
    let mut months: Vec<u32> = p.quarter_months.iter().copied().filter(|m| (1..=12).contains(m)).collect();
    months.sort_unstable();
    months.dedup();
    (q.0..=last.0).flat_map(|y| months.iter().map(move |&m| (y, m))).filter(|x| *x > q && *x <= last).collect()
}

/// Rooms read before, not read in a quarter whose window has closed.
fn unread_quarters(
    ctx: &Context<'_>,
    p: &HotWaterParams,
    v: &View<'_>,
    readings: &[Reading],
    out: &mut Vec<Finding>,
    gaps: &mut Gaps,
) {
    let Some(last) = quarter_of(p, ctx.as_of) else { return };
    let mut by_room: HashMap<RoomId, Vec<&Reading>> = HashMap::new();
    for r in readings {
        by_room.entry(r.room).or_default().push(r);
    }
    let mut rooms: Vec<_> = by_room.into_iter().collect();
    rooms.sort_by_key(|(room, _)| *room);
    let mut ends: HashMap<(i32, u32), Option<NaiveDate>> = HashMap::new();
    for (room, list) in rooms {
        let Some(first) = list.first() else { continue };
        let read: BTreeSet<(i32, u32)> = list.iter().map(|r| r.quarter).collect();
        for q in quarters_after(p, first.quarter, last) {
            if read.contains(&q) {
                continue;
            }
            let Some((from, to)) = window(p, q) else { continue };
            if ctx.as_of <= to {
                continue; // the window is still open
            }
            let end = *ends.entry(q).or_insert_with(|| match window_end(ctx, to) {
                Ok(e) => Some(e),
                Err(e) => {
                    gaps.add(out, "季末抄表期限无法计算", &e);
                    None
                }
            });
            let Some(end) = end else { continue };
            if ctx.as_of <= end {
                continue; // the window is still open
            }
            let before = list.iter().rev().find(|r| r.date < from);
            let moved = if end == to { String::new() } else { format!("（{to} 为休息日，顺延至 {end}）") };
            let why = format!(
                "{room} 上次抄表 {}，{} 年 {} 月季末抄表期 {from} 至 {end}{moved} 没有抄表记录，截至 {} 已逾期 {} 天（热水经营管理规程 3.1.3：管家负责通知业主每季末底{}日至{}日抄表）",
                before.map(|r| r.date.to_string()).unwrap_or_default(),
                q.0,
                q.1,
                ctx.as_of,
                (ctx.as_of - end).num_days(),
                p.read_from_day,
                p.read_to_day
            );
            out.push(
                Finding::new(PROCEDURE, "3.1.3", "热水表未抄", State::Breach, why)
                    .at(v, before.map_or(first.row, |r| r.row))
                    .room(room)
                    .due(end)
                    .owner("亲情管家".to_string())
                    .state(State::Overdue),
            );
        }
    }
}

/// A low balance must be met by a renewal request; the latest notice of a room, past its
/// deadline with no receipt, is overdue.
fn renewals(ctx: &Context<'_>, p: &HotWaterParams, v: &View<'_>, readings: &[Reading], out: &mut Vec<Finding>) {
    for (i, r) in readings.iter().enumerate() {
        let subject = format!(
            "{} 热水续费通知书（抄表 {}，预存余额 {}，应续费 {}）",
            r.room,
            r.date,
            r.balance.map(yuan).unwrap_or_else(|| "未填".to_string()),
            r.due.map(yuan).unwrap_or_else(|| "未填".to_string())
        );
        let owner = Some("亲情管家".to_string());
        let asks = r.due.is_some_and(|d| d > 0);
        if r.balance.is_some_and(|b| b < p.min_balance) && !asks {
            let why = format!(
                "{subject}：余额低于 {}，通知书却没有要求续费；管家负责通知业主预存费用（热水经营管理规程 3.1.3–3.1.4）",
                yuan(p.min_balance)
            );
            out.push(
                Finding::new(PROCEDURE, "3.1.4", "余额不足未通知续费", State::Breach, why)
                    .at(v, r.row)
                    .room(r.room)
                    .owner(owner.clone()),
            );
        }
        let Some(pay_by) = r.pay_by.filter(|_| asks) else { continue };
        // The recorded top-up settles the notice (late when after the deadline); without one, a
        // returned 回执 is taken as the owner's acknowledgement.
        if let Some(paid) = r.renewed {
            if paid > pay_by {
                let why = format!(
                    "{subject}续费截止日期 {pay_by}，业主 {paid} 才续费，晚了 {} 天（热水经营管理规程 3.1.3–3.1.4）",
                    (paid - pay_by).num_days()
                );
                out.push(
                    Finding::new(PROCEDURE, "3.1.4", "热水逾期续费", State::Breach, why)
                        .at(v, r.row)
                        .room(r.room)
                        .due(pay_by)
                        .done(paid)
                        .owner(owner.clone())
                        .state(State::Late),
                );
            }
            continue;
        }
        if r.receipt {
            continue;
        }
        // A later reading restates the balance and asks for what is then due: that notice is
        // the one to follow up.
        if readings[i + 1..].iter().take_while(|n| n.room == r.room).any(|n| n.date > r.date) {
            continue;
        }
        out.extend(unpaid_notice(ctx, v, r, &subject, pay_by, owner));
    }
}

/// The notice a room has not answered by `pay_by` (no top-up, no 回执, no later reading): open
/// until then, overdue after.
fn unpaid_notice(
    ctx: &Context<'_>,
    v: &View<'_>,
    r: &Reading,
    subject: &str,
    pay_by: NaiveDate,
    owner: Option<String>,
) -> Option<Finding> {
    let state = deadline_state(pay_by, None, ctx.as_of)?;
    let (what, status) = if state == State::Overdue {
        (
            "热水续费逾期未缴",
            format!(
                "截至 {} 没有业主回执，也没有之后的抄表记录，已逾期 {} 天",
                ctx.as_of,
                (ctx.as_of - pay_by).num_days()
            ),
        )
    } else {
        ("热水续费待缴", "尚无业主回执".to_string())
    };
    let why = format!(
        "{subject}续费截止日期 {pay_by}，{status}（热水经营管理规程 3.1.3–3.1.4：通知业主预存费用，下发缴费通知或以电话形式通知缴费）"
    );
    Some(
        Finding::new(PROCEDURE, "3.1.4", what, State::Breach, why)
            .at(v, r.row)
            .room(r.room)
            .due(pay_by)
            .owner(owner)
            .state(state),
    )
}

/// 热水经营管理规程 3.1.1 (arrival within 15 minutes) and 3.1.2 (callback the same day).
fn repair_calls(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(o) = ctx.form(16) else { return };
    let p = &ctx.params.repairs;
    let desk_follow_up = crate::rules::repairs::desk_follow_ups(ctx);
    for row in o.rows() {
        let Some(text) = o.text(row, "content").filter(|t| p.is_hot_water(t)) else { continue };
        let no = o.text(row, "order_no").unwrap_or("");
        let technicians = o.text(row, "technicians").map(str::to_string);
        let room = o.text(row, "location").and_then(|l| parse_room(l).ok());
        let start = o.exact_datetime(row, "received_at").or(o.exact_datetime(row, "issued_at"));
        let (arrived, completed) = (o.exact_datetime(row, "arrived_at"), o.datetime(row, "completed_at"));
        let arrival = match (start, arrived) {
            (Some(s), Some(a)) if (a - s).num_minutes() > i64::from(p.arrival_minutes) => Some(format!(
                "热水报修「{text}」：维修单 {no} 接收 {}，到场 {}，用时 {} 分钟，超过 {} 分钟（热水经营管理规程 3.1.1）",
                s.format("%Y-%m-%d %H:%M"),
                a.format("%H:%M"),
                (a - s).num_minutes(),
                p.arrival_minutes
            )),
            (Some(s), None) if completed.is_some() => Some(format!(
                "热水报修「{text}」：维修单 {no} 接收 {}，已完工但未填写到场时间，无法核对是否 {} 分钟内到场（热水经营管理规程 3.1.1）",
                s.format("%Y-%m-%d %H:%M"),
                p.arrival_minutes
            )),
            _ => None,
        };
        if let Some(why) = arrival {
            out.push(
                Finding::new(PROCEDURE, "3.1.1", "热水报修到场超时", State::Breach, why)
                    .register(o.id)
                    .row(row)
                    .room(room)
                    .owner(technicians.clone().or(Some("工程部".to_string()))),
            );
        }
        let Some(done) = completed.map(|c| c.date()) else { continue };
        let called = o.text(row, "follow_up").is_some_and(|t| !t.trim().is_empty())
            || o.text(row, "steward_signature").is_some()
            || desk_follow_up.get(&row).copied().unwrap_or(false);
        // The registers record whether a callback was made, not when: one on record counts as made that day.
        let Some(state) = deadline_state(done, called.then_some(done), ctx.as_of) else { continue };
        let why = format!(
            "热水维修单 {no}（「{text}」）{} 完工，应当日回访，至 {} 未记录回访（热水经营管理规程 3.1.2）",
            completed.map(|c| c.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default(),
            ctx.as_of
        );
        out.push(
            Finding::new(PROCEDURE, "3.1.2", "热水维修当日回访", state, why)
                .register(o.id)
                .row(row)
                .room(room)
                .due(done)
                .owner("亲情管家".to_string()),
        );
    }
}
