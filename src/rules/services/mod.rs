//! The front desk's other services, one module per procedure: smart cards ([`smart_cards`],
//! “智能卡”管理规程), letting commissions ([`rentals`], 租务管理规程), tennis-court bookings
//! ([`tennis`], 网球场管理规程) and hot water ([`hot_water`], 热水经营管理规程).
//!
//! Input: the [`Context`]. Output: [`Finding`]s of all four. Their parameters are one section of
//! `kefu.yaml` (`rules.services`), as they always were.

pub mod hot_water;
pub mod rentals;
pub mod smart_cards;
pub mod tennis;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

use super::{Context, Finding, View};
use crate::model::Value;
use crate::parse::money::format_fen;

pub use hot_water::HotWaterParams;
pub use rentals::RentalParams;
pub use smart_cards::CardParams;
pub use tennis::TennisParams;

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
    smart_cards::cards(ctx, &mut out);
    rentals::rentals(ctx, &mut out);
    tennis::tennis(ctx, &mut out);
    hot_water::hot_water(ctx, &mut out);
    out
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
