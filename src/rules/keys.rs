//! 钥匙管理规定: keys lent (form 24) come back by the date the key keeper set, on an IOU (借条)
//! signed off by an approver, and the IOU is taken back on return (4.3–4.4); keys are copied
//! (25) only with the 管理中心经理's approval and never when they carry special requirements
//! (4.8); a lost key (26) gets a remedy from the key's approver (4.9.2) and is restored under
//! the 客服内勤's watch (4.9.3).
//!
//! Input: the [`Context`] (forms 24–26; the handover register 23 has no deadline of its own).
//! Output: [`Finding`]s — loans open, overdue or returned late; loans, copies and losses not as
//! the rules require; restorations open, overdue or late. Failure: none — a missing register
//! gives no findings, and a restoration deadline in a year the calendar lacks gives one
//! calendar-gap finding per year instead of a guess.

use std::collections::BTreeSet;

use chrono::{Days, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::{Context, Finding, State, UnknownYear, View, calendar_gap, deadline_state};
use crate::model::Value;
use crate::parse::room::parse_room;

const PROCEDURE: &str = "钥匙管理规定";

/// Parameters of 钥匙管理规定; defaults are the manual's.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Params {
    /// 4.3–4.4: reasons (form 24 事由) for which a key is lent only on an IOU written by a
    /// department head, with a return date set by the key keeper: 房屋维修、工程返修、客人看房
    /// (4.3) and 突发事件 (4.4, the security office's spare keys, "同样也需持有…借条").
    pub iou_reasons: Vec<String>,
    /// 4.3, 4.4, 4.6: reasons for which the register must name the approver (审批人): the IOU
    /// reasons, and 空置房施工 (4.6: 地产客服主管 or 物业经理 "同意并签字确认").
    pub approval_reasons: Vec<String>,
    /// 4.9.2–4.9.3: calendar days from the loss report by which the remedy must have restored
    /// the keys (找回、配置或换锁). The manual names no figure ("督促、监督进行恢复"); the default
    /// is one week, the time 业主档案建立、管理规程 3.1.4 gives for repairs found at inspection.
    /// A period ending on a rest day runs to the next working day (民法典 art. 203).
    pub restore_days: u32,
}

impl Default for Params {
    fn default() -> Params {
        let iou: Vec<String> = ["房屋维修", "工程返修", "客人看房", "突发事件"].map(String::from).to_vec();
        let mut approval = iou.clone();
        approval.push("空置房施工".to_string());
        Params { iou_reasons: iou, approval_reasons: approval, restore_days: 7 }
    }
}

/// This rule's findings.
pub fn findings(ctx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut gaps = Gaps::default();
    if let Some(v) = ctx.form(24) {
        for row in v.rows() {
            loan(ctx, &v, row, &mut out);
        }
    }
    if let Some(v) = ctx.form(25) {
        let managers: Vec<&str> = ctx.config.staff_with("管理中心经理").map(|m| m.name.as_str()).collect();
        for row in v.rows() {
            copy(&v, row, &managers, &mut out);
        }
    }
    if let Some(v) = ctx.form(26) {
        for row in v.rows() {
            loss(ctx, &v, row, &mut out, &mut gaps);
        }
    }
    out.extend(gaps.found);
    out
}

/// Calendar gaps, one finding per missing year.
#[derive(Default)]
struct Gaps {
    years: BTreeSet<i32>,
    found: Vec<Finding>,
}

impl Gaps {
    fn add(&mut self, clause: &'static str, what: &str, e: &UnknownYear) {
        if self.years.insert(e.year) {
            self.found.push(calendar_gap(PROCEDURE, clause, what, e));
        }
    }
}

/// Whether a signature field holds a signature (a name or a tick).
fn signed(v: &View<'_>, row: usize, key: &str) -> bool {
    matches!(v.value(row, key), Some(Value::Signature(s)) if s.signed)
}

/// The name written in a signature or name field, if any.
fn name(v: &View<'_>, row: usize, key: &str) -> Option<String> {
    match v.value(row, key)? {
        Value::Signature(s) => s.by.filter(|n| !n.is_empty()),
        Value::Text(t) if !t.trim().is_empty() => Some(t),
        _ => None,
    }
}

