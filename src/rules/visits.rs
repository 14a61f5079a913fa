//! 物业客服管家走访标准规程: the month's visit plan (form 07) and what the records (forms 07, 08,
//! 09) show about plans carried out, phone visits, visit lengths and written replies.
//!
//! Input: a [`Context`]; for a plan also the month and a seed. Output: a [`Plan`] (rows of form
//! 07), [`Finding`]s and a month's [`Completion`] counts. Failure: a plan whose days lie in a year
//! the calendar lacks, or with no 亲情管家 on the staff list, is an error; in the findings a date
//! outside the calendar becomes a calendar-gap finding. Registers may be missing: no findings.
//!
//! How the manual is read:
//! - **Weeks** run Monday to Sunday and belong to the month holding their Thursday (ISO 8601: the
//!   month that holds most of the week's days). A month has 4 or 5 such weeks; a plan covers exactly
//!   those, so its first days may lie in the previous month and its last in the next. 2026-11 has
//!   the weeks 11-02 … 11-29: 2026-10-29 is a Thursday, so 10-26 … 11-01 belongs to October.
//! - **Quota** (3.1.3): each week ⌈10 % × occupied households⌉, "occupied" meaning status 自住 or
//!   出租 in the rooms ledger with a move-in date on or before the week's Monday — before all
//!   households have moved in, the share is of those moved in. No household twice in a month.
//! - **Order** (3.1.3, 3.1.6): longest since the last visit first (form 08, or form 07 rows not
//!   marked 未走访/改期 for households 08 has no record of; never visited = longest). Ties go to
//!   owners whose birthday (rooms ledger 生日) falls in that week; owners whose birthday falls in a
//!   later week of the month wait for it; then a seeded random order. A festival eve (the day before
//!   a holiday block of the calendar, plus `festival_eves`) concerns every household of its week
//!   alike, so it does not reorder them: the week's slots up to the eve are used first and those
//!   visits are marked 节日前夕.
//! - **Phone visits** (3.1.4): ⌊10 % × the month's visits⌋ at most, proposed for owners of 出租
//!   rooms (the owner lives elsewhere); all others 登门. Each needs the supervisor's prior consent.
//! - **Slots** (3.1.5, 3.1.7): rest days (weekends and holidays, by the calendar) get daytime slots,
//!   working days — a 调休 Saturday included — evening slots; rest-day daytime first. Each slot is
//!   as long as the longest visit (30 minutes), so a visitor's visits never overlap.
//! - **Written replies** (3.4.2, "在汇总3日内"): 3 calendar days from the 汇总日期 (the start day not
//!   counted), moved to the next working day when the last day is a rest day (民法典 art. 203), as
//!   `Calendar::calendar_deadline` does. A record without 汇总日期 counts from its visit date.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

use super::{Context, Finding, State, UnknownYear, View, calendar_gap, deadline_state};
use crate::error::{Error, Problem, Problems};
use crate::model::YearMonth;
use crate::model::{RegisterId, Room, RoomStatus, Value};
use crate::parse::room::RoomId;

/// The procedure's name, as findings print it.
pub const PROCEDURE: &str = "物业客服管家走访标准规程";
/// The role that visits (3.1.1).
const VISITOR_ROLE: &str = "亲情管家";
/// The role that approves phone visits and reviews records (3.1.4, 3.4.1).
const SUPERVISOR_ROLE: &str = "客服主管";

/// Parameters of the visit rules; each default is the manual's number.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Params {
    /// Share of the occupied households visited each week, rounded up (3.1.3: 每周完成总办理入住户数的10%).
    pub weekly_rate: f64,
    /// Largest share of a month's visits made by phone (3.1.4: 电话走访不得超过本期走访户的10%).
    pub phone_cap: f64,
    /// Calendar days from the supervisor's summary to the written reply (3.4.2: 在汇总3日内以书面形式进行回复).
    pub reply_days: u32,
    /// Shortest visit, minutes (3.1.7: 控制在15-30分钟).
    pub min_minutes: u32,
    /// Longest visit, minutes (3.1.7); also the length of a planned slot.
    pub max_minutes: u32,
    /// Times of visits on working days (3.1.5: 尽可能安排在周末或晚间); the manual names no hours.
    pub evening: Vec<Window>,
    /// Times of visits on weekends and holidays (3.1.5); the manual names no hours.
    pub daytime: Vec<Window>,
    /// Further festival eves `MM-DD` besides the days before the calendar's holidays (3.1.6: 节日前夕).
    pub festival_eves: Vec<MonthDay>,
}

impl Default for Params {
    fn default() -> Self {
        let at = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN);
        Params {
            weekly_rate: 0.10,
            phone_cap: 0.10,
            reply_days: 3,
            min_minutes: 15,
            max_minutes: 30,
            evening: vec![Window { start: at(19, 0), end: at(20, 30) }],
            daytime: vec![Window { start: at(9, 0), end: at(11, 30) }, Window { start: at(14, 0), end: at(17, 30) }],
            festival_eves: Vec::new(),
        }
    }
}

/// A span of the day, written `19:00-20:30`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(try_from = "String", into = "String")]
pub struct Window {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl TryFrom<String> for Window {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        let bad = || format!("时段「{s}」应写成 19:00-20:30（开始早于结束）");
        let (a, b) = s.split_once('-').ok_or_else(bad)?;
        let t = |x: &str| NaiveTime::parse_from_str(x.trim(), "%H:%M").map_err(|_| bad());
        let (start, end) = (t(a)?, t(b)?);
        if start < end { Ok(Window { start, end }) } else { Err(bad()) }
    }
}

impl From<Window> for String {
    fn from(w: Window) -> String {
        format!("{}-{}", w.start.format("%H:%M"), w.end.format("%H:%M"))
    }
}

/// A day of the year, written `MM-DD` (`12-24`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(try_from = "String", into = "String")]
pub struct MonthDay {
    pub month: u32,
    pub day: u32,
}

impl TryFrom<String> for MonthDay {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        let bad = || format!("节日前夕「{s}」应写成 月-日，如 12-24");
        let (m, d) = s.trim().split_once('-').ok_or_else(bad)?;
        let (month, day) = (m.parse().map_err(|_| bad())?, d.parse().map_err(|_| bad())?);
        // 2024 is a leap year: every real month-day exists in it.
        NaiveDate::from_ymd_opt(2024, month, day).ok_or_else(bad)?;
        Ok(MonthDay { month, day })
    }
}

impl From<MonthDay> for String {
    fn from(md: MonthDay) -> String {
        format!("{:02}-{:02}", md.month, md.day)
    }
}

// ---------------------------------------------------------------------------------------------
// The plan
// ---------------------------------------------------------------------------------------------

/// 走访形式.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// 登门.
    Door,
    /// 电话.
    Phone,
}

impl Mode {
    /// The form's wording.
    pub fn label(self) -> &'static str {
        match self {
            Mode::Door => "登门",
            Mode::Phone => "电话",
        }
    }
}

/// 走访事由 as the plan proposes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occasion {
    /// 例行抽样.
    Routine,
    /// 节日前夕.
    FestivalEve,
    /// 生日所在周.
    Birthday,
}

impl Occasion {
    /// The form's wording.
    pub fn label(self) -> &'static str {
        match self {
            Occasion::Routine => "例行抽样",
            Occasion::FestivalEve => "节日前夕",
            Occasion::Birthday => "生日所在周",
        }
    }
}

/// One week of a plan.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanWeek {
    /// 周次, from 1.
    pub number: u8,
    /// Its Monday and Sunday.
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// Households occupied on its Monday.
    pub occupied: usize,
    /// ⌈rate × occupied⌉.
    pub quota: usize,
    /// Households planned (less than the quota only when all others were visited earlier this month).
    pub planned: usize,
    /// Festival eves inside the week.
    pub festival_eves: Vec<NaiveDate>,
}

/// One planned visit: a row of form 07.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedVisit {
    /// 周次.
    pub week: u8,
    /// Proposed day and time; `None` when every visitor's slots of the week were taken.
    pub slot: Option<NaiveDateTime>,
    pub room: RoomId,
    pub owner: Option<String>,
    pub phone: Option<String>,
    pub mode: Mode,
    pub occasion: Occasion,
    pub visitor: String,
    /// The last visit found in the records, if any.
    pub last_visit: Option<NaiveDate>,
    /// The owner's birthday inside the week, if it falls there.
    pub birthday: Option<NaiveDate>,
    /// Why this household, then and so: 最久未走访 / 生日所在周 / 节日前夕 / 电话.
    pub why: String,
}

