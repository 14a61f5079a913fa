//! 客户投诉处理规程: classifying complaints, their reply deadlines and follow-up visits, and the
//! monthly classification statistics (客户投诉分类统计表, form 20).
//!
//! The manual's own text is thin (4.1–4.4 are headings only); what it does say is that 客服部
//! receives and handles complaints and that a 亲情管家 receives, handles, tracks, records, counts and
//! analyses them (3.0 职责 1–2). The classification follows domain.md §3 (GB/T 17242, GB/T
//! 19012-2019 = ISO 10002: initial assessment by severity and safety): business-line category,
//! validity (有效/无效) and severity (一般/重大/紧急), decided by weighted phrases that staff edit in
//! `input/complaint_rules.yaml` — which also sets the reply deadline per severity (a department
//! setting: the manual sets none).
//!
//! Input: the complaint register (18) and the 投诉处理书 (19), joined by 处理书号; the rules file;
//! the calendar; the run date. Output: [`Finding`]s — complaints the record leaves unclassified,
//! categories that disagree with the rules, reply deadlines open, overdue or missed, follow-up
//! visits owed — and [`Form20`], the counts form 20 prints. Failure: a rules file with problems
//! is refused at load with every problem located; a deadline in a year the calendar lacks becomes
//! a calendar-gap finding; missing registers give no findings.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use chrono::{Days, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use super::{Calendar, Context, Finding, State, UnknownYear, View, calendar_gap, deadline_state};
use crate::error::{Problem, Problems};
use crate::model::{RegisterId, Value};
use crate::parse::room::RoomId;
use crate::parse::text::normalize;

/// The procedure's name in the manual.
pub const PROCEDURE: &str = "客户投诉处理规程";
/// The classification rules inside the input folder.
pub const RULES_FILE: &str = "complaint_rules.yaml";
/// The rules shipped with kefu, used when the input folder has none.
const BUILTIN: &str = include_str!("../../input/complaint_rules.yaml");
/// The complaint categories: the `options` of the category field of forms 18, 19 and 20.
pub const CATEGORIES: [&str; 11] = [
    "秩序/安保",
    "环境/保洁",
    "工程/维修",
    "绿化",
    "客服/服务态度",
    "收费",
    "停车",
    "装修",
    "邻里纠纷",
    "社区文化",
    "其他",
];
/// The category of a complaint no phrase matches.
const FALLBACK: &str = "其他";

/// The role that owns complaints when the record names nobody (3.0 职责 2).
const STEWARD: &str = "亲情管家";

/// Parameters of this rule. The manual sets no numbers for complaints; these are the
/// department's settings (the deadlines per severity are in `complaint_rules.yaml`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Params {
    /// Working days after 办结 within which a valid complaint is followed up (回访). 3.0 职责 2
    /// makes the 亲情管家 track (跟踪) every complaint but names no period; 3 working days is the
    /// department's setting.
    pub followup_days: u32,
    /// The least score the rules' category needs before a disagreement with the recorded category
    /// is reported (4.1 投诉受理): weaker evidence is not worth a reviewer's time. 4 = one phrase
    /// the rules file calls "基本可以断定".
    pub mismatch_min_score: u32,
}

impl Default for Params {
    fn default() -> Self {
        Params { followup_days: 3, mismatch_min_score: 4 }
    }
}

/// 有效 or 无效.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Validity {
    Valid,
    Invalid,
}

impl Validity {
    /// The option as forms 18 and 19 write it.
    pub fn label(self) -> &'static str {
        match self {
            Validity::Valid => "有效",
            Validity::Invalid => "无效",
        }
    }

    fn from_label(s: &str) -> Option<Validity> {
        match s.trim() {
            "有效" => Some(Validity::Valid),
            "无效" => Some(Validity::Invalid),
            _ => None,
        }
    }
}

/// 一般, 重大 or 紧急.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Level {
    Normal,
    Major,
    Urgent,
}

impl Level {
    /// The option as forms 18 and 19 write it.
    pub fn label(self) -> &'static str {
        match self {
            Level::Normal => "一般",
            Level::Major => "重大",
            Level::Urgent => "紧急",
        }
    }

    fn from_label(s: &str) -> Option<Level> {
        match s.trim() {
            "一般" => Some(Level::Normal),
            "重大" => Some(Level::Major),
            "紧急" => Some(Level::Urgent),
            _ => None,
        }
    }
}

/// How a deadline's days are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum Unit {
    #[serde(rename = "工作日")]
    WorkingDays,
    #[serde(rename = "自然日")]
    CalendarDays,
}

/// The reply deadline of one severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    pub days: u32,
    pub unit: Unit,
    /// A calendar-day period ending on a rest day ends on the next working day (民法典 art. 203).
    pub roll_forward: bool,
}

impl Deadline {
    /// The last day to close a complaint received on `received` (the day itself not counted).
    pub fn due(&self, received: NaiveDate, calendar: &Calendar) -> Result<NaiveDate, UnknownYear> {
        match (self.unit, self.roll_forward) {
            (Unit::WorkingDays, _) => calendar.add_working_days(received, self.days),
            (Unit::CalendarDays, true) => calendar.calendar_deadline(received, self.days),
            (Unit::CalendarDays, false) => {
                Ok(received.checked_add_days(Days::new(u64::from(self.days))).unwrap_or(NaiveDate::MAX))
            }
        }
    }

