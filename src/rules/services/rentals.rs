//! 租务管理规程 4.6 (forms 29 代理出租/出售记录表, 30 付佣说明): the commission is the first
//! month's rent.
//!
//! Input: the [`Context`]. Output: [`Finding`]s — a commission other than the first month's rent.
//! Failure: none.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{name, yuan};
use crate::parse::room::RoomId;
use crate::rules::{Context, Finding, State};

/// The procedure's name in the manual.
pub const PROCEDURE: &str = "租务管理规程";

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

/// A letting of form 29: room, signing day, monthly rent.
struct Letting {
    room: RoomId,
    signed: Option<NaiveDate>,
    rent: i64,
}

pub(super) fn rentals(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let months = ctx.params.services.rentals.commission_months;
    let lettings = lettings(ctx, months, out);
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
        out.push(
            Finding::new(PROCEDURE, "4.6", "佣金不等于首月租金", State::Breach, why)
                .at(&v, row)
                .room(room)
                .owner(name(&v, row, "agent_signature").unwrap_or_else(|| "客服内勤".to_string()))
                .done(signed),
        );
    }
}

/// The lettings of the agency register (form 29), each one's commission checked (4.6).
fn lettings(ctx: &Context<'_>, months: i64, out: &mut Vec<Finding>) -> Vec<Letting> {
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
                out.push(
                    Finding::new(PROCEDURE, "4.6", "佣金不等于首月租金", State::Breach, why)
                        .at(&v, row)
                        .room(room)
                        .owner(name(&v, row, "agent").unwrap_or_else(|| "客服内勤".to_string()))
                        .done(signed),
                );
            }
        }
    }
    lettings
}