/// A month's visit plan (form 07).
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub month: YearMonth,
    pub seed: u64,
    /// 制定日期: the last working day before the plan's first week.
    pub planned_on: NaiveDate,
    /// 制定人: the first 亲情管家 of the staff list.
    pub planner: String,
    /// The visitors (亲情管家).
    pub visitors: Vec<String>,
    pub weeks: Vec<PlanWeek>,
    /// Ordered by week, day, time, visitor.
    pub visits: Vec<PlannedVisit>,
    /// Phone visits allowed: ⌊cap × visits⌋.
    pub phone_cap: usize,
}

impl Plan {
    /// One line for the command's summary.
    pub fn summary(&self) -> String {
        let (Some(first), Some(last)) = (self.weeks.first(), self.weeks.last()) else {
            return format!("{}年{}月走访计划：无周次", self.month.year, self.month.month);
        };
        let quotas: Vec<String> = self.weeks.iter().map(|w| w.quota.to_string()).collect();
        let count = |o: Occasion| self.visits.iter().filter(|v| v.occasion == o).count();
        let phone = self.visits.iter().filter(|v| v.mode == Mode::Phone).count();
        let unslotted = self.visits.iter().filter(|v| v.slot.is_none()).count();
        let short: usize = self.weeks.iter().map(|w| w.quota.saturating_sub(w.planned)).sum();
        let mut s = format!(
            "{}年{}月走访计划：{} 周（{} 至 {}，周一至周日，按周四所在月份归属），入住 {} 户，每周应走访 {} 户，共 {} 户，其中电话 {} 户（上限 {} 户）、生日所在周 {} 户、节日前夕 {} 户；亲情管家 {} 人；种子 {}",
            self.month.year,
            self.month.month,
            self.weeks.len(),
            first.start,
            last.end,
            first.occupied,
            quotas.join("/"),
            self.visits.len(),
            phone,
            self.phone_cap,
            count(Occasion::Birthday),
            count(Occasion::FestivalEve),
            self.visitors.len(),
            self.seed
        );
        if short > 0 {
            s.push_str(&format!("；本月可走访户已尽，少排 {short} 户"));
        }
        if unslotted > 0 {
            s.push_str(&format!("；{unslotted} 户超出亲情管家的周末/晚间时段，待另约时间"));
        }
        s
    }
}

/// The weeks of `month`: each Monday–Sunday whose Thursday lies in the month.
pub fn weeks_of(month: YearMonth) -> Vec<(NaiveDate, NaiveDate)> {
    let first = month.first_day();
    let mut monday = first - Duration::days(i64::from(first.weekday().num_days_from_monday()));
    if YearMonth::of(monday + Duration::days(3)) < month {
        monday += Duration::days(7);
    }
    let mut out = Vec::new();
    while YearMonth::of(monday + Duration::days(3)) == month {
        out.push((monday, monday + Duration::days(6)));
        monday += Duration::days(7);
    }
    out
}

/// ⌈rate × n⌉, immune to binary fractions (0.1 × 30 is 3.0000000000000004 in floating point).
pub fn quota(rate: f64, n: usize) -> usize {
    let x = rate * n as f64;
    if x <= 0.0 { 0 } else { ((x - 1e-9).ceil() as usize).min(n) }
}

/// ⌊share × n⌋, with the same guard.
fn floor_share(share: f64, n: usize) -> usize {
    let x = share * n as f64;
    if x <= 0.0 { 0 } else { (x + 1e-9).floor() as usize }
}

/// Draws the month's plan (3.1.2: 每月初制定走访计划).
pub fn plan(ctx: &Context<'_>, month: YearMonth, seed: u64) -> Result<Plan, Error> {
    let p = &ctx.params.visits;
    let gap = |e: UnknownYear| {
        Error::Config(Problems(vec![Problem::in_file(
            Path::new(super::calendar::CALENDAR_FILE),
            format!("无法制定 {month} 的走访计划：{e}"),
        )]))
    };
    let visitors: Vec<String> =
        ctx.config.staff.iter().filter(|s| s.roles.iter().any(|r| r == VISITOR_ROLE)).map(|s| s.name.clone()).collect();
    let Some(planner) = visitors.first().cloned() else {
        return Err(Error::Config(Problems(vec![Problem::in_file(
            Path::new(crate::config::CONFIG_FILE),
            "staff 中没有角色为亲情管家的人员，无法安排走访（物业客服管家走访标准规程 3.1.1：走访工作由亲情管家负责）",
        )])));
    };
    let spans = weeks_of(month);
    let (Some(&(first, _)), Some(&(_, last))) = (spans.first(), spans.last()) else {
        return Err(Error::Internal(format!("{month} 没有周次")));
    };
    let mut planned_on = first - Duration::days(1);
    while !ctx.calendar.is_working_day(planned_on).map_err(gap)? {
        planned_on -= Duration::days(1);
    }
    let eves = festival_eves(ctx, first, last, &p.festival_eves).map_err(gap)?;
    let working: HashMap<NaiveDate, bool> = first
        .iter_days()
        .take_while(|d| *d <= last)
        .map(|d| ctx.calendar.is_working_day(d).map(|w| (d, w)))
        .collect::<Result<_, _>>()
        .map_err(gap)?;
    let (weeks, picks) = draw(ctx, &spans, &eves, seed);
    let phone_cap = floor_share(p.phone_cap, picks.len());
    let phones = phone_visits(&picks, phone_cap);
    let visits = schedule(&weeks, &picks, &phones, &working, &visitors, p);
    Ok(Plan { month, seed, planned_on, planner, visitors, weeks, visits, phone_cap })
}

/// Draws each week's households: the quota of those occupied on its Monday and not drawn earlier
/// in the month, longest since the last visit first, then by birthday, then by the seeded order.
fn draw(
    ctx: &Context<'_>,
    spans: &[(NaiveDate, NaiveDate)],
    eves: &BTreeSet<NaiveDate>,
    seed: u64,
) -> (Vec<PlanWeek>, Vec<(u8, Pick)>) {
    let Some(&(first, _)) = spans.first() else { return (Vec::new(), Vec::new()) };
    let history = last_visits(ctx, first);
    let mut chosen: HashSet<RoomId> = HashSet::new();
    let mut weeks = Vec::new();
    let mut picks: Vec<(u8, Pick)> = Vec::new();
    for (i, &(start, end)) in spans.iter().enumerate() {
        let number = i as u8 + 1;
        let occupied: Vec<&Room> =
            ctx.data.rooms.iter().filter(|r| r.status.occupied() && r.moved_in.is_some_and(|d| d <= start)).collect();
        let want = quota(ctx.params.visits.weekly_rate, occupied.len());
        let later = spans.get(i + 1..).unwrap_or_default();
        let mut candidates: Vec<Pick> = occupied
            .iter()
            .filter(|r| !chosen.contains(&r.id))
            .map(|r| Pick::new(r, start, later, history.get(&r.id).copied(), seed))
            .collect();
        candidates.sort_by_key(|a| (a.last, a.tie, a.rank, a.room));
        candidates.truncate(want);
        chosen.extend(candidates.iter().map(|c| c.room));
        weeks.push(PlanWeek {
            number,
            start,
            end,
            occupied: occupied.len(),
            quota: want,
            planned: candidates.len(),
            festival_eves: eves.range(start..=end).copied().collect(),
        });
        picks.extend(candidates.into_iter().map(|c| (number, c)));
    }
    (weeks, picks)
}

/// Gives each pick a visitor and a slot: the visitor with the fewest visits so far this month
/// who still has a free slot of the week takes his next preferred one.
fn schedule(
    weeks: &[PlanWeek],
    picks: &[(u8, Pick)],
    phones: &HashSet<usize>,
    working: &HashMap<NaiveDate, bool>,
    visitors: &[String],
    p: &Params,
) -> Vec<PlannedVisit> {
    let mut visits = Vec::new();
    let mut load = vec![0usize; visitors.len()];
    for week in weeks {
        let slots = week_slots(week, working, p);
        let mut next = vec![0usize; visitors.len()];
        for (k, (_, pick)) in picks.iter().enumerate().filter(|(_, (n, _))| *n == week.number) {
            let free = (0..visitors.len()).filter(|&v| next[v] < slots.len()).min_by_key(|&v| (load[v], v));
            let v = free.or_else(|| (0..visitors.len()).min_by_key(|&v| (load[v], v))).unwrap_or(0);
            let slot = free.and_then(|v| slots.get(next[v]).copied());
            if let Some(n) = next.get_mut(v).filter(|_| free.is_some()) {
                *n += 1;
            }
            if let Some(l) = load.get_mut(v) {
                *l += 1;
            }
            let visitor = visitors.get(v).cloned().unwrap_or_default();
            visits.push(planned_visit(pick, week, slot, phones.contains(&k), visitor));
        }
    }
    visits.sort_by(|a, b| {
        let key = |x: &PlannedVisit| (x.week, x.slot.is_none(), x.slot, x.visitor.clone(), x.room);
        key(a).cmp(&key(b))
    });
    visits
}

