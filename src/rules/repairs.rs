//! 业主报修处理规程 (forms 15 前台接待台帐, 16 工程部维修单, 17 部门工作联系单) and 热水经营管理规程
//! 3.1.1–3.1.2: where each repair should have gone, hot-water response and callback, orders not
//! returned, contact slips past their agreed date, and the monthly 维修及时率/返修率.
//!
//! Input: a [`Context`] (the three registers, the rooms ledger's 交付日期, [`Params`]). Output:
//! [`Finding`]s, [`route`] for one repair and [`timeliness`] for a period. Missing registers give
//! no findings; a repair whose room has no delivery date is not judged (see [`route`]). No
//! working-day arithmetic is involved: warranty terms, heating seasons and the 3-day return of an
//! order are calendar dates, so no year is ever missing from the calendar here.
//!
//! Routing (4.2, 4.2.3): the repair text is matched against an ordered phrase table of the
//! contractor's warranty items ([`WarrantyItem`]); the first item with a phrase in the text
//! decides the category and its term. A text that also names an ordinary wear-and-use fault
//! ([`Params::routine_phrases`]: blockages, taps, bulbs, sockets, radiators to bleed, hot water,
//! which 物业 runs itself) is 物业's own repair whatever the component. The warranty clock runs
//! from the room's 交付日期 (商品房销售管理办法 art. 33: the developer's warranty to the owner
//! starts at delivery; the contractor's own clock from 竣工验收 is not the owner's concern).
//! Public-area repairs (4.2.1) are not judged: the owner-facing warranty clock belongs to a room.

use std::collections::{HashMap, HashSet};
use std::fmt;

use chrono::{Datelike, Months, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::{Context, Finding, State, View, deadline_state};
use crate::model::RegisterId;
use crate::parse::room::{RoomId, parse_room};

const PROCEDURE: &str = "业主报修处理规程";

/// A day of the year, written `11-01` in configuration (29 February is refused).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct MonthDay {
    pub month: u32,
    pub day: u32,
}

impl MonthDay {
    /// This day in `year`.
    fn on(self, year: i32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(year, self.month, self.day)
    }
}

impl fmt::Display for MonthDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}-{:02}", self.month, self.day)
    }
}

impl TryFrom<String> for MonthDay {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        let bad = || format!("「{s}」不是月-日，应写成 11-01（2 月 29 日不可用）");
        let (m, d) = s.trim().split_once('-').ok_or_else(bad)?;
        let (month, day) = (m.parse::<u32>().map_err(|_| bad())?, d.parse::<u32>().map_err(|_| bad())?);
        // 2025 is not a leap year: 02-29 is refused, every other real day accepted.
        NaiveDate::from_ymd_opt(2025, month, day).ok_or_else(bad)?;
        Ok(MonthDay { month, day })
    }
}

impl From<MonthDay> for String {
    fn from(d: MonthDay) -> String {
        d.to_string()
    }
}

impl Serialize for MonthDay {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for MonthDay {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        MonthDay::try_from(String::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// How long a warranty item is covered (4.2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// Whole years from delivery; ends on the same day N years later (民法典 art. 202).
    Years(u32),
    /// Until the end of the N-th heating season that starts on or after delivery.
    HeatingSeasons(u32),
    /// Until the end of the N-th cooling season that starts on or after delivery.
    CoolingSeasons(u32),
}

/// One of the contractor's warranty items (4.2.3) and the phrases that name it in a repair text.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct WarrantyItem {
    /// The item as form 17 names it, e.g. `外墙防渗漏（5年）`.
    pub item: String,
    /// Any of these in the repair text selects the item.
    pub phrases: Vec<String>,
    /// The warranty term.
    pub period: Period,
}

/// Parameters of 业主报修处理规程 and 热水经营管理规程 3.1; defaults are the manual's numbers.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Params {
    /// 4.2.3 施工单位保修范围及期限, in order of precedence (first item with a phrase in the text
    /// wins): 屋面防水、有防水要求的房间、外墙防渗漏 5 年; 供热与供冷系统 2 个采暖期、供冷期;
    /// 电气管线、给排水管道、设备安装 2 年; 建筑装饰装修工程 2 年.
    pub warranty: Vec<WarrantyItem>,
    /// 4.2: faults of ordinary use and wear that 物业 repairs itself even inside the warranty
    /// term (the warranty covers construction defects; 热水 is run by 物业, 热水经营管理规程 3.1.1).
    /// Empty the list to route every warranty component to 地产客服部.
    pub routine_phrases: Vec<String>,
    /// 4.2.3 采暖期: first day of Shenyang's heating season.
    pub heating_season_start: MonthDay,
    /// 4.2.3 采暖期: last day (of the following year when before the start).
    pub heating_season_end: MonthDay,
    /// 4.2.3 供冷期: first day of the cooling season.
    pub cooling_season_start: MonthDay,
    /// 4.2.3 供冷期: last day.
    pub cooling_season_end: MonthDay,
    /// 热水经营管理规程 3.1.1: a repair whose text holds one of these is a hot-water repair.
    pub hot_water_phrases: Vec<String>,
    /// 热水经营管理规程 3.1.1: minutes from the technician taking the order (16 接收时间) to
    /// arriving (到场时间); also the response limit of the 维修及时率 for all 工程部 orders.
    pub arrival_minutes: u32,
    /// 4.5: calendar days after 开单时间 by which a 工程部维修单 should be back with its 完成时间
    /// (the manual says "未按时返回" without a number).
    pub return_days: u32,
    /// 返修率 (domain.md §3): a new report of the same room and kind within this many days after
    /// a completed repair counts as a 返修.
    pub repeat_days: u32,
}

fn strings(xs: &[&str]) -> Vec<String> {
    xs.iter().map(|s| s.to_string()).collect()
}

fn item(item: &str, phrases: &[&str], period: Period) -> WarrantyItem {
    WarrantyItem { item: item.to_string(), phrases: strings(phrases), period }
}