    /// `5 个工作日`, `1 个自然日（节假日不顺延）`.
    pub fn describe(&self) -> String {
        match (self.unit, self.roll_forward) {
            (Unit::WorkingDays, _) => format!("{} 个工作日", self.days),
            (Unit::CalendarDays, true) => format!("{} 个自然日（末日逢休息日顺延）", self.days),
            (Unit::CalendarDays, false) => format!("{} 个自然日（节假日不顺延）", self.days),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The rules file.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    categories: Vec<CategoryEntry>,
    validity: ValidityEntry,
    severity: SeverityEntry,
    deadlines: DeadlinesEntry,
}

type PhraseMap = BTreeMap<String, Spanned<i64>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CategoryEntry {
    name: Spanned<String>,
    phrases: PhraseMap,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ValidityEntry {
    threshold: Spanned<i64>,
    invalid: PhraseMap,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeverityEntry {
    #[serde(rename = "紧急")]
    urgent: ScaleEntry,
    #[serde(rename = "重大")]
    major: ScaleEntry,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScaleEntry {
    threshold: Spanned<i64>,
    phrases: PhraseMap,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DeadlinesEntry {
    #[serde(rename = "紧急")]
    urgent: DeadlineEntry,
    #[serde(rename = "重大")]
    major: DeadlineEntry,
    #[serde(rename = "一般")]
    normal: DeadlineEntry,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DeadlineEntry {
    days: Spanned<i64>,
    unit: Unit,
    #[serde(default)]
    roll_forward: bool,
}

/// One phrase: as written, its parts (joined by `+`, all must occur), normalized, and its weight.
#[derive(Debug, Clone)]
struct Phrase {
    text: String,
    parts: Vec<String>,
    weight: i64,
}

impl Phrase {
    fn matches(&self, folded: &str) -> bool {
        self.parts.iter().all(|p| folded.contains(p.as_str()))
    }
}

/// Phrases and the score that decides.
#[derive(Debug, Clone, Default)]
struct Scale {
    threshold: i64,
    phrases: Vec<Phrase>,
}

impl Scale {
    fn judge(&self, folded: &str) -> Scored {
        Scored::of(&self.phrases, folded)
    }

    fn reached(&self, s: &Scored) -> bool {
        s.score >= self.threshold
    }

    /// `「房价下跌」+5 共 5 分 ≥ 5`.
    fn because(&self, s: &Scored) -> String {
        let cmp = if self.reached(s) { "≥" } else { "<" };
        format!("{} 共 {} 分 {cmp} {}", s.explain(), s.score, self.threshold)
    }
}

/// One matched phrase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hit {
    pub phrase: String,
    pub weight: i64,
}

/// The phrases of one list that matched, and their sum.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Scored {
    pub score: i64,
    pub hits: Vec<Hit>,
}

impl Scored {
    /// The phrases found in `folded`. A phrase inside a longer phrase of the same list that was
    /// also found is not counted again (「暖气不热」 found: 「暖气」 and 「不热」 add nothing).
    fn of(phrases: &[Phrase], folded: &str) -> Scored {
        let found: Vec<&Phrase> = phrases.iter().filter(|p| p.matches(folded)).collect();
        let single = |p: &Phrase| match p.parts.as_slice() {
            [one] => Some(one.clone()),
            _ => None,
        };
        let inside_longer = |p: &Phrase| {
            single(p).is_some_and(|s| {
                found.iter().filter_map(|q| single(q)).any(|longer| longer.len() > s.len() && longer.contains(&s))
            })
        };
        let mut hits: Vec<Hit> = found
            .iter()
            .filter(|p| !inside_longer(p))
            .map(|p| Hit { phrase: p.text.clone(), weight: p.weight })
            .collect();
        hits.sort_by(|a, b| b.weight.cmp(&a.weight).then_with(|| a.phrase.cmp(&b.phrase)));
        Scored { score: hits.iter().map(|h| h.weight).sum(), hits }
    }

    fn best(&self) -> i64 {
        self.hits.first().map_or(0, |h| h.weight)
    }

    /// `「暖气不热」+5、「暖气」+4`.
    fn explain(&self) -> String {
        self.hits.iter().map(|h| format!("「{}」+{}", h.phrase, h.weight)).collect::<Vec<_>>().join("、")
    }
}

/// A category's score for one text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryScore {
    pub category: &'static str,
    #[serde(flatten)]
    pub scored: Scored,
}

/// What the rules make of a complaint's text, each result with the rule that decided it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Classification {
    pub category: &'static str,
    /// `「暖气不热」+5、「暖气」+4 → 工程/维修（9 分）`.
    pub category_rule: String,
    pub validity: Validity,
    pub validity_rule: String,
    pub severity: Level,
    pub severity_rule: String,
    /// Every category that scored, best first.
    pub scores: Vec<CategoryScore>,
    /// The 无效 phrases found.
    pub invalid: Scored,
    /// The 紧急 and 重大 phrases found.
    pub urgent: Scored,
    pub major: Scored,
}

impl Classification {
    /// The score the text gives `category` (0 when no phrase of it occurs).
    pub fn score(&self, category: &str) -> i64 {
        self.scores.iter().find(|s| s.category == category).map_or(0, |s| s.scored.score)
    }

    /// The decided category's score.
    pub fn category_score(&self) -> i64 {
        self.score(self.category)
    }

    /// The three results with their rules, in one sentence.
    pub fn summary(&self) -> String {
        format!("类别 {}；有效性 {}；等级 {}", self.category_rule, self.validity_rule, self.severity_rule)
    }
}

/// The classification rules (phrases and weights) and reply deadlines from
/// `input/complaint_rules.yaml`.
#[derive(Debug, Clone)]
pub struct Classifier {
    categories: Vec<(&'static str, Vec<Phrase>)>,
    invalid: Scale,
    urgent: Scale,
    major: Scale,
    deadlines: [Deadline; 3],
}

impl Default for Classifier {
    /// The built-in rules (the copy of `input/complaint_rules.yaml` shipped with kefu).
    fn default() -> Self {
        Classifier::builtin().unwrap_or_else(|_| Classifier {
            categories: Vec::new(),
            invalid: Scale::default(),
            urgent: Scale::default(),
            major: Scale::default(),
            deadlines: [Deadline { days: 5, unit: Unit::WorkingDays, roll_forward: false }; 3],
        })
    }
}

impl Classifier {
    /// The rules shipped with kefu.
    pub fn builtin() -> Result<Classifier, Problems> {
        Classifier::parse(BUILTIN, Path::new("（内置）complaint_rules.yaml"))
    }

    /// Parses and validates the rules text.
    pub fn parse(text: &str, origin: &Path) -> Result<Classifier, Problems> {
        let file: File = crate::yaml::from_str(text, origin)?;
        let mut problems = Vec::new();
        let mut categories: Vec<(&'static str, Vec<Phrase>)> = Vec::new();
        for entry in &file.categories {
            let name = entry.name.value.trim();
            match CATEGORIES.iter().find(|c| **c == name) {
                None => problems.push(located(
                    origin,
                    &entry.name,
                    format!(
                        "未知的投诉类别「{name}」：应为表单 18、19、20 的类别选项之一（{}）",
                        CATEGORIES.join("、")
                    ),
                )),
                Some(c) if categories.iter().any(|(k, _)| k == c) => {
                    problems.push(located(origin, &entry.name, format!("投诉类别「{name}」重复出现，请合并为一项")))
                }
                Some(c) => categories.push((c, phrases(&entry.phrases, origin, name, &mut problems))),
            }
        }
        let mut scale = |threshold: &Spanned<i64>, map: &PhraseMap, what: &str| Scale {
            threshold: positive(threshold, origin, &format!("{what}的 threshold"), &mut problems),
            phrases: phrases(map, origin, what, &mut problems),
        };
        let invalid = scale(&file.validity.threshold, &file.validity.invalid, "无效");
        let urgent = scale(&file.severity.urgent.threshold, &file.severity.urgent.phrases, "紧急");
        let major = scale(&file.severity.major.threshold, &file.severity.major.phrases, "重大");
        let d = &file.deadlines;
        let deadlines = [
            deadline(&d.normal, origin, "一般", &mut problems),
            deadline(&d.major, origin, "重大", &mut problems),
            deadline(&d.urgent, origin, "紧急", &mut problems),
        ];
        if problems.is_empty() {
            Ok(Classifier { categories, invalid, urgent, major, deadlines })
        } else {
            Err(Problems(problems))
        }
    }

    /// The reply deadline of a severity.
    pub fn deadline(&self, level: Level) -> Deadline {
        self.deadlines[level as usize]
    }

    /// Classifies a complaint's text.
    pub fn classify(&self, text: &str) -> Classification {
        let folded = fold(text);
        let mut scores: Vec<(usize, CategoryScore)> = self
            .categories
            .iter()
            .enumerate()
            .map(|(i, (c, ps))| (i, CategoryScore { category: c, scored: Scored::of(ps, &folded) }))
            .filter(|(_, s)| s.scored.score > 0)
            .collect();
        // Highest sum; then the strongest single phrase; then the order of the rules file.
        scores.sort_by(|(i, a), (j, b)| {
            (b.scored.score, b.scored.best()).cmp(&(a.scored.score, a.scored.best())).then(i.cmp(j))
        });
        let scores: Vec<CategoryScore> = scores.into_iter().map(|(_, s)| s).collect();
        let (category, category_rule) = match scores.first() {
            Some(top) => {
                let runner =
                    scores.get(1).map(|s| format!("；次高 {} {} 分", s.category, s.scored.score)).unwrap_or_default();
                (
                    top.category,
                    format!("{} → {}（{} 分{runner}）", top.scored.explain(), top.category, top.scored.score),
                )
            }
            None => (FALLBACK, format!("未出现任何分类短语 → {FALLBACK}")),
        };
        let invalid = self.invalid.judge(&folded);
        let (validity, validity_rule) = if self.invalid.reached(&invalid) {
            (Validity::Invalid, format!("{} → 无效", self.invalid.because(&invalid)))
        } else if invalid.hits.is_empty() {
            (Validity::Valid, "未出现无效短语 → 有效".to_string())
        } else {
            (Validity::Valid, format!("{} → 有效", self.invalid.because(&invalid)))
        };
        let urgent = self.urgent.judge(&folded);
        let major = self.major.judge(&folded);
        let (severity, severity_rule) = if self.urgent.reached(&urgent) {
            (Level::Urgent, format!("{} → 紧急", self.urgent.because(&urgent)))
        } else if self.major.reached(&major) {
            (Level::Major, format!("{} → 重大", self.major.because(&major)))
        } else {
            (Level::Normal, "紧急、重大短语均未达到分数线 → 一般".to_string())
        };
        Classification {
            category,
            category_rule,
            validity,
            validity_rule,
            severity,
            severity_rule,
            scores,
            invalid,
            urgent,
            major,
        }
    }
}

/// Text as the rules match it: normalized (full-width folded), without spaces, ASCII lower-cased.
fn fold(s: &str) -> String {
    normalize(s).chars().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_lowercase()).collect()
}

fn located<T>(origin: &Path, at: &Spanned<T>, message: String) -> Problem {
    let (line, column) = (at.referenced.line() as usize, at.referenced.column() as usize);
    if line > 0 { Problem::at_line(origin, line, column, message) } else { Problem::in_file(origin, message) }
}

fn phrases(map: &PhraseMap, origin: &Path, what: &str, problems: &mut Vec<Problem>) -> Vec<Phrase> {
    let mut out = Vec::new();
    for (text, weight) in map {
        let parts: Vec<String> = text.split(['+', '＋']).map(fold).collect();
        if fold(text).is_empty() {
            problems.push(located(origin, weight, format!("{what}：短语不能为空")));
            continue;
        }
        if parts.iter().any(String::is_empty) {
            problems.push(located(
                origin,
                weight,
                format!("{what}：短语「{text}」中有空的部分，用 + 连接的每一部分都要有文字"),
            ));
            continue;
        }
        if weight.value <= 0 {
            problems.push(located(
                origin,
                weight,
                format!("{what}：短语「{text}」的分数为 {}，应为正整数（1 分以上）", weight.value),
            ));
            continue;
        }
        out.push(Phrase { text: text.clone(), parts, weight: weight.value });
    }
    out
}

fn positive(value: &Spanned<i64>, origin: &Path, what: &str, problems: &mut Vec<Problem>) -> i64 {
    if value.value <= 0 {
        problems.push(located(origin, value, format!("{what} 为 {}，应为正整数", value.value)));
    }
    value.value
}

fn deadline(entry: &DeadlineEntry, origin: &Path, level: &str, problems: &mut Vec<Problem>) -> Deadline {
    let days = u32::try_from(entry.days.value).ok().filter(|d| *d <= 365);
    if days.is_none() {
        problems.push(located(
            origin,
            &entry.days,
            format!("{level}投诉的期限天数 {} 不合理，应在 0–365 之间", entry.days.value),
        ));
    }
    if entry.roll_forward && entry.unit == Unit::WorkingDays {
        problems.push(located(
            origin,
            &entry.days,
            format!("{level}投诉按工作日计算，roll_forward（节假日顺延）只用于自然日期限，请删去"),
        ));
    }
    Deadline { days: days.unwrap_or(0), unit: entry.unit, roll_forward: entry.roll_forward }
}

// ---------------------------------------------------------------------------------------------
// Complaints as recorded in forms 18 and 19.

/// One complaint: its row of form 18, completed from its 投诉处理书 (19); or a 处理书 the register
/// does not list.
#[derive(Debug, Clone)]
struct Complaint<'a> {
    register: RegisterId,
    row: usize,
    received: Option<NaiveDateTime>,
    room: Option<RoomId>,
    content: Option<&'a str>,
    category: Option<&'a str>,
    validity: Option<Validity>,
    level: Option<Level>,
    /// 处理期限 as recorded.
    due_on: Option<NaiveDate>,
    closed: Option<NaiveDate>,
    visited: Option<NaiveDate>,
    satisfaction: Option<&'a str>,
    /// Who handles it: 处理责任人, else the name in 处理部门 (`工程部/张三`).
    handler: Option<String>,
    /// 处理部门 as written.
    department: Option<&'a str>,
    /// Who follows it up (回访人, else 接待人).
    visitor: Option<String>,
}

/// A non-blank text field.
fn text<'a>(view: &View<'a>, row: usize, key: &str) -> Option<&'a str> {
    view.text(row, key).map(str::trim).filter(|s| !s.is_empty())
}

/// The name written in a signature field.
fn signer(view: &View<'_>, row: usize, key: &str) -> Option<String> {
    match view.value(row, key) {
        Some(Value::Signature(s)) => s.by.filter(|b| !b.trim().is_empty()),
        Some(Value::Text(t)) if !t.trim().is_empty() => Some(t),
        _ => None,
    }
}

/// `财务部/蒋晨伟` → `蒋晨伟`; a department alone (`工程部`) names nobody.
fn person_in(handler: &str) -> Option<String> {
    let (_, name) = handler.rsplit_once(['/', '／'])?;
    Some(name.trim().to_string()).filter(|n| !n.is_empty())
}

fn from_view<'a>(view: &View<'a>, row: usize) -> Complaint<'a> {
    Complaint {
        register: view.id,
        row,
        received: view.datetime(row, "received_at"),
        room: view.room(row, "room"),
        content: text(view, row, "content"),
        category: text(view, row, "category"),
        validity: text(view, row, "validity").and_then(Validity::from_label),
        level: text(view, row, "level").and_then(Level::from_label),
        due_on: view.date(row, "due_on"),
        closed: view.date(row, "closed_on"),
        visited: view.date(row, "visit_on"),
        satisfaction: text(view, row, "visit_result").or_else(|| text(view, row, "satisfaction")),
        handler: signer(view, row, "handler_signature").or_else(|| text(view, row, "handler").and_then(person_in)),
        department: text(view, row, "handler"),
        visitor: text(view, row, "visitor").or_else(|| text(view, row, "receiver")).map(str::to_string),
    }
}

