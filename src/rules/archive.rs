//! 业主档案建立、管理规程 3.1 and 3.3: owner archives built within one working day of move-in,
//! and later documents filed within one working day, checked against the archive manager's
//! filing log (form 05 业主档案卷内目录).
//!
//! Input: a [`Context`] — form 05, the rooms ledger's 入住日期, and the registers whose records
//! are archive documents ([`Params::documents`]). Output: [`Finding`]s. Without form 05 there is
//! nothing to check against and no finding. A deadline that needs a year the calendar does not
//! list gives one calendar-gap finding per year instead of a guess. What each archive must
//! contain and who must sign (3.1.1, 3.1.2) is checked elsewhere; here only the deadlines.
//!
//! Matching a register record to the log (3.3): a 05 row archives a record when it is in the
//! same room's volume and either its 文件编号 or 文件题名 contains the record's own number
//! (维修单号, 联系单号, 投诉处理书编号), or its 文件题名 names the document (one of the configured
//! titles, or `客服记录-NN`) and its 日期 is the record's date. Numbers are matched first; each
//! 05 row archives at most one record.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Context, Finding, State, UnknownYear, View, calendar_gap, deadline_state};
use crate::model::RegisterId;
use crate::parse::room::{RoomId, parse_room};

const PROCEDURE: &str = "业主档案建立、管理规程";

/// A register whose records belong in the owner's archive once complete (3.3).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ArchiveDocument {
    /// The form number, e.g. 16.
    pub form: u8,
    /// Field key of the room (a room field, or text holding a room such as 16's 维修地点).
    #[serde(default = "room_key")]
    pub room: String,
    /// Field key of the day the document is complete; the filing clock starts then.
    pub date: String,
    /// Field key of the document's own number, written into 文件编号 or 文件题名.
    #[serde(default)]
    pub number: Option<String>,
    /// Words of 文件题名 naming the document.
    pub titles: Vec<String>,
}

fn room_key() -> String {
    "room".to_string()
}

/// Parameters of 业主档案建立、管理规程; defaults are the manual's numbers.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Params {
    /// 3.1 业主档案的建立（一个工作日内完成）: working days after 入住日期 for the 立卷日期.
    pub build_working_days: u32,
    /// 3.3 业主档案的更新（一个工作日内完成）: working days after a document's date for its 归档日期.
    pub update_working_days: u32,
    /// 3.3 "一系列的申请、协议、维修单等": the registers whose records are filed in the archive.
    pub documents: Vec<ArchiveDocument>,
    /// 3.1.1 what every owner's archive contains, and (3.1.2) whether its signatures must be
    /// complete (签字齐全 in form 05): checked by `kefu archive`.
    pub required: Vec<RequiredDocument>,
}

/// A document every archive must hold (3.1.1), found in form 05 by its 文件题名.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RequiredDocument {
    /// Words of 文件题名 naming it, e.g. 业主临时公约.
    pub title: String,
    /// 3.1.2: the signatures it needs must all be there (签字齐全 = 是).
    #[serde(default)]
    pub signed: bool,
}

