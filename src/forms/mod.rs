//! The controlled forms (受控表单) of the manual: one definition file per numbered form in `forms/`.
//!
//! Input: `forms/NN.yaml`, one per form 地王/客服记录-01 … -31. Output: a validated [`FormSet`]
//! that every later stage reads — ingest maps register columns to [`Field`]s through their labels
//! and aliases, the PDF renderer prints them, the xlsx writer uses their labels and widths.
//! A field is declared once, here.
//!
//! Failure: YAML syntax or schema errors carry file, line and column; semantic errors (duplicate
//! keys, a letter placeholder naming no field, a number that does not match its file name, a
//! missing form) carry file and field. All problems of all files are reported together.

mod letter;
mod select;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Problem, Problems};
use crate::yaml;

pub use letter::{Segment, parse_segments};
pub use select::{SelectError, parse_selection};

/// The numbers of the manual's controlled forms: 地王/客服记录-01 … -31.
pub const FORM_NUMBERS: std::ops::RangeInclusive<u8> = 1..=31;

/// One numbered form as defined in `forms/NN.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FormDef {
    /// The form's number within the manual's series (1 → 地王/客服记录-01).
    pub number: u8,
    /// Title exactly as the manual prints it, without 《》.
    pub title: String,
    /// The procedure (规程) of the manual the form belongs to.
    pub procedure: String,
    /// Clauses of the procedure that require what the form records, e.g. `4.2.2`.
    #[serde(default)]
    pub clauses: Vec<String>,
    /// One line on what the form is for, printed in the pack's table of contents.
    pub purpose: String,
    /// Register with rows, single-sheet form or letter.
    pub kind: FormKind,
    /// Paper size.
    #[serde(default)]
    pub paper: Paper,
    /// Page orientation.
    pub orientation: Orientation,
    /// Number of copies (联) printed of each sheet, e.g. 验房单 一式两份.
    #[serde(default = "one")]
    pub copies: u8,
    /// What each copy is for, e.g. `第一联 物业留存`; defaults to 第一联, 第二联, ….
    #[serde(default)]
    pub copy_labels: Vec<String>,
    /// The fields, in printing order.
    pub fields: Vec<Field>,
    /// Layout options of a register (台帐).
    #[serde(default)]
    pub register: RegisterLayout,
    /// Layout options of a single-sheet form (单).
    #[serde(default)]
    pub sheet: SheetLayout,
    /// Text of a letter (通知书); required when `kind` is `letter`.
    #[serde(default)]
    pub letter: Option<LetterText>,
    /// Notes (说明) printed under the form, e.g. the rule it enforces.
    #[serde(default)]
    pub notes: Vec<String>,
}

/// What shape a form has on paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FormKind {
    /// 台帐: a register, one ruled row per event.
    Register,
    /// 单: a single-sheet form, fields laid out as label and blank.
    Sheet,
    /// 通知书: a letter to an owner with blanks in its text.
    Letter,
}

impl FormKind {
    /// The Chinese name staff use for this kind of form.
    pub fn label(self) -> &'static str {
        match self {
            FormKind::Register => "台帐",
            FormKind::Sheet => "单",
            FormKind::Letter => "通知书",
        }
    }
}

/// Paper size of a form.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
pub enum Paper {
    #[default]
    A4,
    A5,
}

/// Page orientation of a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Orientation {
    Portrait,
    Landscape,
}