impl<'a> Complaint<'a> {
    /// Completes a form-18 record from its 处理书: classification from the register first (form 20
    /// is counted from it), handling dates and people from the 处理书 first (it is the signed record
    /// of the handling; the register copies it afterwards).
    fn merge(mut self, sheet: Complaint<'a>) -> Complaint<'a> {
        self.received = self.received.or(sheet.received);
        self.room = self.room.or(sheet.room);
        self.content = self.content.or(sheet.content);
        self.category = self.category.or(sheet.category);
        self.validity = self.validity.or(sheet.validity);
        self.level = self.level.or(sheet.level);
        self.due_on = self.due_on.or(sheet.due_on);
        self.closed = sheet.closed.or(self.closed);
        self.visited = sheet.visited.or(self.visited);
        self.satisfaction = sheet.satisfaction.or(self.satisfaction);
        self.handler = sheet.handler.or(self.handler);
        self.department = self.department.or(sheet.department);
        self.visitor = sheet.visitor.or(self.visitor);
        self
    }

    /// Who owns the reply: the handler named in the record, else the department, else the 亲情管家.
    fn owner(&self) -> String {
        self.handler.clone().or_else(|| self.department.map(str::to_string)).unwrap_or_else(|| STEWARD.to_string())
    }

    fn classify(&self, classifier: &Classifier) -> Option<Classification> {
        self.content.map(|c| classifier.classify(c))
    }

    /// The severity that sets the deadline: the record's, else the rules', else 一般.
    fn level(&self, cls: Option<&Classification>) -> (Level, String) {
        match (self.level, cls) {
            (Some(l), _) => (l, format!("{}（台帐）", l.label())),
            (None, Some(c)) => (c.severity, format!("{}（台帐未填，按规则：{}）", c.severity.label(), c.severity_rule)),
            (None, None) => (Level::Normal, "一般（台帐未填，内容为空，按一般计）".to_string()),
        }
    }

    fn validity(&self, cls: Option<&Classification>) -> Option<Validity> {
        self.validity.or(cls.map(|c| c.validity))
    }

    fn finding(&self, clause: &'static str, what: &str, state: State, why: String) -> Finding {
        Finding::new(PROCEDURE, clause, what.to_string(), state, why)
            .register(self.register)
            .row(self.row)
            .room(self.room)
    }

    fn gap(&self, clause: &'static str, what: &str, e: &UnknownYear) -> Finding {
        calendar_gap(PROCEDURE, clause, what, e).register(self.register).row(self.row).room(self.room)
    }
}

/// Every complaint: the rows of form 18 (each completed from the 处理书 of its 处理书号), then the
/// 处理书 (19) that no row of form 18 refers to.
fn complaints<'a>(ctx: &Context<'a>) -> Vec<Complaint<'a>> {
    let register = ctx.form(18);
    let sheets = ctx.form(19);
    let mut by_no: HashMap<&str, usize> = HashMap::new();
    if let Some(s) = &sheets {
        for row in s.rows() {
            if let Some(no) = text(s, row, "doc_no") {
                by_no.entry(no).or_insert(row);
            }
        }
    }
    let mut used = HashSet::new();
    let mut out = Vec::new();
    if let Some(r) = &register {
        for row in r.rows() {
            let mut c = from_view(r, row);
            let linked = text(r, row, "doc_no").and_then(|no| by_no.get(no).copied());
            if let (Some(s), Some(srow)) = (&sheets, linked) {
                used.insert(srow);
                c = c.merge(from_view(s, srow));
            }
            out.push(c);
        }
    }
    if let Some(s) = &sheets {
        out.extend(s.rows().filter(|row| !used.contains(row)).map(|row| from_view(s, row)));
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Findings.

/// This rule's findings: unclassified complaints, categories the rules disagree with, reply
/// deadlines (open, overdue, late) and follow-up visits owed.
pub fn findings(ctx: &Context<'_>) -> Vec<Finding> {
    let params = &ctx.params.complaints;
    let mut out = Vec::new();
    for c in complaints(ctx) {
        let cls = c.classify(ctx.classifier);
        out.extend(unclassified(&c, cls.as_ref()));
        out.extend(mismatch(&c, cls.as_ref(), params));
        out.extend(reply(ctx, &c, cls.as_ref()));
        out.extend(followup(ctx, &c, cls.as_ref(), params));
    }
    out
}

/// A record without category, validity or severity: what the rules make of it.
fn unclassified(c: &Complaint<'_>, cls: Option<&Classification>) -> Option<Finding> {
    let missing: Vec<&str> =
        [("类别", c.category.is_none()), ("有效性", c.validity.is_none()), ("等级", c.level.is_none())]
            .into_iter()
            .filter_map(|(k, m)| m.then_some(k))
            .collect();
    if missing.is_empty() {
        return None;
    }
    let result = match cls {
        Some(cls) => format!("按分类规则：{}；请核实后补填台帐", cls.summary()),
        None => "投诉内容也为空，无法按规则分类；请补填投诉内容和分类".to_string(),
    };
    let why = format!("台帐未填写{}（客户投诉处理规程 4.1 投诉受理）。{result}", missing.join("、"));
    let mut f = c.finding("4.1", "投诉未分类", State::Breach, why);
    f.owner = Some(c.visitor.clone().unwrap_or_else(|| STEWARD.to_string()));
    Some(f)
}

/// The recorded category wins; a different category with clearly more evidence is reported, for a
/// reviewer to correct the record or the rules. Reported as a breach of 4.1 (classification at
/// reception) because the framework has no informational state and a reviewer must act on it.
fn mismatch(c: &Complaint<'_>, cls: Option<&Classification>, params: &Params) -> Option<Finding> {
    let (entered, cls) = (c.category?, cls?);
    let decided = cls.category_score();
    if cls.category == entered || decided < i64::from(params.mismatch_min_score) || decided <= cls.score(entered) {
        return None;
    }
    let why = format!(
        "台帐类别为「{entered}」（规则得分 {}），分类规则判为「{}」：{}。以台帐为准；请复核台帐类别，或调整 {RULES_FILE} 中的短语和分数",
        cls.score(entered),
        cls.category,
        cls.category_rule
    );
    let mut f = c.finding("4.1", "投诉分类与规则不一致", State::Breach, why);
    f.owner = Some("客服主管".to_string());
    Some(f)
}

fn date_time(dt: NaiveDateTime) -> String {
    dt.format("%Y-%m-%d %H:%M").to_string()
}

/// How a deadline stands, in words: 截至 … 尚未办结，已逾期 N 天 / … 办结，晚 N 天.
fn outcome(state: State, due: NaiveDate, done: Option<NaiveDate>, as_of: NaiveDate, verb: &str) -> String {
    match (state, done) {
        (State::Late, Some(d)) => format!("{d} 才{verb}，晚 {} 天", (d - due).num_days()),
        (State::Overdue, _) => format!("截至 {as_of} 尚未{verb}，已逾期 {} 天", (as_of - due).num_days()),
        _ => format!("截至 {as_of} 尚未{verb}，还有 {} 天", (due - as_of).num_days()),
    }
}

/// The reply deadline by severity (4.2.1): open, overdue, or done late.
fn reply(ctx: &Context<'_>, c: &Complaint<'_>, cls: Option<&Classification>) -> Option<Finding> {
    const WHAT: &str = "办结投诉并答复业主";
    let received = c.received?;
    let (level, level_text) = c.level(cls);
    let deadline = ctx.classifier.deadline(level);
    let due = match deadline.due(received.date(), ctx.calendar) {
        Ok(d) => d,
        Err(e) => return Some(c.gap("4.2.1", WHAT, &e)),
    };
    let state = deadline_state(due, c.closed, ctx.as_of)?;
    let recorded = match c.due_on {
        Some(d) if d != due => format!("（台帐处理期限 {d}）"),
        _ => String::new(),
    };
    let why = format!(
        "受理 {}，等级 {level_text}，办结期限 {}，应于 {due} 前办结{recorded}；{}（客户投诉处理规程 4.2.1；期限见 {RULES_FILE}）",
        date_time(received),
        deadline.describe(),
        outcome(state, due, c.closed, ctx.as_of, "办结"),
    );
    let mut f = c.finding("4.2.1", WHAT, state, why);
    f.due = Some(due);
    f.done = c.closed;
    f.owner = Some(c.owner());
    Some(f)
}

/// The follow-up visit after a valid complaint is closed (3.0 职责 2: 跟踪).
fn followup(ctx: &Context<'_>, c: &Complaint<'_>, cls: Option<&Classification>, params: &Params) -> Option<Finding> {
    const WHAT: &str = "投诉办结后回访";
    let closed = c.closed?;
    if c.validity(cls) != Some(Validity::Valid) {
        return None;
    }
    let due = match ctx.calendar.add_working_days(closed, params.followup_days) {
        Ok(d) => d,
        Err(e) => return Some(c.gap("3.0", WHAT, &e)),
    };
    let state = deadline_state(due, c.visited, ctx.as_of)?;
    let why = format!(
        "有效投诉 {closed} 办结，应在 {} 个工作日内回访，即 {due} 前；{}（客户投诉处理规程 3.0 职责 2：亲情管家负责跟踪）",
        params.followup_days,
        outcome(state, due, c.visited, ctx.as_of, "回访"),
    );
    let mut f = c.finding("3.0", WHAT, state, why);
    f.due = Some(due);
    f.done = c.visited;
    f.owner = Some(c.visitor.clone().unwrap_or_else(|| STEWARD.to_string()));
    Some(f)
}

// ---------------------------------------------------------------------------------------------
// Form 20.

/// One row of 客户投诉分类统计表: the counts of one category (or of all, 合计).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Form20Row {
    pub category: &'static str,
    pub total: u32,
    pub valid: u32,
    pub invalid: u32,
    pub level_normal: u32,
    pub level_major: u32,
    pub level_urgent: u32,
    /// Closed by the end of the period.
    pub closed: u32,
    /// Closed no later than the 处理期限.
    pub closed_on_time: u32,
    /// Visited by the end of the period.
    pub visited: u32,
    /// Visited and 满意 or 基本满意.
    pub satisfied: u32,
    /// Of `total`, how many had their category, validity or severity from the rules because the
    /// record left it blank.
    pub by_rules: u32,
}

