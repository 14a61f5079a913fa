//! 月度报告-YYYY-MM.pdf: the KPIs with numerator, denominator and the change against last month,
//! charts drawn in typst, complaint statistics (form 20), open and overdue items, visit opinions
//! with the public replies to common ones (走访 3.4.4), hot water, tennis, and the other registers
//! in brief. Reads the same computed values as the workbook.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::commands::session::Session;
use crate::error::Error;
use crate::forms::FieldType;
use crate::render::{Job, PdfFlavor, Typesetter};
use crate::text::chinese_date;

use super::Month;
use super::registers::{Printed, rows_in_month};
use crate::rules::kpi::percent;

const TEMPLATE: &str = "/monthly.typ";

/// At most this many open items are printed (the workbook lists all).
const DEADLINE_ROWS: usize = 40;

#[derive(Serialize)]
struct KpiRow {
    name: String,
    numerator: String,
    denominator: String,
    value: String,
    previous: String,
    change: String,
    target: String,
    /// `good`, `bad` or empty.
    mark: &'static str,
    /// How many records its counts could not include for their errors, as a note; or empty.
    excluded: String,
}

#[derive(Serialize)]
struct Bar {
    label: String,
    values: Vec<f64>,
    texts: Vec<String>,
}

#[derive(Serialize)]
struct Chart {
    title: String,
    series: Vec<String>,
    bars: Vec<Bar>,
    /// Values are fractions shown as percent.
    percent: bool,
}

#[derive(Serialize)]
struct Opinion {
    text: String,
    count: usize,
    rooms: String,
    reply: String,
}

#[derive(Serialize)]
struct View {
    title: String,
    company: String,
    estate: String,
    department: String,
    month: String,
    printed: String,
    kpis: Vec<KpiRow>,
    charts: Vec<Chart>,
    form20_code: String,
    form20_file: String,
    form20: Vec<Vec<String>>,
    overdue: usize,
    open: usize,
    deadlines: Vec<Vec<String>>,
    deadline_more: usize,
    opinion_kinds: Vec<(String, usize)>,
    opinions: Vec<Opinion>,
    hot_water: Vec<(String, String)>,
    tennis: Vec<(String, String)>,
    brief: Vec<(String, String, usize)>,
    registers: Vec<(String, usize, usize, String)>,
    notes: Vec<String>,
    /// Records left out for their errors: one sentence for the first page, and the list.
    notice: String,
    problems: Vec<crate::render::problem_list::Line>,
    problems_more: usize,
}

/// The data problems printed in the report; the rest are in the list's workbook.
const PROBLEM_ROWS: usize = 40;

fn number(n: i64, money: bool) -> String {
    if money { format!("{} 元", crate::parse::money::format_fen(n)) } else { n.to_string() }
}

/// The report's bytes and page count.
pub fn write(session: &Session, m: &Month<'_>, printed: &[Printed], t: &Typesetter) -> Result<(Vec<u8>, usize), Error> {
    let view = view(session, m, printed);
    let job = Job {
        template: TEMPLATE,
        data: &view,
        date: session.as_of,
        ident: format!("kefu/monthly/{}", m.month),
        flavor: PdfFlavor::Plain,
    };
    let typeset = t.typeset(&job)?;
    typeset.refuse_missing_glyphs(&session.input, "月度报告", "无法印出；请核对台帐中的这个字")?;
    let pages = typeset.document.pages().len();
    Ok((t.export(&typeset.document, &job, None)?, pages))
}

