//! Phone text → [`Phone`], normalised digits: a mobile `13912345678`, a landline with area code
//! `024-23456789` (optionally with an extension, `024-23456789-123`) or a local landline
//! `23456789`. Spaces, dashes, parentheses and a `+86`/`0086`/`86` prefix are tolerated. Anything
//! else gives `Err` with one Chinese sentence naming the value and what was expected.

use std::fmt;

use super::text::{is_dash, normalize, quote};

const EXPECTED: &str = "应为 11 位手机号（如 13912345678）或带区号的座机号（如 024-23456789）";

/// A phone number in normal form: `13912345678`, `024-23456789`, `024-23456789-123`,
/// `23456789` or `23456789-123`. Made only by [`parse_phone`]; serialises as that string.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Phone(String);

impl Phone {
    /// The normal form, as [`Display`](fmt::Display) shows it: the numbers of the cell joined
    /// by `、`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first number written: the one to call.
    pub fn primary(&self) -> &str {
        self.0.split(LIST).next().unwrap_or("")
    }

    /// Every number of the cell, in the order written.
    pub fn numbers(&self) -> impl Iterator<Item = &str> {
        self.0.split(LIST)
    }

    /// True when the number to call is a mobile number.
    pub fn is_mobile(&self) -> bool {
        let p = self.primary();
        p.len() == 11 && p.starts_with('1')
    }

    /// The number with the middle hidden, for documents posted or handed out: a mobile keeps the
    /// first 3 and last 4 digits (`139****5678`); a landline keeps its area code and the last 2
    /// digits of the number (`024-******89`), an extension is hidden too (`024-******89-***`).
    pub fn masked(&self) -> String {
        self.numbers().map(mask_one).collect::<Vec<_>>().join(LIST)
    }
}