impl Form20Row {
    fn add(&mut self, other: &Form20Row) {
        self.total += other.total;
        self.valid += other.valid;
        self.invalid += other.invalid;
        self.level_normal += other.level_normal;
        self.level_major += other.level_major;
        self.level_urgent += other.level_urgent;
        self.closed += other.closed;
        self.closed_on_time += other.closed_on_time;
        self.visited += other.visited;
        self.satisfied += other.satisfied;
        self.by_rules += other.by_rules;
    }

    /// 本类投诉总数 ÷ 全部投诉总数.
    pub fn share(&self, all: u32) -> String {
        percent(self.total, all)
    }

    /// 按时办结 ÷ 已办结.
    pub fn on_time_rate(&self) -> String {
        percent(self.closed_on_time, self.closed)
    }

    /// 满意 ÷ 已回访.
    pub fn satisfaction_rate(&self) -> String {
        percent(self.satisfied, self.visited)
    }
}

/// `12.5%`, rounded half up to one decimal; `—` when there is nothing to divide by.
fn percent(num: u32, den: u32) -> String {
    if den == 0 {
        return "—".to_string();
    }
    let tenths = (u64::from(num) * 2000 + u64::from(den)) / (2 * u64::from(den));
    format!("{}.{}%", tenths / 10, tenths % 10)
}

