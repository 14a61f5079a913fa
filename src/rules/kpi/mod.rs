//! The monthly KPIs: named counts of the month (each with the register records behind it) and the
//! ratios of them the configuration names (`rules.monthly` in kefu.yaml).
//!
//! Input: the rules' context and a month. Output: [`Counts`] and [`Kpi`]s with last month's values.
//! Failure: a KPI naming a count that does not exist is a configuration problem, all of them
//! reported together.

pub mod counts;
pub mod params;

#[cfg(test)]
mod tests;

use std::path::Path;

use serde::Serialize;

use crate::error::{Problem, Problems};

pub use counts::{Count, Counts, Unit};
pub use params::{KpiDef, Params, Privacy};

/// A KPI of the month, with its parts and last month's value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Kpi {
    pub name: String,
    pub numerator_key: String,
    pub numerator_label: String,
    pub numerator: i64,
    pub denominator_key: String,
    pub denominator_label: String,
    pub denominator: i64,
    /// Both counts are money (fen).
    pub money: bool,
    /// numerator ÷ denominator; `None` when the denominator is 0.
    pub value: Option<f64>,
    pub previous: Option<f64>,
    pub target: Option<f64>,
    pub lower_is_better: bool,
}

impl Kpi {
    /// The change against last month in percentage points.
    pub fn change_points(&self) -> Option<f64> {
        Some((self.value? - self.previous?) * 100.0)
    }

    /// Whether the target is met (`None` without a target or a value).
    pub fn met(&self) -> Option<bool> {
        let (v, t) = (self.value? * 100.0, self.target?);
        Some(if self.lower_is_better { v <= t + 1e-9 } else { v + 1e-9 >= t })
    }
}

/// `97.3%` (one decimal, half up); `—` when there is no value.
pub fn percent(v: Option<f64>) -> String {
    match v {
        Some(x) => format!("{:.1}%", (x * 1000.0).round() / 10.0),
        None => "—".to_string(),
    }
}

/// The KPIs of `params` from this month's and last month's counts; unknown count names are
/// configuration problems, all reported together.
pub fn kpis(params: &Params, now: &Counts, before: &Counts, origin: &Path) -> Result<Vec<Kpi>, Problems> {
    let mut problems = Vec::new();
    for (i, k) in params.kpis.iter().enumerate() {
        for name in [&k.numerator, &k.denominator] {
            if !counts::known(name) {
                let names: Vec<&str> = counts::CATALOG.iter().map(|c| c.0).collect();
                problems.push(Problem::in_file(
                    origin,
                    format!(
                        "rules.monthly.kpis 第 {} 项「{}」：没有名为「{name}」的计数；可用的计数：{}（见 docs/rules.md）",
                        i + 1,
                        k.name,
                        names.join("、")
                    ),
                ));
            }
        }
    }
    if !problems.is_empty() {
        return Err(Problems(problems));
    }
    let ratio = |c: &Counts, k: &KpiDef| {
        let d = c.value(&k.denominator);
        (d != 0).then(|| c.value(&k.numerator) as f64 / d as f64)
    };
    Ok(params
        .kpis
        .iter()
        .map(|k| {
            let label = |key: &str| counts::CATALOG.iter().find(|c| c.0 == key).map_or("", |c| c.1).to_string();
            let money = |key: &str| counts::CATALOG.iter().any(|c| c.0 == key && c.2 == Unit::Fen);
            Kpi {
                name: k.name.clone(),
                numerator_key: k.numerator.clone(),
                numerator_label: label(&k.numerator),
                numerator: now.value(&k.numerator),
                denominator_key: k.denominator.clone(),
                denominator_label: label(&k.denominator),
                denominator: now.value(&k.denominator),
                money: money(&k.numerator) && money(&k.denominator),
                value: ratio(now, k),
                previous: ratio(before, k),
                target: k.target,
                lower_is_better: k.lower_is_better,
            }
        })
        .collect())
}
