//! The front desk's other services: smart cards (“智能卡”管理规程 3.1 3), forms 27–28), letting
//! commissions (租务管理规程 4.6, forms 29–30), tennis-court bookings (网球场管理规程 3.1, form
//! 13) and hot-water meter readings and renewal notices (热水经营管理规程 3.1.3–3.1.4, form 12).
//!
//! Input: the [`Context`]. Output: [`Finding`]s — cards given free beyond the allowance or extra
//! cards not charged; a commission other than the first month's rent; bookings outside opening
//! hours, booked too early or too late, with too many players, or changed too late; readings
//! outside the quarter-end window, a quarter passed without a reading, renewals past their
//! deadline. Failure: none; a quarter end in a year the calendar lacks gives one calendar-gap
//! finding per year.
//!
//! Hot water, kept simple: form 12 is the only hot-water record kefu reads — each row is one
//! quarter-end reading with the renewal notice that follows it. A room is expected to be read
//! every quarter once it has a reading; the window ends on the 30th, or on the next working day
//! when the 30th is a rest day (民法典 art. 203: the owner has to be at home for the reading). A
//! renewal counts as settled when the owner's 回执 came back, and a notice is superseded by the
//! room's next reading (whose notice restates the balance and asks for what is then due); kefu
//! has no payment register for hot water to say more.

use std::collections::{BTreeSet, HashMap};

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

use super::{Context, Finding, State, UnknownYear, View, calendar_gap, deadline_state};
use crate::model::Value;
use crate::parse::money::format_fen;
use crate::parse::room::RoomId;

const CARDS: &str = "“智能卡”管理规程";
const RENTALS: &str = "租务管理规程";
const TENNIS: &str = "网球场管理规程";
const HOT_WATER: &str = "热水经营管理规程";

/// Parameters of the services' rules; defaults are the manual's.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Params {
    /// “智能卡”管理规程 3.1 3).
    pub cards: CardParams,
    /// 租务管理规程 4.6.
    pub rentals: RentalParams,
    /// 网球场管理规程 3.1.
    pub tennis: TennisParams,
    /// 热水经营管理规程 3.1.3–3.1.4.
    pub hot_water: HotWaterParams,
}

/// Smart cards.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct CardParams {
    /// 3.1 3): free cards per household: as many as its registered occupants, "但不超过3张".
    pub free_cards_max: i64,
    /// 3.1 3): the charge per extra card, in 元 ("每增加1张收取相应的费用", no figure given). Unset:
    /// any amount above zero will do; set: the fee must be the number of extra cards × this.
    #[serde(with = "yuan")]
    pub extra_card_fee: Option<i64>,
}

impl Default for CardParams {
    fn default() -> CardParams {
        CardParams { free_cards_max: 3, extra_card_fee: None }
    }
}

/// Letting commissions.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct RentalParams {
    /// 4.6: the commission, in months of the first month's rent, paid by the tenant
    /// ("以首次月租金的金额为标准，收取承租方的中介费用").
    pub commission_months: i64,
}

impl Default for RentalParams {
    fn default() -> RentalParams {
        RentalParams { commission_months: 1 }
    }
}

/// Tennis-court bookings.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct TennisParams {
    /// 3.1 第1条: opening time, "早7:00".
    pub open: NaiveTime,
    /// 3.1 第1条: closing time, "晚21:00": a slot must end by then.
    pub close: NaiveTime,
    /// 3.1 第2条: days between booking and play, at least ("提前一天预订").
    pub min_days_ahead: i64,
    /// 3.1 第2条: days between booking and play, at most ("三日之内的场地").
    pub max_days_ahead: i64,
    /// 3.1 第2条: players per court ("非特殊情况下每个场地最多入场六人").
    pub max_players: i64,
    /// 3.1 第3条: hours before the slot by which a change must be made ("必须在所定场次四小时前").
    pub change_hours: i64,
}

impl Default for TennisParams {
    fn default() -> TennisParams {
        TennisParams {
            open: NaiveTime::from_hms_opt(7, 0, 0).unwrap_or(NaiveTime::MIN),
            close: NaiveTime::from_hms_opt(21, 0, 0).unwrap_or(NaiveTime::MIN),
            min_days_ahead: 1,
            max_days_ahead: 3,
            max_players: 6,
            change_hours: 4,
        }
    }
}

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
    #[serde(with = "yuan::required")]
    pub min_balance: i64,
}

