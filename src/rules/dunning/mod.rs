//! 物业收费及催缴管理规程 二、费用催缴: the dunning ladder of every room in arrears, and late fees.
//!
//! Input: the fee ledger (应收/实收 per room and billing period), the dunning record (催缴记录: the
//! steps taken, with dates, and quality objections), the working-day calendar and the parameters
//! (`rules.dunning`). Output: per room in arrears, a [`Case`]: the unpaid periods with their late
//! fees, the steps taken, the next step and the date it is due, and the filing deadline once a
//! 律师函 went out. Failure: a due date in a year the calendar lacks is reported (never guessed).
//!
//! The ladder (二.1–7), each step dated from the *recorded* date of the one before:
//! - the fee falls due on the last day of its billing month (`due_day` to change it);
//! - 询问 (ask why): the day after the fee falls due;
//! - 提示函: `reminder_after_inquiry_days` after the 询问 (the manual sets no number);
//! - 催缴函: the day after the 提示函's 7 days run out (限定7天);
//! - 紧急催缴函: the day after the 催缴函's 7 days run out;
//! - 律师函: the day after 7 days from the 紧急催缴函 (紧急催缴函发出7日后);
//! - 起诉材料: the day after 3 days from the 律师函 (律师函发出3日后);
//! - 立案 (filing): within one month of the 律师函 (在律师函发出1个月内提起诉讼).
//!
//! Day counting follows 民法典 arts. 201–203: the day a letter goes out is not counted; a period of
//! days or a month that ends on a rest day or holiday ends on the next working day. A quality
//! objection (质量异议, 二.2) pauses the ladder: no step falls due before the day after its 7-day
//! rectification period. Payment in full ends the case. Partial payment (policy): what is paid
//! settles the oldest periods first (the ledger records it per period); the case continues for the
//! rest without restarting — the amounts in the next letter are the remaining ones.

use std::collections::BTreeMap;

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{Calendar, Context, Finding, State, UnknownYear};
use crate::forms::LedgerId;
use crate::model::YearMonth;
use crate::model::{Fee, RegisterId};
use crate::parse::room::RoomId;

/// The procedure's name.
pub const PROCEDURE: &str = "物业收费及催缴管理规程";

/// A step of the ladder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// 询问: asking the owner why the fee is unpaid (二.1).
    Inquiry,
    /// 提示函, the first letter (二.3).
    Reminder,
    /// 催缴函, the second letter (二.4).
    Demand,
    /// 紧急催缴函, the third letter (二.5).
    Urgent,
    /// 律师函 from the company's legal counsel (二.6).
    Lawyer,
    /// 起诉材料 collected: owner, period, late fees (二.7).
    Litigation,
    /// 立案: the suit filed (二.7, 三).
    Filing,
}

impl Step {
    /// The ladder in order.
    pub const ALL: [Step; 7] =
        [Step::Inquiry, Step::Reminder, Step::Demand, Step::Urgent, Step::Lawyer, Step::Litigation, Step::Filing];

    /// The word recorded in 催缴记录 and printed on letters.
    pub fn label(self) -> &'static str {
        match self {
            Step::Inquiry => "询问",
            Step::Reminder => "提示函",
            Step::Demand => "催缴函",
            Step::Urgent => "紧急催缴函",
            Step::Lawyer => "律师函",
            Step::Litigation => "起诉材料",
            Step::Filing => "立案",
        }
    }

    /// The clause of 二、费用催缴.
    pub fn clause(self) -> &'static str {
        match self {
            Step::Inquiry => "二.1",
            Step::Reminder => "二.3",
            Step::Demand => "二.4",
            Step::Urgent => "二.5",
            Step::Lawyer => "二.6",
            Step::Litigation | Step::Filing => "二.7",
        }
    }

    /// Whether the step is a letter kefu prints.
    pub fn is_letter(self) -> bool {
        matches!(self, Step::Reminder | Step::Demand | Step::Urgent | Step::Lawyer)
    }

    /// The step recorded as `text` in 催缴记录.
    pub fn from_label(text: &str) -> Option<Step> {
        Step::ALL.into_iter().find(|s| s.label() == text)
    }

    fn next(self) -> Option<Step> {
        Step::ALL.iter().position(|s| *s == self).and_then(|i| Step::ALL.get(i + 1)).copied()
    }
}

