//! Steward visits: the monthly plans (07) — every week about 10 % of the occupied households,
//! at weekends or in the evening, by phone for at most one in ten — the visit records (08) and
//! the written replies to questions that could not be answered on the spot (09), sent within
//! three days of the supervisor's review.
//!
//! Input: the [`Ctx`]. Output: records streamed into a [`Sink`]. Failure: only the sink's.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Weekday};

use crate::error::Error;
use crate::model::YearMonth;

use super::Ctx;
use super::estate::{Estate, at, shift};
use super::record::{Rec, Sink, V};
use super::rng::Rng;
use super::text::{
    FESTIVALS, VISIT_ANSWERS, VISIT_HANDLINGS, VISIT_ITEMS, VISIT_NEEDS, VISIT_OTHER, VISIT_REMARKS, VISIT_REPLIES,
};

/// Share of occupied households visited each week (3.1.3).
const WEEKLY_SHARE: f64 = 0.10;

/// One planned visit.
#[derive(Debug, Clone)]
pub struct Visit {
    /// Index of the household visited.
    pub home: u32,
    /// Index of the plan's month in the window.
    pub month: u8,
    /// Week of the month, from 1.
    pub week: u8,
    /// Planned day and time.
    pub planned: NaiveDateTime,
    /// A phone visit (else 登门).
    pub phone: bool,
    /// Why then (走访事由).
    pub occasion: &'static str,
    /// When the visit took place (None: not visited).
    pub actual: Option<NaiveDate>,
    /// Moved to another day.
    pub rescheduled: bool,
    /// Seed of what the visit found.
    pub seed: u64,
}

/// A month's plan: the day it was made, occupied households then, and the weekly quota.
pub struct Plan {
    /// The month planned.
    pub month: YearMonth,
    /// Day the plan was made.
    pub planned_on: NaiveDate,
    /// Households occupied that day (indices into the estate).
    pub occupied: Vec<u32>,
    /// Households to visit each week.
    pub quota: usize,
}

/// The plan of `month`: made on its first working day, 10 % of the occupied households a week.
pub fn plan(estate: &Estate, month: YearMonth) -> Plan {
    let mut day = month.first_day();
    while matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
        day = shift(day, 1);
    }
    let occupied: Vec<u32> =
        estate.homes.iter().enumerate().filter(|(_, h)| h.occupied_on(day)).map(|(i, _)| i as u32).collect();
    let quota = (occupied.len() as f64 * WEEKLY_SHARE).ceil() as usize;
    Plan { month, planned_on: day, occupied, quota }
}

/// The weeks (Monday to Sunday) of a plan: the days of each from the plan day to the month's end.
fn weeks(plan: &Plan, end: NaiveDate) -> Vec<Vec<NaiveDate>> {
    let last = plan.month.last_day().min(end);
    let mut out: Vec<Vec<NaiveDate>> = Vec::new();
    let mut day = plan.planned_on;
    while day <= last {
        if out.is_empty() || day.weekday() == Weekday::Mon {
            out.push(Vec::new());
        }
        if let Some(w) = out.last_mut() {
            w.push(day);
        }
        day = shift(day, 1);
    }
    out
}

/// Every planned visit of the window, in plan order.
pub fn events(ctx: &Ctx) -> Vec<Visit> {
    let estate = ctx.estate;
    let mut out = Vec::new();
    for (mi, &month) in estate.window.months.iter().enumerate() {
        let plan = plan(estate, month);
        let mut rng = Rng::stream(estate.seed, "visits", mi as u64);
        for (wi, days) in weeks(&plan, ctx.end()).iter().enumerate() {
            let mut week = Vec::new();
            // Selection sampling: exactly `quota` households, each equally likely.
            let (mut need, mut left) = (plan.quota.min(plan.occupied.len()), plan.occupied.len());
            for &home in &plan.occupied {
                if need > 0 && rng.below(left as u64) < need as u64 {
                    week.push(visit(estate, &mut rng, home, days, mi, wi));
                    need -= 1;
                }
                left -= 1;
            }
            week.sort_by_key(|v| (v.planned, v.home));
            out.extend(week);
        }
    }
    out
}

fn visit(estate: &Estate, rng: &mut Rng, home: u32, days: &[NaiveDate], month: usize, week: usize) -> Visit {
    let weekend: Vec<NaiveDate> =
        days.iter().copied().filter(|d| matches!(d.weekday(), Weekday::Sat | Weekday::Sun)).collect();
    let day = match rng.pick(&weekend) {
        Some(d) if rng.chance(0.7) => *d,
        _ => rng.pick(days).copied().unwrap_or(estate.window.end),
    };
    let weekend_day = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
    let (h, m) = if weekend_day {
        [(9, 30), (10, 0), (10, 30), (14, 30), (15, 0), (15, 30), (16, 0)][rng.index(7)]
    } else {
        [(18, 30), (19, 0), (19, 30)][rng.index(3)]
    };
    let occasion = occasion(estate, rng, home, day, days);
    let r = rng.unit();
    let (actual, rescheduled) = if r < 0.92 {
        (Some(day), false)
    } else if r < 0.97 {
        (Some(shift(day, rng.range(1, 6))).filter(|d| *d <= estate.window.end), true)
    } else {
        (None, false)
    };
    Visit {
        home,
        month: month as u8,
        week: week as u8 + 1,
        planned: at(day, h, m),
        phone: rng.chance(0.06),
        occasion,
        actual,
        rescheduled,
        seed: rng.next_u64(),
    }
}

