//! The monthly report's configuration (`rules.monthly` in kefu.yaml): the KPIs as ratios of named
//! counts, and how personal data is masked in the monthly outputs.

use serde::{Deserialize, Serialize};

/// One KPI: `numerator ÷ denominator`, both names of counts (see [`super::counts::CATALOG`]).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct KpiDef {
    /// The name printed, e.g. 物业费收缴率.
    pub name: String,
    /// The count divided, e.g. `fees.current_paid`.
    pub numerator: String,
    /// The count divided by, e.g. `fees.current_due`.
    pub denominator: String,
    /// A target in percent (e.g. 95); reports mark values that miss it.
    #[serde(default)]
    pub target: Option<f64>,
    /// Whether a lower value is better (返修率, 电话走访占比).
    #[serde(default)]
    pub lower_is_better: bool,
}

/// How much of a value stays visible: `138****1234` keeps 3 and 4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Mask {
    pub keep_prefix: usize,
    pub keep_suffix: usize,
}

/// Masking of personal data in the monthly outputs (domain.md §4: no national pattern; phone
/// 3+4 and ID 1+2 are the common defaults).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Privacy {
    /// Phone numbers.
    pub phone: Mask,
    /// ID numbers.
    pub id_number: Mask,
    /// Whether personal names are masked too (first character kept: 张**).
    pub names: bool,
}

impl Default for Privacy {
    fn default() -> Self {
        Privacy {
            phone: Mask { keep_prefix: 3, keep_suffix: 4 },
            id_number: Mask { keep_prefix: 1, keep_suffix: 2 },
            names: false,
        }
    }
}

impl Mask {
    /// `text` with everything but the kept characters replaced by `*`; text too short to hide
    /// anything is hidden whole.
    pub fn apply(self, text: &str) -> String {
        let chars: Vec<char> = text.chars().collect();
        let n = chars.len();
        if n == 0 {
            return String::new();
        }
        if self.keep_prefix + self.keep_suffix >= n {
            return "*".repeat(n);
        }
        chars
            .iter()
            .enumerate()
            .map(|(i, c)| if i < self.keep_prefix || i >= n - self.keep_suffix { *c } else { '*' })
            .collect()
    }
}

/// A name with all but its first character hidden: 张** (two stars at least).
pub fn mask_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => format!("{first}{}", "*".repeat(chars.count().max(2))),
        None => String::new(),
    }
}

/// `rules.monthly`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Params {
    /// The KPIs, in the order printed.
    pub kpis: Vec<KpiDef>,
    /// Masking of personal data.
    pub privacy: Privacy,
    /// How many months of history the charts show (collection rate by month).
    pub history_months: u32,
    /// Single-sheet forms printed one sheet per record for the monthly binding (业主报修 4.6:
    /// 维修单按月装订).
    pub bind_sheets: Vec<u8>,
}

fn kpi(name: &str, numerator: &str, denominator: &str, target: Option<f64>, lower: bool) -> KpiDef {
    KpiDef {
        name: name.to_string(),
        numerator: numerator.to_string(),
        denominator: denominator.to_string(),
        target,
        lower_is_better: lower,
    }
}

impl Default for Params {
    /// The formulas of domain.md §3 (物业费收缴率, 清欠率, 投诉处理及时率, 办结率, 回访率, 维修及时率,
    /// 返修率), the visit plan's completion and phone share (走访规程 3.2), and 品质检查 compliance.
    fn default() -> Self {
        Params {
            kpis: vec![
                kpi("物业费收缴率", "fees.current_paid", "fees.current_due", None, false),
                kpi("清欠率", "fees.arrears_recovered", "fees.arrears_opening", None, false),
                kpi("投诉处理及时率", "complaints.valid_closed_on_time", "complaints.valid", None, false),
                kpi("投诉办结率", "complaints.closed", "complaints.received", None, false),
                kpi("投诉回访率", "complaints.visited", "complaints.closed", None, false),
                kpi("维修及时率", "repairs.on_time", "repairs.reported", None, false),
                kpi("返修率", "repairs.returned", "repairs.completed", None, true),
                kpi("走访完成率", "visits.planned_done", "visits.planned", None, false),
                kpi("电话走访占比", "visits.phone", "visits.done", Some(10.0), true),
                kpi("日常品质检查完成率", "quality.daily_done", "quality.daily_required", Some(100.0), false),
                kpi("每周联合检查完成率", "quality.weekly_done", "quality.weekly_required", Some(100.0), false),
            ],
            privacy: Privacy::default(),
            history_months: 6,
            bind_sheets: vec![16],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_what_they_say() {
        let phone = Mask { keep_prefix: 3, keep_suffix: 4 };
        assert_eq!(phone.apply("13812341234"), "138****1234");
        let id = Mask { keep_prefix: 1, keep_suffix: 2 };
        assert_eq!(id.apply("21010219800101123X"), "2***************3X");
        assert_eq!(phone.apply("1234"), "****", "too short to show anything");
        assert_eq!(mask_name("张三"), "张**");
        assert_eq!(mask_name("欧阳晓明"), "欧***");
    }
}