/// The recorded word for a quality objection.
pub const OBJECTION: &str = "质量异议";

/// A daily rate as a fraction, written `万分之三`, `千分之三` or `0.0003` in configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DailyRate {
    /// Parts per 10^8 per day (万分之三 = 30,000): exact for every rate written to 0.01 万分之.
    pub per_hundred_million: i64,
}

impl DailyRate {
    /// 万分之三.
    pub const THREE_PER_MYRIAD: DailyRate = DailyRate { per_hundred_million: 30_000 };
}

impl TryFrom<String> for DailyRate {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        let t = s.trim();
        let parse_cn = |rest: &str| -> Option<f64> {
            let digits = "零一二三四五六七八九";
            if let Ok(x) = rest.parse::<f64>() {
                return Some(x);
            }
            let mut chars = rest.chars();
            let c = chars.next()?;
            chars.next().is_none().then(|| digits.chars().position(|d| d == c).map(|v| v as f64)).flatten()
        };
        let value = if let Some(rest) = t.strip_prefix("万分之") {
            parse_cn(rest).map(|x| x / 10_000.0)
        } else if let Some(rest) = t.strip_prefix("千分之") {
            parse_cn(rest).map(|x| x / 1_000.0)
        } else {
            t.parse::<f64>().ok()
        };
        match value {
            Some(x) if (0.0..0.01).contains(&x) => {
                Ok(DailyRate { per_hundred_million: (x * 100_000_000.0).round() as i64 })
            }
            _ => Err(format!("「{s}」不是日利率：应写成 万分之三、千分之三 或 0.0003（每日，低于 1%）")),
        }
    }
}

impl From<DailyRate> for String {
    fn from(r: DailyRate) -> String {
        // Whole 万分之 one to nine as letters write them (万分之三); anything else in figures.
        let digits = ["一", "二", "三", "四", "五", "六", "七", "八", "九"];
        if r.per_hundred_million % 10_000 == 0
            && let Some(d) = usize::try_from(r.per_hundred_million / 10_000 - 1).ok().and_then(|i| digits.get(i))
        {
            return format!("万分之{d}");
        }
        let per_myriad = r.per_hundred_million as f64 / 10_000.0;
        format!("万分之{}", trim_float(per_myriad))
    }
}

fn trim_float(x: f64) -> String {
    let s = format!("{x:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Parameters of the dunning ladder and late fees.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Params {
    /// Day of the billing month the fee falls due; 0 = its last day (一.2: 根据收费周期…下达收费通知;
    /// department setting).
    pub due_day: u32,
    /// Days after the fee falls due that the 询问 is due (二.1: 未能在通知时间内主动交费 → 询问).
    pub inquiry_days: u32,
    /// Days after the 询问 that the 提示函 is due (二.3: 逾期未交; the manual gives no number —
    /// department setting).
    pub reminder_after_inquiry_days: u32,
    /// Days the 提示函 and the 催缴函 give the owner (二.3–4: 限定7天).
    pub letter_days: u32,
    /// Days after the 紧急催缴函 before the 律师函 (二.6: 紧急催缴函发出7日后).
    pub urgent_days: u32,
    /// Days after the 律师函 before litigation material is collected (二.7: 律师函发出3日后).
    pub lawyer_days: u32,
    /// Months after the 律师函 within which the suit is filed (二.7: 在律师函发出1个月内提起诉讼).
    pub filing_months: u32,
    /// Rectification period after a valid quality objection (二.2: 限定7天).
    pub objection_days: u32,
    /// Contractual late fee per day on the unpaid principal (物业服务合同; domain.md §2: 万分之三/日 common).
    pub daily_rate: DailyRate,
    /// Optional cap on each period's late fee as a share of its principal (e.g. 1.0 = at most the
    /// principal); none by default.
    pub cap_ratio: Option<f64>,
    /// One-year LPR in percent, the base of the court-safe amount (domain.md §2; 3.0 % since
    /// 2025-05-20 — update when it changes).
    pub lpr_percent: f64,
    /// Loss by analogy with 买卖合同解释 art. 18(4): LPR plus this share (0.5 = +50 %).
    pub lpr_markup: f64,
    /// Courts tend to uphold a 违约金 up to the loss plus this share (合同编通则解释 art. 65: 30 %).
    pub court_markup: f64,
    /// Who signs the 律师函 (二.6: 公司法律顾问), e.g. the law firm and lawyer; printed on the letter.
    pub counsel: String,
    /// The service centre's phone number printed in letters; none when empty.
    pub phone: String,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            due_day: 0,
            inquiry_days: 1,
            reminder_after_inquiry_days: 7,
            letter_days: 7,
            urgent_days: 7,
            lawyer_days: 3,
            filing_months: 1,
            objection_days: 7,
            daily_rate: DailyRate::THREE_PER_MYRIAD,
            cap_ratio: None,
            lpr_percent: 3.0,
            lpr_markup: 0.5,
            court_markup: 0.3,
            counsel: String::new(),
            phone: String::new(),
        }
    }
}

