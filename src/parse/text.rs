//! Cell text → cleaned text: full-width ASCII folded to half-width, odd spaces unified, zero-width
//! characters dropped, whitespace trimmed and collapsed; header text → a key for matching columns;
//! any text → 「…」 for quoting in an error message. Nothing here fails: every input gives an output.

/// Characters that are invisible and carry nothing: zero-width space, non-joiner, joiner, word
/// joiner, and the byte-order mark that Excel and Notepad leave at the start of text.
fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// Dash-like characters that staff (or an input method) type where an ASCII `-` is meant:
/// hyphen, figure dash, en dash, em dash, minus sign, small and full-width hyphen-minus.
pub fn is_dash(c: char) -> bool {
    matches!(c, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE63}' | '\u{FF0D}')
}

/// Cleans cell text: full-width ASCII (U+FF01–U+FF5E, e.g. `１２：３０`) becomes half-width,
/// the ideographic space U+3000 and NBSP become spaces, zero-width characters are removed, and the
/// result is trimmed with every run of whitespace (including tabs and line breaks) collapsed to
/// one space.
pub fn normalize(s: &str) -> String {
    if is_clean(s) {
        return s.to_string();
    }
    clean(s, |_| false)
}

/// [`normalize`], keeping the full-width characters `keep` says.
fn clean(s: &str, keep: impl Fn(char) -> bool) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        let c = match c {
            c if keep(c) => c,
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
            '\u{3000}' | '\u{00A0}' => ' ',
            c if is_zero_width(c) => continue,
            c => c,
        };
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if pending_space && !out.is_empty() {
            out.push(' ');
        }
        pending_space = false;
        out.push(c);
    }
    out
}

/// Cleans prose as [`normalize`] does, but keeps the full-width punctuation Chinese text is
/// written with (`，`, `：`, `；`, `（）`, `！`, `？`): a remark keeps its commas. Full-width
/// digits and letters are folded as everywhere.
pub fn tidy(s: &str) -> String {
    if !s.contains(is_cjk_mark) {
        return normalize(s);
    }
    clean(s, is_cjk_mark)
}

/// Full-width punctuation of Chinese prose, kept by [`tidy`].
fn is_cjk_mark(c: char) -> bool {
    matches!(c, '\u{FF01}' | '\u{FF08}' | '\u{FF09}' | '\u{FF0C}' | '\u{FF1A}' | '\u{FF1B}' | '\u{FF1F}')
}

/// Whether [`normalize`] would return `s` unchanged: no full-width ASCII, odd or zero-width
/// spaces, no whitespace at either end and no run of whitespace or non-space whitespace inside.
fn is_clean(s: &str) -> bool {
    let bytes = s.as_bytes();
    if bytes.first().is_some_and(u8::is_ascii_whitespace) || bytes.last().is_some_and(u8::is_ascii_whitespace) {
        return false;
    }
    let mut prev_space = false;
    for c in s.chars() {
        let odd = matches!(c, '\u{FF01}'..='\u{FF5E}' | '\u{3000}' | '\u{00A0}') || is_zero_width(c);
        if odd || (c.is_whitespace() && (c != ' ' || prev_space)) {
            return false;
        }
        prev_space = c == ' ';
    }
    true
}

/// True when the text holds nothing but whitespace (of any kind) and zero-width characters.
pub fn is_blank(s: &str) -> bool {
    s.chars().all(|c| c.is_whitespace() || is_zero_width(c))
}

/// The key a column header is matched by: [`normalize`]d, then all whitespace, the required-field
/// marks `*`/`＊` and colons `:`/`：` dropped, and one trailing unit in parentheses removed, so that
/// `面积（㎡）`, `* 面积 (㎡)：` and `面积` all give `面积`, and `金额(元)` gives `金额`. A header
/// that is nothing but a parenthesised group keeps it.
pub fn header_key(s: &str) -> String {
    let mut key: String =
        normalize(s).chars().filter(|&c| !c.is_whitespace() && !matches!(c, '*' | '＊' | ':' | '：')).collect();
    if key.ends_with(')') {
        let mut depth = 0usize;
        for (i, c) in key.char_indices().rev() {
            match c {
                ')' => depth = depth.saturating_add(1),
                '(' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        if i > 0 {
                            key.truncate(i);
                        }
                        break;
                    }
                }
                _ => {}
            }
        }
    }
    key
}

/// How many characters of a value an error message shows before cutting it short.
const QUOTE_MAX_CHARS: usize = 40;

