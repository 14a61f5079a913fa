//! “智能卡”管理规程 3.1 3) (forms 27 智能卡管理记录, 28 智能卡发放登记表): free cards up to the
//! household's allowance, extra cards charged.
//!
//! Input: the [`Context`]. Output: [`Finding`]s — cards given free beyond the allowance, extra
//! cards not charged or charged the wrong fee. Failure: none.

use serde::{Deserialize, Serialize};

use super::{name, yuan};
use crate::rules::{Context, Finding, State, View};

/// The procedure's name in the manual.
pub const PROCEDURE: &str = "“智能卡”管理规程";

/// Smart cards.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct CardParams {
    /// 3.1 3): free cards per household: as many as its registered occupants, "但不超过3张".
    pub free_cards_max: i64,
    /// 3.1 3): the charge per extra card, in 元 ("每增加1张收取相应的费用", no figure given). Unset:
    /// any amount above zero will do; set: the fee must be the number of extra cards × this.
    #[serde(with = "super::yuan")]
    pub extra_card_fee: Option<i64>,
}

impl Default for CardParams {
    fn default() -> CardParams {
        CardParams { free_cards_max: 3, extra_card_fee: None }
    }
}

pub(super) fn cards(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let p = &ctx.params.services.cards;
    if let Some(v) = ctx.form(28) {
        for row in v.rows() {
            card_issue(ctx, p, &v, row, out);
        }
    }
    if let Some(v) = ctx.form(27) {
        for row in v.rows() {
            if v.text(row, "matter") == Some("增加") {
                let extra = v.int(row, "count").unwrap_or(1);
                let subject = format!(
                    "{} {} 增加智能卡 {extra} 张",
                    v.date(row, "handled_on").map(|d| d.to_string()).unwrap_or_default(),
                    v.room(row, "room").map(|r| r.to_string()).unwrap_or_default()
                );
                extra_fee(p, &v, row, extra, &subject, out);
            }
        }
    }
}

/// 28: free cards within the allowance, extra cards charged.
fn card_issue(ctx: &Context<'_>, p: &CardParams, v: &View<'_>, row: usize, out: &mut Vec<Finding>) {
    let room = v.room(row, "room");
    let residents = v.int(row, "residents").or_else(|| room.and_then(|r| ctx.data.room(r)?.residents));
    let free = v.int(row, "free_cards").unwrap_or(0);
    let extra = v.int(row, "extra_cards").unwrap_or(0);
    let day = v.date(row, "issued_on").map(|d| d.to_string()).unwrap_or_default();
    let subject = format!("{day} {} 发放智能卡", room.map(|r| r.to_string()).unwrap_or_default());
    let owner = name(v, row, "clerk").unwrap_or_else(|| "大堂管家".to_string());
    let start = out.len();
    if let Some(n) = residents {
        let allowed = n.clamp(0, p.free_cards_max);
        if free > allowed {
            out.push(Finding::new(PROCEDURE, "3.1 3)", "赠送智能卡超过规定", State::Breach, format!(
                    "{subject}：登记人数 {n} 人，赠送 {free} 张；每户赠送数量与入住登记人数一致，但不超过 {} 张，应至多赠送 {allowed} 张（“智能卡”管理规程 3.1 3)）",
                    p.free_cards_max
                )).at(v, row));
        } else if free < allowed && extra > 0 {
            out.push(Finding::new(PROCEDURE, "3.1 3)", "应赠送的智能卡被收费", State::Breach, format!(
                    "{subject}：登记人数 {n} 人，应赠送 {allowed} 张，实际赠送 {free} 张，却收费增加 {extra} 张；赠送数量与入住登记人数一致，超出部分才收费（“智能卡”管理规程 3.1 3)）"
                )).at(v, row));
        }
    }
    if extra > 0 {
        extra_fee(p, v, row, extra, &format!("{subject}，增加 {extra} 张"), out);
    }
    for f in &mut out[start..] {
        f.room = room;
        f.owner = Some(owner.clone());
    }
}

/// Extra cards must be charged: any amount, or `extra × extra_card_fee` when that is set.
fn extra_fee(p: &CardParams, v: &View<'_>, row: usize, extra: i64, subject: &str, out: &mut Vec<Finding>) {
    let fee = v.int(row, "fee");
    let (what, why) = match (fee, p.extra_card_fee) {
        (None | Some(..=0), _) => (
            "加办智能卡未收费",
            format!("{subject}，未填写收费金额；业主需增加的，每增加 1 张收取相应的费用（“智能卡”管理规程 3.1 3)）"),
        ),
        (Some(f), Some(each)) if f != extra * each => (
            "加办智能卡收费不符",
            format!(
                "{subject}，收费 {}；每张 {}，应收 {}（“智能卡”管理规程 3.1 3)）",
                yuan(f),
                yuan(each),
                yuan(extra * each)
            ),
        ),
        _ => return,
    };
    let start = out.len();
    out.push(Finding::new(PROCEDURE, "3.1 3)", what, State::Breach, why).at(v, row));
    for f in &mut out[start..] {
        f.room = v.room(row, "room");
        f.owner = Some(name(v, row, "clerk").unwrap_or_else(|| "大堂管家".to_string()));
    }
}