fn occasion(estate: &Estate, rng: &mut Rng, home: u32, day: NaiveDate, week: &[NaiveDate]) -> &'static str {
    let birthday = estate.homes.get(home as usize).map(|h| (h.owner.birth.month(), h.owner.birth.day()));
    if week.iter().any(|d| Some((d.month(), d.day())) == birthday) {
        return "生日所在周";
    }
    let festival = (1..=7).map(|k| shift(day, k)).any(|d| FESTIVALS.iter().any(|f| (f.0, f.1) == (d.month(), d.day())));
    if festival {
        return "节日前夕";
    }
    match rng.index(100) {
        0..=4 => "遗留问题",
        5..=6 => "业主要求",
        _ => "例行抽样",
    }
}

/// 07 业主走访工作计划: one row per planned visit, with the month's plan data on every row.
pub fn plans(ctx: &Ctx, sink: &mut dyn Sink) -> Result<(), Error> {
    let estate = ctx.estate;
    let supervisor = estate.first("客服主管").to_string();
    let mut current: Option<(u8, Plan)> = None;
    for v in &ctx.visits {
        if current.as_ref().is_none_or(|(m, _)| *m != v.month) {
            let Some(&month) = estate.window.months.get(usize::from(v.month)) else { continue };
            current = Some((v.month, plan(estate, month)));
        }
        let Some((_, p)) = &current else { continue };
        let Some(home) = estate.homes.get(v.home as usize) else { continue };
        let steward = estate.steward(home.building).name.clone();
        let mut rec = Rec::new();
        rec.put("month", V::Month(p.month))
            .int("occupied_households", p.occupied.len() as i64)
            .int("weekly_quota", p.quota as i64)
            .text("planner", steward.clone())
            .date("planned_on", p.planned_on)
            .text("approver_signature", supervisor.clone())
            .int("week", i64::from(v.week))
            .date("visit_date", v.planned.date())
            .put("visit_time", V::Time(v.planned.time()))
            .put("room", V::Room(home.room))
            .text("owner", home.owner.name.clone())
            .put("phone", V::Phone(home.owner.phone))
            .s("mode", if v.phone { "电话" } else { "登门" })
            .s("occasion", v.occasion)
            .flag("appointed", true)
            .text("visitor", steward);
        match (v.actual, v.rescheduled) {
            (Some(_), false) => rec.s("status", "已走访"),
            (Some(d), true) => {
                rec.s("status", "改期").text("remarks", format!("业主有事，改至{}月{}日", d.month(), d.day()))
            }
            (None, true) => rec.s("status", "改期").s("remarks", "业主外出，下月补访"),
            (None, false) => rec.s("status", "未走访").s("remarks", "业主不在家"),
        };
        sink.row(rec)?;
    }
    Ok(())
}

/// What a visit record says, shared by 08 and 09.
struct Finding {
    evaluation: String,
    complaint: Option<&'static str>,
    needs: Option<&'static str>,
    written_reply: bool,
    summarized: NaiveDate,
}

fn finding(estate: &Estate, v: &Visit, day: NaiveDate, items: &[String]) -> Finding {
    let mut rng = Rng::stream(v.seed, "finding", 0);
    let mut parts = Vec::new();
    let mut complaint = None;
    for (i, item) in items.iter().enumerate() {
        let remarks = VISIT_REMARKS.get(i).copied().unwrap_or(&[]);
        let r = rng.unit();
        if r < 0.80 || remarks.is_empty() {
            parts.push(format!("{item}：满意"));
        } else {
            let grade = if r < 0.95 { "基本满意" } else { "不满意" };
            let remark = rng.text(remarks);
            if grade == "不满意" {
                complaint = Some(remark);
            }
            parts.push(format!("{item}：{grade}，{remark}"));
        }
    }
    let needs = rng.chance(0.4).then(|| rng.text(VISIT_NEEDS));
    let written_reply = (needs.is_some() || complaint.is_some()) && rng.chance(0.2);
    let next = shift(day, 1);
    let summarized = if rng.chance(0.5) && next <= estate.window.end { next } else { day };
    Finding { evaluation: parts.join("；"), complaint, needs, written_reply, summarized }
}

