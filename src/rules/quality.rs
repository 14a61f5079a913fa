//! 品质检查相关规程 3.1–3.3: the 品质管理员 spot-checks at least once a day (3.1), each
//! department's supervisor checks the department's own area at least once a day and has faults
//! put right (3.2), and once a week the 品质管理负责人 and the 管理中心经理 hold a joint check
//! (3.3); faults go out on a 整改通知单 (form 11) with a deadline and are re-checked.
//!
//! Input: the [`Context`] (form 10 品质检查记录表, form 11 品质检查整改通知单). Output:
//! [`Finding`]s — a day without the 品质管理员's or a department supervisor's check, a week
//! without the joint check (or without the manager), a failed item with no notice, and
//! rectifications open, overdue or done late — and [`compliance`], the counts behind the monthly
//! KPI. Failure: none; with `inspect_on_rest_days: false` a day in a year the calendar lacks is
//! reported once per year as a calendar gap and left out of the counts.
//!
//! "每天" is taken as every calendar day by default (`inspect_on_rest_days: true`): a residential
//! estate is managed, cleaned and guarded on Sundays and holidays as on any other day. Weeks run
//! Monday to Sunday; checks are counted from the first day the register records until the run
//! date; the run date itself and the running week are still open, not missed.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{Context, Finding, State, UnknownYear, View, calendar_gap, deadline_state};

const PROCEDURE: &str = "品质检查相关规程";
/// The 检查类别 options of forms 10 and 11.
const QA_CHECK: &str = "品质管理员日检";
const SUPERVISOR_CHECK: &str = "部门主管日检";
const JOINT_CHECK: &str = "周合成检查";

/// Parameters of 品质检查相关规程; defaults are the manual's.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Params {
    /// 3.1: checks the 品质管理员 makes every day, at least ("每天品质管理员至少进行抽检一次").
    pub qa_daily: u32,
    /// 3.2: checks each department supervisor makes of the department's area every day, at least
    /// ("各部门主管每天对本部门管理区域至少抽检一次").
    pub supervisor_daily: u32,
    /// 3.3: joint checks of the 品质管理负责人 with the 管理中心经理 every week
    /// ("每周…组织一次合成品质检查").
    pub joint_weekly: u32,
    /// 3.2 各部门: the departments whose supervisors check daily, as named in 受检部门.
    pub departments: Vec<String>,
    /// Other names a department goes by in 受检部门 → its name in `departments`. The manual itself
    /// says 保安部 (钥匙管理规定 4.4) and 保洁 (4.5) for what is now 秩序部 and 环境部.
    pub department_aliases: BTreeMap<String, String>,
    /// 3.1–3.2 "每天": every calendar day (true), or only working days of the calendar (false).
    pub inspect_on_rest_days: bool,
}

impl Default for Params {
    fn default() -> Params {
        Params {
            qa_daily: 1,
            supervisor_daily: 1,
            joint_weekly: 1,
            departments: ["客服部", "工程部", "秩序部", "环境部"].map(String::from).to_vec(),
            department_aliases: [("保安部", "秩序部"), ("保洁部", "环境部")]
                .into_iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
            inspect_on_rest_days: true,
        }
    }
}

/// How many of the required checks were made in a period: one slot per day for the 品质管理员
/// and one per department, one per week (Monday–Sunday, counted in the period holding its
/// Sunday) for the joint check. A slot is done when it holds at least the required number.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct QualityStats {
    /// Daily slots in the period: (品质管理员 + each department) × days checked (3.1–3.2).
    pub daily_required: u32,
    /// Daily slots holding at least the required number of checks.
    pub daily_done: u32,
    /// Weeks whose Sunday falls in the period (3.3).
    pub weekly_required: u32,
    /// Weeks with at least the required number of joint checks.
    pub weekly_done: u32,
    /// Days left out because the calendar lacks their year (only with
    /// `inspect_on_rest_days: false`): the first such date.
    #[serde(skip)]
    pub calendar_gap: Option<UnknownYear>,
}

/// The checks of form 10, counted.
#[derive(Default)]
struct Tally {
    first: Option<NaiveDate>,
    qa: HashMap<NaiveDate, u32>,
    /// (day, department as in `departments`).
    supervisor: HashMap<(NaiveDate, String), u32>,
    /// By the week's Monday: joint checks, and whether one names the 管理中心经理.
    joint: HashMap<NaiveDate, (u32, bool)>,
}