/// One unpaid billing period of a case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Period {
    pub period: YearMonth,
    /// When the fee fell due.
    pub due_on: NaiveDate,
    /// 应收, 实收 and the unpaid principal, fen.
    pub due: i64,
    pub paid: i64,
    pub unpaid: i64,
    /// Days overdue as of the calculation date.
    pub days: i64,
    /// The contractual late fee, fen (capped when a cap is set).
    pub late_fee: i64,
    /// The amount a court would likely uphold, fen.
    pub court_fee: i64,
}

/// A step taken, as recorded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Taken {
    pub step: Step,
    pub on: NaiveDate,
    /// When it could first be taken; a step recorded before this is a breach.
    pub due: NaiveDate,
    /// Row in 催缴记录.
    pub row: usize,
    /// How it was delivered (送达方式), as recorded.
    pub delivery: Option<String>,
    /// Whether the record proves the demand reached the owner (see [`proves_delivery`]).
    pub proven: bool,
}

/// Whether a recorded delivery proves that a demand reached the owner (诉讼时效规定 art. 8): a
/// signed receipt (当面签收, 上门 with a signer) or a posted letter with its waybill number (EMS,
/// 挂号信). A notice posted on the door, a phone call or a text message proves nothing by itself.
pub fn proves_delivery(delivery: Option<&str>, proof: Option<&str>) -> bool {
    let has_proof = proof.is_some_and(|p| !p.trim().is_empty());
    matches!(delivery, Some("当面签收" | "EMS" | "挂号信" | "上门")) && has_proof
}

/// Years of the limitation period (民法典 art. 188).
pub const LIMITATION_YEARS: u32 = 3;

/// Where one room stands.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Case {
    pub room: RoomId,
    pub owner: Option<String>,
    pub periods: Vec<Period>,
    pub steps: Vec<Taken>,
    /// The next step and the day it falls due; `None` when every step (立案 included) is taken.
    pub next: Option<(Step, NaiveDate)>,
    /// A pause for a quality objection in force on the calculation date: its last day.
    pub paused_until: Option<NaiveDate>,
    /// The last day to file the suit, once the 律师函 went out.
    pub filing_deadline: Option<NaiveDate>,
    /// When the limitation period of the oldest unpaid period ends: three years from its due date
    /// or from the last demand proven delivered after it (arts. 188, 195; each period is its own
    /// debt, and a demand for part interrupts the whole, 诉讼时效规定 art. 9).
    pub limitation_ends: NaiveDate,
    /// How the dates were reached, in Chinese.
    pub why: String,
}

impl Case {
    /// Unpaid principal, fen.
    pub fn principal(&self) -> i64 {
        self.periods.iter().map(|p| p.unpaid).sum()
    }

    /// Contractual late fees, fen.
    pub fn late_fee(&self) -> i64 {
        self.periods.iter().map(|p| p.late_fee).sum()
    }

