//! The services' rules on small hand-made registers.

use chrono::NaiveTime;

use super::*;
use crate::rules::State;
use crate::testkit::{Fixture, d, of};
use hot_water::PROCEDURE as HOT_WATER;

fn rows(all: &[Finding], what: &str) -> Vec<Option<usize>> {
    of(all, what).iter().map(|f| f.row).collect()
}

fn whats(all: &[Finding]) -> Vec<&str> {
    all.iter().map(|f| f.what.as_str()).collect()
}

// ------------------------------------------------------------ cards

fn issue(room: &str, residents: i64, free: i64, extra: i64, fee: &str) -> String {
    let mut s = format!(
        "- 发放日期: \"2026-10-08\"\n  楼牌号: {room}\n  业主姓名: 赵一\n  登记人数: {residents}\n  赠送: {free}\n  智能卡号: DW0100001\n  授权范围: 1号楼1单元门\n  告知用法: 是\n  业主签字: 赵一\n  经办人: 张伟\n"
    );
    if extra > 0 {
        s += &format!("  增加: {extra}\n");
    }
    if !fee.is_empty() {
        s += &format!("  收费金额: \"{fee}\"\n");
    }
    s
}

#[test]
fn free_cards_up_to_three_occupants_and_extra_cards_charged() {
    let text = [
        issue("1-1-202", 4, 3, 1, "20.00"), // 0: four occupants, three free, one paid: fine
        issue("1-1-202", 4, 4, 0, ""),      // 1: four free
        issue("1-1-102", 2, 2, 1, ""),      // 2: the extra card not charged
        issue("1-1-201", 3, 2, 1, "20.00"), // 3: charged for the third, which was free
        issue("1-1-101", 5, 3, 0, ""),      // 4: the form's own 登记人数 (5) over the ledger's (1)
        issue("1-1-302", 1, 1, 2, "20.00"), // 5: two extra for 20 元
    ]
    .concat();
    let changes = "- 办理日期: \"2026-10-20\"\n  房号: 1-1-101\n  持卡人: 赵一\n  办理事项: 增加\n  智能卡号: DW0100009\n  张数: 1\n  权限设置人: 刘中控\n  经办人: 张伟\n";
    let mut fx =
        Fixture::new(&[("28-智能卡发放登记表.yaml", &text), ("27-智能卡管理记录.yaml", changes)], &[], "2026-10-31");
    let all = findings(&fx.ctx());
    assert_eq!(rows(&all, "赠送智能卡超过规定"), [Some(1)]);
    assert!(of(&all, "赠送智能卡超过规定")[0].why.contains("登记人数 4 人，赠送 4 张"));
    assert_eq!(rows(&all, "加办智能卡未收费"), [Some(2), Some(0)], "28 row 2, then 27 row 0");
    assert_eq!(rows(&all, "应赠送的智能卡被收费"), [Some(3)]);
    assert_eq!(all.len(), 4, "{all:#?}");
    assert!(all.iter().all(|f| f.state == State::Breach && f.owner.as_deref() == Some("张伟")));
    // With a price of 20 元 a card: row 5's two extra cards should cost 40 元.
    fx.params.services.cards.extra_card_fee = Some(2_000);
    let all = findings(&fx.ctx());
    assert_eq!(rows(&all, "加办智能卡收费不符"), [Some(5)]);
    assert!(of(&all, "加办智能卡收费不符")[0].why.contains("应收 40.00 元"));
}

// ------------------------------------------------------------ rentals

#[test]
fn the_commission_is_the_first_months_rent() {
    let agency = "- 登记日期: \"2026-06-01\"\n  租售: 出租\n  房号: 1-1-101\n  业主姓名: 赵一\n  业主电话: \"13912345600\"\n  委托日期: \"2026-06-01\"\n  签约日期: \"2026-06-06\"\n  成交价: \"3100\"\n  佣金: \"3000\"\n  经办人: 马慧雪\n";
    let letter = |room: &str, rent: &str, commission: &str| {
        let rent = if rent.is_empty() { String::new() } else { format!("  月租金: \"{rent}\"\n") };
        format!(
            "- 承租方姓名: 武英欣\n  房号: {room}\n  签约日期: \"2026-06-06\"\n  租期起始: \"2026-06-07\"\n  租期截止: \"2027-06-06\"\n{rent}  中介费用: \"{commission}\"\n  付款期限: \"2026-06-09\"\n  承租方签字: 武英欣\n  经办人签字: 马慧雪\n"
        )
    };
    let letters = [letter("1-1-101", "3100", "3100"), letter("1-1-102", "3000", "3100")].concat();
    let files = [("29-代理出租.yaml", agency), ("30-付佣说明.yaml", letters.as_str())];
    let all = findings(&Fixture::new(&files, &[], "2026-10-31").ctx());
    let wrong: Vec<_> = of(&all, "佣金不等于首月租金").iter().map(|f| (f.register, f.row)).collect();
    use crate::model::RegisterId::Form;
    assert_eq!(wrong, [(Some(Form(29)), Some(0)), (Some(Form(30)), Some(1))]);
    assert!(all[1].why.contains("付佣说明月租金 3,000.00 元，中介费用 3,100.00 元"), "{}", all[1].why);
    assert_eq!(all.len(), 2);
    // A letter without its rent (rejected by `kefu check`) is judged by the agency register's.
    let files = [("29-代理出租.yaml", agency), ("30-付佣说明.yaml", &letter("1-1-101", "", "3000"))];
    let all = findings(&Fixture::lenient(&files, &[], "2026-10-31").ctx());
    assert_eq!(whats(&all), ["佣金不等于首月租金", "佣金不等于首月租金"]);
    assert!(all[1].why.contains("代理出租记录成交价 3,100.00 元"), "{}", all[1].why);
}

