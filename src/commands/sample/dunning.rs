//! The dunning record (催缴记录): what the department did about each room in arrears before the
//! run date, as the ladder of 物业收费及催缴管理规程 二 prescribes.
//!
//! Input: the [`Ctx`] (fee periods of every home, the calendar, the staff). Output: records in date
//! order. Each case starts at its first unpaid period's due date and climbs the ladder: a step is
//! taken on its due date or a few days later, in some cases weeks later, and some cases stalled at
//! one step (their overdue letter is printed on the run date); half the letters that fell due in the week before
//! the run date are still waiting for it (those are the letters `kefu dunning` prints); some owners
//! raise a quality objection that pauses the ladder (二.2); one 律师函 goes out early, which the
//! deadline list reports. Periods that were paid late got an 询问 before they were paid. Letters are
//! delivered by hand (签收人), by EMS (单号) or, rarely, posted on the door. Failure: the sink's.

use chrono::{Duration, NaiveDate};

use crate::error::Error;
use crate::model::YearMonth;
use crate::rules::dunning::{self as ladder, OBJECTION, Params, Step, period_text};

use super::Ctx;
use super::estate::Home;
use super::fees::{self, Period};
use super::record::{Rec, Sink, V};
use super::rng::Rng;
use super::text::{ARREARS_REASONS, COURT_CODE, NO_ANSWER, OBJECTIONS, VACANT_REASONS};

/// One row before sorting.
struct Row {
    on: NaiveDate,
    rec: Rec,
}

/// The dunning records of every home, oldest first.
pub fn records(ctx: &Ctx, sink: &mut dyn Sink) -> Result<(), Error> {
    let p = Params::default();
    let mut rows: Vec<Row> = Vec::new();
    let mut early_lawyer = false;
    let mut filings = 0u32;
    for home in &ctx.estate.homes {
        let periods = fees::periods(ctx, home);
        let mut rng = Rng::stream(home.seed, "dunning", 0);
        late_payers(ctx, &p, home, &periods, &mut rng, &mut rows);
        case(ctx, &p, home, &periods, &mut rng, &mut early_lawyer, &mut filings, &mut rows);
    }
    rows.sort_by_key(|a| a.on);
    for row in rows {
        sink.row(row.rec)?;
    }
    Ok(())
}

/// An 询问 for periods paid after they fell due (about half of them were asked about).
fn late_payers(ctx: &Ctx, p: &Params, home: &Home, periods: &[Period], rng: &mut Rng, rows: &mut Vec<Row>) {
    for x in periods {
        let due_on = ladder::fee_due(p, x.month);
        let Some(paid_on) = x.paid_on else { continue };
        if x.paid < fees::monthly_due(home) || paid_on <= due_on + Duration::days(2) || !rng.chance(0.5) {
            continue;
        }
        let Ok(asked) = ladder::step_due(&ctx.calendar, p, Step::Inquiry, due_on) else { continue };
        if asked >= paid_on {
            continue;
        }
        let mut rec = base(home, Step::Inquiry.label(), asked, fees::monthly_due(home), &[x.month]);
        rec.s("delivery", "电话")
            .s("reason", rng.text(ARREARS_REASONS))
            .text("handler", ctx.estate.any(rng, "财务").name.clone());
        rec.text("note", format!("{} 已缴清", paid_on.format("%-m月%-d日")));
        rows.push(Row { on: asked, rec });
    }
}

/// The current case of `home`, if it owes a period that fell due before the run date.
#[allow(clippy::too_many_arguments)]
fn case(
    ctx: &Ctx,
    p: &Params,
    home: &Home,
    periods: &[Period],
    rng: &mut Rng,
    early_lawyer: &mut bool,
    filings: &mut u32,
    rows: &mut Vec<Row>,
) {
    let end = ctx.end();
    let unpaid = unpaid(p, home, periods, end);
    let Some(&(_, _, start)) = unpaid.first() else { return };
    // What was owed on a day: the periods that had fallen due by then.
    let owed = |on: NaiveDate| -> (i64, Vec<YearMonth>) {
        let list: Vec<&(YearMonth, i64, NaiveDate)> = unpaid.iter().filter(|(_, _, d)| *d < on).collect();
        (list.iter().map(|(_, a, _)| a).sum(), list.iter().map(|(m, _, _)| *m).collect())
    };
    let vacant = home.handover.is_none();
    let reason = if vacant { rng.text(VACANT_REASONS) } else { rng.text(ARREARS_REASONS) };
    let (pace, stall) = pace(rng);
    let mut previous = start;
    let mut objected = false;
    for step in Step::ALL {
        let Ok(mut on) = ladder::step_due(&ctx.calendar, p, step, previous) else { return };
        // A quality objection before the first letter holds the ladder for its rectification.
        if step == Step::Reminder && !objected && !vacant && rng.chance(0.12) {
            objected = true;
            let Some(resumed) = objection(ctx, p, home, previous, &owed, rng, rows) else { return };
            on = on.max(resumed);
        }
        let Some(on) = taken_on(step, on, end, (pace, stall), rng, early_lawyer) else { return };
        let (amount, months) = owed(on);
        let mut rec = base(home, step.label(), on, amount, &months);
        let staff = |rng: &mut Rng, role| ctx.estate.any(rng, role).name.clone();
        match step {
            Step::Inquiry => inquiry(ctx, vacant, reason, rng, &mut rec),
            Step::Reminder | Step::Demand | Step::Urgent | Step::Lawyer => letter(ctx, home, step, rng, &mut rec),
            Step::Litigation => {
                rec.s("note", "已整理业主信息、欠费时间段、违约金核算，交法律顾问");
                rec.text("handler", staff(rng, "客服主管"));
            }
            Step::Filing => {
                *filings += 1;
                rec.text("note", format!("（{}）{COURT_CODE}民初{}号", on.format("%Y"), 3000 + *filings * 17));
                rec.text("handler", staff(rng, "客服主管"));
            }
        }
        rows.push(Row { on, rec });
        previous = on;
    }
}

