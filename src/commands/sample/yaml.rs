//! Writes one register as YAML the way a clerk would type it: a list of mappings whose keys are
//! the field labels and whose values are written as in a workbook cell (`2026-11-03`,
//! `¥1,234.50`, `1-2-301`, 是/否), quoted only where YAML would otherwise misread them.
//!
//! Input: the register's fields, a [`Style`] and [`Rec`]s. Output: a UTF-8 `.yaml` file, streamed.
//! Failure: IO, or a record naming a field the register does not have.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::forms::{Field, FieldType};

use super::record::{Rec, Sink};
use super::style::{Cell, Style, cell};

/// A register being written as YAML.
pub struct YamlSink<'a> {
    fields: &'a [Field],
    style: Style,
    title: String,
    path: PathBuf,
    out: BufWriter<File>,
    records: usize,
}

impl<'a> YamlSink<'a> {
    /// Creates `path` and writes the heading comment.
    pub fn new(fields: &'a [Field], style: Style, title: &str, path: &Path) -> Result<Self, Error> {
        let file = File::create(path).map_err(|e| Error::io("创建", path, &e))?;
        let mut sink = YamlSink {
            fields,
            style,
            title: title.to_string(),
            path: path.to_path_buf(),
            out: BufWriter::new(file),
            records: 0,
        };
        let head = format!("# {}（样例数据，每条记录一项，键为表头名称）\n", sink.title);
        sink.write(&head)?;
        Ok(sink)
    }

    fn write(&mut self, s: &str) -> Result<(), Error> {
        self.out.write_all(s.as_bytes()).map_err(|e| Error::io("写入", &self.path, &e))
    }

    /// Flushes the file; returns the number of records.
    pub fn finish(mut self) -> Result<usize, Error> {
        if self.records == 0 {
            self.write("[]\n")?;
        }
        self.out.flush().map_err(|e| Error::io("写入", &self.path, &e))?;
        Ok(self.records)
    }
}

impl Sink for YamlSink<'_> {
    fn sheet(&mut self, _name: &str) -> Result<(), Error> {
        Ok(())
    }

    fn row(&mut self, rec: Rec) -> Result<(), Error> {
        let mut text = String::with_capacity(256);
        let mut first = true;
        // Keys in the order of the form, as a clerk fills it in.
        for field in self.fields {
            let Some(v) = rec.get(&field.key) else { continue };
            let value = match cell(field, v, &self.style, self.records) {
                Cell::Blank => continue,
                Cell::Text(s) => scalar(&s),
                Cell::Number(x, _) if field.ty == FieldType::Integer => format!("{}", x as i64),
                Cell::Number(x, _) => format!("{x:.2}"),
            };
            text.push_str(if first { "- " } else { "  " });
            first = false;
            text.push_str(&scalar(&field.label));
            text.push_str(": ");
            text.push_str(&value);
            text.push('\n');
        }
        if let Some((key, _)) = rec.vals.iter().find(|(k, _)| !self.fields.iter().any(|f| f.key == *k)) {
            return Err(Error::Internal(format!("样例数据：台帐「{}」没有字段 `{key}`", self.title)));
        }
        self.records += 1;
        self.write(&text)
    }
}

/// Text as a YAML scalar: plain when YAML reads it back as the same string, else double-quoted.
pub fn scalar(s: &str) -> String {
    if plain_ok(s) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn plain_ok(s: &str) -> bool {
    const SPECIAL_START: &str = "-?:,[]{}#&*!|>'\"%@`~ ";
    const WORDS: [&str; 11] = ["true", "false", "null", "yes", "no", "on", "off", "y", "n", "~", ""];
    let Some(first) = s.chars().next() else { return false };
    // Numbers, and ISO dates (which YAML 1.1 readers take for timestamps).
    let date_like = s.len() >= 8 && s.as_bytes()[..4].iter().all(u8::is_ascii_digit) && s.as_bytes()[4] == b'-';
    let numeric = s.parse::<f64>().is_ok() || date_like;
    !SPECIAL_START.contains(first)
        && !s.ends_with(' ')
        && !s.contains(':')
        && !s.contains(" #")
        && !s.contains('\n')
        && !s.contains('"')
        && !WORDS.contains(&s.to_ascii_lowercase().as_str())
        && !numeric
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_quote_only_when_needed() {
        assert_eq!(scalar("2026/11/3"), "2026/11/3");
        assert_eq!(scalar("1-2-301"), "1-2-301");
        assert_eq!(scalar("是"), "是");
        assert_eq!(scalar("9:30"), "\"9:30\"");
        assert_eq!(scalar("13912345678"), "\"13912345678\"");
        assert_eq!(scalar("2026-11-03"), "\"2026-11-03\"");
        assert_eq!(scalar("yes"), "\"yes\"");
        assert_eq!(scalar("say \"hi\""), "\"say \\\"hi\\\"\"");
    }
}
