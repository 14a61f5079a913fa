//! The ladder and late fees, with dates and amounts worked out by hand from the manual's numbers
//! and the 2026 calendar (中秋 09-25..27, 国庆 10-01..07, 调休 Sunday 09-20).

use super::*;
use crate::testkit::{Fixture, d};

const FEES: &str = "物业费台帐.yaml";
const STEPS: &str = "催缴记录.yaml";

fn fee(room: &str, period: &str, due: &str, paid: &str) -> String {
    format!("- 房号: {room}\n  账期: {period}\n  应收: {due}\n  实收: {paid}\n")
}

fn step(room: &str, what: &str, on: &str) -> String {
    format!("- 房号: {room}\n  催缴步骤: {what}\n  日期: {on}\n")
}

fn case_of(fees: &str, steps: &str, as_of: &str) -> (Fixture, Vec<Case>) {
    let fx = Fixture::new(&[(FEES, fees), (STEPS, steps)], &[], as_of);
    let (cases, gaps) = cases(&fx.ctx());
    assert!(gaps.is_empty(), "{gaps:?}");
    (fx, cases)
}

#[test]
fn the_ladder_runs_through_holidays_step_by_step() {
    let fees = fee("1-1-101", "2026-08", "200", "0");
    let steps = [
        step("1-1-101", "询问", "2026-09-02"),
        step("1-1-101", "提示函", "2026-09-10"),
        step("1-1-101", "催缴函", "2026-09-18"),
        step("1-1-101", "紧急催缴函", "2026-09-29"),
        step("1-1-101", "律师函", "2026-10-09"),
    ]
    .concat();
    let (_fx, cases) = case_of(&fees, &steps, "2026-10-31");
    let c = &cases[0];
    let dues: Vec<(Step, NaiveDate)> = c.steps.iter().map(|t| (t.step, t.due)).collect();
    assert_eq!(
        dues,
        vec![
            (Step::Inquiry, d("2026-09-01")),  // fee due Monday 08-31; asked from the day after
            (Step::Reminder, d("2026-09-09")), // 7 days after the 询问 of 09-02
            (Step::Demand, d("2026-09-18")),   // 提示函 09-10 + 7 = 09-17, then the day after
            (Step::Urgent, d("2026-09-29")),   // 09-18 + 7 = 09-25 (中秋) → 09-28, then 09-29
            (Step::Lawyer, d("2026-10-09")),   // 09-29 + 7 = 10-06 (国庆) → 10-08, then 10-09
        ]
    );
    // 律师函 10-09 + 3 = 10-12 (Monday) → 起诉材料 from 10-13; filing within a month: 11-09.
    assert_eq!(c.next, Some((Step::Litigation, d("2026-10-13"))));
    assert_eq!(c.filing_deadline, Some(d("2026-11-09")));
}

#[test]
fn a_period_ending_on_a_make_up_sunday_is_not_moved() {
    // 提示函 on Sunday 09-13: its 7 days end on Sunday 09-20, a 调休 workday, so the 催缴函 is due 09-21.
    let fees = fee("1-1-101", "2026-08", "200", "0");
    let steps = [step("1-1-101", "询问", "2026-09-01"), step("1-1-101", "提示函", "2026-09-13")].concat();
    let (_fx, cases) = case_of(&fees, &steps, "2026-09-30");
    assert_eq!(cases[0].next, Some((Step::Demand, d("2026-09-21"))));
}

#[test]
fn a_fee_falling_due_on_a_saturday_is_payable_until_monday() {
    // 2026-10-31 is a Saturday: the owner may pay on Monday 11-02; the 询问 is due 11-03.
    let fees = fee("1-1-101", "2026-10", "200", "0");
    let (_fx, cases) = case_of(&fees, "", "2026-11-05");
    assert_eq!(cases[0].next, Some((Step::Inquiry, d("2026-11-03"))));
}

#[test]
fn a_lawyers_letter_sent_early_is_a_breach() {
    let fees = fee("1-1-101", "2026-08", "200", "0");
    let steps = [
        step("1-1-101", "询问", "2026-09-02"),
        step("1-1-101", "提示函", "2026-09-10"),
        step("1-1-101", "催缴函", "2026-09-18"),
        step("1-1-101", "紧急催缴函", "2026-09-29"),
        step("1-1-101", "律师函", "2026-10-05"),
    ]
    .concat();
    let fx = Fixture::new(&[(FEES, &fees), (STEPS, &steps)], &[], "2026-10-31");
    let early: Vec<Finding> = findings(&fx.ctx()).into_iter().filter(|f| f.what.contains("早于")).collect();
    assert_eq!(early.len(), 1, "{early:?}");
    assert_eq!(
        (early[0].what.as_str(), early[0].due, early[0].done),
        ("律师函早于规定日期", Some(d("2026-10-09")), Some(d("2026-10-05")))
    );
}

