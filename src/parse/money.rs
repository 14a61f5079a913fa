//! Amounts of money → integer fen (`i64`, 1 元 = 100 fen): text as staff type it (`1,234.50`,
//! `¥1234.5`, `RMB 1234.5`, `1234.50元`, `-12.30`) or a numeric Excel cell; and fen → `1,234.50`
//! for display. Anything that is not an exact amount of at most two decimals within ±1000 亿元
//! (10^13 fen) gives `Err` with one Chinese sentence naming the value and what was expected.

use super::text::{is_dash, normalize, quote};

/// The largest amount accepted, in fen: 10^13 fen = 10^11 元 = 1000 亿元.
pub const MAX_FEN: i64 = 10_000_000_000_000;

const FORMS: &str = "应写成 1234.50、1,234.50 或 ¥1234.50 这样的金额";
const TOO_MANY_DECIMALS: &str = "金额最多两位小数（精确到分）";
const OUT_OF_RANGE: &str = "金额超出范围，绝对值不得超过 1000 亿元";
const BAD_GROUPING: &str = "千位分隔符位置不对，应每三位一个逗号，如 1,234,567.50";

fn error(value: &str, reason: &str) -> String {
    format!("{}不是有效金额：{reason}", quote(value))
}

/// Strips a currency mark at the start: `¥`, `￥`, `RMB`, `CNY` (any case), `人民币`.
fn strip_currency(s: &str) -> Option<&str> {
    for mark in ["¥", "￥", "人民币"] {
        if let Some(rest) = s.strip_prefix(mark) {
            return Some(rest);
        }
    }
    for mark in ["RMB", "CNY"] {
        if s.get(..mark.len()).is_some_and(|head| head.eq_ignore_ascii_case(mark)) {
            return s.get(mark.len()..);
        }
    }
    None
}

/// Strips a sign at the start: `+`, or `-` and its look-alikes (minus sign, full-width hyphen).
/// Returns the rest and whether the sign was negative.
fn strip_sign(s: &str) -> Option<(&str, bool)> {
    let c = s.chars().next()?;
    let negative = if c == '+' {
        false
    } else if is_dash(c) {
        true
    } else {
        return None;
    };
    Some((s.get(c.len_utf8()..)?, negative))
}

/// The digits of an integer part, checking thousands separators when there are any.
fn integer_digits(int: &str) -> Result<String, &'static str> {
    if !int.contains(',') {
        return if int.bytes().all(|b| b.is_ascii_digit()) { Ok(int.to_string()) } else { Err(FORMS) };
    }
    let mut digits = String::with_capacity(int.len());
    for (i, group) in int.split(',').enumerate() {
        if !group.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FORMS);
        }
        let well_placed = if i == 0 { (1..=3).contains(&group.len()) } else { group.len() == 3 };
        if !well_placed {
            return Err(BAD_GROUPING);
        }
        digits.push_str(group);
    }
    Ok(digits)
}

