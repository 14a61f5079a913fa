//! `kefu map`: reads every workbook under the input folder and proposes `input/mapping.yaml` —
//! which register each file and sheet holds and why, the header row, each column's field or
//! "unmatched", the room kept in three columns, the department's labels that are no option, and
//! what kefu could not decide — for a clerk to check, edit and then run `kefu check`.
//!
//! Input: the input folder and the form definitions. Output: `input/mapping.yaml`, or
//! `input/mapping.proposed.yaml` beside a mapping that is already there (the user's edits are
//! never overwritten). Failure: the form definitions (exit 2), writing the file (exit 3).

use std::fmt::Write as _;

use super::session::{Env, Outcome};
use crate::error::Error;
use crate::forms::FormSet;
use crate::load::mapping::MAPPING_FILE;
use crate::load::propose::{FileGuess, SheetGuess, propose};
use crate::model::RegisterId;
use crate::output::write_atomic;

/// The proposal written beside a mapping the user already has.
pub const PROPOSED_FILE: &str = "mapping.proposed.yaml";

/// `kefu map`.
pub fn execute(env: &Env) -> Result<Outcome, Error> {
    let forms = FormSet::load(&env.forms_dir).map_err(Error::Config)?;
    let guesses = propose(&env.input, &forms);
    let text = render(&guesses, &forms);
    let existing = env.input.join(MAPPING_FILE);
    let target = if existing.exists() { env.input.join(PROPOSED_FILE) } else { existing.clone() };
    write_atomic(&target, text.as_bytes())?;
    let entries = guesses.iter().filter(|g| needs_entry(g)).count();
    let note = if target == existing {
        String::new()
    } else {
        format!("（{MAPPING_FILE} 已存在，未改动；请对照后自行合并）")
    };
    Ok(Outcome::ok(format!(
        "已读 {} 个工作簿，建议映射 {} 个，写入 {}{note}；请检查其中的注释，改好后运行 kefu check",
        guesses.len(),
        entries,
        target.display()
    )))
}

/// Whether a workbook needs an entry: it holds a register its name does not say.
fn needs_entry(g: &FileGuess) -> bool {
    g.unreadable.is_none() && g.sheets.iter().any(|s| s.register.is_some() && s.register != g.named)
}

/// The proposed mapping file, with comments saying what kefu saw and why it chose.
pub fn render(guesses: &[FileGuess], forms: &FormSet) -> String {
    let mut out = String::new();
    out.push_str(
        "# 台帐映射（kefu map 生成的建议）：告诉 kefu 科室自己的工作簿里哪本是哪本台帐、哪一列是哪个字段。\n\
         # 请逐项核对注释中的判断；改好后运行 kefu check，没有错误再运行 kefu run。\n\
         # 列名写法：「他们的列名: 字段名称」；不读的列写「忽略」。格式见 docs/registers.md。\n\n",
    );
    let mut body = String::new();
    for g in guesses {
        describe(&mut out, g, forms);
        if needs_entry(g) {
            entry(&mut body, g, forms);
        }
    }
    out.push_str("\nregisters:\n");
    if body.is_empty() {
        out.push_str("  []\n");
    }
    out.push_str(&body);
    out
}

/// The comment block about one workbook.
fn describe(out: &mut String, g: &FileGuess, forms: &FormSet) {
    let file = g.file.display();
    if let Some(why) = &g.unreadable {
        let _ = writeln!(out, "# {file}：无法读取（{why}），未建议映射。");
        return;
    }
    let named = g.named.map(|r| r.title(forms));
    for s in &g.sheets {
        match s.register {
            None => {
                let _ =
                    writeln!(out, "# {file} 工作表「{}」：看不出是哪本台帐（表头中没有台帐的列名），不读。", s.name);
            }
            Some(r) if Some(r) == g.named => {
                let _ = writeln!(
                    out,
                    "# {file} 工作表「{}」：文件名已说明是「{}」，表头也对得上，无需映射。",
                    s.name,
                    named.clone().unwrap_or_default()
                );
            }
            Some(_) => {}
        }
    }
}