/// 24: the return deadline, the IOU, the approver and the IOU taken back.
fn loan(ctx: &Context<'_>, v: &View<'_>, row: usize, out: &mut Vec<Finding>) {
    let p = &ctx.params.keys;
    let Some(lent) = v.datetime(row, "lent_at") else { return };
    let location = v.text(row, "location").unwrap_or("（未写部位）");
    let reason = v.text(row, "reason").unwrap_or("");
    let who = format!(
        "{}{}",
        v.text(row, "department").unwrap_or(""),
        name(v, row, "borrower").unwrap_or_else(|| "借用人".to_string())
    );
    let keeper = name(v, row, "lent_by");
    let subject = format!("{location} 钥匙于 {} 因{reason}借给{who}", lent.format("%Y-%m-%d %H:%M"));
    let room = parse_room(location).ok();
    let owner = keeper.clone().unwrap_or_else(|| "钥匙管理人员".to_string());
    let returned = v.datetime(row, "returned_at");
    let needs_iou = p.iou_reasons.iter().any(|r| r == reason);
    let mut push = |f: Finding| out.push(f.room(room).owner(owner.clone()));

    if let Some(f) = loan_deadline(ctx, v, row, &subject, reason, returned, needs_iou) {
        push(f);
    }

    let iou = v.flag(row, "iou") == Some(true);
    if needs_iou && !iou {
        let clause = if reason == "突发事件" { "4.4" } else { "4.3" };
        push(Finding::new(PROCEDURE, clause, "借用钥匙无借条", State::Breach, format!(
                "{subject}，登记表未注明持有借条；{reason}用钥匙需持有各部门主管负责人开具的借条（钥匙管理规定 {clause}）"
            )).at(v, row));
    }
    if p.approval_reasons.iter().any(|r| r == reason) && !signed(v, row, "approver") {
        let clause = match reason {
            "突发事件" => "4.4",
            "空置房施工" => "4.6",
            _ => "4.3",
        };
        push(
            Finding::new(
                PROCEDURE,
                clause,
                "借用钥匙无审批人",
                State::Breach,
                format!("{subject}，登记表未注明审批人；{reason}借用钥匙须注明审批人姓名（钥匙管理规定 {clause}）"),
            )
            .at(v, row),
        );
    }
    if let Some(back) = returned
        && iou
        && v.flag(row, "iou_returned") != Some(true)
    {
        push(Finding::new(PROCEDURE, "4.3", "借条未收回", State::Breach, format!(
                    "{subject}，{} 已归还，但登记表未注明借条收回；钥匙交回后应注明已收回并将借条收回（钥匙管理规定 4.3）",
                    back.format("%Y-%m-%d %H:%M")
                )).at(v, row).done(back.date()));
    }
}

/// 24's return deadline: the key returned late, overdue or still out; or, where a loan needs an
/// IOU, no deadline set.
fn loan_deadline(
    ctx: &Context<'_>,
    v: &View<'_>,
    row: usize,
    subject: &str,
    reason: &str,
    returned: Option<NaiveDateTime>,
    needs_iou: bool,
) -> Option<Finding> {
    // `已还` without a date: returned, and nothing to time.
    if returned.is_none() && v.undated(row, "returned_at") {
        return None;
    }
    match v.date(row, "due_on") {
        Some(due) => {
            let state = deadline_state(due, returned.map(|t| t.date()), ctx.as_of)?;
            let (what, status) = match (state, returned) {
                (State::Late, Some(back)) => (
                    "借用钥匙逾期归还",
                    format!(
                        "{} 归还，晚于限还日期 {} 天",
                        back.format("%Y-%m-%d %H:%M"),
                        (back.date() - due).num_days()
                    ),
                ),
                (State::Overdue, _) => (
                    "借用钥匙逾期未还",
                    format!("截至 {} 仍未归还，已逾期 {} 天", ctx.as_of, (ctx.as_of - due).num_days()),
                ),
                _ => ("借用钥匙待归还", "尚未归还".to_string()),
            };
            let why = format!("{subject}，限还日期 {due}，{status}（钥匙管理规定 4.3：钥匙管理人员负责限定使用日期）");
            Some(Finding::new(PROCEDURE, "4.3", what, state, why).at(v, row).due(due).done(returned.map(|t| t.date())))
        }
        None if needs_iou => Some(
            Finding::new(
                PROCEDURE,
                "4.3",
                "借用钥匙未限定使用日期",
                State::Breach,
                format!("{subject}，未填写限还日期；{reason}借用钥匙由钥匙管理人员限定使用日期（钥匙管理规定 4.3）"),
            )
            .at(v, row),
        ),
        None => None,
    }
}