// ------------------------------------------------------------ tennis

fn booking(booked: &str, play: &str, slot: (&str, &str), players: i64, change: &str) -> String {
    format!(
        "- 订场日期: \"{booked}\"\n  使用日期: \"{play}\"\n  开始: \"{}\"\n  结束: \"{}\"\n  场地号: 1号场\n  订场人: 赵一\n  房号: 1-1-101\n  联系电话: \"13912345600\"\n  人数: {players}\n  票数: 1\n  经办人: 张伟\n{change}",
        slot.0, slot.1
    )
}

fn changed(at: &str, reason: &str) -> String {
    format!("  改场时间: \"{at}\"\n  改场原因: {reason}\n  改至场次: 10月11日 15:00-16:00 1号场\n")
}

#[test]
fn bookings_hours_days_ahead_players_and_changes() {
    let text = [
        booking("2026-10-08", "2026-10-09", ("07:00", "08:00"), 4, ""), // 0: fine
        booking("2026-10-08", "2026-10-09", ("21:00", "22:00"), 4, ""), // 1: after closing
        booking("2026-10-08", "2026-10-12", ("09:00", "10:00"), 4, ""), // 2: four days ahead
        booking("2026-10-09", "2026-10-09", ("09:00", "10:00"), 4, ""), // 3: same day
        booking("2026-10-08", "2026-10-11", ("20:00", "21:00"), 7, ""), // 4: seven players; 3 days: fine
        booking("2026-10-08", "2026-10-10", ("15:00", "16:00"), 4, &changed("2026-10-10 12:00", "特殊原因")), // 5
        booking("2026-10-08", "2026-10-10", ("15:00", "16:00"), 4, &changed("2026-10-10 11:00", "特殊原因")), // 6
        booking("2026-10-08", "2026-10-10", ("15:00", "16:00"), 4, &changed("2026-10-09 18:00", "天气原因")), // 7
        booking("2026-10-08", "2026-10-10", ("15:00", "16:00"), 4, &changed("2026-10-10 14:00", "天气原因")), // 8
        booking("2026-10-08", "2026-10-09", ("06:30", "07:30"), 2, ""), // 9: before opening
    ]
    .concat();
    let fx = Fixture::new(&[("13-网球场订场记录.yaml", &text)], &[], "2026-10-31");
    let all = findings(&fx.ctx());
    assert_eq!(rows(&all, "订场超出开放时间"), [Some(1), Some(9)]);
    assert_eq!(rows(&all, "订场提前天数不符"), [Some(2), Some(3)]);
    assert!(of(&all, "订场提前天数不符")[0].why.contains("提前 4 天"));
    assert_eq!(rows(&all, "每场入场人数超限"), [Some(4)]);
    assert_eq!(rows(&all, "改场晚于场次前规定时间"), [Some(5)]);
    assert!(of(&all, "改场晚于场次前规定时间")[0].why.contains("4 小时前（2026-10-10 11:00 前）"));
    assert_eq!(rows(&all, "天气改场不在当天"), [Some(7)]);
    assert_eq!(all.len(), 7, "{all:#?}");
    assert!(all.iter().all(|f| f.state == State::Breach && f.owner.as_deref() == Some("张伟")));
    assert_eq!(of(&all, "订场超出开放时间")[0].due, Some(d("2026-10-09")));
}

// ------------------------------------------------------------ hot water

const HOT: &str = "12-热水续费通知书.yaml";

fn reading(room: &str, read: &str, balance: &str, due: &str, pay_by: &str, receipt: bool) -> String {
    let mut s = format!(
        "- 房号: {room}\n  抄表日期: \"{read}\"\n  上期读数: 0.1\n  本期读数: 9.2\n  本期用量: 9.1\n  预存余额: \"{balance}\"\n  应续费金额: \"{due}\"\n  续费截止日期: \"{pay_by}\"\n"
    );
    if receipt {
        s += &format!("  房间号: {room}\n  续费方式: 到客服前台缴纳\n  业主签字: 赵一\n");
    }
    s
}