#[test]
fn a_quality_objection_pauses_the_ladder_for_its_rectification() {
    let fees = fee("1-1-101", "2026-08", "200", "0");
    // 询问 09-02; objection 09-03 → rectification until 09-10; the 提示函 (else due 09-09) waits until 09-11.
    let steps = [step("1-1-101", "询问", "2026-09-02"), step("1-1-101", "质量异议", "2026-09-03")].concat();
    let (_fx, during) = case_of(&fees, &steps, "2026-09-08");
    assert_eq!(during[0].paused_until, Some(d("2026-09-10")));
    assert_eq!(during[0].next, Some((Step::Reminder, d("2026-09-11"))));
    let fx = Fixture::new(&[(FEES, &fees), (STEPS, &steps)], &[], "2026-09-08");
    let f = findings(&fx.ctx());
    assert!(f.is_empty(), "nothing is due while the ladder is paused: {f:#?}");
    let (_fx, after) = case_of(&fees, &steps, "2026-09-15");
    assert_eq!((after[0].paused_until, after[0].next), (None, Some((Step::Reminder, d("2026-09-11")))));
}

#[test]
fn payment_in_full_ends_the_case_and_a_partial_payment_leaves_the_rest() {
    let fees = [fee("1-1-101", "2026-08", "200", "200"), fee("1-1-102", "2026-08", "200", "150")].concat();
    let steps = step("1-1-101", "提示函", "2026-09-10");
    let (_fx, cases) = case_of(&fees, &steps, "2026-10-31");
    assert_eq!(cases.len(), 1);
    assert_eq!((cases[0].room.to_string(), cases[0].principal()), ("1-1-102".to_string(), 5_000));
}

#[test]
fn late_fees_run_per_period_from_the_day_after_it_fell_due() {
    let fees = [fee("1-1-101", "2026-07", "200", "0"), fee("1-1-101", "2026-08", "200", "0")].concat();
    let (_fx, cases) = case_of(&fees, "", "2026-10-31");
    let c = &cases[0];
    // July: due 07-31, 92 days to 10-31 → 20,000 × 0.0003 × 92 = 552 fen; August: 61 days → 366 fen.
    let fees: Vec<(i64, i64, i64)> = c.periods.iter().map(|p| (p.days, p.late_fee, p.court_fee)).collect();
    // Court-safe: 3 % × 1.5 × 1.3 = 5.85 % a year: 1,170 fen a year → ×92/365 = 294.9 → 295; ×61/365 = 195.5 → 196.
    assert_eq!(fees, vec![(92, 552, 295), (61, 366, 196)]);
    assert_eq!((c.principal(), c.late_fee(), c.court_fee()), (40_000, 918, 491));
    assert_eq!(c.period_text(), "2026年7月至2026年8月");
}

#[test]
fn a_cap_limits_each_periods_late_fee() {
    assert_eq!(late_fee(20_000, 1000, DailyRate::THREE_PER_MYRIAD, None), 6_000);
    assert_eq!(late_fee(20_000, 1000, DailyRate::THREE_PER_MYRIAD, Some(0.1)), 2_000);
    // Half a fen rounds up: 1,667 × 0.0003 = 0.5001 fen.
    assert_eq!(late_fee(1_667, 1, DailyRate::THREE_PER_MYRIAD, None), 1);
    assert_eq!(late_fee(1_666, 1, DailyRate::THREE_PER_MYRIAD, None), 0);
}

#[test]
fn daily_rates_are_written_as_staff_say_them() {
    let r = |s: &str| DailyRate::try_from(s.to_string()).map(|r| r.per_hundred_million);
    assert_eq!(r("万分之三"), Ok(30_000));
    assert_eq!(r("万分之五"), Ok(50_000));
    assert_eq!(r("千分之三"), Ok(300_000));
    assert_eq!(r("0.0003"), Ok(30_000));
    assert_eq!(r("万分之0.5"), Ok(5_000));
    assert!(r("百分之三").is_err());
    assert!(r("0.5").is_err(), "50 % a day is not a rate");
    assert_eq!(String::from(DailyRate::THREE_PER_MYRIAD), "万分之三");
    assert_eq!(String::from(DailyRate { per_hundred_million: 25_000 }), "万分之2.5");
    assert_eq!(String::from(DailyRate { per_hundred_million: 100_000 }), "万分之10");
}