/// One thing a form records.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// Identifier used in code and data, ASCII snake_case, unique within the form.
    pub key: String,
    /// The Chinese label printed on the form and used as the register's column header.
    pub label: String,
    /// What kind of value the field holds.
    #[serde(rename = "type")]
    pub ty: FieldType,
    /// Printed width in Chinese characters (em); also the xlsx column width.
    pub width: f32,
    /// Whether a filled record must have a value.
    #[serde(default)]
    pub required: bool,
    /// Other column headers found in departments' workbooks for this field (联系电话/电话/手机).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Allowed values of a `choice` field, printed as □ boxes on blank forms.
    #[serde(default)]
    pub options: Vec<String>,
    /// Rows of a `checklist` field (e.g. the rooms and items of 验房单).
    #[serde(default)]
    pub items: Vec<String>,
    /// Result columns of a `checklist` field, e.g. `[合格, 不合格, 问题描述]`.
    #[serde(default)]
    pub columns: Vec<String>,
    /// Handwriting lines given to a long text on a sheet (default 1).
    #[serde(default)]
    pub lines: Option<u8>,
    /// Which columns of the sheet's grid the field spans; `full` for the whole width.
    #[serde(default)]
    pub span: Span,
    /// Heading of the group of fields this one belongs to: a section title on a sheet, a
    /// merged header cell over consecutive columns of a register.
    #[serde(default)]
    pub group: Option<String>,
    /// `document`: printed once above a register's table (e.g. 月份, 制表人), not per row.
    #[serde(default)]
    pub scope: Scope,
    /// Unit printed after the blank, e.g. `元`, `吨`, `人`.
    #[serde(default)]
    pub unit: Option<String>,
    /// Format hint for staff filling the register, e.g. `楼号-单元-房号，如 1-2-301`.
    #[serde(default)]
    pub hint: Option<String>,
    /// For a signature: print a date blank beside it.
    #[serde(default)]
    pub dated: bool,
    /// No two records of the register may share a value (单号, 编号).
    #[serde(default)]
    pub unique: bool,
    /// A date or time that may lie after the run date: a deadline, an appointment, a plan.
    #[serde(default)]
    pub planned: bool,
    /// Key of an earlier date/time field this one cannot precede (归还 after 借出, 完成 after 接收).
    #[serde(default)]
    pub not_before: Option<String>,
    /// For a `choice`: the words staff write for each option (`工程/维修: [工程, 维修]`), read as
    /// that option. Departments' own words go in `mapping.yaml` (`values:`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub synonyms: BTreeMap<String, Vec<String>>,
    /// For a `choice`: the option a blank cell stands for in [`Field::required_when`] and the
    /// rules (a reception log without a 类别 column holds repairs only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// With `required`: required only when the choice field named here holds one of these
    /// options (its `default` when blank), e.g. `{category: [报修]}`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub required_when: BTreeMap<String, Vec<String>>,
    /// A column that holds this field and another together, as `19:00-20:00` holds a start and
    /// an end time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pair: Option<Pair>,
}

/// Two fields written in one cell, `from-to`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Pair {
    /// The key of the second field (the end).
    pub with: String,
    /// The headers of such a column, e.g. `时间段`.
    pub aliases: Vec<String>,
}

/// The type of a field's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    /// Free text.
    Text,
    /// A calendar date.
    Date,
    /// A time of day.
    Time,
    /// A date with a time of day.
    Datetime,
    /// A calendar month (billing period, plan month).
    Month,
    /// A whole number (count of keys, persons, hours …).
    Integer,
    /// A number with decimals (meter readings, areas).
    Decimal,
    /// An amount of RMB, kept in integer fen.
    Money,
    /// A phone number (masked outside the archive).
    Phone,
    /// A room number 楼号-单元-房号.
    Room,
    /// A room, or where the manual allows it a public place (`3号楼1单元`, `1号楼2单元楼道`,
    /// `网球场`) or `匿名`.
    Place,
    /// A PRC resident ID number (masked outside the archive).
    IdNumber,
    /// The name of a person (owner, staff member, visitor).
    Person,
    /// One of `options`.
    Choice,
    /// Yes or no, printed as □是 □否.
    Bool,
    /// A handwritten signature; in data, whether and by whom it was signed.
    Signature,
    /// A grid of `items` × `columns` ticked or annotated by hand.
    Checklist,
}

impl FieldType {
    /// The Chinese name of the type, for documentation and error messages.
    pub fn label(self) -> &'static str {
        match self {
            FieldType::Text => "文本",
            FieldType::Date => "日期",
            FieldType::Time => "时间",
            FieldType::Datetime => "日期时间",
            FieldType::Month => "月份",
            FieldType::Integer => "整数",
            FieldType::Decimal => "数值",
            FieldType::Money => "金额",
            FieldType::Phone => "电话",
            FieldType::Room => "房号",
            FieldType::Place => "房号或部位",
            FieldType::IdNumber => "身份证号",
            FieldType::Person => "姓名",
            FieldType::Choice => "选项",
            FieldType::Bool => "是否",
            FieldType::Signature => "签字",
            FieldType::Checklist => "检查表",
        }
    }
}