impl Default for HotWaterParams {
    fn default() -> HotWaterParams {
        HotWaterParams { quarter_months: vec![3, 6, 9, 12], read_from_day: 25, read_to_day: 30, min_balance: 0 }
    }
}

/// Amounts in 元 in `kefu.yaml` (`20`, `20.5` or `"¥20.50"`), held in fen.
mod yuan {
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serializer};

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Number(f64),
        Text(String),
    }

    fn fen<E: serde::de::Error>(raw: Raw) -> Result<i64, E> {
        let fen = match raw {
            Raw::Number(x) => crate::parse::money::money_from_f64(x),
            Raw::Text(s) => crate::parse::money::parse_money(&s),
        }
        .map_err(E::custom)?;
        if fen < 0 { Err(E::custom("金额不能为负数")) } else { Ok(fen) }
    }

    pub fn serialize<S: Serializer>(v: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(f) => s.serialize_f64(*f as f64 / 100.0),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
        Option::<Raw>::deserialize(d)?.map(fen).transpose()
    }

    pub mod required {
        use super::*;

        pub fn serialize<S: Serializer>(v: &i64, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_f64(*v as f64 / 100.0)
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
            fen(Raw::deserialize(d).map_err(|_| D::Error::custom("应填写金额（元），如 20 或 20.50"))?)
        }
    }
}

/// This rule's findings.
pub fn findings(ctx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    cards(ctx, &mut out);
    rentals(ctx, &mut out);
    tennis(ctx, &mut out);
    hot_water(ctx, &mut out);
    out
}

/// A finding about record `row` of `v`.
fn about(procedure: &'static str, clause: &'static str, v: &View<'_>, row: usize, what: &str, why: String) -> Finding {
    Finding {
        procedure,
        clause,
        what: what.to_string(),
        register: Some(v.id),
        row: Some(row),
        room: None,
        due: None,
        done: None,
        owner: None,
        state: State::Breach,
        why,
    }
}

/// The name in a name or signature field.
fn name(v: &View<'_>, row: usize, key: &str) -> Option<String> {
    match v.value(row, key)? {
        Value::Signature(s) => s.by.filter(|n| !n.is_empty()),
        Value::Text(t) if !t.trim().is_empty() => Some(t),
        _ => None,
    }
}

fn yuan(fen: i64) -> String {
    format!("{} 元", format_fen(fen))
}

// ---------------------------------------------------------------- smart cards (27, 28)

fn cards(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let p = &ctx.params.services.cards;
    if let Some(v) = ctx.form(28) {
        for row in v.rows() {
            card_issue(ctx, p, &v, row, out);
        }
    }
    if let Some(v) = ctx.form(27) {
        for row in v.rows() {
            if v.text(row, "matter") == Some("增加") {
                let extra = v.int(row, "count").unwrap_or(1);
                let subject = format!(
                    "{} {} 增加智能卡 {extra} 张",
                    v.date(row, "handled_on").map(|d| d.to_string()).unwrap_or_default(),
                    v.room(row, "room").map(|r| r.to_string()).unwrap_or_default()
                );
                extra_fee(p, &v, row, extra, &subject, out);
            }
        }
    }
}

/// 28: free cards within the allowance, extra cards charged.
fn card_issue(ctx: &Context<'_>, p: &CardParams, v: &View<'_>, row: usize, out: &mut Vec<Finding>) {
    let room = v.room(row, "room");
    let residents = v.int(row, "residents").or_else(|| room.and_then(|r| ctx.data.room(r)?.residents));
    let free = v.int(row, "free_cards").unwrap_or(0);
    let extra = v.int(row, "extra_cards").unwrap_or(0);
    let day = v.date(row, "issued_on").map(|d| d.to_string()).unwrap_or_default();
    let subject = format!("{day} {} 发放智能卡", room.map(|r| r.to_string()).unwrap_or_default());
    let owner = name(v, row, "clerk").unwrap_or_else(|| "大堂管家".to_string());
    let start = out.len();
    if let Some(n) = residents {
        let allowed = n.clamp(0, p.free_cards_max);
        if free > allowed {
            out.push(about(
                CARDS,
                "3.1 3)",
                v,
                row,
                "赠送智能卡超过规定",
                format!(
                    "{subject}：登记人数 {n} 人，赠送 {free} 张；每户赠送数量与入住登记人数一致，但不超过 {} 张，应至多赠送 {allowed} 张（“智能卡”管理规程 3.1 3)）",
                    p.free_cards_max
                ),
            ));
        } else if free < allowed && extra > 0 {
            out.push(about(
                CARDS,
                "3.1 3)",
                v,
                row,
                "应赠送的智能卡被收费",
                format!(
                    "{subject}：登记人数 {n} 人，应赠送 {allowed} 张，实际赠送 {free} 张，却收费增加 {extra} 张；赠送数量与入住登记人数一致，超出部分才收费（“智能卡”管理规程 3.1 3)）"
                ),
            ));
        }
    }
    if extra > 0 {
        extra_fee(p, v, row, extra, &format!("{subject}，增加 {extra} 张"), out);
    }
    for f in &mut out[start..] {
        f.room = room;
        f.owner = Some(owner.clone());
    }
}