    /// Court-safe late fees, fen.
    pub fn court_fee(&self) -> i64 {
        self.periods.iter().map(|p| p.court_fee).sum()
    }

    /// Letters recorded without proof of delivery.
    pub fn unproven_letters(&self) -> impl Iterator<Item = &Taken> {
        self.steps.iter().filter(|t| t.step.is_letter() && !t.proven)
    }

    /// The last step taken.
    pub fn stage(&self) -> Option<&Taken> {
        self.steps.last()
    }

    /// `2026年5月至2026年8月` (or one month, or a list when not consecutive).
    pub fn period_text(&self) -> String {
        let months: Vec<YearMonth> = self.periods.iter().map(|p| p.period).collect();
        period_text(&months)
    }
}

/// The billing periods as staff write them.
pub fn period_text(months: &[YearMonth]) -> String {
    let cn = |m: &YearMonth| format!("{}年{}月", m.year, m.month);
    match months {
        [] => String::new(),
        [one] => cn(one),
        [first, .., last] if months.windows(2).all(|w| w[0].next() == w[1]) => format!("{}至{}", cn(first), cn(last)),
        many => many.iter().map(cn).collect::<Vec<_>>().join("、"),
    }
}

/// When a period's fee falls due.
pub fn fee_due(p: &Params, period: YearMonth) -> NaiveDate {
    if p.due_day == 0 {
        period.last_day()
    } else {
        NaiveDate::from_ymd_opt(period.year, period.month, p.due_day).unwrap_or_else(|| period.last_day())
    }
}

/// The late fee on `principal` fen over `days` days at `rate`, capped: exact integer arithmetic,
/// rounded half up to the fen.
pub fn late_fee(principal: i64, days: i64, rate: DailyRate, cap_ratio: Option<f64>) -> i64 {
    if principal <= 0 || days <= 0 {
        return 0;
    }
    let raw = i128::from(principal) * i128::from(rate.per_hundred_million) * i128::from(days);
    let fee = ((raw + 50_000_000) / 100_000_000) as i64;
    match cap_ratio {
        Some(r) => fee.min((principal as f64 * r).round() as i64),
        None => fee,
    }
}

/// The late fee a court would likely uphold: (LPR × (1 + lpr_markup)) × (1 + court_markup) a year,
/// by the day (days / 365), rounded half up.
pub fn court_fee(principal: i64, days: i64, p: &Params) -> i64 {
    if principal <= 0 || days <= 0 {
        return 0;
    }
    let annual = p.lpr_percent / 100.0 * (1.0 + p.lpr_markup) * (1.0 + p.court_markup);
    // In units of 10^-9 per year, exact enough for fen over decades.
    let per_year = (annual * 1e9).round() as i128;
    let raw = i128::from(principal) * per_year * i128::from(days);
    ((raw + 182_500_000_000) / 365_000_000_000) as i64
}

/// The date a period of `days` days from `start` ends, moved off rest days (民法典 arts. 201, 203).
fn days_after(calendar: &Calendar, start: NaiveDate, days: u32) -> Result<NaiveDate, UnknownYear> {
    calendar.calendar_deadline(start, days)
}

/// The day after a period ends: when the next step may be taken.
fn day_after(calendar: &Calendar, start: NaiveDate, days: u32) -> Result<NaiveDate, UnknownYear> {
    days_after(calendar, start, days).map(|d| d.succ_opt().unwrap_or(d))
}

/// The last day of a period of `months` months from `start` (art. 202: the corresponding day, or
/// the month's last day), moved off rest days (art. 203).
pub fn months_after(calendar: &Calendar, start: NaiveDate, months: u32) -> Result<NaiveDate, UnknownYear> {
    let mut day = start.checked_add_months(Months::new(months)).unwrap_or(start);
    while !calendar.is_working_day(day)? {
        day = day.succ_opt().unwrap_or(day);
    }
    Ok(day)
}

