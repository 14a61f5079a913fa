//! Key registers after handover: loans and issues (24) — A keys left with 地产客服部 for repairs
//! found at inspection, cleaning and repairs of vacant rooms, viewings of rooms let through the
//! agency, equipment-room keys — a few of them overdue and not yet returned; key copies (25)
//! and lost keys (26).
//!
//! Input: the [`Ctx`]. Output: records streamed into a [`Sink`]. Failure: only the sink's.

use chrono::{Duration, NaiveDate, NaiveDateTime};

use crate::error::Error;

use super::Ctx;
use super::estate::{Status, at, shift};
use super::movein::{inspection, key_no};
use super::record::{Rec, Sink, V};
use super::rng::Rng;
use super::text::{EQUIPMENT_ROOMS, KEY_COPY_REASONS, KEY_LOANS, KEY_LOSSES};

/// One loan of keys.
struct Loan {
    at: NaiveDateTime,
    key_no: String,
    location: String,
    reason: &'static str,
    department: &'static str,
    borrower: (String, u64),
    days: i64,
    /// Never returned although due (an overdue loan).
    overdue: bool,
    seed: u64,
}

fn inspection_loans(ctx: &Ctx, out: &mut Vec<Loan>) {
    let estate = ctx.estate;
    for home in &estate.homes {
        let Some(x) = inspection(estate, home) else { continue };
        let Some(day) = x.handed_over else { continue };
        let mut rng = Rng::stream(home.seed, "aloan", 0);
        let borrower = rng.pick(&estate.others.developer).cloned().unwrap_or_default();
        out.push(Loan {
            at: at(day, rng.range(10, 16) as u32, rng.range(0, 59) as u32),
            key_no: key_no(home),
            location: home.room.to_string(),
            reason: "验房返修",
            department: "地产客服部",
            borrower,
            days: 7,
            overdue: rng.chance(0.04),
            seed: rng.next_u64(),
        });
    }
}

fn viewing_loans(ctx: &Ctx, out: &mut Vec<Loan>) {
    for r in &ctx.rentals {
        let (Some(day), Some(home)) = (r.viewed, ctx.estate.homes.get(r.home as usize)) else { continue };
        let mut rng = Rng::stream(r.seed, "viewloan", 0);
        let agent = ctx.estate.staff.iter().find(|s| s.name == r.agent).map(|s| (s.name.clone(), s.phone));
        out.push(Loan {
            at: at(day, rng.range(9, 17) as u32, 0),
            key_no: key_no(home),
            location: home.room.to_string(),
            reason: "客人看房",
            department: "客服部",
            borrower: agent.unwrap_or_default(),
            days: 0,
            overdue: false,
            seed: rng.next_u64(),
        });
    }
}

fn routine_loans(ctx: &Ctx, out: &mut Vec<Loan>) {
    let estate = ctx.estate;
    let vacant: Vec<usize> = estate
        .homes
        .iter()
        .enumerate()
        .filter(|(_, h)| h.status == Status::Vacant && h.handover.is_some())
        .map(|(i, _)| i)
        .collect();
    for (i, day) in estate.window.days().enumerate() {
        let mut rng = Rng::stream(estate.seed, "loans", i as u64);
        for _ in 0..rng.poisson(0.5 + vacant.len() as f64 / 300.0) {
            let (reason, department) = *rng.pick(KEY_LOANS).unwrap_or(&KEY_LOANS[0]);
            let target =
                if reason == "部门领用" { None } else { rng.pick(&vacant).and_then(|&h| estate.homes.get(h)) };
            let (key, location) = match target {
                Some(h) if h.handover.is_some_and(|x| x < day) => (key_no(h), h.room.to_string()),
                Some(_) => continue,
                None => {
                    let b = rng.range(1, estate.buildings.len().max(1) as i64);
                    let k = rng.index(EQUIPMENT_ROOMS.len());
                    (
                        format!("S{b}-{}", k + 1),
                        format!("{b}号楼{}", EQUIPMENT_ROOMS.get(k).copied().unwrap_or("水泵房")),
                    )
                }
            };
            let borrower = if department == "地产工程部" {
                (
                    rng.pick(&estate.others.developer_engineers).cloned().unwrap_or_default(),
                    super::people::phone(&mut rng),
                )
            } else {
                rng.pick(&estate.others.workers).cloned().unwrap_or_default()
            };
            out.push(Loan {
                at: at(day, rng.range(8, 16) as u32, rng.range(0, 59) as u32),
                key_no: key,
                location,
                reason,
                department,
                borrower,
                days: if reason == "空置房施工" { 3 } else { 0 },
                overdue: reason == "空置房施工" && rng.chance(0.05),
                seed: rng.next_u64(),
            });
        }
    }
}

