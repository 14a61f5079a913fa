//! Letter text with blanks: `您好！截至{read_date}，贵户热水表读数为{reading}吨。`
//!
//! Input: one paragraph of a letter definition. Output: text runs and the field keys of its blanks,
//! in order. Failure: an unclosed `{`, a stray `}` or an empty `{}`. `{{` and `}}` print a brace.

use serde::Serialize;

/// A run of a letter paragraph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Segment {
    /// Literal text.
    Text(String),
    /// The blank of the field with this key.
    Blank(String),
}

/// Splits `text` into literal runs and `{key}` blanks.
pub fn parse_segments(text: &str) -> Result<Vec<Segment>, String> {
    let mut out = Vec::new();
    let mut literal = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                literal.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                literal.push('}');
            }
            '{' => {
                let mut key = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(k) => key.push(k),
                        None => return Err(format!("「{{{key}」缺少右花括号 }}")),
                    }
                }
                let key = key.trim().to_string();
                if key.is_empty() {
                    return Err("空的花括号 {} 不能作为填写项".to_string());
                }
                if !literal.is_empty() {
                    out.push(Segment::Text(std::mem::take(&mut literal)));
                }
                out.push(Segment::Blank(key));
            }
            '}' => return Err("多余的右花括号 }（要印出花括号请写 }}）".to_string()),
            c => literal.push(c),
        }
    }
    if !literal.is_empty() {
        out.push(Segment::Text(literal));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_text_and_blanks() {
        let segs = parse_segments("截至{read_date}，读数为{reading}吨").unwrap();
        assert_eq!(
            segs,
            vec![
                Segment::Text("截至".into()),
                Segment::Blank("read_date".into()),
                Segment::Text("，读数为".into()),
                Segment::Blank("reading".into()),
                Segment::Text("吨".into()),
            ]
        );
    }

    #[test]
    fn doubled_braces_are_literal() {
        assert_eq!(parse_segments("{{x}}").unwrap(), vec![Segment::Text("{x}".into())]);
    }

    #[test]
    fn unclosed_and_stray_braces_are_errors() {
        assert!(parse_segments("截至{read_date").unwrap_err().contains("缺少右花括号"));
        assert!(parse_segments("a}b").unwrap_err().contains("多余的右花括号"));
        assert!(parse_segments("a{ }b").unwrap_err().contains("空的花括号"));
    }
}
