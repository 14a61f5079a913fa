//! 网球场管理规程 3.1 (form 13 网球场订场记录): opening hours, how far ahead a court is booked,
//! players per court, and changes made in time.
//!
//! Input: the [`Context`]. Output: [`Finding`]s — bookings outside opening hours, booked too early
//! or too late, with too many players, or changed too late. Failure: none.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

use super::name;
use crate::model::Value;
use crate::rules::{Context, Finding, State, View};

/// The procedure's name in the manual.
pub const PROCEDURE: &str = "网球场管理规程";

/// Tennis-court bookings.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct TennisParams {
    /// 3.1 第1条: opening time, "早7:00".
    pub open: NaiveTime,
    /// 3.1 第1条: closing time, "晚21:00": a slot must end by then.
    pub close: NaiveTime,
    /// 3.1 第2条: days between booking and play, at least ("提前一天预订").
    pub min_days_ahead: i64,
    /// 3.1 第2条: days between booking and play, at most ("三日之内的场地").
    pub max_days_ahead: i64,
    /// 3.1 第2条: players per court ("非特殊情况下每个场地最多入场六人").
    pub max_players: i64,
    /// 3.1 第3条: hours before the slot by which a change must be made ("必须在所定场次四小时前").
    pub change_hours: i64,
}

impl Default for TennisParams {
    fn default() -> TennisParams {
        TennisParams {
            open: NaiveTime::from_hms_opt(7, 0, 0).unwrap_or(NaiveTime::MIN),
            close: NaiveTime::from_hms_opt(21, 0, 0).unwrap_or(NaiveTime::MIN),
            min_days_ahead: 1,
            max_days_ahead: 3,
            max_players: 6,
            change_hours: 4,
        }
    }
}

fn time(v: &View<'_>, row: usize, key: &str) -> Option<NaiveTime> {
    match v.value(row, key)? {
        Value::Time(t) => Some(t),
        Value::Datetime(dt) => Some(dt.time()),
        _ => None,
    }
}

pub(super) fn tennis(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(v) = ctx.form(13) else { return };
    let p = &ctx.params.services.tennis;
    for row in v.rows() {
        let (Some(booked), Some(play)) = (v.date(row, "booked_on"), v.date(row, "play_date")) else { continue };
        let (start, end) = (time(&v, row, "start_time"), time(&v, row, "end_time"));
        let subject = subject(&v, row, booked, play, (start, end));
        let start_of = out.len();
        if let Some(s) = start
            && (s < p.open || s >= p.close || end.is_some_and(|e| e > p.close))
        {
            out.push(outside_hours(p, &subject).at(&v, row));
        }
        let ahead = (play - booked).num_days();
        if ahead < p.min_days_ahead || ahead > p.max_days_ahead {
            out.push(Finding::new(PROCEDURE, "3.1 第2条", "订场提前天数不符", State::Breach, format!(
                    "{subject}：订场日期 {booked}，使用日期 {play}，提前 {ahead} 天；须提前 {} 天预订 {} 日之内的场地（网球场管理规程 3.1 第2条）",
                    p.min_days_ahead, p.max_days_ahead
                )).at(&v, row));
        }
        if let Some(n) = v.int(row, "players")
            && n > p.max_players
        {
            out.push(
                Finding::new(
                    PROCEDURE,
                    "3.1 第2条",
                    "每场入场人数超限",
                    State::Breach,
                    format!(
                        "{subject}：入场 {n} 人；非特殊情况下每个场地最多入场 {} 人（网球场管理规程 3.1 第2条）",
                        p.max_players
                    ),
                )
                .at(&v, row),
            );
        }
        if let Some(changed) = v.datetime(row, "changed_at") {
            change(p, &v, row, &subject, (play, start, changed), out);
        }
        for f in &mut out[start_of..] {
            f.room = v.room(row, "room");
            f.due = Some(play);
            f.owner = Some(name(&v, row, "clerk").unwrap_or_else(|| "大堂管家".to_string()));
        }
    }
}

/// A booking as findings name it: `票号 T0012，2026-10-05 19:00–20:00 1号场（2026-10-03 订场）`.
fn subject(
    v: &View<'_>,
    row: usize,
    booked: NaiveDate,
    play: NaiveDate,
    (start, end): (Option<NaiveTime>, Option<NaiveTime>),
) -> String {
    let slot = match (start, end) {
        (Some(s), Some(e)) => format!(" {}–{}", s.format("%H:%M"), e.format("%H:%M")),
        (Some(s), None) => format!(" {} 起", s.format("%H:%M")),
        _ => String::new(),
    };
    format!(
        "{}{play}{slot} {}（{} 订场）",
        v.text(row, "ticket_no").map(|t| format!("票号 {t}，")).unwrap_or_default(),
        v.text(row, "court").unwrap_or(""),
        booked
    )
}

/// 3.1 第1条: a booking outside the opening hours.
fn outside_hours(p: &TennisParams, subject: &str) -> Finding {
    Finding::new(
        PROCEDURE,
        "3.1 第1条",
        "订场超出开放时间",
        State::Breach,
        format!(
            "{subject}：网球场开放时间为 {}～{}（网球场管理规程 3.1 第1条）",
            p.open.format("%H:%M"),
            p.close.format("%H:%M")
        ),
    )
}

/// 3.1 第3条: a change at least `change_hours` before the slot; for the weather, on the day.
fn change(
    p: &TennisParams,
    v: &View<'_>,
    row: usize,
    subject: &str,
    (play, start, changed): (NaiveDate, Option<NaiveTime>, NaiveDateTime),
    out: &mut Vec<Finding>,
) {
    let at = changed.format("%Y-%m-%d %H:%M");
    if v.text(row, "change_reason") == Some("天气原因") {
        if changed.date() != play {
            out.push(Finding::new(PROCEDURE, "3.1 第3条", "天气改场不在当天", State::Breach, format!("{subject}：因天气于 {at} 改场；因天气情况需改场时，限在当天（{play}）更改，隔日票作废（网球场管理规程 3.1 第3条）")).at(v, row));
        }
        return;
    }
    let Some(start) = start else { return };
    let latest = play.and_time(start) - Duration::hours(p.change_hours);
    if changed > latest {
        out.push(Finding::new(PROCEDURE, "3.1 第3条", "改场晚于场次前规定时间", State::Breach, format!(
                "{subject}：{at} 改场；因特殊原因需改场时，必须在所定场次 {} 小时前（{} 前）带票更改（网球场管理规程 3.1 第3条）",
                p.change_hours,
                latest.format("%Y-%m-%d %H:%M")
            )).at(v, row));
    }
}
