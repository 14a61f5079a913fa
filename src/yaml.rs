//! YAML in, with located Chinese errors and resource limits.
//!
//! Input: the text of a YAML file and the path it came from. Output: the deserialized value.
//! Failure: a [`Problem`] naming file, line and column, in Chinese, for syntax errors, unknown or
//! missing keys, wrong types, duplicate keys and inputs that exceed serde-saphyr's budget (alias
//! bombs, deep nesting).

use std::path::Path;

use serde::de::DeserializeOwned;
use serde_saphyr::{Error as YamlError, MessageFormatter, UserMessageFormatter};

use crate::error::Problem;

/// Deserializes `text` read from `origin`.
pub fn from_str<T: DeserializeOwned>(text: &str, origin: &Path) -> Result<T, Problem> {
    let options = serde_saphyr::options! { with_snippet: false };
    serde_saphyr::from_str_with_options(text, options).map_err(|e| to_problem(&e, text, origin))
}

fn to_problem(err: &YamlError, text: &str, origin: &Path) -> Problem {
    let mut message = chinese_message(err.without_snippet());
    match err.location().or_else(|| err.without_snippet().location()) {
        Some(loc) if loc.line() > 0 => {
            let (line, column) = (loc.line() as usize, loc.column() as usize);
            if let Some(value) = value_at(text, line, column)
                && matches!(err.without_snippet(), YamlError::InvalidScalar { .. })
            {
                message = format!("{message}，实际为「{value}」");
            }
            Problem::at_line(origin, line, column, message)
        }
        _ => Problem::in_file(origin, message),
    }
}

/// The scalar written at 1-based `line` and `column`, up to the end of the line or a comment.
fn value_at(text: &str, line: usize, column: usize) -> Option<String> {
    let row = text.lines().nth(line.checked_sub(1)?)?;
    let rest: String = row.chars().skip(column.saturating_sub(1)).collect();
    let value = rest.split(" #").next()?.trim().trim_matches(['"', '\'']).to_string();
    let value: String = value.chars().take(40).collect();
    (!value.is_empty()).then_some(value)
}

fn chinese_message(err: &YamlError) -> String {
    let list = |xs: &[&str]| xs.iter().map(|x| format!("`{x}`")).collect::<Vec<_>>().join("、");
    match err {
        YamlError::SerdeUnknownField { field, expected, .. } => {
            format!("未知的键 `{field}`（可用的键：{}）", list(expected))
        }
        YamlError::SerdeMissingField { field, .. } => format!("缺少必填的键 `{field}`"),
        YamlError::SerdeUnknownVariant { variant, expected, .. } => {
            format!("取值「{variant}」无效，应为 {} 之一", list(expected))
        }
        YamlError::SerdeInvalidType { unexpected, expected, .. } => {
            format!("类型不符：这里是 {}，应为 {}", kind(unexpected), kind(expected))
        }
        YamlError::SerdeInvalidValue { unexpected, expected, .. } => {
            format!("取值 {} 无效，应为 {}", kind(unexpected), kind(expected))
        }
        YamlError::SerdeInvalidLength { len, expected, .. } => {
            format!("有 {len} 项，应为 {}", kind(expected))
        }
        YamlError::InvalidScalar { ty, .. } => format!("类型不符：应为{}", kind(ty)),
        YamlError::DuplicateMappingKey { key, .. } => match key {
            Some(k) => format!("键 `{k}` 重复出现"),
            None => "同一层中有重复的键".to_string(),
        },
        YamlError::Eof { .. } => "文件意外结束，可能缺少内容或缩进有误".to_string(),
        YamlError::Budget { breach, .. } => {
            format!("文件超出处理限制（{breach:?}），可能是循环引用（别名炸弹）或嵌套过深，已拒绝读取")
        }
        YamlError::AliasReplayLimitExceeded { .. }
        | YamlError::AliasExpansionLimitExceeded { .. }
        | YamlError::AliasReplayStackDepthExceeded { .. }
        | YamlError::AliasReplayCounterOverflow { .. } => {
            "别名（&/*）展开过多，文件可能是别名炸弹，已拒绝读取".to_string()
        }
        YamlError::MultipleDocuments { .. } => "文件中有多个 YAML 文档（---），只应有一个".to_string(),
        YamlError::InvalidUtf8Input => "文件不是 UTF-8 编码的文本，请用 UTF-8 保存".to_string(),
        other => format!("YAML 格式错误：{}", UserMessageFormatter.format_message(other)),
    }
}

/// Serde describes types in English ("a string", "u8"); say the common ones in Chinese.
fn kind(serde_words: &str) -> String {
    let w = serde_words.trim();
    let known = [
        ("a string", "文本"),
        ("string", "文本"),
        ("a sequence", "列表"),
        ("sequence", "列表"),
        ("a map", "键值映射"),
        ("map", "键值映射"),
        ("a boolean", "是否（true/false）"),
        ("boolean", "是否（true/false）"),
        ("unit value", "空值"),
        ("null", "空值"),
        ("u8", "0 至 255 的整数"),
        ("u16", "整数"),
        ("u32", "整数"),
        ("u64", "整数"),
        ("i32", "整数"),
        ("i64", "整数"),
        ("f32", "数值"),
        ("f64", "数值"),
        ("a floating point", "数值"),
        ("floating point", "数值"),
        ("integer", "整数"),
    ];
    for (en, zh) in known {
        if w == en {
            return zh.to_string();
        }
        if let Some(rest) = w.strip_prefix(en) {
            return format!("{zh}{}", rest.replace('`', "「").replace('\'', "」"));
        }
    }
    w.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Sample {
        name: String,
        count: u8,
    }

    fn err(text: &str) -> Problem {
        from_str::<Sample>(text, Path::new("x.yaml")).unwrap_err()
    }

    #[test]
    fn unknown_key_is_named_with_its_line() {
        let p = err("name: a\ncount: 1\ncolour: red\n");
        assert_eq!(p.location.row, Some(3));
        assert!(p.message.contains("未知的键 `colour`"), "{}", p.message);
        assert!(p.message.contains("`name`"), "{}", p.message);
    }

    #[test]
    fn missing_key_and_wrong_type_are_chinese() {
        assert!(err("name: a\n").message.contains("缺少必填的键 `count`"));
        let p = err("name: a\ncount: many\n");
        assert!(p.message.starts_with("类型不符"), "{}", p.message);
        assert!(p.message.contains("「many」"), "the value is named: {}", p.message);
        assert_eq!(p.location.row, Some(2));
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = i - 1;
            bomb.push_str(&format!("a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"));
        }
        let r = from_str::<serde_json::Value>(&bomb, Path::new("bomb.yaml"));
        assert!(r.is_err(), "an alias bomb must be refused");
    }
}