/// 客户投诉分类统计表 (form 20) of the complaints received in a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Form20 {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// One row per category, in the form's order.
    pub rows: Vec<Form20Row>,
    /// The sum of the rows (合计).
    pub total: Form20Row,
    /// The records behind the counts: `received`, `valid`, `valid_closed_on_time`, `closed`,
    /// `visited`, `satisfied`.
    #[serde(skip)]
    pub trace: super::Trace,
}

impl Form20 {
    /// `2026年10月` for a whole month, else `2026年5月1日至2026年10月31日`.
    pub fn period(&self) -> String {
        use chrono::Datelike;
        let month = crate::model::YearMonth::of(self.from);
        if self.from == month.first_day() && self.to == month.last_day() {
            format!("{}年{}月", self.from.year(), self.from.month())
        } else {
            format!("{}至{}", crate::text::chinese_date(self.from), crate::text::chinese_date(self.to))
        }
    }
}

/// The counts of form 20 for the complaints received from `from` to `to` (both included). Closing
/// and follow-up are counted as they stood at the end of the period; 按时办结 compares the closing
/// date with the recorded 处理期限 (the form's definition), or with the rules' deadline when the
/// record has none. Category, validity and severity are the record's, or the rules' when blank.
pub fn statistics(ctx: &Context<'_>, from: NaiveDate, to: NaiveDate) -> Form20 {
    let mut rows: Vec<Form20Row> =
        CATEGORIES.iter().map(|c| Form20Row { category: c, ..Form20Row::default() }).collect();
    let mut trace = super::Trace::new();
    for c in complaints(ctx) {
        let Some(received) = c.received.map(|r| r.date()).filter(|d| (from..=to).contains(d)) else { continue };
        let cls = c.classify(ctx.classifier);
        let category = c.category.or(cls.as_ref().map(|x| x.category)).unwrap_or(FALLBACK);
        let index = CATEGORIES.iter().position(|k| *k == category).unwrap_or(CATEGORIES.len() - 1);
        let (level, _) = c.level(cls.as_ref());
        let r = &mut rows[index];
        r.total += 1;
        super::trace(&mut trace, "received", c.register, c.row);
        let valid = !matches!(c.validity(cls.as_ref()), Some(Validity::Invalid));
        if valid {
            r.valid += 1;
            super::trace(&mut trace, "valid", c.register, c.row);
        } else {
            r.invalid += 1;
        }
        match level {
            Level::Normal => r.level_normal += 1,
            Level::Major => r.level_major += 1,
            Level::Urgent => r.level_urgent += 1,
        }
        if c.category.is_none() || c.validity.is_none() || c.level.is_none() {
            r.by_rules += 1;
        }
        if let Some(closed) = c.closed.filter(|d| *d <= to) {
            r.closed += 1;
            super::trace(&mut trace, "closed", c.register, c.row);
            let due = c.due_on.or_else(|| ctx.classifier.deadline(level).due(received, ctx.calendar).ok());
            if due.is_some_and(|due| closed <= due) {
                r.closed_on_time += 1;
                if valid {
                    super::trace(&mut trace, "valid_closed_on_time", c.register, c.row);
                }
            }
        }
        if c.visited.is_some_and(|d| d <= to) {
            r.visited += 1;
            super::trace(&mut trace, "visited", c.register, c.row);
            if matches!(c.satisfaction, Some("满意" | "基本满意")) {
                r.satisfied += 1;
                super::trace(&mut trace, "satisfied", c.register, c.row);
            }
        }
    }
    let mut total = Form20Row { category: "合计", ..Form20Row::default() };
    for r in &rows {
        total.add(r);
    }
    Form20 { from, to, rows, total, trace }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::forms::FormSet;
    use crate::testkit::{Fixture, d, repo};

    fn rules() -> Classifier {
        Classifier::builtin().unwrap()
    }

    fn calendar() -> Calendar {
        let path = repo("input/calendar.yaml");
        Calendar::parse(&std::fs::read_to_string(&path).unwrap(), &path).unwrap()
    }

    /// The base fixture with registers 18 and 19 (either may be empty), loaded as of
    /// `loaded_as_of`; records `kefu check` would reject are kept for the rules to see.
    pub(crate) fn fixture(register: &str, sheets: &str, loaded_as_of: NaiveDate) -> Fixture {
        let mut files = Vec::new();
        if !register.is_empty() {
            files.push(("18-投诉_意见接待台帐.yaml", register));
        }
        if !sheets.is_empty() {
            files.push(("19-投诉处理书.yaml", sheets));
        }
        Fixture::builder(loaded_as_of).registers(&files).lenient().build()
    }

    /// One record of form 18 as YAML (keys are the column headers); empty values are left out.
    fn row(cells: &[(&str, &str)]) -> String {
        let mut out = String::new();
        for (i, (k, v)) in cells.iter().filter(|(_, v)| !v.is_empty()).enumerate() {
            out.push_str(if i == 0 { "- " } else { "  " });
            out.push_str(&format!("{k}: \"{v}\"\n"));
        }
        out
    }

    /// One record of form 18 from `受理时间|房号|投诉内容|类别|有效性|等级|处理部门|办结日期|回访日期|回访结果`.
    pub(crate) fn complaint(cells: &str) -> String {
        let v: Vec<&str> = cells.split('|').collect();
        let keys =
            ["受理时间", "房号", "投诉内容", "类别", "有效性", "等级", "处理部门", "办结日期", "回访日期", "回访结果"];
        let mut pairs: Vec<(&str, &str)> = keys.iter().copied().zip(v.iter().copied()).collect();
        pairs.extend([("投诉人", "赵一"), ("方式", "来电"), ("接待人", "李娜")]);
        row(&pairs)
    }

    fn of<'f>(fs: &'f [Finding], what: &str) -> Vec<&'f Finding> {
        fs.iter().filter(|f| f.what == what).collect()
    }

    #[test]
    fn the_built_in_rules_parse_and_cover_the_forms_categories() {
        let c = rules();
        let forms = FormSet::load(&repo("forms")).unwrap();
        for n in [18, 19, 20] {
            let field = forms.get(n).unwrap().fields.iter().find(|f| f.key == "category").unwrap();
            assert_eq!(field.options, CATEGORIES, "form {n}");
        }
        let names: Vec<&str> = c.categories.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, CATEGORIES, "every category listed once, in the form's order");
        for (name, phrases) in &c.categories {
            assert!(phrases.len() >= 9, "{name}: {} phrases", phrases.len());
        }
        assert_eq!(c.deadline(Level::Urgent), Deadline { days: 1, unit: Unit::CalendarDays, roll_forward: false });
        assert_eq!(c.deadline(Level::Major), Deadline { days: 3, unit: Unit::WorkingDays, roll_forward: false });
        assert_eq!(c.deadline(Level::Normal), Deadline { days: 5, unit: Unit::WorkingDays, roll_forward: false });
    }

    #[test]
    fn one_realistic_text_per_category() {
        let c = rules();
        let cases = [
            ("晚上十点多有陌生人跟着进单元门，门岗保安也不管", "秩序/安保"),
            ("楼道垃圾两天没人清理，有臭味", "环境/保洁"),
            ("暖气不热，室温只有16度，已经报修两次", "工程/维修"),
            ("楼前草坪很久没修剪，杂草比人还高", "绿化"),
            ("前台接待人员态度生硬，问两句就不耐烦", "客服/服务态度"),
            ("物业费收费标准不清楚，要求公示", "收费"),
            ("地下车库我的车位被别人占用好几天了", "停车"),
            ("隔壁装修中午也在电钻砸墙", "装修"),
            ("邻居家狗经常叫，影响休息，沟通了也不配合", "邻里纠纷"),
            ("希望多组织老年人活动，重阳节也没有活动", "社区文化"),
            ("希望增加电动车充电桩", "其他"),
        ];
        for (text, want) in cases {
            let got = c.classify(text);
            assert_eq!(got.category, want, "{text}: {}", got.category_rule);
        }
    }

    #[test]
    fn tricky_texts_follow_the_documented_choices() {
        let c = rules();
        // Noise from renovation upstairs is 装修: the company manages decoration (working hours,
        // permits), so it can act; plain noise between neighbours is 邻里纠纷.
        let r = c.classify("楼上装修噪音太大");
        assert_eq!(r.category, "装修", "{}", r.category_rule);
        assert_eq!(r.score("装修"), 11, "「噪音+装修」+6、「装修」+5");
        assert_eq!(r.score("邻里纠纷"), 5, "「噪音」+3、「楼上」+2");
        assert_eq!(c.classify("楼上夜里噪音扰民").category, "邻里纠纷");
        // A leak the neighbour will not fix is a dispute; a heating leak is the company's pipes.
        assert_eq!(c.classify("楼上漏水到我家，楼上不处理").category, "邻里纠纷");
        assert_eq!(c.classify("楼上暖气漏水把我家顶棚泡了").category, "工程/维修");
        // A smell in the lift car is cleaning, not the lift.
        assert_eq!(c.classify("电梯轿厢里有异味").category, "环境/保洁");
        // A heating complaint asking for money back is still about the heating.
        assert_eq!(c.classify("供暖后室温只有15度，要求退还部分采暖费").category, "工程/维修");
        // Nothing matches: 其他, and the rule says so.
        let none = c.classify("你好");
        assert_eq!(none.category, "其他");
        assert_eq!(none.category_rule, "未出现任何分类短语 → 其他");
        assert!(none.scores.is_empty());
    }

    #[test]
    fn every_result_names_the_rule_that_decided_it() {
        let r = rules().classify("暖气不热");
        assert_eq!(r.category_rule, "「暖气不热」+5 → 工程/维修（5 分）", "「暖气」「不热」lie inside it");
        assert_eq!(r.validity_rule, "未出现无效短语 → 有效");
        assert_eq!(r.severity_rule, "紧急、重大短语均未达到分数线 → 一般");
        let r = rules().classify("车库照明太暗");
        assert_eq!(r.category_rule, "「车库」+4 → 停车（4 分；次高 工程/维修 3 分）");
    }

    #[test]
    fn validity_outside_the_companys_duty_is_invalid() {
        let c = rules();
        let r = c.classify("房价下跌，业主要求物业给个说法");
        assert_eq!(r.validity, Validity::Invalid);
        assert_eq!(r.validity_rule, "「房价下跌」+5 共 5 分 ≥ 5 → 无效");
        assert_eq!(c.classify("孩子学区划分和开发商承诺的不一样").validity, Validity::Invalid);
        assert_eq!(c.classify("市政停水也没提前通知").validity, Validity::Invalid);
        let weak = c.classify("户型图和实际不符");
        assert_eq!(weak.validity, Validity::Valid, "「户型」3 < 5: {}", weak.validity_rule);
        assert_eq!(c.classify("楼道灯坏了一周没人修").validity, Validity::Valid);
    }

    #[test]
    fn severity_urgent_for_safety_major_for_escalation() {
        let c = rules();
        let r = c.classify("3号楼电梯困人十多分钟没人来");
        assert_eq!(r.severity, Level::Urgent, "{}", r.severity_rule);
        assert!(r.severity_rule.contains("「电梯困人」+5"), "{}", r.severity_rule);
        assert_eq!(c.classify("厨房水管爆了，跑水").severity, Level::Urgent);
        let r = c.classify("这是第三次投诉楼道灯不亮了");
        assert_eq!(r.severity, Level::Major, "{}", r.severity_rule);
        assert_eq!(r.severity_rule, "「第三次」+5 共 5 分 ≥ 5 → 重大");
        // Full-width digits are folded before matching.
        assert_eq!(c.classify("再不解决就打１２３４５").severity, Level::Major);
        assert_eq!(c.classify("楼道垃圾没人清理").severity, Level::Normal);
        // Safety comes first when both apply.
        assert_eq!(c.classify("多次投诉燃气味道很重").severity, Level::Urgent);
    }

    #[test]
    fn a_rules_file_with_mistakes_gets_every_problem_located() {
        let text = "categories:
  - name: 维修
    phrases: {漏水: 4}
  - name: 绿化
    phrases:
      草坪: 0
      \"\": 3
      \"噪音+\": 2
validity:
  threshold: 0
  invalid: {房价: 5}
severity:
  紧急: {threshold: 5, phrases: {跑水: 5}}
  重大: {threshold: 5, phrases: {\"12345\": 5}}
deadlines:
  紧急: {days: -1, unit: 自然日}
  重大: {days: 3, unit: 工作日, roll_forward: true}
  一般: {days: 5, unit: 工作日}
";
        let err = Classifier::parse(text, Path::new("complaint_rules.yaml")).unwrap_err();
        let all = err.to_string();
        for want in [
            "complaint_rules.yaml 第 2 行第 11 列：未知的投诉类别「维修」",
            "第 6 行第 11 列：绿化：短语「草坪」的分数为 0，应为正整数",
            "第 7 行第 11 列：绿化：短语不能为空",
            "绿化：短语「噪音+」中有空的部分",
            "第 10 行第 14 列：无效的 threshold 为 0，应为正整数",
            "紧急投诉的期限天数 -1 不合理",
            "roll_forward（节假日顺延）只用于自然日期限",
        ] {
            assert!(all.contains(want), "missing 「{want}」 in:\n{all}");
        }
        assert_eq!(err.0.len(), 7, "{all}");
    }

    #[test]
    fn an_unknown_key_is_refused_with_the_keys_allowed() {
        let text = BUILTIN.replace("validity:\n", "validty:\n");
        let err = Classifier::parse(&text, Path::new("r.yaml")).unwrap_err().to_string();
        assert!(err.contains("未知的键 `validty`"), "{err}");
    }

    #[test]
    fn params_take_defaults_and_refuse_unknown_keys() {
        let p: Params = crate::yaml::from_str("followup_days: 2\n", Path::new("kefu.yaml")).unwrap();
        assert_eq!((p.followup_days, p.mismatch_min_score), (2, 4));
        let err = crate::yaml::from_str::<Params>("followup_day: 2\n", Path::new("kefu.yaml")).unwrap_err();
        assert!(err.to_string().contains("未知的键 `followup_day`"), "{err}");
    }

    #[test]
    fn deadlines_by_hand_across_national_day_and_make_up_days() {
        let (c, cal) = (rules(), calendar());
        // 一般, 5 working days from Wed 2026-09-30: 国庆 10-01..10-07 off; Thu 10-08 (1), Fri 10-09
        // (2), Sat 10-10 调休 workday (3), Mon 10-12 (4), Tue 10-13 (5).
        assert_eq!(c.deadline(Level::Normal).due(d("2026-09-30"), &cal).unwrap(), d("2026-10-13"));
        // 重大, 3 working days from Fri 2026-09-18: Sat 09-19 off, Sun 09-20 调休 workday (1),
        // Mon 09-21 (2), Tue 09-22 (3).
        assert_eq!(c.deadline(Level::Major).due(d("2026-09-18"), &cal).unwrap(), d("2026-09-22"));
        // 重大 from Thu 2026-09-24: 中秋 09-25..09-27 off; Mon 09-28, Tue 09-29, Wed 09-30.
        assert_eq!(c.deadline(Level::Major).due(d("2026-09-24"), &cal).unwrap(), d("2026-09-30"));
        // 紧急, 1 calendar day, not postponed: 2026-09-30 → 10-01 even though it is a holiday.
        assert_eq!(c.deadline(Level::Urgent).due(d("2026-09-30"), &cal).unwrap(), d("2026-10-01"));
        // With roll_forward the same day moves past 国庆 to Thu 10-08 (民法典 art. 203).
        let rolled = Deadline { days: 1, unit: Unit::CalendarDays, roll_forward: true };
        assert_eq!(rolled.due(d("2026-09-30"), &cal).unwrap(), d("2026-10-08"));
        // A period that runs into 2027 cannot be computed: the calendar lacks 2027.
        let err = c.deadline(Level::Normal).due(d("2026-12-29"), &cal).unwrap_err();
        assert_eq!(err.year, 2027);
    }

    #[test]
    fn findings_on_a_small_register() {
        let register = [
            // A: closed two days late (due 10-13), visited in time.
            complaint("2026-09-30 10:00|1-1-101|楼道灯坏了一周没人修|工程/维修|有效|一般|工程部/王强|2026-10-15|2026-10-16|满意"),
            // B: staff say 邻里纠纷, the rules say 装修; closed in time, visited.
            complaint("2026-10-12 09:30|1-1-102|楼上装修噪音太大，周末早上七点就开始装修|邻里纠纷|有效|一般|客服部|2026-10-13|2026-10-14|基本满意"),
            // C: left unclassified; the rules make it 紧急, due the next calendar day.
            complaint("2026-10-30 20:00|1-2-101|电梯困人半小时没人来|||||||"),
            // D: closed 10-20, never visited: follow-up due 3 working days later, 10-23.
            complaint("2026-10-16 08:00|1-2-102|楼前草坪很久没修剪|绿化|有效|一般||2026-10-20||"),
            // E: 无效, closed next day: no deadline finding, no follow-up owed.
            complaint("2026-10-08 11:00|1-1-201|房价下跌，要求物业给说法|其他|无效|一般||2026-10-09||"),
        ]
        .concat();
        let fx = fixture(&register, "", d("2026-10-31"));
        let fs = findings(&fx.ctx_at(d("2026-10-31")));
        let summary: Vec<String> =
            fs.iter().map(|f| format!("{:?} {} {:?} {}", f.row, f.what, f.state, f.why)).collect();
        let summary = summary.join("\n");

        let late = of(&fs, "办结投诉并答复业主");
        assert_eq!(late.len(), 2, "B, D and E were closed in time\n{summary}\n{}", fx.problems());
        let a = late.iter().find(|f| f.row == Some(0)).unwrap();
        assert_eq!((a.state, a.due, a.done), (State::Late, Some(d("2026-10-13")), Some(d("2026-10-15"))));
        assert_eq!(a.owner.as_deref(), Some("王强"));
        assert!(
            a.why.contains("受理 2026-09-30 10:00，等级 一般（台帐），办结期限 5 个工作日，应于 2026-10-13 前办结"),
            "{}",
            a.why
        );
        assert!(a.why.contains("2026-10-15 才办结，晚 2 天"), "{}", a.why);

        let cc = late.iter().find(|f| f.row == Some(2)).unwrap();
        assert_eq!((cc.state, cc.due), (State::Open, Some(d("2026-10-31"))));
        assert_eq!(cc.owner.as_deref(), Some("亲情管家"), "no handler recorded (3.0 职责 2)");

        let unclassified = of(&fs, "投诉未分类");
        assert_eq!(unclassified.len(), 1, "{summary}");
        assert_eq!(unclassified[0].row, Some(2));
        assert!(unclassified[0].why.starts_with("台帐未填写类别、有效性、等级"), "{}", unclassified[0].why);
        assert!(unclassified[0].why.contains("等级 「电梯困人」+5 共 5 分 ≥ 5 → 紧急"), "{}", unclassified[0].why);

        let mismatch = of(&fs, "投诉分类与规则不一致");
        assert_eq!(mismatch.len(), 1, "{summary}");
        assert_eq!((mismatch[0].row, mismatch[0].state), (Some(1), State::Breach));
        assert!(
            mismatch[0].why.starts_with("台帐类别为「邻里纠纷」（规则得分 5），分类规则判为「装修」"),
            "{}",
            mismatch[0].why
        );

        let visits = of(&fs, "投诉办结后回访");
        assert_eq!(visits.len(), 1, "{summary}");
        let v = visits[0];
        assert_eq!((v.row, v.state, v.due, v.done), (Some(3), State::Overdue, Some(d("2026-10-23")), None));
        assert_eq!(v.days_overdue(d("2026-10-31")), 8);
        assert_eq!(v.owner.as_deref(), Some("李娜"));
    }

    #[test]
    fn the_staff_category_wins_in_the_statistics() {
        let register = [
            complaint("2026-10-12 09:30|1-1-102|楼上装修噪音太大|邻里纠纷|有效|一般||2026-10-13|2026-10-14|满意"),
            complaint("2026-10-13 09:30|1-1-101|楼上装修噪音太大|||||||"),
        ]
        .concat();
        let fx = fixture(&register, "", d("2026-10-31"));
        let f20 = statistics(&fx.ctx_at(d("2026-10-31")), d("2026-10-01"), d("2026-10-31"));
        let row = |c: &str| f20.rows.iter().find(|r| r.category == c).unwrap().clone();
        assert_eq!(row("邻里纠纷").total, 1, "as recorded");
        assert_eq!(row("装修").total, 1, "left blank: the rules decide");
        assert_eq!(row("装修").by_rules, 1);
    }

    #[test]
    fn a_processing_sheet_completes_its_register_row_and_stands_alone_otherwise() {
        let register = [row(&[
            ("受理时间", "2026-10-12 09:30"),
            ("房号", "1-1-101"),
            ("投诉人", "赵一"),
            ("投诉内容", "楼道垃圾两天没人清理"),
            ("类别", "环境/保洁"),
            ("有效性", "有效"),
            ("等级", "一般"),
            ("处理书号", "TS2610-001"),
            ("处理部门", "保洁部/刘洋"),
            ("接待人", "李娜"),
        ])]
        .concat();
        let sheet = |no: &str, received: &str, closed: &str, signer: &str| {
            row(&[
                ("编号", no),
                ("受理时间", received),
                ("投诉人", "赵一"),
                ("房号", "1-1-101"),
                ("投诉内容", "楼道垃圾两天没人清理"),
                ("投诉类别", "环境/保洁"),
                ("有效性", "有效"),
                ("等级", "一般"),
                ("处理意见", "责成保洁部当日清理"),
                ("处理部门", "保洁部"),
                ("处理期限", "2026-10-19"),
                ("办结日期", closed),
                ("受理人", "李娜"),
                ("处理责任人", signer),
                ("客服主管审核", "张伟"),
            ])
        };
        let sheets = [
            sheet("TS2610-001", "2026-10-12 09:30", "2026-10-20", "刘洋"),
            sheet("TS2610-002", "2026-10-14 10:00", "", ""),
        ]
        .concat();
        let fx = fixture(&register, &sheets, d("2026-10-31"));
        let fs = findings(&fx.ctx_at(d("2026-10-31")));
        let replies = of(&fs, "办结投诉并答复业主");
        assert_eq!(replies.len(), 2, "{:#?}\n{}", fs, fx.problems());
        // The register row, closed per its 处理书 on 10-20, one day after 10-19 (10-12 + 5 working days).
        let first = replies.iter().find(|f| f.register == Some(RegisterId::Form(18))).unwrap();
        assert_eq!((first.state, first.due, first.done), (State::Late, Some(d("2026-10-19")), Some(d("2026-10-20"))));
        assert_eq!(first.owner.as_deref(), Some("刘洋"));
        // The 处理书 the register does not list, still open: due 10-21, overdue by 10 days.
        let second = replies.iter().find(|f| f.register == Some(RegisterId::Form(19))).unwrap();
        assert_eq!((second.row, second.state, second.due), (Some(1), State::Overdue, Some(d("2026-10-21"))));
        assert_eq!(second.owner.as_deref(), Some("保洁部"));
        // The register row closed and unvisited: follow-up due 3 working days after 10-20.
        let visits = of(&fs, "投诉办结后回访");
        assert_eq!(visits.len(), 1);
        assert_eq!((visits[0].due, visits[0].state), (Some(d("2026-10-23")), State::Overdue));
    }

    #[test]
    fn a_deadline_in_2027_is_a_calendar_gap_not_a_guess() {
        let register = complaint("2026-12-29 10:00|1-1-101|楼道灯坏了|工程/维修|有效|一般||||");
        let fx = fixture(&register, "", d("2027-01-31"));
        let fs = findings(&fx.ctx_at(d("2027-01-08")));
        assert_eq!(fs.len(), 1, "{fs:#?}");
        let f = &fs[0];
        assert_eq!((f.what.as_str(), f.state, f.due), ("办结投诉并答复业主", State::Unknown, None));
        assert_eq!((f.register, f.row), (Some(RegisterId::Form(18)), Some(0)));
        assert!(f.why.contains("2027 年的放假安排尚未录入"), "{}", f.why);
    }

    #[test]
    fn statistics_rows_add_up_to_the_total() {
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
        assert_eq!(f20.rows.len(), 11);
        let mut sum = Form20Row { category: "合计", ..Form20Row::default() };
        for r in &f20.rows {
            sum.add(r);
            assert_eq!(r.valid + r.invalid, r.total, "{}", r.category);
            assert_eq!(r.level_normal + r.level_major + r.level_urgent, r.total, "{}", r.category);
        }
        assert_eq!(sum, f20.total);
        let t = &f20.total;
        assert_eq!((t.total, t.valid, t.invalid), (4, 3, 1));
        assert_eq!((t.level_normal, t.level_major, t.level_urgent), (2, 1, 1));
        // 暖气不热 due 10-15 closed 10-10; 电梯困人 紧急 due 10-10 closed 10-12 (late); 房价 closed 10-10.
        assert_eq!((t.closed, t.closed_on_time, t.visited, t.satisfied), (3, 2, 2, 1));
        let repair = &f20.rows[2];
        assert_eq!((repair.category, repair.total, repair.closed_on_time), ("工程/维修", 2, 1));
    }

    #[test]
    fn percentages_round_half_up_to_one_decimal() {
        assert_eq!(percent(1, 8), "12.5%");
        assert_eq!(percent(1, 3), "33.3%");
        assert_eq!(percent(2, 3), "66.7%");
        assert_eq!(percent(1, 16), "6.3%", "6.25 rounds up");
        assert_eq!(percent(7, 7), "100.0%");
        assert_eq!(percent(0, 0), "—");
    }

    #[test]
    fn a_period_that_is_not_a_month_prints_both_ends() {
        let f = Form20 {
            from: d("2026-05-01"),
            to: d("2026-10-31"),
            rows: Vec::new(),
            total: Form20Row::default(),
            trace: Default::default(),
        };
        assert_eq!(f.period(), "2026年5月1日至2026年10月31日");
    }
}
