//! Services at the front desk: hot-water notices after the quarter-end meter reading (12),
//! tennis-court bookings (13, 7:00–21:00, at most six players), deposited items and mail (14),
//! and smart-card matters after move-in (27).
//!
//! Input: the [`Ctx`]. Output: records streamed into a [`Sink`]. Failure: only the sink's.

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use crate::error::Error;

use super::Ctx;
use super::estate::{Estate, Home, at, shift};
use super::movein::{CARD_FEE, card_base, card_text, cards_at_handover, inspection};
use super::people;
use super::record::{Rec, Sink, V};
use super::repairs::occupied_in;
use super::rng::Rng;
use super::text::{CARD_MATTERS, COURIERS, DEPOSITS};

/// Hot water price, fen per tonne.
const HOT_WATER_FEN: i64 = 2_500;
/// Prepaid at move-in, fen.
const PREPAID_FEN: i64 = 30_000;

/// A home's hot-water account between readings.
#[derive(Clone, Copy)]
struct Meter {
    reading: f64,
    balance: i64,
    since: NaiveDate,
}

/// 12 热水续费通知书: after each quarter-end reading (25th–30th), a notice to every household
/// whose prepaid balance will not last the next quarter.
pub fn hot_water(ctx: &Ctx, sink: &mut dyn Sink) -> Result<(), Error> {
    let estate = ctx.estate;
    let mut meters: Vec<Option<Meter>> = estate
        .homes
        .iter()
        .map(|h| inspection(estate, h).map(|x| Meter { reading: x.hot_water, balance: PREPAID_FEN, since: x.date }))
        .collect();
    for &month in estate.window.months.iter().filter(|m| m.month % 3 == 0) {
        let mut rng = Rng::stream(estate.seed, "hotwater", u64::from(month.month) + 100 * month.year as u64);
        let day_of: Vec<u32> = estate.buildings.iter().map(|_| rng.range(25, 30) as u32).collect();
        for (i, home) in estate.homes.iter().enumerate() {
            let Some(read) =
                NaiveDate::from_ymd_opt(month.year, month.month, day_of.get(home.building).copied().unwrap_or(25))
            else {
                continue;
            };
            let Some(Some(meter)) = meters.get_mut(i) else { continue };
            if read > ctx.end() || !home.occupied_on(read) || meter.since >= read {
                continue;
            }
            let days = (read - meter.since).num_days() as f64;
            // About 45 litres a person a day, more in the cold months.
            let per_day = f64::from(home.residents) * if month.month == 12 || month.month == 3 { 0.055 } else { 0.045 };
            let usage = (days * per_day * (0.8 + rng.unit() * 0.4) * 10.0).round() / 10.0;
            let previous = meter.reading;
            meter.reading = ((previous + usage) * 10.0).round() / 10.0;
            meter.balance -= (usage * HOT_WATER_FEN as f64).round() as i64;
            meter.since = read;
            let next_quarter = (f64::from(home.residents) * 0.05 * 91.0 * HOT_WATER_FEN as f64) as i64;
            if meter.balance >= next_quarter {
                continue;
            }
            let due = ((next_quarter - meter.balance + 9_999) / 10_000).max(1) * 10_000;
            sink.row(hot_water_notice(home, read, previous, meter, due, ctx.end(), &mut rng))?;
            meter.balance += due;
        }
    }
    Ok(())
}

/// The notice after a reading: readings, balance, the top-up asked for; 40 % come back signed.
fn hot_water_notice(
    home: &Home,
    read: NaiveDate,
    previous: f64,
    meter: &Meter,
    due: i64,
    end: NaiveDate,
    rng: &mut Rng,
) -> Rec {
    let mut rec = Rec::new();
    rec.put("room", V::Room(home.room))
        .text("owner", home.owner.name.clone())
        .date("read_date", read)
        .put("previous_reading", V::Dec(previous))
        .put("reading", V::Dec(meter.reading))
        .put("usage", V::Dec(((meter.reading - previous) * 10.0).round() / 10.0))
        .put("balance", V::Money(meter.balance))
        .put("amount_due", V::Money(due))
        .date("pay_by", shift(read, 10));
    // Most owners top up by the deadline, a few late, a few not yet.
    let paid = rng.unit();
    let on = if paid < 0.9 {
        Some(shift(read, 1 + (paid * 10.0) as i64))
    } else if paid < 0.95 {
        Some(shift(read, 12 + (paid * 100.0) as i64 % 10))
    } else {
        None
    };
    if let Some(on) = on.filter(|d| *d <= end) {
        rec.date("renewed_on", on).put("renewed_amount", V::Money(due));
    }
    if rng.chance(0.4) {
        rec.put("receipt_room", V::Room(home.room))
            .s("receipt_way", if rng.chance(0.7) { "到客服前台缴纳" } else { "银行转账" })
            .put("receipt_phone", V::Phone(home.owner.phone))
            .text("owner_signature", home.owner.name.clone());
    }
    rec
}