impl Default for Params {
    fn default() -> Params {
        use Period::{CoolingSeasons, HeatingSeasons, Years};
        let md = |month, day| MonthDay { month, day };
        Params {
            warranty: vec![
                item("屋面防水（5年）", &["屋面", "漏雨", "顶层"], Years(5)),
                item("有防水要求的房间（5年）", &["卫生间防水", "防水", "返潮", "淋浴间", "地面渗水"], Years(5)),
                item("外墙防渗漏（5年）", &["外墙渗漏", "外墙", "窗台", "阳台"], Years(5)),
                item("供热与供冷系统（2个采暖期、供冷期）", &["暖气", "供热", "地暖", "采暖"], HeatingSeasons(2)),
                item("供热与供冷系统（2个采暖期、供冷期）", &["空调", "供冷"], CoolingSeasons(2)),
                item("电气管线（2年）", &["电线", "线路", "开关", "插座", "配电箱"], Years(2)),
                item("给排水管道（2年）", &["水管", "给水", "下水", "排水", "管道", "阀门", "地漏", "马桶"], Years(2)),
                item("设备安装（2年）", &["设备", "对讲", "门铃"], Years(2)),
                item(
                    "建筑装饰装修工程（2年）",
                    &["墙面", "地面", "顶棚", "抹灰", "瓷砖", "门窗", "门框", "窗", "门", "装修", "裂缝", "空鼓"],
                    Years(2),
                ),
            ],
            routine_phrases: strings(&[
                "热水",
                "不热",
                "热下凉",
                "忽冷忽热",
                "全凉",
                "放气",
                "堵",
                "不畅",
                "下水慢",
                "灯",
                "插座",
                "开关",
                "跳闸",
                "锁芯",
                "把手",
                "纱窗",
                "关不严",
                "水龙头",
                "角阀",
                "花洒",
                "进水阀",
            ]),
            heating_season_start: md(11, 1),
            heating_season_end: md(3, 31),
            cooling_season_start: md(6, 1),
            cooling_season_end: md(8, 31),
            hot_water_phrases: strings(&["热水"]),
            arrival_minutes: 15,
            return_days: 3,
            repeat_days: 30,
        }
    }
}

impl Params {
    /// The last day covered by `period` for a room delivered on `delivered`.
    pub fn warranty_end(&self, period: Period, delivered: NaiveDate) -> Option<NaiveDate> {
        match period {
            Period::Years(n) => delivered.checked_add_months(Months::new(n.checked_mul(12)?)),
            Period::HeatingSeasons(n) => season_end(delivered, n, self.heating_season_start, self.heating_season_end),
            Period::CoolingSeasons(n) => season_end(delivered, n, self.cooling_season_start, self.cooling_season_end),
        }
    }

    fn describe(&self, period: Period) -> String {
        match period {
            Period::Years(n) => format!("{n} 年"),
            Period::HeatingSeasons(n) => {
                format!("{n} 个采暖期（{}至{}）", self.heating_season_start, self.heating_season_end)
            }
            Period::CoolingSeasons(n) => {
                format!("{n} 个供冷期（{}至{}）", self.cooling_season_start, self.cooling_season_end)
            }
        }
    }

    fn first_phrase<'p>(list: &'p [String], text: &str) -> Option<&'p str> {
        list.iter().map(String::as_str).find(|p| !p.is_empty() && text.contains(p))
    }

    /// The warranty item a repair text names, if any.
    pub fn item_of(&self, text: &str) -> Option<&WarrantyItem> {
        self.warranty.iter().find(|w| Params::first_phrase(&w.phrases, text).is_some())
    }

    pub(crate) fn is_hot_water(&self, text: &str) -> bool {
        Params::first_phrase(&self.hot_water_phrases, text).is_some()
    }

    /// The kind of a repair for 返修: 热水, else its warranty item, else its text.
    fn kind_of(&self, text: &str) -> String {
        if self.is_hot_water(text) {
            return "热水".to_string();
        }
        self.item_of(text).map_or_else(|| text.trim().to_string(), |w| w.item.clone())
    }
}

/// The end of the `n`-th season (`start`..`end`, wrapping the new year when `end` < `start`)
/// that starts on or after `from`; `from` itself when `n` is 0.
fn season_end(from: NaiveDate, n: u32, start: MonthDay, end: MonthDay) -> Option<NaiveDate> {
    if n == 0 {
        return Some(from);
    }
    let mut year = from.year();
    if start.on(year)? < from {
        year += 1;
    }
    let year = year + i32::try_from(n - 1).ok()?;
    end.on(if end < start { year + 1 } else { year })
}

/// Who repairs: 物业工程部 on a 工程部维修单 (16), or 地产客服部 on a 部门工作联系单 (17).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Department {
    /// 物业工程部 (工程部维修单).
    Engineering,
    /// 地产客服部 (部门工作联系单).
    Developer,
}

impl Department {
    /// The form the department is sent.
    pub fn form(self) -> &'static str {
        match self {
            Department::Engineering => "工程部维修单",
            Department::Developer => "部门工作联系单",
        }
    }

    fn from_form(s: &str) -> Option<Department> {
        match s.trim() {
            "工程部维修单" => Some(Department::Engineering),
            "部门工作联系单" => Some(Department::Developer),
            _ => None,
        }
    }
}

/// Where a repair should go, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Routing {
    /// `None` when it cannot be decided (no room, or no delivery date on the rooms ledger).
    pub department: Option<Department>,
    /// The warranty item the text names (form 17's 保修项目), if any.
    pub category: Option<String>,
    /// The last day of the warranty, when the item and delivery date are known.
    pub warranty_end: Option<NaiveDate>,
    /// The reasoning, in Chinese, with the dates used.
    pub rule: String,
}