/// Extra cards must be charged: any amount, or `extra × extra_card_fee` when that is set.
fn extra_fee(p: &CardParams, v: &View<'_>, row: usize, extra: i64, subject: &str, out: &mut Vec<Finding>) {
    let fee = v.int(row, "fee");
    let (what, why) = match (fee, p.extra_card_fee) {
        (None | Some(..=0), _) => (
            "加办智能卡未收费",
            format!("{subject}，未填写收费金额；业主需增加的，每增加 1 张收取相应的费用（“智能卡”管理规程 3.1 3)）"),
        ),
        (Some(f), Some(each)) if f != extra * each => (
            "加办智能卡收费不符",
            format!(
                "{subject}，收费 {}；每张 {}，应收 {}（“智能卡”管理规程 3.1 3)）",
                yuan(f),
                yuan(each),
                yuan(extra * each)
            ),
        ),
        _ => return,
    };
    let start = out.len();
    out.push(about(CARDS, "3.1 3)", v, row, what, why));
    for f in &mut out[start..] {
        f.room = v.room(row, "room");
        f.owner = Some(name(v, row, "clerk").unwrap_or_else(|| "大堂管家".to_string()));
    }
}

// ---------------------------------------------------------------- rentals (29, 30)

/// A letting of form 29: room, signing day, monthly rent.
struct Letting {
    room: RoomId,
    signed: Option<NaiveDate>,
    rent: i64,
}

fn rentals(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let months = ctx.params.services.rentals.commission_months;
    let mut lettings = Vec::new();
    if let Some(v) = ctx.form(29) {
        for row in v.rows() {
            if v.text(row, "business") != Some("出租") {
                continue;
            }
            let (Some(room), Some(rent)) = (v.room(row, "room"), v.int(row, "deal_price")) else { continue };
            let signed = v.date(row, "signed_on");
            lettings.push(Letting { room, signed, rent });
            if let Some(commission) = v.int(row, "commission")
                && commission != rent * months
            {
                let why = format!(
                    "{room} 出租 {}：成交月租金 {}，佣金 {}；中介费用以首次月租金的金额为标准向承租方收取，应为 {}（租务管理规程 4.6）",
                    signed.map(|d| format!("{d} 签约")).unwrap_or_default(),
                    yuan(rent),
                    yuan(commission),
                    yuan(rent * months)
                );
                out.push(Finding {
                    room: Some(room),
                    owner: Some(name(&v, row, "agent").unwrap_or_else(|| "客服内勤".to_string())),
                    done: signed,
                    ..about(RENTALS, "4.6", &v, row, "佣金不等于首月租金", why)
                });
            }
        }
    }
    let Some(v) = ctx.form(30) else { return };
    for row in v.rows() {
        let Some(commission) = v.int(row, "commission") else { continue };
        let room = v.room(row, "room");
        let signed = v.date(row, "contract_date");
        let (rent, source) = match v.int(row, "monthly_rent") {
            Some(r) => (r, "付佣说明月租金"),
            None => {
                // The agency register's letting of the same room, signed that day or else the
                // latest one before.
                let found = lettings
                    .iter()
                    .filter(|l| Some(l.room) == room && (signed.is_none() || l.signed <= signed))
                    .max_by_key(|l| (l.signed == signed, l.signed));
                match found {
                    Some(l) => (l.rent, "代理出租记录成交价"),
                    None => continue,
                }
            }
        };
        if commission == rent * months {
            continue;
        }
        let why = format!(
            "{} 承租方 {} 的付佣说明{}：{source} {}，中介费用 {}；以首次月租金的金额为标准收取承租方的中介费用，应为 {}（租务管理规程 4.6）",
            room.map(|r| r.to_string()).unwrap_or_default(),
            v.text(row, "tenant").unwrap_or(""),
            signed.map(|d| format!("（{d} 签约）")).unwrap_or_default(),
            yuan(rent),
            yuan(commission),
            yuan(rent * months)
        );
        out.push(Finding {
            room,
            owner: Some(name(&v, row, "agent_signature").unwrap_or_else(|| "客服内勤".to_string())),
            done: signed,
            ..about(RENTALS, "4.6", &v, row, "佣金不等于首月租金", why)
        });
    }
}

