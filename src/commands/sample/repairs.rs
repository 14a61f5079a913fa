//! Repairs: the front-desk reception register (15, one sheet per month), the engineering work
//! orders (16) and the contact slips for warranty items routed to 地产客服部 (17), including
//! the slips not finished in time and repaired by 物业 at the developer's cost (4.2.5).
//!
//! About 0.3 repairs per occupied household and month, 0.48 in the heating season (Nov–Mar),
//! when heating and hot-water faults dominate. Input: the [`Ctx`]. Output: records streamed
//! into a [`Sink`]. Failure: only the sink's.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};

use crate::error::Error;
use crate::model::YearMonth;

use super::Ctx;
use super::estate::{Estate, Home, at, shift};
use super::record::{Rec, Sink, V};
use super::rng::Rng;
use super::text::{REPAIR_FOLLOW_UPS, REPAIRS, RepairKind, WARRANTY};

/// One repair reported at the front desk.
#[derive(Debug, Clone)]
pub struct Repair {
    /// Index of the household reporting it.
    pub home: u32,
    /// When the front desk took the call.
    pub received: NaiveDateTime,
    /// Index into [`REPAIRS`].
    pub kind: u8,
    /// Routed to 地产客服部 on a 部门工作联系单 (17) instead of a 工程部维修单 (16).
    pub warranty: bool,
    /// Number within its month and route (order or contact slip).
    pub number: u32,
    /// Seed of its details.
    pub seed: u64,
}

/// Whether `month` lies in Shenyang's heating season (Nov–Mar).
pub fn heating(month: u32) -> bool {
    matches!(month, 11 | 12 | 1 | 2 | 3)
}

/// Homes occupied at some point of `month`, with the first day they are.
pub fn occupied_in(estate: &Estate, month: YearMonth) -> Vec<(u32, NaiveDate)> {
    let first = month.first_day();
    let last = month.last_day().min(estate.window.end);
    estate
        .homes
        .iter()
        .enumerate()
        .filter(|(_, h)| h.occupied_on(last))
        .map(|(i, h)| (i as u32, h.handover.unwrap_or(first).max(first)))
        .collect()
}

/// Every repair of the window, in order of reception.
pub fn events(ctx: &Ctx) -> Vec<Repair> {
    let estate = ctx.estate;
    let mut out = Vec::new();
    for (mi, &month) in estate.window.months.iter().enumerate() {
        let mut rng = Rng::stream(estate.seed, "repairs", mi as u64);
        let homes = occupied_in(estate, month);
        let winter = heating(month.month);
        let weights: Vec<u32> = REPAIRS.iter().map(|k| if winter { k.winter } else { k.summer }).collect();
        let rate = if winter { 0.48 } else { 0.30 };
        let last = month.last_day().min(estate.window.end);
        let mut list = Vec::new();
        for _ in 0..rng.poisson(homes.len() as f64 * rate) {
            let Some(&(home, from)) = rng.pick(&homes) else { break };
            let day = shift(from, rng.range(0, (last - from).num_days()));
            let latest = if day == estate.window.end { 16 } else { 20 };
            let hour = [7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 19, 20]
                [rng.weighted(&[2, 6, 9, 9, 7, 7, 8, 8, 7, 6, 5, 3, 2])];
            let received = at(day, hour.min(latest), rng.range(0, 59) as u32);
            let kind = rng.weighted(&weights);
            let warranty = REPAIRS.get(kind).is_some_and(|k| k.warranty.is_some()) && rng.chance(0.9);
            list.push(Repair { home, received, kind: kind as u8, warranty, number: 0, seed: rng.next_u64() });
        }
        list.sort_by_key(|r| (r.received, r.home));
        let (mut orders, mut contacts) = (0, 0);
        for r in &mut list {
            let counter = if r.warranty { &mut contacts } else { &mut orders };
            *counter += 1;
            r.number = *counter;
        }
        out.extend(list);
    }
    out
}

fn yymm(d: NaiveDateTime) -> String {
    format!("{:02}{:02}", d.year() % 100, d.month())
}

impl Repair {
    fn kind(&self) -> &'static RepairKind {
        REPAIRS.get(usize::from(self.kind)).unwrap_or(&REPAIRS[0])
    }

    /// What the owner reported.
    pub fn content(&self) -> String {
        let mut rng = Rng::stream(self.seed, "content", 0);
        rng.text(self.kind().texts).replace("{n}", &rng.range(14, 18).to_string())
    }

    /// The 维修单 or 联系单 number.
    pub fn order_no(&self) -> String {
        if self.warranty {
            format!("LX{}-{:04}", yymm(self.received), self.number)
        } else {
            format!("WX{}-{:05}", yymm(self.received), self.number)
        }
    }

    fn area(&self) -> &'static str {
        if self.in_home() { "入室" } else { "公共区域" }
    }

    /// Whether the repair is inside the home (入室), so its order names the room.
    pub fn in_home(&self) -> bool {
        self.kind().place.is_empty()
    }
}