fn view(session: &Session, m: &Month<'_>, printed: &[Printed]) -> View {
    let cfg = &session.config;
    let month = m.month;
    let kpis = kpi_rows(m);
    let charts = charts(m);
    let form20 = form20_rows(m);
    let lines = &m.deadline_lines;
    let deadlines = deadline_rows(lines);
    let (opinion_kinds, opinions) = opinions(m);
    let prefix = &cfg.document_control.form_prefix;
    let f20 = printed.iter().find(|p| p.number == 20);
    let problems = crate::render::problem_list::lines(m.ctx.excluded, m.ctx.forms);
    let mut notes = Vec::new();
    if let Some(y) = m.counts.calendar_gap {
        notes.push(format!("工作日日历缺少 {y} 年，品质检查的应做次数未计入该年的日期。"));
    }
    View {
        title: format!("{}{}{}年{}月月度报告", cfg.estate, cfg.department, month.year, month.month),
        company: cfg.company.clone(),
        estate: cfg.estate.clone(),
        department: cfg.department.clone(),
        month: format!("{}年{}月", month.year, month.month),
        printed: chinese_date(session.as_of),
        kpis,
        charts,
        form20_code: format!("{prefix}-20"),
        form20_file: f20.map(|p| p.file.clone()).unwrap_or_default(),
        form20,
        overdue: m.deadlines.overdue(),
        open: m.deadlines.items.len() - m.deadlines.overdue(),
        deadlines,
        deadline_more: lines.len().saturating_sub(DEADLINE_ROWS),
        opinion_kinds,
        opinions,
        hot_water: hot_water(m),
        tennis: tennis(m),
        brief: brief(session, m),
        registers: printed
            .iter()
            .map(|p| (format!("{prefix}-{:02} {}", p.number, p.title), p.records, p.pages, p.file.clone()))
            .collect(),
        notes,
        notice: crate::render::problem_list::notice(m.ctx.excluded, m.ctx.forms),
        problems: problems.iter().take(PROBLEM_ROWS).cloned().collect(),
        problems_more: problems.len().saturating_sub(PROBLEM_ROWS),
    }
}

/// `另有 3 条记录因数据有误未计入` when records of the counts' registers were left out.
fn excluded_note(m: &Month<'_>, keys: &[&str]) -> String {
    let mut registers: Vec<crate::model::RegisterId> =
        keys.iter().flat_map(|k| crate::rules::kpi::counts::registers_of(k)).collect();
    registers.sort();
    registers.dedup();
    let n: usize = registers.iter().map(|r| m.ctx.excluded.count(*r)).sum();
    if n == 0 { String::new() } else { format!("另有 {n} 条记录因数据有误未计入") }
}

/// The KPI table: each KPI with its numerator, denominator, last month, change and target.
fn kpi_rows(m: &Month<'_>) -> Vec<KpiRow> {
    m.kpis
        .iter()
        .map(|k| KpiRow {
            name: k.name.clone(),
            numerator: format!("{} {}", k.numerator_label, number(k.numerator, k.money)),
            denominator: format!("{} {}", k.denominator_label, number(k.denominator, k.money)),
            value: percent(k.value),
            previous: percent(k.previous),
            change: k.change_points().map(|p| format!("{p:+.1}")).unwrap_or_else(|| "—".to_string()),
            target: k.target.map(|t| format!("{}{t}%", if k.lower_is_better { "≤" } else { "≥" })).unwrap_or_default(),
            mark: match k.met() {
                Some(true) => "good",
                Some(false) => "bad",
                None => "",
            },
            excluded: excluded_note(m, &[&k.numerator_key, &k.denominator_key]),
        })
        .collect()
}

/// The four charts: complaints by category, visits and repairs per week, the collection rate.
fn charts(m: &Month<'_>) -> Vec<Chart> {
    vec![
        Chart {
            title: "投诉分类（件）".to_string(),
            series: vec!["投诉总数".to_string()],
            bars: m
                .form20
                .rows
                .iter()
                .map(|r| Bar {
                    label: r.category.to_string(),
                    values: vec![f64::from(r.total)],
                    texts: vec![r.total.to_string()],
                })
                .collect(),
            percent: false,
        },
        Chart {
            title: "每周走访：计划与实际（户次）".to_string(),
            series: vec!["计划".to_string(), "实际".to_string()],
            bars: m
                .visit_weeks
                .iter()
                .map(|(f, t, p, d)| Bar {
                    label: week(*f, *t),
                    values: vec![*p as f64, *d as f64],
                    texts: vec![p.to_string(), d.to_string()],
                })
                .collect(),
            percent: false,
        },
        Chart {
            title: "物业费收缴率（按月）".to_string(),
            series: vec!["收缴率".to_string()],
            bars: m
                .collection
                .iter()
                .map(|(mo, paid, due)| {
                    let v = (*due != 0).then(|| *paid as f64 / *due as f64);
                    Bar { label: format!("{}月", mo.month), values: vec![v.unwrap_or(0.0)], texts: vec![percent(v)] }
                })
                .collect(),
            percent: true,
        },
        Chart {
            title: "每周维修：报修与时限内完成（件）".to_string(),
            series: vec!["报修".to_string(), "时限内".to_string()],
            bars: m
                .repair_weeks
                .iter()
                .map(|(f, t, r, o)| Bar {
                    label: week(*f, *t),
                    values: vec![*r as f64, *o as f64],
                    texts: vec![r.to_string(), o.to_string()],
                })
                .collect(),
            percent: false,
        },
    ]
}