/// How much of a sheet's grid row a field takes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Span {
    /// One label–blank pair of the grid.
    #[default]
    Half,
    /// The whole width.
    Full,
}

/// Whether a register field is filled per row or once per sheet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// One value per row of a register (the default; every field of a sheet or letter).
    #[default]
    Row,
    /// One value per printed sheet, printed above a register's table.
    Document,
}

/// Layout options of a register.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterLayout {
    /// Height of a ruled row in millimetres; 8 mm and more leaves room for handwriting.
    #[serde(default = "default_row_height")]
    pub row_height_mm: f32,
    /// Print a 序号 column before the fields.
    #[serde(default = "yes")]
    pub serial: bool,
    /// Key of a `choice` field whose options are printed as fixed rows (statistics tables).
    #[serde(default)]
    pub fixed_rows: Option<String>,
    /// Print a 合计 row at the end of the table.
    #[serde(default)]
    pub total_row: bool,
}

impl Default for RegisterLayout {
    fn default() -> Self {
        Self { row_height_mm: default_row_height(), serial: true, fixed_rows: None, total_row: false }
    }
}

/// Layout options of a single-sheet form.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SheetLayout {
    /// Label–blank pairs per grid row (1–3).
    #[serde(default = "two")]
    pub columns: u8,
}

impl Default for SheetLayout {
    fn default() -> Self {
        Self { columns: 2 }
    }
}

/// The text of a letter. `{key}` in any part is a blank for the field `key`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LetterText {
    /// The salutation line, e.g. `{room} 业主（住户）：`.
    pub salutation: String,
    /// Body paragraphs, each printed with a two-character first-line indent.
    pub body: Vec<String>,
    /// The closing line, e.g. `特此通知。`.
    #[serde(default)]
    pub closing: Option<String>,
    /// Title of the tear-off slip returned by the owner (回执); its fields are those with
    /// `group` equal to this title.
    #[serde(default)]
    pub receipt: Option<String>,
}

fn one() -> u8 {
    1
}
fn two() -> u8 {
    2
}
fn yes() -> bool {
    true
}
fn default_row_height() -> f32 {
    9.0
}

impl FormDef {
    /// The form's code, e.g. `地王/客服记录-16`, given the series prefix of the configuration.
    pub fn code(&self, prefix: &str) -> String {
        format!("{prefix}-{:02}", self.number)
    }

    /// The label of copy `index` (0-based): the configured one or 第一联, 第二联, ….
    pub fn copy_label(&self, index: usize) -> String {
        match self.copy_labels.get(index) {
            Some(label) => label.clone(),
            None => format!("第{}联", crate::text::chinese_ordinal(index + 1)),
        }
    }

    /// The field with `key`, if any.
    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// Parses and validates one definition. `origin` names the file in messages.
    pub fn parse(text: &str, origin: &Path) -> Result<FormDef, Problems> {
        let def: FormDef = yaml::from_str(text, origin).map_err(Problems::from)?;
        let problems = def.validate(origin);
        if problems.is_empty() { Ok(def) } else { Err(Problems(problems)) }
    }