/// 08 业主走访记录: one record per visit that took place.
pub fn records(ctx: &Ctx, sink: &mut dyn Sink) -> Result<(), Error> {
    let estate = ctx.estate;
    let items = evaluation_items(ctx);
    let supervisor = estate.first("客服主管").to_string();
    let mut done: Vec<(NaiveDate, &Visit)> = ctx.visits.iter().filter_map(|v| v.actual.map(|d| (d, v))).collect();
    done.sort_by_key(|(d, v)| (*d, v.planned, v.home));
    for (day, v) in done {
        let f = finding(estate, v, day, &items);
        if let Some(rec) = record(estate, v, day, f, &supervisor) {
            sink.row(rec)?;
        }
    }
    Ok(())
}

/// The nature of what a visit raised (问题性质).
fn issue_kind(f: &Finding) -> &'static str {
    match (f.complaint.is_some(), f.written_reply, f.needs.is_some()) {
        (_, true, _) => "疑难问题",
        (true, false, _) => "个别问题",
        (false, false, true) => "共性问题",
        _ => "无问题",
    }
}

/// The 走访记录 of visit `v` held on `day`.
fn record(estate: &Estate, v: &Visit, day: NaiveDate, f: Finding, supervisor: &str) -> Option<Rec> {
    let home = estate.homes.get(v.home as usize)?;
    let mut rng = Rng::stream(v.seed, "record", 0);
    let person = home.resident_on(day);
    let start = if v.rescheduled { at(day, 19, 0) } else { v.planned };
    let minutes = if v.phone { rng.range(10, 20) } else { rng.range(15, 30) };
    let steward = estate.steward(home.building).name.clone();
    let issue = issue_kind(&f);
    let mut rec = Rec::new();
    rec.put("room", V::Room(home.room))
        .text("interviewee", person.name.clone())
        .put("phone", V::Phone(person.phone))
        .date("visit_date", day)
        .put("started_at", V::Time(start.time()))
        .put("ended_at", V::Time(start.time() + Duration::minutes(minutes)))
        .s("mode", if v.phone { "电话" } else { "登门" })
        .text("visitor", steward.clone())
        .s("occasion", v.occasion)
        .text("evaluation", f.evaluation)
        .opt("needs", f.needs.map(V::Str))
        .flag("needs_written_reply", f.written_reply)
        .date("summarized_on", f.summarized)
        .s("issue_kind", issue)
        .text("visitor_signature", steward)
        .text("supervisor_signature", supervisor);
    if v.phone {
        rec.flag("phone_approved", true);
    } else {
        rec.text("interviewee_signature", person.name.clone());
    }
    if rng.chance(0.2) {
        rec.s("other_suggestions", rng.text(VISIT_OTHER));
    }
    if f.needs.is_some() || f.complaint.is_some() {
        rec.s("onsite_answer", rng.text(VISIT_ANSWERS))
            .s("handling", rng.text(VISIT_HANDLINGS))
            .flag("reported_to_company", issue == "疑难问题" || issue == "共性问题")
            .flag("morning_meeting", true);
    }
    Some(rec)
}

fn evaluation_items(ctx: &Ctx) -> Vec<String> {
    let items = ctx.items(8, "evaluation");
    if items.is_empty() { VISIT_ITEMS.iter().map(|s| s.to_string()).collect() } else { items }
}

/// 09 走访意见反馈书: written replies within three days of the review.
pub fn replies(ctx: &Ctx, sink: &mut dyn Sink) -> Result<(), Error> {
    let estate = ctx.estate;
    let items = evaluation_items(ctx);
    let supervisor = estate.first("客服主管").to_string();
    let mut list: Vec<(NaiveDate, &Visit, Finding)> = Vec::new();
    for v in &ctx.visits {
        let Some(day) = v.actual else { continue };
        let f = finding(estate, v, day, &items);
        if !f.written_reply {
            continue;
        }
        let mut rng = Rng::stream(v.seed, "reply", 0);
        let replied = shift(f.summarized, rng.range(1, 3));
        if replied <= ctx.end() {
            list.push((replied, v, f));
        }
    }
    list.sort_by_key(|(d, v, _)| (*d, v.home));
    for (replied, v, f) in list {
        let Some(home) = estate.homes.get(v.home as usize) else { continue };
        let Some(day) = v.actual else { continue };
        let mut rng = Rng::stream(v.seed, "replyrow", 0);
        let steward = estate.steward(home.building);
        let mut rec = Rec::new();
        rec.put("room", V::Room(home.room))
            .text("owner", home.owner.name.clone())
            .date("visit_date", day)
            .s("opinion", f.needs.or(f.complaint).unwrap_or("其他问题"))
            .date("replied_on", replied)
            .s("reply", rng.text(VISIT_REPLIES))
            .text("contact", steward.name.clone())
            .put("phone", V::Phone(steward.phone))
            .text("supervisor_signature", supervisor.clone());
        if rng.chance(0.6) {
            rec.put("receipt_room", V::Room(home.room))
                .s("satisfaction", ["满意", "满意", "基本满意", "不满意"][rng.index(4)])
                .text("owner_signature", home.owner.name.clone());
            if rng.chance(0.3) {
                rec.s("owner_comment", "希望尽快落实");
            }
        }
        sink.row(rec)?;
    }
    Ok(())
}