/// A household drawn for a week.
#[derive(Debug, Clone)]
struct Pick {
    room: RoomId,
    owner: Option<String>,
    phone: Option<String>,
    rented: bool,
    last: Option<NaiveDate>,
    birthday: Option<NaiveDate>,
    /// 0: birthday this week; 1: none in this month; 2: birthday in a later week of the month.
    tie: u8,
    rank: u64,
}

impl Pick {
    /// Household `r` as a candidate for the week starting `monday`, the month's `later` weeks after it.
    fn new(r: &Room, monday: NaiveDate, later: &[(NaiveDate, NaiveDate)], last: Option<NaiveDate>, seed: u64) -> Pick {
        let birthday = r.birthday.and_then(|b| birthday_in(b, monday));
        let waits = r.birthday.is_some_and(|b| later.iter().any(|w| birthday_in(b, w.0).is_some()));
        Pick {
            room: r.id,
            owner: r.owner.clone(),
            phone: r.phone.as_ref().map(|p| p.as_str().to_string()),
            rented: r.status == RoomStatus::Rented,
            last,
            birthday,
            tie: match (birthday.is_some(), waits) {
                (true, _) => 0,
                (false, false) => 1,
                (false, true) => 2,
            },
            rank: rank(seed, r.id),
        }
    }
}

/// Which picks (indices) are visited by phone: rented rooms, routine ones first, in plan order.
fn phone_visits(picks: &[(u8, Pick)], cap: usize) -> HashSet<usize> {
    let mut rented: Vec<usize> = (0..picks.len()).filter(|&k| picks[k].1.rented).collect();
    rented.sort_by_key(|&k| (picks[k].1.birthday.is_some(), k));
    rented.into_iter().take(cap).collect()
}

/// The week's slots in order of preference: days up to a festival eve first (3.1.6), then
/// rest-day daytime before working-day evenings (3.1.5), then by time and day, so that visits
/// spread over the week's days.
fn week_slots(week: &PlanWeek, working: &HashMap<NaiveDate, bool>, p: &Params) -> Vec<NaiveDateTime> {
    let len = Duration::minutes(i64::from(p.max_minutes.max(p.min_minutes).max(1)));
    let eve = week.festival_eves.last().copied();
    let mut slots: Vec<(bool, bool, NaiveTime, NaiveDate)> = Vec::new();
    for day in week.start.iter_days().take_while(|d| *d <= week.end) {
        let work = working.get(&day).copied().unwrap_or(true);
        let windows = if work { &p.evening } else { &p.daytime };
        let mut starts: Vec<NaiveTime> = Vec::new();
        for w in windows {
            let mut t = w.start;
            loop {
                let (e, wrapped) = t.overflowing_add_signed(len);
                if wrapped != 0 || e > w.end {
                    break;
                }
                starts.push(t);
                t = e;
            }
        }
        starts.sort();
        // Overlapping windows: keep only slots that start after the previous one ends.
        let mut free_from = NaiveTime::MIN;
        for t in starts {
            if t >= free_from {
                slots.push((eve.is_some_and(|e| day > e), work, t, day));
                free_from = t + len;
            }
        }
    }
    slots.sort();
    slots.into_iter().map(|(_, _, t, d)| d.and_time(t)).collect()
}

fn planned_visit(
    pick: &Pick,
    week: &PlanWeek,
    slot: Option<NaiveDateTime>,
    phone: bool,
    visitor: String,
) -> PlannedVisit {
    let eve = slot.and_then(|s| week.festival_eves.iter().find(|e| s.date() <= **e).copied());
    let occasion = match (pick.birthday, eve) {
        (Some(_), _) => Occasion::Birthday,
        (None, Some(_)) => Occasion::FestivalEve,
        _ => Occasion::Routine,
    };
    let mut why = match pick.last {
        None => "最久未走访（从未走访）".to_string(),
        Some(d) => format!("最久未走访（上次 {d}，距本周 {} 天）", (week.start - d).num_days()),
    };
    if let Some(b) = pick.birthday {
        why.push_str(&format!("；生日所在周（生日 {}）", b.format("%m-%d")));
    }
    if let Some(e) = eve {
        why.push_str(&format!("；节日前夕（{} 前）", e.format("%m-%d")));
    }
    if phone {
        why.push_str("；出租户，拟电话走访，须事先经客服主管同意（3.1.4）");
    }
    if slot.is_none() {
        why.push_str("；本周周末/晚间时段已排满，另约时间");
    }
    PlannedVisit {
        week: week.number,
        slot,
        room: pick.room,
        owner: pick.owner.clone(),
        phone: pick.phone.clone(),
        mode: if phone { Mode::Phone } else { Mode::Door },
        occasion,
        visitor,
        last_visit: pick.last,
        birthday: pick.birthday,
        why,
    }
}

/// The day in the week starting `monday` that is the birthday's anniversary (29 February counts
/// as 28 February in common years).
fn birthday_in(birthday: NaiveDate, monday: NaiveDate) -> Option<NaiveDate> {
    monday.iter_days().take(7).find(|d| {
        let (m, day) = (birthday.month(), birthday.day());
        let leap = NaiveDate::from_ymd_opt(d.year(), 2, 29).is_some();
        if m == 2 && day == 29 && !leap { d.month() == 2 && d.day() == 28 } else { d.month() == m && d.day() == day }
    })
}

/// Festival eves from `from` to `to`: the working day before each holiday block (a run of rest
/// days holding at least one weekday: a weekend alone is no festival), plus the extra `MM-DD` days.
fn festival_eves(
    ctx: &Context<'_>,
    from: NaiveDate,
    to: NaiveDate,
    extra: &[MonthDay],
) -> Result<BTreeSet<NaiveDate>, UnknownYear> {
    let cal = ctx.calendar;
    let mut out = BTreeSet::new();
    for day in from.iter_days().take_while(|d| *d <= to) {
        if extra.iter().any(|md| md.month == day.month() && md.day == day.day()) {
            out.insert(day);
        }
        let next = day + Duration::days(1);
        if !cal.is_working_day(day)? || cal.is_working_day(next)? {
            continue;
        }
        let mut d = next;
        let mut weekday_off = false;
        for _ in 0..40 {
            if cal.is_working_day(d)? {
                break;
            }
            weekday_off |= !matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
            d += Duration::days(1);
        }
        if weekday_off {
            out.insert(day);
        }
    }
    Ok(out)
}

/// Each room's last visit before `before`: from form 08, or from form 07 rows (not marked
/// 未走访/改期) for rooms that 08 has no record of.
fn last_visits(ctx: &Context<'_>, before: NaiveDate) -> HashMap<RoomId, NaiveDate> {
    let mut out: HashMap<RoomId, NaiveDate> = HashMap::new();
    let mut recorded: HashSet<RoomId> = HashSet::new();
    if let Some(v) = ctx.form(8) {
        for row in v.rows() {
            let (Some(room), Some(date)) = (v.room(row, "room"), v.date(row, "visit_date")) else { continue };
            recorded.insert(room);
            if date < before {
                let e = out.entry(room).or_insert(date);
                *e = (*e).max(date);
            }
        }
    }
    if let Some(v) = ctx.form(7) {
        for row in v.rows() {
            let (Some(room), Some(date)) = (v.room(row, "room"), v.date(row, "visit_date")) else { continue };
            let undone = matches!(v.text(row, "status"), Some("未走访" | "改期"));
            if recorded.contains(&room) || undone || date >= before {
                continue;
            }
            let e = out.entry(room).or_insert(date);
            *e = (*e).max(date);
        }
    }
    out
}

/// A household's place in the seeded random order.
fn rank(seed: u64, room: RoomId) -> u64 {
    let key = (u64::from(room.building) << 32) | (u64::from(room.unit) << 16) | u64::from(room.room);
    splitmix(seed ^ splitmix(key))
}

/// One SplitMix64 step from `x`.
fn splitmix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

// ---------------------------------------------------------------------------------------------
// The records
// ---------------------------------------------------------------------------------------------

/// A planned visit as recorded in form 07.
struct PlanRow {
    row: usize,
    month: YearMonth,
    date: NaiveDate,
    time: Option<NaiveTime>,
    week: Option<i64>,
    room: RoomId,
    visitor: Option<String>,
}

/// A visit as recorded in form 08.
struct VisitRow {
    row: usize,
    room: RoomId,
    date: NaiveDate,
    start: Option<NaiveTime>,
    end: Option<NaiveTime>,
    phone: bool,
    approved: Option<bool>,
    visitor: Option<String>,
    needs_reply: bool,
    summarized: Option<NaiveDate>,
}