    /// Every semantic problem of the definition; empty when it is valid.
    fn validate(&self, origin: &Path) -> Vec<Problem> {
        let mut out = Vec::new();
        let mut say = |what: String| out.push(Problem::in_file(origin, what));
        if !FORM_NUMBERS.contains(&self.number) {
            say(format!("表单编号 {} 超出手册范围，应为 1 至 31", self.number));
        }
        for (name, value) in [("title", &self.title), ("procedure", &self.procedure), ("purpose", &self.purpose)] {
            if value.trim().is_empty() {
                say(format!("`{name}` 不能为空"));
            }
        }
        if !(1..=4).contains(&self.copies) {
            say(format!("`copies` 为 {}，应为 1 至 4 联", self.copies));
        }
        if self.copy_labels.len() > usize::from(self.copies) {
            say(format!("`copy_labels` 有 {} 项，多于 `copies` 的 {} 联", self.copy_labels.len(), self.copies));
        }
        if self.fields.is_empty() {
            say("没有任何字段（fields）".to_string());
        }
        let mut seen_keys = BTreeMap::new();
        let mut seen_labels = BTreeMap::new();
        for field in &self.fields {
            for problem in field.validate() {
                say(format!("字段 `{}`（{}）：{problem}", field.key, field.label));
            }
            if seen_keys.insert(field.key.as_str(), ()).is_some() {
                say(format!("字段键 `{}` 重复", field.key));
            }
            for name in std::iter::once(&field.label).chain(&field.aliases) {
                if let Some(other) = seen_labels.insert(name.as_str(), field.key.as_str()) {
                    say(format!("表头名称「{name}」同时属于字段 `{other}` 和 `{}`，导入时无法区分", field.key));
                }
            }
        }
        for problem in check_field_references(&self.fields) {
            say(problem);
        }
        match self.kind {
            FormKind::Register => self.validate_register(&mut say),
            FormKind::Sheet => {
                if !(1..=3).contains(&self.sheet.columns) {
                    say(format!("`sheet.columns` 为 {}，应为 1 至 3", self.sheet.columns));
                }
            }
            FormKind::Letter => self.validate_letter(&mut say),
        }
        if self.kind != FormKind::Letter && self.letter.is_some() {
            say(format!("`letter` 只用于通知书（kind: letter），本表单是{}", self.kind.label()));
        }
        out
    }

    fn validate_register(&self, say: &mut impl FnMut(String)) {
        let layout = &self.register;
        if !(6.0..=30.0).contains(&layout.row_height_mm) {
            say(format!("`register.row_height_mm` 为 {}，应在 6 至 30 毫米之间", layout.row_height_mm));
        }
        if let Some(key) = &layout.fixed_rows {
            match self.field(key) {
                Some(f) if f.ty == FieldType::Choice => {}
                Some(_) => say(format!("`register.fixed_rows` 指向的字段 `{key}` 不是选项（choice）字段")),
                None => say(format!("`register.fixed_rows` 指向不存在的字段 `{key}`")),
            }
        }
        if !self.fields.iter().any(|f| f.scope == Scope::Row) {
            say("台帐至少需要一个逐行填写的字段（scope: row）".to_string());
        }
        for f in &self.fields {
            if f.ty == FieldType::Checklist {
                say(format!("字段 `{}`：台帐中不能使用检查表（checklist）类型", f.key));
            }
        }
        // Consecutive columns share a merged group header; a group split in two would print twice.
        let row_groups: Vec<Option<&str>> =
            self.fields.iter().filter(|f| f.scope == Scope::Row).map(|f| f.group.as_deref()).collect();
        let mut closed = Vec::new();
        for pair in row_groups.windows(2) {
            if pair[0] != pair[1] {
                if let Some(g) = pair[0] {
                    closed.push(g);
                }
                if let Some(g) = pair[1]
                    && closed.contains(&g)
                {
                    say(format!("分组「{g}」的字段不相邻，表头无法合并；请把它们排在一起"));
                }
            }
        }
    }

    fn validate_letter(&self, say: &mut impl FnMut(String)) {
        let Some(letter) = &self.letter else {
            say("通知书（kind: letter）必须有 `letter` 正文".to_string());
            return;
        };
        let mut used = BTreeMap::new();
        let parts = std::iter::once(&letter.salutation).chain(&letter.body).chain(letter.closing.as_ref());
        for part in parts {
            match parse_segments(part) {
                Ok(segments) => {
                    for seg in segments {
                        if let Segment::Blank(key) = seg {
                            if self.field(&key).is_none() {
                                say(format!("正文中的 {{{key}}} 没有对应的字段"));
                            }
                            *used.entry(key).or_insert(0) += 1;
                        }
                    }
                }
                Err(e) => say(format!("正文「{part}」：{e}")),
            }
        }
        for f in &self.fields {
            let in_receipt = letter.receipt.is_some() && f.group == letter.receipt;
            let placed = used.contains_key(&f.key) || in_receipt || f.ty == FieldType::Signature;
            if !placed {
                say(format!("字段 `{}`（{}）既不在正文中，也不在回执或签字中，不会被印出", f.key, f.label));
            }
            if in_receipt && used.contains_key(&f.key) {
                say(format!("字段 `{}` 同时出现在正文和回执中", f.key));
            }
        }
    }
}