impl Default for Params {
    fn default() -> Params {
        let doc = |form: u8, room: &str, date: &str, number: Option<&str>, titles: &[&str]| ArchiveDocument {
            form,
            room: room.to_string(),
            date: date.to_string(),
            number: number.map(str::to_string),
            titles: titles.iter().map(|t| t.to_string()).collect(),
        };
        Params {
            build_working_days: 1,
            update_working_days: 1,
            documents: vec![
                doc(3, "room", "inspected_on", None, &["房屋验收单", "验房单"]),
                doc(16, "location", "completed_at", Some("order_no"), &["工程部维修单", "维修单"]),
                doc(17, "room", "completed_on", Some("contact_no"), &["部门工作联系单", "联系单"]),
                doc(19, "room", "closed_on", Some("doc_no"), &["投诉处理书"]),
                doc(29, "room", "signed_on", None, &["租赁合同", "代理出租", "代理出售", "买卖合同"]),
            ],
            required: [
                ("入住通知单", false),
                ("购房合同", false),
                ("户型图", false),
                ("身份证复印件", false),
                // 3.1.2: 入住手续 — 资料组、协议组、收款组、钥匙组、验房组负责人签字.
                ("入住手续", true),
                ("业主自然情况登记表", false),
                // 业主临时公约: 必须有业主签字.
                ("业主临时公约", true),
                // 装修管理规定: 业主办理装修申请时签字.
                ("装修管理协议", true),
                // 业主入住资料及物品领取确认书: 业主及物业经办人签字.
                ("物品领取确认书", true),
                // 房屋验收单: 业主及物业经办人签字.
                ("房屋验收单", true),
            ]
            .into_iter()
            .map(|(title, signed)| RequiredDocument { title: title.to_string(), signed })
            .collect(),
        }
    }
}

/// Years the calendar lacks, one finding each per clause.
#[derive(Default)]
struct Gaps(BTreeMap<(&'static str, i32), UnknownYear>);

impl Gaps {
    fn note(&mut self, clause: &'static str, e: UnknownYear) {
        self.0.entry((clause, e.year)).or_insert(e);
    }

    fn findings(self) -> impl Iterator<Item = Finding> {
        self.0.into_iter().map(|((clause, _), e)| calendar_gap(PROCEDURE, clause, "无法计算档案期限", &e))
    }
}

/// Form 05 by room: its rows, 立卷日期, 入住日期 and 立卷人.
struct Log<'a> {
    view: View<'a>,
    rooms: HashMap<RoomId, Volume<'a>>,
}

#[derive(Default)]
struct Volume<'a> {
    rows: Vec<usize>,
    filed: Option<NaiveDate>,
    checked_in: Option<NaiveDate>,
    archivist: Option<&'a str>,
}