/// What the engineering department recorded on a work order.
pub struct Order {
    /// 维修单 number.
    pub no: String,
    /// When the order was made out.
    pub issued: NaiveDateTime,
    /// When the technician took the order.
    pub received: NaiveDateTime,
    /// When the technician arrived.
    pub arrived: NaiveDateTime,
    /// When the work was finished.
    pub completed: NaiveDateTime,
    /// Technicians sent.
    pub technicians: Vec<String>,
    /// Working hours.
    pub hours: f64,
    /// Material charge to the owner, fen.
    pub fee: i64,
    /// What was done.
    pub work: &'static str,
}

fn order(estate: &Estate, no: String, issued: NaiveDateTime, kind: &RepairKind, seed: u64) -> Order {
    let mut rng = Rng::stream(seed, "order", 0);
    let received = issued + Duration::minutes(rng.range(1, 5));
    let travel = if rng.chance(0.9) { rng.range(4, 14) } else { rng.range(16, 40) };
    let arrived = received + Duration::minutes(travel);
    let mut hours = rng.range(1, 6) as f64 / 2.0;
    let midnight = at(arrived.date(), 23, 50);
    while hours > 0.5 && arrived + Duration::minutes((hours * 60.0) as i64) > midnight {
        hours -= 0.5;
    }
    let completed = (arrived + Duration::minutes((hours * 60.0) as i64)).min(midnight);
    let n = if rng.chance(0.2) { 2 } else { 1 };
    let technicians = (0..n).filter_map(|_| rng.pick(&estate.others.technicians).cloned()).collect::<Vec<_>>();
    let fee = if kind.fee.1 > 0 && rng.chance(0.5) { rng.range(kind.fee.0, kind.fee.1) / 500 * 500 } else { 0 };
    Order { no, issued, received, arrived, completed, technicians, hours, fee, work: rng.text(kind.work) }
}

/// The work order of a repair handled by 物业 itself.
pub fn repair_order(estate: &Estate, r: &Repair) -> Order {
    let mut rng = Rng::stream(r.seed, "issue", 0);
    let issued = r.received + Duration::minutes(rng.range(2, 10));
    order(estate, r.order_no(), issued, r.kind(), r.seed)
}

/// What happened to a contact slip sent to 地产客服部.
pub struct Contact {
    /// Day the slip was sent.
    pub issued_on: NaiveDate,
    /// Deadline agreed with 地产客服部.
    pub due_on: NaiveDate,
    /// Day the item was finished.
    pub completed_on: Option<NaiveDate>,
    /// 物业's own order when the developer missed the deadline, with the settlement.
    pub overdue: Option<(Order, i64, Option<NaiveDate>)>,
}

/// The course of a warranty repair.
pub fn contact(estate: &Estate, r: &Repair) -> Contact {
    let mut rng = Rng::stream(r.seed, "contact", 0);
    let end = estate.window.end;
    let issued_on = r.received.date();
    let due_on = shift(issued_on, 7);
    if rng.chance(0.85) {
        let done = shift(issued_on, rng.range(2, 7));
        return Contact { issued_on, due_on, completed_on: Some(done).filter(|d| *d <= end), overdue: None };
    }
    let repair_day = shift(due_on, 1);
    if repair_day > end {
        return Contact { issued_on, due_on, completed_on: None, overdue: None };
    }
    let issued = at(repair_day, 9, rng.range(0, 50) as u32);
    let no = format!("YQ{}-{:04}", yymm(r.received), r.number);
    let o = order(estate, no, issued, r.kind(), r.seed ^ 0x5EED);
    let settlement = rng.range(300, 1_500) * 100;
    let settled = shift(o.completed.date(), rng.range(3, 10));
    let completed_on = Some(o.completed.date());
    Contact { issued_on, due_on, completed_on, overdue: Some((o, settlement, Some(settled).filter(|d| *d <= end))) }
}

/// The place written on a work order: the room, or the building part for public areas.
fn location(home: &Home, kind: &RepairKind) -> String {
    if kind.place.is_empty() {
        home.room.to_string()
    } else {
        format!("{}号楼{}单元{}", home.room.building, home.room.unit, kind.place)
    }
}

/// 15 前台接待台帐: every repair call, one sheet per month.
pub fn reception(ctx: &Ctx, sink: &mut dyn Sink) -> Result<(), Error> {
    let estate = ctx.estate;
    let mut sheet: Option<YearMonth> = None;
    let mut events = ctx.repairs.iter().peekable();
    for &month in &estate.window.months {
        if sheet != Some(month) {
            sink.sheet(&format!("{}年{}月", month.year, month.month))?;
            sheet = Some(month);
        }
        while let Some(r) = events.next_if(|r| YearMonth::of(r.received.date()) == month) {
            let Some(home) = estate.homes.get(r.home as usize) else { continue };
            sink.row(reception_row(estate, home, r))?;
        }
    }
    Ok(())
}