fn monday(d: NaiveDate) -> NaiveDate {
    d - Days::new(u64::from(d.weekday().num_days_from_monday()))
}

fn add(d: NaiveDate, n: u64) -> NaiveDate {
    d.checked_add_days(Days::new(n)).unwrap_or(NaiveDate::MAX)
}

fn tally(ctx: &Context<'_>) -> Tally {
    let p = &ctx.params.quality;
    let managers: Vec<&str> = ctx.config.staff_with("管理中心经理").map(|m| m.name.as_str()).collect();
    let mut t = Tally::default();
    let Some(v) = ctx.form(10) else { return t };
    for row in v.rows() {
        let Some(day) = v.date(row, "check_date") else { continue };
        t.first = Some(t.first.map_or(day, |f| f.min(day)));
        match v.text(row, "check_type") {
            Some(QA_CHECK) => *t.qa.entry(day).or_default() += 1,
            Some(SUPERVISOR_CHECK) => {
                let dept = v.text(row, "department").map(|d| department(p, d)).unwrap_or_default();
                *t.supervisor.entry((day, dept)).or_default() += 1;
            }
            Some(JOINT_CHECK) => {
                let inspector = v.text(row, "inspector").unwrap_or("");
                let entry = t.joint.entry(monday(day)).or_default();
                entry.0 += 1;
                entry.1 |= managers.iter().any(|m| inspector.contains(m));
            }
            _ => {}
        }
    }
    t
}

/// The department a 受检部门 names, in the spelling of `departments`.
fn department(p: &Params, written: &str) -> String {
    let w = written.trim();
    p.department_aliases.get(w).cloned().unwrap_or_else(|| w.to_string())
}

/// Whether checks are due on `day`.
fn inspected(ctx: &Context<'_>, day: NaiveDate) -> Result<bool, UnknownYear> {
    if ctx.params.quality.inspect_on_rest_days { Ok(true) } else { ctx.calendar.is_working_day(day) }
}

