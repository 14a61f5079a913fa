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
    fn dates_are_not_zero_padded() {
        assert_eq!(chinese_date(NaiveDate::from_ymd_opt(2026, 11, 7).unwrap()), "2026年11月7日");
        assert_eq!(chinese_date(NaiveDate::from_ymd_opt(2007, 3, 1).unwrap()), "2007年3月1日");
    }
}