/// Where a repair reported on `on` for `room` with text `text` should go (4.2, 4.2.3).
pub fn route(ctx: &Context<'_>, text: &str, room: Option<RoomId>, on: NaiveDate) -> Routing {
    let p = &ctx.params.repairs;
    let Some(w) = p.item_of(text) else {
        return Routing {
            department: Some(Department::Engineering),
            category: None,
            warranty_end: None,
            rule: "报修内容不属施工单位保修项目（4.2.3），应由物业自行维修，填写工程部维修单（4.2）".to_string(),
        };
    };
    let category = Some(w.item.clone());
    if let Some(routine) = Params::first_phrase(&p.routine_phrases, text) {
        return Routing {
            department: Some(Department::Engineering),
            category,
            warranty_end: None,
            rule: format!(
                "报修内容含「{routine}」，属日常使用维修而非施工质量缺陷，应由物业自行维修，填写工程部维修单（4.2）"
            ),
        };
    }
    let Some(room) = room else {
        return Routing {
            department: None,
            category,
            warranty_end: None,
            rule: format!("报修内容属「{}」，但未写明房号，无法判断是否在保修期内", w.item),
        };
    };
    let delivered = ctx.data.room(room).and_then(|r| r.delivered);
    let (Some(delivered), Some(end)) = (delivered, delivered.and_then(|d| p.warranty_end(w.period, d))) else {
        return Routing {
            department: None,
            category,
            warranty_end: None,
            rule: format!("报修内容属「{}」，但房屋台帐中没有 {room} 的交付日期，无法判断是否在保修期内", w.item),
        };
    };
    let term = format!(
        "报修内容属「{}」，保修期 {}，自交付日起算；{room} 于 {delivered} 交付，保修至 {end}；",
        w.item,
        p.describe(w.period)
    );
    let (department, rule) = if on <= end {
        (Department::Developer, format!("{term}{on} 报修在保修期内，应填写部门工作联系单转地产客服部（4.2、4.2.3）"))
    } else {
        (
            Department::Engineering,
            format!("{term}{on} 报修已过保修期，应由物业自行维修，填写工程部维修单（4.2、4.2.3）"),
        )
    };
    Routing { department: Some(department), category, warranty_end: Some(end), rule }
}

/// One repair as the registers show it: the front-desk record (or, without one, the order or
/// slip itself) and the 16/17 record it led to.
#[derive(Debug, Clone)]
struct Repair<'a> {
    register: RegisterId,
    row: usize,
    room: Option<RoomId>,
    /// A 公共区域 repair (4.2.1), or a 16 whose 维修地点 is not a room.
    public: bool,
    text: &'a str,
    reported: NaiveDateTime,
    /// The route the staff chose.
    chosen: Option<Department>,
    /// The 工程部维修单 row.
    order: Option<usize>,
    /// The 部门工作联系单 row.
    contact: Option<usize>,
    /// Who took the call or sent the order.
    taker: Option<&'a str>,
    /// 回访 recorded on the front-desk record.
    followed_up: bool,
    /// 完成时间 on the front-desk record.
    completed: Option<NaiveDateTime>,
}

/// The three registers, read once.
struct Registers<'a> {
    desk: Option<View<'a>>,
    orders: Option<View<'a>>,
    contacts: Option<View<'a>>,
}

impl<'a> Registers<'a> {
    fn new(ctx: &Context<'a>) -> Registers<'a> {
        Registers { desk: ctx.form(15), orders: ctx.form(16), contacts: ctx.form(17) }
    }

    /// 维修单 rows opened by 物业工程部 for a contact slip the developer did not finish in time
    /// (4.2.5): these are not repairs of their own.
    fn takeovers(&self) -> HashSet<&'a str> {
        let Some(c) = self.contacts else { return HashSet::new() };
        c.rows().filter_map(|r| c.text(r, "repair_order_no")).map(str::trim).collect()
    }

    /// Every repair, once: front-desk records first, then orders and slips no desk record names.
    fn repairs(&self) -> Vec<Repair<'a>> {
        let by_no = |v: Option<View<'a>>, key: &str| -> HashMap<&'a str, usize> {
            v.map(|v| v.rows().filter_map(|r| v.text(r, key).map(|t| (t.trim(), r))).collect()).unwrap_or_default()
        };
        let (orders, contacts) = (by_no(self.orders, "order_no"), by_no(self.contacts, "contact_no"));
        let mut used_orders = self.takeovers();
        let mut used_contacts = HashSet::new();
        let mut out = Vec::new();
        if let Some(d) = self.desk {
            desk_repairs(d, &orders, &contacts, &mut used_orders, &mut used_contacts, &mut out);
        }
        if let Some(o) = self.orders {
            order_repairs(o, &used_orders, &mut out);
        }
        if let Some(c) = self.contacts {
            contact_repairs(c, &used_contacts, &mut out);
        }
        out
    }
}

/// The repairs of the front desk's register (form 15), with the order and contact slip each
/// names (marked used).
fn desk_repairs<'a>(
    d: View<'a>,
    orders: &HashMap<&'a str, usize>,
    contacts: &HashMap<&'a str, usize>,
    used_orders: &mut HashSet<&'a str>,
    used_contacts: &mut HashSet<&'a str>,
    out: &mut Vec<Repair<'a>>,
) {
    for row in d.rows() {
        // A reception log kept for every visitor: only its repairs (类别 报修, or none) are repairs.
        if d.text(row, "category").is_some_and(|c| c != "报修") {
            continue;
        }
        let (Some(text), Some(reported)) = (d.text(row, "content"), d.datetime(row, "received_at")) else {
            continue;
        };
        let no = d.text(row, "order_no").map(str::trim);
        let order = no.and_then(|n| orders.get(n).copied());
        let contact = no.and_then(|n| contacts.get(n).copied());
        used_orders.extend(no.filter(|_| order.is_some()));
        used_contacts.extend(no.filter(|_| contact.is_some()));
        let chosen = d.text(row, "route").and_then(Department::from_form).or(match (order, contact) {
            (Some(_), None) => Some(Department::Engineering),
            (None, Some(_)) => Some(Department::Developer),
            _ => None,
        });
        out.push(Repair {
            register: d.id,
            row,
            room: d.room(row, "room"),
            public: d.text(row, "area") == Some("公共区域"),
            text,
            reported,
            chosen,
            order,
            contact,
            taker: d.text(row, "receiver"),
            followed_up: d.text(row, "follow_up").is_some_and(|t| !t.trim().is_empty()),
            completed: d.datetime(row, "completed_at"),
        });
    }
}