/// `not_before` must name another date/time field of the same form with a comparable type.
fn check_field_references(fields: &[Field]) -> Vec<String> {
    let mut out = Vec::new();
    for f in fields {
        let Some(other) = &f.not_before else { continue };
        match fields.iter().find(|g| &g.key == other) {
            None => out.push(format!("字段 `{}` 的 not_before 指向不存在的字段 `{other}`", f.key)),
            Some(g) if g.key == f.key => out.push(format!("字段 `{}` 的 not_before 不能指向自己", f.key)),
            Some(g) => {
                let comparable = matches!(
                    (f.ty, g.ty),
                    (FieldType::Date | FieldType::Datetime, FieldType::Date | FieldType::Datetime)
                        | (FieldType::Time, FieldType::Time)
                        | (FieldType::Month, FieldType::Month)
                );
                if !comparable {
                    out.push(format!(
                        "字段 `{}`（{}）不能与 `{}`（{}）比较先后",
                        f.key,
                        f.ty.label(),
                        g.key,
                        g.ty.label()
                    ));
                }
            }
        }
    }
    out
}

impl Field {
    fn validate(&self) -> Vec<String> {
        let mut out = Vec::new();
        let key_ok = !self.key.is_empty()
            && self.key.starts_with(|c: char| c.is_ascii_lowercase())
            && self.key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !key_ok {
            out.push("键名应为小写英文字母、数字和下划线，并以字母开头".to_string());
        }
        if self.label.trim().is_empty() {
            out.push("标签（label）不能为空".to_string());
        }
        if !(1.0..=60.0).contains(&self.width) {
            out.push(format!("宽度 {} 不在 1 至 60 个字之间", self.width));
        }
        let needs_options = self.ty == FieldType::Choice;
        if needs_options && self.options.len() < 2 {
            out.push("选项（choice）字段至少需要两个 options".to_string());
        }
        if !needs_options && !self.options.is_empty() {
            out.push("只有选项（choice）字段可以有 options".to_string());
        }
        let is_checklist = self.ty == FieldType::Checklist;
        if is_checklist && (self.items.is_empty() || self.columns.is_empty()) {
            out.push("检查表（checklist）字段需要 items 和 columns".to_string());
        }
        let has_grid = !self.items.is_empty() || !self.columns.is_empty();
        if !is_checklist && has_grid {
            out.push("只有检查表（checklist）字段可以有 items 和 columns".to_string());
        }
        if self.dated && self.ty != FieldType::Signature {
            out.push("只有签字（signature）字段可以设 dated".to_string());
        }
        let is_time = matches!(self.ty, FieldType::Date | FieldType::Datetime | FieldType::Time | FieldType::Month);
        if self.planned && !is_time {
            out.push("只有日期、时间类字段可以设 planned".to_string());
        }
        if self.not_before.is_some() && !is_time {
            out.push("只有日期、时间类字段可以设 not_before".to_string());
        }
        for (option, words) in &self.synonyms {
            if !self.options.contains(option) {
                out.push(format!("synonyms 中的「{option}」不是本字段的选项"));
            }
            if words.iter().any(|w| self.options.contains(w)) {
                out.push(format!("synonyms 中「{option}」的同义词不能是另一个选项"));
            }
        }
        if let Some(d) = &self.default
            && !self.options.contains(d)
        {
            out.push(format!("default「{d}」不是本字段的选项"));
        }
        if self.pair.as_ref().is_some_and(|p| p.aliases.is_empty()) {
            out.push("pair 需要至少一个列名（aliases）".to_string());
        }
        if !self.required_when.is_empty() && !self.required {
            out.push("required_when 只能和 required: true 一起用".to_string());
        }
        if self.unique && !matches!(self.ty, FieldType::Text | FieldType::Integer | FieldType::Room) {
            out.push("只有文本、整数或房号字段可以设 unique".to_string());
        }
        if let Some(lines) = self.lines
            && !(1..=20).contains(&lines)
        {
            out.push(format!("lines 为 {lines}，应为 1 至 20"));
        }
        out
    }
}

