//! Form 07 (业主走访工作计划) filled with a drawn visit plan: the plan's facts as printed rows.
//!
//! Input: a [`Plan`] from the visits rule and the form definitions. Output: the [`Filled`] form
//! the typesetter and the xlsx writer print. Nothing fails.

use std::collections::BTreeMap;

use crate::forms::{FormSet, Scope};
use crate::rules::visits::{Plan, PlannedVisit};

use super::filled::Filled;

/// Form 07's row fields, in case the form definition is not loaded.
const ROW_KEYS: [&str; 12] = [
    "week",
    "visit_date",
    "visit_time",
    "room",
    "owner",
    "phone",
    "mode",
    "occasion",
    "appointed",
    "visitor",
    "status",
    "remarks",
];

/// The plan as form 07's rows.
pub fn plan_form(plan: &Plan, forms: &FormSet) -> Filled {
    let mut document = BTreeMap::new();
    let first = plan.weeks.first();
    document.insert("month".to_string(), format!("{}年{}月", plan.month.year, plan.month.month));
    document.insert("occupied_households".to_string(), first.map_or(0, |w| w.occupied).to_string());
    document.insert("weekly_quota".to_string(), first.map_or(0, |w| w.quota).to_string());
    document.insert("planner".to_string(), plan.planner.clone());
    document.insert("planned_on".to_string(), plan.planned_on.to_string());
    document.insert("approver_signature".to_string(), String::new());
    let keys: Vec<&str> = match forms.get(7) {
        Some(form) => form.fields.iter().filter(|f| f.scope == Scope::Row).map(|f| f.key.as_str()).collect(),
        None => ROW_KEYS.to_vec(),
    };
    let rows = plan.visits.iter().map(|v| keys.iter().map(|k| cell(v, k)).collect()).collect();
    Filled { document, rows, total: None }
}

/// The display text of field `key` of a planned visit.
fn cell(v: &PlannedVisit, key: &str) -> String {
    match key {
        "week" => v.week.to_string(),
        "visit_date" => v.slot.map(|s| s.date().to_string()).unwrap_or_default(),
        "visit_time" => v.slot.map(|s| s.time().format("%H:%M").to_string()).unwrap_or_default(),
        "room" => v.room.to_string(),
        "owner" => v.owner.clone().unwrap_or_default(),
        "phone" => v.phone.clone().unwrap_or_default(),
        "mode" => v.mode.label().to_string(),
        "occasion" => v.occasion.label().to_string(),
        "visitor" => v.visitor.clone(),
        "remarks" => v.why.clone(),
        // 已约定 and 执行情况 are filled in as the plan is carried out.
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::visits::plan;
    use crate::rules::visits::tests::{estate, plain_rooms, ym};

    #[test]
    fn a_plan_prints_as_form_07_rows() {
        let f = estate(plain_rooms());
        let ctx = f.ctx();
        let plan = plan(&ctx, ym("2026-11"), 7).unwrap();
        let filled = plan_form(&plan, ctx.forms);
        assert_eq!(filled.document["month"], "2026年11月");
        assert_eq!(filled.document["occupied_households"], "95");
        assert_eq!(filled.document["weekly_quota"], "10");
        assert_eq!(filled.document["planned_on"], "2026-10-30");
        assert_eq!(filled.rows.len(), 40);
        let form = ctx.forms.get(7).unwrap();
        let keys: Vec<&str> = form.fields.iter().filter(|f| f.scope == Scope::Row).map(|f| f.key.as_str()).collect();
        let at = |k: &str| keys.iter().position(|x| *x == k).unwrap();
        let row = &filled.rows[0];
        assert_eq!(row.len(), keys.len());
        assert_eq!(row[at("week")], "1");
        assert_eq!(row[at("visit_date")], plan.visits[0].slot.unwrap().date().to_string());
        assert_eq!(row[at("visit_time")], "09:00");
        assert_eq!(row[at("room")], plan.visits[0].room.to_string());
        assert!(row[at("phone")].starts_with("139"));
    }

    #[test]
    fn the_same_plan_prints_the_same_rows() {
        let f = estate(plain_rooms());
        let ctx = f.ctx();
        let a = plan(&ctx, ym("2026-11"), 7).unwrap();
        let b = plan(&ctx, ym("2026-11"), 7).unwrap();
        assert_eq!(plan_form(&a, ctx.forms).rows, plan_form(&b, ctx.forms).rows);
    }
}