/// The 维修单 (form 16) no desk record names: repairs of the engineering department.
fn order_repairs<'a>(o: View<'a>, used_orders: &HashSet<&'a str>, out: &mut Vec<Repair<'a>>) {
    for row in o.rows() {
        let no = o.text(row, "order_no").map(str::trim).unwrap_or("");
        if used_orders.contains(no) {
            continue;
        }
        let (Some(text), Some(reported)) =
            (o.text(row, "content"), o.datetime(row, "issued_at").or(o.datetime(row, "received_at")))
        else {
            continue;
        };
        let room = o.text(row, "location").and_then(|l| parse_room(l).ok());
        out.push(Repair {
            register: o.id,
            row,
            room,
            public: room.is_none() || o.text(row, "area") == Some("公共区域"),
            text,
            reported,
            chosen: Some(Department::Engineering),
            order: Some(row),
            contact: None,
            taker: None,
            followed_up: false,
            completed: None,
        });
    }
}

/// The contact slips (form 17) no desk record names: repairs handed to the developer.
fn contact_repairs<'a>(c: View<'a>, used_contacts: &HashSet<&'a str>, out: &mut Vec<Repair<'a>>) {
    for row in c.rows() {
        let no = c.text(row, "contact_no").map(str::trim).unwrap_or("");
        if used_contacts.contains(no) {
            continue;
        }
        let (Some(text), Some(reported)) =
            (c.text(row, "content"), c.date(row, "issued_on").and_then(|d| d.and_hms_opt(0, 0, 0)))
        else {
            continue;
        };
        out.push(Repair {
            register: c.id,
            row,
            room: c.room(row, "room"),
            public: false,
            text,
            reported,
            chosen: Some(Department::Developer),
            order: None,
            contact: Some(row),
            taker: c.text(row, "sender_signature"),
            followed_up: false,
            completed: None,
        });
    }
}

/// For each 工程部维修单 row that a front-desk record names: whether the desk recorded a 回访.
pub(crate) fn desk_follow_ups(ctx: &Context<'_>) -> HashMap<usize, bool> {
    Registers::new(ctx).repairs().iter().filter_map(|r| r.order.map(|row| (row, r.followed_up))).collect()
}

/// Every finding of the repair procedure (the hot-water repairs' are in
/// [`crate::rules::services::hot_water`]).
pub fn findings(ctx: &Context<'_>) -> Vec<Finding> {
    let regs = Registers::new(ctx);
    let repairs = regs.repairs();
    let mut out = Vec::new();
    routing_findings(ctx, &repairs, &mut out);
    unreturned_orders(ctx, &regs, &mut out);
    overdue_contacts(ctx, &regs, &mut out);
    out
}

/// 4.2, 4.2.3: a repair sent where the warranty rule does not send it.
fn routing_findings(ctx: &Context<'_>, repairs: &[Repair<'_>], out: &mut Vec<Finding>) {
    for r in repairs.iter().filter(|r| !r.public) {
        let Some(chosen) = r.chosen else { continue };
        let routing = route(ctx, r.text, r.room, r.reported.date());
        let Some(expected) = routing.department.filter(|d| *d != chosen) else { continue };
        let what = match expected {
            Department::Developer => "保修期内报修未转地产客服部",
            Department::Engineering => "非保修报修转给地产客服部",
        };
        let why = format!(
            "{} 报修「{}」，实际填写{}；{}",
            r.reported.format("%Y-%m-%d %H:%M"),
            r.text,
            chosen.form(),
            routing.rule
        );
        out.push(
            Finding::new(PROCEDURE, "4.2.3", what, State::Breach, why)
                .register(r.register)
                .row(r.row)
                .room(r.room)
                .owner(r.taker.map_or("大堂管家".to_string(), str::to_string)),
        );
    }
}

/// 4.5: 工程部维修单 not back (no 完成时间) within [`Params::return_days`] of being issued.
fn unreturned_orders(ctx: &Context<'_>, regs: &Registers<'_>, out: &mut Vec<Finding>) {
    let Some(o) = regs.orders else { return };
    let days = ctx.params.repairs.return_days;
    for row in o.rows() {
        let Some(issued) = o.datetime(row, "issued_at") else { continue };
        let Some(due) = issued.date().checked_add_days(chrono::Days::new(u64::from(days))) else { continue };
        let done = o.datetime(row, "completed_at").map(|c| c.date());
        let Some(state) = deadline_state(due, done, ctx.as_of) else { continue };
        let no = o.text(row, "order_no").unwrap_or("");
        let why = match done {
            Some(d) => format!(
                "维修单 {no} {} 开单，应在 {days} 天内（{due} 前）返回，{d} 才完成（业主报修处理规程 4.5）",
                issued.date()
            ),
            None => format!(
                "维修单 {no} {} 开单，应在 {days} 天内（{due} 前）返回，至 {} 仍未填写完成时间；亲情管家应查明原因并向业主反馈进展（业主报修处理规程 4.5）",
                issued.date(),
                ctx.as_of
            ),
        };
        out.push(
            Finding::new(PROCEDURE, "4.5", "维修单未按时返回", state, why)
                .register(o.id)
                .row(row)
                .room(o.text(row, "location").and_then(|l| parse_room(l).ok()))
                .due(due)
                .done(done)
                .owner("亲情管家".to_string()),
        );
    }
}