/// Parses an amount of money typed as a decimal number to fen: `1234`, `1234.5`, `1,234.50`,
/// `¥1,234.50`, `￥1234.50`, `RMB 1234.5`, `1234.50元`, `-12.30` (refunds and adjustments may be
/// negative), with full-width digits allowed. More than two decimals are refused unless the extra
/// ones are zeros (`12.300`); thousands separators must fall every three digits; the result must
/// lie within ±10^13 fen.
pub fn parse_money(s: &str) -> Result<i64, String> {
    let t = normalize(s);
    if t.is_empty() {
        return Err(error(s, "内容为空，应填写 1234.50 这样的金额"));
    }
    if t.contains(['角', '分', '毛']) {
        return Err(error(s, "请写成带小数的金额，如 1234.50，不写“角”“分”"));
    }
    let mut rest = t.as_str();
    let (mut sign_seen, mut currency_seen, mut negative) = (false, false, false);
    loop {
        rest = rest.trim_start();
        if !sign_seen && let Some((after, neg)) = strip_sign(rest) {
            (rest, sign_seen, negative) = (after, true, neg);
        } else if !currency_seen && let Some(after) = strip_currency(rest) {
            (rest, currency_seen) = (after, true);
        } else {
            break;
        }
    }
    rest = rest.trim_end();
    if let Some(before) = rest.strip_suffix('元') {
        rest = before.trim_end();
    }
    let (int, frac) = match rest.split_once('.') {
        Some((int, frac)) => (int, frac),
        None => (rest, ""),
    };
    if (int.is_empty() && frac.is_empty()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err(error(s, FORMS));
    }
    let int = integer_digits(int).map_err(|reason| error(s, reason))?;
    let (cents, extra) = frac.split_at_checked(frac.len().min(2)).unwrap_or((frac, ""));
    if extra.bytes().any(|b| b != b'0') {
        return Err(error(s, TOO_MANY_DECIMALS));
    }
    let mut fen: i64 = 0;
    let cents = cents.bytes().chain(std::iter::repeat(b'0')).take(2);
    for b in int.bytes().chain(cents) {
        fen = fen
            .checked_mul(10)
            .and_then(|f| f.checked_add(i64::from(b - b'0')))
            .filter(|&f| f <= MAX_FEN)
            .ok_or_else(|| error(s, OUT_OF_RANGE))?;
    }
    Ok(if negative { -fen } else { fen })
}

/// Converts the number in a numeric Excel cell (in 元) to fen. The value must have at most two
/// decimals, allowing for binary floating-point noise of 1e-6 元 (so `0.1 + 0.2` is 30 fen but
/// `12.345` is refused); it is then rounded half away from zero. NaN, infinities and values
/// beyond ±10^13 fen are refused.
pub fn money_from_f64(x: f64) -> Result<i64, String> {
    let shown = || x.to_string();
    if !x.is_finite() {
        return Err(error(&shown(), "单元格中不是一个有效的数值"));
    }
    let scaled = x * 100.0;
    let fen = scaled.round();
    // Integer-valued and at most 1e13 in magnitude: exact in an f64 and in an i64.
    if fen.abs() > MAX_FEN as f64 {
        return Err(error(&shown(), OUT_OF_RANGE));
    }
    // 1e-6 元, or a few units in the last place for amounts so large that an f64 cannot hold
    // their fen exactly (above about 10^9 元).
    let tolerance = 1e-6_f64.max(x.abs() * f64::EPSILON * 8.0);
    if (scaled - fen).abs() / 100.0 > tolerance {
        return Err(error(&shown(), TOO_MANY_DECIMALS));
    }
    Ok(fen as i64)
}

