//! Form 20 (客户投诉分类统计表) filled with the complaint statistics of a period.
//!
//! Input: the [`Form20`] counts of the complaints rule, the form definitions and the date the
//! table is made. Output: the [`Filled`] form. Nothing fails.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::forms::{FormSet, Scope};
use crate::rules::complaints::{Form20, Form20Row};
use crate::text::chinese_date;

use super::filled::Filled;

/// The form's row fields, in order, when the form definition is not at hand.
const FORM20_ROW_KEYS: [&str; 15] = [
    "category",
    "total",
    "valid",
    "invalid",
    "level_normal",
    "level_major",
    "level_urgent",
    "closed",
    "closed_on_time",
    "visited",
    "satisfied",
    "share",
    "on_time_rate",
    "satisfaction_rate",
    "remarks",
];

/// Form 20's rows in its field order: the eleven category rows, then 合计 (with filled rows
/// the register template prints no 合计 row of its own). Rates of 合计 are recomputed from
/// the sums, as the form's notes require.
pub fn form20_form(f20: &Form20, forms: &FormSet, as_of: NaiveDate) -> Filled {
    let keys: Vec<&str> = match forms.get(20) {
        Some(form) => form.fields.iter().filter(|f| f.scope == Scope::Row).map(|f| f.key.as_str()).collect(),
        None => FORM20_ROW_KEYS.to_vec(),
    };
    let all = f20.total.total;
    let rows = f20
        .rows
        .iter()
        .chain(std::iter::once(&f20.total))
        .map(|r| keys.iter().map(|k| cell(r, k, all)).collect())
        .collect();
    let mut document = BTreeMap::new();
    document.insert("period".to_string(), f20.period());
    document.insert("prepared_on".to_string(), chinese_date(as_of));
    Filled { document, rows, total: None }
}

/// The display text of field `key` of a row; `all` is the total the shares are of.
fn cell(r: &Form20Row, key: &str, all: u32) -> String {
    match key {
        "category" => r.category.to_string(),
        "total" => r.total.to_string(),
        "valid" => r.valid.to_string(),
        "invalid" => r.invalid.to_string(),
        "level_normal" => r.level_normal.to_string(),
        "level_major" => r.level_major.to_string(),
        "level_urgent" => r.level_urgent.to_string(),
        "closed" => r.closed.to_string(),
        "closed_on_time" => r.closed_on_time.to_string(),
        "visited" => r.visited.to_string(),
        "satisfied" => r.satisfied.to_string(),
        "share" => r.share(all),
        "on_time_rate" => r.on_time_rate(),
        "satisfaction_rate" => r.satisfaction_rate(),
        "remarks" if r.by_rules > 0 => format!("其中 {} 件的分类由规则判定", r.by_rules),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::complaints::statistics;
    use crate::rules::complaints::tests::{complaint, fixture};
    use crate::testkit::d;

    #[test]
    fn the_statistics_print_as_form_20_rows_with_a_total() {
        let register = [
            complaint("2026-10-08 09:00|1-1-101|暖气不热|工程/维修|有效|一般||2026-10-10|2026-10-12|满意"),
            complaint("2026-10-09 09:00|1-1-102|电梯困人|工程/维修|有效|紧急||2026-10-12|2026-10-12|不满意"),
            complaint("2026-10-09 10:00|1-1-201|房价下跌|其他|无效|一般||2026-10-10||"),
            complaint("2026-10-20 10:00|1-1-202|多次投诉车位被占|停车|有效|重大||||"),
            // Outside the period: not counted.
            complaint("2026-09-29 10:00|1-2-101|车位被占|停车|有效|一般||2026-09-30||"),
        ]
        .concat();
        let fx = fixture(&register, "", d("2026-10-31"));
        let ctx = fx.ctx_at(d("2026-10-31"));
        let f20 = statistics(&ctx, d("2026-10-01"), d("2026-10-31"));
        let filled = form20_form(&f20, ctx.forms, ctx.as_of);
        assert_eq!(filled.rows.len(), 12, "11 categories and 合计");
        assert_eq!(filled.document.get("period").map(String::as_str), Some("2026年10月"));
        assert_eq!(filled.document.get("prepared_on").map(String::as_str), Some("2026年10月31日"));
        let last = filled.rows.last().unwrap();
        assert_eq!(last.len(), 15);
        assert_eq!(last, &["合计", "4", "3", "1", "2", "1", "1", "3", "2", "2", "1", "100.0%", "66.7%", "50.0%", ""]);
        assert_eq!(filled.rows[2][11..14], ["50.0%", "50.0%", "50.0%"]);
        assert_eq!(filled.rows[0][11..14], ["0.0%", "—", "—"]);
    }
}