/// A week's label on a chart: `10/5–10/11`.
fn week(from: chrono::NaiveDate, to: chrono::NaiveDate) -> String {
    format!("{}–{}", from.format("%-m/%-d"), to.format("%-m/%-d"))
}

/// Form 20's table: a row per complaint category and the total.
fn form20_rows(m: &Month<'_>) -> Vec<Vec<String>> {
    let all = m.form20.total.total;
    m.form20
        .rows
        .iter()
        .chain(std::iter::once(&m.form20.total))
        .map(|r| {
            vec![
                r.category.to_string(),
                r.total.to_string(),
                r.valid.to_string(),
                r.invalid.to_string(),
                format!("{}/{}/{}", r.level_normal, r.level_major, r.level_urgent),
                r.closed.to_string(),
                r.on_time_rate(),
                r.visited.to_string(),
                r.satisfaction_rate(),
                r.share(all),
            ]
        })
        .collect()
}

/// The open items printed: the first [`DEADLINE_ROWS`].
fn deadline_rows(lines: &[crate::render::due_list::Line]) -> Vec<Vec<String>> {
    lines
        .iter()
        .take(DEADLINE_ROWS)
        .map(|l| {
            vec![
                l.state.clone(),
                l.due.clone(),
                l.overdue.clone(),
                l.what.clone(),
                l.rule.clone(),
                l.room.clone(),
                l.owner.clone(),
            ]
        })
        .collect()
}

/// Visit opinions of the month (form 08) by 问题性质, and the common ones (共性问题) grouped by
/// their text with the reply given — published for all (走访 3.4.4); rooms, never names.
fn opinions(m: &Month<'_>) -> (Vec<(String, usize)>, Vec<Opinion>) {
    let Some(form) = m.ctx.forms.get(8) else { return (Vec::new(), Vec::new()) };
    let Some(v) = m.ctx.form(8) else { return (Vec::new(), Vec::new()) };
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    let mut common: BTreeMap<String, (usize, Vec<String>, String)> = BTreeMap::new();
    for r in rows_in_month(m, form) {
        let kind = v.text(r, "issue_kind").unwrap_or("未填").to_string();
        *kinds.entry(kind.clone()).or_default() += 1;
        if kind == "共性问题" {
            let text = v.text(r, "needs").or(v.text(r, "other_suggestions")).unwrap_or("").trim().to_string();
            if text.is_empty() {
                continue;
            }
            let e = common.entry(text).or_default();
            e.0 += 1;
            if let Some(room) = v.room(r, "room") {
                e.1.push(room.to_string());
            }
            if e.2.is_empty() {
                e.2 = v.text(r, "handling").unwrap_or("").to_string();
            }
        }
    }
    let order = ["无问题", "个别问题", "共性问题", "疑难问题"];
    let mut kinds: Vec<(String, usize)> = kinds.into_iter().collect();
    kinds.sort_by_key(|(k, _)| order.iter().position(|o| o == k).unwrap_or(order.len()));
    let mut list: Vec<Opinion> = common
        .into_iter()
        .map(|(text, (count, mut rooms, reply))| {
            rooms.sort();
            rooms.dedup();
            let shown = if rooms.len() > 6 {
                format!("{} 等 {} 户", rooms[..6].join("、"), rooms.len())
            } else {
                rooms.join("、")
            };
            Opinion { text, count, rooms: shown, reply }
        })
        .collect();
    list.sort_by(|a, b| b.count.cmp(&a.count).then(a.text.cmp(&b.text)));
    list.truncate(12);
    (kinds, list)
}