/// 4.2.4–4.2.5: contact slips past their agreed 处理期限 go back to 物业工程部.
fn overdue_contacts(ctx: &Context<'_>, regs: &Registers<'_>, out: &mut Vec<Finding>) {
    let Some(c) = regs.contacts else { return };
    for row in c.rows() {
        let Some(due) = c.date(row, "due_on") else { continue };
        let taken_over = c.flag(row, "overdue_repair") == Some(true) || c.text(row, "repair_order_no").is_some();
        if taken_over {
            continue; // 4.2.5 already applied: 物业工程部 repaired it.
        }
        let done = c.date(row, "completed_on");
        let Some(state) = deadline_state(due, done, ctx.as_of) else { continue };
        let no = c.text(row, "contact_no").unwrap_or("");
        let issued = c.date(row, "issued_on").map(|d| d.to_string()).unwrap_or_default();
        let (what, why) = match done {
            Some(d) => (
                "联系单逾期完成",
                format!(
                    "部门工作联系单 {no}（{issued} 发出）约定 {due} 前处理完毕，地产客服部 {d} 才完成（业主报修处理规程 4.2.4）"
                ),
            ),
            None if state == State::Overdue => (
                "联系单逾期，转工程部维修",
                format!(
                    "部门工作联系单 {no}（{issued} 发出）约定 {due} 前处理完毕，至 {} 未完成；应由物业工程部维修，经地产工程部签字确认后结算费用（业主报修处理规程 4.2.5）",
                    ctx.as_of
                ),
            ),
            None => (
                "联系单处理期限",
                format!(
                    "部门工作联系单 {no}（{issued} 发出）约定 {due} 前处理完毕，尚未完成；逾期则转物业工程部维修（4.2.5）"
                ),
            ),
        };
        out.push(
            Finding::new(PROCEDURE, "4.2.5", what, state, why)
                .register(c.id)
                .row(row)
                .room(c.room(row, "room"))
                .due(due)
                .done(done)
                .owner(c.text(row, "sender_signature").map_or("大堂管家".to_string(), str::to_string)),
        );
    }
}

/// The repairs of a period for 维修及时率 and 返修率 (domain.md §3).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct RepairStats {
    /// Repairs reported in the period (front-desk records; orders and slips without one).
    pub orders: usize,
    /// Of these, handled within the limit: a 工程部 order whose technician arrived within
    /// [`Params::arrival_minutes`] of taking it, or a contact slip completed by its 处理期限.
    pub on_time: usize,
    /// Of these, past the limit (arrived late, or a slip finished late or overdue as of the run date).
    pub late: usize,
    /// 返修: completed repairs followed by a new report of the same room and kind within
    /// `repeat_within_days` days of completion.
    pub returned: usize,
    /// The 返修 window N, in days.
    pub repeat_within_days: u32,
    /// Of the repairs reported in the period, those completed (the 返修率's denominator).
    pub completed: usize,
    /// The records behind `orders`, `on_time`, `completed` and `returned`.
    #[serde(skip)]
    pub trace: super::Trace,
}

impl RepairStats {
    /// 维修及时率 = on_time ÷ orders.
    pub fn timely_rate(&self) -> Option<f64> {
        (self.orders > 0).then(|| self.on_time as f64 / self.orders as f64)
    }

    /// 返修率 = returned ÷ completed.
    pub fn repeat_rate(&self) -> Option<f64> {
        (self.completed > 0).then(|| self.returned as f64 / self.completed as f64)
    }
}

/// 维修及时率 and 返修率 of the repairs reported from `from` to `to` (both included).
pub fn timeliness(ctx: &Context<'_>, from: NaiveDate, to: NaiveDate) -> RepairStats {
    let p = &ctx.params.repairs;
    let regs = Registers::new(ctx);
    let repairs = regs.repairs();
    let kinds: Vec<String> = repairs.iter().map(|r| p.kind_of(r.text)).collect();
    let mut by_room: HashMap<RoomId, Vec<usize>> = HashMap::new();
    for (i, r) in repairs.iter().enumerate() {
        if let Some(room) = r.room {
            by_room.entry(room).or_default().push(i);
        }
    }
    let mut s = RepairStats { repeat_within_days: p.repeat_days, ..RepairStats::default() };
    for (i, r) in repairs.iter().enumerate() {
        let day = r.reported.date();
        if day < from || day > to {
            continue;
        }
        s.orders += 1;
        super::trace(&mut s.trace, "orders", r.register, r.row);
        match on_time(ctx, &regs, r) {
            Some(true) => {
                s.on_time += 1;
                super::trace(&mut s.trace, "on_time", r.register, r.row);
            }
            Some(false) => s.late += 1,
            None => {}
        }
        let Some(done) = completion(&regs, r) else { continue };
        s.completed += 1;
        super::trace(&mut s.trace, "completed", r.register, r.row);
        let window_end = done + chrono::Duration::days(i64::from(p.repeat_days));
        let again = r.room.and_then(|room| by_room.get(&room)).is_some_and(|list| {
            list.iter().any(|&j| {
                j != i && kinds[j] == kinds[i] && repairs[j].reported > done && repairs[j].reported <= window_end
            })
        });
        if again {
            s.returned += 1;
            super::trace(&mut s.trace, "returned", r.register, r.row);
        }
    }
    s
}

/// Whether a repair was handled in time: `None` while still open within its limit, or unknown.
fn on_time(ctx: &Context<'_>, regs: &Registers<'_>, r: &Repair<'_>) -> Option<bool> {
    if let (Some(row), Some(o)) = (r.order, regs.orders) {
        let start = o.exact_datetime(row, "received_at").or(o.exact_datetime(row, "issued_at"))?;
        let arrived = o.exact_datetime(row, "arrived_at")?;
        return Some((arrived - start).num_minutes() <= i64::from(ctx.params.repairs.arrival_minutes));
    }
    if let (Some(row), Some(c)) = (r.contact, regs.contacts) {
        let due = c.date(row, "due_on")?;
        return match c.date(row, "completed_on") {
            Some(d) => Some(d <= due),
            None => (ctx.as_of > due).then_some(false),
        };
    }
    None
}