/// A register that has no numbered form of its own: the rooms and owners (房屋及业主台帐) and
/// the fee ledger (物业费台帐). Defined in `forms/ledgers/<id>.yaml` with the same fields as forms.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LedgerDef {
    /// `rooms` or `fees`.
    pub id: LedgerId,
    /// Chinese title, e.g. 房屋及业主台帐.
    pub title: String,
    /// One line on what the register holds.
    pub purpose: String,
    /// Its columns.
    pub fields: Vec<Field>,
}

/// The registers without a numbered form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LedgerId {
    /// Rooms and owners.
    Rooms,
    /// Fees due and paid per room and billing period.
    Fees,
    /// Dunning steps taken per room (询问, 提示函 … 律师函), quality objections, deliveries.
    Dunning,
}

impl LedgerId {
    /// All ledgers, in loading order.
    pub const ALL: [LedgerId; 3] = [LedgerId::Rooms, LedgerId::Fees, LedgerId::Dunning];

    /// The file stem of the definition (`rooms`).
    pub fn key(self) -> &'static str {
        match self {
            LedgerId::Rooms => "rooms",
            LedgerId::Fees => "fees",
            LedgerId::Dunning => "dunning",
        }
    }
}

impl LedgerDef {
    /// Parses and validates one ledger definition.
    pub fn parse(text: &str, origin: &Path) -> Result<LedgerDef, Problems> {
        let def: LedgerDef = yaml::from_str(text, origin).map_err(Problems::from)?;
        let mut out = Vec::new();
        if def.fields.is_empty() {
            out.push(Problem::in_file(origin, "没有任何字段（fields）"));
        }
        let mut seen = BTreeMap::new();
        for field in &def.fields {
            for problem in field.validate() {
                out.push(Problem::in_file(origin, format!("字段 `{}`（{}）：{problem}", field.key, field.label)));
            }
            if field.ty == FieldType::Checklist {
                out.push(Problem::in_file(
                    origin,
                    format!("字段 `{}`：台帐中不能使用检查表（checklist）类型", field.key),
                ));
            }
            for name in std::iter::once(&field.label).chain(&field.aliases) {
                if let Some(other) = seen.insert(name.as_str(), field.key.as_str()) {
                    out.push(Problem::in_file(
                        origin,
                        format!("表头名称「{name}」同时属于字段 `{other}` 和 `{}`，导入时无法区分", field.key),
                    ));
                }
            }
        }
        for problem in check_field_references(&def.fields) {
            out.push(Problem::in_file(origin, problem));
        }
        if out.is_empty() { Ok(def) } else { Err(Problems(out)) }
    }

    /// The field with `key`, if any.
    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }
}

/// All form definitions, indexed by number.
#[derive(Debug, Clone)]
pub struct FormSet {
    forms: BTreeMap<u8, FormDef>,
    ledgers: BTreeMap<LedgerId, LedgerDef>,
    dir: PathBuf,
}