/// The value as typed, in 「」, for an error message: control and zero-width characters are shown
/// as escapes (`\n`, `\u{0}`, `\u{200b}`) so that they can be seen, and a value longer than 40
/// characters is cut with `…` and its length given: `「aaaa…」（共 10000 个字符）`.
pub fn quote(s: &str) -> String {
    let mut out = String::from("「");
    let mut total = 0usize;
    for c in s.chars() {
        total = total.saturating_add(1);
        if total > QUOTE_MAX_CHARS {
            continue;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || is_zero_width(c) => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    if total > QUOTE_MAX_CHARS {
        out.push_str("…」");
        out.push_str(&format!("（共 {total} 个字符）"));
    } else {
        out.push('」');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_keeps_its_chinese_punctuation() {
        assert_eq!(tidy(" 已回访，业主满意（电话）！ "), "已回访，业主满意（电话）！");
        assert_eq!(tidy("１号楼，２单元"), "1号楼，2单元");
        assert_eq!(normalize("已回访，满意"), "已回访,满意");
    }

    #[test]
    fn normalize_full_width_ascii() {
        assert_eq!(normalize("１２３４５６７８９０"), "1234567890");
        assert_eq!(normalize("ＡＢＣａｂｃ"), "ABCabc");
        assert_eq!(normalize("１２：３０"), "12:30");
        assert_eq!(normalize("１－２－３０１"), "1-2-301");
        assert_eq!(normalize("（备注）"), "(备注)");
        assert_eq!(normalize("！～"), "!~");
        assert_eq!(normalize("￥１２"), "￥12", "U+FFE5 is outside the full-width ASCII block");
    }

    #[test]
    fn normalize_spaces() {
        assert_eq!(normalize("  a  b  "), "a b");
        assert_eq!(normalize("\u{3000}张\u{3000}\u{3000}三\u{3000}"), "张 三");
        assert_eq!(normalize("a\u{00A0}b"), "a b");
        assert_eq!(normalize("a\t\n\r b"), "a b");
        assert_eq!(normalize("   "), "");
        assert_eq!(normalize(""), "");
    }

    #[test]
    fn normalize_zero_width() {
        assert_eq!(normalize("\u{FEFF}1-2-301"), "1-2-301");
        assert_eq!(normalize("13\u{200B}9\u{200C}1\u{200D}2"), "13912");
        assert_eq!(normalize("a \u{200B} b"), "a b");
        assert_eq!(normalize("\u{200B}\u{FEFF}"), "");
    }

    #[test]
    fn normalize_keeps_other_text() {
        assert_eq!(normalize("张三"), "张三");
        assert_eq!(normalize("😀 房"), "😀 房");
        assert_eq!(normalize("a\0b"), "a\0b");
        let long = "字".repeat(10_000);
        assert_eq!(normalize(&long), long);
    }

    #[test]
    fn blank() {
        assert!(is_blank(""));
        assert!(is_blank("   "));
        assert!(is_blank("\u{3000}\u{00A0}\t\n"));
        assert!(is_blank("\u{200B}\u{FEFF}"));
        assert!(!is_blank("0"));
        assert!(!is_blank(" x "));
        assert!(!is_blank("\0"));
        assert!(!is_blank("😀"));
        assert!(is_blank(&" ".repeat(10_000)));
    }

    #[test]
    fn header_keys() {
        assert_eq!(header_key("面积（㎡）"), "面积");
        assert_eq!(header_key("金额(元)"), "金额");
        assert_eq!(header_key("* 姓名"), "姓名");
        assert_eq!(header_key("＊姓 名："), "姓名");
        assert_eq!(header_key("联系电话:"), "联系电话");
        assert_eq!(header_key(" 金额（元）* "), "金额");
        assert_eq!(header_key("面积(㎡(建筑))"), "面积");
        assert_eq!(header_key("(备注)"), "(备注)");
        assert_eq!(header_key("金额)"), "金额)");
        assert_eq!(header_key("（甲）金额"), "(甲)金额");
        assert_eq!(header_key("接单\n时间"), "接单时间");
        assert_eq!(header_key(""), "");
        assert_eq!(header_key("\u{FEFF}房号"), "房号");
    }

    #[test]
    fn header_key_hostile() {
        assert_eq!(header_key(&")".repeat(10_000)), ")".repeat(10_000));
        assert_eq!(header_key(&"(".repeat(10_000)), "(".repeat(10_000));
        assert_eq!(header_key("😀(㎡)"), "😀");
        assert_eq!(header_key("\0"), "\0");
    }

    #[test]
    fn quoting() {
        assert_eq!(quote("2026/13/01"), "「2026/13/01」");
        assert_eq!(quote(""), "「」");
        assert_eq!(quote(" a "), "「 a 」");
        assert_eq!(quote("a\nb"), "「a\\nb」");
        assert_eq!(quote("a\0b"), "「a\\u{0}b」");
        assert_eq!(quote("\u{200B}"), "「\\u{200b}」");
        assert_eq!(quote("😀"), "「😀」");
        let long = "9".repeat(10_000);
        let q = quote(&long);
        assert_eq!(q, format!("「{}…」（共 10000 个字符）", "9".repeat(40)));
        assert_eq!(quote(&"9".repeat(40)), format!("「{}」", "9".repeat(40)));
    }

    #[test]
    fn dashes() {
        for c in ['-', '‐', '‑', '–', '—', '―', '−', '－', '﹣'] {
            assert!(is_dash(c), "{c}");
        }
        for c in ['_', '~', '一', 'ー'] {
            assert!(!is_dash(c), "{c}");
        }
    }
}