fn hot_water(m: &Month<'_>) -> Vec<(String, String)> {
    let (Some(form), Some(v)) = (m.ctx.forms.get(12), m.ctx.form(12)) else { return Vec::new() };
    let rows = rows_in_month(m, form);
    if rows.is_empty() {
        return vec![("本月抄表".to_string(), "无记录".to_string())];
    }
    let money = |r: usize, k: &str| v.value(r, k).and_then(|x| x.money()).unwrap_or(0);
    let usage: f64 = rows
        .iter()
        .filter_map(|&r| match v.value(r, "usage") {
            Some(crate::model::Value::Decimal(x)) => Some(x),
            Some(crate::model::Value::Integer(n)) => Some(n as f64),
            _ => None,
        })
        .sum();
    let notices = rows.iter().filter(|&&r| money(r, "amount_due") > 0).count();
    let renewed: Vec<usize> = rows.iter().copied().filter(|&r| v.date(r, "renewed_on").is_some()).collect();
    let renewed_sum: i64 = renewed.iter().map(|&r| money(r, "renewed_amount")).sum();
    let unit = m
        .ctx
        .forms
        .get(12)
        .and_then(|f| f.fields.iter().find(|f| f.key == "usage"))
        .and_then(|f| f.unit.clone())
        .unwrap_or_default();
    vec![
        ("抄表户数".to_string(), format!("{} 户", rows.len())),
        ("用量合计".to_string(), format!("{usage:.2} {unit}")),
        ("发出续费通知".to_string(), format!("{notices} 份")),
        ("已续费".to_string(), format!("{} 户，{} 元", renewed.len(), crate::parse::money::format_fen(renewed_sum))),
    ]
}

fn tennis(m: &Month<'_>) -> Vec<(String, String)> {
    let (Some(form), Some(v)) = (m.ctx.forms.get(13), m.ctx.form(13)) else { return Vec::new() };
    let rows = rows_in_month(m, form);
    let players: i64 = rows.iter().filter_map(|&r| v.int(r, "players")).sum();
    let amount: i64 = rows.iter().filter_map(|&r| v.value(r, "amount").and_then(|x| x.money())).sum();
    let minutes: i64 = rows
        .iter()
        .filter_map(|&r| {
            let t = |k: &str| match v.value(r, k) {
                Some(crate::model::Value::Time(t)) => Some(t),
                _ => None,
            };
            Some((t("end_time")? - t("start_time")?).num_minutes())
        })
        .sum();
    let changed = rows.iter().filter(|&&r| v.datetime(r, "changed_at").is_some()).count();
    vec![
        ("订场".to_string(), format!("{} 场次，共 {:.1} 小时", rows.len(), minutes as f64 / 60.0)),
        ("入场人数".to_string(), format!("{players} 人次")),
        ("收费".to_string(), format!("{} 元", crate::parse::money::format_fen(amount))),
        ("改场".to_string(), format!("{changed} 次")),
    ]
}

/// Keys, cards, deposits, seal use and community activities: records in the month.
fn brief(session: &Session, m: &Month<'_>) -> Vec<(String, String, usize)> {
    let prefix = &session.config.document_control.form_prefix;
    [14u8, 22, 23, 24, 25, 26, 27, 28, 31]
        .iter()
        .filter_map(|&n| {
            let form = session.forms.get(n)?;
            let has_date = form.fields.iter().any(|f| matches!(f.ty, FieldType::Date | FieldType::Datetime));
            has_date.then(|| (format!("{prefix}-{n:02}"), form.title.clone(), rows_in_month(m, form).len()))
        })
        .collect()
}