impl FormSet {
    /// Reads and validates every `NN.yaml` in `dir`; requires all of forms 01 … 31.
    pub fn load(dir: &Path) -> Result<FormSet, Problems> {
        let entries = std::fs::read_dir(dir)
            .map_err(|e| Problem::in_file(dir, format!("无法读取表单定义目录：{}", crate::error::io_reason(&e))))?;
        let mut files: Vec<PathBuf> = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| Problem::in_file(dir, crate::error::io_reason(&e)))?;
            let path = entry.path();
            if path.extension().is_some_and(|x| x == "yaml") {
                files.push(path);
            }
        }
        files.sort();
        let sources = files
            .into_iter()
            .map(|path| match std::fs::read_to_string(&path) {
                Ok(text) => Ok((path, text)),
                Err(e) => Err(Problem::in_file(&path, crate::error::io_reason(&e))),
            })
            .collect::<Vec<_>>();
        let mut problems = Vec::new();
        let mut ok = Vec::new();
        for source in sources {
            match source {
                Ok(pair) => ok.push(pair),
                Err(p) => problems.push(p),
            }
        }
        let ledger_dir = dir.join("ledgers");
        for id in LedgerId::ALL {
            let path = ledger_dir.join(format!("{}.yaml", id.key()));
            match std::fs::read_to_string(&path) {
                Ok(text) => ok.push((path, text)),
                // A missing ledger is reported by `from_sources`; other failures here.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => problems.push(Problem::in_file(&path, crate::error::io_reason(&e))),
            }
        }
        match FormSet::from_sources(dir, &ok) {
            Ok(set) if problems.is_empty() => Ok(set),
            Ok(_) => Err(Problems(problems)),
            Err(more) => {
                problems.extend(more.0);
                Err(Problems(problems))
            }
        }
    }

    /// Builds the set from `(file, text)` pairs — `NN.yaml` forms and `ledgers/<id>.yaml`
    /// ledgers; pure, for tests.
    pub fn from_sources(dir: &Path, sources: &[(PathBuf, String)]) -> Result<FormSet, Problems> {
        let mut problems = Vec::new();
        let mut forms = BTreeMap::new();
        let mut ledgers = BTreeMap::new();
        let mut files_by_number: BTreeMap<u8, &Path> = BTreeMap::new();
        for (path, text) in sources {
            if path.parent().and_then(|p| p.file_name()).is_some_and(|n| n == "ledgers") {
                match LedgerDef::parse(text, path) {
                    Ok(def) => {
                        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
                        if stem != def.id.key() {
                            problems.push(Problem::in_file(
                                path,
                                format!("文件名应为 {}.yaml，与其中的 id 一致", def.id.key()),
                            ));
                        }
                        ledgers.insert(def.id, def);
                    }
                    Err(e) => problems.extend(e.0),
                }
                continue;
            }
            match FormDef::parse(text, path) {
                Ok(def) => {
                    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
                    let expected = format!("{:02}", def.number);
                    if stem != expected {
                        problems.push(Problem::in_file(
                            path,
                            format!("文件名应为 {expected}.yaml，与其中的 number: {} 一致", def.number),
                        ));
                    }
                    if let Some(first) = files_by_number.insert(def.number, path) {
                        problems.push(Problem::in_file(
                            path,
                            format!("表单 {:02} 已在 {} 中定义", def.number, first.display()),
                        ));
                    }
                    forms.insert(def.number, def);
                }
                Err(e) => {
                    // The file is there but broken: say what is wrong with it, not that it is missing.
                    if let Some(n) = path.file_stem().and_then(|s| s.to_str()).and_then(|s| s.parse().ok()) {
                        files_by_number.entry(n).or_insert(path);
                    }
                    problems.extend(e.0);
                }
            }
        }
        let missing: Vec<String> =
            FORM_NUMBERS.filter(|n| !files_by_number.contains_key(n)).map(|n| format!("{n:02}")).collect();
        if !missing.is_empty() {
            problems.push(Problem::in_file(dir, format!("缺少表单定义：{}", missing.join("、"))));
        }
        let ledger_files: Vec<&str> = sources
            .iter()
            .filter(|(p, _)| p.parent().and_then(|d| d.file_name()).is_some_and(|n| n == "ledgers"))
            .filter_map(|(p, _)| p.file_stem().and_then(|s| s.to_str()))
            .collect();
        let missing_ledgers: Vec<&str> =
            LedgerId::ALL.iter().map(|id| id.key()).filter(|key| !ledger_files.contains(key)).collect();
        if !missing_ledgers.is_empty() {
            problems
                .push(Problem::in_file(&dir.join("ledgers"), format!("缺少台帐定义：{}", missing_ledgers.join("、"))));
        }
        if problems.is_empty() {
            Ok(FormSet { forms, ledgers, dir: dir.to_path_buf() })
        } else {
            Err(Problems(problems))
        }
    }

    /// The form with `number`.
    pub fn get(&self, number: u8) -> Option<&FormDef> {
        self.forms.get(&number)
    }

    /// All forms in number order.
    pub fn iter(&self) -> impl Iterator<Item = &FormDef> {
        self.forms.values()
    }

    /// The definition of a ledger without a numbered form.
    pub fn ledger(&self, id: LedgerId) -> Option<&LedgerDef> {
        self.ledgers.get(&id)
    }

    /// The folder the definitions were read from.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

impl fmt::Display for FormKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}
