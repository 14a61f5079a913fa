//! Move-in registers: appointments (01), key issue and document return (02), inspections (03),
//! the key handover ledger (23) and smart-card issue (28), all derived from each home's
//! registration, appointment and handover dates, so they agree with each other and with the
//! rooms ledger.
//!
//! Input: the [`Ctx`]. Output: records streamed into a [`Sink`]. Failure: only the sink's.

use chrono::NaiveDate;

use crate::error::Error;

use super::Ctx;
use super::estate::{Estate, Home, shift};
use super::record::{Rec, Sink, V};
use super::rng::Rng;
use super::text::INSPECTION_NOTES;

/// What the inspection of a home found (03), shared with the key registers (23, 24) and the
/// hot-water notices (12).
#[derive(Debug, Clone)]
pub struct Inspection {
    /// Day of the inspection.
    pub date: NaiveDate,
    /// Failed items: (index into the form's items, note).
    pub faults: Vec<(usize, &'static str)>,
    /// Cold-water meter reading, tonnes.
    pub water: f64,
    /// Hot-water meter reading, tonnes (the start of hot-water billing).
    pub hot_water: f64,
    /// Electricity meter reading, kWh.
    pub power: f64,
    /// The day the copy and the owner's A key went to 地产客服部, when repairs are needed.
    pub handed_over: Option<NaiveDate>,
    /// The promised completion, about a week later.
    pub repair_due: Option<NaiveDate>,
}

/// The inspection of a handed-over home.
pub fn inspection(estate: &Estate, home: &Home) -> Option<Inspection> {
    let handover = home.handover?;
    let mut rng = Rng::stream(home.seed, "inspect", 0);
    let next = shift(handover, 1);
    let date = if rng.chance(0.15) && next <= estate.window.end { next } else { handover };
    let mut faults = Vec::new();
    if rng.chance(0.28) {
        for _ in 0..rng.range(1, 3) {
            let item = rng.index(INSPECTION_NOTES.len());
            let note = INSPECTION_NOTES.get(item).map(|n| rng.text(n)).unwrap_or("不合格");
            if !faults.iter().any(|(i, _)| *i == item) {
                faults.push((item, note));
            }
        }
        faults.sort_by_key(|(i, _)| *i);
    }
    let handed_over = (!faults.is_empty()).then(|| shift(date, rng.range(0, 2))).filter(|d| *d <= estate.window.end);
    Some(Inspection {
        date,
        repair_due: (!faults.is_empty()).then(|| shift(date, 7)),
        handed_over,
        faults,
        water: (rng.range(0, 35) as f64) / 10.0,
        hot_water: (rng.range(0, 20) as f64) / 10.0,
        power: rng.range(50, 600) as f64 / 10.0,
    })
}

/// Homes with `date(home)` set, sorted by that date (then room order).
fn by_date(estate: &Estate, date: impl Fn(&Home) -> Option<NaiveDate>) -> Vec<(NaiveDate, usize)> {
    let mut out: Vec<(NaiveDate, usize)> =
        estate.homes.iter().enumerate().filter_map(|(i, h)| date(h).map(|d| (d, i))).collect();
    out.sort();
    out
}

/// 01 办理入住预约登记表: every call for an appointment, handled or still pending.
pub fn appointments(ctx: &Ctx, sink: &mut dyn Sink) -> Result<(), Error> {
    let estate = ctx.estate;
    for (reg, i) in by_date(estate, |h| h.registered) {
        let home = &estate.homes[i];
        let Some(appointment) = home.appointment else { continue };
        let mut rng = Rng::stream(home.seed, "appointment", 0);
        let number = home.room.building;
        let group = estate.group_of(number);
        let mut rec = Rec::new();
        rec.date("registered_on", reg)
            .put("room", V::Room(home.room))
            .text("owner", home.owner.name.clone())
            .put("phone", V::Phone(home.owner.phone))
            .date("appointment_date", appointment.date())
            .put("appointment_time", V::Time(appointment.time()))
            .s("team", group.map(|g| g.name).unwrap_or("第一组"))
            .flag("told_documents", !rng.chance(0.02))
            .text("registrar", registrar(estate, &mut rng, group.map(|g| g.members.as_slice())));
        if let Some(h) = home.handover {
            rec.date("handled_on", h);
            if h > appointment.date() {
                rec.s("remarks", "业主改约");
            } else if rng.chance(0.03) {
                rec.s("remarks", "委托家属代办");
            }
        } else {
            rec.s("remarks", "已预约，待办理");
        }
        sink.row(rec)?;
    }
    Ok(())
}

fn registrar(estate: &Estate, rng: &mut Rng, members: Option<&[String]>) -> String {
    match members.and_then(|m| rng.pick(m)) {
        Some(name) => name.clone(),
        None => estate.any(rng, "入住办理").name.clone(),
    }
}

/// Share of handovers where the owner brings the ID copy later (身份证复印件后补).
const ID_COPY_LATE: f64 = 0.03;

/// Whether the owner of `home` handed in the ID copy after the handover (02 shows it missing).
pub fn id_copy_late(home: &Home) -> bool {
    Rng::stream(home.seed, "keys", 0).chance(ID_COPY_LATE)
}

/// 02 钥匙发放、文件回收登记表: keys and papers at handover.
pub fn keys(ctx: &Ctx, sink: &mut dyn Sink) -> Result<(), Error> {
    let estate = ctx.estate;
    for (day, i) in by_date(estate, |h| h.handover) {
        let home = &estate.homes[i];
        let mut rng = Rng::stream(home.seed, "keys", 0);
        let missing = rng.chance(ID_COPY_LATE);
        let mut rec = Rec::new();
        rec.date("issued_on", day)
            .put("room", V::Room(home.room))
            .text("owner", home.owner.name.clone())
            .int("door_keys", 3)
            .int("mailbox_keys", 2)
            .flag("notice_returned", true)
            .flag("contract_copy", true)
            .flag("id_copy", !missing)
            .flag("checkin_papers", true)
            .flag("confirmation", true)
            .flag("receipt_checked", true)
            .flag("key_briefing", true)
            .text("owner_signature", if rng.chance(0.1) { "√".to_string() } else { home.owner.name.clone() })
            .text("clerk_signature", estate.any(&mut rng, "大堂管家").name.clone());
        if missing {
            rec.s("remarks", "身份证复印件后补");
        }
        sink.row(rec)?;
    }
    Ok(())
}

/// How staff name a checklist item: its text before the first `、` or `（` (`客厅墙面` for
/// `客厅墙面、顶棚`, `强电` for `强电（开关、插座、配电箱）`), which still names exactly one item.
pub fn short_item(item: &str) -> &str {
    item.split(['、', '（']).next().unwrap_or(item)
}

/// The checklist cell of 验房单: failed items with notes (`客厅墙面：不合格，墙面裂缝；…`), or
/// every item marked 合格 when all is fine (the field is required).
fn checklist(items: &[String], faults: &[(usize, &str)]) -> String {
    if faults.is_empty() {
        return items.iter().map(|i| format!("{}：合格", short_item(i))).collect::<Vec<_>>().join("；");
    }
    faults
        .iter()
        .filter_map(|(i, note)| items.get(*i).map(|item| format!("{}：不合格，{note}", short_item(item))))
        .collect::<Vec<_>>()
        .join("；")
}

/// 03 验房单: one inspection per handed-over home.
pub fn inspections(ctx: &Ctx, sink: &mut dyn Sink) -> Result<(), Error> {
    let estate = ctx.estate;
    let items = ctx.items(3, "items");
    let mut list: Vec<(NaiveDate, usize, Inspection)> =
        estate.homes.iter().enumerate().filter_map(|(i, h)| inspection(estate, h).map(|x| (x.date, i, x))).collect();
    list.sort_by_key(|(d, i, _)| (*d, *i));
    for (date, i, x) in list {
        let home = &estate.homes[i];
        let mut rng = Rng::stream(home.seed, "inspector", 0);
        let inspector = estate.any(&mut rng, "验房").name.clone();
        let needs = !x.faults.is_empty();
        let mut rec = Rec::new();
        rec.put("room", V::Room(home.room))
            .text("owner", home.owner.name.clone())
            .put("phone", V::Phone(home.owner.phone))
            .date("inspected_on", date)
            .text("inspector", inspector.clone())
            .put("water_reading", V::Dec(x.water))
            .put("hot_water_reading", V::Dec(x.hot_water))
            .put("power_reading", V::Dec(x.power))
            .text("items", checklist(&items, &x.faults))
            .flag("needs_repair", needs)
            .text("owner_signature", home.owner.name.clone())
            .text("staff_signature", inspector);
        if needs {
            let problems: Vec<String> =
                x.faults.iter().filter_map(|(i, n)| items.get(*i).map(|item| format!("{item}{n}"))).collect();
            rec.text("problems", problems.join("；")).flag("a_key_left", x.handed_over.is_some());
            rec.opt("handed_over_on", x.handed_over.map(V::Date)).opt("repair_due", x.repair_due.map(V::Date));
            if x.handed_over.is_some() {
                let dev = rng.pick(&estate.others.developer).map(|d| d.0.clone()).unwrap_or_default();
                rec.text("developer_signature", dev);
            }
        }
        sink.row(rec)?;
    }
    Ok(())
}

/// The key number of a home's door keys, shared by 23 and 24.
pub fn key_no(home: &Home) -> String {
    format!("F{}", home.room)
}

/// 23 钥匙交接台帐: per building the equipment-room and mailbox keys, then each home's door keys,
/// taken over from the developer a few days before delivery.
pub fn key_ledger(ctx: &Ctx, sink: &mut dyn Sink) -> Result<(), Error> {
    let estate = ctx.estate;
    let mut order: Vec<usize> = (0..estate.buildings.len()).collect();
    order.sort_by_key(|&b| (estate.delivery.get(b).copied(), b));
    // Homes are stored building by building: find each building's slice once.
    let mut ranges = vec![(0usize, 0usize); estate.buildings.len()];
    for (i, h) in estate.homes.iter().enumerate() {
        if let Some(r) = ranges.get_mut(h.building) {
            if r.1 == 0 {
                r.0 = i;
            }
            r.1 = i + 1;
        }
    }
    for b in order {
        let Some(&delivery) = estate.delivery.get(b) else { continue };
        if delivery > ctx.end() {
            continue;
        }
        let mut rng = Rng::stream(estate.seed, "keyledger", b as u64);
        let taken = shift(delivery, -rng.range(1, 5)).max(estate.window.start);
        let giver = rng.pick(&estate.others.developer).map(|d| d.0.clone()).unwrap_or_default();
        let keeper = estate.first("钥匙管理").to_string();
        building_keys(ctx, sink, b, taken, &giver, &keeper)?;
        let (from, to) = ranges.get(b).copied().unwrap_or((0, 0));
        for home in estate.homes.get(from..to).unwrap_or(&[]) {
            home_keys(ctx, sink, home, taken, &giver, &keeper)?;
        }
    }
    Ok(())
}

fn building_keys(
    ctx: &Ctx,
    sink: &mut dyn Sink,
    b: usize,
    taken: NaiveDate,
    giver: &str,
    keeper: &str,
) -> Result<(), Error> {
    let Some(building) = ctx.estate.buildings.get(b) else { return Ok(()) };
    let n = building.number;
    for (k, place) in super::text::EQUIPMENT_ROOMS.iter().enumerate() {
        let mut rec = Rec::new();
        rec.date("taken_over_on", taken)
            .text("key_no", format!("S{n}-{}", k + 1))
            .s("category", "设备间")
            .text("location", format!("{n}号楼{place}"))
            .int("quantity", 3)
            .text("handed_by", giver)
            .text("received_by", keeper)
            .text("storage", format!("设备钥匙柜{}", k + 1));
        sink.row(rec)?;
    }
    for unit in 1..=building.units {
        let rooms = i64::from(building.top_floor - building.first_floor + 1) * i64::from(building.rooms_per_floor);
        let mut rec = Rec::new();
        rec.date("taken_over_on", taken)
            .text("key_no", format!("X{n}-{unit}"))
            .s("category", "信报箱")
            .text("location", format!("{n}号楼{unit}单元信报箱"))
            .int("quantity", rooms * 2)
            .text("handed_by", giver)
            .text("received_by", keeper)
            .text("storage", format!("钥匙柜{n}-{unit}"))
            .s("remarks", "随入住发放，见钥匙发放登记表");
        sink.row(rec)?;
    }
    Ok(())
}

fn home_keys(
    ctx: &Ctx,
    sink: &mut dyn Sink,
    home: &Home,
    taken: NaiveDate,
    giver: &str,
    keeper: &str,
) -> Result<(), Error> {
    let mut rec = Rec::new();
    rec.date("taken_over_on", taken)
        .text("key_no", key_no(home))
        .s("category", "房屋")
        .text("location", home.room.to_string())
        .int("quantity", 3)
        .text("handed_by", giver)
        .text("received_by", keeper)
        .text("storage", format!("钥匙柜{}-{}", home.room.building, home.room.unit));
    if let Some(h) = home.handover {
        rec.date("collected_on", h).int("collected_count", 3).text("owner_signature", home.owner.name.clone());
        let kept = inspection(ctx.estate, home).is_some_and(|x| x.handed_over.is_some());
        rec.flag("kept_for_repair", kept);
        if kept {
            rec.s("remarks", "验房需返修，A钥匙转交地产客服");
        }
    }
    sink.row(rec)
}

/// The first smart-card number of a home; its cards are numbered upwards from there.
pub fn card_base(index: usize) -> u64 {
    100_000 + index as u64 * 10
}

/// The card number as printed.
pub fn card_text(n: u64) -> String {
    format!("DW{n:07}")
}

/// Cards issued at handover: (free, extra).
pub fn cards_at_handover(home: &Home) -> (u8, u8) {
    let mut rng = Rng::stream(home.seed, "cards", 0);
    let free = home.residents.min(3);
    let extra = if home.residents > 3 && rng.chance(0.7) { home.residents - 3 } else { u8::from(rng.chance(0.04)) };
    (free, extra)
}

/// The fee per extra card, fen.
pub const CARD_FEE: i64 = 2_000;

/// 28 智能卡发放登记表: cards handed out at move-in, at most three free per household.
pub fn card_issue(ctx: &Ctx, sink: &mut dyn Sink) -> Result<(), Error> {
    let estate = ctx.estate;
    for (day, i) in by_date(estate, |h| h.handover) {
        let home = &estate.homes[i];
        let (free, extra) = cards_at_handover(home);
        let base = card_base(i);
        let numbers: Vec<String> = (0..u64::from(free + extra)).map(|k| card_text(base + k)).collect();
        let mut rng = Rng::stream(home.seed, "cardclerk", 0);
        let mut rec = Rec::new();
        rec.date("issued_on", day)
            .put("room", V::Room(home.room))
            .text("owner", home.owner.name.clone())
            .int("residents", i64::from(home.residents))
            .int("free_cards", i64::from(free))
            .text("card_nos", numbers.join("、"))
            .text("access_scope", format!("{}号楼{}单元门、园区各出入口", home.room.building, home.room.unit))
            .flag("instructed", true)
            .text("owner_signature", home.owner.name.clone())
            .text("clerk", estate.any(&mut rng, "大堂管家").name.clone());
        if extra > 0 {
            rec.int("extra_cards", i64::from(extra)).put("fee", V::Money(i64::from(extra) * CARD_FEE));
        }
        sink.row(rec)?;
    }
    Ok(())
}