/// Booking demand relative to summer: outdoor courts are little used in a Shenyang winter.
fn season(month: u32) -> f64 {
    match month {
        12 | 1 | 2 => 0.1,
        11 | 3 => 0.4,
        _ => 1.0,
    }
}

/// One court booking.
struct Booking {
    booked: NaiveDate,
    play: NaiveDate,
    start: u32,
    hours: u32,
    court: u32,
    home: u32,
    seed: u64,
}

fn bookings(ctx: &Ctx) -> Vec<Booking> {
    let estate = ctx.estate;
    let mut out = Vec::new();
    for (mi, &month) in estate.window.months.iter().enumerate() {
        let homes = occupied_in(estate, month);
        let mut rng = Rng::stream(estate.seed, "tennis", mi as u64);
        for play in estate.window.days_of(month) {
            let mut busy = [[false; 24]; 2];
            let wanted = rng.poisson((homes.len() as f64 / 120.0).min(18.0) * season(month.month));
            for _ in 0..wanted {
                let Some(&(home, from)) = rng.pick(&homes) else { break };
                let (court, start, hours) =
                    (rng.range(0, 1) as usize, rng.range(7, 20) as usize, rng.range(1, 2) as usize);
                let hours = hours.min(21 - start);
                let free = (start..start + hours).all(|h| !busy[court][h]);
                let booked = shift(play, -rng.range(1, 3));
                if !free || booked < from || booked < estate.window.start {
                    continue;
                }
                (start..start + hours).for_each(|h| busy[court][h] = true);
                let (start, hours, court) = (start as u32, hours as u32, court as u32 + 1);
                out.push(Booking { booked, play, start, hours, court, home, seed: rng.next_u64() });
            }
        }
    }
    out.sort_by_key(|b| (b.booked, b.play, b.start, b.court));
    out
}

/// 13 网球场订场记录: bookings one to three days ahead, hourly tickets, a few changed.
pub fn tennis(ctx: &Ctx, sink: &mut dyn Sink) -> Result<(), Error> {
    let estate = ctx.estate;
    for (n, b) in bookings(ctx).into_iter().enumerate() {
        let Some(home) = estate.homes.get(b.home as usize) else { continue };
        let mut rng = Rng::stream(b.seed, "booking", 0);
        let person = home.resident_on(b.booked);
        let mut rec = Rec::new();
        rec.date("booked_on", b.booked)
            .date("play_date", b.play)
            .put("start_time", V::Time(at(b.play, b.start, 0).time()))
            .put("end_time", V::Time(at(b.play, b.start + b.hours, 0).time()))
            .text("court", format!("{}号场", b.court))
            .text("booker", person.name.clone())
            .put("room", V::Room(home.room))
            .put("phone", V::Phone(person.phone))
            .int("players", rng.range(2, 6))
            .int("tickets", i64::from(b.hours))
            .put("amount", V::Money(i64::from(b.hours) * 4_000))
            .text("ticket_no", format!("WQ{:06}", n + 1))
            .text("clerk", estate.any(&mut rng, "大堂管家").name.clone());
        if rng.chance(0.05) {
            change(&mut rec, &b, &mut rng);
        }
        sink.row(rec)?;
    }
    Ok(())
}

/// A change of booking: for weather on the day, otherwise at least four hours before play.
fn change(rec: &mut Rec, b: &Booking, rng: &mut Rng) {
    let weather = rng.chance(0.5);
    let when: NaiveDateTime = if weather {
        at(b.play, b.start.saturating_sub(2).max(6), 30)
    } else {
        at(b.booked, rng.range(9, 18) as u32, 0)
    };
    let new_day = shift(b.play, rng.range(1, 2));
    rec.dt("changed_at", when).s("change_reason", if weather { "天气原因" } else { "特殊原因" }).text(
        "changed_to",
        format!("{}月{}日 {}:00-{}:00 {}号场", new_day.month(), new_day.day(), b.start, b.start + b.hours, b.court),
    );
}