/// Whether the joint check is due in the week from `mon`: always, or when the week has a working
/// day.
fn week_inspected(ctx: &Context<'_>, mon: NaiveDate) -> Result<bool, UnknownYear> {
    for k in 0..7 {
        if inspected(ctx, add(mon, k))? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The required and done checks of form 10 from `from` to `to` (both included, and not after the
/// run date), for the monthly KPI.
pub fn compliance(ctx: &Context<'_>, from: NaiveDate, to: NaiveDate) -> QualityStats {
    let p = &ctx.params.quality;
    let t = tally(ctx);
    let to = to.min(ctx.as_of);
    let mut s = QualityStats::default();
    let mut day = from;
    while day <= to {
        match inspected(ctx, day) {
            Ok(true) => {
                for (min, n) in daily_slots(p, &t, day) {
                    s.daily_required += 1;
                    s.daily_done += u32::from(n >= min);
                }
            }
            Ok(false) => {}
            Err(e) => {
                s.calendar_gap.get_or_insert(e);
            }
        }
        day = add(day, 1);
    }
    // The week belongs to the period holding its Sunday: the first is the week of `from`.
    let mut mon = monday(from);
    while p.joint_weekly > 0 && add(mon, 6) <= to {
        match week_inspected(ctx, mon) {
            Ok(true) => {
                s.weekly_required += 1;
                s.weekly_done += u32::from(t.joint.get(&mon).map_or(0, |j| j.0) >= p.joint_weekly);
            }
            Ok(false) => {}
            Err(e) => {
                s.calendar_gap.get_or_insert(e);
            }
        }
        mon = add(mon, 7);
    }
    s
}

/// (required, made) for each daily slot of `day` with a requirement: the 品质管理员, then each
/// department.
fn daily_slots(p: &Params, t: &Tally, day: NaiveDate) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    if p.qa_daily > 0 {
        out.push((p.qa_daily, t.qa.get(&day).copied().unwrap_or(0)));
    }
    if p.supervisor_daily > 0 {
        for dept in &p.departments {
            out.push((p.supervisor_daily, t.supervisor.get(&(day, dept.clone())).copied().unwrap_or(0)));
        }
    }
    out
}

/// This rule's findings.
pub fn findings(ctx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut gaps = BTreeSet::new();
    let t = tally(ctx);
    if let Some(first) = t.first {
        daily(ctx, &t, first, &mut out, &mut gaps);
        weekly(ctx, &t, first, &mut out, &mut gaps);
    }
    rectification(ctx, &mut out);
    out
}

fn gap(out: &mut Vec<Finding>, gaps: &mut BTreeSet<i32>, clause: &'static str, e: &UnknownYear) {
    if gaps.insert(e.year) {
        out.push(calendar_gap(PROCEDURE, clause, "无法判断是否为工作日", e));
    }
}

/// A check that should have been made by `due`: missed once the day is over, open on the day.
fn missing(
    ctx: &Context<'_>,
    clause: &'static str,
    what: String,
    due: NaiveDate,
    owner: String,
    why: String,
) -> Finding {
    Finding::new(PROCEDURE, clause, what, if due < ctx.as_of { State::Breach } else { State::Open }, why)
        .due(due)
        .owner(owner)
}

fn names_or(ctx: &Context<'_>, role: &str) -> String {
    let names: Vec<&str> = ctx.config.staff_with(role).map(|m| m.name.as_str()).collect();
    if names.is_empty() { role.to_string() } else { names.join("、") }
}

fn daily(ctx: &Context<'_>, t: &Tally, first: NaiveDate, out: &mut Vec<Finding>, gaps: &mut BTreeSet<i32>) {
    let p = &ctx.params.quality;
    let qa = names_or(ctx, "品质管理员");
    let mut day = first;
    while day <= ctx.as_of {
        match inspected(ctx, day) {
            Ok(true) => {}
            Ok(false) => {
                day = add(day, 1);
                continue;
            }
            Err(e) => {
                gap(out, gaps, "3.1", &e);
                day = add(day, 1);
                continue;
            }
        }
        let made = t.qa.get(&day).copied().unwrap_or(0);
        if made < p.qa_daily {
            let why = format!(
                "{day} 缺品质管理员日检：品质检查记录表当天有品质管理员日检 {made} 次，应至少 {} 次（品质检查相关规程 3.1：每天品质管理员至少进行抽检一次）",
                p.qa_daily
            );
            out.push(missing(ctx, "3.1", "缺品质管理员日检".to_string(), day, qa.clone(), why));
        }
        for dept in &p.departments {
            let made = t.supervisor.get(&(day, dept.clone())).copied().unwrap_or(0);
            if made < p.supervisor_daily {
                let why = format!(
                    "{day} 缺{dept}主管日检：品质检查记录表当天受检部门为{dept}的部门主管日检 {made} 次，应至少 {} 次（品质检查相关规程 3.2：各部门主管每天对本部门管理区域至少抽检一次）",
                    p.supervisor_daily
                );
                out.push(missing(ctx, "3.2", format!("缺{dept}主管日检"), day, format!("{dept}主管"), why));
            }
        }
        day = add(day, 1);
    }
}

fn weekly(ctx: &Context<'_>, t: &Tally, first: NaiveDate, out: &mut Vec<Finding>, gaps: &mut BTreeSet<i32>) {
    let p = &ctx.params.quality;
    if p.joint_weekly == 0 {
        return;
    }
    let has_manager = ctx.config.staff_with("管理中心经理").next().is_some();
    let owner = format!("{}、{}", names_or(ctx, "品质管理员"), names_or(ctx, "管理中心经理"));
    // Whole weeks only: the week the register starts in may have had its check before.
    let mut mon = monday(first);
    if mon < first {
        mon = add(mon, 7);
    }
    while mon <= ctx.as_of {
        let sun = add(mon, 6);
        match week_inspected(ctx, mon) {
            Ok(true) => {
                let (made, with_manager) = t.joint.get(&mon).copied().unwrap_or((0, false));
                if made < p.joint_weekly {
                    let why = format!(
                        "{mon} 至 {sun} 这一周缺合成品质检查：品质检查记录表中周合成检查 {made} 次，应至少 {} 次（品质检查相关规程 3.3：每周品质管理负责人会同管理中心经理组织一次合成品质检查）",
                        p.joint_weekly
                    );
                    out.push(missing(ctx, "3.3", "缺每周合成品质检查".to_string(), sun, owner.clone(), why));
                } else if has_manager && !with_manager && sun < ctx.as_of {
                    let why = format!(
                        "{mon} 至 {sun} 这一周的周合成检查 {made} 次，检查人中都没有管理中心经理（{}）；合成检查由品质管理负责人会同管理中心经理组织（品质检查相关规程 3.3）",
                        names_or(ctx, "管理中心经理")
                    );
                    out.push(
                        missing(ctx, "3.3", "合成检查未会同管理中心经理".to_string(), sun, owner.clone(), why)
                            .state(State::Breach),
                    );
                }
            }
            Ok(false) => {}
            Err(e) => gap(out, gaps, "3.3", &e),
        }
        mon = add(mon, 7);
    }
}

fn signer(v: &View<'_>, row: usize, key: &str) -> Option<String> {
    match v.value(row, key)? {
        crate::model::Value::Signature(s) => s.by.filter(|n| !n.is_empty()),
        crate::model::Value::Text(t) if !t.trim().is_empty() => Some(t),
        _ => None,
    }
}

/// Rectification deadlines: each notice of form 11; failed items of form 10 whose notice form 11
/// lacks, from form 10's own 整改 columns; failed items with no notice at all.
fn rectification(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let mut notices = BTreeSet::new();
    if let Some(v) = ctx.form(11) {
        for row in v.rows() {
            if let Some(no) = v.text(row, "notice_no") {
                notices.insert(no.to_string());
            }
            let done = match v.text(row, "recheck_result") {
                Some("未整改") => None,
                Some("已整改") => v.date(row, "completed_on").or_else(|| v.date(row, "recheck_date")),
                _ => v.date(row, "completed_on"),
            };
            let dept = v.text(row, "department").unwrap_or("受检部门");
            let owner = signer(&v, row, "receiver_signature").unwrap_or_else(|| format!("{dept}主管"));
            deadline(ctx, &v, row, done, owner, out);
        }
    }
    let Some(v) = ctx.form(10) else { return };
    for row in v.rows() {
        if v.text(row, "result") != Some("不合格") {
            continue;
        }
        let dept = v.text(row, "department").unwrap_or("受检部门");
        match v.text(row, "notice_no").filter(|n| !n.trim().is_empty()) {
            None => {
                let day = v.date(row, "check_date").map(|d| d.to_string()).unwrap_or_default();
                let why = format!(
                    "{day} {}检查{dept}「{}」不合格，未填写整改单号；不合格项应开具品质检查整改通知单并进行整改（品质检查相关规程 3.2）",
                    v.text(row, "check_type").unwrap_or(""),
                    v.text(row, "item").unwrap_or("")
                );
                out.push(
                    Finding::new(PROCEDURE, "3.2", "不合格项未开具整改通知单", State::Breach, why)
                        .at(&v, row)
                        .owner(v.text(row, "inspector").unwrap_or("品质管理员").to_string()),
                );
            }
            Some(no) if notices.contains(no) => {}
            Some(_) => {
                let done = match v.text(row, "recheck_result") {
                    Some("已整改") => v.date(row, "recheck_date"),
                    _ => None,
                };
                deadline(ctx, &v, row, done, format!("{dept}主管"), out);
            }
        }
    }
}

/// The 整改期限 of record `row` (form 10 or 11) against its completion.
fn deadline(
    ctx: &Context<'_>,
    v: &View<'_>,
    row: usize,
    done: Option<NaiveDate>,
    owner: String,
    out: &mut Vec<Finding>,
) {
    let Some(due) = v.date(row, "rectify_by") else { return };
    let Some(state) = deadline_state(due, done, ctx.as_of) else { return };
    let no = v.text(row, "notice_no").unwrap_or("（无编号）");
    let dept = v.text(row, "department").unwrap_or("受检部门");
    let checked = v.date(row, "check_date").map(|d| format!("{d} 检查")).unwrap_or_default();
    let (what, status) = match (state, done) {
        (State::Late, Some(d)) => ("品质整改逾期完成", format!("{d} 完成，晚 {} 天", (d - due).num_days())),
        (State::Overdue, _) => {
            let rechecked = match (v.date(row, "recheck_date"), v.text(row, "recheck_result")) {
                (Some(r), Some("未整改")) => format!("{r} 复查未整改，"),
                _ => String::new(),
            };
            (
                "品质整改逾期未完成",
                format!("{rechecked}截至 {} 仍未完成，已逾期 {} 天", ctx.as_of, (ctx.as_of - due).num_days()),
            )
        }
        _ => ("品质整改待完成", "尚未完成".to_string()),
    };
    let why = format!(
        "整改通知单 {no}（{checked}{dept}「{}」）整改期限 {due}，{status}（品质检查相关规程 3.2：进行整改）",
        v.text(row, "item").unwrap_or("")
    );
    out.push(Finding::new(PROCEDURE, "3.2", what, state, why).at(v, row).due(due).done(done).owner(owner));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::{Fixture, d, of};

    const CHECKS: &str = "10-品质检查记录表.yaml";
    const NOTICES: &str = "11-品质检查整改通知单.yaml";
    const STAFF: [(&str, &str); 2] = [("隋凯春", "品质管理员"), ("崔萍红", "管理中心经理")];

    fn check(day: &str, kind: &str, inspector: &str, dept: &str, extra: &str) -> String {
        let result = if extra.is_empty() { "合格" } else { "不合格" };
        format!(
            "- 检查日期: \"{day}\"\n  检查类别: {kind}\n  检查人: {inspector}\n  受检部门: {dept}\n  检查区域: 大堂\n  检查项目: 接待台\n  检查情况: 检查记录\n  结果: {result}\n{extra}"
        )
    }

    /// The 品质管理员's and every supervisor's check of `day`, minus the departments in `skip`
    /// ("品质管理员" for the QA check); `保洁部` written for 环境部 when `alias`.
    fn day(day: &str, skip: &[&str], alias: bool) -> String {
        let mut s = String::new();
        if !skip.contains(&"品质管理员") {
            s += &check(day, QA_CHECK, "隋凯春", "客服部", "");
        }
        for dept in ["客服部", "工程部", "秩序部", "环境部"] {
            if !skip.contains(&dept) {
                let written = if alias && dept == "环境部" { "保洁部" } else { dept };
                s += &check(day, SUPERVISOR_CHECK, &format!("{dept}主管"), written, "");
            }
        }
        s
    }

    fn joint(day: &str, inspector: &str) -> String {
        check(day, JOINT_CHECK, inspector, "工程部", "")
    }

    fn days(from: &str, to: &str) -> Vec<String> {
        d(from).iter_days().take_while(|x| *x <= d(to)).map(|x| x.to_string()).collect()
    }

    fn fixture(text: &str, as_of: &str) -> Fixture {
        Fixture::new(&[(CHECKS, text)], &STAFF, as_of)
    }

    fn summary(all: &[Finding]) -> Vec<(String, State, Option<NaiveDate>)> {
        all.iter().map(|f| (f.what.clone(), f.state, f.due)).collect()
    }

    #[test]
    fn missing_daily_checks_are_breaches_and_the_running_week_is_open() {
        // Mon 10-05 … Mon 10-12 (10-05–10-07 国庆 holidays, checked as any day by default).
        let mut text = String::new();
        for x in days("2026-10-05", "2026-10-12") {
            let skip: &[&str] = match x.as_str() {
                "2026-10-07" => &["品质管理员"],
                "2026-10-08" => &["环境部"],
                _ => &[],
            };
            text += &day(&x, skip, x == "2026-10-09");
        }
        text += &joint("2026-10-09", "隋凯春、崔萍红");
        let all = findings(&fixture(&text, "2026-10-12").ctx());
        assert_eq!(
            summary(&all),
            [
                ("缺品质管理员日检".to_string(), State::Breach, Some(d("2026-10-07"))),
                ("缺环境部主管日检".to_string(), State::Breach, Some(d("2026-10-08"))),
                ("缺每周合成品质检查".to_string(), State::Open, Some(d("2026-10-18"))),
            ]
        );
        assert!(all[0].why.starts_with("2026-10-07 缺品质管理员日检"), "{}", all[0].why);
        assert_eq!(all[0].owner.as_deref(), Some("隋凯春"));
        assert_eq!((all[1].owner.as_deref(), all[1].clause), (Some("环境部主管"), "3.2"));
        assert_eq!(all[2].owner.as_deref(), Some("隋凯春、崔萍红"));
    }

    #[test]
    fn rest_days_count_unless_the_parameter_says_working_days_only() {
        // Nothing on Sat 10-10 (a 调休 working day) and Sun 10-11.
        let mut text = String::new();
        for x in days("2026-10-05", "2026-10-12") {
            if x != "2026-10-10" && x != "2026-10-11" {
                text += &day(&x, &[], false);
            }
        }
        text += &joint("2026-10-09", "隋凯春、崔萍红");
        let mut fx = fixture(&text, "2026-10-12");
        let all = findings(&fx.ctx());
        let missed = |all: &[Finding], date: &str| all.iter().filter(|f| f.due == Some(d(date))).count();
        assert_eq!((missed(&all, "2026-10-10"), missed(&all, "2026-10-11")), (5, 5));
        assert_eq!(all.len(), 11, "10 days' slots and the open week: {:#?}", summary(&all));
        fx.params.quality.inspect_on_rest_days = false;
        let all = findings(&fx.ctx());
        assert_eq!((missed(&all, "2026-10-10"), missed(&all, "2026-10-11")), (5, 0));
        assert_eq!(all.len(), 6, "{:#?}", summary(&all));
    }

    #[test]
    fn the_joint_check_needs_the_centre_manager() {
        let mut text = String::new();
        for x in days("2026-10-12", "2026-10-19") {
            text += &day(&x, &[], false);
        }
        text += &joint("2026-10-16", "隋凯春");
        text += &joint("2026-10-19", "隋凯春、崔萍红");
        let all = findings(&fixture(&text, "2026-10-19").ctx());
        assert_eq!(summary(&all), [("合成检查未会同管理中心经理".to_string(), State::Breach, Some(d("2026-10-18")))]);
        assert!(all[0].why.contains("2026-10-12 至 2026-10-18"), "{}", all[0].why);
    }

    #[test]
    fn compliance_counts_a_week_in_the_month_of_its_sunday() {
        // Full checks Mon 09-28 … Sun 10-04, the joint one on Fri 10-02 (国庆).
        let mut text = String::new();
        for x in days("2026-09-28", "2026-10-04") {
            text += &day(&x, &[], false);
        }
        text += &joint("2026-10-02", "隋凯春、崔萍红");
        let mut fx = fixture(&text, "2026-10-31");
        let october = compliance(&fx.ctx(), d("2026-10-01"), d("2026-10-31"));
        let stats = |a, b, c, e| QualityStats {
            daily_required: a,
            daily_done: b,
            weekly_required: c,
            weekly_done: e,
            calendar_gap: None,
        };
        // 31 days × 5 slots, 4 days done; Sundays 10-04, 10-11, 10-18, 10-25 (11-01 is November's).
        assert_eq!(october, stats(155, 20, 4, 1));
        // 30 days × 5, 09-28–09-30 done; Sundays 09-06, 13, 20, 27; the straddling week is October's.
        assert_eq!(compliance(&fx.ctx(), d("2026-09-01"), d("2026-09-30")), stats(150, 15, 4, 0));
        // Working days only: October 2026 has 18 (10-01–10-07 off, 10-10 worked, 6 weekend days
        // off), none of them among 10-01–10-04; every week has a working day.
        fx.params.quality.inspect_on_rest_days = false;
        assert_eq!(compliance(&fx.ctx(), d("2026-10-01"), d("2026-10-31")), stats(90, 0, 4, 1));
        // Not past the run date.
        assert_eq!(compliance(&fx.ctx(), d("2026-10-01"), d("2026-12-31")).daily_required, 90);
    }

    #[test]
    fn a_2027_day_is_a_calendar_gap_when_working_days_matter() {
        let mut text = String::new();
        for x in days("2026-12-28", "2026-12-31") {
            text += &day(&x, &[], false);
        }
        let mut fx = fixture(&text, "2027-01-04");
        // By default every day counts and no calendar is needed: 01-01–01-03 missed, 01-04 open.
        let all = findings(&fx.ctx());
        assert_eq!(
            all.iter()
                .filter(|f| f.state == State::Breach && f.what.starts_with("缺") && f.what.ends_with("日检"))
                .count(),
            15
        );
        fx.params.quality.inspect_on_rest_days = false;
        let all = findings(&fx.ctx());
        let gaps: Vec<_> = all.iter().filter(|f| f.why.contains("2027 年的放假安排尚未录入")).collect();
        assert_eq!(gaps.len(), 1, "{:#?}", summary(&all));
        assert_eq!((gaps[0].state, gaps[0].register), (State::Unknown, None));
        // The week 12-28–01-03 is due (12-28 is worked) and was missed.
        assert_eq!(of(&all, "缺每周合成品质检查").iter().map(|f| f.due).collect::<Vec<_>>(), [Some(d("2027-01-03"))]);
        assert_eq!(all.len(), 2, "{:#?}", summary(&all));
        let s = compliance(&fx.ctx(), d("2027-01-01"), d("2027-01-31"));
        assert_eq!((s.daily_required, s.calendar_gap.map(|e| e.year)), (0, Some(2027)));
    }

    fn notice(no: &str, by: &str, done: &str, recheck: &str) -> String {
        let mut s = format!(
            "- 编号: {no}\n  受检部门: 工程部\n  检查日期: \"2026-10-08\"\n  检查人: 隋凯春\n  检查类别: 品质管理员日检\n  检查区域: 地下车场\n  检查项目: 地下车场\n  存在问题: 照明损坏\n  整改要求: 更换灯具\n  签发日期: \"2026-10-08\"\n  整改期限: \"{by}\"\n  签发人: 隋凯春\n  责任部门接收人: 刘工\n"
        );
        if !done.is_empty() {
            s += &format!("  整改结果: 已更换\n  完成日期: \"{done}\"\n");
        }
        if let Some((day, result)) = recheck.split_once(' ') {
            s += &format!("  复查日期: \"{day}\"\n  复查结果: {result}\n");
        }
        s
    }

    #[test]
    fn rectifications_open_overdue_and_late() {
        let notices = [
            notice("ZG2610-001", "2026-10-10", "2026-10-09", "2026-10-10 已整改"),
            notice("ZG2610-002", "2026-10-10", "2026-10-13", "2026-10-13 已整改"),
            notice("ZG2610-003", "2026-10-10", "", "2026-10-10 未整改"),
            notice("ZG2610-004", "2026-11-02", "", ""),
        ]
        .concat();
        let failed = |no: &str, by: &str| {
            let extra =
                if no.is_empty() { String::new() } else { format!("  整改单号: {no}\n  整改期限: \"{by}\"\n") };
            check("2026-10-08", QA_CHECK, "隋凯春", "工程部", &format!("{extra}  # 不合格\n"))
        };
        let checks = [failed("ZG2610-001", "2026-10-10"), failed("", ""), failed("ZG2610-009", "2026-10-09")].concat();
        let fx = Fixture::new(&[(CHECKS, &checks), (NOTICES, &notices)], &STAFF, "2026-10-31");
        let all = findings(&fx.ctx());
        let late = of(&all, "品质整改逾期完成");
        assert_eq!(late.len(), 1);
        assert_eq!(
            (late[0].register, late[0].row, late[0].days_overdue(d("2026-10-31"))),
            (Some(crate::model::RegisterId::Form(11)), Some(1), 3)
        );
        assert_eq!(late[0].owner.as_deref(), Some("刘工"));
        let overdue = of(&all, "品质整改逾期未完成");
        let ids: Vec<_> = overdue.iter().map(|f| (f.register, f.row, f.days_overdue(d("2026-10-31")))).collect();
        use crate::model::RegisterId::Form;
        // 11's 003 (21 days); 10's ZG2610-009, which form 11 lacks (22 days).
        assert_eq!(ids, [(Some(Form(11)), Some(2), 21), (Some(Form(10)), Some(2), 22)]);
        assert!(overdue[0].why.contains("2026-10-10 复查未整改"), "{}", overdue[0].why);
        assert_eq!(of(&all, "品质整改待完成").iter().map(|f| f.row).collect::<Vec<_>>(), [Some(3)]);
        let no_notice = of(&all, "不合格项未开具整改通知单");
        assert_eq!((no_notice.len(), no_notice[0].row, no_notice[0].state), (1, Some(1), State::Breach));
    }
}