// ---------------------------------------------------------------- tennis (13)

fn time(v: &View<'_>, row: usize, key: &str) -> Option<NaiveTime> {
    match v.value(row, key)? {
        Value::Time(t) => Some(t),
        Value::Datetime(dt) => Some(dt.time()),
        _ => None,
    }
}

fn tennis(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(v) = ctx.form(13) else { return };
    let p = &ctx.params.services.tennis;
    for row in v.rows() {
        let (Some(booked), Some(play)) = (v.date(row, "booked_on"), v.date(row, "play_date")) else { continue };
        let (start, end) = (time(&v, row, "start_time"), time(&v, row, "end_time"));
        let slot = match (start, end) {
            (Some(s), Some(e)) => format!(" {}–{}", s.format("%H:%M"), e.format("%H:%M")),
            (Some(s), None) => format!(" {} 起", s.format("%H:%M")),
            _ => String::new(),
        };
        let subject = format!(
            "{}{play}{slot} {}（{} 订场）",
            v.text(row, "ticket_no").map(|t| format!("票号 {t}，")).unwrap_or_default(),
            v.text(row, "court").unwrap_or(""),
            booked
        );
        let start_of = out.len();
        if let Some(s) = start
            && (s < p.open || s >= p.close || end.is_some_and(|e| e > p.close))
        {
            out.push(about(
                TENNIS,
                "3.1 第1条",
                &v,
                row,
                "订场超出开放时间",
                format!(
                    "{subject}：网球场开放时间为 {}～{}（网球场管理规程 3.1 第1条）",
                    p.open.format("%H:%M"),
                    p.close.format("%H:%M")
                ),
            ));
        }
        let ahead = (play - booked).num_days();
        if ahead < p.min_days_ahead || ahead > p.max_days_ahead {
            out.push(about(
                TENNIS,
                "3.1 第2条",
                &v,
                row,
                "订场提前天数不符",
                format!(
                    "{subject}：订场日期 {booked}，使用日期 {play}，提前 {ahead} 天；须提前 {} 天预订 {} 日之内的场地（网球场管理规程 3.1 第2条）",
                    p.min_days_ahead, p.max_days_ahead
                ),
            ));
        }
        if let Some(n) = v.int(row, "players")
            && n > p.max_players
        {
            out.push(about(
                TENNIS,
                "3.1 第2条",
                &v,
                row,
                "每场入场人数超限",
                format!(
                    "{subject}：入场 {n} 人；非特殊情况下每个场地最多入场 {} 人（网球场管理规程 3.1 第2条）",
                    p.max_players
                ),
            ));
        }
        if let Some(changed) = v.datetime(row, "changed_at") {
            change(p, &v, row, &subject, (play, start, changed), out);
        }
        for f in &mut out[start_of..] {
            f.room = v.room(row, "room");
            f.due = Some(play);
            f.owner = Some(name(&v, row, "clerk").unwrap_or_else(|| "大堂管家".to_string()));
        }
    }
}