/// The first day `step` may be taken, given the recorded date of the step before it (for
/// 询问: the date the fee fell due). Public for the sample generator.
pub fn step_due(calendar: &Calendar, p: &Params, step: Step, previous: NaiveDate) -> Result<NaiveDate, UnknownYear> {
    match step {
        Step::Inquiry => day_after(calendar, previous, p.inquiry_days.saturating_sub(1)),
        Step::Reminder => days_after(calendar, previous, p.reminder_after_inquiry_days),
        Step::Demand | Step::Urgent => day_after(calendar, previous, p.letter_days),
        Step::Lawyer => day_after(calendar, previous, p.urgent_days),
        Step::Litigation => day_after(calendar, previous, p.lawyer_days),
        Step::Filing => Ok(previous), // filed any day after the material; the deadline is separate
    }
}

/// The last day to pay that a letter sent on `sent` gives the owner (提示函、催缴函: 限定7天).
pub fn pay_by(calendar: &Calendar, p: &Params, sent: NaiveDate) -> Result<NaiveDate, UnknownYear> {
    days_after(calendar, sent, p.letter_days)
}

/// A recorded row of 催缴记录.
#[derive(Debug, Clone)]
struct Event {
    row: usize,
    on: NaiveDate,
    step: Option<Step>,
    objection: bool,
    delivery: Option<String>,
    proven: bool,
}

/// Every room in arrears as of the run date, in room order; rooms whose dates reach a year the
/// calendar lacks come back apart, with the year.
/// The rooms whose dunning is not computed because a record it rests on was left out (an
/// unreadable fee row, a 催缴记录 row, the room's row of the rooms ledger): an amount or a date
/// from what is left could be wrong, and a letter must never say a wrong amount. With why.
pub fn not_computed(ctx: &Context<'_>) -> Vec<(RoomId, String)> {
    let mut out: BTreeMap<RoomId, String> = BTreeMap::new();
    for id in [LedgerId::Fees, LedgerId::Dunning, LedgerId::Rooms].map(RegisterId::Ledger) {
        for e in ctx.excluded.of(id) {
            let Some(room) = e.room else { continue };
            let title = id.title(ctx.forms);
            let file = e.file.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
            let at = e.row.map(|r| format!("第 {r} 行")).unwrap_or_default();
            out.entry(room).or_insert_with(|| format!("{title}（{file} {at}）有误，未计算"));
        }
    }
    out.into_iter().collect()
}

pub fn cases(ctx: &Context<'_>) -> (Vec<Case>, Vec<(RoomId, UnknownYear)>) {
    let p = &ctx.params.dunning;
    let mut by_room: BTreeMap<RoomId, Vec<&Fee>> = BTreeMap::new();
    let skipped: std::collections::BTreeSet<RoomId> = not_computed(ctx).into_iter().map(|(r, _)| r).collect();
    for fee in &ctx.data.fees {
        if fee.period.first_day() <= ctx.as_of && !skipped.contains(&fee.room) {
            by_room.entry(fee.room).or_default().push(fee);
        }
    }
    let events = events(ctx);
    let mut out = Vec::new();
    let mut gaps = Vec::new();
    for (room, mut fees) in by_room {
        fees.sort_by_key(|f| f.period);
        let periods: Vec<Period> = fees
            .iter()
            .filter(|f| f.due > f.paid)
            .filter_map(|f| {
                let due_on = fee_due(p, f.period);
                (due_on < ctx.as_of).then(|| {
                    let unpaid = f.due - f.paid;
                    let days = (ctx.as_of - due_on).num_days();
                    Period {
                        period: f.period,
                        due_on,
                        due: f.due,
                        paid: f.paid,
                        unpaid,
                        days,
                        late_fee: late_fee(unpaid, days, p.daily_rate, p.cap_ratio),
                        court_fee: court_fee(unpaid, days, p),
                    }
                })
            })
            .collect();
        let Some(first) = periods.first() else { continue };
        let start = first.due_on;
        let mine: Vec<&Event> = events.get(&room).map_or(Vec::new(), |v| v.iter().filter(|e| e.on > start).collect());
        match ladder(ctx, room, periods, &mine) {
            Ok(case) => out.push(case),
            Err(e) => gaps.push((room, e)),
        }
    }
    (out, gaps)
}