/// 25: a copy needs the centre manager's approval and a key without special requirements.
fn copy(v: &View<'_>, row: usize, managers: &[&str], out: &mut Vec<Finding>) {
    let Some(made) = v.date(row, "made_on") else { return };
    let location = v.text(row, "location").unwrap_or("（未写部位）");
    let quantity = v.int(row, "quantity").map(|n| format!("{n} 把")).unwrap_or_default();
    let subject = format!("{made} 配置 {location} 钥匙{quantity}");
    let owner = name(v, row, "made_by").unwrap_or_else(|| "客服主管".to_string());
    let room = parse_room(location).ok();
    let mut push = |f: Finding| out.push(f.room(room).owner(owner.clone()).done(made));
    let approver = name(v, row, "approver");
    if !signed(v, row, "approver") {
        push(
            Finding::new(
                PROCEDURE,
                "4.8",
                "配置钥匙未经经理批准",
                State::Breach,
                format!("{subject}，记录中没有经理批准签字；钥匙须经管理中心经理批准后方可配置（钥匙管理规定 4.8）"),
            )
            .at(v, row),
        );
    } else if let Some(by) = approver
        && !managers.is_empty()
        && !managers.iter().any(|m| by.contains(m))
    {
        push(Finding::new(PROCEDURE, "4.8", "配置钥匙非管理中心经理批准", State::Breach, format!(
                "{subject}，批准人为 {by}，不是 kefu.yaml 中的管理中心经理（{}）；钥匙须经管理中心经理批准后方可配置（钥匙管理规定 4.8）",
                managers.join("、")
            )).at(v, row));
    }
    if v.flag(row, "special") == Some(true) {
        push(
            Finding::new(
                PROCEDURE,
                "4.8",
                "配置有特殊要求的钥匙",
                State::Breach,
                format!("{subject}，该钥匙注明有特殊要求；只有无特殊要求的钥匙可以配置（钥匙管理规定 4.8）"),
            )
            .at(v, row),
        );
    }
}