impl<'a> Log<'a> {
    fn new(view: View<'a>) -> Log<'a> {
        let mut rooms: HashMap<RoomId, Volume<'a>> = HashMap::new();
        let (reg, col) = (view.reg, |key: &str| view.col(key));
        let (Some(room_col), filed, checked_in, archivist) =
            (col("room"), col("filed_on"), col("checked_in_on"), col("archivist_signature"))
        else {
            return Log { view, rooms };
        };
        let date = |row: usize, c: Option<usize>| c.and_then(|c| reg.date(row, c));
        for row in view.rows() {
            let Some(room) = reg.room(row, room_col) else { continue };
            let v = rooms.entry(room).or_default();
            v.rows.push(row);
            let min = |a: Option<NaiveDate>, b: Option<NaiveDate>| a.into_iter().chain(b).min();
            v.filed = min(v.filed, date(row, filed));
            v.checked_in = min(v.checked_in, date(row, checked_in));
            if v.archivist.is_none() {
                v.archivist = archivist.and_then(|c| reg.text(row, c));
            }
        }
        Log { view, rooms }
    }
}

/// Every finding of 业主档案建立、管理规程 3.1 and 3.3.
pub fn findings(ctx: &Context<'_>) -> Vec<Finding> {
    let Some(view) = ctx.form(5) else { return Vec::new() };
    let log = Log::new(view);
    let moved_in = move_in_days(ctx, &log);
    let mut gaps = Gaps::default();
    let mut out = Vec::new();
    building(ctx, &log, &moved_in, &mut gaps, &mut out);
    filing(ctx, &log, &moved_in, &mut gaps, &mut out);
    unfiled(ctx, &log, &moved_in, &mut gaps, &mut out);
    out.extend(gaps.findings());
    out
}

/// 入住日期 of every room moved in by the run date: the rooms ledger, else form 05.
fn move_in_days(ctx: &Context<'_>, log: &Log<'_>) -> BTreeMap<RoomId, NaiveDate> {
    let mut out: BTreeMap<RoomId, NaiveDate> =
        ctx.data.rooms.iter().filter_map(|r| r.moved_in.map(|d| (r.id, d))).collect();
    for (room, v) in &log.rooms {
        if let Some(d) = v.checked_in {
            out.entry(*room).or_insert(d);
        }
    }
    out.retain(|_, d| *d <= ctx.as_of);
    out
}

/// 3.1: the 立卷日期 of each moved-in room within one working day of 入住日期.
fn building(
    ctx: &Context<'_>,
    log: &Log<'_>,
    moved_in: &BTreeMap<RoomId, NaiveDate>,
    gaps: &mut Gaps,
    out: &mut Vec<Finding>,
) {
    let n = ctx.params.archive.build_working_days;
    for (&room, &day) in moved_in {
        let due = match ctx.calendar.add_working_days(day, n) {
            Ok(d) => d,
            Err(e) => {
                gaps.note("3.1", e);
                continue;
            }
        };
        let volume = log.rooms.get(&room);
        let filed = volume.and_then(|v| v.filed);
        if volume.is_some() && filed.is_none() {
            continue; // listed without a 立卷日期: the loader reports the empty required cell
        }
        let Some(state) = deadline_state(due, filed, ctx.as_of) else { continue };
        let (what, why) = match filed {
            Some(f) => (
                "业主档案逾期建立",
                format!(
                    "{room} 于 {day} 办理入住，档案应在 {n} 个工作日内（{due} 前）建立，立卷日期为 {f}（业主档案建立、管理规程 3.1）"
                ),
            ),
            None if state == State::Overdue => (
                "档案未建立",
                format!(
                    "{room} 于 {day} 办理入住，档案应在 {n} 个工作日内（{due} 前）建立，至 {} 卷内目录中没有该户（业主档案建立、管理规程 3.1）",
                    ctx.as_of
                ),
            ),
            None => (
                "建立业主档案",
                format!("{room} 于 {day} 办理入住，档案应在 {due} 前建立（业主档案建立、管理规程 3.1）"),
            ),
        };
        let row = volume.and_then(|v| v.rows.first().copied());
        out.push(
            Finding::new(PROCEDURE, "3.1", what, state, why)
                .room(room)
                .due(due)
                .register(row.map(|_| log.view.id))
                .row(row)
                .done(filed)
                .owner(volume.and_then(|v| v.archivist).unwrap_or("档案管理员").to_string()),
        );
    }
}

/// 3.3: each later document of the log filed within one working day of its date. Documents
/// dated on or before 入住日期 came with the move-in papers and are judged by 3.1.
fn filing(
    ctx: &Context<'_>,
    log: &Log<'_>,
    moved_in: &BTreeMap<RoomId, NaiveDate>,
    gaps: &mut Gaps,
    out: &mut Vec<Finding>,
) {
    let v = log.view;
    let n = ctx.params.archive.update_working_days;
    let (doc_date, archived_on) = (v.col("doc_date"), v.col("archived_on"));
    for (&room, volume) in &log.rooms {
        let start = moved_in.get(&room).copied().or(volume.checked_in);
        for &row in &volume.rows {
            let Some(date) = doc_date.and_then(|c| v.reg.date(row, c)) else { continue };
            if start.is_some_and(|s| date <= s) {
                continue;
            }
            let due = match ctx.calendar.add_working_days(date, n) {
                Ok(d) => d,
                Err(e) => {
                    gaps.note("3.3", e);
                    continue;
                }
            };
            let done = archived_on.and_then(|c| v.reg.date(row, c));
            let Some(state) = deadline_state(due, done, ctx.as_of) else { continue };
            let title = v.text(row, "doc_title").unwrap_or("文件");
            let (what, why) = match done {
                Some(a) => (
                    "新文件逾期归档",
                    format!(
                        "{room} 的「{title}」日期 {date}，应在 {n} 个工作日内（{due} 前）归档，归档日期为 {a}（业主档案建立、管理规程 3.3）"
                    ),
                ),
                None => (
                    "卷内目录缺归档日期",
                    format!(
                        "{room} 的「{title}」日期 {date}，应在 {due} 前归档，卷内目录未填写归档日期（业主档案建立、管理规程 3.3）"
                    ),
                ),
            };
            out.push(
                Finding::new(PROCEDURE, "3.3", what, state, why)
                    .room(room)
                    .due(due)
                    .register(v.id)
                    .row(row)
                    .done(done)
                    .owner(v.text(row, "archivist_signature").or(volume.archivist).unwrap_or("档案管理员").to_string()),
            );
        }
    }
}

/// One record of another register that belongs in an owner's archive.
struct Document<'a> {
    register: RegisterId,
    row: usize,
    room: RoomId,
    date: NaiveDate,
    number: Option<&'a str>,
    config: &'a ArchiveDocument,
    title: &'a str,
    /// `客服记录-NN`, the form's number as 文件题名 may give it.
    code: &'static str,
}

