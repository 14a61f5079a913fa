//! Errors and located problems, and how they map to exit codes.
//!
//! Every stage reports what is wrong as [`Problem`]s carrying where (file, sheet, row, column or
//! line) and what (the value found, what was expected). A stage collects all of them
//! ([`Problems`]) instead of stopping at the first. [`Error`] is what a command returns; its
//! [`Error::exit_code`] is the documented exit status: 1 for invalid input data, 2 for usage or
//! configuration errors, 3 when kefu could not finish (writing output, an internal fault).

use std::fmt;
use std::path::{Path, PathBuf};

/// Where a problem was found. Only `file` is always known.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    /// The file, as the user named it (relative paths stay relative).
    pub file: PathBuf,
    /// Worksheet of a workbook.
    pub sheet: Option<String>,
    /// 1-based row of a sheet or line of a text file.
    pub row: Option<usize>,
    /// Column: a letter (`C`) for sheets, or a 1-based number for text files.
    pub column: Option<String>,
    /// The column's header or the YAML key, e.g. 接单时间.
    pub header: Option<String>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(sheet) = &self.sheet {
            write!(f, " 工作表「{sheet}」")?;
        }
        match (self.row, &self.column, self.sheet.is_some()) {
            (Some(row), Some(col), true) => write!(f, " 第 {row} 行 {col} 列")?,
            (Some(row), Some(col), false) => write!(f, " 第 {row} 行第 {col} 列")?,
            (Some(row), None, _) => write!(f, " 第 {row} 行")?,
            (None, Some(col), _) => write!(f, " {col} 列")?,
            (None, None, _) => {}
        }
        match &self.header {
            Some(h) => write!(f, "（{h}）"),
            None => Ok(()),
        }
    }
}

/// How bad a problem is: errors fail the run, warnings are reported and change nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    /// 错误 or 警告.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        }
    }
}

/// One thing wrong with the input, located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Error or warning.
    pub severity: Severity,
    /// Where it is.
    pub location: Location,
    /// What is wrong, in Chinese, naming the value and what was expected.
    pub message: String,
}

impl Problem {
    /// A problem with a whole file (or folder).
    pub fn in_file(file: &Path, message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Error,
            location: Location { file: file.to_path_buf(), ..Location::default() },
            message: message.into(),
        }
    }

    /// A problem at a line and column of a text file.
    pub fn at_line(file: &Path, line: usize, column: usize, message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Error,
            location: Location {
                file: file.to_path_buf(),
                row: Some(line),
                column: Some(column.to_string()),
                sheet: None,
                header: None,
            },
            message: message.into(),
        }
    }

    /// A problem at `location`.
    pub fn at(location: Location, message: impl Into<String>) -> Problem {
        Problem { severity: Severity::Error, location, message: message.into() }
    }

    /// The same problem as a warning.
    pub fn warning(mut self) -> Problem {
        self.severity = Severity::Warning;
        self
    }

    /// Whether this problem fails the run.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}：{}", self.location, self.message)
    }
}

/// Every problem a stage found; never empty when returned as an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problems(pub Vec<Problem>);

impl From<Problem> for Problems {
    fn from(p: Problem) -> Self {
        Problems(vec![p])
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

/// What a command can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The command line is wrong (an unknown form in `--forms`, a bad date).
    #[error("{0}")]
    Usage(String),
    /// The configuration (`input/kefu.yaml`, `forms/`, `templates/`) is wrong.
    #[error("配置有误，共 {n} 处：\n{0}", n = .0.0.len())]
    Config(Problems),
    /// The registers hold invalid data.
    #[error("输入数据有误，共 {n} 处：\n{0}", n = .0.0.len())]
    Input(Problems),
    /// A file could not be read or written.
    #[error("无法{action}「{}」：{reason}", path.display())]
    Io { action: &'static str, path: PathBuf, reason: String },
    /// kefu itself failed; this is a bug to report.
    #[error("内部错误：{0}")]
    Internal(String),
}

impl Error {
    /// The process exit status documented in the README.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Input(_) => 1,
            Error::Usage(_) | Error::Config(_) => 2,
            Error::Io { .. } | Error::Internal(_) => 3,
        }
    }

    /// An I/O failure on `path` while doing `action` (读取, 写入, 创建 …).
    pub fn io(action: &'static str, path: &Path, err: &std::io::Error) -> Error {
        Error::Io { action, path: path.to_path_buf(), reason: io_reason(err) }
    }
}

/// A Chinese description of an I/O error.
pub fn io_reason(err: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match err.kind() {
        K::NotFound => "文件或目录不存在".to_string(),
        K::PermissionDenied => "没有访问权限".to_string(),
        K::AlreadyExists => "已存在".to_string(),
        K::StorageFull => "磁盘已满".to_string(),
        K::InvalidData => "内容不是有效的 UTF-8 文本".to_string(),
        K::IsADirectory => "这是一个目录，不是文件".to_string(),
        K::NotADirectory => "路径中的某一级不是目录".to_string(),
        _ => format!("系统错误（{err}）"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_read_as_chinese() {
        let sheet = Location {
            file: "input/维修.xlsx".into(),
            sheet: Some("2026年".into()),
            row: Some(12),
            column: Some("C".into()),
            header: Some("报修时间".into()),
        };
        assert_eq!(sheet.to_string(), "input/维修.xlsx 工作表「2026年」 第 12 行 C 列（报修时间）");
        let text = Problem::at_line(Path::new("input/kefu.yaml"), 3, 5, "缺少键");
        assert_eq!(text.to_string(), "input/kefu.yaml 第 3 行第 5 列：缺少键");
    }

    #[test]
    fn exit_codes_follow_the_readme() {
        assert_eq!(Error::Input(Problems(vec![])).exit_code(), 1);
        assert_eq!(Error::Usage(String::new()).exit_code(), 2);
        assert_eq!(Error::Config(Problems(vec![])).exit_code(), 2);
        assert_eq!(Error::Internal(String::new()).exit_code(), 3);
    }
}