/// 14 物品寄存委托书: parcels and mail taken in for owners, and items owners leave for others.
pub fn deposits(ctx: &Ctx, sink: &mut dyn Sink) -> Result<(), Error> {
    let estate = ctx.estate;
    let mut n = 0u32;
    let mut month_seen = None;
    for (mi, &month) in estate.window.months.iter().enumerate() {
        let homes = occupied_in(estate, month);
        let mut rng = Rng::stream(estate.seed, "deposits", mi as u64);
        for day in estate.window.days_of(month) {
            let mut today = Vec::new();
            for _ in 0..rng.poisson(1.0 + homes.len() as f64 / 400.0) {
                let Some(&(home, from)) = rng.pick(&homes) else { break };
                if from <= day {
                    today.push((at(day, rng.range(8, 20) as u32, rng.range(0, 59) as u32), home, rng.next_u64()));
                }
            }
            today.sort();
            for (when, home, seed) in today {
                let Some(h) = estate.homes.get(home as usize) else { continue };
                if month_seen != Some(month) {
                    month_seen = Some(month);
                    n = 0;
                }
                n += 1;
                let no = format!("JC{:02}{:02}-{n:04}", month.year % 100, month.month);
                sink.row(deposit(estate, no, when, h, seed))?;
            }
        }
    }
    Ok(())
}

fn deposit(estate: &Estate, no: String, when: NaiveDateTime, h: &Home, seed: u64) -> Rec {
    let mut rng = Rng::stream(seed, "deposit", 0);
    let end = estate.window.end;
    let person = h.resident_on(when.date());
    let mail = rng.chance(0.75);
    let cat = if mail { rng.index(3) } else { 2 + rng.index(3) };
    let (category, descriptions) = DEPOSITS.get(cat).copied().unwrap_or(DEPOSITS[0]);
    let quantity = if rng.chance(0.8) { 1 } else { 2 };
    let clerk = estate.any(&mut rng, "大堂管家").name.clone();
    let mut rec = Rec::new();
    rec.text("entrust_no", no)
        .dt("deposited_at", when)
        .s("kind", if mail { "邮件代收" } else { "业主委托寄存" })
        .put("room", V::Room(h.room))
        .text("owner", person.name.clone())
        .put("phone", V::Phone(person.phone))
        .s("category", category)
        .s("description", rng.text(descriptions))
        .int("quantity", quantity)
        .flag("labelled", true)
        .flag("disclaimer", true)
        .text("receiver_signature", clerk.clone());
    let collector = if mail {
        let prefix = rng.text(COURIERS);
        rec.text("mail_no", format!("{prefix}{:012}", rng.below(1_000_000_000_000)))
            .text("courier_signature", people::name(&mut rng, false));
        person.name.clone()
    } else {
        let (name, phone) = people::contact(&mut rng);
        rec.flag("valuable", category == "钥匙等小件")
            .flag("sealed", category == "钥匙等小件")
            .text("owner_signature", person.name.clone())
            .text("collector", name.clone())
            .s("collector_sex", if rng.chance(0.5) { "男" } else { "女" })
            .put("collector_phone", V::Phone(phone));
        name
    };
    collection(&mut rec, when.date(), end, (quantity, clerk, collector, !mail), &mut rng);
    rec
}

/// Notice the next day, collection up to four days later, when within the window.
fn collection(rec: &mut Rec, day: NaiveDate, end: NaiveDate, who: (i64, String, String, bool), rng: &mut Rng) {
    let (quantity, clerk, collector, entrusted) = who;
    let notified = shift(day, 1);
    if notified > end {
        return;
    }
    rec.date("notified_on", notified);
    let collected = shift(notified, rng.range(0, 4));
    if collected <= end {
        rec.date("collected_on", collected)
            .int("collected_qty", quantity)
            .text("handed_by", clerk)
            .text("collector_signature", collector);
        if entrusted {
            rec.flag("owner_informed", true);
        }
    }
}