/// A written reply, form 09.
struct ReplyRow {
    room: RoomId,
    visit_date: Option<NaiveDate>,
    replied: NaiveDate,
}

/// The three registers read and related to each other.
struct Records {
    plans: Vec<PlanRow>,
    visits: Vec<VisitRow>,
    /// Plan row index → the visit record that carried it out.
    done: HashMap<usize, usize>,
    /// Plan row index → a record of the room after the plan's period (done late).
    late: HashMap<usize, usize>,
    /// Visit index (needing a reply) → the reply's date.
    replies: HashMap<usize, NaiveDate>,
}

fn time(v: &View<'_>, row: usize, key: &str) -> Option<NaiveTime> {
    match v.value(row, key) {
        Some(Value::Time(t)) => Some(t),
        Some(Value::Datetime(dt)) => Some(dt.time()),
        _ => None,
    }
}

fn text(v: &View<'_>, row: usize, key: &str) -> Option<String> {
    v.text(row, key).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

/// The days a month's plan may cover: its weeks (Thursday rule) and its calendar days.
fn period(month: YearMonth) -> (NaiveDate, NaiveDate) {
    let weeks = weeks_of(month);
    let start = weeks.first().map_or(month.first_day(), |w| w.0.min(month.first_day()));
    let end = weeks.last().map_or(month.last_day(), |w| w.1.max(month.last_day()));
    (start, end)
}

impl Records {
    fn read(ctx: &Context<'_>) -> Records {
        let mut plans = Vec::new();
        if let Some(v) = ctx.form(7) {
            for row in v.rows() {
                let (Some(room), Some(date)) = (v.room(row, "room"), v.date(row, "visit_date")) else { continue };
                let month = match v.value(row, "month") {
                    Some(Value::Month(m)) => m,
                    _ => YearMonth::of(date),
                };
                plans.push(PlanRow {
                    row,
                    month,
                    date,
                    time: time(&v, row, "visit_time"),
                    week: v.int(row, "week"),
                    room,
                    visitor: text(&v, row, "visitor"),
                });
            }
        }
        let mut visits = Vec::new();
        if let Some(v) = ctx.form(8) {
            for row in v.rows() {
                let (Some(room), Some(date)) = (v.room(row, "room"), v.date(row, "visit_date")) else { continue };
                visits.push(VisitRow {
                    row,
                    room,
                    date,
                    start: time(&v, row, "started_at"),
                    end: time(&v, row, "ended_at"),
                    phone: v.text(row, "mode") == Some(Mode::Phone.label()),
                    approved: v.flag(row, "phone_approved"),
                    visitor: text(&v, row, "visitor"),
                    needs_reply: v.flag(row, "needs_written_reply") == Some(true),
                    summarized: v.date(row, "summarized_on"),
                });
            }
        }
        let mut replies = Vec::new();
        if let Some(v) = ctx.form(9) {
            for row in v.rows() {
                let (Some(room), Some(replied)) = (v.room(row, "room"), v.date(row, "replied_on")) else { continue };
                replies.push(ReplyRow { room, visit_date: v.date(row, "visit_date"), replied });
            }
        }
        let mut records =
            Records { plans, visits, done: HashMap::new(), late: HashMap::new(), replies: HashMap::new() };
        records.match_plans(ctx.as_of);
        records.match_replies(&replies);
        records
    }

    /// Pairs planned visits with records of the same room inside the plan's period, nearest
    /// dates first, each record used once; then records after the period as late visits.
    fn match_plans(&mut self, as_of: NaiveDate) {
        let mut by_room: HashMap<RoomId, Vec<usize>> = HashMap::new();
        for (j, v) in self.visits.iter().enumerate() {
            by_room.entry(v.room).or_default().push(j);
        }
        let windows: HashMap<YearMonth, (NaiveDate, NaiveDate)> = self.plan_windows();
        let mut pairs = Vec::new();
        for (i, p) in self.plans.iter().enumerate() {
            let Some(&(from, to)) = windows.get(&p.month) else { continue };
            for &j in by_room.get(&p.room).map_or(&[][..], Vec::as_slice) {
                let d = self.visits[j].date;
                if (from..=to).contains(&d) {
                    pairs.push(((d - p.date).num_days().abs(), i, j));
                }
            }
        }
        pairs.sort();
        let mut used: HashSet<usize> = HashSet::new();
        for (_, i, j) in pairs {
            if !self.done.contains_key(&i) && !used.contains(&j) {
                self.done.insert(i, j);
                used.insert(j);
            }
        }
        for (i, p) in self.plans.iter().enumerate() {
            let Some(&(_, to)) = windows.get(&p.month) else { continue };
            if self.done.contains_key(&i) {
                continue;
            }
            let later = by_room
                .get(&p.room)
                .into_iter()
                .flatten()
                .copied()
                .filter(|j| !used.contains(j) && self.visits[*j].date > to && self.visits[*j].date <= as_of)
                .min_by_key(|j| self.visits[*j].date);
            if let Some(j) = later {
                self.late.insert(i, j);
                used.insert(j);
            }
        }
    }

    /// Each plan month's period, widened to its planned dates.
    fn plan_windows(&self) -> HashMap<YearMonth, (NaiveDate, NaiveDate)> {
        let mut out: HashMap<YearMonth, (NaiveDate, NaiveDate)> = HashMap::new();
        for p in &self.plans {
            let w = out.entry(p.month).or_insert_with(|| period(p.month));
            w.0 = w.0.min(p.date);
            w.1 = w.1.max(p.date);
        }
        out
    }

    /// Pairs records needing a written reply with replies of the same room: the same visit date
    /// first, else the first reply on or after the visit.
    fn match_replies(&mut self, replies: &[ReplyRow]) {
        let mut used = vec![false; replies.len()];
        let mut by_room: HashMap<RoomId, Vec<usize>> = HashMap::new();
        for (k, r) in replies.iter().enumerate() {
            by_room.entry(r.room).or_default().push(k);
        }
        let mut order: Vec<usize> = (0..self.visits.len()).filter(|&j| self.visits[j].needs_reply).collect();
        order.sort_by_key(|&j| (self.visits[j].date, j));
        for pass in [true, false] {
            for &j in &order {
                if self.replies.contains_key(&j) {
                    continue;
                }
                let v = &self.visits[j];
                let found = by_room
                    .get(&v.room)
                    .map_or(&[][..], Vec::as_slice)
                    .iter()
                    .copied()
                    .filter(|&k| !used[k])
                    .filter(
                        |&k| {
                            if pass { replies[k].visit_date == Some(v.date) } else { replies[k].replied >= v.date }
                        },
                    )
                    .min_by_key(|&k| (replies[k].replied, k));
                if let Some(k) = found {
                    used[k] = true;
                    self.replies.insert(j, replies[k].replied);
                }
            }
        }
    }

    /// The written-reply deadline of visit `j`: `reply_days` calendar days after the summary
    /// (or the visit when not summarised), moved off rest days.
    fn reply_due(&self, ctx: &Context<'_>, j: usize) -> Option<Result<NaiveDate, UnknownYear>> {
        let v = self.visits.get(j)?;
        v.needs_reply
            .then(|| ctx.calendar.calendar_deadline(v.summarized.unwrap_or(v.date), ctx.params.visits.reply_days))
    }
}

/// A month's visit figures for the monthly report (3.4.3: 每月公布业主走访数量).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Completion {
    /// Visits planned for the month (form 07 rows of its plan).
    pub planned: usize,
    /// Of those, carried out (a form 08 record of the room in the plan's period).
    pub completed: usize,
    /// Visits recorded in the month (form 08, by visit date), planned or not.
    pub visited: usize,
    /// Of those, by phone.
    pub phone: usize,
    /// phone ÷ visited (0 when nothing was visited); at most `phone_cap` (3.1.4).
    pub phone_share: f64,
    /// Written replies whose deadline falls in the month (3.4.2).
    pub replies_due: usize,
    /// Of those, not replied by the deadline (replied late, or still missing after it).
    pub replies_overdue: usize,
}

/// The figures of `month` as of the run date.
pub fn completion(ctx: &Context<'_>, month: YearMonth) -> Completion {
    let r = Records::read(ctx);
    let mut c = Completion::default();
    for (i, p) in r.plans.iter().enumerate() {
        if p.month == month {
            c.planned += 1;
            c.completed += usize::from(r.done.contains_key(&i));
        }
    }
    for (j, v) in r.visits.iter().enumerate() {
        if YearMonth::of(v.date) == month {
            c.visited += 1;
            c.phone += usize::from(v.phone);
        }
        if let Some(Ok(due)) = r.reply_due(ctx, j)
            && YearMonth::of(due) == month
        {
            c.replies_due += 1;
            let late = match r.replies.get(&j) {
                Some(done) => *done > due,
                None => ctx.as_of > due,
            };
            c.replies_overdue += usize::from(late);
        }
    }
    c.phone_share = if c.visited == 0 { 0.0 } else { c.phone as f64 / c.visited as f64 };
    c
}

