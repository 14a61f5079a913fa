//! Every default KPI of a small month worked out by hand (October 2026, run date 10-31).

use std::path::Path;

use super::*;
use crate::model::RegisterId;
use crate::model::YearMonth;
use crate::testkit::Fixture;

const FEES: &str = "
- {房号: 1-1-101, 账期: 2026-10, 应收: 200, 实收: 200, 收款日期: 2026-10-15}
- {房号: 1-1-102, 账期: 2026-10, 应收: 300, 实收: 100, 收款日期: 2026-10-20}
- {房号: 1-1-201, 账期: 2026-10, 应收: 250, 实收: 0}
- {房号: 1-1-101, 账期: 2026-09, 应收: 200, 实收: 200, 收款日期: 2026-09-10}
- {房号: 1-1-102, 账期: 2026-09, 应收: 300, 实收: 300, 收款日期: 2026-10-05}
- {房号: 1-1-201, 账期: 2026-08, 应收: 250, 实收: 0}
";

const COMPLAINTS: &str = "
- {受理时间: 2026-10-03 10:00, 房号: 1-1-101, 投诉人: 王一, 投诉内容: 楼道灯不亮, 类别: 工程/维修, 有效性: 有效, 等级: 一般, 处理期限: 2026-10-06, 办结日期: 2026-10-05, 回访日期: 2026-10-06, 回访结果: 满意, 接待人: 李娜}
- {受理时间: 2026-10-08 09:00, 房号: 1-1-102, 投诉人: 王二, 投诉内容: 垃圾清运不及时, 类别: 环境/保洁, 有效性: 有效, 等级: 一般, 处理期限: 2026-10-10, 办结日期: 2026-10-12, 回访日期: 2026-10-13, 回访结果: 不满意, 接待人: 李娜}
- {受理时间: 2026-10-20 15:00, 房号: 1-1-201, 投诉人: 王三, 投诉内容: 邻居装修噪音, 类别: 装修, 有效性: 无效, 等级: 一般, 处理期限: 2026-10-23, 办结日期: 2026-10-21, 接待人: 李娜}
- {受理时间: 2026-10-28 11:00, 房号: 1-1-202, 投诉人: 王四, 投诉内容: 车位被占, 类别: 停车, 有效性: 有效, 等级: 一般, 处理期限: 2026-11-02, 接待人: 李娜}
- {受理时间: 2026-09-28 11:00, 房号: 1-1-202, 投诉人: 王四, 投诉内容: 车位被占, 类别: 停车, 有效性: 有效, 等级: 一般, 处理期限: 2026-10-01, 办结日期: 2026-09-30, 接待人: 李娜}
";

const DESK: &str = "
- {接单时间: 2026-10-05 09:00, 房间号: 1-1-101, 联系电话: 13800000001, 报修内容: 水管漏水, 处理方式: 工程部维修单, 单号: WX1, 接单人: 李娜, 完成时间: 2026-10-05 11:00}
- {接单时间: 2026-10-10 10:00, 房间号: 1-1-102, 联系电话: 13800000002, 报修内容: 水管漏水, 处理方式: 工程部维修单, 单号: WX2, 接单人: 李娜, 完成时间: 2026-10-10 12:00}
- {接单时间: 2026-10-12 08:00, 房间号: 1-1-101, 联系电话: 13800000001, 报修内容: 水管漏水, 处理方式: 工程部维修单, 单号: WX3, 接单人: 李娜, 完成时间: 2026-10-12 08:50}
";

const ORDERS: &str = "
- {单号: WX1, 开单时间: 2026-10-05 09:05, 维修地点: 1-1-101, 报修内容: 水管漏水, 接收时间: 2026-10-05 09:10, 到场时间: 2026-10-05 09:20, 维修人员: 赵工, 人数: 1, 工时: 1.5, 完成时间: 2026-10-05 11:00, 业主验收签字: 王一}
- {单号: WX2, 开单时间: 2026-10-10 10:02, 维修地点: 1-1-102, 报修内容: 水管漏水, 接收时间: 2026-10-10 10:05, 到场时间: 2026-10-10 11:00, 维修人员: 赵工, 人数: 1, 工时: 1, 完成时间: 2026-10-10 12:00, 业主验收签字: 王二}
- {单号: WX3, 开单时间: 2026-10-12 08:02, 维修地点: 1-1-101, 报修内容: 水管漏水, 接收时间: 2026-10-12 08:05, 到场时间: 2026-10-12 08:15, 维修人员: 赵工, 人数: 1, 工时: 0.5, 完成时间: 2026-10-12 08:50, 业主验收签字: 王一}
";

const PLAN: &str = "
- {计划月份: 2026-10, 入住总户数: 30, 每周应走访户数: 3, 制定人: 李娜, 制定日期: 2026-09-28, 审批人: 张伟, 周次: 2, 计划日期: 2026-10-10, 房号: 1-1-101, 业主姓名: 王一, 走访形式: 登门, 走访人: 李娜}
- {计划月份: 2026-10, 入住总户数: 30, 每周应走访户数: 3, 制定人: 李娜, 制定日期: 2026-09-28, 审批人: 张伟, 周次: 2, 计划日期: 2026-10-11, 房号: 1-1-102, 业主姓名: 王二, 走访形式: 电话, 走访人: 李娜}
- {计划月份: 2026-10, 入住总户数: 30, 每周应走访户数: 3, 制定人: 李娜, 制定日期: 2026-09-28, 审批人: 张伟, 周次: 3, 计划日期: 2026-10-17, 房号: 1-1-201, 业主姓名: 王三, 走访形式: 登门, 走访人: 李娜}
";