/// `客服记录-NN` for form NN.
fn form_code(form: u8) -> &'static str {
    static CODES: std::sync::LazyLock<Vec<String>> =
        std::sync::LazyLock::new(|| (0..=u8::MAX).map(|n| format!("客服记录-{n:02}")).collect());
    &CODES[usize::from(form)]
}

/// The archive documents of every configured register, for rooms with an archive.
fn documents<'a>(ctx: &Context<'a>, log: &Log<'_>) -> (Vec<Document<'a>>, Vec<Finding>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for config in &ctx.params.archive.documents {
        let Some(view) = ctx.form(config.form) else { continue };
        let keys = [Some(&config.room), Some(&config.date), config.number.as_ref()];
        if let Some(bad) = keys.into_iter().flatten().find(|k| view.col(k).is_none()) {
            problems.push(config_problem(config.form, bad));
            continue;
        }
        let title = ctx.forms.get(config.form).map_or("", |f| f.title.as_str());
        let code = form_code(config.form);
        for row in view.rows() {
            let room =
                view.room(row, &config.room).or_else(|| view.text(row, &config.room).and_then(|t| parse_room(t).ok()));
            let (Some(room), Some(date)) = (room, view.date(row, &config.date)) else { continue };
            if !log.rooms.contains_key(&room) || date > ctx.as_of {
                continue;
            }
            let number =
                config.number.as_deref().and_then(|k| view.text(row, k)).map(str::trim).filter(|s| !s.is_empty());
            out.push(Document { register: view.id, row, room, date, number, config, title, code });
        }
    }
    out.sort_by_key(|d| (d.date, d.register, d.row));
    (out, problems)
}

fn config_problem(form: u8, key: &str) -> Finding {
    Finding::new(
        PROCEDURE,
        "3.3",
        "档案文件配置有误",
        State::Breach,
        format!("kefu.yaml 的 rules.archive.documents 中，表单 {form:02} 没有字段 `{key}`，该表单的文件未核对是否归档"),
    )
    .register(RegisterId::Form(form))
}

/// The columns of form 05 that matching reads (looked up once, not per row).
#[derive(Clone, Copy)]
struct LogColumns {
    title: Option<usize>,
    number: Option<usize>,
    date: Option<usize>,
}

impl LogColumns {
    fn of(v: View<'_>) -> LogColumns {
        LogColumns { title: v.col("doc_title"), number: v.col("doc_no"), date: v.col("doc_date") }
    }
}

/// Whether log row `row` archives document `doc`: by its number, or by title and date.
fn archives(v: View<'_>, cols: LogColumns, row: usize, doc: &Document<'_>, by_number: bool) -> bool {
    let title = cols.title.and_then(|c| v.reg.text(row, c)).unwrap_or("");
    if by_number {
        let Some(no) = doc.number else { return false };
        return cols.number.and_then(|c| v.reg.text(row, c)).is_some_and(|t| t.contains(no)) || title.contains(no);
    }
    if cols.date.and_then(|c| v.reg.date(row, c)) != Some(doc.date) {
        return false;
    }
    title.contains(doc.code) || doc.config.titles.iter().any(|t| !t.is_empty() && title.contains(t.as_str()))
}