/// Which smart cards exist and which have already been dealt with, so that no card number is
/// cancelled, re-authorised or returned twice and new numbers never repeat.
struct Cards {
    /// Cards issued so far per home (numbered from [`card_base`]).
    issued: Vec<u8>,
    /// Card numbers already named in the register.
    touched: HashSet<u64>,
    /// Renovation workers' cards issued.
    workers: u32,
}

impl Cards {
    /// The card number, the cancelled card and the fee of `matter` for home `i`; `None` when
    /// the home has no card left for it.
    fn change(&mut self, i: usize, matter: &str) -> Option<(String, Option<u64>, Option<i64>)> {
        let base = card_base(i);
        let have = self.issued.get(i).copied().unwrap_or(0);
        let existing = (0..u64::from(have)).map(|k| base + k).find(|c| !self.touched.contains(c));
        match matter {
            "增加" | "挂失注销" | "补办" if have < 9 => {
                let old = if matter == "增加" { None } else { Some(existing?) };
                let new = base + u64::from(have);
                if let Some(slot) = self.issued.get_mut(i) {
                    *slot += 1;
                }
                self.touched.extend(old.into_iter().chain([new]));
                Some((card_text(new), old, Some(CARD_FEE)))
            }
            "失效处理" | "交回" => {
                let card = existing?;
                self.touched.insert(card);
                Some((card_text(card), None, None))
            }
            "装修人员卡" => {
                self.workers += 1;
                Some((format!("ZX{:06}", self.workers), None, None))
            }
            _ => None,
        }
    }
}

/// The card matters of one month: (day, home, matter index, seed), in order.
fn card_matters(ctx: &Ctx, mi: usize, month: crate::model::YearMonth) -> Vec<(NaiveDate, u32, usize, u64)> {
    let homes = occupied_in(ctx.estate, month);
    let mut rng = Rng::stream(ctx.estate.seed, "cardmatters", mi as u64);
    let last = month.last_day().min(ctx.end());
    let mut list = Vec::new();
    for _ in 0..rng.poisson(homes.len() as f64 * 0.008) {
        let Some(&(home, from)) = rng.pick(&homes) else { break };
        let day = shift(from, rng.range(1, (last - from).num_days().max(1))).min(last);
        list.push((day, home, rng.weighted(&[25, 20, 15, 25, 10, 5]), rng.next_u64()));
    }
    list.sort();
    list
}

/// 27 智能卡管理记录: extra cards, losses, replacements, re-authorisation, renovation workers'
/// cards and returns, one card per matter; new card numbers never repeat.
pub fn cards(ctx: &Ctx, sink: &mut dyn Sink) -> Result<(), Error> {
    let estate = ctx.estate;
    let issued = estate.homes.iter().map(cards_at_handover).map(|(f, e)| f + e).collect();
    let mut cards = Cards { issued, touched: HashSet::new(), workers: 0 };
    for (mi, &month) in estate.window.months.iter().enumerate() {
        for (day, home, matter, seed) in card_matters(ctx, mi, month) {
            let Some(h) = estate.homes.get(home as usize) else { continue };
            let (name, reason) = CARD_MATTERS.get(matter).copied().unwrap_or(("增加", ""));
            if day <= h.handover.unwrap_or(day) {
                continue;
            }
            let Some((card, old, fee)) = cards.change(home as usize, name) else { continue };
            let mut rng = Rng::stream(seed, "card", 0);
            let holder =
                if name == "装修人员卡" { people::name(&mut rng, false) } else { h.resident_on(day).name.clone() };
            let mut rec = Rec::new();
            rec.date("handled_on", day)
                .put("room", V::Room(h.room))
                .text("holder", holder.clone())
                .s("matter", name)
                .text("card_no", card)
                .opt("old_card_no", old.map(|c| V::Text(card_text(c))))
                .int("count", 1)
                .s("reason", reason)
                .opt("fee", fee.map(V::Money))
                .text("control_room", rng.pick(&estate.others.control_room).cloned().unwrap_or_default())
                .flag("door_checked", true)
                .text("clerk", estate.any(&mut rng, "大堂管家").name.clone())
                .text("owner_signature", holder)
                .flag("register_updated", matches!(name, "增加" | "挂失注销" | "补办"));
            sink.row(rec)?;
        }
    }
    Ok(())
}