/// 3.1 第3条: a change at least `change_hours` before the slot; for the weather, on the day.
fn change(
    p: &TennisParams,
    v: &View<'_>,
    row: usize,
    subject: &str,
    (play, start, changed): (NaiveDate, Option<NaiveTime>, NaiveDateTime),
    out: &mut Vec<Finding>,
) {
    let at = changed.format("%Y-%m-%d %H:%M");
    if v.text(row, "change_reason") == Some("天气原因") {
        if changed.date() != play {
            out.push(about(
                TENNIS,
                "3.1 第3条",
                v,
                row,
                "天气改场不在当天",
                format!("{subject}：因天气于 {at} 改场；因天气情况需改场时，限在当天（{play}）更改，隔日票作废（网球场管理规程 3.1 第3条）"),
            ));
        }
        return;
    }
    let Some(start) = start else { return };
    let latest = play.and_time(start) - Duration::hours(p.change_hours);
    if changed > latest {
        out.push(about(
            TENNIS,
            "3.1 第3条",
            v,
            row,
            "改场晚于场次前规定时间",
            format!(
                "{subject}：{at} 改场；因特殊原因需改场时，必须在所定场次 {} 小时前（{} 前）带票更改（网球场管理规程 3.1 第3条）",
                p.change_hours,
                latest.format("%Y-%m-%d %H:%M")
            ),
        ));
    }
}

// ---------------------------------------------------------------- hot water (12)

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
            out.push(calendar_gap(HOT_WATER, "3.1.3", what, e));
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