/// One number with its middle hidden (see [`Phone::masked`]).
fn mask_one(number: &str) -> String {
    if number.len() == 11 && number.starts_with('1') {
        let head = number.get(..3).unwrap_or("");
        let tail = number.get(7..).unwrap_or("");
        return format!("{head}****{tail}");
    }
    number
        .split('-')
        .enumerate()
        .map(|(i, part)| {
            let is_area = i == 0 && part.starts_with('0');
            let is_extension = (i > 0 && !number.starts_with('0')) || i > 1;
            if is_area {
                part.to_string()
            } else if is_extension {
                "*".repeat(part.len())
            } else {
                let keep = part.len().saturating_sub(2);
                format!("{}{}", "*".repeat(keep), part.get(keep..).unwrap_or(""))
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A mobile number: 11 digits, `1` then `3`–`9`.
fn is_mobile(d: &str) -> bool {
    matches!(d.as_bytes(), [b'1', b'3'..=b'9', rest @ ..] if rest.len() == 9 && rest.iter().all(u8::is_ascii_digit))
}

/// A local landline number: 7 or 8 digits, not starting with 0 or 1.
fn is_local(d: &str) -> bool {
    (7..=8).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()) && !d.starts_with(['0', '1'])
}

/// The length of the area code at the start of `d` (which starts with 0): 010 and 020–029 have
/// three digits, 03xx–09xx four.
fn area_code_len(d: &str) -> Result<usize, String> {
    match d.as_bytes() {
        [b'0', b'1', b'0', ..] | [b'0', b'2', ..] => Ok(3),
        [b'0', b'3'..=b'9', ..] => Ok(4),
        _ => Err("区号不对，区号应为 010、020 至 029，或 0 加三位数字（如 0411）".to_string()),
    }
}

/// Classifies a run of digits (no extension) as a mobile, a landline with area code, or a local
/// landline, giving its normal form. `international` says a `+86`/`0086` prefix was removed, so
/// that a landline comes without its leading 0. `area_group` is the first group as typed when
/// the number was written in groups, to check a separately written area code.
fn classify(d: &str, international: bool, area_group: Option<&str>) -> Result<String, String> {
    if is_mobile(d) {
        return Ok(d.to_string());
    }
    // After +86 a landline drops the 0 of its area code: +86 24 23456789, +86 10 87654321.
    if international && (d.starts_with("10") || d.starts_with(['2', '3', '4', '5', '6', '7', '8', '9'])) {
        return classify(&format!("0{d}"), false, None);
    }
    match d.as_bytes() {
        [b'1', ..] if d.len() != 11 => Err(format!("手机号应为 11 位，这里是 {} 位", d.len())),
        [b'1', ..] => Err("手机号应以 13 至 19 开头".to_string()),
        [b'0', b'1', b'3'..=b'9', ..] if is_mobile(d.get(1..).unwrap_or("")) => {
            Ok(d.get(1..).unwrap_or("").to_string())
        }
        [b'0', ..] => {
            let area_len = area_code_len(d)?;
            if let Some(group) = area_group.filter(|g| (3..=4).contains(&g.len()) && g.len() != area_len) {
                return Err(format!("区号 {group} 不对：010、020 至 029 为三位，其余为四位"));
            }
            let (area, local) = d.split_at_checked(area_len).ok_or_else(|| EXPECTED.to_string())?;
            if local.starts_with(['0', '1']) {
                return Err(format!("区号 {area} 后的号码不应以 0 或 1 开头"));
            }
            if !(7..=8).contains(&local.len()) {
                return Err(format!("区号 {area} 后的号码应为 7 至 8 位，这里是 {} 位", local.len()));
            }
            Ok(format!("{area}-{local}"))
        }
        _ if is_local(d) => Ok(d.to_string()),
        _ if d.len() < 7 => Err(format!("号码太短，{EXPECTED}")),
        _ => Err(format!("号码太长，{EXPECTED}")),
    }
}

/// Parses a phone number: spaces, dashes and parentheses are dropped, as is `+86`, `0086` or `86`
/// before a number. A mobile is 11 digits `1[3-9]…`; a landline has an area code (010, 020–029:
/// three digits; others four) and 7–8 digits not starting with 0 or 1, or is those 7–8 digits
/// alone; an extension may follow a landline after a dash or `转` (`024-23456789-123`).
///
/// A cell may hold several numbers (`13912345678/024-23456789`, separated by `/`, `、`, `，`,
/// `;` or spaces): all are kept, in the order written, the first being the one to call.
pub fn parse_phone(s: &str) -> Result<Phone, String> {
    let t = normalize(s);
    if t.contains(SEPARATORS) {
        let parts: Vec<&str> = t.split(SEPARATORS).map(str::trim).filter(|p| !p.is_empty()).collect();
        let numbers = parts.iter().map(|p| parse_one(p)).collect::<Result<Vec<_>, _>>()?;
        return Ok(Phone(numbers.into_iter().map(|p| p.0).collect::<Vec<_>>().join(LIST)));
    }
    let whole = parse_one(s);
    if whole.is_ok() || !t.contains(' ') {
        return whole;
    }
    // Numbers set apart by spaces: a number may itself be written in groups (139 1234 5678),
    // so groups are joined until they make a number the next group would spoil.
    let tokens: Vec<&str> = t.split(' ').filter(|p| !p.is_empty()).collect();
    let mut numbers = Vec::new();
    let mut start = 0;
    for end in 1..=tokens.len() {
        let current = tokens[start..end].join(" ");
        let longer = tokens.get(start..=end).map(|t| t.join(" "));
        if let Ok(p) = parse_one(&current)
            && longer.is_none_or(|l| parse_one(&l).is_err())
        {
            numbers.push(p.0);
            start = end;
        }
    }
    if start < tokens.len() || numbers.is_empty() {
        return whole;
    }
    Ok(Phone(numbers.join(LIST)))
}

/// What separates the numbers of one cell.
const SEPARATORS: [char; 6] = ['/', '、', ',', ';', '|', '\\'];
/// How the numbers of one cell are kept: `13912345678、024-23456789`.
const LIST: &str = "、";

/// One phone number.
fn parse_one(s: &str) -> Result<Phone, String> {
    let fail = |reason: &str| format!("{}不是有效的电话号码：{reason}", quote(s));
    let t = normalize(s).replace("分机", "转");
    if t.is_empty() {
        return Err(fail(&format!("内容为空，{EXPECTED}")));
    }
    // Digit groups as written, the extension after 转, and whether the number began with +.
    let mut groups: Vec<String> = vec![String::new()];
    let mut extension: Option<String> = None;
    let mut plus = false;
    for c in t.chars() {
        let current = match extension.as_mut() {
            Some(ext) => ext,
            None => groups.last_mut().ok_or_else(|| fail(EXPECTED))?,
        };
        match c {
            '0'..='9' => current.push(c),
            ' ' | '(' | ')' | '.' => groups.push(String::new()),
            c if is_dash(c) => groups.push(String::new()),
            '+' if !plus && groups.iter().all(String::is_empty) => plus = true,
            '转' if extension.is_none() => extension = Some(String::new()),
            _ => return Err(fail(EXPECTED)),
        }
        if groups.len() > 64 {
            return Err(fail(EXPECTED));
        }
    }
    groups.retain(|g| !g.is_empty());
    let digits: String = groups.concat();
    if digits.is_empty() {
        return Err(fail(EXPECTED));
    }
    if digits.len() > 24 {
        return Err(fail(&format!("号码太长，{EXPECTED}")));
    }
    // A country code: +86, 0086, or 86 before a mobile.
    let (number, international) = if plus {
        match digits.strip_prefix("86") {
            Some(rest) => (rest, true),
            None => return Err(fail("只能填写中国大陆的号码（+86）")),
        }
    } else if let Some(rest) = digits.strip_prefix("0086") {
        (rest, true)
    } else if let Some(rest) = digits.strip_prefix("86").filter(|rest| is_mobile(rest)) {
        (rest, true)
    } else {
        (digits.as_str(), false)
    };
    let area_group = if international { None } else { groups.first().map(String::as_str) };
    let with_extension = |main: String, ext: &str| -> Result<String, String> {
        if is_mobile(&main) {
            return Err("手机号不能带分机号".to_string());
        }
        if !(1..=6).contains(&ext.len()) {
            return Err("分机号应为 1 至 6 位数字".to_string());
        }
        Ok(format!("{main}-{ext}"))
    };
    let result = match &extension {
        Some(ext) => classify(number, international, area_group).and_then(|main| with_extension(main, ext)),
        None => classify(number, international, area_group).or_else(|first_reason| {
            // The last group written apart may be an extension: 024-23456789-123.
            match groups.last() {
                Some(last) if groups.len() >= 2 && (1..=6).contains(&last.len()) => number
                    .strip_suffix(last.as_str())
                    .and_then(|main| classify(main, international, area_group).ok())
                    .filter(|main| !is_mobile(main))
                    .map(|main| format!("{main}-{last}"))
                    .ok_or(first_reason),
                _ => Err(first_reason),
            }
        }),
    };
    result.map(Phone).map_err(|reason| fail(&reason))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> String {
        parse_phone(s).unwrap_or_else(|e| panic!("{s}: {e}")).to_string()
    }

    #[test]
    fn mobiles() {
        for s in [
            "13912345678",
            "139 1234 5678",
            "139-1234-5678",
            "(139)12345678",
            "+8613912345678",
            "+86 139 1234 5678",
            "+86-139-1234-5678",
            "(+86)13912345678",
            "008613912345678",
            "0086 139 1234 5678",
            "8613912345678",
            "86 13912345678",
            "013912345678",
            "１３９１２３４５６７８",
            " 13912345678 ",
            "\u{FEFF}13912345678",
            "139\u{200B}1234\u{200B}5678",
            "139—1234—5678",
        ] {
            assert_eq!(ok(s), "13912345678", "{s}");
        }
        for s in
            ["13012345678", "14512345678", "15012345678", "16612345678", "17712345678", "18812345678", "19912345678"]
        {
            assert_eq!(ok(s), s);
        }
    }

    #[test]
    fn landlines() {
        let cases = [
            ("024-23456789", "024-23456789"),
            ("02423456789", "024-23456789"),
            ("(024)23456789", "024-23456789"),
            ("（024）23456789", "024-23456789"),
            ("024 2345 6789", "024-23456789"),
            ("010-87654321", "010-87654321"),
            ("020-2345678", "020-2345678"),
            ("0411-82345678", "0411-82345678"),
            ("04118234567", "0411-8234567"),
            ("0755-26543210", "0755-26543210"),
            ("+86 24 23456789", "024-23456789"),
            ("+86-411-82345678", "0411-82345678"),
            ("0086 10 87654321", "010-87654321"),
            ("23456789", "23456789"),
            ("2345678", "2345678"),
            ("2345-6789", "23456789"),
            ("024-23456789-123", "024-23456789-123"),
            ("024-23456789转123", "024-23456789-123"),
            ("024-23456789 转 8", "024-23456789-8"),
            ("024-23456789分机123", "024-23456789-123"),
            ("(024)23456789-123456", "024-23456789-123456"),
            ("0411-8234567-12", "0411-8234567-12"),
            ("23456789-123", "23456789-123"),
            ("23456789转123", "23456789-123"),
            ("０２４－２３４５６７８９", "024-23456789"),
        ];
        for (s, expected) in cases {
            assert_eq!(ok(s), expected, "{s}");
        }
    }

    #[test]
    fn refused_with_reasons() {
        let e = |s: &str| parse_phone(s).unwrap_err();
        assert_eq!(e("13912345678x"), format!("「13912345678x」不是有效的电话号码：{EXPECTED}"));
        assert_eq!(e("1391234567"), "「1391234567」不是有效的电话号码：手机号应为 11 位，这里是 10 位");
        assert_eq!(e("139123456789"), "「139123456789」不是有效的电话号码：手机号应为 11 位，这里是 12 位");
        assert_eq!(e("12912345678"), "「12912345678」不是有效的电话号码：手机号应以 13 至 19 开头");
        assert_eq!(e("10912345678"), "「10912345678」不是有效的电话号码：手机号应以 13 至 19 开头");
        assert_eq!(e(""), format!("「」不是有效的电话号码：内容为空，{EXPECTED}"));
        assert_eq!(e("   "), format!("「   」不是有效的电话号码：内容为空，{EXPECTED}"));
        assert_eq!(ok("13912345678/13812345678"), "13912345678、13812345678");
        assert_eq!(ok("13912345678 024-23456789"), "13912345678、024-23456789");
        assert_eq!(ok("139 1234 5678"), "13912345678");
        assert_eq!(ok("139 1234 5678 13812345678"), "13912345678、13812345678");
        // A bad number among several is named by itself.
        assert_eq!(
            e("13912345678/1381234567"),
            format!("「1381234567」不是有效的电话号码：手机号应为 11 位，这里是 10 位")
        );
        assert!(e("13912345678 1381234567").contains("不是有效的电话号码"));
        assert_eq!(ok("13912345678、13812345678"), "13912345678、13812345678");
        assert_eq!(ok("13912345678，024-23456789"), "13912345678、024-23456789");
        assert!(e("+1 415 555 0100").contains("中国大陆"));
        assert!(e("024-02345678").contains("不应以 0 或 1 开头"));
        assert!(e("024-12345678").contains("不应以 0 或 1 开头"));
        assert!(e("024-234567").contains("应为 7 至 8 位，这里是 6 位"));
        assert!(e("024-234567890").contains("应为 7 至 8 位"));
        assert!(e("0245-2345678").contains("区号 0245 不对"));
        assert!(e("011-23456789").contains("区号不对"));
        assert!(e("00-23456789").contains("区号不对"));
        assert!(e("123456").contains("手机号应为 11 位"));
        assert!(e("234567").contains("号码太短"));
        assert!(e("234567890").contains("号码太长"));
        assert!(e("13912345678-123").contains("手机号应为 11 位"));
        assert!(e("13912345678转123").contains("手机号不能带分机号"));
        assert!(e("024-23456789转").contains("分机号应为 1 至 6 位"));
        assert!(e("024-23456789转1234567").contains("分机号应为 1 至 6 位"));
        assert!(e("024-23456789-1234567").contains("应为 7 至 8 位"));
    }

    #[test]
    fn other_shapes() {
        for s in [
            "abc",
            "电话",
            "139 1234 567８a",
            "+",
            "++8613912345678",
            "86+13912345678",
            "-",
            "()",
            "转",
            "转123",
            "139*1234*5678",
            "139.1234.5678x",
            "tel:13912345678",
            "139 1234 5678 转 转 1",
        ] {
            let err = parse_phone(s).unwrap_err();
            assert!(err.starts_with(&format!("{}不是有效的电话号码：", quote(s))), "{s}: {err}");
        }
    }

    #[test]
    fn hostile_text() {
        for s in [
            "\0".to_string(),
            "139\u{0}12345678".into(),
            "😀".into(),
            "13912345678😀".into(),
            "1".repeat(10_000),
            "1 ".repeat(10_000),
            "-".repeat(10_000),
            "(".repeat(10_000),
            "转".repeat(10_000),
            "+".repeat(10_000),
            "8".repeat(10_000),
        ] {
            let err = parse_phone(&s).unwrap_err();
            assert!(err.chars().count() < 200, "{err}");
        }
    }

    #[test]
    fn masking() {
        let m = |s: &str| parse_phone(s).unwrap().masked();
        assert_eq!(m("13912345678"), "139****5678");
        assert_eq!(m("024-23456789"), "024-******89");
        assert_eq!(m("0411-8234567"), "0411-*****67");
        assert_eq!(m("024-23456789-123"), "024-******89-***");
        assert_eq!(m("23456789"), "******89");
        assert_eq!(m("2345678"), "*****78");
        assert_eq!(m("23456789-12"), "******89-**");
    }

    #[test]
    fn display_serialize_and_kind() {
        let p = parse_phone("139 1234 5678").unwrap();
        assert_eq!(p.to_string(), "13912345678");
        assert_eq!(p.as_str(), "13912345678");
        assert!(p.is_mobile());
        assert!(!parse_phone("024-23456789").unwrap().is_mobile());
        assert_eq!(serde_json::to_string(&p).unwrap(), "\"13912345678\"");
        assert_eq!(serde_json::to_string(&parse_phone("02423456789").unwrap()).unwrap(), "\"024-23456789\"");
    }

    #[test]
    fn normal_forms_parse_to_themselves() {
        for s in ["13912345678", "024-23456789", "0411-8234567", "024-23456789-123", "23456789", "23456789-1"] {
            assert_eq!(ok(s), s);
            assert_eq!(ok(&ok(s)), s);
        }
    }
}