/// Formats fen as 元 with thousands separators and two decimals: `1,234.50`, `-0.05`, `0.00`.
pub fn format_fen(fen: i64) -> String {
    let abs = fen.unsigned_abs();
    let yuan = (abs / 100).to_string();
    let mut grouped = String::with_capacity(yuan.len() + yuan.len() / 3 + 4);
    if fen < 0 {
        grouped.push('-');
    }
    for (i, c) in yuan.chars().enumerate() {
        if i > 0 && (yuan.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{grouped}.{:02}", abs % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_decorated_amounts() {
        let cases = [
            ("1234", 123_400),
            ("1234.5", 123_450),
            ("1234.50", 123_450),
            ("1,234.50", 123_450),
            ("¥1,234.50", 123_450),
            ("￥1234.50", 123_450),
            ("RMB 1234.5", 123_450),
            ("rmb1234.5", 123_450),
            ("CNY 1234.50", 123_450),
            ("人民币1234.50元", 123_450),
            ("1234.50元", 123_450),
            ("1234.50 元", 123_450),
            ("1234元", 123_400),
            ("-12.30", -1_230),
            ("+12.30", 1_230),
            ("−12.30", -1_230),
            ("－１２．３０", -1_230),
            ("-¥12.30", -1_230),
            ("¥-12.30", -1_230),
            ("¥ -12.30 元", -1_230),
            ("１，２３４．５０", 123_450),
            ("  88  ", 8_800),
            ("0", 0),
            ("0.00", 0),
            ("-0", 0),
            ("-0.00", 0),
            ("0.01", 1),
            ("0.1", 10),
            (".5", 50),
            ("12.", 1_200),
            ("007", 700),
            ("12.300", 1_230),
            ("12.3000000", 1_230),
            ("1,234,567.89", 123_456_789),
            ("123,456", 12_345_600),
            ("1,000", 100_000),
            ("100000000000", MAX_FEN),
            ("-100,000,000,000.00", -MAX_FEN),
        ];
        for (s, fen) in cases {
            assert_eq!(parse_money(s), Ok(fen), "{s}");
        }
    }

    #[test]
    fn money_errors_explain() {
        assert_eq!(parse_money("12.345").unwrap_err(), format!("「12.345」不是有效金额：{TOO_MANY_DECIMALS}"));
        assert_eq!(parse_money("12.301").unwrap_err(), format!("「12.301」不是有效金额：{TOO_MANY_DECIMALS}"));
        assert_eq!(parse_money("1,23.4").unwrap_err(), format!("「1,23.4」不是有效金额：{BAD_GROUPING}"));
        assert_eq!(parse_money("1234,567").unwrap_err(), format!("「1234,567」不是有效金额：{BAD_GROUPING}"));
        assert_eq!(parse_money(",123").unwrap_err(), format!("「,123」不是有效金额：{BAD_GROUPING}"));
        assert_eq!(parse_money("1,,234").unwrap_err(), format!("「1,,234」不是有效金额：{BAD_GROUPING}"));
        assert_eq!(parse_money("1,234,").unwrap_err(), format!("「1,234,」不是有效金额：{BAD_GROUPING}"));
        assert_eq!(
            parse_money("100000000000.01").unwrap_err(),
            format!("「100000000000.01」不是有效金额：{OUT_OF_RANGE}")
        );
        assert_eq!(parse_money("-100000000001").unwrap_err(), format!("「-100000000001」不是有效金额：{OUT_OF_RANGE}"));
        assert_eq!(
            parse_money("1234元5角").unwrap_err(),
            "「1234元5角」不是有效金额：请写成带小数的金额，如 1234.50，不写“角”“分”"
        );
        assert_eq!(parse_money("abc").unwrap_err(), format!("「abc」不是有效金额：{FORMS}"));
        assert_eq!(parse_money("").unwrap_err(), "「」不是有效金额：内容为空，应填写 1234.50 这样的金额");
        assert_eq!(
            parse_money(" \u{3000} ").unwrap_err(),
            "「 \u{3000} 」不是有效金额：内容为空，应填写 1234.50 这样的金额"
        );
    }

    #[test]
    fn money_rejects_other_shapes() {
        for s in [
            ".",
            "-",
            "+",
            "¥",
            "元",
            "--12",
            "+-12",
            "¥¥12",
            "12-",
            "12.3.4",
            "1 234",
            "1.234,50",
            "12e3",
            "1e2",
            "0x10",
            "12元整",
            "$12",
            "12 RMB",
            "(12.30)",
            "十二元",
            "12,5",
            "12.3a",
            "NaN",
            "inf",
            "12 元 元",
            "1,234.5,0",
        ] {
            let e = parse_money(s).unwrap_err();
            assert!(e.starts_with(&format!("{}不是有效金额：", quote(s))), "{s}: {e}");
        }
    }

    #[test]
    fn hostile_text() {
        for s in [
            "\0".to_string(),
            "1\u{0}2".into(),
            "😀".into(),
            "12😀".into(),
            "9".repeat(10_000),
            "0".repeat(10_000),
            format!("{}.{}", "0".repeat(5_000), "0".repeat(5_000)),
            format!("0.00{}", "0".repeat(10_000)),
            format!("0.00{}1", "0".repeat(10_000)),
            ",".repeat(10_000),
            "1,000".repeat(2_000),
            "-".repeat(10_000),
            "¥".repeat(10_000),
            "\u{FEFF}".into(),
        ] {
            let result = parse_money(&s);
            if s.chars().all(|c| c == '0' || c == '.') {
                assert_eq!(result, Ok(0), "{s:.20}");
            } else {
                let e = result.unwrap_err();
                assert!(e.chars().count() < 200, "{e}");
            }
        }
        assert!(parse_money(&"9".repeat(10_000)).unwrap_err().contains(OUT_OF_RANGE));
    }

    #[test]
    fn from_numeric_cells() {
        assert_eq!(money_from_f64(1234.5), Ok(123_450));
        assert_eq!(money_from_f64(0.1 + 0.2), Ok(30));
        assert_eq!(money_from_f64(0.0), Ok(0));
        assert_eq!(money_from_f64(-0.0), Ok(0));
        assert_eq!(money_from_f64(-12.3), Ok(-1_230));
        assert_eq!(money_from_f64(0.01), Ok(1));
        assert_eq!(money_from_f64(1.5), Ok(150));
        assert_eq!(money_from_f64(19.99 * 3.0), Ok(5_997));
        assert_eq!(money_from_f64(1e11), Ok(MAX_FEN));
        assert_eq!(money_from_f64(-1e11), Ok(-MAX_FEN));
        assert_eq!(money_from_f64(99_999_999_999.99), Ok(9_999_999_999_999));
        assert_eq!(money_from_f64(12.345_000_1), Err(format!("「12.3450001」不是有效金额：{TOO_MANY_DECIMALS}")));
    }

    #[test]
    fn numeric_cells_refused() {
        assert_eq!(money_from_f64(12.345), Err(format!("「12.345」不是有效金额：{TOO_MANY_DECIMALS}")));
        assert!(money_from_f64(1.005).is_err(), "three decimals, whatever the binary rounding");
        assert_eq!(money_from_f64(0.001), Err(format!("「0.001」不是有效金额：{TOO_MANY_DECIMALS}")));
        assert_eq!(money_from_f64(1e11 + 0.01), Err(format!("「100000000000.01」不是有效金额：{OUT_OF_RANGE}")));
        assert!(money_from_f64(1e300).unwrap_err().contains(OUT_OF_RANGE));
        assert!(money_from_f64(f64::MAX).unwrap_err().contains(OUT_OF_RANGE));
        assert!(money_from_f64(f64::MIN).unwrap_err().contains(OUT_OF_RANGE));
        assert_eq!(money_from_f64(f64::NAN).unwrap_err(), "「NaN」不是有效金额：单元格中不是一个有效的数值");
        assert!(money_from_f64(f64::INFINITY).is_err());
        assert!(money_from_f64(f64::NEG_INFINITY).is_err());
        assert!(money_from_f64(f64::MIN_POSITIVE).is_ok(), "a denormal-scale value is 0 within noise");
    }

    #[test]
    fn formatting() {
        assert_eq!(format_fen(123_450), "1,234.50");
        assert_eq!(format_fen(-5), "-0.05");
        assert_eq!(format_fen(0), "0.00");
        assert_eq!(format_fen(1), "0.01");
        assert_eq!(format_fen(100), "1.00");
        assert_eq!(format_fen(99_999), "999.99");
        assert_eq!(format_fen(100_000), "1,000.00");
        assert_eq!(format_fen(-123_456_789), "-1,234,567.89");
        assert_eq!(format_fen(MAX_FEN), "100,000,000,000.00");
        assert_eq!(format_fen(i64::MAX), "92,233,720,368,547,758.07");
        assert_eq!(format_fen(i64::MIN), "-92,233,720,368,547,758.08");
    }

    #[test]
    fn format_then_parse_round_trips() {
        for fen in [0, 1, -1, 99, 100, 12_345, -12_345, 100_000_000, MAX_FEN, -MAX_FEN] {
            assert_eq!(parse_money(&format_fen(fen)), Ok(fen), "{fen}");
        }
    }
}