/// When a repair was finished, from its order or slip, else the front-desk record.
fn completion(regs: &Registers<'_>, r: &Repair<'_>) -> Option<NaiveDateTime> {
    let from_order = r.order.zip(regs.orders).and_then(|(row, o)| o.datetime(row, "completed_at"));
    let from_slip = r.contact.zip(regs.contacts).and_then(|(row, c)| c.datetime(row, "completed_on"));
    from_order.or(from_slip).or(r.completed)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::testkit::{Fixture, d, rooms};

    fn estate() -> String {
        rooms(&[
            ("1-1-101", "2024-11-15", Some("2024-11-20")),
            ("1-1-102", "2025-06-01", Some("2025-06-05")),
            ("1-1-201", "2025-12-01", Some("2025-12-03")),
            ("1-1-202", "2026-05-10", Some("2026-05-12")),
        ])
    }

    fn fixture(extra: &[(&str, &str)], as_of: &str) -> Fixture {
        let rooms = estate();
        let mut all = vec![("房屋及业主台帐.yaml", rooms.as_str())];
        all.extend_from_slice(extra);
        Fixture::own_rooms(&all, d(as_of))
    }

    fn room(s: &str) -> Option<RoomId> {
        parse_room(s).ok()
    }

    #[test]
    fn decoration_is_covered_for_two_years_from_delivery() {
        let f = fixture(&[], "2026-12-31");
        let ctx = f.ctx();
        // Delivered 2024-11-15: 2 years end on 2026-11-15 (民法典 art. 202: the corresponding day).
        let r = route(&ctx, "客厅墙面出现裂缝", room("1-1-101"), d("2026-11-14"));
        assert_eq!(r.department, Some(Department::Developer), "{}", r.rule);
        assert_eq!(r.category.as_deref(), Some("建筑装饰装修工程（2年）"));
        assert_eq!(r.warranty_end, Some(d("2026-11-15")));
        assert!(r.rule.contains("2024-11-15 交付，保修至 2026-11-15"), "{}", r.rule);
        let r = route(&ctx, "客厅墙面出现裂缝", room("1-1-101"), d("2026-11-16"));
        assert_eq!(r.department, Some(Department::Engineering), "{}", r.rule);
        assert!(r.rule.contains("已过保修期"), "{}", r.rule);
    }

    #[test]
    fn heating_is_covered_until_the_end_of_the_second_heating_season() {
        let f = fixture(&[], "2026-12-31");
        let ctx = f.ctx();
        let p = &ctx.params.repairs;
        // Delivered 2025-06-01: seasons 2025-11-01..2026-03-31 and 2026-11-01..2027-03-31.
        assert_eq!(p.warranty_end(Period::HeatingSeasons(2), d("2025-06-01")), Some(d("2027-03-31")));
        assert_eq!(p.warranty_end(Period::HeatingSeasons(1), d("2025-06-01")), Some(d("2026-03-31")));
        // Delivered inside a season (2025-12-01): that season does not count; 2026/27 and 2027/28 do.
        assert_eq!(p.warranty_end(Period::HeatingSeasons(2), d("2025-12-01")), Some(d("2028-03-31")));
        // Delivered on the first day of a season: it counts.
        assert_eq!(p.warranty_end(Period::HeatingSeasons(2), d("2025-11-01")), Some(d("2027-03-31")));
        // Cooling 06-01..08-31, not wrapping the year.
        assert_eq!(p.warranty_end(Period::CoolingSeasons(2), d("2025-06-01")), Some(d("2026-08-31")));
        assert_eq!(p.warranty_end(Period::CoolingSeasons(2), d("2025-06-02")), Some(d("2027-08-31")));
        // 5 years from 2024-02-29 end on 2029-02-28 (no 29th: the month's last day).
        assert_eq!(p.warranty_end(Period::Years(5), d("2024-02-29")), Some(d("2029-02-28")));
        let r = route(&ctx, "暖气片接口漏水", room("1-1-102"), d("2027-03-31"));
        assert_eq!(r.department, Some(Department::Developer), "{}", r.rule);
        assert!(r.rule.contains("保修至 2027-03-31"), "{}", r.rule);
        let r = route(&ctx, "暖气片接口漏水", room("1-1-102"), d("2027-04-01"));
        assert_eq!(r.department, Some(Department::Engineering), "{}", r.rule);
    }

    #[test]
    fn routine_faults_and_other_texts_stay_with_engineering() {
        let f = fixture(&[], "2026-12-31");
        let ctx = f.ctx();
        for text in ["暖气片不热，需要放气", "马桶堵塞", "客厅插座没电", "热水管有异响", "水龙头滴水"]
        {
            let r = route(&ctx, text, room("1-1-202"), d("2026-10-08"));
            assert_eq!(r.department, Some(Department::Engineering), "{text}: {}", r.rule);
        }
        let r = route(&ctx, "楼上邻居太吵", room("1-1-202"), d("2026-10-08"));
        assert_eq!((r.department, r.category), (Some(Department::Engineering), None));
        // Order of the table: 外墙 (5 years) before 墙面 (decoration); 对讲 before 门.
        for (text, item) in [
            ("阳台外墙有裂缝渗水", "外墙防渗漏（5年）"),
            ("可视对讲开不了单元门", "设备安装（2年）"),
            ("卫生间下水管漏水到楼下", "给排水管道（2年）"),
            ("墙内线路短路，半屋没电", "电气管线（2年）"),
            ("顶层卧室顶棚有水渍", "屋面防水（5年）"),
        ] {
            let r = route(&ctx, text, room("1-1-202"), d("2026-10-08"));
            assert_eq!(r.category.as_deref(), Some(item), "{text}");
            assert_eq!(r.department, Some(Department::Developer), "{text}: {}", r.rule);
        }
        // No delivery date known: not decided.
        let r = route(&ctx, "外墙渗水", room("1-2-101"), d("2026-10-08"));
        assert_eq!(r.department, None);
        assert!(r.rule.contains("没有 1-2-101 的交付日期"), "{}", r.rule);
    }

    #[test]
    fn month_days_are_checked_when_read() {
        let p: Result<Params, _> = crate::yaml::from_str("heating_season_start: \"10-15\"\n", Path::new("kefu.yaml"));
        assert_eq!(p.expect("valid").heating_season_start, MonthDay { month: 10, day: 15 });
        for bad in ["02-29", "13-01", "1101"] {
            let p: Result<Params, _> =
                crate::yaml::from_str(&format!("heating_season_end: \"{bad}\"\n"), Path::new("kefu.yaml"));
            assert!(p.is_err(), "{bad}");
        }
        let p: Params = crate::yaml::from_str(
            "warranty:\n  - item: 屋面防水（5年）\n    phrases: [屋面]\n    period: { years: 8 }\n",
            Path::new("kefu.yaml"),
        )
        .expect("valid");
        assert_eq!(p.warranty[0].period, Period::Years(8));
        let e = crate::yaml::from_str::<Params>("arrival_minute: 10\n", Path::new("kefu.yaml")).unwrap_err();
        assert!(e.to_string().contains("未知的键 `arrival_minute`"), "{e}");
    }

    const DESK: &str = "\
- 接单时间: 2026-10-08 09:10
  房间号: 1-1-202
  联系电话: \"13912345600\"
  报修内容: 卫生间下水管漏水到楼下
  区域: 入室
  处理方式: 工程部维修单
  单号: WX2610-00001
  接单人: 张伟
  完成时间: 2026-10-08 11:00
  回访结果: 已回访
- 接单时间: 2026-10-08 10:00
  房间号: 1-1-101
  联系电话: \"13912345601\"
  报修内容: 热水不热，放十分钟还是凉的
  区域: 入室
  处理方式: 工程部维修单
  单号: WX2610-00002
  接单人: 张伟
  完成时间: 2026-10-08 11:30
- 接单时间: 2026-10-09 10:00
  房间号: 1-1-101
  联系电话: \"13912345601\"
  报修内容: 热水水压太小
  区域: 入室
  处理方式: 工程部维修单
  单号: WX2610-00003
  接单人: 张伟
  完成时间: 2026-10-09 11:30
  回访结果: 已回访
- 接单时间: 2026-10-12 08:30
  房间号: 1-1-101
  联系电话: \"13912345601\"
  报修内容: 客厅墙面出现裂缝
  区域: 入室
  处理方式: 部门工作联系单
  单号: LX2610-0001
  接单人: 张伟
- 接单时间: 2026-10-13 08:30
  房间号: 1-1-201
  联系电话: \"13912345601\"
  报修内容: 楼道灯不亮
  区域: 公共区域
  处理方式: 工程部维修单
  单号: WX2610-00004
  接单人: 张伟
";

    fn order(
        no: &str,
        at: &str,
        location: &str,
        text: &str,
        times: (&str, &str, Option<&str>),
        follow_up: bool,
    ) -> String {
        let mut s = format!(
            "- 单号: {no}\n  开单时间: {at}\n  维修地点: {location}\n  报修内容: {text}\n  接收时间: {}\n  到场时间: {}\n  维修人员: 刘师傅\n  人数: 1\n  工时: 1\n  业主验收签字: 赵一\n",
            times.0, times.1
        );
        if let Some(c) = times.2 {
            s.push_str(&format!("  完成时间: {c}\n"));
        }
        if follow_up {
            s.push_str("  回访意见: 已回访，业主满意\n");
        }
        s
    }

    fn orders() -> String {
        [
            order(
                "WX2610-00001",
                "2026-10-08 09:12",
                "1-1-202",
                "卫生间下水管漏水到楼下",
                ("2026-10-08 09:15", "2026-10-08 09:29", Some("2026-10-08 11:00")),
                true,
            ),
            // Hot water: taken 10:02, arrived 10:16 = 14 minutes; no callback anywhere.
            order(
                "WX2610-00002",
                "2026-10-08 10:01",
                "1-1-101",
                "热水不热，放十分钟还是凉的",
                ("2026-10-08 10:02", "2026-10-08 10:16", Some("2026-10-08 11:30")),
                false,
            ),
            // Hot water: taken 10:02, arrived 10:18 = 16 minutes; callback on the desk record.
            order(
                "WX2610-00003",
                "2026-10-09 10:01",
                "1-1-101",
                "热水水压太小",
                ("2026-10-09 10:02", "2026-10-09 10:18", Some("2026-10-09 11:30")),
                false,
            ),
            order(
                "WX2610-00004",
                "2026-10-13 08:35",
                "1号楼1单元楼道",
                "楼道灯不亮",
                ("2026-10-13 08:36", "2026-10-13 08:45", None),
                false,
            ),
            // Not on the desk register; a routine repair, not returned after 3 days.
            order(
                "WX2610-00005",
                "2026-10-27 16:00",
                "1-1-102",
                "马桶堵塞",
                ("2026-10-27 16:01", "2026-10-27 16:10", None),
                false,
            ),
        ]
        .concat()
    }

    const CONTACTS: &str = "\
- 编号: LX2610-0001
  发出日期: 2026-10-12
  房号: 1-1-101
  报修内容: 客厅墙面出现裂缝
  保修项目: 建筑装饰装修工程（2年）
  处理期限: 2026-10-19
  物业经办人: 张伟
  地产客服确认: 钱工
- 编号: LX2610-0002
  发出日期: 2026-10-20
  房号: 1-1-102
  报修内容: 暖气片接口漏水
  保修项目: 供热与供冷系统（2个采暖期、供冷期）
  处理期限: 2026-10-27
  完成日期: 2026-10-26
  物业经办人: 张伟
  地产客服确认: 钱工
";

    fn sample() -> Fixture {
        let o = orders();
        fixture(
            &[("15-前台接待台帐.yaml", DESK), ("16-工程部维修单.yaml", &o), ("17-部门工作联系单.yaml", CONTACTS)],
            "2026-10-31",
        )
    }

    fn kinds(all: &[Finding]) -> Vec<(String, State, Option<usize>)> {
        let mut v: Vec<_> = all.iter().map(|f| (f.what.clone(), f.state, f.row)).collect();
        v.sort();
        v
    }

    #[test]
    fn findings_of_a_small_month() {
        let f = sample();
        // The hot-water repairs' arrival and callback are the hot-water procedure's findings.
        let all: Vec<Finding> =
            findings(&f.ctx()).into_iter().chain(crate::rules::services::findings(&f.ctx())).collect();
        let got = kinds(&all);
        let want = vec![
            ("热水报修到场超时".to_string(), State::Breach, Some(2)),
            ("热水维修当日回访".to_string(), State::Overdue, Some(1)),
            ("维修单未按时返回".to_string(), State::Overdue, Some(3)),
            ("维修单未按时返回".to_string(), State::Overdue, Some(4)),
            ("联系单逾期，转工程部维修".to_string(), State::Overdue, Some(0)),
            ("保修期内报修未转地产客服部".to_string(), State::Breach, Some(0)),
        ];
        let mut want = want;
        want.sort();
        assert_eq!(got, want, "{all:#?}");
        let late = all.iter().find(|x| x.what == "热水报修到场超时").expect("late arrival");
        assert!(late.why.contains("接收 2026-10-09 10:02，到场 10:18，用时 16 分钟，超过 15 分钟"), "{}", late.why);
        assert_eq!(late.owner.as_deref(), Some("刘师傅"));
        let wrong = all.iter().find(|x| x.clause == "4.2.3").expect("routing");
        assert_eq!(wrong.register, Some(RegisterId::Form(15)));
        assert_eq!(wrong.owner.as_deref(), Some("张伟"));
        assert!(wrong.why.contains("实际填写工程部维修单") && wrong.why.contains("保修至 2028-05-10"), "{}", wrong.why);
        let slip = all.iter().find(|x| x.clause == "4.2.5").expect("slip");
        assert_eq!((slip.due, slip.owner.as_deref()), (Some(d("2026-10-19")), Some("张伟")));
        let back = all.iter().find(|x| x.row == Some(4) && x.clause == "4.5").expect("order 5");
        assert_eq!(back.due, Some(d("2026-10-30")));
        assert_eq!(back.days_overdue(f.as_of), 1);
    }

    #[test]
    fn an_order_due_after_the_run_date_is_open() {
        let o = orders();
        let f = fixture(&[("16-工程部维修单.yaml", &o)], "2026-10-29");
        let open: Vec<_> =
            findings(&f.ctx()).into_iter().filter(|x| x.clause == "4.5").map(|x| (x.row, x.state)).collect();
        // Order 4 (2026-10-13) is overdue; order 5 (2026-10-27) is due 10-30, after the run date.
        assert_eq!(open, vec![(Some(3), State::Overdue), (Some(4), State::Open)]);
    }

    #[test]
    fn timeliness_counts_arrivals_slips_and_repeats() {
        let f = sample();
        let s = timeliness(&f.ctx(), d("2026-10-01"), d("2026-10-31"));
        // Five desk records and order 5: orders 1, 2, 4, 5 arrived in time, order 3 late, slip 1
        // overdue; slip 2 is counted on its own (no desk record) and finished in time.
        assert_eq!(s.orders, 7, "{s:?}");
        assert_eq!((s.on_time, s.late), (5, 2), "{s:?}");
        // Completed: orders 1, 2, 3 and slip 2; the hot-water repair of 10-08 was reported again on 10-09.
        assert_eq!((s.completed, s.returned, s.repeat_within_days), (4, 1, 30), "{s:?}");
        assert_eq!(s.repeat_rate(), Some(0.25));
        let october_8 = timeliness(&f.ctx(), d("2026-10-08"), d("2026-10-08"));
        assert_eq!((october_8.orders, october_8.on_time, october_8.returned), (2, 2, 1));
    }

    #[test]
    fn only_the_repairs_of_a_general_reception_log_are_repairs() {
        // Two rows of a reception log kept for every visitor: a 咨询 and a 报修; only the
        // repair is counted, and a row without 类别 is a repair too.
        let desk = "
- {接单时间: 2026-10-05 09:00, 类别: 咨询, 报修内容: 咨询网球场开放时间, 接单人: 张伟}
- {接单时间: 2026-10-06 09:00, 类别: 报修, 房间号: 1-1-101, 联系电话: 13800000001, 报修内容: 水管漏水, 处理方式: 工程部维修单, 接单人: 张伟}
- {接单时间: 2026-10-07 09:00, 房间号: 1-1-102, 联系电话: 13800000002, 报修内容: 水龙头滴水, 处理方式: 工程部维修单, 接单人: 张伟}
";
        let f = fixture(&[("15-前台接待台帐.yaml", desk)], "2026-10-31");
        assert_eq!(timeliness(&f.ctx(), d("2026-10-01"), d("2026-10-31")).orders, 2);
        let counts = crate::rules::kpi::counts::counts(&f.ctx(), crate::model::YearMonth { year: 2026, month: 10 });
        assert_eq!((counts.value("reception.received"), counts.value("reception.other")), (3, 1));
    }

    #[test]
    fn missing_registers_give_nothing() {
        let f = fixture(&[], "2026-10-31");
        assert!(findings(&f.ctx()).is_empty());
        assert_eq!(timeliness(&f.ctx(), d("2026-10-01"), d("2026-10-31")).orders, 0);
    }
}