/// 24 钥匙借用/领用登记表.
pub fn loans(ctx: &Ctx, sink: &mut dyn Sink) -> Result<(), Error> {
    let estate = ctx.estate;
    let mut list = Vec::new();
    inspection_loans(ctx, &mut list);
    viewing_loans(ctx, &mut list);
    routine_loans(ctx, &mut list);
    list.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.key_no.cmp(&b.key_no)));
    let keeper = estate.first("钥匙管理").to_string();
    let approver = estate.first("客服主管").to_string();
    for loan in list {
        let mut rng = Rng::stream(loan.seed, "loanrow", 0);
        let due: NaiveDate = shift(loan.at.date(), loan.days);
        let mut rec = Rec::new();
        rec.dt("lent_at", loan.at)
            .text("key_no", loan.key_no)
            .text("location", loan.location)
            .int("quantity", 1)
            .s("reason", loan.reason)
            .s("department", loan.department)
            .text("borrower", loan.borrower.0)
            .put("phone", V::Phone(loan.borrower.1))
            .flag("iou", true)
            .text("approver", approver.clone())
            .date("due_on", due)
            .text("lent_by", keeper.clone());
        let back = if loan.days == 0 {
            loan.at + Duration::minutes(rng.range(30, 240))
        } else {
            at(shift(due, -rng.range(0, loan.days.min(3))), rng.range(9, 17) as u32, 0)
        };
        let returned = !loan.overdue && back.date() <= ctx.end();
        if returned && back > loan.at {
            rec.dt("returned_at", back).text("received_by", keeper.clone()).flag("iou_returned", true);
        }
        sink.row(rec)?;
    }
    Ok(())
}

/// 25 钥匙配置记录表: copies approved by the centre manager.
pub fn copies(ctx: &Ctx, sink: &mut dyn Sink) -> Result<(), Error> {
    let estate = ctx.estate;
    let manager = estate.first("管理中心经理").to_string();
    let keeper = estate.first("钥匙管理").to_string();
    let clerk = estate.first("客服内勤").to_string();
    for (i, day) in estate.window.days().enumerate() {
        let mut rng = Rng::stream(estate.seed, "keycopy", i as u64);
        for _ in 0..rng.poisson(0.07 + estate.buildings.len() as f64 / 2_000.0) {
            let b = rng.range(1, estate.buildings.len().max(1) as i64);
            let k = rng.index(EQUIPMENT_ROOMS.len());
            let quantity = rng.range(1, 3);
            let department = ["工程部", "保洁部", "保安部"][rng.index(3)];
            let mut rec = Rec::new();
            rec.date("made_on", day)
                .text("key_no", format!("S{b}-{}", k + 1))
                .text("location", format!("{b}号楼{}", EQUIPMENT_ROOMS.get(k).copied().unwrap_or("水泵房")))
                .int("quantity", quantity)
                .s("reason", rng.text(KEY_COPY_REASONS))
                .flag("special", false)
                .s("department", department)
                .text("applicant", estate.others.head(department).to_string())
                .text("approver", manager.clone())
                .text("made_by", keeper.clone())
                .put("cost", V::Money(quantity * rng.range(5, 15) * 100))
                .text("checked_by", clerk.clone());
            sink.row(rec)?;
        }
    }
    Ok(())
}

/// 26 钥匙丢失记录表: lost keys, the remedy and how access was restored.
pub fn losses(ctx: &Ctx, sink: &mut dyn Sink) -> Result<(), Error> {
    let estate = ctx.estate;
    let supervisor = estate.first("客服主管").to_string();
    let clerk = estate.first("客服内勤").to_string();
    for (i, day) in estate.window.days().enumerate() {
        let mut rng = Rng::stream(estate.seed, "keyloss", i as u64);
        for _ in 0..rng.poisson(0.03 + estate.buildings.len() as f64 / 5_000.0) {
            let b = rng.range(1, estate.buildings.len().max(1) as i64);
            let k = rng.index(EQUIPMENT_ROOMS.len());
            let (cause, remedy) = *rng.pick(KEY_LOSSES).unwrap_or(&KEY_LOSSES[0]);
            let (worker, _) = rng.pick(&estate.others.workers).cloned().unwrap_or_default();
            let reported = shift(day, rng.range(0, 2)).min(ctx.end());
            let restored = shift(reported, rng.range(1, 7));
            let mut rec = Rec::new();
            rec.date("lost_on", day)
                .date("reported_on", reported)
                .text("key_no", format!("S{b}-{}", k + 1))
                .text("location", format!("{b}号楼{}", EQUIPMENT_ROOMS.get(k).copied().unwrap_or("水泵房")))
                .int("quantity", 1)
                .s("cause", cause)
                .text("responsible", worker.clone())
                .text("reported_by", worker)
                .s("remedy", remedy)
                .text("approver", supervisor.clone())
                .text("clerk", clerk.clone());
            if restored <= ctx.end() {
                let how = if remedy.contains("换") {
                    "换锁"
                } else if remedy.contains("找回") {
                    "找回"
                } else {
                    "配置"
                };
                rec.s("restoration", how).date("restored_on", restored);
            } else {
                rec.s("restoration", "未恢复");
            }
            sink.row(rec)?;
        }
    }
    Ok(())
}