#[test]
fn readings_on_the_25th_to_30th_quarters_unread_and_renewals() {
    let text = [
        reading("1-1-101", "2026-06-28", "72.50", "500", "2026-07-08", true), // 0
        reading("1-1-101", "2026-09-24", "100", "100", "2026-10-04", false),  // 1: a day early; renewal overdue
        reading("1-1-102", "2026-06-28", "-10", "0", "2026-07-08", false), // 2: overdrawn, no renewal asked; not read in Q3
        reading("1-1-201", "2026-06-27", "50", "200", "2026-07-07", false), // 3: settled by row 4's balance
        reading("1-1-201", "2026-09-26", "80", "300", "2026-11-05", false), // 4: in the window; renewal open
    ]
    .concat();
    let all = findings(&Fixture::new(&[(HOT, &text)], &[], "2026-10-31").ctx());
    assert_eq!(rows(&all, "抄表日期不在季末25日至30日"), [Some(1)]);
    assert!(of(&all, "抄表日期不在季末25日至30日")[0].why.contains("2026-09-25 至 2026-09-30"));
    let unread = of(&all, "热水表未抄");
    assert_eq!(
        (unread.len(), unread[0].row, unread[0].due, unread[0].state),
        (1, Some(2), Some(d("2026-09-30")), State::Overdue)
    );
    assert_eq!(unread[0].days_overdue(d("2026-10-31")), 31);
    assert_eq!(rows(&all, "余额不足未通知续费"), [Some(2)]);
    let overdue = of(&all, "热水续费逾期未缴");
    assert_eq!((overdue.len(), overdue[0].row, overdue[0].days_overdue(d("2026-10-31"))), (1, Some(1), 27));
    assert_eq!(rows(&all, "热水续费待缴"), [Some(4)]);
    assert_eq!(all.len(), 5, "{all:#?}");
}

#[test]
fn a_quarter_end_on_a_rest_day_moves_to_the_next_working_day() {
    // 2025-03-30 is a Sunday: the window runs to Monday 03-31.
    let text = [
        reading("1-1-101", "2025-03-31", "100", "0", "2025-04-10", false),
        reading("1-1-102", "2025-04-01", "100", "0", "2025-04-11", false),
        reading("1-1-201", "2024-12-28", "100", "0", "2025-01-07", false),
    ]
    .concat();
    let all = findings(&Fixture::new(&[(HOT, &text)], &[], "2025-05-10").ctx());
    assert_eq!(whats(&all), ["抄表日期不在季末25日至30日", "热水表未抄"], "{all:#?}");
    assert_eq!(all[0].row, Some(1));
    assert!(all[0].why.contains("2025-03-30 为休息日，顺延至 2025-03-31"), "{}", all[0].why);
    assert_eq!((all[1].row, all[1].due, all[1].days_overdue(d("2025-05-10"))), (Some(2), Some(d("2025-03-31")), 40));
}

#[test]
fn a_2027_quarter_end_is_a_calendar_gap() {
    let text = [
        reading("1-1-101", "2026-12-28", "100", "0", "2027-01-07", false), // Q1 2027 closed: unknown end
        reading("1-1-102", "2027-03-31", "100", "0", "2027-04-10", false), // after the 30th: unknown end
        reading("1-1-201", "2027-03-27", "100", "0", "2027-04-06", false), // inside 25–30: no calendar needed
    ]
    .concat();
    let all = findings(&Fixture::new(&[(HOT, &text)], &[], "2027-04-10").ctx());
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!((all[0].state, all[0].register, all[0].procedure), (State::Unknown, None, HOT_WATER));
    assert!(all[0].why.contains("2027 年的放假安排尚未录入"), "{}", all[0].why);
}

#[test]
fn parameters_read_from_kefu_yaml() {
    let text = "cards:\n  extra_card_fee: 20\ntennis:\n  open: \"08:00\"\n  max_players: 4\nhot_water:\n  min_balance: \"¥50.00\"\n";
    let p: Params = crate::yaml::from_str(text, std::path::Path::new("kefu.yaml")).unwrap();
    assert_eq!(p.cards.extra_card_fee, Some(2_000));
    assert_eq!(p.tennis.open, NaiveTime::from_hms_opt(8, 0, 0).unwrap());
    assert_eq!((p.tennis.close, p.tennis.max_players), (NaiveTime::from_hms_opt(21, 0, 0).unwrap(), 4));
    assert_eq!((p.hot_water.min_balance, p.hot_water.read_from_day), (5_000, 25));
    assert_eq!((p.cards.free_cards_max, p.rentals.commission_months), (3, 1));
    let bad = crate::yaml::from_str::<Params>("tennis:\n  opens: \"08:00\"\n", std::path::Path::new("kefu.yaml"));
    assert!(bad.unwrap_err().to_string().contains("opens"));
    let bad = crate::yaml::from_str::<Params>("cards:\n  extra_card_fee: -5\n", std::path::Path::new("kefu.yaml"));
    assert!(bad.is_err());
}
