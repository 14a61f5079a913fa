//! ID text → [`IdNumber`]: an 18-character PRC resident identity number (GB 11643-1999) with a
//! valid region digit, birth date and ISO 7064 MOD 11-2 check character. Full-width characters,
//! spaces and a lowercase `x` are accepted. Anything else (including 15-digit old numbers) gives
//! `Err` with one Chinese sentence naming the value and what is wrong.

use std::fmt;

use chrono::NaiveDate;

use super::text::{normalize, quote};

/// Weights of the first 17 digits in the check-character sum (ISO 7064 MOD 11-2).
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// The check character for each remainder of the weighted sum modulo 11.
const CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// A resident identity number: 18 characters, 17 digits then a digit or `X` (stored uppercase).
/// Made only by [`parse_id_number`], so its birth date and check character are valid.
/// Displays and serialises as the full number; use [`IdNumber::masked`] on documents.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct IdNumber(String);

impl IdNumber {
    /// The full number.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The date of birth, characters 7–14.
    pub fn birth_date(&self) -> NaiveDate {
        // parse_id_number checked the date, so the fallback is never used.
        birth_date_of(&self.0).unwrap_or(NaiveDate::MIN)
    }

    /// True when the 17th digit (the sequence number's last digit) is odd, which marks a man.
    pub fn is_male(&self) -> bool {
        // ASCII digits have the parity of their value.
        self.0.as_bytes().get(16).is_some_and(|b| b % 2 == 1)
    }

    /// The number with all but the first character and the last two hidden, as Hutool does by
    /// default: `1***************2X`.
    pub fn masked(&self) -> String {
        let count = self.0.chars().count();
        self.0.chars().enumerate().map(|(i, c)| if i == 0 || i + 2 >= count { c } else { '*' }).collect()
    }
}

impl fmt::Display for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The check character for the first 17 digits of an ID number, or `None` when `first17` is not
/// exactly 17 ASCII digits.
pub fn check_digit(first17: &str) -> Option<char> {
    if first17.len() != 17 || !first17.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = first17.bytes().zip(WEIGHTS).map(|(b, w)| u32::from(b - b'0') * w).sum();
    CHECK_CHARS.get(usize::try_from(sum % 11).ok()?).copied()
}

/// The birth date in characters 7–14, if they form a valid date in 1900–2100.
fn birth_date_of(id: &str) -> Option<NaiveDate> {
    let digits = id.get(6..14)?;
    let year = digits.get(..4)?.parse().ok()?;
    let month = digits.get(4..6)?.parse().ok()?;
    let day = digits.get(6..8)?.parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, day).filter(|_| (1900..=2100).contains(&year))
}