/// 3.3: documents in other registers that the log does not list one working day after their date.
fn unfiled(
    ctx: &Context<'_>,
    log: &Log<'_>,
    moved_in: &BTreeMap<RoomId, NaiveDate>,
    gaps: &mut Gaps,
    out: &mut Vec<Finding>,
) {
    let (docs, problems) = documents(ctx, log);
    out.extend(problems);
    let mut used: HashMap<RoomId, Vec<bool>> =
        log.rooms.iter().map(|(room, v)| (*room, vec![false; v.rows.len()])).collect();
    let mut matched = vec![false; docs.len()];
    let cols = LogColumns::of(log.view);
    for by_number in [true, false] {
        for (i, doc) in docs.iter().enumerate() {
            if matched[i] {
                continue;
            }
            let (Some(volume), Some(taken)) = (log.rooms.get(&doc.room), used.get_mut(&doc.room)) else { continue };
            let hit = volume.rows.iter().enumerate().position(|(k, &row)| {
                !taken.get(k).copied().unwrap_or(true) && archives(log.view, cols, row, doc, by_number)
            });
            if let Some(k) = hit {
                taken[k] = true;
                matched[i] = true;
            }
        }
    }
    let n = ctx.params.archive.update_working_days;
    for (doc, _) in docs.iter().zip(&matched).filter(|(_, m)| !**m) {
        // A room moved in later than the document (a vacant-room repair) has no archive yet for it.
        if moved_in.get(&doc.room).is_some_and(|m| doc.date < *m) {
            continue;
        }
        let due = match ctx.calendar.add_working_days(doc.date, n) {
            Ok(d) => d,
            Err(e) => {
                gaps.note("3.3", e);
                continue;
            }
        };
        let Some(state) = deadline_state(due, None, ctx.as_of) else { continue };
        let name = match doc.number {
            Some(no) => format!("{}（{no}）", doc.title),
            None => doc.title.to_string(),
        };
        let (what, tail) = if state == State::Overdue {
            ("新文件未归档", format!("至 {} 业主档案卷内目录中没有这份文件", ctx.as_of))
        } else {
            ("新文件待归档", "尚未列入业主档案卷内目录".to_string())
        };
        let why = format!(
            "{} 的{name}日期 {}，应在 {n} 个工作日内（{due} 前）归入业主档案，{tail}（业主档案建立、管理规程 3.3）",
            doc.room, doc.date
        );
        out.push(
            Finding::new(PROCEDURE, "3.3", what, state, why)
                .room(doc.room)
                .due(due)
                .register(doc.register)
                .row(doc.row)
                .owner(log.rooms.get(&doc.room).and_then(|v| v.archivist).unwrap_or("档案管理员").to_string()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::{Fixture, d, rooms};

    /// One 05 row: (room, 入住日期, 立卷日期, 文件编号, 文件题名, 日期, 归档日期).
    type Row<'a> = (&'a str, &'a str, &'a str, &'a str, &'a str, &'a str, Option<&'a str>);

    fn log(rows: &[Row<'_>]) -> String {
        let mut out = String::new();
        for (room, checked_in, filed, no, title, date, archived) in rows {
            out.push_str(&format!(
                "- 房号: {room}\n  业主姓名: 赵一\n  入住日期: {checked_in}\n  立卷日期: {filed}\n  立卷人: 周芳\n  文件编号: {no}\n  文件题名: {title}\n  日期: {date}\n  签字齐全: 是\n"
            ));
            if let Some(a) = archived {
                out.push_str(&format!("  归档日期: {a}\n"));
            }
        }
        out
    }

    const ORDERS: &str = "\
- 单号: WX2611-00001
  开单时间: 2026-11-06 09:00
  维修地点: 1-1-101
  报修内容: 马桶堵塞
  接收时间: 2026-11-06 09:02
  到场时间: 2026-11-06 09:10
  维修人员: 刘师傅
  人数: 1
  工时: 1
  完成时间: 2026-11-06 10:00
  业主验收签字: 赵一
- 单号: WX2610-00007
  开单时间: 2026-10-09 09:00
  维修地点: 1-1-102
  报修内容: 马桶堵塞
  接收时间: 2026-10-09 09:02
  到场时间: 2026-10-09 09:10
  维修人员: 刘师傅
  人数: 1
  工时: 1
  完成时间: 2026-10-09 10:00
  业主验收签字: 钱二
";

    const INSPECTIONS: &str = "\
- 房号: 1-1-102
  业主姓名: 钱二
  验房日期: 2026-09-30
  验房人员: 张慧
  验房项目: 客厅地面：合格
  是否需返修: 否
  业主签字: 钱二
  物业经办人签字: 张慧
- 房号: 1-1-101
  业主姓名: 赵一
  验房日期: 2026-10-31
  验房人员: 张慧
  验房项目: 客厅地面：合格
  是否需返修: 否
  业主签字: 赵一
  物业经办人签字: 张慧
";

    const RENTALS: &str = "\
- 登记日期: 2026-11-10
  租售: 出租
  房号: 1-1-201
  业主姓名: 孙三
  业主电话: \"13912345602\"
  委托日期: 2026-11-10
  签约日期: 2026-11-20
  经办人: 李娜
";

    fn fixture() -> Fixture {
        let ledger = rooms(&[
            ("1-1-101", "2026-05-10", Some("2026-10-30")), // Friday → Monday 11-02
            ("1-1-102", "2026-05-10", Some("2026-09-30")), // before 国庆 → Thursday 10-08
            ("1-1-201", "2026-05-10", Some("2026-09-30")),
            ("1-1-202", "2026-05-10", Some("2026-12-31")), // due in 2027: calendar gap
            ("1-1-301", "2026-05-10", Some("2026-12-01")), // no archive by 12-31
            ("1-1-302", "2026-05-10", Some("2026-12-30")), // due 12-31 = run date: open
            ("1-2-101", "2026-05-10", None),
        ]);
        let log = log(&[
            ("1-1-101", "2026-10-30", "2026-11-02", "1", "入住通知单", "2026-10-30", Some("2026-11-02")),
            ("1-1-101", "2026-10-30", "2026-11-02", "WX2611-00001", "工程部维修单", "2026-11-06", Some("2026-11-09")),
            ("1-1-102", "2026-09-30", "2026-10-08", "1", "入住通知单", "2026-09-30", Some("2026-10-08")),
            ("1-1-102", "2026-09-30", "2026-10-08", "10", "房屋验收单", "2026-09-30", Some("2026-10-08")),
            // The next working day after Friday 10-09 is Saturday 10-10 (调休): Monday is late.
            (
                "1-1-102",
                "2026-09-30",
                "2026-10-08",
                "11",
                "工程部维修单 WX2610-00007",
                "2026-10-09",
                Some("2026-10-12"),
            ),
            ("1-1-201", "2026-09-30", "2026-10-09", "1", "入住通知单", "2026-09-30", Some("2026-10-09")),
            ("1-1-201", "2026-09-30", "2026-10-09", "2", "装修申请", "2026-11-03", None),
        ]);
        Fixture::own_rooms(
            &[
                ("房屋及业主台帐.yaml", &ledger),
                ("05-业主档案卷内目录.yaml", &log),
                ("03-验房单.yaml", INSPECTIONS),
                ("16-工程部维修单.yaml", ORDERS),
                ("29-代理出租_出售记录表.yaml", RENTALS),
            ],
            d("2026-12-31"),
        )
    }

    fn summary(all: &[Finding]) -> Vec<(String, String, State, Option<NaiveDate>)> {
        let mut v: Vec<_> = all
            .iter()
            .map(|f| (f.room.map(|r| r.to_string()).unwrap_or_default(), f.what.clone(), f.state, f.due))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn deadlines_of_building_and_filing() {
        let f = fixture();
        let all = findings(&f.ctx());
        let s = |room: &str, what: &str, state, due: &str| (room.to_string(), what.to_string(), state, Some(d(due)));
        let mut want = vec![
            // 1-1-101: built Monday 11-02 for Friday 10-30 (in time); the 验房单 of Saturday 10-31 is
            // missing, due Monday 11-02; the 维修单 of Friday 11-06 filed Monday 11-09 (in time).
            s("1-1-101", "新文件未归档", State::Overdue, "2026-11-02"),
            // 1-1-102: built 10-08 for 09-30 (in time, 国庆); 维修单 of 10-09 filed 10-12, due 10-10.
            s("1-1-102", "新文件逾期归档", State::Late, "2026-10-10"),
            // 1-1-201: built 10-09, one working day late; a document without 归档日期; a lease of
            // Friday 11-20 not filed by Monday 11-23.
            s("1-1-201", "业主档案逾期建立", State::Late, "2026-10-08"),
            s("1-1-201", "卷内目录缺归档日期", State::Overdue, "2026-11-04"),
            s("1-1-201", "新文件未归档", State::Overdue, "2026-11-23"),
            s("1-1-301", "档案未建立", State::Overdue, "2026-12-02"),
            s("1-1-302", "建立业主档案", State::Open, "2026-12-31"),
        ];
        want.sort();
        let mut got = summary(&all);
        let gap = got.iter().position(|x| x.1 == "无法计算档案期限").expect("calendar gap");
        got.remove(gap);
        assert_eq!(got, want, "{all:#?}");
        let gap = all.iter().find(|x| x.what == "无法计算档案期限").expect("gap");
        assert!(gap.why.contains("2027 年的放假安排尚未录入"), "{}", gap.why);
        assert_eq!(gap.clause, "3.1");
        let late = all.iter().find(|x| x.what == "业主档案逾期建立").expect("late");
        assert_eq!((late.done, late.owner.as_deref()), (Some(d("2026-10-09")), Some("周芳")));
        assert_eq!(late.days_overdue(f.as_of), 1);
        let lease = all.iter().find(|x| x.register == Some(RegisterId::Form(29))).expect("lease");
        assert!(lease.why.contains("1-1-201 的代理出租/出售记录表日期 2026-11-20"), "{}", lease.why);
    }

    #[test]
    fn numbers_match_before_titles_and_dates() {
        let f = fixture();
        let all = findings(&f.ctx());
        // WX2610-00007 is matched by the number in its title although 文件编号 is a piece number.
        assert!(!all.iter().any(|x| x.register == Some(RegisterId::Form(16))), "{all:#?}");
        // The 验房单 of 1-1-102 is matched by the title 房屋验收单 and its date.
        assert!(!all.iter().any(|x| x.register == Some(RegisterId::Form(3)) && x.room == parse_room("1-1-102").ok()));
    }

    #[test]
    fn without_the_log_there_is_nothing_to_check() {
        let ledger = rooms(&[("1-1-101", "2026-05-10", Some("2026-10-30"))]);
        let f =
            Fixture::own_rooms(&[("房屋及业主台帐.yaml", &ledger), ("16-工程部维修单.yaml", ORDERS)], d("2026-12-31"));
        assert!(findings(&f.ctx()).is_empty());
    }

    #[test]
    fn a_misconfigured_document_is_reported() {
        let mut f = fixture();
        f.params.archive.documents = vec![ArchiveDocument {
            form: 16,
            room: "location".to_string(),
            date: "finished_at".to_string(),
            number: None,
            titles: vec!["维修单".to_string()],
        }];
        let all = findings(&f.ctx());
        let bad = all.iter().find(|x| x.what == "档案文件配置有误").expect("config finding");
        assert!(bad.why.contains("表单 16 没有字段 `finished_at`"), "{}", bad.why);
    }
}
