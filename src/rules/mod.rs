//! The procedures' rules, one module per procedure of the manual, each applied to the loaded
//! registers as of the run date.
//!
//! Input: a [`Context`] — the dataset, form definitions, configuration, working-day calendar,
//! the rule parameters (`rules:` in `input/kefu.yaml`, defaults = the manual's numbers) and the run
//! date. Output: [`Finding`]s, each saying which rule, which record, what is due or was missed,
//! when, and why. Failure: a date outside the calendar's years is reported as a finding of its own
//! rather than guessed. Rules read no files: the calendar and the complaint classifier come to
//! them parsed.
//!
//! Every procedure (规程) of the manual, in its order, and where its rules are. The manual holds
//! sixteen; those marked "forms only" give kefu printed forms and registers but no rule a
//! register can be checked against (their deadlines are not stated, or concern paper kefu does
//! not see).
//!
//! | 规程 | forms | module |
//! | --- | --- | --- |
//! | 业主办理入住标准规程 | 01–03 | forms only (filing of the move-in papers: [`archive`]) |
//! | 业主档案建立、管理规程 | 04, 05 | [`archive`] |
//! | 内业资料管理标准规程 | 06 | forms only |
//! | 物业客服管家走访标准规程 | 07–09 | [`visits`] |
//! | 品质检查相关规程 | 10, 11 | [`quality`] |
//! | 热水经营管理规程 | 12 (and hot-water repairs on 15, 16) | [`services::hot_water`] |
//! | 网球场管理规程 | 13 | [`services::tennis`] |
//! | 物业客服物品寄存管理规定 | 14 | forms only |
//! | 物业收费及催缴管理规程 | fee ledger, 催缴记录 | [`dunning`] |
//! | 业主报修处理规程 | 15–17 | [`repairs`] |
//! | 客户投诉处理规程 | 18–21 | [`complaints`] |
//! | 印章使用管理规程 | 22 | forms only |
//! | 钥匙管理规定 | 23–26 | [`keys`] |
//! | “智能卡”管理规程 | 27, 28 | [`services::smart_cards`] |
//! | 租务管理规程 | 29, 30 | [`services::rentals`] |
//! | 社区文化活动规程 | 31 | forms only |
//!
//! Beside them: [`calendar`] (working days, 调休), [`due`] (the deadline list), [`kpi`] (the
//! monthly counts and KPIs).

pub mod archive;
pub mod calendar;
pub mod complaints;
pub mod due;
pub mod dunning;
pub mod keys;
pub mod kpi;
pub mod quality;
pub mod repairs;
pub mod services;
pub mod visits;

use std::ops::Range;

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::error::Location;
use crate::forms::{Field, FormSet, LedgerId};
use crate::model::{Dataset, Register, RegisterId, Value};
use crate::parse::room::RoomId;

pub use calendar::{Calendar, UnknownYear};

/// Every rule parameter, by procedure; each default is the manual's number.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RuleParams {
    /// 物业客服管家走访标准规程.
    #[serde(default)]
    pub visits: visits::Params,
    /// 客户投诉处理规程.
    #[serde(default)]
    pub complaints: complaints::Params,
    /// 业主报修处理规程 and 热水经营管理规程 (repairs).
    #[serde(default)]
    pub repairs: repairs::Params,
    /// 业主档案建立、管理规程.
    #[serde(default)]
    pub archive: archive::Params,
    /// 钥匙管理规定.
    #[serde(default)]
    pub keys: keys::Params,
    /// 品质检查相关规程.
    #[serde(default)]
    pub quality: quality::Params,
    /// 智能卡, 租务, 网球场, 热水 (meter readings and renewals).
    #[serde(default)]
    pub services: services::Params,
    /// 物业收费及催缴管理规程: the dunning ladder and late fees.
    #[serde(default)]
    pub dunning: dunning::Params,
    /// The monthly report: KPIs and masking of personal data.
    #[serde(default)]
    pub monthly: crate::rules::kpi::Params,
}

