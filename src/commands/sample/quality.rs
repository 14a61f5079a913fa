//! Quality checks: the check register (10) — a daily spot check by the 品质管理员, a daily check
//! by each department's supervisor, a joint check every Friday with the 管理中心经理 — and a
//! 品质检查整改通知单 (11) for every failed item, with its rectification and re-check.
//!
//! Input: the [`Ctx`]. Output: records streamed into a [`Sink`]. Failure: only the sink's.

use chrono::{Datelike, NaiveDate, Weekday};

use crate::error::Error;
use crate::model::YearMonth;

use super::Ctx;
use super::estate::{Estate, shift};
use super::record::{Rec, Sink};
use super::rng::Rng;
use super::text::{CHECK_ITEMS, CheckItem};

/// Departments whose supervisors check their own areas daily.
const SUPERVISED: [&str; 4] = ["客服部", "保安部", "保洁部", "工程部"];

/// One check of one item.
struct Check {
    date: NaiveDate,
    kind: &'static str,
    inspector: String,
    item: &'static CheckItem,
    area: &'static str,
    fault: Option<&'static str>,
    seed: u64,
}

fn checks_of_day(estate: &Estate, day: NaiveDate, rng: &mut Rng) -> Vec<Check> {
    let mut out = Vec::new();
    let mut add = |rng: &mut Rng, kind: &'static str, inspector: String, item: &'static CheckItem, p: f64| {
        let fault = rng.chance(p).then(|| rng.text(item.faults));
        out.push(Check { date: day, kind, inspector, item, area: rng.text(item.areas), fault, seed: rng.next_u64() });
    };
    let qa = estate.first("品质管理员").to_string();
    for _ in 0..rng.range(1, 2) {
        if let Some(item) = rng.pick(CHECK_ITEMS) {
            add(rng, "品质管理员日检", qa.clone(), item, 0.08);
        }
    }
    for dept in SUPERVISED {
        let own: Vec<&'static CheckItem> = CHECK_ITEMS.iter().filter(|c| c.department == dept).collect();
        let item = rng.pick(&own).copied().or(CHECK_ITEMS.first());
        let inspector = if dept == "客服部" {
            estate.first("客服主管").to_string()
        } else {
            estate.others.head(dept).to_string()
        };
        if let Some(item) = item {
            add(rng, "部门主管日检", inspector, item, 0.05);
        }
    }
    if day.weekday() == Weekday::Fri {
        let joint = format!("{}、{}", qa, estate.first("管理中心经理"));
        for k in 0..4 {
            if let Some(item) = CHECK_ITEMS.get((day.ordinal() as usize + k * 2) % CHECK_ITEMS.len()) {
                add(rng, "周合成检查", joint.clone(), item, 0.15);
            }
        }
    }
    out
}

/// Every check of the window, in order; failed ones carry their notice number.
fn all_checks(ctx: &Ctx) -> Vec<(Check, Option<String>)> {
    let estate = ctx.estate;
    let mut out = Vec::new();
    let mut counter: Option<(YearMonth, u32)> = None;
    for (i, day) in estate.window.days().enumerate() {
        let mut rng = Rng::stream(estate.seed, "quality", i as u64);
        for c in checks_of_day(estate, day, &mut rng) {
            let no = c.fault.map(|_| {
                let month = YearMonth::of(day);
                let n = match counter {
                    Some((m, n)) if m == month => n + 1,
                    _ => 1,
                };
                counter = Some((month, n));
                format!("ZG{:02}{:02}-{n:03}", month.year % 100, month.month)
            });
            out.push((c, no));
        }
    }
    out
}

/// Rectification of a failed check: deadline, completion, re-check and result.
struct Rectify {
    by: NaiveDate,
    completed: Option<NaiveDate>,
    recheck: Option<NaiveDate>,
    ok: bool,
}

fn rectify(c: &Check, end: NaiveDate) -> Rectify {
    let mut rng = Rng::stream(c.seed, "rectify", 0);
    let by = shift(c.date, rng.range(1, 3));
    let ok = rng.chance(0.95);
    let completed = Some(shift(c.date, rng.range(0, (by - c.date).num_days()))).filter(|d| ok && *d <= end);
    let recheck = Some(by).filter(|d| *d <= end);
    Rectify { by, completed, recheck, ok }
}

/// 10 品质检查记录表: every check; rows of one day share a merged date cell.
pub fn checks(ctx: &Ctx, sink: &mut dyn Sink) -> Result<(), Error> {
    let qa = ctx.estate.first("品质管理员").to_string();
    for (c, no) in all_checks(ctx) {
        let mut rec = Rec::new();
        rec.date("check_date", c.date)
            .s("check_type", c.kind)
            .text("inspector", c.inspector.clone())
            .s("department", c.item.department)
            .s("area", c.area)
            .s("item", c.item.item)
            .s("findings", c.fault.unwrap_or(c.item.ok))
            .s("result", if c.fault.is_some() { "不合格" } else { "合格" });
        if let Some(no) = no {
            let r = rectify(&c, ctx.end());
            rec.text("notice_no", no).date("rectify_by", r.by);
            if let Some(d) = r.recheck {
                let rechecker = if c.kind == "周合成检查" { qa.clone() } else { c.inspector.clone() };
                rec.date("recheck_date", d)
                    .s("recheck_result", if r.ok { "已整改" } else { "未整改" })
                    .text("rechecker", rechecker);
            }
        }
        sink.row(rec)?;
    }
    Ok(())
}

/// 11 品质检查整改通知单: one per failed check.
pub fn notices(ctx: &Ctx, sink: &mut dyn Sink) -> Result<(), Error> {
    let estate = ctx.estate;
    let qa = estate.first("品质管理员").to_string();
    for (c, no) in all_checks(ctx) {
        let (Some(no), Some(fault)) = (no, c.fault) else { continue };
        let r = rectify(&c, ctx.end());
        let receiver = if c.item.department == "客服部" {
            estate.first("客服主管").to_string()
        } else {
            estate.others.head(c.item.department).to_string()
        };
        let mut rec = Rec::new();
        rec.text("notice_no", no)
            .s("department", c.item.department)
            .date("check_date", c.date)
            .text("inspector", c.inspector.clone())
            .s("check_type", c.kind)
            .s("area", c.area)
            .s("item", c.item.item)
            .s("problems", fault)
            .s("requirement", c.item.requirement)
            .date("issued_on", c.date)
            .date("rectify_by", r.by)
            .text("issuer_signature", qa.clone())
            .text("receiver_signature", receiver);
        if let Some(done) = r.completed {
            rec.s("rectify_result", "已按要求整改完毕").date("completed_on", done);
        }
        if let Some(d) = r.recheck {
            rec.date("recheck_date", d)
                .s("recheck_result", if r.ok { "已整改" } else { "未整改" })
                .s("recheck_opinion", if r.ok { "整改到位" } else { "未按期整改，责令继续整改" })
                .text("rechecker_signature", qa.clone());
        }
        sink.row(rec)?;
    }
    Ok(())
}
