//! Community activities (31, kept as YAML): about two a month, from the season's programme
//! (元宵猜灯谜, 端午包粽子, 消夏纳凉晚会, 冬至包饺子 …), held at weekends, announced a week
//! ahead, recorded with their preparation, safety measures, summary and the evidence kept.
//!
//! Input: the [`Ctx`]. Output: records streamed into a [`Sink`]. Failure: only the sink's.

use chrono::{Datelike, NaiveDate, Weekday};

use crate::error::Error;

use super::Ctx;
use super::estate::{at, shift};
use super::record::{Rec, Sink, V};
use super::rng::Rng;
use super::text::{ACTIVITIES, EVIDENCE, HELPERS, SAFETY, SUMMARIES};

/// 31 社区文化活动记录表.
pub fn activities(ctx: &Ctx, sink: &mut dyn Sink) -> Result<(), Error> {
    let estate = ctx.estate;
    let items = ctx.items(31, "evidence");
    for (mi, &month) in estate.window.months.iter().enumerate() {
        let mut rng = Rng::stream(estate.seed, "activities", mi as u64);
        let weekends: Vec<NaiveDate> =
            estate.window.days_of(month).filter(|d| matches!(d.weekday(), Weekday::Sat | Weekday::Sun)).collect();
        let programme = ACTIVITIES.get(month.month as usize - 1).copied().unwrap_or(&[]);
        // Each activity of the programme on its own weekend day.
        let mut free = weekends;
        let mut days: Vec<(NaiveDate, usize)> = Vec::new();
        for k in 0..programme.len() {
            if free.is_empty() {
                break;
            }
            days.push((free.swap_remove(rng.index(free.len())), k));
        }
        days.sort();
        for (day, k) in days {
            if let Some(&activity) = programme.get(k) {
                sink.row(activity_record(ctx, activity, k == 0, day, &items, &mut rng))?;
            }
        }
    }
    Ok(())
}

/// The record of one activity held on `day`; the month's first is the larger one (较大型).
fn activity_record(
    ctx: &Ctx,
    (name, venue, content): (&'static str, &'static str, &'static str),
    major: bool,
    day: NaiveDate,
    items: &[String],
    rng: &mut Rng,
) -> Rec {
    let estate = ctx.estate;
    let organizer = estate.first("社区文化专员").to_string();
    let manager = estate.first("管理中心经理").to_string();
    let start = [9, 10, 14, 15, 18][rng.index(5)];
    let hours = rng.range(2, 3) as u32;
    let evidence: Vec<String> = EVIDENCE
        .iter()
        .filter(|(item, _)| items.iter().any(|i| i == item))
        .filter(|_| rng.chance(0.7))
        .map(|(item, note)| format!("{item}：{note}"))
        .collect();
    let mut rec = Rec::new();
    rec.s("name", name)
        .s("category", if major { "较大型" } else { "常设性" })
        .date("held_on", day)
        .put("starts_at", V::Time(at(day, start, 0).time()))
        .put("ends_at", V::Time(at(day, start + hours, 0).time()))
        .s("venue", venue)
        .text("organizer", organizer.clone())
        .int("participants", rng.range(30, 80) + (estate.homes.len() as i64 / 200).min(400))
        .s("departments", rng.text(HELPERS))
        .flag("plan_approved", true)
        .text("approved_by", manager.clone())
        .flag("scheme_made", true)
        .date("notice_sent_on", shift(day, -rng.range(5, 10)))
        .s("content", content)
        .s("safety", rng.text(SAFETY))
        .flag("incident", false)
        .flag("site_cleared", true)
        .s("summary", rng.text(SUMMARIES))
        .text("recorder", organizer)
        .text("manager", manager);
    if !evidence.is_empty() {
        rec.text("evidence", evidence.join("；"));
    }
    rec
}