/// 26: a remedy, and restoration within [`Params::restore_days`].
fn loss(ctx: &Context<'_>, v: &View<'_>, row: usize, out: &mut Vec<Finding>, gaps: &mut Gaps) {
    let p = &ctx.params.keys;
    let Some(reported) = v.date(row, "reported_on").or_else(|| v.date(row, "lost_on")) else { return };
    let location = v.text(row, "location").unwrap_or("（未写部位）");
    let quantity = v.int(row, "quantity").map(|n| format!(" {n} 把")).unwrap_or_default();
    let subject = format!("{location} 钥匙{quantity}于 {reported} 报告丢失");
    let room = parse_room(location).ok();
    if v.text(row, "remedy").is_none_or(|t| t.trim().is_empty()) {
        out.push(
            Finding::new(
                PROCEDURE,
                "4.9.2",
                "钥匙丢失未制定补救措施",
                State::Breach,
                format!("{subject}，记录中没有补救措施；钥匙丢失后由钥匙审批人负责制定补救措施（钥匙管理规定 4.9.2）"),
            )
            .at(v, row)
            .room(room)
            .owner(name(v, row, "approver").unwrap_or_else(|| "钥匙审批人".to_string())),
        );
    }
    let done = match v.text(row, "restoration") {
        Some("未恢复") => None,
        _ => v.date(row, "restored_on"),
    };
    let plain = reported.checked_add_days(Days::new(u64::from(p.restore_days))).unwrap_or(NaiveDate::MAX);
    if done.is_some_and(|d| d <= plain) {
        return; // in time whatever the calendar says: art. 203 only moves the end later
    }
    let due = match ctx.calendar.calendar_deadline(reported, p.restore_days) {
        Ok(due) => due,
        Err(e) => return gaps.add("4.9.3", "丢失钥匙恢复期限无法计算", &e),
    };
    let Some(state) = deadline_state(due, done, ctx.as_of) else { return };
    let moved = if due == plain { String::new() } else { format!("（{plain} 为休息日，顺延至 {due}）") };
    let (what, status) = match (state, done) {
        (State::Late, Some(d)) => ("丢失钥匙逾期恢复", format!("{d} 才恢复，晚 {} 天", (d - due).num_days())),
        (State::Overdue, _) => {
            ("丢失钥匙逾期未恢复", format!("截至 {} 仍未恢复，已逾期 {} 天", ctx.as_of, (ctx.as_of - due).num_days()))
        }
        _ => ("丢失钥匙待恢复", "尚未恢复".to_string()),
    };
    let why = format!(
        "{subject}，应在 {} 天内恢复，期限 {due}{moved}，{status}（钥匙管理规定 4.9.3：由客服内勤督促、监督进行恢复）",
        p.restore_days
    );
    out.push(
        Finding::new(PROCEDURE, "4.9.3", what, state, why)
            .at(v, row)
            .room(room)
            .due(due)
            .done(done)
            .owner(name(v, row, "clerk").unwrap_or_else(|| "客服内勤".to_string())),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::{Fixture, d, of};

    const LOANS: &str = "24-钥匙借用登记表.yaml";

    fn loan(lent: &str, reason: &str, due: &str, back: &str, extra: &str) -> String {
        let mut s = format!(
            "- 借出时间: \"{lent}\"\n  钥匙编号: A-1-1-101\n  房号/部位: 1-1-101\n  数量: 1\n  事由: {reason}\n  借用部门: 工程部\n  借用人: 刘工\n  联系电话: \"13912345678\"\n  审批人: 王主管\n  发放人: 张伟\n"
        );
        if !due.is_empty() {
            s.push_str(&format!("  限还日期: \"{due}\"\n"));
        }
        if !back.is_empty() {
            s.push_str(&format!("  归还时间: \"{back}\"\n  收回人: 张伟\n"));
        }
        s.push_str(extra);
        s
    }

    fn run(files: &[(&str, &str)], as_of: &str) -> Vec<Finding> {
        findings(&Fixture::new(files, &[], as_of).ctx())
    }

    #[test]
    fn a_key_marked_returned_without_a_date_is_not_overdue() {
        // Due 10-16, and the book says only 已还: returned, so nothing is overdue on 10-31.
        let text =
            loan("2026-10-14 09:00", "房屋维修", "2026-10-16", "", "  归还时间: 已还\n  借条: 是\n  借条收回: 是\n");
        let all = run(&[(LOANS, &text)], "2026-10-31");
        assert!(all.iter().all(|f| !f.what.contains("逾期")), "{all:#?}");
        // The same loan with nothing in 归还时间 is overdue by 15 days.
        let open = loan("2026-10-14 09:00", "房屋维修", "2026-10-16", "", "  借条: 是\n");
        let all = run(&[(LOANS, &open)], "2026-10-31");
        let f = all.iter().find(|f| f.what == "借用钥匙逾期未还").expect("overdue");
        assert_eq!(f.days_overdue(d("2026-10-31")), 15);
    }

    #[test]
    fn a_key_due_friday_back_monday_is_three_days_late() {
        // 2026-10-16 is a Friday, 2026-10-19 the Monday after.
        let text =
            loan("2026-10-14 09:00", "房屋维修", "2026-10-16", "2026-10-19 10:30", "  借条: 是\n  借条收回: 是\n");
        let all = run(&[(LOANS, &text)], "2026-10-31");
        assert_eq!(all.len(), 1, "{all:#?}");
        let f = &all[0];
        assert_eq!((f.what.as_str(), f.state, f.clause), ("借用钥匙逾期归还", State::Late, "4.3"));
        assert_eq!((f.due, f.done), (Some(d("2026-10-16")), Some(d("2026-10-19"))));
        assert_eq!(f.days_overdue(d("2026-10-31")), 3);
        assert_eq!(f.owner.as_deref(), Some("张伟"));
        assert_eq!(f.room.map(|r| r.to_string()).as_deref(), Some("1-1-101"));
        assert!(f.why.contains("限还日期 2026-10-16") && f.why.contains("晚于限还日期 3 天"), "{}", f.why);
    }

    #[test]
    fn unreturned_keys_are_overdue_after_the_date_and_open_before() {
        let text = [
            loan("2026-10-20 09:00", "房屋维修", "2026-10-23", "", "  借条: 是\n"),
            loan("2026-10-30 09:00", "工程返修", "2026-11-02", "", "  借条: 是\n"),
            loan("2026-10-30 10:00", "空置房施工", "2026-10-31", "", ""),
            loan("2026-10-10 10:00", "房屋维修", "2026-10-12", "2026-10-12 16:00", "  借条: 是\n  借条收回: 是\n"),
        ]
        .concat();
        let all = run(&[(LOANS, &text)], "2026-10-31");
        let overdue = of(&all, "借用钥匙逾期未还");
        assert_eq!(overdue.len(), 1, "{all:#?}");
        assert_eq!((overdue[0].state, overdue[0].row), (State::Overdue, Some(0)));
        assert_eq!(overdue[0].days_overdue(d("2026-10-31")), 8);
        assert!(overdue[0].why.contains("已逾期 8 天"), "{}", overdue[0].why);
        // Due on the run date itself and after it: still open.
        let open = of(&all, "借用钥匙待归还");
        assert_eq!(open.iter().map(|f| f.row).collect::<Vec<_>>(), [Some(1), Some(2)]);
        assert!(open.iter().all(|f| f.state == State::Open));
        assert_eq!(all.len(), 3, "returned on time gives nothing: {all:#?}");
    }

    #[test]
    fn loans_without_iou_approver_or_date_and_ious_not_taken_back() {
        let text = [
            // 0: viewing without an IOU (4.3).
            loan("2026-10-10 09:00", "客人看房", "2026-10-10", "2026-10-10 11:00", "  借条: 否\n"),
            // 1: emergency spare key without an IOU (4.4), approver unsigned.
            loan("2026-10-11 22:00", "突发事件", "2026-10-12", "2026-10-12 08:00", "  借条: 否\n")
                .replace("审批人: 王主管", "审批人: 否"),
            // 2: returned, IOU not taken back.
            loan("2026-10-12 09:00", "房屋维修", "2026-10-13", "2026-10-13 09:00", "  借条: 是\n  借条收回: 否\n"),
            // 3: repair without a return date.
            loan("2026-10-14 09:00", "房屋维修", "", "2026-10-14 12:00", "  借条: 是\n  借条收回: 是\n"),
            // 4: cleaning a vacant room needs none of these (4.5).
            loan("2026-10-15 09:00", "保洁空置房", "", "2026-10-15 12:00", ""),
        ]
        .concat();
        // An unsigned 审批人 is already an error of `kefu check` (required); the rule says why too.
        let all = findings(&Fixture::lenient(&[(LOANS, &text)], &[], "2026-10-31").ctx());
        let rows = |what: &str| of(&all, what).iter().map(|f| (f.row, f.clause)).collect::<Vec<_>>();
        assert_eq!(rows("借用钥匙无借条"), [(Some(0), "4.3"), (Some(1), "4.4")]);
        assert_eq!(rows("借用钥匙无审批人"), [(Some(1), "4.4")]);
        assert_eq!(rows("借条未收回"), [(Some(2), "4.3")]);
        assert_eq!(rows("借用钥匙未限定使用日期"), [(Some(3), "4.3")]);
        assert!(all.iter().all(|f| f.state == State::Breach), "{all:#?}");
        assert_eq!(all.len(), 5, "{all:#?}");
    }

    const COPIES: &str = "25-钥匙配置记录表.yaml";

    fn copy(approver: &str, special: &str) -> String {
        format!(
            "- 配置日期: \"2026-10-08\"\n  钥匙编号: S1-1\n  房号/部位: 1号楼水泵房\n  配置数量: 2\n  配置原因: 原钥匙磨损\n  特殊要求: {special}\n  申请部门: 工程部\n  申请人: 刘工\n  经理批准: {approver}\n  配置人: 张伟\n"
        )
    }

    #[test]
    fn copies_need_the_centre_managers_approval_and_no_special_requirement() {
        let text = [copy("崔萍红", "否"), copy("否", "否"), copy("王波俊", "否"), copy("崔萍红", "是")].concat();
        // An unsigned 经理批准 is already an error of `kefu check` (required); the rule says why too.
        let fx = Fixture::lenient(&[(COPIES, &text)], &[("崔萍红", "管理中心经理")], "2026-10-31");
        let all = findings(&fx.ctx());
        let rows = |what: &str| of(&all, what).iter().map(|f| f.row).collect::<Vec<_>>();
        assert_eq!(rows("配置钥匙未经经理批准"), [Some(1)]);
        assert_eq!(rows("配置钥匙非管理中心经理批准"), [Some(2)]);
        assert_eq!(rows("配置有特殊要求的钥匙"), [Some(3)]);
        assert_eq!(all.len(), 3);
        assert!(of(&all, "配置钥匙非管理中心经理批准")[0].why.contains("批准人为 王波俊"));
        // Without a manager in kefu.yaml any signature counts.
        let all = findings(&Fixture::lenient(&[(COPIES, &text)], &[], "2026-10-31").ctx());
        assert_eq!(all.len(), 2, "{all:#?}");
    }

    const LOSSES: &str = "26-钥匙丢失记录表.yaml";

    fn lost(reported: &str, remedy: &str, restored: &str) -> String {
        let mut s = format!(
            "- 丢失日期: \"{reported}\"\n  报告日期: \"{reported}\"\n  钥匙编号: S1-2\n  使用地点: 1号楼配电室\n  丢失数量: 1\n  丢失原因: 巡查时遗失\n  责任人: 刘工\n  补救措施: {remedy}\n  钥匙审批人: 王波俊\n  客服内勤: 马慧雪\n"
        );
        if restored.is_empty() {
            s.push_str("  恢复方式: 未恢复\n");
        } else {
            s.push_str(&format!("  恢复方式: 换锁\n  恢复日期: \"{restored}\"\n"));
        }
        s
    }

    #[test]
    fn lost_keys_are_restored_within_a_week_moved_past_holidays() {
        let text = [
            // 0: reported 10-05, 7 days → 10-12 (Mon, worked): restored 10-12, in time.
            lost("2026-10-05", "换锁芯", "2026-10-12"),
            // 1: reported 09-24 → 10-01, 国庆 holiday until 10-07 → due 10-08; restored 10-08: in time.
            lost("2026-09-24", "换锁芯", "2026-10-08"),
            // 2: reported 09-24, restored 10-09: one day late.
            lost("2026-09-24", "换锁芯", "2026-10-09"),
            // 3: reported 10-20 → due 10-27, not restored by 10-31: overdue 4 days.
            lost("2026-10-20", "配置新钥匙", ""),
            // 4: reported 10-28 → due 11-04: open.
            lost("2026-10-28", "配置新钥匙", ""),
        ]
        .concat();
        let all = run(&[(LOSSES, &text)], "2026-10-31");
        let late = of(&all, "丢失钥匙逾期恢复");
        assert_eq!(late.len(), 1, "{all:#?}");
        assert_eq!((late[0].row, late[0].due), (Some(2), Some(d("2026-10-08"))));
        assert_eq!(late[0].days_overdue(d("2026-10-31")), 1);
        assert!(late[0].why.contains("2026-10-01 为休息日，顺延至 2026-10-08"), "{}", late[0].why);
        let overdue = of(&all, "丢失钥匙逾期未恢复");
        assert_eq!(
            (overdue[0].row, overdue[0].due, overdue[0].state),
            (Some(3), Some(d("2026-10-27")), State::Overdue)
        );
        assert_eq!(overdue[0].owner.as_deref(), Some("马慧雪"));
        let open = of(&all, "丢失钥匙待恢复");
        assert_eq!((open[0].row, open[0].due), (Some(4), Some(d("2026-11-04"))));
        assert_eq!(all.len(), 3, "{all:#?}");
    }

    #[test]
    fn a_restoration_deadline_in_2027_is_a_calendar_gap_not_a_guess() {
        // Reported 2026-12-28 → 2027-01-04, and 2027 has no calendar yet; not restored.
        // Restored 2027-01-03, within the plain 7 days, needs no calendar.
        let text = [lost("2026-12-28", "换锁芯", ""), lost("2026-12-27", "换锁芯", "2027-01-03")].concat();
        let all = run(&[(LOSSES, &text)], "2027-01-20");
        assert_eq!(all.len(), 1, "{all:#?}");
        assert_eq!((all[0].state, all[0].clause, all[0].register), (State::Unknown, "4.9.3", None));
        assert!(all[0].why.contains("2027 年的放假安排尚未录入"), "{}", all[0].why);
    }

    #[test]
    fn a_loss_without_a_remedy_is_a_breach() {
        // 补救措施 is required, so `kefu check` rejects the record; the rule still says why.
        let text = lost("2026-10-05", "换锁芯", "2026-10-06").replace("  补救措施: 换锁芯\n", "");
        let fx = Fixture::lenient(&[(LOSSES, &text)], &[], "2026-10-31");
        let all = findings(&fx.ctx());
        assert_eq!(all.len(), 1, "{all:#?}");
        assert_eq!((all[0].what.as_str(), all[0].clause), ("钥匙丢失未制定补救措施", "4.9.2"));
        assert_eq!(all[0].owner.as_deref(), Some("王波俊"));
        let none = Fixture::new(&[], &[], "2026-10-31");
        assert!(findings(&none.ctx()).is_empty(), "no registers, no findings");
    }
}
