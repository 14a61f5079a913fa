//! Small pieces of Chinese text used on documents: ordinals, dates.

use chrono::{Datelike, NaiveDate};

/// 1 → 一, 2 → 二, … 10 → 十, 11 → 十一, 20 → 二十 (up to 99), for 第一联 and the like.
pub fn chinese_ordinal(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n].to_string(),
        10..=19 => format!("十{}", if n == 10 { "" } else { DIGITS[n - 10] }),
        20..=99 => format!("{}十{}", DIGITS[n / 10], if n.is_multiple_of(10) { "" } else { DIGITS[n % 10] }),
        _ => n.to_string(),
    }
}

/// A date as documents print it: 2026年11月7日 — the year in full, no zero padding (GB/T 9704).
pub fn chinese_date(date: NaiveDate) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

/// An amount in fen written in RMB capitals (人民币大写) by the rules of PBOC's 《支付结算办法》
/// 附件一 and 财政部《会计基础工作规范》第52条: `人民币壹仟肆佰零玖元伍角整`.
///
/// Zeros: one 零 for a run of zeros inside the integer part (壹仟零玖), none for trailing zeros;
/// 零 between 元 and 角 when the units digit is 0 (壹拾万柒仟元零伍角叁分, as PBOC's printed
/// example); 零 for a zero 角 before a 分 (壹万陆仟肆佰零玖元零贰分). 整 after 元 and after 角
/// (both rules are satisfied by writing it after 角), never after 分. A leading 拾 is 壹拾.
/// Negative amounts get 负 after 人民币.
pub fn rmb_capitals(fen: i64) -> String {
    const DIGITS: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
    const SMALL: [&str; 4] = ["", "拾", "佰", "仟"];
    const GROUPS: [&str; 4] = ["", "万", "亿", "万亿"];
    let mut out = String::from("人民币");
    if fen < 0 {
        out.push('负');
    }
    let fen = fen.unsigned_abs();
    let (yuan, jiao, fen_digit) = (fen / 100, (fen / 10 % 10) as usize, (fen % 10) as usize);
    if yuan > 0 {
        // Groups of four digits, most significant first.
        let mut groups = Vec::new();
        let mut rest = yuan;
        while rest > 0 {
            groups.push((rest % 10_000) as usize);
            rest /= 10_000;
        }
        let mut pending_zero = false;
        for (gi, &group) in groups.iter().enumerate().rev() {
            if group == 0 {
                pending_zero = true;
                continue;
            }
            let digits = [group / 1000, group / 100 % 10, group / 10 % 10, group % 10];
            let first = digits.iter().position(|&d| d != 0).unwrap_or(0);
            if gi + 1 < groups.len() && first > 0 {
                pending_zero = true; // a higher group was written: 壹拾万零柒佰
            }
            for (pos, &d) in digits.iter().enumerate().skip(first) {
                if d == 0 {
                    pending_zero = true;
                    continue;
                }
                if pending_zero && out.len() > "人民币".len() + if out.contains('负') { 3 } else { 0 } {
                    out.push('零');
                }
                pending_zero = false;
                out.push(DIGITS[d]);
                out.push_str(SMALL[3 - pos]);
            }
            out.push_str(GROUPS[gi.min(3)]);
            // Trailing zeros of a group need no 零 (壹拾万柒仟); a lower group with leading zeros
            // or an empty group does (壹拾万零柒元, 壹亿零壹元).
            pending_zero = false;
        }
        out.push('元');
    }
    match (jiao, fen_digit) {
        (0, 0) if yuan == 0 => out.push_str("零元整"),
        (0, 0) => out.push('整'),
        (j, 0) => {
            if yuan > 0 && yuan % 10 == 0 {
                out.push('零');
            }
            out.push(DIGITS[j]);
            out.push_str("角整");
        }
        (0, f) => {
            if yuan > 0 {
                out.push('零');
            }
            out.push(DIGITS[f]);
            out.push('分');
        }
        (j, f) => {
            if yuan > 0 && yuan % 10 == 0 {
                out.push('零');
            }
            out.push(DIGITS[j]);
            out.push('角');
            out.push(DIGITS[f]);
            out.push('分');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals() {
        assert_eq!(chinese_ordinal(1), "一");
        assert_eq!(chinese_ordinal(2), "二");
        assert_eq!(chinese_ordinal(10), "十");
        assert_eq!(chinese_ordinal(12), "十二");
        assert_eq!(chinese_ordinal(30), "三十");
        assert_eq!(chinese_ordinal(31), "三十一");
    }

    #[test]
    fn rmb_capitals_follow_the_pboc_examples() {
        // 《支付结算办法》附件一 worked examples; 零 written where PBOC's printed example has it,
        // 整 added after 角 (both rules satisfied).
        assert_eq!(rmb_capitals(140_950), "人民币壹仟肆佰零玖元伍角整");
        assert_eq!(rmb_capitals(600_714), "人民币陆仟零柒元壹角肆分");
        assert_eq!(rmb_capitals(168_032), "人民币壹仟陆佰捌拾元零叁角贰分");
        assert_eq!(rmb_capitals(10_700_053), "人民币壹拾万柒仟元零伍角叁分");
        assert_eq!(rmb_capitals(1_640_902), "人民币壹万陆仟肆佰零玖元零贰分");
        assert_eq!(rmb_capitals(32_504), "人民币叁佰贰拾伍元零肆分");
    }

    #[test]
    fn rmb_capitals_edge_cases() {
        assert_eq!(rmb_capitals(0), "人民币零元整");
        assert_eq!(rmb_capitals(5), "人民币伍分");
        assert_eq!(rmb_capitals(50), "人民币伍角整");
        assert_eq!(rmb_capitals(1000), "人民币壹拾元整");
        assert_eq!(rmb_capitals(10_000_000), "人民币壹拾万元整");
        assert_eq!(rmb_capitals(10_000_700), "人民币壹拾万零柒元整");
        assert_eq!(rmb_capitals(10_070_000), "人民币壹拾万零柒佰元整");
        assert_eq!(rmb_capitals(100_000_100), "人民币壹佰万零壹元整");
        assert_eq!(rmb_capitals(1_000_000_000_000), "人民币壹佰亿元整");
        assert_eq!(rmb_capitals(1_000_010_000_000), "人民币壹佰亿零壹拾万元整");
        assert_eq!(rmb_capitals(12_345_678_900), "人民币壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元整");
        assert_eq!(rmb_capitals(-1_050), "人民币负壹拾元零伍角整");
    }

    #[test]
    fn dates_are_not_zero_padded() {
        assert_eq!(chinese_date(NaiveDate::from_ymd_opt(2026, 11, 7).unwrap()), "2026年11月7日");
        assert_eq!(chinese_date(NaiveDate::from_ymd_opt(2007, 3, 1).unwrap()), "2007年3月1日");
    }
}