#[test]
fn a_step_reaching_into_2027_is_a_calendar_gap() {
    let fees = fee("1-1-101", "2026-10", "200", "0");
    let steps = [
        step("1-1-101", "询问", "2026-11-03"),
        step("1-1-101", "提示函", "2026-11-10"),
        step("1-1-101", "催缴函", "2026-11-18"),
        step("1-1-101", "紧急催缴函", "2026-12-28"),
    ]
    .concat();
    let fx = Fixture::new(&[(FEES, &fees), (STEPS, &steps)], &[], "2026-12-31");
    let (cases, gaps) = cases(&fx.ctx());
    assert!(cases.is_empty());
    assert_eq!(
        gaps.iter().map(|(r, e)| (r.to_string(), e.year)).collect::<Vec<_>>(),
        vec![("1-1-101".to_string(), 2027)]
    );
    let f = findings(&fx.ctx());
    assert_eq!((f[0].state, f[0].room.map(|r| r.to_string())), (State::Unknown, Some("1-1-101".to_string())));
}

fn delivered(room: &str, what: &str, on: &str, how: &str, proof: &str) -> String {
    format!("{}  送达方式: {how}\n  送达凭证: \"{proof}\"\n", step(room, what, on))
}

#[test]
fn only_a_proven_delivery_restarts_the_limitation_period() {
    let fees = [fee("1-1-101", "2026-07", "200", "0"), fee("1-1-101", "2026-08", "200", "0")].concat();
    let steps = [
        delivered("1-1-101", "询问", "2026-08-03", "电话", ""),
        delivered("1-1-101", "提示函", "2026-08-11", "张贴", ""),
        delivered("1-1-101", "催缴函", "2026-08-19", "EMS", "EMS 1100123456789"),
        delivered("1-1-101", "紧急催缴函", "2026-08-27", "当面签收", ""),
    ]
    .concat();
    let (_fx, cases) = case_of(&fees, &steps, "2026-10-31");
    let c = &cases[0];
    let unproven: Vec<(Step, NaiveDate)> = c.unproven_letters().map(|t| (t.step, t.on)).collect();
    // The 提示函 was posted on the door; the 紧急催缴函 was "signed for" by nobody.
    assert_eq!(unproven, vec![(Step::Reminder, d("2026-08-11")), (Step::Urgent, d("2026-08-27"))]);
    // July's period (due 07-31) restarts at the proven 催缴函 of 08-19; August's (due 08-31) came due
    // after every demand, so its three years run from 08-31 — later, so July's end is the earliest.
    assert_eq!(c.limitation_ends, d("2029-08-19"));
    let fx = Fixture::new(&[(FEES, &fees), (STEPS, &steps)], &[], "2026-10-31");
    let flagged: Vec<(String, Option<NaiveDate>)> =
        findings(&fx.ctx()).into_iter().filter(|f| f.what.contains("送达凭证")).map(|f| (f.what, f.done)).collect();
    assert_eq!(
        flagged,
        vec![
            ("提示函无送达凭证".to_string(), Some(d("2026-08-11"))),
            ("紧急催缴函无送达凭证".to_string(), Some(d("2026-08-27")))
        ]
    );
    // Without any proven demand the oldest period's own due date counts.
    let (_fx, bare) = case_of(&fees, "", "2026-10-31");
    assert_eq!(bare[0].limitation_ends, d("2029-07-31"));
}

#[test]
fn deliveries_that_prove_arrival() {
    assert!(proves_delivery(Some("当面签收"), Some("王建国")));
    assert!(proves_delivery(Some("EMS"), Some("1100123456789")));
    assert!(!proves_delivery(Some("EMS"), Some("  ")), "a waybill number is the proof");
    assert!(!proves_delivery(Some("张贴"), Some("拍照")), "posting on the door does not reach the owner");
    assert!(!proves_delivery(Some("短信"), Some("已发送")));
    assert!(!proves_delivery(None, Some("王建国")));
}