fn events(ctx: &Context<'_>) -> BTreeMap<RoomId, Vec<Event>> {
    let mut out: BTreeMap<RoomId, Vec<Event>> = BTreeMap::new();
    let Some(v) = ctx.ledger(LedgerId::Dunning) else { return out };
    for row in v.rows() {
        let (Some(room), Some(on)) = (v.room(row, "room"), v.date(row, "date")) else { continue };
        if on > ctx.as_of {
            continue;
        }
        let text = v.text(row, "step").unwrap_or("");
        let delivery = v.text(row, "delivery");
        out.entry(room).or_default().push(Event {
            row,
            on,
            step: Step::from_label(text),
            objection: text == OBJECTION,
            delivery: delivery.map(str::to_string),
            proven: proves_delivery(delivery, v.text(row, "proof")),
        });
    }
    for list in out.values_mut() {
        list.sort_by_key(|e| (e.on, e.row));
    }
    out
}

/// Walks one room's ladder from the first unpaid period's due date.
fn ladder(ctx: &Context<'_>, room: RoomId, periods: Vec<Period>, events: &[&Event]) -> Result<Case, UnknownYear> {
    let p = &ctx.params.dunning;
    let start = periods[0].due_on;
    let mut why = vec![format!("最早欠费账期 {} 于 {start} 到期", periods[0].period)];
    let mut steps: Vec<Taken> = Vec::new();
    let mut previous = start;
    let mut step = Step::Inquiry;
    let mut next = None;
    let mut paused_until = None;
    loop {
        let mut due = step_due(ctx.calendar, p, step, previous)?;
        let taken = events.iter().find(|e| e.step == Some(step) && e.on >= previous);
        // A quality objection raised before this step was taken holds it until the day after the
        // rectification period.
        let until = taken.map_or(NaiveDate::MAX, |e| e.on);
        if let Some(o) = events.iter().filter(|e| e.objection && e.on >= previous && e.on < until).map(|e| e.on).max() {
            let end = days_after(ctx.calendar, o, p.objection_days)?;
            let resume = end.succ_opt().unwrap_or(end);
            if resume > due {
                why.push(format!("{o} 业主提出质量异议，整改期至 {end}，其间暂停催缴（二.2）"));
                due = resume;
            }
            if taken.is_none() && ctx.as_of <= end {
                paused_until = Some(end);
            }
        }
        match taken {
            Some(e) => {
                why.push(format!("{} {}（应不早于 {due}）", e.on, step.label()));
                steps.push(Taken { step, on: e.on, due, row: e.row, delivery: e.delivery.clone(), proven: e.proven });
                previous = e.on;
                match step.next() {
                    Some(s) => step = s,
                    None => break,
                }
            }
            None => {
                why.push(format!("下一步{}应于 {due} 进行", step.label()));
                next = Some((step, due));
                break;
            }
        }
    }
    let filing_deadline = match steps.iter().find(|t| t.step == Step::Lawyer) {
        Some(t) => Some(months_after(ctx.calendar, t.on, p.filing_months)?),
        None => None,
    };
    let owner = ctx.data.room(room).and_then(|r| r.owner.clone());
    let limitation_ends = limitation_ends(&periods, &steps);
    Ok(Case { room, owner, periods, steps, next, paused_until, filing_deadline, limitation_ends, why: why.join("；") })
}

/// The earliest end of a limitation period among `periods`, given the proven demands in `steps`:
/// each period's three years run from its due date, restarting at every proven demand after it.
/// A 立案 interrupts it too; after filing the date only matters for the record.
fn limitation_ends(periods: &[Period], steps: &[Taken]) -> NaiveDate {
    periods
        .iter()
        .map(|p| {
            let from = steps
                .iter()
                .filter(|t| (t.proven || t.step == Step::Filing) && t.on > p.due_on)
                .map(|t| t.on)
                .max()
                .unwrap_or(p.due_on);
            from.checked_add_months(Months::new(12 * LIMITATION_YEARS)).unwrap_or(from)
        })
        .min()
        .unwrap_or(NaiveDate::MAX)
}

