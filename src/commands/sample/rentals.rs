//! Letting and selling through the department (租务): the agency register (29) — mandates,
//! viewings, contracts — and the commission letters (30, YAML) of the lettings concluded, whose
//! tenants are the tenants of the rooms ledger.
//!
//! Input: the [`Ctx`]. Output: records streamed into a [`Sink`]. Failure: only the sink's.

use chrono::{Datelike, NaiveDate};

use crate::error::Error;

use super::Ctx;
use super::estate::{Estate, Home, Status, shift};
use super::people;
use super::record::{Rec, Sink, V};
use super::rng::Rng;
use super::text::LAYOUTS;

/// One mandate to let or sell a room.
#[derive(Debug, Clone)]
pub struct Rental {
    /// Index of the room in the estate.
    pub home: u32,
    /// 出售 (else 出租).
    pub sale: bool,
    /// Day the mandate was registered (and signed).
    pub registered: NaiveDate,
    /// Day a client viewed the room.
    pub viewed: Option<NaiveDate>,
    /// Day the contract was signed.
    pub signed: Option<NaiveDate>,
    /// Asking price, fen (monthly rent, or the sale price).
    pub ask: i64,
    /// Agreed price (the monthly rent for a letting), fen.
    pub deal: Option<i64>,
    /// The member of staff handling it.
    pub agent: String,
    /// Seed of its details.
    pub seed: u64,
}

fn agent(estate: &Estate, rng: &mut Rng) -> String {
    let role = if rng.chance(0.5) { "亲情管家" } else { "客服内勤" };
    estate.any(rng, role).name.clone()
}

/// Monthly rent asked for a home, fen: 22–30 元/㎡, rounded to 100 元.
fn rent(area: u32, rng: &mut Rng) -> i64 {
    (i64::from(area) * rng.range(22, 30) / 10_000).max(5) * 10_000
}

/// Every mandate of the window, in order of registration: 40 % of the lettings of the rooms
/// ledger went through the department, and 12 % of the vacant rooms are on offer.
pub fn events(ctx: &Ctx) -> Vec<Rental> {
    let estate = ctx.estate;
    let mut out = Vec::new();
    for (i, h) in estate.homes.iter().enumerate() {
        let mut rng = Rng::stream(h.seed, "rental", 0);
        let Some(handover) = h.handover else { continue };
        let lower = shift(handover, 1).max(estate.window.start);
        let rental = match (h.status, h.rented_from) {
            (Status::Rented, Some(from)) if rng.chance(0.4) => Some(letting(estate, h, from, lower, &mut rng)),
            (Status::Vacant, _) if rng.chance(0.12) => offer(estate, h, lower, &mut rng),
            _ => None,
        };
        out.extend(rental.map(|r| Rental { home: i as u32, ..r }));
    }
    out.sort_by_key(|r| (r.registered, r.home));
    out
}

/// A letting concluded: mandate, viewing and contract before the tenant moved in on `from`.
fn letting(estate: &Estate, h: &Home, from: NaiveDate, lower: NaiveDate, rng: &mut Rng) -> Rental {
    let signed = shift(from, -rng.range(0, 3)).max(lower);
    let viewed = shift(signed, -rng.range(1, 10)).max(lower);
    let registered = shift(viewed, -rng.range(2, 15)).max(lower);
    let ask = rent(h.area, rng);
    let deal = ask - rng.range(0, 2) * 10_000;
    Rental {
        home: 0,
        sale: false,
        registered,
        viewed: Some(viewed),
        signed: Some(signed),
        ask,
        deal: Some(deal),
        agent: agent(estate, rng),
        seed: rng.next_u64(),
    }
}

/// A vacant room offered for rent or sale, perhaps viewed, not (yet) taken.
fn offer(estate: &Estate, h: &Home, lower: NaiveDate, rng: &mut Rng) -> Option<Rental> {
    let span = (estate.window.end - lower).num_days();
    if span < 1 {
        return None;
    }
    let registered = shift(lower, rng.range(0, span));
    let sale = rng.chance(0.25);
    let ask = if sale { i64::from(h.area) * rng.range(9_000, 12_000) / 100_000 * 100_000 } else { rent(h.area, rng) };
    let viewed = Some(shift(registered, rng.range(2, 20))).filter(|d| *d <= estate.window.end && rng.chance(0.6));
    Some(Rental {
        home: 0,
        sale,
        registered,
        viewed,
        signed: None,
        ask,
        deal: None,
        agent: agent(estate, rng),
        seed: rng.next_u64(),
    })
}

/// 29 代理出租/出售记录表.
pub fn register(ctx: &Ctx, sink: &mut dyn Sink) -> Result<(), Error> {
    let estate = ctx.estate;
    for r in &ctx.rentals {
        let Some(home) = estate.homes.get(r.home as usize) else { continue };
        let mut rng = Rng::stream(r.seed, "rentalrow", 0);
        let layout = LAYOUTS.iter().find(|(max, _)| home.area / 100 < *max).map(|(_, l)| *l).unwrap_or("三室两厅");
        let mut rec = Rec::new();
        rec.date("registered_on", r.registered)
            .s("business", if r.sale { "出售" } else { "出租" })
            .put("room", V::Room(home.room))
            .text("owner", home.owner.name.clone())
            .put("owner_phone", V::Phone(home.owner.phone))
            .date("mandate_on", r.registered)
            .text("layout", format!("{layout} {}.{:02}㎡", home.area / 100, home.area % 100))
            .put("asking_price", V::Money(r.ask))
            .text("agent", r.agent.clone());
        let client = match (&home.tenant, r.signed) {
            (Some(t), Some(_)) => Some((t.name.clone(), t.phone)),
            _ => r.viewed.map(|_| people::contact(&mut rng)),
        };
        if let Some((name, phone)) = client {
            rec.text("client", name).put("client_phone", V::Phone(phone));
        }
        rec.opt("viewed_on", r.viewed.map(V::Date));
        if let (Some(signed), Some(deal)) = (r.signed, r.deal) {
            rec.date("signed_on", signed)
                .put("deal_price", V::Money(deal))
                .flag("tenant_file_kept", true)
                .put("commission", V::Money(deal));
        }
        sink.row(rec)?;
    }
    Ok(())
}

/// 30 付佣说明: one per letting concluded, commission = the first month's rent.
pub fn letters(ctx: &Ctx, sink: &mut dyn Sink) -> Result<(), Error> {
    let estate = ctx.estate;
    for r in &ctx.rentals {
        let (Some(signed), Some(deal)) = (r.signed, r.deal) else { continue };
        let Some(home) = estate.homes.get(r.home as usize) else { continue };
        let (Some(tenant), Some(from)) = (&home.tenant, home.rented_from) else { continue };
        let start = from.max(signed);
        let end =
            NaiveDate::from_ymd_opt(start.year() + 1, start.month(), 1).map(|d| shift(d, i64::from(start.day()) - 2));
        let mut rec = Rec::new();
        rec.text("tenant", tenant.name.clone())
            .put("room", V::Room(home.room))
            .text("owner", home.owner.name.clone())
            .date("contract_date", signed)
            .date("lease_start", start)
            .opt("lease_end", end.map(V::Date))
            .put("monthly_rent", V::Money(deal))
            .put("commission", V::Money(deal))
            .date("pay_by", shift(signed, 3))
            .text("tenant_signature", tenant.name.clone())
            .text("agent_signature", r.agent.clone());
        sink.row(rec)?;
    }
    Ok(())
}