/// The periods `home` owes that fell due before `end`: (month, amount owed, due date).
fn unpaid(p: &Params, home: &Home, periods: &[Period], end: NaiveDate) -> Vec<(YearMonth, i64, NaiveDate)> {
    let due = fees::monthly_due(home);
    periods
        .iter()
        .filter(|x| x.paid < due)
        .map(|x| (x.month, due - x.paid, ladder::fee_due(p, x.month)))
        .filter(|(_, _, on)| *on < end)
        .collect()
}

/// How the department kept up with a case — promptly (0), slowly (1), or it stalled at one step
/// (2: the owner promised to pay; the file was forgotten), and kefu then prints the overdue
/// letter — and the step it stops before.
fn pace(rng: &mut Rng) -> (usize, Option<Step>) {
    let pace = rng.weighted(&[40, 25, 35]);
    // Most cases stop after the 律师函: the owner pays, or the company decides not to sue yet.
    let stall = if pace == 2 {
        Some(Step::ALL[rng.range(1, 4) as usize])
    } else if rng.chance(0.7) {
        Some(Step::Litigation)
    } else {
        None
    };
    (pace, stall)
}

/// The day `step`, due `on`, was taken at the case's pace (`stall`: the step it stops before), a
/// few days late or more; `None` when the case stops before it: the step is not due before
/// `end`, waits for today's run, or is where the case stalled.
fn taken_on(
    step: Step,
    mut on: NaiveDate,
    end: NaiveDate,
    (pace, stall): (usize, Option<Step>),
    rng: &mut Rng,
    early_lawyer: &mut bool,
) -> Option<NaiveDate> {
    if on >= end {
        return None;
    }
    // Letters that fell due in the last week wait for today's run: kefu prints them.
    if step.is_letter() && on + Duration::days(7) >= end && rng.chance(0.5) {
        return None;
    }
    if stall == Some(step) {
        return None;
    }
    on += Duration::days(if pace == 0 { [0, 0, 0, 1, 2, 3][rng.index(6)] } else { rng.range(3, 21) });
    if step == Step::Lawyer && !*early_lawyer && rng.chance(0.5) {
        *early_lawyer = true;
        on -= Duration::days(3);
    }
    if on >= end {
        return None;
    }
    Some(on)
}

/// A quality objection raised a few days after `previous` (二.2): its record, and the day the
/// ladder resumes after the rectification period; `None` when that is past the run date or the
/// calendar lacks the year.
fn objection(
    ctx: &Ctx,
    p: &Params,
    home: &Home,
    previous: NaiveDate,
    owed: &dyn Fn(NaiveDate) -> (i64, Vec<YearMonth>),
    rng: &mut Rng,
    rows: &mut Vec<Row>,
) -> Option<NaiveDate> {
    let raised = previous + Duration::days(rng.range(1, 6));
    if raised >= ctx.end() {
        return None;
    }
    let (amount, months) = owed(raised);
    let mut rec = base(home, OBJECTION, raised, amount, &months);
    rec.s("delivery", "上门")
        .s("reason", rng.text(OBJECTIONS))
        .text("handler", ctx.estate.any(rng, "客服主管").name.clone());
    rec.s("note", "有效意见，已转工程部限期7天整改，暂停催缴");
    rows.push(Row { on: raised, rec });
    let last = ctx.calendar.calendar_deadline(raised, p.objection_days).ok()?;
    Some(last + Duration::days(1))
}

/// An 询问: by phone or, for an occupied home, sometimes a visit; the owner's reason, or no answer.
fn inquiry(ctx: &Ctx, vacant: bool, reason: &'static str, rng: &mut Rng, rec: &mut Rec) {
    let visit = rng.chance(0.3) && !vacant;
    rec.s("delivery", if visit { "上门" } else { "电话" });
    if !visit && rng.chance(0.2) {
        rec.s("note", NO_ANSWER);
    } else {
        rec.s("reason", reason);
    }
    rec.text("handler", ctx.estate.any(rng, "财务").name.clone());
}

/// A letter's delivery: signed for by hand (an occupied home), by EMS, or posted on the door.
fn letter(ctx: &Ctx, home: &Home, step: Step, rng: &mut Rng, rec: &mut Rec) {
    let vacant = home.handover.is_none();
    let r = rng.unit();
    if !vacant && r < 0.55 {
        let signer = if rng.chance(0.8) {
            home.owner.name.clone()
        } else {
            format!("{}（家属代签）", super::people::person(rng).name)
        };
        rec.s("delivery", "当面签收").text("proof", signer);
    } else if r < 0.95 || step == Step::Lawyer {
        rec.s("delivery", "EMS").text("proof", format!("EMS {}", 1_100_000_000_000 + rng.below(99_999_999_999)));
    } else {
        rec.s("delivery", "张贴").s("note", "张贴于户门，并拍照留存");
    }
    rec.text("handler", ctx.estate.any(rng, if step == Step::Lawyer { "客服主管" } else { "财务" }).name.clone());
}

fn base(home: &Home, step: &'static str, on: NaiveDate, amount: i64, months: &[YearMonth]) -> Rec {
    let mut rec = Rec::new();
    rec.put("room", V::Room(home.room)).s("step", step).date("date", on);
    if amount > 0 {
        rec.put("amount", V::Money(amount)).text("periods", period_text(months));
    }
    rec
}