/// Parses a resident identity number: 18 characters after dropping spaces and folding
/// full-width characters, the first 17 digits, the last a digit or `X`/`x`; the first digit (region)
/// 1–8; characters 7–14 a valid birth date in 1900–2100; and the last the MOD 11-2 check
/// character of the others. A wrong check character is reported with the one expected.
pub fn parse_id_number(s: &str) -> Result<IdNumber, String> {
    let fail = |reason: &str| format!("{}不是有效的身份证号：{reason}", quote(s));
    let t: String = normalize(s).chars().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_uppercase()).collect();
    if t.is_empty() {
        return Err(fail("内容为空，应填写 18 位身份证号"));
    }
    let looks_scientific = t.contains("E+") && t.bytes().all(|b| b.is_ascii_digit() || b"E+.".contains(&b));
    if looks_scientific {
        return Err(fail(
            "号码被 Excel 当作数字存成了科学计数法，后几位已经丢失，请把单元格设为文本后重新填写 18 位身份证号",
        ));
    }
    let count = t.chars().count();
    if count == 15 && t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(fail("这是 15 位的旧身份证号，应填写 18 位身份证号"));
    }
    if count != 18 {
        return Err(fail(&format!("身份证号应为 18 位，这里是 {count} 位")));
    }
    let (first17, last) = match t.char_indices().nth(17) {
        Some((i, last)) => (t.get(..i).unwrap_or(""), last),
        None => return Err(fail("身份证号应为 18 位")),
    };
    if !first17.bytes().all(|b| b.is_ascii_digit()) || first17.len() != 17 {
        return Err(fail("前 17 位应全是数字"));
    }
    if !(last.is_ascii_digit() || last == 'X') {
        return Err(fail("最后一位应为数字或 X"));
    }
    match first17.as_bytes().first() {
        Some(b'1'..=b'8') => {}
        _ => return Err(fail("第 1 位（地区码）应为 1 至 8")),
    }
    if birth_date_of(&t).is_none() {
        let digits = t.get(6..14).unwrap_or("");
        return Err(fail(&format!("第 7 至 14 位的出生日期 {digits} 不是 1900 至 2100 年间的有效日期")));
    }
    match check_digit(first17) {
        Some(expected) if expected == last => Ok(IdNumber(t)),
        Some(expected) => Err(fail(&format!("校验位应为 {expected}，实为 {last}，请核对是否有数字输错"))),
        None => Err(fail("前 17 位应全是数字")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fictional but valid number built from 17 digits.
    fn valid(first17: &str) -> String {
        format!("{first17}{}", check_digit(first17).unwrap())
    }

    #[test]
    fn check_digits() {
        assert_eq!(check_digit("11010519491231002"), Some('X'));
        assert_eq!(check_digit("44052419800101001"), Some('3'));
        assert_eq!(check_digit("21010219900307123"), Some('3'));
        assert_eq!(check_digit("1101051949123100"), None);
        assert_eq!(check_digit("110105194912310021"), None);
        assert_eq!(check_digit("1101051949123100X"), None);
        assert_eq!(check_digit(""), None);
        assert_eq!(
            check_digit("１１０１０５１９４９１２３１００２"),
            None,
            "full-width digits are not normalised here"
        );
        assert_eq!(check_digit("😀😀😀😀"), None);
        // Every remainder maps to one of the eleven characters.
        for n in 0..200u32 {
            let first17 = format!("{:017}", u64::from(n) * 7_919_993_111);
            assert!(check_digit(&first17).is_some_and(|c| c.is_ascii_digit() || c == 'X'), "{first17}");
        }
    }

    #[test]
    fn valid_numbers() {
        let id = parse_id_number("11010519491231002X").unwrap();
        assert_eq!(id.to_string(), "11010519491231002X");
        assert_eq!(id.as_str(), "11010519491231002X");
        assert_eq!(id.birth_date(), NaiveDate::from_ymd_opt(1949, 12, 31).unwrap());
        assert!(!id.is_male());
        assert_eq!(id.masked(), "1***************2X");
        for s in [
            "11010519491231002x",
            " 11010519491231002X ",
            "110105 19491231 002X",
            "１１０１０５１９４９１２３１００２Ｘ",
            "１１０１０５１９４９１２３１００２ｘ",
            "\u{FEFF}11010519491231002X",
            "110105\u{3000}19491231\u{200B}002X",
        ] {
            assert_eq!(parse_id_number(s), Ok(id.clone()), "{s}");
        }
        let man = parse_id_number(&valid("21010219900307123")).unwrap();
        assert!(man.is_male());
        assert_eq!(man.birth_date(), NaiveDate::from_ymd_opt(1990, 3, 7).unwrap());
        assert_eq!(
            parse_id_number("440524198001010013").map(|id| id.birth_date().to_string()),
            Ok("1980-01-01".into())
        );
        assert!(parse_id_number(&valid("81000019000101000")).is_ok(), "earliest birth date, region 8");
        assert!(parse_id_number(&valid("11000021001231000")).is_ok(), "latest birth date");
        assert!(parse_id_number(&valid("11000020000229000")).is_ok(), "leap day");
    }

    #[test]
    fn masking() {
        let id = parse_id_number(&valid("21010219900307123")).unwrap();
        let masked = id.masked();
        assert_eq!(masked.chars().count(), 18);
        assert!(masked.starts_with("2***************3"));
        assert_eq!(parse_id_number("11010519491231002X").unwrap().masked(), "1***************2X");
    }

    #[test]
    fn refused_with_reasons() {
        let e = |s: &str| parse_id_number(s).unwrap_err();
        assert_eq!(
            e("110105194912310021"),
            "「110105194912310021」不是有效的身份证号：校验位应为 X，实为 1，请核对是否有数字输错"
        );
        assert!(e("440524198001010014").contains("校验位应为 3，实为 4"));
        assert_eq!(
            e("110105491231002"),
            "「110105491231002」不是有效的身份证号：这是 15 位的旧身份证号，应填写 18 位身份证号"
        );
        assert_eq!(e("1101051949123100"), "「1101051949123100」不是有效的身份证号：身份证号应为 18 位，这里是 16 位");
        assert!(e("11010519491231002XX").contains("这里是 19 位"));
        assert_eq!(e(""), "「」不是有效的身份证号：内容为空，应填写 18 位身份证号");
        assert!(e("   ").contains("内容为空"));
        assert!(e("1101051949123100AX").contains("前 17 位应全是数字"));
        assert!(e("11010519491231002Y").contains("最后一位应为数字或 X"));
        assert!(e(&valid("01010519491231002")).contains("第 1 位（地区码）应为 1 至 8"));
        assert!(e(&valid("91010519491231002")).contains("地区码"));
        assert!(e(&valid("11010519491331002")).contains("出生日期 19491331"));
        assert!(e(&valid("11010520260230002")).contains("出生日期 20260230"));
        assert!(e(&valid("11010518991231002")).contains("出生日期 18991231"));
        assert!(e(&valid("11010521010101002")).contains("出生日期 21010101"));
        assert!(e("1.10105E+17").contains("科学计数法"));
        assert!(e("1.10105194912310E+17").contains("科学计数法"));
    }

    #[test]
    fn hostile_text() {
        for s in [
            "\0".to_string(),
            "11010519491231002\0".into(),
            "1101051949123100😀".into(),
            "11010519491231😀2X".into(),
            "😀".repeat(18),
            "字".repeat(18),
            "1".repeat(10_000),
            "X".repeat(18),
            "x".repeat(10_000),
            "E+".repeat(10),
            "-".repeat(18),
            "11010519491231002 X".repeat(500),
        ] {
            let err = parse_id_number(&s).unwrap_err();
            assert!(err.chars().count() < 200, "{err}");
            assert!(err.contains("不是有效的身份证号："), "{err}");
        }
    }

    #[test]
    fn serializes_as_the_number() {
        let id = parse_id_number("11010519491231002x").unwrap();
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"11010519491231002X\"");
    }
}