const VISITS: &str = "
- {房号: 1-1-101, 被走访人: 王一, 走访日期: 2026-10-10, 开始时间: '19:00', 结束时间: '19:20', 走访形式: 登门, 走访人: 李娜, 业务评价: 保安（秩序维护）：满意, 需书面回复: 否, 走访人签字: 李娜, 客服主管签字: 张伟}
- {房号: 1-1-102, 被走访人: 王二, 走访日期: 2026-10-11, 开始时间: '19:00', 结束时间: '19:20', 走访形式: 电话, 主管事先同意: 是, 走访人: 李娜, 业务评价: 保安（秩序维护）：满意, 需书面回复: 否, 走访人签字: 李娜, 客服主管签字: 张伟}
- {房号: 1-1-301, 被走访人: 王五, 走访日期: 2026-10-20, 开始时间: '19:00', 结束时间: '19:20', 走访形式: 登门, 走访人: 李娜, 业务评价: 保安（秩序维护）：满意, 需书面回复: 否, 走访人签字: 李娜, 客服主管签字: 张伟}
";

fn month() -> YearMonth {
    YearMonth { year: 2026, month: 10 }
}

#[test]
fn every_default_kpi_of_a_hand_made_month() {
    let fx = Fixture::new(
        &[
            ("物业费台帐.yaml", FEES),
            ("18-投诉台帐.yaml", COMPLAINTS),
            ("15-前台接待台帐.yaml", DESK),
            ("16-工程部维修单.yaml", ORDERS),
            ("07-业主走访工作计划.yaml", PLAN),
            ("08-业主走访记录.yaml", VISITS),
        ],
        &[],
        "2026-10-31",
    );
    let ctx = fx.ctx();
    let now = counts::counts(&ctx, month());
    let before = counts::counts(&ctx, month().prev());
    let k = kpis(&Params::default(), &now, &before, Path::new("kefu.yaml")).unwrap();
    let got: Vec<(&str, i64, i64, String)> =
        k.iter().map(|k| (k.name.as_str(), k.numerator, k.denominator, percent(k.value))).collect();
    assert_eq!(
        got,
        vec![
            // October's periods: 200 + 300 + 250 due, 200 + 100 paid in October.
            ("物业费收缴率", 30_000, 75_000, "40.0%".to_string()),
            // Before October: September's 300 paid on 10-05 and August's 250 unpaid; 300 recovered.
            ("清欠率", 30_000, 55_000, "54.5%".to_string()),
            // Valid: 10-03 (closed in time), 10-08 (late), 10-28 (open); 10-20 is invalid.
            ("投诉处理及时率", 1, 3, "33.3%".to_string()),
            ("投诉办结率", 3, 4, "75.0%".to_string()),
            ("投诉回访率", 2, 3, "66.7%".to_string()),
            // Arrivals 10, 55 and 10 minutes after the order was received (limit 15).
            ("维修及时率", 2, 3, "66.7%".to_string()),
            // 1-1-101's pipe of 10-05 leaked again on 10-12, within 30 days.
            ("返修率", 1, 3, "33.3%".to_string()),
            ("走访完成率", 2, 3, "66.7%".to_string()),
            ("电话走访占比", 1, 3, "33.3%".to_string()),
            // Every day of October × (品质管理员 + 4 departments); no check recorded.
            ("日常品质检查完成率", 0, 155, "0.0%".to_string()),
            // The weeks ending 10-04, 10-11, 10-18 and 10-25.
            ("每周联合检查完成率", 0, 4, "0.0%".to_string()),
        ]
    );
    // September: one valid complaint, closed in time.
    let timely = &k[2];
    assert_eq!(timely.previous, Some(1.0));
    assert_eq!(timely.change_points().map(|p| (p * 10.0).round() / 10.0), Some(-66.7));
    // The records behind a count are the register rows that make it.
    let rows = &now.by_key["complaints.valid_closed_on_time"].rows;
    assert_eq!(rows, &vec![(RegisterId::Form(18), 0)]);
    assert_eq!(now.by_key["fees.arrears_recovered"].rows.len(), 1);
    // Targets: 电话走访占比 ≤ 10 % is missed.
    assert_eq!(k[8].met(), Some(false));
}

#[test]
fn an_unknown_count_in_a_kpi_is_a_configuration_error() {
    let mut p = Params::default();
    p.kpis[0].numerator = "fees.paid".to_string();
    p.kpis[1].denominator = "nothing".to_string();
    let err = kpis(&p, &Counts::default(), &Counts::default(), Path::new("kefu.yaml")).unwrap_err();
    assert_eq!(err.0.len(), 2);
    assert!(err.0[0].message.contains("「fees.paid」") && err.0[0].message.contains("fees.current_paid"), "{err:?}");
}