/// This procedure's findings.
pub fn findings(ctx: &Context<'_>) -> Vec<Finding> {
    let r = Records::read(ctx);
    let mut out = Vec::new();
    plan_findings(ctx, &r, &mut out);
    phone_findings(ctx, &r, &mut out);
    length_findings(ctx, &r, &mut out);
    reply_findings(ctx, &r, &mut out);
    out
}

/// Planned visits without a record (3.1.2, 3.1.3).
fn plan_findings(ctx: &Context<'_>, r: &Records, out: &mut Vec<Finding>) {
    for (i, p) in r.plans.iter().enumerate() {
        if p.month.first_day() > ctx.as_of || r.done.contains_key(&i) {
            continue;
        }
        let late = r.late.get(&i).and_then(|&j| r.visits.get(j)).map(|v| v.date);
        let (due, state) = match late {
            Some(_) => (period(p.month).1.max(p.date), State::Late),
            None => (p.date, deadline_state(p.date, None, ctx.as_of).unwrap_or(State::Open)),
        };
        let when = match p.time {
            Some(t) => format!("{} {}", p.date, t.format("%H:%M")),
            None => p.date.to_string(),
        };
        let week = p.week.map(|w| format!("第 {w} 周")).unwrap_or_default();
        let who = p.visitor.as_deref().map(|v| format!("（走访人 {v}）")).unwrap_or_default();
        let result = match late {
            Some(d) => format!("计划期至 {due} 结束，{d} 才有走访记录"),
            None if state == State::Open => format!("截至 {} 尚未到计划日期", ctx.as_of),
            None => format!("截至 {} 没有该户在本月计划期内的走访记录", ctx.as_of),
        };
        let mut f = Finding::new(
            PROCEDURE,
            "3.1.2",
            "完成计划走访",
            state,
            format!("{} 走访计划{week}安排 {when} 走访 {}{who}，{result}（{PROCEDURE} 3.1.2、3.1.3）", p.month, p.room),
        )
        .register(RegisterId::Form(7));
        f.row = Some(p.row);
        f.room = Some(p.room);
        f.due = Some(due);
        f.done = late;
        f.owner = Some(p.visitor.clone().unwrap_or_else(|| VISITOR_ROLE.to_string()));
        out.push(f);
    }
}

/// Phone visits over the month's cap, or without the supervisor's consent (3.1.4).
fn phone_findings(ctx: &Context<'_>, r: &Records, out: &mut Vec<Finding>) {
    let cap = ctx.params.visits.phone_cap;
    let mut months: BTreeMap<YearMonth, (usize, usize)> = BTreeMap::new();
    for v in &r.visits {
        let m = months.entry(YearMonth::of(v.date)).or_default();
        m.0 += 1;
        m.1 += usize::from(v.phone);
        if v.phone && v.approved != Some(true) {
            let mut f = Finding::new(PROCEDURE, "3.1.4", "电话走访未经主管同意", State::Breach, format!(
                    "{} 对 {} 电话走访，记录未注明事先经客服主管同意（{PROCEDURE} 3.1.4：电话走访应事先经物业客服主管同意）",
                    v.date, v.room
                )).register(RegisterId::Form(8));
            f.row = Some(v.row);
            f.room = Some(v.room);
            f.done = Some(v.date);
            f.owner = Some(v.visitor.clone().unwrap_or_else(|| VISITOR_ROLE.to_string()));
            out.push(f);
        }
    }
    // A month is judged once it is over: early in a month a single phone visit is a large share.
    for (month, (n, phone)) in months {
        let allowed = floor_share(cap, n);
        if month.last_day() > ctx.as_of || phone <= allowed {
            continue;
        }
        let mut f = Finding::new(PROCEDURE, "3.1.4", "电话走访超过10%", State::Breach, format!(
                "{month} 共走访 {n} 户，其中电话走访 {phone} 户（{:.1}%），超过本期走访户的 {:.0}%（至多 {allowed} 户）（{PROCEDURE} 3.1.4）",
                phone as f64 * 100.0 / n as f64,
                cap * 100.0
            )).register(RegisterId::Form(8));
        f.due = Some(month.last_day());
        f.owner = Some(SUPERVISOR_ROLE.to_string());
        out.push(f);
    }
}

/// Visits shorter or longer than 15–30 minutes (3.1.7).
fn length_findings(ctx: &Context<'_>, r: &Records, out: &mut Vec<Finding>) {
    let p = &ctx.params.visits;
    for v in &r.visits {
        let (Some(start), Some(end)) = (v.start, v.end) else { continue };
        let minutes = (end - start).num_minutes();
        if minutes < 0 {
            continue; // 结束早于开始: `kefu check` reports it.
        }
        let what = if minutes < i64::from(p.min_minutes) {
            "走访时间过短"
        } else if minutes > i64::from(p.max_minutes) {
            "走访时间过长"
        } else {
            continue;
        };
        let mut f = Finding::new(
            PROCEDURE,
            "3.1.7",
            what,
            State::Breach,
            format!(
                "{} {}走访 {}，{} 至 {}，共 {minutes} 分钟，不在 {}–{} 分钟之内（{PROCEDURE} 3.1.7）",
                v.date,
                if v.phone { "电话" } else { "登门" },
                v.room,
                start.format("%H:%M"),
                end.format("%H:%M"),
                p.min_minutes,
                p.max_minutes
            ),
        )
        .register(RegisterId::Form(8));
        f.row = Some(v.row);
        f.room = Some(v.room);
        f.done = Some(v.date);
        f.owner = Some(v.visitor.clone().unwrap_or_else(|| VISITOR_ROLE.to_string()));
        out.push(f);
    }
}