/// The mapping entry of one workbook: its sheets of the most common register.
fn entry(out: &mut String, g: &FileGuess, forms: &FormSet) {
    let sheets: Vec<&SheetGuess> = g.sheets.iter().filter(|s| s.register.is_some()).collect();
    let Some(first) = sheets.first() else { return };
    let register = first.register.unwrap_or(RegisterId::Form(0));
    let same: Vec<&&SheetGuess> = sheets.iter().filter(|s| s.register == Some(register)).collect();
    let _ = writeln!(out, "\n  # ── {} ──", g.file.display());
    let _ = writeln!(
        out,
        "  # 像「{}」：表头中认出 {}",
        register.title(forms),
        first.matched_words.iter().take(8).map(|w| format!("「{w}」")).collect::<Vec<_>>().join("")
    );
    if let Some(problem) = &first.problem {
        let _ = writeln!(out, "  # 注意：{problem}；请在 columns 中写明他们的列名对应哪个字段。");
    }
    if let Some((other, _)) = first.runner_up {
        let _ = writeln!(out, "  # 未能完全确定：也有点像「{}」，请核对 register。", other.title(forms));
    }
    let _ = writeln!(out, "  - register: {}", register_key(register));
    let _ = writeln!(out, "    file: {}", yaml_text(&g.file.to_string_lossy()));
    let skipped: Vec<&SheetGuess> = g.sheets.iter().filter(|s| s.register != Some(register)).collect();
    if !skipped.is_empty() {
        let names: Vec<String> = same.iter().map(|s| yaml_text(&s.name)).collect();
        let _ = writeln!(
            out,
            "    sheets: [{}]   # 不读：{}",
            names.join(", "),
            skipped.iter().map(|s| format!("「{}」", s.name)).collect::<Vec<_>>().join("")
        );
    }
    let _ = writeln!(out, "    header_row: {}   # 表头所在行（两行表头时为下面一行）", first.header_row);
    sheet_details(out, first, forms, register);
}

fn sheet_details(out: &mut String, s: &SheetGuess, forms: &FormSet, register: RegisterId) {
    match &s.year {
        Some((y, from)) => {
            let _ = writeln!(out, "    year: {y}   # 不写年份的日期（10.8、10月8日）按 {y} 年读：取自{from}");
        }
        None if s.yearless => {
            let _ = writeln!(
                out,
                "    # year: 2026   # 未能判断：表中有不写年份的日期，但工作表名、标题和文件名都没有年份，请填写"
            );
        }
        None => {}
    }
    for (cols, what) in &s.joined {
        let _ = writeln!(out, "    # {cols} 列：{what}");
    }
    if let Some((b, u, r)) = &s.room_rule {
        let _ = writeln!(
            out,
            "    # 房号由 {b} 列（楼号）+ {u} 列（单元）+ {r} 列（房号）组成，如 1号楼 + 一单元 + 1801室 → 1-1-1801"
        );
    }
    let _ = writeln!(out, "    columns:");
    for (letter, head, label) in &s.columns {
        let _ = writeln!(out, "      # {letter} 列「{head}」→ {label}");
    }
    if s.unmatched.is_empty() || s.problem.is_some() {
        let _ = writeln!(out, "      {{}}");
    }
    for (letter, head) in &s.unmatched {
        if s.problem.is_some() {
            // A required column is missing: this one may be it, so it is not ignored.
            let _ = writeln!(
                out,
                "      # {}: ？   # {letter} 列：未匹配任何字段；缺少的必填列可能就是这一列，请填写字段名称",
                yaml_text(head)
            );
        } else {
            let _ = writeln!(
                out,
                "      {}: 忽略   # {letter} 列：未匹配任何字段；若是某个字段，请把「忽略」改成字段名称",
                yaml_text(head)
            );
        }
    }
    labels(out, s, forms, register);
}

/// Value maps for labels that are no option.
fn labels(out: &mut String, s: &SheetGuess, forms: &FormSet, register: RegisterId) {
    if s.labels.is_empty() {
        return;
    }
    let fields = register.fields(forms);
    let _ = writeln!(out, "    values:   # 表中的写法 → 台帐的选项");
    for (key, words) in &s.labels {
        let Some(field) = fields.iter().find(|f| f.key == *key) else { continue };
        let decided = words.values().any(Option::is_some);
        let empty = if decided { "" } else { " {}" };
        let _ = writeln!(out, "      {}:{empty}   # 可选：{}", field.label, field.options.join("、"));
        for (word, guess) in words {
            match guess {
                Some(option) => {
                    let _ = writeln!(out, "        {}: {}   # 推测，请核对", yaml_text(word), yaml_text(option));
                }
                None => {
                    let _ = writeln!(out, "        # {}: ？   # 未能判断应对应哪个选项，请填写", yaml_text(word));
                }
            }
        }
    }
}

/// `15`, `rooms`.
fn register_key(r: RegisterId) -> String {
    match r {
        RegisterId::Form(n) => format!("\"{n:02}\""),
        RegisterId::Ledger(id) => id.key().to_string(),
    }
}

/// Text as a YAML scalar: quoted when YAML would read it otherwise.
fn yaml_text(s: &str) -> String {
    let plain = !s.is_empty()
        && !s.starts_with(|c: char| c.is_ascii_digit() || "-?:,[]{}#&*!|>'\"%@`~ ".contains(c))
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && !matches!(s, "true" | "false" | "null" | "yes" | "no" | "~");
    if plain { s.to_string() } else { format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\"")) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn yaml_scalars_are_quoted_when_needed() {
        assert_eq!(yaml_text("房号"), "房号");
        assert_eq!(yaml_text("2026年9月"), "\"2026年9月\"");
        assert_eq!(yaml_text("a: b"), "\"a: b\"");
        assert_eq!(yaml_text("\""), "\"\\\"\"");
        assert_eq!(yaml_text(Path::new("台帐/x.xls").to_str().unwrap_or("")), "台帐/x.xls");
    }
}
