//! Letter wording from minijinja templates that staff can edit (`templates/letters/*.j2`).
//!
//! Input: the templates folder and, per letter, a view of its facts (owner, room, amounts, dates).
//! Output: the letter's paragraphs as plain text (a blank line separates paragraphs), which the
//! typst letter template lays out — the wording never becomes markup. Failure: a template that does
//! not parse or names a value the letter does not have (strict undefined) is a configuration error
//! with file and line.

use std::path::{Path, PathBuf};

use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde::Serialize;

use crate::error::{Error, Problem, Problems};

/// The folder of letter templates inside the templates folder.
pub const LETTER_DIR: &str = "letters";

/// The loaded letter templates.
pub struct LetterTexts {
    env: Environment<'static>,
    dir: PathBuf,
}

impl LetterTexts {
    /// Reads every `*.j2` under `templates/letters/`.
    pub fn load(templates: &Path) -> Result<LetterTexts, Problems> {
        let dir = templates.join(LETTER_DIR);
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_auto_escape_callback(|_| AutoEscape::None);
        let entries = std::fs::read_dir(&dir)
            .map_err(|e| Problem::in_file(&dir, format!("无法读取函件模板目录：{}", crate::error::io_reason(&e))))?;
        let mut problems = Vec::new();
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths.into_iter().filter(|p| p.extension().is_some_and(|x| x == "j2")) {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            match std::fs::read_to_string(&path) {
                Ok(source) => {
                    if let Err(e) = env.add_template_owned(name, source) {
                        problems.push(located(&dir, &e));
                    }
                }
                Err(e) => problems.push(Problem::in_file(&path, crate::error::io_reason(&e))),
            }
        }
        if problems.is_empty() { Ok(LetterTexts { env, dir }) } else { Err(Problems(problems)) }
    }

    /// The paragraphs of template `name` (e.g. `催缴函.txt.j2`) filled from `view`.
    pub fn paragraphs<T: Serialize>(&self, name: &str, view: &T) -> Result<Vec<String>, Error> {
        let template =
            self.env.get_template(name).map_err(|e| Error::Config(Problems(vec![located(&self.dir, &e)])))?;
        let text = template.render(minijinja::value::Serde(view)).map_err(|e| {
            let mut problem = located(&self.dir, &e);
            if e.kind() == minijinja::ErrorKind::UndefinedError {
                let names: Vec<String> = match serde_json::to_value(view) {
                    Ok(serde_json::Value::Object(map)) => map.keys().cloned().collect(),
                    _ => Vec::new(),
                };
                problem.message.push_str(&format!("；可用的值：{}（见 docs/rules.md）", names.join("、")));
            }
            Error::Config(Problems(vec![problem]))
        })?;
        Ok(split_paragraphs(&text))
    }
}

/// Paragraphs separated by blank lines; lines within a paragraph are joined (Chinese needs no
/// space between them).
pub fn split_paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else {
            current.push_str(line);
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// A minijinja error placed at its template file and line.
fn located(dir: &Path, e: &minijinja::Error) -> Problem {
    let file = dir.join(e.name().unwrap_or("?"));
    // minijinja's details are English; the name it quotes in backticks is what staff need.
    let quoted = e.detail().and_then(|d| d.split('`').nth(1)).map(str::to_string);
    let what = match (e.kind(), quoted) {
        (minijinja::ErrorKind::UndefinedError, Some(name)) => format!("函件模板用了 kefu 不提供的值「{name}」"),
        (minijinja::ErrorKind::UndefinedError, None) => "函件模板用了 kefu 不提供的值".to_string(),
        (minijinja::ErrorKind::SyntaxError, _) => {
            format!("函件模板语法有误：{}", e.detail().unwrap_or_default())
        }
        (minijinja::ErrorKind::TemplateNotFound, _) => {
            format!("找不到函件模板：{}", e.detail().unwrap_or_default())
        }
        (kind, _) => match e.detail() {
            Some(d) => format!("函件模板有误：{kind}（{d}）"),
            None => format!("函件模板有误：{kind}"),
        },
    };
    match e.line() {
        Some(line) => Problem::at_line(&file, line, 1, what),
        None => Problem::in_file(&file, what),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_split_on_blank_lines_and_join_lines() {
        assert_eq!(split_paragraphs("一行\n二行\n\n\n三行\n"), vec!["一行二行".to_string(), "三行".to_string()]);
    }

    #[test]
    fn a_missing_value_is_an_error_with_its_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(LETTER_DIR)).unwrap();
        std::fs::write(dir.path().join("letters/x.txt.j2"), "第一行\n{{ owner }} 业主：{{ nonsense }}\n").unwrap();
        let t = LetterTexts::load(dir.path()).unwrap();
        #[derive(Serialize)]
        struct V {
            owner: &'static str,
        }
        let err = t.paragraphs("x.txt.j2", &V { owner: "张三" }).unwrap_err().to_string();
        assert!(err.contains("x.txt.j2 第 2 行") && err.contains("不提供的值「nonsense」"), "{err}");
        assert!(err.contains("可用的值：owner"), "{err}");
        // Data is printed as given: markup-like text stays text.
        std::fs::write(dir.path().join("letters/y.txt.j2"), "{{ owner }}").unwrap();
        let t = LetterTexts::load(dir.path()).unwrap();
        assert_eq!(
            t.paragraphs("y.txt.j2", &V { owner: "#read(\"/etc/passwd\") {{ x }}" }).unwrap(),
            vec!["#read(\"/etc/passwd\") {{ x }}".to_string()]
        );
    }
}