fn hot_water(ctx: &Context<'_>, out: &mut Vec<Finding>) {
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
    out.push(Finding {
        room: Some(r.room),
        due: Some(end),
        done: Some(r.date),
        owner: Some("亲情管家".to_string()),
        ..about(HOT_WATER, "3.1.3", v, r.row, "抄表日期不在季末25日至30日", why)
    });
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
            out.push(Finding {
                room: Some(room),
                due: Some(end),
                owner: Some("亲情管家".to_string()),
                state: State::Overdue,
                ..about(HOT_WATER, "3.1.3", v, before.map_or(first.row, |r| r.row), "热水表未抄", why)
            });
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
            out.push(Finding {
                room: Some(r.room),
                owner: owner.clone(),
                ..about(HOT_WATER, "3.1.4", v, r.row, "余额不足未通知续费", why)
            });
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
                out.push(Finding {
                    room: Some(r.room),
                    due: Some(pay_by),
                    done: Some(paid),
                    owner: owner.clone(),
                    state: State::Late,
                    ..about(HOT_WATER, "3.1.4", v, r.row, "热水逾期续费", why)
                });
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
        let Some(state) = deadline_state(pay_by, None, ctx.as_of) else { continue };
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
        out.push(Finding {
            room: Some(r.room),
            due: Some(pay_by),
            owner,
            state,
            ..about(HOT_WATER, "3.1.4", v, r.row, what, why)
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::{Fixture, d, of};

    fn rows(all: &[Finding], what: &str) -> Vec<Option<usize>> {
        of(all, what).iter().map(|f| f.row).collect()
    }

    fn whats(all: &[Finding]) -> Vec<&str> {
        all.iter().map(|f| f.what.as_str()).collect()
    }

    // ------------------------------------------------------------ cards

    fn issue(room: &str, residents: i64, free: i64, extra: i64, fee: &str) -> String {
        let mut s = format!(
            "- 发放日期: \"2026-10-08\"\n  楼牌号: {room}\n  业主姓名: 赵一\n  登记人数: {residents}\n  赠送: {free}\n  智能卡号: DW0100001\n  授权范围: 1号楼1单元门\n  告知用法: 是\n  业主签字: 赵一\n  经办人: 张伟\n"
        );
        if extra > 0 {
            s += &format!("  增加: {extra}\n");
        }
        if !fee.is_empty() {
            s += &format!("  收费金额: \"{fee}\"\n");
        }
        s
    }

    #[test]
    fn free_cards_up_to_three_occupants_and_extra_cards_charged() {
        let text = [
            issue("1-1-202", 4, 3, 1, "20.00"), // 0: four occupants, three free, one paid: fine
            issue("1-1-202", 4, 4, 0, ""),      // 1: four free
            issue("1-1-102", 2, 2, 1, ""),      // 2: the extra card not charged
            issue("1-1-201", 3, 2, 1, "20.00"), // 3: charged for the third, which was free
            issue("1-1-101", 5, 3, 0, ""),      // 4: the form's own 登记人数 (5) over the ledger's (1)
            issue("1-1-302", 1, 1, 2, "20.00"), // 5: two extra for 20 元
        ]
        .concat();
        let changes = "- 办理日期: \"2026-10-20\"\n  房号: 1-1-101\n  持卡人: 赵一\n  办理事项: 增加\n  智能卡号: DW0100009\n  张数: 1\n  权限设置人: 刘中控\n  经办人: 张伟\n";
        let mut fx = Fixture::new(
            &[("28-智能卡发放登记表.yaml", &text), ("27-智能卡管理记录.yaml", changes)],
            &[],
            "2026-10-31",
        );
        let all = findings(&fx.ctx());
        assert_eq!(rows(&all, "赠送智能卡超过规定"), [Some(1)]);
        assert!(of(&all, "赠送智能卡超过规定")[0].why.contains("登记人数 4 人，赠送 4 张"));
        assert_eq!(rows(&all, "加办智能卡未收费"), [Some(2), Some(0)], "28 row 2, then 27 row 0");
        assert_eq!(rows(&all, "应赠送的智能卡被收费"), [Some(3)]);
        assert_eq!(all.len(), 4, "{all:#?}");
        assert!(all.iter().all(|f| f.state == State::Breach && f.owner.as_deref() == Some("张伟")));
        // With a price of 20 元 a card: row 5's two extra cards should cost 40 元.
        fx.params.services.cards.extra_card_fee = Some(2_000);
        let all = findings(&fx.ctx());
        assert_eq!(rows(&all, "加办智能卡收费不符"), [Some(5)]);
        assert!(of(&all, "加办智能卡收费不符")[0].why.contains("应收 40.00 元"));
    }

    // ------------------------------------------------------------ rentals

    #[test]
    fn the_commission_is_the_first_months_rent() {
        let agency = "- 登记日期: \"2026-06-01\"\n  租售: 出租\n  房号: 1-1-101\n  业主姓名: 赵一\n  业主电话: \"13912345600\"\n  委托日期: \"2026-06-01\"\n  签约日期: \"2026-06-06\"\n  成交价: \"3100\"\n  佣金: \"3000\"\n  经办人: 马慧雪\n";
        let letter = |room: &str, rent: &str, commission: &str| {
            let rent = if rent.is_empty() { String::new() } else { format!("  月租金: \"{rent}\"\n") };
            format!(
                "- 承租方姓名: 武英欣\n  房号: {room}\n  签约日期: \"2026-06-06\"\n  租期起始: \"2026-06-07\"\n  租期截止: \"2027-06-06\"\n{rent}  中介费用: \"{commission}\"\n  付款期限: \"2026-06-09\"\n  承租方签字: 武英欣\n  经办人签字: 马慧雪\n"
            )
        };
        let letters = [letter("1-1-101", "3100", "3100"), letter("1-1-102", "3000", "3100")].concat();
        let files = [("29-代理出租.yaml", agency), ("30-付佣说明.yaml", letters.as_str())];
        let all = findings(&Fixture::new(&files, &[], "2026-10-31").ctx());
        let wrong: Vec<_> = of(&all, "佣金不等于首月租金").iter().map(|f| (f.register, f.row)).collect();
        use crate::model::RegisterId::Form;
        assert_eq!(wrong, [(Some(Form(29)), Some(0)), (Some(Form(30)), Some(1))]);
        assert!(all[1].why.contains("付佣说明月租金 3,000.00 元，中介费用 3,100.00 元"), "{}", all[1].why);
        assert_eq!(all.len(), 2);
        // A letter without its rent (rejected by `kefu check`) is judged by the agency register's.
        let files = [("29-代理出租.yaml", agency), ("30-付佣说明.yaml", &letter("1-1-101", "", "3000"))];
        let all = findings(&Fixture::lenient(&files, &[], "2026-10-31").ctx());
        assert_eq!(whats(&all), ["佣金不等于首月租金", "佣金不等于首月租金"]);
        assert!(all[1].why.contains("代理出租记录成交价 3,100.00 元"), "{}", all[1].why);
    }

    // ------------------------------------------------------------ tennis

    fn booking(booked: &str, play: &str, slot: (&str, &str), players: i64, change: &str) -> String {
        format!(
            "- 订场日期: \"{booked}\"\n  使用日期: \"{play}\"\n  开始: \"{}\"\n  结束: \"{}\"\n  场地号: 1号场\n  订场人: 赵一\n  房号: 1-1-101\n  联系电话: \"13912345600\"\n  人数: {players}\n  票数: 1\n  经办人: 张伟\n{change}",
            slot.0, slot.1
        )
    }

    fn changed(at: &str, reason: &str) -> String {
        format!("  改场时间: \"{at}\"\n  改场原因: {reason}\n  改至场次: 10月11日 15:00-16:00 1号场\n")
    }

    #[test]
    fn bookings_hours_days_ahead_players_and_changes() {
        let text = [
            booking("2026-10-08", "2026-10-09", ("07:00", "08:00"), 4, ""), // 0: fine
            booking("2026-10-08", "2026-10-09", ("21:00", "22:00"), 4, ""), // 1: after closing
            booking("2026-10-08", "2026-10-12", ("09:00", "10:00"), 4, ""), // 2: four days ahead
            booking("2026-10-09", "2026-10-09", ("09:00", "10:00"), 4, ""), // 3: same day
            booking("2026-10-08", "2026-10-11", ("20:00", "21:00"), 7, ""), // 4: seven players; 3 days: fine
            booking("2026-10-08", "2026-10-10", ("15:00", "16:00"), 4, &changed("2026-10-10 12:00", "特殊原因")), // 5
            booking("2026-10-08", "2026-10-10", ("15:00", "16:00"), 4, &changed("2026-10-10 11:00", "特殊原因")), // 6
            booking("2026-10-08", "2026-10-10", ("15:00", "16:00"), 4, &changed("2026-10-09 18:00", "天气原因")), // 7
            booking("2026-10-08", "2026-10-10", ("15:00", "16:00"), 4, &changed("2026-10-10 14:00", "天气原因")), // 8
            booking("2026-10-08", "2026-10-09", ("06:30", "07:30"), 2, ""), // 9: before opening
        ]
        .concat();
        let fx = Fixture::new(&[("13-网球场订场记录.yaml", &text)], &[], "2026-10-31");
        let all = findings(&fx.ctx());
        assert_eq!(rows(&all, "订场超出开放时间"), [Some(1), Some(9)]);
        assert_eq!(rows(&all, "订场提前天数不符"), [Some(2), Some(3)]);
        assert!(of(&all, "订场提前天数不符")[0].why.contains("提前 4 天"));
        assert_eq!(rows(&all, "每场入场人数超限"), [Some(4)]);
        assert_eq!(rows(&all, "改场晚于场次前规定时间"), [Some(5)]);
        assert!(of(&all, "改场晚于场次前规定时间")[0].why.contains("4 小时前（2026-10-10 11:00 前）"));
        assert_eq!(rows(&all, "天气改场不在当天"), [Some(7)]);
        assert_eq!(all.len(), 7, "{all:#?}");
        assert!(all.iter().all(|f| f.state == State::Breach && f.owner.as_deref() == Some("张伟")));
        assert_eq!(of(&all, "订场超出开放时间")[0].due, Some(d("2026-10-09")));
    }

    // ------------------------------------------------------------ hot water

    const HOT: &str = "12-热水续费通知书.yaml";

    fn reading(room: &str, read: &str, balance: &str, due: &str, pay_by: &str, receipt: bool) -> String {
        let mut s = format!(
            "- 房号: {room}\n  抄表日期: \"{read}\"\n  上期读数: 0.1\n  本期读数: 9.2\n  本期用量: 9.1\n  预存余额: \"{balance}\"\n  应续费金额: \"{due}\"\n  续费截止日期: \"{pay_by}\"\n"
        );
        if receipt {
            s += &format!("  房间号: {room}\n  续费方式: 到客服前台缴纳\n  业主签字: 赵一\n");
        }
        s
    }

    #[test]
    fn readings_on_the_25th_to_30th_quarters_unread_and_renewals() {
        let text = [
            reading("1-1-101", "2026-06-28", "72.50", "500", "2026-07-08", true), // 0
            reading("1-1-101", "2026-09-24", "100", "100", "2026-10-04", false),  // 1: a day early; renewal overdue
            reading("1-1-102", "2026-06-28", "-10", "0", "2026-07-08", false), // 2: overdrawn, no renewal asked; not read in Q3
            reading("1-1-201", "2026-06-27", "50", "200", "2026-07-07", false), // 3: settled by row 4's balance
            reading("1-1-201", "2026-09-26", "80", "300", "2026-11-05", false), // 4: in the window; renewal open
        ]
        .concat();
        let all = findings(&Fixture::new(&[(HOT, &text)], &[], "2026-10-31").ctx());
        assert_eq!(rows(&all, "抄表日期不在季末25日至30日"), [Some(1)]);
        assert!(of(&all, "抄表日期不在季末25日至30日")[0].why.contains("2026-09-25 至 2026-09-30"));
        let unread = of(&all, "热水表未抄");
        assert_eq!(
            (unread.len(), unread[0].row, unread[0].due, unread[0].state),
            (1, Some(2), Some(d("2026-09-30")), State::Overdue)
        );
        assert_eq!(unread[0].days_overdue(d("2026-10-31")), 31);
        assert_eq!(rows(&all, "余额不足未通知续费"), [Some(2)]);
        let overdue = of(&all, "热水续费逾期未缴");
        assert_eq!((overdue.len(), overdue[0].row, overdue[0].days_overdue(d("2026-10-31"))), (1, Some(1), 27));
        assert_eq!(rows(&all, "热水续费待缴"), [Some(4)]);
        assert_eq!(all.len(), 5, "{all:#?}");
    }

    #[test]
    fn a_quarter_end_on_a_rest_day_moves_to_the_next_working_day() {
        // 2025-03-30 is a Sunday: the window runs to Monday 03-31.
        let text = [
            reading("1-1-101", "2025-03-31", "100", "0", "2025-04-10", false),
            reading("1-1-102", "2025-04-01", "100", "0", "2025-04-11", false),
            reading("1-1-201", "2024-12-28", "100", "0", "2025-01-07", false),
        ]
        .concat();
        let all = findings(&Fixture::new(&[(HOT, &text)], &[], "2025-05-10").ctx());
        assert_eq!(whats(&all), ["抄表日期不在季末25日至30日", "热水表未抄"], "{all:#?}");
        assert_eq!(all[0].row, Some(1));
        assert!(all[0].why.contains("2025-03-30 为休息日，顺延至 2025-03-31"), "{}", all[0].why);
        assert_eq!(
            (all[1].row, all[1].due, all[1].days_overdue(d("2025-05-10"))),
            (Some(2), Some(d("2025-03-31")), 40)
        );
    }

    #[test]
    fn a_2027_quarter_end_is_a_calendar_gap() {
        let text = [
            reading("1-1-101", "2026-12-28", "100", "0", "2027-01-07", false), // Q1 2027 closed: unknown end
            reading("1-1-102", "2027-03-31", "100", "0", "2027-04-10", false), // after the 30th: unknown end
            reading("1-1-201", "2027-03-27", "100", "0", "2027-04-06", false), // inside 25–30: no calendar needed
        ]
        .concat();
        let all = findings(&Fixture::new(&[(HOT, &text)], &[], "2027-04-10").ctx());
        assert_eq!(all.len(), 1, "{all:#?}");
        assert_eq!((all[0].state, all[0].register, all[0].procedure), (State::Unknown, None, HOT_WATER));
        assert!(all[0].why.contains("2027 年的放假安排尚未录入"), "{}", all[0].why);
    }

    #[test]
    fn parameters_read_from_kefu_yaml() {
        let text = "cards:\n  extra_card_fee: 20\ntennis:\n  open: \"08:00\"\n  max_players: 4\nhot_water:\n  min_balance: \"¥50.00\"\n";
        let p: Params = crate::yaml::from_str(text, std::path::Path::new("kefu.yaml")).unwrap();
        assert_eq!(p.cards.extra_card_fee, Some(2_000));
        assert_eq!(p.tennis.open, NaiveTime::from_hms_opt(8, 0, 0).unwrap());
        assert_eq!((p.tennis.close, p.tennis.max_players), (NaiveTime::from_hms_opt(21, 0, 0).unwrap(), 4));
        assert_eq!((p.hot_water.min_balance, p.hot_water.read_from_day), (5_000, 25));
        assert_eq!((p.cards.free_cards_max, p.rentals.commission_months), (3, 1));
        let bad = crate::yaml::from_str::<Params>("tennis:\n  opens: \"08:00\"\n", std::path::Path::new("kefu.yaml"));
        assert!(bad.unwrap_err().to_string().contains("opens"));
        let bad = crate::yaml::from_str::<Params>("cards:\n  extra_card_fee: -5\n", std::path::Path::new("kefu.yaml"));
        assert!(bad.is_err());
    }
}