/// Findings for the deadline list: each case's next step (open or overdue), steps taken before
/// they were due (a 律师函 sent early weakens the claim), and filing deadlines.
pub fn findings(ctx: &Context<'_>) -> Vec<Finding> {
    let (cases, gaps) = cases(ctx);
    let mut out: Vec<Finding> =
        gaps.iter().map(|(room, e)| super::calendar_gap(PROCEDURE, "二", "无法计算催缴期限", e).room(*room)).collect();
    let reg = Some(RegisterId::Ledger(LedgerId::Dunning));
    for c in &cases {
        step_findings(c, reg, &mut out);
        due_findings(ctx, c, &mut out);
    }
    out
}

/// The steps of a case taken wrongly: before they were due, or a letter without proof of delivery.
fn step_findings(c: &Case, reg: Option<RegisterId>, out: &mut Vec<Finding>) {
    for t in &c.steps {
        if t.on < t.due {
            out.push(
                Finding::new(
                    PROCEDURE,
                    t.step.clause(),
                    format!("{}早于规定日期", t.step.label()),
                    State::Breach,
                    format!("{} {} 于 {} 发出，按规程应不早于 {}；{}", c.room, t.step.label(), t.on, t.due, c.why),
                )
                .register(reg)
                .row(t.row)
                .room(c.room)
                .due(t.due)
                .done(t.on)
                .owner("客服主管".to_string()),
            );
        }
    }
    for t in c.unproven_letters() {
        let how = t.delivery.as_deref().map_or("未记录送达方式".to_string(), |d| format!("送达方式为「{d}」"));
        out.push(Finding::new(PROCEDURE, t.step.clause(), format!("{}无送达凭证", t.step.label()), State::Breach, format!(
                "{} {} 于 {}发出，{how}，没有签收人或邮件单号；催告须能证明到达业主才中断诉讼时效（民法典第一百九十五条，诉讼时效规定第八条），请补送并留存凭证",
                c.room,
                t.step.label(),
                t.on
            )).register(reg).row(t.row).room(c.room).done(t.on).owner("收费管理员".to_string()));
    }
}

/// What a case has due: its next step (unless paused), and filing within a month of the 律师函.
fn due_findings(ctx: &Context<'_>, c: &Case, out: &mut Vec<Finding>) {
    let money = format!("欠费 {}（{}），违约金 {}", yuan(c.principal()), c.period_text(), yuan(c.late_fee()));
    // 立案 is reported once, against its one-month deadline below.
    if let Some((step, due)) = c.next
        && c.paused_until.is_none()
        && step != Step::Filing
    {
        let state = if ctx.as_of > due { State::Overdue } else { State::Open };
        out.push(
            Finding::new(
                PROCEDURE,
                step.clause(),
                format!("欠费催缴：{}", step.label()),
                state,
                format!("{money}；{}", c.why),
            )
            .room(c.room)
            .due(due)
            .owner(if step >= Step::Lawyer {
                "客服主管".to_string()
            } else {
                "收费管理员".to_string()
            }),
        );
    }
    if let Some(deadline) = c.filing_deadline
        && !c.steps.iter().any(|t| t.step == Step::Filing)
    {
        let state = if ctx.as_of > deadline { State::Overdue } else { State::Open };
        out.push(
            Finding::new(
                PROCEDURE,
                "二.7",
                "律师函后一个月内提起诉讼",
                state,
                format!("{money}；律师函后一个月内起诉，最迟 {deadline}"),
            )
            .room(c.room)
            .due(deadline)
            .owner("客服主管".to_string()),
        );
    }
}

/// `1,234.50 元`.
pub fn yuan(fen: i64) -> String {
    format!("{} 元", crate::parse::money::format_fen(fen))
}

/// The day of the week in Chinese, for letters.
pub fn weekday(d: NaiveDate) -> &'static str {
    ["一", "二", "三", "四", "五", "六", "日"][d.weekday().num_days_from_monday() as usize]
}

#[cfg(test)]
mod tests;