impl RuleParams {
    /// The `rules:` section of the configuration text (`kefu.yaml`); the defaults where it is
    /// absent. Other sections are the configuration's and are not looked at here.
    pub fn from_config(text: &str, origin: &std::path::Path) -> Result<RuleParams, crate::error::Problems> {
        #[derive(Deserialize)]
        struct Section {
            #[serde(default)]
            rules: RuleParams,
        }
        let section: Section = crate::yaml::from_str(text, origin)?;
        Ok(section.rules)
    }
}

/// What a finding says about its deadline or rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Not done yet, due on or after the run date.
    Open,
    /// Not done and past its due date.
    Overdue,
    /// Done, but after its due date.
    Late,
    /// A rule broken without a deadline (a booking outside opening hours, a wrong commission).
    Breach,
    /// A deadline kefu cannot compute: its year is missing from the working-day calendar.
    Unknown,
}

impl State {
    /// 未到期 / 已逾期 / 逾期完成 / 不符合规定.
    pub fn label(self) -> &'static str {
        match self {
            State::Open => "待办",
            State::Overdue => "已逾期",
            State::Late => "逾期完成",
            State::Breach => "不符合规定",
            State::Unknown => "无法计算",
        }
    }

    /// Whether the item belongs on the deadline list: still to be done, or impossible to date
    /// until the calendar is completed.
    pub fn is_open(self) -> bool {
        matches!(self, State::Open | State::Overdue | State::Unknown)
    }
}

/// One result of a rule: something due, overdue, done late, or not as the manual requires.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The procedure, e.g. 物业客服管家走访标准规程.
    pub procedure: &'static str,
    /// The clause, e.g. `3.4.2`.
    pub clause: &'static str,
    /// What is due, in a few words: 书面回复走访意见.
    pub what: String,
    /// The record it is about, if any.
    pub register: Option<RegisterId>,
    pub row: Option<usize>,
    /// The room concerned, if any.
    pub room: Option<RoomId>,
    /// When it is (was) due.
    pub due: Option<NaiveDate>,
    /// When it was done, if it was.
    pub done: Option<NaiveDate>,
    /// Who owns it: a staff member or a role.
    pub owner: Option<String>,
    pub state: State,
    /// How the rule reached its result, in Chinese: the numbers and dates it used.
    pub why: String,
}

impl Finding {
    /// A finding of clause `clause` of `procedure`: `what` (a few words), in `state`, because
    /// `why`; about no record, room or date until the setters below say so.
    pub fn new(
        procedure: &'static str,
        clause: &'static str,
        what: impl Into<String>,
        state: State,
        why: impl Into<String>,
    ) -> Finding {
        Finding {
            procedure,
            clause,
            what: what.into(),
            register: None,
            row: None,
            room: None,
            due: None,
            done: None,
            owner: None,
            state,
            why: why.into(),
        }
    }

    /// About record `row` of the register `view` reads.
    pub fn at(self, view: &View<'_>, row: usize) -> Finding {
        self.register(view.id).row(row)
    }

    /// About a record of `register` (or none).
    pub fn register(mut self, register: impl Into<Option<RegisterId>>) -> Finding {
        self.register = register.into();
        self
    }

    /// About record `row` (or none) of its register.
    pub fn row(mut self, row: impl Into<Option<usize>>) -> Finding {
        self.row = row.into();
        self
    }

    /// About room `room` (or none).
    pub fn room(mut self, room: impl Into<Option<RoomId>>) -> Finding {
        self.room = room.into();
        self
    }

    /// Due on `due` (or undated).
    pub fn due(mut self, due: impl Into<Option<NaiveDate>>) -> Finding {
        self.due = due.into();
        self
    }

    /// Done on `done` (or not done).
    pub fn done(mut self, done: impl Into<Option<NaiveDate>>) -> Finding {
        self.done = done.into();
        self
    }

    /// Owned by `owner`, a staff member or a role (or nobody named).
    pub fn owner(mut self, owner: impl Into<Option<String>>) -> Finding {
        self.owner = owner.into();
        self
    }

    /// In `state` instead.
    pub fn state(mut self, state: State) -> Finding {
        self.state = state;
        self
    }

