//! The `--forms` selection: `01,03,15`, `1-5`, `地王/客服记录-16`.
//!
//! Input: the option's text. Output: the selected form numbers in ascending order, without
//! duplicates. Failure: an item that is not a number or range of 1 … 31, with the item named.

use std::collections::BTreeSet;
use std::fmt;

use super::FORM_NUMBERS;

/// Why a `--forms` value was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectError {
    /// The offending item as written.
    pub item: String,
    /// What is wrong with it.
    pub reason: String,
}

impl fmt::Display for SelectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "表单选择「{}」无效：{}。应写表单编号 01 至 31，用逗号分隔，可写范围，如 01,03,15 或 1-5",
            self.item, self.reason
        )
    }
}

impl std::error::Error for SelectError {}

/// Parses a selection such as `01,03,15` or `1-5,16`.
pub fn parse_selection(text: &str) -> Result<Vec<u8>, SelectError> {
    let mut out = BTreeSet::new();
    let items: Vec<&str> = text.split([',', '，', '、']).map(str::trim).collect();
    if items.iter().all(|s| s.is_empty()) {
        return Err(SelectError { item: text.to_string(), reason: "没有选择任何表单".to_string() });
    }
    for item in items {
        if item.is_empty() {
            continue;
        }
        let fail = |reason: &str| SelectError { item: item.to_string(), reason: reason.to_string() };
        match item.split_once(['-', '~', '～', '至']) {
            Some((a, b)) if !a.contains('/') => {
                let (a, b) = (number(a).map_err(|r| fail(&r))?, number(b).map_err(|r| fail(&r))?);
                if a > b {
                    return Err(fail("范围的起点大于终点"));
                }
                out.extend(a..=b);
            }
            _ => {
                out.insert(number(item).map_err(|r| fail(&r))?);
            }
        }
    }
    Ok(out.into_iter().collect())
}

/// One form number: `3`, `03`, or a full code such as `地王/客服记录-03`.
fn number(text: &str) -> Result<u8, String> {
    let digits = match text.trim().rsplit_once('-') {
        Some((prefix, n)) if prefix.contains('/') => n,
        _ => text.trim(),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) || digits.len() > 3 {
        return Err(format!("「{text}」不是表单编号"));
    }
    let n: u8 = digits.parse().map_err(|_| format!("「{text}」不是表单编号"))?;
    if FORM_NUMBERS.contains(&n) { Ok(n) } else { Err(format!("手册中没有编号为 {n:02} 的表单")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_ranges_and_codes() {
        assert_eq!(parse_selection("01,03,15").unwrap(), vec![1, 3, 15]);
        assert_eq!(parse_selection("1-3, 16，地王/客服记录-31").unwrap(), vec![1, 2, 3, 16, 31]);
        assert_eq!(parse_selection("03,3").unwrap(), vec![3]);
    }

    #[test]
    fn refuses_out_of_range_and_garbage() {
        assert!(parse_selection("32").unwrap_err().reason.contains("没有编号为 32"));
        assert!(parse_selection("0").is_err());
        assert!(parse_selection("abc").unwrap_err().to_string().contains("「abc」"));
        assert!(parse_selection("5-2").unwrap_err().reason.contains("起点大于终点"));
        assert!(parse_selection(",").is_err());
        assert!(parse_selection("1-").is_err());
    }
}