fn reception_row(estate: &Estate, home: &Home, r: &Repair) -> Rec {
    let mut rng = Rng::stream(r.seed, "desk", 0);
    let caller = home.resident_on(r.received.date());
    let mut rec = Rec::new();
    rec.dt("received_at", r.received)
        .put("room", V::Room(home.room))
        .text("caller", caller.name.clone())
        .put("phone", V::Phone(caller.phone))
        .text("content", r.content())
        .s("area", r.area())
        .s("route", if r.warranty { "部门工作联系单" } else { "工程部维修单" })
        .text("order_no", r.order_no())
        .text("receiver", estate.any(&mut rng, "大堂管家").name.clone());
    let done = if r.warranty {
        contact(estate, r).completed_on.map(|d| at(d, 17, rng.range(0, 50) as u32))
    } else {
        Some(repair_order(estate, r).completed)
    };
    if let Some(done) = done {
        rec.dt("completed_at", done).s("follow_up", rng.text(REPAIR_FOLLOW_UPS));
    }
    rec
}

/// 16 工程部维修单: 物业's own repairs, and the overdue warranty items it took over.
pub fn orders(ctx: &Ctx, sink: &mut dyn Sink) -> Result<(), Error> {
    let estate = ctx.estate;
    let mut list: Vec<(NaiveDateTime, &Repair, Order)> = Vec::new();
    for r in &ctx.repairs {
        if r.warranty {
            if let Some((o, _, _)) = contact(estate, r).overdue {
                list.push((o.issued, r, o));
            }
        } else {
            let o = repair_order(estate, r);
            list.push((o.issued, r, o));
        }
    }
    list.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.2.no.cmp(&b.2.no)));
    for (_, r, o) in list {
        let Some(home) = estate.homes.get(r.home as usize) else { continue };
        sink.row(order_row(estate, home, r, o))?;
    }
    Ok(())
}

fn order_row(estate: &Estate, home: &Home, r: &Repair, o: Order) -> Rec {
    let mut rng = Rng::stream(r.seed, "orderrow", 0);
    let kind = r.kind();
    let person = home.resident_on(r.received.date());
    let content = if r.warranty { format!("地产逾期未修，物业代修：{}", r.content()) } else { r.content() };
    let steward = estate.steward(home.building).name.clone();
    let mut rec = Rec::new();
    rec.text("order_no", o.no)
        .dt("issued_at", o.issued)
        .text("location", location(home, kind))
        .s("area", r.area())
        .text("owner", person.name.clone())
        .put("phone", V::Phone(person.phone))
        .text("content", content)
        .dt("received_at", o.received)
        .dt("arrived_at", o.arrived)
        .text("technicians", o.technicians.join("、"))
        .int("headcount", o.technicians.len().max(1) as i64)
        .put("work_hours", V::Dec(o.hours))
        .dt("completed_at", o.completed)
        .s("materials", o.work)
        .flag("resolved", true)
        .s("follow_up", rng.text(REPAIR_FOLLOW_UPS))
        .text("technician_signature", o.technicians.first().cloned().unwrap_or_default())
        .text("owner_signature", person.name.clone())
        .text("steward_signature", steward);
    if o.fee > 0 {
        rec.put("fee", V::Money(o.fee));
    }
    rec
}

/// 17 部门工作联系单: warranty items sent to 地产客服部.
pub fn contacts(ctx: &Ctx, sink: &mut dyn Sink) -> Result<(), Error> {
    let estate = ctx.estate;
    for r in ctx.repairs.iter().filter(|r| r.warranty) {
        let Some(home) = estate.homes.get(r.home as usize) else { continue };
        let c = contact(estate, r);
        let mut rng = Rng::stream(r.seed, "slip", 0);
        let kind = r.kind();
        let mut rec = Rec::new();
        rec.text("contact_no", r.order_no())
            .date("issued_on", c.issued_on)
            .put("room", V::Room(home.room))
            .text("owner", home.owner.name.clone())
            .put("phone", V::Phone(home.owner.phone))
            .opt("delivered_on", home.delivered.map(V::Date))
            .text("content", r.content())
            .s("warranty_item", kind.warranty.and_then(|w| WARRANTY.get(w)).copied().unwrap_or(WARRANTY[0]))
            .date("due_on", c.due_on)
            .opt("completed_on", c.completed_on.map(V::Date))
            .text("sender_signature", estate.any(&mut rng, "大堂管家").name.clone())
            .text(
                "estate_confirm_signature",
                rng.pick(&estate.others.developer).map(|d| d.0.clone()).unwrap_or_default(),
            );
        if let Some((o, settlement, settled)) = c.overdue {
            rec.text("result", format!("地产客服部逾期未修，由物业工程部维修完毕：{}", o.work))
                .flag("overdue_repair", true)
                .text("repair_order_no", o.no)
                .put("settlement", V::Money(settlement))
                .opt("settled_on", settled.map(V::Date))
                .text(
                    "estate_engineering_signature",
                    rng.pick(&estate.others.developer_engineers).cloned().unwrap_or_default(),
                );
        } else if c.completed_on.is_some() {
            rec.s("result", "地产客服部已安排施工单位维修完毕").flag("overdue_repair", false);
        }
        sink.row(rec)?;
    }
    Ok(())
}