/// Written replies due within 3 days of the summary (3.4.2).
fn reply_findings(ctx: &Context<'_>, r: &Records, out: &mut Vec<Finding>) {
    let days = ctx.params.visits.reply_days;
    for (j, v) in r.visits.iter().enumerate() {
        let Some(due) = r.reply_due(ctx, j) else { continue };
        let owner = v.visitor.clone().unwrap_or_else(|| SUPERVISOR_ROLE.to_string());
        let due = match due {
            Ok(d) => d,
            Err(e) => {
                let mut f = calendar_gap(PROCEDURE, "3.4.2", "书面回复走访意见", &e);
                f.register = Some(RegisterId::Form(8));
                f.row = Some(v.row);
                f.room = Some(v.room);
                f.owner = Some(owner);
                out.push(f);
                continue;
            }
        };
        let done = r.replies.get(&j).copied();
        let Some(state) = deadline_state(due, done, ctx.as_of) else { continue };
        let start = v.summarized.unwrap_or(v.date);
        let from = match v.summarized {
            Some(d) => format!("{d} 汇总"),
            None => format!("汇总日期未填，按走访日期 {d} 起算", d = v.date),
        };
        let plain = start + Duration::days(i64::from(days));
        let moved = if plain == due {
            String::new()
        } else {
            format!("，{plain} 为休息日，顺延至 {due}（民法典第 203 条）")
        };
        let result = match done {
            Some(d) => format!("{d} 才书面回复，晚 {} 天", (d - due).num_days()),
            None if state == State::Overdue => format!("截至 {} 未见走访意见反馈书", ctx.as_of),
            None => format!("截至 {} 尚未回复", ctx.as_of),
        };
        let mut f = Finding::new(PROCEDURE, "3.4.2", "书面回复走访意见", state, format!(
                "{} 走访 {} 的意见需书面回复，{from}，{days} 日（日历日）内应回复，期限 {due}{moved}；{result}（{PROCEDURE} 3.4.2）",
                v.date, v.room
            )).register(RegisterId::Form(8));
        f.row = Some(v.row);
        f.room = Some(v.room);
        f.due = Some(due);
        f.done = done;
        f.owner = Some(owner);
        out.push(f);
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::testkit::Fixture;

    const SURNAMES: [char; 10] = ['赵', '钱', '孙', '李', '周', '吴', '郑', '王', '冯', '陈'];
    const GIVEN: [char; 10] = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    pub(crate) fn ym(s: &str) -> YearMonth {
        s.parse().unwrap()
    }

    fn hm(s: &str) -> NaiveTime {
        NaiveTime::parse_from_str(s, "%H:%M").unwrap()
    }

    /// Room `i` of the test building: 2 units × 25 floors × 2 doors = 100 rooms.
    fn room_of(i: usize) -> String {
        format!("1-{}-{}", i / 50 + 1, (i % 50) / 2 * 100 + 100 + i % 2 + 1)
    }

    /// The rooms ledger: rooms 0–94 occupied (every fifth rented), 95–99 vacant; moved in
    /// 2026-05-01 unless `moved_in` says otherwise; birthdays from `birthday`.
    fn rooms(birthday: impl Fn(usize) -> Option<&'static str>, moved_in: impl Fn(usize) -> &'static str) -> String {
        let mut s = String::new();
        for i in 0..100 {
            let status = if i >= 95 {
                "空置"
            } else if i % 5 == 4 {
                "出租"
            } else {
                "自住"
            };
            s.push_str(&format!(
                "- 房号: {}\n  业主姓名: {}{}\n  联系电话: \"139{:08}\"\n  生日: {}\n  交付日期: 2026-03-01\n  状态: {status}\n",
                room_of(i),
                SURNAMES[i % 10],
                GIVEN[i / 10],
                10_000_000 + i,
                birthday(i).unwrap_or("1970-01-15"),
            ));
            if i < 95 {
                s.push_str(&format!("  入住日期: {}\n", moved_in(i)));
            }
        }
        s
    }

    pub(crate) fn plain_rooms() -> String {
        rooms(|_| None, |_| "2026-05-01")
    }

    /// A form 08 record.
    fn rec08(room: &str, date: &str, start: &str, end: &str, mode: &str, extra: &str) -> String {
        format!(
            "- 房号: {room}\n  被走访人: 张三\n  走访日期: {date}\n  开始时间: \"{start}\"\n  结束时间: \"{end}\"\n  走访形式: {mode}\n  走访人: 何宁丹\n  业务评价: 保安（秩序维护）：满意；保洁（环境卫生）：满意；工程（维修）：满意；社区文化：满意\n  走访人签字: 何宁丹\n  客服主管签字: 王波俊\n{extra}"
        )
    }

    /// A form 07 row.
    fn rec07(month: &str, planned_on: &str, week: u8, date: &str, time: &str, room: &str, status: &str) -> String {
        format!(
            "- 计划月份: {month}\n  入住总户数: 95\n  每周应走访户数: 10\n  制定人: 何宁丹\n  制定日期: {planned_on}\n  审批人: 王波俊\n  周次: {week}\n  计划日期: {date}\n  约定时间: \"{time}\"\n  房号: {room}\n  业主姓名: 张三\n  走访形式: 登门\n  走访人: 何宁丹\n  执行情况: {status}\n"
        )
    }

    /// A form 09 reply.
    fn rec09(room: &str, visit: &str, replied: &str) -> String {
        format!(
            "- 房号: {room}\n  业主姓名: 张三\n  走访日期: {visit}\n  意见摘要: 希望增加园区夜间照明\n  回复日期: {replied}\n  答复内容: 已安排工程部增设路灯\n  联系人: 何宁丹\n  联系电话: \"13900000001\"\n"
        )
    }

    /// An input folder with the test building, two 亲情管家, the real calendar and the given
    /// registers (file name under 台帐/ → YAML), loaded as of `as_of`; it must load without errors.
    fn fixture(as_of: &str, rules: &str, registers: &[(&str, String)]) -> Fixture {
        let config = format!(
            "company: 沈阳银基物业有限公司\nestate: 地王住宅\ndepartment: 客服部\ndocument_control:\n  manual_title: 物业客服部作业指导手册\n  manual_code: 地王住宅/客服部作业手册-01\n  form_prefix: 地王/客服记录\n  edition: 1\n  revision: 0\n  issued: 2007-03-01\n  effective: 2007-03-01\n  prepared_by: 王敏\n  reviewed_by: 吴恒军\n  approved_by: 赵晓红\nproperty:\n  name: 测试花园\n  buildings:\n    - {{ number: 1, units: 2, top_floor: 25, rooms_per_floor: 2 }}\nstaff:\n  - {{ name: 王波俊, roles: [客服主管] }}\n  - {{ name: 何宁丹, roles: [亲情管家] }}\n  - {{ name: 罗静霞, roles: [亲情管家, 入住办理] }}\n  - {{ name: 陈晓, roles: [大堂管家] }}\n{rules}"
        );
        let registers: Vec<(&str, &str)> = registers.iter().map(|(f, t)| (*f, t.as_str())).collect();
        Fixture::builder(d(as_of)).config(&config).registers(&registers).without_base_rooms().build()
    }

    pub(crate) fn estate(rooms: String) -> Fixture {
        fixture("2026-10-31", "", &[("房屋及业主台帐.yaml", rooms)])
    }

    /// What every plan must satisfy, whatever the seed.
    fn assert_valid(ctx: &Context<'_>, plan: &Plan) {
        let p = &ctx.params.visits;
        let rooms: HashSet<RoomId> = plan.visits.iter().map(|v| v.room).collect();
        assert_eq!(rooms.len(), plan.visits.len(), "no household twice in the month");
        for w in &plan.weeks {
            assert_eq!(plan.visits.iter().filter(|v| v.week == w.number).count(), w.quota, "week {}", w.number);
        }
        let phone: Vec<&PlannedVisit> = plan.visits.iter().filter(|v| v.mode == Mode::Phone).collect();
        assert!(phone.len() <= plan.visits.len() / 10, "phone visits at most 10 %");
        for v in &phone {
            assert_eq!(ctx.data.room(v.room).unwrap().status, RoomStatus::Rented);
        }
        let mut taken: HashMap<(&str, NaiveDate), Vec<NaiveTime>> = HashMap::new();
        for v in &plan.visits {
            let slot = v.slot.expect("every visit has a slot");
            let (day, t) = (slot.date(), slot.time());
            let end = t + Duration::minutes(30);
            let windows = if ctx.calendar.is_working_day(day).unwrap() { &p.evening } else { &p.daytime };
            assert!(windows.iter().any(|w| w.start <= t && end <= w.end), "{slot} outside the windows");
            let room = ctx.data.room(v.room).unwrap();
            assert!(room.status.occupied() && room.moved_in.unwrap() <= plan.weeks[usize::from(v.week) - 1].start);
            taken.entry((v.visitor.as_str(), day)).or_default().push(t);
        }
        for ((who, day), mut times) in taken {
            times.sort();
            for pair in times.windows(2) {
                assert!(pair[1] - pair[0] >= Duration::minutes(30), "{who} {day}: {} and {} overlap", pair[0], pair[1]);
            }
        }
    }

    #[test]
    fn weeks_belong_to_the_month_of_their_thursday() {
        // 2026-10-29 is a Thursday: 10-26 … 11-01 is October's; November runs 11-02 … 11-29
        // (12-03 is a Thursday, so 11-30 … 12-06 is December's).
        let nov = weeks_of(ym("2026-11"));
        assert_eq!(nov.len(), 4);
        assert_eq!(nov[0], (d("2026-11-02"), d("2026-11-08")));
        assert_eq!(nov[3], (d("2026-11-23"), d("2026-11-29")));
        // 2026-10-01 is a Thursday: October starts in September and ends in November, 5 weeks.
        let oct = weeks_of(ym("2026-10"));
        assert_eq!(oct.len(), 5);
        assert_eq!((oct[0].0, oct[4].1), (d("2026-09-28"), d("2026-11-01")));
        // 2026-02-01 is a Sunday, so February's first week starts on 02-02; 02-26 is its last Thursday.
        let feb = weeks_of(ym("2026-02"));
        assert_eq!((feb.len(), feb[0].0, feb[3].1), (4, d("2026-02-02"), d("2026-03-01")));
        // 2026-12-31 is a Thursday: December's last week ends on 2027-01-03.
        assert_eq!(weeks_of(ym("2026-12")).last().unwrap().1, d("2027-01-03"));
    }

    #[test]
    fn the_weekly_quota_is_ten_percent_rounded_up() {
        assert_eq!(quota(0.10, 95), 10);
        assert_eq!(quota(0.10, 90), 9);
        assert_eq!(quota(0.10, 91), 10);
        assert_eq!(quota(0.10, 30), 3, "0.1 × 30 is 3.0000000000000004 in floating point");
        assert_eq!(quota(0.10, 1202), 121);
        assert_eq!(quota(0.10, 0), 0);
        assert_eq!(floor_share(0.10, 40), 4);
        assert_eq!(floor_share(0.10, 39), 3);
        assert_eq!(floor_share(0.10, 9), 0);
    }

    #[test]
    fn a_november_plan_visits_ten_of_95_households_a_week_at_weekends() {
        let f = estate(plain_rooms());
        let ctx = f.ctx();
        let plan = plan(&ctx, ym("2026-11"), 7).unwrap();
        // 95 occupied households → ⌈9.5⌉ = 10 a week, 4 weeks, 40 visits; 10-30 is the last
        // working day before the first week (10-31 and 11-01 are a weekend).
        assert_eq!(plan.weeks.len(), 4);
        assert!(plan.weeks.iter().all(|w| w.occupied == 95 && w.quota == 10 && w.planned == 10));
        assert_eq!(plan.visits.len(), 40);
        assert_eq!(plan.planned_on, d("2026-10-30"));
        assert_eq!(plan.planner, "何宁丹");
        assert_eq!(plan.phone_cap, 4);
        assert_valid(&ctx, &plan);
        // 19 rooms are rented; the phone visits are ⌊10 % × 40⌋ = 4 when 4 rented rooms are drawn.
        let rented = plan.visits.iter().filter(|v| ctx.data.room(v.room).unwrap().status == RoomStatus::Rented).count();
        let phone = plan.visits.iter().filter(|v| v.mode == Mode::Phone).count();
        assert_eq!(phone, rented.min(4));
        // No holiday in November and 2 visitors × 24 weekend slots a week: all visits at weekends.
        assert!(plan.visits.iter().all(|v| matches!(v.slot.unwrap().weekday(), Weekday::Sat | Weekday::Sun)));
        // Both visitors share the work.
        let first = plan.visits.iter().filter(|v| v.visitor == "何宁丹").count();
        assert_eq!(first, 20);
        assert!(plan.visits.iter().all(|v| v.why.starts_with("最久未走访（从未走访）")));

        let summary = plan.summary();
        assert!(summary.contains("按周四所在月份归属") && summary.contains("共 40 户"), "{summary}");
    }

    #[test]
    fn households_move_in_during_the_month_and_join_later_weeks() {
        // October 2026: weeks 09-28, 10-05, 10-12, 10-19, 10-26. Rooms 90–94 move in on 10-10:
        // 90 households in weeks 1–2 (quota 9), 95 from week 3 (quota 10).
        let f = estate(rooms(|_| None, |i| if i >= 90 { "2026-10-10" } else { "2026-05-01" }));
        let ctx = f.ctx();
        let plan = plan(&ctx, ym("2026-10"), 7).unwrap();
        let quotas: Vec<(usize, usize)> = plan.weeks.iter().map(|w| (w.occupied, w.quota)).collect();
        assert_eq!(quotas, vec![(90, 9), (90, 9), (95, 10), (95, 10), (95, 10)]);
        // The plan is made before Monday 09-28: 09-27 is a Sunday, 09-25 … 09-26 中秋 → Thursday 09-24.
        assert_eq!(plan.planned_on, d("2026-09-24"));
        // 国庆 starts 10-01, so week 1 holds its eve, Wednesday 09-30.
        assert_eq!(plan.weeks[0].festival_eves, vec![d("2026-09-30")]);
        assert_valid(&ctx, &plan);
    }

    #[test]
    fn an_owner_whose_birthday_falls_in_a_week_is_visited_that_week() {
        // Rooms 0, 1 and 2 have birthdays in the third week (11-16 … 11-22); nobody was visited,
        // so all tie on "longest since the last visit" and the birthdays decide.
        let birthdays = |i| match i {
            0 => Some("1980-11-18"),
            1 => Some("1975-11-22"),
            2 => Some("1990-11-16"),
            _ => None,
        };
        let f = estate(rooms(birthdays, |_| "2026-05-01"));
        let ctx = f.ctx();
        for seed in [1, 2, 3] {
            let plan = plan(&ctx, ym("2026-11"), seed).unwrap();
            for (i, day) in [(0, "2026-11-18"), (1, "2026-11-22"), (2, "2026-11-16")] {
                let room: RoomId = room_of(i).parse().unwrap();
                let v = plan.visits.iter().find(|v| v.room == room).expect("birthday household planned");
                assert_eq!((v.week, v.occasion, v.birthday), (3, Occasion::Birthday, Some(d(day))), "seed {seed}");
                assert!(v.why.contains("生日所在周"), "{}", v.why);
            }
            assert_valid(&ctx, &plan);
        }
    }

    #[test]
    fn the_longest_unvisited_come_first() {
        // Rooms 0–8: never visited; room 9: only a form 07 row (已走访 2026-09-05); rooms 10–14:
        // visited 2026-07-05; rooms 15–94: visited 2026-10-10.
        let mut r08 = String::new();
        for i in 10..95 {
            let date = if i < 15 { "2026-07-05" } else { "2026-10-10" };
            r08.push_str(&rec08(&room_of(i), date, "19:00", "19:20", "登门", "  需书面回复: 否\n"));
        }
        let r07 = rec07("2026-09", "2026-08-28", 1, "2026-09-05", "10:00", &room_of(9), "已走访");
        let f = fixture(
            "2026-10-31",
            "",
            &[("房屋及业主台帐.yaml", plain_rooms()), ("07-业主走访工作计划.yaml", r07), ("08-业主走访记录.yaml", r08)],
        );
        let ctx = f.ctx();
        for seed in [7, 8] {
            let plan = plan(&ctx, ym("2026-11"), seed).unwrap();
            let week = |n: u8| -> HashSet<String> {
                plan.visits.iter().filter(|v| v.week == n).map(|v| v.room.to_string()).collect()
            };
            let (w1, w2) = (week(1), week(2));
            assert!((0..9).all(|i| w1.contains(&room_of(i))), "never visited first: {w1:?}");
            let july: Vec<String> = (10..15).map(room_of).collect();
            assert_eq!(july.iter().filter(|r| w1.contains(*r)).count(), 1, "then one of the July visits");
            assert!(july.iter().all(|r| w1.contains(r) || w2.contains(r)), "the other July visits in week 2");
            assert!(w2.contains(&room_of(9)), "then the 09-05 plan row, for want of an 08 record");
            let v = plan.visits.iter().find(|v| v.room.to_string() == room_of(9)).unwrap();
            assert_eq!(v.last_visit, Some(d("2026-09-05")));
            assert!(v.why.contains("上次 2026-09-05"), "{}", v.why);
            assert_valid(&ctx, &plan);
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_plan_and_another_seed_another() {
        let f = estate(plain_rooms());
        let ctx = f.ctx();
        let a = plan(&ctx, ym("2026-11"), 7).unwrap();
        let b = plan(&ctx, ym("2026-11"), 7).unwrap();
        let c = plan(&ctx, ym("2026-11"), 8).unwrap();
        assert_eq!(a, b);
        let rooms = |p: &Plan| p.visits.iter().map(|v| v.room).collect::<Vec<_>>();
        assert_ne!(rooms(&a), rooms(&c));
        assert_valid(&ctx, &c);
    }

    #[test]
    fn a_make_up_sunday_is_worked_and_a_festival_eve_draws_the_visits_before_it() {
        // One 30-minute daytime slot per rest day: the rest goes to evenings. September 2026:
        // weeks 08-31 … 09-27; Sunday 09-20 is a 调休 workday (evening only); 中秋 is 09-25 … 09-27,
        // so its eve is Thursday 09-24.
        let f = fixture(
            "2026-08-31",
            "rules:\n  visits:\n    daytime: [\"09:00-09:30\"]\n",
            &[("房屋及业主台帐.yaml", plain_rooms())],
        );
        let ctx = f.ctx();
        let plan = plan(&ctx, ym("2026-09"), 7).unwrap();
        assert_valid(&ctx, &plan);
        assert_eq!(plan.planned_on, d("2026-08-28"));
        let in_week = |n: u8| plan.visits.iter().filter(move |v| v.week == n);
        // Week 3: Saturday 09-19 gives 2 daytime slots (one per visitor); Sunday 09-20 only evenings.
        let sat = in_week(3).filter(|v| v.slot.unwrap().date() == d("2026-09-19")).count();
        assert_eq!(sat, 2);
        assert!(
            in_week(3)
                .filter(|v| v.slot.unwrap().date() == d("2026-09-20"))
                .all(|v| v.slot.unwrap().time() >= hm("19:00"))
        );
        assert_eq!(in_week(3).filter(|v| v.slot.unwrap().time() >= hm("19:00")).count(), 8);
        // Week 4: all 10 visits on the evenings up to the eve, marked 节日前夕.
        assert_eq!(plan.weeks[3].festival_eves, vec![d("2026-09-24")]);
        for v in in_week(4) {
            let s = v.slot.unwrap();
            assert!(s.date() <= d("2026-09-24") && s.time() >= hm("19:00"), "{s}");
            assert_eq!(v.occasion, Occasion::FestivalEve);
            assert!(v.why.contains("节日前夕（09-24 前）"), "{}", v.why);
        }
        assert!(in_week(1).all(|v| v.occasion == Occasion::Routine));
    }

    #[test]
    fn a_plan_reaching_into_2027_is_refused_naming_the_year() {
        let f = estate(plain_rooms());
        let ctx = f.ctx();
        let err = plan(&ctx, ym("2027-03"), 7).unwrap_err().to_string();
        assert!(err.contains("2027 年的放假安排尚未录入"), "{err}");
        // December 2026's last week runs to 2027-01-03: its days cannot be told either.
        let err = plan(&ctx, ym("2026-12"), 7).unwrap_err().to_string();
        assert!(err.contains("2027"), "{err}");
    }

    #[test]
    fn parameters_parse_and_refuse_bad_times() {
        let p: Params =
            crate::yaml::from_str("evening: [\"18:30-20:00\"]\nfestival_eves: [\"12-24\"]\n", Path::new("x")).unwrap();
        assert_eq!(p.evening, vec![Window { start: hm("18:30"), end: hm("20:00") }]);
        assert_eq!(p.festival_eves, vec![MonthDay { month: 12, day: 24 }]);
        assert_eq!(p.reply_days, 3);
        assert!(crate::yaml::from_str::<Params>("evening: [\"20:30-19:00\"]\n", Path::new("x")).is_err());
        assert!(crate::yaml::from_str::<Params>("festival_eves: [\"02-30\"]\n", Path::new("x")).is_err());
        assert!(crate::yaml::from_str::<Params>("weekly_share: 0.2\n", Path::new("x")).is_err());
    }

    /// Plans, visits and replies of September and October 2026, read on 2026-10-20.
    fn records() -> Fixture {
        let r07 = [
            rec07("2026-09", "2026-08-28", 4, "2026-09-26", "10:00", "1-1-202", "改期"),
            rec07("2026-10", "2026-09-30", 2, "2026-10-10", "19:00", "1-1-101", ""),
            rec07("2026-10", "2026-09-30", 2, "2026-10-12", "19:30", "1-1-102", ""),
            rec07("2026-10", "2026-09-30", 4, "2026-10-25", "10:00", "1-1-201", ""),
        ]
        .concat()
        .replace("  执行情况: \n", "");
        let reply = |summary: &str| format!("  需书面回复: 是\n  汇总日期: {summary}\n");
        let r08 = [
            rec08("1-1-302", "2026-09-12", "10:00", "10:20", "登门", "  需书面回复: 否\n"),
            rec08("1-1-301", "2026-09-19", "10:00", "10:15", "电话", "  需书面回复: 否\n"),
            rec08("1-2-202", "2026-09-28", "19:00", "19:20", "登门", &reply("2026-09-29")),
            rec08("1-2-102", "2026-09-29", "19:00", "19:20", "登门", &reply("2026-09-29")),
            rec08("1-2-201", "2026-09-29", "19:30", "19:50", "登门", &reply("2026-09-29")),
            rec08("1-1-202", "2026-10-02", "10:00", "10:10", "电话", "  主管事先同意: 是\n  需书面回复: 否\n"),
            rec08("1-2-101", "2026-10-03", "09:00", "09:35", "登门", "  需书面回复: 否\n"),
            rec08("1-1-101", "2026-10-11", "19:00", "19:20", "登门", "  需书面回复: 否\n"),
            rec08("1-2-301", "2026-10-19", "19:00", "19:25", "登门", &reply("2026-10-19")),
        ]
        .concat();
        let r09 = [rec09("1-2-102", "2026-09-29", "2026-10-08"), rec09("1-2-201", "2026-09-29", "2026-10-09")].concat();
        fixture(
            "2026-10-20",
            "",
            &[
                ("房屋及业主台帐.yaml", plain_rooms()),
                ("07-业主走访工作计划.yaml", r07),
                ("08-业主走访记录.yaml", r08),
                ("09-走访意见反馈书.yaml", r09),
            ],
        )
    }

    #[test]
    fn findings_cover_plans_phone_visits_lengths_and_replies() {
        let f = records();
        let ctx = f.ctx();
        let all = findings(&ctx);
        type Row<'a> = (String, &'a str, State, Option<NaiveDate>, Option<NaiveDate>);
        let got: Vec<Row<'_>> = all
            .iter()
            .map(|f| (f.room.map_or(String::new(), |r| r.to_string()), f.what.as_str(), f.state, f.due, f.done))
            .collect();
        let want = vec![
            // 1-1-101 planned 10-10, visited 10-11: done. 1-1-102 planned 10-12: overdue.
            // 1-1-201 planned 10-25: still to come. 1-1-202 planned 09-26 for September
            // (period 08-31 … 09-30), visited only on 10-02: late.
            ("1-1-202".to_string(), "完成计划走访", State::Late, Some(d("2026-09-30")), Some(d("2026-10-02"))),
            ("1-1-102".to_string(), "完成计划走访", State::Overdue, Some(d("2026-10-12")), None),
            ("1-1-201".to_string(), "完成计划走访", State::Open, Some(d("2026-10-25")), None),
            // 1-1-301: a phone visit without the supervisor's consent.
            ("1-1-301".to_string(), "电话走访未经主管同意", State::Breach, None, Some(d("2026-09-19"))),
            // September: 5 visits, 1 by phone = 20 % > 10 % (⌊0.5⌋ = 0 allowed). October is not over.
            (String::new(), "电话走访超过10%", State::Breach, Some(d("2026-09-30")), None),
            // 10 and 35 minutes; 15 (1-1-301) and 25 are within 15–30.
            ("1-1-202".to_string(), "走访时间过短", State::Breach, None, Some(d("2026-10-02"))),
            ("1-2-101".to_string(), "走访时间过长", State::Breach, None, Some(d("2026-10-03"))),
            // Summary 09-29 + 3 days = 10-02, in 国庆 (10-01 … 10-07) → 10-08. 1-2-102 replied
            // 10-08: in time. 1-2-201 replied 10-09: late. 1-2-202: no reply, overdue.
            ("1-2-202".to_string(), "书面回复走访意见", State::Overdue, Some(d("2026-10-08")), None),
            ("1-2-201".to_string(), "书面回复走访意见", State::Late, Some(d("2026-10-08")), Some(d("2026-10-09"))),
            // Summary 10-19 + 3 = 10-22, a Thursday: still open on 10-20.
            ("1-2-301".to_string(), "书面回复走访意见", State::Open, Some(d("2026-10-22")), None),
        ];
        assert_eq!(got, want);
        let by_room = |room: &str, what: &str| {
            all.iter().find(|f| f.what == what && f.room.is_some_and(|r| r.to_string() == room)).unwrap()
        };
        let late = by_room("1-2-201", "书面回复走访意见");
        assert!(late.why.contains("2026-10-02 为休息日，顺延至 2026-10-08"), "{}", late.why);
        assert_eq!(late.owner.as_deref(), Some("何宁丹"));
        let overdue = by_room("1-1-102", "完成计划走访");
        assert_eq!((overdue.register, overdue.row), (Some(RegisterId::Form(7)), Some(2)));
        assert!(overdue.why.contains("2026-10-12 19:30"), "{}", overdue.why);
    }

    #[test]
    fn completion_counts_a_month() {
        let f = records();
        let ctx = f.ctx();
        let oct = completion(&ctx, ym("2026-10"));
        let want = Completion {
            planned: 3,
            completed: 1,
            visited: 4,
            phone: 1,
            phone_share: 0.25,
            replies_due: 4,
            replies_overdue: 2,
        };
        assert_eq!(oct, want);
        let sep = completion(&ctx, ym("2026-09"));
        assert_eq!((sep.planned, sep.completed, sep.visited, sep.phone, sep.replies_due), (1, 0, 5, 1, 0));
    }

    #[test]
    fn a_reply_due_in_2027_is_a_calendar_gap() {
        // Summary 2026-12-30 + 3 days = 2027-01-02: the calendar cannot say whether that is worked.
        let r08 =
            rec08("1-1-101", "2026-12-29", "19:00", "19:20", "登门", "  需书面回复: 是\n  汇总日期: 2026-12-30\n");
        let f = fixture("2026-12-31", "", &[("房屋及业主台帐.yaml", plain_rooms()), ("08-业主走访记录.yaml", r08)]);
        let all = findings(&f.ctx());
        assert_eq!(all.len(), 1);
        assert_eq!((all[0].clause, all[0].state, all[0].row), ("3.4.2", State::Unknown, Some(0)));
        assert!(all[0].why.contains("2027 年的放假安排尚未录入"), "{}", all[0].why);
    }

    #[test]
    fn missing_registers_give_no_findings() {
        let f = estate(plain_rooms());
        let ctx = f.ctx();
        assert!(findings(&ctx).is_empty());
        assert_eq!(completion(&ctx, ym("2026-10")), Completion::default());
    }
}
