//! Office registers: archive borrowing (04), the internal document register (06, kept as YAML)
//! and the seal register (22, YAML), on working days only.
//!
//! Input: the [`Ctx`]. Output: records streamed into a [`Sink`]. Failure: only the sink's.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, Weekday};

use crate::error::Error;

use super::Ctx;
use super::estate::{Estate, shift};
use super::record::{Rec, Sink, V};
use super::rng::Rng;
use super::text::{BORROWINGS, DISTRIBUTIONS, DOCUMENTS, SEAL_USES};

fn workday(d: NaiveDate) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Working days of the window, each with its own random stream under `tag`.
fn workdays<'a>(estate: &'a Estate, tag: &'a str) -> impl Iterator<Item = (NaiveDate, Rng)> + 'a {
    estate
        .window
        .days()
        .enumerate()
        .filter(|(_, d)| workday(*d))
        .map(move |(i, d)| (d, Rng::stream(estate.seed, tag, i as u64)))
}

/// A worker of `department` (a staff member for 客服部).
fn member(estate: &Estate, rng: &mut Rng, department: &str) -> String {
    if department == "客服部" {
        estate.any(rng, "亲情管家").name.clone()
    } else {
        rng.pick(&estate.others.workers).map(|w| w.0.clone()).unwrap_or_default()
    }
}

/// 04 档案借阅登记表: owners' files consulted, copied or lent, and internal documents.
pub fn borrowings(ctx: &Ctx, sink: &mut dyn Sink) -> Result<(), Error> {
    let estate = ctx.estate;
    let keeper = estate.first("档案管理员").to_string();
    let filed: Vec<usize> =
        estate.homes.iter().enumerate().filter(|(_, h)| h.handover.is_some()).map(|(i, _)| i).collect();
    for (day, mut rng) in workdays(estate, "borrow") {
        for _ in 0..rng.poisson(0.6 + estate.homes.len() as f64 / 20_000.0) {
            let (dept, content, reason, mode, renovation) = *rng.pick(BORROWINGS).unwrap_or(&BORROWINGS[0]);
            let mut rec = Rec::new();
            let home =
                rng.pick(&filed).and_then(|&i| estate.homes.get(i)).filter(|h| h.handover.is_some_and(|x| x < day));
            match home {
                Some(h) if !rng.chance(0.1) => {
                    rec.put("room", V::Room(h.room)).s("content", content).s("reason", reason);
                }
                _ => {
                    rec.text("file_no", format!("NY-{:04}", rng.range(1, 300)))
                        .s("content", "内业资料（会议纪要）")
                        .s("reason", "查阅往期会议纪要");
                }
            }
            rec.date("borrowed_on", day)
                .s("department", dept)
                .s("mode", mode)
                .text("borrower_signature", member(estate, &mut rng, dept));
            if dept != "客服部" && !(renovation && rng.chance(0.5)) {
                rec.text("head_signature", head(estate, dept));
            }
            if renovation {
                rec.flag("renovation_agreement", true);
            }
            let back = if mode == "借出" {
                let due = shift(day, rng.range(1, 3));
                rec.date("due_on", due);
                shift(day, rng.range(0, 4))
            } else {
                day
            };
            if back <= ctx.end() {
                rec.date("returned_on", back).text("keeper_signature", keeper.clone());
            }
            sink.row(rec)?;
        }
    }
    Ok(())
}

fn head(estate: &Estate, department: &str) -> String {
    if department == "客服部" {
        estate.first("客服主管").to_string()
    } else {
        estate.others.head(department).to_string()
    }
}

/// 06 内业资料存档记录: documents received and issued, each filed with a unique number.
pub fn documents(ctx: &Ctx, sink: &mut dyn Sink) -> Result<(), Error> {
    let estate = ctx.estate;
    let clerk = estate.first("客服内勤").to_string();
    let mut numbers: BTreeMap<(&str, i32), u32> = BTreeMap::new();
    for (day, mut rng) in workdays(estate, "documents") {
        for _ in 0..rng.poisson(0.8) {
            let (category, issuer, title, prefix) = *rng.pick(DOCUMENTS).unwrap_or(&DOCUMENTS[0]);
            let issued = shift(day, -rng.range(0, 5));
            let n = numbers.entry((prefix, issued.year())).or_insert(0);
            *n += 1;
            let building = rng.range(1, estate.buildings.len().max(1) as i64);
            let title = title.replace("{m}", &issued.month().to_string()).replace("{b}", &building.to_string());
            let mut rec = Rec::new();
            rec.date("filed_on", day)
                .text("doc_no", format!("{prefix}〔{}〕{}号", issued.year(), n))
                .text("doc_title", title)
                .s("category", category)
                .s("issuer", issuer)
                .date("issued_on", issued)
                .int("copies", rng.range(1, 3))
                .int("pages", rng.range(1, 12))
                .text("location", format!("{}柜{}盒", ["A", "B", "C"][rng.index(3)], rng.range(1, 20)))
                .s("distribution", rng.text(DISTRIBUTIONS))
                .text("handler", clerk.clone());
            sink.row(rec)?;
        }
    }
    Ok(())
}

/// 22 印章使用登记表: each use of a seal, approved by the centre manager.
pub fn seals(ctx: &Ctx, sink: &mut dyn Sink) -> Result<(), Error> {
    let estate = ctx.estate;
    let clerk = estate.first("客服内勤").to_string();
    let supervisor = estate.first("客服主管").to_string();
    let manager = estate.first("管理中心经理").to_string();
    for (day, mut rng) in workdays(estate, "seals") {
        for _ in 0..rng.poisson(1.0 + estate.homes.len() as f64 / 10_000.0) {
            let (dept, document, purpose, seal) = *rng.pick(SEAL_USES).unwrap_or(&SEAL_USES[0]);
            let taken_out = rng.chance(0.02);
            let mut rec = Rec::new();
            rec.date("use_date", day)
                .s("department", dept)
                .text("applicant", member(estate, &mut rng, dept))
                .s("document", document)
                .int("document_count", rng.range(1, 3))
                .s("seal_type", seal)
                .s("use_purpose", purpose)
                .flag("application_attached", !rng.chance(0.05))
                .flag("taken_out", taken_out)
                .text("dept_head", head(estate, dept))
                .text("supervisor", supervisor.clone())
                .text("manager", manager.clone())
                .text("sealed_by", clerk.clone())
                .flag("original_kept", true);
            if taken_out {
                rec.s("remarks", "经管理中心经理批准携出，当日归还");
            }
            sink.row(rec)?;
        }
    }
    Ok(())
}