    /// Saying `what` instead.
    pub fn what(mut self, what: impl Into<String>) -> Finding {
        self.what = what.into();
        self
    }

    /// Under procedure `procedure` instead.
    pub fn procedure(mut self, procedure: &'static str) -> Finding {
        self.procedure = procedure;
        self
    }

    /// Under clause `clause` instead.
    pub fn clause(mut self, clause: &'static str) -> Finding {
        self.clause = clause;
        self
    }

    /// Because `why` instead.
    pub fn why(mut self, why: impl Into<String>) -> Finding {
        self.why = why.into();
        self
    }

    /// Days past due as of `as_of` (open items) or at completion (late items); 0 otherwise.
    pub fn days_overdue(&self, as_of: NaiveDate) -> i64 {
        match (self.state, self.due) {
            (State::Overdue, Some(due)) => (as_of - due).num_days().max(0),
            (State::Late, Some(due)) => self.done.map_or(0, |d| (d - due).num_days().max(0)),
            _ => 0,
        }
    }
}

/// The state of a deadline: open, overdue, done late — or `None` when done in time.
pub fn deadline_state(due: NaiveDate, done: Option<NaiveDate>, as_of: NaiveDate) -> Option<State> {
    match done {
        Some(d) if d <= due => None,
        Some(_) => Some(State::Late),
        None if as_of > due => Some(State::Overdue),
        None => Some(State::Open),
    }
}

/// Everything a rule reads.
pub struct Context<'a> {
    pub data: &'a Dataset,
    pub forms: &'a FormSet,
    pub config: &'a Config,
    pub calendar: &'a Calendar,
    pub params: &'a RuleParams,
    /// The complaint classification rules (`input/complaint_rules.yaml`).
    pub classifier: &'a complaints::Classifier,
    pub as_of: NaiveDate,
    /// Records left out because something in them is wrong (what depends on them is left out too).
    pub excluded: &'a crate::model::Exclusions,
}

impl<'a> Context<'a> {
    /// The register of form `number`, if it was loaded.
    pub fn form(&self, number: u8) -> Option<View<'a>> {
        self.view(RegisterId::Form(number))
    }

    /// The rooms or fees ledger, if it was loaded.
    pub fn ledger(&self, id: LedgerId) -> Option<View<'a>> {
        self.view(RegisterId::Ledger(id))
    }

    fn view(&self, id: RegisterId) -> Option<View<'a>> {
        Some(View { id, reg: self.data.register(id)?, fields: id.fields(self.forms) })
    }
}

/// A register read by field key.
#[derive(Clone, Copy)]
pub struct View<'a> {
    pub id: RegisterId,
    pub reg: &'a Register,
    pub fields: &'a [Field],
}

impl<'a> View<'a> {
    /// Record indices.
    pub fn rows(&self) -> Range<usize> {
        0..self.reg.len()
    }

    /// The index of field `key`.
    pub fn col(&self, key: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.key == key)
    }

    /// The field `key`'s definition.
    pub fn field(&self, key: &str) -> Option<&'a Field> {
        self.fields.iter().find(|f| f.key == key)
    }

    pub fn value(&self, row: usize, key: &str) -> Option<Value> {
        self.reg.get(row, self.col(key)?)
    }

    pub fn text(&self, row: usize, key: &str) -> Option<&'a str> {
        self.reg.text(row, self.col(key)?)
    }

    pub fn date(&self, row: usize, key: &str) -> Option<NaiveDate> {
        self.reg.date(row, self.col(key)?)
    }

    pub fn datetime(&self, row: usize, key: &str) -> Option<NaiveDateTime> {
        self.reg.datetime(row, self.col(key)?)
    }

    /// The datetime of `key` only when its time of day was written: a date typed alone has no
    /// minutes to compare.
    pub fn exact_datetime(&self, row: usize, key: &str) -> Option<NaiveDateTime> {
        let col = self.col(key)?;
        self.reg.time_known(row, col).then(|| self.reg.datetime(row, col)).flatten()
    }

    /// Whether `key` says done without a date (`已还`).
    pub fn undated(&self, row: usize, key: &str) -> bool {
        self.col(key).is_some_and(|c| self.reg.undated(row, c))
    }

    pub fn int(&self, row: usize, key: &str) -> Option<i64> {
        self.reg.int(row, self.col(key)?)
    }

    pub fn room(&self, row: usize, key: &str) -> Option<RoomId> {
        self.reg.room(row, self.col(key)?)
    }

    pub fn flag(&self, row: usize, key: &str) -> Option<bool> {
        self.reg.flag(row, self.col(key)?)
    }

    /// Where field `key` of record `row` is, for messages.
    pub fn locate(&self, row: usize, key: &str) -> Location {
        let field = self.col(key).map(|i| (i, &self.fields[i]));
        self.reg.locate(row, field)
    }
}

/// The records behind each count of a statistic, by the count's key: what a monthly KPI cites.
pub type Trace = std::collections::BTreeMap<&'static str, Vec<(crate::model::RegisterId, usize)>>;

/// Records `row` of `register` under `key`.
pub fn trace(t: &mut Trace, key: &'static str, register: crate::model::RegisterId, row: usize) {
    t.entry(key).or_default().push((register, row));
}

/// What a record of register `id` is left out of when something in it is wrong (the dependency
/// rules of docs/rules.md §0): its own register's rules, and what rests on it.
pub fn left_out_of(id: Option<RegisterId>) -> &'static str {
    match id {
        Some(RegisterId::Ledger(LedgerId::Rooms)) => "该户的催缴函件与催缴台帐、走访计划、业主档案；房屋与入住统计",
        Some(RegisterId::Ledger(LedgerId::Fees)) => "该户的催缴函件、催缴台帐与起诉清单；物业费收缴率等月报指标",
        Some(RegisterId::Ledger(LedgerId::Dunning)) => "该户的催缴函件、催缴台帐与起诉清单",
        Some(RegisterId::Form(15..=17)) => "报修的期限清单、维修及时率与返修率、月报中的本台帐、业主档案",
        Some(RegisterId::Form(18 | 19 | 21)) => "投诉的期限清单、投诉指标与投诉分类统计表、月报中的本台帐、业主档案",
        Some(RegisterId::Form(7..=9)) => "走访的期限清单、走访指标、月报中的本台帐、业主档案",
        Some(RegisterId::Form(10 | 11)) => "品质检查的期限清单与检查指标、月报中的本台帐",
        Some(RegisterId::Form(_)) => "本台帐的规则与期限清单、月报中的本台帐、业主档案",
        None => "本文件的全部记录",
    }
}

/// Runs every rule; findings in a stable order (procedure, due date, register, row).
pub fn run_all(ctx: &Context<'_>) -> Vec<Finding> {
    use rayon::prelude::*;
    type Rule = fn(&Context<'_>) -> Vec<Finding>;
    const RULES: [Rule; 8] = [
        visits::findings,
        dunning::findings,
        complaints::findings,
        repairs::findings,
        archive::findings,
        keys::findings,
        quality::findings,
        services::findings,
    ];
    // The procedures are independent: run them side by side, then merge in a fixed order.
    let mut all: Vec<Finding> = RULES.par_iter().map(|rule| rule(ctx)).collect::<Vec<_>>().concat();
    all.sort_by(|a, b| (a.due, a.procedure, a.register, a.row).cmp(&(b.due, b.procedure, b.register, b.row)));
    all
}

/// A finding that a date lies in a year the calendar does not cover.
pub fn calendar_gap(procedure: &'static str, clause: &'static str, what: &str, e: &UnknownYear) -> Finding {
    Finding::new(procedure, clause, what.to_string(), State::Unknown, e.to_string())
}

#[cfg(test)]
mod params_tests {
    use super::*;

    #[test]
    fn defaults_round_trip_through_yaml() {
        let text = serde_saphyr::to_string(&RuleParams::default()).unwrap();
        let back: RuleParams = crate::yaml::from_str(&text, std::path::Path::new("rules.yaml")).unwrap();
        assert_eq!(serde_saphyr::to_string(&back).unwrap(), text);
    }
}
